package razorpay

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of issue 14: what a hostile network, a hostile server and hostile
// input can do.

// hdRecorder is an HTTP server that must never be reached: the kit's
// transport behind a real server, recording every request (with its
// Authorization header) and answering a plausible success.
type hdRecorder struct {
	*mockRT
	srv *httptest.Server
}

func newHdRecorder(t *testing.T) *hdRecorder {
	t.Helper()
	r := &hdRecorder{mockRT: mockScript(mockJSON(200, mockOrderJSON))}
	r.srv = httptest.NewServer(r.mockRT)
	t.Cleanup(r.srv.Close)
	return r
}

// hdRedirector answers every request with status and a Location on to.
func hdRedirector(status int, to string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, to+r.URL.Path, status)
	})
}

// TestRedirectHTTPSToHTTPNotFollowed: an https base URL answered by a 302 to
// http:// on the same host sent Authorization in clear text. With a caller's
// http.Client too, and without changing that client.
func TestRedirectHTTPSToHTTPNotFollowed(t *testing.T) {
	t.Parallel()
	plain := newHdRecorder(t) // http://127.0.0.1:<port>
	tlsSrv := httptest.NewTLSServer(hdRedirector(http.StatusFound, plain.srv.URL))
	t.Cleanup(tlsSrv.Close)
	hc := tlsSrv.Client()

	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(hc), WithBaseURL(tlsSrv.URL), WithRetryBackoff(0, 0))
	require.NoError(t, c.Err())
	p, err := c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	assert.Nil(t, p)

	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.HTTPStatusCode)
	assert.Contains(t, apiErr.Description, "redirect to "+plain.srv.URL+" not followed")
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "a GET is repeatable: %v", err)
	assert.Empty(t, plain.Calls(), "nothing reached the redirect's target")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
}

// TestRedirect307POSTToAnotherPortNotFollowed: a 307 to another port got the
// POST with its credentials. With the SDK's own client.
func TestRedirect307POSTToAnotherPortNotFollowed(t *testing.T) {
	t.Parallel()
	other := newHdRecorder(t)
	base := httptest.NewServer(hdRedirector(http.StatusTemporaryRedirect, other.srv.URL))
	t.Cleanup(base.Close)

	c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(base.URL), WithRetryBackoff(0, 0))
	require.NoError(t, c.Err())
	t.Cleanup(c.CloseIdleConnections)
	o, err := c.Order.Create(mockCtx(t, 10*time.Second), &OrderCreateParams{Amount: 5000, Currency: "INR"})
	assert.Nil(t, o)

	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTemporaryRedirect, apiErr.HTTPStatusCode)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "whatever answered the POST may have acted on it")
	assert.Empty(t, other.Calls(), "the POST and its credentials did not leave the base URL's origin")
}

// TestRedirect302AnsweringPOSTIsNotASuccess: a 302 answering a POST turned
// into a silent success with the other server's body.
func TestRedirect302AnsweringPOSTIsNotASuccess(t *testing.T) {
	t.Parallel()
	other := newHdRecorder(t)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusPermanentRedirect} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			base := httptest.NewServer(hdRedirector(status, other.srv.URL))
			t.Cleanup(base.Close)
			c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(base.URL), WithRetryBackoff(0, 0))
			t.Cleanup(c.CloseIdleConnections)

			o, err := c.Order.Create(mockCtx(t, 10*time.Second), &OrderCreateParams{Amount: 5000, Currency: "INR"})
			assert.Nil(t, o)
			require.Error(t, err, "never a success")
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.HTTPStatusCode)
		})
	}
	assert.Empty(t, other.Calls())
}

// TestEntityChecked: a 2xx answer that is not the entity asked for is an
// *Error with a clear description, never a zero value with a nil error.
func TestEntityChecked(t *testing.T) {
	t.Parallel()
	const errorObject = `{"error":{"code":"BAD_REQUEST_ERROR","description":"Payment failed for card 4111 1111 1111 1111","source":"NA","step":"NA","reason":"NA","metadata":{}}}`
	tests := []struct {
		name    string
		body    string
		call    func(ctx context.Context, c *Client) (any, error)
		write   bool
		desc    string // part of the *Error's Description
		notDesc string
	}{
		{"Payment.Fetch answered with an order", mockOrderJSON,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "the answer is an order, not a payment", ""},
		{"Payment.Fetch answered with a payment without id", `{"entity":"payment","amount":5000}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "no id", ""},
		{"Payment.Fetch answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "error object in a 200 answer: Payment failed for card XXXX XXXX XXXX 1111", "4111 1111"},
		{"Customer.Fetch answered with {}", `{}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Customer.Fetch(ctx, "cust_RT0000000001") },
			false, "not a customer", ""},
		{"Token.Fetch answered with a card", `{"id":"card_X","entity":"card"}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Token.Fetch(ctx, "cust_X", "token_X") },
			false, "the answer is a card, not a token", ""},
		{"Order.Create answered with a payment", mockPaymentJSON,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Order.Create(ctx, &OrderCreateParams{Amount: 5000, Currency: "INR"})
			},
			true, "the answer is a payment, not an order", ""},
		{"CreateRecurring answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Payment.CreateRecurring(ctx, rtRecurringParams())
			},
			true, "error object in a 200 answer", ""},
		{"CreateRecurring answered with {}", `{}`,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Payment.CreateRecurring(ctx, rtRecurringParams())
			},
			true, "no razorpay_payment_id", ""},
		{"Customer.List answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) { return c.Customer.List(ctx, nil) },
			false, "error object in a 200 answer", ""},
		{"Order.Payments answered with orders", `{"entity":"collection","count":1,"items":[` + mockOrderJSON + `]}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Order.Payments(ctx, "order_RT00000000001") },
			false, "item 0: the answer is an order, not a payment", ""},
		{"Token.List answered with a payment", mockPaymentJSON,
			func(ctx context.Context, c *Client) (any, error) { return c.Token.List(ctx, "cust_X") },
			false, "the answer is a payment, not a collection", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockJSON(200, tt.body))
			c := mockClient(t, script)
			v, err := tt.call(mockCtx(t, 10*time.Second), c)
			assert.True(t, v == nil || fmt.Sprint(v) == "<nil>", "no value: %#v", v)
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.HTTPStatusCode)
			assert.Contains(t, apiErr.Description, tt.desc)
			assert.Contains(t, err.Error(), tt.desc)
			if tt.notDesc != "" {
				assert.NotContains(t, err.Error(), tt.notDesc)
			}
			assert.Equal(t, tt.write, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown for a state-creating call only: %v", err)
			assert.Equal(t, 1, script.count(), "not retried")
		})
	}
}

// TestEntityWellFormedAnswersPass: the entity check accepts what Razorpay
// sends, including entities that do not name their entity.
func TestEntityWellFormedAnswersPass(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(200, mockPaymentJSON),
		mockJSON(200, `{"id":"pay_RT000000000001","amount":1}`),
		mockJSON(200, `{"entity":"collection","count":0,"items":[]}`),
		mockJSON(200, `{"count":1,"items":[`+mockPaymentJSON+`]}`),
	)
	c := mockClient(t, script)
	ctx := mockCtx(t, 10*time.Second)
	_, err := c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.NoError(t, err)
	_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.NoError(t, err)
	_, err = c.Order.Payments(ctx, "order_RT00000000001")
	require.NoError(t, err)
	_, err = c.Order.Payments(ctx, "order_RT00000000001")
	require.NoError(t, err)
}

func TestRecurringPaymentParamsRefuseMalformedIDs(t *testing.T) {
	t.Parallel()
	for field, mutate := range map[string]func(*RecurringPaymentParams){
		"order_id":    func(p *RecurringPaymentParams) { p.OrderID = "../orders" },
		"customer_id": func(p *RecurringPaymentParams) { p.CustomerID = "cust_A/tokens" },
		"token":       func(p *RecurringPaymentParams) { p.TokenID = "token_\x00" },
	} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			p := rtRecurringParams()
			require.NoError(t, p.Validate())
			mutate(p)
			assertInvalidParams(t, p.Validate(), field)
		})
	}
}

// TestTokenDeleteAfterLost500ThenGone: a first answer of exactly 500 and a
// retry that finds the token gone is "already deleted" (only 503 was
// tested: ">= 500" → "> 500" survived mutation testing).
func TestTokenDeleteAfterLost500ThenGone(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(500, mockServerErr),
		mockJSON(404, mockBadRequest),
	)
	c := mockClient(t, script)
	require.NoError(t, c.Token.Delete(mockCtx(t, 10*time.Second), "cust_X", "token_X"))
	seen := script.Calls()
	require.Len(t, seen, 2)
	for _, r := range seen {
		assert.Equal(t, "DELETE", r.Method)
		assert.Equal(t, "/v1/customers/cust_X/tokens/token_X", r.EscapedPath)
	}
}

// TestDoHEADIsRetried: HEAD is repeatable, so a 503 is retried (HEAD's retry
// was never tested).
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

// TestAllStopsWhenTheServerIgnoresSkip: All never ended against a server
// that ignores skip.
func TestAllStopsWhenTheServerIgnoresSkip(t *testing.T) {
	t.Parallel()
	page := `{"entity":"collection","count":2,"items":[` +
		`{"id":"cust_A","entity":"customer"},{"id":"cust_B","entity":"customer"}]}`
	script := mockScript(mockJSON(200, page))
	c := mockClient(t, script)
	var ids []string
	var walkErr error
	mockWithin(t, 10*time.Second, func() {
		for cust, err := range c.Customer.All(mockCtx(t, 10*time.Second), &ListParams{Count: 2}) {
			if err != nil {
				walkErr = err
				break
			}
			ids = append(ids, cust.ID)
		}
	})
	assert.Equal(t, []string{"cust_A", "cust_B"}, ids)
	require.ErrorIs(t, walkErr, ErrListPaging)
	assert.ErrorContains(t, walkErr, "cust_A")
	assert.Equal(t, 2, script.count())
}

// hdPager answers GET /v1/customers with a full page of distinct customers
// at every skip: a collection that never ends.
func hdPager(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	skip, _ := strconv.Atoi(q.Get("skip"))
	count, _ := strconv.Atoi(q.Get("count"))
	items := make([]string, count)
	for i := range items {
		items[i] = `{"id":"cust_` + strconv.Itoa(skip+i) + `","entity":"customer"}`
	}
	return mockJSON(200, `{"entity":"collection","count":`+strconv.Itoa(count)+`,"items":[`+strings.Join(items, ",")+`]}`)(r)
}

// TestAllStopsAtMaxPages: a walk is capped, at DefaultMaxListPages pages
// unless the caller raises or lowers ListParams.MaxPages.
func TestAllStopsAtMaxPages(t *testing.T) {
	t.Parallel()
	walk := func(t *testing.T, params *ListParams) (items, requests int, walkErr error) {
		script := mockScript(hdPager)
		c := mockClient(t, script)
		mockWithin(t, 60*time.Second, func() {
			for _, err := range c.Customer.All(mockCtx(t, 60*time.Second), params) {
				if err != nil {
					walkErr = err
					break
				}
				items++
			}
		})
		return items, script.count(), walkErr
	}
	t.Run("MaxPages 3", func(t *testing.T) {
		t.Parallel()
		n, requests, err := walk(t, &ListParams{Count: 10, MaxPages: 3})
		require.ErrorIs(t, err, ErrListPaging)
		assert.ErrorContains(t, err, "3 pages (30 items)")
		assert.Equal(t, 30, n)
		assert.Equal(t, 3, requests)
	})
	t.Run("default", func(t *testing.T) {
		t.Parallel()
		n, requests, err := walk(t, &ListParams{Count: 1})
		require.ErrorIs(t, err, ErrListPaging)
		assert.Equal(t, DefaultMaxListPages, n)
		assert.Equal(t, DefaultMaxListPages, requests)
	})
	t.Run("negative MaxPages is invalid", func(t *testing.T) {
		t.Parallel()
		_, requests, err := walk(t, &ListParams{MaxPages: -1})
		assertInvalidParams(t, err, "max_pages")
		assert.Zero(t, requests)
	})
}

// TestCloseIdleConnections: the SDK's own pool can be released; a caller's
// client is left alone.
func TestCloseIdleConnections(t *testing.T) {
	t.Parallel()
	var open atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, mockPaymentJSON)
	}))
	closed := make(chan struct{}, 16)
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed:
			open.Add(-1)
			closed <- struct{}{}
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(srv.URL))
	_, err := c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	require.NoError(t, err)
	assert.EqualValues(t, 1, open.Load(), "the connection stays open, idle in the pool")

	c.ForAccount("acc_X").CloseIdleConnections() // shares the pool
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the idle connection was not closed")
	}
	assert.EqualValues(t, 0, open.Load())

	// Still usable.
	_, err = c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	require.NoError(t, err)
	c.CloseIdleConnections()

	// A caller's client: a no-op.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	own := NewClient(mockKeyID, mockKeySecret, WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}))
	_, err = own.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	require.NoError(t, err)
	<-closed // the second connection of c
	own.CloseIdleConnections()
	select {
	case <-closed:
		t.Fatal("CloseIdleConnections closed a connection of the caller's transport")
	case <-time.After(100 * time.Millisecond):
	}
	var zero *Client
	zero.CloseIdleConnections() // no panic
}

// TestWithHTTPClientKeepsTheCallersSettings: the SDK sends through a copy of
// the caller's client that refuses redirects; the copy keeps its Transport,
// Jar and Timeout.
func TestWithHTTPClientKeepsTheCallersSettings(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, mockPaymentJSON))
	jar := &hdJar{}
	hc := &http.Client{Transport: capture, Timeout: 7 * time.Second, Jar: jar}
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(hc))
	require.NotSame(t, hc, c.cfg.httpClient)
	assert.Same(t, capture, c.cfg.httpClient.Transport.(*mockRT))
	assert.Equal(t, 7*time.Second, c.cfg.httpClient.Timeout)
	assert.Same(t, jar, c.cfg.httpClient.Jar.(*hdJar))
	assert.Nil(t, hc.CheckRedirect)
	_, err := c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	require.NoError(t, err)
	assert.Equal(t, 1, capture.count())
	assert.Positive(t, jar.calls.Load(), "the caller's jar is used")
}

type hdJar struct{ calls atomic.Int64 }

func (j *hdJar) SetCookies(*url.URL, []*http.Cookie) { j.calls.Add(1) }
func (j *hdJar) Cookies(*url.URL) []*http.Cookie     { j.calls.Add(1); return nil }

// TestMaskDigits: card numbers with or without separators, and runs of
// exactly 12 digits, keep only their last four digits.
func TestMaskDigits(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"4111111111111111", "XXXXXXXXXXXX1111"},
		{"card 4111 1111 1111 1111 declined", "card XXXX XXXX XXXX 1111 declined"},
		{"card 4111-1111-1111-1111.", "card XXXX-XXXX-XXXX-1111."},
		{"amex 3782 822463 10005", "amex XXXX XXXXXX X0005"},
		{"123456789012", "XXXXXXXX9012"},
		{"12345678901", "12345678901"},
		{"1234 5678 901", "1234 5678 901"},
		{"4111  1111 1111 1111", "4111  XXXX XXXX 1111"}, // two spaces end a run
		{"4111111111111111111", "XXXXXXXXXXXXXXX1111"},
		{"id pay_4111111111111111 x", "id pay_XXXXXXXXXXXX1111 x"},
		{"ends with 4111 1111 1111 1111-", "ends with XXXX XXXX XXXX 1111-"},
		{"", ""},
		{"no digits", "no digits"},
		{"₹ 4111 1111 1111 1111 ₹", "₹ XXXX XXXX XXXX 1111 ₹"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, maskDigits(tt.in), "maskDigits(%q)", tt.in)
	}
}

// TestErrorMasksCardNumbersEverywhere: a card number echoed by the server
// does not survive in err.Error(), %v, %+v, %#v or slog, with separators,
// in Metadata, or in a ChargeError's failed payment.
func TestErrorMasksCardNumbersEverywhere(t *testing.T) {
	t.Parallel()
	for _, card := range []string{"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "411111111111"} {
		t.Run(card, func(t *testing.T) {
			t.Parallel()
			body := `{"error":{"code":"BAD_REQUEST_ERROR","description":"Card ` + card + ` is invalid","field":"number ` + card + `",` +
				`"reason":"card_` + card + `","metadata":{"card":"` + card + `","nested":{"n":["` + card + `"]}}}}`
			e := newError("POST", "/v1/cards/fingerprints", 400, http.Header{}, []byte(body))
			require.Equal(t, card, e.Metadata["card"], "the value itself is intact")
			var logs strings.Builder
			slog.New(slog.NewTextHandler(&logs, nil)).Error("failed", "err", error(e))
			for _, form := range []string{
				e.Error(), fmt.Sprint(e), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e),
				fmt.Sprintf("%s", e), fmt.Sprintf("%q", e), fmt.Sprintf("%#v", error(e)), logs.String(),
				fmt.Sprintf("%v", fmt.Errorf("wrapped: %w", e)),
			} {
				assert.NotContains(t, form, card)
				assert.NotContains(t, form, strings.NewReplacer(" ", "", "-", "").Replace(card))
				assert.NotContains(t, form, card[:4], "%s", form)
			}
			assert.Contains(t, fmt.Sprintf("%#v", e), "Metadata:")
			assert.Contains(t, fmt.Sprintf("%#v", e), "HTTPStatusCode:400")

			ce := &ChargeError{OrderID: "order_X", Payment: &Payment{ID: "pay_X", ErrorDescription: "Card " + card + " declined"}, class: ErrNotCharged}
			assert.NotContains(t, ce.Error(), card)
			assert.Contains(t, ce.Error(), "1111 declined")
		})
	}
	var nilErr *Error
	assert.Equal(t, "(*razorpay.Error)(nil)", fmt.Sprintf("%#v", nilErr))
}

// TestReceiptsRefused: receipts with NUL, newlines, other control characters
// or invalid UTF-8 are refused everywhere receipts are validated.
func TestReceiptsRefused(t *testing.T) {
	t.Parallel()
	bad := map[string]string{
		"NUL": "r-\x00", "newline": "r-1\n", "CR": "r\r1", "tab": "r\t1", "DEL": "r\x7f", "ESC": "\x1b[31mr",
		"C1": "r\u0085", "line separator": "r\u2028", "invalid UTF-8": "r-\xff", "truncated UTF-8": "r-\xe2\x82",
	}
	for name, receipt := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := &OrderCreateParams{Amount: 100, Currency: "INR", Receipt: receipt}
			assertInvalidParams(t, o.Validate(), "receipt")
			l := &OrderListParams{Receipt: receipt}
			assertInvalidParams(t, l.Validate(), "receipt")
			var v validator
			v.receipt(receipt, "receipt")
			assertInvalidParams(t, v.err, "receipt")
		})
	}
	for _, ok := range []string{"", "sub_42-2026-11", "₹ bill #7 / Nov", strings.Repeat("₹", MaxReceiptLength)} {
		var v validator
		v.receipt(ok, "receipt")
		assert.NoError(t, v.err, "%q", ok)
	}
	var v validator
	v.receipt(strings.Repeat("r", MaxReceiptLength+1), "receipt")
	assertInvalidParams(t, v.err, "receipt")
}

// TestOrderAmountBelowMinimumRefused: Razorpay's minimum is 100 paise.
func TestOrderAmountBelowMinimumRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, amount := range []int64{1, 50, 99} {
		_, err := c.Order.Create(mockCtx(t), &OrderCreateParams{Amount: amount, Currency: "INR"})
		assertInvalidParams(t, err, "amount")
		assert.ErrorContains(t, err, "at least 100 paise")
	}
	assertNoRequest(t, mt)
}

// hdSign signs a webhook body like Razorpay.
func hdSign(body, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return hex.EncodeToString(mac.Sum(nil))
}

// TestWebhookReplaysShareTheIdempotencyKey: one captured, validly signed
// body replayed with three different X-Razorpay-Event-Id headers reached the
// callback with three different ids and nothing to deduplicate on.
func TestWebhookReplaysShareTheIdempotencyKey(t *testing.T) {
	t.Parallel()
	const secret = "whsec"
	body := `{"entity":"event","account_id":"acc_X","event":"payment.captured","contains":["payment"],` +
		`"payload":{"payment":{"entity":{"id":"pay_X","entity":"payment","amount":100,"status":"captured"}}},"created_at":1764064800}`
	var mu sync.Mutex
	keys := map[string]int{}
	ids := map[string]bool{}
	h := WebhookHandler(secret, func(_ context.Context, ev *WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		keys[ev.IdempotencyKey()]++
		ids[ev.ID] = true
		return nil
	})
	for _, id := range []string{"evt_1", "evt_2", "evt_3", ""} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(body))
		req.Header.Set("X-Razorpay-Signature", hdSign(body, secret))
		if id != "" {
			req.Header.Set("X-Razorpay-Event-Id", id)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
	}
	assert.Equal(t, map[string]int{"payment.captured:pay_X": 4}, keys)
	assert.Len(t, ids, 4, "ID stays the header's value")
}

func TestWebhookIdempotencyKeyForms(t *testing.T) {
	t.Parallel()
	const secret = "whsec"
	tests := []struct{ body, want string }{
		{`{"event":"payment.failed","payload":{"payment":{"entity":{"id":"pay_F"}}}}`, "payment.failed:pay_F"},
		{`{"event":"order.paid","payload":{"payment":{"entity":{"id":"pay_P"}},"order":{"entity":{"id":"order_O"}}}}`, "order.paid:order_O"},
		{`{"event":"token.confirmed","payload":{"token":{"entity":{"id":"token_T"}}}}`, "token.confirmed:token_T"},
		{`{"event":"invoice.paid","payload":{"invoice":{"entity":{"id":"inv_I"}},"payment":{"entity":{"id":"pay_P"}}}}`, "invoice.paid:inv_I"},
		{`{"event":"refund.created","payload":{"refund":{"entity":{"id":"rfnd_R"}}}}`, "refund.created:rfnd_R"},
	}
	for _, tt := range tests {
		ev, err := ParseWebhook([]byte(tt.body), hdSign(tt.body, secret), secret)
		require.NoError(t, err)
		assert.Equal(t, tt.want, ev.IdempotencyKey())
	}
	// Without an entity id: the event type and the hash of the signed body.
	body := `{"event":"account.updated","payload":{}}`
	ev, err := ParseWebhook([]byte(body), hdSign(body, secret), secret)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(body))
	assert.Equal(t, "account.updated:sha256:"+hex.EncodeToString(sum[:]), ev.IdempotencyKey())
	var none *WebhookEvent
	assert.Empty(t, none.IdempotencyKey())
}

// TestWebhookSlowBodyIsCutOff: a client that trickles its body held the
// handler for 3 s and more with no answer.
func TestWebhookSlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	called := make(chan struct{}, 1)
	srv := httptest.NewServer(webhookHandler("whsec", func(context.Context, *WebhookEvent) error {
		called <- struct{}{}
		return nil
	}, 300*time.Millisecond))
	t.Cleanup(srv.Close)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	start := time.Now()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() { // one byte every 100 ms: the whole body would take 100 s
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := io.WriteString(conn, " "); err != nil {
					return
				}
			}
		}
	}()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "an answer within seconds")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.Empty(t, called)
}

func TestWebhookHandlerDefaultReadTimeout(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 10*time.Second, WebhookReadTimeout)
}

// TestWebhookEmptySecretIs500AndLoggedOnce: an empty webhook secret made
// every delivery a 400, which tells Razorpay the payload is bad.
func TestWebhookEmptySecretIs500AndLoggedOnce(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var logMu sync.Mutex
	srv := httptest.NewUnstartedServer(WebhookHandler("", func(context.Context, *WebhookEvent) error {
		t.Error("fn must not be called")
		return nil
	}))
	srv.Config.ErrorLog = log.New(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), "", 0)
	srv.Start()
	t.Cleanup(srv.Close)

	body := `{"event":"payment.captured","payload":{}}`
	for range 3 {
		req, err := http.NewRequestWithContext(mockCtx(t, 10*time.Second), http.MethodPost, srv.URL, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Razorpay-Signature", hdSign(body, ""))
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	}
	logMu.Lock()
	defer logMu.Unlock()
	assert.Equal(t, 1, strings.Count(logs.String(), "empty webhook secret"), logs.String())
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
