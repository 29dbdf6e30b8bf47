package razorpaytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// The test kit of razorpaytest's external tests: a fake and its client, a
// customer with a confirmed mandate (fixture), raw requests, and a webhook
// endpoint.

// newFake starts a fake with razorpaytest.NewTestServer, closed with the
// test, and a client of it with short retry waits.
func newFake(t *testing.T, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpay.Client) {
	t.Helper()
	srv := razorpaytest.NewTestServer(t, opts...)
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

// newFixture starts a fake and creates the fixture's customer and mandate.
func newFixture(t *testing.T, opts ...razorpaytest.Option) *fixture {
	t.Helper()
	srv, c := newFake(t, opts...)
	f := &fixture{srv: srv, c: c}
	f.cust = createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	f.authOrder = createAuthOrder(t, c, f.cust.ID, 500000)
	p, err := srv.CompleteAuthorization(f.authOrder.ID)
	require.NoError(t, err)
	f.authPay, f.tokenID = p, p.TokenID
	return f
}

// createCustomer creates a customer through c.
func createCustomer(t *testing.T, c *razorpay.Client, name, email, contact string) *razorpay.Customer {
	t.Helper()
	cust, err := c.Customer.Create(context.Background(), &razorpay.CustomerCreateParams{Name: name, Email: email, Contact: contact})
	require.NoError(t, err)
	return cust
}

// createAuthOrder creates the authorization order of a card mandate of up
// to maxAmount.
func createAuthOrder(t *testing.T, c *razorpay.Client, customerID string, maxAmount int64) *razorpay.Order {
	t.Helper()
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: customerID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: maxAmount, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	return o
}

// chargeOrder creates an order to charge on the mandate, with a receipt of
// its own.
func (f *fixture) chargeOrder(t *testing.T, amount int64) *razorpay.Order {
	t.Helper()
	o, err := f.c.Order.Create(context.Background(), &razorpay.OrderCreateParams{
		Amount: amount, Currency: "INR", Receipt: fmt.Sprintf("charge-%d", f.charges), PaymentCapture: razorpay.Ptr(true),
	})
	require.NoError(t, err)
	f.charges++
	return o
}

// recurring are the params of a recurring payment of the order on the
// mandate.
func (f *fixture) recurring(orderID string, amount int64) *razorpay.RecurringPaymentParams {
	return &razorpay.RecurringPaymentParams{
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Amount: amount, Currency: "INR",
		OrderID: orderID, CustomerID: f.cust.ID, TokenID: f.tokenID, Description: "November",
	}
}

// charged returns a captured charge of 49,900 paise on f's mandate.
func (f *fixture) charged(t *testing.T) *razorpay.Payment {
	t.Helper()
	ctx := context.Background()
	o := f.chargeOrder(t, 49_900)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 49_900))
	require.NoError(t, err)
	p, err := f.c.Payment.Fetch(ctx, rp.PaymentID)
	require.NoError(t, err)
	if p.Status == razorpay.PaymentStatusCreated { // WithRecurringDelay
		require.NoError(t, f.srv.CapturePayment(p.ID))
		p, err = f.c.Payment.Fetch(ctx, rp.PaymentID)
		require.NoError(t, err)
	}
	require.Equal(t, razorpay.PaymentStatusCaptured, p.Status)
	return p
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

// errorField is the key of the error object of a raw answer.
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

// newWebhookSink starts an endpoint for webhooks signed with secret, closed
// with the test.
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

// received returns the events the endpoint accepted, in order.
func (s *webhookSink) received() []*razorpay.WebhookEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*razorpay.WebhookEvent(nil), s.events...)
}

// waitWebhooks waits until the fake has no webhook left to deliver.
func waitWebhooks(t *testing.T, srv *razorpaytest.Server) {
	t.Helper()
	require.NoError(t, srv.WaitForWebhooks(testkit.Context(t, 10*time.Second)))
}

// dial starts a server and a Remote of it.
func dial(t *testing.T, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpaytest.Remote, *razorpay.Client) {
	t.Helper()
	srv, client := newFake(t, opts...)
	rem, err := razorpaytest.Dial(context.Background(), srv.URL)
	require.NoError(t, err)
	return srv, rem, client
}

// charge charges a seeded bill.
func charge(ctx context.Context, client *razorpay.Client, b razorpaytest.Bill) (*razorpay.Payment, error) {
	return client.Payment.Charge(ctx, b.ChargeParams())
}
