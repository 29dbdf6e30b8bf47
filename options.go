package razorpay

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

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
	// settleWindowSet says that WithChargeSettleWindow was given: a window
	// below the minimum is then refused, not raised.
	settleWindowSet bool
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
// transport, proxy, mTLS or instrumentation. The SDK never modifies hc: it
// sends through a copy of it taken by NewClient (same Transport, Jar and
// Timeout) whose CheckRedirect refuses every redirect, since the SDK never
// follows one. The per-attempt timeout of WithTimeout still applies through
// the context. By default the SDK uses a client of its own with a connection
// pool sized for concurrent use, never http.DefaultClient.
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
// first one, when retrying is safe (see "Retries and unknown outcomes" in the package
// documentation).
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
// and is not released makes other attempts wait, and a call sends and waits
// for its payment request only until d minus a guard (3 s, or d/60 when
// longer) after its order was requested. The default is ChargeSettleWindow
// (15 minutes).
//
// d must leave room for the client's own requests: at least three
// per-attempt timeouts plus the guard (93 s with the default 30 s
// WithTimeout; with WithTimeout(0), as if the timeout were 60 s). A shorter
// window is an invalid option, whatever the order of the options; lower
// WithTimeout to allow it. A per-attempt timeout so long that the default
// window is below that minimum raises the default to it. In tests, move
// razorpaytest's clock (razorpaytest.WithClock) instead of shortening the
// window.
func WithChargeSettleWindow(d time.Duration) Option {
	return func(s *settings) {
		s.settleWindow = d
		s.settleWindowSet = true
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
// method, path, status, attempt, duration and request id, and retry_in, the
// wait before the next attempt, when the SDK retries. The pipeline writes no
// other record. Headers, bodies, keys, card numbers and signatures are never
// logged. A nil l disables logging (the default).
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
