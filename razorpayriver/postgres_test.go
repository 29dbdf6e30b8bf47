package razorpayriver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of TestMultiProcessPostgres.
const (
	// envDatabaseURL is a Postgres database the test may fill with River's
	// schema and jobs; .ci/postgres.sh makes a throwaway cluster and sets it.
	envDatabaseURL = "DATABASE_URL"
	// envRequirePostgres=1 turns the skip without a database into a failure,
	// so that CI cannot pass without running the test.
	envRequirePostgres = "RAZORPAYRIVER_REQUIRE_POSTGRES"
)

const (
	mpBills   = 1000
	mpWorkers = 3
	// mpPendingCheck and mpDunning are the work command's -pending-check
	// and -dunning: a held payment is read again every mpPendingCheck, and
	// a declined card is tried again after each wait of mpDunning, mpTries
	// tries in all.
	mpPendingCheck = "300ms"
	mpDunning      = "1s,1s,1s"
	mpTries        = 4
	// mpRotatedSecret is the fake's key secret after the rotation.
	mpRotatedSecret = "rotatedFakeSecret-2026"
)

// mpCase is what the bank does with a bill of TestMultiProcessPostgres.
type mpCase int

const (
	mpCharged       mpCase = iota // captured on the first try
	mpHoldCapture                 // held pending at the bank, then captured
	mpHoldDecline                 // held pending, then declined: charged on the next try
	mpDeclineOnce                 // declined on the first try: charged on the next
	mpDeclineAlways               // declined on every try: not charged, the dunning schedule done
	mpCancelled                   // the mandate is cancelled: a final decline, no payment
	mpCases
)

// mpCaseOf is the case of bill i (receipt prefix-i): 50 bills in 1,000 of
// each case but mpCharged, spread over the run.
func mpCaseOf(i int) mpCase {
	switch i % 20 {
	case 3:
		return mpHoldCapture
	case 7:
		return mpHoldDecline
	case 11:
		return mpDeclineOnce
	case 15:
		return mpDeclineAlways
	case 19:
		return mpCancelled
	}
	return mpCharged
}

func (c mpCase) String() string {
	return [...]string{
		mpCharged:       "charged on the first try",
		mpHoldCapture:   "pending at the bank, then captured",
		mpHoldDecline:   "pending, then declined, charged on the next try",
		mpDeclineOnce:   "declined, charged on the next try",
		mpDeclineAlways: fmt.Sprintf("declined on each of %d tries: not charged", mpTries),
		mpCancelled:     "final decline (mandate cancelled): not charged, no payment",
	}[c]
}

// TestMultiProcessPostgres is a billing run across machines: Razorpay (the
// fake, cmd/razorpay-fake) and the workers (the example's work command)
// are separate OS processes with separate River clients on one Postgres,
// and the test drives the fake through its control API (razorpaytest.Dial)
// as the bank and the Dashboard would:
//
//   - the bank holds some payments pending and captures them later, holds
//     others and declines them (the worker follows each pending payment,
//     then tries a declined card again on its dunning schedule), declines
//     some first tries, declines every try of others, and some mandates
//     are cancelled (final declines);
//   - a quarter of the way in, the key secret is rotated at the fake: the
//     three workers, still on the old secret, get 401s, which they retry
//     and never cancel; a rolling restart then replaces them with three
//     workers on the new secret;
//   - halfway, one of the new workers is SIGKILLed while it holds jobs;
//     River's stuck-job rescue (set short, with the job timeout) runs its
//     jobs again elsewhere.
//
// In the end every job is completed (none cancelled, none discarded, none
// open), every bill is settled as its case says (charged exactly once, or
// not charged after its tries, or a final decline with no payment), and
// the fake reports no double charge.
//
// The worker's waits are short on its command line (-pending-check,
// -dunning): they are River snoozes, which run on the worker's wall clock
// (River's executor sets scheduled_at to time.Now() plus the snooze, and
// Postgres's now() decides when a job is fetched again), not on the fake's
// clock, so AdvanceClock would not bring them forward. Nor is the fake's
// clock moved while the workers run: Payment.Charge assumes that
// Razorpay's clock runs at real time while a payment request may be in
// flight.
func TestMultiProcessPostgres(t *testing.T) {
	dbURL := os.Getenv(envDatabaseURL)
	if !strings.HasPrefix(dbURL, "postgres") {
		if os.Getenv(envRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not a Postgres URL: run the test through .ci/postgres.sh", envRequirePostgres, envDatabaseURL)
		}
		t.Skipf("no Postgres: set %s=postgres://... (a database the test may fill), or run .ci/postgres.sh go test -run TestMultiProcessPostgres", envDatabaseURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	began := time.Now()

	// Binaries: the fake from the SDK's module, the example's commands.
	fakeBin, exampleBin := filepath.Join(dir, "razorpay-fake"), filepath.Join(dir, "example")
	for bin, pkg := range map[string]string{fakeBin: "github.com/gorzp/razorpay/cmd/razorpay-fake", exampleBin: "./example"} {
		out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg).CombinedOutput()
		require.NoError(t, err, "go build %s: %s", pkg, out)
	}

	// River's schema, by River's migrator.
	pool, err := pgxpool.New(ctx, dbURL)
	require.NoError(t, err)
	defer pool.Close()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	require.NoError(t, err)
	_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	require.NoError(t, err)

	// Razorpay: the fake, in its own process, on a free port.
	fake := exec.Command(fakeBin, "-addr", "127.0.0.1:0")
	fakeOut, err := fake.StdoutPipe()
	require.NoError(t, err)
	fake.Stderr = os.Stderr
	require.NoError(t, fake.Start())
	defer func() { _ = fake.Process.Signal(syscall.SIGTERM); _ = fake.Wait() }()
	baseURL := ""
	sc := bufio.NewScanner(fakeOut)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "razorpay-fake listening on "); ok {
			baseURL = strings.TrimSpace(u)
			break
		}
	}
	require.NotEmpty(t, baseURL, "razorpay-fake did not say where it listens")
	go func() {
		for sc.Scan() { // keep draining its output
		}
	}()
	// The bank and the Dashboard: the fake's control API, which keeps
	// accepting the test key pair after the rotation.
	bank, err := razorpaytest.Dial(ctx, baseURL)
	require.NoError(t, err)
	env := func(secret string) []string {
		return append(os.Environ(), "RAZORPAY_KEY_ID="+razorpaytest.KeyID, "RAZORPAY_KEY_SECRET="+secret,
			"RAZORPAY_BASE_URL="+baseURL, envDatabaseURL+"="+dbURL)
	}

	// Insert: mandates on the fake, one bill each (the README's command).
	prefix := fmt.Sprintf("mp%d", time.Now().UnixNano()%1e9)
	ins := exec.CommandContext(ctx, exampleBin, "insert", "-n", fmt.Sprint(mpBills), "-prefix", prefix)
	ins.Env = env(razorpaytest.KeySecret)
	out, err := ins.CombinedOutput()
	require.NoError(t, err, "insert: %s", out)
	t.Logf("insert: %s", strings.TrimSpace(string(out)))

	// The bank's decisions, before the first worker starts.
	receiptCase := map[string]mpCase{}
	rows, err := pool.Query(ctx, `SELECT args->>'receipt', args->>'token_id' FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1`, prefix+"-%")
	require.NoError(t, err)
	tokens := map[string]string{}
	for rows.Next() {
		var receipt, token string
		require.NoError(t, rows.Scan(&receipt, &token))
		tokens[receipt] = token
	}
	require.NoError(t, rows.Err())
	require.Len(t, tokens, mpBills)
	for i := range mpBills {
		receipt := fmt.Sprintf("%s-%d", prefix, i)
		c := mpCaseOf(i)
		receiptCase[receipt] = c
		switch c {
		case mpHoldCapture, mpHoldDecline:
			err = bank.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankHold, Receipt: receipt})
		case mpDeclineOnce:
			err = bank.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankDecline, Receipt: receipt, Reason: "Insufficient funds"})
		case mpDeclineAlways:
			err = bank.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankDecline, Receipt: receipt, Reason: "Card blocked", Times: -1})
		case mpCancelled:
			err = bank.SetMandateStatus(ctx, tokens[receipt], razorpay.TokenRecurringStatusCancelled)
		}
		require.NoError(t, err, "receipt %s", receipt)
	}

	// Workers, each its own process and River client.
	var workers []*exec.Cmd
	startWorker := func(secret string) {
		i := len(workers)
		w := exec.Command(exampleBin, "work", "-id", fmt.Sprintf("worker-%d", i), "-workers", "8",
			"-rescue-after", "5s", "-job-timeout", "4s", "-latency", "5ms", "-attempt-timeout", "1s", "-settle-window", "6s",
			"-pending-check", mpPendingCheck, "-dunning", mpDunning)
		w.Env = env(secret)
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
		require.NoError(t, err)
		w.Stdout, w.Stderr = logf, logf
		require.NoError(t, w.Start())
		workers = append(workers, w)
	}
	workerLog := func(i int) string {
		b, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
		return string(b)
	}
	defer func() {
		for i, w := range workers {
			if w.ProcessState == nil {
				_ = w.Process.Signal(syscall.SIGTERM)
				_ = w.Wait()
			}
			if t.Failed() {
				lines := strings.Split(workerLog(i), "\n")
				t.Logf("worker-%d log, the last 100 of %d lines:\n%s", i, len(lines), strings.Join(lines[max(len(lines)-100, 0):], "\n"))
			}
		}
	}()
	start := time.Now()
	for range mpWorkers {
		startWorker(razorpaytest.KeySecret)
	}

	count := func(where string, args ...any) int {
		var n int
		q := `SELECT count(*) FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1 AND ` + where
		require.NoError(t, pool.QueryRow(ctx, q, append([]any{prefix + "-%"}, args...)...).Scan(&n))
		return n
	}
	const finalized = `state IN ('completed', 'cancelled', 'discarded')`
	const refusedKeys = `errors::text LIKE '%refused the key pair%'`

	// The bank settles a held payment once the worker has found it pending
	// twice (it read it again at least once): captured or declined as the
	// bill's case says.
	settled := map[string]bool{}
	settleHeld := func() {
		rows, err := pool.Query(ctx, `SELECT args->>'receipt', metadata->'output' FROM river_job
			WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1 AND metadata->'output'->>'outcome' = 'pending'`, prefix+"-%")
		require.NoError(t, err)
		type held struct{ receipt, paymentID string }
		var due []held
		for rows.Next() {
			var receipt string
			var raw []byte
			require.NoError(t, rows.Scan(&receipt, &raw))
			var o razorpayriver.ChargeOutput
			require.NoError(t, json.Unmarshal(raw, &o), "receipt %s", receipt)
			if settled[receipt] {
				continue
			}
			for _, a := range o.Attempts {
				if a.PaymentID == o.PaymentID && a.Checks >= 2 {
					due = append(due, held{receipt, o.PaymentID})
				}
			}
		}
		require.NoError(t, rows.Err())
		for _, h := range due {
			switch c := receiptCase[h.receipt]; c {
			case mpHoldCapture:
				_, err = bank.CapturePayment(ctx, h.paymentID)
			case mpHoldDecline:
				_, err = bank.FailPayment(ctx, h.paymentID, "Insufficient funds")
			default:
				err = fmt.Errorf("a bill %s was found pending", c)
			}
			require.NoError(t, err, "receipt %s, payment %s", h.receipt, h.paymentID)
			settled[h.receipt] = true
		}
	}

	// The run, step by step: rotate the key secret a quarter of the way
	// in; once the old workers have been refused for a second, replace
	// them one by one (start a worker on the new secret, stop an old one
	// with SIGTERM); SIGKILL a new worker halfway while it holds jobs; wait
	// until every bill is done.
	const (
		stepRotate = iota
		stepRestart
		stepKill
		stepFinish
	)
	step := stepRotate
	var rotatedAt, restartedAt, killedAt time.Time
	var doneAtRotation, refusedAtRestart, doneAtKill, inFlight int
	var rate float64
	for {
		require.NoError(t, ctx.Err(), "the run did not end: step %d, %d of %d bills done", step, count(finalized), mpBills)
		settleHeld()
		done := count(finalized)
		switch step {
		case stepRotate:
			if done >= mpBills/4 {
				require.NoError(t, bank.RotateKeySecret(ctx, mpRotatedSecret))
				rotatedAt, doneAtRotation = time.Now(), done
				rate = float64(count(`state = 'completed' AND finalized_at <= $2`, rotatedAt)) / rotatedAt.Sub(start).Seconds()
				step = stepRestart
			}
		case stepRestart:
			// Every old worker has been refused, and says so loudly in its
			// log, for a second at least.
			refusedAll := true
			for i := range mpWorkers {
				refusedAll = refusedAll && slices.ContainsFunc(strings.Split(workerLog(i), "\n"), func(l string) bool {
					return strings.Contains(l, " ERROR ") && strings.Contains(l, "refused the key pair")
				})
			}
			if refusedAll && time.Since(rotatedAt) >= time.Second {
				refusedAtRestart = count(refusedKeys)
				for i := range mpWorkers {
					startWorker(mpRotatedSecret)
					require.NoError(t, workers[i].Process.Signal(syscall.SIGTERM))
					require.NoError(t, workers[i].Wait(), "worker-%d did not stop cleanly: %s", i, workerLog(i))
				}
				restartedAt = time.Now()
				t.Logf("rotated the key secret after %d bills; %d jobs refused (401) by then; workers on the new secret %.1fs after the rotation",
					doneAtRotation, refusedAtRestart, restartedAt.Sub(rotatedAt).Seconds())
				step = stepKill
			}
		case stepKill:
			// SIGKILL worker-3 (the first on the new secret) halfway, while
			// it holds jobs.
			if done >= mpBills/2 {
				inFlight = count(`state = 'running' AND attempted_by[array_length(attempted_by, 1)] = 'worker-3'`)
				if inFlight > 0 || done >= mpBills*9/10 {
					require.NoError(t, workers[mpWorkers].Process.Signal(syscall.SIGKILL))
					killedAt, doneAtKill = time.Now(), done
					_ = workers[mpWorkers].Wait()
					t.Logf("SIGKILLed worker-3 after %d bills, with %d of its jobs running", done, inFlight)
					step = stepFinish
				}
			}
		}
		if step == stepFinish && done == mpBills {
			break
		}
		// A poll: the progress is in the database, written by the worker
		// processes, which signal nothing to this one.
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(start)
	var last time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT max(finalized_at) FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1`, prefix+"-%").Scan(&last))
	rescued := count(`errors::text LIKE '%Stuck job rescued%'`)
	refusedJobs := count(refusedKeys)
	var refusedErrors int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM river_job j, unnest(j.errors) e
		WHERE j.kind = 'razorpay_charge' AND j.args->>'receipt' LIKE $1 AND e->>'error' LIKE '%refused the key pair%'`, prefix+"-%").Scan(&refusedErrors))

	// Every job is completed, with the output its case says.
	outputs := map[string]razorpayriver.ChargeOutput{}
	states := map[string]int{}
	rows, err = pool.Query(ctx, `SELECT args->>'receipt', state, metadata->'output' FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1`, prefix+"-%")
	require.NoError(t, err)
	for rows.Next() {
		var receipt, state string
		var raw []byte
		require.NoError(t, rows.Scan(&receipt, &state, &raw))
		var o razorpayriver.ChargeOutput
		require.NoError(t, json.Unmarshal(raw, &o), "receipt %s", receipt)
		states[state]++
		outputs[receipt] = o
	}
	require.NoError(t, rows.Err())
	require.Len(t, outputs, mpBills)
	assert.Equal(t, map[string]int{"completed": mpBills}, states, "jobs by state")

	// What Razorpay holds for each receipt, read with the new secret.
	rzp := razorpay.NewClient(razorpaytest.KeyID, mpRotatedSecret, razorpay.WithBaseURL(baseURL))
	payments := map[string][]razorpay.Payment{}
	for o, err := range rzp.Order.All(ctx, &razorpay.OrderListParams{Expand: []string{razorpay.ExpandPayments}}) {
		require.NoError(t, err)
		if strings.HasPrefix(o.Receipt, prefix+"-") && o.Payments != nil {
			payments[o.Receipt] = append(payments[o.Receipt], o.Payments.Items...)
		}
	}

	// Each bill is settled as its case says, at the fake and in its job.
	byCase := make([]int, mpCases)
	doubles, lost, wrong, printed := 0, 0, 0, 0
	for i := range mpBills {
		receipt := fmt.Sprintf("%s-%d", prefix, i)
		c, o := mpCaseOf(i), outputs[receipt]
		byStatus := map[razorpay.PaymentStatus][]string{}
		for _, p := range payments[receipt] {
			byStatus[p.Status] = append(byStatus[p.Status], p.ID)
		}
		captured, failed := byStatus[razorpay.PaymentStatusCaptured], len(byStatus[razorpay.PaymentStatusFailed])
		live := len(payments[receipt]) - failed
		ok := true
		check := func(cond bool, format string, args ...any) {
			if !cond {
				if ok {
					wrong++
				}
				ok = false
				if printed++; printed <= 20 { // the first ones say enough
					t.Errorf("receipt %s (%s): "+format, append([]any{receipt, c}, args...)...)
				}
			}
		}
		if live > 1 {
			doubles++
		}
		switch c {
		case mpCharged, mpHoldCapture, mpHoldDecline, mpDeclineOnce:
			if len(captured) == 0 {
				lost++
			}
			check(len(captured) == 1 && live == 1, "want one captured payment, the fake holds %v", byStatus)
			check(o.Outcome == razorpay.OutcomeCharged && len(captured) > 0 && o.PaymentID == captured[0],
				"the job says %s, payment %q: %s", o.Outcome, o.PaymentID, o.Note)
			wantFailed := 0
			if c == mpHoldDecline || c == mpDeclineOnce {
				wantFailed = 1
			}
			check(failed == wantFailed, "want %d failed payments, the fake holds %v", wantFailed, byStatus)
			if c == mpHoldCapture {
				check(slices.ContainsFunc(o.Attempts, func(a razorpayriver.ChargeAttempt) bool { return a.PaymentID == o.PaymentID && a.Checks >= 2 }),
					"the job's attempts do not show the captured payment found pending: %+v", o.Attempts)
			}
			if c == mpHoldDecline {
				// (Its status in the attempts is failed if a run read it
				// back after the decline; a run refused by the old key
				// secret meanwhile leaves it to Charge, which charges
				// again without reporting the failed payment.)
				check(slices.ContainsFunc(o.Attempts, func(a razorpayriver.ChargeAttempt) bool { return a.PaymentID != o.PaymentID && a.Checks >= 2 }),
					"the job's attempts do not show the declined payment found pending: %+v", o.Attempts)
			}
		case mpDeclineAlways:
			check(live == 0 && failed >= mpTries, "want %d or more failed payments and no other, the fake holds %v", mpTries, byStatus)
			n := 0
			for _, a := range o.Attempts {
				if a.Status == razorpay.PaymentStatusFailed {
					n++
				}
			}
			check(o.Outcome == razorpay.OutcomeNotCharged && n == mpTries, "the job says %s after %d declines: %s", o.Outcome, n, o.Note)
		case mpCancelled:
			check(len(payments[receipt]) == 0, "want no payment, the fake holds %v", byStatus)
			check(o.Outcome == razorpay.OutcomeNotCharged && o.PaymentID == "" && len(o.Attempts) > 0 && o.Attempts[len(o.Attempts)-1].Error != "",
				"want a final decline, the job says %s: %s", o.Outcome, o.Note)
		}
		check(o.Action == razorpayriver.ActionComplete, "the job's last action is %q", o.Action)
		if ok {
			byCase[c]++
		}
	}
	assert.Zero(t, wrong, "bills not settled as their case says")
	assert.Zero(t, doubles, "bills with more than one live payment")
	assert.Zero(t, lost, "bills to be charged with no captured payment")

	// The fake's own count, through its control API.
	v, err := bank.Verify(ctx)
	require.NoError(t, err)
	assert.Empty(t, v.DoubleCharges, "double charges")
	assert.Equal(t, mpBills, v.Bills)
	assert.Zero(t, v.Pending, "bills still pending at the bank")
	rules, err := bank.BankRules(ctx)
	require.NoError(t, err)
	assert.Len(t, rules, mpBills/20, "every hold and one-time decline was used; only the declines of every try stay")
	assert.Len(t, settled, mpBills/10, "held payments the bank settled")
	assert.Positive(t, rescued, "no job was rescued: the kill hit no running job")
	assert.Positive(t, refusedJobs, "no job was refused the old key secret")

	var b strings.Builder
	fmt.Fprintf(&b, "multi-process Postgres run: %d bills, %d worker processes on the old key secret, then %d on the new one; %.1fs in all (%.1fs with the build and the insert)\n",
		mpBills, mpWorkers, mpWorkers, elapsed.Seconds(), time.Since(began).Seconds())
	for c := range mpCases {
		fmt.Fprintf(&b, "  %4d  %s\n", byCase[c], c)
	}
	fmt.Fprintf(&b, "  at the fake: %d bills, %d charged, %d not charged, %d pending; payments %v; double charges: %d\n",
		v.Bills, v.Charged, v.NotCharged, v.Pending, v.Payments, len(v.DoubleCharges))
	fmt.Fprintf(&b, "  jobs: %v; double charges: %d, bills lost: %d\n", states, doubles, lost)
	fmt.Fprintf(&b, "  %.0f bills/s before the rotation; key secret rotated after %d bills: %d jobs refused (401, %d errors), retried, none cancelled; workers on the new secret %.1fs after the rotation\n",
		rate, doneAtRotation, refusedJobs, refusedErrors, restartedAt.Sub(rotatedAt).Seconds())
	fmt.Fprintf(&b, "  SIGKILL after %d bills with %d jobs of the killed worker running, %d jobs rescued; kill to last bill done: %.1fs",
		doneAtKill, inFlight, rescued, last.Sub(killedAt).Seconds())
	t.Log(b.String())
	fmt.Println(b.String()) // for .ci/run's log
}
