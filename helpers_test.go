package razorpay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shared helpers of the resource tests. Everything here is prefixed with mock
// or assertReq so that it does not clash with helpers of other test files.

const (
	mockKeyID     = "rzp_test_key"
	mockKeySecret = "test_secret"
	mockBaseURL   = "https://api.razorpay.com"
	// mockBasicAuth is the Authorization header value for mockKeyID and
	// mockKeySecret: base64("rzp_test_key:test_secret").
	mockBasicAuth = "Basic cnpwX3Rlc3Rfa2V5OnRlc3Rfc2VjcmV0"
)

// newMockClient returns a client whose requests go through a fresh httpmock
// transport (not the global one, so tests run in parallel), with no backoff
// between retries. Any request for which no responder is registered fails the
// test. opts are applied after the defaults and may override them.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request: %s %s", req.Method, req.URL.String())
		return nil, errors.New("mock: no responder for this request")
	})
	hc := &http.Client{Transport: mt}
	all := append([]Option{
		WithHTTPClient(hc),
		WithBaseURL(mockBaseURL),
		WithRetryBackoff(0, 0),
	}, opts...)
	c := NewClient(mockKeyID, mockKeySecret, all...)
	require.NoError(t, c.Err())
	return c, mt
}

// mockCtx returns a context that ends with the test (or after 30 s).
func mockCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// mockFixture returns the bytes of testdata/<name>, exactly as stored.
func mockFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	require.NoError(t, err, "fixture %s", name)
	return b
}

// mockCall is what the mock transport saw of one request.
type mockCall struct {
	Method      string
	EscapedPath string
	RawQuery    string
	Header      http.Header
	// Body is the request body; HasBody is false when the request had none.
	Body          []byte
	HasBody       bool
	ContentLength int64
}

// mockReply is the answer of a mock responder.
type mockReply struct {
	Status int
	Body   []byte
	// Header is added to the response; Content-Type defaults to
	// application/json when Header does not set it.
	Header http.Header
}

// mockRecorder keeps the requests a responder received.
type mockRecorder struct {
	mu    sync.Mutex
	calls []mockCall
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

// mockHandle registers a responder for method and path (escaped, from the API
// root, without query) that records every request and answers with fn(n,
// call), n counting calls from 0.
func mockHandle(t *testing.T, mt *httpmock.MockTransport, method, path string, fn func(n int, call mockCall) mockReply) *mockRecorder {
	t.Helper()
	rec := &mockRecorder{}
	mt.RegisterResponder(method, mockBaseURL+path, func(req *http.Request) (*http.Response, error) {
		call := mockCall{
			Method:        req.Method,
			EscapedPath:   req.URL.EscapedPath(),
			RawQuery:      req.URL.RawQuery,
			Header:        req.Header.Clone(),
			ContentLength: req.ContentLength,
		}
		if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			call.Body = b
			call.HasBody = len(b) > 0
		}
		rec.mu.Lock()
		n := len(rec.calls)
		rec.calls = append(rec.calls, call)
		rec.mu.Unlock()
		reply := fn(n, call)
		resp := httpmock.NewBytesResponse(reply.Status, reply.Body)
		for k, vs := range reply.Header {
			for _, v := range vs {
				resp.Header.Add(k, v)
			}
		}
		if resp.Header.Get("Content-Type") == "" {
			resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		}
		resp.Request = req
		return resp, nil
	})
	return rec
}

// mockRespond registers a responder that always answers status and body.
func mockRespond(t *testing.T, mt *httpmock.MockTransport, method, path string, status int, body []byte) *mockRecorder {
	t.Helper()
	return mockHandle(t, mt, method, path, func(int, mockCall) mockReply {
		return mockReply{Status: status, Body: body}
	})
}

// mockRespondFixture registers a 200 responder answering the fixture name.
func mockRespondFixture(t *testing.T, mt *httpmock.MockTransport, method, path, name string) *mockRecorder {
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
func assertNoRequest(t *testing.T, mt *httpmock.MockTransport) {
	t.Helper()
	assert.Equal(t, 0, mt.GetTotalCallCount(), "requests sent: %v", mt.GetCallCountInfo())
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
