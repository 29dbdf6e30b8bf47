package razorpaytest

import (
	"encoding/base64"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorzp/razorpay"
)

// KeyID is the key id of the test key pair every Server accepts.
const KeyID = "rzp_test_FakeRzpTestKey"

// KeySecret is the key secret of the test key pair every Server accepts
// until RotateKeySecret replaces it. It also signs the answers of recurring
// payments (see SignPayment), and the control API accepts it for good.
const KeySecret = "fakeRazorpayTestSecret42"

// DefaultRequestLogLimit is how many of the latest requests a Server keeps
// for Requests, unless WithRequestLogLimit says otherwise.
const DefaultRequestLogLimit = 10000

// maxBodyBytes caps the request bodies the fake reads.
const maxBodyBytes = 1 << 20

// Server is an in-memory Razorpay listening on a loopback address. It keeps
// customers, orders, registration links (invoices), payments, refunds, tokens
// and cards the way Razorpay does, answers the API's validation errors, checks Basic
// auth, can inject faults and record requests, and posts signed webhooks.
// It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, such as http://127.0.0.1:51234,
	// for razorpay.WithBaseURL.
	URL string
	// KeyID and KeySecret are the key pair the server accepts when it
	// starts: KeyID and KeySecret. After RotateKeySecret, CurrentKeySecret
	// is the secret it accepts; KeySecret stays the first one.
	KeyID     string
	KeySecret string
	// AccountID is the merchant account id in webhook envelopes.
	AccountID string

	cfg      config
	key      atomic.Pointer[acceptedKey] // the key secret accepted now (RotateKeySecret)
	httpSrv  *http.Server
	listener net.Listener
	serveErr chan error
	done     chan struct{}
	closed   sync.Once
	err      error
	conns    atomic.Int64
	mandates atomic.Int64 // NewMandate's counter, for unique customers

	connMu     sync.Mutex
	connStates map[net.Conn]http.ConnState
	connWG     sync.WaitGroup
	stopping   bool

	reqMu  sync.Mutex
	faults []*pendingFault
	log    []Request

	mu    sync.Mutex
	st    state
	ctl   control    // AdvanceClock, BankRules, Trigger (control.go)
	rng   *rand.Rand // with WithSeed; guarded by mu
	hooks *webhooker

	// transport is the one connection pool of every client Client returns,
	// closed by Close.
	transport  *http.Transport
	httpClient *http.Client
}

// Option configures a Server.
type Option func(*config)

type config struct {
	now             func() time.Time
	webhookURL      string
	webhookSecret   string
	webhookAttempts int
	webhookBackoff  time.Duration
	webhookTimeout  time.Duration
	logLimit        int
	loose           bool
	seeded          bool
	seed            uint64
	uniqueReceipts  bool
	recurringDelay  time.Duration
	listLag         func(razorpay.Order, http.Header, http.Header) time.Duration
	refundDelay     time.Duration
}

// WithSeed makes the ids the server generates deterministic: entity ids,
// token values, authorization codes, webhook event ids and AccountID follow
// from seed and the order of the calls. With WithClock it makes the answers
// of a sequential test or example reproducible (such as an Example with an
// Output comment). Concurrent calls get ids in the order they are served.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seeded, c.seed = true, seed }
}

// WithWebhook makes the server post a signed event to endpoint for every state
// change that Razorpay reports by webhook (payment.authorized,
// payment.captured, payment.failed, order.paid, invoice.paid,
// invoice.expired, token.confirmed, token.rejected, token.paused,
// token.cancelled, refund.created, refund.processed, refund.failed). Each delivery carries X-Razorpay-Signature (hex
// HMAC-SHA256 of the body with secret) and X-Razorpay-Event-Id (the same on
// every redelivery). Events are posted one at a time, in order, from a
// goroutine; a non-2xx answer or a failed connection is redelivered up to 5
// attempts in all, with a short exponential backoff (see WithWebhookRetry).
func WithWebhook(endpoint, secret string) Option {
	return func(c *config) { c.webhookURL, c.webhookSecret = endpoint, secret }
}

// WithWebhookRetry sets how many attempts a webhook event gets in all
// (default 5) and the wait before the first redelivery, doubled for each
// further one (default 50ms). It has effect with WithWebhook only.
func WithWebhookRetry(attempts int, backoff time.Duration) Option {
	return func(c *config) {
		if attempts > 0 {
			c.webhookAttempts = attempts
		}
		if backoff >= 0 {
			c.webhookBackoff = backoff
		}
	}
}

// WithClock sets the server's clock, for deterministic created_at and other
// timestamps. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// Clock is a clock for WithClock that a test or an example moves forward
// instead of waiting: it runs with the real time, plus every Advance so far.
// The zero Clock is ready to use and safe for concurrent use.
//
//	var clk razorpaytest.Clock
//	srv := razorpaytest.NewServer(razorpaytest.WithClock(clk.Now))
//	clk.Advance(20 * time.Minute) // the server's orders are 20 minutes older
type Clock struct {
	mu  sync.Mutex
	off time.Duration
}

// Now returns the real time plus every Advance so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// Advance moves the clock by d (back when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// WithRequestLogLimit sets how many of the latest requests Requests returns
// (default DefaultRequestLogLimit); n <= 0 keeps every request.
func WithRequestLogLimit(n int) Option {
	return func(c *config) { c.logLimit = n }
}

// WithLooseJSON makes the server answer with the inconsistent types the live
// API is known to send, to exercise a client's lenient decoding: card last4
// as a number, expiry_month and expiry_year as strings, contact as a number,
// international as 0/1, emi as null. Webhook bodies are loosened the same way.
func WithLooseJSON() Option {
	return func(c *config) { c.loose = true }
}

// WithUniqueReceipts makes the server behave like an account with receipt
// uniqueness enabled: an order needs a receipt, and creating an order with a
// receipt that an order already carries is refused with 400
// BAD_REQUEST_ERROR: "Another operation with the same receipt is in
// progress." when that order is less than ReceiptLockWindow old on the
// server's clock, "Order receipt should be unique." (with the existing order
// id in metadata.order_id) after that.
func WithUniqueReceipts() Option {
	return func(c *config) { c.uniqueReceipts = true }
}

// ReceiptLockWindow is how long after an order's creation WithUniqueReceipts
// answers another create of its receipt as still in progress.
const ReceiptLockWindow = 10 * time.Second

// WithRecurringDelay makes recurring payments stay created for d on the
// server's clock before they are captured, as a bank that confirms a debit
// later does; meanwhile Razorpay accepts another payment on the same order.
// Without it (or with d <= 0) a recurring payment is captured at once.
// CapturePayment and FailPayment settle a payment before its time.
func WithRecurringDelay(d time.Duration) Option {
	return func(c *config) { c.recurringDelay = d }
}

// WithListLag makes the orders list (GET /v1/orders, with or without a
// receipt) lag behind order creation, as an eventually consistent read
// replica would: an order shows in a list only lag(order, created, list)
// after its creation, in real time (a fetch by id, and the order's
// payments, show at once). lag sees the order as it was created, the
// headers of the request that created it and of the list request, so that
// a test can lag one client's orders for another client only (a replica
// with read-your-writes sessions); return 0 for no lag. Payment.Charge
// assumes that a list shows every order created before it was asked for,
// and re-reads a list that lags on its own order: use this to test both
// what it tolerates and what it assumes.
func WithListLag(lag func(o razorpay.Order, created, list http.Header) time.Duration) Option {
	return func(c *config) { c.listLag = lag }
}

// NewServer starts a Server on a random port of the loopback interface, like
// httptest.NewServer. Close it when done. It never panics: in the unlikely
// case that no loopback port can be opened, Err reports why and URL is empty.
func NewServer(opts ...Option) *Server {
	s, err := NewServerAt("127.0.0.1:0", opts...)
	if err != nil {
		var err6 error
		if s, err6 = NewServerAt("[::1]:0", opts...); err6 != nil {
			s = newServer(opts)
			s.err = errors.Join(err, err6)
			close(s.done)
		}
	}
	return s
}

// TB is what NewTestServer needs of a test: *testing.T, *testing.B and
// *testing.F (any testing.TB) satisfy it. It is an interface of its own so
// that programs that link razorpaytest, such as the razorpay-fake command,
// do not link the testing package.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// NewTestServer is NewServer for a test, as httptest users expect: it starts
// a Server with opts, fails the test at once (tb.Fatalf) when the server
// cannot start, and closes it when the test and its subtests have ended
// (tb.Cleanup), so that a test needs no defer:
//
//	func TestMonthlyCharge(t *testing.T) {
//		t.Parallel()
//		srv := razorpaytest.NewTestServer(t)
//		m, err := srv.NewMandate(ctx, 500_000)
//		...
//	}
func NewTestServer(tb TB, opts ...Option) *Server {
	tb.Helper()
	s := NewServer(opts...)
	if err := s.Err(); err != nil {
		tb.Fatalf("razorpaytest: cannot start the fake: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// NewServerAt starts a Server listening on addr, such as "127.0.0.1:8080"
// (":0" picks a free port). It is NewServer for a fixed address, as the
// razorpay-fake command uses.
func NewServerAt(addr string, opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opts)
	s.listener = ln
	s.URL = "http://" + dialAddr(ln.Addr())
	s.httpSrv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ConnState:         s.trackConn,
	}
	if s.cfg.webhookURL != "" {
		s.hooks = newWebhooker(s)
		s.hooks.start()
	}
	go func() { s.serveErr <- s.httpSrv.Serve(ln) }()
	return s, nil
}

// dialAddr returns the host:port clients should dial to reach a listener:
// the IPv4 loopback address for a listener on every interface (Go's
// listeners on ":port" accept IPv4 too).
func dialAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

func newServer(opts []Option) *Server {
	cfg := config{
		now:             time.Now,
		webhookAttempts: 5,
		webhookBackoff:  50 * time.Millisecond,
		webhookTimeout:  5 * time.Second,
		logLimit:        DefaultRequestLogLimit,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{
		KeyID:      KeyID,
		KeySecret:  KeySecret,
		cfg:        cfg,
		serveErr:   make(chan error, 1),
		connStates: map[net.Conn]http.ConnState{},
		done:       make(chan struct{}),
		transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        razorpay.DefaultMaxConnsPerHost,
			MaxIdleConnsPerHost: razorpay.DefaultMaxConnsPerHost,
			IdleConnTimeout:     90 * time.Second,
		},
	}
	s.httpClient = &http.Client{Transport: s.transport}
	s.key.Store(&acceptedKey{secret: KeySecret, authz: basicAuth(KeyID, KeySecret)})
	if cfg.seeded {
		s.rng = rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	}
	s.AccountID = "acc_" + s.randomAlnum(14)
	s.st.init()
	return s
}

// Err reports why NewServer could not start the server, or nil.
func (s *Server) Err() error { return s.err }

// Close stops the server: it stops accepting connections, wakes requests
// waiting in an injected Delay (they end without an answer), waits for the
// requests being handled, and waits for the webhook delivery in flight to
// end. Events not yet delivered are abandoned. Close may be called more than
// once.
func (s *Server) Close() {
	s.closed.Do(func() {
		if s.httpSrv == nil {
			return
		}
		close(s.done)
		s.httpSrv.SetKeepAlivesEnabled(false)
		_ = s.listener.Close()
		<-s.serveErr
		// Close the connections that wait for a request; the others close
		// when their request is answered.
		s.connMu.Lock()
		s.stopping = true
		for c, st := range s.connStates {
			if st == http.StateNew || st == http.StateIdle {
				_ = c.Close()
			}
		}
		s.connMu.Unlock()
		s.connWG.Wait()
		if s.hooks != nil {
			s.hooks.wait()
		}
		s.transport.CloseIdleConnections()
	})
}

// Client returns a client of the server: razorpay.NewClient(KeyID,
// CurrentKeySecret(), razorpay.WithBaseURL(s.URL),
// razorpay.WithHTTPClient(shared), opts...). Every client it returns sends through one http.Client and one
// connection pool of the server's, whose idle connections Close closes, so
// that a test may build as many clients as it likes without leaking
// connections (an option WithHTTPClient of your own takes precedence).
func (s *Server) Client(opts ...razorpay.Option) *razorpay.Client {
	all := append([]razorpay.Option{razorpay.WithBaseURL(s.URL), razorpay.WithHTTPClient(s.httpClient)}, opts...)
	return razorpay.NewClient(s.KeyID, s.CurrentKeySecret(), all...)
}

// Handler returns the server's HTTP handler, to mount it in a server of
// your own. Faults that drop the connection need an HTTP/1 connection that
// can be hijacked; elsewhere they answer 502 with an empty body. Connections
// counts only the connections of the server NewServer started.
func (s *Server) Handler() http.Handler { return s }

// trackConn counts connections and keeps their states for Close.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch st {
	case http.StateNew:
		s.conns.Add(1)
		s.connWG.Add(1)
		s.connStates[c] = st
		if s.stopping {
			_ = c.Close()
		}
	case http.StateActive:
		s.connStates[c] = st
	case http.StateIdle:
		s.connStates[c] = st
		if s.stopping {
			_ = c.Close()
		}
	case http.StateHijacked, http.StateClosed:
		if _, ok := s.connStates[c]; ok {
			delete(s.connStates, c)
			s.connWG.Done()
		}
	}
}

// Connections returns the number of TCP connections the server has accepted
// so far, to test connection reuse.
func (s *Server) Connections() int { return int(s.conns.Load()) }

func (s *Server) now() time.Time { return s.cfg.now().Add(s.clockOffset()) }

// Request is one request the server received, as Requests reports it.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path, such as /v1/payments/pay_X.
	Path string
	// RawQuery is the encoded query, without "?".
	RawQuery string
	// Header holds the request headers, with the value of Authorization
	// redacted.
	Header http.Header
	// Body is the request body.
	Body []byte
	// At is when the request arrived (wall clock, not WithClock).
	At time.Time
}

// Requests returns a copy of the log of received requests, oldest first:
// every request, also those answered by a fault or refused for bad auth. At
// most the latest WithRequestLogLimit requests are kept.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.log = nil
}

func (s *Server) record(r *http.Request, body []byte, at time.Time) {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "[REDACTED]")
	}
	req := Request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: h, Body: body, At: at}
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.log = append(s.log, req)
	if limit := s.cfg.logLimit; limit > 0 && len(s.log) >= 2*limit {
		s.log = append([]Request(nil), s.log[len(s.log)-limit:]...)
	}
}

// ServeHTTP serves the Razorpay API: it records the request, applies the
// first matching injected fault, checks Basic auth and routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, ControlPath) {
		s.serveControl(w, r)
		return
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	s.record(r, body, time.Now())
	r, release := s.holdRefundKey(r)
	defer release()

	if f := s.takeFault(r); f != nil {
		if f.Arrived != nil {
			f.Arrived()
		}
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-s.done:
				t.Stop()
				dropConnection(w)
				return
			}
		}
		switch {
		case f.Drop == DropBeforeProcessing:
			f.abandon()
			dropConnection(w)
			return
		case f.Drop == DropAfterProcessing:
			if readErr == nil {
				s.serveAPI(&discardWriter{h: http.Header{}}, r, body)
			}
			f.abandon()
			dropConnection(w)
			return
		case f.Status != 0:
			if f.ProcessFirst && readErr == nil {
				s.serveAPI(&discardWriter{h: http.Header{}}, r, body)
			}
			ct := f.ContentType
			if ct == "" {
				ct = "application/json"
			}
			w.Header().Set("Content-Type", ct)
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			for k, vs := range f.Header {
				w.Header()[http.CanonicalHeaderKey(k)] = vs
			}
			w.Header().Set("X-Razorpay-Request-Id", randomAlnum(16))
			s.setDate(w)
			f.abandon()
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.Abandon != nil {
			w = &abandonWriter{ResponseWriter: w, abandon: f.abandon}
		}
		if f.Hold != nil && readErr == nil {
			s.serveHeld(w, r, body, f.Hold)
			return
		}
	}
	if readErr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(readErr, &tooLarge) {
			writeError(w, &apiError{status: http.StatusRequestEntityTooLarge, code: "BAD_REQUEST_ERROR", description: "The request body is too large."})
		}
		return // the client went away
	}
	s.serveAPI(w, r, body)
}

// serveHeld processes the request now and writes its answer once hold is
// closed (or the server closes: the connection is then dropped).
func (s *Server) serveHeld(w http.ResponseWriter, r *http.Request, body []byte, hold <-chan struct{}) {
	rec := httptest.NewRecorder()
	s.serveAPI(rec, r, body)
	select {
	case <-hold:
	case <-s.done:
		dropConnection(w)
		return
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// apiRequest is a routed API request.
type apiRequest struct {
	method string
	segs   []string // unescaped path segments
	query  url.Values
	body   []byte
	header http.Header
	hold   uint64 // the request's hold on its refund idempotency key (holdRefundKey)
}

type handlerFunc func(s *Server, r *apiRequest) (any, *apiError)

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, body []byte) {
	segs, ok := splitPath(r.URL.EscapedPath())
	if ok && len(segs) >= 2 && segs[0] == "i" {
		s.serveHostedPage(w, r, segs[1:])
		return
	}
	if e := s.checkAuth(r.Header.Get("Authorization")); e != nil {
		writeError(w, e)
		return
	}
	var h handlerFunc
	if ok {
		h = route(r.Method, segs)
	}
	if h == nil {
		writeError(w, &apiError{status: http.StatusNotFound, code: "BAD_REQUEST_ERROR", description: msgURLNotFound})
		return
	}
	req := &apiRequest{method: r.Method, segs: segs, query: r.URL.Query(), body: body, header: r.Header, hold: holdOf(r)}
	s.mu.Lock()
	s.catchUp()
	v, e := h(s, req)
	var out []byte
	if e == nil {
		out = s.encode(v)
	}
	s.mu.Unlock()
	s.setDate(w)
	if e != nil {
		writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Razorpay-Request-Id", randomAlnum(16))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// checkAuth checks HTTP Basic auth exactly as Razorpay does: the scheme must
// be "Basic", the key pair the one accepted now. A known key id with another
// secret (such as the one before RotateKeySecret) is "Authentication
// failed", an unknown key id "The api key provided is invalid"; both 401.
func (s *Server) checkAuth(h string) *apiError {
	if h == s.key.Load().authz {
		return nil
	}
	e := &apiError{status: http.StatusUnauthorized, code: "BAD_REQUEST_ERROR", description: msgInvalidKey}
	enc, ok := strings.CutPrefix(h, "Basic ")
	if !ok {
		return e
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return e
	}
	id, _, ok := strings.Cut(string(raw), ":")
	if ok && id == s.KeyID {
		e.description = msgAuthFailed
	}
	return e
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Razorpay-Request-Id", randomAlnum(16))
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body())
}

// splitPath splits an escaped path into unescaped segments, without the
// leading "/". ok is false for a path that does not unescape.
func splitPath(p string) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, part := range parts {
		u, err := url.PathUnescape(part)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// discardWriter is the ResponseWriter of a request whose connection is
// dropped after processing.
type discardWriter struct{ h http.Header }

// Header returns the headers of the discarded answer.
func (d *discardWriter) Header() http.Header { return d.h }

// Write discards b.
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader discards the status.
func (d *discardWriter) WriteHeader(int) {}

// dropConnection closes the request's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // reset, as a crashed proxy would
	}
	_ = conn.Close()
}

// setDate sets the Date header from the server's clock (see WithClock), as
// clients that measure time on the server's clock read it.
func (s *Server) setDate(w http.ResponseWriter) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
}

// abandonWriter calls abandon before the answer is written, for a Fault with
// Abandon and no Drop or Status.
type abandonWriter struct {
	http.ResponseWriter
	abandon func()
	done    bool
}

func (a *abandonWriter) WriteHeader(code int) {
	if !a.done {
		a.done = true
		a.abandon()
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *abandonWriter) Write(b []byte) (int, error) {
	if !a.done {
		a.WriteHeader(http.StatusOK)
	}
	return a.ResponseWriter.Write(b)
}
