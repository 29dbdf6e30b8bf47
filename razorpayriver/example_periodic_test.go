package razorpayriver_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// subscriptionsSchema is the application's tables in the monthly billing
// example: its subscriptions, and the bills queued for them, one per
// subscription and month.
const subscriptionsSchema = `
CREATE TABLE IF NOT EXISTS subscriptions (
	id          TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	token_id    TEXT NOT NULL,
	email       TEXT NOT NULL,
	contact     TEXT NOT NULL,
	amount      INTEGER NOT NULL,
	active      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bills (
	receipt         TEXT PRIMARY KEY,
	subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
	month           TEXT NOT NULL,
	UNIQUE (subscription_id, month)
)`

// monthArgs is the job of one month's billing run, such as "2026-11": its
// worker queues the month's bills.
type monthArgs struct {
	Month string `json:"month" river:"unique"`
}

func (monthArgs) Kind() string { return "bill_month" }

// InsertOpts keeps one job per month while River keeps it, on the billing
// queue.
func (monthArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: razorpayriver.Queue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// monthWorker queues a month's bills: one for each active subscription not
// billed for the month yet. It marks them in the bills table in the same
// transaction in which it inserts their jobs and completes its own, so
// that each bill is queued once, however often the month's job runs (a
// second leader, a retry, a subscription added later in the month).
type monthWorker struct {
	river.WorkerDefaults[monthArgs]
	db *sql.DB
}

func (w *monthWorker) Work(ctx context.Context, job *river.Job[monthArgs]) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return err
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op
	bills, err := unbilled(ctx, tx, job.Args.Month)
	if err != nil {
		return err
	}
	for _, b := range bills {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bills (receipt, subscription_id, month) VALUES (?, ?, ?)`,
			b.Receipt, b.Notes["subscription"], job.Args.Month); err != nil {
			return err
		}
	}
	if len(bills) > 0 {
		if _, err := razorpayriver.InsertChargesTx(ctx, client, tx, bills, nil); err != nil {
			return err
		}
	}
	if _, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job); err != nil {
		return err
	}
	return tx.Commit()
}

// unbilled returns the bills of month for the active subscriptions that
// have none yet. The receipt is the subscription and the month: one bill
// per subscription and month, whoever queues it.
func unbilled(ctx context.Context, tx *sql.Tx, month string) ([]razorpayriver.ChargeArgs, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, customer_id, token_id, email, contact, amount FROM subscriptions s
		WHERE active = 1 AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.subscription_id = s.id AND b.month = ?) ORDER BY id`, month)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var bills []razorpayriver.ChargeArgs
	for rows.Next() {
		var id string
		b := razorpayriver.ChargeArgs{Currency: "INR", Description: "Monthly plan, " + month}
		if err := rows.Scan(&id, &b.CustomerID, &b.TokenID, &b.Email, &b.Contact, &b.Amount); err != nil {
			return nil, err
		}
		b.Receipt = id + "-" + month
		b.Notes = map[string]string{"subscription": id, "month": month}
		bills = append(bills, b)
	}
	return bills, rows.Err()
}

// monthly is a river.PeriodicSchedule: 00:00 on the first of each month,
// in loc.
type monthly struct{ loc *time.Location }

func (m monthly) Next(t time.Time) time.Time {
	t = t.In(m.loc)
	return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, m.loc)
}

// monthlyBilling is the periodic job that starts each month's billing run.
// River's leader inserts it; with RunOnStart a new leader also runs the
// current month, which queues only the bills not queued yet.
func monthlyBilling(loc *time.Location) *river.PeriodicJob {
	return river.NewPeriodicJob(monthly{loc}, func() (river.JobArgs, *river.InsertOpts) {
		return monthArgs{Month: time.Now().In(loc).Format("2006-01")}, nil
	}, &river.PeriodicJobOpts{ID: "razorpay_monthly_bills", RunOnStart: true})
}

// newBillingClient returns a River client on db that runs the monthly
// billing: the periodic job, its worker, and the ChargeWorker of rzp's
// server.
func newBillingClient(db *sql.DB, srv *razorpaytest.Server) (*river.Client[*sql.Tx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &monthWorker{db: db})
	river.AddWorker(workers, razorpayriver.NewChargeWorker(srv.Client()))
	return river.NewClient(riversqlite.New(db), &river.Config{
		Queues:       map[string]river.QueueConfig{razorpayriver.Queue: {MaxWorkers: 4}},
		Workers:      workers,
		PeriodicJobs: []*river.PeriodicJob{monthlyBilling(time.UTC)},
	})
}

// addSubscription makes a customer with a confirmed mandate on srv and an
// active subscription of ₹299 a month for it.
func addSubscription(ctx context.Context, db *sql.DB, srv *razorpaytest.Server, id string) error {
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO subscriptions (id, customer_id, token_id, email, contact, amount, active) VALUES (?, ?, ?, ?, ?, ?, 1)`,
		id, m.CustomerID, m.TokenID, m.Email, m.Contact, 29_900)
	return err
}

// openBillingDB opens a SQLite database in dir with River's tables and the
// application's.
func openBillingDB(ctx context.Context, dir string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.sqlite3")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	migrator, err := rivermigrate.New(riversqlite.New(db), nil)
	if err == nil {
		_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err == nil {
		_, err = db.ExecContext(ctx, subscriptionsSchema)
	}
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

// A monthly river.PeriodicJob starts each month's billing run: its worker
// queues the month's bills, each once, in the transaction that records
// them, and ChargeWorker charges them.
func Example_monthlyBilling() {
	ctx := context.Background()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "razorpayriver-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	db, err := openBillingDB(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	for _, id := range []string{"sub_1", "sub_2", "sub_3"} {
		if err := addSubscription(ctx, db, srv, id); err != nil {
			log.Fatal(err)
		}
	}

	client, err := newBillingClient(db, srv)
	if err != nil {
		log.Fatal(err)
	}
	completed, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()
	if err := client.Start(ctx); err != nil { // the leader runs this month at once (RunOnStart)
		log.Fatal(err)
	}
	defer func() { _ = client.Stop(ctx) }()
	for charged := 0; charged < 3; {
		select {
		case ev := <-completed:
			if ev.Job.Kind == razorpayriver.Kind {
				charged++
			}
		case <-time.After(30 * time.Second):
			log.Fatal("the month was not billed in time")
		}
	}

	var bills int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM bills WHERE month = ?`, time.Now().UTC().Format("2006-01")).Scan(&bills); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bills, "bills queued and charged this month; double charges:", len(srv.DoubleCharges()))
	// Output: 3 bills queued and charged this month; double charges: 0
}
