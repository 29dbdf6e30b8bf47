package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay/razorpaytest"
)

const billHeader = "customer,token,amount,currency,receipt,email,contact\n"

// billLine is one line of a bill file.
func billLine(m *razorpaytest.Mandate, amount int64, receipt string) string {
	return fmt.Sprintf("%s,%s,%d,INR,%s,%s,%s\n", m.CustomerID, m.TokenID, amount, receipt, m.Email, m.Contact)
}

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
	assert.Equal(t, []string{"line", "receipt", "outcome", "payment_id", "order_id", "status", "reason", "resume_after"}, recs[0])
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
		"cust_X,token_X,49900,INR,sub_3-2026-11\n" + // line 4: too few fields
		strings.Replace(billLine(ms[0], 49_900, "sub_4-2026-11"), "49900", "499.00", 1) + // line 5: rupees, not paise
		strings.Replace(billLine(ms[1], 49_900, "sub_5-2026-11"), ms[1].Email, "not-an-email", 1) + // line 6
		billLine(ms[1], 49_900, "sub_1-2026-11") + // line 7: receipt of line 2
		billLine(ms[0], 200_000, "sub_6-2026-11") + // line 8: above the mandate's limit
		`cust_X,"token_X,49900,INR,sub_7,a@example.com,+919000090000` + "\n" + // line 9: bad quote, to the end
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
	for _, line := range []string{"line 4: 5 fields, want 7", "line 5: amount: \"499.00\" is not a whole number of paise",
		"line 6: email: ", "line 7: receipt \"sub_1-2026-11\" is already on line 2", "line 9: "} {
		assert.Contains(t, r.stderr, "razorpay bill: "+line)
	}
	live := livePayments(srv)
	assert.Len(t, live["sub_1-2026-11"], 1)
	assert.Len(t, live["sub_2-2026-11"], 1)
	assert.Empty(t, live["sub_6-2026-11"])
	noSecrets(t, r, srv.KeySecret)

	// The same file again, from stdin, as JSON: the charged bills return
	// their payments; the declined one is charged again on its order, and
	// Razorpay's refusal there is "unknown" until no earlier attempt can
	// still land (Charge's settle window), so the run exits 3.
	r = runCLI(t, context.Background(), env, in, "bill", "--in", "-", "--workers", "1", "--json")
	assert.Equal(t, exitUnknown, r.code, r.stderr)
	var s summary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	assert.Equal(t, summary{Bills: 8, Charged: 2, Unknown: 1, Invalid: 5}, summary{Bills: s.Bills, Charged: s.Charged,
		NotCharged: s.NotCharged, Invalid: s.Invalid, Unknown: s.Unknown, Pending: s.Pending})
	require.Len(t, s.Results, 8)
	assert.Equal(t, 2, s.Results[0].Line)
	assert.Equal(t, live["sub_1-2026-11"][0].ID, s.Results[0].PaymentID, "the first run's payment")
	assert.Equal(t, live["sub_2-2026-11"][0].ID, s.Results[1].PaymentID, "the first run's payment")
	assert.Equal(t, outcomeUnknown, s.Results[6].Outcome)
	assert.NotEmpty(t, s.Results[6].ResumeAfter)
	assert.Equal(t, live, livePayments(srv), "the rerun charged nothing")
}

func TestBillBadHeader(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	r := runCLI(t, context.Background(), fakeEnv(srv), "customer,token,amount,currency,email,contact\n", "bill", "--in", "-")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `--in: line 1: the header has no column "receipt"`)
	r = runCLI(t, context.Background(), fakeEnv(srv), "", "bill", "--in", "-")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--in: the file is empty")
	assert.Empty(t, srv.Requests())
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
	assert.Contains(t, r.stderr, "authentication failed, check RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET")
	assert.Less(t, len(srv.Requests()), 20, "the run stops at the first refusal")
	noSecrets(t, r, "wrong-secret-123")
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
// and the reports match the fake. The rerun needs the receipt-keyed
// Payment.Charge (issue 9).
func TestBillInterruptAndRerun(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	defer srv.Close()
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
	assert.GreaterOrEqual(t, counts[outcomeCharged], n/2, "the bills done before the interrupt")
	assert.Less(t, counts[outcomeCharged], n, "the interrupt stopped the run")
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
		if row["outcome"] == outcomeCharged {
			charged++
		}
	}
	assert.Equal(t, n, charged, "every bill of the rerun's report is charged")
	checkReport(t, srv, second)
	changed := 0
	for i, row := range first {
		if row["outcome"] == outcomeCharged && row["payment_id"] != second[i]["payment_id"] {
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
		case outcomeCharged, outcomePending:
			ok = len(pays) == 1 && pays[0].ID == row["payment_id"] && string(pays[0].Status) == row["status"]
		case outcomeNotCharged, outcomeInvalid:
			ok = len(pays) == 0
		case outcomeUnknown:
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
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	defer srv.Close()
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
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	defer srv.Close()
	env := fakeEnv(srv)
	path := billFile(t, mandates(t, srv, 2), 20)
	srv.ResetRequests()
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Times: -1, Delay: 5 * time.Second})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Interrupt once both workers wait for their payment's answer.
		for {
			sent := 0
			for _, r := range srv.Requests() {
				if r.Path == "/v1/payments/create/recurring" {
					sent++
				}
			}
			if sent == 2 {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
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
