package razorpayriver_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
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
	return openSQLiteAt(t, filepath.Join(t.TempDir(), "river.sqlite3"))
}

// openSQLiteAt is openSQLiteDB on the database file at path, which other
// processes may open too.
func openSQLiteAt(t *testing.T, path string) (*sql.DB, *riversqlite.Driver) {
	t.Helper()
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
	h := startHarness(t, w)
	id := h.insert(args, opts)
	ev := h.next(id)
	row, err := h.client.JobGet(h.ctx, id)
	require.NoError(t, err)
	return ev.Kind, row
}

// harness is a started River client on a new SQLite database that works
// ChargeArgs with a ChargeWorker, and the events of its jobs.
type harness struct {
	t      *testing.T
	ctx    context.Context
	db     *sql.DB
	client *river.Client[*sql.Tx]
	events <-chan *river.Event
}

// startHarness starts a River client that works ChargeArgs with w; configure,
// when given, changes its config first. The client stops when the test
// ends.
func startHarness(t *testing.T, w *razorpayriver.ChargeWorker, configure ...func(*river.Config)) *harness {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	db, driver := openSQLiteDB(t)
	client := newClient(t, driver, w, configure...)
	events, stop := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled,
		river.EventKindJobSnoozed, river.EventKindJobFailed)
	t.Cleanup(stop)
	require.NoError(t, client.Start(ctx))
	t.Cleanup(func() { require.NoError(t, client.Stop(context.Background())) })
	return &harness{t: t, ctx: ctx, db: db, client: client, events: events}
}

// insert queues args and returns the job's id.
func (h *harness) insert(args razorpayriver.ChargeArgs, opts *river.InsertOpts) int64 {
	h.t.Helper()
	res, err := h.client.Insert(h.ctx, args, opts)
	require.NoError(h.t, err)
	return res.Job.ID
}

// next returns the job's next event: completed, cancelled, snoozed, or
// failed (an error River retries). The event's job is the row as the run
// left it, with its output.
func (h *harness) next(id int64) *river.Event {
	h.t.Helper()
	for {
		select {
		case ev := <-h.events:
			if ev.Job.ID == id {
				return ev
			}
		case <-h.ctx.Done():
			h.t.Fatal("the job was not worked in time")
			return nil
		}
	}
}

// until returns the job's first event of one of kinds, and fails the test
// on a cancelled job that was not asked for.
func (h *harness) until(id int64, kinds ...river.EventKind) *river.Event {
	h.t.Helper()
	for {
		ev := h.next(id)
		if slices.Contains(kinds, ev.Kind) {
			return ev
		}
		if ev.Kind == river.EventKindJobCancelled {
			h.t.Fatalf("the job was cancelled: %s", ev.Job.Output())
		}
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

// newClient returns a River client on driver that works ChargeArgs with w
// on razorpayriver.Queue; configure, when given, changes its config first.
// It is not started.
func newClient(t *testing.T, driver *riversqlite.Driver, w *razorpayriver.ChargeWorker, configure ...func(*river.Config)) *river.Client[*sql.Tx] {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	cfg := &river.Config{
		Queues:            map[string]river.QueueConfig{razorpayriver.Queue: {MaxWorkers: 4}},
		Workers:           workers,
		FetchCooldown:     5 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
		TestOnly:          true,
	}
	for _, c := range configure {
		c(cfg)
	}
	client, err := river.NewClient(driver, cfg)
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

// argsReceipt returns the receipt of a ChargeArgs job's encoded args.
func argsReceipt(t *testing.T, encodedArgs []byte) string {
	t.Helper()
	var args razorpayriver.ChargeArgs
	require.NoError(t, json.Unmarshal(encodedArgs, &args))
	return args.Receipt
}
