package coupang_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

func TestMoneyDecode(t *testing.T) {
	tests := []struct {
		in   string
		want coupang.Money
		text string
	}{
		{`0`, coupang.Money{}, "0"},
		{`-3000`, coupang.Money{Units: -3000}, "-3000"},
		{`"3000"`, coupang.Money{Units: 3000}, "3000"},
		{`" 3000 "`, coupang.Money{Units: 3000}, "3000"},
		{`12.5`, coupang.Money{Units: 12, Nanos: 500000000}, "12.5"},
		{`-0.25`, coupang.Money{Nanos: -250000000}, "-0.25"},
		{`1.000000001`, coupang.Money{Units: 1, Nanos: 1}, "1.000000001"},
		{`3000.000000000000`, coupang.Money{Units: 3000}, "3000"},
		{`1.5e3`, coupang.Money{Units: 1500}, "1500"},
		{`25e-2`, coupang.Money{Nanos: 250000000}, "0.25"},
		{`9223372036854775807`, coupang.Money{Units: math.MaxInt64}, "9223372036854775807"},
		{`-9223372036854775808`, coupang.Money{Units: math.MinInt64}, "-9223372036854775808"},
		{`null`, coupang.Money{}, "0"},
		{`""`, coupang.Money{}, "0"},
		{`{"currencyCode":"KRW","units":5000,"nanos":0}`, coupang.Money{Currency: "KRW", Units: 5000}, "5000 KRW"},
		{`{"currencyCode":"TWD","units":"-12","nanos":-500000000}`, coupang.Money{Currency: "TWD", Units: -12, Nanos: -500000000}, "-12.5 TWD"},
		{`{"currencyCode":"USD","units":0,"nanos":-10000000}`, coupang.Money{Currency: "USD", Nanos: -10000000}, "-0.01 USD"},
		{`{"units":1}`, coupang.Money{Units: 1}, "1"},
		{`{"currencyCode":"KRW","units":2500,"nanos":0,"extra":[1]}`, coupang.Money{Currency: "KRW", Units: 2500}, "2500 KRW"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var m coupang.Money
			require.NoError(t, json.Unmarshal([]byte(tt.in), &m), "encoding/json")
			assert.Equal(t, tt.want, m)
			assert.Equal(t, tt.text, m.String())

			var v2 coupang.Money
			require.NoError(t, jsonv2.Unmarshal([]byte(tt.in), &v2), "json/v2")
			assert.Equal(t, tt.want, v2)

			// Written back as Coupang sent it, and read back equal.
			b, err := json.Marshal(m)
			require.NoError(t, err)
			var back coupang.Money
			require.NoError(t, json.Unmarshal(b, &back), "%s", b)
			assert.Equal(t, m, back, "%s", b)
		})
	}
}

func TestMoneyRefusesInexactValues(t *testing.T) {
	for _, in := range []string{
		`1.0000000001`,           // ten fractional digits
		`9223372036854775808`,    // beyond int64
		`1e40`,                   // beyond int64
		`1e999`,                  // absurd exponent
		`{"units":1,"nanos":-1}`, // signs differ
		`{"units":-1,"nanos":1}`,
		`{"units":0,"nanos":1000000000}`,
		`{"units":1.5}`,
		`"12,000"`,
		`"KRW 3000"`,
		`true`,
		`[3000]`,
		`{"currencyCode":["KRW"],"units":1}`,
	} {
		t.Run(in, func(t *testing.T) {
			var m coupang.Money
			err := json.Unmarshal([]byte(in), &m)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "3000")
			assert.NotContains(t, err.Error(), "12,000")
		})
	}
}

// json/v2 reads Money straight from its stream (UnmarshalJSONFrom), inside
// a struct, and goes on with the next member; a bad amount is an error that
// names the member, never the value.
func TestMoneyUnmarshalJSONFrom(t *testing.T) {
	var _ jsonv2.UnmarshalerFrom = (*coupang.Money)(nil)
	type row struct {
		Price coupang.Money `json:"price"`
		Fee   coupang.Money `json:"fee"`
		Note  string        `json:"note"`
	}
	var got row
	require.NoError(t, jsonv2.Unmarshal([]byte(`{"price":{"currencyCode":"KRW","units":19000,"nanos":0,"x":{"y":[1]}},"fee":"12.5","note":"ok"}`), &got))
	assert.Equal(t, row{Price: coupang.Money{Currency: "KRW", Units: 19000}, Fee: coupang.Money{Units: 12, Nanos: 500000000}, Note: "ok"}, got)

	err := jsonv2.Unmarshal([]byte(`{"price":1.00000000019000,"note":"ok"}`), &got)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "price")
	assert.NotContains(t, err.Error(), "19000")
}

func TestMoneyMarshal(t *testing.T) {
	b, err := json.Marshal(struct {
		A coupang.Money `json:"a"`
		B coupang.Money `json:"b"`
	}{coupang.Money{Currency: "KRW", Units: 19000}, coupang.Money{Units: -3, Nanos: -50000000}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":{"currencyCode":"KRW","units":19000,"nanos":0},"b":-3.05}`, string(b))
	assert.Equal(t, "-3.05", coupang.Money{Units: -3, Nanos: -50000000}.Decimal())
	assert.True(t, coupang.Money{Currency: "KRW"}.IsZero())
}

func TestTimeDecode(t *testing.T) {
	kst := coupang.KoreaLocation()
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2026-03-05T10:54:41"`, time.Date(2026, 3, 5, 10, 54, 41, 0, kst)},
		{`"2026-03-05 10:54:41"`, time.Date(2026, 3, 5, 10, 54, 41, 0, kst)},
		{`"2026-03-05T10:54:41.123"`, time.Date(2026, 3, 5, 10, 54, 41, 123000000, kst)},
		{`"2025-01-15T14:17:13.973885-08:00"`, time.Date(2025, 1, 15, 22, 17, 13, 973885000, time.UTC)},
		{`"2025-07-29T01:23:00+09:00"`, time.Date(2025, 7, 29, 1, 23, 0, 0, kst)},
		{`1473049045000`, time.UnixMilli(1473049045000)},
		{`"1473049045000"`, time.UnixMilli(1473049045000)},
		{`null`, time.Time{}},
		{`""`, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got coupang.Time
			require.NoError(t, json.Unmarshal([]byte(tt.in), &got))
			assert.True(t, tt.want.Equal(got.Time), "got %v", got.Time)
			if !got.IsZero() {
				assert.Equal(t, kst, got.Location(), "held in Korea time")
			}
			b, err := json.Marshal(got)
			require.NoError(t, err)
			var back coupang.Time
			require.NoError(t, json.Unmarshal(b, &back), "%s", b)
			assert.True(t, got.Equal(back.Time), "%s", b)
		})
	}
	for _, in := range []string{`"2026-03-05"`, `"20180305105441"`, `1473049045`, `"Hong Gildong"`, `{}`, `true`} {
		var got coupang.Time
		err := json.Unmarshal([]byte(in), &got)
		require.Error(t, err, in)
		assert.NotContains(t, err.Error(), "Hong")
	}
	b, err := json.Marshal(coupang.Time{})
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
}

// TestTimeReadsAsTheModels: Time and the exchange models' decoder are one
// reader: the same forms, the same instants, the same refusals.
func TestTimeReadsAsTheModels(t *testing.T) {
	for _, in := range []string{`"2026-03-05T10:54:41"`, `"2026-03-05 10:54:41.5"`, `"2025-01-15T14:17:13.973885-08:00"`, `1772675681000`, `"2026-03-05"`, `"20180305105441"`} {
		var ex coupang.ExchangeRequest
		exErr := coupang.UnmarshalExchange([]byte(`{"exchangeId":1,"createdAt":`+in+`}`), &ex)
		var tm coupang.Time
		tmErr := json.Unmarshal([]byte(in), &tm)
		assert.Equal(t, exErr == nil, tmErr == nil, in)
		assert.True(t, ex.CreatedAt.Equal(tm.Time), in)
	}
}
