package razorpay_test

// Issue 5: reliability tests against the fake (package razorpaytest) and a
// counting dialer: the retry matrix of every operation, a load test of one
// shared client, context deadlines and cancellation, secrets in logs and
// printed values, and bad responses. (The chaos soak of Payment.Charge is
// TestChargeChaosSoak, in charge_bill_fake_test.go.) The
// fuzz targets of the params' Validate methods are in
// reliability_internal_test.go.
//
// Every helper here is prefixed with rel.

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

const (
	relEmail   = "gaurav.kumar@example.com"
	relContact = "+919876543210"
	relName    = "Gaurav Kumar"
	// relBadGatewayHTML is what a proxy in front of Razorpay answers.
	relBadGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

// relDialer dials the fake for real, except that the first dials fail as a
// refused connection would: the one failure the fake itself cannot produce.
type relDialer struct {
	failLeft atomic.Int64 // dials still to fail
	dials    atomic.Int64 // dials attempted
	d        net.Dialer
}

func (d *relDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.dials.Add(1)
	if d.failLeft.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	return d.d.DialContext(ctx, network, addr)
}

// relHTTPClient returns an HTTP client that dials through d, with its idle
// connections closed at the end of the test.
func relHTTPClient(t *testing.T, d *relDialer) *http.Client {
	t.Helper()
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 8, MaxConnsPerHost: 8}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// relFixture is the state every operation of the matrix needs, created on a
// fresh fake before any fault is injected: a customer with a confirmed card
// mandate (its authorization order, payment, token and card), a charge order
// and a registration link of the same customer.
type relFixture struct {
	srv           *razorpaytest.Server
	customerID    string
	authOrderID   string
	authPaymentID string
	tokenID       string
	cardID        string
	chargeOrderID string
	invoiceID     string
}

func relSetup(t *testing.T, srv *razorpaytest.Server) *relFixture {
	t.Helper()
	return relSetupWith(t, srv, srv.Client())
}

// relSetupWith is relSetup through the client c.
func relSetupWith(t *testing.T, srv *razorpaytest.Server, c *razorpay.Client) *relFixture {
	t.Helper()
	ctx := mockCtx(t, time.Minute)
	fx := &relFixture{srv: srv}
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: relName, Email: relEmail, Contact: relContact})
	require.NoError(t, err)
	fx.customerID = cust.ID
	auth, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard, Receipt: "auth",
		Token: &razorpay.OrderTokenParams{MaxAmount: 1_500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	fx.authOrderID = auth.ID
	pay, err := srv.CompleteAuthorization(auth.ID)
	require.NoError(t, err)
	require.NotEmpty(t, pay.TokenID)
	require.NotEmpty(t, pay.CardID)
	fx.authPaymentID, fx.tokenID, fx.cardID = pay.ID, pay.TokenID, pay.CardID
	charge, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR", Receipt: "charge", PaymentCapture: razorpay.Ptr(true)})
	require.NoError(t, err)
	fx.chargeOrderID = charge.ID
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: relName, Email: relEmail, Contact: relContact},
		Amount:   100, Currency: "INR", Description: "Monthly plan", Receipt: "link",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	require.Equal(t, cust.ID, link.CustomerID, "the link reuses the customer")
	fx.invoiceID = link.ID
	return fx
}

// relCount counts the requests the server saw with this method and path.
func relCount(reqs []razorpaytest.Request, method, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// ---------------------------------------------------------------------------
// 1. The retry matrix: every operation × every fault
// ---------------------------------------------------------------------------

const (
	// relMatrixTimeout is the per-attempt timeout of the timeout cases, and
	// relMatrixDelay the Delay that outlasts it. The other cases use a long
	// timeout, so that a loaded machine cannot turn them into timeouts.
	relMatrixTimeout = 200 * time.Millisecond
	relMatrixDelay   = 350 * time.Millisecond
)

// relOp is one operation of the SDK as the matrix drives it.
type relOp struct {
	name       string
	method     string
	path       func(fx *relFixture) string // escaped, as the server logs it
	repeatable bool
	// call runs the operation and returns what identifies its result.
	call func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error)
	// want is what call returns on success.
	want func(fx *relFixture) string
	// state is 0 before the operation changed the server's state and 1
	// after; nil for reads.
	state func(fx *relFixture) int
}

func relPath(p string) func(*relFixture) string { return func(*relFixture) string { return p } }

// relIDs takes the result of a list call and returns a function that joins
// the ids of its items, or returns the call's error.
func relIDs[T any](l *razorpay.List[T], err error) func(id func(T) string) (string, error) {
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

func relB(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// relOps is every operation of the SDK, with its preconditions taken from a
// relFixture.
func relOps() []relOp {
	ordersWithReceipt := func(fx *relFixture, receipt string) int {
		n := 0
		for _, o := range fx.srv.Orders() {
			if o.Receipt == receipt {
				n++
			}
		}
		return n
	}
	invoice := func(fx *relFixture) razorpay.Invoice {
		for _, inv := range fx.srv.Invoices() {
			if inv.ID == fx.invoiceID {
				return inv
			}
		}
		return razorpay.Invoice{}
	}
	return []relOp{
		{
			name: "Customer.Create", method: "POST", path: relPath("/v1/customers"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				cu, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Anita Sharma", Email: "anita.sharma@example.com", Contact: "+919812345678"})
				if err != nil {
					return "", err
				}
				return cu.Email, nil
			},
			want: relPath("anita.sharma@example.com"),
			state: func(fx *relFixture) int {
				n := 0
				for _, cu := range fx.srv.Customers() {
					n += relB(cu.Email == "anita.sharma@example.com")
				}
				return n
			},
		},
		{
			name: "Customer.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/customers/" + fx.customerID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				cu, err := c.Customer.Fetch(ctx, fx.customerID)
				if err != nil {
					return "", err
				}
				return cu.ID, nil
			},
			want: func(fx *relFixture) string { return fx.customerID },
		},
		{
			name: "Customer.List", method: "GET", repeatable: true, path: relPath("/v1/customers"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				return relIDs(c.Customer.List(ctx, &razorpay.ListParams{Count: 10}))(func(cu razorpay.Customer) string { return cu.ID })
			},
			want: func(fx *relFixture) string { return fx.customerID },
		},
		{
			name: "Order.Create", method: "POST", path: relPath("/v1/orders"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 2500, Currency: "INR", Receipt: "matrix-order"})
				if err != nil {
					return "", err
				}
				return o.Receipt, nil
			},
			want:  relPath("matrix-order"),
			state: func(fx *relFixture) int { return ordersWithReceipt(fx, "matrix-order") },
		},
		{
			name: "Order.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/orders/" + fx.chargeOrderID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				o, err := c.Order.Fetch(ctx, fx.chargeOrderID)
				if err != nil {
					return "", err
				}
				return o.ID, nil
			},
			want: func(fx *relFixture) string { return fx.chargeOrderID },
		},
		{
			name: "Order.Payments", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/orders/" + fx.authOrderID + "/payments" },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				return relIDs(c.Order.Payments(ctx, fx.authOrderID))(func(p razorpay.Payment) string { return p.ID })
			},
			want: func(fx *relFixture) string { return fx.authPaymentID },
		},
		{
			name: "RegistrationLink.Create", method: "POST", path: relPath("/v1/subscription_registration/auth_links"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				inv, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
					Customer: razorpay.RegistrationLinkCustomer{Name: relName, Email: relEmail, Contact: relContact},
					Amount:   100, Currency: "INR", Description: "Yearly plan", Receipt: "matrix-link",
					SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 900_000, Frequency: razorpay.FrequencyYearly},
				})
				if err != nil {
					return "", err
				}
				return inv.Receipt, nil
			},
			want: relPath("matrix-link"),
			state: func(fx *relFixture) int {
				n := 0
				for _, inv := range fx.srv.Invoices() {
					n += relB(inv.Receipt == "matrix-link")
				}
				return n
			},
		},
		{
			name: "Payment.CreateRecurring", method: "POST", path: relPath("/v1/payments/create/recurring"),
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				rp, err := c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
					Email: relEmail, Contact: relContact, Amount: 5000, Currency: "INR",
					OrderID: fx.chargeOrderID, CustomerID: fx.customerID, TokenID: fx.tokenID,
				})
				if err != nil {
					return "", err
				}
				return rp.OrderID, nil
			},
			want:  func(fx *relFixture) string { return fx.chargeOrderID },
			state: func(fx *relFixture) int { return len(fx.srv.OrderPayments(fx.chargeOrderID)) },
		},
		{
			name: "Payment.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/payments/" + fx.authPaymentID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				p, err := c.Payment.Fetch(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return p.ID, nil
			},
			want: func(fx *relFixture) string { return fx.authPaymentID },
		},
		{
			name: "Payment.FetchCard", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/payments/" + fx.authPaymentID + "/card" },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				cd, err := c.Payment.FetchCard(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return cd.ID, nil
			},
			want: func(fx *relFixture) string { return fx.cardID },
		},
		{
			name: "Invoice.NotifyBy", method: "POST",
			path: func(fx *relFixture) string { return "/v1/invoices/" + fx.invoiceID + "/notify_by/sms" },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				if err := c.Invoice.NotifyBy(ctx, fx.invoiceID, razorpay.NotifyMediumSMS); err != nil {
					return "", err
				}
				return "notified", nil
			},
			want:  relPath("notified"),
			state: func(fx *relFixture) int { return relB(invoice(fx).SMSStatus == razorpay.NotificationStatusSent) },
		},
		{
			name: "Invoice.Cancel", method: "POST",
			path: func(fx *relFixture) string { return "/v1/invoices/" + fx.invoiceID + "/cancel" },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				inv, err := c.Invoice.Cancel(ctx, fx.invoiceID)
				if err != nil {
					return "", err
				}
				return inv.ID + " " + string(inv.Status), nil
			},
			want:  func(fx *relFixture) string { return fx.invoiceID + " cancelled" },
			state: func(fx *relFixture) int { return relB(invoice(fx).Status == razorpay.InvoiceStatusCancelled) },
		},
		{
			name: "Invoice.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/invoices/" + fx.invoiceID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				inv, err := c.Invoice.Fetch(ctx, fx.invoiceID)
				if err != nil {
					return "", err
				}
				return inv.ID, nil
			},
			want: func(fx *relFixture) string { return fx.invoiceID },
		},
		{
			name: "Invoice.List", method: "GET", repeatable: true, path: relPath("/v1/invoices"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				return relIDs(c.Invoice.List(ctx, &razorpay.InvoiceListParams{Type: razorpay.InvoiceTypeLink}))(func(inv razorpay.Invoice) string { return inv.ID })
			},
			want: func(fx *relFixture) string { return fx.invoiceID },
		},
		{
			name: "Token.FetchByPayment", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/payments/" + fx.authPaymentID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				p, err := c.Token.FetchByPayment(ctx, fx.authPaymentID)
				if err != nil {
					return "", err
				}
				return p.TokenID, nil
			},
			want: func(fx *relFixture) string { return fx.tokenID },
		},
		{
			name: "Token.List", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/customers/" + fx.customerID + "/tokens" },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				return relIDs(c.Token.List(ctx, fx.customerID))(func(tk razorpay.Token) string { return tk.ID })
			},
			want: func(fx *relFixture) string { return fx.tokenID },
		},
		{
			name: "Token.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/customers/" + fx.customerID + "/tokens/" + fx.tokenID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				tk, err := c.Token.Fetch(ctx, fx.customerID, fx.tokenID)
				if err != nil {
					return "", err
				}
				return tk.ID, nil
			},
			want: func(fx *relFixture) string { return fx.tokenID },
		},
		{
			name: "Token.Delete", method: "DELETE", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/customers/" + fx.customerID + "/tokens/" + fx.tokenID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				if err := c.Token.Delete(ctx, fx.customerID, fx.tokenID); err != nil {
					return "", err
				}
				return "deleted", nil
			},
			want:  relPath("deleted"),
			state: func(fx *relFixture) int { return relB(len(fx.srv.Tokens(fx.customerID)) == 0) },
		},
		{
			name: "Card.Fetch", method: "GET", repeatable: true,
			path: func(fx *relFixture) string { return "/v1/cards/" + fx.cardID },
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				cd, err := c.Card.Fetch(ctx, fx.cardID)
				if err != nil {
					return "", err
				}
				return cd.ID, nil
			},
			want: func(fx *relFixture) string { return fx.cardID },
		},
		{
			name: "Card.RequestCardReference", method: "POST", path: relPath("/v1/cards/fingerprints"),
			call: func(ctx context.Context, c *razorpay.Client, fx *relFixture) (string, error) {
				ref, err := c.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: fx.tokenID})
				if err != nil {
					return "", err
				}
				return ref.NetworkName() + " " + strconv.Itoa(len(ref.PaymentAccountReference)), nil
			},
			want: relPath("Visa 29"),
		},
		{
			name: "Do.GET", method: "GET", repeatable: true, path: relPath("/v1/payments"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				var l razorpay.List[razorpay.Payment]
				err := c.Do(ctx, "GET", "/v1/payments", nil, &l)
				return relIDs(&l, err)(func(p razorpay.Payment) string { return p.ID })
			},
			want: func(fx *relFixture) string { return fx.authPaymentID },
		},
		{
			name: "Do.POST", method: "POST", path: relPath("/v1/orders"),
			call: func(ctx context.Context, c *razorpay.Client, _ *relFixture) (string, error) {
				var o razorpay.Order
				if err := c.Do(ctx, "POST", "/v1/orders", map[string]any{"amount": 7500, "currency": "INR", "receipt": "matrix-do"}, &o); err != nil {
					return "", err
				}
				return o.Receipt, nil
			},
			want:  relPath("matrix-do"),
			state: func(fx *relFixture) int { return ordersWithReceipt(fx, "matrix-do") },
		},
	}
}

type relFaultKind int

const (
	relDialFailure relFaultKind = iota
	relStatus                   // an HTTP status, answered without processing the request
	relTimeoutFault
	relResetBefore
	relResetAfter
)

// relMatrixFault is one column of the matrix.
type relMatrixFault struct {
	name   string
	kind   relFaultKind
	status int
	fault  razorpaytest.Fault // Method, Path and Times are set per case
}

func relMatrixFaults() []relMatrixFault {
	rateLimited := razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")
	serverErr := razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")
	return []relMatrixFault{
		{name: "dial failure", kind: relDialFailure},
		{name: "429", kind: relStatus, status: 429, fault: razorpaytest.Fault{Status: 429, Body: rateLimited}},
		{name: "429 Retry-After", kind: relStatus, status: 429, fault: razorpaytest.Fault{Status: 429, Body: rateLimited, RetryAfter: "1"}},
		{name: "500", kind: relStatus, status: 500, fault: razorpaytest.Fault{Status: 500, Body: serverErr}},
		{name: "502 HTML", kind: relStatus, status: 502, fault: razorpaytest.Fault{Status: 502, Body: relBadGatewayHTML, ContentType: "text/html"}},
		{name: "503", kind: relStatus, status: 503, fault: razorpaytest.Fault{Status: 503, Body: serverErr}},
		{name: "504", kind: relStatus, status: 504, fault: razorpaytest.Fault{Status: 504}},
		{name: "timeout", kind: relTimeoutFault, fault: razorpaytest.Fault{Delay: relMatrixDelay}},
		{name: "reset before processing", kind: relResetBefore, fault: razorpaytest.Fault{Drop: razorpaytest.DropBeforeProcessing}},
		{name: "reset after processing", kind: relResetAfter, fault: razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing}},
	}
}

// relExpectation is what the contract says a case ends with.
type relExpectation struct {
	requests int  // requests the server sees
	dials    int  // connections the client opens
	ok       bool // the call succeeds
	unknown  bool // the error matches ErrOutcomeUnknown
	changed  int  // how many times the server's state changes
}

// relExpect applies the contract's retry rules ("Retries" in API.md): a
// failed dial and a 429 are retried for every operation; timeouts, resets
// and 500/502/503/504 only for GET and DELETE, and a state-creating call
// fails at once with ErrOutcomeUnknown. once means that only the first
// attempt meets the fault. Three attempts in all: WithMaxRetries(2).
func relExpect(f relMatrixFault, repeatable, once bool) relExpectation {
	var e relExpectation
	switch {
	case f.kind == relDialFailure:
		e = relExpectation{requests: 0, dials: 3}
		if once {
			e = relExpectation{requests: 1, dials: 2, ok: true}
		}
	case f.kind == relStatus && f.status == 429, repeatable:
		e = relExpectation{requests: 3, dials: 3}
		if once {
			e = relExpectation{requests: 2, dials: 2, ok: true}
		}
	default:
		e = relExpectation{requests: 1, dials: 1, unknown: true}
	}
	if f.kind == relStatus {
		// An answered request leaves its connection to the next attempt;
		// see relAssertDials.
		e.dials = 1
	}
	// The server's state changes when the call succeeds, and when a request
	// is carried out although its answer is lost.
	e.changed = relB(e.ok || f.kind == relResetAfter || f.kind == relTimeoutFault)
	return e
}

// TestReliabilityRetryMatrix runs every operation of the SDK against every
// fault, once with the fault on every attempt and once on the first attempt
// only, and checks the requests the fake saw, the connections the client
// opened, the error class and the state the fake holds afterwards.
func TestReliabilityRetryMatrix(t *testing.T) {
	t.Parallel()
	for _, op := range relOps() {
		for _, f := range relMatrixFaults() {
			for _, once := range []bool{false, true} {
				variant := "every attempt"
				if once {
					variant = "first attempt"
				}
				t.Run(op.name+"/"+f.name+"/"+variant, func(t *testing.T) {
					t.Parallel()
					relMatrixCase(t, op, f, once)
				})
			}
		}
	}
}

func relMatrixCase(t *testing.T, op relOp, f relMatrixFault, once bool) {
	srv := mockServer(t)
	fx := relSetup(t, srv)
	before := 0
	if op.state != nil {
		before = op.state(fx)
		require.Zero(t, before)
	}
	want := relExpect(f, op.repeatable, once)

	d := &relDialer{}
	timeout := 30 * time.Second
	switch f.kind {
	case relDialFailure:
		d.failLeft.Store(1 << 20)
		if once {
			d.failLeft.Store(1)
		}
	case relTimeoutFault:
		timeout = relMatrixTimeout
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
		razorpay.WithHTTPClient(relHTTPClient(t, d)),
		razorpay.WithMaxRetries(2),
		razorpay.WithRetryBackoff(0, time.Millisecond),
		razorpay.WithTimeout(timeout),
	)
	srv.ResetRequests()

	got, err := op.call(mockCtx(t, time.Minute), c, fx)

	reqs := srv.Requests()
	assert.Len(t, reqs, want.requests, "requests the server saw")
	assert.Equal(t, want.requests, relCount(reqs, op.method, op.path(fx)), "requests for %s %s", op.method, op.path(fx))
	relAssertDials(t, f, want, d.dials.Load())
	if op.state != nil {
		if f.kind == relTimeoutFault {
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
	case relDialFailure:
		var opErr *net.OpError
		require.ErrorAs(t, err, &opErr)
		assert.Equal(t, "dial", opErr.Op)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.False(t, isAPIErr)
		assert.Contains(t, err.Error(), giveUp)
	case relStatus:
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
	case relTimeoutFault:
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.False(t, isAPIErr)
		if op.repeatable {
			assert.Contains(t, err.Error(), giveUp)
		}
	case relResetBefore, relResetAfter:
		assert.False(t, isAPIErr)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, relIsReset(err), "want a reset connection, got %v", err)
		if op.repeatable {
			assert.Contains(t, err.Error(), giveUp)
		}
	}
}

// relAssertDials checks the connections the client dialled. A failed dial,
// a reset and a timeout each cost the connection, so those counts are exact.
// After an answered fault (a status) the connection is normally reused, but
// net/http discards a connection whose write goroutine has not reported
// within 50 ms of the response (maxWriteWaitBeforeConnReuse in
// net/http/transport.go, which its own tests raise "to avoid flakiness"),
// which happens on a loaded machine under -race: then a retry dials again.
func relAssertDials(t *testing.T, f relMatrixFault, want relExpectation, dials int64) {
	t.Helper()
	if f.kind != relStatus {
		assert.Equal(t, int64(want.dials), dials, "connections dialled")
		return
	}
	assert.GreaterOrEqual(t, dials, int64(want.dials), "connections dialled")
	assert.LessOrEqual(t, dials, int64(want.requests), "connections dialled")
}

// relIsReset reports whether err says that the connection was closed
// without an answer.
func relIsReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// ---------------------------------------------------------------------------
// 2. The fault mix of the chaos soak of Payment.Charge (TestChargeChaosSoak)
// ---------------------------------------------------------------------------

// relChaosFault is one kind of fault the soak injects.
type relChaosFault struct {
	name  string
	fault razorpaytest.Fault // the soak sets Match per request
}

func relChaosFaults(delay time.Duration) []relChaosFault {
	serverErr := razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")
	return []relChaosFault{
		{"429", razorpaytest.Fault{Status: 429, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests"), RetryAfter: "1"}},
		{"500", razorpaytest.Fault{Status: 500, Body: serverErr}},
		{"502 HTML", razorpaytest.Fault{Status: 502, Body: relBadGatewayHTML, ContentType: "text/html"}},
		{"503", razorpaytest.Fault{Status: 503, Body: serverErr}},
		{"504", razorpaytest.Fault{Status: 504}},
		{"drop before processing", razorpaytest.Fault{Drop: razorpaytest.DropBeforeProcessing}},
		{"drop after processing", razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing}},
		{"delay", razorpaytest.Fault{Delay: delay}},
	}
}

// relMandates sets up n customers with a confirmed card mandate each.
func relMandates(t *testing.T, srv *razorpaytest.Server, n int) []*razorpaytest.Mandate {
	t.Helper()
	out := make([]*razorpaytest.Mandate, n)
	for i := range out {
		m, err := srv.NewMandate(mockCtx(t, time.Minute), 1_500_000)
		require.NoError(t, err)
		out[i] = m
	}
	return out
}

// ---------------------------------------------------------------------------
// 3. Load: one client, many goroutines
// ---------------------------------------------------------------------------

// relLoadCall is one call of the load test; i makes writes unique.
type relLoadCall struct {
	name string
	call func(ctx context.Context, c *razorpay.Client, fx *relFixture, m *razorpaytest.Mandate, i int) error
}

func relLoadCalls() []relLoadCall {
	ignore := func(_ any, err error) error { return err }
	return []relLoadCall{
		{"Customer.Fetch", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Customer.Fetch(ctx, fx.customerID))
		}},
		{"Payment.Fetch", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Payment.Fetch(ctx, fx.authPaymentID))
		}},
		{"Token.List", func(ctx context.Context, c *razorpay.Client, _ *relFixture, m *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.List(ctx, m.CustomerID))
		}},
		{"Charge", func(ctx context.Context, c *razorpay.Client, _ *relFixture, m *razorpaytest.Mandate, i int) error {
			p, err := c.Payment.Charge(ctx, &razorpay.ChargeParams{
				CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 2000, Currency: "INR",
				Email: m.Email, Contact: m.Contact, Receipt: "load-" + strconv.Itoa(i),
			})
			if err == nil && p.Status != razorpay.PaymentStatusCaptured {
				err = fmt.Errorf("charge %d: status %s", i, p.Status)
			}
			return err
		}},
		{"Order.Fetch", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Order.Fetch(ctx, fx.chargeOrderID))
		}},
		{"Order.Payments", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Order.Payments(ctx, fx.authOrderID))
		}},
		{"Customer.Create", func(ctx context.Context, c *razorpay.Client, _ *relFixture, _ *razorpaytest.Mandate, i int) error {
			return ignore(c.Customer.Create(ctx, &razorpay.CustomerCreateParams{
				Name: "Load Customer", Email: fmt.Sprintf("load%05d@example.com", i), Contact: fmt.Sprintf("+9180%08d", i),
			}))
		}},
		{"Card.Fetch", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Card.Fetch(ctx, fx.cardID))
		}},
		{"Invoice.Fetch", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Invoice.Fetch(ctx, fx.invoiceID))
		}},
		{"Token.Fetch", func(ctx context.Context, c *razorpay.Client, _ *relFixture, m *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.Fetch(ctx, m.CustomerID, m.TokenID))
		}},
		{"Order.Create", func(ctx context.Context, c *razorpay.Client, _ *relFixture, _ *razorpaytest.Mandate, i int) error {
			return ignore(c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 3000, Currency: "INR", Receipt: "load-order-" + strconv.Itoa(i)}))
		}},
		{"Payment.FetchCard", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Payment.FetchCard(ctx, fx.authPaymentID))
		}},
		{"Customer.List", func(ctx context.Context, c *razorpay.Client, _ *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Customer.List(ctx, &razorpay.ListParams{Count: 5}))
		}},
		{"Card.RequestCardReference", func(ctx context.Context, c *razorpay.Client, _ *relFixture, m *razorpaytest.Mandate, i int) error {
			p := &razorpay.CardReferenceParams{Token: m.TokenID}
			if i%2 == 0 {
				p = &razorpay.CardReferenceParams{Number: razorpaytest.DefaultCardNumber}
			}
			return ignore(c.Card.RequestCardReference(ctx, p))
		}},
		{"Invoice.List", func(ctx context.Context, c *razorpay.Client, _ *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Invoice.List(ctx, &razorpay.InvoiceListParams{ListParams: razorpay.ListParams{Count: 5}, Type: razorpay.InvoiceTypeLink}))
		}},
		{"Token.FetchByPayment", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return ignore(c.Token.FetchByPayment(ctx, fx.authPaymentID))
		}},
		{"Invoice.NotifyBy", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			return c.Invoice.NotifyBy(ctx, fx.invoiceID, razorpay.NotifyMediumEmail)
		}},
		{"Do.GET", func(ctx context.Context, c *razorpay.Client, fx *relFixture, _ *razorpaytest.Mandate, _ int) error {
			var p razorpay.Payment
			return c.Do(ctx, "GET", "/v1/payments/"+fx.authPaymentID, nil, &p)
		}},
	}
}

// TestReliabilityLoad shares one client with the SDK's own transport among
// 64 goroutines for 10,000 calls of every kind, reads and writes, Charge
// included: no call fails, the race detector sees no race, and the fake
// sees no more connections than the SDK's pool holds (plus one for each
// connection net/http itself discarded, normally none).
func TestReliabilityLoad(t *testing.T) {
	t.Parallel()
	const (
		calls      = 10_000
		goroutines = 64
	)
	start := time.Now()
	srv := mockServer(t, razorpaytest.WithRequestLogLimit(1))
	// The SDK's default transport: no WithHTTPClient.
	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
	fx := relSetupWith(t, srv, client)
	mandates := relMandates(t, srv, 4)
	// Count the connections net/http did not put back into the pool: it
	// discards one whose write goroutine is slow to report (see
	// relAssertDials), and only then may the pool open one more.
	var gotConn, putIdle atomic.Int64
	ctx := httptrace.WithClientTrace(mockCtx(t, time.Minute), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConn.Add(1) },
		PutIdleConn: func(err error) {
			if err == nil {
				putIdle.Add(1)
			}
		},
	})
	kinds := relLoadCalls()

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

// ---------------------------------------------------------------------------
// 4. Context: deadlines and cancellation during a request and a backoff
// ---------------------------------------------------------------------------

const (
	// relCtxAfter is when the context of a context test ends, long enough
	// for the first attempt to be answered on a loaded machine (a context
	// that ends before the answer arrives makes the SDK return the answer's
	// error); relPrompt is how soon the call must have returned.
	relCtxAfter = 300 * time.Millisecond
	relPrompt   = time.Second
)

// relEndingCtx returns a context that ends after relCtxAfter, by its
// deadline or by cancellation, and the error it ends with.
func relEndingCtx(t *testing.T, byDeadline bool) (context.Context, error) {
	t.Helper()
	if byDeadline {
		ctx, cancel := context.WithTimeout(context.Background(), relCtxAfter)
		t.Cleanup(cancel)
		return ctx, context.DeadlineExceeded
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := time.AfterFunc(relCtxAfter, cancel)
	t.Cleanup(func() { stop.Stop(); cancel() })
	return ctx, context.Canceled
}

// TestReliabilityContext ends the caller's context while a request is
// waiting for its answer (a Delay fault) and while the SDK waits to retry
// (Retry-After: 30, with a backoff cap that allows it), for a read and a
// write: the call returns promptly with the context's error, after one
// request; the write whose request was sent also reports an unknown outcome.
func TestReliabilityContext(t *testing.T) {
	t.Parallel()
	type call struct {
		name   string
		method string
		path   func(fx *relFixture) string
		write  bool
		do     func(ctx context.Context, c *razorpay.Client, fx *relFixture) (any, error)
	}
	calls := []call{
		{"read", "GET", func(fx *relFixture) string { return "/v1/payments/" + fx.authPaymentID }, false,
			func(ctx context.Context, c *razorpay.Client, fx *relFixture) (any, error) {
				return c.Payment.Fetch(ctx, fx.authPaymentID)
			}},
		{"write", "POST", relPath("/v1/orders"), true,
			func(ctx context.Context, c *razorpay.Client, _ *relFixture) (any, error) {
				return c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4000, Currency: "INR", Receipt: "ctx-order"})
			}},
	}
	waits := []struct {
		name    string
		fault   razorpaytest.Fault
		backoff bool // the wait is a backoff, not a request
		writeOK bool // the case applies to a write
	}{
		{"during the request", razorpaytest.Fault{Delay: 10 * time.Second}, false, true},
		{"during a 429 Retry-After backoff", razorpaytest.Fault{Status: 429, RetryAfter: "30", Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")}, true, true},
		// A write is not retried after a 503: it fails at once.
		{"during a 503 Retry-After backoff", razorpaytest.Fault{Status: 503, RetryAfter: "30"}, true, false},
	}
	for _, cl := range calls {
		for _, w := range waits {
			if cl.write && !w.writeOK {
				continue
			}
			for _, byDeadline := range []bool{true, false} {
				end := "cancel"
				if byDeadline {
					end = "deadline"
				}
				t.Run(cl.name+"/"+end+" "+w.name, func(t *testing.T) {
					t.Parallel()
					srv := mockServer(t)
					fx := relSetup(t, srv)
					fault := w.fault
					fault.Method, fault.Path, fault.Times = cl.method, cl.path(fx), -1
					srv.InjectFault(fault)
					c := srv.Client(razorpay.WithRetryBackoff(time.Minute, time.Minute), razorpay.WithTimeout(time.Minute))
					ctx, ctxErr := relEndingCtx(t, byDeadline)
					srv.ResetRequests()

					start := time.Now()
					v, err := cl.do(ctx, c, fx)
					elapsed := time.Since(start)

					require.Error(t, err)
					assert.Nil(t, v)
					assert.Less(t, elapsed, relPrompt, "returned promptly")
					assert.GreaterOrEqual(t, elapsed, relCtxAfter-10*time.Millisecond, "waited for the context")
					assert.ErrorIs(t, err, ctxErr)
					other := context.Canceled
					if ctxErr == context.Canceled {
						other = context.DeadlineExceeded
					}
					assert.NotErrorIs(t, err, other)
					// The request of a write was sent and may have been
					// carried out; a 429 was refused before that.
					assert.Equal(t, cl.write && !w.backoff, errors.Is(err, razorpay.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
					if w.backoff {
						assert.Contains(t, err.Error(), "gave up waiting to retry")
					}
					assert.Equal(t, 1, relCount(srv.Requests(), cl.method, cl.path(fx)), "one attempt")
					assert.Len(t, srv.Requests(), 1)
				})
			}
		}
		t.Run(cl.name+"/context done before the call", func(t *testing.T) {
			t.Parallel()
			srv := mockServer(t)
			fx := relSetup(t, srv)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			srv.ResetRequests()
			v, err := cl.do(ctx, srv.Client(), fx)
			assert.Nil(t, v)
			assert.ErrorIs(t, err, context.Canceled)
			assert.NotErrorIs(t, err, razorpay.ErrOutcomeUnknown, "nothing was sent")
			assert.Contains(t, err.Error(), "not sent")
			assert.Empty(t, srv.Requests())
		})
	}
}

// ---------------------------------------------------------------------------
// 5. Secrets never reach logs or printed values
// ---------------------------------------------------------------------------

// relTee is a slog handler that renders every record both as text and as
// JSON, the two ways a log is usually written.
type relTee struct {
	text, json slog.Handler
	mu         *sync.Mutex
	debug      *int // Debug records of requests
}

func (h relTee) Enabled(context.Context, slog.Level) bool { return true }

func (h relTee) Handle(ctx context.Context, r slog.Record) error {
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

func (h relTee) WithAttrs(as []slog.Attr) slog.Handler {
	return relTee{text: h.text.WithAttrs(as), json: h.json.WithAttrs(as), mu: h.mu, debug: h.debug}
}

func (h relTee) WithGroup(name string) slog.Handler {
	return relTee{text: h.text.WithGroup(name), json: h.json.WithGroup(name), mu: h.mu, debug: h.debug}
}

// relErrorTree returns err and every error it wraps.
func relErrorTree(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, relErrorTree(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, relErrorTree(e)...)
		}
	}
	return out
}

// relAssertAbsent fails when secret occurs in out, showing where.
func relAssertAbsent(t *testing.T, out, secret string) {
	t.Helper()
	if i := strings.Index(out, secret); i >= 0 {
		from, to := max(0, i-120), min(len(out), i+len(secret)+40)
		t.Errorf("%q appears in the logs or printed values: …%s…", secret, out[from:to])
	}
}

// TestReliabilityNoSecrets runs a whole recurring-card flow against the fake
// through a client that logs at Debug, with failing calls among them, then
// prints the client, every error and the values that carry secrets with
// every verb: the key secret, the Authorization header, the card number and
// the payment signatures appear nowhere.
func TestReliabilityNoSecrets(t *testing.T) {
	t.Parallel()
	const card = razorpaytest.DefaultCardNumber // 4111111111111111
	var (
		logs  bytes.Buffer
		mu    sync.Mutex
		debug int
	)
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	logger := slog.New(relTee{text: slog.NewTextHandler(&logs, opts), json: slog.NewJSONHandler(&logs, opts), mu: &mu, debug: &debug})
	srv := mockServer(t)
	c := srv.Client(razorpay.WithLogger(logger), razorpay.WithRetryBackoff(0, time.Millisecond), razorpay.WithTimeout(5*time.Second))
	ctx := mockCtx(t, time.Minute)
	var errs []error
	fail := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}

	// The mandate: customer, authorization order, the card holder's approval.
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: relName, Email: relEmail, Contact: relContact})
	require.NoError(t, err)
	_, err = c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: relName, Email: relEmail, Contact: relContact, FailExisting: razorpay.Ptr(true)})
	fail(err) // 400: the customer exists
	auth, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	authPay, err := srv.CompleteAuthorization(auth.ID, razorpaytest.WithCard(razorpaytest.CardDetails{Number: card}))
	require.NoError(t, err)
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: relName, Email: relEmail, Contact: relContact},
		Amount:   100, Currency: "INR", Description: "Monthly plan",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	require.NoError(t, c.Invoice.NotifyBy(ctx, link.ID, razorpay.NotifyMediumEmail))

	// A charge by hand, with its signature, and one through Charge.
	order, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4900, Currency: "INR", Receipt: "secrets-1"})
	require.NoError(t, err)
	recurring := &razorpay.RecurringPaymentParams{
		Email: relEmail, Contact: relContact, Amount: 4900, Currency: "INR",
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
		Email: relEmail, Contact: relContact, Receipt: "secrets-2",
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
		for _, e := range relErrorTree(err) {
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
		relAssertAbsent(t, out, s)
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

// ---------------------------------------------------------------------------
// 6. Bad responses (the fuzz targets of Validate are in
// reliability_internal_test.go)
// ---------------------------------------------------------------------------

// TestReliabilityBadResponses answers a read and writes with a 200 whose
// body is larger than the SDK's cap (8 MiB), truncated JSON, or an HTML
// page: each is a clear error and a nil result, never a panic or a partial
// value; the read is not retried, and the writes, whose request was carried
// out as far as the SDK knows, report an unknown outcome.
func TestReliabilityBadResponses(t *testing.T) {
	t.Parallel()
	const capBytes = 8 << 20
	huge := `{"id":"pay_Huge0000000001","entity":"payment","description":"` + strings.Repeat("a", capBytes) + `"}`
	const page = "<html><head><title>Maintenance</title></head><body>Back soon</body></html>\n"
	bodies := []struct {
		name, body, contentType, want string
	}{
		{"larger than the cap", huge, "application/json", "body larger than 8388608 bytes"},
		{"truncated JSON", `{"id":"pay_Trunc000000001","entity":"payment","amount":50`, "application/json", "decode 200 response"},
		{"HTML instead of JSON", page, "text/html; charset=utf-8",
			fmt.Sprintf(`unexpected content type "text/html; charset=utf-8" (non-JSON response body (text/html, %d bytes): Maintenance)`, len(page))},
	}
	calls := []struct {
		name, method string
		path         func(fx *relFixture) string
		write        bool
		do           func(ctx context.Context, c *razorpay.Client, fx *relFixture) (any, error)
	}{
		{"read", "GET", func(fx *relFixture) string { return "/v1/payments/" + fx.authPaymentID }, false,
			func(ctx context.Context, c *razorpay.Client, fx *relFixture) (any, error) {
				return c.Payment.Fetch(ctx, fx.authPaymentID)
			}},
		{"write", "POST", relPath("/v1/orders"), true,
			func(ctx context.Context, c *razorpay.Client, _ *relFixture) (any, error) {
				return c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4000, Currency: "INR"})
			}},
		{"charge write", "POST", relPath("/v1/payments/create/recurring"), true,
			func(ctx context.Context, c *razorpay.Client, fx *relFixture) (any, error) {
				return c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
					Email: relEmail, Contact: relContact, Amount: 5000, Currency: "INR",
					OrderID: fx.chargeOrderID, CustomerID: fx.customerID, TokenID: fx.tokenID,
				})
			}},
	}
	for _, b := range bodies {
		for _, cl := range calls {
			t.Run(cl.name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				srv := mockServer(t)
				fx := relSetup(t, srv)
				srv.InjectFault(razorpaytest.Fault{Method: cl.method, Path: cl.path(fx), Times: -1, Status: 200, Body: b.body, ContentType: b.contentType})
				c := srv.Client(razorpay.WithRetryBackoff(0, time.Millisecond))
				srv.ResetRequests()

				v, err := cl.do(mockCtx(t, time.Minute), c, fx)

				require.Error(t, err)
				assert.Nil(t, v, "no partial value")
				assert.Contains(t, err.Error(), b.want)
				assert.Less(t, len(err.Error()), 400, "one short line: %.500s", err.Error())
				assert.Equal(t, cl.write, errors.Is(err, razorpay.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
				var apiErr *razorpay.Error
				assert.False(t, errors.As(err, &apiErr), "a 2xx is not an API error")
				assert.Equal(t, 1, relCount(srv.Requests(), cl.method, cl.path(fx)), "not retried")
			})
		}
	}
}
