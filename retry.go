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
// not arrive. Refunds are the exception: a refund carries an idempotency key
// (X-Refund-Idempotency), and Razorpay answers a repeat with the first
// refund. decide is the only function that chooses, from the attempt's
// result and the history of the earlier ones (with interrupted, its rule for
// a context that ends during a wait); send in request.go carries out its
// verdict. The predicates that read a final answer as proof that a request
// was or was not carried out (refused, notSentError), which Payment.Charge
// uses to tell "not charged" from "unknown", are here too.

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

// record notes the result of an attempt of op that is retried.
func (h *history) record(op operation, res result) {
	h.applied = h.applied || mayHaveApplied(op, res)
}

// mayHaveApplied reports whether an attempt of op may have been carried out
// although its answer is lost or unusable. For most requests that is one
// that was sent and got no answer or a 5xx. For a request with an
// idempotency key it is any attempt that was sent and got neither a success
// nor Razorpay's own refusal (see refused in charge.go): a 409 says a
// request with the key is being carried out, and a proxy may answer 408,
// 429, a 3xx or a 5xx after Razorpay acted.
func mayHaveApplied(op operation, res result) bool {
	switch {
	case !res.sent || res.invalid:
		return false
	case op.idempotencyKey != "":
		var e *Error
		return res.err != nil && !(errors.As(res.err, &e) && refused(e))
	}
	return res.transport || res.status >= 500
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
//  8. A 409 to a request with an idempotency key (the first request with
//     the key is still being processed): retry, after a pause (see pause).
//  9. Any other answer (4xx): final.
//
// A request with an idempotency key (a refund) counts as repeatable in rules
// 3 to 7: Razorpay answers a repeat with the same key and body with the
// result of the first, so a retry never makes a second refund.
//
// Then, given the history:
//
//   - A DELETE that meets "this id does not exist" after an earlier attempt
//     of it may have been carried out: gone (it was deleted by that attempt).
//   - A request with an idempotency key that ends without a success (no
//     attempt remains, the caller's context is done, an answer that cannot
//     be used, or an error after an earlier attempt may have been carried
//     out) when this attempt or an earlier one may have been carried out
//     (see mayHaveApplied): unknown. The refund may exist; calling again
//     with the same key returns it.
//   - A retry when no attempt remains: give up after failures to get an
//     answer (the error says how many attempts were made), final otherwise.
//
// A complete answer is classified by its status even when the caller's
// context ends as it arrives; send then gives up instead of waiting to retry
// (see interrupted).
func decide(ctx context.Context, op operation, res result, h history) verdict {
	v := classify(ctx, op, res)
	// lost: a request with an idempotency key ends without a success, and
	// this attempt or an earlier one may have been carried out.
	lost := op.idempotencyKey != "" && res.err != nil && !res.invalid && (h.applied || mayHaveApplied(op, res))
	switch {
	case h.applied && op.method == http.MethodDelete && isGone(res.err):
		return verdictGone
	case v == verdictRetry && h.attempt >= h.maxRetries:
		if lost {
			return verdictUnknown
		}
		if res.transport && h.attempt > 0 {
			return verdictGiveUp
		}
		return verdictFinal
	case v == verdictFinal && lost:
		return verdictUnknown
	}
	return v
}

// interrupted is the verdict when the caller's context ends while send
// waits to retry, given the history with the last attempt recorded: unknown
// for a request with an idempotency key that may have been carried out,
// final otherwise.
func interrupted(op operation, h history) verdict {
	if op.idempotencyKey != "" && h.applied {
		return verdictUnknown
	}
	return verdictFinal
}

// classify applies rules 1 to 9 to one attempt.
func classify(ctx context.Context, op operation, res result) verdict {
	repeatable := op.repeatable || op.idempotencyKey != ""
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
		case !repeatable:
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
		case !repeatable:
			return verdictUnknown
		case retryableStatus(res.status):
			return verdictRetry
		}
		return verdictFinal
	case res.status >= 200 && res.status <= 399:
		if repeatable {
			return verdictFinal
		}
		return verdictUnknown
	case res.status == http.StatusConflict && op.idempotencyKey != "":
		return verdictRetry
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
	c := ceiling(minWait, maxWait, attempt)
	if c <= 0 {
		return 0
	}
	return rand.N(c + 1)
}

// pause returns the wait before retrying after res: backoff, except after a
// 409 (a request with the same idempotency key is still being processed),
// which waits the whole step, min(maxWait, minWait·2^attempt), unless
// Retry-After says otherwise: a retry sooner would meet the same answer.
func pause(minWait, maxWait time.Duration, attempt int, res result) time.Duration {
	if res.status == http.StatusConflict {
		if d, ok := retryAfter(res.header, time.Now()); ok {
			return min(d, maxWait)
		}
		return max(ceiling(minWait, maxWait, attempt), 0)
	}
	return backoff(minWait, maxWait, attempt, res.header)
}

// ceiling is min(maxWait, minWait·2^attempt).
func ceiling(minWait, maxWait time.Duration, attempt int) time.Duration {
	c := minWait
	for i := 0; i < attempt && c < maxWait; i++ {
		c *= 2
	}
	return min(c, maxWait)
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
