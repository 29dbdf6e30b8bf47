package razorpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// A whole card mandate, from the customer to a recurring charge, against the
// fake: the test plays the card holder with CompleteAuthorization.
func ExampleServer() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	auth, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500000, Frequency: razorpay.FrequencyMonthly},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The card holder approves the mandate at Checkout.
	authPayment, err := srv.CompleteAuthorization(auth.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	token, err := client.Token.Fetch(ctx, cust.ID, authPayment.TokenID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("mandate:", token.MandateStatus())

	payment, err := client.Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: cust.ID, TokenID: token.ID, Amount: 49900, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Receipt: "sub_42-2026-11",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("charge:", payment.Status, payment.Amount)
	// Output:
	// mandate: confirmed
	// charge: captured 49900
}

// With WithSeed and WithClock, ids and timestamps are reproducible.
func ExampleWithSeed() {
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	ids := func() string {
		srv := razorpaytest.NewServer(razorpaytest.WithSeed(42), razorpaytest.WithClock(func() time.Time { return at }))
		defer srv.Close()
		cust, err := srv.Client().Customer.Create(context.Background(), &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
		if err != nil {
			return err.Error()
		}
		return fmt.Sprint(cust.ID, " ", cust.CreatedAt)
	}
	first, second := ids(), ids()
	fmt.Println(first == second)
	// Output:
	// true
}

// Faults make the next matching requests fail, here a lost answer to a
// charge: the SDK reports that the outcome is unknown instead of charging
// twice.
func ExampleServer_InjectFault() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Drop: razorpaytest.DropAfterProcessing})
	_, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR", Receipt: "r-1"})
	fmt.Println(errors.Is(err, razorpay.ErrOutcomeUnknown), len(srv.Orders()))
	// Output:
	// true 1
}
