package razorpay

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzMaskDigits: after masking, no run of 12 or more digits (single spaces
// or dashes between groups) is left; the text keeps its length, and every
// byte that is not a hidden digit is kept; masking twice changes nothing.
func FuzzMaskDigits(f *testing.F) {
	for _, s := range []string{"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "123456789012",
		"12345678901", "a 4111 1111 1111 1111-", "1 2 3 4 5 6 7 8 9 0 1 2", "4111  1111 1111 1111", "₹4111111111111111₹", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := maskDigits(s)
		if len(m) != len(s) {
			t.Fatalf("maskDigits(%q) = %q: length changed", s, m)
		}
		for i := 0; i < len(s); i++ {
			if m[i] != s[i] && !(isDigit(s[i]) && m[i] == 'X') {
				t.Fatalf("maskDigits(%q) = %q: byte %d changed to %q", s, m, i, m[i])
			}
		}
		if mockUnmaskedRun(m) {
			t.Fatalf("maskDigits(%q) = %q: a card-number-like run is left", s, m)
		}
		if maskDigits(m) != m {
			t.Fatalf("maskDigits is not idempotent on %q", s)
		}
		if !mockUnmaskedRun(s) && m != s {
			t.Fatalf("maskDigits(%q) = %q: nothing to mask, yet changed", s, m)
		}
	})
}

// TestMaskDigits: card numbers with or without separators, and runs of
// exactly 12 digits, keep only their last four digits.
func TestMaskDigits(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"4111111111111111", "XXXXXXXXXXXX1111"},
		{"card 4111 1111 1111 1111 declined", "card XXXX XXXX XXXX 1111 declined"},
		{"card 4111-1111-1111-1111.", "card XXXX-XXXX-XXXX-1111."},
		{"amex 3782 822463 10005", "amex XXXX XXXXXX X0005"},
		{"123456789012", "XXXXXXXX9012"},
		{"12345678901", "12345678901"},
		{"1234 5678 901", "1234 5678 901"},
		{"4111  1111 1111 1111", "4111  XXXX XXXX 1111"}, // two spaces end a run
		{"4111111111111111111", "XXXXXXXXXXXXXXX1111"},
		{"id pay_4111111111111111 x", "id pay_XXXXXXXXXXXX1111 x"},
		{"ends with 4111 1111 1111 1111-", "ends with XXXX XXXX XXXX 1111-"},
		{"", ""},
		{"no digits", "no digits"},
		{"₹ 4111 1111 1111 1111 ₹", "₹ XXXX XXXX XXXX 1111 ₹"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, maskDigits(tt.in), "maskDigits(%q)", tt.in)
	}
}
