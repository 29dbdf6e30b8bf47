package razorpaytest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestCardFlow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)

	cust := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	assert.Regexp(t, `^cust_[0-9A-Za-z]{14}$`, cust.ID)
	assert.Equal(t, "customer", cust.Entity)
	assert.NotZero(t, cust.CreatedAt)

	auth := createAuthOrder(t, c, cust.ID, 500000)
	assert.Regexp(t, `^order_[0-9A-Za-z]{14}$`, auth.ID)
	assert.Equal(t, razorpay.OrderStatusCreated, auth.Status)
	assert.Equal(t, int64(100), auth.AmountDue)
	require.NotNil(t, auth.Token)
	assert.Equal(t, int64(500000), auth.Token.MaxAmount)
	assert.Equal(t, razorpay.FrequencyMonthly, auth.Token.Frequency)

	// The card holder approves the mandate at Checkout.
	authPay, err := srv.CompleteAuthorization(auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, authPay.Status)
	require.NotEmpty(t, authPay.TokenID)

	got, err := c.Order.Fetch(ctx, auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusPaid, got.Status)
	assert.Equal(t, int64(100), got.AmountPaid)
	assert.Zero(t, got.AmountDue)
	assert.Equal(t, "confirmed", got.Token.RecurringStatus)

	// token.fetch(paymentId)
	byPay, err := c.Token.FetchByPayment(ctx, authPay.ID)
	require.NoError(t, err)
	assert.Equal(t, authPay.TokenID, byPay.TokenID)
	assert.Equal(t, cust.ID, byPay.CustomerID)
	assert.Equal(t, auth.ID, byPay.OrderID)

	// token.all
	tokens, err := c.Token.List(ctx, cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	tok := tokens.Items[0]
	assert.Equal(t, authPay.TokenID, tok.ID)
	assert.True(t, tok.Chargeable())
	assert.True(t, tok.Recurring)
	assert.Equal(t, razorpay.TokenRecurringStatusConfirmed, tok.RecurringDetails.Status)
	assert.Equal(t, int64(500000), tok.MaxAmount)
	require.NotNil(t, tok.Card)
	assert.Equal(t, "1111", tok.Card.Last4)
	assert.Equal(t, "Visa", tok.Card.Network)
	assert.Equal(t, 12, tok.Card.ExpiryMonth)
	assert.NotZero(t, tok.Card.ExpiryYear)
	require.NotNil(t, tok.Card.Flows)
	assert.True(t, tok.Card.Flows.Recurring)
	assert.Empty(t, tok.Notes)

	fetched, err := c.Token.Fetch(ctx, cust.ID, tok.ID)
	require.NoError(t, err)
	assert.Equal(t, tok.ID, fetched.ID)

	// A charge: a new order, then the recurring payment.
	charge, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "sub_42-2026-11", PaymentCapture: razorpay.Ptr(true)})
	require.NoError(t, err)
	rp, err := c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Amount: 49900, Currency: "INR",
		OrderID: charge.ID, CustomerID: cust.ID, TokenID: tok.ID, Description: "November",
		Notes: razorpay.Notes{"plan": "gold"},
	})
	require.NoError(t, err)
	assert.Regexp(t, `^pay_[0-9A-Za-z]{14}$`, rp.PaymentID)
	assert.Equal(t, charge.ID, rp.OrderID)
	require.NoError(t, razorpay.VerifyPaymentSignature(charge.ID, rp.PaymentID, rp.Signature, razorpaytest.KeySecret))
	assert.Equal(t, razorpaytest.SignPayment(charge.ID, rp.PaymentID, razorpaytest.KeySecret), rp.Signature)

	pay, err := c.Payment.Fetch(ctx, rp.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, pay.Status)
	assert.True(t, pay.Captured)
	assert.Equal(t, int64(49900), pay.Amount)
	assert.Equal(t, razorpay.PaymentMethodCard, pay.Method)
	assert.Equal(t, tok.ID, pay.TokenID)
	assert.Equal(t, cust.ID, pay.CustomerID)
	assert.Equal(t, charge.ID, pay.OrderID)
	assert.Equal(t, "gaurav.kumar@example.com", pay.Email)
	assert.Equal(t, "+919876543210", pay.Contact)
	assert.Equal(t, "gold", pay.Notes["plan"])
	assert.Equal(t, "November", pay.Description)
	assert.NotZero(t, pay.Fee)
	assert.Nil(t, pay.Card, "card is embedded only with expand[]=card")
	require.NotEmpty(t, pay.CardID)

	paid, err := c.Order.Fetch(ctx, charge.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusPaid, paid.Status)
	assert.Equal(t, 1, paid.Attempts)

	payments, err := c.Order.Payments(ctx, charge.ID)
	require.NoError(t, err)
	require.Len(t, payments.Items, 1)
	assert.Equal(t, rp.PaymentID, payments.Items[0].ID)
	assert.Len(t, srv.OrderPayments(charge.ID), 1)

	// card.fetch and the card of a payment
	card, err := c.Card.Fetch(ctx, pay.CardID)
	require.NoError(t, err)
	assert.Equal(t, pay.CardID, card.ID)
	assert.Equal(t, "1111", card.Last4)
	assert.Equal(t, "Visa", card.Network)
	payCard, err := c.Payment.FetchCard(ctx, pay.ID)
	require.NoError(t, err)
	assert.Equal(t, card.ID, payCard.ID)

	// card.requestCardReference, by token and by number: the same card.
	byToken, err := c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: tok.ID})
	require.NoError(t, err)
	assert.Equal(t, "Visa", byToken.Provider)
	assert.Len(t, byToken.PaymentAccountReference, 29)
	byNumber, err := c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: razorpaytest.DefaultCardNumber})
	require.NoError(t, err)
	assert.Equal(t, "Visa", byNumber.Network)
	assert.Equal(t, byToken.PaymentAccountReference, byNumber.PaymentAccountReference)

	// token.delete
	require.NoError(t, c.Token.Delete(ctx, cust.ID, tok.ID))
	tokens, err = c.Token.List(ctx, cust.ID)
	require.NoError(t, err)
	assert.Empty(t, tokens.Items)
	_, err = c.Token.Fetch(ctx, cust.ID, tok.ID)
	requireAPIError(t, err, 400, "The id provided does not exist", "")

	// Another charge with the deleted token fails.
	again := (&fixture{c: c, cust: cust, tokenID: tok.ID})
	o2, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", PaymentCapture: razorpay.Ptr(true)})
	require.NoError(t, err)
	_, err = c.Payment.CreateRecurring(ctx, again.recurring(o2.ID, 49900))
	requireAPIError(t, err, 400, "The id provided does not exist", "token")
}

func TestChargeThroughSDK(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p, err := f.c.Payment.Charge(context.Background(), &razorpay.ChargeParams{
		CustomerID: f.cust.ID, TokenID: f.tokenID, Amount: 29900, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Receipt: "sub_7-2026-12",
	})
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)
	assert.Equal(t, int64(29900), p.Amount)
}

func TestRegistrationLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	params := func(receipt string) *razorpay.RegistrationLinkCreateParams {
		return &razorpay.RegistrationLinkCreateParams{
			Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210"},
			Amount:   100, Currency: "INR", Description: "Gold plan mandate", Receipt: receipt,
			SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 5000000, Frequency: razorpay.FrequencyMonthly},
		}
	}

	t.Run("create, notify, cancel", func(t *testing.T) {
		t.Parallel()
		srv, c := newFake(t)
		inv, err := c.RegistrationLink.Create(ctx, params("rcpt-1"))
		require.NoError(t, err)
		assert.Regexp(t, `^inv_[0-9A-Za-z]{14}$`, inv.ID)
		assert.Equal(t, "invoice", inv.Entity)
		assert.Equal(t, razorpay.InvoiceTypeLink, inv.Type)
		assert.Equal(t, razorpay.InvoiceStatusIssued, inv.Status)
		assert.Equal(t, srv.URL+"/i/"+inv.ID, inv.ShortURL)
		assert.Equal(t, razorpay.NotificationStatusPending, inv.SMSStatus)
		assert.Equal(t, razorpay.NotificationStatusPending, inv.EmailStatus)
		assert.Empty(t, inv.LineItems)
		assert.Empty(t, inv.PaymentID)
		assert.Equal(t, "Gaurav Kumar", inv.CustomerDetails.Name)
		assert.Equal(t, inv.CustomerID, inv.CustomerDetails.ID)
		assert.Equal(t, "rcpt-1", inv.Receipt)
		require.NotNil(t, inv.Token)
		assert.Equal(t, int64(5000000), inv.Token.MaxAmount)

		// The link created the customer and the authorization order.
		cust, err := c.Customer.Fetch(ctx, inv.CustomerID)
		require.NoError(t, err)
		assert.Equal(t, "gaurav.kumar@example.com", cust.Email)
		o, err := c.Order.Fetch(ctx, inv.OrderID)
		require.NoError(t, err)
		assert.Equal(t, cust.ID, o.CustomerID)
		assert.Equal(t, int64(5000000), o.Token.MaxAmount)

		// A second link reuses the customer.
		inv2, err := c.RegistrationLink.Create(ctx, params("rcpt-2"))
		require.NoError(t, err)
		assert.Equal(t, inv.CustomerID, inv2.CustomerID)

		require.NoError(t, c.Invoice.NotifyBy(ctx, inv.ID, razorpay.NotifyMediumSMS))
		require.NoError(t, c.Invoice.NotifyBy(ctx, inv.ID, razorpay.NotifyMediumEmail))
		got, err := c.Invoice.Fetch(ctx, inv.ID)
		require.NoError(t, err)
		assert.Equal(t, razorpay.NotificationStatusSent, got.SMSStatus)
		assert.Equal(t, razorpay.NotificationStatusSent, got.EmailStatus)

		cancelled, err := c.Invoice.Cancel(ctx, inv.ID)
		require.NoError(t, err)
		assert.Equal(t, razorpay.InvoiceStatusCancelled, cancelled.Status)
		assert.NotZero(t, cancelled.CancelledAt)
		_, err = c.Invoice.Cancel(ctx, inv.ID)
		requireAPIError(t, err, 400, "Operation not allowed for Invoice in cancelled status", "")
		_, err = srv.CompleteAuthorization(inv.ID)
		require.ErrorIs(t, err, razorpaytest.ErrInvalidState)

		links, err := c.Invoice.List(ctx, &razorpay.InvoiceListParams{Type: razorpay.InvoiceTypeLink, Receipt: "rcpt-2"})
		require.NoError(t, err)
		require.Len(t, links.Items, 1)
		assert.Equal(t, inv2.ID, links.Items[0].ID)
		links, err = c.Invoice.List(ctx, &razorpay.InvoiceListParams{CustomerID: inv.CustomerID})
		require.NoError(t, err)
		assert.Len(t, links.Items, 2)
	})

	t.Run("paid", func(t *testing.T) {
		t.Parallel()
		srv, c := newFake(t)
		inv, err := c.RegistrationLink.Create(ctx, params(""))
		require.NoError(t, err)
		p, err := srv.CompleteAuthorization(inv.ID)
		require.NoError(t, err)
		assert.Equal(t, inv.ID, p.InvoiceID)

		got, err := c.Invoice.Fetch(ctx, inv.ID)
		require.NoError(t, err)
		assert.Equal(t, razorpay.InvoiceStatusPaid, got.Status)
		assert.Equal(t, p.ID, got.PaymentID)
		assert.NotZero(t, got.PaidAt)
		byPayment, err := c.Invoice.List(ctx, &razorpay.InvoiceListParams{PaymentID: p.ID})
		require.NoError(t, err)
		require.Len(t, byPayment.Items, 1)

		tokens, err := c.Token.List(ctx, inv.CustomerID)
		require.NoError(t, err)
		require.Len(t, tokens.Items, 1)
		assert.Equal(t, int64(5000000), tokens.Items[0].MaxAmount)

		_, err = c.Invoice.Cancel(ctx, inv.ID)
		requireAPIError(t, err, 400, "Operation not allowed for Invoice in paid status", "")
		_, err = srv.CompleteAuthorization(inv.ID)
		require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	})

	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		srv, c := newFake(t)
		inv, err := c.RegistrationLink.Create(ctx, params(""))
		require.NoError(t, err)
		require.NoError(t, srv.ExpireLink(inv.ID))
		got, err := c.Invoice.Fetch(ctx, inv.ID)
		require.NoError(t, err)
		assert.Equal(t, razorpay.InvoiceStatusExpired, got.Status)
		assert.NotZero(t, got.ExpiredAt)
		require.ErrorIs(t, srv.ExpireLink(inv.ID), razorpaytest.ErrInvalidState)
		require.ErrorIs(t, srv.ExpireLink("inv_00000000000000"), razorpaytest.ErrUnknownID)
		require.ErrorIs(t, srv.ExpireLink("inv_00000000000000"), razorpaytest.ErrNotFound, "the deprecated name still matches")
		_, err = c.Invoice.Cancel(ctx, inv.ID)
		requireAPIError(t, err, 400, "Operation not allowed for Invoice in expired status", "")
	})

	t.Run("expire_by passes", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		srv, c := newFake(t, razorpaytest.WithClock(clock))
		p := params("")
		p.ExpireBy = now.Add(time.Hour).Unix()
		inv, err := c.RegistrationLink.Create(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, p.ExpireBy, inv.ExpireBy)

		mu.Lock()
		now = now.Add(2 * time.Hour)
		mu.Unlock()
		got, err := c.Invoice.Fetch(ctx, inv.ID)
		require.NoError(t, err)
		assert.Equal(t, razorpay.InvoiceStatusExpired, got.Status)
		assert.Equal(t, now.Unix(), got.ExpiredAt)
		_, err = srv.CompleteAuthorization(inv.ID)
		require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	})
}

func TestCustomerFailExisting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newFake(t)
	first := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")

	// Absent and "1": the duplicate fails.
	_, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav", Email: "gaurav.kumar@example.com", Contact: "+919876543210"})
	requireAPIError(t, err, 400, "Customer already exists for the merchant", "")
	_, err = c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav", Email: "gaurav.kumar@example.com", Contact: "+919876543210", FailExisting: razorpay.Ptr(true)})
	requireAPIError(t, err, 400, "Customer already exists for the merchant", "")

	// "0": the existing customer comes back.
	same, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav", Email: "gaurav.kumar@example.com", Contact: "+919876543210", FailExisting: razorpay.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, first.ID, same.ID)
	assert.Equal(t, "Gaurav Kumar", same.Name)

	// A numeric 0 is not honoured, as on the live API.
	err = c.Do(ctx, "POST", "/v1/customers", map[string]any{"name": "Gaurav", "email": "gaurav.kumar@example.com", "contact": "+919876543210", "fail_existing": 0}, nil)
	requireAPIError(t, err, 400, "Customer already exists for the merchant", "")

	// Another contact is another customer.
	other := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919000090000")
	assert.NotEqual(t, first.ID, other.ID)
}

func TestErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const notExist = "The id provided does not exist"
	tests := []struct {
		name        string
		call        func(t *testing.T, f *fixture) error
		status      int
		description string
		field       string
		source      string
		step        string
		reason      string
	}{
		{
			name: "unknown customer",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Customer.Fetch(ctx, "cust_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "short contact",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/customers", map[string]any{"name": "Gaurav", "contact": "12345"}, nil)
			},
			status: 400, description: "Contact number should be at least 8 digits, including country code", field: "contact",
			source: "business", reason: "invalid_contact_number",
		},
		{
			name: "field not allowed",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/customers", map[string]any{"name": "Gaurav", "phone": "+919876543210"}, nil)
			},
			status: 400, description: "phone is/are not required and should not be sent", field: "phone",
		},
		{
			name: "order amount below 100",
			call: func(t *testing.T, f *fixture) error {
				// The SDK refuses it before sending: Do reaches the fake.
				return f.c.Do(ctx, "POST", "/v1/orders", map[string]any{"amount": 99, "currency": "INR"}, nil)
			},
			status: 400, description: "The amount must be at least INR 1.00", field: "amount",
			source: "business", reason: "input_validation_failed",
		},
		{
			name: "order token max_amount above 1500000",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/orders", map[string]any{"amount": 100, "currency": "INR", "customer_id": f.cust.ID,
					"method": "card", "token": map[string]any{"max_amount": 1500001, "frequency": "monthly"}}, nil)
			},
			status: 400, description: "The token.max_amount may not be greater than 1500000.", field: "token.max_amount",
		},
		{
			name: "order token max_amount below 100",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/orders", map[string]any{"amount": 100, "currency": "INR", "customer_id": f.cust.ID,
					"method": "card", "token": map[string]any{"max_amount": 99, "frequency": "monthly"}}, nil)
			},
			status: 400, description: "The token.max_amount must be at least 100.", field: "token.max_amount",
		},
		{
			name: "order of an unknown customer",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", CustomerID: "cust_00000000000000",
					Method: "card", Token: &razorpay.OrderTokenParams{MaxAmount: 1000, Frequency: razorpay.FrequencyMonthly}})
				return err
			},
			status: 400, description: notExist, field: "customer_id",
		},
		{
			name: "unknown order",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Order.Fetch(ctx, "order_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "payments of an unknown order",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Order.Payments(ctx, "order_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "registration link max_amount above 100000000",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/subscription_registration/auth_links", map[string]any{
					"customer": map[string]any{"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com"},
					"type":     "link", "amount": 100, "currency": "INR", "description": "mandate",
					"subscription_registration": map[string]any{"method": "card", "max_amount": 100000001, "frequency": "monthly"},
				}, nil)
			},
			status: 400, description: "The subscription_registration.max_amount may not be greater than 100000000.", field: "subscription_registration.max_amount",
		},
		{
			name: "registration link without frequency",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/subscription_registration/auth_links", map[string]any{
					"customer": map[string]any{"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com"},
					"type":     "link", "amount": 100, "currency": "INR", "description": "mandate",
					"subscription_registration": map[string]any{"method": "card", "max_amount": 1000},
				}, nil)
			},
			status: 400, description: "The subscription_registration.frequency field is required.", field: "subscription_registration.frequency",
		},
		{
			name: "unknown invoice",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Invoice.Fetch(ctx, "inv_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "cancel an unknown invoice",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Invoice.Cancel(ctx, "inv_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "notify an unknown invoice",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Invoice.NotifyBy(ctx, "inv_00000000000000", razorpay.NotifyMediumSMS)
			},
			status: 400, description: notExist,
		},
		{
			name: "notify by an unknown medium",
			call: func(t *testing.T, f *fixture) error {
				inv, err := f.c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
					Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
					Amount:   100, Currency: "INR", Description: "mandate",
					SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyYearly},
				})
				if err != nil {
					return err
				}
				return f.c.Do(ctx, "POST", "/v1/invoices/"+inv.ID+"/notify_by/whatsapp", nil, nil)
			},
			status: 400, description: "whatsapp is not a valid communication medium.", field: "medium",
		},
		{
			name: "recurring payment without token",
			call: func(t *testing.T, f *fixture) error {
				o := f.chargeOrder(t, 1000)
				return f.c.Do(ctx, "POST", "/v1/payments/create/recurring", map[string]any{"email": "a@example.com", "contact": "+919876543210",
					"amount": 1000, "currency": "INR", "order_id": o.ID, "customer_id": f.cust.ID, "recurring": true}, nil)
			},
			status: 400, description: "The token field is required.", field: "token", step: "payment_initiation",
		},
		{
			name: "recurring payment of an unknown order",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Payment.CreateRecurring(ctx, f.recurring("order_00000000000000", 1000))
				return err
			},
			status: 400, description: notExist, field: "order_id", source: "business", step: "payment_initiation", reason: "input_validation_failed",
		},
		{
			name: "recurring payment of an unknown customer",
			call: func(t *testing.T, f *fixture) error {
				p := f.recurring(f.chargeOrder(t, 1000).ID, 1000)
				p.CustomerID = "cust_00000000000000"
				_, err := f.c.Payment.CreateRecurring(ctx, p)
				return err
			},
			status: 400, description: notExist, field: "customer_id",
		},
		{
			name: "recurring payment with an unknown token",
			call: func(t *testing.T, f *fixture) error {
				p := f.recurring(f.chargeOrder(t, 1000).ID, 1000)
				p.TokenID = "token_00000000000000"
				_, err := f.c.Payment.CreateRecurring(ctx, p)
				return err
			},
			status: 400, description: notExist, field: "token",
		},
		{
			name: "recurring payment with another customer's token",
			call: func(t *testing.T, f *fixture) error {
				other := createCustomer(t, f.c, "Other Person", "other@example.com", "+919000090000")
				p := f.recurring(f.chargeOrder(t, 1000).ID, 1000)
				p.CustomerID = other.ID
				_, err := f.c.Payment.CreateRecurring(ctx, p)
				return err
			},
			status: 400, description: "The token does not belong to the customer", field: "token",
		},
		{
			name: "recurring payment of another amount than the order's",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Payment.CreateRecurring(ctx, f.recurring(f.chargeOrder(t, 1000).ID, 1500))
				return err
			},
			status: 400, description: "The payment amount 1500 must be equal to the order amount 1000", field: "amount",
		},
		{
			name: "recurring payment above the token's max_amount",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Payment.CreateRecurring(ctx, f.recurring(f.chargeOrder(t, 500001).ID, 500001))
				return err
			},
			status: 400, description: "Amount exceeds maximum amount allowed",
			source: "business", step: "payment_initiation", reason: "input_validation_failed",
		},
		{
			name: "recurring payment of a paid order",
			call: func(t *testing.T, f *fixture) error {
				o := f.chargeOrder(t, 1000)
				if _, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000)); err != nil {
					return err
				}
				_, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
				return err
			},
			status: 400, description: "Order has already been paid", field: "order_id",
		},
		{
			name: "unknown payment",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Payment.Fetch(ctx, "pay_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "card of an unknown payment",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Payment.FetchCard(ctx, "pay_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name:   "tokens of an unknown customer",
			call:   func(t *testing.T, f *fixture) error { _, err := f.c.Token.List(ctx, "cust_00000000000000"); return err },
			status: 400, description: notExist,
		},
		{
			name: "unknown token",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Token.Fetch(ctx, f.cust.ID, "token_00000000000000")
				return err
			},
			status: 400, description: notExist,
		},
		{
			name: "token of another customer",
			call: func(t *testing.T, f *fixture) error {
				other := createCustomer(t, f.c, "Other Person", "other@example.com", "+919000090000")
				_, err := f.c.Token.Fetch(ctx, other.ID, f.tokenID)
				return err
			},
			status: 400, description: notExist,
		},
		{
			name:   "delete an unknown token",
			call:   func(t *testing.T, f *fixture) error { return f.c.Token.Delete(ctx, f.cust.ID, "token_00000000000000") },
			status: 400, description: notExist,
		},
		{
			name:   "unknown card",
			call:   func(t *testing.T, f *fixture) error { _, err := f.c.Card.Fetch(ctx, "card_00000000000000"); return err },
			status: 400, description: notExist,
		},
		{
			name: "card reference by number and token",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/cards/fingerprints", map[string]any{"number": razorpaytest.DefaultCardNumber, "token": f.tokenID}, nil)
			},
			status: 400, description: "Only one of number and token may be sent.", field: "token",
		},
		{
			name: "card reference without number or token",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "POST", "/v1/cards/fingerprints", map[string]any{}, nil)
			},
			status: 400, description: "The number field is required when token is not present.", field: "number",
		},
		{
			name: "card reference of an invalid number",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: "4111111111111112"})
				return err
			},
			status: 400, description: "The card number is invalid.", field: "number",
		},
		{
			name: "card reference of an unknown token",
			call: func(t *testing.T, f *fixture) error {
				_, err := f.c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: "token_00000000000000"})
				return err
			},
			status: 400, description: notExist, field: "token",
		},
		{
			name:   "unknown route",
			call:   func(t *testing.T, f *fixture) error { return f.c.Do(ctx, "GET", "/v1/subscriptions", nil, nil) },
			status: 404, description: "The requested URL was not found on the server.",
		},
		{
			name: "wrong method",
			call: func(t *testing.T, f *fixture) error {
				return f.c.Do(ctx, "PATCH", "/v1/customers/"+f.cust.ID, map[string]any{}, nil)
			},
			status: 404, description: "The requested URL was not found on the server.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			err := tt.call(t, f)
			apiErr := requireAPIError(t, err, tt.status, tt.description, tt.field)
			if tt.source != "" {
				assert.Equal(t, tt.source, apiErr.Source)
			}
			if tt.step != "" {
				assert.Equal(t, tt.step, apiErr.Step)
			}
			if tt.reason != "" {
				assert.Equal(t, tt.reason, apiErr.Reason)
			}
			switch tt.status {
			case 400:
				assert.ErrorIs(t, err, razorpay.ErrBadRequest)
			case 404:
				assert.ErrorIs(t, err, razorpay.ErrNotFound)
				assert.True(t, apiErr.FeatureNotEnabled())
			}
			assert.NotEmpty(t, apiErr.RequestID)
		})
	}
}

func TestCardReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newFake(t)
	ref := func(number string) *razorpay.CardReference {
		r, err := c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: number})
		require.NoError(t, err)
		return r
	}
	visa, visaAgain, mc := ref("4111111111111111"), ref("4111111111111111"), ref("5555555555554444")
	assert.Equal(t, visa, visaAgain, "deterministic per card")
	assert.Equal(t, "Visa", visa.Network)
	assert.Equal(t, "Mastercard", mc.Network)
	assert.Len(t, mc.PaymentAccountReference, 29)
	assert.NotEqual(t, visa.PaymentAccountReference, mc.PaymentAccountReference)
	assert.Empty(t, visa.NetworkReferenceID)

	rupay := ref("6522220000000000")
	assert.Equal(t, "RuPay", rupay.Network)
	assert.Empty(t, rupay.PaymentAccountReference)
	assert.Len(t, rupay.NetworkReferenceID, 36)
}

func TestListOrdersByReceiptExpandsPayments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	create := func(receipt string) *razorpay.Order {
		o, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: receipt, PaymentCapture: razorpay.Ptr(true)})
		require.NoError(t, err)
		return o
	}
	first, second, other := create("bill-1"), create("bill-1"), create("bill-2")
	_, err := f.c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
		Email: f.cust.Email, Contact: f.cust.Contact, Amount: 49900, Currency: "INR",
		OrderID: second.ID, CustomerID: f.cust.ID, TokenID: f.tokenID,
	})
	require.NoError(t, err)

	list, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Expand: []string{razorpay.ExpandPayments}})
	require.NoError(t, err)
	require.Len(t, list.Items, 2)
	assert.Equal(t, second.ID, list.Items[0].ID, "newest first")
	assert.Equal(t, first.ID, list.Items[1].ID)
	require.NotNil(t, list.Items[0].Payments)
	require.Len(t, list.Items[0].Payments.Items, 1)
	assert.Equal(t, second.ID, list.Items[0].Payments.Items[0].OrderID)
	assert.Nil(t, list.Items[0].Payments.Items[0].Card, "payments without .card")
	require.NotNil(t, list.Items[1].Payments)
	assert.Empty(t, list.Items[1].Payments.Items)

	withCard, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Expand: []string{razorpay.ExpandPaymentsCard}})
	require.NoError(t, err)
	require.NotNil(t, withCard.Items[0].Payments.Items[0].Card)

	plain, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-2"})
	require.NoError(t, err)
	require.Len(t, plain.Items, 1)
	assert.Equal(t, other.ID, plain.Items[0].ID)
	assert.Nil(t, plain.Items[0].Payments)

	authorized, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Authorized: razorpay.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, authorized.Items, 1)
	assert.Equal(t, second.ID, authorized.Items[0].ID)

	var all []string
	for o, err := range f.c.Order.All(ctx, &razorpay.OrderListParams{ListParams: razorpay.ListParams{Count: 1}, Receipt: "bill-1"}) {
		require.NoError(t, err)
		all = append(all, o.ID)
	}
	assert.Equal(t, []string{second.ID, first.ID}, all)

	err = f.c.Do(ctx, "GET", "/v1/orders?expand[]=card", nil, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest)
}

// A registration link's order carries the link's receipt, and is found by it
// like any other order.
func TestListOrdersByReceiptFindsRegistrationLinkOrders(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, razorpaytest.WithUniqueReceipts())
	ctx := context.Background()
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Link Holder", Email: "link.holder@example.com", Contact: "+919000000003"},
		Amount:   100, Currency: "INR", Description: "Mandate", Receipt: "link-receipt-1",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 50000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	list, err := c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "link-receipt-1"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, link.OrderID, list.Items[0].ID)

	_, err = c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", Receipt: "link-receipt-1"})
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "the link's receipt is in use")
}

// TestUpdateOrderNotes: PATCH /v1/orders/{id} replaces the notes, and only
// the notes; the list by receipt shows them.
func TestUpdateOrderNotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	o, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "bill-n",
		Notes: razorpay.Notes{"plan": "gold", "old": "x"}})
	require.NoError(t, err)

	got, err := f.c.Order.Update(ctx, o.ID, &razorpay.OrderUpdateParams{Notes: razorpay.Notes{"plan": "gold", "seen": "1"}})
	require.NoError(t, err)
	assert.Equal(t, razorpay.Notes{"plan": "gold", "seen": "1"}, got.Notes)
	assert.Equal(t, o.Amount, got.Amount)
	assert.Equal(t, o.CreatedAt, got.CreatedAt)

	list, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-n"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, razorpay.Notes{"plan": "gold", "seen": "1"}, list.Items[0].Notes)

	got, err = f.c.Order.Update(ctx, o.ID, &razorpay.OrderUpdateParams{})
	require.NoError(t, err)
	assert.Empty(t, got.Notes)

	_, err = f.c.Order.Update(ctx, "order_Missing", &razorpay.OrderUpdateParams{})
	assert.ErrorIs(t, err, razorpay.ErrBadRequest)
	err = f.c.Do(ctx, "PATCH", "/v1/orders/"+o.ID, map[string]any{"amount": 100, "notes": map[string]string{}}, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "only notes may change")
	err = f.c.Do(ctx, "PATCH", "/v1/orders/"+o.ID, map[string]any{}, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "notes are required")
}

// GET /v1/payments pages newest first within from and to.
func TestListPayments(t *testing.T) {
	t.Parallel()
	clk := &razorpaytest.Clock{}
	f := newFixture(t, razorpaytest.WithClock(clk.Now))
	ctx := context.Background()
	var made []*razorpay.Payment
	var at []int64
	for range 4 {
		clk.Advance(time.Hour)
		p := f.charged(t)
		made = append(made, p)
		at = append(at, p.CreatedAt)
	}
	l, err := f.c.Payment.List(ctx, &razorpay.PaymentListParams{ListParams: razorpay.ListParams{From: at[1], To: at[2]}})
	require.NoError(t, err)
	require.Len(t, l.Items, 2)
	assert.Equal(t, made[2].ID, l.Items[0].ID)
	assert.Equal(t, made[1].ID, l.Items[1].ID)

	var ids []string
	for p, err := range f.c.Payment.All(ctx, &razorpay.PaymentListParams{ListParams: razorpay.ListParams{Count: 1, From: at[0]}}) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{made[3].ID, made[2].ID, made[1].ID, made[0].ID}, ids, "the authorization payment is older than from")
}
