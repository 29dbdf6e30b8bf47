package razorpayriver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
)

// TestMultiProcessPostgres is a billing run across machines: Razorpay (the
// fake, cmd/razorpay-fake) and three workers (the example's work command)
// are separate OS processes with separate River clients on one Postgres. One
// worker is SIGKILLed in the middle of the run; River's stuck-job rescue
// (set short, with the job timeout) runs its jobs again elsewhere, and
// every bill must end charged exactly once, as the fake reports through its
// API.
//
// Still to come, once the fake in its own process can be driven (hold,
// fail or capture a payment, cancel a mandate, move its clock): a mix of
// bills held pending and then captured or declined (dunning, with the work
// command's -pending-check and -dunning), of final declines, and a key
// rotation mid-run (the fake refuses the keys for a while); then 0 double
// charges, 0 bills lost and every bill settled, as now.
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
	env := append(os.Environ(),
		"RAZORPAY_KEY_ID="+razorpaytest.KeyID, "RAZORPAY_KEY_SECRET="+razorpaytest.KeySecret,
		"RAZORPAY_BASE_URL="+baseURL, envDatabaseURL+"="+dbURL)
	rzp := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(baseURL))

	// Insert: mandates on the fake, one bill each (the README's command).
	prefix := fmt.Sprintf("mp%d", time.Now().UnixNano()%1e9)
	ins := exec.CommandContext(ctx, exampleBin, "insert", "-n", fmt.Sprint(mpBills), "-prefix", prefix)
	ins.Env = env
	out, err := ins.CombinedOutput()
	require.NoError(t, err, "insert: %s", out)
	t.Logf("insert: %s", strings.TrimSpace(string(out)))

	// Three workers, each its own process and River client.
	workers := make([]*exec.Cmd, mpWorkers)
	start := time.Now()
	for i := range workers {
		w := exec.Command(exampleBin, "work", "-id", fmt.Sprintf("worker-%d", i), "-workers", "8",
			"-rescue-after", "5s", "-job-timeout", "4s", "-latency", "5ms", "-attempt-timeout", "1s", "-settle-window", "6s")
		w.Env = env
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
		require.NoError(t, err)
		w.Stdout, w.Stderr = logf, logf
		require.NoError(t, w.Start())
		workers[i] = w
	}
	defer func() {
		for i, w := range workers {
			if w.ProcessState == nil {
				_ = w.Process.Signal(syscall.SIGTERM)
				_ = w.Wait()
			}
			if t.Failed() {
				b, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
				t.Logf("worker-%d log:\n%s", i, b)
			}
		}
	}()

	count := func(where string, args ...any) int {
		var n int
		q := `SELECT count(*) FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1 AND ` + where
		require.NoError(t, pool.QueryRow(ctx, q, append([]any{prefix + "-%"}, args...)...).Scan(&n))
		return n
	}

	// SIGKILL worker-0 halfway, while it holds jobs.
	var killedAt time.Time
	inFlight := 0
	for killedAt.IsZero() {
		require.NoError(t, ctx.Err(), "the run did not reach half way")
		done := count(`state IN ('completed', 'cancelled', 'discarded')`)
		if done >= mpBills/2 {
			inFlight = count(`state = 'running' AND attempted_by[array_length(attempted_by, 1)] = 'worker-0'`)
			if inFlight > 0 || done >= mpBills*9/10 {
				require.NoError(t, workers[0].Process.Signal(syscall.SIGKILL))
				killedAt = time.Now()
				_ = workers[0].Wait()
				t.Logf("SIGKILLed worker-0 after %d bills, with %d of its jobs running", done, inFlight)
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	rate := float64(count(`state = 'completed' AND finalized_at <= $2`, killedAt)) / killedAt.Sub(start).Seconds()

	// Every bill ends, worked by the two that are left.
	for count(`state IN ('completed', 'cancelled', 'discarded')`) < mpBills {
		require.NoError(t, ctx.Err(), "bills left unfinished: %d", mpBills-count(`state IN ('completed', 'cancelled', 'discarded')`))
		time.Sleep(100 * time.Millisecond)
	}
	var last time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT max(finalized_at) FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1`, prefix+"-%").Scan(&last))
	rescued := count(`errors::text LIKE '%Stuck job rescued%'`)

	// Each bill is charged exactly once, as the fake says through its API.
	outputs := map[string]razorpayriver.ChargeOutput{}
	rows, err := pool.Query(ctx, `SELECT args->>'receipt', state, metadata->'output' FROM river_job WHERE kind = 'razorpay_charge' AND args->>'receipt' LIKE $1`, prefix+"-%")
	require.NoError(t, err)
	for rows.Next() {
		var receipt, state string
		var raw []byte
		require.NoError(t, rows.Scan(&receipt, &state, &raw))
		var o razorpayriver.ChargeOutput
		require.NoError(t, json.Unmarshal(raw, &o), "receipt %s", receipt)
		assert.Equal(t, "completed", state, "receipt %s", receipt)
		outputs[receipt] = o
	}
	require.NoError(t, rows.Err())
	live := map[string][]string{}
	for o, err := range rzp.Order.All(ctx, &razorpay.OrderListParams{Expand: []string{razorpay.ExpandPayments}}) {
		require.NoError(t, err)
		if !strings.HasPrefix(o.Receipt, prefix+"-") || o.Payments == nil {
			continue
		}
		for _, p := range o.Payments.Items {
			if p.Status != razorpay.PaymentStatusFailed {
				live[o.Receipt] = append(live[o.Receipt], p.ID)
			}
		}
	}
	doubles, lost := 0, 0
	for i := range mpBills {
		receipt := fmt.Sprintf("%s-%d", prefix, i)
		switch ids := live[receipt]; {
		case len(ids) > 1:
			doubles++
			t.Errorf("receipt %s: %d live payments %v", receipt, len(ids), ids)
		case len(ids) == 0:
			lost++
			t.Errorf("receipt %s: no payment", receipt)
		default:
			o := outputs[receipt]
			assert.Equal(t, razorpay.OutcomeCharged, o.Outcome, "receipt %s", receipt)
			assert.Equal(t, ids[0], o.PaymentID, "receipt %s: the job's output names another payment", receipt)
		}
	}
	assert.Len(t, outputs, mpBills)
	assert.Positive(t, rescued, "no job was rescued: the kill hit no running job")

	summary := fmt.Sprintf("multi-process Postgres run: %d bills, %d worker processes: %.0f bills/s before the kill; "+
		"kill to last bill done: %.1fs; %d jobs of the killed worker running at the kill, %d jobs rescued; "+
		"double charges: %d, bills lost: %d",
		mpBills, mpWorkers, rate, last.Sub(killedAt).Seconds(), inFlight, rescued, doubles, lost)
	t.Log(summary)
	fmt.Println(summary) // for .ci/run's log
}
