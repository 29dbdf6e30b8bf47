package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
	"golang.org/x/sync/errgroup"
)

// insert makes n demo mandates on the fake Razorpay at RAZORPAY_BASE_URL
// and queues one bill for each, with receipts prefix-0 ... prefix-(n-1).
func insert[TTx any](ctx context.Context, d riverdriver.Driver[TTx], rzp *razorpay.Client, n int, prefix string) error {
	base := os.Getenv("RAZORPAY_BASE_URL")
	if base == "" {
		return fmt.Errorf("insert makes demo mandates on the fake: set RAZORPAY_BASE_URL to its URL (go run ../cmd/razorpay-fake)")
	}
	bills, err := fakeBills(ctx, rzp, base, n, prefix)
	if err != nil {
		return err
	}
	client, err := newClient(d, nil, workConfig{})
	if err != nil {
		return err
	}
	res, err := razorpayriver.InsertCharges(ctx, client, bills, nil)
	if err != nil {
		return err
	}
	fmt.Printf("prefix %s: %d bills queued, %d duplicates skipped\n", prefix, res.Inserted, res.Duplicates)
	return nil
}

// fakeBills makes n customers with a confirmed card mandate on the fake at
// base, through the API and the fake's card-holder page, and returns a bill
// of ₹299 for each.
func fakeBills(ctx context.Context, rzp *razorpay.Client, base string, n int, prefix string) ([]razorpayriver.ChargeArgs, error) {
	bills := make([]razorpayriver.ChargeArgs, n)
	seed := time.Now().UnixNano() / 1000
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := range bills {
		g.Go(func() error {
			cust, err := rzp.Customer.Create(gctx, &razorpay.CustomerCreateParams{
				Name:    fmt.Sprintf("Subscriber %d", i),
				Email:   fmt.Sprintf("%s-%d@example.com", strings.ToLower(prefix), i),
				Contact: fmt.Sprintf("+917%09d", (seed+int64(i))%1_000_000_000),
			})
			if err != nil {
				return err
			}
			order, err := rzp.Order.Create(gctx, &razorpay.OrderCreateParams{
				Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
				Token: &razorpay.OrderTokenParams{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
			})
			if err != nil {
				return err
			}
			// The card holder approves the mandate on the fake's hosted page.
			req, err := http.NewRequestWithContext(gctx, http.MethodPost, base+"/i/"+url.PathEscape(order.ID)+"/authorize", nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("approve mandate %s: %s", order.ID, resp.Status)
			}
			tokens, err := rzp.Token.List(gctx, cust.ID)
			if err != nil {
				return err
			}
			if len(tokens.Items) == 0 {
				return fmt.Errorf("customer %s has no token after approval", cust.ID)
			}
			bills[i] = razorpayriver.ChargeArgs{
				CustomerID: cust.ID, TokenID: tokens.Items[0].ID, Amount: 29_900, Currency: "INR",
				Receipt: fmt.Sprintf("%s-%d", prefix, i), Email: cust.Email, Contact: cust.Contact,
				Description: "Monthly plan",
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("make mandates: %w", err)
	}
	return bills, nil
}

// report is the state of a billing run: River's jobs and what Razorpay holds.
type report struct {
	jobs int
	// Settled: the worker is done with these bills.
	charged    int // captured
	refunded   int // charged, then refunded in full
	notCharged int // declined for good: a final decline, or the dunning schedule done
	person     int // cancelled: a person must look (conflict, invalid, unreadable, pending too long)
	// Open: the worker comes back to these bills.
	pending    int // a payment waiting for the bank, checked again
	dunning    int // declined, the card is tried again on the schedule
	inProgress int // running, snoozed for a payment in flight or a rate limit, retrying
	rescued    int // jobs run again after their worker died

	verified      bool // against Razorpay
	doubleCharges int  // receipts with more than one live payment
	lost          int  // bills charged or pending per River with no live payment at Razorpay
	missing       int  // bills with a live payment at Razorpay whose job does not say so
}

// open is the number of bills the worker still comes back to.
func (r *report) open() int { return r.pending + r.dunning + r.inProgress }

// inspect reads the run's jobs (receipts starting with prefix+"-") from River
// and, with rzp, checks them against Razorpay.
func inspect[TTx any](ctx context.Context, d riverdriver.Driver[TTx], rzp *razorpay.Client, prefix string) (*report, error) {
	client, err := newClient(d, nil, workConfig{})
	if err != nil {
		return nil, err
	}
	return inspectClient(ctx, client, rzp, prefix)
}

func inspectClient[TTx any](ctx context.Context, client *river.Client[TTx], rzp *razorpay.Client, prefix string) (*report, error) {
	r := &report{}
	outcomes := map[string]razorpayriver.ChargeOutput{}
	var oldest time.Time
	params := river.NewJobListParams().Kinds(razorpayriver.Kind).First(1000)
	for {
		res, err := client.JobList(ctx, params)
		if err != nil {
			return nil, err
		}
		for _, j := range res.Jobs {
			var args razorpayriver.ChargeArgs
			if json.Unmarshal(j.EncodedArgs, &args) != nil || !strings.HasPrefix(args.Receipt, prefix+"-") {
				continue
			}
			r.jobs++
			if oldest.IsZero() || j.CreatedAt.Before(oldest) {
				oldest = j.CreatedAt
			}
			for _, e := range j.Errors {
				if strings.Contains(e.Error, "Stuck job rescued") {
					r.rescued++
					break
				}
			}
			var out razorpayriver.ChargeOutput
			if o := j.Output(); o != nil {
				_ = json.Unmarshal(o, &out)
			}
			if out.Outcome == razorpay.OutcomeCharged || out.Outcome == razorpay.OutcomePending {
				outcomes[args.Receipt] = out // a live payment at Razorpay
			}
			switch {
			case j.State == rivertype.JobStateCancelled:
				r.person++
			case j.State != rivertype.JobStateCompleted && out.Action == razorpayriver.ActionSnooze && out.Outcome == razorpay.OutcomePending:
				r.pending++
			case j.State != rivertype.JobStateCompleted && out.Action == razorpayriver.ActionSnooze && out.Outcome == razorpay.OutcomeNotCharged:
				r.dunning++
			case j.State != rivertype.JobStateCompleted:
				r.inProgress++
			case out.Outcome == razorpay.OutcomeCharged:
				r.charged++
			case out.Outcome == razorpay.OutcomeRefunded:
				r.refunded++
			case out.Outcome == razorpay.OutcomeNotCharged:
				r.notCharged++
			default: // completed by OnSettled for a person
				r.person++
			}
		}
		if len(res.Jobs) == 0 || res.LastCursor == nil {
			break
		}
		params = params.After(res.LastCursor)
	}
	if rzp == nil {
		return r, nil
	}

	// Every order of the run at Razorpay, with its payments.
	live := map[string][]string{}
	from := oldest.Add(-time.Hour).Unix()
	for o, err := range rzp.Order.All(ctx, &razorpay.OrderListParams{
		ListParams: razorpay.ListParams{From: max(from, 0)},
		Expand:     []string{razorpay.ExpandPayments},
	}) {
		if err != nil {
			return nil, fmt.Errorf("verify against Razorpay: %w", err)
		}
		if !strings.HasPrefix(o.Receipt, prefix+"-") || o.Payments == nil {
			continue
		}
		for _, p := range o.Payments.Items {
			if p.Status != razorpay.PaymentStatusFailed && p.Status != razorpay.PaymentStatusRefunded {
				live[o.Receipt] = append(live[o.Receipt], p.ID)
			}
		}
	}
	r.verified = true
	for receipt, ids := range live {
		if len(ids) > 1 {
			r.doubleCharges++
		}
		if _, ok := outcomes[receipt]; !ok {
			r.missing++
		}
	}
	for receipt := range outcomes {
		if len(live[receipt]) == 0 {
			r.lost++
		}
	}
	return r, nil
}

func (r *report) print(w io.Writer) {
	line := func(label string, n int) { fmt.Fprintf(w, "%-44s %6d\n", label, n) }
	fmt.Fprintln(w)
	line("bills (jobs)", r.jobs)
	line("charged (captured)", r.charged)
	line("refunded", r.refunded)
	line("not charged (final decline or dunning done)", r.notCharged)
	line("for a person (cancelled: see the output)", r.person)
	line("pending (at the bank, checked again)", r.pending)
	line("dunning (declined, tried again later)", r.dunning)
	line("in progress (running, snoozed, retrying)", r.inProgress)
	line("jobs rescued after their worker died", r.rescued)
	if r.verified {
		line("double charges (verified at Razorpay)", r.doubleCharges)
		line("charged per River, no payment found", r.lost)
		line("payments whose job does not say so", r.missing)
	}
}
