package razorpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http/httptrace"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/internal/testkit"
	"github.com/gorzp/razorpay/razorpaytest"
)

// One client against the fake: shared by many goroutines, its connection
// pool released, and its secrets kept out of logs and printed values through
// a whole recurring-card flow.

// newMandates sets up n customers with a confirmed card mandate each.
func newMandates(t *testing.T, srv *razorpaytest.Server, n int) []*razorpaytest.Mandate {
	t.Helper()
	out := make([]*razorpaytest.Mandate, n)
	for i := range out {
		m, err := srv.NewMandate(mockCtx(t, time.Minute), 1_500_000)
		require.NoError(t, err)
		out[i] = m
	}
	return out
}

// loadCall is one call of the load test; i makes writes unique.
type loadCall struct {
	name string
	call func(ctx context.Context, c *razorpay.Client, fx *mockSetup, m *razorpaytest.Mandate, i int) error
}

func loadCalls() []loadCall {
	ignore := func(_ any, err error) error { return err }
	return []loadCall{
		{"Customer.Fetch", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Customer.Fetch(ctx, fx.customerID))
		}},
		{"Payment.Fetch", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Payment.Fetch(ctx, fx.authPaymentID))
		}},
		{"Token.List", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, m *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.List(ctx, m.CustomerID))
		}},
		{"Charge", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, m *razorpaytest.Mandate, i int) error {
			p, err := c.Payment.Charge(ctx, &razorpay.ChargeParams{
				CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 2000, Currency: "INR",
				Email: m.Email, Contact: m.Contact, Receipt: "load-" + strconv.Itoa(i),
			})
			if err == nil && p.Status != razorpay.PaymentStatusCaptured {
				err = fmt.Errorf("charge %d: status %s", i, p.Status)
			}
			return err
		}},
		{"Order.Fetch", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Order.Fetch(ctx, fx.chargeOrderID))
		}},
		{"Order.Payments", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Order.Payments(ctx, fx.authOrderID))
		}},
		{"Customer.Create", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, _ *razorpaytest.Mandate, i int) error {
			return ignore(c.Customer.Create(ctx, &razorpay.CustomerCreateParams{
				Name: "Load Customer", Email: fmt.Sprintf("load%05d@example.com", i), Contact: fmt.Sprintf("+9180%08d", i),
			}))
		}},
		{"Card.Fetch", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Card.Fetch(ctx, fx.cardID))
		}},
		{"Invoice.Fetch", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Invoice.Fetch(ctx, fx.invoiceID))
		}},
		{"Token.Fetch", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, m *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.Fetch(ctx, m.CustomerID, m.TokenID))
		}},
		{"Order.Create", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, _ *razorpaytest.Mandate, i int) error {
			return ignore(c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 3000, Currency: "INR", Receipt: "load-order-" + strconv.Itoa(i)}))
		}},
		{"Payment.FetchCard", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Payment.FetchCard(ctx, fx.authPaymentID))
		}},
		{"Customer.List", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Customer.List(ctx, &razorpay.ListParams{Count: 5}))
		}},
		{"Card.RequestCardReference", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, m *razorpaytest.Mandate, i int) error {
			p := &razorpay.CardReferenceParams{Token: m.TokenID}
			if i%2 == 0 {
				p = &razorpay.CardReferenceParams{Number: razorpaytest.DefaultCardNumber}
			}
			return ignore(c.Card.RequestCardReference(ctx, p))
		}},
		{"Invoice.List", func(ctx context.Context, c *razorpay.Client, _ *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Invoice.List(ctx, &razorpay.InvoiceListParams{ListParams: razorpay.ListParams{Count: 5}, Type: razorpay.InvoiceTypeLink}))
		}},
		{"Token.FetchByPayment", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.FetchByPayment(ctx, fx.authPaymentID))
		}},
		{"Invoice.NotifyBy", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			return c.Invoice.NotifyBy(ctx, fx.invoiceID, razorpay.NotifyMediumEmail)
		}},
		{"Do.GET", func(ctx context.Context, c *razorpay.Client, fx *mockSetup, _ *razorpaytest.Mandate, _ int) error {
			var p razorpay.Payment
			return c.Do(ctx, "GET", "/v1/payments/"+fx.authPaymentID, nil, &p)
		}},
	}
}

// TestClientSharedUnderLoad shares one client with the SDK's own transport among
// 64 goroutines for 10,000 calls of every kind, reads and writes, Charge
// included: no call fails, the race detector sees no race, and the fake
// sees no more connections than the SDK's pool holds (plus one for each
// connection net/http itself discarded, normally none).
func TestClientSharedUnderLoad(t *testing.T) {
	t.Parallel()
	const (
		calls      = 10_000
		goroutines = 64
	)
	start := time.Now()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRequestLogLimit(1))
	// The SDK's default transport: no WithHTTPClient.
	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
	fx := newMockSetupVia(t, srv, client)
	mandates := newMandates(t, srv, 4)
	// Count the connections net/http did not put back into the pool: it
	// discards one whose write goroutine is slow to report (see
	// assertDials), and only then may the pool open one more.
	var gotConn, putIdle atomic.Int64
	ctx := httptrace.WithClientTrace(mockCtx(t, time.Minute), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConn.Add(1) },
		PutIdleConn: func(err error) {
			if err == nil {
				putIdle.Add(1)
			}
		},
	})
	kinds := loadCalls()

	var (
		next   atomic.Int64
		failed atomic.Int64
		mu     sync.Mutex
		errs   []string
		done   = make([]atomic.Int64, len(kinds))
		wg     sync.WaitGroup
	)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= calls {
					return
				}
				k := i % len(kinds)
				if err := kinds[k].call(ctx, client, fx, mandates[i%len(mandates)], i); err != nil {
					failed.Add(1)
					mu.Lock()
					if len(errs) < 10 {
						errs = append(errs, kinds[k].name+": "+err.Error())
					}
					mu.Unlock()
					continue
				}
				done[k].Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	assert.Zero(t, failed.Load(), "failed calls, the first ones: %v", errs)
	total := int64(0)
	for k := range kinds {
		assert.Positive(t, done[k].Load(), kinds[k].name)
		total += done[k].Load()
	}
	assert.Equal(t, int64(calls), total)
	conns := srv.Connections() // the setup went through the same client
	discarded := int(gotConn.Load() - putIdle.Load())
	assert.Positive(t, conns)
	assert.GreaterOrEqual(t, discarded, 0)
	// One more connection is srv.NewMandate's, through the server's own client.
	assert.LessOrEqual(t, conns, razorpay.DefaultMaxConnsPerHost+discarded+1,
		"connections opened by the client under load (%d discarded by net/http)", discarded)
	assert.Less(t, discarded, 10, "net/http discarded connections")
	t.Logf("load: %d calls from %d goroutines on one client: %d connections opened (pool %d, %d discarded by net/http), %v",
		calls, goroutines, conns, razorpay.DefaultMaxConnsPerHost, discarded, elapsed.Round(time.Millisecond))
}

// teeHandler is a slog handler that renders every record both as text and as
// JSON, the two ways a log is usually written.
type teeHandler struct {
	text, json slog.Handler
	mu         *sync.Mutex
	debug      *int // Debug records of requests
}

func (h teeHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Level == slog.LevelDebug && r.Message == "razorpay: request" {
		*h.debug++
	}
	if err := h.text.Handle(ctx, r.Clone()); err != nil {
		return err
	}
	return h.json.Handle(ctx, r.Clone())
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{text: h.text.WithAttrs(as), json: h.json.WithAttrs(as), mu: h.mu, debug: h.debug}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{text: h.text.WithGroup(name), json: h.json.WithGroup(name), mu: h.mu, debug: h.debug}
}

// errorTree returns err and every error it wraps.
func errorTree(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, errorTree(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, errorTree(e)...)
		}
	}
	return out
}

// assertAbsent fails when secret occurs in out, showing where.
func assertAbsent(t *testing.T, out, secret string) {
	t.Helper()
	if i := strings.Index(out, secret); i >= 0 {
		from, to := max(0, i-120), min(len(out), i+len(secret)+40)
		t.Errorf("%q appears in the logs or printed values: …%s…", secret, out[from:to])
	}
}

// TestNoSecretsInAWholeFlow runs a whole recurring-card flow against the fake
// through a client that logs at Debug, with failing calls among them, then
// prints the client, every error and the values that carry secrets with
// every verb: the key secret, the Authorization header, the card number and
// the payment signatures appear nowhere.
func TestNoSecretsInAWholeFlow(t *testing.T) {
	t.Parallel()
	const card = razorpaytest.DefaultCardNumber // 4111111111111111
	var (
		logs  bytes.Buffer
		mu    sync.Mutex
		debug int
	)
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	logger := slog.New(teeHandler{text: slog.NewTextHandler(&logs, opts), json: slog.NewJSONHandler(&logs, opts), mu: &mu, debug: &debug})
	srv := razorpaytest.NewTestServer(t)
	c := srv.Client(razorpay.WithLogger(logger), razorpay.WithRetryBackoff(0, time.Millisecond), razorpay.WithTimeout(5*time.Second))
	ctx := mockCtx(t, time.Minute)
	var errs []error
	fail := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}

	// The mandate: customer, authorization order, the card holder's approval.
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: mockName, Email: mockEmail, Contact: mockContact})
	require.NoError(t, err)
	_, err = c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: mockName, Email: mockEmail, Contact: mockContact, FailExisting: razorpay.Ptr(true)})
	fail(err) // 400: the customer exists
	auth, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	authPay, err := srv.CompleteAuthorization(auth.ID, razorpaytest.WithCard(razorpaytest.CardDetails{Number: card}))
	require.NoError(t, err)
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: mockName, Email: mockEmail, Contact: mockContact},
		Amount:   100, Currency: "INR", Description: "Monthly plan",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	require.NoError(t, c.Invoice.NotifyBy(ctx, link.ID, razorpay.NotifyMediumEmail))

	// A charge by hand, with its signature, and one through Charge.
	order, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4900, Currency: "INR", Receipt: "secrets-1"})
	require.NoError(t, err)
	recurring := &razorpay.RecurringPaymentParams{
		Email: mockEmail, Contact: mockContact, Amount: 4900, Currency: "INR",
		OrderID: order.ID, CustomerID: cust.ID, TokenID: authPay.TokenID,
	}
	rp, err := c.Payment.CreateRecurring(ctx, recurring)
	require.NoError(t, err)
	require.NotEmpty(t, rp.Signature)
	require.NoError(t, razorpay.VerifyPaymentSignature(rp.OrderID, rp.PaymentID, rp.Signature, razorpaytest.KeySecret))
	_, err = c.Payment.CreateRecurring(ctx, recurring)
	fail(err) // 400: the order is paid
	charged, err := c.Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: cust.ID, TokenID: authPay.TokenID, Amount: 5900, Currency: "INR",
		Email: mockEmail, Contact: mockContact, Receipt: "secrets-2",
	})
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, charged.Status)

	// An unknown outcome: the answer to a recurring payment is lost.
	order2, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 6900, Currency: "INR", Receipt: "secrets-3"})
	require.NoError(t, err)
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing})
	lost := *recurring
	lost.OrderID, lost.Amount = order2.ID, 6900
	_, err = c.Payment.CreateRecurring(ctx, &lost)
	fail(err)
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)

	// Tokens, cards and card references, by number and by token.
	tokens, err := c.Token.List(ctx, cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	_, err = c.Card.Fetch(ctx, authPay.CardID)
	require.NoError(t, err)
	byNumber := &razorpay.CardReferenceParams{Number: card}
	ref, err := c.Card.RequestCardReference(ctx, byNumber)
	require.NoError(t, err)
	byToken := &razorpay.CardReferenceParams{Token: authPay.TokenID}
	ref2, err := c.Card.RequestCardReference(ctx, byToken)
	require.NoError(t, err)
	assert.Equal(t, ref.PaymentAccountReference, ref2.PaymentAccountReference, "the same card")
	_, err = c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: "4111111111111112"})
	fail(err) // 400: not a valid card number
	// A server (or proxy) that echoes the number in its error.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/cards/fingerprints", Status: 400,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The card number "+card+" is not supported")})
	_, err = c.Card.RequestCardReference(ctx, byNumber)
	fail(err)
	_, err = c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: card, Token: authPay.TokenID})
	fail(err) // validation: not both
	require.ErrorIs(t, err, razorpay.ErrInvalidParams)
	_, err = c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Number: "4111 1111 1111 1111"})
	fail(err) // validation: digits only
	require.ErrorIs(t, err, razorpay.ErrInvalidParams)
	require.NoError(t, c.Token.Delete(ctx, cust.ID, authPay.TokenID))
	fail(c.Token.Delete(ctx, cust.ID, authPay.TokenID)) // 400: gone

	// The values that carry secrets, through slog too.
	logger.Info("values", "client", c, "params", byNumber, "recurring", rp, "error", errs[len(errs)-3])
	assert.Equal(t, len(srv.Requests()), debug, "one Debug record per request")

	var printed []string
	values := []any{c, *c, rp, *rp, byNumber, *byNumber, byToken, recurring}
	for _, err := range errs {
		for _, e := range errorTree(err) {
			values = append(values, e)
		}
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			printed = append(printed, fmt.Sprintf(verb, v))
		}
	}
	out := logs.String() + "\n" + strings.Join(printed, "\n")

	secrets := []string{
		razorpaytest.KeySecret,
		base64.StdEncoding.EncodeToString([]byte(razorpaytest.KeyID + ":" + razorpaytest.KeySecret)),
		"Authorization",
		card, "4111 1111 1111 1111",
	}
	for _, p := range srv.Payments() { // every signature the fake could have sent
		secrets = append(secrets, razorpaytest.SignPayment(p.OrderID, p.ID, razorpaytest.KeySecret))
	}
	require.Contains(t, secrets, rp.Signature)
	for _, s := range secrets {
		assertAbsent(t, out, s)
	}
	// The values were printed, masked rather than dropped.
	assert.Contains(t, out, "XXXXXXXXXXXX1111")
	assert.Contains(t, out, "[REDACTED]")
	assert.Contains(t, out, razorpaytest.KeyID)
	assert.Contains(t, out, rp.PaymentID)
	assert.Contains(t, out, "/v1/cards/fingerprints")
	assert.Contains(t, out, "outcome unknown")
	assert.Len(t, errs, 8)
}

// TestManyClientsCloseIdleConnections: clients built with NewClient own a
// pool each; CloseIdleConnections releases it.
//
// Not parallel: it counts the goroutines of the whole test binary.
func TestManyClientsCloseIdleConnections(t *testing.T) {
	const clients = 200
	srv := razorpaytest.NewTestServer(t)
	before := runtime.NumGoroutine()
	ctx := mockCtx(t)

	open := make([]*razorpay.Client, 0, clients)
	for range clients {
		c := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
		open = append(open, c)
	}
	during := runtime.NumGoroutine() - before
	t.Logf("after %d clients of NewClient: %d connections accepted, %d goroutines more than before", clients, srv.Connections(), during)

	for _, c := range open {
		c.CloseIdleConnections()
	}
	after := testkit.SettleGoroutines(before, 5*time.Second)
	t.Logf("after CloseIdleConnections on each: %d goroutines (%d before the clients)", after, before)
	assert.LessOrEqual(t, after, before)
}
