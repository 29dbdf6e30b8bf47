package razorpay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// EventType is the event of a webhook delivery. Unknown events still parse:
// compare against the constants and ignore the rest.
type EventType string

// Webhook events of the recurring-card flow.
const (
	// EventTokenConfirmed is sent when a mandate is registered: its token can
	// be charged.
	EventTokenConfirmed EventType = "token.confirmed"
	// EventTokenRejected is sent when the bank refuses a mandate: authorize
	// again.
	EventTokenRejected EventType = "token.rejected"
	// EventTokenPaused is sent when the customer pauses a mandate (Razorpay
	// documents it for UPI; it is listed for cards too).
	EventTokenPaused EventType = "token.paused"
	// EventTokenCancelled is sent when a mandate is cancelled: authorize again.
	EventTokenCancelled EventType = "token.cancelled"
	// EventPaymentAuthorized is sent when a payment is authorized.
	EventPaymentAuthorized EventType = "payment.authorized"
	// EventPaymentCaptured is sent when a payment is captured. The same
	// charge also raises EventOrderPaid.
	EventPaymentCaptured EventType = "payment.captured"
	// EventPaymentFailed is sent when a payment fails; its Error fields say
	// why. A failed payment can still be captured later (late authorization).
	EventPaymentFailed EventType = "payment.failed"
	// EventOrderPaid is sent when an order is paid. The same charge also
	// raises EventPaymentCaptured.
	EventOrderPaid EventType = "order.paid"
	// EventInvoicePaid is sent when a registration link is paid; the mandate's
	// token event follows.
	EventInvoicePaid EventType = "invoice.paid"
	// EventInvoiceExpired is sent when a registration link expires unpaid.
	EventInvoiceExpired EventType = "invoice.expired"
	// EventOrderNotificationDelivered is sent when a charge order's pre-debit
	// notification reaches the customer.
	EventOrderNotificationDelivered EventType = "order.notification.delivered"
	// EventOrderNotificationFailed is sent when a charge order's pre-debit
	// notification cannot be delivered.
	EventOrderNotificationFailed EventType = "order.notification.failed"
	// EventRefundCreated is sent when a refund is made (Payment.Refund,
	// the Dashboard, or Razorpay's own refund of a late payment); it is
	// usually pending. The payload holds the refund and its payment.
	EventRefundCreated EventType = "refund.created"
	// EventRefundProcessed is sent when the bank has the refund's money:
	// WebhookEvent.Refund is processed, with its ARN.
	EventRefundProcessed EventType = "refund.processed"
	// EventRefundFailed is sent when a refund could not be paid out; its
	// amount is no longer counted in the payment's AmountRefunded. To
	// refund it again, use a new idempotency key: the failed refund's key
	// answers with the failed refund.
	EventRefundFailed EventType = "refund.failed"
)

// MaxWebhookBodyBytes is the largest webhook body WebhookHandler reads.
const MaxWebhookBodyBytes = 1 << 20

// WebhookReadTimeout is how long WebhookHandler waits for a delivery's body:
// it sets the connection's read deadline to this long after the handler
// starts, so that a client that trickles its body cannot hold the handler.
const WebhookReadTimeout = 10 * time.Second

// WebhookEvent is one verified webhook delivery.
type WebhookEvent struct {
	// ID is the delivery's X-Razorpay-Event-Id header, set by WebhookHandler
	// (ParseWebhook leaves it empty: set it from the header yourself). The
	// header is not signed: anyone who captured one delivery can replay it
	// with other ids. Deduplicate on IdempotencyKey, not on ID.
	ID string
	// Entity is "event".
	Entity string
	// AccountID is the merchant account the event belongs to.
	AccountID string
	// Event is what happened.
	Event EventType
	// Contains names the entities in the payload, such as ["payment", "order"].
	Contains []string
	// CreatedAt is when the event happened (Unix seconds).
	CreatedAt int64
	// The entities of the payload, nil when absent.
	Payment *Payment
	Order   *Order
	Invoice *Invoice
	// Token is the token of the token.* events, with its mandate state in
	// MandateStatus. Razorpay's token events name neither the customer nor
	// the authorization order (Token.CustomerID is empty): link the token to
	// its mandate by Token.ID, through the authorization payment, whose
	// TokenID, OrderID and CustomerID you record when you learn of it (the
	// payment.authorized event, or TokenService.FetchByPayment with the
	// payment id of the Checkout callback). TokenService.Fetch with that
	// customer reads the token's current state.
	Token        *Token
	Notification *PreDebitNotification
	// Refund is the refund of the refund.* events, which also carry its
	// Payment (with AmountRefunded and RefundStatus after the refund).
	Refund *Refund
	// Payload holds the raw JSON of every payload entity by name, for
	// entities this SDK does not model.
	Payload map[string]json.RawMessage

	// bodySum is the hex SHA-256 of the signed body, set by ParseWebhook.
	bodySum string
}

// IdempotencyKey identifies the event from its signed content only, so that
// it is the same for every delivery and every replay of one event, whatever
// the unsigned X-Razorpay-Event-Id header says: deduplicate on it. It is the
// event type and the id of the entity the event is about, the payload entity
// named by the event's first word: "payment.captured:pay_X",
// "order.paid:order_X", "token.confirmed:token_X", "invoice.paid:inv_X",
// "refund.processed:rfnd_X".
// When the payload has no such entity with an id, it is the event type and
// the SHA-256 of the signed body: "account.updated:sha256:<hex>" (the same
// for byte-identical redeliveries).
//
// One entity meets each event type once in Razorpay's flows (a payment is
// captured once); an event that can recur for one entity, such as a mandate
// paused a second time after a resume, has the same key as the first: compare
// CreatedAt when that matters to you.
func (e *WebhookEvent) IdempotencyKey() string {
	if e == nil {
		return ""
	}
	if id := e.subjectID(); id != "" {
		return string(e.Event) + ":" + id
	}
	if e.bodySum != "" {
		return string(e.Event) + ":sha256:" + e.bodySum
	}
	return string(e.Event) + ":"
}

// subjectID returns the id of the payload entity the event is about: the one
// named by the event's first word (payment.captured → payment).
func (e *WebhookEvent) subjectID() string {
	kind, _, _ := strings.Cut(string(e.Event), ".")
	if et, ok := entityNamed(kind); ok && et.get != nil {
		if v := et.get(e); v != nil {
			_, id := v.entityID()
			return id
		}
	}
	var ref struct {
		ID string `json:"id"`
	}
	if raw, ok := e.Payload[kind]; ok && json.Unmarshal(raw, &ref) == nil {
		return ref.ID
	}
	return ""
}

// PreDebitNotification is the notification entity of the
// order.notification.* events.
//
//razorpay:decode
type PreDebitNotification struct {
	ID           string `json:"id"`
	Entity       string `json:"entity"`
	OrderID      string `json:"order_id"`
	TokenID      string `json:"token_id"`
	Status       string `json:"status"`
	DeliveredAt  int64  `json:"delivered_at"`
	PaymentAfter int64  `json:"payment_after"`
}

// ErrWebhookPayload matches the error of ParseWebhook for a correctly signed
// body that is not a Razorpay webhook event.
var ErrWebhookPayload = errors.New("razorpay: invalid webhook payload")

// ParseWebhook verifies the signature of a webhook body (the
// X-Razorpay-Signature header) with the webhook secret, then decodes it into
// a *WebhookEvent with typed entities. Nothing is decoded before the raw bytes
// are verified. A bad signature matches ErrSignatureMismatch; a signed body
// that is not an event matches ErrWebhookPayload.
func ParseWebhook(body []byte, signature, webhookSecret string) (*WebhookEvent, error) {
	if err := VerifyWebhookSignature(body, signature, webhookSecret); err != nil {
		return nil, err
	}
	if !isObject(body) {
		return nil, fmt.Errorf("%w: %w", ErrWebhookPayload, errNotObject)
	}
	// One copy of the body, which Payload's raw entities share.
	env := webhookEnvelope{ev: new(WebhookEvent)}
	if err := lexUnmarshal(bytes.Clone(body), &env, (*webhookEnvelope).decodeField); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWebhookPayload, err)
	}
	ev := env.ev
	if ev.Event == "" {
		return nil, fmt.Errorf("%w: no event name", ErrWebhookPayload)
	}
	sum := sha256.Sum256(body)
	ev.bodySum = hex.EncodeToString(sum[:])
	if ev.Token != nil && ev.Token.RecurringDetails.Status == "" {
		// Razorpay's card token.confirmed carries no recurring_details: the
		// event itself says what happened to the mandate.
		ev.Token.RecurringDetails.Status = mandateStatusOf(ev.Event)
	}
	return ev, nil
}

// webhookEnvelope decodes the event envelope of a webhook body in one pass,
// the payload's entities included, with the SDK's lenient rules.
type webhookEnvelope struct {
	ev *WebhookEvent
}

func (e *webhookEnvelope) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "entity":
		l.String(&e.ev.Entity)
	case "account_id":
		l.String(&e.ev.AccountID)
	case "event":
		l.String((*string)(&e.ev.Event))
	case "contains":
		l.Strings(&e.ev.Contains)
	case "created_at":
		l.Int64(&e.ev.CreatedAt)
	case "payload":
		e.payload(l)
	default:
		return false
	}
	return true
}

// payload reads the payload object: one {"entity": {...}} per name. The
// registered entities (entity.go) that webhook events carry fill their
// fields of the event; every entry is kept raw in Payload.
func (e *webhookEnvelope) payload(l *lexer) {
	ev := e.ev
	ev.Payload = nil
	for i := range entityTypes {
		if et := &entityTypes[i]; et.set != nil {
			et.set(ev, nil)
		}
	}
	lexObject(l, ev, payloadMember)
}

// payloadMember reads one member of the payload object: the entry of the
// payload entity named key.
func payloadMember(ev *WebhookEvent, l *lexer, key []byte) bool {
	if ev.Payload == nil {
		ev.Payload = make(map[string]json.RawMessage, 3)
	}
	w := payloadEntry{ev: ev, name: string(key)}
	if et, ok := entityNamed(w.name); ok && et.set != nil {
		w.typ = et
	}
	w.clear()
	lexObject(l, &w, (*payloadEntry).decodeField)
	return true
}

// payloadEntry is one {"entity": {...}} of the payload.
type payloadEntry struct {
	ev   *WebhookEvent
	name string
	// typ is the registered entity of the entry's name, nil when the SDK
	// does not model it.
	typ *entityType
}

// clear forgets what an earlier entry of the same name decoded.
func (w *payloadEntry) clear() {
	delete(w.ev.Payload, w.name)
	if w.typ != nil {
		w.typ.set(w.ev, nil)
	}
}

func (w *payloadEntry) decodeField(l *lexer, key []byte) bool {
	if string(key) != "entity" {
		return false
	}
	w.clear()
	start := l.Offset()
	switch {
	case l.Peek() == 'n':
		l.Null()
		return true
	case w.typ == nil:
		l.Skip()
	case l.Peek() == '{':
		v := w.typ.new()
		w.typ.set(w.ev, v)
		v.decodeValue(l)
	default:
		if l.Skip(); l.Err() == nil {
			l.SetErr(errNotObject)
		}
	}
	if err := l.Err(); err != nil {
		l.SetErr(&payloadError{name: w.name, err: err})
		return true
	}
	w.ev.Payload[w.name] = json.RawMessage(l.Since(start))
	return true
}

// payloadError is an error in the payload entity name.
type payloadError struct {
	name string
	err  error
}

func (e *payloadError) Error() string { return "payload." + e.name + ": " + e.err.Error() }
func (e *payloadError) Unwrap() error { return e.err }

func mandateStatusOf(e EventType) TokenRecurringStatus {
	switch e {
	case EventTokenConfirmed:
		return TokenRecurringConfirmed
	case EventTokenRejected:
		return TokenRecurringRejected
	case EventTokenPaused:
		return TokenRecurringPaused
	case EventTokenCancelled:
		return TokenRecurringCancelled
	}
	return ""
}

// WebhookHandler returns an http.Handler for Razorpay's webhook deliveries.
// For each POST it reads the body (at most MaxWebhookBodyBytes, within
// WebhookReadTimeout), verifies X-Razorpay-Signature on the raw bytes with
// webhookSecret, parses the event, sets its ID from X-Razorpay-Event-Id, and
// calls fn with the request's context. It answers:
//
//   - 200 when fn returns nil;
//   - 500 when fn returns an error, so that Razorpay delivers the event again;
//   - 500 for every delivery when webhookSecret is empty: that is a
//     misconfiguration of your server, not a bad payload (a 400 would tell
//     Razorpay the payload is at fault). It is logged once, through the
//     http.Server's ErrorLog (the log package's standard logger when unset);
//   - 400 for a bad signature or body, 408 for a body that did not arrive
//     within WebhookReadTimeout, 413 for a body over the cap, and 405 for a
//     method other than POST, without calling fn.
//
// The read deadline is set on the connection with http.NewResponseController
// (a ResponseWriter that cannot set one keeps the server's). Also set the
// http.Server's ReadHeaderTimeout (such as 5 s) and IdleTimeout, and a
// WriteTimeout above the time fn may take.
//
// Deliveries are at least once: Razorpay redelivers an event until it gets a
// 2xx within 5 seconds (for up to 24 hours), and in no guaranteed order. One
// charge raises both payment.captured and order.paid. So fn must be
// idempotent: deduplicate on WebhookEvent.IdempotencyKey (derived from the
// signed body; the X-Razorpay-Event-Id header in ID is not signed and a
// replayed delivery may carry any id), and on the payment id across events,
// before acting. Do slow work after answering, not in fn.
//
// When a delivery has no X-Razorpay-Event-Id, ID is "body:" followed by the
// hex SHA-256 of the body.
func WebhookHandler(webhookSecret string, fn func(context.Context, *WebhookEvent) error) http.Handler {
	return webhookHandler(webhookSecret, fn, WebhookReadTimeout)
}

// webhookHandler is WebhookHandler with the read timeout as a parameter.
func webhookHandler(webhookSecret string, fn func(context.Context, *WebhookEvent) error, readTimeout time.Duration) http.Handler {
	var noSecret sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if fn == nil {
			http.Error(w, "webhook handler has no function", http.StatusInternalServerError)
			return
		}
		if webhookSecret == "" {
			noSecret.Do(func() {
				serverLogf(r, "razorpay: WebhookHandler has an empty webhook secret: every delivery is answered 500 until it is configured")
			})
			http.Error(w, "webhook secret not configured", http.StatusInternalServerError)
			return
		}
		// A body that trickles in must not hold the handler: bound the read.
		// (ErrNotSupported leaves the server's own deadline in place.)
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(readTimeout))
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			var ne net.Error
			switch {
			case errors.As(err, &tooLarge):
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			case errors.As(err, &ne) && ne.Timeout():
				http.Error(w, "body not received in time", http.StatusRequestTimeout)
			default:
				http.Error(w, "cannot read body", http.StatusBadRequest)
			}
			return
		}
		ev, err := ParseWebhook(body, r.Header.Get("X-Razorpay-Signature"), webhookSecret)
		if err != nil {
			msg := "invalid payload"
			if errors.Is(err, ErrSignatureMismatch) {
				msg = "invalid signature"
			}
			http.Error(w, msg, http.StatusBadRequest)
			return
		}
		ev.ID = r.Header.Get("X-Razorpay-Event-Id")
		if ev.ID == "" {
			ev.ID = "body:" + ev.bodySum
		}
		if err := fn(r.Context(), ev); err != nil {
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// serverLogf logs through the ErrorLog of the http.Server serving r, like
// net/http does, or the log package's standard logger.
func serverLogf(r *http.Request, format string, args ...any) {
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ErrorLog != nil {
		srv.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
