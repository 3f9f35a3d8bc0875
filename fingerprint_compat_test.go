package coupang

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fingerprint010 is the fingerprint 0.1.0 (int64 amounts) computed for the
// exchange of testdata/fixtures/full.json. Change stores written by 0.1.0
// hold such fingerprints: the same record read by this version must give
// the same text, or every stored record would come back as updated.
const fingerprint010 = "f1.AAP__7N6SsbAUmCQB4IS5B3PNKoAAAACAAAAAgAAAAInzh6Y1_5vPHKcusfx3w6QWWaIp1lmiKc"

// fixtureExchange decodes the one exchange of testdata/fixtures/full.json,
// after each of the replacements (old, new pairs), each of which must apply.
func fixtureExchange(t *testing.T, replacements ...string) ExchangeRequest {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures/full.json")
	require.NoError(t, err)
	doc := string(b)
	for i := 0; i+1 < len(replacements); i += 2 {
		require.Contains(t, doc, replacements[i])
		doc = strings.ReplaceAll(doc, replacements[i], replacements[i+1])
	}
	page, err := DecodeExchangePage(strings.NewReader(doc))
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	return page.Items[0]
}

func TestFingerprintOfPlainWonAmountsIsUnchangedSince010(t *testing.T) {
	ex := fixtureExchange(t)
	require.Equal(t, Money{Units: 5000}, ex.ExchangeAmount, "the fixture is 0.1.0's wire form")
	assert.Equal(t, fingerprint010, exchangeSchema.Fingerprint(&ex))
}

func TestFingerprintOfV6AmountsOfTheSameValueIsUnchanged(t *testing.T) {
	// The same record with every amount in the v6 object form: amounts are
	// not tracked, so the form they come in changes nothing.
	ex := fixtureExchange(t,
		`"exchangeAmount": 5000`, `"exchangeAmount": {"currencyCode": "KRW", "units": 5000, "nanos": 0}`,
		`"orderItemUnitPrice": 29900`, `"orderItemUnitPrice": {"currencyCode": "KRW", "units": 29900, "nanos": 0}`,
		`"targetItemUnitPrice": 29900`, `"targetItemUnitPrice": {"currencyCode": "KRW", "units": "29900", "nanos": 0}`,
		`"boxPrice": 3000`, `"boxPrice": {"currencyCode": "KRW", "units": 3000, "nanos": 0}`,
	)
	require.Equal(t, Money{Currency: "KRW", Units: 5000}, ex.ExchangeAmount)
	require.Equal(t, Money{Currency: "KRW", Units: 3000}, ex.DeliveryInvoiceGroups[0].BoxPrice)
	assert.Equal(t, fingerprint010, exchangeSchema.Fingerprint(&ex))

	changed, ok := exchangeSchema.Compare(fingerprint010, exchangeSchema.Fingerprint(&ex))
	require.True(t, ok)
	assert.Empty(t, changed)
}
