package razorpay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay/internal/testkit"
)

// The internal test kit of the root package (package razorpay), in the
// spirit of go-github's setup, testMethod and testBody. Every shared helper
// of the internal tests is here, named mock* (or assert* for checks):
//
//   - one key pair (mockKeyID, mockKeySecret) and one fake base URL;
//   - one scripted transport, mockRT: it answers by route ("METHOD
//     /escaped/path") with a queue of steps, or by a script of steps in
//     order, and records every request (mockCall);
//   - canned answers (mockJSON, mockHTML, mockErr, mockTimeout,
//     mockDialRefused, mockConnReset) as mockStep values;
//   - clients wired to it (newMockClient, mockClient), a context (mockCtx)
//     and a watchdog (mockWithin);
//   - assertions on the recorded requests (assertReq*, below);
//   - one bill of Payment.Charge on the scripted transport (mockCharge*,
//     mockNewBill);
//   - valid params, and the rules Validate enforces stated again for the
//     fuzz targets (mockValidate, assertRule*);
//   - fixtures (mockFixture), decoding fuzz helpers (mockFuzzDecode) and
//     Razorpay's HMAC signatures (mockSign).
//
// kit_race_test.go and kit_norace_test.go say whether the race detector is
// on. Tests of the external package razorpay_test have their own kit in
// kit_external_test.go, with the same names for the same jobs; the helpers
// both kits need are in internal/testkit.

const (
	mockKeyID     = "rzp_test_key"
	mockKeySecret = "test_secret"
	mockBaseURL   = "https://api.test"
	// mockBasicAuth is the Authorization header value for mockKeyID and
	// mockKeySecret: base64("rzp_test_key:test_secret").
	mockBasicAuth = "Basic cnpwX3Rlc3Rfa2V5OnRlc3Rfc2VjcmV0"
)

// mockStep answers one request. A step is itself a RoundTripper, for tests
// that need a transport made of one function.
type mockStep func(*http.Request) (*http.Response, error)

// RoundTrip answers r with the step.
func (f mockStep) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// mockCall is what the mock transport saw of one request.
type mockCall struct {
	Method      string
	EscapedPath string
	RawQuery    string
	URL         string // the whole URL, as the client sent it
	Header      http.Header
	// Body is the request body; HasBody is false when the request had none.
	Body          []byte
	HasBody       bool
	ContentLength int64
}

// Route is the call's "METHOD /escaped/path", the key of mockRT.on.
func (c mockCall) Route() string { return c.Method + " " + c.EscapedPath }

// mockRecorder keeps the requests one route registration received.
type mockRecorder struct {
	mu    sync.Mutex
	calls []mockCall
}

// add records call and returns its index from 0.
func (r *mockRecorder) add(call mockCall) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
	return len(r.calls) - 1
}

// Calls returns a copy of the recorded requests.
func (r *mockRecorder) Calls() []mockCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mockCall(nil), r.calls...)
}

// Only returns the single recorded request, failing the test unless exactly
// one was made.
func (r *mockRecorder) Only(t *testing.T) mockCall {
	t.Helper()
	calls := r.Calls()
	require.Len(t, calls, 1, "number of requests")
	return calls[0]
}

// mockRoute is one registration of a route: its answer to the n-th call,
// and what it saw.
type mockRoute struct {
	answer func(n int, call mockCall, req *http.Request) (*http.Response, error)
	rec    *mockRecorder
}

// mockQueue answers the n-th call with steps[n], the last step repeating.
func mockQueue(steps []mockStep) *mockRoute {
	return &mockRoute{rec: &mockRecorder{}, answer: func(n int, _ mockCall, req *http.Request) (*http.Response, error) {
		return steps[min(n, len(steps)-1)](req)
	}}
}

// mockRT is the scripted transport of the tests. A request whose route was
// registered with on is answered by that route's queue; any other request by
// the script (see mockScript); without a script, it fails the test when the
// transport is strict (newMockClient) and is answered 404 otherwise. Every
// request is recorded, whoever answers it. Steps run outside the lock, so a
// step may block (mockTimeout).
//
// Routing is httpmock's: each route is a responder of an
// httpmock.MockTransport, matched on the method and the escaped path of any
// host, with or without a query; requests no route matches go to its
// NoResponder, the script.
type mockRT struct {
	strict testing.TB
	mt     *httpmock.MockTransport
	script *mockRoute
	all    mockRecorder
}

// newMockRT returns a transport with no route and no script.
func newMockRT() *mockRT {
	m := &mockRT{mt: httpmock.NewMockTransport()}
	m.mt.RegisterNoResponder(m.unrouted)
	return m
}

// mockCallKey carries the recorded call of a request to its responder.
type mockCallKey struct{}

// mockScript returns a transport that answers the n-th request with
// steps[n], the last step repeating.
func mockScript(steps ...mockStep) *mockRT {
	m := newMockRT()
	m.script = mockQueue(steps)
	return m
}

// on answers the n-th request of route ("METHOD /escaped/path", without the
// query) with steps[n], the last step repeating. A second on for the same
// route replaces the first, from its next request.
func (m *mockRT) on(route string, steps ...mockStep) *mockRT {
	m.handle(route, mockQueue(steps))
	return m
}

// handle registers r for route and returns its recorder.
func (m *mockRT) handle(route string, r *mockRoute) *mockRecorder {
	method, path, _ := strings.Cut(route, " ")
	rx := regexp.MustCompile(`^[a-z]+://[^/]+` + regexp.QuoteMeta(path) + `(?:\?.*)?$`)
	m.mt.RegisterRegexpResponder(method, rx, func(req *http.Request) (*http.Response, error) {
		call := req.Context().Value(mockCallKey{}).(mockCall)
		return r.answer(r.rec.add(call), call, req)
	})
	return r.rec
}

// RoundTrip records the request, reading and closing its body, and answers
// it with the next step of its route or of the script.
func (m *mockRT) RoundTrip(req *http.Request) (*http.Response, error) {
	call := mockCall{
		Method:        req.Method,
		EscapedPath:   req.URL.EscapedPath(),
		RawQuery:      req.URL.RawQuery,
		URL:           req.URL.String(),
		Header:        req.Header.Clone(),
		ContentLength: req.ContentLength,
	}
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		call.Body = b
		call.HasBody = len(b) > 0
	}
	m.all.add(call)
	return m.mt.RoundTrip(req.WithContext(context.WithValue(req.Context(), mockCallKey{}, call)))
}

// unrouted answers a request that matches no route: the script's next step,
// or a failed test (strict) or a 404.
func (m *mockRT) unrouted(req *http.Request) (*http.Response, error) {
	call := req.Context().Value(mockCallKey{}).(mockCall)
	r := m.script
	if r == nil {
		if m.strict != nil {
			m.strict.Errorf("unexpected request: %s %s", req.Method, req.URL.String())
			return nil, errors.New("mock: no responder for this request")
		}
		return mockJSON(404, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The requested URL was not found on the server."}}`)(req)
	}
	return r.answer(r.rec.add(call), call, req)
}

// ServeHTTP puts the transport behind a real server
// (httptest.NewServer(rt)), for tests that need a network hop: it records
// the request like RoundTrip and writes the step's answer.
func (m *mockRT) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	resp, err := m.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// Calls returns every request the transport saw, in order.
func (m *mockRT) Calls() []mockCall { return m.all.Calls() }

// Only returns the single request the transport saw, failing the test unless
// exactly one was made.
func (m *mockRT) Only(t *testing.T) mockCall {
	t.Helper()
	return m.all.Only(t)
}

// last returns the latest request (the zero mockCall before any).
func (m *mockRT) last() mockCall {
	calls := m.Calls()
	if len(calls) == 0 {
		return mockCall{}
	}
	return calls[len(calls)-1]
}

// count returns how many requests were seen on the given routes, or in all
// when no route is given.
func (m *mockRT) count(routes ...string) int {
	n := 0
	for _, c := range m.Calls() {
		if len(routes) == 0 || slices.Contains(routes, c.Route()) {
			n++
		}
	}
	return n
}

// routesSeen returns the route of every request, in order.
func (m *mockRT) routesSeen() []string {
	var routes []string
	for _, c := range m.Calls() {
		routes = append(routes, c.Route())
	}
	return routes
}

// body returns the JSON body of the i-th request of route, decoded (nil when
// it has none).
func (m *mockRT) body(route string, i int) map[string]any {
	var bodies []map[string]any
	for _, c := range m.Calls() {
		if c.Route() == route {
			var b map[string]any
			_ = json.Unmarshal(c.Body, &b)
			bodies = append(bodies, b)
		}
	}
	return bodies[i]
}

// mockClient returns a client of the mock key pair whose requests go
// through rt, with the fake base URL and no backoff between retries. opts
// are applied after the defaults and may override them.
func mockClient(t testing.TB, rt http.RoundTripper, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{
		WithHTTPClient(&http.Client{Transport: rt}),
		WithBaseURL(mockBaseURL),
		WithRetryBackoff(0, 0),
	}, opts...)
	c := NewClient(mockKeyID, mockKeySecret, all...)
	require.NoError(t, c.Err())
	return c
}

// newMockClient returns a mock client and its strict transport: any request
// for which no route is registered fails the test.
func newMockClient(t *testing.T, opts ...Option) (*Client, *mockRT) {
	t.Helper()
	mt := newMockRT()
	mt.strict = t
	return mockClient(t, mt, opts...), mt
}

// mockCtx returns a context that ends with the test, or after within
// (default 30 s): the deadline of a call that must end well before it. The
// external kit's mockCtx is the same testkit.Context.
func mockCtx(t testing.TB, within ...time.Duration) context.Context {
	t.Helper()
	return testkit.Context(t, within...)
}

// mockWithin runs fn and fails the test if it has not returned after d: a
// watchdog, so that a broken timeout fails in seconds rather than after the
// test binary's 10-minute default.
func mockWithin(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("watchdog: still running after %v", d)
	}
}

// mockFixture returns the bytes of testdata/<name>, exactly as stored.
func mockFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	require.NoError(t, err, "fixture %s", name)
	return b
}

// Canned answers.

// mockJSON answers status with body as application/json; header holds
// extra response headers as name, value pairs.
func mockJSON(status int, body string, header ...string) mockStep {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
}

// mockHTML answers status with the HTML page of a proxy.
func mockHTML(status int) mockStep {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"text/html"}},
			Body: io.NopCloser(strings.NewReader("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")), Request: r}, nil
	}
}

// mockErr fails the request with err, as a transport does.
func mockErr(err error) mockStep {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

// mockTimeout behaves like a server that never answers: it waits for the
// request's context, as net/http does.
func mockTimeout(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// mockDialRefused is the error of a dial that failed: nothing was sent.
func mockDialRefused() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "connection refused", Name: "api.test"}}
}

// mockConnReset is the error of a connection reset after the request left.
func mockConnReset() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
}

// Canned bodies: a payment, an order and Razorpay's error answers.
const (
	mockPaymentJSON = `{"id":"pay_RT000000000001","entity":"payment","amount":5000,"currency":"INR","status":"captured","notes":[]}`
	mockOrderJSON   = `{"id":"order_RT00000000001","entity":"order","amount":5000,"currency":"INR","status":"created","notes":[]}`
	mockServerErr   = `{"error":{"code":"SERVER_ERROR","description":"We are facing some trouble completing your request at the moment. Please try again shortly.","source":"NA","step":"NA","reason":"NA","metadata":{}}}`
	mockRateLimited = `{"error":{"code":"BAD_REQUEST_ERROR","description":"Too many requests","source":"NA","step":"NA","reason":"NA","metadata":{}}}`
	mockBadRequest  = `{"error":{"code":"BAD_REQUEST_ERROR","description":"The id provided does not exist","source":"business","step":"payment_initiation","reason":"input_validation_failed","metadata":{}}}`
)

// mockReply is the answer of a mockHandle responder.
type mockReply struct {
	Status int
	Body   []byte
	// Header is added to the response; Content-Type defaults to
	// application/json when Header does not set it.
	Header http.Header
}

// mockHandle registers on mt a route for method and path (escaped, from the
// API root, without query) answered by fn(n, call), n counting the route's
// calls from 0, and returns its recorder.
func mockHandle(t *testing.T, mt *mockRT, method, path string, fn func(n int, call mockCall) mockReply) *mockRecorder {
	t.Helper()
	return mt.handle(method+" "+path, &mockRoute{rec: &mockRecorder{}, answer: func(n int, call mockCall, req *http.Request) (*http.Response, error) {
		reply := fn(n, call)
		h := http.Header{}
		for k, vs := range reply.Header {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json; charset=utf-8")
		}
		return &http.Response{
			Status:        fmt.Sprintf("%03d %s", reply.Status, http.StatusText(reply.Status)),
			StatusCode:    reply.Status,
			Header:        h,
			Body:          io.NopCloser(bytes.NewReader(reply.Body)),
			ContentLength: -1,
			Request:       req,
		}, nil
	}})
}

// mockRespond registers a route that always answers status and body.
func mockRespond(t *testing.T, mt *mockRT, method, path string, status int, body []byte) *mockRecorder {
	t.Helper()
	return mockHandle(t, mt, method, path, func(int, mockCall) mockReply {
		return mockReply{Status: status, Body: body}
	})
}

// mockRespondFixture registers a 200 route answering the fixture name.
func mockRespondFixture(t *testing.T, mt *mockRT, method, path, name string) *mockRecorder {
	t.Helper()
	return mockRespond(t, mt, method, path, http.StatusOK, mockFixture(t, name))
}

// assertReq checks what every request carries: method, exact escaped path,
// Basic auth with the mock key pair, Accept and the SDK's User-Agent.
func assertReq(t *testing.T, call mockCall, method, escapedPath string) {
	t.Helper()
	assert.Equal(t, method, call.Method, "method")
	assert.Equal(t, escapedPath, call.EscapedPath, "escaped path")
	assertReqAuth(t, call)
	assert.Equal(t, "application/json", call.Header.Get("Accept"), "Accept")
	assert.True(t, strings.HasPrefix(call.Header.Get("User-Agent"), "gorzp-razorpay-go/"+Version+" "),
		"User-Agent %q", call.Header.Get("User-Agent"))
}

// assertReqAuth checks HTTP Basic auth with exactly the mock key pair.
func assertReqAuth(t *testing.T, call mockCall) {
	t.Helper()
	auth := call.Header.Get("Authorization")
	assert.Equal(t, mockBasicAuth, auth, "Authorization")
	require.True(t, strings.HasPrefix(auth, "Basic "), "scheme must be exactly Basic: %q", auth)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
	require.NoError(t, err)
	assert.Equal(t, mockKeyID+":"+mockKeySecret, string(raw))
}

// assertReqNoBody checks that the request has no body and no Content-Type.
func assertReqNoBody(t *testing.T, call mockCall) {
	t.Helper()
	assert.False(t, call.HasBody, "unexpected body %q", call.Body)
	assert.Empty(t, call.Body)
	assert.LessOrEqual(t, call.ContentLength, int64(0), "Content-Length")
	assert.Empty(t, call.Header.Values("Content-Type"), "Content-Type without a body")
}

// assertReqNoQuery checks that the request has no query string.
func assertReqNoQuery(t *testing.T, call mockCall) {
	t.Helper()
	assert.Empty(t, call.RawQuery, "query")
}

// assertReqJSON checks that the request has a JSON object body with
// Content-Type application/json and returns it decoded with json.Number for
// numbers, so that callers can assert value types.
func assertReqJSON(t *testing.T, call mockCall) map[string]any {
	t.Helper()
	require.True(t, call.HasBody, "request has no body")
	assert.Equal(t, []string{"application/json"}, call.Header.Values("Content-Type"), "Content-Type")
	dec := json.NewDecoder(bytes.NewReader(call.Body))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "body %s", call.Body)
	require.False(t, dec.More(), "trailing data after the JSON body")
	return m
}

// mockKeys returns the sorted keys of a JSON object.
func mockKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// assertReqKeys checks that the JSON object m has exactly the keys want.
func assertReqKeys(t *testing.T, m map[string]any, want ...string) {
	t.Helper()
	sort.Strings(want)
	assert.Equal(t, want, mockKeys(m), "JSON keys")
}

// assertReqString checks that m[key] is the JSON string want.
func assertReqString(t *testing.T, m map[string]any, key, want string) {
	t.Helper()
	v, ok := m[key]
	if !assert.True(t, ok, "key %q missing", key) {
		return
	}
	s, ok := v.(string)
	if assert.True(t, ok, "key %q: want a JSON string, got %T %v", key, v, v) {
		assert.Equal(t, want, s, "key %q", key)
	}
}

// assertReqInt checks that m[key] is the JSON integer want (not a string, not
// a float such as 100.0).
func assertReqInt(t *testing.T, m map[string]any, key string, want int64) {
	t.Helper()
	v, ok := m[key]
	if !assert.True(t, ok, "key %q missing", key) {
		return
	}
	n, ok := v.(json.Number)
	if !assert.True(t, ok, "key %q: want a JSON number, got %T %v", key, v, v) {
		return
	}
	assert.NotContains(t, n.String(), ".", "key %q must be an integer", key)
	assert.NotContains(t, strings.ToLower(n.String()), "e", "key %q must be a plain integer", key)
	i, err := n.Int64()
	if assert.NoError(t, err, "key %q", key) {
		assert.Equal(t, want, i, "key %q", key)
	}
}

// assertReqBool checks that m[key] is the JSON boolean want.
func assertReqBool(t *testing.T, m map[string]any, key string, want bool) {
	t.Helper()
	v, ok := m[key]
	if !assert.True(t, ok, "key %q missing", key) {
		return
	}
	b, ok := v.(bool)
	if assert.True(t, ok, "key %q: want a JSON boolean, got %T %v", key, v, v) {
		assert.Equal(t, want, b, "key %q", key)
	}
}

// assertReqObject returns m[key], failing the test unless it is a JSON
// object.
func assertReqObject(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key]
	require.True(t, ok, "key %q missing", key)
	obj, ok := v.(map[string]any)
	require.True(t, ok, "key %q: want a JSON object, got %T %v", key, v, v)
	return obj
}

// assertNoRequest checks that nothing reached the transport.
func assertNoRequest(t *testing.T, mt *mockRT) {
	t.Helper()
	assert.Equal(t, 0, mt.count(), "requests sent: %v", mt.routesSeen())
}

// assertInvalidParams checks that err is a *ValidationError for field that
// matches ErrInvalidParams.
func assertInvalidParams(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidParams)
	var ve *ValidationError
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, field, ve.Field, "ValidationError.Field (%v)", err)
		assert.NotEmpty(t, ve.Message)
	}
	for _, sentinel := range []error{ErrBadRequest, ErrNotFound, ErrServer, ErrOutcomeUnknown, ErrInvalidConfig} {
		assert.NotErrorIs(t, err, sentinel)
	}
}

// ----- charges: one bill on the scripted transport -----

const (
	mockChargeOrder   = "order_CH00000000001" // the call's ticket
	mockChargeOther   = "order_CH00000000002" // another attempt's order
	mockChargePayment = "pay_CH000000000001"
	mockChargeAt      = 1764064800 // the ticket's created_at
	mockChargeReceipt = "sub_42-2026-11"

	mockRouteList      = "GET /v1/orders"
	mockRouteCreate    = "POST /v1/orders"
	mockRouteRelease   = "PATCH /v1/orders/" + mockChargeOrder
	mockRouteRecurring = "POST /v1/payments/create/recurring"
	mockRouteFetchPay  = "GET /v1/payments/" + mockChargePayment
)

// mockChargeParams are the params of the bill the charge tests charge.
func mockChargeParams() *ChargeParams {
	return &ChargeParams{
		CustomerID: "cust_CH0000000001", TokenID: "token_CH000000001",
		Amount: 49900, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210",
		Receipt: mockChargeReceipt, Description: "November plan", Notes: Notes{"plan": "gold"},
	}
}

// mockChargeSign signs a payment of an order with the mock key secret, as
// Razorpay signs the answer of a recurring payment.
func mockChargeSign(orderID, paymentID string) string {
	return mockSign(mockKeySecret, []byte(orderID+"|"+paymentID))
}

// mockPaymentOf is a payment of the bill on orderID in status, as JSON.
func mockPaymentOf(id, orderID string, status PaymentStatus) string {
	return `{"id":"` + id + `","entity":"payment","amount":49900,"currency":"INR","status":"` + string(status) +
		`","order_id":"` + orderID + `","method":"card","customer_id":"cust_CH0000000001","token_id":"token_CH000000001","notes":[],"created_at":` +
		strconv.Itoa(mockChargeAt) + `}`
}

// mockOrderOf is an order of the receipt as the list expanded with payments
// shows it: created at, with notes (a JSON object, or "" for none) and
// payments.
func mockOrderOf(id string, at int64, notes string, payments ...string) string {
	if notes == "" {
		notes = "[]"
	}
	return `{"id":"` + id + `","entity":"order","amount":49900,"currency":"INR","receipt":"` + mockChargeReceipt +
		`","status":"created","notes":` + notes + `,"created_at":` + strconv.FormatInt(at, 10) +
		`,"payments":{"entity":"collection","count":` + strconv.Itoa(len(payments)) + `,"items":[` + strings.Join(payments, ",") + `]}}`
}

// mockOrderList answers the orders list with orders, and Razorpay's clock
// at date (no Date header when 0).
func mockOrderList(date int64, orders ...string) mockStep {
	body := `{"entity":"collection","count":` + strconv.Itoa(len(orders)) + `,"items":[` + strings.Join(orders, ",") + `]}`
	if date == 0 {
		return mockJSON(200, body)
	}
	return mockJSON(200, body, "Date", time.Unix(date, 0).UTC().Format(http.TimeFormat))
}

// mockTicket answers the ticket's create: the order mockChargeOrder created
// at (no created_at when 0), with the notes the request sent.
func mockTicket(at int64) mockStep {
	return func(req *http.Request) (*http.Response, error) {
		call := req.Context().Value(mockCallKey{}).(mockCall)
		var body struct {
			Notes json.RawMessage `json:"notes"`
		}
		_ = json.Unmarshal(call.Body, &body)
		created := ""
		if at != 0 {
			created = `,"created_at":` + strconv.FormatInt(at, 10)
		}
		return mockJSON(200, `{"id":"`+mockChargeOrder+`","entity":"order","amount":49900,"currency":"INR","receipt":"`+mockChargeReceipt+
			`","status":"created","notes":`+string(body.Notes)+created+`}`)(req)
	}
}

// mockRecurringOK answers the payment request with a signed payment.
func mockRecurringOK(orderID string) mockStep {
	return mockJSON(200, `{"razorpay_payment_id":"`+mockChargePayment+`","razorpay_order_id":"`+orderID+`","razorpay_signature":"`+mockChargeSign(orderID, mockChargePayment)+`"}`)
}

// mockNewBill is the transport of a first charge: the receipt has no
// order, the ticket is created, the list shows it alone, the payment is
// made and read back captured. Tests replace the routes they change.
func mockNewBill() *mockRT {
	return newMockRT().
		on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, mockOrderOf(mockChargeOrder, mockChargeAt, `{"plan":"gold"}`))).
		on(mockRouteCreate, mockTicket(mockChargeAt)).
		on(mockRouteRelease, mockJSON(200, `{"id":"`+mockChargeOrder+`","entity":"order"}`)).
		on(mockRouteRecurring, mockRecurringOK(mockChargeOrder)).
		on(mockRouteFetchPay, mockJSON(200, mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured)))
}

// mockChargeError returns err as a *ChargeError, failing the test if it is
// not one.
func mockChargeError(t *testing.T, err error) *ChargeError {
	t.Helper()
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	return ce
}

// assertReleased checks that the call released its ticket: one PATCH of
// its notes, the bill's notes kept and ChargeNoteKey set to released.
func assertReleased(t *testing.T, mt *mockRT) {
	t.Helper()
	require.Equal(t, 1, mt.count(mockRouteRelease), "the ticket is released once: %v", mt.routesSeen())
	notes := assertReqObject(t, mt.body(mockRouteRelease, 0), "notes")
	assert.Equal(t, map[string]any{"plan": "gold", ChargeNoteKey: "released"}, notes)
}

// ----- params, and the rules Validate enforces -----

// mockRecurringParams are valid params of a recurring payment.
func mockRecurringParams() *RecurringPaymentParams {
	return &RecurringPaymentParams{
		Email:       "gaurav.kumar@example.com",
		Contact:     "+919876543210",
		Amount:      49900,
		Currency:    "INR",
		OrderID:     "order_Nr8Xa2MjH4cWqT",
		CustomerID:  "cust_Nq2Yk8ZpR4tLmA",
		TokenID:     "token_Nq6Ye9AjM4uNhJ",
		Description: "Gold plan, April 2024",
		Notes:       Notes{"period": "2024-04"},
	}
}

// mockNotes returns n notes with values of valueLen characters.
func mockNotes(n, valueLen int) Notes {
	notes := make(Notes, n)
	for i := 0; i < n; i++ {
		notes[fmt.Sprintf("key_%02d", i)] = strings.Repeat("v", valueLen)
	}
	return notes
}

// mockNotesOf builds notes from "key=value" lines; "" is no notes.
func mockNotesOf(s string) Notes {
	if s == "" {
		return nil
	}
	n := Notes{}
	for _, line := range strings.Split(s, "\n") {
		k, v, _ := strings.Cut(line, "=")
		n[k] = v
	}
	return n
}

// mockCardNumber is a card number (Visa's test card) that must never appear in errors, logs or printed values.
const mockCardNumber = "4111111111111111"

// mockCheckValidation runs one validation case: an invalid one (field set)
// must be refused with a *ValidationError naming field before any request;
// a valid one must send exactly one request.
func mockCheckValidation(t *testing.T, field, method, path, fixture string, validate func() error, call func(c *Client) error) {
	t.Helper()
	c, mt := newMockClient(t)
	if field == "" {
		require.NoError(t, validate())
		rec := mockRespondFixture(t, mt, method, path, fixture)
		require.NoError(t, call(c))
		assert.Len(t, rec.Calls(), 1)
		return
	}
	assertInvalidParams(t, validate(), field)
	assertInvalidParams(t, call(c), field)
	assertNoRequest(t, mt)
}

// mockValidate runs validate on p and checks what holds for every input,
// for the fuzz targets of the Validate methods: no panic, nil or a
// *ValidationError that matches ErrInvalidParams with a field and a
// message, the same answer twice, and p unchanged. When it returns nil, the
// target checks the params against the documented rules with the
// assertRule helpers below, which state each rule again independently of
// validate.go. Seeds are in testdata/fuzz/<target>/.
func mockValidate[P any](t *testing.T, p *P, validate func(*P) error) error {
	t.Helper()
	before, err := json.Marshal(p)
	require.NoError(t, err)
	verr := validate(p)
	again := validate(p)
	after, err := json.Marshal(p)
	require.NoError(t, err)
	require.Equal(t, string(before), string(after), "Validate changed the params")
	if verr == nil {
		require.NoError(t, again, "Validate is not deterministic")
		return nil
	}
	require.Error(t, again, "Validate is not deterministic")
	require.Equal(t, verr.Error(), again.Error(), "Validate is not deterministic")
	var ve *ValidationError
	require.ErrorAs(t, verr, &ve)
	require.ErrorIs(t, verr, ErrInvalidParams)
	require.NotEmpty(t, ve.Field)
	require.NotEmpty(t, ve.Message)
	require.True(t, strings.HasPrefix(verr.Error(), "razorpay: invalid params: "+ve.Field+": "), verr.Error())
	return verr
}

// mockRunes is the length of s in characters.
func mockRunes(s string) int { return utf8.RuneCountInString(s) }

// assertRuleRequired: s is not empty or blank.
func assertRuleRequired(t *testing.T, s, field string) {
	t.Helper()
	assert.NotEmpty(t, strings.TrimSpace(s), "%s is required", field)
}

// assertRuleAmount: an amount is positive.
func assertRuleAmount(t *testing.T, n int64, field string) {
	t.Helper()
	assert.Positive(t, n, "%s must be positive", field)
}

// assertRuleCurrency: three upper-case letters.
func assertRuleCurrency(t *testing.T, s string) {
	t.Helper()
	ok := len(s) == 3
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] >= 'A' && s[i] <= 'Z'
	}
	assert.True(t, ok, "currency %q is not three upper-case letters", s)
}

// assertRuleReceipt: at most MaxReceiptLength characters of valid UTF-8,
// without control characters or line separators.
func assertRuleReceipt(t *testing.T, s string) {
	t.Helper()
	assert.LessOrEqual(t, mockRunes(s), MaxReceiptLength, "receipt %q", s)
	assert.True(t, utf8.ValidString(s), "receipt %q is not UTF-8", s)
	for _, r := range s {
		assert.False(t, r < ' ' || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029, "receipt %q has control character %U", s, r)
	}
}

// assertRuleID checks an id against ^[A-Za-z0-9_-]{1,64}$.
func assertRuleID(t *testing.T, s, field string) {
	t.Helper()
	assert.True(t, len(s) >= 1 && len(s) <= 64, "%s %q: 1 to 64 characters", field, s)
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		assert.True(t, ok, "%s %q has %q", field, s, c)
	}
}

// assertRuleNotes: at most 15 pairs, keys not empty, keys and values of at
// most 256 characters.
func assertRuleNotes(t *testing.T, n Notes) {
	t.Helper()
	assert.LessOrEqual(t, len(n), 15, "notes hold at most 15 pairs")
	for k, v := range n {
		assert.NotEmpty(t, k, "note keys are not empty")
		assert.LessOrEqual(t, mockRunes(k), 256, "note key %q", k)
		assert.LessOrEqual(t, mockRunes(v), 256, "note value of %q", k)
	}
}

// assertRuleEmail: a plausible address of at most 64 characters: something, "@",
// something, and no white space.
func assertRuleEmail(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	assert.LessOrEqual(t, mockRunes(s), 64, "email %q", s)
	at := strings.IndexByte(s, '@')
	assert.True(t, at > 0 && at < len(s)-1, "email %q has no local part or domain", s)
	assert.False(t, strings.ContainsAny(s, " \t\r\n"), "email %q has white space", s)
}

// assertRuleContact: a phone number of 8 to 15 characters with its country code:
// digits, at least 8 of them, with "+" only first, and spaces or dashes.
func assertRuleContact(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		return
	}
	assert.LessOrEqual(t, len(s), 15, "contact %q", s)
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+':
			assert.Zero(t, i, "contact %q has + inside", s)
		default:
			assert.True(t, r == ' ' || r == '-', "contact %q has %q", s, r)
		}
	}
	assert.GreaterOrEqual(t, digits, 8, "contact %q", s)
}

// assertRuleFrequency: one of the documented frequencies.
func assertRuleFrequency(t *testing.T, f Frequency) {
	t.Helper()
	assert.Contains(t, []Frequency{FrequencyWeekly, FrequencyMonthly, FrequencyYearly, FrequencyAsPresented}, f)
}

// assertRuleList: count 0 to 100, skip, from and to not negative, from
// not after to.
func assertRuleList(t *testing.T, p ListParams) {
	t.Helper()
	assert.True(t, p.Count >= 0 && p.Count <= 100, "count %d", p.Count)
	assert.GreaterOrEqual(t, p.Skip, 0)
	assert.GreaterOrEqual(t, p.From, int64(0))
	assert.GreaterOrEqual(t, p.To, int64(0))
	if p.From != 0 && p.To != 0 {
		assert.LessOrEqual(t, p.From, p.To)
	}
}

// mockUnmaskedRun reports whether s holds 12 or more digits joined by single
// spaces or dashes: an independent, slower statement of maskDigits' rule.
func mockUnmaskedRun(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
			if digits >= 12 {
				return true
			}
		case (s[i] == ' ' || s[i] == '-') && digits > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
		default:
			digits = 0
		}
	}
	return false
}

// ----- decoding, JSON and signatures -----

// mockFuzzDecode checks the properties every fuzz target of the lenient
// decoder shares: no panic, a failure leaves the zero value, and a success
// survives an encode and decode round trip unchanged.
func mockFuzzDecode[T any](t *testing.T, data []byte) {
	var v T
	if err := decodeJSON(data, &v); err != nil {
		var zero T
		require.Equal(t, zero, v, "a failed decode leaves the zero value")
		return
	}
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	var again T
	require.NoError(t, decodeJSON(enc, &again), "re-decoding %s", enc)
	require.Equal(t, v, again, "re-decoding %s", enc)
}

// mockFuzzSeeds adds the fixtures and a few odd bodies to a decoding fuzz
// target's corpus.
func mockFuzzSeeds(f *testing.F, fixtures ...string) {
	for _, name := range fixtures {
		f.Add(mockFixture(f, name))
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"notes":[]}`, `{"notes":{"a":1,"b":{"c":[true]}}}`,
		`{"amount":"100","captured":1,"contact":9876543210}`,
		`{"card":{"last4":111,"expiry_month":"2","expiry_year":"2099","emi":null,"flows":[]}}`,
		`{"recurring":"1","recurring_details":[],"card":[]}`,
		`{"id":"pay_Nq4Wc7YhJ2sKdF","amount":`,
	} {
		f.Add([]byte(s))
	}
}

// mockJSONOf is v encoded with encoding/json.
func mockJSONOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// mockSign is lower-case hex HMAC-SHA256 of msg with key: Razorpay's
// signature of a webhook body (key: the webhook secret) and of a payment
// (key: the key secret, msg: order_id|payment_id), written independently of
// signature.go. It is razorpaytest.SignWebhook and SignPayment, which the
// internal tests cannot import.
func mockSign(key string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}
