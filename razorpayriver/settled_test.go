package razorpayriver_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of TestSettledChildProcess, set by
// TestOnSettledCommitsWithCompletion.
const (
	envSettledChild = "RAZORPAYRIVER_SETTLED_CHILD" // the SQLite file
	envSettledURL   = "RAZORPAYRIVER_SETTLED_URL"   // the fake's URL
)

// settledTimeout is the job timeout of the workers of
// TestOnSettledCommitsWithCompletion: River's rescuer waits for it before it
// takes the killed worker's run for dead.
const settledTimeout = time.Second

// readyLine is what the child process prints when its hook has written the
// bill and completed the job in its transaction, before it commits.
const readyLine = "written and completed, not committed"

// The application's write of a settled bill and the completion of its job
// commit together or not at all: a worker process killed between them (its
// hook wrote the bill and completed the job in its transaction, and had not
// committed) leaves neither; River rescues the job, the next run finds the
// bill charged (Charge charges nothing more) and its hook commits both, once.
func TestOnSettledCommitsWithCompletion(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := razorpaytest.NewTestServer(t)
	path := filepath.Join(t.TempDir(), "app.sqlite3")
	db, driver := openSQLiteAt(t, path)
	_, err := db.ExecContext(ctx, billOutcomesSchema)
	require.NoError(t, err)
	inserter, err := river.NewClient(driver, &river.Config{})
	require.NoError(t, err)
	res, err := inserter.Insert(ctx, billFor(newMandate(t, srv), "settle-1"), nil)
	require.NoError(t, err)
	id := res.Job.ID

	// A worker process runs the job and is killed in its hook, between the
	// write and the commit.
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSettledChildProcess$")
	child.Env = append(os.Environ(), envSettledChild+"="+path, envSettledURL+"="+srv.URL)
	stdout, err := child.StdoutPipe()
	require.NoError(t, err)
	child.Stderr = os.Stderr
	require.NoError(t, child.Start())
	ready := false
	for sc := bufio.NewScanner(stdout); !ready && sc.Scan(); {
		ready = strings.Contains(sc.Text(), readyLine)
	}
	require.True(t, ready, "the child process did not reach its hook")
	require.NoError(t, child.Process.Kill())
	_ = child.Wait()

	// Neither the write nor the completion committed; the bill is charged.
	row, err := inserter.JobGet(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, rivertype.JobStateRunning, row.State, "the completion committed without the write")
	assert.Equal(t, 0, countOutcomes(t, db, "settle-1"), "the write committed without the completion")
	live := livePayments(srv, "settle-1")
	require.Len(t, live, 1)

	// Another worker: once the killed run's timeout has passed, River
	// rescues the job, and this worker's hook commits both. The timeout
	// passing is the scenario: River rescues on the wall clock, and nothing
	// signals it.
	time.Sleep(time.Until(row.AttemptedAt.Add(settledTimeout + 100*time.Millisecond)))
	w := razorpayriver.NewChargeWorker(srv.Client())
	settle := settleInTx(db)
	committed := make(chan *rivertype.JobRow, 1) // the job's row right after the hook's commit
	w.OnSettled = func(ctx context.Context, job *river.Job[razorpayriver.ChargeArgs], out razorpayriver.ChargeOutput) error {
		if err := settle(ctx, job, out); err != nil {
			return err
		}
		row, err := inserter.JobGet(ctx, job.ID)
		committed <- row
		return err
	}
	w.JobTimeout = settledTimeout
	w.RetryBackoff = func(int) time.Duration { return 10 * time.Millisecond }
	client := newClient(t, driver, w, func(c *river.Config) { c.RescueStuckJobsAfter, c.JobTimeout = settledTimeout, settledTimeout })
	completed, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()
	select {
	case ev := <-completed:
		require.Equal(t, id, ev.Job.ID)
	case <-ctx.Done():
		t.Fatal("the job was not rescued and completed in time")
	}

	row, err = client.JobGet(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, rivertype.JobStateCompleted, row.State)
	assert.Equal(t, 2, row.Attempt, "the rescue is the second attempt")
	atCommit := <-committed
	assert.Equal(t, rivertype.JobStateCompleted, atCommit.State, "the hook's commit completed the job")
	assert.Equal(t, razorpay.OutcomeCharged, output(t, atCommit).Outcome, "the output is part of the hook's commit")
	var outcome, paymentID string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT outcome, payment_id FROM bill_outcomes WHERE receipt = ?`, "settle-1").Scan(&outcome, &paymentID))
	assert.Equal(t, "charged", outcome)
	assert.Equal(t, live[0].ID, paymentID)
	assert.Equal(t, 1, countOutcomes(t, db, "settle-1"))
	assert.Len(t, recurringPosts(srv), 1, "the rescued run charged again")
	assert.Empty(t, srv.DoubleCharges())
}

func countOutcomes(t *testing.T, db *sql.DB, receipt string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRowContext(context.Background(), `SELECT count(*) FROM bill_outcomes WHERE receipt = ?`, receipt).Scan(&n))
	return n
}

// TestSettledChildProcess is the worker process of
// TestOnSettledCommitsWithCompletion (it skips otherwise): it works the
// job, and its hook writes the bill and completes the job in one
// transaction, says so, and waits to be killed before it commits. It never
// becomes River's leader, so that it rescues nothing.
func TestSettledChildProcess(t *testing.T) {
	path := os.Getenv(envSettledChild)
	if path == "" {
		t.Skip("the worker process of TestOnSettledCommitsWithCompletion")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, driver := openSQLiteAt(t, path)
	w := razorpayriver.NewChargeWorker(razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret,
		razorpay.WithBaseURL(os.Getenv(envSettledURL))))
	w.JobTimeout = settledTimeout
	w.Logger = slog.New(slog.DiscardHandler)
	w.OnSettled = func(ctx context.Context, job *river.Job[razorpayriver.ChargeArgs], out razorpayriver.ChargeOutput) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := recordOutcome(ctx, tx, out); err != nil {
			return err
		}
		if _, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job); err != nil {
			return err
		}
		fmt.Println(readyLine)
		<-make(chan struct{}) // killed here, before the commit
		return tx.Commit()
	}
	client := newClient(t, driver, w, func(c *river.Config) { c.LeaderElectionDisabled = true })
	require.NoError(t, client.Start(ctx))
	<-ctx.Done()
}
