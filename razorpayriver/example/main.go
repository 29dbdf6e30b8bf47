// Command example runs a billing run of card-mandate charges on River with
// package razorpayriver.
//
// With no command it is a self-contained demo: a few hundred bills against
// the embedded fake Razorpay (razorpaytest), on a SQLite file (pure Go, no
// cgo, no setup), with a progress line and a closing table. Set
// DATABASE_URL=postgres://... to run the same on Postgres.
//
//	go run ./example [-n 300] [-workers 8]
//
// Three commands split the run the way production does, over a shared
// database (DATABASE_URL) and a Razorpay reached with RAZORPAY_KEY_ID,
// RAZORPAY_KEY_SECRET and, for the fake (go run ../cmd/razorpay-fake),
// RAZORPAY_BASE_URL (-attempt-timeout 1s -settle-window 6s tell the SDK
// that a request to the local fake answers within a second and a payment
// request lands within seconds; leave them out for Razorpay):
//
//	go run ./example insert -n 1000 -prefix run1                     # make demo mandates on the fake, queue one bill each
//	go run ./example work -attempt-timeout 1s -settle-window 6s      # a worker process; start as many as you like, stop with Ctrl-C
//	go run ./example inspect -prefix run1                            # jobs by state and outcome, double charges verified against Razorpay
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "demo"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	n := fs.Int("n", 300, "number of bills (demo, insert)")
	prefix := fs.String("prefix", "", "receipt prefix of the run (insert, inspect; default: a new one)")
	workers := fs.Int("workers", 8, "jobs worked at once by this process (demo, work)")
	rescueAfter := fs.Duration("rescue-after", time.Hour, "River's RescueStuckJobsAfter: a job running longer is taken as stuck (its worker died) and run again (work)")
	jobTimeout := fs.Duration("job-timeout", 0, "how long one run of a bill may take, less than -rescue-after (work; default ChargeWorker's, from the SDK's worst case)")
	id := fs.String("id", "", "River client ID of this worker, shown in a job's attempted_by (work; default: River's)")
	settle := fs.Duration("settle-window", 0, "razorpay.WithChargeSettleWindow: how long a payment request may take to land (work; default the SDK's; a few seconds for the local fake, with -attempt-timeout)")
	attemptTimeout := fs.Duration("attempt-timeout", 0, "razorpay.WithTimeout: the timeout of each request to Razorpay (work; default the SDK's)")
	latency := fs.Duration("latency", 0, "simulated network latency added to every Razorpay request (work)")
	pendingCheck := fs.Duration("pending-check", 0, "how long to wait between checks of a payment pending at the bank (work; default ChargeWorker's backoff)")
	dunning := fs.String("dunning", "", "the dunning schedule, comma-separated waits after each decline, such as 24h,48h,48h (work; default ChargeWorker's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *prefix == "" {
		*prefix = fmt.Sprintf("bill-%d", time.Now().Unix())
	}
	if cmd == "demo" {
		return demo(ctx, *n, *workers)
	}

	db, err := openDatabase(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer db.close()
	rzp, err := clientFromEnv(*latency, *attemptTimeout, *settle)
	if err != nil {
		return err
	}
	wc := workConfig{id: *id, workers: *workers, rescueAfter: *rescueAfter, jobTimeout: *jobTimeout, pendingCheck: *pendingCheck}
	if *dunning != "" {
		if wc.dunning, err = parseDurations(*dunning); err != nil {
			return fmt.Errorf("-dunning: %w", err)
		}
	}
	switch cmd {
	case "insert":
		if db.pg != nil {
			return insert(ctx, db.pg, rzp, *n, *prefix)
		}
		return insert(ctx, db.lite, rzp, *n, *prefix)
	case "work":
		if db.pg != nil {
			return work(ctx, db.pg, rzp, wc)
		}
		return work(ctx, db.lite, rzp, wc)
	case "inspect":
		var r *report
		if db.pg != nil {
			r, err = inspect(ctx, db.pg, rzp, *prefix)
		} else {
			r, err = inspect(ctx, db.lite, rzp, *prefix)
		}
		if err != nil {
			return err
		}
		r.print(os.Stdout)
		if r.doubleCharges > 0 {
			return fmt.Errorf("%d double charges", r.doubleCharges)
		}
		return nil
	}
	return fmt.Errorf("unknown command %q: want insert, work or inspect (or none for the demo)", cmd)
}

// parseDurations parses a comma-separated list of durations.
func parseDurations(s string) ([]time.Duration, error) {
	var out []time.Duration
	for f := range strings.SplitSeq(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// clientFromEnv returns the Razorpay client of RAZORPAY_KEY_ID,
// RAZORPAY_KEY_SECRET and RAZORPAY_BASE_URL (optional: the fake's URL).
func clientFromEnv(latency, attemptTimeout, settle time.Duration) (*razorpay.Client, error) {
	var opts []razorpay.Option
	if attemptTimeout > 0 {
		opts = append(opts, razorpay.WithTimeout(attemptTimeout))
	}
	if settle > 0 {
		opts = append(opts, razorpay.WithChargeSettleWindow(settle))
	}
	if u := os.Getenv("RAZORPAY_BASE_URL"); u != "" {
		opts = append(opts, razorpay.WithBaseURL(u))
	}
	if latency > 0 {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		opts = append(opts, razorpay.WithHTTPClient(&http.Client{Transport: slowTransport{t, latency}}))
	}
	return razorpay.NewClientFromEnv(opts...)
}

// slowTransport adds latency to every request, to make a run against the
// local fake look like one across a network.
type slowTransport struct {
	next    http.RoundTripper
	latency time.Duration
}

func (t slowTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case <-time.After(t.latency):
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	return t.next.RoundTrip(r)
}

type workConfig struct {
	id          string
	workers     int
	rescueAfter time.Duration
	jobTimeout  time.Duration
	// pendingCheck and dunning, when set, replace ChargeWorker's waits.
	pendingCheck time.Duration
	dunning      []time.Duration
	// logger, when set, replaces slog.Default() for the worker's records.
	logger *slog.Logger
}

// newWorker returns the ChargeWorker of a work command.
func newWorker(rzp *razorpay.Client, wc workConfig) *razorpayriver.ChargeWorker {
	w := razorpayriver.NewChargeWorker(rzp)
	w.JobTimeout = wc.jobTimeout
	w.Logger = wc.logger
	if wc.pendingCheck > 0 {
		w.PendingBackoff = func(int) time.Duration { return wc.pendingCheck }
	}
	if wc.dunning != nil {
		w.Dunning = wc.dunning
	}
	return w
}

// newClient returns a River client that works bills with rzp on
// razorpayriver.Queue (or only inserts, when rzp is nil).
func newClient[TTx any](d riverdriver.Driver[TTx], rzp *razorpay.Client, wc workConfig) (*river.Client[TTx], error) {
	cfg := &river.Config{}
	if rzp != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, newWorker(rzp, wc))
		cfg.Workers = workers
		cfg.ID = wc.id
		cfg.Queues = map[string]river.QueueConfig{razorpayriver.Queue: {MaxWorkers: wc.workers}}
		cfg.RescueStuckJobsAfter = wc.rescueAfter
		cfg.JobTimeout = wc.jobTimeout
		cfg.FetchCooldown = 20 * time.Millisecond
		cfg.FetchPollInterval = 200 * time.Millisecond
	}
	return river.NewClient(d, cfg)
}

// work runs a worker until ctx ends (Ctrl-C, SIGTERM), then stops gracefully:
// running jobs finish, nothing new is fetched.
func work[TTx any](ctx context.Context, d riverdriver.Driver[TTx], rzp *razorpay.Client, wc workConfig) error {
	client, err := newClient(d, rzp, wc)
	if err != nil {
		return err
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "worker %d: working bills (%d at once); Ctrl-C to stop\n", os.Getpid(), wc.workers)
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := client.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	fmt.Fprintf(os.Stderr, "worker %d: stopped\n", os.Getpid())
	return nil
}
