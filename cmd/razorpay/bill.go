package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
		summary: "a billing run from a CSV file: exactly-once, resumable, Ctrl-C safe; --check looks without charging",
		usage: `  razorpay bill --in bills.csv [--workers 8] [--out report.csv] [--grace 30s] [--all] [--json]
  razorpay bill --check --in bills.csv [--out report.csv] [--json]

Charges every bill of a CSV file whose header names the columns
  customer,token,amount,currency,receipt,email,contact
(any order; an optional description column is used too; amount in paise).
The receipt is each bill's identity: running the same file again never
charges a bill twice, and finishes only what is left (dunning: a bill that
was not charged is charged again, on the same receipt). --in - reads stdin.
'razorpay fake mandates -n 50' writes such a file for a local fake.

Before the first charge it checks what it can, and charges nothing if one
fails: the whole file parses (a syntax error, such as an unterminated quote,
or a line with another number of fields than the header, names its line and
exits 2), the --out file can be written, and the keys work (one read). It
stops early, with one line that says why, when the keys are refused or the
host cannot be reached: no new charge starts, and the rest are "not started".

--check charges nothing: it looks every bill up by its receipt (no order is
created) and prints its state, for support staff and month-end checks.

A progress bar is drawn on a terminal; otherwise a line every 10%. Ctrl-C
stops cleanly: no new charge starts, charges in flight get --grace to finish
(then they come back as unknown), and the report is written. A second Ctrl-C
ends the process at once (safe too: rerun the file).

Each bill ends in one state (razorpay.OutcomeOf):
  charged           this run charged it (captured)
  already charged   charged before this run: nothing was sent to charge it again
  pending           the payment waits for the bank: look again later (--check)
  refunded          charged, then refunded in full
  not charged       certainly not charged (the reason says why): a rerun
                    charges it again on the same receipt
  unknown (resume after T)  not known yet: run the same file again after T
  conflict          the receipt belongs to another customer, token or amount
  invalid           a line that cannot be charged as written (named by its number)
  unreadable        the receipt's orders cannot be read whole: a person looks
The table lists the bills that are not charged (all of them with --all or
--check); the summary counts them all. The report (--out, CSV) has one row
per bill:
  line,receipt,outcome,payment_id,order_id,status,reason,resume_after,created
with outcome as razorpay.OutcomeOf names it and created true when this run
made the payment.

Exit codes, the first that applies: 1 the run stopped early (keys refused,
host unreachable) or a receipt is unreadable; 3 unknowns remain (run the
same file again); 2 some lines were invalid or conflict; 0 otherwise.
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
	check := fs.Bool("check", false, "charge nothing: look every bill up and print its state")
	all := fs.Bool("all", false, "list every bill in the table, not only those that are not charged")
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
	src, closeIn, err := a.input(*in)
	if err != nil {
		return err
	}
	defer closeIn()
	bills, invalid, err := readBills(src)
	if err != nil {
		return err
	}
	var rep *report
	if *out != "" {
		if rep, err = openReport(*out); err != nil {
			return err
		}
		defer rep.discard()
	}
	if err := preflight(ctx, client); err != nil {
		code, kind, msg, _ := a.describe(c, err)
		a.printError(c.name, kind, msg+". Nothing was charged.", "", code)
		return exitError(code)
	}
	for _, r := range invalid {
		fmt.Fprintf(a.stderr, "razorpay bill: %s\n", r.Reason)
	}
	run := &billRun{a: a, client: client, bills: bills, workers: *workers, grace: *grace, check: *check, tty: a.terminal(a.stderr)}
	results, stop := run.charge(ctx)
	results = append(results, invalid...)
	sortResults(results)
	if rep != nil {
		if err := rep.write(results); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
	}
	s := summarize(results, *check)
	s.Interrupted = ctx.Err() != nil
	if run.attempted > 0 {
		fmt.Fprintf(a.stderr, "%d bills in %v (%.1f bills/s, %d workers)\n",
			run.attempted, run.elapsed.Round(time.Millisecond), float64(run.attempted)/run.elapsed.Seconds(), *workers)
	}
	var stopMsg string
	if stop != nil {
		_, kind, msg, _ := a.describe(c, stop)
		stopMsg = fmt.Sprintf("stopped: %s. %d bills were not started; run the same file again once that is fixed: it never charges twice", msg, s.NotStarted)
		s.Stopped = kind
	}
	if fs.json {
		s.Results = results
		if err := printJSON(a.stdout, s); err != nil {
			return err
		}
	} else {
		s.print(a.stdout, results, *out, *all || *check)
	}
	switch {
	case stop != nil:
		a.printError(c.name, s.Stopped, stopMsg, "", exitFailed)
		return exitError(exitFailed)
	case s.Unknown > 0:
		return exitError(exitUnknown)
	case s.Unreadable > 0:
		return exitError(exitFailed)
	case s.Invalid > 0 || s.Conflict > 0:
		return exitError(exitUsage)
	}
	return nil
}

// preflight checks that the keys work and the host answers, with one cheap
// read, before anything is charged.
func preflight(ctx context.Context, client *razorpay.Client) error {
	if _, err := client.Order.List(ctx, &razorpay.OrderListParams{ListParams: razorpay.ListParams{Count: 1}}); err != nil {
		return fmt.Errorf("checking the keys with one read: %w", err)
	}
	return nil
}

// readBills reads the whole file: the valid bills, and a result for each
// line that cannot be charged as written (a bad amount, a duplicate
// receipt). A file that does not parse as CSV (an unterminated or stray
// quote, a line with another number of fields than the header) is bad
// usage naming the line: nothing is charged.
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
			return nil, nil, usagef("--in: line %d: %v: the file does not parse, nothing was charged", pe.StartLine, pe.Err)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading --in: %w", err)
		}
		line, _ := r.FieldPos(0)
		if end := lastLine(r, rec); end != line {
			return nil, nil, usagef("--in: line %d: a quoted field runs on to line %d (an unterminated quote?): the file does not parse, nothing was charged", line, end)
		}
		if len(rec) != len(header) {
			return nil, nil, usagef("--in: line %d: %d fields, want %d like the header (a comma inside an unquoted field?): the file does not parse, nothing was charged", line, len(rec), len(header))
		}
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		bad := func(format string, args ...any) {
			invalid = append(invalid, result{Line: line, Receipt: get("receipt"), Outcome: razorpay.OutcomeInvalid,
				Reason: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)})
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

// lastLine returns the line on which the record's last field ends.
func lastLine(r *csv.Reader, rec []string) int {
	line, _ := r.FieldPos(len(rec) - 1)
	return line + strings.Count(rec[len(rec)-1], "\n")
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

// report is the --out file, opened before the first charge so that a path
// that cannot be written stops the run before it charges anyone.
type report struct {
	path    string
	f       *os.File
	created bool // the run made the file: removed if never written
	written bool
}

func openReport(path string) (*report, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, usagef("--out: %v: the report cannot be written, nothing was charged", err)
	}
	return &report{path: path, f: f, created: errors.Is(statErr, fs.ErrNotExist)}, nil
}

// write replaces the file's content with the report.
func (r *report) write(results []result) error {
	r.written = true
	if err := r.f.Truncate(0); err != nil {
		r.f.Close()
		return err
	}
	w := csv.NewWriter(r.f)
	w.Write([]string{"line", "receipt", "outcome", "payment_id", "order_id", "status", "reason", "resume_after", "created"}) //nolint:errcheck // Flush reports it
	for _, res := range results {
		w.Write([]string{strconv.Itoa(res.Line), res.Receipt, string(res.Outcome), res.PaymentID, res.OrderID, //nolint:errcheck // Flush reports it
			res.Status, res.Reason, res.ResumeAfter, strconv.FormatBool(res.Created)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		r.f.Close()
		return err
	}
	return r.f.Close()
}

// discard closes a report never written, and removes it if the run made it.
func (r *report) discard() {
	if r.written {
		return
	}
	r.f.Close()
	if r.created {
		os.Remove(r.path)
	}
}

// billRun charges (or, with check, looks up) bills with a pool of workers.
type billRun struct {
	a       *app
	client  *razorpay.Client
	bills   []bill
	workers int
	grace   time.Duration
	check   bool
	tty     bool // progress goes to a terminal: a bar, not lines

	mu        sync.Mutex
	done      int
	attempted int // bills sent to Charge or LookupCharge
	counts    map[razorpay.ChargeOutcome]int
	drawn     time.Time
	step      int // the last 10% step printed
	start     time.Time
	elapsed   time.Duration

	// The early stop: the failure every request met so far, and how many
	// bills in a row met it.
	stopMu   sync.Mutex
	streakOf string
	streak   int
	stop     error
}

// stopAfter is how many bills in a row must fail to reach the host before
// a run stops; one refusal of the keys is enough.
const stopAfter = 3

// watch counts a bill's error toward the early stop, and reports whether
// the run must stop.
func (b *billRun) watch(err error) bool {
	kind := ""
	switch {
	case errors.Is(err, razorpay.ErrAuthentication):
		kind = "authentication"
	case err != nil && unreachable(err):
		kind = "unreachable"
	}
	b.stopMu.Lock()
	defer b.stopMu.Unlock()
	if kind == "" || kind != b.streakOf {
		b.streak = 0
	}
	b.streakOf = kind
	if kind == "" {
		return false
	}
	b.streak++
	if b.stop == nil && (kind == "authentication" || b.streak >= min(stopAfter, len(b.bills))) {
		b.stop = err
	}
	return b.stop != nil
}

// charge charges every bill until done or ctx ends, and returns a result for
// each bill (unknown for those not started), and the error that stopped the
// run early, if any.
func (b *billRun) charge(ctx context.Context) ([]result, error) {
	results := make([]result, len(b.bills))
	b.counts = map[razorpay.ChargeOutcome]int{}
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
				var info razorpay.ChargeInfo
				var pay *razorpay.Payment
				var err error
				if b.check {
					pay, err = b.client.Payment.LookupCharge(chargeCtx, &p)
				} else {
					pay, err = b.client.Payment.Charge(razorpay.WithChargeInfo(chargeCtx, &info), &p)
				}
				r := newResult(p.Receipt, pay, err, &info, b.a.now())
				r.Line = bl.line
				results[i] = r
				b.mu.Lock()
				b.attempted++
				b.mu.Unlock()
				b.finished(r)
				if b.watch(err) {
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
	b.stopMu.Lock()
	defer b.stopMu.Unlock()
	return results, b.stop
}

func notStarted(bl *bill) result {
	return result{Line: bl.line, Receipt: bl.params.Receipt, Outcome: razorpay.OutcomeUnknown, notStarted: true,
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
		b.counts[razorpay.OutcomeCharged], b.counts[razorpay.OutcomePending], b.counts[razorpay.OutcomeNotCharged], b.counts[razorpay.OutcomeUnknown])
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

// summary counts a run's outcomes.
type summary struct {
	Check          bool     `json:"check"`
	Bills          int      `json:"bills"`
	Charged        int      `json:"charged"`
	AlreadyCharged int      `json:"already_charged"`
	Pending        int      `json:"pending"`
	Refunded       int      `json:"refunded"`
	NotCharged     int      `json:"not_charged"`
	Unknown        int      `json:"unknown"`
	NotStarted     int      `json:"not_started"`
	Conflict       int      `json:"conflict"`
	Invalid        int      `json:"invalid"`
	Unreadable     int      `json:"unreadable"`
	Interrupted    bool     `json:"interrupted"`
	Stopped        string   `json:"stopped,omitempty"` // why the run stopped early: authentication or unreachable
	Results        []result `json:"results,omitempty"`
}

func summarize(results []result, check bool) summary {
	s := summary{Check: check, Bills: len(results)}
	for _, r := range results {
		switch r.Outcome {
		case razorpay.OutcomeCharged:
			if check || r.Created {
				s.Charged++
			} else {
				s.AlreadyCharged++
			}
		case razorpay.OutcomePending:
			s.Pending++
		case razorpay.OutcomeRefunded:
			s.Refunded++
		case razorpay.OutcomeNotCharged:
			s.NotCharged++
		case razorpay.OutcomeUnknown:
			s.Unknown++
			if r.notStarted {
				s.NotStarted++
			}
		case razorpay.OutcomeConflict:
			s.Conflict++
		case razorpay.OutcomeInvalid:
			s.Invalid++
		case razorpay.OutcomeUnreadable:
			s.Unreadable++
		}
	}
	return s
}

// print writes the human summary: the counts, then a table of the bills
// (those that are not charged, or all), with the bills never started
// counted, not listed.
func (s summary) print(w io.Writer, results []result, out string, all bool) {
	counts := []string{fmt.Sprintf("%d charged", s.Charged)}
	if !s.Check {
		counts = append(counts, fmt.Sprintf("%d already charged", s.AlreadyCharged))
	}
	counts = append(counts, fmt.Sprintf("%d pending", s.Pending), fmt.Sprintf("%d not charged", s.NotCharged),
		fmt.Sprintf("%d unknown", s.Unknown), fmt.Sprintf("%d invalid", s.Invalid))
	for _, c := range []struct {
		n    int
		what string
	}{{s.Refunded, "refunded"}, {s.Conflict, "conflict"}, {s.Unreadable, "unreadable"}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	verb := "bills"
	if s.Check {
		verb = "bills checked (nothing charged)"
	}
	fmt.Fprintf(w, "%d %s: %s\n", s.Bills, verb, strings.Join(counts, ", "))
	if s.Interrupted {
		fmt.Fprintln(w, "Stopped by an interrupt before the end.")
	}
	if out != "" {
		fmt.Fprintf(w, "Report: %s\n", out)
	}
	var rows []result
	for _, r := range results {
		if !r.notStarted && (all || r.Outcome != razorpay.OutcomeCharged) {
			rows = append(rows, r)
		}
	}
	if len(rows) > 0 {
		fmt.Fprintln(w)
		t := newTable(w, "LINE", "RECEIPT", "STATE", "PAYMENT", "REASON")
		for _, r := range rows {
			t.row(strconv.Itoa(r.Line), r.Receipt, r.label(s.Check), r.PaymentID, r.Reason)
		}
		t.flush() //nolint:errcheck // best effort on stdout
	}
	if s.NotStarted > 0 {
		fmt.Fprintf(w, "\n%d bills were not started (in the report as unknown).\n", s.NotStarted)
	}
	switch {
	case s.Unknown > 0:
		fmt.Fprintln(w, "\nSome outcomes are unknown: run the same command again after the time shown to finish (receipts make it exactly-once).")
	case s.Pending > 0:
		fmt.Fprintln(w, "\nPending bills wait for the bank: look again later with --check (it charges nothing).")
	}
}
