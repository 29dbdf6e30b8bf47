package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// mandates sets up n confirmed mandates of up to 1,000.00 INR.
func mandates(t testing.TB, srv *razorpaytest.Server, n int) []*razorpaytest.Mandate {
	t.Helper()
	ms := make([]*razorpaytest.Mandate, n)
	for i := range ms {
		m, err := srv.NewMandate(context.Background(), 100_000)
		require.NoError(t, err)
		ms[i] = m
	}
	return ms
}

// billFile writes a file of n bills over ms and returns its path.
func billFile(t testing.TB, ms []*razorpaytest.Mandate, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(billHeader)
	for i := range n {
		b.WriteString(billLine(ms[i%len(ms)], 49_900, fmt.Sprintf("sub_%03d-2026-11", i)))
	}
	path := filepath.Join(t.TempDir(), "bills.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// readReport reads a report CSV by receipt (and the rows in order).
func readReport(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.Equal(t, []string{"line", "receipt", "outcome", "payment_id", "order_id", "status", "reason", "resume_after", "created"}, recs[0])
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, k := range recs[0] {
			row[k] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func TestBillGolden(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ms := mandates(t, srv, 2)
	in := billHeader +
		billLine(ms[0], 49_900, "sub_1-2026-11") +
		billLine(ms[1], 29_900, "sub_2-2026-11") +
		strings.Replace(billLine(ms[0], 49_900, "sub_4-2026-11"), "49900", "499.00", 1) + // line 4: rupees, not paise
		strings.Replace(billLine(ms[1], 49_900, "sub_5-2026-11"), ms[1].Email, "not-an-email", 1) + // line 5
		billLine(ms[1], 49_900, "sub_1-2026-11") + // line 6: receipt of line 2
		billLine(ms[0], 200_000, "sub_6-2026-11") + // line 7: above the mandate's limit
		""
	dir := t.TempDir()
	bills, report := filepath.Join(dir, "bills.csv"), filepath.Join(dir, "report.csv")
	require.NoError(t, os.WriteFile(bills, []byte(in), 0o644))

	r := runCLI(t, context.Background(), env, "", "bill", "--in", bills, "--out", report, "--workers", "1")
	assert.Equal(t, exitUsage, r.code, "invalid lines: exit 2 at the end; stderr: %s", r.stderr)
	golden(t, "bill.golden", r.stdout, report, "REPORT")
	rep, err := os.ReadFile(report)
	require.NoError(t, err)
	golden(t, "bill-report.golden", string(rep))
	for _, line := range []string{"line 4: amount: \"499.00\" is not a whole number of paise",
		"line 5: email: ", "line 6: receipt \"sub_1-2026-11\" is already on line 2"} {
		assert.Contains(t, r.stderr, "razorpay bill: "+line)
	}
	live := livePayments(srv)
	assert.Len(t, live["sub_1-2026-11"], 1)
	assert.Len(t, live["sub_2-2026-11"], 1)
	assert.Empty(t, live["sub_6-2026-11"])
	noSecrets(t, r, srv.KeySecret)

	// The same file again, from stdin, as JSON: the charged bills return
	// their payments, already charged; the refused one is tried again on
	// the same receipt (dunning) and refused again.
	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--workers", "1", "--json")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	var s summary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	results := s.Results
	s.Results = nil
	assert.Equal(t, summary{Bills: 6, AlreadyCharged: 2, NotCharged: 1, Invalid: 3}, s)
	require.Len(t, results, 6)
	assert.Equal(t, 2, results[0].Line)
	assert.Equal(t, live["sub_1-2026-11"][0].ID, results[0].PaymentID, "the first run's payment")
	assert.False(t, results[0].Created, "already charged")
	assert.Equal(t, live["sub_2-2026-11"][0].ID, results[1].PaymentID, "the first run's payment")
	assert.Equal(t, razorpay.OutcomeNotCharged, results[5].Outcome)
	assert.Equal(t, "Amount exceeds maximum amount allowed", results[5].Reason)
	assert.Equal(t, live, livePayments(srv), "the rerun charged nothing")

	// The table says so.
	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--workers", "1", "--all")
	assert.Contains(t, r.stdout, "6 bills: 0 charged, 2 already charged, 0 pending, 1 not charged, 0 unknown, 3 invalid")
	assert.Regexp(t, `2 +sub_1-2026-11 +already charged +pay_`, r.stdout)
	assert.Regexp(t, `7 +sub_6-2026-11 +not charged +- +Amount exceeds maximum amount allowed`, r.stdout)
}

// A file that does not parse charges nothing: the error names the line
// and the run exits 2 before any request.
func TestBillBrokenCSVChargesNothing(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	m := mandates(t, srv, 1)[0]
	srv.ResetRequests()
	good := billLine(m, 49_900, "sub_1-2026-11")
	for _, tc := range []struct{ name, in, want string }{
		{"unterminated quote", billHeader + good + `cust_X,"token_X,49900,INR,sub_7,a@example.com,+919000090000` + "\n" + billLine(m, 100, "sub_8"),
			`--in: line 3: extraneous or missing " in quoted-field: the file does not parse, nothing was charged`},
		{"a quote that swallows lines", billHeader + good + `cust_X,"token_X` + "\n" + billLine(m, 100, "sub_8") + `",100,INR,sub_9,a@example.com,+919000090000` + "\n",
			"--in: line 3: a quoted field runs on to line 5 (an unterminated quote?): the file does not parse, nothing was charged"},
		{"bare quote", billHeader + good + `cust_X,tok"en_X,49900,INR,sub_7,a@example.com,+919000090000` + "\n",
			`--in: line 3: bare " in non-quoted-field`},
		{"too few fields", billHeader + good + "cust_X,token_X,49900,INR,sub_3-2026-11\n",
			"--in: line 3: 5 fields, want 7 like the header (a comma inside an unquoted field?): the file does not parse, nothing was charged"},
	} {
		r := runCLI(t, context.Background(), env, tc.in, "bill", "--in", "-")
		assert.Equal(t, exitUsage, r.code, tc.name)
		assert.Contains(t, r.stderr, "razorpay bill: "+tc.want, tc.name)
		assert.Empty(t, r.stdout, tc.name)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

// A report path that cannot be written stops the run before it charges
// anyone, and leaves no file behind.
func TestBillUnwritableOutChargesNothing(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	path := billFile(t, mandates(t, srv, 1), 3)
	srv.ResetRequests()
	dir := t.TempDir()
	for _, out := range []string{filepath.Join(dir, "no", "such", "dir", "report.csv"), dir} {
		r := runCLI(t, context.Background(), env, "", "bill", "--in", path, "--out", out)
		assert.Equal(t, exitUsage, r.code, out)
		assert.Contains(t, r.stderr, "razorpay bill: --out: ", out)
		assert.Contains(t, r.stderr, "the report cannot be written, nothing was charged", out)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")

	// A report the run made is removed when the keys fail.
	env["RAZORPAY_KEY_SECRET"] = "wrong-secret-123"
	out := filepath.Join(dir, "report.csv")
	r := runCLI(t, context.Background(), env, "", "bill", "--in", path, "--out", out)
	assert.Equal(t, exitFailed, r.code)
	assert.NoFileExists(t, out)
}

func TestBillBadKeysStop(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	ms := mandates(t, srv, 2)
	path := billFile(t, ms, 50)
	srv.ResetRequests()
	env := fakeEnv(srv)
	env["RAZORPAY_KEY_SECRET"] = "wrong-secret-123"
	r := runCLI(t, context.Background(), env, "", "bill", "--in", path, "--workers", "2")
	assert.Equal(t, exitFailed, r.code)
	assert.Equal(t, "razorpay bill: "+authMessage+". Nothing was charged.\n", r.stderr, "one line")
	assert.Empty(t, r.stdout, "no table")
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "one read checks the keys")
	assert.Equal(t, "GET /v1/orders", reqs[0].Method+" "+reqs[0].Path)
	noSecrets(t, r, "wrong-secret-123")

	// The same with --json: the error is JSON on stderr.
	r = runCLI(t, context.Background(), env, "", "bill", "--in", path, "--json")
	assert.Equal(t, exitFailed, r.code)
	var doc struct {
		Error struct {
			Command, Kind, Message string
			ExitCode               int `json:"exit_code"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &doc), r.stderr)
	assert.Equal(t, "bill", doc.Error.Command)
	assert.Equal(t, "authentication", doc.Error.Kind)
	assert.Equal(t, exitFailed, doc.Error.ExitCode)
	assert.Contains(t, doc.Error.Message, "authentication failed")
	assert.Empty(t, r.stdout)
}

// cutAfter forwards to target until Cut, then refuses every connection:
// a host that goes away in the middle of a run.
type cutAfter struct {
	srv  *httptest.Server
	once sync.Once
}

func newCutAfter(t *testing.T, target string) *cutAfter {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	c := &cutAfter{}
	c.srv = httptest.NewServer(httputil.NewSingleHostReverseProxy(u))
	t.Cleanup(c.srv.Close)
	return c
}

// Cut closes the listener: new connections are refused.
func (c *cutAfter) Cut() {
	c.once.Do(func() {
		c.srv.Listener.Close()
		c.srv.CloseClientConnections()
	})
}

// A host that stops answering in the middle of a run stops it after a few
// bills, with one line that says why; the bills never started are counted,
// not listed, and the rerun finishes them.
func TestBillStopsWhenTheHostIsGone(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	path := billFile(t, mandates(t, srv, 2), 40)
	proxy := newCutAfter(t, srv.URL)
	env := fakeEnv(srv)
	env["RAZORPAY_BASE_URL"] = proxy.srv.URL
	var stderr syncBuffer
	stderr.onWrite = func(p []byte) {
		if strings.Contains(string(p), "bill: 4/40 done") {
			proxy.Cut()
		}
	}
	var stdout syncBuffer
	start := time.Now()
	code := run(context.Background(), []string{"bill", "--in", path, "--workers", "1"}, nil, &stdout, &stderr, func(k string) string { return env[k] })
	t.Logf("stopped after %v", time.Since(start).Round(time.Millisecond))
	assert.Equal(t, exitFailed, code, stderr.String())
	out := stdout.String()
	assert.Contains(t, out, "40 bills: 4 charged, 0 already charged, 0 pending, 0 not charged, 36 unknown, 0 invalid")
	assert.Regexp(t, `\n(\d+) bills were not started \(in the report as unknown\)\.`, out)
	assert.LessOrEqual(t, strings.Count(out, "unknown (resume after"), stopAfter, "the bills that met the failure, not all of them:\n%s", out)
	assert.Regexp(t, `razorpay bill: stopped: cannot reach `+regexp.QuoteMeta(proxy.srv.URL)+`: .*connection refused.*\. \d+ bills were not started; run the same file again once that is fixed: it never charges twice\n$`, stderr.String())

	// Back, pointed at the fake: the rerun finishes the run.
	r := runCLI(t, context.Background(), fakeEnv(srv), "", "bill", "--in", path)
	assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "40 bills: 36 charged, 4 already charged")
	assert.Empty(t, srv.DoubleCharges())
}

// A payment that the bank holds (created) is pending: in the table, the
// report and the exit code (0: the bill has its payment).
func TestBillPending(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ms := mandates(t, srv, 2)
	in := billHeader + billLine(ms[0], 49_900, "sub_1-2026-11") + billLine(ms[1], 49_900, "sub_2-2026-11")
	require.NoError(t, srv.AddBankRule(razorpaytest.BankRule{Action: razorpaytest.BankHold, Receipt: "sub_2-2026-11"}))
	report := filepath.Join(t.TempDir(), "report.csv")

	r := runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--out", report, "--workers", "1")
	assert.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "bill-pending.golden", r.stdout, report, "REPORT")
	rows := readReport(t, report)
	require.Len(t, rows, 2)
	assert.Equal(t, "pending", rows[1]["outcome"])
	assert.Equal(t, "created", rows[1]["status"])
	assert.Equal(t, "true", rows[1]["created"])
	checkReport(t, srv, rows)

	// --check charges nothing and shows every bill.
	srv.ResetRequests()
	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--check")
	assert.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "bill-check.golden", r.stdout)
	for _, req := range srv.Requests() {
		assert.Equal(t, "GET", req.Method, "a check only reads: %s %s", req.Method, req.Path)
	}

	// The bank confirms: the check says charged.
	pays := srv.ReceiptPayments("sub_2-2026-11")
	require.Len(t, pays, 1)
	require.NoError(t, srv.CapturePayment(pays[0].ID))
	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--check", "--json")
	assert.Equal(t, exitOK, r.code, r.stderr)
	var s summary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	assert.Equal(t, 2, s.Charged)
	assert.True(t, s.Check)
}

// --check of bills never charged, declined and charged.
func TestBillCheckStates(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ms := mandates(t, srv, 3)
	in := billHeader + billLine(ms[0], 49_900, "sub_1-2026-11") + billLine(ms[1], 49_900, "sub_2-2026-11") + billLine(ms[2], 49_900, "sub_3-2026-11")
	require.NoError(t, srv.AddBankRule(razorpaytest.BankRule{Action: razorpaytest.BankDecline, Receipt: "sub_2-2026-11", Reason: "Insufficient funds"}))
	r := runCLI(t, context.Background(), env, billHeader+billLine(ms[0], 49_900, "sub_1-2026-11")+billLine(ms[1], 49_900, "sub_2-2026-11"), "bill", "--in", "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	srv.AdvanceClock(time.Hour) // the orders are past the settle window

	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--check")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "3 bills checked (nothing charged): 1 charged, 0 pending, 2 not charged, 0 unknown, 0 invalid")
	assert.Regexp(t, `2 +sub_1-2026-11 +charged +pay_\w+`, r.stdout)
	assert.Regexp(t, `3 +sub_2-2026-11 +not charged +pay_\w+ +Insufficient funds`, r.stdout)
	assert.Regexp(t, `4 +sub_3-2026-11 +not charged +- +\S`, r.stdout, "never charged")
	assert.Empty(t, livePayments(srv)["sub_3-2026-11"], "the check charged nothing")
	assert.Len(t, srv.Orders(), 3+2, "and created no order")
}

var rateRE = regexp.MustCompile(`(\d+) bills in \S+ \(([\d.]+) bills/s, (\d+) workers\)`)

// rate is the bills/s a run printed.
func rate(t *testing.T, stderr string) string {
	m := rateRE.FindStringSubmatch(stderr)
	require.NotNil(t, m, "no rate in %q", stderr)
	return m[2]
}

// TestBillInterruptAndRerun stops a run of 300 bills halfway, as Ctrl-C
// does, and runs the same file again: every bill ends charged exactly once,
// and the reports match the fake: the rerun relies on Payment.Charge
// keying a bill on its receipt.
func TestBillInterruptAndRerun(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	env := fakeEnv(srv)
	ms := mandates(t, srv, 10)
	const n = 300
	path := billFile(t, ms, n)
	dir := t.TempDir()

	// First run: interrupted when the progress says half the bills are done.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	stderr.onWrite = func(p []byte) {
		if strings.Contains(string(p), fmt.Sprintf("bill: %d/%d done", n/2, n)) {
			cancel()
		}
	}
	report1 := filepath.Join(dir, "report1.csv")
	code := run(ctx, []string{"bill", "--in", path, "--out", report1}, nil, &stdout, &stderr, func(k string) string { return env[k] })
	require.Equal(t, exitUnknown, code, "bills remain: exit 3\nstdout: %s\nstderr: %s", stdout.String(), stderr.String())
	assert.Contains(t, stdout.String(), "Stopped by an interrupt before the end.")
	first := readReport(t, report1)
	require.Len(t, first, n)
	counts := map[string]int{}
	for _, row := range first {
		counts[row["outcome"]]++
	}
	t.Logf("first run: %v, %s bills/s", counts, rate(t, stderr.String()))
	assert.GreaterOrEqual(t, counts[string(razorpay.OutcomeCharged)], n/2, "the bills done before the interrupt")
	assert.Less(t, counts[string(razorpay.OutcomeCharged)], n, "the interrupt stopped the run")
	checkReport(t, srv, first)

	// The rerun finishes what is left.
	report2 := filepath.Join(dir, "report2.csv")
	r := runCLI(t, context.Background(), env, "", "bill", "--in", path, "--out", report2)
	require.Equal(t, exitOK, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	t.Logf("rerun: %s bills/s", rate(t, r.stderr))
	second := readReport(t, report2)
	require.Len(t, second, n)
	charged := 0
	for _, row := range second {
		if row["outcome"] == string(razorpay.OutcomeCharged) {
			charged++
		}
	}
	assert.Equal(t, n, charged, "every bill of the rerun's report is charged")
	checkReport(t, srv, second)
	changed := 0
	for i, row := range first {
		if row["outcome"] == string(razorpay.OutcomeCharged) && row["payment_id"] != second[i]["payment_id"] {
			changed++
		}
	}
	assert.Zero(t, changed, "bills of the first run whose rerun returned another payment")

	// The fake: every receipt has exactly one live payment.
	live := livePayments(srv)
	var doubles, missing []string
	for i := range n {
		receipt := fmt.Sprintf("sub_%03d-2026-11", i)
		switch len(live[receipt]) {
		case 0:
			missing = append(missing, receipt)
		case 1:
		default:
			doubles = append(doubles, receipt)
		}
	}
	t.Logf("receipts with two live payments: %d, with none: %d", len(doubles), len(missing))
	assert.Empty(t, doubles, "receipts with two live payments")
	assert.Empty(t, missing, "receipts never charged")
}

// checkReport checks a report against the fake: a charged or pending bill
// has exactly that one live payment, a bill that is not charged none.
func checkReport(t *testing.T, srv *razorpaytest.Server, rows []map[string]string) {
	t.Helper()
	live := livePayments(srv)
	var mismatches []string
	for _, row := range rows {
		pays := live[row["receipt"]]
		ok := true
		switch row["outcome"] {
		case string(razorpay.OutcomeCharged), string(razorpay.OutcomePending):
			ok = len(pays) == 1 && pays[0].ID == row["payment_id"] && string(pays[0].Status) == row["status"]
		case string(razorpay.OutcomeNotCharged), string(razorpay.OutcomeInvalid), string(razorpay.OutcomeConflict):
			ok = len(pays) == 0
		case string(razorpay.OutcomeUnknown):
			ok = len(pays) <= 1
		}
		if !ok {
			mismatches = append(mismatches, fmt.Sprintf("%s: report %s %s, fake %d live payments", row["receipt"], row["outcome"], row["payment_id"], len(pays)))
		}
	}
	if len(mismatches) > 5 {
		mismatches = append(mismatches[:5], fmt.Sprintf("... %d in all", len(mismatches)))
	}
	assert.Empty(t, mismatches, "report rows that do not match the fake")
}

// BenchmarkBill measures a run of 300 bills with 8 workers against the
// fake, and the rerun of the same file (every bill already charged).
func BenchmarkBill(b *testing.B) {
	for _, rerun := range []bool{false, true} {
		b.Run("rerun="+strconv.FormatBool(rerun), func(b *testing.B) {
			const n = 300
			var total time.Duration
			for range b.N {
				b.StopTimer()
				srv := razorpaytest.NewServer()
				env := fakeEnv(srv)
				path := billFile(b, mandates(b, srv, 10), n)
				args := []string{"bill", "--in", path, "--workers", "8"}
				getenv := func(k string) string { return env[k] }
				if rerun {
					run(context.Background(), args, nil, &syncBuffer{}, &syncBuffer{}, getenv)
				}
				b.StartTimer()
				start := time.Now()
				code := run(context.Background(), args, nil, &syncBuffer{}, &syncBuffer{}, getenv)
				total += time.Since(start)
				b.StopTimer()
				srv.Close()
				if code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "bills/s")
		})
	}
}

func TestBillProgress(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	path := billFile(t, mandates(t, srv, 2), 20)
	for _, terminal := range []bool{true, false} {
		var stdout, stderr syncBuffer
		a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, env: func(k string) string { return env[k] },
			now: time.Now, terminal: func(io.Writer) bool { return terminal }}
		code := a.main(context.Background(), []string{"bill", "--in", path, "--workers", "4"})
		require.Equal(t, exitOK, code, stderr.String())
		out := stderr.String()
		if terminal {
			assert.Contains(t, out, "\r\x1b[K[##############################] 20/20  ", "a bar redrawn in place")
			assert.NotContains(t, out, "bill: 20/20 done")
		} else {
			assert.NotContains(t, out, "\r")
			assert.Equal(t, 10, strings.Count(out, "\nbill: ")+boolInt(strings.HasPrefix(out, "bill: ")), "a line every 10%%:\n%s", out)
			assert.Contains(t, out, "bill: 20/20 done: ")
		}
		assert.Contains(t, stdout.String(), "20 bills: ")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestBillSIGINT runs the command as a process, sends it SIGINT when half
// the bills are done, and runs the same file again: every bill is charged
// exactly once.
func TestBillSIGINT(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	const n = 300
	path := billFile(t, mandates(t, srv, 10), n)
	env := append(os.Environ(), "RAZORPAY_CLI_RUN_MAIN=1", "RAZORPAY_KEY_ID="+srv.KeyID,
		"RAZORPAY_KEY_SECRET="+srv.KeySecret, "RAZORPAY_BASE_URL="+srv.URL)
	report := filepath.Join(t.TempDir(), "report.csv")

	cmd := exec.Command(os.Args[0], "bill", "--in", path, "--out", report)
	cmd.Env = env
	var stdout, stderr syncBuffer
	var once sync.Once
	stderr.onWrite = func(p []byte) {
		if strings.Contains(string(p), fmt.Sprintf("bill: %d/%d done", n/2, n)) {
			once.Do(func() { _ = cmd.Process.Signal(os.Interrupt) })
		}
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	err := cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
	assert.Equal(t, exitUnknown, exit.ExitCode(), "interrupted with bills left: exit 3\nstderr: %s", stderr.String())
	assert.Contains(t, stdout.String(), "Stopped by an interrupt before the end.")
	first := readReport(t, report)
	checkReport(t, srv, first)
	t.Logf("SIGINT run: %s bills/s; %s", rate(t, stderr.String()), strings.SplitN(stdout.String(), "\n", 2)[0])

	cmd = exec.Command(os.Args[0], "bill", "--in", path, "--out", report)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the rerun finishes: %s", out)
	second := readReport(t, report)
	checkReport(t, srv, second)
	t.Logf("rerun: %s bills/s", rate(t, string(out)))
	live := livePayments(srv)
	for i := range n {
		receipt := fmt.Sprintf("sub_%03d-2026-11", i)
		if len(live[receipt]) != 1 {
			t.Errorf("%s has %d live payments, want 1", receipt, len(live[receipt]))
		}
	}
}

// TestBillGrace: after Ctrl-C, no new charge starts, and charges in flight
// that outlast --grace come back as unknown.
func TestBillGrace(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	env := fakeEnv(srv)
	path := billFile(t, mandates(t, srv, 2), 20)
	srv.ResetRequests()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupt once both workers wait for their payment's answer: the fake
	// took both payment requests and holds them in their Delay.
	var arrived atomic.Int64
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Times: -1, Delay: 5 * time.Second,
		Arrived: func() {
			if arrived.Add(1) == 2 {
				cancel()
			}
		}})
	start := time.Now()
	r := runCLI(t, ctx, env, "", "bill", "--in", path, "--workers", "2", "--grace", "300ms", "--json")
	assert.Less(t, time.Since(start), 4*time.Second, "the grace period ended the run, not the slow answers")
	assert.Equal(t, exitUnknown, r.code, r.stderr)
	var s summary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	assert.True(t, s.Interrupted)
	assert.Equal(t, 20, s.Unknown)
	inFlight, notStarted := 0, 0
	for _, res := range s.Results {
		if strings.HasPrefix(res.Reason, "not started") {
			notStarted++
		} else {
			inFlight++
			assert.NotEmpty(t, res.OrderID, "the charge had its order: %+v", res)
		}
	}
	assert.Equal(t, 2, inFlight, "the two charges in flight came back unknown")
	assert.Equal(t, 18, notStarted)
	sent := 0
	for _, r := range srv.Requests() {
		if r.Path == "/v1/payments/create/recurring" {
			sent++
		}
	}
	assert.Equal(t, 2, sent, "no new charge started after the interrupt")
}
