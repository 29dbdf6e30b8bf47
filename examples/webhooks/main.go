// Command webhooks runs a Razorpay webhook endpoint built on
// razorpay.WebhookHandler and shows how to act on every event exactly once.
//
// Razorpay delivers webhooks at least once: it redelivers an event whenever
// it gets no 2xx answer within 5 seconds, so the same event may arrive more
// than once, and one charge raises both payment.captured and order.paid. The
// endpoint therefore
//
//   - skips an event whose IdempotencyKey it has handled already (the key is
//     derived from the signed body, such as "token.confirmed:token_X"; the
//     X-Razorpay-Event-Id header is not signed, so a replayed delivery may
//     carry any id),
//   - records a payment once, whichever of payment.captured and order.paid
//     arrives first, and
//   - answers 500 when it cannot do its work, so that Razorpay tries again.
//
// The example runs offline: razorpaytest, the in-memory fake Razorpay, posts
// signed events to the endpoint while the example registers a card mandate
// and charges it. The endpoint fails the first delivery of token.confirmed on
// purpose, and the example replays one delivery twice: once the way Razorpay
// does when it misses an answer, and once with another event id, the way a
// replay by someone who captured the delivery would:
//
//	go run ./examples/webhooks
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// webhookSecret is the secret of the webhook, set per webhook in the
// Dashboard (it is not the API key secret). In production, read it from your
// configuration.
const webhookSecret = "example-webhook-secret"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The endpoint: an HTTP server on a free port of the loopback interface.
	st := newStore(razorpay.EventTokenConfirmed)
	mux := http.NewServeMux()
	mux.Handle("/webhooks/razorpay", razorpay.WebhookHandler(webhookSecret, st.handle))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	endpoint := "http://" + ln.Addr().String() + "/webhooks/razorpay"
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(ln) }() // returns http.ErrServerClosed after Shutdown
	defer func() { _ = server.Shutdown(context.WithoutCancel(ctx)) }()
	fmt.Println("webhook endpoint listening at", endpoint)

	// The fake Razorpay, which posts a signed event to the endpoint for every
	// state change, and redelivers the ones that fail.
	srv := razorpaytest.NewServer(razorpaytest.WithWebhook(endpoint, webhookSecret))
	if err := srv.Err(); err != nil {
		return fmt.Errorf("start the fake Razorpay: %w", err)
	}
	defer srv.Close()
	fmt.Println("fake Razorpay at", srv.URL)

	if err := registerAndCharge(ctx, srv); err != nil {
		return err
	}
	if err := srv.WaitForWebhooks(ctx); err != nil {
		return fmt.Errorf("wait for the webhooks: %w", err)
	}

	// Razorpay also redelivers an event that the endpoint did handle, when
	// the 200 came too late or got lost. Replay token.confirmed like that,
	// then again with another X-Razorpay-Event-Id (the header is not signed):
	// the endpoint must not act on it again.
	deliveries := srv.Webhooks()
	replayed := -1
	for i, d := range deliveries {
		if d.Event == razorpay.EventTokenConfirmed {
			replayed = i
			break
		}
	}
	if replayed < 0 {
		return errors.New("the fake delivered no token.confirmed event")
	}
	if err := redeliver(ctx, endpoint, deliveries[replayed], deliveries[replayed].EventID); err != nil {
		return err
	}
	if err := redeliver(ctx, endpoint, deliveries[replayed], "evt_ReplayedWithNewId"); err != nil {
		return err
	}

	fmt.Println()
	fmt.Println("what the endpoint did, in order:")
	for _, line := range st.journal() {
		fmt.Println("  " + line)
	}

	fmt.Println()
	fmt.Println("what the fake Razorpay delivered:")
	for i, d := range deliveries {
		note := ""
		if d.Attempts > 1 {
			note = fmt.Sprintf(" on attempt %d, redelivered after a 500", d.Attempts)
		}
		if i == replayed {
			note += ", then replayed twice by the example (the second time as evt_ReplayedWithNewId)"
		}
		fmt.Printf("  %s %-18s answered %d%s\n", d.EventID, d.Event, d.StatusCode, note)
	}

	fmt.Println()
	fmt.Println(st.summary())
	return st.check()
}

// check fails the run when a replay or a redelivery was processed twice:
// the example shows deduplication, so it must hold.
func (s *store) check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dupEvents < 2 {
		return fmt.Errorf("only %d deliveries skipped by idempotency key, want 2 (the redelivery and the replay with another event id)", s.dupEvents)
	}
	return nil
}

// registerAndCharge runs the part of the recurring-card flow that raises
// webhooks: a card holder approves a mandate, then the mandate is charged.
func registerAndCharge(ctx context.Context, srv *razorpaytest.Server) error {
	client := srv.Client()
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
	})
	if err != nil {
		return fmt.Errorf("create the customer: %w", err)
	}
	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500_000, Frequency: razorpay.FrequencyMonthly},
	})
	if err != nil {
		return fmt.Errorf("create the authorization order: %w", err)
	}
	auth, err := srv.CompleteAuthorization(order.ID) // the card holder approves the mandate
	if err != nil {
		return fmt.Errorf("play the card holder: %w", err)
	}
	charge, err := client.Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: cust.ID, TokenID: auth.TokenID, Amount: 49_900, Currency: "INR",
		Email: cust.Email, Contact: cust.Contact, Receipt: cust.ID + "-2026-11",
	})
	if err != nil {
		return fmt.Errorf("charge the mandate: %w", err)
	}
	fmt.Printf("flow: mandate approved with payment %s, token %s; charged with payment %s (%s)\n",
		auth.ID, auth.TokenID, charge.ID, charge.Status)
	return nil
}

// redeliver posts a delivery to the endpoint again, with its original body
// and signature and the given event id.
func redeliver(ctx context.Context, endpoint string, d razorpaytest.WebhookDelivery, eventID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(d.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Razorpay-Signature", d.Signature)
	req.Header.Set("X-Razorpay-Event-Id", eventID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("replay %s: %w", eventID, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("replay %s: the endpoint answered %s", eventID, resp.Status)
	}
	return nil
}

// store is what the endpoint remembers. In production it is your database:
// record the event's IdempotencyKey in the same transaction as the work it
// stands for.
type store struct {
	mu        sync.Mutex
	events    map[string]bool               // IdempotencyKeys of the events handled
	payments  map[string]razorpay.EventType // payments recorded, and by which event
	failFirst razorpay.EventType            // the event whose first delivery fails; "" once it has
	mandates  map[string]mandate            // token id → its mandate, from the authorization payment
	lines     []string

	processed, ignored, failed int
	dupEvents, dupPayments     int
}

// mandate is what your database knows of a card mandate: the customer and
// the authorization order it was registered with.
type mandate struct{ customerID, orderID string }

func newStore(failFirst razorpay.EventType) *store {
	return &store{
		events:    make(map[string]bool),
		payments:  make(map[string]razorpay.EventType),
		mandates:  make(map[string]mandate),
		failFirst: failFirst,
	}
}

// handle is the webhook function. WebhookHandler has verified the signature
// and parsed the event; a nil error answers 200, an error answers 500 and
// Razorpay delivers the event again. Keep it fast: Razorpay waits 5 seconds
// at most.
func (s *store) handle(_ context.Context, ev *razorpay.WebhookEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	key := ev.IdempotencyKey() // from the signed body: not ev.ID, which is an unsigned header
	if s.events[key] {
		s.dupEvents++
		s.logf(ev, "skipped: this event was handled already")
		return nil // 200, so that Razorpay stops redelivering it
	}
	if ev.Event == s.failFirst {
		s.failFirst = ""
		s.failed++
		s.logf(ev, "FAILED on purpose (say, the database is down): answered 500, Razorpay will retry")
		return errors.New("simulated outage")
	}

	switch ev.Event {
	case razorpay.EventPaymentAuthorized:
		// The authorization payment (the first payment of a token; later
		// ones are charges) links the token to its mandate: a token.* event
		// carries the token id only, not the customer or the order.
		s.ignored++
		p := ev.Payment
		if _, known := s.mandates[p.TokenID]; p.TokenID == "" || known {
			s.logf(ev, "ignored: nothing to do")
			break
		}
		s.mandates[p.TokenID] = mandate{customerID: p.CustomerID, orderID: p.OrderID}
		s.logf(ev, "noted: token %s is the mandate of customer %s, authorized on order %s", p.TokenID, p.CustomerID, p.OrderID)
	case razorpay.EventTokenConfirmed, razorpay.EventTokenPaused, razorpay.EventTokenRejected, razorpay.EventTokenCancelled:
		m, ok := s.mandates[ev.Token.ID]
		if !ok {
			// Events arrive in no guaranteed order: answer 500 and let
			// Razorpay redeliver once the authorization payment is known (or
			// look it up with Token.FetchByPayment from the payment id of
			// your Checkout callback).
			s.failed++
			s.logf(ev, "not yet: token %s belongs to no known mandate", ev.Token.ID)
			return errors.New("unknown token")
		}
		s.processed++
		if ev.Token.Chargeable() {
			s.logf(ev, "processed: the mandate of customer %s (order %s) can be charged with token %s", m.customerID, m.orderID, ev.Token.ID)
		} else {
			s.logf(ev, "processed: the mandate of customer %s (order %s) is %s; ask the customer to authorize again", m.customerID, m.orderID, ev.Token.MandateStatus())
		}
	case razorpay.EventPaymentCaptured, razorpay.EventOrderPaid:
		// One charge raises both events, in no guaranteed order: record the
		// payment once, keyed on its id.
		p := ev.Payment
		if p == nil {
			s.ignored++
			s.logf(ev, "ignored: no payment in the payload")
			break
		}
		if first, seen := s.payments[p.ID]; seen {
			s.dupPayments++
			s.logf(ev, "skipped: payment %s was recorded from %s already", p.ID, first)
			break
		}
		s.payments[p.ID] = ev.Event
		s.processed++
		s.logf(ev, "processed: payment %s of ₹%d.%02d recorded as paid", p.ID, p.Amount/100, p.Amount%100)
	case razorpay.EventPaymentFailed:
		s.processed++
		s.logf(ev, "processed: payment %s failed: %s", ev.Payment.ID, ev.Payment.ErrorDescription)
	default:
		s.ignored++
		s.logf(ev, "ignored: nothing to do")
	}
	s.events[key] = true // only once the work is done
	return nil
}

// logf adds a line about an event to the journal. The caller holds s.mu.
func (s *store) logf(ev *razorpay.WebhookEvent, format string, args ...any) {
	s.lines = append(s.lines, fmt.Sprintf("%s %-18s %s", ev.ID, ev.Event, fmt.Sprintf(format, args...)))
}

// journal returns what the endpoint did, in order.
func (s *store) journal() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// summary counts what the endpoint did.
func (s *store) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("summary: %d processed, %d ignored, %d skipped as duplicates (%d by idempotency key, %d by payment id), %d failed on purpose and redelivered",
		s.processed, s.ignored, s.dupEvents+s.dupPayments, s.dupEvents, s.dupPayments, s.failed)
}
