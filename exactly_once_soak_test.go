package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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

// Exactly-once charges at scale: a redelivery soak (an at-least-once queue
// whose workers crash mid-call, with the fault mix of the reliability soak)
// and races (several workers on the same bill at once).

// soakFront serves the fake through a server of its own that counts the
// requests being handled, so that the soak moves the fake's clock only once
// every request that may still land has landed (a Delay fault holds a
// request in the fake after the client gave up).
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

// settle waits until no request is being handled.
func (f *soakFront) settle() {
	for f.inflight.Load() > 0 {
		time.Sleep(time.Millisecond)
	}
}

// soakHeader marks each request with a number, so that a fault applies to
// that request only (Fault.Match), however many run at once.
const soakHeader = "X-Soak-Request"

// soakRun is the state the soak's transports share.
type soakRun struct {
	srv       *razorpaytest.Server
	base      http.RoundTripper
	faultRate float64
	faults    []relChaosFault

	next atomic.Int64 // request numbers

	mu       sync.Mutex
	rng      *rand.Rand
	injected map[string]int
	crashes  map[string]int // by request number in the call and point
}

func (r *soakRun) draw(f func(*rand.Rand)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.rng)
}

// soakCall is the transport of one delivery: a fresh process's client. It
// crashes the process at its crashAt-th request (before the request is
// processed, or after with the answer lost), and faults other requests at
// random.
type soakCall struct {
	run        *soakRun
	crashAt    int // 0: no crash
	crashAfter bool
	crash      context.CancelFunc
	crashed    atomic.Bool
	n          atomic.Int64
}

func (c *soakCall) RoundTrip(r *http.Request) (*http.Response, error) {
	n := int(c.n.Add(1))
	id := strconv.FormatInt(c.run.next.Add(1), 10)
	r = r.Clone(r.Context())
	r.Header.Set(soakHeader, id)
	match := func(r *http.Request) bool { return r.Header.Get(soakHeader) == id }
	switch {
	case n == c.crashAt:
		drop, point := razorpaytest.DropBeforeProcessing, "before"
		if c.crashAfter {
			drop, point = razorpaytest.DropAfterProcessing, "after"
		}
		c.run.draw(func(*rand.Rand) { c.run.crashes[fmt.Sprintf("request %d %s", n, point)]++ })
		c.run.srv.InjectFault(razorpaytest.Fault{Match: match, Drop: drop, Abandon: func() {
			c.crashed.Store(true)
			c.crash()
		}})
	default:
		var fault *razorpaytest.Fault
		c.run.draw(func(rng *rand.Rand) {
			if rng.Float64() < c.run.faultRate {
				k := c.run.faults[rng.IntN(len(c.run.faults))]
				c.run.injected[k.name]++
				fault = &k.fault
			}
		})
		if fault != nil {
			f := *fault
			f.Match = match
			c.run.srv.InjectFault(f)
		}
	}
	return c.run.base.RoundTrip(r)
}

// soakQueue is an at-least-once queue of bills on the fake's clock: a bill
// is delivered again until Charge gives a definite answer, at once after a
// crash, after RetryAfter (on the fake's clock) after an unknown outcome.
// Like the delayed messages of real queues, a bill that waits is due at the
// next tick of the queue's clock after RetryAfter, so that waiting bills
// come back in batches. When no bill is due and none is being charged, the
// queue moves the clock to the earliest due bill, once every request that
// may still land has landed.
type soakQueue struct {
	clk   *razorpaytest.Clock
	front *soakFront
	tick  time.Duration

	mu       sync.Mutex
	cond     *sync.Cond
	pending  []soakJob
	running  int
	left     int // bills without a definite answer
	advances int
	advanced time.Duration
}

type soakJob struct {
	bill int
	due  time.Time
}

// take returns a due bill, or false when every bill is done.
func (q *soakQueue) take() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		if q.left == 0 {
			return 0, false
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
				return job.bill, true
			}
			if q.running == 0 {
				// Idle: let stragglers land, then skip to the next due bill.
				q.front.settle()
				if d := job.due.Sub(q.clk.Now()); d > 0 {
					q.clk.Advance(d)
					q.advances++
					q.advanced += d
				}
				continue
			}
		}
		q.cond.Wait()
	}
}

// done ends a delivery: the bill is settled, or due again after wait.
func (q *soakQueue) done(bill int, settled bool, wait time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.running--
	switch {
	case settled:
		q.left--
	case wait > 0:
		due := q.clk.Now().Add(wait + q.tick - 1).Truncate(q.tick)
		q.pending = append(q.pending, soakJob{bill: bill, due: due})
	default:
		q.pending = append(q.pending, soakJob{bill: bill, due: q.clk.Now()})
	}
	q.cond.Broadcast()
}

// soakBill is what the queue and the test know of one bill.
type soakBill struct {
	params     razorpay.ChargeParams
	withOrder  bool   // redeliveries carry the OrderID of the last ChargeError
	orderID    string // that OrderID
	deliveries int
	crashes    int
	waits      int // unknown outcomes with a RetryAfter
	again      int // unknown outcomes without one
	paymentID  string
	notCharged bool
	err        error // the last error, or one outside the contract
	bad        bool  // an answer outside the contract
}

// TestChargeRedeliverySoak runs 2,000 bills through an at-least-once queue
// with 8 workers. Each delivery is a fresh process (a fresh Client, no
// state but the bill); about a fifth of them die mid-call, at a random
// request, before it is processed or after with the answer lost; the other
// requests meet the reliability soak's fault mix (5xx, 429 with Retry-After,
// connections dropped before and after processing, delays that outlive the
// client's timeout). A bill is delivered again until Charge says charged or
// certainly not charged; an unknown outcome comes back after its RetryAfter
// on the fake's clock. Some mandates are cancelled, so that Razorpay refuses
// their bills. In the end no receipt holds two live payments, and each bill
// is charged once with the payment Charge returned, or holds none.
//
// It replaces the chaos soak of issue 5 (TestReliabilityChaosSoak), whose
// callers resumed an unknown outcome at once on its order: half of the bills
// here are redelivered with the OrderID of their last ChargeError, as a
// queue that stores it would, the other half with the receipt alone.
func TestChargeRedeliverySoak(t *testing.T) {
	t.Parallel()
	const (
		bills         = 2000
		workers       = 8
		mandates      = 40
		cancelled     = 2 // mandates whose bills Razorpay refuses
		crashRate     = 0.25
		faultRate     = 0.12
		timeout       = 150 * time.Millisecond // per attempt
		delay         = 200 * time.Millisecond // a delayed request outlives its attempt
		tick          = 10 * time.Second       // of the queue's clock
		maxDeliveries = 100                    // a bill delivered more often is stuck
		seed          = 20261129
	)
	start := time.Now()
	srv, clk := eoServer(t)
	front := newSoakFront(t, srv)
	ms := make([]*razorpaytest.Mandate, mandates)
	for i := range ms {
		ms[i] = eoMandate(t, srv)
	}
	for _, m := range ms[:cancelled] {
		require.NoError(t, srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringCancelled))
	}
	srv.ResetRequests()

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = workers * 2
	t.Cleanup(base.CloseIdleConnections)
	run := &soakRun{
		srv: srv, base: base, faultRate: faultRate, faults: relChaosFaults(delay),
		rng: rand.New(rand.NewPCG(seed, seed)), injected: map[string]int{}, crashes: map[string]int{},
	}

	all := make([]*soakBill, bills)
	q := &soakQueue{clk: clk, front: front, tick: tick, left: bills}
	q.cond = sync.NewCond(&q.mu)
	for i := range all {
		m := ms[i%mandates]
		all[i] = &soakBill{withOrder: i%2 == 1, params: razorpay.ChargeParams{
			CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 1000 + int64(i%97)*10, Currency: "INR",
			Email: m.Email, Contact: m.Contact, Receipt: fmt.Sprintf("soak-%04d", i), Description: "soak",
		}}
		q.pending = append(q.pending, soakJob{bill: i, due: clk.Now()})
	}

	// deliver runs one delivery of a bill and says whether it settled it,
	// and when to deliver it again if not.
	deliver := func(b *soakBill) (bool, time.Duration) {
		b.deliveries++
		ctx, crash := context.WithCancel(context.Background())
		defer crash()
		call := &soakCall{run: run, crash: crash}
		run.draw(func(rng *rand.Rand) {
			if rng.Float64() < crashRate {
				call.crashAt, call.crashAfter = 1+rng.IntN(4), rng.IntN(2) == 0
			}
		})
		client := eoClient(srv, razorpay.WithBaseURL(front.URL), razorpay.WithHTTPClient(&http.Client{Transport: call}),
			razorpay.WithTimeout(timeout), razorpay.WithMaxRetries(2))
		params := b.params
		if b.withOrder {
			params.OrderID = b.orderID
		}
		p, err := client.Payment.Charge(ctx, &params)
		var ce *razorpay.ChargeError
		switch {
		case call.crashed.Load():
			// The process died: whatever Charge returned, nobody heard it.
			// The queue delivers the bill again.
			b.crashes++
			return false, 0
		case err == nil:
			b.paymentID = p.ID
			return true, 0
		case !errors.As(err, &ce) || errors.Is(err, razorpay.ErrReceiptConflict) ||
			errors.Is(err, razorpay.ErrNotCharged) == errors.Is(err, razorpay.ErrOutcomeUnknown):
			b.err, b.bad = err, true
			return true, 0
		case errors.Is(err, razorpay.ErrNotCharged):
			b.err, b.notCharged = err, true
			return true, 0
		}
		b.err = err
		if ce.OrderID != "" {
			b.orderID = ce.OrderID
		}
		if ce.RetryAfter > 0 {
			b.waits++
		} else {
			b.again++
		}
		if b.deliveries >= maxDeliveries {
			b.bad = true
			return true, 0
		}
		return false, ce.RetryAfter
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i, ok := q.take()
				if !ok {
					return
				}
				settled, wait := deliver(all[i])
				q.done(i, settled, wait)
			}
		}()
	}
	wg.Wait()
	front.settle()
	elapsed := time.Since(start)

	// What the fake holds.
	assert.Empty(t, srv.DoubleCharges(), "receipts with more than one live payment")
	var charged, notCharged, deliveries, crashes, waits, again, maxDel, live int
	for _, b := range all {
		deliveries += b.deliveries
		crashes += b.crashes
		waits += b.waits
		again += b.again
		maxDel = max(maxDel, b.deliveries)
		got := eoLive(srv, b.params.Receipt)
		live += len(got)
		switch {
		case b.bad:
			assert.Fail(t, "no definite answer within the contract", "%s after %d deliveries: %v", b.params.Receipt, b.deliveries, b.err)
		case b.notCharged:
			notCharged++
			assert.Empty(t, relPaymentIDs(got), "%s: not charged (%v), but the fake holds a live payment", b.params.Receipt, b.err)
		default:
			charged++
			if assert.Len(t, relPaymentIDs(got), 1, "%s: charged exactly once", b.params.Receipt) {
				assert.Equal(t, b.paymentID, got[0].ID, "%s: the payment returned is the one the fake holds", b.params.Receipt)
			}
		}
	}
	assert.Equal(t, bills, charged+notCharged, "every bill ends charged or certainly not charged")

	injected := 0
	kinds := make([]string, 0, len(run.injected))
	for k, n := range run.injected {
		injected += n
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(kinds)
	points := make([]string, 0, len(run.crashes))
	armed := 0
	for k, n := range run.crashes {
		armed += n
		points = append(points, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(points)
	requests := len(srv.Requests())

	// The chaos must have bitten.
	assert.Len(t, run.injected, len(run.faults), "every kind of fault was injected")
	assert.Greater(t, crashes, deliveries/10, "crashes")
	assert.Positive(t, waits, "unknown outcomes with a RetryAfter")
	assert.Positive(t, notCharged)
	assert.Greater(t, charged, bills/2)

	t.Logf("redelivery soak: %d bills, %d workers, %v real", bills, workers, elapsed.Round(time.Millisecond))
	t.Logf("  deliveries %d (%d redeliveries, at most %d for one bill): %d crashed mid-call (%.1f%% of calls), %d unknown with a RetryAfter, %d unknown without",
		deliveries, deliveries-bills, maxDel, crashes, 100*float64(crashes)/float64(deliveries), waits, again)
	t.Logf("  crash points reached (request of the call, before/after processing): %d: %s", armed, strings.Join(points, " "))
	t.Logf("  faults injected: %d on %d requests (%s)", injected, requests, strings.Join(kinds, " "))
	t.Logf("  charged %d, not charged %d, live payments %d, double charges %d; %.2f requests per bill; clock moved %d times, %v in all",
		charged, notCharged, live, len(srv.DoubleCharges()), float64(requests)/bills, q.advances, q.advanced.Round(time.Second))
}

// raceCall is the answer one worker got for a bill.
type raceCall struct {
	paymentID string
	err       error
}

// TestChargeRaces runs each of 500 bills in 2 to 4 workers at once, each
// with its own fresh client, on accounts with and without unique receipts:
// no bill is charged twice, and once the bills are settled (run again after
// their RetryAfter, the fake's clock moved by as much) each is charged
// exactly once, with the payment every successful call returned.
func TestChargeRaces(t *testing.T) {
	t.Parallel()
	for _, unique := range []bool{false, true} {
		t.Run(fmt.Sprintf("unique receipts %v", unique), func(t *testing.T) {
			t.Parallel()
			const (
				bills    = 500
				atOnce   = 8 // bills raced at the same time
				mandates = 20
				rounds   = 6
			)
			start := time.Now()
			var opts []razorpaytest.Option
			if unique {
				opts = append(opts, razorpaytest.WithUniqueReceipts())
			}
			srv, clk := eoServer(t, opts...)
			ms := make([]*razorpaytest.Mandate, mandates)
			for i := range ms {
				ms[i] = eoMandate(t, srv)
			}
			params := make([]*razorpay.ChargeParams, bills)
			for i := range params {
				params[i] = eoParams(ms[i%mandates], fmt.Sprintf("race-%03d", i))
			}
			calls := make([][]raceCall, bills)

			// The race: every worker of a bill starts at the same moment.
			sem := make(chan struct{}, atOnce)
			var all sync.WaitGroup
			for i := range bills {
				workers := 2 + i%3
				calls[i] = make([]raceCall, workers)
				sem <- struct{}{}
				all.Add(1)
				go func() {
					defer all.Done()
					defer func() { <-sem }()
					ready := make(chan struct{})
					var wg sync.WaitGroup
					for w := range workers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							c := eoClient(srv)
							<-ready
							p, err := c.Payment.Charge(context.Background(), params[i])
							calls[i][w] = raceCall{err: err}
							if p != nil {
								calls[i][w].paymentID = p.ID
							}
						}()
					}
					close(ready)
					wg.Wait()
				}()
			}
			all.Wait()
			assert.Empty(t, srv.DoubleCharges(), "double charges right after the races")

			var nCalls, paid, waited, again, notCharged, other, billsPaid int
			final := make([]string, bills) // the payment of each bill
			for i, cs := range calls {
				for _, c := range cs {
					nCalls++
					var ce *razorpay.ChargeError
					switch {
					case c.err == nil:
						paid++
						if final[i] == "" {
							billsPaid++
							final[i] = c.paymentID
						}
						assert.Equal(t, final[i], c.paymentID, "%s: two calls returned different payments", params[i].Receipt)
					case errors.Is(c.err, razorpay.ErrOutcomeUnknown) && errors.As(c.err, &ce) && ce.RetryAfter > 0:
						waited++
					case errors.Is(c.err, razorpay.ErrOutcomeUnknown):
						again++
					case errors.Is(c.err, razorpay.ErrNotCharged):
						notCharged++
						assert.Fail(t, "not charged without a fault", "%s: %v", params[i].Receipt, c.err)
					default:
						other++
						assert.Fail(t, "an error outside the contract", "%s: %v", params[i].Receipt, c.err)
					}
				}
			}

			// Settle: run every bill without a payment again from a fresh
			// client, then move the clock by the longest RetryAfter.
			settleRuns, round := 0, 0
			for ; round < rounds; round++ {
				var todo []int
				for i := range bills {
					if final[i] == "" {
						todo = append(todo, i)
					}
				}
				if len(todo) == 0 {
					break
				}
				var mu sync.Mutex
				var longest time.Duration
				var wg sync.WaitGroup
				for _, i := range todo {
					settleRuns++
					sem <- struct{}{}
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer func() { <-sem }()
						p, err := eoClient(srv).Payment.Charge(context.Background(), params[i])
						var ce *razorpay.ChargeError
						switch {
						case err == nil:
							final[i] = p.ID
						case errors.Is(err, razorpay.ErrOutcomeUnknown) && errors.As(err, &ce):
							mu.Lock()
							longest = max(longest, ce.RetryAfter)
							mu.Unlock()
						default:
							assert.Fail(t, "settling", "%s: %v", params[i].Receipt, err)
						}
					}()
				}
				wg.Wait()
				clk.Advance(longest)
			}

			orders := 0
			for _, o := range srv.Orders() {
				if strings.HasPrefix(o.Receipt, "race-") {
					orders++
				}
			}
			assert.Empty(t, srv.DoubleCharges(), "double charges")
			for i, p := range params {
				live := eoLive(srv, p.Receipt)
				if assert.Len(t, relPaymentIDs(live), 1, "%s: charged exactly once", p.Receipt) {
					assert.Equal(t, live[0].ID, final[i], "%s: the payment returned is the one the fake holds", p.Receipt)
				}
			}
			t.Logf("races (unique receipts %v): %d bills, 2 to 4 workers each, %d calls: %d returned the payment (%d bills), %d waited (unknown with a RetryAfter), %d unknown without, %d not charged, %d other",
				unique, bills, nCalls, paid, billsPaid, waited, again, notCharged, other)
			t.Logf("  settled with %d more runs in %d rounds; %d orders for %d bills; %d double charges; %v real",
				settleRuns, round, orders, bills, len(srv.DoubleCharges()), time.Since(start).Round(time.Millisecond))
		})
	}
}
