// Command recurring walks through Razorpay's recurring card payments from
// start to finish with github.com/gorzp/razorpay, printing each step: it
// creates a customer, has the card holder approve a card mandate, charges the
// mandate, verifies the signature of the answer, reads the token and the card,
// asks for the card's reference, charges "next month" the recommended way
// (Payment.Charge) and finally deletes the token.
//
// Without RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET it runs offline, in a
// second or two, against razorpaytest, the in-memory fake Razorpay, which
// also plays the card holder:
//
//	go run ./examples/recurring
//
// With a test-mode key pair it runs against your Razorpay account. A program
// cannot approve a mandate for the card holder, so it prints a registration
// link for you to open and pay with a test card, and waits (15 minutes at
// most, or as long as -wait says):
//
//	RAZORPAY_KEY_ID=rzp_test_... RAZORPAY_KEY_SECRET=... go run ./examples/recurring -wait 10m
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The subscription this example bills: ₹499 a month, on a mandate that allows
// up to ₹5,000 per debit. The mandate is authorized with ₹1 (100 paise).
const (
	authorizationAmount = 100     // paise: ₹1.00
	maxAmount           = 500_000 // paise: ₹5,000.00, the most one debit may take
	monthlyAmount       = 49_900  // paise: ₹499.00
	currency            = "INR"
)

// The card holder. In test mode Razorpay sends nothing to these addresses
// unless you ask it to; the example prints the registration link instead.
const (
	customerName    = "Gaurav Kumar"
	customerEmail   = "gaurav.kumar@example.com"
	customerContact = "+919876543210"
)

func main() {
	wait := flag.Duration("wait", 15*time.Minute, "with real keys: how long to wait for the card holder to pay the registration link")
	flag.Parse()

	if err := run(os.Stdout, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run picks the mode from the environment and runs the flow. Ctrl-C cancels
// it cleanly.
func run(out io.Writer, wait time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	r := &report{w: out}
	keyID, keySecret := os.Getenv("RAZORPAY_KEY_ID"), os.Getenv("RAZORPAY_KEY_SECRET")
	if keyID == "" && keySecret == "" {
		return runFake(ctx, r)
	}
	return runRazorpay(ctx, r, strings.TrimSpace(keySecret), wait)
}

// runFake runs the flow against an in-memory Razorpay on the loopback
// interface and plays the card holder with srv.CompleteAuthorization.
func runFake(ctx context.Context, r *report) error {
	srv := razorpaytest.NewServer()
	if err := srv.Err(); err != nil {
		return fmt.Errorf("start the fake Razorpay: %w", err)
	}
	defer srv.Close()
	r.line("no RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET: using the in-memory fake Razorpay at %s", srv.URL)
	r.line("")

	// Offline, the whole flow takes well under a second; the deadline only
	// guards against a bug turning into a hang.
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	f := &flow{client: srv.Client(), keySecret: srv.KeySecret, r: r}
	cust, err := f.createCustomer(ctx)
	if err != nil {
		return err
	}
	order, err := f.createAuthorizationOrder(ctx, cust)
	if err != nil {
		return err
	}

	// In production the card holder pays the authorization order at Razorpay
	// Checkout (with order.ID, customer.ID and recurring: 1), and your
	// callback receives razorpay_payment_id and razorpay_signature. The fake
	// plays the card holder; all the rest of the flow needs is the payment id.
	pay, err := srv.CompleteAuthorization(order.ID)
	if err != nil {
		return fmt.Errorf("play the card holder: %w", err)
	}
	r.step("the card holder authorized the mandate at Checkout (played by the fake): payment %s, %s, %s",
		pay.ID, pay.Status, rupees(pay.Amount))

	return f.afterAuthorization(ctx, cust, pay.ID)
}

// runRazorpay runs the flow against Razorpay with the key pair in
// RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET. The card holder approves the
// mandate through a registration link, which the example prints and polls.
func runRazorpay(ctx context.Context, r *report, keySecret string, wait time.Duration) error {
	client, err := razorpay.NewClientFromEnv(razorpay.WithAppInfo("gorzp-example-recurring", razorpay.Version))
	if err != nil {
		return err
	}
	if strings.HasPrefix(strings.TrimSpace(os.Getenv("RAZORPAY_KEY_ID")), "rzp_live_") {
		return errors.New("RAZORPAY_KEY_ID is a live key: this example charges the card, so use a test-mode key pair (rzp_test_...)")
	}
	r.line("using Razorpay (%s) with the key pair in RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET", razorpay.DefaultBaseURL)
	r.line("")

	// The deadline covers the wait for the card holder plus the API calls.
	ctx, cancel := context.WithTimeout(ctx, wait+2*time.Minute)
	defer cancel()

	f := &flow{client: client, keySecret: keySecret, r: r}
	cust, err := f.createCustomer(ctx)
	if err != nil {
		return err
	}
	link, err := f.createRegistrationLink(ctx, cust)
	if err != nil {
		return err
	}
	paymentID, err := f.waitForCardHolder(ctx, link, wait)
	if err != nil {
		return err
	}
	return f.afterAuthorization(ctx, cust, paymentID)
}

// flow holds what every step needs. Its methods are the steps, in order.
type flow struct {
	client    *razorpay.Client
	keySecret string // to verify payment signatures
	r         *report
}

// createCustomer creates the customer, or returns the existing one with the
// same email and contact (FailExisting false), so that running the example
// again reuses it.
func (f *flow) createCustomer(ctx context.Context) (*razorpay.Customer, error) {
	cust, err := f.client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name:         customerName,
		Email:        customerEmail,
		Contact:      customerContact,
		FailExisting: razorpay.Ptr(false),
	})
	if err != nil {
		return nil, fmt.Errorf("create the customer: %w", err)
	}
	f.r.step("customer created (Customer.Create): %s (%s, %s, %s)", cust.ID, cust.Name, cust.Email, cust.Contact)
	return cust, nil
}

// createAuthorizationOrder creates the order the card holder pays to approve
// the mandate: ₹1 now, up to maxAmount per month later.
func (f *flow) createAuthorizationOrder(ctx context.Context, cust *razorpay.Customer) (*razorpay.Order, error) {
	order, err := f.client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount:     authorizationAmount,
		Currency:   currency,
		CustomerID: cust.ID,
		Method:     razorpay.PaymentMethodCard,
		Receipt:    "mandate-" + cust.ID,
		Token: &razorpay.OrderTokenParams{
			MaxAmount: maxAmount,
			Frequency: razorpay.FrequencyMonthly,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("create the authorization order: %w", err)
	}
	f.r.step("authorization order created (Order.Create): %s for %s, status %s", order.ID, rupees(order.Amount), order.Status)
	f.r.detail("mandate: %s, up to %s per debit", order.Token.Frequency, rupees(order.Token.MaxAmount))
	return order, nil
}

// createRegistrationLink creates a registration link: Razorpay's hosted page
// where the card holder approves the mandate. It creates the authorization
// order itself.
func (f *flow) createRegistrationLink(ctx context.Context, cust *razorpay.Customer) (*razorpay.Invoice, error) {
	link, err := f.client.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{
			Name:    cust.Name,
			Email:   cust.Email,
			Contact: cust.Contact,
		},
		Amount:      authorizationAmount,
		Currency:    currency,
		Description: "Monthly plan: approve the card mandate",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{
			Method:    razorpay.PaymentMethodCard,
			MaxAmount: maxAmount,
			Frequency: razorpay.FrequencyMonthly,
		},
		// The example prints the link instead of having Razorpay send it.
		SMSNotify:   razorpay.Ptr(false),
		EmailNotify: razorpay.Ptr(false),
		ExpireBy:    time.Now().Add(time.Hour).Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("create the registration link: %w", err)
	}
	f.r.step("registration link created (RegistrationLink.Create): %s for %s, status %s (its authorization order is %s)",
		link.ID, rupees(link.Amount), link.Status, link.OrderID)
	f.r.detail("mandate: %s, up to %s per debit", razorpay.FrequencyMonthly, rupees(maxAmount))
	return link, nil
}

// waitForCardHolder polls the registration link until the card holder has
// paid it, and returns the authorization payment's id. A cancelled or expired
// link, or no payment within wait, is an error.
func (f *flow) waitForCardHolder(ctx context.Context, link *razorpay.Invoice, wait time.Duration) (string, error) {
	f.r.step("waiting for the card holder: open %s and pay with a test card,", link.ShortURL)
	f.r.detail("such as 4111 1111 1111 1111 (any future expiry, any CVV), within %v", wait)

	tooLate := fmt.Errorf("the card holder did not pay %s within %v (set -wait to wait longer)", link.ShortURL, wait)
	waitCtx, cancel := context.WithTimeoutCause(ctx, wait, tooLate)
	defer cancel()

	const pollEvery, reportEvery = 5 * time.Second, 15 * time.Second
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	start, reported := time.Now(), time.Now()
	for {
		inv, err := f.client.Invoice.Fetch(waitCtx, link.ID)
		switch {
		case waitCtx.Err() != nil:
			return "", f.giveUp(ctx, link, context.Cause(waitCtx))
		case err != nil:
			return "", fmt.Errorf("check the registration link: %w", err)
		case inv.Status == razorpay.InvoiceStatusPaid:
			f.r.step("the card holder authorized the mandate: link %s paid by payment %s", inv.ID, inv.PaymentID)
			return inv.PaymentID, nil
		case inv.Status == razorpay.InvoiceStatusCancelled, inv.Status == razorpay.InvoiceStatusExpired:
			return "", fmt.Errorf("registration link %s is %s: there is no mandate to charge", inv.ID, inv.Status)
		}
		if time.Since(reported) >= reportEvery {
			reported = time.Now()
			f.r.detail("waiting for the card holder… %v elapsed, status %s", time.Since(start).Round(time.Second), inv.Status)
		}
		select {
		case <-waitCtx.Done():
			return "", f.giveUp(ctx, link, context.Cause(waitCtx))
		case <-ticker.C:
		}
	}
}

// giveUp cancels a registration link nobody paid, so that it cannot be paid
// after the example has stopped watching it, and returns why it gave up.
func (f *flow) giveUp(ctx context.Context, link *razorpay.Invoice, why error) error {
	// ctx may be done already: cancel with a short deadline of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := f.client.Invoice.Cancel(ctx, link.ID); err != nil {
		return fmt.Errorf("%w; cancelling link %s failed too: %v", why, link.ID, err)
	}
	f.r.detail("cancelled registration link %s", link.ID)
	return why
}

// afterAuthorization is the rest of the flow, the same in both modes: all it
// needs is the id of the payment with which the card holder approved the
// mandate.
func (f *flow) afterAuthorization(ctx context.Context, cust *razorpay.Customer, authPaymentID string) error {
	auth, err := f.tokenByPayment(ctx, authPaymentID)
	if err != nil {
		return err
	}
	// The token belongs to the customer of the authorization payment (a
	// registration link may have picked an existing customer of yours).
	customerID := cust.ID
	if auth.CustomerID != "" {
		customerID = auth.CustomerID
	}
	token, err := f.confirmedToken(ctx, customerID, auth.TokenID)
	if err != nil {
		return err
	}
	order, err := f.createChargeOrder(ctx, receipt(customerID, time.Now()))
	if err != nil {
		return err
	}
	payment, err := f.createRecurringPayment(ctx, cust, customerID, token.ID, order)
	if err != nil {
		return err
	}
	if err := f.listTokens(ctx, customerID); err != nil {
		return err
	}
	cardID := payment.CardID
	if cardID == "" {
		cardID = auth.CardID // the same card
	}
	if err := f.fetchCard(ctx, cardID); err != nil {
		return err
	}
	if err := f.requestCardReference(ctx, token.ID); err != nil {
		return err
	}
	nextMonth := time.Now().AddDate(0, 0, 32) // any day of next month
	if err := f.chargeNextMonth(ctx, cust, customerID, token.ID, receipt(customerID, nextMonth)); err != nil {
		return err
	}
	if err := f.deleteToken(ctx, customerID, token.ID); err != nil {
		return err
	}
	f.r.line("")
	f.r.line("done: the mandate was registered, charged twice and deleted")
	return nil
}

// tokenByPayment reads the authorization payment: its TokenID is the mandate
// token to charge from now on. Store it with the customer.
func (f *flow) tokenByPayment(ctx context.Context, paymentID string) (*razorpay.Payment, error) {
	auth, err := f.client.Token.FetchByPayment(ctx, paymentID)
	if err != nil {
		return nil, fmt.Errorf("fetch the token by payment: %w", err)
	}
	if auth.TokenID == "" {
		return nil, fmt.Errorf("payment %s (%s) carries no token: was it made on a recurring authorization order?", auth.ID, auth.Status)
	}
	f.r.step("token fetched by payment (Token.FetchByPayment): payment %s (%s) created token %s", auth.ID, auth.Status, auth.TokenID)
	return auth, nil
}

// confirmedToken reads the token until its mandate is confirmed. Card
// mandates are usually confirmed at once; while the bank has not answered,
// recurring_details.status is initiated.
func (f *flow) confirmedToken(ctx context.Context, customerID, tokenID string) (*razorpay.Token, error) {
	for {
		token, err := f.client.Token.Fetch(ctx, customerID, tokenID)
		if err != nil {
			return nil, fmt.Errorf("fetch the token: %w", err)
		}
		switch status := token.MandateStatus(); status {
		case razorpay.TokenRecurringStatusConfirmed:
			f.r.step("token confirmed (Token.Fetch): %s, recurring_details.status %s", token.ID, status)
			if c := token.Card; c != nil {
				f.r.detail("%s %s card ending in %s, up to %s per debit", c.Network, c.Type, c.Last4, rupees(token.MaxAmount))
			} else {
				f.r.detail("up to %s per debit", rupees(token.MaxAmount))
			}
			return token, nil
		case razorpay.TokenRecurringStatusInitiated, "":
			f.r.detail("token %s: mandate not confirmed yet (status %q), checking again in 3s", token.ID, status)
		default: // rejected, cancelled, paused
			return nil, fmt.Errorf("token %s cannot be charged: its mandate is %s %s", token.ID, status, token.RecurringDetails.FailureReason)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the mandate of token %s: %w", tokenID, ctx.Err())
		case <-time.After(3 * time.Second):
		}
	}
}

// createChargeOrder creates the order one recurring payment pays. Payment.Charge
// (see chargeNextMonth) does this and the next step for you; they are shown
// here one by one.
func (f *flow) createChargeOrder(ctx context.Context, receipt string) (*razorpay.Order, error) {
	order, err := f.client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount:         monthlyAmount,
		Currency:       currency,
		Receipt:        receipt, // unique per bill: how you find the order again
		PaymentCapture: razorpay.Ptr(true),
	})
	if err != nil {
		return nil, fmt.Errorf("create the charge order: %w", err)
	}
	f.r.step("charge order created (Order.Create): %s for %s, receipt %s", order.ID, rupees(order.Amount), order.Receipt)
	return order, nil
}

// createRecurringPayment charges the mandate once, on the charge order, checks
// the signature of Razorpay's answer and reads the payment back.
//
// CreateRecurring is never retried by the SDK: after an error matching
// razorpay.ErrOutcomeUnknown the card may have been charged, so look at
// Order.Payments before trying again. Payment.Charge does that for you.
func (f *flow) createRecurringPayment(ctx context.Context, cust *razorpay.Customer, customerID, tokenID string, order *razorpay.Order) (*razorpay.Payment, error) {
	rp, err := f.client.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
		Email:       cust.Email,
		Contact:     cust.Contact,
		Amount:      order.Amount,
		Currency:    order.Currency,
		OrderID:     order.ID,
		CustomerID:  customerID,
		TokenID:     tokenID,
		Description: "Monthly plan",
	})
	if err != nil {
		return nil, fmt.Errorf("create the recurring payment: %w", err)
	}
	payment, err := f.client.Payment.Fetch(ctx, rp.PaymentID)
	if err != nil {
		return nil, fmt.Errorf("fetch the recurring payment: %w", err)
	}
	// A recurring payment may stay created for up to a working day; its
	// outcome then arrives by webhook (payment.captured or payment.failed).
	f.r.step("recurring payment created (Payment.CreateRecurring): %s on order %s, status %s, %s",
		payment.ID, order.ID, payment.Status, rupees(payment.Amount))

	// Check the answer's signature against your own order id, never against
	// an order id that came with the answer.
	if rp.Signature == "" {
		f.r.step("signature not checked: Razorpay sent none with this answer")
		return payment, nil
	}
	if err := razorpay.VerifyPaymentSignature(order.ID, rp.PaymentID, rp.Signature, f.keySecret); err != nil {
		return nil, fmt.Errorf("verify the payment signature: %w", err)
	}
	f.r.step("signature verified (razorpay.VerifyPaymentSignature): HMAC-SHA256 of %s|%s with the key secret matches",
		order.ID, rp.PaymentID)
	return payment, nil
}

// listTokens lists the customer's tokens, such as to show saved cards.
func (f *flow) listTokens(ctx context.Context, customerID string) error {
	tokens, err := f.client.Token.List(ctx, customerID)
	if err != nil {
		return fmt.Errorf("list the tokens: %w", err)
	}
	f.r.step("tokens listed (Token.List): customer %s has %d", customerID, len(tokens.Items))
	for _, t := range tokens.Items {
		card := ""
		if t.Card != nil {
			card = fmt.Sprintf(", %s card ending in %s", t.Card.Network, t.Card.Last4)
		}
		f.r.detail("%s: %s, mandate %s%s", t.ID, t.Method, t.MandateStatus(), card)
	}
	return nil
}

// fetchCard reads the card a payment was made with: never its number, only
// its network, type, issuer and last four digits.
func (f *flow) fetchCard(ctx context.Context, cardID string) error {
	card, err := f.client.Card.Fetch(ctx, cardID)
	if err != nil {
		return fmt.Errorf("fetch the card: %w", err)
	}
	f.r.step("card fetched (Card.Fetch): %s, %s %s card ending in %s, issued by %s", card.ID, card.Network, card.Type, card.Last4, card.Issuer)
	return nil
}

// requestCardReference asks for the card's reference, which identifies the
// card across tokens and payments without its number. The feature must be
// enabled on the account: without it, Razorpay answers "The requested URL was
// not found on the server", and the example goes on.
func (f *flow) requestCardReference(ctx context.Context, tokenID string) error {
	ref, err := f.client.Card.RequestCardReference(ctx, &razorpay.CardReferenceParams{Token: tokenID})
	var rzpErr *razorpay.Error
	switch {
	case errors.As(err, &rzpErr) && rzpErr.FeatureNotEnabled():
		f.r.step("card reference: not enabled on this account (ask Razorpay support to enable card references); skipped")
		return nil
	case err != nil:
		return fmt.Errorf("request the card reference: %w", err)
	}
	id := ref.PaymentAccountReference // Visa and Mastercard
	if id == "" {
		id = ref.NetworkReferenceID // RuPay
	}
	f.r.step("card reference (Card.RequestCardReference): %s %s", ref.NetworkName(), id)
	return nil
}

// chargeNextMonth charges the mandate the recommended way: Payment.Charge
// keys the charge by the bill's receipt, so running it again for the same
// bill (after a crash, a redelivery, in two workers) never charges twice.
func (f *flow) chargeNextMonth(ctx context.Context, cust *razorpay.Customer, customerID, tokenID, receipt string) error {
	params := &razorpay.ChargeParams{
		CustomerID:  customerID,
		TokenID:     tokenID,
		Amount:      monthlyAmount,
		Currency:    currency,
		Email:       cust.Email,
		Contact:     cust.Contact,
		Receipt:     receipt,
		Description: "Monthly plan",
	}
	payment, err := f.client.Payment.Charge(ctx, params)
	var ce *razorpay.ChargeError
	errors.As(err, &ce)
	switch outcome := razorpay.OutcomeOf(payment, err); outcome {
	case razorpay.OutcomeCharged, razorpay.OutcomePending, razorpay.OutcomeRefunded:
		// The bill's payment: captured, or still at the bank (pending: call
		// Charge again later, or wait for payment.captured/failed).
		f.r.step("next month, charged the recommended way (Payment.Charge): payment %s is %s (%s), %s, receipt %s",
			payment.ID, payment.Status, outcome, rupees(payment.Amount), receipt)
		return nil
	case razorpay.OutcomeUnknown:
		// Maybe charged, or another attempt is charging it. Call Charge
		// again with the same params (the same receipt) after RetryAfter:
		// it returns the payment, or charges only if none can exist.
		var after time.Duration
		if ce != nil {
			after = ce.RetryAfter
		}
		return fmt.Errorf("next month's charge: %w (call Charge again with receipt %q after %v)", err, receipt, after)
	default:
		// Not charged (charging again is safe), or for a person: a receipt
		// conflict, invalid params, a receipt that cannot be read whole.
		return fmt.Errorf("next month's charge, %s: %w", outcome, err)
	}
}

// deleteToken deletes the token, which ends the mandate: it can no longer be
// charged.
func (f *flow) deleteToken(ctx context.Context, customerID, tokenID string) error {
	if err := f.client.Token.Delete(ctx, customerID, tokenID); err != nil {
		return fmt.Errorf("delete the token: %w", err)
	}
	f.r.step("token deleted (Token.Delete): %s; the mandate has ended", tokenID)
	return nil
}

// receipt is the reference of one bill: the customer and the month. Make it
// unique per charge, as it is how you find the charge order again.
func receipt(customerID string, month time.Time) string {
	return customerID + "-" + month.Format("2006-01")
}

// rupees formats an amount in paise, such as "₹499.00 (49900 paise)".
func rupees(paise int64) string {
	return fmt.Sprintf("₹%d.%02d (%d paise)", paise/100, paise%100, paise)
}

// report prints the numbered steps of the flow.
type report struct {
	w io.Writer
	n int // the last step's number
}

// step prints the next numbered step.
func (r *report) step(format string, args ...any) {
	r.n++
	fmt.Fprintf(r.w, "%2d. %s\n", r.n, fmt.Sprintf(format, args...))
}

// detail prints an indented line under the current step.
func (r *report) detail(format string, args ...any) {
	fmt.Fprintf(r.w, "    %s\n", fmt.Sprintf(format, args...))
}

// line prints an unnumbered line.
func (r *report) line(format string, args ...any) {
	fmt.Fprintf(r.w, "%s\n", fmt.Sprintf(format, args...))
}
