package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// Charge's protocol against the fake: crashes, reruns at every gap, lists
// that lag, workers that stall, deliveries at once, late authorizations.

// chargeSteps are the requests of a new bill, in order.
var chargeSteps = []string{"look (list)", "ticket (create order)", "list again", "payment", "read the payment back"}

// TestChargeWaitChainMatrix: a call dies at each of its requests, before
// the request is processed or after (the answer lost); the bill then runs
// again from fresh clients, the first time after gap, then after each
// RetryAfter, on the fake's clock. Every bill is charged exactly once
// within the settle window plus two minutes of the crash, with at most two
// orders for it.
func TestChargeWaitChainMatrix(t *testing.T) {
	t.Parallel()
	gaps := []time.Duration{5 * time.Second, 50 * time.Second, 90 * time.Second, 5 * time.Minute, 20 * time.Minute, time.Hour}
	type cell struct {
		name   string
		charge time.Duration
		orders int
		runs   int
	}
	var mu sync.Mutex
	var cells []cell
	t.Cleanup(func() {
		sort.Slice(cells, func(i, j int) bool { return cells[i].name < cells[j].name })
		var worst time.Duration
		for _, c := range cells {
			t.Logf("wait chain: %-62s charged %8v after the crash, %d orders, %d reruns", c.name, c.charge, c.orders, c.runs)
			worst = max(worst, c.charge)
		}
		t.Logf("wait chain: %d cells, the slowest charged %v after its crash", len(cells), worst)
	})
	for _, unique := range []bool{false, true} {
		for step := range chargeSteps {
			for _, after := range []bool{false, true} {
				for _, gap := range gaps {
					point := "before"
					if after {
						point = "after"
					}
					name := fmt.Sprintf("unique=%v/%d %s/%s/gap %v", unique, step+1, chargeSteps[step], point, gap)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						var opts []razorpaytest.Option
						if unique {
							opts = append(opts, razorpaytest.WithUniqueReceipts())
						}
						srv, clk := mockFake(t, opts...)
						m := mockMandate(t, srv)
						params := mockBill(m, "chain")

						crashed := clk.Now()
						first, err := mockFresh(srv).Payment.Charge(mockCrashAt(srv, step+1, after), params)
						if err == nil {
							// Only a crash as the payment is read back leaves an
							// answer: the charge is made and Charge says so.
							require.Equal(t, len(chargeSteps)-1, step)
						}
						require.LessOrEqual(t, len(mockLive(srv, params.Receipt)), 1)

						clk.Advance(gap)
						p, runs, err := mockSettle(t, srv, clk, params, 20)
						require.NoError(t, err)
						charged := clk.Now().Sub(crashed).Truncate(time.Second) // the fake clock runs with the real one between advances
						live := mockLive(srv, params.Receipt)
						require.Len(t, live, 1, "charged exactly once")
						assert.Equal(t, live[0].ID, p.ID)
						if first != nil {
							assert.Equal(t, first.ID, p.ID)
						}
						if len(live) == 1 && live[0].CreatedAt < crashed.Add(gap).Unix() {
							charged = time.Duration(live[0].CreatedAt-crashed.Unix()) * time.Second // charged by the crashed call
						}
						assert.LessOrEqual(t, charged, max(gap, razorpay.ChargeSettleWindow+2*time.Minute), "charged within the window and two minutes of the crash (or at the first rerun)")
						orders := mockOrders(srv, params.Receipt)
						assert.LessOrEqual(t, orders, 2, "at most two orders per bill")
						assert.Empty(t, srv.DoubleCharges())
						mu.Lock()
						cells = append(cells, cell{name, charged, orders, runs})
						mu.Unlock()
					})
				}
			}
		}
	}
}

// TestChargeEarlyReruns: a rerun right after a refusal charges; reruns every
// minute, or every five minutes, after a crash that left a ticket charge
// within the window and five minutes, whatever their RetryAfter says.
func TestChargeEarlyReruns(t *testing.T) {
	t.Parallel()
	t.Run("after a refusal", func(t *testing.T) {
		t.Parallel()
		srv, _ := mockFake(t)
		m := mockMandate(t, srv)
		params := mockBill(m, "refused-then-ok")
		srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Status: 400,
			Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Payment failed because of a temporary issue with the bank")})
		_, err := mockFresh(srv).Payment.Charge(context.Background(), params)
		require.ErrorIs(t, err, razorpay.ErrNotCharged)

		p, err := mockFresh(srv).Payment.Charge(context.Background(), params)
		require.NoError(t, err, "the first rerun charges: the refused call released its ticket")
		assert.Equal(t, razorpay.OutcomeCharged, razorpay.OutcomeOf(p, err))
	})
	for _, every := range []time.Duration{time.Minute, 5 * time.Minute} {
		t.Run(fmt.Sprintf("every %v after a crash", every), func(t *testing.T) {
			t.Parallel()
			srv, clk := mockFake(t)
			m := mockMandate(t, srv)
			params := mockBill(m, "cron")
			_, err := mockFresh(srv).Payment.Charge(mockCrashAt(srv, 2, true), params) // dies with its ticket made
			require.Error(t, err)
			crashed := clk.Now()
			for {
				clk.Advance(every)
				p, err := mockFresh(srv).Payment.Charge(context.Background(), params)
				if err == nil {
					assert.Equal(t, razorpay.OutcomeCharged, razorpay.OutcomeOf(p, err))
					break
				}
				require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
				require.Less(t, clk.Now().Sub(crashed), razorpay.ChargeSettleWindow+5*time.Minute, "charged within the window and five minutes")
			}
			assert.Len(t, mockLive(srv, params.Receipt), 1)
			assert.Equal(t, 2, mockOrders(srv, params.Receipt), "waiting reruns create nothing")
		})
	}
}

// TestChargeTerminalRefusals: refusals that mention the receipt end in one
// call, and receipts that a server could trim are refused before any I/O.
func TestChargeTerminalRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := mockFake(t)
	m := mockMandate(t, srv)
	for _, desc := range []string{"The receipt may not be greater than 40 characters.", "The receipt field is invalid.", "Receipt should be unique."} {
		srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Status: 400, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", desc)})
		p, err := mockFresh(srv).Payment.Charge(context.Background(), mockBill(m, "terminal"))
		require.ErrorIs(t, err, razorpay.ErrNotCharged, desc)
		assert.Equal(t, razorpay.OutcomeNotCharged, razorpay.OutcomeOf(p, err))
	}
	for _, receipt := range []string{" sub_42", "sub_42 ", "sub\u00a042", "sub\u200342", strings.Repeat("r", 41)} {
		srv.ResetRequests()
		_, err := mockFresh(srv).Payment.Charge(context.Background(), mockBill(m, receipt))
		require.ErrorIs(t, err, razorpay.ErrInvalidParams, "%q", receipt)
		assert.Empty(t, srv.Requests(), "nothing sent")
	}
	assert.Zero(t, mockOrders(srv, "terminal"))
}

// TestChargeSteadyListLag: a list that shows orders one or two seconds
// after their creation still charges every bill, once.
func TestChargeSteadyListLag(t *testing.T) {
	t.Parallel()
	for _, lag := range []time.Duration{time.Second, 2 * time.Second} {
		t.Run(lag.String(), func(t *testing.T) {
			t.Parallel()
			srv, _ := mockFake(t, razorpaytest.WithListLag(func(razorpay.Order, http.Header, http.Header) time.Duration { return lag }))
			m := mockMandate(t, srv)
			var wg sync.WaitGroup
			for i := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					start := time.Now()
					p, err := mockFresh(srv).Payment.Charge(context.Background(), mockBill(m, fmt.Sprintf("lag-%d", i)))
					assert.NoError(t, err)
					assert.Equal(t, razorpay.OutcomeCharged, razorpay.OutcomeOf(p, err))
					assert.Less(t, time.Since(start), time.Minute)
				}()
			}
			wg.Wait()
			assert.Empty(t, srv.DoubleCharges())
		})
	}
}

// TestChargeAssumesTheListShowsOtherWorkersOrders shows the consequence of
// the assumption Charge cannot check: a list that shows each worker its own
// orders at once but another worker's only later (a replica with
// read-your-writes sessions) lets two workers charge the bill. The test
// passes when the double charge happens, as documented.
func TestChargeAssumesTheListShowsOtherWorkersOrders(t *testing.T) {
	t.Parallel()
	const worker = "X-Test-Worker"
	srv, _ := mockFake(t, razorpaytest.WithListLag(func(_ razorpay.Order, created, list http.Header) time.Duration {
		if created.Get(worker) != list.Get(worker) {
			return time.Hour
		}
		return 0
	}))
	m := mockMandate(t, srv)
	params := mockBill(m, "replica")
	inFlight := make(chan struct{})
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: 300 * time.Millisecond,
		Arrived: func() { close(inFlight) }, Match: func(r *http.Request) bool { return r.Header.Get(worker) == "A" }})
	done := make(chan error, 1)
	go func() {
		_, err := mockFresh(srv, razorpay.WithHeader(worker, "A")).Payment.Charge(context.Background(), params)
		done <- err
	}()
	<-inFlight // A decided and sent its payment; B does not see A's order
	_, err := mockFresh(srv, razorpay.WithHeader(worker, "B")).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, []string{"replica"}, srv.DoubleCharges(), "the assumption broken, the bill is charged twice")
}

// TestChargeSlowWorkers: a worker whose list answer arrives after its
// window, or whose payment request takes longer than its own deadline,
// never charges a bill another worker has charged. Real time, with a
// per-attempt timeout of 300 ms and the shortest window it allows.
func TestChargeSlowWorkers(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	window := 3*timeout + 3*time.Second
	slow := func(srv *razorpaytest.Server) *razorpay.Client {
		return mockFresh(srv, razorpay.WithTimeout(timeout), razorpay.WithChargeSettleWindow(window))
	}
	t.Run("list answer held past the window", func(t *testing.T) {
		// An answer held longer than the per-attempt timeout is cut and the
		// list read again; since the window is at least three timeouts and
		// the guard, no single answer can arrive after it, and a decision
		// that goes stale over retries is refused before the payment
		// request (TestChargeStaleDecisionDoesNotPay stalls the process
		// itself there).
		t.Parallel()
		srv := razorpaytest.NewTestServer(t)
		m := mockMandate(t, srv)
		params := mockBill(m, "held")
		hold := make(chan struct{})
		t.Cleanup(func() { close(hold) })
		var lists atomic.Int64
		srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/orders", Hold: hold,
			Match: func(*http.Request) bool { return lists.Add(1) == 2 }}) // the list after its ticket
		start := time.Now()
		p, err := slow(srv).Payment.Charge(context.Background(), params)
		require.NoError(t, err, "the held attempt is cut at its timeout, the next one answers")
		assert.Less(t, time.Since(start), window-3*time.Second)
		again, err := slow(srv).Payment.Charge(context.Background(), params)
		require.NoError(t, err)
		live := mockLive(srv, params.Receipt)
		require.Len(t, live, 1)
		assert.Equal(t, live[0].ID, p.ID)
		assert.Equal(t, p.ID, again.ID)
	})
	t.Run("payment request slower than its deadline", func(t *testing.T) {
		t.Parallel()
		for _, lands := range []bool{true, false} {
			t.Run(fmt.Sprintf("lands %v", lands), func(t *testing.T) {
				t.Parallel()
				srv := razorpaytest.NewTestServer(t)
				m := mockMandate(t, srv)
				params := mockBill(m, fmt.Sprintf("slow-payment-%v", lands))
				f := razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: window / 2}
				if !lands {
					f.Drop = razorpaytest.DropBeforeProcessing
				}
				srv.InjectFault(f)
				start := time.Now()
				_, err := slow(srv).Payment.Charge(context.Background(), params)
				require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
				assert.Less(t, time.Since(start), window-3*time.Second+timeout+2*time.Second, "gave up by its deadline (and the read-back)")
				var ce *razorpay.ChargeError
				require.ErrorAs(t, err, &ce)
				// The worker comes back when told, in real time (the late
				// request runs on the wall clock, not the fake's): the
				// scenario, not a wait for an event.
				time.Sleep(time.Until(start.Add(ce.RetryAfter)))
				p, err := slow(srv).Payment.Charge(context.Background(), params)
				require.NoError(t, err)
				live := mockLive(srv, params.Receipt)
				require.Len(t, live, 1, "the late request landed in the window, or never: one payment either way")
				assert.Equal(t, live[0].ID, p.ID)
			})
		}
	})
}

// TestChargeConflictDoesNotHideTheBillsPayment: a mistaken call for another
// amount on a charged bill's receipt is a conflict and leaves nothing; the
// bill's redeliveries keep getting its payment.
func TestChargeConflictDoesNotHideTheBillsPayment(t *testing.T) {
	t.Parallel()
	srv, _ := mockFake(t)
	m := mockMandate(t, srv)
	params := mockBill(m, "shared")
	p, err := mockFresh(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)

	wrong := *params
	wrong.Amount = 10_000
	_, err = mockFresh(srv).Payment.Charge(context.Background(), &wrong)
	require.ErrorIs(t, err, razorpay.ErrReceiptConflict)
	assert.Equal(t, 1, mockOrders(srv, params.Receipt), "the conflict created nothing")
	for range 3 {
		again, err := mockFresh(srv).Payment.Charge(context.Background(), params)
		require.NoError(t, err)
		assert.Equal(t, p.ID, again.ID)
	}
	other := mockMandate(t, srv)
	_, err = mockFresh(srv).Payment.Charge(context.Background(), mockBill(other, "shared"))
	require.ErrorIs(t, err, razorpay.ErrReceiptConflict)
	assert.Contains(t, err.Error(), "customer")
}

// TestChargeLateAuthorizationDuringPendingRetry: the bill's payment fails,
// the retry goes to the same order and waits at the bank, the failed one is
// authorized late: Razorpay's Orders rule leaves one live payment, and the
// bill returns it.
func TestChargeLateAuthorizationDuringPendingRetry(t *testing.T) {
	t.Parallel()
	srv, clk := mockFake(t, razorpaytest.WithRecurringDelay(time.Hour))
	m := mockMandate(t, srv)
	params := mockBill(m, "late")
	first, err := mockFresh(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	require.Equal(t, razorpay.OutcomePending, razorpay.OutcomeOf(first, err))
	require.NoError(t, srv.FailPayment(first.ID, "insufficient funds"))

	retry, err := mockFresh(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err, "a failed payment holds nothing: the retry charges at once")
	assert.Equal(t, first.OrderID, retry.OrderID, "on the order of the failed payment")
	assert.Equal(t, razorpay.OutcomePending, razorpay.OutcomeOf(retry, err))

	require.NoError(t, srv.CapturePayment(first.ID)) // the late authorization
	clk.Advance(2 * time.Hour)                       // the retry succeeds at the bank too
	live := mockLive(srv, params.Receipt)
	require.Len(t, live, 1, "the later success is refunded at once")
	assert.Equal(t, first.ID, live[0].ID)
	got, err := mockFresh(srv).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, first.ID, got.ID)
	assert.Equal(t, razorpay.OutcomeCharged, razorpay.OutcomeOf(got, err))
}

// TestChargeDeliveriesAtOnce: two to four deliveries of each bill at once,
// with and without unique receipts: never two payments, and the bill
// settles within seconds (tickets in the same second stand down and come
// back after a short random wait).
func TestChargeDeliveriesAtOnce(t *testing.T) {
	t.Parallel()
	for _, unique := range []bool{false, true} {
		t.Run(fmt.Sprintf("unique receipts %v", unique), func(t *testing.T) {
			t.Parallel()
			var opts []razorpaytest.Option
			if unique {
				opts = append(opts, razorpaytest.WithUniqueReceipts())
			}
			srv, clk := mockFake(t, opts...)
			m := mockMandate(t, srv)
			var slowest time.Duration
			for i := range 30 {
				params := mockBill(m, fmt.Sprintf("at-once-%d", i))
				workers := 2 + i%3
				var wg sync.WaitGroup
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, _ = mockFresh(srv).Payment.Charge(context.Background(), params)
					}()
				}
				wg.Wait()
				require.LessOrEqual(t, len(mockLive(srv, params.Receipt)), 1, "%s: charged twice", params.Receipt)
				start := clk.Now()
				p, _, err := mockSettle(t, srv, clk, params, 20)
				require.NoError(t, err)
				slowest = max(slowest, clk.Now().Sub(start))
				live := mockLive(srv, params.Receipt)
				require.Len(t, live, 1)
				assert.Equal(t, live[0].ID, p.ID)
			}
			t.Logf("deliveries at once, unique receipts %v: the slowest bill settled %v after its deliveries", unique, slowest)
			assert.Less(t, slowest, time.Minute)
			assert.Empty(t, srv.DoubleCharges())
		})
	}
}

// TestChargeRequestCounts: a new bill takes five requests, a bill already
// charged one, and neither leaves an extra order.
func TestChargeRequestCounts(t *testing.T) {
	t.Parallel()
	srv, _ := mockFake(t)
	m := mockMandate(t, srv)
	params := mockBill(m, "count")
	c := mockFresh(srv)
	srv.ResetRequests()
	_, err := c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	var routes []string
	for _, r := range srv.Requests() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{"GET /v1/orders", "POST /v1/orders", "GET /v1/orders", "POST /v1/payments/create/recurring", "GET /v1/payments/" + mockLive(srv, "count")[0].ID}, routes)

	srv.ResetRequests()
	_, err = c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1, "a rerun of a charged bill")
	assert.Equal(t, 1, mockOrders(srv, params.Receipt))
}

// A bill refunded in full is settled: Charge with its receipt returns the
// refunded payment (OutcomeRefunded) and charges nothing.
func TestChargeAfterFullRefund(t *testing.T) {
	t.Parallel()
	srv, p := mockCharged(t)
	_, err := mockFresh(srv).Payment.Refund(context.Background(), p.ID, &razorpay.RefundCreateParams{IdempotencyKey: "refund-sub_42-2026-11-1"})
	require.NoError(t, err)
	orders := len(srv.Orders())
	var m *razorpaytest.Mandate
	for _, o := range srv.OrderPayments(p.OrderID) {
		m = &razorpaytest.Mandate{CustomerID: o.CustomerID, TokenID: o.TokenID, Email: o.Email, Contact: o.Contact}
	}
	require.NotNil(t, m)
	again, err := mockFresh(srv).Payment.Charge(context.Background(), &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: mockBillAmount, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: "sub_42-2026-11",
	})
	require.NoError(t, err)
	assert.Equal(t, p.ID, again.ID)
	assert.Equal(t, razorpay.OutcomeRefunded, razorpay.OutcomeOf(again, nil))
	assert.Len(t, srv.ReceiptPayments("sub_42-2026-11"), 1, "nothing charged again")
	assert.LessOrEqual(t, len(srv.Orders()), orders+1, "at most Charge's own empty order")
}

// ----- the chaos soak -----

// soakFront serves the fake through a server of its own that counts the
// requests being handled, so that the soak moves the fake's clock only once
// every request that may still land has landed (a Delay fault holds a
// request in the fake after its client gave up).
type soakFront struct {
	*httptest.Server
	inflight atomic.Int64
}

func newSoakFront(t testing.TB, srv *razorpaytest.Server) *soakFront {
	t.Helper()
	f := &soakFront{}
	h := srv.Handler()
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.inflight.Add(1)
		defer f.inflight.Add(-1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// idle waits until no request is being handled.
func (f *soakFront) idle() {
	for f.inflight.Load() > 0 {
		runtime.Gosched()
	}
}

// soakHeader numbers each request, so that a fault applies to that request
// only (Fault.Match), however many run at once.
const soakHeader = "X-Soak-Request"

// soakRun is the randomness and the counters the deliveries share.
type soakRun struct {
	srv  *razorpaytest.Server
	base http.RoundTripper
	next atomic.Int64 // request numbers

	mu       sync.Mutex
	rng      *rand.Rand
	injected map[string]int
}

func (r *soakRun) draw(f func(*rand.Rand)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.rng)
}

// chaosFault is one kind of fault the soak injects.
type chaosFault struct {
	name  string
	fault razorpaytest.Fault // the soak sets Match per request
}

// chaosFaults are the faults of the soak drawn at random: Razorpay's and a
// proxy's errors, lost connections, and requests delayed by delay.
func chaosFaults(delay time.Duration) []chaosFault {
	serverErr := razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")
	return []chaosFault{
		{"429", razorpaytest.Fault{Status: 429, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests"), RetryAfter: "1"}},
		{"500", razorpaytest.Fault{Status: 500, Body: serverErr}},
		{"502 HTML", razorpaytest.Fault{Status: 502, Body: mockBadGatewayHTML, ContentType: "text/html"}},
		{"503", razorpaytest.Fault{Status: 503, Body: serverErr}},
		{"504", razorpaytest.Fault{Status: 504}},
		{"drop before processing", razorpaytest.Fault{Drop: razorpaytest.DropBeforeProcessing}},
		{"drop after processing", razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing}},
		{"delay", razorpaytest.Fault{Delay: delay}},
	}
}

// soakFaults are the faults of the soak: Razorpay's and a proxy's bad
// answers, lost connections, and slow requests and answers (a Delay holds
// the request before it is processed, a Hold the answer after).
func soakFaults() []chaosFault {
	faults := chaosFaults(250 * time.Millisecond)
	return append(faults, chaosFault{"slow answer", razorpaytest.Fault{}})
}

// soakCall is the transport of one delivery, a fresh process's: it crashes
// the process at its crashAt-th request (before the request is processed,
// or after with the answer lost) and faults other requests at random.
type soakCall struct {
	run        *soakRun
	faultRate  float64
	crashAt    int // 0: no crash
	crashAfter bool
	crash      context.CancelFunc
	crashed    atomic.Bool
	faulted    atomic.Bool
	n          atomic.Int64
}

func (c *soakCall) RoundTrip(r *http.Request) (*http.Response, error) {
	n := int(c.n.Add(1))
	id := strconv.FormatInt(c.run.next.Add(1), 10)
	r = r.Clone(r.Context())
	r.Header.Set(soakHeader, id)
	match := func(r *http.Request) bool { return r.Header.Get(soakHeader) == id }
	if n == c.crashAt {
		drop := razorpaytest.DropBeforeProcessing
		if c.crashAfter {
			drop = razorpaytest.DropAfterProcessing
		}
		c.run.srv.InjectFault(razorpaytest.Fault{Match: match, Drop: drop, Abandon: func() {
			c.crashed.Store(true)
			c.crash()
		}})
		return c.run.base.RoundTrip(r)
	}
	var fault *razorpaytest.Fault
	c.run.draw(func(rng *rand.Rand) {
		if rng.Float64() >= c.faultRate {
			return
		}
		faults := soakFaults()
		k := faults[rng.IntN(len(faults))]
		c.run.injected[k.name]++
		f := k.fault
		if k.name == "slow answer" {
			f.Hold = soakAfter(time.Duration(30+rng.IntN(120)) * time.Millisecond)
		}
		fault = &f
	})
	if fault != nil {
		c.faulted.Store(true)
		fault.Match = match
		c.run.srv.InjectFault(*fault)
	}
	return c.run.base.RoundTrip(r)
}

// soakAfter returns a channel closed after d.
func soakAfter(d time.Duration) <-chan struct{} {
	ch := make(chan struct{})
	time.AfterFunc(d, func() { close(ch) })
	return ch
}

// soakQueue is an at-least-once queue of bills on the fake's clock. A bill
// is due again at a time each delivery sets. When no bill is due and none
// is being delivered, the queue moves the clock to the earliest due bill,
// once every request that may still land has landed.
type soakQueue struct {
	clk   *razorpaytest.Clock
	front *soakFront

	mu       sync.Mutex
	cond     *sync.Cond
	pending  []soakJob
	running  int
	left     int // bills not settled
	advanced time.Duration
}

type soakJob struct {
	bill int
	due  time.Time
	dup  bool // a duplicate delivery: it is not delivered again
}

// take returns a due delivery, or false when every bill is settled.
func (q *soakQueue) take() (soakJob, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		if q.left == 0 {
			return soakJob{}, false
		}
		if len(q.pending) > 0 {
			i := 0
			for j := range q.pending {
				if q.pending[j].due.Before(q.pending[i].due) {
					i = j
				}
			}
			job := q.pending[i]
			if !job.due.After(q.clk.Now()) {
				q.pending[i] = q.pending[len(q.pending)-1]
				q.pending = q.pending[:len(q.pending)-1]
				q.running++
				return job, true
			}
			if q.running == 0 {
				q.front.idle()
				if d := job.due.Sub(q.clk.Now()); d > 0 {
					q.clk.Advance(d)
					q.advanced += d
				}
				continue
			}
		}
		q.cond.Wait()
	}
}

// soakTick is the resolution of the queue's schedule: a delivery due at
// some time runs at the next tick, as a queue that polls for due jobs
// runs it, so that waiting bills come back in batches.
const soakTick = 30 * time.Second

// add queues a delivery of bill due at the given time (a duplicate when
// dup).
func (q *soakQueue) add(bill int, due time.Time, dup bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if t := due.Truncate(soakTick); t.Before(due) {
		due = t.Add(soakTick)
	}
	q.pending = append(q.pending, soakJob{bill, due, dup})
	q.cond.Broadcast()
}

// done ends a delivery; settled counts the bill settled by it.
func (q *soakQueue) done(settled bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.running--
	if settled {
		q.left--
	}
	q.cond.Broadcast()
}

// soakBill is what the test knows of one bill.
type soakBill struct {
	mu         sync.Mutex
	params     razorpay.ChargeParams
	cancelled  bool // its mandate is cancelled: Razorpay refuses it
	deliveries int
	crashes    int
	waits      int
	settled    bool
	settledAt  time.Time
	disturbed  time.Time // the last fault, crash or queue delay of its own
	paymentID  string
	notCharged bool
	bad        []string
}

// TestChargeChaosSoak runs 2,000 bills through an at-least-once queue with
// 8 workers, on the fake's clock, under -race in CI. Each delivery is a
// fresh process (a fresh Client, no state but the bill). About a fifth of
// the deliveries die at a random request of the call, before it is
// processed or after with the answer lost, and the queue delivers the bill
// again after a random gap from 1 s to 2 h; one delivery in eight comes
// with a duplicate delivered at once (which the queue then drops, as a
// queue's duplicate is one extra run, not a second job); a payment read
// back pending is looked at again a minute later; other requests meet 5xx,
// 429, dropped
// connections, requests held before processing and answers held after
// (slow workers), and a list that shows a tenth of the orders up to half a
// second late. An unknown outcome comes back after its RetryAfter, for half
// the bills plus a random delay of up to ten minutes. A bill is delivered
// until Charge says charged or certainly not charged (its mandate is
// cancelled). In the end no receipt holds two live payments, every bill is
// settled, within three settle windows of its last fault or queue delay,
// and the orders per bill are reported.
func TestChargeChaosSoak(t *testing.T) {
	t.Parallel()
	const (
		bills     = 2000
		workers   = 8
		mandates  = 40
		cancelled = 2
		crashRate = 0.2
		dupRate   = 0.125
		faultRate = 0.08
		timeout   = 150 * time.Millisecond
		seed      = 20261206
	)
	window := razorpay.ChargeSettleWindow
	start := time.Now()
	lagged := func(o razorpay.Order, _, _ http.Header) time.Duration {
		h := fnv.New32a()
		h.Write([]byte(o.ID))
		if v := h.Sum32(); v%10 == 0 {
			return time.Duration(v%500) * time.Millisecond
		}
		return 0
	}
	srv, clk := mockFake(t, razorpaytest.WithListLag(lagged))
	front := newSoakFront(t, srv)
	ms := make([]*razorpaytest.Mandate, mandates)
	for i := range ms {
		ms[i] = mockMandate(t, srv)
	}
	for _, m := range ms[:cancelled] {
		require.NoError(t, srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringCancelled))
	}
	srv.ResetRequests()

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 2 * workers
	t.Cleanup(base.CloseIdleConnections)
	run := &soakRun{srv: srv, base: base, rng: rand.New(rand.NewPCG(seed, seed)), injected: map[string]int{}}
	gap := func(rng *rand.Rand) time.Duration { // log-uniform from 1 s to 2 h
		return time.Duration(math.Exp(rng.Float64()*math.Log(7200))) * time.Second
	}

	all := make([]*soakBill, bills)
	q := &soakQueue{clk: clk, front: front, left: bills}
	q.cond = sync.NewCond(&q.mu)
	for i := range all {
		m := ms[i%mandates]
		all[i] = &soakBill{cancelled: i%mandates < cancelled, disturbed: clk.Now(), params: razorpay.ChargeParams{
			CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 1000 + int64(i%97)*10, Currency: "INR",
			Email: m.Email, Contact: m.Contact, Receipt: fmt.Sprintf("soak-%04d", i), Description: "soak",
		}}
		q.pending = append(q.pending, soakJob{bill: i, due: clk.Now()})
	}

	// deliver runs one delivery of bill i, queues what follows, and says
	// whether it settled the bill.
	deliver := func(job soakJob) bool {
		i := job.bill
		b := all[i]
		at := clk.Now()
		ctx, crash := context.WithCancel(context.Background())
		defer crash()
		call := &soakCall{run: run, faultRate: faultRate, crash: crash}
		dup := false
		run.draw(func(rng *rand.Rand) {
			if rng.Float64() < crashRate {
				call.crashAt, call.crashAfter = 1+rng.IntN(len(chargeSteps)), rng.IntN(2) == 0
			}
			dup = rng.Float64() < dupRate
		})
		if dup {
			q.add(i, at, true)
		}
		client := mockFresh(srv, razorpay.WithBaseURL(front.URL), razorpay.WithHTTPClient(&http.Client{Transport: call}),
			razorpay.WithTimeout(timeout))
		p, err := client.Payment.Charge(ctx, &b.params)

		b.mu.Lock()
		defer b.mu.Unlock()
		b.deliveries++
		if call.faulted.Load() || call.crashed.Load() {
			b.disturbed = maxTime(b.disturbed, at)
		}
		outcome := razorpay.OutcomeOf(p, err)
		switch {
		case call.crashed.Load():
			// The process died: nobody heard the answer. Delivered again.
			b.crashes++
			var d time.Duration
			run.draw(func(rng *rand.Rand) { d = gap(rng) })
			b.disturbed = maxTime(b.disturbed, at.Add(d))
			if !b.settled && !job.dup {
				q.add(i, at.Add(d), false)
			}
			return false
		case outcome == razorpay.OutcomeCharged:
			if b.paymentID != "" && b.paymentID != p.ID {
				b.bad = append(b.bad, "two payments returned: "+b.paymentID+" and "+p.ID)
			}
			b.paymentID = p.ID
		case outcome == razorpay.OutcomePending:
			// A signed answer whose payment could not be read back: the
			// queue looks again later, as a worker waiting for the bank.
			if b.paymentID != "" && b.paymentID != p.ID {
				b.bad = append(b.bad, "two payments returned: "+b.paymentID+" and "+p.ID)
			}
			b.paymentID = p.ID
			if !b.settled && !job.dup {
				q.add(i, at.Add(time.Minute), false)
			}
			return false
		case outcome == razorpay.OutcomeNotCharged && b.cancelled:
			b.notCharged = true
		case outcome == razorpay.OutcomeUnknown:
			var ce *razorpay.ChargeError
			if !errors.As(err, &ce) {
				b.bad = append(b.bad, "unknown outside the contract: "+err.Error())
				return false
			}
			b.waits++
			wait := ce.RetryAfter
			if i%2 == 1 {
				var extra time.Duration
				run.draw(func(rng *rand.Rand) { extra = time.Duration(rng.Int64N(int64(10 * time.Minute))) })
				wait += extra
				b.disturbed = maxTime(b.disturbed, at.Add(wait))
			}
			if !b.settled && !job.dup {
				q.add(i, at.Add(wait), false)
			}
			return false
		default:
			b.bad = append(b.bad, fmt.Sprintf("%s: %v", outcome, err))
		}
		if b.settled {
			return false // a duplicate of a settled bill
		}
		b.settled, b.settledAt = true, at
		return true
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				job, ok := q.take()
				if !ok {
					return
				}
				q.done(deliver(job))
			}
		}()
	}
	wg.Wait()
	front.idle()
	elapsed := time.Since(start)

	orders := map[string]int{}
	for _, o := range srv.Orders() {
		orders[o.Receipt]++
	}
	assert.Empty(t, srv.DoubleCharges(), "receipts with more than one live payment")
	var charged, notCharged, deliveries, crashes, waits, maxOrders, sumOrders int
	var slowest time.Duration
	for _, b := range all {
		deliveries += b.deliveries
		crashes += b.crashes
		waits += b.waits
		n := orders[b.params.Receipt]
		sumOrders += n
		maxOrders = max(maxOrders, n)
		live := mockLive(srv, b.params.Receipt)
		assert.Empty(t, b.bad, b.params.Receipt)
		switch {
		case b.notCharged:
			notCharged++
			assert.Empty(t, live, "%s: not charged, but the fake holds a live payment", b.params.Receipt)
		default:
			charged++
			if assert.Len(t, live, 1, "%s: charged exactly once", b.params.Receipt) {
				assert.Equal(t, b.paymentID, live[0].ID, "%s: the payment returned is the one the fake holds", b.params.Receipt)
			}
		}
		latency := b.settledAt.Sub(b.disturbed)
		slowest = max(slowest, latency)
		assert.LessOrEqual(t, latency, 3*window, "%s: settled %v after its last fault or delay", b.params.Receipt, latency)
	}
	assert.Equal(t, bills, charged+notCharged, "every bill settled")
	assert.Equal(t, bills*cancelled/mandates, notCharged, "the bills of cancelled mandates, and only they, are not charged")

	injected := 0
	kinds := make([]string, 0, len(run.injected))
	for k, n := range run.injected {
		injected += n
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(kinds)
	assert.Len(t, run.injected, len(soakFaults()), "every kind of fault was injected")
	assert.Greater(t, crashes, bills/10, "crashes") // a loaded machine adds deliveries, not crashes
	assert.Positive(t, waits)

	requests := len(srv.Requests())
	t.Logf("chaos soak: %d bills, %d workers, %v real, the fake's clock moved %v", bills, workers, elapsed.Round(time.Millisecond), q.advanced.Round(time.Second))
	t.Logf("  deliveries %d (%d redeliveries and duplicates), %d crashed mid-call (%.1f%%), %d unknown outcomes",
		deliveries, deliveries-bills, crashes, 100*float64(crashes)/float64(deliveries), waits)
	t.Logf("  faults injected: %d on %d requests (%s)", injected, requests, strings.Join(kinds, " "))
	t.Logf("  charged %d, not charged %d, double charges %d; %.2f requests and %.2f orders per bill (at most %d); slowest settlement %v after its last fault or delay",
		charged, notCharged, len(srv.DoubleCharges()), float64(requests)/bills, float64(sumOrders)/bills, maxOrders, slowest.Round(time.Second))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
