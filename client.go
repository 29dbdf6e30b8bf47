// Package razorpay is a typed Go client for Razorpay's recurring card payments:
// customers, authorization and charge orders, registration links, recurring
// payments, tokens, cards, signatures and webhooks.
//
// A Client is built once with NewClient or NewClientFromEnv and shared by every
// goroutine of a program. Each call takes a context, validates its params before
// anything is sent, retries only what is safe to repeat, and returns a typed value
// or an error that errors.Is and errors.As can take apart. See the README for the
// whole recurring-card flow and package razorpaytest for an in-memory Razorpay
// to test against.
package razorpay

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"
)

// Version is the version of this SDK. It is sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is the root of Razorpay's API. Test and live mode share it:
// the key pair selects the mode.
const DefaultBaseURL = "https://api.razorpay.com"

// Defaults of the options.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxRetries      = 2
	DefaultRetryBackoffMin = 250 * time.Millisecond
	DefaultRetryBackoffMax = 5 * time.Second
	// DefaultMaxConnsPerHost is the size of the connection pool of the HTTP
	// client the SDK builds when none is given with WithHTTPClient: at most this
	// many connections to Razorpay are open at once, and as many are kept idle
	// for reuse.
	DefaultMaxConnsPerHost = 64
)

// Client is a Razorpay API client. It is immutable after construction and safe
// for concurrent use by many goroutines; build one per key pair and share it.
// Its services share one HTTP pipeline: auth, retries, errors and logging.
//
// Printing a Client (%v, %+v, %#v, slog) never shows the key secret.
type Client struct {
	// Customer creates and reads customers (/v1/customers).
	Customer *CustomerService
	// Order creates authorization and charge orders (/v1/orders).
	Order *OrderService
	// RegistrationLink creates registration links
	// (/v1/subscription_registration/auth_links).
	RegistrationLink *RegistrationLinkService
	// Payment creates recurring charges and reads payments (/v1/payments).
	Payment *PaymentService
	// Invoice reads, notifies and cancels registration links (/v1/invoices).
	Invoice *InvoiceService
	// Token lists, reads and deletes a customer's mandate tokens
	// (/v1/customers/{id}/tokens).
	Token *TokenService
	// Card reads cards and requests card references (/v1/cards).
	Card *CardService

	cfg *config
}

// config is everything a Client needs to send a request. It is built once by
// NewClient (or ForAccount) and never changed afterwards.
type config struct {
	tuning
	keyID     string
	creds     *credentials
	baseURL   string // scheme://host[/prefix], no trailing slash
	userAgent string
	accountID string

	buffers *bufferPool

	// err is a configuration error (bad option, missing credentials). Every
	// call returns it before any I/O.
	err error
}

// Option configures a Client. Options are applied in order by NewClient and
// NewClientFromEnv; an invalid option is reported by NewClientFromEnv, and by
// every call of a client built with NewClient, before any I/O.
type Option func(*settings)

// settings collects options before the immutable config is built.
type settings struct {
	tuning
	baseURL string
	appInfo string
	errs    []error
}

// tuning is what options set and the pipeline uses as set.
type tuning struct {
	httpClient *http.Client // nil: the SDK's own
	timeout    time.Duration
	maxRetries int
	backoffMin time.Duration
	backoffMax time.Duration
	logger     *slog.Logger
	extra      http.Header // WithHeader values, canonical keys
	// settleWindow is Payment.Charge's assumption of how long a payment
	// request may take to land (WithChargeSettleWindow).
	settleWindow time.Duration
}

func (s *settings) fail(format string, args ...any) {
	s.errs = append(s.errs, fmt.Errorf(format, args...))
}

// WithBaseURL sets the API root, for example the URL of a razorpaytest server.
// It must be an absolute https URL without user info, query or fragment (http
// only for a loopback host, so that the key secret never crosses a network in
// clear text); a path prefix is kept. The default is DefaultBaseURL.
func WithBaseURL(u string) Option {
	return func(s *settings) { s.baseURL = u }
}

// WithHTTPClient makes the SDK send requests through hc, for a custom
// transport, proxy, mTLS or instrumentation. The SDK never modifies hc. The
// per-attempt timeout of WithTimeout still applies through the context. By
// default the SDK uses a client of its own with a connection pool sized for
// concurrent use, never http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) {
		if hc == nil {
			s.fail("WithHTTPClient: nil *http.Client")
			return
		}
		s.httpClient = hc
	}
}

// WithTimeout sets the timeout of each attempt, applied when the call's
// context has no sooner deadline. Zero disables it (the context alone bounds
// the call); a negative value is an error. The default is DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) {
		if d < 0 {
			s.fail("WithTimeout: negative timeout %v", d)
			return
		}
		s.timeout = d
	}
}

// WithMaxRetries sets how many times a failed attempt may be retried after the
// first one, when retrying is safe (see the package documentation on retries).
// Zero disables retries; a negative value is an error. The default is
// DefaultMaxRetries.
func WithMaxRetries(n int) Option {
	return func(s *settings) {
		if n < 0 {
			s.fail("WithMaxRetries: negative retries %d", n)
			return
		}
		s.maxRetries = n
	}
}

// WithChargeSettleWindow sets how long after a charge order's creation
// Payment.Charge assumes that a payment request decided on it may still land
// at Razorpay: an order of the bill younger than d that holds no payment
// makes other attempts wait, and an unknown outcome asks to come back after
// up to d. The default is ChargeSettleWindow (15 minutes). Lower it only when
// no request of yours can take longer, such as in tests against razorpaytest
// (where WithClock is the other way to move time); d must be at least a
// second.
func WithChargeSettleWindow(d time.Duration) Option {
	return func(s *settings) {
		if d < time.Second {
			s.fail("WithChargeSettleWindow: want at least 1s, got %v", d)
			return
		}
		s.settleWindow = d
	}
}

// WithRetryBackoff sets the bounds of the exponential backoff with full jitter
// between retries: the n-th wait is random in [0, min(maxWait, minWait·2ⁿ)].
// A Retry-After header is honoured but capped at maxWait. Both must be
// non-negative and minWait <= maxWait. The defaults are DefaultRetryBackoffMin
// and DefaultRetryBackoffMax.
func WithRetryBackoff(minWait, maxWait time.Duration) Option {
	return func(s *settings) {
		if minWait < 0 || maxWait < minWait {
			s.fail("WithRetryBackoff: want 0 <= min <= max, got min %v, max %v", minWait, maxWait)
			return
		}
		s.backoffMin, s.backoffMax = minWait, maxWait
	}
}

// WithLogger makes the SDK log through l: one Debug record per attempt with
// method, path, status, attempt, duration and request id, and a Warn record
// for each retry and each unknown outcome. Headers, bodies, keys, card numbers
// and signatures are never logged. A nil l disables logging (the default).
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) { s.logger = l }
}

// WithAppInfo appends "name/version" to the User-Agent header, so that
// Razorpay can tell which application sent a request.
func WithAppInfo(name, version string) Option {
	return func(s *settings) {
		if name == "" || !isToken(name) || (version != "" && !isToken(version)) {
			s.fail("WithAppInfo: name and version must be non-empty tokens without spaces, got %q %q", name, version)
			return
		}
		s.appInfo = name
		if version != "" {
			s.appInfo += "/" + version
		}
	}
}

// WithHeader adds a header to every request, for example a tracing header.
// Headers the SDK owns (Authorization, Content-Type, Content-Length, Host,
// User-Agent) cannot be set; use ForAccount for X-Razorpay-Account and
// WithAppInfo for the User-Agent.
func WithHeader(key, value string) Option {
	return func(s *settings) {
		ck := http.CanonicalHeaderKey(key)
		switch {
		case !isToken(key):
			s.fail("WithHeader: invalid header name %q", key)
		case strings.ContainsFunc(value, func(r rune) bool { return r != '\t' && isControl(r) }):
			s.fail("WithHeader: header %s has a control character in its value", ck)
		case reservedHeader(ck):
			s.fail("WithHeader: header %s is set by the SDK", ck)
		default:
			if s.extra == nil {
				s.extra = make(http.Header)
			}
			s.extra.Add(ck, value)
		}
	}
}

func reservedHeader(canonical string) bool {
	switch canonical {
	case "Authorization", "Content-Type", "Content-Length", "Host", "User-Agent",
		"Transfer-Encoding", "Connection", "X-Razorpay-Account":
		return true
	}
	return false
}

// NewClient returns a client that authenticates with the key pair (HTTP Basic).
// Surrounding white space is trimmed from both keys. A missing key or an
// invalid option does not fail here: every call of the client returns it as an
// error matching ErrInvalidConfig, before any I/O. Use NewClientFromEnv to get
// such errors at construction.
func NewClient(keyID, keySecret string, opts ...Option) *Client {
	s := settings{
		baseURL: DefaultBaseURL,
		tuning: tuning{
			timeout:      DefaultTimeout,
			maxRetries:   DefaultMaxRetries,
			backoffMin:   DefaultRetryBackoffMin,
			backoffMax:   DefaultRetryBackoffMax,
			settleWindow: ChargeSettleWindow,
		},
	}
	for _, opt := range opts {
		if opt == nil {
			s.fail("nil Option")
			continue
		}
		opt(&s)
	}
	keyID, keySecret = strings.TrimSpace(keyID), strings.TrimSpace(keySecret)
	cfg := &config{
		tuning:  s.tuning,
		keyID:   keyID,
		creds:   &credentials{keySecret: keySecret},
		buffers: newBufferPool(),
	}
	errs := s.errs
	switch {
	case keyID == "":
		errs = append(errs, errors.New("missing key id"))
	case strings.ContainsAny(keyID, ": \t\r\n"):
		errs = append(errs, errors.New("key id contains ':' or white space"))
	}
	if keySecret == "" {
		errs = append(errs, errors.New("missing key secret"))
	} else if strings.ContainsAny(keySecret, "\r\n") {
		errs = append(errs, errors.New("key secret contains a line break"))
	}
	base, err := parseBaseURL(s.baseURL)
	if err != nil {
		errs = append(errs, err)
	}
	cfg.baseURL = base
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{Transport: newTransport(cfg.timeout)}
	}
	cfg.userAgent = userAgent(s.appInfo)
	if len(errs) > 0 {
		cfg.err = &configError{err: errors.Join(errs...)}
	}
	cfg.buildHeaders()
	return newClient(cfg)
}

// NewClientFromEnv returns a client for the key pair in the environment
// variables RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET. Unlike NewClient, it
// reports missing keys and invalid options as an error matching
// ErrInvalidConfig.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	return clientFromEnv(os.Getenv, opts...)
}

func clientFromEnv(getenv func(string) string, opts ...Option) (*Client, error) {
	c := NewClient(getenv("RAZORPAY_KEY_ID"), getenv("RAZORPAY_KEY_SECRET"), opts...)
	if c.cfg.err != nil {
		return nil, c.cfg.err
	}
	return c, nil
}

// ForAccount returns a client that acts for the sub-merchant accountID
// (partner auth): every request carries the header X-Razorpay-Account. It
// shares the receiver's key pair, options and connection pool. An empty or
// malformed accountID makes every call of the returned client fail with
// ErrInvalidConfig.
func (c *Client) ForAccount(accountID string) *Client {
	cfg := *c.cfg
	cfg.accountID = accountID
	if accountID == "" || !isToken(accountID) {
		msg := fmt.Errorf("ForAccount: invalid account id %q", accountID)
		if c.cfg.err != nil {
			cfg.err = &configError{err: errors.Join(c.cfg.err, msg)}
		} else {
			cfg.err = &configError{err: msg}
		}
	}
	cfg.buildHeaders()
	return newClient(&cfg)
}

func newClient(cfg *config) *Client {
	c := &Client{cfg: cfg}
	c.Customer = &CustomerService{c: c}
	c.Order = &OrderService{c: c}
	c.RegistrationLink = &RegistrationLinkService{c: c}
	c.Payment = &PaymentService{c: c}
	c.Invoice = &InvoiceService{c: c}
	c.Token = &TokenService{c: c}
	c.Card = &CardService{c: c}
	return c
}

// Err reports the configuration error every call of c returns (an invalid
// option or missing credentials), or nil when c is ready to use.
func (c *Client) Err() error {
	if c == nil || c.cfg == nil {
		return &configError{err: errors.New("the Client was not built with NewClient")}
	}
	return c.cfg.err
}

// Format prints the client without its key secret, for every verb.
func (c Client) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, c.describe())
}

// LogValue describes the client to log/slog without its key secret.
func (c Client) LogValue() slog.Value {
	if c.cfg == nil {
		return slog.GroupValue()
	}
	attrs := []slog.Attr{
		slog.String("key_id", c.cfg.keyID),
		slog.String("base_url", c.cfg.baseURL),
	}
	if c.cfg.accountID != "" {
		attrs = append(attrs, slog.String("account_id", c.cfg.accountID))
	}
	return slog.GroupValue(attrs...)
}

func (c *Client) describe() string {
	if c.cfg == nil {
		return "razorpay.Client{}"
	}
	s := "razorpay.Client{KeyID: " + c.cfg.keyID + ", KeySecret: [REDACTED], BaseURL: " + c.cfg.baseURL
	if c.cfg.accountID != "" {
		s += ", Account: " + c.cfg.accountID
	}
	return s + "}"
}

// buildHeaders precomputes the headers of every request into a new
// credentials value (ForAccount shares the parent's until it rebuilds them).
func (cfg *config) buildHeaders() {
	h := make(http.Header, 5+len(cfg.extra))
	for k, v := range cfg.extra {
		h[k] = v[:len(v):len(v)]
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.keyID+":"+cfg.creds.keySecret))
	h["Authorization"] = []string{auth}
	h["User-Agent"] = []string{cfg.userAgent}
	h["Accept"] = []string{"application/json"}
	if cfg.accountID != "" {
		h["X-Razorpay-Account"] = []string{cfg.accountID}
	}
	bh := make(http.Header, len(h)+1)
	for k, v := range h {
		bh[k] = v
	}
	bh["Content-Type"] = []string{"application/json"}
	cfg.creds = &credentials{keySecret: cfg.creds.keySecret, headers: h, bodyHeaders: bh}
}

func parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// *url.Error repeats the URL, which may carry a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("WithBaseURL: cannot parse the URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("WithBaseURL: %q is not an absolute http(s) URL", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("WithBaseURL: %q must not have user info, a query or a fragment", u.Redacted())
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("WithBaseURL: %q would send the key secret in clear text: use https (http is for loopback test servers only)", u.Redacted())
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func userAgent(appInfo string) string {
	ua := "gorzp-razorpay-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if appInfo != "" {
		ua += " " + appInfo
	}
	return ua
}

// newTransport is the transport of the SDK's own HTTP client: one pool of
// keep-alive connections per host, sized for many goroutines sharing a client,
// with bounded dial and TLS handshake waits. The wait for response headers is
// bounded by the per-attempt timeout, or by the transport when that is off.
func newTransport(timeout time.Duration) *http.Transport {
	// With a per-attempt timeout, the attempt's context already bounds the
	// wait for the response headers: a second timer per request would only
	// cost. Without one, the transport keeps a bound of its own.
	var headerTimeout time.Duration
	if timeout == 0 {
		headerTimeout = 2 * DefaultTimeout
	}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          DefaultMaxConnsPerHost,
		MaxIdleConnsPerHost:   DefaultMaxConnsPerHost,
		MaxConnsPerHost:       DefaultMaxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: headerTimeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		// A proxy that refuses CONNECT has sent nothing on to Razorpay: say
		// so in a form the retry policy recognises (a proxyconnect error).
		OnProxyConnectResponse: func(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
			if resp.StatusCode != http.StatusOK {
				return &net.OpError{Op: "proxyconnect", Net: "tcp", Err: fmt.Errorf("proxy refused CONNECT: %s", resp.Status)}
			}
			return nil
		},
	}
}

// isLoopback reports whether host names this machine: localhost or a
// loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isToken reports whether s is a non-empty HTTP token (RFC 9110): no spaces,
// separators or control characters.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

// credentials holds what must never be printed: the key secret and the
// precomputed request headers, which carry it in Authorization. The pipeline
// copies the header maps per request and never their values. It sits behind
// a pointer in config, so that even a raw dump of a config cannot show it
// (fmt prints nested pointers as addresses), and it prints as [REDACTED].
type credentials struct {
	keySecret   string
	headers     http.Header // requests without a body
	bodyHeaders http.Header // requests with a JSON body
}

func (*credentials) String() string             { return "[REDACTED]" }
func (*credentials) GoString() string           { return "[REDACTED]" }
func (*credentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[REDACTED]") }
func (*credentials) LogValue() slog.Value       { return slog.StringValue("[REDACTED]") }

// Ptr returns a pointer to v, for optional params whose zero value means
// something, such as FailExisting: razorpay.Ptr(false).
func Ptr[T any](v T) *T { return &v }
