package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// Exactly-once charges: the failures of billing jobs (crashes, redeliveries,
// duplicate workers, proxies, skewed clocks), each against the fake.

// eoServer starts a fake on a clock the test moves, closed with the test.
func eoServer(t testing.TB, opts ...razorpaytest.Option) (*razorpaytest.Server, *razorpaytest.Clock) {
	t.Helper()
	clk := &razorpaytest.Clock{}
	srv := mockServer(t, append([]razorpaytest.Option{razorpaytest.WithClock(clk.Now), razorpaytest.WithRequestLogLimit(0)}, opts...)...)
	return srv, clk
}

// eoClient is a fresh client of srv, as a new process would build.
func eoClient(srv *razorpaytest.Server, opts ...razorpay.Option) *razorpay.Client {
	return srv.Client(append([]razorpay.Option{razorpay.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)...)
}

func eoMandate(t testing.TB, srv *razorpaytest.Server) *razorpaytest.Mandate {
	t.Helper()
	m, err := srv.NewMandate(context.Background(), 1_000_000)
	require.NoError(t, err)
	return m
}

func eoParams(m *razorpaytest.Mandate, receipt string) *razorpay.ChargeParams {
	return &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: receipt, Description: "Gold plan",
	}
}

// eoLive returns the payments of the receipt that are not failed or refunded.
func eoLive(srv *razorpaytest.Server, receipt string) []razorpay.Payment {
	var live []razorpay.Payment
	for _, p := range srv.ReceiptPayments(receipt) {
		if p.Status != razorpay.PaymentStatusFailed && p.Status != razorpay.PaymentStatusRefunded {
			live = append(live, p)
		}
	}
	return live
}

// eoCrash returns a context that the server cancels once a request matching
// method and path has been processed (after) or has arrived (before):
// the process running the call dies there.
func eoCrash(srv *razorpaytest.Server, method, path string, after bool) context.Context {
	ctx, crash := context.WithCancel(context.Background())
	drop := razorpaytest.DropBeforeProcessing
	if after {
		drop = razorpaytest.DropAfterProcessing
	}
	srv.InjectFault(razorpaytest.Fault{Method: method, Path: path, Drop: drop, Abandon: crash})
	return ctx
}

// eoUntilSettled runs the bill from fresh clients until Charge gives a
// definite answer, moving the server's clock by RetryAfter in between, and
// returns the payment.
func eoUntilSettled(t *testing.T, srv *razorpaytest.Server, clk *razorpaytest.Clock, params *razorpay.ChargeParams) (*razorpay.Payment, error) {
	t.Helper()
	for range 5 {
		p, err := eoClient(srv).Payment.Charge(context.Background(), params)
		var ce *razorpay.ChargeError
		if !errors.Is(err, razorpay.ErrOutcomeUnknown) || !errors.As(err, &ce) {
			return p, err
		}
		require.Positive(t, ce.RetryAfter, "an unknown outcome after a rerun says when to come back: %v", err)
		clk.Advance(ce.RetryAfter)
	}
	t.Fatalf("%s: still unknown after 5 reruns", params.Receipt)
	return nil, nil
}

// eoLanded waits for the delayed first payment request of the receipt to
// land (not before landsAt; within 10 s on a loaded machine), then checks
// that it is the bill's only live payment.
func eoLanded(t *testing.T, srv *razorpaytest.Server, receipt string, landsAt time.Time) {
	t.Helper()
	time.Sleep(time.Until(landsAt))
	require.Eventually(t, func() bool { return len(eoLive(srv, receipt)) > 0 }, 10*time.Second, 10*time.Millisecond, "the first request landed")
	time.Sleep(100 * time.Millisecond)
	assert.Len(t, eoLive(srv, receipt), 1, "the first request landed; nothing else")
}

// Failure 1: a process dies after Charge sent the payment request; the same
// bill runs again from a fresh client with the same params (no OrderID).
func TestChargeRerunAfterCrashReturnsTheFirstPayment(t *testing.T) {
	t.Parallel()
	srv, _ := eoServer(t)
	m := eoMandate(t, srv)
	params := eoParams(m, "crash-after-pay")

	ctx := eoCrash(srv, "POST", "/v1/payments/create/recurring", true)
	_, err := eoClient(srv).Payment.Charge(ctx, params)
	require.Error(t, err)
	require.Len(t, eoLive(srv, params.Receipt), 1, "the crashed call charged")

	p, err := eoClient(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	live := eoLive(srv, params.Receipt)
	require.Len(t, live, 1, "one payment for the bill")
	assert.Equal(t, live[0].ID, p.ID, "the rerun returns the first payment")
}

// Failure 2: two deliveries of the same job at once.
func TestChargeTwoDeliveriesAtOnce(t *testing.T) {
	t.Parallel()
	for _, unique := range []bool{false, true} {
		t.Run(fmt.Sprintf("unique receipts %v", unique), func(t *testing.T) {
			t.Parallel()
			var opts []razorpaytest.Option
			if unique {
				opts = append(opts, razorpaytest.WithUniqueReceipts())
			}
			srv, clk := eoServer(t, opts...)
			m := eoMandate(t, srv)
			for i := range 20 {
				params := eoParams(m, fmt.Sprintf("twice-%d", i))
				var wg sync.WaitGroup
				for range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, _ = eoClient(srv).Payment.Charge(context.Background(), params)
					}()
				}
				wg.Wait()
				assert.LessOrEqual(t, len(eoLive(srv, params.Receipt)), 1, "%s: charged twice", params.Receipt)
				p, err := eoUntilSettled(t, srv, clk, params)
				require.NoError(t, err)
				live := eoLive(srv, params.Receipt)
				require.Len(t, live, 1)
				assert.Equal(t, live[0].ID, p.ID)
			}
		})
	}
}

// Failure 3: a resumed Charge (with OrderID) while the first attempt's
// payment request is still in flight must not charge, and must not say "not
// charged" when its own read-back sees a failure.
func TestChargeResumeWhileFirstRequestInFlight(t *testing.T) {
	t.Parallel()
	srv, _ := eoServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	m := eoMandate(t, srv)
	params := eoParams(m, "resume-in-flight")

	const delay = 600 * time.Millisecond
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: delay})
	ctx := mockCtx(t, 300*time.Millisecond)
	start := time.Now()
	_, err := eoClient(srv).Payment.Charge(ctx, params)
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	var ce *razorpay.ChargeError
	require.ErrorAs(t, err, &ce)
	require.NotEmpty(t, ce.OrderID)

	// The resumed call's payment would be read back as failed.
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/payments/*", Times: -1, Status: 200,
		Body: `{"id":"pay_ReadBackFailed01","entity":"payment","amount":49900,"currency":"INR","status":"failed","order_id":"` + ce.OrderID + `","method":"card","notes":[],"created_at":1}`})
	resumed := *params
	resumed.OrderID = ce.OrderID
	_, err = eoClient(srv).Payment.Charge(context.Background(), &resumed)
	assert.NotErrorIs(t, err, razorpay.ErrNotCharged, "the first request may still land")
	assert.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)

	eoLanded(t, srv, params.Receipt, start.Add(delay))
}

// Failure 4: on a fresh order, a 429, 408, 409 or 3xx answer that a proxy
// sends after Razorpay charged is no proof that nothing happened.
func TestChargeProxyAnswerAfterPaymentIsReadBack(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 408, 409, 302, 307} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv, _ := eoServer(t)
			m := eoMandate(t, srv)
			params := eoParams(m, fmt.Sprintf("proxy-%d", status))
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Status: status,
				ProcessFirst: true, Header: http.Header{"Location": {srv.URL + "/v1/payments/create/recurring"}},
				Body: `{"error":{"code":"BAD_REQUEST_ERROR","description":"proxy says no"}}`})
			p, err := eoClient(srv).Payment.Charge(context.Background(), params)
			live := eoLive(srv, params.Receipt)
			require.Len(t, live, 1, "the proxy's answer came after Razorpay charged, once")
			require.NoError(t, err, "the read-back finds the charge")
			assert.Equal(t, live[0].ID, p.ID)
		})
	}
}

// Failure 5: a server clock 20 minutes behind the local one must not turn an
// in-flight charge into "not charged".
func TestChargeSettleWindowUsesServerClock(t *testing.T) {
	t.Parallel()
	srv, clk := eoServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	clk.Advance(-20 * time.Minute)
	m := eoMandate(t, srv)
	params := eoParams(m, "clock-behind")

	const delay = 600 * time.Millisecond
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: delay})
	ctx := mockCtx(t, 300*time.Millisecond)
	start := time.Now()
	_, err := eoClient(srv).Payment.Charge(ctx, params)
	var ce *razorpay.ChargeError
	require.ErrorAs(t, err, &ce)
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)

	// Razorpay refuses the resumed payment request.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Status: 400,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The payment could not be created")})
	resumed := *params
	resumed.OrderID = ce.OrderID
	_, err = eoClient(srv).Payment.Charge(context.Background(), &resumed)
	assert.NotErrorIs(t, err, razorpay.ErrNotCharged, "the order is young on Razorpay's clock")
	assert.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)

	eoLanded(t, srv, params.Receipt, start.Add(delay))
}

// The crash matrix: for every request Charge makes, the process dies before
// the request leaves and after the server processed it (answer lost); the
// same bill then runs again from a fresh client with no OrderID.
func TestChargeCrashMatrix(t *testing.T) {
	t.Parallel()
	steps := []struct{ name, method, path string }{
		{"create order", "POST", "/v1/orders"},
		{"list the receipt's orders", "GET", "/v1/orders"},
		{"create payment", "POST", "/v1/payments/create/recurring"},
		{"read the payment back", "GET", "/v1/payments/*"},
	}
	for _, unique := range []bool{false, true} {
		for _, st := range steps {
			for _, after := range []bool{false, true} {
				point := "before"
				if after {
					point = "after"
				}
				name := fmt.Sprintf("unique=%v/%s/%s", unique, st.name, point)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					var opts []razorpaytest.Option
					if unique {
						opts = append(opts, razorpaytest.WithUniqueReceipts())
					}
					srv, clk := eoServer(t, opts...)
					m := eoMandate(t, srv)
					params := eoParams(m, "matrix")
					ctx := eoCrash(srv, st.method, st.path, after)
					first, err := eoClient(srv).Payment.Charge(ctx, params)
					// Only a crash while reading the payment back leaves a
					// result: the charge is made, and Charge says so.
					require.Equal(t, st.method == "GET" && st.path != "/v1/orders", err == nil, "the call died: %v", err)
					afterCrash := len(eoLive(srv, params.Receipt))
					require.LessOrEqual(t, afterCrash, 1)

					p, err := eoClient(srv).Payment.Charge(context.Background(), params)
					live := eoLive(srv, params.Receipt)
					require.LessOrEqual(t, len(live), 1, "at most one live payment per receipt")
					rerun := "charged"
					if err != nil {
						rerun = "unknown, then charged"
						var ce *razorpay.ChargeError
						require.ErrorAs(t, err, &ce)
						require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown, "the rerun returns the payment or says when to come back: %v", err)
						require.Positive(t, ce.RetryAfter)
						clk.Advance(ce.RetryAfter)
						p, err = eoUntilSettled(t, srv, clk, params)
					}
					require.NoError(t, err)
					live = eoLive(srv, params.Receipt)
					require.Len(t, live, 1, "charged exactly once")
					assert.Equal(t, live[0].ID, p.ID)
					if first != nil {
						assert.Equal(t, first.ID, p.ID)
					}
					t.Logf("crash matrix: %-45s live payments after the crash %d; rerun: %-21s; live payments in the end %d; orders %d",
						name, afterCrash, rerun, len(live), countOrders(srv, params.Receipt))
				})
			}
		}
	}
}

func countOrders(srv *razorpaytest.Server, receipt string) int {
	n := 0
	for _, o := range srv.Orders() {
		if o.Receipt == receipt {
			n++
		}
	}
	return n
}

// A receipt on an order for another amount or customer is refused.
func TestChargeReceiptConflict(t *testing.T) {
	t.Parallel()
	srv, clk := eoServer(t)
	m, other := eoMandate(t, srv), eoMandate(t, srv)
	_, err := eoClient(srv).Payment.Charge(context.Background(), eoParams(m, "shared"))
	require.NoError(t, err)

	amount := eoParams(m, "shared")
	amount.Amount = 10_000
	_, err = eoClient(srv).Payment.Charge(context.Background(), amount)
	require.ErrorIs(t, err, razorpay.ErrReceiptConflict)
	assert.ErrorIs(t, err, razorpay.ErrInvalidParams)
	assert.NotErrorIs(t, err, razorpay.ErrNotCharged)
	assert.NotErrorIs(t, err, razorpay.ErrOutcomeUnknown)

	_, err = eoClient(srv).Payment.Charge(context.Background(), eoParams(other, "shared"))
	require.ErrorIs(t, err, razorpay.ErrReceiptConflict, "another customer, and the young order of the mistaken call")
	assert.Len(t, eoLive(srv, "shared"), 1)

	// Once the mistaken call's order is abandoned, only the payment's
	// customer tells the bills apart.
	clk.Advance(razorpay.ChargeSettleWindow)
	_, err = eoClient(srv).Payment.Charge(context.Background(), eoParams(other, "shared"))
	require.ErrorIs(t, err, razorpay.ErrReceiptConflict)
	assert.Contains(t, err.Error(), "customer")
	assert.Len(t, eoLive(srv, "shared"), 1)
	p, err := eoClient(srv).Payment.Charge(context.Background(), eoParams(m, "shared"))
	require.NoError(t, err, "the bill itself still finds its payment")
	assert.Equal(t, eoLive(srv, "shared")[0].ID, p.ID)
}

// A bill whose payment failed is charged again on the same order, so that
// Razorpay refuses (or refunds) a late capture of the failed one.
func TestChargeAfterFailureReusesTheOrder(t *testing.T) {
	t.Parallel()
	srv, _ := eoServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	m := eoMandate(t, srv)
	params := eoParams(m, "dunning")
	first, err := eoClient(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusCreated, first.Status)
	require.NoError(t, srv.FailPayment(first.ID, "insufficient funds"))

	second, err := eoClient(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, second.ID)
	assert.Equal(t, first.OrderID, second.OrderID, "charged on the order of the failed payment")

	// The failed payment is authorized late, then the retry is captured.
	require.NoError(t, srv.CapturePayment(first.ID))
	require.NoError(t, srv.CapturePayment(second.ID))
	live := eoLive(srv, params.Receipt)
	require.Len(t, live, 1, "Razorpay refunds the extra payment on a paid order")

	again, err := eoClient(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, live[0].ID, again.ID)
}

// A bill that was charged costs two requests to run again, and the first
// charge of a bill four.
func TestChargeRequestCounts(t *testing.T) {
	t.Parallel()
	srv, _ := eoServer(t)
	m := eoMandate(t, srv)
	params := eoParams(m, "count")
	c := eoClient(srv)
	srv.ResetRequests()
	_, err := c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	var routes []string
	for _, r := range srv.Requests() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{"POST /v1/orders", "GET /v1/orders", "POST /v1/payments/create/recurring", "GET /v1/payments/" + eoLive(srv, "count")[0].ID}, routes)

	srv.ResetRequests()
	_, err = c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2, "a rerun of a charged bill")
}
