package razorpay

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryMatrix sends a read (GET) and a write (POST) through every kind of
// failure and checks how many requests were made and what the caller gets.
func TestRetryMatrix(t *testing.T) {
	t.Parallel()
	type fault struct {
		name string
		step mockStep
	}
	faults := []fault{
		{"dial failure", mockErr(mockDialRefused())},
		{"429", mockJSON(429, mockRateLimited)},
		{"429 Retry-After", mockJSON(429, mockRateLimited, "Retry-After", "0")},
		{"500", mockJSON(500, mockServerErr)},
		{"502 HTML", mockHTML(502)},
		{"503 empty", mockJSON(503, "")},
		{"504", mockJSON(504, `{"error":{"code":"GATEWAY_ERROR","description":"gateway timed out"}}`)},
		{"reset", mockErr(mockConnReset())},
		{"timeout", mockTimeout},
	}
	// want: requests seen when the fault persists, and the error class.
	type want struct {
		requests int
		unknown  bool
	}
	wantRead := map[string]want{}
	wantWrite := map[string]want{}
	for _, f := range faults {
		wantRead[f.name] = want{requests: 3}
		switch f.name {
		case "dial failure", "429", "429 Retry-After":
			wantWrite[f.name] = want{requests: 3}
		default:
			wantWrite[f.name] = want{requests: 1, unknown: true}
		}
	}
	for _, f := range faults {
		for _, write := range []bool{false, true} {
			name := f.name + "/GET"
			w := wantRead[f.name]
			if write {
				name = f.name + "/POST"
				w = wantWrite[f.name]
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				script := mockScript(f.step)
				c := mockClient(t, script, WithTimeout(20*time.Millisecond))
				// A watchdog: a broken per-attempt timeout fails in seconds
				// (the context ends the hanging attempt, the count is wrong)
				// instead of hanging the test.
				ctx := mockCtx(t, 5*time.Second)
				var err error
				mockWithin(t, 5*time.Second, func() {
					if write {
						_, err = c.Order.Create(ctx, &OrderCreateParams{Amount: 5000, Currency: "INR"})
					} else {
						_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
					}
				})
				require.Error(t, err)
				assert.Equal(t, w.requests, script.count(), "requests sent")
				assert.Equal(t, w.unknown, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
				switch f.name {
				case "429", "429 Retry-After":
					assert.ErrorIs(t, err, ErrRateLimited)
				case "500", "502 HTML", "503 empty", "504":
					assert.ErrorIs(t, err, ErrServer)
					var apiErr *Error
					require.ErrorAs(t, err, &apiErr)
				case "timeout":
					assert.ErrorIs(t, err, context.DeadlineExceeded)
				case "reset":
					assert.ErrorIs(t, err, syscall.ECONNRESET)
				}
			})
		}
	}
}

// TestRetryRecovers checks that a transient failure followed by success
// gives the caller the success, for reads and (where safe) writes.
func TestRetryRecovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		write    bool
		first    mockStep
		requests int
	}{
		{"GET after 503", false, mockJSON(503, ""), 2},
		{"GET after reset", false, mockErr(mockConnReset()), 2},
		{"GET after 429", false, mockJSON(429, mockRateLimited), 2},
		{"POST after dial failure", true, mockErr(mockDialRefused()), 2},
		{"POST after 429", true, mockJSON(429, mockRateLimited, "Retry-After", "0"), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok := mockJSON(200, mockPaymentJSON)
			if tt.write {
				ok = mockJSON(200, mockOrderJSON)
			}
			script := mockScript(tt.first, ok)
			c := mockClient(t, script)
			if tt.write {
				o, err := c.Order.Create(context.Background(), &OrderCreateParams{Amount: 5000, Currency: "INR", Receipt: "r-1"})
				require.NoError(t, err)
				assert.Equal(t, "order_RT00000000001", o.ID)
				seen := script.Calls()
				require.Len(t, seen, 2)
				assert.Equal(t, string(seen[0].Body), string(seen[1].Body), "the replayed body is the same")
				assert.JSONEq(t, `{"amount":5000,"currency":"INR","receipt":"r-1"}`, string(seen[1].Body))
			} else {
				p, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
				require.NoError(t, err)
				assert.Equal(t, PaymentStatusCaptured, p.Status)
			}
			assert.Equal(t, tt.requests, script.count())
		})
	}
}

func TestRetryDefiniteErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 404, 409, 422, 501} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockJSON(status, mockBadRequest))
			c := mockClient(t, script)
			_, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.HTTPStatusCode)
			assert.Equal(t, 1, script.count())
			assert.False(t, errors.Is(err, ErrOutcomeUnknown))
		})
	}
}

func TestRetryPermanentDialErrors(t *testing.T) {
	t.Parallel()
	for name, err := range map[string]error{
		"no such host": &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.test", IsNotFound: true}},
		"bad cert":     x509.UnknownAuthorityError{},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockErr(err))
			c := mockClient(t, script)
			_, gotErr := c.Order.Create(context.Background(), &OrderCreateParams{Amount: 5000, Currency: "INR"})
			require.Error(t, gotErr)
			assert.Equal(t, 1, script.count())
			assert.False(t, errors.Is(gotErr, ErrOutcomeUnknown), "nothing was sent: %v", gotErr)
		})
	}
}

func TestRetryDisabled(t *testing.T) {
	t.Parallel()
	script := mockScript(mockJSON(503, ""))
	c := mockClient(t, script, WithMaxRetries(0))
	_, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, script.count())
}

// TestRetryWriteTwoXXUndecodable: Razorpay carried out a write but its answer
// cannot be read: the outcome is unknown, and it is not retried.
func TestRetryWriteTwoXXUndecodable(t *testing.T) {
	t.Parallel()
	for name, step := range map[string]mockStep{
		"truncated JSON": mockJSON(200, `{"id":"order_RT00000000001","amount":`),
		"HTML 200":       mockHTML(200),
		"empty 200":      mockJSON(200, ""),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			script := mockScript(step)
			c := mockClient(t, script)
			o, err := c.Order.Create(context.Background(), &OrderCreateParams{Amount: 5000, Currency: "INR"})
			assert.Nil(t, o)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, 1, script.count())

			p, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
			assert.Nil(t, p, "never a partial value")
			require.Error(t, err)
			assert.False(t, errors.Is(err, ErrOutcomeUnknown))
		})
	}
}

func TestRetryResponseTooLarge(t *testing.T) {
	t.Parallel()
	big := `{"id":"pay_RT000000000001","description":"` + strings.Repeat("x", maxResponseBytes) + `"}`
	script := mockScript(mockJSON(200, big))
	c := mockClient(t, script)
	p, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
	assert.Nil(t, p)
	assert.ErrorContains(t, err, "larger than")
	assert.Equal(t, 1, script.count())
}

func TestRetryContextCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	script := mockScript(mockJSON(503, "", "Retry-After", "30"))
	c := mockClient(t, script, WithRetryBackoff(time.Second, time.Minute))
	ctx := mockCtx(t, 50*time.Millisecond)
	start := time.Now()
	var err error
	mockWithin(t, 5*time.Second, func() { _, err = c.Payment.Fetch(ctx, "pay_RT000000000001") })
	assert.Less(t, time.Since(start), 2*time.Second, "returns promptly")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, script.count())
}

func TestRetryContextDeadlineDuringRequest(t *testing.T) {
	t.Parallel()
	for _, write := range []bool{false, true} {
		t.Run(fmt.Sprint("write=", write), func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockTimeout)
			c := mockClient(t, script, WithTimeout(time.Minute))
			ctx := mockCtx(t, 30*time.Millisecond)
			start := time.Now()
			var err error
			if write {
				_, err = c.Payment.CreateRecurring(ctx, mockRecurringParams())
			} else {
				_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
			}
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, write, errors.Is(err, ErrOutcomeUnknown))
			assert.Equal(t, 1, script.count(), "the caller's deadline is never retried")
		})
	}
}

func TestRetryContextCancelledBeforeSend(t *testing.T) {
	t.Parallel()
	script := mockScript(mockJSON(200, mockOrderJSON))
	c := mockClient(t, script)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Order.Create(ctx, &OrderCreateParams{Amount: 5000, Currency: "INR"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "nothing was sent")
	assert.Zero(t, script.count())
}

func TestRetryDoFollowsTheMethod(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"GET", "DELETE", "POST", "PUT", "PATCH"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockJSON(500, mockServerErr))
			c := mockClient(t, script)
			err := c.Do(context.Background(), method, "/v1/anything", nil, nil)
			repeatable := method == "GET" || method == "DELETE"
			assert.Equal(t, !repeatable, errors.Is(err, ErrOutcomeUnknown))
			if repeatable {
				assert.Equal(t, 3, script.count())
			} else {
				assert.Equal(t, 1, script.count())
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	minWait, maxWait := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 8; attempt++ {
		ceiling := min(maxWait, minWait<<attempt)
		for i := 0; i < 200; i++ {
			d := backoff(minWait, maxWait, attempt, nil)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
		}
	}
	assert.Zero(t, backoff(0, 0, 3, nil))
	// Retry-After wins over jitter, capped at the maximum.
	assert.Equal(t, 2*time.Second, backoff(minWait, 5*time.Second, 0, http.Header{"Retry-After": {"2"}}))
	assert.Equal(t, 5*time.Second, backoff(minWait, 5*time.Second, 0, http.Header{"Retry-After": {"120"}}))
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"99999999", time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(http.Header{"Retry-After": {tt.value}}, now)
		assert.Equal(t, tt.ok, ok, "%q", tt.value)
		assert.Equal(t, tt.want, got, "%q", tt.value)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(429, mockRateLimited, "Retry-After", "1"),
		mockJSON(200, mockPaymentJSON),
	)
	c := mockClient(t, script, WithRetryBackoff(0, 150*time.Millisecond))
	start := time.Now()
	_, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
	require.NoError(t, err)
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, 150*time.Millisecond, "waited Retry-After, capped at the backoff maximum")
	assert.Less(t, elapsed, time.Second, "the cap applies")
}

// TestRetryDeleteAfterLostAnswer: the first DELETE deleted the token but its
// answer was lost; the retry finds the token gone. Token.Delete succeeds,
// Do reports the API's answer with a note, and a token that never existed
// is still an error.
func TestRetryDeleteAfterLostAnswer(t *testing.T) {
	t.Parallel()
	gone := mockJSON(400, mockBadRequest)
	script := mockScript(mockErr(mockConnReset()), gone)
	c := mockClient(t, script)
	require.NoError(t, c.Token.Delete(context.Background(), "cust_RT0000000001", "token_RT000000001"))
	assert.Equal(t, 2, script.count())

	script = mockScript(mockJSON(503, ""), gone)
	err := mockClient(t, script).Do(context.Background(), "DELETE", "/v1/customers/cust_RT0000000001/tokens/token_RT000000001", nil, nil)
	require.ErrorIs(t, err, ErrBadRequest)
	assert.ErrorContains(t, err, "may have deleted it")

	script = mockScript(gone)
	err = mockClient(t, script).Token.Delete(context.Background(), "cust_RT0000000001", "token_RT000000001")
	require.ErrorIs(t, err, ErrBadRequest, "nothing was lost: the token did not exist")
}

// TestDecide is the retry policy as a table: one row per rule of decide.
func TestDecide(t *testing.T) {
	t.Parallel()
	get := operation{method: "GET", repeatable: true}
	del := operation{method: "DELETE", repeatable: true}
	post := operation{method: "POST"}
	charge := operation{method: "POST", charges: true}
	apiErr := func(status int) error { return &Error{HTTPStatusCode: status, Code: "BAD_REQUEST_ERROR"} }
	gone := &Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "The id provided does not exist"}
	fresh := history{maxRetries: 2}
	last := history{attempt: 2, maxRetries: 2}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		op   operation
		res  result
		h    history
		want verdict
	}{
		{"success", nil, post, result{status: 200, sent: true}, fresh, verdictFinal},
		{"cannot build", nil, post, result{err: errors.New("x"), invalid: true}, fresh, verdictFinal},
		{"dial failed, POST", nil, post, result{err: mockDialRefused(), transport: true}, fresh, verdictRetry},
		{"dial failed, ctx done", cancelled, post, result{err: mockDialRefused(), transport: true}, fresh, verdictFinal},
		{"dial failed, unknown host", nil, get, result{err: &net.DNSError{IsNotFound: true}, transport: true}, fresh, verdictFinal},
		{"reset, POST", nil, post, result{err: mockConnReset(), sent: true, transport: true}, fresh, verdictUnknown},
		{"reset, GET", nil, get, result{err: mockConnReset(), sent: true, transport: true}, fresh, verdictRetry},
		{"reset, GET, ctx done", cancelled, get, result{err: mockConnReset(), sent: true, transport: true}, fresh, verdictFinal},
		{"429, POST", nil, post, result{err: apiErr(429), status: 429, sent: true}, fresh, verdictRetry},
		{"429, the payment of Charge", nil, charge, result{err: apiErr(429), status: 429, sent: true}, fresh, verdictUnknown},
		{"503, POST", nil, post, result{err: apiErr(503), status: 503, sent: true}, fresh, verdictUnknown},
		{"503, GET", nil, get, result{err: apiErr(503), status: 503, sent: true}, fresh, verdictRetry},
		{"501, GET", nil, get, result{err: apiErr(501), status: 501, sent: true}, fresh, verdictFinal},
		{"2xx not decoded, POST", nil, post, result{err: errors.New("decode"), status: 200, sent: true}, fresh, verdictUnknown},
		{"2xx not decoded, GET", nil, get, result{err: errors.New("decode"), status: 200, sent: true}, fresh, verdictFinal},
		{"3xx, POST", nil, post, result{err: apiErr(302), status: 302, sent: true}, fresh, verdictUnknown},
		{"3xx, GET", nil, get, result{err: apiErr(302), status: 302, sent: true}, fresh, verdictFinal},
		{"400", nil, post, result{err: apiErr(400), status: 400, sent: true}, fresh, verdictFinal},
		{"DELETE gone after a lost answer", nil, del, result{err: gone, status: 400, sent: true}, history{attempt: 1, maxRetries: 2, applied: true}, verdictGone},
		{"DELETE gone on the first attempt", nil, del, result{err: gone, status: 400, sent: true}, fresh, verdictFinal},
		{"retry with no attempt left, after resets", nil, get, result{err: mockConnReset(), sent: true, transport: true}, last, verdictGiveUp},
		{"retry with no attempt left, 503", nil, get, result{err: apiErr(503), status: 503, sent: true}, last, verdictFinal},
		{"retry with retries disabled", nil, get, result{err: mockConnReset(), sent: true, transport: true}, history{}, verdictFinal},
	} {
		ctx := tc.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		assert.Equal(t, tc.want, decide(ctx, tc.op, tc.res, tc.h), tc.name)
	}

	var h history
	h.record(get, result{status: 404, sent: true})
	assert.False(t, h.applied, "a 404 was not carried out")
	h.record(get, result{err: mockDialRefused(), transport: true})
	assert.False(t, h.applied, "a request that never left was not carried out")
	h.record(get, result{status: 503, sent: true})
	assert.True(t, h.applied)
}

// TestDoHEADIsRetried: HEAD is repeatable, so a 503 is retried.
func TestDoHEADIsRetried(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(503, ""),
		mockJSON(200, ""),
	)
	c := mockClient(t, script)
	require.NoError(t, c.Do(mockCtx(t, 10*time.Second), "HEAD", "/v1/payments/pay_X", nil, nil))
	seen := script.Calls()
	require.Len(t, seen, 2)
	assert.Equal(t, "HEAD", seen[1].Method)
	assert.Equal(t, "/v1/payments/pay_X", seen[1].EscapedPath)
}

// TestProxyRefusingConnectIsNotSent: with the SDK's own transport, a proxy
// that refuses CONNECT means nothing reached Razorpay, so a write is retried
// like a failed dial rather than reported as an unknown outcome.
func TestProxyRefusingConnectIsNotSent(t *testing.T) {
	t.Parallel()
	var connects atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			connects.Add(1)
		}
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer proxy.Close()
	proxyURL, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	tr := newTransport(time.Second)
	tr.Proxy = http.ProxyURL(proxyURL)
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(&http.Client{Transport: tr}), WithRetryBackoff(0, 0))
	_, err = c.Order.Create(context.Background(), &OrderCreateParams{Amount: 100, Currency: "INR"})
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "%v", err)
	assert.ErrorContains(t, err, "proxy refused CONNECT: 403 Forbidden")
	assert.Equal(t, int32(3), connects.Load(), "retried like a failed dial")
}

// TestDecideRefund is the retry policy of a request with an idempotency
// key, as a table.
func TestDecideRefund(t *testing.T) {
	t.Parallel()
	refund := operation{method: "POST", idempotencyKey: refundKey}
	apiErr := func(status int) error { return &Error{HTTPStatusCode: status, Code: "BAD_REQUEST_ERROR"} }
	fresh := history{maxRetries: 2}
	lost := history{attempt: 1, maxRetries: 2, applied: true}
	last := history{attempt: 2, maxRetries: 2}
	lastLost := history{attempt: 2, maxRetries: 2, applied: true}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		res  result
		h    history
		want verdict
	}{
		{"success", nil, result{status: 200, sent: true}, lost, verdictFinal},
		{"dial failed", nil, result{err: mockDialRefused(), transport: true}, fresh, verdictRetry},
		{"dial failed, ctx done", cancelled, result{err: mockDialRefused(), transport: true}, fresh, verdictFinal},
		{"dial failed, ctx done, after a lost attempt", cancelled, result{err: mockDialRefused(), transport: true}, lost, verdictUnknown},
		{"reset", nil, result{err: mockConnReset(), sent: true, transport: true}, fresh, verdictRetry},
		{"reset, ctx done", cancelled, result{err: mockConnReset(), sent: true, transport: true}, fresh, verdictUnknown},
		{"503", nil, result{err: apiErr(503), status: 503, sent: true}, fresh, verdictRetry},
		{"501", nil, result{err: apiErr(501), status: 501, sent: true}, fresh, verdictUnknown},
		{"429", nil, result{err: apiErr(429), status: 429, sent: true}, fresh, verdictRetry},
		{"409", nil, result{err: apiErr(409), status: 409, sent: true}, fresh, verdictRetry},
		{"2xx not decoded", nil, result{err: errors.New("decode"), status: 200, sent: true}, fresh, verdictUnknown},
		{"3xx", nil, result{err: apiErr(302), status: 302, sent: true}, fresh, verdictUnknown},
		{"400", nil, result{err: apiErr(400), status: 400, sent: true}, fresh, verdictFinal},
		{"400 after a lost attempt", nil, result{err: apiErr(400), status: 400, sent: true}, lost, verdictUnknown},
		{"408 from a proxy", nil, result{err: &Error{HTTPStatusCode: 408}, status: 408, sent: true}, fresh, verdictUnknown},
		{"no attempt left, 503", nil, result{err: apiErr(503), status: 503, sent: true}, last, verdictUnknown},
		{"no attempt left, 409", nil, result{err: apiErr(409), status: 409, sent: true}, last, verdictUnknown},
		{"no attempt left, 429 without a lost attempt", nil, result{err: apiErr(429), status: 429, sent: true}, last, verdictUnknown},
		{"no attempt left, dial failures only", nil, result{err: mockDialRefused(), transport: true}, last, verdictGiveUp},
		{"no attempt left, dial failure after a lost attempt", nil, result{err: mockDialRefused(), transport: true}, lastLost, verdictUnknown},
	} {
		ctx := tc.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		assert.Equal(t, tc.want, decide(ctx, refund, tc.res, tc.h), tc.name)
	}

	assert.Equal(t, verdictUnknown, interrupted(refund, history{applied: true}))
	assert.Equal(t, verdictFinal, interrupted(refund, history{}))
	assert.Equal(t, verdictFinal, interrupted(operation{method: "GET", repeatable: true}, history{applied: true}))

	var h history
	h.record(refund, result{err: apiErr(409), status: 409, sent: true})
	assert.True(t, h.applied, "a 409 says a request with the key is being carried out")
	h = history{}
	h.record(refund, result{err: apiErr(429), status: 429, sent: true})
	assert.True(t, h.applied, "a 429 may come from a proxy after Razorpay acted")
	h = history{}
	h.record(refund, result{err: mockDialRefused(), transport: true})
	assert.False(t, h.applied, "a request that never left")
}

// After a 409 the SDK waits the whole backoff step, not a random part of
// it: the first request with the key is still being processed.
func TestPauseAfterConflict(t *testing.T) {
	t.Parallel()
	conflict := result{status: http.StatusConflict, header: http.Header{}}
	for attempt, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second} {
		assert.Equal(t, want, pause(100*time.Millisecond, time.Second, attempt, conflict), "attempt %d", attempt)
	}
	conflict.header.Set("Retry-After", "3")
	assert.Equal(t, 3*time.Second, pause(100*time.Millisecond, 5*time.Second, 0, conflict), "Retry-After wins")
	for range 20 {
		d := pause(100*time.Millisecond, time.Second, 1, result{status: 503})
		assert.LessOrEqual(t, d, 200*time.Millisecond, "other retries keep full jitter")
	}
}
