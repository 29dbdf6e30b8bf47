package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorzp/razorpay"
)

func billCommand() *command {
	return &command{
		name:    "bill",
		summary: "a billing run from a CSV file: exactly-once, resumable, Ctrl-C safe",
		usage: `  razorpay bill --in bills.csv [--workers 8] [--out report.csv] [--grace 30s] [--json]

Charges every bill of a CSV file whose header names the columns
  customer,token,amount,currency,receipt,email,contact
(any order; an optional description column is used too; amount in paise).
The receipt is each bill's identity: running the same file again never
charges a bill twice, and finishes only what is left. --in - reads stdin.

A progress bar is drawn on a terminal; otherwise a line every 10%. Ctrl-C
stops cleanly: no new charge starts, charges in flight get --grace to finish
(then they come back as unknown), and the report is written. A second Ctrl-C
ends the process at once (safe too: rerun the file).

The report (--out, CSV) has one row per bill:
  line,receipt,outcome,payment_id,order_id,status,reason,resume_after
with outcome charged, pending (the bank confirms later), not_charged (with
the reason; safe to charge again), unknown (run again after resume_after)
or invalid (a malformed line, named by its number; it never stops the others).

Exit codes: 0 every bill has a final outcome; 1 the run failed (such as bad
keys); 3 unknowns remain (run the same file again); otherwise 2 when some
lines were invalid.
`,
		run: runBill,
	}
}

// billColumns are the columns a bill file must have.
var billColumns = []string{"customer", "token", "amount", "currency", "receipt", "email", "contact"}

// bill is one line of the file.
type bill struct {
	line   int
	params razorpay.ChargeParams
}

func runBill(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	in := fs.String("in", "", "the bills, CSV (- for stdin)")
	out := fs.String("out", "", "write the report, CSV, to this file")
	workers := fs.Int("workers", 8, "charges in parallel")
	grace := fs.Duration("grace", 30*time.Second, "after Ctrl-C, how long charges in flight may take to finish")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := required("--in", *in); err != nil {
		return err
	}
	if *workers < 1 || *workers > 64 {
		return usagef("--workers must be 1 to 64, got %d", *workers)
	}
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	var src io.Reader = a.stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return usagef("--in: %v", err)
		}
		defer f.Close()
		src = f
	}
	bills, invalid, err := readBills(src)
	if err != nil {
		return err
	}
	for _, r := range invalid {
		fmt.Fprintf(a.stderr, "razorpay bill: %s\n", r.Reason)
	}
	run := &billRun{a: a, client: client, bills: bills, workers: *workers, grace: *grace, tty: a.terminal(a.stderr)}
	results, fatal := run.charge(ctx)
	results = append(results, invalid...)
	sortResults(results)
	if *out != "" {
		if err := writeReport(*out, results); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
	}
	s := summarize(results)
	s.Interrupted = ctx.Err() != nil
	if run.attempted > 0 {
		fmt.Fprintf(a.stderr, "%d bills in %v (%.1f bills/s, %d workers)\n",
			run.attempted, run.elapsed.Round(time.Millisecond), float64(run.attempted)/run.elapsed.Seconds(), *workers)
	}
	if fs.json {
		s.Results = results
		if err := printJSON(a.stdout, s); err != nil {
			return err
		}
	} else {
		s.print(a.stdout, results, *out)
	}
	switch {
	case fatal != nil:
		fmt.Fprintf(a.stderr, "razorpay bill: stopped: %s\n", reason(fatal))
		return exitError(exitFailed)
	case s.Unknown > 0:
		return exitError(exitUnknown)
	case s.Invalid > 0:
		return exitError(exitUsage)
	}
	return nil
}

// readBills reads the file: the valid bills, and a result for each line
// that cannot be charged as written. Only an unreadable file or header is an
// error.
func readBills(src io.Reader) ([]bill, []result, error) {
	r := csv.NewReader(src)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, usagef("--in: the file is empty (want a header line: %s)", strings.Join(billColumns, ","))
	}
	if err != nil {
		return nil, nil, usagef("--in: line 1: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, name := range billColumns {
		if _, ok := col[name]; !ok {
			return nil, nil, usagef("--in: line 1: the header has no column %q (want %s)", name, strings.Join(billColumns, ","))
		}
	}
	descCol, hasDesc := col["description"]
	var bills []bill
	var invalid []result
	seen := map[string]int{} // receipt -> line
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			invalid = append(invalid, result{Line: pe.StartLine, Outcome: outcomeInvalid,
				Reason: fmt.Sprintf("line %d: %v", pe.StartLine, pe.Err)})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading --in: %w", err)
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(format string, args ...any) {
			invalid = append(invalid, result{Line: line, Receipt: get("receipt"), Outcome: outcomeInvalid,
				Reason: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)})
		}
		if len(rec) != len(header) {
			bad("%d fields, want %d like the header", len(rec), len(header))
			continue
		}
		b := bill{line: line, params: razorpay.ChargeParams{
			CustomerID: get("customer"),
			TokenID:    get("token"),
			Currency:   get("currency"),
			Receipt:    get("receipt"),
			Email:      get("email"),
			Contact:    get("contact"),
		}}
		if hasDesc {
			b.params.Description = strings.TrimSpace(rec[descCol])
		}
		amount, err := strconv.ParseInt(get("amount"), 10, 64)
		if err != nil {
			bad("amount: %q is not a whole number of paise", get("amount"))
			continue
		}
		b.params.Amount = amount
		var ve *razorpay.ValidationError
		if err := b.params.Validate(); errors.As(err, &ve) {
			bad("%s: %s", columnName(ve.Field), ve.Message)
			continue
		} else if err != nil {
			bad("%v", err)
			continue
		}
		if first, dup := seen[b.params.Receipt]; dup {
			bad("receipt %q is already on line %d (a receipt is one bill)", b.params.Receipt, first)
			continue
		}
		seen[b.params.Receipt] = line
		bills = append(bills, b)
	}
	return bills, invalid, nil
}

// columnName names the column of a params field.
func columnName(field string) string {
	switch field {
	case "customer_id":
		return "customer"
	case "order_id":
		return "order"
	}
	return field
}

// billRun charges bills with a pool of workers.
type billRun struct {
	a       *app
	client  *razorpay.Client
	bills   []bill
	workers int
	grace   time.Duration
	tty     bool // progress goes to a terminal: a bar, not lines

	mu        sync.Mutex
	done      int
	attempted int // bills sent to Charge
	counts    map[string]int
	drawn     time.Time
	step      int // the last 10% step printed
	start     time.Time
	elapsed   time.Duration
}

// charge charges every bill until done or ctx ends, and returns a result for
// each bill (unknown for those not started), and the error that stopped the
// run early, if any.
func (b *billRun) charge(ctx context.Context) ([]result, error) {
	results := make([]result, len(b.bills))
	b.counts = map[string]int{}
	b.start = time.Now()
	// Charges run on a context of their own: Ctrl-C (ctx) stops new ones,
	// and those in flight get the grace period to finish.
	chargeCtx, hardStop := context.WithCancel(context.WithoutCancel(ctx))
	defer hardStop()
	stopCtx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	go func() {
		select {
		case <-ctx.Done():
		case <-chargeCtx.Done():
			return
		}
		t := time.NewTimer(b.grace)
		defer t.Stop()
		select {
		case <-t.C:
			hardStop()
		case <-chargeCtx.Done():
		}
	}()

	var fatalMu sync.Mutex
	var fatal error
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range b.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				bl := &b.bills[i]
				if stopCtx.Err() != nil {
					results[i] = notStarted(bl)
					b.finished(results[i])
					continue
				}
				p := bl.params
				pay, err := b.client.Payment.Charge(chargeCtx, &p)
				r := classify(p.Receipt, pay, err, b.a.now())
				r.Line = bl.line
				results[i] = r
				b.mu.Lock()
				b.attempted++
				b.mu.Unlock()
				b.finished(r)
				if errors.Is(err, razorpay.ErrAuthentication) {
					fatalMu.Lock()
					if fatal == nil {
						fatal = fmt.Errorf("authentication failed, check RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET: %w", err)
					}
					fatalMu.Unlock()
					stopAll()
				}
			}
		}()
	}
	for i := range b.bills {
		if stopCtx.Err() != nil {
			results[i] = notStarted(&b.bills[i])
			b.finished(results[i])
			continue
		}
		select {
		case jobs <- i:
		case <-stopCtx.Done():
			results[i] = notStarted(&b.bills[i])
			b.finished(results[i])
		}
	}
	close(jobs)
	wg.Wait()
	hardStop()
	b.elapsed = time.Since(b.start)
	b.endProgress()
	return results, fatal
}

func notStarted(bl *bill) result {
	return result{Line: bl.line, Receipt: bl.params.Receipt, Outcome: outcomeUnknown,
		Reason: "not started: the run was stopped; run the same file again"}
}

// finished counts a result and shows progress.
func (b *billRun) finished(r result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done++
	b.counts[r.Outcome]++
	total := len(b.bills)
	if b.tty {
		if now := time.Now(); b.done == total || now.Sub(b.drawn) >= 100*time.Millisecond {
			b.drawn = now
			b.drawBar(now)
		}
		return
	}
	if step := b.done * 10 / total; step > b.step {
		b.step = step
		fmt.Fprintf(b.a.stderr, "bill: %d/%d done: %s\n", b.done, total, b.tally())
	}
}

func (b *billRun) tally() string {
	return fmt.Sprintf("%d charged, %d pending, %d not charged, %d unknown",
		b.counts[outcomeCharged], b.counts[outcomePending], b.counts[outcomeNotCharged], b.counts[outcomeUnknown])
}

// drawBar redraws the progress bar in place. The caller holds b.mu.
func (b *billRun) drawBar(now time.Time) {
	const width = 30
	total := len(b.bills)
	filled := b.done * width / total
	rate := float64(b.done) / now.Sub(b.start).Seconds()
	fmt.Fprintf(b.a.stderr, "\r\x1b[K[%s%s] %d/%d  %s  %.0f/s",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), b.done, total, b.tally(), rate)
}

func (b *billRun) endProgress() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done > 0 && b.tty {
		fmt.Fprintln(b.a.stderr)
	}
}

// sortResults orders results by line.
func sortResults(rs []result) {
	slices.SortStableFunc(rs, func(a, b result) int { return a.Line - b.Line })
}

// writeReport writes the report CSV.
func writeReport(path string, results []result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"line", "receipt", "outcome", "payment_id", "order_id", "status", "reason", "resume_after"}) //nolint:errcheck // Flush reports it
	for _, r := range results {
		w.Write([]string{strconv.Itoa(r.Line), r.Receipt, r.Outcome, r.PaymentID, r.OrderID, r.Status, r.Reason, r.ResumeAfter}) //nolint:errcheck // Flush reports it
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// summary counts a run's outcomes.
type summary struct {
	Bills       int      `json:"bills"`
	Charged     int      `json:"charged"`
	Pending     int      `json:"pending"`
	NotCharged  int      `json:"not_charged"`
	Unknown     int      `json:"unknown"`
	Invalid     int      `json:"invalid"`
	Interrupted bool     `json:"interrupted"`
	Results     []result `json:"results,omitempty"`
}

func summarize(results []result) summary {
	s := summary{Bills: len(results)}
	for _, r := range results {
		switch r.Outcome {
		case outcomeCharged:
			s.Charged++
		case outcomePending:
			s.Pending++
		case outcomeNotCharged:
			s.NotCharged++
		case outcomeUnknown:
			s.Unknown++
		case outcomeInvalid:
			s.Invalid++
		}
	}
	return s
}

// print writes the human summary: the counts, then every bill that needs
// attention.
func (s summary) print(w io.Writer, results []result, out string) {
	fmt.Fprintf(w, "%d bills: %d charged, %d pending, %d not charged, %d unknown, %d invalid\n",
		s.Bills, s.Charged, s.Pending, s.NotCharged, s.Unknown, s.Invalid)
	if s.Interrupted {
		fmt.Fprintln(w, "Stopped by an interrupt before the end.")
	}
	if out != "" {
		fmt.Fprintf(w, "Report: %s\n", out)
	}
	var attention []result
	for _, r := range results {
		if r.Outcome != outcomeCharged && r.Outcome != outcomePending {
			attention = append(attention, r)
		}
	}
	if len(attention) > 0 {
		fmt.Fprintln(w)
		t := newTable(w, "LINE", "RECEIPT", "OUTCOME", "PAYMENT", "RESUME AFTER", "REASON")
		for _, r := range attention {
			t.row(strconv.Itoa(r.Line), r.Receipt, r.Outcome, r.PaymentID, r.ResumeAfter, r.Reason)
		}
		t.flush() //nolint:errcheck // best effort on stdout
	}
	if s.Unknown > 0 {
		fmt.Fprintln(w, "\nSome outcomes are unknown: run the same command again to finish (receipts make it exactly-once).")
	}
}
