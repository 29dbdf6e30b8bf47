package razorpaytest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestWebhooksDelivered(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test"
	sink := newWebhookSink(t, secret)
	f := newFixture(t, razorpaytest.WithWebhook(sink.url, secret))
	waitWebhooks(t, f.srv)

	events := sink.received()
	var names []razorpay.EventType
	for _, ev := range events {
		names = append(names, ev.Event)
	}
	assert.Equal(t, []razorpay.EventType{
		razorpay.EventPaymentAuthorized, razorpay.EventPaymentCaptured, razorpay.EventOrderPaid, razorpay.EventTokenConfirmed,
	}, names)
	authorized, captured, paid, confirmed := events[0], events[1], events[2], events[3]
	assert.Equal(t, razorpay.PaymentStatusAuthorized, authorized.Payment.Status)
	assert.False(t, authorized.Payment.Captured)
	assert.Equal(t, razorpay.PaymentStatusCaptured, captured.Payment.Status)
	require.NotNil(t, captured.Payment.Card)
	assert.Equal(t, f.tokenID, captured.Payment.TokenID)
	assert.Equal(t, []string{"payment", "order"}, paid.Contains)
	assert.Equal(t, razorpay.OrderStatusPaid, paid.Order.Status)
	assert.Equal(t, f.tokenID, confirmed.Token.ID)
	assert.True(t, confirmed.Token.Chargeable())
	assert.Equal(t, f.srv.AccountID, confirmed.AccountID)
	assert.Equal(t, "event", confirmed.Entity)

	ids := map[string]bool{}
	for _, ev := range events {
		assert.Regexp(t, `^evt_[0-9A-Za-z]{14}$`, ev.ID)
		ids[ev.ID] = true
	}
	assert.Len(t, ids, len(events), "event ids are unique")

	// Every delivery is signed with the secret.
	for _, d := range f.srv.Webhooks() {
		assert.True(t, d.Delivered)
		assert.True(t, d.Done)
		assert.Equal(t, 1, d.Attempts)
		assert.Equal(t, 200, d.StatusCode)
		assert.Equal(t, razorpaytest.SignWebhook(d.Body, secret), d.Signature)
		ev, err := razorpay.ParseWebhook(d.Body, d.Signature, secret)
		require.NoError(t, err)
		assert.Equal(t, d.Event, ev.Event)
	}

	// A charge, a paused mandate, a failed payment, a link paid and one
	// expired.
	ctx := context.Background()
	o := f.chargeOrder(t, 1000)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)
	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusPaused))
	require.NoError(t, f.srv.FailPayment(rp.PaymentID, "Insufficient funds"))
	linkParams := &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "mandate",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyYearly},
	}
	paidLink, err := f.c.RegistrationLink.Create(ctx, linkParams)
	require.NoError(t, err)
	_, err = f.srv.CompleteAuthorization(paidLink.ID)
	require.NoError(t, err)
	expiredLink, err := f.c.RegistrationLink.Create(ctx, linkParams)
	require.NoError(t, err)
	require.NoError(t, f.srv.ExpireLink(expiredLink.ID))
	authOrder := createAuthOrder(t, f.c, f.cust.ID, 1000)
	_, err = f.srv.RejectAuthorization(authOrder.ID, "")
	require.NoError(t, err)
	waitWebhooks(t, f.srv)

	byName := map[razorpay.EventType][]*razorpay.WebhookEvent{}
	for _, ev := range sink.received() {
		byName[ev.Event] = append(byName[ev.Event], ev)
	}
	require.Len(t, byName[razorpay.EventTokenPaused], 1)
	assert.Equal(t, razorpay.TokenRecurringStatusPaused, byName[razorpay.EventTokenPaused][0].Token.RecurringDetails.Status)
	require.Len(t, byName[razorpay.EventPaymentFailed], 2)
	assert.Equal(t, "Insufficient funds", byName[razorpay.EventPaymentFailed][0].Payment.ErrorDescription)
	require.Len(t, byName[razorpay.EventInvoicePaid], 1)
	ip := byName[razorpay.EventInvoicePaid][0]
	assert.Equal(t, []string{"payment", "order", "invoice"}, ip.Contains)
	assert.Equal(t, razorpay.InvoiceStatusPaid, ip.Invoice.Status)
	assert.Equal(t, ip.Payment.ID, ip.Invoice.PaymentID)
	require.Len(t, byName[razorpay.EventInvoiceExpired], 1)
	assert.Equal(t, expiredLink.ID, byName[razorpay.EventInvoiceExpired][0].Invoice.ID)
	require.Len(t, byName[razorpay.EventTokenRejected], 1)
	assert.Equal(t, "Rejected by bank", byName[razorpay.EventTokenRejected][0].Token.RecurringDetails.FailureReason)
}

func TestWebhookRedelivery(t *testing.T) {
	t.Parallel()
	const secret = "whsec_test"
	sink := newWebhookSink(t, secret)
	failed := map[string]bool{}
	sink.fail = func(ev *razorpay.WebhookEvent) bool {
		if ev.Event != razorpay.EventTokenConfirmed || failed[ev.ID] {
			return false
		}
		failed[ev.ID] = true // 500 the first time only
		return true
	}
	f := newFixture(t, razorpaytest.WithWebhook(sink.url, secret), razorpaytest.WithWebhookRetry(5, 5*time.Millisecond))
	waitWebhooks(t, f.srv)

	var confirmed []razorpaytest.WebhookDelivery
	for _, d := range f.srv.Webhooks() {
		if d.Event == razorpay.EventTokenConfirmed {
			confirmed = append(confirmed, d)
		}
	}
	require.Len(t, confirmed, 1)
	assert.Equal(t, 2, confirmed[0].Attempts)
	assert.True(t, confirmed[0].Delivered)
	assert.Equal(t, 200, confirmed[0].StatusCode)

	var got []*razorpay.WebhookEvent
	for _, ev := range sink.received() {
		if ev.Event == razorpay.EventTokenConfirmed {
			got = append(got, ev)
		}
	}
	require.Len(t, got, 1)
	assert.Equal(t, confirmed[0].EventID, got[0].ID, "the redelivery has the same event id")
	assert.True(t, failed[got[0].ID])
}

func TestWebhookBoundedAttempts(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	attempts := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts[r.Header.Get("X-Razorpay-Event-Id")]++
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(ts.Close)
	srv, c := newFake(t, razorpaytest.WithWebhook(ts.URL, "s"), razorpaytest.WithWebhookRetry(3, time.Millisecond))
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.PayOrder(o.ID, "netbanking")
	require.NoError(t, err)
	waitWebhooks(t, srv)

	deliveries := srv.Webhooks()
	require.Len(t, deliveries, 3) // payment.authorized, payment.captured, order.paid
	mu.Lock()
	defer mu.Unlock()
	for _, d := range deliveries {
		assert.Equal(t, 3, d.Attempts)
		assert.Equal(t, 500, d.StatusCode)
		assert.False(t, d.Delivered)
		assert.True(t, d.Done)
		assert.Equal(t, 3, attempts[d.EventID])
	}

	// A connection that fails counts as an attempt too.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	srv2, c2 := newFake(t, razorpaytest.WithWebhook(deadURL, "s"), razorpaytest.WithWebhookRetry(2, time.Millisecond))
	o2, err := c2.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv2.PayOrder(o2.ID, "wallet")
	require.NoError(t, err)
	waitWebhooks(t, srv2)
	for _, d := range srv2.Webhooks() {
		assert.Equal(t, 2, d.Attempts)
		assert.Zero(t, d.StatusCode)
		assert.NotEmpty(t, d.Err)
	}
}

func TestCloseWaitsForWebhookInFlight(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 10)
	var finished sync.WaitGroup
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		finished.Add(1)
		defer finished.Done()
		started <- struct{}{}
		// A slow receiver, the scenario: its delivery is still in flight
		// when the test calls Close right after it started.
		time.Sleep(200 * time.Millisecond)
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(ts.Close)
	srv := razorpaytest.NewServer(razorpaytest.WithWebhook(ts.URL, "s"))
	c := srv.Client()
	o, err := c.Order.Create(context.Background(), &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.PayOrder(o.ID, "upi")
	require.NoError(t, err)
	<-started
	srv.Close()
	d := srv.Webhooks()
	require.Len(t, d, 3)
	assert.True(t, d[0].Delivered, "Close waited for the delivery in flight")
	for _, rest := range d[1:] {
		assert.True(t, rest.Done)
		assert.Zero(t, rest.Attempts, "pending events are abandoned")
	}
	srv.Close() // twice is fine
}
