package razorpay

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistrationLinkCreate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/subscription_registration/auth_links", "invoice/registration_link.json")

	inv, err := c.RegistrationLink.Create(mockCtx(t), &RegistrationLinkCreateParams{
		Customer: RegistrationLinkCustomer{
			Name:    "Gaurav Kumar",
			Email:   "gaurav.kumar@example.com",
			Contact: "+919876543210",
		},
		Amount:      100,
		Currency:    "INR",
		Description: "Gold plan monthly mandate",
		SubscriptionRegistration: SubscriptionRegistration{
			MaxAmount: 5000000,
			ExpireAt:  1899993600,
			Frequency: FrequencyMonthly,
		},
		SMSNotify:   Ptr(true),
		EmailNotify: Ptr(false),
		ExpireBy:    1711929600,
		Receipt:     "reg-cust42-2024-03",
		Notes:       Notes{"plan": "gold-monthly"},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/subscription_registration/auth_links")
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "type", "customer", "amount", "currency", "description", "subscription_registration",
		"sms_notify", "email_notify", "expire_by", "receipt", "notes")
	assertReqString(t, body, "type", "link")
	assertReqInt(t, body, "amount", 100)
	assertReqString(t, body, "currency", "INR")
	assertReqString(t, body, "description", "Gold plan monthly mandate")
	assertReqBool(t, body, "sms_notify", true)
	assertReqBool(t, body, "email_notify", false)
	assertReqInt(t, body, "expire_by", 1711929600)
	assertReqString(t, body, "receipt", "reg-cust42-2024-03")
	assertReqString(t, assertReqObject(t, body, "notes"), "plan", "gold-monthly")

	customer := assertReqObject(t, body, "customer")
	assertReqKeys(t, customer, "name", "email", "contact")
	assertReqString(t, customer, "name", "Gaurav Kumar")
	assertReqString(t, customer, "email", "gaurav.kumar@example.com")
	assertReqString(t, customer, "contact", "+919876543210")

	sr := assertReqObject(t, body, "subscription_registration")
	assertReqKeys(t, sr, "method", "max_amount", "expire_at", "frequency")
	assertReqString(t, sr, "method", "card") // defaulted by the SDK
	assertReqInt(t, sr, "max_amount", 5000000)
	assertReqInt(t, sr, "expire_at", 1899993600)
	assertReqString(t, sr, "frequency", "monthly")

	assert.Equal(t, "inv_Nq5Xd8ZiL3tMgH", inv.ID)
	assert.Equal(t, "invoice", inv.Entity)
	assert.Equal(t, InvoiceTypeLink, inv.Type)
	assert.Equal(t, InvoiceStatusIssued, inv.Status)
	assert.Equal(t, "https://rzp.io/i/Xk2PqL9", inv.ShortURL)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", inv.CustomerID)
	assert.Equal(t, "order_Nq3Zb5VtK8pLwE", inv.OrderID)
	assert.Equal(t, "", inv.PaymentID)
	assert.Equal(t, NotificationStatusPending, inv.SMSStatus)
	assert.Equal(t, NotificationStatusPending, inv.EmailStatus)
	assert.Equal(t, int64(100), inv.Amount)
	assert.Equal(t, int64(100), inv.AmountDue)
	assert.Equal(t, "₹", inv.CurrencySymbol)
	assert.Equal(t, "issued", inv.AuthLinkStatus)
	assert.Empty(t, inv.LineItems)
	require.NotNil(t, inv.Token)
	assert.Equal(t, int64(5000000), inv.Token.MaxAmount)
	assert.Equal(t, FrequencyMonthly, inv.Token.Frequency)
	assert.Equal(t, "Gaurav Kumar", inv.CustomerDetails.Name)
}

func TestRegistrationLinkCreateMinimal(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/subscription_registration/auth_links", "invoice/registration_link.json")

	_, err := c.RegistrationLink.Create(mockCtx(t), &RegistrationLinkCreateParams{
		Customer:    RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:      100,
		Currency:    "INR",
		Description: "Gold plan monthly mandate",
		SubscriptionRegistration: SubscriptionRegistration{
			Method:    "card",
			MaxAmount: 100,
			Frequency: FrequencyAsPresented,
		},
	})
	require.NoError(t, err)

	body := assertReqJSON(t, rec.Only(t))
	assertReqKeys(t, body, "type", "customer", "amount", "currency", "description", "subscription_registration")
	assertReqKeys(t, assertReqObject(t, body, "customer"), "name", "email")
	sr := assertReqObject(t, body, "subscription_registration")
	assertReqKeys(t, sr, "method", "max_amount", "frequency")
	assertReqInt(t, sr, "max_amount", 100)
	assertReqString(t, sr, "frequency", "as_presented")
}

func TestRegistrationLinkCreateIsSentOnce(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/subscription_registration/auth_links", 502, mockFixture(t, "errors/bad_gateway.html"))

	inv, err := c.RegistrationLink.Create(mockCtx(t), &RegistrationLinkCreateParams{
		Customer:                 RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:                   100,
		Currency:                 "INR",
		Description:              "Gold plan monthly mandate",
		SubscriptionRegistration: SubscriptionRegistration{MaxAmount: 100, Frequency: FrequencyMonthly},
	})
	require.Error(t, err)
	assert.Nil(t, inv)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Len(t, rec.Calls(), 1)
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
			ExpireBy:                 expireBy, Receipt: receipt, Notes: mockNotesOf(notes),
		}
		if mockValidate(t, p, (*RegistrationLinkCreateParams).Validate) != nil {
			return
		}
		assertRuleRequired(t, name, "customer.name")
		assertRuleRequired(t, email, "customer.email")
		assertRuleEmail(t, email)
		assertRuleContact(t, contact)
		assertRuleAmount(t, amount, "amount")
		assertRuleCurrency(t, currency)
		assertRuleRequired(t, description, "description")
		assert.True(t, maxAmount >= 100 && maxAmount <= 100_000_000, "subscription_registration.max_amount %d", maxAmount)
		assert.GreaterOrEqual(t, expireAt, int64(0))
		assertRuleFrequency(t, Frequency(frequency))
		assert.GreaterOrEqual(t, expireBy, int64(0))
		assertRuleReceipt(t, receipt)
		assertRuleNotes(t, p.Notes)
	})
}

func TestValidateRegistrationLinkCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *RegistrationLinkCreateParams)
		field  string
	}{
		{name: "valid", mutate: func(*RegistrationLinkCreateParams) {}},
		{name: "customer name empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Name = "" }, field: "customer.name"},
		{name: "customer name blank", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Name = " \t" }, field: "customer.name"},
		{name: "customer email empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Email = "" }, field: "customer.email"},
		{name: "customer email invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Email = "gaurav" }, field: "customer.email"},
		{name: "customer contact invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Contact = "12345" }, field: "customer.contact"},
		{name: "customer contact empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Contact = "" }},
		{name: "amount 0", mutate: func(p *RegistrationLinkCreateParams) { p.Amount = 0 }, field: "amount"},
		{name: "amount negative", mutate: func(p *RegistrationLinkCreateParams) { p.Amount = -1 }, field: "amount"},
		{name: "currency invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Currency = "Rs." }, field: "currency"},
		{name: "description empty", mutate: func(p *RegistrationLinkCreateParams) { p.Description = "" }, field: "description"},
		{name: "max_amount 99", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 99 }, field: "subscription_registration.max_amount"},
		{name: "max_amount 100", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100 }},
		{name: "max_amount above the order limit", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 1500001 }},
		{name: "max_amount 100000000", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100000000 }},
		{name: "max_amount 100000001", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100000001 }, field: "subscription_registration.max_amount"},
		{name: "expire_at negative", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.ExpireAt = -1 }, field: "subscription_registration.expire_at"},
		{name: "frequency empty", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = "" }, field: "subscription_registration.frequency"},
		{name: "frequency unknown", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = "fortnightly" }, field: "subscription_registration.frequency"},
		{name: "frequency yearly", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = FrequencyYearly }},
		{name: "expire_by negative", mutate: func(p *RegistrationLinkCreateParams) { p.ExpireBy = -1 }, field: "expire_by"},
		{name: "receipt of 41", mutate: func(p *RegistrationLinkCreateParams) { p.Receipt = strings.Repeat("r", 41) }, field: "receipt"},
		{name: "receipt of 40", mutate: func(p *RegistrationLinkCreateParams) { p.Receipt = strings.Repeat("r", 40) }},
		{name: "16 notes", mutate: func(p *RegistrationLinkCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *RegistrationLinkCreateParams) { p.Notes = Notes{"plan": strings.Repeat("v", 257)} }, field: "notes.plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &RegistrationLinkCreateParams{
				Customer:                 RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210"},
				Amount:                   100,
				Currency:                 "INR",
				Description:              "Gold plan monthly mandate",
				SubscriptionRegistration: SubscriptionRegistration{MaxAmount: 5000000, Frequency: FrequencyMonthly},
			}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/subscription_registration/auth_links", "invoice/registration_link.json", p.Validate,
				func(c *Client) error { _, err := c.RegistrationLink.Create(mockCtx(t), p); return err })
		})
	}
}
