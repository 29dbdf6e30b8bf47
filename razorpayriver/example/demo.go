package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river/riverdriver"
)

// demo runs n bills against the embedded fake on DATABASE_URL (a temporary
// SQLite file by default) with one River client working `workers` at once.
func demo(ctx context.Context, n, workers int) error {
	db, err := openDatabase(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer db.close()
	// The bank takes a moment to confirm each debit: payments stay created
	// (pending) for demoBankDelay before they are captured.
	srv := razorpaytest.NewServer(razorpaytest.WithRecurringDelay(demoBankDelay))
	defer srv.Close()
	fmt.Printf("billing run: %d bills, River on %s, Razorpay: the embedded fake at %s\n", n, db.name, srv.URL)
	if db.pg != nil {
		return demoOn(ctx, db.pg, srv, n, workers)
	}
	return demoOn(ctx, db.lite, srv, n, workers)
}

// demoBankDelay is how long the demo's bank takes to confirm a debit.
const demoBankDelay = 2 * time.Second

// declinedOnce reports whether the demo's bank declines the first try of
// bill i (the card is then tried again on the dunning schedule).
func declinedOnce(i int) bool { return i%50 == 11 || i%50 == 37 }

func demoOn[TTx any](ctx context.Context, d riverdriver.Driver[TTx], srv *razorpaytest.Server, n, workers int) error {
	prefix := fmt.Sprintf("bill-%d", time.Now().UnixNano()/1e6)
	bills := make([]razorpayriver.ChargeArgs, n)
	for i := range bills {
		maxAmount := int64(500_000)
		if i%50 == 7 {
			maxAmount = 10_000 // this bill is above its mandate's maximum: refused
		}
		m, err := srv.NewMandate(ctx, maxAmount)
		if err != nil {
			return err
		}
		if i%50 == 23 { // the card holder cancelled this mandate
			if err := srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringStatusCancelled); err != nil {
				return err
			}
		}
		bills[i] = razorpayriver.ChargeArgs{
			CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 29_900, Currency: "INR",
			Receipt: fmt.Sprintf("%s-%d", prefix, i), Email: m.Email, Contact: m.Contact, Description: "Monthly plan",
		}
	}
	// Some answers to payment requests are lost after Razorpay charged, some
	// requests are throttled.
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing, Times: max(n/30, 1)})
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/orders", Status: http.StatusTooManyRequests,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests"), Times: max(n/30, 1)})

	// The fake answers at once: a request cannot take long, nor can a
	// payment request take long to land. The bank's answers are checked
	// every half second, and a declined card is tried again a second later.
	rzp := srv.Client(razorpay.WithTimeout(time.Second), razorpay.WithChargeSettleWindow(6*time.Second))
	client, err := newClient(d, rzp, workConfig{workers: workers, rescueAfter: time.Hour,
		pendingCheck: 500 * time.Millisecond, dunning: []time.Duration{time.Second, time.Second},
		logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	res, err := razorpayriver.InsertCharges(ctx, client, bills, nil)
	if err != nil {
		return err
	}
	again, err := razorpayriver.InsertCharges(ctx, client, bills[:n/2], nil)
	if err != nil {
		return err
	}
	fmt.Printf("queued %d bills; inserting %d of them again queued %d (%d duplicates collapsed)\n", res.Inserted, n/2, again.Inserted, again.Duplicates)

	start := time.Now()
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	}()
	tty := isTerminal(os.Stdout)
	deadline := time.Now().Add(3 * time.Minute)
	var r *report
	var lastLine time.Time
	declined := map[string]bool{}
	for {
		// The bank declines the first payment of some bills.
		for i := range bills {
			receipt := bills[i].Receipt
			if !declinedOnce(i) || declined[receipt] {
				continue
			}
			if ps := srv.ReceiptPayments(receipt); len(ps) > 0 && ps[0].Status == razorpay.PaymentStatusCreated {
				if err := srv.FailPayment(ps[0].ID, "Insufficient funds"); err != nil {
					return err
				}
				declined[receipt] = true
			}
		}
		r, err = inspectClient(ctx, client, nil, prefix)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%5.1fs  %d/%d done: %d charged, %d not charged, %d for a person; %d pending, %d dunning, %d in progress",
			time.Since(start).Seconds(), r.jobs-r.open(), r.jobs, r.charged, r.notCharged, r.person, r.pending, r.dunning, r.inProgress)
		switch {
		case tty:
			fmt.Printf("\r%-110s", line)
		case time.Since(lastLine) >= time.Second || r.open() == 0:
			fmt.Println(line)
			lastLine = time.Now()
		}
		if r.open() == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if tty {
		fmt.Println()
	}
	elapsed := time.Since(start)
	r, err = inspectClient(ctx, client, rzp, prefix)
	if err != nil {
		return err
	}
	r.print(os.Stdout)
	fmt.Printf("\n%d bills in %.1fs (%.0f bills/s) with %d workers\n", r.jobs, elapsed.Seconds(), float64(r.jobs)/elapsed.Seconds(), workers)
	switch {
	case r.doubleCharges > 0 || r.lost > 0:
		return fmt.Errorf("%d double charges, %d bills lost", r.doubleCharges, r.lost)
	case r.open() > 0:
		return fmt.Errorf("%d bills still open when the run ended", r.open())
	}
	return nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
