package razorpay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The retry policy, in one place.
//
// Razorpay has no idempotency key for orders, customers or payments, so a
// request that creates state must never be sent twice unless it certainly did
// not arrive. decide is the only function that chooses, from the attempt's
// result and the history of the earlier ones; send in request.go carries out
// its verdict. The predicates that read a final answer as proof that a
// request was or was not carried out (refused, notSentError), which
// Payment.Charge uses to tell "not charged" from "unknown", are here too.

type verdict int

const (
	verdictFinal   verdict = iota // success, or an error to return as is
	verdictRetry                  // safe to send again, and attempts remain: wait, then send again
	verdictUnknown                // may have been processed: return ErrOutcomeUnknown
	verdictGone                   // a DELETE retried after a lost answer found the id gone: done
	verdictGiveUp                 // retrying would be safe, but no attempt remains after failures to connect
)

// history is what decide knows of the earlier attempts of one request.
type history struct {
	attempt    int  // this attempt, from 0
	maxRetries int  // how many attempts may follow the first
	applied    bool // an earlier attempt may have been carried out, its answer lost
}

// record notes the result of an attempt that is retried.
func (h *history) record(res result) {
	h.applied = h.applied || (res.sent && (res.transport || res.status >= 500))
}

// decide classifies the result of one attempt of op, in the style of a retry
// chain where the first matching rule wins:
//
//  1. Success, or a request that could not be built: final.
//  2. The request certainly did not reach Razorpay (the dial failed): retry,
//     for every operation, unless the caller's context is done, the host
//     does not exist or its certificate does not verify.
//  3. No complete answer (a timeout, a reset, an unreadable body): unknown
//     when the operation creates state; otherwise retry, unless the caller's
//     context is done.
//  4. 429: retry, for every operation (Razorpay refuses throttled requests
//     before acting on them), except the payment request of
//     Payment.Charge: a proxy in front of Razorpay may answer 429 after
//     Razorpay acted, and Charge reads the order back instead.
//  5. 500, 502, 503 or 504: retry when the operation is repeatable (GET,
//     DELETE); otherwise unknown. Any other 5xx: final when repeatable,
//     unknown otherwise.
//  6. A 2xx whose body cannot be decoded, or is not the entity asked for
//     (see checkEntity): final when repeatable, unknown otherwise (the
//     request was carried out, its answer was lost).
//  7. A 3xx (never followed, see refuseRedirect): final when repeatable,
//     unknown otherwise (whatever answered may have acted on it).
//  8. Any other answer (4xx): final.
//
// Then, given the history:
//
//   - A DELETE that meets "this id does not exist" after an earlier attempt
//     of it may have been carried out: gone (it was deleted by that attempt).
//   - A retry when no attempt remains: give up after failures to get an
//     answer (the error says how many attempts were made), final otherwise.
//
// A complete answer is classified by its status even when the caller's
// context ends as it arrives; send then gives up instead of waiting to retry.
func decide(ctx context.Context, op operation, res result, h history) verdict {
	v := classify(ctx, op, res)
	switch {
	case h.applied && op.method == http.MethodDelete && isGone(res.err):
		return verdictGone
	case v == verdictRetry && h.attempt >= h.maxRetries:
		if res.transport && h.attempt > 0 {
			return verdictGiveUp
		}
		return verdictFinal
	}
	return v
}

// classify applies rules 1 to 8 to one attempt.
func classify(ctx context.Context, op operation, res result) verdict {
	switch {
	case res.err == nil, res.invalid:
		return verdictFinal
	case !res.sent:
		if ctx.Err() != nil || permanentDialError(res.err) {
			return verdictFinal
		}
		return verdictRetry
	case res.transport:
		switch {
		case !op.repeatable:
			return verdictUnknown
		case ctx.Err() != nil:
			return verdictFinal
		}
		return verdictRetry
	case res.status == http.StatusTooManyRequests:
		if op.charges {
			return verdictUnknown
		}
		return verdictRetry
	case res.status >= 500:
		switch {
		case !op.repeatable:
			return verdictUnknown
		case retryableStatus(res.status):
			return verdictRetry
		}
		return verdictFinal
	case res.status >= 200 && res.status <= 399:
		if op.repeatable {
			return verdictFinal
		}
		return verdictUnknown
	}
	return verdictFinal
}

// refused reports whether e is Razorpay's own refusal of a request, which
// proves that it was not carried out: a 4xx with a Razorpay error code, but
// not 408, 409, 425 or 429, which a proxy may send after Razorpay acted.
func refused(e *Error) bool {
	switch e.HTTPStatusCode {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return e.HTTPStatusCode >= 400 && e.HTTPStatusCode < 500 && e.Code != ""
}

// notSentError reports whether err, the final error of a call, proves that
// its request never left (see notSent).
func notSentError(err error) bool {
	if errors.Is(err, ErrOutcomeUnknown) {
		return false
	}
	var re *requestError
	return errors.As(err, &re) && notSent(re.cause)
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// notSent reports whether a transport error proves that the request was not
// written: the connection (or the proxy's) could not be opened, or TLS could
// not be set up.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	return isCertError(err)
}

// permanentDialError reports whether retrying a failed connection is useless:
// the host does not exist, or its certificate does not verify.
func permanentDialError(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return true
	}
	return isCertError(err)
}

func isCertError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// backoff returns the wait before retry number attempt+1: the Retry-After
// header when it is present and parses (seconds or an HTTP date), capped at
// maxWait; otherwise full jitter, a random duration in
// [0, min(maxWait, minWait·2^attempt)].
func backoff(minWait, maxWait time.Duration, attempt int, h http.Header) time.Duration {
	if d, ok := retryAfter(h, time.Now()); ok {
		return min(d, maxWait)
	}
	ceiling := minWait
	for i := 0; i < attempt && ceiling < maxWait; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, maxWait)
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(time.Hour/time.Second) {
			secs = int64(time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
