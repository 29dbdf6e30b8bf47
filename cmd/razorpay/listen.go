package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorzp/razorpay/cmd/internal/fakeserve"
	"github.com/gorzp/razorpay/razorpaytest"
)

func listenCommand() *command {
	return &command{
		name:    "listen",
		summary: "run the fake and forward every webhook it raises to a local endpoint",
		usage: `  razorpay listen --forward-to URL [--secret S] [--addr 127.0.0.1:8080] [--seed N] [--recurring-delay D] [--json]

Runs the fake Razorpay (like 'razorpay fake') and posts every webhook it
raises, signed with the webhook secret (--secret or RAZORPAY_WEBHOOK_SECRET),
to your endpoint, redelivering on failure as Razorpay does. Point your app at
the fake (the printed RAZORPAY_BASE_URL and keys), use it, and watch one line
per delivery attempt: the time, the event, the entity it is about (payment,
order, token, invoice or notification id), the event id and your endpoint's
answer. 'razorpay trigger EVENT' raises an event in it. --json prints JSON
lines. Ctrl-C stops.
`,
		run: runListen,
	}
}

// deliveryJSON is one delivery attempt, as --json prints it.
type deliveryJSON struct {
	Time       string `json:"time"`
	EventID    string `json:"event_id"`
	Event      string `json:"event"`
	EntityID   string `json:"entity_id,omitempty"`
	Attempt    int    `json:"attempt"`
	StatusCode int    `json:"status_code,omitempty"`
	Error      string `json:"error,omitempty"`
	Delivered  bool   `json:"delivered"`
	Done       bool   `json:"done"`
}

func toDeliveryJSON(at time.Time, d razorpaytest.WebhookDelivery) deliveryJSON {
	return deliveryJSON{Time: at.UTC().Format(time.RFC3339), EventID: d.EventID, Event: string(d.Event), EntityID: entityID(string(d.Event), d.Body),
		Attempt: d.Attempts, StatusCode: d.StatusCode, Error: d.Err, Delivered: d.Delivered, Done: d.Done}
}

// deliveryLine is one delivery attempt, for people: time, event, entity,
// event id and the endpoint's answer.
func deliveryLine(at time.Time, d razorpaytest.WebhookDelivery) string {
	answer := fmt.Sprintf("%d %s", d.StatusCode, http.StatusText(d.StatusCode))
	if d.StatusCode == 0 {
		answer = "no answer: " + d.Err
	}
	s := fmt.Sprintf("%s  %-30s %-22s %s  -> %s", at.UTC().Format("15:04:05"), d.Event, entityID(string(d.Event), d.Body), d.EventID, answer)
	switch {
	case d.Delivered:
	case d.Done:
		s += fmt.Sprintf(" (attempt %d, giving up)", d.Attempts)
	default:
		s += fmt.Sprintf(" (attempt %d, redelivering)", d.Attempts)
	}
	return s
}

// entityID is the id of what an event is about: the payment of payment.*,
// the order of order.paid, the token of token.*, the invoice of invoice.*,
// the notification of order.notification.*; "" when the body does not say.
func entityID(event string, body []byte) string {
	name, _, _ := strings.Cut(event, ".")
	switch {
	case event == "order.paid":
		name = "order"
	case strings.HasPrefix(event, "order.notification."):
		name = "notification"
	}
	var env struct {
		Payload map[string]struct {
			Entity struct {
				ID string `json:"id"`
			} `json:"entity"`
		} `json:"payload"`
	}
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	return env.Payload[name].Entity.ID
}

func runListen(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	var cfg fakeserve.Config
	fs.StringVar(&cfg.Addr, "addr", fakeserve.DefaultAddr, "address to listen on")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "make the fake's ids reproducible (0: random)")
	fs.DurationVar(&cfg.RecurringDelay, "recurring-delay", 0, "keep recurring payments pending at the bank this long on the fake's clock")
	fs.StringVar(&cfg.WebhookURL, "forward-to", "", "your webhook endpoint, such as http://localhost:4242/webhook")
	fs.StringVar(&cfg.WebhookSecret, "secret", "", "the webhook secret (default $RAZORPAY_WEBHOOK_SECRET)")
	jsonOut := fs.Bool("json", false, "print JSON lines")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := required("--forward-to", cfg.WebhookURL); err != nil {
		return err
	}
	if cfg.WebhookSecret = a.webhookSecret(cfg.WebhookSecret); cfg.WebhookSecret == "" {
		return usagef("--secret is required (or set RAZORPAY_WEBHOOK_SECRET): your endpoint verifies with it")
	}
	if err := cfg.Check(a.env); err != nil {
		return usagef("%v", err)
	}
	srv, err := fakeserve.Start(cfg)
	var ae *fakeserve.AddrError
	if errors.As(err, &ae) {
		return usagef("%v", err)
	} else if err != nil {
		return err
	}
	defer srv.Close()
	if !*jsonOut {
		fakeserve.Banner(a.stdout, "razorpay fake", srv, cfg)
		fmt.Fprintf(a.stdout, "Forwarding webhooks to %s. Press Ctrl-C to stop.\n", cfg.WebhookURL)
	}
	seen := map[int]int{} // delivery index -> attempts printed
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for {
		for i, d := range srv.Webhooks() {
			if d.Attempts == 0 || d.Attempts == seen[i] {
				continue
			}
			seen[i] = d.Attempts
			if *jsonOut {
				if err := printJSONLine(a.stdout, toDeliveryJSON(a.now(), d)); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(a.stdout, deliveryLine(a.now(), d))
			}
		}
		select {
		case <-ctx.Done():
			if !*jsonOut {
				fmt.Fprintln(a.stdout, "razorpay listen: shutting down")
			}
			return nil
		case <-poll.C:
		}
	}
}
