package razorpay_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/internal/testkit"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The test kit of the external package razorpay_test, for the tests that
// need the exported API or the fake (razorpaytest). It cannot use the
// internal kit of kit_test.go (package razorpay), so it keeps the same
// names for the same jobs; the helpers both kits need are in
// internal/testkit. Fakes start with razorpaytest.NewTestServer(t), closed
// with the test; signatures come from razorpaytest.SignWebhook and
// SignPayment.

// mockCtx returns a context that ends with the test, or after within
// (default 30 s): the internal kit's mockCtx, testkit.Context.
func mockCtx(t testing.TB, within ...time.Duration) context.Context {
	t.Helper()
	return testkit.Context(t, within...)
}

// The customer of the setups, and a proxy's error page.
const (
	mockEmail   = "gaurav.kumar@example.com"
	mockContact = "+919876543210"
	mockName    = "Gaurav Kumar"
	// mockBadGatewayHTML is what a proxy in front of Razorpay answers.
	mockBadGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

// ----- the fake -----

// mockFake starts a fake on a clock the test moves, closed with the test.
func mockFake(t testing.TB, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpaytest.Clock) {
	t.Helper()
	clk := &razorpaytest.Clock{}
	srv := razorpaytest.NewTestServer(t, append([]razorpaytest.Option{razorpaytest.WithClock(clk.Now), razorpaytest.WithRequestLogLimit(0)}, opts...)...)
	return srv, clk
}

// mockFresh is a fresh client of srv, as a new process would build.
func mockFresh(srv *razorpaytest.Server, opts ...razorpay.Option) *razorpay.Client {
	return srv.Client(append([]razorpay.Option{razorpay.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)...)
}

// mockSetup is the state every operation of the SDK needs, created on a
// fresh fake before any fault is injected: a customer with a confirmed card
// mandate (its authorization order, payment, token and card), a charge order
// and a registration link of the same customer.
type mockSetup struct {
	srv           *razorpaytest.Server
	customerID    string
	authOrderID   string
	authPaymentID string
	tokenID       string
	cardID        string
	chargeOrderID string
	invoiceID     string
}

// newMockSetup creates a mockSetup on srv through srv.Client().
func newMockSetup(t *testing.T, srv *razorpaytest.Server) *mockSetup {
	t.Helper()
	return newMockSetupVia(t, srv, srv.Client())
}

// newMockSetupVia is newMockSetup through the client c.
func newMockSetupVia(t *testing.T, srv *razorpaytest.Server, c *razorpay.Client) *mockSetup {
	t.Helper()
	ctx := mockCtx(t, time.Minute)
	fx := &mockSetup{srv: srv}
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: mockName, Email: mockEmail, Contact: mockContact})
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
		Customer: razorpay.RegistrationLinkCustomer{Name: mockName, Email: mockEmail, Contact: mockContact},
		Amount:   100, Currency: "INR", Description: "Monthly plan", Receipt: "link",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	require.Equal(t, cust.ID, link.CustomerID, "the link reuses the customer")
	fx.invoiceID = link.ID
	return fx
}

// mockCount counts the requests the server saw with this method and path.
func mockCount(reqs []razorpaytest.Request, method, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// mockPath is a path that does not depend on the setup.
func mockPath(p string) func(*mockSetup) string { return func(*mockSetup) string { return p } }

// ----- bills charged against the fake -----

// mockMandate is a customer with a confirmed mandate of ₹10,000.
func mockMandate(t testing.TB, srv *razorpaytest.Server) *razorpaytest.Mandate {
	t.Helper()
	m, err := srv.NewMandate(context.Background(), 1_000_000)
	require.NoError(t, err)
	return m
}

// mockBillAmount is the amount of the bills: ₹499.00.
const mockBillAmount = 49_900

// mockBill is a bill of ₹499 on the mandate.
func mockBill(m *razorpaytest.Mandate, receipt string) *razorpay.ChargeParams {
	return &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: mockBillAmount, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: receipt, Description: "Gold plan",
	}
}

// mockCharged returns a fake and the captured payment of a bill.
func mockCharged(t *testing.T, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpay.Payment) {
	t.Helper()
	srv, _ := mockFake(t, opts...)
	m := mockMandate(t, srv)
	p, err := mockFresh(srv).Payment.Charge(context.Background(), &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: mockBillAmount, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: "sub_42-2026-11",
	})
	require.NoError(t, err)
	if p.Status == razorpay.PaymentStatusCreated { // WithRecurringDelay: the bank confirms now
		require.NoError(t, srv.CapturePayment(p.ID))
		p, err = srv.Client().Payment.Fetch(context.Background(), p.ID)
		require.NoError(t, err)
	}
	require.Equal(t, razorpay.PaymentStatusCaptured, p.Status)
	return srv, p
}

// mockLive returns the receipt's payments that are not failed or refunded.
func mockLive(srv *razorpaytest.Server, receipt string) []razorpay.Payment {
	var live []razorpay.Payment
	for _, p := range srv.ReceiptPayments(receipt) {
		if p.Status != razorpay.PaymentStatusFailed && p.Status != razorpay.PaymentStatusRefunded {
			live = append(live, p)
		}
	}
	return live
}

// mockOrders counts the orders that carry receipt.
func mockOrders(srv *razorpaytest.Server, receipt string) int {
	n := 0
	for _, o := range srv.Orders() {
		if o.Receipt == receipt {
			n++
		}
	}
	return n
}

// mockCrashAt returns a context that the fake cancels at the n-th request
// it receives from now on (from 1): before processing it, or after (the
// answer lost). The call running on it dies there, as a killed process.
func mockCrashAt(srv *razorpaytest.Server, n int, after bool) context.Context {
	ctx, crash := context.WithCancel(context.Background())
	drop := razorpaytest.DropBeforeProcessing
	if after {
		drop = razorpaytest.DropAfterProcessing
	}
	var seen atomic.Int64
	srv.InjectFault(razorpaytest.Fault{Drop: drop, Abandon: crash, Match: func(*http.Request) bool { return seen.Add(1) == int64(n) }})
	return ctx
}

// mockSettle runs the bill from fresh clients until Charge answers
// something else than "unknown", moving the fake's clock by RetryAfter in
// between, at most runs times, and returns the payment, how many runs it
// took and the error.
func mockSettle(t *testing.T, srv *razorpaytest.Server, clk *razorpaytest.Clock, params *razorpay.ChargeParams, runs int) (*razorpay.Payment, int, error) {
	t.Helper()
	for n := 1; n <= runs; n++ {
		p, err := mockFresh(srv).Payment.Charge(context.Background(), params)
		if razorpay.OutcomeOf(p, err) != razorpay.OutcomeUnknown {
			return p, n, err
		}
		var ce *razorpay.ChargeError
		require.ErrorAs(t, err, &ce)
		require.Positive(t, ce.RetryAfter, "an unknown outcome says when to come back: %v", err)
		clk.Advance(ce.RetryAfter)
	}
	t.Fatalf("%s: still unknown after %d runs", params.Receipt, runs)
	return nil, 0, nil
}
