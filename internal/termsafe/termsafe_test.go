package termsafe_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/internal/termsafe"
	"github.com/go-coupang/coupang/internal/termsafe/termsafetest"
)

func TestStringEscapesHostileText(t *testing.T) {
	for _, tt := range termsafetest.All {
		t.Run(tt.Name, func(t *testing.T) {
			got := termsafe.String(tt.In)
			assert.Equal(t, tt.Want, got)
			assert.Empty(t, termsafetest.Live(got), "%q", got)
			assert.Empty(t, termsafetest.Live(termsafe.Line(tt.In)), "termsafe.Line(%q)", tt.In)
			assert.Empty(t, termsafetest.Live(termsafe.CSVCell(tt.In)), "termsafe.CSVCell(%q)", tt.In)
		})
	}
}

func TestStringKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"", "Invalid signature.", "교환 접수 received", "C:\\path", "中文 テキスト",
		"👩\u200d💻 family", "tx-1234-abcd", "단순 변심 (change of mind)",
	} {
		assert.Equal(t, s, termsafe.String(s))
	}
}

func TestLine(t *testing.T) {
	assert.Equal(t, `HTTP 401: bad \x1b[2J sig [tx 1]`, termsafe.Line("HTTP 401:\n  bad \x1b[2J\tsig\r\n[tx 1]"))
	assert.Equal(t, "a b", termsafe.Line("a\u0085b"), "NEL is white space: one space")
	assert.Equal(t, `a \u202eb`, termsafe.Line("a \u202eb"))
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+SUM(1,1)", "'+SUM(1,1)"},
		{"-2+3", "'-2+3"},
		{"@cmd", "'@cmd"},
		{" =1+1", "' =1+1"},
		{"  @cmd", "'  @cmd"},
		{"\t=1+1", `'\t=1+1`},
		{"\r=1+1", `'\r=1+1`},
		{"\n=1+1", `'\n=1+1`},
		{"\r\n -2", `'\r\n -2`},
		{"\u00a0=1", "'\u00a0=1"},
		{"\u3000=1", "'\u3000=1"},
		{"＝1+1", "'＝1+1"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"\x1b[2J=1", `\x1b[2J=1`},
		{"400000001", "400000001"},
		{"2024-03-01T09:00:00+09:00", "2024-03-01T09:00:00+09:00"},
		{"단순 변심", "단순 변심"},
		{"", ""},
		{"   ", "   "},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, termsafe.CSVCell(tt.in), "%q", tt.in)
	}
}

func BenchmarkStringClean(b *testing.B) {
	s := "HTTP 401: Invalid signature. 교환 접수 received [transactionId 0f3c2a8e-5b7d]"
	for b.Loop() {
		_ = termsafe.String(s)
	}
}

func TestJSON(t *testing.T) {
	for _, tt := range termsafetest.All {
		t.Run(tt.Name, func(t *testing.T) {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetIndent("", "  ")
			require.NoError(t, enc.Encode(map[string]string{"message": tt.In}))
			got := termsafe.JSON(b.Bytes())
			assert.Empty(t, termsafetest.Live(string(got), '\n'), "%s", got)
			var back map[string]string
			require.NoError(t, json.Unmarshal(got, &back), "%s", got)
			want := strings.ToValidUTF8(tt.In, "\ufffd")
			assert.Equal(t, want, back["message"], "the same string decodes")
		})
	}
	plain := []byte(`{"a":"교환 접수"}` + "\n")
	assert.Equal(t, plain, termsafe.JSON(plain))
}
