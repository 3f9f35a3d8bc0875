package jsondec

import (
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rec struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Tags []tag  `json:"tags"`
}

type tag struct {
	N int64 `json:"n"`
}

var (
	testFast     = json.WithUnmarshalers(Slice[tag]())
	testTolerant = json.JoinOptions(jsontext.AllowDuplicateNames(true), json.WithUnmarshalers(json.JoinUnmarshalers(
		Slice[tag](), json.UnmarshalFromFunc(Int64), json.UnmarshalFromFunc(Text))))
)

// readList decodes {"data": data} as an answer's data member.
func readList(t *testing.T, data string, limit int64) ([]rec, []Bad, error) {
	t.Helper()
	var items []rec
	var bad []Bad
	err := Decode(strings.NewReader(`{"data":`+data+`}`), limit, 2*limit, testTolerant, func(dec *jsontext.Decoder) error {
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		return ReadList(dec, &items, testFast, "id", func(b Bad) { bad = append(bad, b) })
	})
	return items, bad, err
}

// TestReadListSecondPass: a record the engine's own path refuses is read
// again with the tolerant options, wherever it stands (in an array, as the
// data object itself, after white space); one that still fails is reported
// with its id, even when the id comes after the bad field, and the page goes
// on.
func TestReadListSecondPass(t *testing.T) {
	items, bad, err := readList(t, ` [ {"id":1,"name":"a"} ,
		{"name":7,"id":"2","tags":{"n":"3"}},{"tags":[{"n":"x"}],"id":4},{"id":5}]`, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, []rec{{ID: 1, Name: "a"}, {ID: 2, Name: "7", Tags: []tag{{N: 3}}}, {ID: 5}}, items)
	require.Len(t, bad, 1)
	assert.Equal(t, Bad{Index: 2, ID: 4, Field: "tags[0].n", Err: ErrNotInteger}, bad[0])

	items, bad, err = readList(t, `{"id":"9"}`, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, []rec{{ID: 9}}, items)
	assert.Empty(t, bad)
}

// TestReadListLimits: the body limit, the structures' budget and the record
// cap each fail the page with ErrTooLarge.
func TestReadListLimits(t *testing.T) {
	_, _, err := readList(t, `[{"id":1,"name":"`+strings.Repeat("x", 2000)+`"}]`, 1<<10)
	assert.ErrorIs(t, err, ErrTooLarge, "body")
	_, _, err = readList(t, `[{"tags":[`+strings.Repeat(`{},`, 300)+`{}]}]`, 1<<10)
	assert.ErrorIs(t, err, ErrTooLarge, "budget")
	_, _, err = readList(t, `[`+strings.Repeat(`1,`, MaxRecords)+`1]`, 1<<20)
	assert.ErrorIs(t, err, ErrTooLarge, "records")
}
