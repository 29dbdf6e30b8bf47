package razorpay

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Fuzz targets of the refusals added by issue 14. Their seed corpora are in
// testdata/fuzz.

// FuzzPathID: pathID accepts exactly ^[A-Za-z0-9_-]{1,64}$, returns an
// accepted id unchanged, and refuses the rest with a *ValidationError naming
// the parameter whose message never echoes a card number.
func FuzzPathID(f *testing.F) {
	for _, s := range []string{"pay_Nq4Wc7YhJ2sKdF", "", ".", "..", "a/b", "%2e%2e", "../../cust_B/tokens/token_B",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "pay_\x00", "pay_é", "4111111111111111/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got, err := pathID("paymentID", id)
		want := len(id) >= 1 && len(id) <= 64 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == ""
		if want {
			if err != nil || got != id {
				t.Fatalf("pathID(%q) = %q, %v; want it accepted as is", id, got, err)
			}
			return
		}
		ve, ok := err.(*ValidationError)
		if !ok || ve.Field != "paymentID" || got != "" {
			t.Fatalf("pathID(%q) = %q, %v; want a *ValidationError for paymentID", id, got, err)
		}
		if hasUnmaskedRun(err.Error()) {
			t.Fatalf("the refusal of %q echoes a card-number-like run: %s", id, err)
		}
	})
}

// FuzzReceipt: the receipt check refuses exactly the receipts that are not
// valid UTF-8, hold a control character or a line separator, or are longer
// than MaxReceiptLength characters.
func FuzzReceipt(f *testing.F) {
	for _, s := range []string{"", "sub_42-2026-11", "r\x00", "r\n", "r\t", "r\x7f", "r\u0085", "r\u2028", "r-\xff",
		strings.Repeat("₹", 40), strings.Repeat("r", 41)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, receipt string) {
		var v validator
		v.receipt(receipt, "receipt")
		bad := !utf8.ValidString(receipt) || utf8.RuneCountInString(receipt) > MaxReceiptLength ||
			strings.ContainsFunc(receipt, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' })
		if bad != (v.err != nil) {
			t.Fatalf("receipt %q: err %v, want refused %v", receipt, v.err, bad)
		}
		if v.err != nil {
			if ve, ok := v.err.(*ValidationError); !ok || ve.Field != "receipt" {
				t.Fatalf("receipt %q: %v is not a *ValidationError for receipt", receipt, v.err)
			}
			if strings.ContainsFunc(v.err.Error(), unicode.IsControl) {
				t.Fatalf("the refusal echoes a control character: %q", v.err.Error())
			}
		}
		o := OrderCreateParams{Amount: MinAmount, Currency: "INR", Receipt: receipt}
		if (o.Validate() != nil) != bad {
			t.Fatalf("OrderCreateParams.Validate with receipt %q: %v", receipt, o.Validate())
		}
	})
}

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
		if hasUnmaskedRun(m) {
			t.Fatalf("maskDigits(%q) = %q: a card-number-like run is left", s, m)
		}
		if maskDigits(m) != m {
			t.Fatalf("maskDigits is not idempotent on %q", s)
		}
		if !hasUnmaskedRun(s) && m != s {
			t.Fatalf("maskDigits(%q) = %q: nothing to mask, yet changed", s, m)
		}
	})
}

// hasUnmaskedRun reports whether s holds 12 or more digits joined by single
// spaces or dashes: an independent, slower statement of maskDigits' rule.
func hasUnmaskedRun(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
			if digits >= 12 {
				return true
			}
		case (s[i] == ' ' || s[i] == '-') && digits > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
		default:
			digits = 0
		}
	}
	return false
}
