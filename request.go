package razorpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxResponseBytes caps how much of a response body the SDK reads. Razorpay's
// largest in-scope answer, a page of 100 invoices, is far below it.
const maxResponseBytes = 8 << 20

// operation is one API request, as the services describe it to the pipeline.
type operation struct {
	method string
	path   string // escaped, from the API root, such as "/v1/payments/pay_X"
	query  string // encoded query, without "?"
	// params, when not nil, is a pointer to a struct of query params with
	// url tags, sent as the query (encodeQuery) in place of query.
	params any
	body   any // JSON request body; nil sends none
	// repeatable marks a request that is safe to send again after it may
	// have been received (GET and DELETE). Every other request creates state
	// and is never retried once it may have been received.
	repeatable bool
	// charges marks the payment request of Payment.Charge: once it may have
	// been received it is not even retried after a 429, which a proxy can
	// answer after Razorpay acted.
	charges bool
	// idempotencyKey, when set, is sent as X-Refund-Idempotency: Razorpay
	// answers a repeat of the request with the first one's result, so it
	// is retried like a read (see decide).
	idempotencyKey string
	// serverTime, when set, receives the time of the response's Date header
	// (the server's clock), or stays zero without one.
	serverTime *time.Time
}

// ResponseInfo is what Razorpay's answer to a call said besides its body:
// the status, the headers and the request id that Razorpay support asks
// for. Ask for it with WithResponseInfo. A call that sends several requests
// (Payment.Charge, an All walk) leaves the last request's answer in it.
type ResponseInfo struct {
	// StatusCode is the HTTP status of the last answer, 0 when none came (a
	// connection that failed, or a call refused before anything was sent).
	StatusCode int
	// Header is the last answer's headers, nil when none came.
	Header http.Header
	// RequestID is Razorpay's id of the last request, from the
	// X-Razorpay-Request-Id header (or X-Request-Id), "" without one. An
	// error's is in Error.RequestID as well.
	RequestID string
	// Attempts is how many attempts the last request took, retries
	// included (1 without); 0 when the call ended before the first.
	Attempts int
}

type responseInfoKey struct{}

// WithResponseInfo returns a copy of ctx that makes every call that gets it
// report what Razorpay answered into info, in the way
// httptrace.WithClientTrace asks net/http for a trace: after a success as
// after an error. Each request a call sends overwrites info, so a call that
// sends several (Payment.Charge, an All walk) leaves the last one's answer;
// a call refused before any request (a *ValidationError) leaves info as it
// was. Client.Do reports too. Calls that run at once must not share one
// info. Without it, a call costs nothing more; with it, nothing is
// allocated either.
//
//	var info razorpay.ResponseInfo
//	p, err := client.Payment.Fetch(razorpay.WithResponseInfo(ctx, &info), paymentID)
//	slog.Info("payment fetched", "request_id", info.RequestID, "err", err)
func WithResponseInfo(ctx context.Context, info *ResponseInfo) context.Context {
	return context.WithValue(ctx, responseInfoKey{}, info)
}

// Do sends a request to path (relative to the API root, such as
// "/v1/payments/pay_X") through the same auth, retries, errors and logging as
// the typed methods, JSON-encoding body when it is not nil and decoding the
// response into out when it is not nil. It is the escape hatch for endpoints
// this SDK does not model.
//
// GET, HEAD and DELETE requests are retried on timeouts, resets and 500,
// 502, 503 and 504 statuses. Every other method is treated as creating
// state: it is retried only when it cannot have been received (a failed
// dial, a 429), and otherwise fails with an error matching
// ErrOutcomeUnknown.
//
// path must start with "/" and is sent as given: escape the IDs you put in it
// with url.PathEscape. It may end in a query, such as
// "/v1/payments/pay_X?expand[]=card" (build it with url.Values.Encode). A
// path with a "." or ".." segment (escaped or not), a fragment, a space or a
// control character is refused.
func (c *Client) Do(ctx context.Context, method, path string, body any, out any) error {
	method = strings.ToUpper(method)
	if !isToken(method) {
		return &ValidationError{Field: "method", Message: fmt.Sprintf("invalid HTTP method %.20q", method)}
	}
	path, query, _ := strings.Cut(path, "?")
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, "# \x7f") || strings.ContainsFunc(path+query, isControl) || hasDotSegment(path) {
		return &ValidationError{Field: "path", Message: fmt.Sprintf("must start with / and have no fragment and no . or .. segment, got %.80q", path)}
	}
	if _, err := url.ParseQuery(query); err != nil {
		return &ValidationError{Field: "path", Message: "invalid query: " + err.Error()}
	}
	return c.send(ctx, operation{
		method:     method,
		path:       path,
		query:      query,
		body:       body,
		repeatable: method == http.MethodGet || method == http.MethodDelete || method == http.MethodHead,
	}, out)
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

func hasDotSegment(path string) bool {
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return true
	}
	for _, seg := range strings.Split(unescaped, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// send runs op through the pipeline: encode the body once, then attempt and
// carry out decide's verdict (retry.go) until it is final. send chooses
// nothing itself: every rule of when to send again, and of what a final
// answer means, is in decide.
func (c *Client) send(ctx context.Context, op operation, out any) error {
	if c == nil || c.cfg == nil {
		return &configError{err: errors.New("the Client was not built with NewClient")}
	}
	cfg := c.cfg
	if cfg.err != nil {
		return cfg.err
	}
	if ctx == nil {
		return &ValidationError{Field: "ctx", Message: "nil context.Context"}
	}
	info, _ := ctx.Value(responseInfoKey{}).(*ResponseInfo)
	if info != nil {
		*info = ResponseInfo{}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("razorpay: %s %s: not sent: %w", op.method, op.path, err)
	}
	query := op.query
	if op.params != nil {
		var err error
		if query, err = encodeQuery(op.params); err != nil {
			return fmt.Errorf("razorpay: %s %s: encode query: %w", op.method, op.path, err)
		}
	}
	var body []byte
	if op.body != nil {
		// The body gets a buffer of its own, not a pooled one: a transport
		// may still read it after the round trip returns.
		var err error
		if body, err = json.Marshal(op.body); err != nil {
			return fmt.Errorf("razorpay: %s %s: encode request body: %w", op.method, op.path, err)
		}
	}
	target := cfg.baseURL + op.path
	if query != "" {
		target += "?" + query
	}
	h := history{maxRetries: cfg.maxRetries}
	for ; ; h.attempt++ {
		res := c.attempt(ctx, op, target, body, out)
		if info != nil {
			*info = ResponseInfo{StatusCode: res.status, Header: res.header, RequestID: requestID(res.header), Attempts: h.attempt + 1}
		}
		v := decide(ctx, op, res, h)
		var wait time.Duration
		if v == verdictRetry {
			wait = pause(cfg.backoffMin, cfg.backoffMax, h.attempt, res)
		}
		c.logAttempt(ctx, op, h.attempt, res, v == verdictRetry, wait)
		switch v {
		case verdictRetry:
			h.record(op, res)
			if err := sleep(ctx, wait); err != nil {
				cause := fmt.Errorf("razorpay: %s %s: gave up waiting to retry: %w (last answer: %w)", op.method, op.path, err, unwrapRequestError(res.err))
				if interrupted(op, h) == verdictUnknown {
					return &outcomeUnknownError{method: op.method, path: op.path, cause: cause, key: op.idempotencyKey}
				}
				return cause
			}
		case verdictUnknown:
			return &outcomeUnknownError{method: op.method, path: op.path, cause: res.err, key: op.idempotencyKey}
		case verdictGone:
			return &goneError{cause: res.err}
		case verdictGiveUp:
			return &requestError{method: op.method, path: op.path, msg: "giving up after " + strconv.Itoa(h.attempt+1) + " attempts", cause: unwrapRequestError(res.err)}
		default:
			return res.err
		}
	}
}

// call sends op through the pipeline and returns its answer decoded into a
// new T: the body of every typed method.
func call[T any](ctx context.Context, c *Client, op operation) (*T, error) {
	out := new(T)
	if err := c.send(ctx, op, out); err != nil {
		return nil, err
	}
	return out, nil
}

// unwrapRequestError drops the method-and-path prefix of a requestError so
// that a wrapping error does not repeat it.
func unwrapRequestError(err error) error {
	var re *requestError
	if errors.As(err, &re) && re.msg == "" {
		return re.cause
	}
	return err
}

// result is the outcome of one attempt.
type result struct {
	status int         // 0 when no response arrived
	header http.Header // response headers, nil when no response arrived
	err    error       // nil on success
	// sent is false when the request certainly did not reach Razorpay.
	sent bool
	// transport is true when err is a transport or body-read failure (as
	// opposed to an *Error or a decode failure).
	transport bool
	// invalid is true when the request could not even be built.
	invalid bool
	// duration is how long the round trip and the body read took.
	duration time.Duration
}

// attempt sends the request once and reads and decodes the answer.
func (c *Client) attempt(ctx context.Context, op operation, target string, body []byte, out any) result {
	cfg := c.cfg
	actx := ctx
	if cfg.timeout > 0 {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > cfg.timeout {
			var cancel context.CancelFunc
			actx, cancel = context.WithTimeout(ctx, cfg.timeout)
			defer cancel()
		}
	}
	var rd io.Reader
	h := cfg.creds.headers
	if body != nil {
		rd = bytes.NewReader(body)
		h = cfg.creds.bodyHeaders
	}
	req, err := http.NewRequestWithContext(actx, op.method, target, rd)
	if err != nil {
		return result{err: &requestError{method: op.method, path: op.path, msg: "build request", cause: err}, invalid: true}
	}
	for k, v := range h { // values are shared read-only; the map is the request's own
		req.Header[k] = v
	}
	if op.idempotencyKey != "" {
		req.Header["X-Refund-Idempotency"] = []string{op.idempotencyKey}
	}

	start := time.Now()
	resp, err := cfg.httpClient.Do(req)
	if err != nil {
		err = transportCause(ctx, actx, err, cfg.timeout)
		return result{err: &requestError{method: op.method, path: op.path, cause: err}, sent: !notSent(err), transport: true, duration: time.Since(start)}
	}
	defer resp.Body.Close()

	buf := cfg.buffers.get()
	defer cfg.buffers.put(buf)
	if cl := resp.ContentLength; cl > 0 && cl <= maxResponseBytes {
		// One allocation of the announced size (and room for ReadFrom to
		// see EOF) instead of doubling up to it.
		buf.Grow(int(cl) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes+1))
	if op.serverTime != nil {
		if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			*op.serverTime = t
		}
	}
	res := result{status: resp.StatusCode, header: resp.Header, sent: true, duration: time.Since(start)}
	if err != nil {
		res.err = &requestError{method: op.method, path: op.path, msg: fmt.Sprintf("read %d response", resp.StatusCode), cause: transportCause(ctx, actx, err, cfg.timeout)}
		res.transport = true
		return res
	}
	if n > maxResponseBytes {
		res.err = &requestError{method: op.method, path: op.path, msg: fmt.Sprintf("%d response", resp.StatusCode), cause: errTooLarge}
		return res
	}
	data := buf.Bytes()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		// The client never follows a redirect (see refuseRedirect): the
		// credentials stay with the base URL's origin.
		res.err = redirectError(op.method, op.path, resp.StatusCode, resp.Header)
		return res
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		res.err = newError(op.method, op.path, resp.StatusCode, resp.Header, data)
		return res
	}
	if out != nil {
		if err := decodeResponse(resp.Header.Get("Content-Type"), data, out); err != nil {
			res.err = &requestError{method: op.method, path: op.path, msg: fmt.Sprintf("decode %d response", resp.StatusCode), cause: err}
		} else if err := checkEntity(op.method, op.path, resp.StatusCode, resp.Header, data, out); err != nil {
			res.err = err
		}
	}
	return res
}

var errTooLarge = fmt.Errorf("body larger than %d bytes", maxResponseBytes)

// decodeResponse decodes a 2xx body into out after checking that it is JSON.
func decodeResponse(contentType string, data []byte, out any) error {
	if contentType != "" && !isJSONType(contentType) {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return fmt.Errorf("unexpected content type %.60q (%s)", maskDigits(contentType), describeBody(contentType, data))
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty body")
	}
	return decodeJSON(data, out)
}

// isJSONType is the allocation-free check of the usual JSON content types:
// "application/json", optionally followed by parameters.
func isJSONType(ct string) bool {
	const j = "application/json"
	return len(ct) >= len(j) && strings.EqualFold(ct[:len(j)], j) && (len(ct) == len(j) || ct[len(j)] == ';' || ct[len(j)] == ' ')
}

// transportCause returns the cause of a failed round trip without
// *url.Error's repetition of the URL, and says when the per-attempt timeout
// (not the caller's context) expired.
func transportCause(ctx, actx context.Context, err error, timeout time.Duration) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() == nil && actx.Err() != nil {
		return fmt.Errorf("attempt timed out after %v: %w", timeout, context.DeadlineExceeded)
	}
	return err
}

// logAttempt writes the one record of an attempt: a Debug record with the
// method, path, status (0 when no answer arrived), attempt number, duration
// and request id, and retry_in, the wait before the next attempt, when one
// follows. The pipeline writes no other record.
func (c *Client) logAttempt(ctx context.Context, op operation, attempt int, res result, retry bool, wait time.Duration) {
	l := c.cfg.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := [7]slog.Attr{
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("status", res.status),
		slog.Int("attempt", attempt+1),
		slog.Duration("duration", res.duration),
		slog.String("request_id", requestID(res.header)),
	}
	n := 6
	if retry {
		attrs[n] = slog.Duration("retry_in", wait)
		n++
	}
	l.LogAttrs(ctx, slog.LevelDebug, "razorpay: request", attrs[:n]...)
}

// bufferPool recycles the buffers that response bodies are read into (they
// are decoded, and so copied, before the buffer goes back).
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
}

func (bp *bufferPool) get() *bytes.Buffer { return bp.p.Get().(*bytes.Buffer) }

func (bp *bufferPool) put(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // let an unusually large buffer go
	}
	b.Reset()
	bp.p.Put(b)
}

// MaxIDLength is the longest id accepted in a request path.
const MaxIDLength = 64

// pathID checks one path argument before any I/O: Razorpay's ids are a
// prefix, "_" and base-62 characters, so anything outside
// ^[A-Za-z0-9_-]{1,64}$ is refused with a *ValidationError naming the
// parameter, never escaped and sent. The id goes into the path as it is.
func pathID(name, id string) (string, error) {
	if !validID(id) {
		return "", &ValidationError{Field: name, Message: idMessage(id)}
	}
	return id, nil
}

// validID reports whether id matches ^[A-Za-z0-9_-]{1,64}$.
func validID(id string) bool {
	if len(id) == 0 || len(id) > MaxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// idMessage says why id is not a valid id, quoting at most its first 40
// characters with card-number-like digits masked.
func idMessage(id string) string {
	switch {
	case id == "":
		return "must not be empty"
	case len(id) > MaxIDLength:
		return fmt.Sprintf("must be at most %d characters (letters, digits, '_' and '-'), got %d", MaxIDLength, len(id))
	}
	// Masked before it is cut (no partial card number) and after it is
	// quoted (an escape such as \x00 may join digits into a run).
	return "must be an id of letters, digits, '_' and '-' only, got " + maskDigits(fmt.Sprintf("%.40q", maskDigits(id)))
}
