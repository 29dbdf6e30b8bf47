package razorpay

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits Razorpay documents for request fields.
const (
	// MaxNotes is the most key/value pairs notes may hold.
	MaxNotes = 15
	// MaxNoteLength is the longest a note key or value may be, in characters.
	MaxNoteLength = 256
	// MaxReceiptLength is the longest an order receipt may be, in characters.
	MaxReceiptLength = 40
	// MinAmount is the smallest order amount Razorpay accepts: 100 paise (₹1).
	MinAmount = 100
	// MaxOrderTokenAmount is the largest token.max_amount of an
	// authorization order: 1500000 paise (₹15,000, the RBI limit for
	// recurring card debits without an additional factor of authentication).
	MaxOrderTokenAmount = 1_500_000
	// MaxRegistrationAmount is the largest subscription_registration.max_amount
	// of a registration link: 100000000 paise (₹10,00,000).
	MaxRegistrationAmount = 100_000_000
)

// validator collects the first failed check of a Validate method.
type validator struct{ err error }

// fail records a *ValidationError for field unless an earlier check failed.
// Callers format the message only on failure, so that valid params cost no
// allocation.
func (v *validator) fail(field, message string) {
	if v.err == nil {
		v.err = &ValidationError{Field: field, Message: message}
	}
}

// check records a *ValidationError for field unless ok.
func (v *validator) check(ok bool, field, message string) {
	if !ok {
		v.fail(field, message)
	}
}

func (v *validator) required(s, field string) {
	v.check(strings.TrimSpace(s) != "", field, "is required")
}

// id checks a required id sent in a body or a path: Razorpay's ids match
// ^[A-Za-z0-9_-]{1,64}$ (see pathID).
func (v *validator) id(s, field string) {
	if v.err == nil && !validID(s) {
		v.fail(field, idMessage(s))
	}
}

// receipt checks an order receipt: at most MaxReceiptLength characters of
// valid UTF-8, without control characters (NUL, tabs, newlines and the
// like) or Unicode line separators, which Razorpay would store mangled or
// refuse, without a space at either end, and without invisible or
// space-like characters other than the plain space (no-break and em
// spaces, zero-width characters, soft hyphens, byte order marks):
// Razorpay's docs do not say whether it trims receipts or matches the
// receipt filter exactly, and such a receipt could be stored as one string
// and looked up as another. The message names the character. An empty
// receipt passes: say where it is required.
func (v *validator) receipt(s, field string) {
	if v.err != nil {
		return
	}
	switch {
	case !utf8.ValidString(s):
		v.fail(field, "must be valid UTF-8")
	case strings.ContainsFunc(s, isReceiptControl):
		v.fail(field, "must not contain control characters such as NUL, tabs or newlines")
	case s != "" && (s[0] == ' ' || s[len(s)-1] == ' '):
		v.fail(field, "must not start or end with a space")
	default:
		if i := strings.IndexFunc(s, isReceiptInvisible); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			v.fail(field, fmt.Sprintf("must not contain %s: only the plain space may separate words", runeName(r)))
			return
		}
		v.maxLen(s, MaxReceiptLength, field)
	}
}

func isReceiptControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// isReceiptInvisible reports the characters a receipt must not hold besides
// controls: every space but U+0020, and the invisible format characters
// (zero-width spaces and joiners, the soft hyphen, the byte order mark,
// bidirectional marks).
func isReceiptInvisible(r rune) bool {
	return r != ' ' && (unicode.IsSpace(r) || unicode.In(r, unicode.Zs, unicode.Cf) || r == '\u180e')
}

// runeName names r for a validation message: its code point, and its name
// when it is a common one.
func runeName(r rune) string {
	name := ""
	switch r {
	case '\u00a0':
		name = " (no-break space)"
	case '\u00ad':
		name = " (soft hyphen)"
	case '\u2003':
		name = " (em space)"
	case '\u200b':
		name = " (zero-width space)"
	case '\u202f':
		name = " (narrow no-break space)"
	case '\u3000':
		name = " (ideographic space)"
	case '\ufeff':
		name = " (byte order mark)"
	}
	return fmt.Sprintf("U+%04X%s", r, name)
}

// minAmount checks an amount of at least MinAmount paise.
func (v *validator) minAmount(n int64, field string) {
	if n < MinAmount {
		v.fail(field, fmt.Sprintf("must be at least %d paise (₹1), Razorpay's minimum, got %d", MinAmount, n))
	}
}

func (v *validator) amount(n int64, field string) {
	if n <= 0 {
		v.fail(field, fmt.Sprintf("must be a positive amount in the smallest currency unit (paise), got %d", n))
	}
}

// between checks that n is within [lo, hi] paise.
func (v *validator) between(n, lo, hi int64, field string) {
	if n < lo || n > hi {
		v.fail(field, fmt.Sprintf("must be between %d and %d paise, got %d", lo, hi, n))
	}
}

func (v *validator) currency(s, field string) {
	ok := len(s) == 3
	for i := 0; ok && i < 3; i++ {
		ok = s[i] >= 'A' && s[i] <= 'Z'
	}
	if !ok {
		v.fail(field, fmt.Sprintf("must be a three-letter ISO code in upper case, such as INR, got %.20q", s))
	}
}

func (v *validator) maxLen(s string, n int, field string) {
	if tooLong(s, n) {
		v.fail(field, fmt.Sprintf("must be at most %d characters", n))
	}
}

func (v *validator) notes(n Notes, field string) {
	if v.err != nil {
		return
	}
	if len(n) > MaxNotes {
		v.fail(field, fmt.Sprintf("must hold at most %d pairs, got %d", MaxNotes, len(n)))
		return
	}
	valid := true
	for k, val := range n {
		valid = valid && k != "" && !tooLong(k, MaxNoteLength) && !tooLong(val, MaxNoteLength)
	}
	if valid {
		return
	}
	// Report the first bad pair in key order, so that the error is the same
	// on every run.
	for _, k := range slices.Sorted(maps.Keys(n)) {
		switch {
		case k == "":
			v.fail(field, "keys must not be empty")
		case tooLong(k, MaxNoteLength):
			v.fail(field, fmt.Sprintf("key %.20q… is longer than %d characters", k, MaxNoteLength))
		default:
			v.maxLen(n[k], MaxNoteLength, field+"."+k)
		}
	}
}

// tooLong reports whether s has more than n characters.
func tooLong(s string, n int) bool {
	return len(s) > n && utf8.RuneCountInString(s) > n
}

func (v *validator) frequency(f Frequency, field string) {
	switch f {
	case FrequencyWeekly, FrequencyMonthly, FrequencyYearly, FrequencyAsPresented:
		return
	case "":
		v.check(false, field, "is required: weekly, monthly, yearly or as_presented")
	default:
		v.check(false, field, fmt.Sprintf("must be weekly, monthly, yearly or as_presented, got %.20q", string(f)))
	}
}

func (v *validator) email(s, field string) {
	if s == "" {
		return
	}
	v.maxLen(s, 64, field)
	at := strings.IndexByte(s, '@')
	v.check(at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n"), field, "must be an email address")
}

func (v *validator) contact(s, field string) {
	if s == "" {
		return
	}
	digits := 0
	ok := true
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-':
		default:
			ok = false
		}
	}
	v.check(ok && digits >= 8 && len(s) <= 15, field, "must be a phone number of 8 to 15 characters with its country code, such as +919876543210")
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
