// Command razorpay-fake serves the in-memory Razorpay of package razorpaytest
// on a fixed address, for trying an integration by hand, from another
// language or from another process's tests, with no keys and no network.
// It is 'razorpay fake' under its own name: the same code, flags and output.
//
//	go run ./cmd/razorpay-fake -addr 127.0.0.1:8080 [-webhook-url URL -webhook-secret SECRET] [-seed N] [-recurring-delay 24h]
//
// It prints its base URL and the test key pair, serves until interrupted
// (SIGINT or SIGTERM), and keeps everything in memory. Its control API (see
// package razorpaytest, and the razorpay command's 'fake' subcommands)
// advances its clock, seeds mandates, holds, fails or captures payments and
// reports double charges. A registration link's short_url opens a page
// where you can approve or decline the mandate as the card holder.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/gorzp/razorpay/cmd/internal/fakeserve"
)

func main() {
	var c fakeserve.Config
	c.Register(flag.CommandLine)
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected arguments %q", flag.Args()))
	}
	if err := c.Check(os.Getenv); err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := fakeserve.Serve(ctx, os.Stdout, "razorpay-fake", c); err != nil {
		var ae *fakeserve.AddrError
		if errors.As(err, &ae) {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "razorpay-fake: %v\n", err)
		os.Exit(1)
	}
}

// fail reports bad usage and exits 2, as the razorpay command does.
func fail(err error) {
	fmt.Fprintf(os.Stderr, "razorpay-fake: %v\n", err)
	os.Exit(2)
}
