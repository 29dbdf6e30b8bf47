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

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test kit of the root package, in the spirit of go-github's setup,
// testMethod and testBody:
//
//   - one key pair (mockKeyID, mockKeySecret) and one fake base URL;
//   - one scripted transport, mockRT: it answers by route ("METHOD
//     /escaped/path") with a queue of steps, or by a script of steps in
//     order, and records every request (mockCall);
//   - canned answers (mockJSON, mockHTML, mockErr, mockTimeout,
//     mockDialRefused, mockConnReset) as mockStep values;
//   - clients wired to it (newMockClient, mockClient) and one context
//     helper (mockCtx);
//   - assertions on the recorded requests (assertReq*, below).
//
// Tests of the external package razorpay_test have their own small kit in
// kit_external_test.go.

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
// (default 30 s): the deadline of a call that must end well before it.
func mockCtx(t testing.TB, within ...time.Duration) context.Context {
	t.Helper()
	d := 30 * time.Second
	if len(within) > 0 {
		d = within[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
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

// mockChargeSign signs a payment of an order with the mock key secret.
func mockChargeSign(orderID, paymentID string) string {
	mac := hmac.New(sha256.New, []byte(mockKeySecret))
	mac.Write([]byte(orderID + "|" + paymentID))
	return hex.EncodeToString(mac.Sum(nil))
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
