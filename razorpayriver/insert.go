package razorpayriver

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// InsertResult is what InsertCharges did with a batch of bills.
type InsertResult struct {
	// Inserted is the number of new jobs.
	Inserted int
	// Duplicates is the number of bills skipped because a job for their
	// receipt already existed, or because the batch held the receipt twice.
	Duplicates int
	// Jobs are River's results for the bills sent to River, in batch order
	// (without the repeats within the batch).
	Jobs []*rivertype.JobInsertResult
}

// InsertCharges queues a batch of bills as ChargeArgs jobs in one
// transaction (Client.InsertMany), with ChargeArgs.InsertOpts merged with
// opts (which may be nil; its UniqueOpts are ignored, so that one receipt
// keeps one job). Every bill is validated first (razorpay.ChargeParams
// Validate); if one is invalid, nothing is inserted and the error, which
// matches razorpay.ErrInvalidParams, names the bill. A receipt that appears
// twice in the batch is inserted once.
func InsertCharges[TTx any](ctx context.Context, client *river.Client[TTx], bills []ChargeArgs, opts *river.InsertOpts) (*InsertResult, error) {
	return insertCharges(bills, opts, func(params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
		return client.InsertMany(ctx, params)
	})
}

// InsertChargesTx is InsertCharges within the caller's transaction, so that
// the bills are queued atomically with the application's own changes (for
// example, marking the invoices as billed).
func InsertChargesTx[TTx any](ctx context.Context, client *river.Client[TTx], tx TTx, bills []ChargeArgs, opts *river.InsertOpts) (*InsertResult, error) {
	return insertCharges(bills, opts, func(params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
		return client.InsertManyTx(ctx, tx, params)
	})
}

// insertCharges is the body of InsertCharges and InsertChargesTx: insert
// sends the jobs to River.
func insertCharges(bills []ChargeArgs, opts *river.InsertOpts, insert func([]river.InsertManyParams) ([]*rivertype.JobInsertResult, error)) (*InsertResult, error) {
	params, repeats, err := insertParams(bills, opts)
	if err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return &InsertResult{Duplicates: repeats}, nil
	}
	res, err := insert(params)
	if err != nil {
		return nil, fmt.Errorf("razorpayriver: insert %d bills: %w", len(params), err)
	}
	return summarize(res, repeats), nil
}

func insertParams(bills []ChargeArgs, opts *river.InsertOpts) ([]river.InsertManyParams, int, error) {
	var o *river.InsertOpts
	if opts != nil {
		c := *opts
		c.UniqueOpts = ChargeArgs{}.InsertOpts().UniqueOpts
		o = &c
	}
	seen := make(map[string]bool, len(bills))
	params := make([]river.InsertManyParams, 0, len(bills))
	repeats := 0
	for i, b := range bills {
		if err := b.Params().Validate(); err != nil {
			return nil, 0, fmt.Errorf("razorpayriver: bill %d (receipt %q): %w", i, b.Receipt, err)
		}
		if seen[b.Receipt] {
			repeats++
			continue
		}
		seen[b.Receipt] = true
		params = append(params, river.InsertManyParams{Args: b, InsertOpts: o})
	}
	return params, repeats, nil
}

func summarize(res []*rivertype.JobInsertResult, repeats int) *InsertResult {
	r := &InsertResult{Duplicates: repeats, Jobs: res}
	for _, j := range res {
		if j.UniqueSkippedAsDuplicate {
			r.Duplicates++
		} else {
			r.Inserted++
		}
	}
	return r
}
