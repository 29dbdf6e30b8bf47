package razorpayriver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The monthly periodic job queues each bill of the month once: run by the
// leader at start, run again (a retry, a subscription added later in the
// month), inserted again (a new leader) or after River deleted the month's
// job, it never queues a bill twice, and each bill is charged once.
func TestMonthlyBillingInsertsEachBillOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := razorpaytest.NewTestServer(t)
	db, err := openBillingDB(ctx, t.TempDir())
	require.NoError(t, err)
	defer func() { _ = db.Close() }()
	for _, id := range []string{"sub_1", "sub_2", "sub_3", "sub_off"} {
		require.NoError(t, addSubscription(ctx, db, srv, id))
	}
	_, err = db.ExecContext(ctx, `UPDATE subscriptions SET active = 0 WHERE id = 'sub_off'`)
	require.NoError(t, err)
	month := time.Now().UTC().Format("2006-01")

	client, err := newBillingClient(db, srv)
	require.NoError(t, err)
	completed, stop := client.Subscribe(river.EventKindJobCompleted)
	defer stop()
	// wait returns the month's job's id once it has completed and n bills
	// have been charged.
	wait := func(n int) int64 {
		t.Helper()
		var monthJob int64
		for charged := 0; charged < n || monthJob == 0; {
			select {
			case ev := <-completed:
				switch ev.Job.Kind {
				case razorpayriver.Kind:
					charged++
				case monthArgs{}.Kind():
					monthJob = ev.Job.ID
				}
			case <-ctx.Done():
				t.Fatalf("waiting for the month's job and %d bills", n)
			}
		}
		return monthJob
	}
	require.NoError(t, client.Start(ctx)) // the leader runs the month at once
	defer func() { require.NoError(t, client.Stop(context.Background())) }()
	monthJob := wait(3)

	// A subscription added later in the month, and the month's job run again:
	// only the new bill is queued.
	require.NoError(t, addSubscription(ctx, db, srv, "sub_4"))
	_, err = client.JobRetry(ctx, monthJob)
	require.NoError(t, err)
	assert.Equal(t, monthJob, wait(1))

	// A new leader inserts the month's job again: River keeps one.
	res, err := client.Insert(ctx, monthArgs{Month: month}, nil)
	require.NoError(t, err)
	assert.True(t, res.UniqueSkippedAsDuplicate)

	// River deleted the month's job (its retention): a new one queues nothing.
	_, err = client.JobDelete(ctx, monthJob)
	require.NoError(t, err)
	res, err = client.Insert(ctx, monthArgs{Month: month}, nil)
	require.NoError(t, err)
	require.False(t, res.UniqueSkippedAsDuplicate)
	wait(0)

	var bills int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FROM bills WHERE month = ?`, month).Scan(&bills))
	assert.Equal(t, 4, bills)
	jobs, err := client.JobList(ctx, river.NewJobListParams().Kinds(razorpayriver.Kind).First(100))
	require.NoError(t, err)
	receipts := map[string]int{}
	for _, j := range jobs.Jobs {
		receipts[argsReceipt(t, j.EncodedArgs)]++
	}
	assert.Equal(t, map[string]int{"sub_1-" + month: 1, "sub_2-" + month: 1, "sub_3-" + month: 1, "sub_4-" + month: 1}, receipts)
	for receipt := range receipts {
		assert.Len(t, livePayments(srv, receipt), 1, receipt)
	}
	assert.Len(t, recurringPosts(srv), 4)
	assert.Empty(t, srv.DoubleCharges())
}
