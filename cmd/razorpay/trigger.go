package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func eventNames() string {
	var names []string
	for _, te := range razorpaytest.TriggerEvents() {
		names = append(names, "  "+string(te.Event)+strings.Repeat(" ", 30-len(te.Event))+te.Description)
	}
	return strings.Join(names, "\n")
}

func triggerCommand() *command {
	return &command{
		name:    "trigger",
		summary: "raise a webhook event in a fake and deliver it, signed, to your endpoint",
		usage: `  razorpay trigger EVENT [--forward-to URL --secret S] [--base-url URL] [--seed N] [--timeout 30s] [--json]

Builds the state that raises EVENT (a mandate, a charge, a link...) in a fake
Razorpay and raises it as Razorpay would: only the events of that last step
(payment.failed is a declined charge: payment.failed alone). With a fake
running at --base-url (or RAZORPAY_BASE_URL), the objects are made there, so
that your handler can fetch them from it; otherwise in a throw-away fake of
its own. The events go to --forward-to, signed with the webhook secret
(--secret or RAZORPAY_WEBHOOK_SECRET) and redelivered on failure, exactly as
Razorpay would. A running fake that forwards webhooks itself ('razorpay
listen', 'razorpay fake --webhook-url') delivers them instead when
--forward-to is left out or is its endpoint, and trigger shows its
deliveries. One line per delivery with your endpoint's answer;
EVENT is marked with *. Exit 0 when your endpoint accepted EVENT (2xx).

Events:
` + eventNames() + "\n",
		run: runTrigger,
	}
}

// triggerJSON is the --json document of trigger.
type triggerJSON struct {
	Event      string            `json:"event"`
	BaseURL    string            `json:"base_url,omitempty"` // the running fake, if any
	Objects    map[string]string `json:"objects"`
	Delivered  bool              `json:"delivered"`
	Deliveries []deliveryJSON    `json:"deliveries"`
}

func runTrigger(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	fs.StringVar(&fs.baseURL, "base-url", "", "a running fake (default $RAZORPAY_BASE_URL; none: a throw-away fake)")
	seed := fs.Uint64("seed", 0, "make a throw-away fake's ids reproducible (0: random)")
	forward := fs.String("forward-to", "", "your webhook endpoint, such as http://localhost:4242/webhook")
	secretFlag := fs.String("secret", "", "the webhook secret (default $RAZORPAY_WEBHOOK_SECRET)")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the deliveries")
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		if ue, ok := err.(*usageError); ok && strings.HasPrefix(ue.msg, "missing arguments") {
			return usagef("which EVENT? One of:\n%s", eventNames())
		}
		return err
	}
	event := razorpay.EventType(pos[0])
	if !slices.ContainsFunc(razorpaytest.TriggerEvents(), func(te razorpaytest.TriggerEvent) bool { return te.Event == event }) {
		return usagef("unknown event %q; one of:\n%s", pos[0], eventNames())
	}
	secret := a.webhookSecret(*secretFlag)
	if *forward != "" && secret == "" {
		return usagef("--secret is required (or set RAZORPAY_WEBHOOK_SECRET): your endpoint verifies with it")
	}

	// The running fake, or a throw-away one.
	running := cmp.Or(fs.baseURL, a.env("RAZORPAY_BASE_URL"))
	var rem *razorpaytest.Remote
	if running != "" {
		if rem, err = a.remote(ctx, fs); err != nil {
			return err
		}
	} else {
		if *forward == "" {
			return usagef("--forward-to is required (or run a fake that forwards webhooks, 'razorpay listen', and point --base-url at it)")
		}
		var opts []razorpaytest.Option
		if *seed != 0 {
			opts = append(opts, razorpaytest.WithSeed(*seed))
		}
		srv := razorpaytest.NewServer(opts...)
		if err := srv.Err(); err != nil {
			return fmt.Errorf("starting the fake: %w", err)
		}
		defer srv.Close()
		if rem, err = razorpaytest.Dial(ctx, srv.URL); err != nil {
			return err
		}
	}
	info, err := rem.Info(ctx)
	if err != nil {
		return controlFailure(err)
	}
	// A running fake that forwards to the endpoint (or to its own, without
	// --forward-to) delivers the events itself.
	watch := running != "" && info.WebhookURL != "" && (*forward == "" || *forward == info.WebhookURL)
	if !watch && *forward == "" {
		return usagef("--forward-to is required: the fake at %s forwards no webhooks", rem.URL)
	}

	tr, err := rem.Trigger(ctx, event)
	if err != nil {
		return fmt.Errorf("building %s in the fake: %w", event, controlFailure(err))
	}
	wctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	var deliveries []delivered
	var waitErr error
	if watch {
		*forward = info.WebhookURL
		deliveries, waitErr = watchDeliveries(wctx, rem, tr)
	} else {
		deliveries, waitErr = deliver(wctx, *forward, secret, tr)
	}
	ok := false
	for _, d := range deliveries {
		if d.Event == event && d.Delivered {
			ok = true
		}
	}
	if *jsonOut {
		doc := triggerJSON{Event: string(event), Objects: tr.Objects, Delivered: ok, Deliveries: []deliveryJSON{}}
		if running != "" {
			doc.BaseURL = rem.URL
		}
		for _, d := range deliveries {
			doc.Deliveries = append(doc.Deliveries, toDeliveryJSON(d.at, d.WebhookDelivery))
		}
		if err := printJSON(a.stdout, doc); err != nil {
			return err
		}
	} else {
		where := "a throw-away fake"
		if running != "" {
			where = "the fake at " + rem.URL
		}
		fmt.Fprintf(a.stdout, "Triggered %s in %s: %s to %s\n", event, where, plural(len(deliveries), "event"), *forward)
		for _, kind := range []string{"customer_id", "token_id", "invoice_id", "order_id", "payment_id", "refund_id"} {
			if id := tr.Objects[kind]; id != "" {
				fmt.Fprintf(a.stdout, "  %-12s %s\n", strings.TrimSuffix(kind, "_id"), id)
			}
		}
		for _, d := range deliveries {
			mark := "  "
			if d.Event == event {
				mark = "* "
			}
			fmt.Fprintln(a.stdout, mark+deliveryLine(d.at, d.WebhookDelivery))
		}
	}
	switch {
	case ok:
		return nil
	case waitErr != nil:
		return fmt.Errorf("%s was not delivered within %v: %w", event, *timeout, waitErr)
	}
	return fmt.Errorf("your endpoint did not accept %s (it answered no 2xx)", event)
}

// delivered is the last attempt of one delivery and when it ended.
type delivered struct {
	razorpaytest.WebhookDelivery
	at time.Time
}

// Redelivery, as the fake does it: up to deliveryAttempts in all, the
// first wait deliveryBackoff, doubled for each further one.
const (
	deliveryAttempts = 5
	deliveryBackoff  = 50 * time.Millisecond
)

// deliver posts the events, in order, signed with secret, each redelivered
// on failure like Razorpay does; it returns each one's last attempt.
func deliver(ctx context.Context, endpoint, secret string, tr *razorpaytest.Triggered) ([]delivered, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	var out []delivered
	for _, ev := range tr.Events {
		d := razorpaytest.WebhookDelivery{EventID: ev.ID, Event: ev.Event, Body: []byte(ev.Body),
			Signature: razorpaytest.SignWebhook([]byte(ev.Body), secret)}
		for d.Attempts < deliveryAttempts && !d.Delivered {
			if d.Attempts > 0 {
				t := time.NewTimer(deliveryBackoff << (d.Attempts - 1))
				select {
				case <-ctx.Done():
					t.Stop()
					d.Done = true
					return append(out, delivered{d, time.Now()}), ctx.Err()
				case <-t.C:
				}
			}
			d.Attempts++
			d.StatusCode, d.Err = post(ctx, client, endpoint, d)
			d.Delivered = d.StatusCode >= 200 && d.StatusCode <= 299
		}
		d.Done = true
		out = append(out, delivered{d, time.Now()})
	}
	return out, nil
}

// post sends one delivery attempt and returns the status, or why there was
// none.
func post(ctx context.Context, client *http.Client, endpoint string, d razorpaytest.WebhookDelivery) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Razorpay-Webhook/v1 (razorpay trigger)")
	req.Header.Set("X-Razorpay-Signature", d.Signature)
	req.Header.Set("X-Razorpay-Event-Id", d.EventID)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, ""
}

// watchDeliveries waits for the running fake's own deliveries of the
// trigger's events to be done.
func watchDeliveries(ctx context.Context, rem *razorpaytest.Remote, tr *razorpaytest.Triggered) ([]delivered, error) {
	bodies := map[string][]byte{}
	for _, ev := range tr.Events {
		bodies[ev.ID] = []byte(ev.Body)
	}
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for {
		all, err := rem.Webhooks(ctx)
		if err != nil {
			return nil, controlFailure(err)
		}
		var out []delivered
		done := true
		for _, d := range all {
			if body, ok := bodies[d.EventID]; ok {
				d.Body = body
				out = append(out, delivered{d, time.Now()})
				done = done && d.Done
			}
		}
		if done && len(out) == len(tr.Events) {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-poll.C:
		}
	}
}

// plural is "1 event", "2 events".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
