package razorpay_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The retry policy (retry.go) against the fake and a dialer that can
// refuse: every operation of the SDK against every fault, with the
// requests the fake saw, the connections the client opened, the error
// class and the state the fake holds afterwards.

// refusingDialer dials the fake for real, except that the first dials fail as a
// refused connection would: the one failure the fake itself cannot produce.
type refusingDialer struct {
	failLeft atomic.Int64 // dials still to fail
	dials    atomic.Int64 // dials attempted
	d        net.Dialer
}

func (d *refusingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.dials.Add(1)
	if d.failLeft.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	return d.d.DialContext(ctx, network, addr)
}

// dialerClient returns an HTTP client that dials through d, with its idle
// connections closed at the end of the test.
func dialerClient(t *testing.T, d *refusingDialer) *http.Client {
	t.Helper()
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 8, MaxConnsPerHost: 8}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

const (
	// matrixTimeout is the per-attempt timeout of the timeout cases, and
	// matrixDelay the Delay that outlasts it. The other cases use a long
	// timeout, so that a loaded machine cannot turn them into timeouts.
	matrixTimeout = 200 * time.Millisecond
	matrixDelay   = 350 * time.Millisecond
)

// matrixOp is one operation of the SDK as the matrix drives it.
type matrixOp struct {
	name       string
	method     string
	path       func(fx *mockSetup) string // escaped, as the server logs it
	repeatable bool
	// call runs the operation and returns what identifies its result.
	call func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error)
	// want is what call returns on success.
	want func(fx *mockSetup) string
	// state is 0 before the operation changed the server's state and 1
	// after; nil for reads.
	state func(fx *mockSetup) int
}

// joinIDs takes the result of a list call and returns a function that joins
// the ids of its items, or returns the call's error.
func joinIDs[T any](l *razorpay.List[T], err error) func(id func(T) string) (string, error) {
	return func(id func(T) string) (string, error) {
		if err != nil {
			return "", err
		}
		ids := make([]string, len(l.Items))
		for i, it := range l.Items {
			ids[i] = id(it)
		}
		return strings.Join(ids, ","), nil
	}
}

func bit(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// matrixOps is every operation of the SDK, with its preconditions taken from a
// mockSetup.
func matrixOps() []matrixOp {
	ordersWithReceipt := func(fx *mockSetup, receipt string) int {
		n := 0
		for _, o := range fx.srv.Orders() {
			if o.Receipt == receipt {
				n++
			}
		}
		return n
	}
	invoice := func(fx *mockSetup) razorpay.Invoice {
		for _, inv := range fx.srv.Invoices() {
			if inv.ID == fx.invoiceID {
				return inv
			}
		}
		return razorpay.Invoice{}
	}
	return []matrixOp{
		{
			name: "Customer.Create", method: "POST", path: mockPath("/v1/customers"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				cu, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Anita Sharma", Email: "anita.sharma@example.com", Contact: "+919812345678"})
				if err != nil {
					return "", err
				}
				return cu.Email, nil
			},
			want: mockPath("anita.sharma@example.com"),
			state: func(fx *mockSetup) int {
				n := 0
				for _, cu := range fx.srv.Customers() {
					n += bit(cu.Email == "anita.sharma@example.com")
				}
				return n
			},
		},
		{
			name: "Customer.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/customers/" + fx.customerID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				cu, err := c.Customer.Fetch(ctx, fx.customerID)
				if err != nil {
					return "", err
				}
				return cu.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.customerID },
		},
		{
			name: "Customer.List", method: "GET", repeatable: true, path: mockPath("/v1/customers"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				return joinIDs(c.Customer.List(ctx, &razorpay.ListParams{Count: 10}))(func(cu razorpay.Customer) string { return cu.ID })
			},
			want: func(fx *mockSetup) string { return fx.customerID },
		},
		{
			name: "Order.Create", method: "POST", path: mockPath("/v1/orders"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 2500, Currency: "INR", Receipt: "matrix-order"})
				if err != nil {
					return "", err
				}
				return o.Receipt, nil
			},
			want:  mockPath("matrix-order"),
			state: func(fx *mockSetup) int { return ordersWithReceipt(fx, "matrix-order") },
		},
		{
			name: "Order.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/orders/" + fx.chargeOrderID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				o, err := c.Order.Fetch(ctx, fx.chargeOrderID)
				if err != nil {
					return "", err
				}
				return o.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.chargeOrderID },
		},
		{
			name: "Order.Payments", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/orders/" + fx.authOrderID + "/payments" },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				return joinIDs(c.Order.Payments(ctx, fx.authOrderID))(func(p razorpay.Payment) string { return p.ID })
			},
			want: func(fx *mockSetup) string { return fx.authPaymentID },
		},
		{
			name: "RegistrationLink.Create", method: "POST", path: mockPath("/v1/subscription_registration/auth_links"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				inv, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
					Customer: razorpay.RegistrationLinkCustomer{Name: mockName, Email: mockEmail, Contact: mockContact},
					Amount:   100, Currency: "INR", Description: "Yearly plan", Receipt: "matrix-link",
					SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 900_000, Frequency: razorpay.FrequencyYearly},
				})
				if err != nil {
					return "", err
				}
				return inv.Receipt, nil
			},
			want: mockPath("matrix-link"),
			state: func(fx *mockSetup) int {
				n := 0
				for _, inv := range fx.srv.Invoices() {
					n += bit(inv.Receipt == "matrix-link")
				}
				return n
			},
		},
		{
			name: "Payment.CreateRecurring", method: "POST", path: mockPath("/v1/payments/create/recurring"),
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				rp, err := c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
					Email: mockEmail, Contact: mockContact, Amount: 5000, Currency: "INR",
					OrderID: fx.chargeOrderID, CustomerID: fx.customerID, TokenID: fx.tokenID,
				})
				if err != nil {
					return "", err
				}
				return rp.OrderID, nil
			},
			want:  func(fx *mockSetup) string { return fx.chargeOrderID },
			state: func(fx *mockSetup) int { return len(fx.srv.OrderPayments(fx.chargeOrderID)) },
		},
		{
			name: "Payment.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/payments/" + fx.authPaymentID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				p, err := c.Payment.Fetch(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return p.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.authPaymentID },
		},
		{
			name: "Payment.FetchCard", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/payments/" + fx.authPaymentID + "/card" },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				cd, err := c.Payment.FetchCard(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return cd.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.cardID },
		},
		{
			name: "Invoice.NotifyBy", method: "POST",
			path: func(fx *mockSetup) string { return "/v1/invoices/" + fx.invoiceID + "/notify_by/sms" },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				if err := c.Invoice.NotifyBy(ctx, fx.invoiceID, razorpay.NotifyMediumSMS); err != nil {
					return "", err
				}
				return "notified", nil
			},
			want:  mockPath("notified"),
			state: func(fx *mockSetup) int { return bit(invoice(fx).SMSStatus == razorpay.NotificationStatusSent) },
		},
		{
			name: "Invoice.Cancel", method: "POST",
			path: func(fx *mockSetup) string { return "/v1/invoices/" + fx.invoiceID + "/cancel" },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				inv, err := c.Invoice.Cancel(ctx, fx.invoiceID)
				if err != nil {
					return "", err
				}
				return inv.ID + " " + string(inv.Status), nil
			},
			want:  func(fx *mockSetup) string { return fx.invoiceID + " cancelled" },
			state: func(fx *mockSetup) int { return bit(invoice(fx).Status == razorpay.InvoiceStatusCancelled) },
		},
		{
			name: "Invoice.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/invoices/" + fx.invoiceID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				inv, err := c.Invoice.Fetch(ctx, fx.invoiceID)
				if err != nil {
					return "", err
				}
				return inv.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.invoiceID },
		},
		{
			name: "Invoice.List", method: "GET", repeatable: true, path: mockPath("/v1/invoices"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				return joinIDs(c.Invoice.List(ctx, &razorpay.InvoiceListParams{Type: razorpay.InvoiceTypeLink}))(func(inv razorpay.Invoice) string { return inv.ID })
			},
			want: func(fx *mockSetup) string { return fx.invoiceID },
		},
		{
			name: "Token.FetchByPayment", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/payments/" + fx.authPaymentID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				p, err := c.Token.FetchByPayment(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return p.TokenID, nil
			},
			want: func(fx *mockSetup) string { return fx.tokenID },
		},
		{
			name: "Token.List", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/customers/" + fx.customerID + "/tokens" },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				return joinIDs(c.Token.List(ctx, fx.customerID))(func(tk razorpay.Token) string { return tk.ID })
			},
			want: func(fx *mockSetup) string { return fx.tokenID },
		},
		{
			name: "Token.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/customers/" + fx.customerID + "/tokens/" + fx.tokenID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				tk, err := c.Token.Fetch(ctx, fx.customerID, fx.tokenID)
				if err != nil {
					return "", err
				}
				return tk.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.tokenID },
		},
		{
			name: "Token.Delete", method: "DELETE", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/customers/" + fx.customerID + "/tokens/" + fx.tokenID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				if err := c.Token.Delete(ctx, fx.customerID, fx.tokenID); err != nil {
					return "", err
				}
				return "deleted", nil
			},
			want:  mockPath("deleted"),
			state: func(fx *mockSetup) int { return bit(len(fx.srv.Tokens(fx.customerID)) == 0) },
		},
		{
			name: "Card.Fetch", method: "GET", repeatable: true,
			path: func(fx *mockSetup) string { return "/v1/cards/" + fx.cardID },
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				cd, err := c.Card.Fetch(ctx, fx.cardID)
				if err != nil {
					return "", err
				}
				return cd.ID, nil
			},
			want: func(fx *mockSetup) string { return fx.cardID },
		},
		{
			name: "Card.RequestCardReference", method: "POST", path: mockPath("/v1/cards/fingerprints"),
			call: func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (string, error) {
				ref, err := c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: fx.tokenID})
				if err != nil {
					return "", err
				}
				return ref.NetworkName() + " " + strconv.Itoa(len(ref.PaymentAccountReference)), nil
			},
			want: mockPath("Visa 29"),
		},
		{
			name: "Do.GET", method: "GET", repeatable: true, path: mockPath("/v1/payments"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				var l razorpay.List[razorpay.Payment]
				err := c.Do(ctx, "GET", "/v1/payments", nil, &l)
				return joinIDs(&l, err)(func(p razorpay.Payment) string { return p.ID })
			},
			want: func(fx *mockSetup) string { return fx.authPaymentID },
		},
		{
			name: "Do.POST", method: "POST", path: mockPath("/v1/orders"),
			call: func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (string, error) {
				var o razorpay.Order
				if err := c.Do(ctx, "POST", "/v1/orders", map[string]any{"amount": 7500, "currency": "INR", "receipt": "matrix-do"}, &o); err != nil {
					return "", err
				}
				return o.Receipt, nil
			},
			want:  mockPath("matrix-do"),
			state: func(fx *mockSetup) int { return ordersWithReceipt(fx, "matrix-do") },
		},
	}
}

type faultKind int

const (
	dialFailure faultKind = iota
	statusFault           // an HTTP status, answered without processing the request
	timeoutFault
	resetBefore
	resetAfter
)

// matrixFault is one column of the matrix.
type matrixFault struct {
	name   string
	kind   faultKind
	status int
	fault  razorpaytest.Fault // Method, Path and Times are set per case
}

func matrixFaults() []matrixFault {
	rateLimited := razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")
	serverErr := razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")
	return []matrixFault{
		{name: "dial failure", kind: dialFailure},
		{name: "429", kind: statusFault, status: 429, fault: razorpaytest.Fault{Status: 429, Body: rateLimited}},
		{name: "429 Retry-After", kind: statusFault, status: 429, fault: razorpaytest.Fault{Status: 429, Body: rateLimited, RetryAfter: "1"}},
		{name: "500", kind: statusFault, status: 500, fault: razorpaytest.Fault{Status: 500, Body: serverErr}},
		{name: "502 HTML", kind: statusFault, status: 502, fault: razorpaytest.Fault{Status: 502, Body: mockBadGatewayHTML, ContentType: "text/html"}},
		{name: "503", kind: statusFault, status: 503, fault: razorpaytest.Fault{Status: 503, Body: serverErr}},
		{name: "504", kind: statusFault, status: 504, fault: razorpaytest.Fault{Status: 504}},
		{name: "timeout", kind: timeoutFault, fault: razorpaytest.Fault{Delay: matrixDelay}},
		{name: "reset before processing", kind: resetBefore, fault: razorpaytest.Fault{Drop: razorpaytest.DropBeforeProcessing}},
		{name: "reset after processing", kind: resetAfter, fault: razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing}},
	}
}

// matrixExpectation is what the contract says a case ends with.
type matrixExpectation struct {
	requests int  // requests the server sees
	dials    int  // connections the client opens
	ok       bool // the call succeeds
	unknown  bool // the error matches ErrOutcomeUnknown
	changed  int  // how many times the server's state changes
}

// matrixExpect applies the contract's retry rules ("Retries" in API.md): a
// failed dial and a 429 are retried for every operation; timeouts, resets
// and 500/502/503/504 only for GET and DELETE, and a state-creating call
// fails at once with ErrOutcomeUnknown. once means that only the first
// attempt meets the fault. Three attempts in all: WithMaxRetries(2).
func matrixExpect(f matrixFault, repeatable, once bool) matrixExpectation {
	var e matrixExpectation
	switch {
	case f.kind == dialFailure:
		e = matrixExpectation{requests: 0, dials: 3}
		if once {
			e = matrixExpectation{requests: 1, dials: 2, ok: true}
		}
	case f.kind == statusFault && f.status == 429, repeatable:
		e = matrixExpectation{requests: 3, dials: 3}
		if once {
			e = matrixExpectation{requests: 2, dials: 2, ok: true}
		}
	default:
		e = matrixExpectation{requests: 1, dials: 1, unknown: true}
	}
	if f.kind == statusFault {
		// An answered request leaves its connection to the next attempt;
		// see assertDials.
		e.dials = 1
	}
	// The server's state changes when the call succeeds, and when a request
	// is carried out although its answer is lost.
	e.changed = bit(e.ok || f.kind == resetAfter || f.kind == timeoutFault)
	return e
}

// TestRetryMatrixOfEveryOperation runs every operation of the SDK against every
// fault, once with the fault on every attempt and once on the first attempt
// only, and checks the requests the fake saw, the connections the client
// opened, the error class and the state the fake holds afterwards.
func TestRetryMatrixOfEveryOperation(t *testing.T) {
	t.Parallel()
	for _, op := range matrixOps() {
		for _, f := range matrixFaults() {
			for _, once := range []bool{false, true} {
				variant := "every attempt"
				if once {
					variant = "first attempt"
				}
				t.Run(op.name+"/"+f.name+"/"+variant, func(t *testing.T) {
					t.Parallel()
					runMatrixCase(t, op, f, once)
				})
			}
		}
	}
}

func runMatrixCase(t *testing.T, op matrixOp, f matrixFault, once bool) {
	srv := razorpaytest.NewTestServer(t)
	fx := newMockSetup(t, srv)
	before := 0
	if op.state != nil {
		before = op.state(fx)
		require.Zero(t, before)
	}
	want := matrixExpect(f, op.repeatable, once)

	d := &refusingDialer{}
	timeout := 30 * time.Second
	switch f.kind {
	case dialFailure:
		d.failLeft.Store(1 << 20)
		if once {
			d.failLeft.Store(1)
		}
	case timeoutFault:
		timeout = matrixTimeout
		fallthrough
	default:
		fault := f.fault
		fault.Method, fault.Path, fault.Times = op.method, op.path(fx), -1
		if once {
			fault.Times = 1
		}
		srv.InjectFault(fault)
	}
	c := srv.Client(
		razorpay.WithHTTPClient(dialerClient(t, d)),
		razorpay.WithMaxRetries(2),
		razorpay.WithRetryBackoff(0, time.Millisecond),
		razorpay.WithTimeout(timeout),
	)
	srv.ResetRequests()

	got, err := op.call(mockCtx(t, time.Minute), c, fx)

	reqs := srv.Requests()
	assert.Len(t, reqs, want.requests, "requests the server saw")
	assert.Equal(t, want.requests, mockCount(reqs, op.method, op.path(fx)), "requests for %s %s", op.method, op.path(fx))
	assertDials(t, f, want, d.dials.Load())
	if op.state != nil {
		if f.kind == timeoutFault {
			// The fake carries out a delayed request after the client gave up.
			assert.Eventually(t, func() bool { return op.state(fx) == want.changed }, 5*time.Second, 5*time.Millisecond, "state changes")
		}
		assert.Equal(t, want.changed, op.state(fx), "state changes")
	}
	if want.ok {
		require.NoError(t, err)
		assert.Equal(t, op.want(fx), got)
		return
	}
	require.Error(t, err)
	assert.Empty(t, got)
	assert.Equal(t, want.unknown, errors.Is(err, razorpay.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
	var apiErr *razorpay.Error
	isAPIErr := errors.As(err, &apiErr)
	giveUp := "giving up after 3 attempts"
	switch f.kind {
	case dialFailure:
		var opErr *net.OpError
		require.ErrorAs(t, err, &opErr)
		assert.Equal(t, "dial", opErr.Op)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.False(t, isAPIErr)
		assert.Contains(t, err.Error(), giveUp)
	case statusFault:
		require.True(t, isAPIErr, "want a *razorpay.Error, got %T: %v", err, err)
		assert.Equal(t, f.status, apiErr.HTTPStatusCode)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		if f.status == 429 {
			assert.ErrorIs(t, err, razorpay.ErrRateLimited)
			assert.NotErrorIs(t, err, razorpay.ErrServer)
		} else {
			assert.ErrorIs(t, err, razorpay.ErrServer)
			assert.NotErrorIs(t, err, razorpay.ErrRateLimited)
		}
		if f.status == 502 {
			assert.Contains(t, apiErr.Description, "text/html")
			assert.Contains(t, apiErr.Description, "502 Bad Gateway")
			assert.NotContains(t, err.Error(), "<html>")
		}
	case timeoutFault:
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.False(t, isAPIErr)
		if op.repeatable {
			assert.Contains(t, err.Error(), giveUp)
		}
	case resetBefore, resetAfter:
		assert.False(t, isAPIErr)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, isReset(err), "want a reset connection, got %v", err)
		if op.repeatable {
			assert.Contains(t, err.Error(), giveUp)
		}
	}
}

// assertDials checks the connections the client dialled. A failed dial,
// a reset and a timeout each cost the connection, so those counts are exact.
// After an answered fault (a status) the connection is normally reused, but
// net/http discards a connection whose write goroutine has not reported
// within 50 ms of the response (maxWriteWaitBeforeConnReuse in
// net/http/transport.go, which its own tests raise "to avoid flakiness"),
// which happens on a loaded machine under -race: then a retry dials again.
func assertDials(t *testing.T, f matrixFault, want matrixExpectation, dials int64) {
	t.Helper()
	if f.kind != statusFault {
		assert.Equal(t, int64(want.dials), dials, "connections dialled")
		return
	}
	assert.GreaterOrEqual(t, dials, int64(want.dials), "connections dialled")
	assert.LessOrEqual(t, dials, int64(want.requests), "connections dialled")
}

// isReset reports whether err says that the connection was closed
// without an answer.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
