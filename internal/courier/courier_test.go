package courier

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWellFormed(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"CJGLS", true},
		{"KDEXP", true},
		{"NEW_COURIER_2", true},
		{strings.Repeat("A", MaxCodeLength), true},
		{strings.Repeat("A", MaxCodeLength+1), false},
		{"", false},
		{"cjgls", false},
		{"CJ GLS", false},
		{"CJ-GLS", false},
		{"ＣＪ", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, WellFormed(tt.code), "%q", tt.code)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"CJGLS", "HANJIN", "HYUNDAI", "EPOST", "EPOST_EMS"}
	for _, tt := range []struct{ in, want string }{
		{"cj", "CJGLS"},
		{"hanjin", "HANJIN"},
		{" Hyundai ", "HYUNDAI"},
		{"epost", "EPOST"},
		{"h", ""},
		{"lotte", ""},
		{"", ""},
	} {
		if got := Suggest(tt.in, known); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
