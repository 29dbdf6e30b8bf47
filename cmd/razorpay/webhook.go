package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gorzp/razorpay"
)

func webhookCommand() *command {
	return &command{
		name:    "webhook",
		summary: "check a webhook delivery's signature and print the event",
		usage: `  razorpay webhook verify --secret S --signature SIG [--in body.json] [--json] < body.json

Verifies the X-Razorpay-Signature of a webhook body (the raw bytes, exactly as
received) with the webhook secret (--secret or RAZORPAY_WEBHOOK_SECRET), says
valid or why not, and prints the parsed event. Exit 0 when valid, 1 when not.
`,
		run: runWebhook,
	}
}

// verdict is the JSON of webhook verify.
type verdict struct {
	Valid  bool       `json:"valid"`
	Reason string     `json:"reason,omitempty"`
	Event  *eventJSON `json:"event,omitempty"`
}

// eventJSON is a parsed event with the wire's names.
type eventJSON struct {
	Event razorpay.EventType `json:"event"`
	// IdempotencyKey is what to deduplicate deliveries on (signed content
	// only; see razorpay.WebhookEvent.IdempotencyKey).
	IdempotencyKey string                         `json:"idempotency_key"`
	AccountID      string                         `json:"account_id"`
	Contains       []string                       `json:"contains"`
	CreatedAt      int64                          `json:"created_at"`
	Payment        *razorpay.Payment              `json:"payment,omitempty"`
	Order          *razorpay.Order                `json:"order,omitempty"`
	Invoice        *razorpay.Invoice              `json:"invoice,omitempty"`
	Token          *razorpay.Token                `json:"token,omitempty"`
	Notification   *razorpay.PreDebitNotification `json:"notification,omitempty"`
}

func toEventJSON(ev *razorpay.WebhookEvent) *eventJSON {
	if ev == nil {
		return nil
	}
	return &eventJSON{Event: ev.Event, IdempotencyKey: ev.IdempotencyKey(), AccountID: ev.AccountID, Contains: ev.Contains, CreatedAt: ev.CreatedAt,
		Payment: ev.Payment, Order: ev.Order, Invoice: ev.Invoice, Token: ev.Token, Notification: ev.Notification}
}

func runWebhook(_ context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	jsonOut := fs.Bool("json", false, "print JSON")
	secretFlag := fs.String("secret", "", "the webhook secret (default $RAZORPAY_WEBHOOK_SECRET)")
	signature := fs.String("signature", "", "the X-Razorpay-Signature header")
	in := fs.String("in", "-", "the body (- for stdin)")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	if pos[0] != "verify" {
		return usagef("unknown subcommand %q (want verify)", pos[0])
	}
	secret := a.webhookSecret(*secretFlag)
	if secret == "" {
		return usagef("--secret is required (or set RAZORPAY_WEBHOOK_SECRET)")
	}
	if err := required("--signature", *signature); err != nil {
		return err
	}
	src, closeIn, err := a.input(*in)
	if err != nil {
		return err
	}
	defer closeIn()
	body, err := io.ReadAll(io.LimitReader(src, razorpay.MaxWebhookBodyBytes+1))
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if len(body) > razorpay.MaxWebhookBodyBytes {
		return usagef("the body is larger than %d bytes, more than a webhook carries", razorpay.MaxWebhookBodyBytes)
	}
	ev, err := razorpay.ParseWebhook(body, *signature, secret)
	v := verdict{Valid: err == nil, Event: toEventJSON(ev)}
	if err != nil {
		v.Reason = whyInvalid(err, body)
	}
	if *jsonOut {
		if err := printJSON(a.stdout, v); err != nil {
			return err
		}
	} else if err != nil {
		fmt.Fprintf(a.stdout, "invalid: %s\n", v.Reason)
	} else {
		fmt.Fprintf(a.stdout, "valid: %s\n", ev.Event)
		printFields(a.stdout, eventFields(ev)) //nolint:errcheck // best effort on stdout
	}
	if err != nil {
		return exitError(exitFailed)
	}
	return nil
}

// whyInvalid explains a failed check.
func whyInvalid(err error, body []byte) string {
	switch {
	case errors.Is(err, razorpay.ErrSignatureMismatch):
		msg := "the signature does not match this body and secret: check the secret (the webhook's, not the API key secret) and that the body is the raw bytes as received"
		if n := len(body); n > 0 && body[n-1] == '\n' {
			msg += " (the body ends with a newline: was one added?)"
		}
		return msg
	case errors.Is(err, razorpay.ErrWebhookPayload):
		return "the signature is valid but the body is not a Razorpay webhook event: " + reason(err)
	}
	return reason(err)
}

// eventFields are the rows that describe an event.
func eventFields(ev *razorpay.WebhookEvent) [][2]string {
	rows := [][2]string{
		{"event", string(ev.Event)},
		{"idempotency key", ev.IdempotencyKey()},
		{"account", ev.AccountID},
		{"created", when(ev.CreatedAt)},
		{"contains", strings.Join(ev.Contains, ", ")},
	}
	if p := ev.Payment; p != nil {
		s := fmt.Sprintf("%s %s %s", p.ID, p.Status, money(p.Amount, p.Currency))
		if p.ErrorDescription != "" {
			s += ": " + razorpay.MaskCardNumbers(p.ErrorDescription)
		}
		rows = append(rows, [2]string{"payment", s})
	}
	if o := ev.Order; o != nil {
		rows = append(rows, [2]string{"order", strings.TrimSpace(fmt.Sprintf("%s %s %s %s", o.ID, o.Status, money(o.Amount, o.Currency), o.Receipt))})
	}
	if inv := ev.Invoice; inv != nil {
		rows = append(rows, [2]string{"invoice", fmt.Sprintf("%s %s", inv.ID, inv.Status)})
	}
	if tk := ev.Token; tk != nil {
		s := fmt.Sprintf("%s mandate %s", tk.ID, tk.MandateStatus())
		if r := tk.RecurringDetails.FailureReason; r != "" {
			s += ": " + r
		}
		rows = append(rows, [2]string{"token", s})
	}
	if n := ev.Notification; n != nil {
		rows = append(rows, [2]string{"notification", fmt.Sprintf("%s %s (order %s)", n.ID, n.Status, n.OrderID)})
	}
	return rows
}
