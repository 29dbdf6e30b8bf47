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
}

// Inserting the same receipts again, or twice in one batch, or one at a
// time with other args, keeps one job per receipt.
func TestInsertChargesDuplicatesCollapse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := razorpaytest.NewServer()
	defer srv.Close()
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

func TestInsertChargesRefusesInvalidBillsAndInsertsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := razorpaytest.NewServer()
	defer srv.Close()
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
	srv := razorpaytest.NewServer()
	defer srv.Close()
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
