package razorpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Sentinels matched by errors.Is on an *Error, by its HTTP status or code.
var (
	// ErrBadRequest matches an *Error with HTTP status 400.
	ErrBadRequest = errors.New("razorpay: bad request")
	// ErrAuthentication matches an *Error with HTTP status 401: the key pair
	// is wrong, or test and live keys are mixed.
	ErrAuthentication = errors.New("razorpay: authentication failed")
	// ErrNotFound matches an *Error with HTTP status 404.
	ErrNotFound = errors.New("razorpay: not found")
	// ErrRateLimited matches an *Error with HTTP status 429.
	ErrRateLimited = errors.New("razorpay: rate limited")
	// ErrServer matches an *Error with an HTTP status of 500 or more.
	ErrServer = errors.New("razorpay: server error")
	// ErrGateway matches an *Error whose Code is GATEWAY_ERROR.
	ErrGateway = errors.New("razorpay: gateway error")
)

// Other sentinels.
var (
	// ErrInvalidParams matches every *ValidationError: the params of a call
	// were refused before anything was sent.
	ErrInvalidParams = errors.New("razorpay: invalid params")

	// ErrInvalidConfig matches the error of a client built with an invalid
	// option or without credentials. Nothing was sent.
	ErrInvalidConfig = errors.New("razorpay: invalid client configuration")

	// ErrOutcomeUnknown matches the error of a call that creates state when
	// the request may have reached Razorpay but no usable answer came back: a
	// timeout, a reset connection, a 5xx status, a redirect (never followed),
	// or a 2xx body that could not be read or is not the entity asked for. The error also matches its cause (context.DeadlineExceeded, an
	// *Error, ...). Such calls are never retried by the SDK: reconcile first,
	// for example with Order.Payments, or use Payment.Charge, which does it.
	ErrOutcomeUnknown = errors.New("razorpay: outcome unknown")

	// ErrSignatureMismatch matches every failed signature check.
	ErrSignatureMismatch = errors.New("razorpay: signature mismatch")

	// ErrNotApplied matches the error of a call that Razorpay answered with a
	// 2xx status but did not carry out: Invoice.NotifyBy answered
	// {"success": false}, or Token.Delete answered {"deleted": false}.
	ErrNotApplied = errors.New("razorpay: request not applied")
)

// Error codes Razorpay sends in the code field of an error body. The set is
// open: other codes pass through unchanged.
const (
	CodeBadRequest = "BAD_REQUEST_ERROR"
	CodeGateway    = "GATEWAY_ERROR"
	CodeServer     = "SERVER_ERROR"
)

// urlNotFound is Razorpay's description when a route is unknown, which for a
// well-formed SDK request means the feature is not enabled on the account.
const urlNotFound = "The requested URL was not found on the server"

// Error is a non-2xx answer from Razorpay. It is returned for every such
// response, also when the body is empty, an HTML page from a proxy, or not
// JSON; then Description says in one line what was received. A redirect (3xx,
// never followed) is an Error too, and so is a 2xx answer that is not what
// was asked for: another entity, an entity without an id, or an error object
// sent with a 2xx status (HTTPStatusCode is then the 2xx status).
//
// Card-number-like runs of digits in text from the server (12 or more
// digits, with single spaces or dashes between groups) are masked in
// Description, Field and Reason, in Error() and in every printed form.
//
// Match it with errors.As, or its class with errors.Is and the sentinels
// ErrBadRequest, ErrAuthentication, ErrNotFound, ErrRateLimited, ErrServer
// and ErrGateway.
type Error struct {
	// HTTPStatusCode is the status of the response.
	HTTPStatusCode int
	// Code is the error class: BAD_REQUEST_ERROR, GATEWAY_ERROR,
	// SERVER_ERROR, ... (an open set).
	Code string
	// Description is Razorpay's human-readable explanation.
	Description string
	// Field is the request parameter at fault, when Razorpay names one.
	Field string
	// Source is where the failure happened: customer, business, gateway, ...
	Source string
	// Step is the payment step that failed, such as payment_initiation.
	Step string
	// Reason is a machine-readable reason, such as input_validation_failed.
	Reason string
	// Metadata holds extra details, such as payment_id and order_id.
	Metadata map[string]any
	// RequestID is Razorpay's id of the request, from the response headers
	// when present; quote it to Razorpay support.
	RequestID string

	method string
	path   string
	// hint is the SDK's own explanation, added to Error() after Razorpay's
	// description (a refund's idempotency key used for another request).
	hint string
}

// Error describes the failure in one line: method, path, status, code,
// description, field and request id. It never includes headers, bodies or
// secrets.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("razorpay: ")
	if e.method != "" {
		b.WriteString(e.method)
		b.WriteByte(' ')
		b.WriteString(e.path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.HTTPStatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(maskDigits(e.Description))
	}
	if e.hint != "" {
		b.WriteString(" (")
		b.WriteString(e.hint)
		b.WriteByte(')')
	}
	if e.FeatureNotEnabled() {
		b.WriteString(" (this usually means the feature, such as recurring payments or card references, is not enabled on the account, or the order is not a recurring order; ask Razorpay support to enable it)")
	}
	if e.Field != "" {
		b.WriteString(" [field ")
		b.WriteString(maskDigits(e.Field))
		b.WriteByte(']')
	}
	if e.RequestID != "" {
		b.WriteString(" [request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(']')
	}
	return b.String()
}

// Format prints the error with every card-number-like run of digits masked
// (see Error): %v, %+v and %s print Error(), %q quotes it, and %#v prints
// every field, Metadata included, as GoString does.
func (e *Error) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, e.GoString())
	case verb == 'q':
		_, _ = io.WriteString(f, maskDigits(strconv.Quote(e.Error()))) // an escape may join digits
	default:
		_, _ = io.WriteString(f, e.Error())
	}
}

// GoString prints every field of the error, Metadata included, with
// card-number-like runs of digits masked.
func (e *Error) GoString() string {
	if e == nil {
		return "(*razorpay.Error)(nil)"
	}
	type plain Error // without the methods, so that fmt prints the fields
	s := fmt.Sprintf("%#v", plain(*e))
	return "&razorpay.Error" + maskDigits(strings.TrimPrefix(s, "razorpay.plain"))
}

// FeatureNotEnabled reports whether Razorpay answered "The requested URL was
// not found on the server". For a request the SDK built, this usually means
// that the feature (recurring payments, card references) is not enabled on the
// account, or that the order is not a recurring order.
func (e *Error) FeatureNotEnabled() bool {
	return strings.HasPrefix(e.Description, urlNotFound)
}

// Is reports whether target is the sentinel of e's class: ErrBadRequest,
// ErrAuthentication, ErrNotFound and ErrRateLimited by status, ErrServer for
// any 5xx status, ErrGateway by code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.HTTPStatusCode == http.StatusBadRequest
	case ErrAuthentication:
		return e.HTTPStatusCode == http.StatusUnauthorized
	case ErrNotFound:
		return e.HTTPStatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.HTTPStatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.HTTPStatusCode >= 500
	case ErrGateway:
		return e.Code == CodeGateway
	}
	return false
}

// errorBody is the wire shape of an error response.
//
//razorpay:decode
type errorBody struct {
	Error *errorDetail `json:"error"`
}

// errorDetail is the error object of an error response.
//
//razorpay:decode
type errorDetail struct {
	Code        string         `json:"code"`
	Description string         `json:"description"`
	Field       string         `json:"field"`
	Source      string         `json:"source"`
	Step        string         `json:"step"`
	Reason      string         `json:"reason"`
	Metadata    map[string]any `json:"metadata"`
}

// newError builds the *Error of a non-2xx response from its status, headers
// and (capped) body.
func newError(method, path string, status int, header http.Header, body []byte) *Error {
	e := &Error{HTTPStatusCode: status, RequestID: requestID(header), method: method, path: path}
	var eb errorBody
	if decodeJSON(body, &eb) == nil && eb.Error != nil { // leniently: "metadata": [], "field": 1
		e.Code = eb.Error.Code
		e.Description = maskDigits(eb.Error.Description)
		e.Field = maskDigits(eb.Error.Field)
		e.Source = naToEmpty(eb.Error.Source)
		e.Step = naToEmpty(eb.Error.Step)
		e.Reason = maskDigits(naToEmpty(eb.Error.Reason))
		e.Metadata = eb.Error.Metadata
		return e
	}
	// Razorpay itself answers unknown routes in plain text on some paths.
	if t := strings.TrimSpace(string(body)); strings.HasPrefix(t, urlNotFound) {
		e.Code = CodeBadRequest
		e.Description = urlNotFound
		return e
	}
	if json.Valid(body) {
		e.Description = fmt.Sprintf("JSON response body without an error object (%d bytes)", len(body))
		return e
	}
	e.Description = describeBody(header.Get("Content-Type"), body)
	return e
}

func naToEmpty(s string) string {
	if s == "NA" {
		return ""
	}
	return s
}

func requestID(h http.Header) string {
	if id := h.Get("X-Razorpay-Request-Id"); id != "" {
		return id
	}
	return h.Get("X-Request-Id")
}

// describeBody says in one short line what a non-JSON error body was,
// without echoing it (it may come from anywhere between here and Razorpay).
func describeBody(contentType string, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty response body"
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "" {
		mt = "unknown content type"
	}
	desc := fmt.Sprintf("non-JSON response body (%s, %d bytes)", mt, len(body))
	if title := htmlTitle(body); title != "" {
		desc += ": " + title
	} else if mt == "text/plain" {
		desc += ": " + firstLine(body, 80)
	}
	return desc
}

// htmlTitle returns the text of the <title> of an HTML page (a proxy's "502
// Bad Gateway"), cleaned to one printable line, or "".
func htmlTitle(body []byte) string {
	lower := bytes.ToLower(body)
	i := bytes.Index(lower, []byte("<title>"))
	if i < 0 {
		return ""
	}
	rest := body[i+len("<title>"):]
	j := bytes.Index(bytes.ToLower(rest), []byte("</title>"))
	if j < 0 {
		return ""
	}
	return firstLine(rest[:j], 80)
}

// firstLine returns the first line of b, with non-printable bytes dropped,
// digits of long runs masked, and at most max bytes.
func firstLine(b []byte, max int) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	out := make([]byte, 0, min(len(b), max))
	for _, c := range bytes.TrimSpace(b) {
		if len(out) == max {
			break
		}
		if c >= ' ' && c < 0x7f {
			out = append(out, c)
		}
	}
	return maskDigits(string(out))
}

// ValidationError reports params refused before anything was sent. It matches
// ErrInvalidParams.
type ValidationError struct {
	// Field is the wire name of the offending field, such as
	// "token.max_amount", or the name of a path argument, such as "paymentID".
	Field string
	// Message says what is wrong with it.
	Message string
}

// Error returns "razorpay: invalid params: <field>: <message>".
func (e *ValidationError) Error() string {
	return "razorpay: invalid params: " + e.Field + ": " + e.Message
}

// Is reports whether target is ErrInvalidParams.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParams }

// configError is the error of a client built with an invalid option or
// without credentials. It matches ErrInvalidConfig.
type configError struct{ err error }

func (e *configError) Error() string {
	return "razorpay: invalid client configuration: " + strings.ReplaceAll(e.err.Error(), "\n", "; ")
}
func (e *configError) Unwrap() []error { return []error{ErrInvalidConfig, e.err} }

// outcomeUnknownError is returned when a state-creating request may have been
// processed but no usable answer came back. It matches ErrOutcomeUnknown and
// its cause. key is the idempotency key of a refund, which the message names:
// a call with the same key (and params) gets the refund, or makes it once.
type outcomeUnknownError struct {
	method, path string
	cause        error
	key          string
}

func (e *outcomeUnknownError) Error() string {
	what := "the request may have been processed; reconcile before retrying"
	if e.key != "" {
		what = "the refund may have been made: call again with the same params and IdempotencyKey " + strconv.Quote(e.key) + " to get it, never with another key"
	}
	return "razorpay: " + e.method + " " + e.path + ": outcome unknown (" + what + "): " + causeText(e.method, e.path, e.cause)
}

// causeText returns the message of a cause without the "razorpay: METHOD
// PATH: " prefix that a wrapping error already prints.
func causeText(method, path string, err error) string {
	s := strings.TrimPrefix(err.Error(), "razorpay: ")
	return strings.TrimPrefix(s, method+" "+path+": ")
}
func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

// requestError is a failure to get a usable answer to a request: the
// transport failed, the body could not be read, or it could not be decoded.
// It keeps the cause for errors.Is and errors.As.
type requestError struct {
	method, path string
	msg          string
	cause        error
}

func (e *requestError) Error() string {
	s := "razorpay: " + e.method + " " + e.path + ": "
	if e.msg != "" {
		s += e.msg + ": "
	}
	return s + causeText(e.method, e.path, e.cause)
}
func (e *requestError) Unwrap() error { return e.cause }

// goneError is the answer "this id does not exist" to the retry of a DELETE
// whose earlier attempt may have deleted it. It wraps the *Error, so that
// callers of Do see the API's answer; Token.Delete treats it as success.
type goneError struct{ cause error }

func (e *goneError) Error() string {
	return e.cause.Error() + " (an earlier attempt whose answer was lost may have deleted it)"
}
func (e *goneError) Unwrap() error { return e.cause }

// isGone reports whether err is the API's answer to an id that does not
// exist: 404, or 400 "The id provided does not exist".
func isGone(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.HTTPStatusCode == http.StatusNotFound ||
		(e.HTTPStatusCode == http.StatusBadRequest && strings.HasPrefix(e.Description, "The id provided does not exist"))
}
