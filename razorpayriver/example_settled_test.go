package razorpayriver_test

import (
	"context"
	"database/sql"
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

// billOutcomesSchema is the application's table of settled bills in the
// examples and tests: one row per receipt.
const billOutcomesSchema = `CREATE TABLE IF NOT EXISTS bill_outcomes (
	receipt    TEXT PRIMARY KEY,
	outcome    TEXT NOT NULL,
	payment_id TEXT NOT NULL,
	tries      INTEGER NOT NULL,
	note       TEXT NOT NULL
)`

// recordOutcome writes a settled bill into the application's table, keyed
// by its receipt: a bill seen again overwrites its row.
func recordOutcome(ctx context.Context, tx *sql.Tx, out razorpayriver.ChargeOutput) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO bill_outcomes (receipt, outcome, payment_id, tries, note) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (receipt) DO UPDATE SET outcome = excluded.outcome, payment_id = excluded.payment_id, tries = excluded.tries, note = excluded.note`,
		out.Receipt, string(out.Outcome), out.PaymentID, len(out.Attempts), out.Note)
	return err
}

// settleInTx returns an OnSettled hook that records the bill in db and
// completes its job in the same transaction: both commit, or neither.
func settleInTx(db *sql.DB) func(context.Context, *river.Job[razorpayriver.ChargeArgs], razorpayriver.ChargeOutput) error {
	return func(ctx context.Context, job *river.Job[razorpayriver.ChargeArgs], out razorpayriver.ChargeOutput) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // after Commit, a no-op
		if err := recordOutcome(ctx, tx, out); err != nil {
			return err
		}
		// The driver's type names River's driver; the job's output is part
		// of the completion.
		if _, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job); err != nil {
			return err
		}
		return tx.Commit()
	}
}

// The application records each settled bill in its own table, in the same
// transaction in which River completes the bill's job (river.JobCompleteTx):
// a crash between the two leaves neither, and the job runs again.
func ExampleChargeWorker_onSettled() {
	ctx := context.Background()
	srv := razorpaytest.NewServer() // Razorpay, in memory
	defer srv.Close()
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		log.Fatal(err)
	}

	// One SQLite database holds River's tables and the application's.
	dir, err := os.MkdirTemp("", "razorpayriver-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.sqlite3")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	db.SetMaxOpenConns(1)
	driver := riversqlite.New(db)
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil { // River's schema
		log.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, billOutcomesSchema); err != nil { // the application's
		log.Fatal(err)
	}

	w := razorpayriver.NewChargeWorker(srv.Client())
	w.OnSettled = settleInTx(db)
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	client, err := river.NewClient(driver, &river.Config{
		Queues:  map[string]river.QueueConfig{razorpayriver.Queue: {MaxWorkers: 4}},
		Workers: workers,
	})
	if err != nil {
		log.Fatal(err)
	}
	completed, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()
	if err := client.Start(ctx); err != nil {
		log.Fatal(err)
	}
	defer func() { _ = client.Stop(ctx) }()

	bill := razorpayriver.ChargeArgs{CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 29_900, Currency: "INR",
		Receipt: "sub_42-2026-11", Email: m.Email, Contact: m.Contact, Description: "Monthly plan"}
	if _, err := razorpayriver.InsertCharges(ctx, client, []razorpayriver.ChargeArgs{bill}, nil); err != nil {
		log.Fatal(err)
	}
	select {
	case <-completed:
	case <-time.After(30 * time.Second):
		log.Fatal("the bill was not settled in time")
	}

	var outcome string
	var tries int
	if err := db.QueryRowContext(ctx, `SELECT outcome, tries FROM bill_outcomes WHERE receipt = ?`, bill.Receipt).Scan(&outcome, &tries); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bill.Receipt, outcome, "after", tries, "try")
	// Output: sub_42-2026-11 charged after 1 try
}
