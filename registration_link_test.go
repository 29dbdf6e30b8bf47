package razorpay

import (
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
