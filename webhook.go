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
	"net/http"
	"reflect"
)

// EventType is the event of a webhook delivery. Unknown events still parse:
// compare against the constants and ignore the rest.
type EventType string

// Webhook events of the recurring-card flow.
const (
	// EventTokenConfirmed: the mandate is registered; the token can be charged.
	EventTokenConfirmed EventType = "token.confirmed"
	// EventTokenRejected: the bank refused the mandate; authorize again.
	EventTokenRejected EventType = "token.rejected"
	// EventTokenPaused: the customer paused the mandate (Razorpay documents it
	// for UPI; it is listed for cards too).
	EventTokenPaused EventType = "token.paused"
	// EventTokenCancelled: the mandate was cancelled; authorize again.
	EventTokenCancelled EventType = "token.cancelled"
	// EventPaymentAuthorized: a payment was authorized.
	EventPaymentAuthorized EventType = "payment.authorized"
	// EventPaymentCaptured: a payment was captured. The same charge also
	// raises EventOrderPaid.
	EventPaymentCaptured EventType = "payment.captured"
	// EventPaymentFailed: a payment failed; its Error fields say why.
	EventPaymentFailed EventType = "payment.failed"
	// EventOrderPaid: an order was paid. The same charge also raises
	// EventPaymentCaptured.
	EventOrderPaid EventType = "order.paid"
	// EventInvoicePaid: a registration link was paid; the mandate follows.
	EventInvoicePaid EventType = "invoice.paid"
	// EventInvoiceExpired: a registration link expired unpaid.
	EventInvoiceExpired EventType = "invoice.expired"
	// EventOrderNotificationDelivered: a charge order's pre-debit
	// notification reached the customer.
	EventOrderNotificationDelivered EventType = "order.notification.delivered"
	// EventOrderNotificationFailed: a charge order's pre-debit notification
	// could not be delivered.
	EventOrderNotificationFailed EventType = "order.notification.failed"
)

// MaxWebhookBodyBytes is the largest webhook body WebhookHandler reads.
const MaxWebhookBodyBytes = 1 << 20

// bodyID is the ID of a delivery without X-Razorpay-Event-Id.
func bodyID(body []byte) string {
	sum := sha256.Sum256(body)
	return "body:" + hex.EncodeToString(sum[:])
}

// WebhookEvent is one verified webhook delivery.
type WebhookEvent struct {
	// ID is the delivery's X-Razorpay-Event-Id header, set by WebhookHandler
	// (ParseWebhook leaves it empty: set it from the header yourself). It is
	// the same on every redelivery of an event: deduplicate on it.
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
	// Payload holds the raw JSON of every payload entity by name, for
	// entities this SDK does not model.
	Payload map[string]json.RawMessage
}

// PreDebitNotification is the notification entity of the
// order.notification.* events.
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
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: %w", ErrWebhookPayload, errNotObject)
	}
	// One copy of the body, which Payload's raw entities share.
	env := webhookEnvelope{ev: new(WebhookEvent), body: bytes.Clone(body)}
	if err := unmarshalEntity(env.body, &env); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWebhookPayload, err)
	}
	ev := env.ev
	if ev.Event == "" {
		return nil, fmt.Errorf("%w: no event name", ErrWebhookPayload)
	}
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
	ev   *WebhookEvent
	body []byte
}

func (e *webhookEnvelope) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "entity":
		l.str(&e.ev.Entity)
	case "account_id":
		l.str(&e.ev.AccountID)
	case "event":
		l.str((*string)(&e.ev.Event))
	case "contains":
		l.strList(&e.ev.Contains)
	case "created_at":
		l.int64v(&e.ev.CreatedAt)
	case "payload":
		e.payload(l)
	default:
		return false
	}
	return true
}

// payload reads the payload object: one {"entity": {...}} per name.
func (e *webhookEnvelope) payload(l *lexer) {
	ev := e.ev
	ev.Payload, ev.Payment, ev.Order, ev.Invoice, ev.Token, ev.Notification = nil, nil, nil, nil, nil, nil
	switch l.peek() {
	case '{':
	case '[':
		l.emptyArray(reflect.TypeFor[map[string]json.RawMessage]())
		return
	case 'n':
		l.null()
		return
	default:
		l.typeError(reflect.TypeFor[map[string]json.RawMessage]())
		return
	}
	if !l.enter() {
		return
	}
	l.pos++
	l.ws()
	if l.peek() == '}' {
		l.pos++
		l.depth--
		return
	}
	ev.Payload = make(map[string]json.RawMessage, 3)
	for l.err == nil {
		if l.peek() != '"' {
			l.failChar("looking for beginning of object key string")
			return
		}
		key, ok := l.stringBytes()
		if !ok {
			return
		}
		w := payloadEntry{env: e, name: string(key)}
		l.ws()
		if l.peek() != ':' {
			l.failChar("after object key")
			return
		}
		l.pos++
		l.ws()
		w.clear()
		switch l.peek() {
		case '{':
			l.object(&w)
		case '[':
			l.emptyArray(reflect.TypeFor[struct{ Entity json.RawMessage }]())
		case 'n':
			l.null()
		default:
			l.typeError(reflect.TypeFor[struct{ Entity json.RawMessage }]())
		}
		l.ws()
		switch l.peek() {
		case ',':
			l.pos++
			l.ws()
		case '}':
			l.pos++
			l.depth--
			return
		default:
			l.failChar("after object key:value pair")
		}
	}
}

// payloadEntry is one {"entity": {...}} of the payload.
type payloadEntry struct {
	env  *webhookEnvelope
	name string
}

// clear forgets what an earlier entry of the same name decoded.
func (w *payloadEntry) clear() {
	ev := w.env.ev
	delete(ev.Payload, w.name)
	switch w.name {
	case "payment":
		ev.Payment = nil
	case "order":
		ev.Order = nil
	case "invoice":
		ev.Invoice = nil
	case "token":
		ev.Token = nil
	case "notification":
		ev.Notification = nil
	}
}

func (w *payloadEntry) decodeField(l *lexer, key []byte) bool {
	if string(key) != "entity" {
		return false
	}
	w.clear()
	ev := w.env.ev
	start := l.pos
	if l.peek() == 'n' {
		l.null()
		return true
	}
	var f fielder
	if l.peek() == '{' {
		switch w.name {
		case "payment":
			ev.Payment = new(Payment)
			f = ev.Payment
		case "order":
			ev.Order = new(Order)
			f = ev.Order
		case "invoice":
			ev.Invoice = new(Invoice)
			f = ev.Invoice
		case "token":
			ev.Token = new(Token)
			f = ev.Token
		case "notification":
			ev.Notification = new(PreDebitNotification)
			f = ev.Notification
		}
	}
	switch {
	case f != nil:
		l.object(f)
	case w.name == "payment" || w.name == "order" || w.name == "invoice" || w.name == "token" || w.name == "notification":
		l.skip()
		if l.err == nil {
			l.err = errNotObject
			l.pos = len(l.data)
		}
	default:
		l.skip()
	}
	if l.err != nil {
		if _, wrapped := l.err.(*payloadError); !wrapped {
			l.err = &payloadError{name: w.name, err: l.err}
		}
		return true
	}
	ev.Payload[w.name] = json.RawMessage(w.env.body[start:l.pos:l.pos])
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
// For each POST it reads the body (at most MaxWebhookBodyBytes), verifies
// X-Razorpay-Signature on the raw bytes with webhookSecret, parses the event,
// sets its ID from X-Razorpay-Event-Id, and calls fn with the request's
// context. It answers:
//
//   - 200 when fn returns nil;
//   - 500 when fn returns an error, so that Razorpay delivers the event again;
//   - 400 for a bad signature or body, 413 for a body over the cap, and 405
//     for a method other than POST, without calling fn.
//
// When a delivery has no X-Razorpay-Event-Id, ID is "body:" followed by the
// hex SHA-256 of the body, so that deduplicating on ID still works for
// byte-identical redeliveries.
//
// Deliveries are at least once: Razorpay redelivers an event until it gets a
// 2xx within 5 seconds (for up to 24 hours), and in no guaranteed order. One
// charge raises both payment.captured and order.paid. So fn must be
// idempotent: deduplicate on WebhookEvent.ID (the same on every redelivery of
// an event), and on the payment id across events, before acting. Do slow work
// after answering, not in fn.
func WebhookHandler(webhookSecret string, fn func(context.Context, *WebhookEvent) error) http.Handler {
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
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
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
			ev.ID = bodyID(body)
		}
		if err := fn(r.Context(), ev); err != nil {
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
