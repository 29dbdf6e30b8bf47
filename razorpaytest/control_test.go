package razorpaytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestControlAuthAndBypass(t *testing.T) {
	t.Parallel()
	srv, rem, _ := dial(t)
	ctx := context.Background()

	// The info endpoint answers anyone; the others need the key pair.
	resp, err := http.Get(srv.URL + razorpaytest.ControlPath + "info")
	require.NoError(t, err)
	var info razorpaytest.Info
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	resp.Body.Close()
	assert.True(t, info.Razorpaytest)
	assert.Equal(t, razorpaytest.ControlVersion, info.Version)
	assert.Equal(t, razorpaytest.KeyID, info.KeyID)

	resp, err = http.Post(srv.URL+razorpaytest.ControlPath+"mandates", "application/json", strings.NewReader(`{"count": 1}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Empty(t, srv.Customers(), "refused without auth")

	// Control requests are not Razorpay traffic: no log, no faults.
	srv.InjectFault(razorpaytest.Fault{Status: 500, Times: -1})
	_, err = rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 1})
	require.NoError(t, err)
	srv.ClearFaults()
	for _, r := range srv.Requests() {
		assert.False(t, strings.HasPrefix(r.Path, razorpaytest.ControlPath), "%s is in the request log", r.Path)
	}

	// Unknown routes and bodies that do not fit.
	err = rem.SetMandateStatus(ctx, "token_X", "frozen")
	assert.ErrorIs(t, err, razorpaytest.ErrUnknownID)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+razorpaytest.ControlPath+"clock/advance", strings.NewReader(`{"seconds": 5}`))
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), `unknown field \"seconds\"`)
	req, _ = http.NewRequest(http.MethodGet, srv.URL+razorpaytest.ControlPath+"no/such/thing", nil)
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestSeedMandatesAndVerify(t *testing.T) {
	t.Parallel()
	clk := time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)
	srv, rem, client := dial(t, razorpaytest.WithClock(func() time.Time { return clk }))
	ctx := context.Background()

	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 3, Amount: 29_900})
	require.NoError(t, err)
	require.Len(t, bills, 3)
	for i, b := range bills {
		assert.Equal(t, fmt.Sprintf("bill-2026-11-%04d", i+1), b.Receipt)
		assert.Equal(t, int64(29_900), b.Amount)
		assert.Equal(t, "INR", b.Currency)
		assert.Equal(t, int64(100_000), b.MaxAmount)
		tk, err := client.Token.Fetch(ctx, b.CustomerID, b.TokenID)
		require.NoError(t, err)
		assert.True(t, tk.Chargeable(), "a confirmed mandate")
	}

	// As CSV, the billing file razorpay bill reads.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+razorpaytest.ControlPath+"mandates", strings.NewReader(`{"count": 2, "receipt_prefix": "sub-"}`))
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	req.Header.Set("Accept", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	csvBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(csvBody)), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "customer,token,amount,currency,receipt,email,contact", lines[0])
	assert.Regexp(t, `^cust_\w+,token_\w+,49900,INR,sub-0004,mandate\.holder\.4@example\.com,\+919000000004$`, lines[1])

	_, err = rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 0})
	assert.ErrorContains(t, err, "count must be 1 to 10000")

	// Charge two of the three; one twice.
	for _, b := range bills[:2] {
		_, err := charge(ctx, client, b)
		require.NoError(t, err)
	}
	_, err = charge(ctx, client, bills[0])
	require.NoError(t, err)
	v, err := rem.Verify(ctx)
	require.NoError(t, err)
	assert.Equal(t, razorpaytest.Verification{Bills: 2, Charged: 2, Payments: map[string]int{"captured": 2}, DoubleCharges: []string{}}, v,
		"the authorization orders are no bills; an empty rerun order adds no payment")
	doubles, err := rem.DoubleCharges(ctx)
	require.NoError(t, err)
	assert.Empty(t, doubles)
	pays, err := rem.ReceiptPayments(ctx, bills[0].Receipt)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	assert.Equal(t, razorpay.PaymentStatusCaptured, pays[0].Status)
	pays, err = rem.ReceiptPayments(ctx, "no/such receipt")
	require.NoError(t, err)
	assert.Empty(t, pays)
}

func TestAdvanceClock(t *testing.T) {
	t.Parallel()
	srv, rem, client := dial(t, razorpaytest.WithRecurringDelay(time.Hour))
	ctx := context.Background()
	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 1})
	require.NoError(t, err)
	p, err := charge(ctx, client, bills[0])
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusCreated, p.Status, "waiting for the bank")

	before := time.Now()
	now, err := rem.AdvanceClock(ctx, 61*time.Minute)
	require.NoError(t, err)
	assert.WithinDuration(t, before.Add(61*time.Minute), now, 5*time.Second)
	info, err := rem.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(61*60), info.ClockOffset)
	assert.Equal(t, int64(3600), info.RecurringDelay)

	// The bank's delay has passed on the server's clock: captured.
	v, err := rem.Verify(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, v.Charged)
	got, err := client.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, got.Status)

	// New entities carry the server's time; the in-process method agrees.
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Asha Rao"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, cust.CreatedAt, before.Add(61*time.Minute).Unix())
	assert.WithinDuration(t, before.Add(71*time.Minute), srv.AdvanceClock(10*time.Minute), 5*time.Second)
	assert.WithinDuration(t, before.Add(71*time.Minute), srv.AdvanceClock(-time.Hour), 5*time.Second, "never back")
}

func TestBankRules(t *testing.T) {
	t.Parallel()
	rc := newWebhookRecorder(t)
	srv, rem, client := dial(t, razorpaytest.WithWebhook(rc.URL, "whsec_control"))
	ctx := context.Background()
	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 4})
	require.NoError(t, err)
	require.NoError(t, srv.WaitForWebhooks(ctx))
	seeded := len(srv.Webhooks())

	require.NoError(t, rem.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankHold, Receipt: bills[0].Receipt}))
	require.NoError(t, rem.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankDecline, TokenID: bills[1].TokenID, Reason: "Insufficient funds"}))
	rules, err := rem.BankRules(ctx)
	require.NoError(t, err)
	assert.Equal(t, []razorpaytest.BankRule{
		{Action: razorpaytest.BankHold, Receipt: bills[0].Receipt, Times: 1},
		{Action: razorpaytest.BankDecline, TokenID: bills[1].TokenID, Reason: "Insufficient funds", Times: 1},
	}, rules)
	err = rem.AddBankRule(ctx, razorpaytest.BankRule{Action: "capture"})
	assert.ErrorContains(t, err, `action must be "hold" or "decline"`)

	// Held: the payment stays created, however long.
	held, err := charge(ctx, client, bills[0])
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCreated, held.Status)
	assert.Equal(t, razorpay.OutcomePending, razorpay.OutcomeOf(held, nil))
	srv.AdvanceClock(48 * time.Hour)
	again, err := charge(ctx, client, bills[0])
	require.NoError(t, err)
	assert.Equal(t, held.ID, again.ID)
	assert.Equal(t, razorpay.PaymentStatusCreated, again.Status, "still held")

	// Declined: not charged, with payment.failed as its only event.
	_, err = charge(ctx, client, bills[1])
	require.ErrorIs(t, err, razorpay.ErrNotCharged)
	var ce *razorpay.ChargeError
	require.ErrorAs(t, err, &ce)
	require.NotNil(t, ce.Payment)
	assert.Equal(t, "Insufficient funds", ce.Payment.ErrorDescription)
	require.NoError(t, srv.WaitForWebhooks(ctx))
	var events []razorpay.EventType
	for _, d := range srv.Webhooks()[seeded:] {
		events = append(events, d.Event)
	}
	assert.Equal(t, []razorpay.EventType{razorpay.EventPaymentFailed}, events, "the hold raises nothing, the decline only payment.failed")

	// Both rules are spent: the next charges go through.
	rules, err = rem.BankRules(ctx)
	require.NoError(t, err)
	assert.Empty(t, rules)
	p, err := charge(ctx, client, bills[1])
	require.NoError(t, err, "dunning on the same receipt")
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)

	// The held payment is settled by hand.
	captured, err := rem.CapturePayment(ctx, held.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, captured.Status)

	// A rule for every payment, until cleared.
	require.NoError(t, rem.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankHold, Times: -1}))
	for _, b := range bills[2:] {
		p, err := charge(ctx, client, b)
		require.NoError(t, err)
		assert.Equal(t, razorpay.PaymentStatusCreated, p.Status)
	}
	rules, err = rem.BankRules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 1, "not spent")
	require.NoError(t, rem.ClearBankRules(ctx))
	rules, err = rem.BankRules(ctx)
	require.NoError(t, err)
	assert.Empty(t, rules)
	v, err := rem.Verify(ctx)
	require.NoError(t, err)
	assert.Equal(t, razorpaytest.Verification{Bills: 4, Charged: 2, Pending: 2,
		Payments: map[string]int{"captured": 2, "created": 2, "failed": 1}, DoubleCharges: []string{}}, v)
}

func TestHoldFailCapturePayment(t *testing.T) {
	t.Parallel()
	srv, rem, client := dial(t, razorpaytest.WithRecurringDelay(time.Minute))
	ctx := context.Background()
	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 2})
	require.NoError(t, err)
	p, err := charge(ctx, client, bills[0])
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusCreated, p.Status)

	held, err := rem.HoldPayment(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCreated, held.Status)
	srv.AdvanceClock(time.Hour)
	pays, err := rem.ReceiptPayments(ctx, bills[0].Receipt)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	assert.Equal(t, razorpay.PaymentStatusCreated, pays[0].Status, "held past the bank's delay")

	failed, err := rem.FailPayment(ctx, p.ID, "Card blocked")
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusFailed, failed.Status)
	assert.Equal(t, "Card blocked", failed.ErrorDescription)
	_, err = rem.HoldPayment(ctx, p.ID)
	assert.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	assert.ErrorContains(t, err, "is failed, not created")
	_, err = rem.FailPayment(ctx, p.ID, "")
	assert.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	_, err = rem.CapturePayment(ctx, "pay_NoSuchPayment")
	assert.ErrorIs(t, err, razorpaytest.ErrUnknownID)
	assert.ErrorContains(t, err, `razorpaytest: no such entity: payment "pay_NoSuchPayment"`)

	// A late authorization of the failed payment.
	late, err := rem.CapturePayment(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, late.Status)

	// A cancelled mandate cannot be charged.
	require.NoError(t, rem.SetMandateStatus(ctx, bills[1].TokenID, razorpay.TokenRecurringStatusCancelled))
	_, err = charge(ctx, client, bills[1])
	assert.ErrorIs(t, err, razorpay.ErrNotCharged)
	err = rem.SetMandateStatus(ctx, bills[1].TokenID, razorpay.TokenRecurringStatusConfirmed)
	assert.ErrorIs(t, err, razorpaytest.ErrInvalidState, "a cancelled mandate is final")
}

func TestTriggerRaisesOnlyTheActionsEvents(t *testing.T) {
	t.Parallel()
	want := map[razorpay.EventType][]razorpay.EventType{
		razorpay.EventTokenConfirmed:             {"payment.authorized", "payment.captured", "order.paid", "token.confirmed"},
		razorpay.EventTokenRejected:              {"payment.failed", "token.rejected"},
		razorpay.EventTokenPaused:                {"token.paused"},
		razorpay.EventTokenCancelled:             {"token.cancelled"},
		razorpay.EventPaymentAuthorized:          {"payment.authorized", "payment.captured", "order.paid"},
		razorpay.EventPaymentCaptured:            {"payment.authorized", "payment.captured", "order.paid"},
		razorpay.EventOrderPaid:                  {"payment.authorized", "payment.captured", "order.paid"},
		razorpay.EventPaymentFailed:              {"payment.failed"},
		razorpay.EventInvoicePaid:                {"payment.authorized", "payment.captured", "order.paid", "invoice.paid", "token.confirmed"},
		razorpay.EventInvoiceExpired:             {"invoice.expired"},
		razorpay.EventOrderNotificationDelivered: {"order.notification.delivered"},
		razorpay.EventOrderNotificationFailed:    {"order.notification.failed"},
		razorpay.EventRefundCreated:              {"refund.created", "refund.processed"},
		razorpay.EventRefundProcessed:            {"refund.created", "refund.processed"},
		razorpay.EventRefundFailed:               {"refund.created", "refund.processed", "refund.failed"},
	}
	require.Len(t, razorpaytest.TriggerEvents(), len(want))
	rc := newWebhookRecorder(t)
	// Bank rules and a bank delay do not change what a trigger raises.
	srv, rem, client := dial(t, razorpaytest.WithWebhook(rc.URL, "whsec_control"), razorpaytest.WithRecurringDelay(time.Hour))
	ctx := context.Background()
	require.NoError(t, rem.AddBankRule(ctx, razorpaytest.BankRule{Action: razorpaytest.BankHold, Times: -1}))
	for _, te := range razorpaytest.TriggerEvents() {
		delivered := len(srv.Webhooks())
		tr, err := rem.Trigger(ctx, te.Event)
		require.NoError(t, err, te.Event)
		var got []razorpay.EventType
		for _, ev := range tr.Events {
			got = append(got, ev.Event)
			parsed, err := razorpay.ParseWebhook([]byte(ev.Body), razorpaytest.SignWebhook([]byte(ev.Body), "s"), "s")
			require.NoError(t, err, "%s: the body is an event", ev.Event)
			assert.Equal(t, ev.Event, parsed.Event)
		}
		assert.Equal(t, want[te.Event], got, te.Event)
		require.NoError(t, srv.WaitForWebhooks(ctx))
		var sent []razorpay.EventType
		for _, d := range srv.Webhooks()[delivered:] {
			sent = append(sent, d.Event)
			assert.True(t, slices.ContainsFunc(tr.Events, func(ev razorpaytest.TriggeredEvent) bool { return ev.ID == d.EventID }))
		}
		assert.Equal(t, want[te.Event], sent, "%s: the server's own deliveries", te.Event)

		// What it built is in the server, for a handler to fetch.
		if id := tr.Objects["payment_id"]; id != "" {
			p, err := client.Payment.Fetch(ctx, id)
			require.NoError(t, err, te.Event)
			if te.Event == razorpay.EventPaymentFailed {
				assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
			}
		}
		if id := tr.Objects["customer_id"]; id != "" {
			_, err := client.Customer.Fetch(ctx, id)
			require.NoError(t, err, te.Event)
		}
	}
	_, err := rem.Trigger(ctx, "payment.refunded")
	assert.ErrorContains(t, err, `no scenario raises "payment.refunded"`)
	deliveries, err := rem.Webhooks(ctx)
	require.NoError(t, err)
	assert.Len(t, deliveries, len(srv.Webhooks()))
	for _, d := range deliveries {
		assert.True(t, d.Delivered)
		assert.Empty(t, d.Body, "no bodies over the control API")
		assert.Empty(t, d.Signature)
	}
}

// webhookRecorder is an endpoint that answers 200 to every delivery.
type webhookRecorder struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
}

func newWebhookRecorder(t *testing.T) *webhookRecorder {
	t.Helper()
	rc := &webhookRecorder{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, bytes.Clone(b))
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.Close)
	return rc
}

// controlStatus sends a control request with the key pair id:secret and
// returns its status and body.
func controlStatus(t *testing.T, srv *razorpaytest.Server, method, path, body, id, secret string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+razorpaytest.ControlPath+path, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestRotateKeySecret(t *testing.T) {
	t.Parallel()
	srv, rem, oldClient := dial(t)
	ctx := context.Background()
	const rotated = "rotatedSecret-0001"
	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 3})
	require.NoError(t, err)
	_, err = charge(ctx, oldClient, bills[0])
	require.NoError(t, err, "the first secret works before the rotation")

	require.NoError(t, rem.RotateKeySecret(ctx, rotated))
	assert.Equal(t, rotated, srv.CurrentKeySecret())
	assert.Equal(t, razorpaytest.KeySecret, srv.KeySecret, "the field keeps the first secret")
	info, err := rem.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, info.KeyRotations)

	// The old secret gets Razorpay's 401 "Authentication failed".
	_, err = oldClient.Customer.Fetch(ctx, bills[1].CustomerID)
	require.ErrorIs(t, err, razorpay.ErrAuthentication)
	requireAPIError(t, err, http.StatusUnauthorized, "Authentication failed", "")
	p, err := charge(ctx, oldClient, bills[1])
	require.ErrorIs(t, err, razorpay.ErrAuthentication)
	assert.Nil(t, p)

	// The new secret works, and recurring payments are signed with it.
	newClient := razorpay.NewClient(razorpaytest.KeyID, rotated, razorpay.WithBaseURL(srv.URL))
	p, err = charge(ctx, newClient, bills[1])
	require.NoError(t, err)
	assert.Equal(t, razorpay.OutcomeCharged, razorpay.OutcomeOf(p, nil))
	o, err := newClient.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: bills[2].Amount, Currency: "INR", Receipt: bills[2].Receipt})
	require.NoError(t, err)
	rp, err := newClient.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{Email: bills[2].Email, Contact: bills[2].Contact,
		Amount: bills[2].Amount, Currency: "INR", OrderID: o.ID, CustomerID: bills[2].CustomerID, TokenID: bills[2].TokenID})
	require.NoError(t, err)
	require.NoError(t, razorpay.VerifyPaymentSignature(o.ID, rp.PaymentID, rp.Signature, rotated))
	require.ErrorIs(t, razorpay.VerifyPaymentSignature(o.ID, rp.PaymentID, rp.Signature, razorpaytest.KeySecret), razorpay.ErrSignatureMismatch)
	_, err = srv.Client().Customer.Fetch(ctx, bills[2].CustomerID)
	require.NoError(t, err, "Client uses the secret accepted now")

	// The control API keeps working with the fixed test pair (the Remote)
	// and with the current pair; another secret is refused.
	v, err := rem.Verify(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, v.Charged)
	assert.Equal(t, 3, v.Payments["captured"], "nothing was charged with the old secret")
	assert.Empty(t, v.DoubleCharges)
	status, _ := controlStatus(t, srv, http.MethodGet, "double_charges", "", razorpaytest.KeyID, rotated)
	assert.Equal(t, http.StatusOK, status)
	status, _ = controlStatus(t, srv, http.MethodGet, "double_charges", "", razorpaytest.KeyID, "notTheSecret")
	assert.Equal(t, http.StatusUnauthorized, status)

	// The answer never holds the secret; bad secrets change nothing.
	status, body := controlStatus(t, srv, http.MethodPost, "keys/rotate", `{"key_secret": "thirdSecret"}`, razorpaytest.KeyID, razorpaytest.KeySecret)
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"key_id": "`+razorpaytest.KeyID+`", "key_rotations": 2}`, body)
	status, body = controlStatus(t, srv, http.MethodPost, "keys/rotate", `{"key_secret": ""}`, razorpaytest.KeyID, razorpaytest.KeySecret)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body, "the secret must have 1 to 256 bytes")
	require.Error(t, rem.RotateKeySecret(ctx, strings.Repeat("s", razorpaytest.MaxKeySecretLength+1)))
	assert.Equal(t, "thirdSecret", srv.CurrentKeySecret())
	_, err = newClient.Customer.Fetch(ctx, bills[2].CustomerID)
	require.ErrorIs(t, err, razorpay.ErrAuthentication, "each rotation retires the secret before it")

	// Rotating back to KeySecret restores the start.
	require.NoError(t, srv.RotateKeySecret(razorpaytest.KeySecret))
	_, err = oldClient.Customer.Fetch(ctx, bills[2].CustomerID)
	require.NoError(t, err)
}
