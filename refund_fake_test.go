package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// Refunds exactly once: crashes, lost answers, proxies and concurrent
// callers, each against the fake, which keeps idempotency keys as
// Razorpay does.

// refundPath is the path of a refund of the payment.
func refundPath(paymentID string) string { return "/v1/payments/" + paymentID + "/refund" }

// refundKeysSent returns the idempotency keys of the refund requests the fake
// received, in order.
func refundKeysSent(srv *razorpaytest.Server) []string {
	var keys []string
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/refund") {
			keys = append(keys, r.Header.Get("X-Refund-Idempotency"))
		}
	}
	return keys
}

// refundsOf returns the payment's refunds and what they took, as the
// fake's API reports them.
func refundsOf(t *testing.T, srv *razorpaytest.Server, paymentID string) ([]razorpay.Refund, int64) {
	t.Helper()
	p, err := srv.Client().Payment.Fetch(context.Background(), paymentID)
	require.NoError(t, err)
	return srv.Refunds(paymentID), p.AmountRefunded
}

// The crash matrix: a process dies before the refund request leaves, or
// after Razorpay processed it; the same refund runs again from a fresh
// client with the same key. Exactly one refund, and the rerun returns it.
func TestRefundCrashMatrix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		drop razorpaytest.DropMode
		made bool // the crashed call made the refund
	}{
		{"crash before the request leaves", razorpaytest.DropBeforeProcessing, false},
		{"crash after Razorpay processed it", razorpaytest.DropAfterProcessing, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, p := mockCharged(t)
			params := &razorpay.RefundCreateParams{Amount: 16_633, Receipt: "refund-sub_42-2026-11-1",
				Notes: razorpay.Notes{"reason": "cancelled on the 20th"}, IdempotencyKey: "refund-sub_42-2026-11-1"}

			ctx, crash := context.WithCancel(context.Background())
			srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: refundPath(p.ID), Drop: tc.drop, Abandon: crash})
			_, err := mockFresh(srv).Payment.Refund(ctx, p.ID, params)
			require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown, "the crashed call cannot know")
			assert.Contains(t, err.Error(), `IdempotencyKey "refund-sub_42-2026-11-1"`)
			refunds, _ := refundsOf(t, srv, p.ID)
			if tc.made {
				require.Len(t, refunds, 1, "the crashed call refunded")
			} else {
				require.Empty(t, refunds, "nothing arrived")
			}

			// The job runs again, twice, from fresh clients.
			var ids []string
			for range 2 {
				r, err := mockFresh(srv).Payment.Refund(context.Background(), p.ID, params)
				require.NoError(t, err)
				ids = append(ids, r.ID)
			}
			refunds, amount := refundsOf(t, srv, p.ID)
			require.Len(t, refunds, 1, "exactly one refund")
			assert.Equal(t, []string{refunds[0].ID, refunds[0].ID}, ids, "every rerun returns it")
			assert.Equal(t, int64(16_633), amount)
			for _, k := range refundKeysSent(srv) {
				assert.Equal(t, params.IdempotencyKey, k)
			}
			t.Logf("%s: %d refund requests sent, %d refund made", tc.name, len(refundKeysSent(srv)), len(refunds))
		})
	}
}

// Without a key of the caller's, the SDK's own retries are safe: an answer
// lost after Razorpay refunded (a dropped connection, a proxy's 5xx, 429 or
// 3xx after Razorpay acted, a timeout while Razorpay is slow) is retried
// with the same key, and the call returns the one refund.
func TestRefundLostAnswerRetriedBySDK(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fault   razorpaytest.Fault
		timeout time.Duration
	}{
		{"dropped after processing", razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing}, 0},
		{"dropped twice", razorpaytest.Fault{Drop: razorpaytest.DropAfterProcessing, Times: 2}, 0},
		{"502 after processing", razorpaytest.Fault{Status: 502, ProcessFirst: true, Body: "<html><title>502 Bad Gateway</title></html>", ContentType: "text/html"}, 0},
		{"429 after processing", razorpaytest.Fault{Status: 429, ProcessFirst: true, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")}, 0},
		{"504 after processing", razorpaytest.Fault{Status: 504, ProcessFirst: true}, 0},
		// The first attempt times out while Razorpay holds it; the retry
		// meets 409 (the first is still being processed), waits, and gets
		// the refund the first made.
		{"timeout while Razorpay is slow", razorpaytest.Fault{Delay: 150 * time.Millisecond}, 50 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, p := mockCharged(t)
			f := tc.fault
			f.Method, f.Path = "POST", refundPath(p.ID)
			srv.InjectFault(f)
			opts := []razorpay.Option{razorpay.WithRetryBackoff(20*time.Millisecond, 200*time.Millisecond), razorpay.WithMaxRetries(4)}
			if tc.timeout > 0 {
				opts = append(opts, razorpay.WithTimeout(tc.timeout))
			}
			r, err := mockFresh(srv, opts...).Payment.Refund(mockCtx(t), p.ID, &razorpay.RefundCreateParams{Amount: 10_000})
			require.NoError(t, err)
			refunds, amount := refundsOf(t, srv, p.ID)
			require.Len(t, refunds, 1, "exactly one refund")
			assert.Equal(t, refunds[0].ID, r.ID, "the call returns it")
			assert.Equal(t, int64(10_000), amount)
			keys := refundKeysSent(srv)
			require.GreaterOrEqual(t, len(keys), 2, "the SDK sent it again")
			assert.Regexp(t, regexp.MustCompile(`^gorzp-[0-9a-f]{32}$`), keys[0])
			for _, k := range keys {
				assert.Equal(t, keys[0], k, "with the key it drew for the call")
			}
			t.Logf("%s: %d refund requests sent, %d refund made", tc.name, len(keys), len(refunds))
		})
	}
}

// Without a key, a crash loses the SDK's key with the process: a rerun is
// a new refund. This is why a job passes a stable key of its own. The
// error of the crashed call names the key, and a rerun with it gets the
// first refund.
func TestRefundWithoutKeyAfterCrash(t *testing.T) {
	t.Parallel()
	srv, p := mockCharged(t)
	ctx, crash := context.WithCancel(context.Background())
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: refundPath(p.ID), Drop: razorpaytest.DropAfterProcessing, Abandon: crash})
	_, err := mockFresh(srv).Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 5_000})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	key := regexp.MustCompile(`IdempotencyKey "(gorzp-[0-9a-f]{32})"`).FindStringSubmatch(err.Error())
	require.Len(t, key, 2, "the error names the key: %v", err)

	r, err := mockFresh(srv).Payment.Refund(context.Background(), p.ID, &razorpay.RefundCreateParams{Amount: 5_000, IdempotencyKey: key[1]})
	require.NoError(t, err)
	refunds, _ := refundsOf(t, srv, p.ID)
	require.Len(t, refunds, 1, "the named key gets the first refund")
	assert.Equal(t, refunds[0].ID, r.ID)

	_, err = mockFresh(srv).Payment.Refund(context.Background(), p.ID, &razorpay.RefundCreateParams{Amount: 5_000})
	require.NoError(t, err)
	refunds, amount := refundsOf(t, srv, p.ID)
	assert.Len(t, refunds, 2, "a rerun without the key refunds again")
	assert.Equal(t, int64(10_000), amount)
}

// Concurrency: 8 goroutines refund one payment with one key: one refund,
// and every call returns it. When Razorpay is slow (the first request is
// held 100 ms), the others meet 409, wait and get it.
func TestRefundConcurrentSameKey(t *testing.T) {
	t.Parallel()
	t.Run("fast", func(t *testing.T) { t.Parallel(); refundConcurrentSameKey(t, 0) })
	t.Run("slow", func(t *testing.T) { t.Parallel(); refundConcurrentSameKey(t, 100*time.Millisecond) })
}

func refundConcurrentSameKey(t *testing.T, delay time.Duration) {
	srv, p := mockCharged(t)
	if delay > 0 {
		srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: refundPath(p.ID), Delay: delay})
	}
	const callers = 8
	params := &razorpay.RefundCreateParams{Amount: 10_000, IdempotencyKey: "refund-sub_42-2026-11-1"}
	ids := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := mockFresh(srv, razorpay.WithRetryBackoff(5*time.Millisecond, 100*time.Millisecond), razorpay.WithMaxRetries(10))
			<-start
			r, err := c.Payment.Refund(mockCtx(t), p.ID, params)
			errs[i] = err
			if err == nil {
				ids[i] = r.ID
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "caller %d", i)
	}
	refunds, amount := refundsOf(t, srv, p.ID)
	require.Len(t, refunds, 1, "one refund")
	for i, id := range ids {
		assert.Equal(t, refunds[0].ID, id, "caller %d gets it", i)
	}
	assert.Equal(t, int64(10_000), amount)
	if delay > 0 {
		assert.Greater(t, len(refundKeysSent(srv)), callers, "the callers that met 409 sent again")
	}
	t.Logf("%d callers, one key, first request held %v: %d refund requests sent, %d refund made", callers, delay, len(refundKeysSent(srv)), len(refunds))
}

// Concurrency: 8 goroutines refund 10 % of one payment each, with keys of
// their own: 8 refunds. With 12 of them, 10 are refunded and 2 refused:
// never more than was captured.
func TestRefundConcurrentDifferentKeys(t *testing.T) {
	t.Parallel()
	for _, callers := range []int{8, 12} {
		t.Run(fmt.Sprint(callers), func(t *testing.T) {
			t.Parallel()
			srv, p := mockCharged(t)
			const tenth = mockBillAmount / 10
			errs := make([]error, callers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := mockFresh(srv)
					<-start
					_, errs[i] = c.Payment.Refund(mockCtx(t), p.ID, &razorpay.RefundCreateParams{
						Amount: tenth, IdempotencyKey: fmt.Sprintf("refund-sub_42-2026-11-%d", i+1)})
				}()
			}
			close(start)
			wg.Wait()
			refused := 0
			for _, err := range errs {
				if err != nil {
					require.ErrorIs(t, err, razorpay.ErrBadRequest)
					require.NotErrorIs(t, err, razorpay.ErrOutcomeUnknown)
					refused++
				}
			}
			refunds, amount := refundsOf(t, srv, p.ID)
			want := min(callers, 10)
			assert.Len(t, refunds, want)
			assert.Equal(t, callers-want, refused)
			assert.Equal(t, int64(want)*tenth, amount)
			assert.LessOrEqual(t, amount, int64(mockBillAmount), "never more than captured")
			t.Logf("%d callers, %d keys, 10%% each: %d refunds, %d refused, %d of %d paise refunded", callers, callers, len(refunds), refused, amount, mockBillAmount)
		})
	}
}

// Bad input: each a clear error, and nothing changes at the fake.
func TestRefundBadInput(t *testing.T) {
	t.Parallel()
	srv, p := mockCharged(t, razorpaytest.WithRecurringDelay(time.Hour))
	ctx := context.Background()
	c := mockFresh(srv)
	m := mockMandate(t, srv)
	charge := func(receipt string) *razorpay.Payment {
		pay, err := c.Payment.Charge(ctx, &razorpay.ChargeParams{CustomerID: m.CustomerID, TokenID: m.TokenID,
			Amount: 30_000, Currency: "INR", Email: m.Email, Contact: m.Contact, Receipt: receipt})
		require.NoError(t, err)
		return pay
	}
	created := charge("created-1")
	require.Equal(t, razorpay.PaymentStatusCreated, created.Status)
	failed := charge("failed-1")
	require.NoError(t, srv.FailPayment(failed.ID, "declined"))
	_, err := c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 40_000, IdempotencyKey: "refund-sub_42-2026-11-1"})
	require.NoError(t, err)

	payments, refunds, requests := srv.Payments(), srv.Refunds(""), len(srv.Requests())
	unchanged := func(t *testing.T) {
		t.Helper()
		assert.Equal(t, payments, srv.Payments(), "no payment changed")
		assert.Equal(t, refunds, srv.Refunds(""), "no refund was made")
	}

	t.Run("refused by Razorpay", func(t *testing.T) {
		for _, tc := range []struct {
			name, paymentID string
			params          *razorpay.RefundCreateParams
			description     string
		}{
			{"above what is left", p.ID, &razorpay.RefundCreateParams{Amount: 9_901}, "greater than the amount not yet refunded"},
			{"a failed payment", failed.ID, &razorpay.RefundCreateParams{}, "has not been captured"},
			{"a created payment", created.ID, &razorpay.RefundCreateParams{Amount: 100}, "has not been captured"},
			{"the key of another refund", p.ID, &razorpay.RefundCreateParams{Amount: 500, IdempotencyKey: "refund-sub_42-2026-11-1"},
				`IdempotencyKey "refund-sub_42-2026-11-1" was first used for another refund request`},
		} {
			_, err := c.Payment.Refund(ctx, tc.paymentID, tc.params)
			require.ErrorIs(t, err, razorpay.ErrBadRequest, tc.name)
			assert.NotErrorIs(t, err, razorpay.ErrOutcomeUnknown, tc.name)
			var apiErr *razorpay.Error
			require.ErrorAs(t, err, &apiErr, tc.name)
			assert.Contains(t, err.Error(), tc.description, tc.name)
		}
		_, err := c.Payment.Capture(ctx, p.ID, &razorpay.PaymentCaptureParams{Amount: mockBillAmount, Currency: "INR"})
		require.ErrorIs(t, err, razorpay.ErrBadRequest, "a captured payment")
		assert.Contains(t, err.Error(), "already been captured")
		unchanged(t)
	})

	t.Run("refused before anything is sent", func(t *testing.T) {
		sent := len(srv.Requests())
		for _, key := range []string{"short", strings.Repeat("k", 65), "refund sub_42", "refund/sub_42/1", "refund-sub_42-\u00e9t\u00e9"} {
			_, err := c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: 100, IdempotencyKey: key})
			var ve *razorpay.ValidationError
			require.ErrorAs(t, err, &ve, key)
			assert.Equal(t, "idempotency_key", ve.Field)
			assert.ErrorIs(t, err, razorpay.ErrInvalidParams)
		}
		_, err := c.Payment.Refund(ctx, p.ID, &razorpay.RefundCreateParams{Amount: -100})
		require.ErrorIs(t, err, razorpay.ErrInvalidParams)
		_, err = c.Payment.Refund(ctx, p.ID, nil)
		require.ErrorIs(t, err, razorpay.ErrInvalidParams)
		assert.Equal(t, sent, len(srv.Requests()), "nothing was sent")
		unchanged(t)
	})
	assert.Greater(t, len(srv.Requests()), requests)
}

// The refund webhooks of one refund, each redelivered once: two events,
// each with a key of its own that is the same on its redelivery, to
// deduplicate on.
func TestRefundWebhooksDeduplicate(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	ts := http.Handler(razorpay.WebhookHandler("whsec_refunds", func(_ context.Context, ev *razorpay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if ev.Refund != nil {
			seen[ev.IdempotencyKey()]++
			if seen[ev.IdempotencyKey()] == 1 {
				return errors.New("first delivery fails: redeliver")
			}
		}
		return nil
	}))
	hook := httptest.NewServer(ts)
	t.Cleanup(hook.Close)
	srv, p := mockCharged(t, razorpaytest.WithWebhook(hook.URL, "whsec_refunds"), razorpaytest.WithWebhookRetry(3, time.Millisecond))
	r, err := mockFresh(srv).Payment.Refund(context.Background(), p.ID, &razorpay.RefundCreateParams{Amount: 100, IdempotencyKey: "refund-webhook-1"})
	require.NoError(t, err)
	require.NoError(t, srv.WaitForWebhooks(mockCtx(t)))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"refund.created:" + r.ID: 2, "refund.processed:" + r.ID: 2}, seen)
}
