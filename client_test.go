package razorpay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientDefaults(t *testing.T) {
	t.Parallel()
	c := NewClient(mockKeyID, mockKeySecret)
	require.NoError(t, c.Err())
	cfg := c.cfg
	assert.Equal(t, DefaultBaseURL, cfg.baseURL)
	assert.Equal(t, 30*time.Second, cfg.timeout)
	assert.Equal(t, 2, cfg.maxRetries)
	assert.Equal(t, 250*time.Millisecond, cfg.backoffMin)
	assert.Equal(t, 5*time.Second, cfg.backoffMax)
	assert.Nil(t, cfg.logger)
	require.NotNil(t, cfg.httpClient)
	assert.NotSame(t, http.DefaultClient, cfg.httpClient)
	tr, ok := cfg.httpClient.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultTransport, tr)
	assert.Equal(t, DefaultMaxConnsPerHost, tr.MaxIdleConnsPerHost)
	assert.Equal(t, DefaultMaxConnsPerHost, tr.MaxConnsPerHost)
	assert.Equal(t, 10*time.Second, tr.TLSHandshakeTimeout)
	assert.Zero(t, tr.ResponseHeaderTimeout, "the per-attempt context bounds the wait for headers")
	assert.NotZero(t, tr.IdleConnTimeout)

	for _, svc := range []any{c.Customer, c.Order, c.RegistrationLink, c.Payment, c.Invoice, c.Token, c.Card} {
		assert.NotNil(t, svc)
	}
	assert.Same(t, c, c.Payment.c, "services point back to their client")
}

func TestNewClientTrimsKeys(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, `{"id":"cust_CL000000000001"}`))
	c := NewClient(" "+mockKeyID+"\n", "\t"+mockKeySecret+" ", WithHTTPClient(&http.Client{Transport: capture}))
	require.NoError(t, c.Err())
	_, err := c.Customer.Fetch(context.Background(), "cust_CL000000000001")
	require.NoError(t, err)
	h := capture.last().Header
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(mockKeyID+":"+mockKeySecret)), h.Get("Authorization"))
}

func TestNewClientConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		secret string
		opts   []Option
		want   string
	}{
		{"missing key id", "", mockKeySecret, nil, "missing key id"},
		{"missing secret", mockKeyID, "", nil, "missing key secret"},
		{"colon in key id", "rzp:test", mockKeySecret, nil, "key id"},
		{"unparsable base URL", mockKeyID, mockKeySecret, []Option{WithBaseURL("://nope")}, "WithBaseURL"},
		{"relative base URL", mockKeyID, mockKeySecret, []Option{WithBaseURL("/v1")}, "WithBaseURL"},
		{"ftp base URL", mockKeyID, mockKeySecret, []Option{WithBaseURL("ftp://api.test")}, "WithBaseURL"},
		{"base URL with query", mockKeyID, mockKeySecret, []Option{WithBaseURL("https://api.test?x=1")}, "WithBaseURL"},
		{"negative retries", mockKeyID, mockKeySecret, []Option{WithMaxRetries(-1)}, "WithMaxRetries"},
		{"negative timeout", mockKeyID, mockKeySecret, []Option{WithTimeout(-time.Second)}, "WithTimeout"},
		{"backoff min above max", mockKeyID, mockKeySecret, []Option{WithRetryBackoff(time.Second, time.Millisecond)}, "WithRetryBackoff"},
		{"nil http client", mockKeyID, mockKeySecret, []Option{WithHTTPClient(nil)}, "WithHTTPClient"},
		{"reserved header", mockKeyID, mockKeySecret, []Option{WithHeader("authorization", "Bearer x")}, "WithHeader"},
		{"bad header name", mockKeyID, mockKeySecret, []Option{WithHeader("X Bad", "1")}, "WithHeader"},
		{"header injection", mockKeyID, mockKeySecret, []Option{WithHeader("X-Trace", "a\r\nX-Evil: 1")}, "WithHeader"},
		{"header control character", mockKeyID, mockKeySecret, []Option{WithHeader("X-Trace", "a\x01b")}, "WithHeader"},
		{"plain http to a remote host", mockKeyID, mockKeySecret, []Option{WithBaseURL("http://api.razorpay.com")}, "clear text"},
		{"password in base URL", mockKeyID, "s3cr3t-in-url", []Option{WithBaseURL("https://user:s3cr3t-in-url@api.test")}, "user info"},
		{"bad app info", mockKeyID, mockKeySecret, []Option{WithAppInfo("my app", "1")}, "WithAppInfo"},
		{"nil option", mockKeyID, mockKeySecret, []Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			capture := mockScript(mockJSON(200, ""))
			opts := append([]Option{WithHTTPClient(&http.Client{Transport: capture})}, tt.opts...)
			c := NewClient(tt.id, tt.secret, opts...)
			require.ErrorIs(t, c.Err(), ErrInvalidConfig)
			assert.ErrorContains(t, c.Err(), tt.want)

			_, err := c.Payment.Fetch(context.Background(), "pay_CL000000000001")
			assert.ErrorIs(t, err, ErrInvalidConfig)
			err = c.Do(context.Background(), "GET", "/v1/payments", nil, nil)
			assert.ErrorIs(t, err, ErrInvalidConfig)
			assert.Zero(t, capture.count(), "nothing is sent")
			if tt.secret != "" {
				assert.NotContains(t, c.Err().Error(), tt.secret)
			}

			env := map[string]string{"RAZORPAY_KEY_ID": tt.id, "RAZORPAY_KEY_SECRET": tt.secret}
			fromEnv, err := clientFromEnv(func(k string) string { return env[k] }, opts...)
			assert.Nil(t, fromEnv)
			assert.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
}

func TestNewClientFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"RAZORPAY_KEY_ID": mockKeyID, "RAZORPAY_KEY_SECRET": mockKeySecret + "\n"}
	c, err := clientFromEnv(func(k string) string { return env[k] }, WithMaxRetries(5))
	require.NoError(t, err)
	assert.Equal(t, mockKeyID, c.cfg.keyID)
	assert.Equal(t, mockKeySecret, c.cfg.creds.keySecret, "white space from the environment is trimmed")
	assert.Equal(t, 5, c.cfg.maxRetries)

	_, err = clientFromEnv(func(string) string { return "" })
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, `{"id":"order_CL00000000001"}`))
	c := NewClient(mockKeyID, mockKeySecret,
		WithHTTPClient(&http.Client{Transport: capture}),
		WithBaseURL("https://proxy.test/razorpay/"),
		WithAppInfo("billing-svc", "1.4.2"),
		WithHeader("X-Trace-Id", "trace-1"),
	)
	require.NoError(t, c.Err())

	_, err := c.Order.Fetch(context.Background(), "order_CL00000000001")
	require.NoError(t, err)
	h, u := capture.last().Header, capture.last().URL
	assert.Equal(t, "https://proxy.test/razorpay/v1/orders/order_CL00000000001", u, "a base URL path prefix is kept")
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(mockKeyID+":"+mockKeySecret)), h.Get("Authorization"))
	assert.Equal(t, fmt.Sprintf("gorzp-razorpay-go/%s (%s; %s/%s) billing-svc/1.4.2", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH), h.Get("User-Agent"))
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Empty(t, h.Get("Content-Type"), "no body, no content type")
	assert.Equal(t, "trace-1", h.Get("X-Trace-Id"))
	assert.Empty(t, h.Get("X-Razorpay-Account"))

	_, err = c.Order.Create(context.Background(), &OrderCreateParams{Amount: 100, Currency: "INR"})
	require.NoError(t, err)
	h = capture.last().Header
	assert.Equal(t, "application/json", h.Get("Content-Type"))

	sub := c.ForAccount("acc_CL0000000000001")
	require.NoError(t, sub.Err())
	assert.Same(t, c.cfg.httpClient, sub.cfg.httpClient, "one connection pool")
	_, err = sub.Order.Fetch(context.Background(), "order_CL00000000001")
	require.NoError(t, err)
	h = capture.last().Header
	assert.Equal(t, "acc_CL0000000000001", h.Get("X-Razorpay-Account"))
	assert.Equal(t, "trace-1", h.Get("X-Trace-Id"))
	assert.Same(t, sub, sub.Order.c)

	_, err = c.Order.Fetch(context.Background(), "order_CL00000000001")
	require.NoError(t, err)
	h = capture.last().Header
	assert.Empty(t, h.Get("X-Razorpay-Account"), "the parent client is unchanged")

	bad := c.ForAccount("")
	assert.ErrorIs(t, bad.Err(), ErrInvalidConfig)
	_, err = bad.Order.Fetch(context.Background(), "order_CL00000000001")
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

// TestRequestHeadersAreNotShared: a transport that edits the request's
// headers (against the RoundTripper contract, but common) must not affect
// later requests.
func TestRequestHeadersAreNotShared(t *testing.T) {
	t.Parallel()
	var seen []string
	rt := mockStep(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Get("X-Mutated"))
		r.Header.Set("X-Mutated", "yes")
		r.Header.Add("Accept", "text/html")
		return mockJSON(200, `{}`)(r)
	})
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(&http.Client{Transport: rt}))
	for i := 0; i < 2; i++ {
		require.NoError(t, c.Do(context.Background(), "GET", "/v1/x", nil, nil))
	}
	assert.Equal(t, []string{"", ""}, seen)
	assert.Equal(t, []string{"application/json"}, c.cfg.creds.headers["Accept"])
}

func TestWithHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, `{}`))
	hc := &http.Client{Transport: capture, Timeout: 7 * time.Second}
	before := *hc
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(hc), WithTimeout(time.Second))
	require.NoError(t, c.Do(context.Background(), "GET", "/v1/x", nil, nil))
	assert.Equal(t, before.Timeout, hc.Timeout)
	assert.Equal(t, before.Transport, hc.Transport)
	assert.Nil(t, hc.Jar)
	assert.Nil(t, hc.CheckRedirect)
}

func TestClientNeverPrintsSecret(t *testing.T) {
	t.Parallel()
	c := NewClient(mockKeyID, mockKeySecret, WithBaseURL("https://api.test"))
	sub := c.ForAccount("acc_CL0000000000001")
	auth := base64.StdEncoding.EncodeToString([]byte(mockKeyID + ":" + mockKeySecret))
	var out []string
	type holder struct{ c Client } // a client in an unexported field is printed without its methods
	for _, v := range []any{c, sub, *c, holder{*c}, &holder{*sub}, c.cfg.creds, c.Payment, *c.Payment} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("client", "client", c, "creds", c.cfg.creds, "sub", sub)
	out = append(out, buf.String())
	jsonClient, err := json.Marshal(c)
	require.NoError(t, err)
	out = append(out, string(jsonClient))

	all := strings.Join(out, "\n")
	assert.NotContains(t, all, mockKeySecret)
	assert.NotContains(t, all, auth)
	assert.Contains(t, fmt.Sprint(c), "[REDACTED]")
	assert.Contains(t, fmt.Sprint(c), mockKeyID)
	assert.Contains(t, buf.String(), `"key_id":"`+mockKeyID+`"`)
}

// recordingHandler is a slog.Handler that keeps every record.
type recordingHandler struct {
	minLevel slog.Level // when above Info, records below it are not enabled
	mu       sync.Mutex
	records  []slog.Record
}

// Enabled accepts every level unless minLevel is set above Info.
func (h *recordingHandler) Enabled(_ context.Context, l slog.Level) bool {
	return h.minLevel <= slog.LevelInfo || l >= h.minLevel
}
func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	if !h.Enabled(context.Background(), r.Level) {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler      { return h }

func (h *recordingHandler) snapshot() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.records...)
}

func recordAttrs(r slog.Record) map[string]string {
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	return m
}

func TestLoggerRecords(t *testing.T) {
	t.Parallel()
	h := &recordingHandler{}
	script := mockScript(
		mockJSON(503, ""),
		mockJSON(200, mockPaymentJSON, "X-Razorpay-Request-Id", "req_42"),
	)
	c := mockClient(t, script, WithLogger(slog.New(h)))
	_, err := c.Payment.Fetch(context.Background(), "pay_RT000000000001")
	require.NoError(t, err)

	recs := h.snapshot()
	require.Len(t, recs, 2, "one record per attempt, nothing else")
	for _, r := range recs {
		assert.Equal(t, slog.LevelDebug, r.Level)
	}

	first := recordAttrs(recs[0])
	assert.Equal(t, map[string]string{
		"method": "GET", "path": "/v1/payments/pay_RT000000000001", "status": "503",
		"attempt": "1", "duration": first["duration"], "request_id": "",
		"retry_in": first["retry_in"],
	}, first, "exactly these keys: the wait before the retry is in the attempt's record")
	_, err = time.ParseDuration(first["retry_in"])
	assert.NoError(t, err)
	last := recordAttrs(recs[1])
	assert.Equal(t, map[string]string{
		"method": "GET", "path": "/v1/payments/pay_RT000000000001", "status": "200",
		"attempt": "2", "duration": last["duration"], "request_id": "req_42",
	}, last, "no retry_in when no retry follows")
	_, err = time.ParseDuration(last["duration"])
	assert.NoError(t, err)

	// An unknown outcome is the attempt's Debug record alone: the error
	// tells the caller.
	script2 := mockScript(mockJSON(502, ""))
	h2 := &recordingHandler{}
	c2 := mockClient(t, script2, WithLogger(slog.New(h2)))
	_, err = c2.Order.Create(context.Background(), &OrderCreateParams{Amount: 100, Currency: "INR"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	recs = h2.snapshot()
	require.Len(t, recs, 1)
	assert.Equal(t, slog.LevelDebug, recs[0].Level)
	assert.Equal(t, "502", recordAttrs(recs[0])["status"])

	// A logger at Warn gets nothing at all, also on retries.
	h3 := &recordingHandler{minLevel: slog.LevelWarn}
	script3 := mockScript(
		mockJSON(503, ""),
		mockJSON(200, mockPaymentJSON),
	)
	c3 := mockClient(t, script3, WithLogger(slog.New(h3)))
	_, err = c3.Payment.Fetch(context.Background(), "pay_RT000000000001")
	require.NoError(t, err)
	assert.Empty(t, h3.snapshot())
}

// TestNoSecretsAnywhere runs calls that carry every kind of secret through a
// logging client and checks that logs and errors never show them.
func TestNoSecretsAnywhere(t *testing.T) {
	t.Parallel()
	const signature = "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	script := mockScript(
		mockJSON(200, `{"razorpay_payment_id":"pay_RT000000000001","razorpay_order_id":"order_RT00000000001","razorpay_signature":"`+signature+`"}`),
		mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Card number `+mockCardNumber+` is invalid","field":"number"}}`),
		mockJSON(500, mockServerErr),
	)
	c := mockClient(t, script, WithLogger(logger))
	rp, err := c.Payment.CreateRecurring(context.Background(), mockRecurringParams())
	require.NoError(t, err)
	assert.Equal(t, signature, rp.Signature, "the value itself is intact")
	params := &CardReferenceParams{Number: mockCardNumber}
	_, err1 := c.Card.RequestCardReference(context.Background(), params)
	require.Error(t, err1)
	_, err2 := c.Card.RequestCardReference(context.Background(), params)
	require.ErrorIs(t, err2, ErrOutcomeUnknown)
	logger.Info("values", "params", params, "recurring", rp)

	var printed []string
	for _, v := range []any{err1, err2, rp, *rp, params, *params} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			printed = append(printed, fmt.Sprintf(verb, v))
		}
	}
	all := logs.String() + strings.Join(printed, "\n")
	auth := strings.TrimPrefix(mockBasicAuth, "Basic ")
	for _, s := range []string{mockKeySecret, auth, "Authorization", mockCardNumber, signature} {
		assert.NotContains(t, all, s)
	}
	assert.Contains(t, all, "XXXXXXXXXXXX1111", "card numbers are masked, not dropped")
}

func TestClientConcurrentUse(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, mockPaymentJSON))
	c := mockClient(t, capture)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			sub := c
			if g%2 == 0 {
				sub = c.ForAccount(fmt.Sprintf("acc_CL%012d", g))
			}
			for i := 0; i < 25; i++ {
				if _, err := sub.Payment.Fetch(context.Background(), "pay_RT000000000001"); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 16*25, capture.count())
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := Ptr(false)
	require.NotNil(t, p)
	assert.False(t, *p)
	assert.Equal(t, int64(7), *Ptr(int64(7)))
}

func TestZeroClient(t *testing.T) {
	t.Parallel()
	var c Client
	assert.ErrorIs(t, c.Err(), ErrInvalidConfig)
	assert.ErrorIs(t, c.Do(context.Background(), "GET", "/v1/x", nil, nil), ErrInvalidConfig)
	assert.Equal(t, "razorpay.Client{}", fmt.Sprint(c))
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
	jar := &countingJar{}
	hc := &http.Client{Transport: capture, Timeout: 7 * time.Second, Jar: jar}
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(hc))
	require.NotSame(t, hc, c.cfg.httpClient)
	assert.Same(t, capture, c.cfg.httpClient.Transport.(*mockRT))
	assert.Equal(t, 7*time.Second, c.cfg.httpClient.Timeout)
	assert.Same(t, jar, c.cfg.httpClient.Jar.(*countingJar))
	assert.Nil(t, hc.CheckRedirect)
	_, err := c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	require.NoError(t, err)
	assert.Equal(t, 1, capture.count())
	assert.Positive(t, jar.calls.Load(), "the caller's jar is used")
}

type countingJar struct{ calls atomic.Int64 }

func (j *countingJar) SetCookies(*url.URL, []*http.Cookie) { j.calls.Add(1) }
func (j *countingJar) Cookies(*url.URL) []*http.Cookie     { j.calls.Add(1); return nil }
