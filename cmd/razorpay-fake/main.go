// Command razorpay-fake serves the in-memory Razorpay of package razorpaytest
// on a fixed address, for trying an integration by hand or from another
// language with no keys and no network.
//
//	go run ./cmd/razorpay-fake -addr 127.0.0.1:8080 [-webhook-url URL -webhook-secret SECRET]
//
// It prints its base URL and the test key pair, serves until interrupted
// (SIGINT or SIGTERM), and keeps everything in memory. A registration link's
// short_url opens a page where you can approve or decline the mandate as the
// card holder.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/gorzp/razorpay/razorpaytest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	webhookURL := flag.String("webhook-url", "", "post signed webhook events to this URL")
	webhookSecret := flag.String("webhook-secret", "", "secret that signs webhook events (with -webhook-url)")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("razorpay-fake: unexpected arguments %q", flag.Args())
	}
	if (*webhookURL == "") != (*webhookSecret == "") {
		log.Fatal("razorpay-fake: -webhook-url and -webhook-secret go together")
	}

	var opts []razorpaytest.Option
	if *webhookURL != "" {
		opts = append(opts, razorpaytest.WithWebhook(*webhookURL, *webhookSecret))
	}
	srv, err := razorpaytest.NewServerAt(*addr, opts...)
	if err != nil {
		log.Fatalf("razorpay-fake: %v", err)
	}

	fmt.Printf("razorpay-fake listening on %s\n", srv.URL)
	fmt.Printf("  RAZORPAY_KEY_ID=%s\n", srv.KeyID)
	fmt.Printf("  RAZORPAY_KEY_SECRET=%s\n", srv.KeySecret)
	fmt.Printf("  base URL for razorpay.WithBaseURL: %s\n", srv.URL)
	if *webhookURL != "" {
		fmt.Printf("  webhooks: %s\n", *webhookURL)
	}
	fmt.Println("  a registration link's short_url opens a page to approve or decline the mandate")
	fmt.Println("Press Ctrl-C to stop.")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	stop()
	fmt.Println("razorpay-fake: shutting down")
	srv.Close()
}
