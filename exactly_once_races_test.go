package razorpay_test

// Exactly-once charges: the races and conflicts a review found. Each test
// failed on the first receipt-keyed Charge.

import (
	"context"
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

// worker returns a Fault.Match that accepts only the requests of the client
// built with rvWorker(name).
func rvMatch(name string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Header.Get("X-Review-Worker") == name }
}

func rvWorker(srv *razorpaytest.Server, name string) *razorpay.Client {
	return eoClient(srv, razorpay.WithHeader("X-Review-Worker", name))
}

// rvOrder creates an order of the receipt directly, as an earlier attempt
// that died before its payment request (or a caller's own Order.Create) left.
func rvOrder(t *testing.T, srv *razorpaytest.Server, receipt string, amount int64) *razorpay.Order {
	t.Helper()
	o, err := eoClient(srv).Order.Create(context.Background(), &razorpay.OrderCreateParams{
		Amount: amount, Currency: "INR", Receipt: receipt, PaymentCapture: razorpay.Ptr(true)})
	require.NoError(t, err)
	return o
}

// Finding 1: a call that creates no order of its own (an OrderID resume, or a
// call whose Order.Create failed) has no tie-break. It charges the bill's
// abandoned order (or the order holding its failed payments) while another
// attempt does the same, and neither sees the other's payment request in
// flight: two live payments for one bill.
func TestChargeWithoutOwnOrderRacesAnotherAttempt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// setup prepares the bill's existing order and returns the params of
		// worker A and worker B.
		setup func(t *testing.T, srv *razorpaytest.Server, params *razorpay.ChargeParams) (a, b *razorpay.ChargeParams)
	}{
		{"two OrderID resumes of an abandoned order", func(t *testing.T, srv *razorpaytest.Server, params *razorpay.ChargeParams) (a, b *razorpay.ChargeParams) {
			o := rvOrder(t, srv, params.Receipt, params.Amount)
			ra, rb := *params, *params
			ra.OrderID, rb.OrderID = o.ID, o.ID
			return &ra, &rb
		}},
		{"OrderID resume and a plain redelivery", func(t *testing.T, srv *razorpaytest.Server, params *razorpay.ChargeParams) (a, b *razorpay.ChargeParams) {
			o := rvOrder(t, srv, params.Receipt, params.Amount)
			ra, rb := *params, *params
			ra.OrderID = o.ID
			return &ra, &rb
		}},
		{"plain redeliveries, the first one's Order.Create fails", func(t *testing.T, srv *razorpaytest.Server, params *razorpay.ChargeParams) (a, b *razorpay.ChargeParams) {
			rvOrder(t, srv, params.Receipt, params.Amount)
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Match: rvMatch("A"), Status: 503,
				Body: razorpaytest.ErrorBody("SERVER_ERROR", "The server encountered an error")})
			ra, rb := *params, *params
			return &ra, &rb
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Recurring payments stay created, as Razorpay's do for a day or more.
			srv, clk := eoServer(t, razorpaytest.WithRecurringDelay(time.Hour))
			m := eoMandate(t, srv)
			params := eoParams(m, "review-no-own-order")
			pa, pb := tc.setup(t, srv, params)
			// The order is abandoned: older than the settle window, no payment.
			clk.Advance(razorpay.ChargeSettleWindow + time.Minute)

			// Worker A's payment request takes 500 ms to land.
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Match: rvMatch("A"), Delay: 500 * time.Millisecond})
			var wg sync.WaitGroup
			var errA error
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errA = rvWorker(srv, "A").Payment.Charge(context.Background(), pa)
			}()
			time.Sleep(200 * time.Millisecond) // A's payment request is in flight
			_, errB := rvWorker(srv, "B").Payment.Charge(context.Background(), pb)
			wg.Wait()
			t.Logf("A: %v; B: %v", errA, errB)

			live := eoLive(srv, params.Receipt)
			assert.LessOrEqual(t, len(live), 1, "one bill, %d live payments: %v", len(live), live)
			assert.Empty(t, srv.DoubleCharges())

			// And the bill does get charged, once.
			clk.Advance(razorpay.ChargeSettleWindow + time.Minute)
			p, err := eoUntilSettled(t, srv, clk, params)
			require.NoError(t, err)
			live = eoLive(srv, params.Receipt)
			require.Len(t, live, 1)
			assert.Equal(t, live[0].ID, p.ID)
		})
	}
}

// Finding 2: an order of the receipt for another amount is dropped from the
// view when it holds no payment yet, so the receipt is charged for the new
// amount while the first attempt's payment is still in flight. The contract
// (API.md, issue 9) says: a receipt found on an order for another amount is
// ErrReceiptConflict, and nothing is charged.
func TestChargeReceiptOnOrderForAnotherAmount(t *testing.T) {
	t.Parallel()
	t.Run("empty order for another amount", func(t *testing.T) {
		t.Parallel()
		srv, _ := eoServer(t)
		m := eoMandate(t, srv)
		params := eoParams(m, "review-amount-empty")
		rvOrder(t, srv, params.Receipt, 10_000)
		p, err := eoClient(srv).Payment.Charge(context.Background(), params)
		assert.ErrorIs(t, err, razorpay.ErrReceiptConflict, "the receipt sits on an order for 10000 paise; charged %v", p)
		assert.Empty(t, eoLive(srv, params.Receipt), "nothing charged")
	})
	t.Run("first attempt's payment in flight", func(t *testing.T) {
		t.Parallel()
		srv, _ := eoServer(t, razorpaytest.WithRecurringDelay(time.Hour))
		m := eoMandate(t, srv)
		params := eoParams(m, "review-amount-inflight")

		// The first attempt (49,900 paise) gives up while its payment
		// request is on its way.
		const delay = 600 * time.Millisecond
		srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: delay})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := eoClient(srv).Payment.Charge(ctx, params)
		require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)

		// The bill is run again with a recomputed amount, same receipt.
		again := *params
		again.Amount = 50_000
		_, err = eoClient(srv).Payment.Charge(context.Background(), &again)
		assert.ErrorIs(t, err, razorpay.ErrReceiptConflict)

		eoLanded(t, srv, params.Receipt, start.Add(delay))
	})
}

// Finding 3: OrderID naming an order of the receipt for another amount. With
// another (abandoned) order of the receipt, Charge dereferences a nil target
// and panics; without one, it answers ErrOutcomeUnknown with RetryAfter 0 and
// no cause, forever. It is a receipt conflict, like an OrderID whose receipt
// differs.
func TestChargeOrderIDForAnotherAmount(t *testing.T) {
	t.Parallel()
	for _, withOther := range []bool{true, false} {
		t.Run(fmt.Sprintf("another order of the receipt %v", withOther), func(t *testing.T) {
			t.Parallel()
			srv, clk := eoServer(t)
			m := eoMandate(t, srv)
			params := eoParams(m, fmt.Sprintf("review-orderid-amount-%v", withOther))
			if withOther {
				rvOrder(t, srv, params.Receipt, params.Amount)
			}
			bad := rvOrder(t, srv, params.Receipt, 10_000)
			clk.Advance(razorpay.ChargeSettleWindow + time.Minute)
			resumed := *params
			resumed.OrderID = bad.ID

			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Charge panicked: %v", r)
					}
				}()
				_, err = eoClient(srv).Payment.Charge(context.Background(), &resumed)
			}()
			assert.ErrorIs(t, err, razorpay.ErrReceiptConflict, "got %v", err)
			assert.Empty(t, eoLive(srv, params.Receipt))
		})
	}
}
