package razorpay

// Issue 5, bad input: fuzz targets for the Validate method of every params
// type. Whatever the input, Validate never panics, returns nil or a
// *ValidationError, does not change the params, and gives the same answer
// twice; when it returns nil, the params satisfy the documented rules,
// checked here independently of validate.go; and a ValidationError of
// CardReferenceParams never contains its card number. Seeds are in
// testdata/fuzz/<target>/.
//
// Every helper here is prefixed with rel.

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relCard is the card number the fuzz targets watch for.
const relCard = "4111111111111111"

// relNotes builds notes from "key=value" lines; "" is no notes.
func relNotes(s string) Notes {
	if s == "" {
		return nil
	}
	n := Notes{}
	for _, line := range strings.Split(s, "\n") {
		k, v, _ := strings.Cut(line, "=")
		n[k] = v
	}
	return n
}

// relValidate runs validate on p and checks what holds for every input: no
// panic, nil or a *ValidationError that matches ErrInvalidParams with a
// field and a message, the same answer twice, and p unchanged.
func relValidate[P any](t *testing.T, p *P, validate func(*P) error) error {
	t.Helper()
	before, err := json.Marshal(p)
	require.NoError(t, err)
	verr := validate(p)
	again := validate(p)
	after, err := json.Marshal(p)
	require.NoError(t, err)
	require.Equal(t, string(before), string(after), "Validate changed the params")
	if verr == nil {
		require.NoError(t, again, "Validate is not deterministic")
		return nil
	}
	require.Error(t, again, "Validate is not deterministic")
	require.Equal(t, verr.Error(), again.Error(), "Validate is not deterministic")
	var ve *ValidationError
	require.ErrorAs(t, verr, &ve)
	require.ErrorIs(t, verr, ErrInvalidParams)
	require.NotEmpty(t, ve.Field)
	require.NotEmpty(t, ve.Message)
	require.True(t, strings.HasPrefix(verr.Error(), "razorpay: invalid params: "+ve.Field+": "), verr.Error())
	return verr
}

// The documented rules, checked independently.

func relRunes(s string) int { return utf8.RuneCountInString(s) }

func relRequired(t *testing.T, s, field string) {
	t.Helper()
	assert.NotEmpty(t, strings.TrimSpace(s), "%s is required", field)
}

func relAmount(t *testing.T, n int64, field string) {
	t.Helper()
	assert.Positive(t, n, "%s must be positive", field)
}

func relCurrency(t *testing.T, s string) {
	t.Helper()
	ok := len(s) == 3
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] >= 'A' && s[i] <= 'Z'
	}
	assert.True(t, ok, "currency %q is not three upper-case letters", s)
}

func relReceipt(t *testing.T, s string) {
	t.Helper()
	assert.LessOrEqual(t, relRunes(s), MaxReceiptLength, "receipt %q", s)
	assert.True(t, utf8.ValidString(s), "receipt %q is not UTF-8", s)
	for _, r := range s {
		assert.False(t, r < ' ' || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029, "receipt %q has control character %U", s, r)
	}
}

// relID checks an id against ^[A-Za-z0-9_-]{1,64}$.
func relID(t *testing.T, s, field string) {
	t.Helper()
	assert.True(t, len(s) >= 1 && len(s) <= 64, "%s %q: 1 to 64 characters", field, s)
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		assert.True(t, ok, "%s %q has %q", field, s, c)
	}
}

func relNotesOK(t *testing.T, n Notes) {
	t.Helper()
	assert.LessOrEqual(t, len(n), 15, "notes hold at most 15 pairs")
	for k, v := range n {
		assert.NotEmpty(t, k, "note keys are not empty")
		assert.LessOrEqual(t, relRunes(k), 256, "note key %q", k)
		assert.LessOrEqual(t, relRunes(v), 256, "note value of %q", k)
	}
}

// relEmail: a plausible address of at most 64 characters: something, "@",
// something, and no white space.
func relEmail(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	assert.LessOrEqual(t, relRunes(s), 64, "email %q", s)
	at := strings.IndexByte(s, '@')
	assert.True(t, at > 0 && at < len(s)-1, "email %q has no local part or domain", s)
	assert.False(t, strings.ContainsAny(s, " \t\r\n"), "email %q has white space", s)
}

// relContact: a phone number of 8 to 15 characters with its country code:
// digits, at least 8 of them, with "+" only first, and spaces or dashes.
func relContact(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	assert.LessOrEqual(t, len(s), 15, "contact %q", s)
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+':
			assert.Zero(t, i, "contact %q has + inside", s)
		default:
			assert.True(t, r == ' ' || r == '-', "contact %q has %q", s, r)
		}
	}
	assert.GreaterOrEqual(t, digits, 8, "contact %q", s)
}

func relFrequency(t *testing.T, f Frequency) {
	t.Helper()
	assert.Contains(t, []Frequency{FrequencyWeekly, FrequencyMonthly, FrequencyYearly, FrequencyAsPresented}, f)
}

func relListOK(t *testing.T, p ListParams) {
	t.Helper()
	assert.True(t, p.Count >= 0 && p.Count <= 100, "count %d", p.Count)
	assert.GreaterOrEqual(t, p.Skip, 0)
	assert.GreaterOrEqual(t, p.From, int64(0))
	assert.GreaterOrEqual(t, p.To, int64(0))
	if p.From != 0 && p.To != 0 {
		assert.LessOrEqual(t, p.From, p.To)
	}
}

func FuzzValidateCustomerCreateParams(f *testing.F) {
	f.Add("Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210", "29ABCDE1234F2Z5", "plan=gold")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, email, contact, gstin, notes string) {
		t.Parallel()
		p := &CustomerCreateParams{Name: name, Email: email, Contact: contact, GSTIN: gstin, Notes: relNotes(notes)}
		if relValidate(t, p, (*CustomerCreateParams).Validate) != nil {
			return
		}
		assert.True(t, name != "" || email != "" || contact != "", "one of name, email and contact")
		if name != "" {
			assert.True(t, relRunes(name) >= 3 && relRunes(name) <= 50, "name %q", name)
		}
		relEmail(t, email)
		relContact(t, contact)
		assert.LessOrEqual(t, relRunes(gstin), 15)
		relNotesOK(t, p.Notes)
	})
}

func FuzzValidateOrderCreateParams(f *testing.F) {
	f.Add(int64(49900), "INR", "sub_42-2026-11", "", "plan=gold", false, int64(0), int64(0), "", false, "", int64(0))
	f.Add(int64(100), "INR", "", "cust_1", "", true, int64(1500000), int64(0), "monthly", true, "token_1", int64(1764064800))
	f.Fuzz(func(t *testing.T, amount int64, currency, receipt, customerID, notes string,
		hasToken bool, maxAmount, expireAt int64, frequency string, hasNotification bool, notifyToken string, paymentAfter int64) {
		t.Parallel()
		p := &OrderCreateParams{Amount: amount, Currency: currency, Receipt: receipt, CustomerID: customerID, Notes: relNotes(notes)}
		if hasToken {
			p.Token = &OrderTokenParams{MaxAmount: maxAmount, ExpireAt: expireAt, Frequency: Frequency(frequency)}
		}
		if hasNotification {
			p.Notification = &OrderNotificationParams{TokenID: notifyToken, PaymentAfter: paymentAfter}
		}
		if relValidate(t, p, (*OrderCreateParams).Validate) != nil {
			return
		}
		assert.GreaterOrEqual(t, amount, int64(MinAmount), "amount")
		relCurrency(t, currency)
		relReceipt(t, receipt)
		relNotesOK(t, p.Notes)
		if hasToken {
			assert.True(t, maxAmount >= 100 && maxAmount <= 1_500_000, "token.max_amount %d", maxAmount)
			assert.GreaterOrEqual(t, expireAt, int64(0))
			relFrequency(t, Frequency(frequency))
			relRequired(t, customerID, "customer_id")
		}
		if hasNotification {
			relRequired(t, notifyToken, "notification.token_id")
			assert.GreaterOrEqual(t, paymentAfter, int64(0))
		}
	})
}

func FuzzValidateRegistrationLinkCreateParams(f *testing.F) {
	f.Add("Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210", int64(100), "INR", "Monthly plan", int64(500000), int64(0), "monthly", int64(0), "", "")
	f.Fuzz(func(t *testing.T, name, email, contact string, amount int64, currency, description string,
		maxAmount, expireAt int64, frequency string, expireBy int64, receipt, notes string) {
		t.Parallel()
		p := &RegistrationLinkCreateParams{
			Customer: RegistrationLinkCustomer{Name: name, Email: email, Contact: contact},
			Amount:   amount, Currency: currency, Description: description,
			SubscriptionRegistration: SubscriptionRegistration{MaxAmount: maxAmount, ExpireAt: expireAt, Frequency: Frequency(frequency)},
			ExpireBy:                 expireBy, Receipt: receipt, Notes: relNotes(notes),
		}
		if relValidate(t, p, (*RegistrationLinkCreateParams).Validate) != nil {
			return
		}
		relRequired(t, name, "customer.name")
		relRequired(t, email, "customer.email")
		relEmail(t, email)
		relContact(t, contact)
		relAmount(t, amount, "amount")
		relCurrency(t, currency)
		relRequired(t, description, "description")
		assert.True(t, maxAmount >= 100 && maxAmount <= 100_000_000, "subscription_registration.max_amount %d", maxAmount)
		assert.GreaterOrEqual(t, expireAt, int64(0))
		relFrequency(t, Frequency(frequency))
		assert.GreaterOrEqual(t, expireBy, int64(0))
		relReceipt(t, receipt)
		relNotesOK(t, p.Notes)
	})
}

func FuzzValidateRecurringPaymentParams(f *testing.F) {
	f.Add("gaurav.kumar@example.com", "+919876543210", int64(49900), "INR", "order_1", "cust_1", "token_1", "Nov", "plan=gold")
	f.Fuzz(func(t *testing.T, email, contact string, amount int64, currency, orderID, customerID, tokenID, description, notes string) {
		t.Parallel()
		p := &RecurringPaymentParams{
			Email: email, Contact: contact, Amount: amount, Currency: currency,
			OrderID: orderID, CustomerID: customerID, TokenID: tokenID, Description: description, Notes: relNotes(notes),
		}
		if relValidate(t, p, (*RecurringPaymentParams).Validate) != nil {
			return
		}
		relRequired(t, email, "email")
		relEmail(t, email)
		relRequired(t, contact, "contact")
		relContact(t, contact)
		relAmount(t, amount, "amount")
		relCurrency(t, currency)
		relID(t, orderID, "order_id")
		relID(t, customerID, "customer_id")
		relID(t, tokenID, "token")
		relNotesOK(t, p.Notes)
	})
}

func FuzzValidateCardReferenceParams(f *testing.F) {
	f.Add(relCard, "", false, false)
	f.Add("", "token_1", false, false)
	f.Add(relCard, "token_1", true, true)
	f.Fuzz(func(t *testing.T, number, token string, hasTokenised, tokenised bool) {
		t.Parallel()
		p := &CardReferenceParams{Number: number, Token: token}
		if hasTokenised {
			p.Tokenised = &tokenised
		}
		err := relValidate(t, p, (*CardReferenceParams).Validate)
		if err != nil {
			if len(mockDigitsOnly(number)) >= 8 {
				assert.NotContains(t, err.Error(), number, "a ValidationError shows the card number")
			}
			return
		}
		assert.True(t, (number == "") != (token == ""), "exactly one of number and token")
		if number != "" {
			assert.True(t, len(number) >= 12 && len(number) <= 19, "number of %d bytes", len(number))
			for _, c := range []byte(number) {
				assert.True(t, c >= '0' && c <= '9', "number has %q", c)
			}
		} else {
			assert.Nil(t, p.Tokenised, "tokenised goes with number only")
		}
	})
}

func FuzzValidateListParams(f *testing.F) {
	f.Add(10, 0, int64(0), int64(0))
	f.Add(100, 200, int64(1764000000), int64(1764064800))
	f.Fuzz(func(t *testing.T, count, skip int, from, to int64) {
		t.Parallel()
		p := &ListParams{Count: count, Skip: skip, From: from, To: to}
		if relValidate(t, p, (*ListParams).Validate) != nil {
			return
		}
		relListOK(t, *p)
	})
}

func FuzzValidateInvoiceListParams(f *testing.F) {
	f.Add(10, 0, int64(0), int64(0), "link", "cust_1", "", "")
	f.Fuzz(func(t *testing.T, count, skip int, from, to int64, typ, customerID, paymentID, receipt string) {
		t.Parallel()
		p := &InvoiceListParams{ListParams: ListParams{Count: count, Skip: skip, From: from, To: to},
			Type: InvoiceType(typ), CustomerID: customerID, PaymentID: paymentID, Receipt: receipt}
		if relValidate(t, p, (*InvoiceListParams).Validate) != nil {
			return
		}
		relListOK(t, p.ListParams)
	})
}

func FuzzValidateChargeParams(f *testing.F) {
	f.Add("cust_1", "token_1", int64(49900), "INR", "gaurav.kumar@example.com", "+919876543210", "sub_42-2026-11", "Nov", "", "plan=gold")
	f.Fuzz(func(t *testing.T, customerID, tokenID string, amount int64, currency, email, contact, receipt, description, orderID, notes string) {
		t.Parallel()
		p := &ChargeParams{
			CustomerID: customerID, TokenID: tokenID, Amount: amount, Currency: currency, Email: email, Contact: contact,
			Receipt: receipt, Description: description, OrderID: orderID, Notes: relNotes(notes),
		}
		if relValidate(t, p, (*ChargeParams).Validate) != nil {
			return
		}
		relRequired(t, customerID, "customer_id")
		relRequired(t, tokenID, "token")
		relAmount(t, amount, "amount")
		relCurrency(t, currency)
		relRequired(t, email, "email")
		relEmail(t, email)
		relRequired(t, contact, "contact")
		relContact(t, contact)
		relRequired(t, receipt, "receipt")
		relReceipt(t, receipt)
		relNotesOK(t, p.Notes)
	})
}
