package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// scenario builds, in a fake, the state that raises one event.
type scenario struct {
	event razorpay.EventType
	what  string
	build func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error
}

// scenarios covers every event type the SDK models.
func scenarios() []scenario {
	return []scenario{
		{razorpay.EventTokenConfirmed, "a card holder approves a mandate", func(ctx context.Context, srv *razorpaytest.Server, _ *razorpay.Client) error {
			_, err := srv.NewMandate(ctx, 1_500_000)
			return err
		}},
		{razorpay.EventTokenRejected, "the bank rejects a mandate", func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error {
			order, err := authorizationOrder(ctx, client)
			if err != nil {
				return err
			}
			_, err = srv.RejectAuthorization(order.ID, "")
			return err
		}},
		{razorpay.EventTokenPaused, "the card holder pauses a mandate", mandateThen(razorpay.TokenRecurringStatusPaused)},
		{razorpay.EventTokenCancelled, "the card holder cancels a mandate", mandateThen(razorpay.TokenRecurringStatusCancelled)},
		{razorpay.EventPaymentAuthorized, "a recurring charge", recurringCharge(nil)},
		{razorpay.EventPaymentCaptured, "a recurring charge", recurringCharge(nil)},
		{razorpay.EventOrderPaid, "a recurring charge", recurringCharge(nil)},
		{razorpay.EventPaymentFailed, "the bank declines a recurring charge", recurringCharge(func(srv *razorpaytest.Server, p *razorpay.Payment) error {
			return srv.FailPayment(p.ID, "Payment was declined by the bank")
		})},
		{razorpay.EventInvoicePaid, "a card holder pays a registration link", func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error {
			inv, err := registrationLink(ctx, client)
			if err != nil {
				return err
			}
			_, err = srv.CompleteAuthorization(inv.ID)
			return err
		}},
		{razorpay.EventInvoiceExpired, "a registration link expires unpaid", func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error {
			inv, err := registrationLink(ctx, client)
			if err != nil {
				return err
			}
			return srv.ExpireLink(inv.ID)
		}},
		{razorpay.EventOrderNotificationDelivered, "a charge order's pre-debit notification reaches the customer", preDebit(true)},
		{razorpay.EventOrderNotificationFailed, "a charge order's pre-debit notification fails", preDebit(false)},
		{razorpay.EventRefundCreated, "a recurring charge refunded in part", refundScenario(false)},
		{razorpay.EventRefundProcessed, "a recurring charge refunded in part", refundScenario(false)},
		{razorpay.EventRefundFailed, "the bank fails a refund", refundScenario(true)},
	}
}

func authorizationOrder(ctx context.Context, client *razorpay.Client) (*razorpay.Order, error) {
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
	})
	if err != nil {
		return nil, err
	}
	return client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 1_500_000, Frequency: razorpay.FrequencyMonthly},
	})
}

func registrationLink(ctx context.Context, client *razorpay.Client) (*razorpay.Invoice, error) {
	return client.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer:    razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210"},
		Amount:      100,
		Currency:    "INR",
		Description: "Monthly subscription",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{
			Method: razorpay.PaymentMethodCard, MaxAmount: 1_500_000, Frequency: razorpay.FrequencyMonthly,
		},
		Receipt: "trigger-link",
	})
}

func mandateThen(status razorpay.TokenRecurringStatus) func(context.Context, *razorpaytest.Server, *razorpay.Client) error {
	return func(ctx context.Context, srv *razorpaytest.Server, _ *razorpay.Client) error {
		m, err := srv.NewMandate(ctx, 1_500_000)
		if err != nil {
			return err
		}
		return srv.SetMandateStatus(m.TokenID, status)
	}
}

func recurringCharge(then func(*razorpaytest.Server, *razorpay.Payment) error) func(context.Context, *razorpaytest.Server, *razorpay.Client) error {
	return func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error {
		m, err := srv.NewMandate(ctx, 1_500_000)
		if err != nil {
			return err
		}
		p, err := client.Payment.Charge(ctx, &razorpay.ChargeParams{
			CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
			Email: m.Email, Contact: m.Contact, Receipt: "trigger-charge", Description: "Monthly subscription",
		})
		if err != nil || then == nil {
			return err
		}
		return then(srv, p)
	}
}

func preDebit(delivered bool) func(context.Context, *razorpaytest.Server, *razorpay.Client) error {
	return func(ctx context.Context, srv *razorpaytest.Server, client *razorpay.Client) error {
		m, err := srv.NewMandate(ctx, 1_500_000)
		if err != nil {
			return err
		}
		order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
			Amount: 49_900, Currency: "INR", Receipt: "trigger-notification", PaymentCapture: razorpay.Ptr(true),
			Notification: &razorpay.OrderNotificationParams{TokenID: m.TokenID},
		})
		if err != nil {
			return err
		}
		return srv.NotifyPreDebit(order.ID, delivered)
	}
}

func eventNames() string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, "  "+string(s.event)+strings.Repeat(" ", 30-len(s.event))+s.what)
	}
	return strings.Join(names, "\n")
}

func triggerCommand() *command {
	return &command{
		name:    "trigger",
		summary: "raise a webhook event in a fake and deliver it, signed, to your endpoint",
		usage: `  razorpay trigger EVENT --forward-to URL [--secret S] [--seed N] [--timeout 30s] [--json]

Builds, in a fresh embedded fake Razorpay, the state that raises EVENT (a
mandate, a charge, a link...) and delivers the events that raises, signed with
the webhook secret (--secret or RAZORPAY_WEBHOOK_SECRET) and redelivered on
failure, exactly as Razorpay would. One line per delivery with your
endpoint's answer; EVENT is marked with *. Exit 0 when your endpoint accepted
EVENT (2xx).

Events:
` + eventNames() + "\n",
		run: runTrigger,
	}
}

// triggerJSON is the --json document of trigger.
type triggerJSON struct {
	Event      string         `json:"event"`
	Delivered  bool           `json:"delivered"`
	Deliveries []deliveryJSON `json:"deliveries"`
}

func runTrigger(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, false)
	var ff fakeFlags
	ff.register(fs, "")
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
	var sc *scenario
	for _, s := range scenarios() {
		if string(s.event) == pos[0] {
			sc = &s
		}
	}
	if sc == nil {
		return usagef("unknown event %q; one of:\n%s", pos[0], eventNames())
	}
	if err := required("--forward-to", *forward); err != nil {
		return err
	}
	secret := a.webhookSecret(*secretFlag)
	if secret == "" {
		return usagef("--secret is required (or set RAZORPAY_WEBHOOK_SECRET): your endpoint verifies with it")
	}
	opts := append(ff.options(), razorpaytest.WithWebhook(*forward, secret))
	srv := razorpaytest.NewServer(opts...)
	if err := srv.Err(); err != nil {
		return fmt.Errorf("starting the fake: %w", err)
	}
	defer srv.Close()
	if err := sc.build(ctx, srv, srv.Client(razorpay.WithAppInfo("razorpay-cli", version))); err != nil {
		return fmt.Errorf("building %s in the fake: %w", sc.event, err)
	}
	wctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	waitErr := srv.WaitForWebhooks(wctx)
	deliveries := srv.Webhooks()
	delivered := false
	for _, d := range deliveries {
		if d.Event == sc.event && d.Delivered {
			delivered = true
		}
	}
	if *jsonOut {
		doc := triggerJSON{Event: string(sc.event), Delivered: delivered, Deliveries: []deliveryJSON{}}
		for _, d := range deliveries {
			doc.Deliveries = append(doc.Deliveries, toDeliveryJSON(d))
		}
		if err := printJSON(a.stdout, doc); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "Triggered %s (%s): %d events to %s\n", sc.event, sc.what, len(deliveries), *forward)
		for _, d := range deliveries {
			mark := "  "
			if d.Event == sc.event {
				mark = "* "
			}
			fmt.Fprintln(a.stdout, mark+deliveryLine(d))
		}
	}
	switch {
	case delivered:
		return nil
	case waitErr != nil:
		return fmt.Errorf("%s was not delivered within %v: %w", sc.event, *timeout, waitErr)
	}
	return fmt.Errorf("your endpoint did not accept %s (it answered no 2xx)", sc.event)
}
