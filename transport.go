package razorpay

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The transport and base-URL policy: where requests may go and how.

// parseBaseURL checks a WithBaseURL value: an absolute https URL (http only
// for a loopback host), without user info, query or fragment.
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

// refuseRedirect is the CheckRedirect of every http.Client the SDK sends
// through: the 3xx answer itself is returned, with its body unread.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
