// Command billing runs a monthly billing job the way production runs one,
// with github.com/gorzp/razorpay: a list of bills (one per confirmed card
// mandate, each with a receipt that names the mandate and the month), 8
// workers that charge them with Payment.Charge, a crash halfway through, a
// restart that finishes the run from nothing but the list of bills, and the
// bills that must wait run again once their time has come. It ends with a
// table of the outcomes and a check that no bill was charged twice, and
// exits non-zero if one was.
//
// The receipt is what makes this safe: Payment.Charge finds the bill's
// orders and payments by it, so running a bill again, after a crash, a
// redelivery or in two workers at once, returns the bill's payment instead
// of charging it again. The job keeps no state of its own.
//
// Without RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET it runs offline, in a few
// seconds, against razorpaytest, the in-memory fake Razorpay, with 300
// mandates (6 of them cancelled by their card holders). Every answer is
// classified with razorpay.OutcomeOf, the SDK's one classification. A bill
// that must wait (OutcomeUnknown, with a RetryAfter: a crashed call's order
// may still be charged, for up to the 15-minute settle window) is run again
// after the fake's clock has been moved forward by that much, instead of
// waiting for real. The fake captures recurring payments at once, so
// offline no bill ends pending:
//
//	go run ./examples/billing
//
// With a test-mode key pair it bills every confirmed card mandate of the
// account's customers (up to 300) ₹499, or the mandate's maximum if lower.
// Bills that must wait are listed with the time to come back: run the
// example again after it, in the same month (same receipts), to finish them.
//
//	RAZORPAY_KEY_ID=rzp_test_... RAZORPAY_KEY_SECRET=... go run ./examples/billing
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

const (
	maxBills      = 300
	workers       = 8
	monthlyAmount = 49_900 // paise: ₹499.00
	currency      = "INR"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// world is what differs between the fake and Razorpay.
type world struct {
	// client returns a fresh client, as a freshly started process builds.
	client func() *razorpay.Client
	// crash arms the crash of the first run: kill is the process's death.
	crash func(kill context.CancelFunc)
	// later makes d pass for the bills that wait, if it can.
	later func(d time.Duration) bool
	// doubleCharges returns the receipts charged more than once.
	doubleCharges func(ctx context.Context, bills []razorpay.ChargeParams) ([]string, error)
}

// run picks the mode from the environment and runs the billing job. Ctrl-C
// cancels it cleanly.
func run(out io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	month := time.Now().Format("2006-01")

	var (
		w     *world
		bills []razorpay.ChargeParams
		err   error
	)
	if os.Getenv("RAZORPAY_KEY_ID") == "" && os.Getenv("RAZORPAY_KEY_SECRET") == "" {
		var srv *razorpaytest.Server
		srv, w, bills, err = offline(ctx, month)
		if srv != nil {
			defer srv.Close()
			fmt.Fprintf(out, "no RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET: billing %d mandates on the in-memory fake Razorpay at %s\n", len(bills), srv.URL)
		}
	} else {
		w, bills, err = online(ctx, month)
		if err == nil {
			fmt.Fprintf(out, "billing %d confirmed mandates of your Razorpay test account (%s)\n", len(bills), razorpay.DefaultBaseURL)
		}
	}
	if err != nil {
		return err
	}
	return billingRun(ctx, out, w, bills)
}

// offline starts the fake with maxBills confirmed mandates, a few of them
// cancelled by their card holders, and a clock the job can move forward.
func offline(ctx context.Context, month string) (*razorpaytest.Server, *world, []razorpay.ChargeParams, error) {
	clock := &razorpaytest.Clock{}
	srv := razorpaytest.NewServer(razorpaytest.WithClock(clock.Now))
	if err := srv.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("start the fake Razorpay: %w", err)
	}
	bills := make([]razorpay.ChargeParams, maxBills)
	for i := range bills {
		m, err := srv.NewMandate(ctx, 500_000)
		if err != nil {
			return srv, nil, nil, err
		}
		if i%50 == 49 {
			if err := srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringStatusCancelled); err != nil {
				return srv, nil, nil, err
			}
		}
		bills[i] = monthlyBill(m.CustomerID, m.TokenID, m.Email, m.Contact, monthlyAmount, month)
	}
	w := &world{
		client: func() *razorpay.Client { return srv.Client() },
		// The process dies right after Razorpay processed a payment request,
		// before the answer arrives; the other workers die mid-call too.
		crash: func(kill context.CancelFunc) {
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring",
				Drop: razorpaytest.DropAfterProcessing, Abandon: kill})
		},
		later: func(d time.Duration) bool { clock.Advance(d); return true },
		doubleCharges: func(context.Context, []razorpay.ChargeParams) ([]string, error) {
			return srv.DoubleCharges(), nil
		},
	}
	return srv, w, bills, nil
}

// online bills the confirmed card mandates of the account's customers.
func online(ctx context.Context, month string) (*world, []razorpay.ChargeParams, error) {
	if strings.HasPrefix(strings.TrimSpace(os.Getenv("RAZORPAY_KEY_ID")), "rzp_live_") {
		return nil, nil, errors.New("RAZORPAY_KEY_ID is a live key: this example charges cards, so use a test-mode key pair (rzp_test_...)")
	}
	c, err := razorpay.NewClientFromEnv(razorpay.WithAppInfo("gorzp-example-billing", razorpay.Version))
	if err != nil {
		return nil, nil, err
	}
	newClient := func() *razorpay.Client {
		c, _ := razorpay.NewClientFromEnv(razorpay.WithAppInfo("gorzp-example-billing", razorpay.Version)) // checked above
		return c
	}
	var bills []razorpay.ChargeParams
	for cust, err := range c.Customer.All(ctx, nil) {
		if err != nil {
			return nil, nil, fmt.Errorf("list the customers: %w", err)
		}
		tokens, err := c.Token.List(ctx, cust.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("list the tokens of %s: %w", cust.ID, err)
		}
		for _, t := range tokens.Items {
			if t.Method == razorpay.PaymentMethodCard && t.Chargeable() && len(bills) < maxBills {
				bills = append(bills, monthlyBill(cust.ID, t.ID, cust.Email, cust.Contact, min(monthlyAmount, t.MaxAmount), month))
			}
		}
	}
	if len(bills) == 0 {
		return nil, nil, errors.New("no confirmed card mandate on this account: run go run ./examples/recurring to make one")
	}
	w := &world{
		client: newClient,
		crash:  func(kill context.CancelFunc) { kill() },
		later:  func(time.Duration) bool { return false }, // nobody waits 15 minutes in an example
		doubleCharges: func(ctx context.Context, bills []razorpay.ChargeParams) ([]string, error) {
			return checkReceipts(ctx, c, bills)
		},
	}
	return w, bills, nil
}

// monthlyBill is the bill of one mandate for one month. Its receipt, such
// as "bill-token_4lsdksD31GaZ09-2026-11", is its identity: one per bill,
// the same every time the bill runs.
func monthlyBill(customerID, tokenID, email, contact string, amount int64, month string) razorpay.ChargeParams {
	return razorpay.ChargeParams{
		CustomerID:  customerID,
		TokenID:     tokenID,
		Amount:      amount,
		Currency:    currency,
		Email:       email,
		Contact:     contact,
		Receipt:     "bill-" + tokenID + "-" + month,
		Description: "Monthly plan, " + month,
	}
}

// notRun is where a bill stands before it was run, or when the process
// died during its call (nobody heard the answer).
const notRun razorpay.ChargeOutcome = "not run"

// outcomes are the rows of the closing table, in order.
var outcomes = []razorpay.ChargeOutcome{
	razorpay.OutcomeCharged, razorpay.OutcomePending, razorpay.OutcomeRefunded, razorpay.OutcomeNotCharged,
	razorpay.OutcomeUnknown, razorpay.OutcomeConflict, razorpay.OutcomeInvalid, razorpay.OutcomeUnreadable, notRun,
}

// result is what one Charge said about a bill.
type result struct {
	outcome    razorpay.ChargeOutcome
	retryAfter time.Duration
	err        error
}

// charge runs one bill and classifies the answer with razorpay.OutcomeOf.
func charge(ctx context.Context, c *razorpay.Client, params razorpay.ChargeParams) result {
	p, err := c.Payment.Charge(ctx, &params)
	r := result{outcome: razorpay.OutcomeOf(p, err), err: err}
	var ce *razorpay.ChargeError
	if errors.As(err, &ce) {
		r.retryAfter = ce.RetryAfter
	}
	return r
}

// runBills charges the bills with workers goroutines, each bill once, and
// calls done after each. When ctx ends (the process dies) the workers stop,
// and the calls they were making count as not run: nobody heard them.
func runBills(ctx context.Context, c *razorpay.Client, bills []razorpay.ChargeParams, todo []int, results []result, done func(result)) (cut int) {
	jobs := make(chan int)
	var cutOff atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := charge(ctx, c, bills[i])
				if ctx.Err() != nil {
					cutOff.Add(1)
					continue
				}
				results[i] = r
				done(r)
			}
		}()
	}
feed:
	for _, i := range todo {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return int(cutOff.Load())
}

// billingRun is the job: a first run that crashes halfway, a restart that runs
// every bill again from a fresh client, then the bills that wait, once
// their time has come.
func billingRun(ctx context.Context, out io.Writer, w *world, bills []razorpay.ChargeParams) error {
	results := make([]result, len(bills))
	all := make([]int, len(bills))
	for i := range all {
		all[i] = i
	}

	// 1. The first run dies when half the bills are done.
	fmt.Fprintf(out, "\n1. first run: %d workers; the process dies halfway\n", workers)
	run1, kill := context.WithCancel(ctx)
	defer kill()
	p := newProgress(out, "first run", len(bills))
	var once sync.Once
	cut := runBills(run1, w.client(), bills, all, results, func(r result) {
		if p.add(r) >= len(bills)/2 {
			once.Do(func() { w.crash(kill) })
		}
	})
	p.end()
	kill()
	fmt.Fprintf(out, "   crashed after %d bills; %d calls were cut off mid-call, their answers lost\n", p.n, cut)
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// 2. The restart knows nothing but the list of bills: it runs them all.
	// Bills charged before the crash come back with their payment.
	fmt.Fprintf(out, "\n2. restart: a fresh client runs all %d bills again\n", len(bills))
	clear(results)
	p = newProgress(out, "restart", len(bills))
	runBills(ctx, w.client(), bills, all, results, func(r result) { p.add(r) })
	p.end()
	afterRestart := tally(results)

	// 3. Bills that wait come back after their RetryAfter.
	fmt.Fprintf(out, "\n3. bills that must wait (OutcomeUnknown, with a RetryAfter)\n")
	for round := 1; round <= 12; round++ {
		var todo []int
		var longest time.Duration
		for i, r := range results {
			if r.outcome == razorpay.OutcomeUnknown {
				todo = append(todo, i)
				longest = max(longest, r.retryAfter)
			}
		}
		if len(todo) == 0 {
			fmt.Fprintf(out, "   none left\n")
			break
		}
		if !w.later(longest) {
			fmt.Fprintf(out, "   %d bills wait; run the example again after %v (same month, same receipts) to finish them:\n", len(todo), longest.Round(time.Second))
			for _, i := range todo {
				fmt.Fprintf(out, "     %s: %v\n", bills[i].Receipt, results[i].err)
			}
			break
		}
		fmt.Fprintf(out, "   %d bills wait up to %v; the fake's clock moves forward by that much (your queue would deliver them later)\n",
			len(todo), longest.Round(time.Second))
		p = newProgress(out, fmt.Sprintf("resume %d", round), len(todo))
		runBills(ctx, w.client(), bills, todo, results, func(r result) { p.add(r) })
		p.end()
	}
	final := tally(results)

	// 4. The closing table, and the check that matters.
	fmt.Fprintf(out, "\n4. outcome of %d bills\n", len(bills))
	fmt.Fprintf(out, "   %-20s %10s %10s\n", "", "restart", "in the end")
	for _, o := range outcomes {
		if afterRestart[o]+final[o] > 0 || o == razorpay.OutcomeCharged || o == razorpay.OutcomeUnknown {
			fmt.Fprintf(out, "   %-20s %10d %10d\n", o, afterRestart[o], final[o])
		}
	}
	doubles, err := w.doubleCharges(ctx, bills)
	if err != nil {
		return fmt.Errorf("check for double charges: %w", err)
	}
	fmt.Fprintf(out, "   %-20s %21d\n", "double charges", len(doubles))
	if len(doubles) > 0 {
		return fmt.Errorf("%d bills were charged twice: %s", len(doubles), strings.Join(doubles, ", "))
	}
	for i, r := range results {
		switch r.outcome {
		case razorpay.OutcomeConflict, razorpay.OutcomeInvalid, razorpay.OutcomeUnreadable:
			fmt.Fprintf(out, "   for a person: %s: %v\n", bills[i].Receipt, r.err)
		}
	}
	return nil
}

func tally(results []result) map[razorpay.ChargeOutcome]int {
	n := map[razorpay.ChargeOutcome]int{}
	for _, r := range results {
		o := r.outcome
		if o == "" {
			o = notRun
		}
		n[o]++
	}
	return n
}

// checkReceipts counts, through the API, the live payments of every bill's
// orders: more than one is a double charge.
func checkReceipts(ctx context.Context, c *razorpay.Client, bills []razorpay.ChargeParams) ([]string, error) {
	var doubles []string
	for _, b := range bills {
		live := 0
		params := &razorpay.OrderListParams{Receipt: b.Receipt, Expand: []string{razorpay.ExpandPayments}}
		for o, err := range c.Order.All(ctx, params) {
			if err != nil {
				return nil, err
			}
			if o.Payments == nil {
				continue
			}
			for _, p := range o.Payments.Items {
				if p.Status != razorpay.PaymentStatusFailed && p.Status != razorpay.PaymentStatusRefunded {
					live++
				}
			}
		}
		if live > 1 {
			doubles = append(doubles, b.Receipt)
		}
	}
	return doubles, nil
}

// progress shows how a run goes: one line rewritten in place on a
// terminal, a line every 50 bills otherwise.
type progress struct {
	w        io.Writer
	name     string
	total    int
	terminal bool

	mu sync.Mutex
	n  int
	by map[razorpay.ChargeOutcome]int
}

func newProgress(w io.Writer, name string, total int) *progress {
	p := &progress{w: w, name: name, total: total, by: map[razorpay.ChargeOutcome]int{}}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil {
			p.terminal = fi.Mode()&os.ModeCharDevice != 0
		}
	}
	return p
}

// add counts a bill and returns how many are done.
func (p *progress) add(r result) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.by[r.outcome]++
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\r\033[K   %s", p.line())
	case p.n%50 == 0:
		fmt.Fprintf(p.w, "   %s\n", p.line())
	}
	return p.n
}

// end finishes the progress display with the last count.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\r\033[K   %s\n", p.line())
	case p.n%50 != 0:
		fmt.Fprintf(p.w, "   %s\n", p.line())
	}
}

func (p *progress) line() string {
	return fmt.Sprintf("%s: %d/%d bills: %d charged, %d pending, %d not charged, %d to resume",
		p.name, p.n, p.total, p.by[razorpay.OutcomeCharged], p.by[razorpay.OutcomePending], p.by[razorpay.OutcomeNotCharged], p.by[razorpay.OutcomeUnknown])
}
