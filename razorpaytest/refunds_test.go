package razorpaytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// rawRefund posts a refund of paymentID with body and key (none when "")
// without the SDK, and returns the status and decoded body.
func rawRefund(t *testing.T, srv *razorpaytest.Server, paymentID, body, key string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", srv.URL+"/v1/payments/"+paymentID+"/refund", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	if key != "" {
		req.Header.Set("X-Refund-Idempotency", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// A payment refunded in part, then what is left (Amount 0): its
// amount_refunded and refund_status follow, it ends refunded, and the
// refunds are listed and fetched, with their webhooks.
func TestRefundPartialThenTheRest(t *testing.T) {
	t.Parallel()
	sink := newWebhookSink(t, "whsec_refunds")
	f := newFixture(t, razorpaytest.WithWebhook(sink.url, "whsec_refunds"))
	ctx := context.Background()
	p := f.charged(t)

	part, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 16_633, Receipt: "refund-1", Notes: razorpay.Notes{"reason": "cancelled"}})
	require.NoError(t, err)
	assert.Regexp(t, `^rfnd_[0-9A-Za-z]{14}$`, part.ID)
	assert.Equal(t, "refund", part.Entity)
	assert.Equal(t, int64(16_633), part.Amount)
	assert.Equal(t, "INR", part.Currency)
	assert.Equal(t, p.ID, part.PaymentID)
	assert.Equal(t, "refund-1", part.Receipt)
	assert.Equal(t, razorpay.Notes{"reason": "cancelled"}, part.Notes)
	assert.Equal(t, razorpay.RefundStatusProcessed, part.Status, "processed at once without WithRefundDelay")
	assert.Regexp(t, `^[0-9]{23}$`, part.AcquirerData.ARN)
	assert.Equal(t, razorpay.RefundSpeedNormal, part.SpeedRequested)
	assert.Equal(t, razorpay.RefundSpeedNormal, part.SpeedProcessed)
	assert.Empty(t, part.BatchID)

	after, err := f.c.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, after.Status, "a payment refunded in part stays captured")
	assert.Equal(t, int64(16_633), after.AmountRefunded)
	assert.Equal(t, "partial", after.RefundStatus)

	rest, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Speed: razorpay.RefundSpeedOptimum})
	require.NoError(t, err)
	assert.Equal(t, int64(49_900-16_633), rest.Amount, "Amount 0 refunds what is left")
	assert.Equal(t, razorpay.RefundSpeedOptimum, rest.SpeedRequested)
	assert.Equal(t, razorpay.RefundSpeedInstant, rest.SpeedProcessed)
	assert.Empty(t, rest.Receipt)

	after, err = f.c.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusRefunded, after.Status)
	assert.True(t, after.Captured)
	assert.Equal(t, int64(49_900), after.AmountRefunded)
	assert.Equal(t, "full", after.RefundStatus)
	assert.Equal(t, razorpay.OutcomeRefunded, razorpay.OutcomeOf(after, nil))

	_, err = f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 100})
	requireAPIError(t, err, 400, "The payment has been fully refunded already", "")

	list, err := f.c.Payment.Refunds(ctx, p.ID, nil)
	require.NoError(t, err)
	require.Len(t, list.Items, 2)
	assert.Equal(t, rest.ID, list.Items[0].ID, "newest first")
	assert.Equal(t, part.ID, list.Items[1].ID)
	all, err := f.c.Refund.List(ctx, &razorpay.RefundListParams{ListParams: razorpay.ListParams{Count: 1, Skip: 1}})
	require.NoError(t, err)
	require.Len(t, all.Items, 1)
	assert.Equal(t, part.ID, all.Items[0].ID)
	got, err := f.c.Refund.Fetch(ctx, part.ID)
	require.NoError(t, err)
	assert.Equal(t, part, got)
	_, err = f.c.Refund.Fetch(ctx, "rfnd_DoesNotExist00")
	requireAPIError(t, err, 400, "The id provided does not exist", "")
	assert.Equal(t, []razorpay.Refund{*part, *rest}, f.srv.Refunds(p.ID))

	waitWebhooks(t, f.srv)
	var refundEvents []string
	for _, ev := range sink.received() {
		if ev.Refund == nil {
			continue
		}
		refundEvents = append(refundEvents, ev.IdempotencyKey())
		require.NotNil(t, ev.Payment, "refund events carry the payment")
		assert.Equal(t, p.ID, ev.Payment.ID)
		assert.Equal(t, ev.Refund.PaymentID, ev.Payment.ID)
	}
	assert.Equal(t, []string{
		"refund.created:" + part.ID, "refund.processed:" + part.ID,
		"refund.created:" + rest.ID, "refund.processed:" + rest.ID,
	}, refundEvents)
}

// The idempotency header's answers: the same key and body answer the same
// refund and make nothing; another body (or payment) is a 400; while the
// first request with the key is being processed, a 409.
func TestRefundIdempotencyKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.charged(t)
	other := f.charged(t)
	const key = "refund-bill-42-1"

	status, first := rawRefund(t, f.srv, p.ID, `{"amount": 10000, "notes": {"a": "1", "b": "2"}}`, key)
	require.Equal(t, 200, status, first)
	// The same request, its keys in another order and other white space.
	status, again := rawRefund(t, f.srv, p.ID, `{"notes":{"b":"2","a":"1"},"amount":10000}`, key)
	require.Equal(t, 200, status, again)
	assert.Equal(t, first, again, "the same refund")
	assert.Len(t, f.srv.Refunds(p.ID), 1, "nothing more was refunded")

	for _, tc := range []struct{ payment, body string }{
		{p.ID, `{"amount": 10001, "notes": {"a": "1", "b": "2"}}`},
		{p.ID, `{"amount": 10000}`},
		{p.ID, `{"amount": 10000, "notes": {"a": "1", "b": "2"}, "speed": "optimum"}`},
		{other.ID, `{"amount": 10000, "notes": {"a": "1", "b": "2"}}`},
	} {
		status, body := rawRefund(t, f.srv, tc.payment, tc.body, key)
		assert.Equal(t, 400, status, tc.body)
		assert.Equal(t, "Different request with the same idempotency key has already been processed.", errorField(body, "description"))
	}
	assert.Len(t, f.srv.Refunds(p.ID), 1)
	assert.Empty(t, f.srv.Refunds(other.ID))

	// A key outside Razorpay's rule.
	for _, bad := range []string{"short-key", "refund bill 42", "refund.bill.42"} {
		status, body := rawRefund(t, f.srv, p.ID, `{"amount": 100}`, bad)
		assert.Equal(t, 400, status, bad)
		assert.Contains(t, errorField(body, "description"), "idempotency key", bad)
	}
	assert.Len(t, f.srv.Refunds(p.ID), 1)

	// 409: the first request with a key is held up at the server while a
	// second arrives.
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/" + other.ID + "/refund", Delay: 300 * time.Millisecond})
	var wg sync.WaitGroup
	var slowStatus int
	var slowBody map[string]any
	seen := len(f.srv.Requests())
	wg.Add(1)
	go func() {
		defer wg.Done()
		slowStatus, slowBody = rawRefund(t, f.srv, other.ID, `{"amount": 500}`, "refund-bill-43-1")
	}()
	require.Eventually(t, func() bool { return len(f.srv.Requests()) > seen }, 5*time.Second, time.Millisecond, "the first request arrived")
	status, body := rawRefund(t, f.srv, other.ID, `{"amount": 500}`, "refund-bill-43-1")
	assert.Equal(t, http.StatusConflict, status)
	assert.Equal(t, "A request with the same idempotency key is being processed. Please try again later.", errorField(body, "description"))
	wg.Wait()
	require.Equal(t, 200, slowStatus, slowBody)
	status, body = rawRefund(t, f.srv, other.ID, `{"amount": 500}`, "refund-bill-43-1")
	assert.Equal(t, 200, status)
	assert.Equal(t, slowBody["id"], body["id"], "once the first is done, its refund")
	assert.Len(t, f.srv.Refunds(other.ID), 1)

	// Without a key, every request is a refund of its own.
	for range 2 {
		status, _ := rawRefund(t, f.srv, other.ID, `{"amount": 500}`, "")
		require.Equal(t, 200, status)
	}
	assert.Len(t, f.srv.Refunds(other.ID), 3)
}

// What Razorpay refuses changes nothing: a refund of more than is left,
// of a payment that is failed, created or authorized, or with bad params.
func TestRefundRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, razorpaytest.WithRecurringDelay(time.Hour))
	ctx := context.Background()

	captured := f.charged(t)
	o := f.chargeOrder(t, 30_000)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 30_000))
	require.NoError(t, err)
	failed := f.chargeOrder(t, 30_000)
	rpFailed, err := f.c.Payment.CreateRecurring(ctx, f.recurring(failed.ID, 30_000))
	require.NoError(t, err)
	require.NoError(t, f.srv.FailPayment(rpFailed.PaymentID, "declined"))
	_, err = f.c.Payment.Refund(ctx, captured.ID, &razorpay.RefundCreateParams{Amount: 40_000})
	require.NoError(t, err)
	before := f.srv.Payments()
	refundsBefore := f.srv.Refunds("")

	for _, tc := range []struct {
		name, paymentID, body, description, field string
	}{
		{"more than is left", captured.ID, `{"amount": 9901}`, "The refund amount provided is greater than the amount not yet refunded", "amount"},
		{"a created payment", rp.PaymentID, `{}`, "The payment has not been captured, so it cannot be refunded", ""},
		{"a failed payment", rpFailed.PaymentID, `{"amount": 100}`, "The payment has not been captured, so it cannot be refunded", ""},
		{"an unknown payment", "pay_DoesNotExist00", `{}`, "The id provided does not exist", ""},
		{"a zero amount", captured.ID, `{"amount": 0}`, "The amount must be at least 1.", "amount"},
		{"an unknown speed", captured.ID, `{"speed": "instant"}`, "The selected speed is invalid.", "speed"},
		{"an unknown field", captured.ID, `{"amount": 100, "reverse_all": true}`, "reverse_all is/are not required and should not be sent", "reverse_all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawRefund(t, f.srv, tc.paymentID, tc.body, "")
			assert.Equal(t, 400, status)
			assert.Equal(t, tc.description, errorField(body, "description"))
			var field any // null when the error names no field
			if tc.field != "" {
				field = tc.field
			}
			assert.Equal(t, field, errorField(body, "field"))
		})
	}
	assert.Equal(t, before, f.srv.Payments(), "no payment changed")
	assert.Equal(t, refundsBefore, f.srv.Refunds(""), "no refund was made")
}

// WithRefundDelay keeps normal refunds pending; the bank's actions settle
// them: ProcessRefund, FailRefund, or the clock.
func TestRefundDelayAndTheBank(t *testing.T) {
	t.Parallel()
	clk := &razorpaytest.Clock{}
	sink := newWebhookSink(t, "whsec_refunds")
	f := newFixture(t, razorpaytest.WithClock(clk.Now), razorpaytest.WithRefundDelay(24*time.Hour), razorpaytest.WithWebhook(sink.url, "whsec_refunds"))
	ctx := context.Background()
	p := f.charged(t)

	a, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 10_000})
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusPending, a.Status)
	assert.Empty(t, a.AcquirerData.ARN)
	b, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 39_900})
	require.NoError(t, err)
	instant, err := f.c.Payment.Refund(ctx, f.charged(t).ID, &razorpay.RefundCreateParams{Speed: razorpay.RefundSpeedOptimum})
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusProcessed, instant.Status, "an instant refund does not wait")

	require.NoError(t, f.srv.ProcessRefund(a.ID))
	got, err := f.c.Refund.Fetch(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusProcessed, got.Status)
	assert.NotEmpty(t, got.AcquirerData.ARN)
	require.ErrorIs(t, f.srv.ProcessRefund(a.ID), razorpaytest.ErrInvalidState)

	// The full refund fails: the payment is captured again, with what is
	// left to refund.
	pay, err := f.c.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusRefunded, pay.Status)
	require.NoError(t, f.srv.FailRefund(b.ID))
	require.ErrorIs(t, f.srv.FailRefund(b.ID), razorpaytest.ErrInvalidState)
	require.ErrorIs(t, f.srv.FailRefund("rfnd_DoesNotExist00"), razorpaytest.ErrUnknownID)
	pay, err = f.c.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, pay.Status)
	assert.Equal(t, int64(10_000), pay.AmountRefunded)
	assert.Equal(t, "partial", pay.RefundStatus)
	failed, err := f.c.Refund.Fetch(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusFailed, failed.Status)

	// A processed refund can fail later too; then nothing is refunded.
	require.NoError(t, f.srv.FailRefund(a.ID))
	pay, err = f.c.Payment.Fetch(ctx, p.ID)
	require.NoError(t, err)
	assert.Zero(t, pay.AmountRefunded)
	assert.Empty(t, pay.RefundStatus)

	// A new refund waits for the clock.
	c, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(49_900), c.Amount)
	clk.Advance(23 * time.Hour)
	got, err = f.c.Refund.Fetch(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusPending, got.Status)
	clk.Advance(time.Hour)
	got, err = f.c.Refund.Fetch(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.RefundStatusProcessed, got.Status)

	waitWebhooks(t, f.srv)
	var events []string
	for _, ev := range sink.received() {
		if ev.Refund != nil && (ev.Refund.ID == a.ID || ev.Refund.ID == b.ID) {
			events = append(events, string(ev.Event)+" "+ev.Refund.ID+" "+string(ev.Refund.Status))
		}
	}
	assert.Equal(t, []string{
		"refund.created " + a.ID + " pending",
		"refund.created " + b.ID + " pending",
		"refund.processed " + a.ID + " processed",
		"refund.failed " + b.ID + " failed",
		"refund.failed " + a.ID + " failed",
	}, events)
}

// An order created with payment_capture false leaves its payments
// authorized; the API captures them, once, for the authorized amount.
func TestCaptureAuthorizedPayment(t *testing.T) {
	t.Parallel()
	sink := newWebhookSink(t, "whsec_capture")
	srv, c := newFake(t, razorpaytest.WithWebhook(sink.url, "whsec_capture"))
	ctx := context.Background()
	o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "manual-1", PaymentCapture: razorpay.Ptr(false)})
	require.NoError(t, err)
	p, err := srv.PayOrder(o.ID, "card")
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusAuthorized, p.Status)
	assert.False(t, p.Captured)
	o, err = c.Order.Fetch(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusAttempted, o.Status, "not paid until captured")

	_, err = c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{})
	requireAPIError(t, err, 400, "The payment has not been captured, so it cannot be refunded", "")
	_, err = c.Payment.Capture(ctx, p.ID, &razorpay.PaymentCaptureParams{Amount: 40_000, Currency: "INR"})
	requireAPIError(t, err, 400, "Capture amount must be equal to the amount authorized", "amount")
	_, err = c.Payment.Capture(ctx, p.ID, &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "USD"})
	requireAPIError(t, err, 400, "The currency should be the same as the payment currency", "currency")

	got, err := c.Payment.Capture(ctx, p.ID, &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "INR"})
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, got.Status)
	assert.True(t, got.Captured)
	assert.Positive(t, got.Fee)
	o, err = c.Order.Fetch(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusPaid, o.Status)

	_, err = c.Payment.Capture(ctx, p.ID, &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "INR"})
	requireAPIError(t, err, 400, "This payment has already been captured", "")
	_, err = c.Payment.Capture(ctx, "pay_DoesNotExist00", &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "INR"})
	requireAPIError(t, err, 400, "The id provided does not exist", "")

	// A payment that is not authorized cannot be captured either.
	o2, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "auto-1"})
	require.NoError(t, err)
	auto, err := srv.PayOrder(o2.ID, "upi")
	require.NoError(t, err)
	require.Equal(t, razorpay.PaymentStatusCaptured, auto.Status, "orders capture by default")
	require.NoError(t, srv.FailPayment(auto.ID, "declined"))
	_, err = c.Payment.Capture(ctx, auto.ID, &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "INR"})
	requireAPIError(t, err, 400, "Only payments which have been authorized and not yet captured can be captured", "")

	waitWebhooks(t, srv)
	var events []string
	for _, ev := range sink.received() {
		if ev.Payment != nil && ev.Payment.ID == p.ID {
			events = append(events, string(ev.Event))
		}
	}
	assert.Equal(t, []string{"payment.authorized", "payment.captured", "order.paid"}, events)
}

// Faults apply to the new endpoints like to the others: a dropped refund
// answer, processed, is retried by the SDK with its key and answered with
// the refund that was made; Abandon runs.
func TestRefundFaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	p := f.charged(t)
	abandoned := make(chan struct{})
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/*", Drop: razorpaytest.DropAfterProcessing,
		Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/refund") }, Abandon: func() { close(abandoned) }})
	r, err := f.c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 1_000})
	require.NoError(t, err)
	<-abandoned
	refunds := f.srv.Refunds(p.ID)
	require.Len(t, refunds, 1, "one refund, although the request was sent twice")
	assert.Equal(t, refunds[0].ID, r.ID)
	reqs := f.srv.Requests()
	var keys []string
	for _, req := range reqs {
		if strings.HasSuffix(req.Path, "/refund") {
			keys = append(keys, req.Header.Get("X-Refund-Idempotency"))
		}
	}
	require.Len(t, keys, 2)
	assert.Equal(t, keys[0], keys[1])

	// A Status fault on a list answers without processing.
	f.srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/refunds", Status: 503, Body: razorpaytest.ErrorBody("SERVER_ERROR", "down")})
	_, err = f.c.Refund.List(ctx, nil)
	require.NoError(t, err, "a read is retried past one 503")

	// A capture dropped after processing is not retried: its outcome is
	// unknown, and the payment is captured.
	o, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "manual-2", PaymentCapture: razorpay.Ptr(false)})
	require.NoError(t, err)
	ap, err := f.srv.PayOrder(o.ID, "card")
	require.NoError(t, err)
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/" + ap.ID + "/capture", Drop: razorpaytest.DropAfterProcessing})
	_, err = f.c.Payment.Capture(ctx, ap.ID, &razorpay.PaymentCaptureParams{Amount: 49_900, Currency: "INR"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	got, err := f.c.Payment.Fetch(ctx, ap.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, got.Status)
}

// Razorpay's own refund of a payment authorized late on an order another
// payment paid is a refund entity too, which the test cannot fail.
func TestLateAuthorizationRefundIsARefund(t *testing.T) {
	t.Parallel()
	f := newFixture(t, razorpaytest.WithRecurringDelay(time.Hour))
	ctx := context.Background()
	o := f.chargeOrder(t, 49_900)
	first, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 49_900))
	require.NoError(t, err)
	require.NoError(t, f.srv.FailPayment(first.PaymentID, "timed out"))
	second, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 49_900))
	require.NoError(t, err)
	require.NoError(t, f.srv.CapturePayment(second.PaymentID))
	require.NoError(t, f.srv.CapturePayment(first.PaymentID), "the first is authorized late")

	p, err := f.c.Payment.Fetch(ctx, first.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusRefunded, p.Status)
	refunds := f.srv.Refunds(first.PaymentID)
	require.Len(t, refunds, 1)
	assert.Equal(t, int64(49_900), refunds[0].Amount)
	assert.Equal(t, razorpay.RefundStatusProcessed, refunds[0].Status)
	require.ErrorIs(t, f.srv.FailRefund(refunds[0].ID), razorpaytest.ErrInvalidState)
}

// The raw 409 and 400 answers carry Razorpay's error shape.
func TestRefundErrorShape(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.charged(t)
	status, _ := rawRefund(t, f.srv, p.ID, `{"amount": 100}`, "refund-shape-1")
	require.Equal(t, 200, status)
	status, body := rawRefund(t, f.srv, p.ID, `{"amount": 101}`, "refund-shape-1")
	require.Equal(t, 400, status)
	assert.Equal(t, "BAD_REQUEST_ERROR", errorField(body, "code"))
	b, err := json.Marshal(body)
	require.NoError(t, err)
	assert.NotContains(t, string(b), razorpaytest.KeySecret)
}
