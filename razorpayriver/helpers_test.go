package razorpayriver_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // pure-Go SQLite, registered as "sqlite"
)

// openSQLite returns a River SQLite driver on a new database file in the
// test's temporary directory, with River's schema migrated by River's own
// migrator.
func openSQLite(t *testing.T) *riversqlite.Driver {
	t.Helper()
	_, driver := openSQLiteDB(t)
	return driver
}

// openSQLiteDB is openSQLite that also returns the database, to begin the
// caller's transactions on.
func openSQLiteDB(t *testing.T) (*sql.DB, *riversqlite.Driver) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "river.sqlite3")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	require.NoError(t, err)
	// SQLite allows one writer at a time; River's docs advise one connection.
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	driver := riversqlite.New(db)
	migrator, err := rivermigrate.New(driver, nil)
	require.NoError(t, err)
	_, err = migrator.Migrate(context.Background(), rivermigrate.DirectionUp, nil)
	require.NoError(t, err)
	return db, driver
}

// workOne runs one job of args through a started River client with w, and
// returns the first event of the job (completed, cancelled, snoozed, or
// failed for an error that River will retry) and the job's row after it.
func workOne(t *testing.T, w *razorpayriver.ChargeWorker, args razorpayriver.ChargeArgs) (river.EventKind, *rivertype.JobRow) {
	t.Helper()
	return workOneWith(t, w, args, nil)
}

// workOneWith is workOne with the job inserted with opts.
func workOneWith(t *testing.T, w *razorpayriver.ChargeWorker, args razorpayriver.ChargeArgs, opts *river.InsertOpts) (river.EventKind, *rivertype.JobRow) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := newClient(t, openSQLite(t), w)
	events, stop := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled,
		river.EventKindJobSnoozed, river.EventKindJobFailed)
	defer stop()
	res, err := client.Insert(ctx, args, opts)
	require.NoError(t, err)
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()
	select {
	case ev := <-events:
		require.Equal(t, res.Job.ID, ev.Job.ID)
		row, err := client.JobGet(ctx, res.Job.ID)
		require.NoError(t, err)
		return ev.Kind, row
	case <-ctx.Done():
		t.Fatal("the job was not worked in time")
		return "", nil
	}
}

// output decodes the ChargeOutput recorded on a job.
func output(t *testing.T, row *rivertype.JobRow) razorpayriver.ChargeOutput {
	t.Helper()
	var out razorpayriver.ChargeOutput
	require.NotEmpty(t, row.Output(), "the job has no recorded output")
	require.NoError(t, json.Unmarshal(row.Output(), &out))
	return out
}

// newClient returns a River client on driver that works ChargeArgs with w;
// it is not started.
func newClient(t *testing.T, driver *riversqlite.Driver, w *razorpayriver.ChargeWorker) *river.Client[*sql.Tx] {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	client, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		Workers:           workers,
		FetchCooldown:     5 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
	})
	require.NoError(t, err)
	return client
}

// bills makes n mandates on srv and returns one bill for each, with
// receipts prefix-0 ... prefix-(n-1).
func bills(t *testing.T, srv *razorpaytest.Server, n int, prefix string) []razorpayriver.ChargeArgs {
	t.Helper()
	out := make([]razorpayriver.ChargeArgs, n)
	for i := range out {
		m, err := srv.NewMandate(context.Background(), 500_000)
		require.NoError(t, err)
		out[i] = billFor(m, fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

func billFor(m *razorpaytest.Mandate, receipt string) razorpayriver.ChargeArgs {
	return razorpayriver.ChargeArgs{
		CustomerID:  m.CustomerID,
		TokenID:     m.TokenID,
		Amount:      29_900,
		Currency:    "INR",
		Receipt:     receipt,
		Email:       m.Email,
		Contact:     m.Contact,
		Description: "Monthly plan",
		Notes:       map[string]string{"plan": "monthly"},
	}
}
