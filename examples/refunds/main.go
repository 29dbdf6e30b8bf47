// Command refunds gives back part of a bill after a mid-month cancellation,
// exactly once, with github.com/gorzp/razorpay.
//
// A customer paid the November bill (receipt sub_42-2026-11, ₹499) on the
// 1st and cancels on the 20th: the 10 unused days of 30 are refunded,
// ₹166.33, rounded down to the paisa. The refund's idempotency key comes
// from what the refund is for, the bill's receipt and the refund's number
// for that bill: "refund-sub_42-2026-11-1". Running the refund again with
// that key, after a crash, a timeout or by mistake, from any process,
// answers the first refund instead of making another; so the job that
// refunds keeps no state of its own.
//
// Without RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET it runs offline, in about
// a second, against razorpaytest, the in-memory fake Razorpay: it charges
// the bill, then its first refund run dies just after Razorpay made the
// refund (the answer never arrives), and the second run, from a fresh
// client with the same key, gets that refund. It ends with a check that the
// bill was refunded once, and exits non-zero otherwise:
//
//	go run ./examples/refunds
//
// With a test-mode key pair it refunds a captured payment of your test
// account the same way, once, however often you run it (the key comes from
// the receipt of the payment's order, or from the payment id):
//
//	RAZORPAY_KEY_ID=rzp_test_... RAZORPAY_KEY_SECRET=... go run ./examples/refunds -payment pay_...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

const (
	billAmount  = 49_900 // paise: ₹499.00
	billReceipt = "sub_42-2026-11"
	daysInBill  = 30
)

func main() {
	paymentID := flag.String("payment", "", "with a test-mode key pair: the captured payment of the bill to refund in part")
	cancelledOn := flag.Int("cancelled-on", 20, "the day of the month the customer cancels (1 to 30)")
	flag.Parse()
	if err := run(os.Stdout, *paymentID, *cancelledOn); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// bill is the payment of the bill to refund, and how to reach Razorpay.
type bill struct {
	paymentID string
	receipt   string
	// client returns a fresh client, as a freshly started process builds.
	client func() *razorpay.Client
	// crash arms the death of the first refund run (kill), if it can.
	crash func(kill context.CancelFunc) bool
	// refunds lists the payment's refunds, as Razorpay reports them.
	refunds func(ctx context.Context) ([]razorpay.Refund, error)
}

func run(out io.Writer, paymentID string, cancelledOn int) error {
	if cancelledOn < 1 || cancelledOn > daysInBill {
		return fmt.Errorf("-cancelled-on must be 1 to %d, got %d", daysInBill, cancelledOn)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var b *bill
	var err error
	if os.Getenv("RAZORPAY_KEY_ID") == "" && os.Getenv("RAZORPAY_KEY_SECRET") == "" {
		var srv *razorpaytest.Server
		srv, b, err = offline(ctx, out)
		if srv != nil {
			defer srv.Close()
		}
	} else {
		b, err = online(ctx, paymentID)
	}
	if err != nil {
		return err
	}
	return refundUnusedDays(ctx, out, b, cancelledOn)
}

// refundUnusedDays refunds the unused days of the bill, once.
func refundUnusedDays(ctx context.Context, out io.Writer, b *bill, cancelledOn int) error {
	p, err := b.client().Payment.Fetch(ctx, b.paymentID)
	if err != nil {
		return fmt.Errorf("read the bill's payment: %w", err)
	}
	if p.Status != razorpay.PaymentStatusCaptured && p.Status != razorpay.PaymentStatusRefunded {
		return fmt.Errorf("payment %s is %s: only a captured payment can be refunded", p.ID, p.Status)
	}
	unused := daysInBill - cancelledOn
	amount := p.Amount * int64(unused) / daysInBill // rounded down to the paisa
	fmt.Fprintf(out, "bill %s: %s, %s, %s\n", b.receipt, p.ID, money(p.Amount, p.Currency), p.Status)
	fmt.Fprintf(out, "the customer cancels on day %d: %d of %d days unused, refund %s\n", cancelledOn, unused, daysInBill, money(amount, p.Currency))
	if amount == 0 {
		fmt.Fprintln(out, "nothing to refund")
		return nil
	}

	// The key names the refund: this bill's first refund. A second refund
	// of the same bill (another cancellation credit) would be "-2".
	key := "refund-" + b.receipt + "-1"
	params := &razorpay.RefundCreateParams{
		Amount:         amount,
		Notes:          razorpay.Notes{"reason": "cancelled mid-month", "unused_days": fmt.Sprint(unused), "refund_key": key},
		IdempotencyKey: key,
	}
	if len(key) <= razorpay.MaxReceiptLength {
		params.Receipt = key
	}
	fmt.Fprintf(out, "refund key %s\n", params.IdempotencyKey)

	// Run 1: the process may die mid-call (offline it does, just after
	// Razorpay made the refund).
	runCtx, kill := context.WithCancel(ctx)
	defer kill()
	if b.crash(kill) {
		_, err := b.client().Payment.Refund(runCtx, p.ID, params)
		switch {
		case errors.Is(err, razorpay.ErrOutcomeUnknown):
			fmt.Fprintf(out, "run 1: died before the answer arrived (%v)\n", shortErr(err))
		case err != nil:
			return fmt.Errorf("run 1: %w", err)
		default:
			fmt.Fprintln(out, "run 1: refunded (it did not die after all)")
		}
	}

	// Run 2, from a fresh client, as the restarted job: the same params
	// and key. Razorpay answers with the refund run 1 made, or makes it
	// now if run 1's request never arrived; either way, once.
	r, err := b.client().Payment.Refund(ctx, p.ID, params)
	if err != nil {
		if errors.Is(err, razorpay.ErrOutcomeUnknown) {
			return fmt.Errorf("run 2: %w (run the example again: the key makes it safe)", err)
		}
		return fmt.Errorf("run 2: %w", err)
	}
	fmt.Fprintf(out, "run 2: %s, %s, %s\n", r.ID, money(r.Amount, r.Currency), r.Status)

	p, err = b.client().Payment.Fetch(ctx, p.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "payment %s: %s of %s refunded (%s), status %s\n", p.ID, money(p.AmountRefunded, p.Currency), money(p.Amount, p.Currency), p.RefundStatus, p.Status)

	// The check: the key made one refund, of the right amount.
	refunds, err := b.refunds(ctx)
	if err != nil {
		return err
	}
	made := 0
	for _, x := range refunds {
		if x.Notes["refund_key"] == key {
			made++
			if x.ID != r.ID || x.Amount != amount {
				return fmt.Errorf("refund %s of %s is not the one run 2 returned", x.ID, money(x.Amount, x.Currency))
			}
		}
	}
	if made != 1 {
		return fmt.Errorf("%d refunds with key %s, want exactly 1", made, key)
	}
	fmt.Fprintf(out, "ok: the bill was refunded once, %s\n", money(amount, p.Currency))
	return nil
}

// offline starts the fake and charges the November bill on a confirmed
// card mandate, on the 1st.
func offline(ctx context.Context, out io.Writer) (*razorpaytest.Server, *bill, error) {
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	srv := razorpaytest.NewServer(razorpaytest.WithClock(func() time.Time { return start }))
	if err := srv.Err(); err != nil {
		return nil, nil, fmt.Errorf("start the fake Razorpay: %w", err)
	}
	fmt.Fprintf(out, "no RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET: on the in-memory fake Razorpay at %s\n", srv.URL)
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		return srv, nil, err
	}
	p, err := srv.Client().Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: billAmount, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: billReceipt, Description: "Gold plan, November",
	})
	if err != nil {
		return srv, nil, fmt.Errorf("charge the bill: %w", err)
	}
	return srv, &bill{
		paymentID: p.ID,
		receipt:   billReceipt,
		client:    func() *razorpay.Client { return srv.Client() },
		// The job dies right after Razorpay made the refund, before the
		// answer arrives.
		crash: func(kill context.CancelFunc) bool {
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/" + p.ID + "/refund",
				Drop: razorpaytest.DropAfterProcessing, Abandon: kill})
			return true
		},
		refunds: func(context.Context) ([]razorpay.Refund, error) { return srv.Refunds(p.ID), nil },
	}, nil
}

// online refunds a captured payment of the test account.
func online(ctx context.Context, paymentID string) (*bill, error) {
	if strings.HasPrefix(strings.TrimSpace(os.Getenv("RAZORPAY_KEY_ID")), "rzp_live_") {
		return nil, errors.New("RAZORPAY_KEY_ID is a live key: this example refunds payments, so use a test-mode key pair (rzp_test_...)")
	}
	if paymentID == "" {
		return nil, errors.New("with a key pair, name the captured payment to refund: -payment pay_... (go run ./examples/billing charges some)")
	}
	opt := razorpay.WithAppInfo("gorzp-example-refunds", razorpay.Version)
	c, err := razorpay.NewClientFromEnv(opt)
	if err != nil {
		return nil, err
	}
	p, err := c.Payment.Fetch(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	// The bill's identity is the receipt of the payment's order; a payment
	// without one is named by its own id.
	receipt := p.ID
	if p.OrderID != "" {
		o, err := c.Order.Fetch(ctx, p.OrderID)
		if err != nil {
			return nil, err
		}
		usable := (&razorpay.RefundCreateParams{IdempotencyKey: "refund-" + o.Receipt + "-1"}).Validate() == nil
		if o.Receipt != "" && usable { // a key is letters, digits, '-' and '_'
			receipt = o.Receipt
		}
	}
	return &bill{
		paymentID: p.ID,
		receipt:   receipt,
		client: func() *razorpay.Client {
			c, _ := razorpay.NewClientFromEnv(opt) // checked above
			return c
		},
		crash: func(context.CancelFunc) bool { return false }, // no crash on a real account
		refunds: func(ctx context.Context) ([]razorpay.Refund, error) {
			l, err := c.Payment.Refunds(ctx, p.ID, &razorpay.ListParams{Count: razorpay.MaxListCount})
			if err != nil {
				return nil, err
			}
			return l.Items, nil
		},
	}, nil
}

// money formats paise: 16633 INR is "₹166.33" for INR, "166.33 USD" otherwise.
func money(amount int64, currency string) string {
	s := fmt.Sprintf("%d.%02d", amount/100, amount%100)
	if currency == "INR" {
		return "₹" + s
	}
	return s + " " + currency
}

// shortErr is the first clause of an error, for one line of output.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, " (the refund may"); i > 0 {
		return s[:i]
	}
	return s
}
