package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// These examples run against razorpaytest, the in-memory fake Razorpay, so
// that they need no keys and no network. Against Razorpay, build the client
// with razorpay.NewClient(keyID, keySecret) or razorpay.NewClientFromEnv()
// instead of srv.Client(). Where an example needs a confirmed card mandate,
// the fake plays the card holder with srv.CompleteAuthorization.

// Build one client per key pair and share it: it is safe for concurrent use.
// Options tune it; a missing key or a bad option is reported before anything
// is sent.
func ExampleNewClient() {
	srv := razorpaytest.NewServer()
	defer srv.Close()

	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret,
		razorpay.WithBaseURL(srv.URL), // leave out to talk to Razorpay
		razorpay.WithTimeout(10*time.Second),
		razorpay.WithAppInfo("billing-service", "1.4.0"),
	)
	cust, err := client.Customer.Create(context.Background(), &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cust.Name)

	// Printing a client never shows its key secret.
	fmt.Println(razorpay.NewClient("rzp_test_1DP5mmOlF5G5ag", "thisIsTheSecret"))

	// Without a key secret, every call fails before any I/O.
	_, err = razorpay.NewClient("rzp_test_1DP5mmOlF5G5ag", "").Customer.Fetch(context.Background(), "cust_1Aa00000000001")
	fmt.Println(errors.Is(err, razorpay.ErrInvalidConfig))
	// Output:
	// Gaurav Kumar
	// razorpay.Client{KeyID: rzp_test_1DP5mmOlF5G5ag, KeySecret: [REDACTED], BaseURL: https://api.razorpay.com}
	// true
}

// WithResponseInfo reports what Razorpay answered a call, successful or not:
// its status, headers and request id (the id Razorpay support asks for),
// and how many attempts it took. Here the fake answers the first attempt
// 503, and the SDK retries the read.
func ExampleWithResponseInfo() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client(razorpay.WithRetryBackoff(time.Millisecond, 10*time.Millisecond))
	ctx := context.Background()

	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	if err != nil {
		log.Fatal(err)
	}
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers/" + cust.ID, Status: 503})

	var info razorpay.ResponseInfo
	got, err := client.Customer.Fetch(razorpay.WithResponseInfo(ctx, &info), cust.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, info.StatusCode, info.Attempts, info.Header.Get("Content-Type"))
	fmt.Println("has a request id:", info.RequestID != "")
	// Output:
	// Gaurav Kumar 200 2 application/json
	// has a request id: true
}

// With FailExisting false, creating a customer that exists (same email and
// contact) returns the existing one, so the call is safe to repeat.
func ExampleCustomerService_Create() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	params := &razorpay.CustomerCreateParams{
		Name:         "Gaurav Kumar",
		Email:        "gaurav.kumar@example.com",
		Contact:      "+919876543210",
		FailExisting: razorpay.Ptr(false),
	}
	cust, err := client.Customer.Create(ctx, params)
	if err != nil {
		log.Fatal(err)
	}
	again, err := client.Customer.Create(ctx, params)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cust.Name, cust.Email, cust.Contact)
	fmt.Println("same customer:", again.ID == cust.ID)
	// Output:
	// Gaurav Kumar gaurav.kumar@example.com +919876543210
	// same customer: true
}

// The authorization order registers a card mandate: the card holder pays it
// (₹1 here) at Checkout, which allows monthly debits of up to ₹5,000 later.
func ExampleOrderService_Create() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
	})
	if err != nil {
		log.Fatal(err)
	}
	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount:     100, // paise
		Currency:   "INR",
		CustomerID: cust.ID,
		Method:     razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{
			MaxAmount: 500_000,
			Frequency: razorpay.FrequencyMonthly,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.Status, order.Amount, order.Currency)
	fmt.Println(order.Token.Frequency, order.Token.MaxAmount)
	// Output:
	// created 100 INR
	// monthly 500000
}

// A registration link is Razorpay's hosted page for the mandate: Razorpay
// creates the customer and the authorization order, and sends the link by SMS
// and email. The link is an invoice of type "link".
func ExampleRegistrationLinkService_Create() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()

	link, err := client.RegistrationLink.Create(context.Background(), &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{
			Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
		},
		Amount:      100,
		Currency:    "INR",
		Description: "Monthly plan",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{
			MaxAmount: 500_000,
			Frequency: razorpay.FrequencyMonthly,
		},
		ExpireBy: time.Now().Add(24 * time.Hour).Unix(),
		Receipt:  "sub_42-registration",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(link.Type, link.Status, link.SMSStatus, link.EmailStatus)
	fmt.Println("has a short URL:", link.ShortURL != "", "and an order:", strings.HasPrefix(link.OrderID, "order_"))
	// Output:
	// link issued pending pending
	// has a short URL: true and an order: true
}

// A recurring payment charges a confirmed mandate once, on a charge order of
// the same amount. Check the signature of the answer against your own order
// id. (Payment.Charge does all of this, and reconciles a lost answer.)
func ExamplePaymentService_CreateRecurring() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	// A customer whose card mandate (up to ₹5,000 a debit) is confirmed:
	// see ExampleOrderService_Create and ExampleTokenService_FetchByPayment
	// for how a real integration gets there.
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		log.Fatal(err)
	}

	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 49_900, Currency: "INR", Receipt: "sub_42-2026-11", PaymentCapture: razorpay.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	rp, err := client.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
		Email: m.Email, Contact: m.Contact, Amount: order.Amount, Currency: order.Currency,
		OrderID: order.ID, CustomerID: m.CustomerID, TokenID: m.TokenID,
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, razorpay.ErrOutcomeUnknown): reconcile with Order.Payments first
	}
	err = razorpay.VerifyPaymentSignature(order.ID, rp.PaymentID, rp.Signature, razorpaytest.KeySecret)
	fmt.Println("signature ok:", err == nil)

	payment, err := client.Payment.Fetch(ctx, rp.PaymentID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, payment.Amount, payment.OrderID == order.ID)
	// Output:
	// signature ok: true
	// captured 49900 true
}

// Payment.Charge is the recommended way to charge a mandate: one call that
// never charges twice. Its errors say whether the customer was charged.
func ExamplePaymentService_Charge() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	// A customer whose card mandate (up to ₹5,000 a debit) is confirmed:
	// see ExampleOrderService_Create and ExampleTokenService_FetchByPayment
	// for how a real integration gets there.
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		log.Fatal(err)
	}

	params := &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: "sub_42-2026-11",
	}
	payment, err := client.Payment.Charge(ctx, params)
	var ce *razorpay.ChargeError
	switch {
	case errors.Is(err, razorpay.ErrOutcomeUnknown) && errors.As(err, &ce):
		// Maybe charged. Later, resume on the same order, never with a
		// fresh charge: set params.OrderID = ce.OrderID and call Charge.
		fmt.Println("outcome unknown, resume on order", ce.OrderID)
		return
	case err != nil:
		// errors.Is(err, razorpay.ErrNotCharged), or invalid params:
		// certainly not charged.
		fmt.Println("not charged:", err)
		return
	}
	fmt.Println(payment.Status, payment.Amount, payment.TokenID == m.TokenID)
	// Output:
	// captured 49900 true
}

// Token.List returns a customer's saved cards and their mandates.
func ExampleTokenService_List() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	// A customer whose card mandate (up to ₹5,000 a debit) is confirmed:
	// see ExampleOrderService_Create and ExampleTokenService_FetchByPayment
	// for how a real integration gets there.
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		log.Fatal(err)
	}

	tokens, err := client.Token.List(ctx, m.CustomerID)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tokens.Items {
		if t.Method != razorpay.PaymentMethodCard {
			continue // UPI and e-mandate tokens share the list
		}
		fmt.Println(t.Card.Network, t.Card.Last4, t.MandateStatus(), t.MaxAmount, "chargeable:", t.Chargeable())
	}
	// Output:
	// Visa 1111 confirmed 500000 chargeable: true
}

// Checkout gives your callback the id of the payment that approved the
// mandate; the token to charge from then on is on that payment.
func ExampleTokenService_FetchByPayment() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
	})
	if err != nil {
		log.Fatal(err)
	}
	auth, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	if err != nil {
		log.Fatal(err)
	}
	authPayment, err := srv.CompleteAuthorization(auth.ID) // the card holder approves the mandate
	if err != nil {
		log.Fatal(err)
	}
	paymentID := authPayment.ID // razorpay_payment_id, as Checkout hands it to your callback

	p, err := client.Token.FetchByPayment(ctx, paymentID)
	if err != nil {
		log.Fatal(err)
	}
	token, err := client.Token.Fetch(ctx, p.CustomerID, p.TokenID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(p.TokenID, "token_"), token.MandateStatus())
	// Output:
	// true confirmed
}

// Invoice.All walks every page of a listing, here the registration links,
// two per request. Razorpay lists the newest first.
func ExampleInvoiceService_All() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	for _, receipt := range []string{"sub_1", "sub_2", "sub_3"} {
		_, err := client.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
			Customer:    razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
			Amount:      100,
			Currency:    "INR",
			Description: "Monthly plan",
			SubscriptionRegistration: razorpay.SubscriptionRegistration{
				MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly,
			},
			Receipt: receipt,
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	params := &razorpay.InvoiceListParams{Type: razorpay.InvoiceTypeLink, ListParams: razorpay.ListParams{Count: 2}}
	for link, err := range client.Invoice.All(ctx, params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(link.Receipt, link.Status)
	}
	// Output:
	// sub_3 issued
	// sub_2 issued
	// sub_1 issued
}

// A card reference identifies a card across tokens, payments and merchants
// without its number. The feature must be enabled on the account.
func ExampleCardService_RequestCardReference() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	// A customer whose card mandate (up to ₹5,000 a debit) is confirmed:
	// see ExampleOrderService_Create and ExampleTokenService_FetchByPayment
	// for how a real integration gets there.
	m, err := srv.NewMandate(ctx, 500_000)
	if err != nil {
		log.Fatal(err)
	}

	ref, err := client.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: m.TokenID})
	var rzpErr *razorpay.Error
	switch {
	case errors.As(err, &rzpErr) && rzpErr.FeatureNotEnabled():
		fmt.Println("card references are not enabled on this account")
		return
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println(ref.NetworkName(), len(ref.PaymentAccountReference))
	// Output:
	// Visa 29
}

// Errors are taken apart with errors.Is and errors.As: the sentinels name the
// class of an API error (by HTTP status or code), *razorpay.Error carries
// Razorpay's details, and *razorpay.ValidationError says which param was
// refused before anything was sent.
func ExampleError() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	_, err := client.Customer.Fetch(ctx, "cust_DoesNotExist01")
	var rzpErr *razorpay.Error
	if errors.As(err, &rzpErr) {
		fmt.Println(rzpErr.HTTPStatusCode, rzpErr.Code, rzpErr.Description)
	}
	fmt.Println("bad request:", errors.Is(err, razorpay.ErrBadRequest))

	_, err = client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 0, Currency: "INR"})
	var invalid *razorpay.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("refused:", invalid.Field, invalid.Message)
	}
	fmt.Println("invalid params:", errors.Is(err, razorpay.ErrInvalidParams))
	// Output:
	// 400 BAD_REQUEST_ERROR The id provided does not exist
	// bad request: true
	// refused: amount must be at least 100 paise (₹1), Razorpay's minimum, got 0
	// invalid params: true
}

// Client.Do reaches an endpoint the SDK does not model, here the list of
// orders, through the same auth, retries, errors and logging.
func ExampleClient_Do() {
	srv := razorpaytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	for _, receipt := range []string{"sub_42-2026-10", "sub_42-2026-11"} {
		_, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: receipt})
		if err != nil {
			log.Fatal(err)
		}
	}

	var orders razorpay.List[struct {
		Receipt string               `json:"receipt"`
		Status  razorpay.OrderStatus `json:"status"`
	}]
	if err := client.Do(ctx, "GET", "/v1/orders", nil, &orders); err != nil {
		log.Fatal(err)
	}
	for _, o := range orders.Items {
		fmt.Println(o.Receipt, o.Status)
	}
	// Output:
	// sub_42-2026-11 created
	// sub_42-2026-10 created
}
