package razorpaytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/internal/testkit"
	"github.com/gorzp/razorpay/razorpaytest"
)

// ----- helpers -----

// newServer starts a server closed at the end of the test and a client of
// it with short retry waits.
func newServer(t *testing.T, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpay.Client) {
	t.Helper()
	srv := razorpaytest.NewServer(opts...)
	require.NoError(t, srv.Err())
	t.Cleanup(srv.Close)
	return srv, srv.Client(razorpay.WithRetryBackoff(time.Millisecond, 20*time.Millisecond))
}

// fixture is a server with a customer whose card mandate is confirmed.
type fixture struct {
	srv       *razorpaytest.Server
	c         *razorpay.Client
	cust      *razorpay.Customer
	authOrder *razorpay.Order
	authPay   *razorpay.Payment
	tokenID   string
	charges   int
}

func newFixture(t *testing.T, opts ...razorpaytest.Option) *fixture {
	t.Helper()
	srv, c := newServer(t, opts...)
	f := &fixture{srv: srv, c: c}
	f.cust = createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	f.authOrder = createAuthOrder(t, c, f.cust.ID, 500000)
	p, err := srv.CompleteAuthorization(f.authOrder.ID)
	require.NoError(t, err)
	f.authPay, f.tokenID = p, p.TokenID
	return f
}

func createCustomer(t *testing.T, c *razorpay.Client, name, email, contact string) *razorpay.Customer {
	t.Helper()
	cust, err := c.Customer.Create(context.Background(), &razorpay.CustomerCreateParams{Name: name, Email: email, Contact: contact})
	require.NoError(t, err)
	return cust
}

func createAuthOrder(t *testing.T, c *razorpay.Client, customerID string, maxAmount int64) *razorpay.Order {
	t.Helper()
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: customerID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: maxAmount, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	return o
}

func (f *fixture) chargeOrder(t *testing.T, amount int64) *razorpay.Order {
	t.Helper()
	o, err := f.c.Order.Create(context.Background(), &razorpay.OrderCreateParams{
		Amount: amount, Currency: "INR", Receipt: fmt.Sprintf("charge-%d", f.charges), PaymentCapture: razorpay.Ptr(true),
	})
	require.NoError(t, err)
	f.charges++
	return o
}

func (f *fixture) recurring(orderID string, amount int64) *razorpay.RecurringPaymentParams {
	return &razorpay.RecurringPaymentParams{
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Amount: amount, Currency: "INR",
		OrderID: orderID, CustomerID: f.cust.ID, TokenID: f.tokenID, Description: "November",
	}
}

// requireAPIError checks that err is a *razorpay.Error with the given
// status, code, description and field, and returns it.
func requireAPIError(t *testing.T, err error, status int, description, field string) *razorpay.Error {
	t.Helper()
	var apiErr *razorpay.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.HTTPStatusCode)
	assert.Equal(t, razorpay.CodeBadRequest, apiErr.Code)
	assert.Equal(t, description, apiErr.Description)
	assert.Equal(t, field, apiErr.Field)
	return apiErr
}

// raw sends a request without the SDK, with the test key pair when auth is
// set, and returns the status and decoded body.
func raw(t *testing.T, srv *razorpaytest.Server, method, path, body string, auth bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func errorField(body map[string]any, key string) any {
	e, _ := body["error"].(map[string]any)
	return e[key]
}

// webhookSink is a webhook endpoint built on razorpay.WebhookHandler.
type webhookSink struct {
	mu     sync.Mutex
	events []*razorpay.WebhookEvent
	fail   func(*razorpay.WebhookEvent) bool // answer 500 when it returns true
	url    string
}

func newWebhookSink(t *testing.T, secret string) *webhookSink {
	t.Helper()
	sink := &webhookSink{}
	ts := httptest.NewServer(razorpay.WebhookHandler(secret, func(_ context.Context, ev *razorpay.WebhookEvent) error {
		sink.mu.Lock()
		defer sink.mu.Unlock()
		if sink.fail != nil && sink.fail(ev) {
			return errors.New("not now")
		}
		sink.events = append(sink.events, ev)
		return nil
	}))
	t.Cleanup(ts.Close)
	sink.url = ts.URL
	return sink
}

func (s *webhookSink) received() []*razorpay.WebhookEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*razorpay.WebhookEvent(nil), s.events...)
}

func waitWebhooks(t *testing.T, srv *razorpaytest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitForWebhooks(ctx))
}

// ----- the flows -----

func TestCardFlow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)

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
		srv, c := newServer(t)
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
		srv, c := newServer(t)
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
		srv, c := newServer(t)
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
		srv, c := newServer(t, razorpaytest.WithClock(clock))
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

func TestRejectAuthorization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)
	cust := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	auth := createAuthOrder(t, c, cust.ID, 100000)

	p, err := srv.RejectAuthorization(auth.ID, "Card not enabled for recurring")
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	assert.Equal(t, "Card not enabled for recurring", p.ErrorDescription)
	assert.Equal(t, "payment_failed", p.ErrorReason)
	require.NotEmpty(t, p.TokenID)

	o, err := c.Order.Fetch(ctx, auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusAttempted, o.Status)
	assert.Equal(t, "rejected", o.Token.RecurringStatus)

	// Like Razorpay, the list leaves rejected tokens out; fetching shows why.
	list, err := c.Token.List(ctx, cust.ID)
	require.NoError(t, err)
	assert.Empty(t, list.Items)
	tok, err := c.Token.Fetch(ctx, cust.ID, p.TokenID)
	require.NoError(t, err)
	assert.False(t, tok.Recurring)
	assert.False(t, tok.Chargeable())
	assert.Equal(t, razorpay.TokenRecurringStatusRejected, tok.RecurringDetails.Status)
	assert.Equal(t, "Card not enabled for recurring", tok.RecurringDetails.FailureReason)
	require.Len(t, srv.Tokens(cust.ID), 1)

	// A rejected token cannot be charged.
	f := &fixture{c: c, cust: cust, tokenID: p.TokenID}
	charge := f.chargeOrder(t, 1000)
	_, err = c.Payment.CreateRecurring(ctx, f.recurring(charge.ID, 1000))
	apiErr := requireAPIError(t, err, 400, "The token cannot be charged: its mandate is rejected, not confirmed", "token")
	assert.Equal(t, "payment_initiation", apiErr.Step)

	// The card holder tries again and succeeds.
	ok, err := srv.CompleteAuthorization(auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, ok.Status)
	payments, err := c.Order.Payments(ctx, auth.ID)
	require.NoError(t, err)
	assert.Len(t, payments.Items, 2)
	_, err = srv.RejectAuthorization(auth.ID, "")
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	_, err = srv.CompleteAuthorization("order_00000000000000")
	require.ErrorIs(t, err, razorpaytest.ErrUnknownID)
}

func TestSetMandateStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusPaused))
	tok, err := f.c.Token.Fetch(ctx, f.cust.ID, f.tokenID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.TokenRecurringStatusPaused, tok.RecurringDetails.Status)
	o := f.chargeOrder(t, 1000)
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	requireAPIError(t, err, 400, "The token cannot be charged: its mandate is paused, not confirmed", "token")

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusConfirmed))
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusCancelled))
	tok, err = f.c.Token.Fetch(ctx, f.cust.ID, f.tokenID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.TokenRecurringStatusCancelled, tok.MandateStatus())
	require.ErrorIs(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusConfirmed), razorpaytest.ErrInvalidState)
	require.ErrorIs(t, f.srv.SetMandateStatus("token_00000000000000", razorpay.TokenRecurringStatusPaused), razorpaytest.ErrUnknownID)
	require.Error(t, f.srv.SetMandateStatus(f.tokenID, "bogus"))
}

func TestFailPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.chargeOrder(t, 1000)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)

	require.NoError(t, f.srv.FailPayment(rp.PaymentID, "Insufficient funds"))
	p, err := f.c.Payment.Fetch(ctx, rp.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	assert.False(t, p.Captured)
	assert.Equal(t, "Insufficient funds", p.ErrorDescription)
	assert.Equal(t, razorpay.CodeBadRequest, p.ErrorCode)

	got, err := f.c.Order.Fetch(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusAttempted, got.Status)
	assert.Equal(t, int64(1000), got.AmountDue)
	require.ErrorIs(t, f.srv.FailPayment(rp.PaymentID, ""), razorpaytest.ErrInvalidState)
	require.ErrorIs(t, f.srv.FailPayment("pay_00000000000000", ""), razorpaytest.ErrUnknownID)

	// The order may be paid again.
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)
}

func TestPayOrderAndNonCardPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)
	o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR"})
	require.NoError(t, err)
	p, err := srv.PayOrder(o.ID, "upi")
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentMethod("upi"), p.Method)
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)

	_, err = c.Payment.FetchCard(ctx, p.ID)
	requireAPIError(t, err, 400, "Payment was not done using card", "")
	_, err = srv.PayOrder(o.ID, "card")
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	// An order without a token is not an authorization order.
	o2, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.CompleteAuthorization(o2.ID)
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)

	withCard, err := srv.PayOrder(o2.ID, "card", razorpaytest.WithCard(razorpaytest.CardDetails{Number: "5555555555554444", Type: "debit"}))
	require.NoError(t, err)
	require.NotNil(t, withCard.Card)
	assert.Equal(t, "MasterCard", withCard.Card.Network)
	assert.Equal(t, "4444", withCard.Card.Last4)
	assert.Equal(t, "debit", withCard.Card.Type)
}

// ----- customers and lists -----

func TestCustomerFailExisting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newServer(t)
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

func TestListPaging(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)
	var ids []string
	for i := 0; i < 25; i++ {
		cust := createCustomer(t, c, fmt.Sprintf("Customer %02d", i), fmt.Sprintf("c%d@example.com", i), "+91987654321"+fmt.Sprint(i%10))
		ids = append(ids, cust.ID)
	}
	newestFirst := make([]string, len(ids))
	for i, id := range ids {
		newestFirst[len(ids)-1-i] = id
	}

	def, err := c.Customer.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "collection", def.Entity)
	assert.Equal(t, 10, def.Count)
	require.Len(t, def.Items, 10)
	assert.Equal(t, newestFirst[0], def.Items[0].ID)

	var got []string
	for skip := 0; skip < 30; skip += 10 {
		page, err := c.Customer.List(ctx, &razorpay.ListParams{Count: 10, Skip: skip})
		require.NoError(t, err)
		assert.Equal(t, len(page.Items), page.Count)
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
	}
	assert.Equal(t, newestFirst, got)

	var all []string
	for cust, err := range c.Customer.All(ctx, &razorpay.ListParams{Count: 7}) {
		require.NoError(t, err)
		all = append(all, cust.ID)
	}
	assert.Equal(t, newestFirst, all)

	created := srv.Customers()[0].CreatedAt
	inRange, err := c.Customer.List(ctx, &razorpay.ListParams{From: created, To: created + 3600, Count: 100})
	require.NoError(t, err)
	assert.Len(t, inRange.Items, 25)
	none, err := c.Customer.List(ctx, &razorpay.ListParams{From: created + 3600})
	require.NoError(t, err)
	assert.Empty(t, none.Items)

	// The SDK refuses count > 100 itself, so ask without it.
	status, body := raw(t, srv, "GET", "/v1/customers?count=101", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "BAD_REQUEST_ERROR", errorField(body, "code"))
	assert.Equal(t, "The count may not be greater than 100.", errorField(body, "description"))
	assert.Equal(t, "count", errorField(body, "field"))
	status, body = raw(t, srv, "GET", "/v1/invoices?count=0", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "count", errorField(body, "field"))
	status, body = raw(t, srv, "GET", "/v1/orders?skip=x", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "skip", errorField(body, "field"))
}

// ----- errors -----

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

func TestAuth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newServer(t)

	wrongSecret := razorpay.NewClient(razorpaytest.KeyID, "not-the-secret", razorpay.WithBaseURL(srv.URL))
	_, err := wrongSecret.Customer.List(ctx, nil)
	requireAPIError(t, err, 401, "Authentication failed", "")
	require.ErrorIs(t, err, razorpay.ErrAuthentication)

	wrongKey := razorpay.NewClient("rzp_test_00000000000000", razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
	_, err = wrongKey.Customer.List(ctx, nil)
	requireAPIError(t, err, 401, "The api key provided is invalid", "")

	status, body := raw(t, srv, "GET", "/v1/customers", "", false)
	assert.Equal(t, 401, status)
	assert.Equal(t, "BAD_REQUEST_ERROR", errorField(body, "code"))
	assert.Equal(t, "The api key provided is invalid", errorField(body, "description"))

	// The scheme must be exactly "Basic".
	req, err := http.NewRequest("GET", srv.URL+"/v1/customers", nil)
	require.NoError(t, err)
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "Basic", "basic", 1))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
}

func TestMalformedJSON(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	for _, body := range []string{`{"name": "Gaurav"`, `["name"]`, `"name"`} {
		status, resp := raw(t, srv, "POST", "/v1/customers", body, true)
		assert.Equal(t, 400, status, body)
		assert.Equal(t, "BAD_REQUEST_ERROR", errorField(resp, "code"))
		assert.Contains(t, errorField(resp, "description"), "The request body is not valid JSON")
	}
	assert.Empty(t, srv.Customers())
	// The SDK surfaces it as an *Error too (a string amount is accepted, as
	// the live API does).
	status, resp := raw(t, srv, "POST", "/v1/orders", `{"amount": "100", "currency": "INR"}`, true)
	assert.Equal(t, 200, status)
	assert.Equal(t, float64(100), resp["amount"])
	status, resp = raw(t, srv, "POST", "/v1/orders", `{"amount": 100.5, "currency": "INR"}`, true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "The amount must be an integer.", errorField(resp, "description"))
}

func TestWireShapes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	var cust map[string]any
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/customers/"+f.cust.ID, nil, &cust))
	assert.Equal(t, []any{}, cust["notes"], "empty notes are [] like the live API")
	assert.Nil(t, cust["gstin"])
	assert.Contains(t, cust, "created_at")

	var pay map[string]any
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/payments/"+f.authPay.ID, nil, &pay))
	for _, k := range []string{"refund_status", "bank", "wallet", "vpa", "error_code", "error_description"} {
		assert.Contains(t, pay, k)
		assert.Nil(t, pay[k], k)
	}
	assert.NotContains(t, pay, "card")

	var inv map[string]any
	link, err := f.c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "mandate", SMSNotify: razorpay.Ptr(false),
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyAsPresented},
	})
	require.NoError(t, err)
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/invoices/"+link.ID, nil, &inv))
	assert.Equal(t, []any{}, inv["line_items"])
	assert.Nil(t, inv["payment_id"])
	assert.Nil(t, inv["sms_status"], "sms_notify false")
	assert.Equal(t, "pending", inv["email_status"])

	// expand[]=card embeds the card: ask through raw HTTP, as the SDK's Do
	// takes no query.
	req, err := http.NewRequest("GET", f.srv.URL+"/v1/payments/"+f.authPay.ID+"?expand[]=card", nil)
	require.NoError(t, err)
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var expanded razorpay.Payment
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&expanded))
	require.NotNil(t, expanded.Card)
	assert.Equal(t, f.authPay.CardID, expanded.Card.ID)
}

func TestLooseJSON(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, razorpaytest.WithLooseJSON())
	var rawTokens struct {
		Items []map[string]any `json:"items"`
	}
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/customers/"+f.cust.ID+"/tokens", nil, &rawTokens))
	require.Len(t, rawTokens.Items, 1)
	card := rawTokens.Items[0]["card"].(map[string]any)
	assert.Equal(t, float64(1111), card["last4"])
	assert.Equal(t, "12", card["expiry_month"])
	assert.Equal(t, float64(0), card["international"])
	assert.Nil(t, card["emi"])

	// The SDK decodes all of it into its documented types.
	tokens, err := f.c.Token.List(ctx, f.cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	assert.Equal(t, "1111", tokens.Items[0].Card.Last4)
	assert.Equal(t, 12, tokens.Items[0].Card.ExpiryMonth)
	cust, err := f.c.Customer.Fetch(ctx, f.cust.ID)
	require.NoError(t, err)
	assert.Equal(t, "919876543210", cust.Contact)
}

func TestCardReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c := newServer(t)
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

// ----- faults -----

func TestFaultStatusRetriedForGET(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/v1/customers/" + f.cust.ID
	f.srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: path, Status: 503,
		Body: razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")})
	f.srv.ResetRequests()

	got, err := f.c.Customer.Fetch(context.Background(), f.cust.ID)
	require.NoError(t, err)
	assert.Equal(t, f.cust.ID, got.ID)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 2, "one 503, then the retry")
	assert.Equal(t, path, reqs[1].Path)

	// Without retries, the client sees the injected error as an *Error.
	noRetry := f.srv.Client(razorpay.WithMaxRetries(0))
	f.srv.InjectFault(razorpaytest.Fault{Path: path, Status: 502, Body: "<html><title>502 Bad Gateway</title></html>", ContentType: "text/html"})
	_, err = noRetry.Customer.Fetch(context.Background(), f.cust.ID)
	var apiErr *razorpay.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.HTTPStatusCode)
	assert.Contains(t, apiErr.Description, "502 Bad Gateway")
	require.ErrorIs(t, err, razorpay.ErrServer)
}

func TestFaultStatusForPOST(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)

	// A 500 to a POST: the SDK cannot know and does not retry.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Status: 500, Body: razorpaytest.ErrorBody("SERVER_ERROR", "boom")})
	_, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	require.ErrorIs(t, err, razorpay.ErrServer)
	assert.Len(t, srv.Requests(), 1)
	assert.Empty(t, srv.Customers(), "the fault answered without processing")

	// A 429 is refused before processing: retried for every method.
	srv.ResetRequests()
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Status: 429, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2)
	assert.Len(t, srv.Customers(), 1)
	assert.Equal(t, cust.ID, srv.Customers()[0].ID)
}

func TestFaultRetryAfter(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.Client(razorpay.WithRetryBackoff(time.Millisecond, 5*time.Second))
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers", Status: 429, RetryAfter: "1",
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})

	_, err := c.Customer.List(context.Background(), nil)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	gap := reqs[1].At.Sub(reqs[0].At)
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond, "Retry-After: 1 was honoured")
	assert.Less(t, gap, 3*time.Second)
}

func TestFaultDelayTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	c := f.srv.Client(razorpay.WithTimeout(100*time.Millisecond), razorpay.WithRetryBackoff(time.Millisecond, 10*time.Millisecond))

	// A GET that times out is retried, and the retry succeeds.
	f.srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/orders/*", Delay: 300 * time.Millisecond})
	got, err := c.Order.Fetch(ctx, f.authOrder.ID)
	require.NoError(t, err)
	assert.Equal(t, f.authOrder.ID, got.ID)

	// A POST that times out is not retried: its outcome is unknown...
	before := len(f.srv.Orders())
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Delay: 300 * time.Millisecond})
	_, err = c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR", Receipt: "slow"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// ...and indeed the server carries it out after the delay.
	require.Eventually(t, func() bool { return len(f.srv.Orders()) == before+1 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, "slow", f.srv.Orders()[before].Receipt)
}

func TestFaultDropBeforeProcessing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)

	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Drop: razorpaytest.DropBeforeProcessing})
	_, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	assert.Empty(t, srv.Customers(), "nothing was processed")

	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.NoError(t, err)

	// A dropped GET is retried.
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers/" + cust.ID, Drop: razorpaytest.DropBeforeProcessing})
	got, err := c.Customer.Fetch(ctx, cust.ID)
	require.NoError(t, err)
	assert.Equal(t, cust.ID, got.ID)
}

func TestFaultDropAfterProcessing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)

	before := len(f.srv.Orders())
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Drop: razorpaytest.DropAfterProcessing})
	_, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR", Receipt: "lost-answer"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	orders := f.srv.Orders()
	require.Len(t, orders, before+1, "the order was created")
	assert.Equal(t, "lost-answer", orders[before].Receipt)

	// The answer to a charge is lost: reconcile through the order.
	charge := f.chargeOrder(t, 1000)
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing})
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(charge.ID, 1000))
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	payments, err := f.c.Order.Payments(ctx, charge.ID)
	require.NoError(t, err)
	require.Len(t, payments.Items, 1)
	assert.Equal(t, razorpay.PaymentStatusCaptured, payments.Items[0].Status)

	// Payment.Charge reconciles by itself and charges once.
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing})
	p, err := f.c.Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: f.cust.ID, TokenID: f.tokenID, Amount: 2000, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Receipt: "sub_1-2026-12",
	})
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)
	assert.Len(t, f.srv.OrderPayments(p.OrderID), 1)
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newServer(t)
	c := srv.Client(razorpay.WithMaxRetries(0))

	// Times: the fault applies to the next two matching requests only.
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers", Times: 2, Status: 503})
	for i := 0; i < 2; i++ {
		_, err := c.Customer.List(ctx, nil)
		require.ErrorIs(t, err, razorpay.ErrServer)
	}
	_, err := c.Customer.List(ctx, nil)
	require.NoError(t, err)

	// Method and path must match; faults apply in order.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/invoices*", Status: 500})
	srv.InjectFault(razorpaytest.Fault{Path: "/v1/invoices*", Status: 418})
	_, err = c.Invoice.List(ctx, nil)
	var apiErr *razorpay.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 418, apiErr.HTTPStatusCode, "the POST fault does not match a GET")
	err = c.Invoice.NotifyBy(ctx, "inv_00000000000000", razorpay.NotifyMediumSMS)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.HTTPStatusCode)
	_, err = c.Invoice.List(ctx, nil)
	require.NoError(t, err)

	// Negative Times: every matching request until ClearFaults.
	srv.InjectFault(razorpaytest.Fault{Path: "/v1/orders*", Times: -1, Status: 503})
	for i := 0; i < 3; i++ {
		_, err = c.Order.Fetch(ctx, "order_00000000000000")
		require.ErrorIs(t, err, razorpay.ErrServer)
	}
	srv.ClearFaults()
	_, err = c.Order.Fetch(ctx, "order_00000000000000")
	require.ErrorIs(t, err, razorpay.ErrBadRequest)

	// An empty body is sent as is.
	srv.InjectFault(razorpaytest.Fault{Status: 500})
	_, err = c.Customer.List(ctx, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "empty response body", apiErr.Description)
}

func TestRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)
	cust := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	_, err := c.Customer.List(ctx, &razorpay.ListParams{Count: 5, Skip: 1})
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/v1/customers", reqs[0].Path)
	assert.Equal(t, "[REDACTED]", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.JSONEq(t, `{"name":"Gaurav Kumar","email":"gaurav.kumar@example.com","contact":"+919876543210"}`, string(reqs[0].Body))
	assert.False(t, reqs[0].At.IsZero())
	assert.Equal(t, "GET", reqs[1].Method)
	assert.Equal(t, "count=5&skip=1", reqs[1].RawQuery)
	assert.Empty(t, reqs[1].Body)

	// The log is a copy.
	reqs[0].Header.Set("Authorization", "changed")
	assert.Equal(t, "[REDACTED]", srv.Requests()[0].Header.Get("Authorization"))

	// Escaped ids are logged escaped (the typed methods refuse such ids:
	// Do sends them).
	err = c.Do(ctx, "GET", "/v1/customers/a%2Fb", nil, nil)
	require.Error(t, err)
	assert.Equal(t, "/v1/customers/a%2Fb", srv.Requests()[2].Path)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	_, err = c.Customer.Fetch(ctx, cust.ID)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1)

	limited, lc := newServer(t, razorpaytest.WithRequestLogLimit(3))
	for i := 0; i < 10; i++ {
		_, err := lc.Customer.List(ctx, &razorpay.ListParams{Skip: i})
		require.NoError(t, err)
	}
	last := limited.Requests()
	require.GreaterOrEqual(t, len(last), 3)
	assert.Equal(t, "skip=9", last[len(last)-1].RawQuery)
}

func TestConnections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newServer(t)
	for i := 0; i < 20; i++ {
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Connections(), "sequential calls reuse one connection")

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				_, err := c.Customer.List(ctx, nil)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	// 80 concurrent calls share a few pooled connections (the transport may
	// dial one more than it uses when a connection frees up meanwhile).
	assert.LessOrEqual(t, srv.Connections(), 20, "the pool is shared")

	noKeepAlive := srv.Client(razorpay.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	before := srv.Connections()
	for i := 0; i < 5; i++ {
		_, err := noKeepAlive.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, before+5, srv.Connections())
}

// ----- webhooks -----

func TestWebhooksDelivered(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test"
	sink := newWebhookSink(t, secret)
	f := newFixture(t, razorpaytest.WithWebhook(sink.url, secret))
	waitWebhooks(t, f.srv)

	events := sink.received()
	var names []razorpay.EventType
	for _, ev := range events {
		names = append(names, ev.Event)
	}
	assert.Equal(t, []razorpay.EventType{
		razorpay.EventPaymentAuthorized, razorpay.EventPaymentCaptured, razorpay.EventOrderPaid, razorpay.EventTokenConfirmed,
	}, names)
	authorized, captured, paid, confirmed := events[0], events[1], events[2], events[3]
	assert.Equal(t, razorpay.PaymentStatusAuthorized, authorized.Payment.Status)
	assert.False(t, authorized.Payment.Captured)
	assert.Equal(t, razorpay.PaymentStatusCaptured, captured.Payment.Status)
	require.NotNil(t, captured.Payment.Card)
	assert.Equal(t, f.tokenID, captured.Payment.TokenID)
	assert.Equal(t, []string{"payment", "order"}, paid.Contains)
	assert.Equal(t, razorpay.OrderStatusPaid, paid.Order.Status)
	assert.Equal(t, f.tokenID, confirmed.Token.ID)
	assert.True(t, confirmed.Token.Chargeable())
	assert.Equal(t, f.srv.AccountID, confirmed.AccountID)
	assert.Equal(t, "event", confirmed.Entity)

	ids := map[string]bool{}
	for _, ev := range events {
		assert.Regexp(t, `^evt_[0-9A-Za-z]{14}$`, ev.ID)
		ids[ev.ID] = true
	}
	assert.Len(t, ids, len(events), "event ids are unique")

	// Every delivery is signed with the secret.
	for _, d := range f.srv.Webhooks() {
		assert.True(t, d.Delivered)
		assert.True(t, d.Done)
		assert.Equal(t, 1, d.Attempts)
		assert.Equal(t, 200, d.StatusCode)
		assert.Equal(t, razorpaytest.SignWebhook(d.Body, secret), d.Signature)
		ev, err := razorpay.ParseWebhook(d.Body, d.Signature, secret)
		require.NoError(t, err)
		assert.Equal(t, d.Event, ev.Event)
	}

	// A charge, a paused mandate, a failed payment, a link paid and one
	// expired.
	ctx := context.Background()
	o := f.chargeOrder(t, 1000)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)
	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusPaused))
	require.NoError(t, f.srv.FailPayment(rp.PaymentID, "Insufficient funds"))
	linkParams := &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "mandate",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyYearly},
	}
	paidLink, err := f.c.RegistrationLink.Create(ctx, linkParams)
	require.NoError(t, err)
	_, err = f.srv.CompleteAuthorization(paidLink.ID)
	require.NoError(t, err)
	expiredLink, err := f.c.RegistrationLink.Create(ctx, linkParams)
	require.NoError(t, err)
	require.NoError(t, f.srv.ExpireLink(expiredLink.ID))
	authOrder := createAuthOrder(t, f.c, f.cust.ID, 1000)
	_, err = f.srv.RejectAuthorization(authOrder.ID, "")
	require.NoError(t, err)
	waitWebhooks(t, f.srv)

	byName := map[razorpay.EventType][]*razorpay.WebhookEvent{}
	for _, ev := range sink.received() {
		byName[ev.Event] = append(byName[ev.Event], ev)
	}
	require.Len(t, byName[razorpay.EventTokenPaused], 1)
	assert.Equal(t, razorpay.TokenRecurringStatusPaused, byName[razorpay.EventTokenPaused][0].Token.RecurringDetails.Status)
	require.Len(t, byName[razorpay.EventPaymentFailed], 2)
	assert.Equal(t, "Insufficient funds", byName[razorpay.EventPaymentFailed][0].Payment.ErrorDescription)
	require.Len(t, byName[razorpay.EventInvoicePaid], 1)
	ip := byName[razorpay.EventInvoicePaid][0]
	assert.Equal(t, []string{"payment", "order", "invoice"}, ip.Contains)
	assert.Equal(t, razorpay.InvoiceStatusPaid, ip.Invoice.Status)
	assert.Equal(t, ip.Payment.ID, ip.Invoice.PaymentID)
	require.Len(t, byName[razorpay.EventInvoiceExpired], 1)
	assert.Equal(t, expiredLink.ID, byName[razorpay.EventInvoiceExpired][0].Invoice.ID)
	require.Len(t, byName[razorpay.EventTokenRejected], 1)
	assert.Equal(t, "Rejected by bank", byName[razorpay.EventTokenRejected][0].Token.RecurringDetails.FailureReason)
}

func TestWebhookRedelivery(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test"
	sink := newWebhookSink(t, secret)
	failed := map[string]bool{}
	sink.fail = func(ev *razorpay.WebhookEvent) bool {
		if ev.Event != razorpay.EventTokenConfirmed || failed[ev.ID] {
			return false
		}
		failed[ev.ID] = true // 500 the first time only
		return true
	}
	f := newFixture(t, razorpaytest.WithWebhook(sink.url, secret), razorpaytest.WithWebhookRetry(5, 5*time.Millisecond))
	waitWebhooks(t, f.srv)

	var confirmed []razorpaytest.WebhookDelivery
	for _, d := range f.srv.Webhooks() {
		if d.Event == razorpay.EventTokenConfirmed {
			confirmed = append(confirmed, d)
		}
	}
	require.Len(t, confirmed, 1)
	assert.Equal(t, 2, confirmed[0].Attempts)
	assert.True(t, confirmed[0].Delivered)
	assert.Equal(t, 200, confirmed[0].StatusCode)

	var got []*razorpay.WebhookEvent
	for _, ev := range sink.received() {
		if ev.Event == razorpay.EventTokenConfirmed {
			got = append(got, ev)
		}
	}
	require.Len(t, got, 1)
	assert.Equal(t, confirmed[0].EventID, got[0].ID, "the redelivery has the same event id")
	assert.True(t, failed[got[0].ID])
}

func TestWebhookBoundedAttempts(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	attempts := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts[r.Header.Get("X-Razorpay-Event-Id")]++
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(ts.Close)
	srv, c := newServer(t, razorpaytest.WithWebhook(ts.URL, "s"), razorpaytest.WithWebhookRetry(3, time.Millisecond))
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.PayOrder(o.ID, "netbanking")
	require.NoError(t, err)
	waitWebhooks(t, srv)

	deliveries := srv.Webhooks()
	require.Len(t, deliveries, 3) // payment.authorized, payment.captured, order.paid
	mu.Lock()
	defer mu.Unlock()
	for _, d := range deliveries {
		assert.Equal(t, 3, d.Attempts)
		assert.Equal(t, 500, d.StatusCode)
		assert.False(t, d.Delivered)
		assert.True(t, d.Done)
		assert.Equal(t, 3, attempts[d.EventID])
	}

	// A connection that fails counts as an attempt too.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	srv2, c2 := newServer(t, razorpaytest.WithWebhook(deadURL, "s"), razorpaytest.WithWebhookRetry(2, time.Millisecond))
	o2, err := c2.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv2.PayOrder(o2.ID, "wallet")
	require.NoError(t, err)
	waitWebhooks(t, srv2)
	for _, d := range srv2.Webhooks() {
		assert.Equal(t, 2, d.Attempts)
		assert.Zero(t, d.StatusCode)
		assert.NotEmpty(t, d.Err)
	}
}

func TestCloseWaitsForWebhookInFlight(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 10)
	var finished sync.WaitGroup
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		finished.Add(1)
		defer finished.Done()
		started <- struct{}{}
		time.Sleep(200 * time.Millisecond)
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(ts.Close)
	srv := razorpaytest.NewServer(razorpaytest.WithWebhook(ts.URL, "s"))
	c := srv.Client()
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.PayOrder(o.ID, "upi")
	require.NoError(t, err)
	<-started
	srv.Close()
	d := srv.Webhooks()
	require.Len(t, d, 3)
	assert.True(t, d[0].Delivered, "Close waited for the delivery in flight")
	for _, rest := range d[1:] {
		assert.True(t, rest.Done)
		assert.Zero(t, rest.Attempts, "pending events are abandoned")
	}
	srv.Close() // twice is fine
}

// ----- the rest -----

func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newServer(t)
	const workers, rounds = 12, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := srv.Client()
			for i := 0; i < rounds; i++ {
				cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Load Tester"})
				if !assert.NoError(t, err) {
					return
				}
				o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: "card",
					Token: &razorpay.OrderTokenParams{MaxAmount: 10000, Frequency: razorpay.FrequencyAsPresented}})
				if !assert.NoError(t, err) {
					return
				}
				p, err := srv.CompleteAuthorization(o.ID)
				if !assert.NoError(t, err) {
					return
				}
				charge, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR", PaymentCapture: razorpay.Ptr(true)})
				if !assert.NoError(t, err) {
					return
				}
				_, err = c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{Email: "load@example.com", Contact: "+919876543210",
					Amount: 5000, Currency: "INR", OrderID: charge.ID, CustomerID: cust.ID, TokenID: p.TokenID})
				assert.NoError(t, err)
				_, err = c.Token.List(ctx, cust.ID)
				assert.NoError(t, err)
				_, err = c.Customer.List(ctx, &razorpay.ListParams{Count: 5})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, srv.Payments(), 2*workers*rounds)
	assert.Len(t, srv.Customers(), workers*rounds)
}

func TestClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	f := newFixture(t, razorpaytest.WithClock(func() time.Time { return at }))
	assert.Equal(t, at.Unix(), f.cust.CreatedAt)
	assert.Equal(t, at.Unix(), f.authOrder.CreatedAt)
	assert.Equal(t, at.Unix(), f.authPay.CreatedAt)
	tokens, err := f.c.Token.List(context.Background(), f.cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	assert.Equal(t, at.Unix(), tokens.Items[0].CreatedAt)
	assert.Equal(t, 2031, tokens.Items[0].Card.ExpiryYear)
	assert.Equal(t, time.Date(2031, 12, 31, 23, 59, 59, 0, time.UTC).Unix(), tokens.Items[0].ExpiredAt,
		"without expire_at the mandate lasts until the card expires")
}

func TestNewServerAtAndHandler(t *testing.T) {
	t.Parallel()
	srv, err := razorpaytest.NewServerAt("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	_, err = srv.Client().Customer.List(context.Background(), nil)
	require.NoError(t, err)

	_, err = razorpaytest.NewServerAt("not an address")
	require.Error(t, err)

	// The handler mounted elsewhere serves the same state.
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	cust := createCustomer(t, razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(ts.URL)), "Gaurav Kumar", "", "")
	got, err := srv.Client().Customer.Fetch(context.Background(), cust.ID)
	require.NoError(t, err)
	assert.Equal(t, cust.ID, got.ID)
}

func TestHostedPage(t *testing.T) {
	t.Parallel()
	_, c := newServer(t)
	inv, err := c.RegistrationLink.Create(context.Background(), &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "Gold <plan>",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	resp, err := http.Get(inv.ShortURL)
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), "Gold &lt;plan&gt;")
	assert.Contains(t, string(page), "/authorize")

	resp, err = http.Post(inv.ShortURL+"/authorize", "", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode) // after the redirect
	got, err := c.Invoice.Fetch(context.Background(), inv.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.InvoiceStatusPaid, got.Status)
}

func TestSignHelpers(t *testing.T) {
	t.Parallel()
	// The vector of Razorpay's Python SDK tests.
	assert.Equal(t, "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89",
		razorpaytest.SignPayment("fake_order_id", "fake_payment_id", "key_secret"))
	require.NoError(t, razorpay.VerifyPaymentSignature("order_1", "pay_1", razorpaytest.SignPayment("order_1", "pay_1", "k"), "k"))

	body := []byte(`{"entity":"event","event":"payment.captured","contains":["payment"],"payload":{},"created_at":1}`)
	sig := razorpaytest.SignWebhook(body, "whsec")
	require.NoError(t, razorpay.VerifyWebhookSignature(body, sig, "whsec"))
	ev, err := razorpay.ParseWebhook(body, sig, "whsec")
	require.NoError(t, err)
	assert.Equal(t, razorpay.EventPaymentCaptured, ev.Event)
	require.ErrorIs(t, razorpay.VerifyWebhookSignature(body, sig, "other"), razorpay.ErrSignatureMismatch)
}

func TestSeed(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	run := func(seed uint64) ([]razorpay.Payment, []razorpaytest.WebhookDelivery) {
		sink := newWebhookSink(t, "s")
		f := newFixture(t, razorpaytest.WithSeed(seed), razorpaytest.WithClock(func() time.Time { return at }), razorpaytest.WithWebhook(sink.url, "s"))
		o := f.chargeOrder(t, 1000)
		_, err := f.c.Payment.CreateRecurring(context.Background(), f.recurring(o.ID, 1000))
		require.NoError(t, err)
		waitWebhooks(t, f.srv)
		return f.srv.Payments(), f.srv.Webhooks()
	}
	p1, w1 := run(7)
	p2, w2 := run(7)
	p3, _ := run(8)
	assert.Equal(t, p1, p2)
	assert.NotEqual(t, p1[0].ID, p3[0].ID)
	require.Equal(t, len(w1), len(w2))
	for i := range w1 {
		assert.Equal(t, w1[i].EventID, w2[i].EventID)
		assert.Equal(t, string(w1[i].Body), string(w2[i].Body))
	}
}

// TestManyFakeClientsShareOneTransport: 200 short-lived clients of one
// server (srv.Client()) share its one transport: at most two connections
// and a handful of goroutines, all released by srv.Close().
//
// Not parallel: it counts the goroutines of the whole test binary.
func TestManyFakeClientsShareOneTransport(t *testing.T) {
	const clients = 200
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	before := runtime.NumGoroutine()
	ctx := testkit.Context(t)

	for range clients {
		c := srv.Client()
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	during := runtime.NumGoroutine() - before
	conns := srv.Connections()
	t.Logf("after %d clients of srv.Client(): %d connections accepted, %d goroutines more than before", clients, conns, during)
	assert.LessOrEqual(t, conns, 2, "one pooled connection serves every client")
	assert.Less(t, during, 10)

	srv.Close()
	after := testkit.SettleGoroutines(before, 5*time.Second)
	t.Logf("after srv.Close(): %d goroutines (%d before the clients)", after, before)
	assert.LessOrEqual(t, after, before, "Close released the shared pool")
}
