package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gorzp/razorpay/razorpaytest"
)

func fakeCommand() *command {
	return &command{
		name:    "fake",
		summary: "run the in-memory fake Razorpay on a local address",
		usage: `  razorpay fake [--addr 127.0.0.1:8080] [--webhook-url URL --webhook-secret S] [--seed N]

Serves razorpaytest, an in-memory Razorpay, until Ctrl-C: no keys, no
network. It prints its base URL and its (public, fixed) test key pair. With
--webhook-url it posts signed webhooks for its state changes (or use
'razorpay listen'). A registration link's short_url opens a page to approve or
decline the mandate as the card holder. --seed makes its ids reproducible.
The same as the razorpay-fake command.
`,
		run: runFake,
	}
}

// fakeFlags are the flags of fake, listen and trigger.
type fakeFlags struct {
	addr string
	seed uint64
}

func (f *fakeFlags) register(fs *flags, defaultAddr string) {
	if defaultAddr != "" {
		fs.StringVar(&f.addr, "addr", defaultAddr, "address to listen on")
	}
	fs.Uint64Var(&f.seed, "seed", 0, "make the fake's ids reproducible (0: random)")
}

func (f *fakeFlags) options() []razorpaytest.Option {
	if f.seed == 0 {
		return nil
	}
	return []razorpaytest.Option{razorpaytest.WithSeed(f.seed)}
}

func runFake(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	var ff fakeFlags
	ff.register(fs, "127.0.0.1:8080")
	webhookURL := fs.String("webhook-url", "", "post signed webhook events to this URL")
	webhookSecret := fs.String("webhook-secret", "", "the secret that signs webhook events (with --webhook-url)")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	secret := a.webhookSecret(*webhookSecret)
	if *webhookURL != "" && secret == "" {
		return usagef("--webhook-url needs --webhook-secret (or RAZORPAY_WEBHOOK_SECRET)")
	}
	if *webhookURL == "" && *webhookSecret != "" {
		return usagef("--webhook-secret needs --webhook-url")
	}
	opts := ff.options()
	if *webhookURL != "" {
		opts = append(opts, razorpaytest.WithWebhook(*webhookURL, secret))
	}
	srv, err := razorpaytest.NewServerAt(ff.addr, opts...)
	if err != nil {
		return usagef("--addr: %v", err)
	}
	defer srv.Close()
	printFakeBanner(a.stdout, srv)
	if *webhookURL != "" {
		fmt.Fprintf(a.stdout, "  webhooks: %s\n", *webhookURL)
	}
	fmt.Fprintln(a.stdout, "Press Ctrl-C to stop.")
	<-ctx.Done()
	fmt.Fprintln(a.stdout, "razorpay fake: shutting down")
	return nil
}

// printFakeBanner says how to reach a fake. The key secret it prints is the
// fake's fixed, public test secret (razorpaytest.KeySecret), never a real one.
func printFakeBanner(w io.Writer, srv *razorpaytest.Server) {
	fmt.Fprintf(w, "razorpay fake listening on %s\n", srv.URL)
	fmt.Fprintf(w, "  export RAZORPAY_BASE_URL=%s\n", srv.URL)
	fmt.Fprintf(w, "  export RAZORPAY_KEY_ID=%s\n", srv.KeyID)
	fmt.Fprintf(w, "  export RAZORPAY_KEY_SECRET=%s   # the fake's public test key\n", srv.KeySecret)
	fmt.Fprintln(w, "  a registration link's short_url opens a page to approve or decline the mandate")
}

func listenCommand() *command {
	return &command{
		name:    "listen",
		summary: "run the fake and forward every webhook it raises to a local endpoint",
		usage: `  razorpay listen --forward-to URL [--secret S] [--addr 127.0.0.1:8080] [--seed N] [--json]

Runs the fake Razorpay (like 'razorpay fake') and posts every webhook it
raises, signed with the webhook secret (--secret or RAZORPAY_WEBHOOK_SECRET),
to your endpoint, redelivering on failure as Razorpay does. Point your app at
the fake (the printed RAZORPAY_BASE_URL and keys), use it, and watch one line
per delivery with your endpoint's answer. --json prints JSON lines. Ctrl-C stops.
`,
		run: runListen,
	}
}

// deliveryJSON is one delivery attempt, as --json prints it.
type deliveryJSON struct {
	EventID    string `json:"event_id"`
	Event      string `json:"event"`
	Attempt    int    `json:"attempt"`
	StatusCode int    `json:"status_code,omitempty"`
	Error      string `json:"error,omitempty"`
	Delivered  bool   `json:"delivered"`
	Done       bool   `json:"done"`
}

func toDeliveryJSON(d razorpaytest.WebhookDelivery) deliveryJSON {
	return deliveryJSON{EventID: d.EventID, Event: string(d.Event), Attempt: d.Attempts,
		StatusCode: d.StatusCode, Error: d.Err, Delivered: d.Delivered, Done: d.Done}
}

// deliveryLine is one delivery attempt, for people.
func deliveryLine(d razorpaytest.WebhookDelivery) string {
	answer := fmt.Sprintf("%d %s", d.StatusCode, http.StatusText(d.StatusCode))
	if d.StatusCode == 0 {
		answer = "no answer: " + d.Err
	}
	s := fmt.Sprintf("%-30s %s  -> %s", d.Event, d.EventID, answer)
	switch {
	case d.Delivered:
	case d.Done:
		s += fmt.Sprintf(" (attempt %d, giving up)", d.Attempts)
	default:
		s += fmt.Sprintf(" (attempt %d, redelivering)", d.Attempts)
	}
	return s
}

func runListen(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	var ff fakeFlags
	ff.register(fs, "127.0.0.1:8080")
	forward := fs.String("forward-to", "", "your webhook endpoint, such as http://localhost:4242/webhook")
	secretFlag := fs.String("secret", "", "the webhook secret (default $RAZORPAY_WEBHOOK_SECRET)")
	jsonOut := fs.Bool("json", false, "print JSON lines")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := required("--forward-to", *forward); err != nil {
		return err
	}
	secret := a.webhookSecret(*secretFlag)
	if secret == "" {
		return usagef("--secret is required (or set RAZORPAY_WEBHOOK_SECRET): your endpoint verifies with it")
	}
	opts := append(ff.options(), razorpaytest.WithWebhook(*forward, secret))
	srv, err := razorpaytest.NewServerAt(ff.addr, opts...)
	if err != nil {
		return usagef("--addr: %v", err)
	}
	defer srv.Close()
	if !*jsonOut {
		printFakeBanner(a.stdout, srv)
		fmt.Fprintf(a.stdout, "Forwarding webhooks to %s. Press Ctrl-C to stop.\n", *forward)
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
				if err := printJSONLine(a.stdout, toDeliveryJSON(d)); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(a.stdout, deliveryLine(d))
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
