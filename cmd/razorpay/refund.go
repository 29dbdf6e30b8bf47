package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gorzp/razorpay"
)

func refundCommand() *command {
	return &command{
		name:    "refund",
		summary: "refund a captured payment, in part or in full, once per --key",
		usage: `  razorpay refund PAYMENT_ID [--amount PAISE] [--key KEY] [--speed normal|optimum]
        [--receipt R] [--json]

Refunds --amount paise of the payment (default: all that is not yet
refunded). --key is the refund's idempotency key (10 to 64 letters, digits,
'-' and '_'), such as refund-sub_42-2026-11-1 for the first refund of the
bill sub_42-2026-11: running the same command again with the same key (after
a crash, a timeout, or by mistake) never refunds twice; it prints the refund
of the first run and says so. Without --key every run is a new refund.

Exit codes:
  0  refunded (or refunded already, with this --key)
  1  refused (not captured, more than is left, the key used for another refund)
  2  bad flags
  3  the outcome is unknown: run the same command again with the same --key
`,
		run: runRefund,
	}
}

// refundJSON is the --json document of refund.
type refundJSON struct {
	Refund *razorpay.Refund `json:"refund"`
	// Repeated is true when the key's refund existed before this run.
	Repeated bool `json:"repeated"`
}

func runRefund(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	var p razorpay.RefundCreateParams
	fs.Int64Var(&p.Amount, "amount", 0, "amount in paise (default: all that is not yet refunded)")
	fs.StringVar(&p.IdempotencyKey, "key", "", "the refund's idempotency key, such as refund-sub_42-2026-11-1")
	speed := fs.String("speed", "", "normal (the default) or optimum (instant where the bank allows)")
	fs.StringVar(&p.Receipt, "receipt", "", "your reference for the refund, at most 40 characters")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	paymentID := pos[0]
	p.Speed = razorpay.RefundSpeed(*speed)
	if err := p.Validate(); err != nil {
		var ve *razorpay.ValidationError
		if errors.As(err, &ve) {
			return usagef("invalid %s: %s", refundFlag(ve.Field), ve.Message)
		}
		return err
	}
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	// With a key, the refunds made before this run tell a rerun from a new
	// refund.
	var before []string
	if p.IdempotencyKey != "" {
		if before, err = refundIDs(ctx, client, paymentID); err != nil {
			return err
		}
	}
	r, err := client.Payment.Refund(ctx, paymentID, &p)
	switch {
	case errors.Is(err, razorpay.ErrOutcomeUnknown):
		again := "with --key " + p.IdempotencyKey
		if p.IdempotencyKey == "" {
			again = "with --key set to the IdempotencyKey named above"
		}
		fmt.Fprintf(a.stderr, "razorpay %s: %v\nThe refund may have been made: run the same command again %s (and the same --amount, --speed and --receipt) to get it; never without it.\n", c.name, err, again)
		return exitError(exitUnknown)
	case err != nil:
		return err
	}
	repeated := slices.Contains(before, r.ID)
	if fs.json {
		return printJSON(a.stdout, refundJSON{Refund: r, Repeated: repeated})
	}
	if repeated {
		fmt.Fprintf(a.stdout, "Already refunded with key %s: %s (this run refunded nothing more).\n", p.IdempotencyKey, r.ID)
	} else {
		fmt.Fprintf(a.stdout, "Refunded %s of %s: %s.\n", money(r.Amount, r.Currency), r.PaymentID, r.ID)
	}
	rows := refundFields(r)
	if p.IdempotencyKey != "" {
		rows = append(rows, [2]string{"key", p.IdempotencyKey})
	}
	return printFields(a.stdout, rows)
}

// refundFlag turns a field of RefundCreateParams into its flag.
func refundFlag(field string) string {
	switch field {
	case "idempotency_key":
		return "--key"
	case "amount", "speed", "receipt":
		return "--" + field
	}
	return field
}

// refundIDs returns the ids of every refund of the payment.
func refundIDs(ctx context.Context, client *razorpay.Client, paymentID string) ([]string, error) {
	refunds, err := allRefunds(ctx, client, paymentID)
	ids := make([]string, len(refunds))
	for i, r := range refunds {
		ids[i] = r.ID
	}
	return ids, err
}

// allRefunds returns every refund of the payment, newest first.
func allRefunds(ctx context.Context, client *razorpay.Client, paymentID string) ([]razorpay.Refund, error) {
	var out []razorpay.Refund
	page := razorpay.ListParams{Count: razorpay.MaxListCount}
	for {
		l, err := client.Payment.Refunds(ctx, paymentID, &page)
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if len(l.Items) < page.Count {
			return out, nil
		}
		page.Skip += len(l.Items)
	}
}

// refundFields are the rows of one refund, for a key/value table.
func refundFields(r *razorpay.Refund) [][2]string {
	speed := string(r.SpeedRequested)
	if r.SpeedProcessed != "" && r.SpeedProcessed != r.SpeedRequested {
		speed += " (went " + string(r.SpeedProcessed) + ")"
	}
	return [][2]string{
		{"id", r.ID},
		{"status", string(r.Status)},
		{"amount", money(r.Amount, r.Currency)},
		{"payment", r.PaymentID},
		{"speed", speed},
		{"receipt", r.Receipt},
		{"arn", r.AcquirerData.ARN},
		{"created", when(r.CreatedAt)},
	}
}

// runPaymentRefunds is 'payments refunds PAYMENT_ID': the payment's
// refunds, newest first, under a line that sums them up.
func runPaymentRefunds(ctx context.Context, a *app, fs *flags, paymentID string) error {
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	p, err := client.Payment.Fetch(ctx, paymentID)
	if err != nil {
		return err
	}
	refunds, err := allRefunds(ctx, client, paymentID)
	if err != nil {
		return err
	}
	if fs.json {
		if refunds == nil {
			refunds = []razorpay.Refund{}
		}
		return printJSON(a.stdout, refunds)
	}
	state := p.RefundStatus
	if state == "" {
		state = "none"
	}
	fmt.Fprintf(a.stdout, "Payment %s (%s): %s of %s refunded (%s).\n", p.ID, p.Status, money(p.AmountRefunded, p.Currency), money(p.Amount, p.Currency), state)
	if len(refunds) == 0 {
		return nil
	}
	t := newTable(a.stdout, "REFUND", "STATUS", "AMOUNT", "SPEED", "RECEIPT", "ARN", "CREATED")
	for _, r := range refunds {
		t.row(r.ID, string(r.Status), money(r.Amount, r.Currency), string(r.SpeedRequested), r.Receipt, r.AcquirerData.ARN, when(r.CreatedAt))
	}
	return t.flush()
}
