package razorpayriver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChargeArgsKindAndUniqueness(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "razorpay_charge", razorpayriver.ChargeArgs{}.Kind())
	assert.Equal(t, river.UniqueOpts{ByArgs: true}, razorpayriver.ChargeArgs{}.InsertOpts().UniqueOpts)
	assert.Equal(t, "razorpay_charge", razorpayriver.Queue)
	assert.Equal(t, razorpayriver.Queue, razorpayriver.ChargeArgs{}.InsertOpts().Queue)
}

// Inserting the same receipts again, or twice in one batch, or one at a
// time with other args, keeps one job per receipt.
func TestInsertChargesDuplicatesCollapse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := razorpaytest.NewTestServer(t)
	client := newClient(t, openSQLite(t), razorpayriver.NewChargeWorker(srv.Client()))
	batch := bills(t, srv, 5, "dup")

	res, err := razorpayriver.InsertCharges(ctx, client, append(batch, batch[0], batch[3]), nil)
	require.NoError(t, err)
	assert.Equal(t, 5, res.Inserted)
	assert.Equal(t, 2, res.Duplicates)
	require.Len(t, res.Jobs, 5)

	again, err := razorpayriver.InsertCharges(ctx, client, batch, &river.InsertOpts{Priority: 2, UniqueOpts: river.UniqueOpts{ByQueue: true}})
	require.NoError(t, err)
	assert.Equal(t, 0, again.Inserted)
	assert.Equal(t, 5, again.Duplicates)
	for i, j := range again.Jobs {
		assert.True(t, j.UniqueSkippedAsDuplicate)
		assert.Equal(t, res.Jobs[i].Job.ID, j.Job.ID, "the duplicate names the first job")
	}

	// Only the receipt makes a bill unique: other args do not.
	changed := batch[1]
	changed.Description = "another description"
	single, err := client.Insert(ctx, changed, nil)
	require.NoError(t, err)
	assert.True(t, single.UniqueSkippedAsDuplicate)

	jobs, err := client.JobList(ctx, river.NewJobListParams().Kinds(razorpayriver.Kind).First(100))
	require.NoError(t, err)
	assert.Len(t, jobs.Jobs, 5)
}

// The caller's options reach the jobs, but not its UniqueOpts.
func TestInsertChargesCallerOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := razorpaytest.NewTestServer(t)
	client := newClient(t, openSQLite(t), razorpayriver.NewChargeWorker(srv.Client()))

	res, err := razorpayriver.InsertCharges(ctx, client, bills(t, srv, 2, "opts"),
		&river.InsertOpts{Priority: 2, Tags: []string{"billing"}, UniqueOpts: river.UniqueOpts{ByQueue: true}})

	require.NoError(t, err)
	require.Equal(t, 2, res.Inserted)
	jobs, err := client.JobList(ctx, river.NewJobListParams().Kinds(razorpayriver.Kind).First(100))
	require.NoError(t, err)
	require.Len(t, jobs.Jobs, 2)
	for _, j := range jobs.Jobs {
		assert.Equal(t, 2, j.Priority)
		assert.Equal(t, []string{"billing"}, j.Tags)
		assert.Equal(t, razorpayriver.Queue, j.Queue, "the caller named no queue")
	}

	// The caller's queue overrides Queue.
	res, err = razorpayriver.InsertCharges(ctx, client, bills(t, srv, 1, "opts-queue"), &river.InsertOpts{Queue: "billing_eu"})
	require.NoError(t, err)
	require.Equal(t, 1, res.Inserted)
	assert.Equal(t, "billing_eu", res.Jobs[0].Job.Queue)
}

// InsertChargesTx queues the bills in the caller's transaction: they are
// rolled back with it, and committed with it.
func TestInsertChargesTx(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := razorpaytest.NewTestServer(t)
	db, driver := openSQLiteDB(t)
	client := newClient(t, driver, razorpayriver.NewChargeWorker(srv.Client()))
	_, err := db.ExecContext(ctx, `CREATE TABLE invoice (receipt TEXT PRIMARY KEY)`)
	require.NoError(t, err)
	batch := bills(t, srv, 3, "tx")
	billInTx := func(commit bool) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback() }()
		for _, b := range batch {
			_, err := tx.ExecContext(ctx, `INSERT INTO invoice (receipt) VALUES (?)`, b.Receipt)
			require.NoError(t, err)
		}
		res, err := razorpayriver.InsertChargesTx(ctx, client, tx, batch, &river.InsertOpts{Priority: 3})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Inserted)
		inTx, err := client.JobListTx(ctx, tx, river.NewJobListParams().Kinds(razorpayriver.Kind).First(100))
		require.NoError(t, err)
		assert.Len(t, inTx.Jobs, 3, "the jobs are in the transaction")
		if commit {
			require.NoError(t, tx.Commit())
		}
	}
	count := func() (invoices, jobs int) {
		t.Helper()
		require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FROM invoice`).Scan(&invoices))
		list, err := client.JobList(ctx, river.NewJobListParams().Kinds(razorpayriver.Kind).First(100))
		require.NoError(t, err)
		for _, j := range list.Jobs {
			assert.Equal(t, 3, j.Priority)
		}
		return invoices, len(list.Jobs)
	}

	billInTx(false)
	invoices, jobs := count()
	assert.Equal(t, 0, invoices)
	assert.Equal(t, 0, jobs, "the jobs were rolled back with the invoices")

	billInTx(true)
	invoices, jobs = count()
	assert.Equal(t, 3, invoices)
	assert.Equal(t, 3, jobs, "the jobs were committed with the invoices")
}

func TestInsertChargesRefusesInvalidBillsAndInsertsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := razorpaytest.NewTestServer(t)
	client := newClient(t, openSQLite(t), razorpayriver.NewChargeWorker(srv.Client()))
	batch := bills(t, srv, 3, "inv")
	batch[2].Receipt = ""

	_, err := razorpayriver.InsertCharges(ctx, client, batch, nil)

	require.ErrorIs(t, err, razorpay.ErrInvalidParams)
	assert.Contains(t, err.Error(), "bill 2")
	jobs, err := client.JobList(ctx, river.NewJobListParams().First(100))
	require.NoError(t, err)
	assert.Empty(t, jobs.Jobs)
}

// A small billing run on SQLite, end to end: every bill is worked once,
// charged once, and its output names its payment.
func TestBillingRunOnSQLite(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := razorpaytest.NewTestServer(t)
	client := newClient(t, openSQLite(t), razorpayriver.NewChargeWorker(srv.Client()))
	batch := bills(t, srv, 20, "run")
	done, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()

	res, err := razorpayriver.InsertCharges(ctx, client, batch, nil)
	require.NoError(t, err)
	require.Equal(t, 20, res.Inserted)
	require.NoError(t, client.Start(ctx))
	defer func() { require.NoError(t, client.Stop(context.Background())) }()
	for range 20 {
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatal("the run did not finish in time")
		}
	}

	jobs, err := client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted).First(100))
	require.NoError(t, err)
	require.Len(t, jobs.Jobs, 20)
	for _, j := range jobs.Jobs {
		out := output(t, j)
		assert.Equal(t, razorpayriver.OutcomeCharged, out.Outcome)
		live := livePayments(srv, out.Receipt)
		require.Len(t, live, 1, "receipt %s", out.Receipt)
		assert.Equal(t, live[0].ID, out.PaymentID)
	}
	assert.Len(t, srv.Payments(), 20+20) // 20 authorization payments, 20 charges
}
