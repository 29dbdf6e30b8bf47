// Command registration-link shows the life of a registration link with
// github.com/gorzp/razorpay: Razorpay's hosted page where a card holder
// approves a card mandate. It creates a link, has Razorpay send it by SMS and
// by email, reads it back, cancels it, and shows the API's 400 error when it
// is cancelled a second time.
//
// Without RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET it runs offline against
// razorpaytest, the in-memory fake Razorpay; with a test-mode key pair it runs
// against your Razorpay account (Razorpay then really sends the SMS and the
// email, to the example's made-up customer):
//
//	go run ./examples/registration-link
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	client, closeFake, err := newClient()
	if err != nil {
		return err
	}
	defer closeFake()

	// 1. Create the link. Razorpay creates (or finds) the customer and the
	// authorization order, and by default texts and emails the link.
	link, err := client.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{
			Name:    "Gaurav Kumar",
			Email:   "gaurav.kumar@example.com",
			Contact: "+919876543210",
		},
		Amount:      100, // ₹1.00, charged when the card holder approves the mandate
		Currency:    "INR",
		Description: "Monthly plan: approve the card mandate",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{
			Method:    razorpay.PaymentMethodCard,
			MaxAmount: 500_000, // ₹5,000.00 at most per debit
			Frequency: razorpay.FrequencyMonthly,
		},
		ExpireBy: time.Now().Add(time.Hour).Unix(),
		Receipt:  fmt.Sprintf("reg-%d", time.Now().Unix()), // your reference, to find the link again
	})
	if err != nil {
		return fmt.Errorf("create the registration link: %w", err)
	}
	fmt.Printf("1. registration link created: %s, status %s, sms_status %s, email_status %s\n",
		link.ID, link.Status, link.SMSStatus, link.EmailStatus)
	fmt.Printf("   %s (authorization order %s, customer %s)\n", link.ShortURL, link.OrderID, link.CustomerID)

	// 2. and 3. Send it (again) by SMS and by email.
	if err := client.Invoice.NotifyBy(ctx, link.ID, razorpay.NotifyMediumSMS); err != nil {
		return fmt.Errorf("notify by SMS: %w", err)
	}
	fmt.Println("2. notified by SMS")
	if err := client.Invoice.NotifyBy(ctx, link.ID, razorpay.NotifyMediumEmail); err != nil {
		return fmt.Errorf("notify by email: %w", err)
	}
	fmt.Println("3. notified by email")

	// 4. Read it back: a registration link is an invoice of type "link".
	link, err = client.Invoice.Fetch(ctx, link.ID)
	if err != nil {
		return fmt.Errorf("fetch the registration link: %w", err)
	}
	fmt.Printf("4. fetched: status %s, sms_status %s, email_status %s\n", link.Status, link.SMSStatus, link.EmailStatus)

	// 5. Cancel it: the card holder can no longer pay it.
	link, err = client.Invoice.Cancel(ctx, link.ID)
	if err != nil {
		return fmt.Errorf("cancel the registration link: %w", err)
	}
	fmt.Printf("5. cancelled: status %s at %s\n", link.Status, time.Unix(link.CancelledAt, 0).Format(time.RFC3339))

	// 6. Cancelling it again is refused with a 400 error, which errors.Is
	// matches with razorpay.ErrBadRequest; errors.As gives its details.
	_, err = client.Invoice.Cancel(ctx, link.ID)
	var rzpErr *razorpay.Error
	switch {
	case err == nil:
		return errors.New("cancelling a cancelled link succeeded; want a 400 error")
	case errors.Is(err, razorpay.ErrBadRequest) && errors.As(err, &rzpErr):
		fmt.Printf("6. cancelling again is refused, as expected: %d %s: %s\n", rzpErr.HTTPStatusCode, rzpErr.Code, rzpErr.Description)
	default:
		return fmt.Errorf("cancel the registration link again: %w", err)
	}
	return nil
}

// newClient returns a client for the key pair in RAZORPAY_KEY_ID and
// RAZORPAY_KEY_SECRET, or, when neither is set, a client of an in-memory fake
// Razorpay, and a function that stops the fake.
func newClient() (*razorpay.Client, func(), error) {
	if os.Getenv("RAZORPAY_KEY_ID") != "" || os.Getenv("RAZORPAY_KEY_SECRET") != "" {
		client, err := razorpay.NewClientFromEnv()
		if err != nil {
			return nil, nil, err
		}
		fmt.Printf("using Razorpay (%s) with the key pair in RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET\n\n", razorpay.DefaultBaseURL)
		return client, func() {}, nil
	}
	srv := razorpaytest.NewServer()
	if err := srv.Err(); err != nil {
		return nil, nil, fmt.Errorf("start the fake Razorpay: %w", err)
	}
	fmt.Printf("no RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET: using the in-memory fake Razorpay at %s\n\n", srv.URL)
	return srv.Client(), srv.Close, nil
}
