// Package fakeserve runs the fake Razorpay of package razorpaytest as a
// command: the one implementation behind 'razorpay fake' and the
// razorpay-fake command, with the same flags and the same banner.
package fakeserve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/gorzp/razorpay/razorpaytest"
)

// DefaultAddr is where the fake listens unless -addr says otherwise, and
// where the control commands look for it without a base URL.
const DefaultAddr = "127.0.0.1:8080"

// Config is how to run the fake.
type Config struct {
	// Addr is the address to listen on, such as 127.0.0.1:8080.
	Addr string
	// WebhookURL and WebhookSecret, together, make the fake post signed
	// webhooks for its state changes.
	WebhookURL    string
	WebhookSecret string
	// Seed, if not 0, makes the fake's ids reproducible.
	Seed uint64
	// RecurringDelay, if positive, keeps recurring payments created (at
	// the bank) for that long on the fake's clock.
	RecurringDelay time.Duration
}

// Register adds the flags -addr, -webhook-url, -webhook-secret, -seed and
// -recurring-delay to fs (also spelled with two dashes).
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "address to listen on")
	fs.StringVar(&c.WebhookURL, "webhook-url", "", "post signed webhook events to this URL")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", "secret that signs webhook events (with -webhook-url; default $RAZORPAY_WEBHOOK_SECRET)")
	fs.Uint64Var(&c.Seed, "seed", 0, "make the fake's ids reproducible (0: random)")
	fs.DurationVar(&c.RecurringDelay, "recurring-delay", 0, "keep recurring payments created (pending at the bank) this long on the fake's clock (0: captured at once)")
}

// Check completes the config from the environment (RAZORPAY_WEBHOOK_SECRET)
// and reports a combination of flags that does not go together.
func (c *Config) Check(getenv func(string) string) error {
	if c.WebhookURL != "" && c.WebhookSecret == "" {
		c.WebhookSecret = getenv("RAZORPAY_WEBHOOK_SECRET")
	}
	switch {
	case c.WebhookURL != "" && c.WebhookSecret == "":
		return errors.New("--webhook-url needs --webhook-secret (or RAZORPAY_WEBHOOK_SECRET)")
	case c.WebhookURL == "" && c.WebhookSecret != "":
		return errors.New("--webhook-secret needs --webhook-url")
	case c.RecurringDelay < 0:
		return fmt.Errorf("--recurring-delay must not be negative, got %v", c.RecurringDelay)
	}
	return nil
}

// Options returns the razorpaytest options of the config, before extra.
func (c *Config) Options(extra ...razorpaytest.Option) []razorpaytest.Option {
	var opts []razorpaytest.Option
	if c.Seed != 0 {
		opts = append(opts, razorpaytest.WithSeed(c.Seed))
	}
	if c.WebhookURL != "" {
		opts = append(opts, razorpaytest.WithWebhook(c.WebhookURL, c.WebhookSecret))
	}
	if c.RecurringDelay > 0 {
		opts = append(opts, razorpaytest.WithRecurringDelay(c.RecurringDelay))
	}
	return append(opts, extra...)
}

// AddrError is the error of Start when the address cannot be listened on.
type AddrError struct{ Err error }

func (e *AddrError) Error() string { return "--addr: " + e.Err.Error() }
func (e *AddrError) Unwrap() error { return e.Err }

// Start starts the fake on c.Addr. Close it when done.
func Start(c Config, extra ...razorpaytest.Option) (*razorpaytest.Server, error) {
	srv, err := razorpaytest.NewServerAt(c.Addr, c.Options(extra...)...)
	if err != nil {
		return nil, &AddrError{Err: err}
	}
	return srv, nil
}

// Banner says how to reach srv, under the command's name. The key secret it
// prints is the fake's fixed, public test secret (razorpaytest.KeySecret),
// never a real one; the webhook secret is never printed.
func Banner(w io.Writer, name string, srv *razorpaytest.Server, c Config) {
	fmt.Fprintf(w, "%s listening on %s\n", name, srv.URL)
	fmt.Fprintf(w, "  export RAZORPAY_BASE_URL=%s\n", srv.URL)
	fmt.Fprintf(w, "  export RAZORPAY_KEY_ID=%s\n", srv.KeyID)
	fmt.Fprintf(w, "  export RAZORPAY_KEY_SECRET=%s   # the fake's public test key\n", srv.KeySecret)
	if c.WebhookURL != "" {
		fmt.Fprintf(w, "  webhooks: %s\n", c.WebhookURL)
	}
	if c.RecurringDelay > 0 {
		fmt.Fprintf(w, "  recurring payments stay pending at the bank for %v of the fake's clock\n", c.RecurringDelay)
	}
	fmt.Fprintln(w, "  a registration link's short_url opens a page to approve or decline the mandate")
	fmt.Fprintf(w, "  control API: %s%s (razorpay fake mandates|clock|verify|...; razorpay help fake)\n", srv.URL, razorpaytest.ControlPath)
}

// Serve runs the fake until ctx ends: it starts it, prints the banner, and
// closes it at the end with a last line.
func Serve(ctx context.Context, w io.Writer, name string, c Config) error {
	srv, err := Start(c)
	if err != nil {
		return err
	}
	defer srv.Close()
	Banner(w, name, srv, c)
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
	<-ctx.Done()
	fmt.Fprintf(w, "%s: shutting down\n", name)
	return nil
}
