package razorpay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
)

// Version is the version of this SDK. It is sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is the root of Razorpay's API. Test and live mode share it:
// the key pair selects the mode.
const DefaultBaseURL = "https://api.razorpay.com"

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
	// Payment creates recurring charges, captures and refunds payments, and
	// reads them (/v1/payments).
	Payment *PaymentService
	// Invoice reads, notifies and cancels registration links (/v1/invoices).
	Invoice *InvoiceService
	// Token lists, reads and deletes a customer's mandate tokens
	// (/v1/customers/{id}/tokens).
	Token *TokenService
	// Card reads cards and requests card references (/v1/cards).
	Card *CardService
	// Refund reads refunds (/v1/refunds); Payment.Refund makes them.
	Refund *RefundService

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
	// transport is the SDK's own transport, nil when the caller gave an
	// http.Client with WithHTTPClient.
	transport *http.Transport

	// err is a configuration error (bad option, missing credentials). Every
	// call returns it before any I/O.
	err error
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
	if lo := minSettleWindow(cfg.timeout); cfg.settleWindow < lo {
		if s.settleWindowSet {
			errs = append(errs, fmt.Errorf("WithChargeSettleWindow: %v is shorter than this client's requests may take: at least %v with a per-attempt timeout of %v (3 attempts' time and a %v guard); lower WithTimeout to allow a shorter window", cfg.settleWindow, lo, cfg.timeout, settleGuard(lo)))
		} else {
			cfg.settleWindow = lo // a long per-attempt timeout raises the default window
		}
	}
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
		cfg.transport = newTransport(cfg.timeout)
		cfg.httpClient = &http.Client{Transport: cfg.transport, CheckRedirect: refuseRedirect}
	} else {
		hc := *cfg.httpClient // a copy: the caller's client is never modified
		hc.CheckRedirect = refuseRedirect
		cfg.httpClient = &hc
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
	c.Refund = &RefundService{c: c}
	return c
}

// CloseIdleConnections closes the idle connections of the SDK's own
// transport, for a program that is done with a client (or a test that builds
// many). The client stays usable: later calls open new connections. Clients
// returned by ForAccount share the transport of the client they came from.
// It is a no-op for a client built with WithHTTPClient: close that client's
// connections through it.
func (c *Client) CloseIdleConnections() {
	if c == nil || c.cfg == nil || c.cfg.transport == nil {
		return
	}
	c.cfg.transport.CloseIdleConnections()
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

func userAgent(appInfo string) string {
	ua := "gorzp-razorpay-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if appInfo != "" {
		ua += " " + appInfo
	}
	return ua
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
