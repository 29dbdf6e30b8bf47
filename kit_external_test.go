package razorpay_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The test kit of the external package razorpay_test. It cannot use the
// internal kit of helpers_test.go (package razorpay), so it keeps the same
// names for the same jobs.

// mockCtx returns a context that ends with the test, or after within
// (default 30 s): the deadline of a call that must end well before it.
func mockCtx(t testing.TB, within ...time.Duration) context.Context {
	t.Helper()
	d := 30 * time.Second
	if len(within) > 0 {
		d = within[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// mockServer starts a razorpaytest fake with opts, closed with the test.
func mockServer(t testing.TB, opts ...razorpaytest.Option) *razorpaytest.Server {
	t.Helper()
	srv := razorpaytest.NewServer(opts...)
	require.NoError(t, srv.Err())
	t.Cleanup(srv.Close)
	return srv
}

// ----- charges against the fake -----

// mockFake starts a fake on a clock the test moves, closed with the test.
func mockFake(t testing.TB, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpaytest.Clock) {
	t.Helper()
	clk := &razorpaytest.Clock{}
	srv := mockServer(t, append([]razorpaytest.Option{razorpaytest.WithClock(clk.Now), razorpaytest.WithRequestLogLimit(0)}, opts...)...)
	return srv, clk
}

// mockFresh is a fresh client of srv, as a new process would build.
func mockFresh(srv *razorpaytest.Server, opts ...razorpay.Option) *razorpay.Client {
	return srv.Client(append([]razorpay.Option{razorpay.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)...)
}

// mockMandate is a customer with a confirmed mandate of ₹10,000.
func mockMandate(t testing.TB, srv *razorpaytest.Server) *razorpaytest.Mandate {
	t.Helper()
	m, err := srv.NewMandate(context.Background(), 1_000_000)
	require.NoError(t, err)
	return m
}

// mockBill is a bill of ₹499 on the mandate.
func mockBill(m *razorpaytest.Mandate, receipt string) *razorpay.ChargeParams {
	return &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: receipt, Description: "Gold plan",
	}
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
