package razorpaytest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gorzp/razorpay"
)

// Refunds and captures: the entities, the API's handlers, the idempotency
// key of refunds, and the bank's actions on refunds. Their statuses change
// in transitions.go.

// idempotencyHeader is the header of a refund's idempotency key.
const idempotencyHeader = "X-Refund-Idempotency"

// Messages of refunds and captures.
const (
	msgKeyReused      = "Different request with the same idempotency key has already been processed."
	msgKeyInProgress  = "A request with the same idempotency key is being processed. Please try again later."
	msgKeyInvalid     = "The idempotency key must be at least 10 characters long and contain only letters, numbers, hyphens and underscores."
	msgNotCaptured    = "The payment has not been captured, so it cannot be refunded"
	msgFullyRefunded  = "The payment has been fully refunded already"
	msgRefundTooLarge = "The refund amount provided is greater than the amount not yet refunded"
	msgCaptured       = "This payment has already been captured"
	msgNotAuthorized  = "Only payments which have been authorized and not yet captured can be captured"
	msgCaptureAmount  = "Capture amount must be equal to the amount authorized"
)

// WithRefundDelay makes refunds at normal speed stay pending for d on the
// server's clock before they are processed (refund.processed), as a bank
// does over days; refunds at optimum speed are processed at once, instant.
// Without it (or with d <= 0) every refund is processed at once.
// ProcessRefund and FailRefund settle a refund before its time.
func WithRefundDelay(d time.Duration) Option {
	return func(c *config) { c.refundDelay = d }
}

type refundAcquirerData struct {
	ARN ns `json:"arn"`
}

type refund struct {
	ID             string             `json:"id"`
	Entity         string             `json:"entity"`
	Amount         int64              `json:"amount"`
	Currency       string             `json:"currency"`
	PaymentID      string             `json:"payment_id"`
	Notes          notes              `json:"notes"`
	Receipt        ns                 `json:"receipt"`
	AcquirerData   refundAcquirerData `json:"acquirer_data"`
	CreatedAt      int64              `json:"created_at"`
	BatchID        ns                 `json:"batch_id"`
	Status         refundStatus       `json:"status"`
	SpeedProcessed string             `json:"speed_processed"`
	SpeedRequested string             `json:"speed_requested"`

	seq     int64
	payment *payment
	auto    bool // Razorpay's own refund of a late payment (settle)
}

// refundState is what the server knows of refunds. It is guarded by
// Server.mu.
type refundState struct {
	byID    map[string]*refund
	list    []*refund // in creation order
	pending []*refund // waiting for the bank (WithRefundDelay)
	// keys are the idempotency keys of the refunds made with one.
	keys map[string]*usedKey
	// holds are the keys of refund requests being processed, each with the
	// hold of the request that has it (see holdRefundKey).
	holds    map[string]uint64
	lastHold uint64
}

// usedKey is an idempotency key and the request that made a refund with it.
type usedKey struct {
	request string // payment id and canonical body
	refund  *refund
}

func (rs *refundState) init() {
	rs.byID = map[string]*refund{}
	rs.keys = map[string]*usedKey{}
	rs.holds = map[string]uint64{}
}

// validKey reports whether key follows Razorpay's rule for idempotency
// keys: at least 10 letters, digits, '-' and '_'.
func validKey(key string) bool {
	if len(key) < 10 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// holdKey is the context key of a request's hold on an idempotency key.
type holdKey struct{}

// holdRefundKey marks the idempotency key of a refund request as being
// processed from the moment the request arrives until its answer is
// written, or its connection dropped: a request with the same key meanwhile
// is answered 409, as Razorpay answers a request that arrives while an
// earlier one with its key is still being processed. (An injected Fault's
// Delay happens while the key is held.) It returns the request carrying its
// hold, and the function that releases the key; a request that is not a
// refund, or whose key another request holds, holds nothing.
func (s *Server) holdRefundKey(r *http.Request) (*http.Request, func()) {
	nothing := func() {}
	if r.Method != http.MethodPost {
		return r, nothing
	}
	segs, ok := splitPath(r.URL.EscapedPath())
	key := r.Header.Get(idempotencyHeader)
	if !ok || len(segs) != 4 || segs[0] != "v1" || segs[1] != "payments" || segs[3] != "refund" || !validKey(key) {
		return r, nothing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, busy := s.st.refunds.holds[key]; busy {
		return r, nothing
	}
	s.st.refunds.lastHold++
	hold := s.st.refunds.lastHold
	s.st.refunds.holds[key] = hold
	return r.WithContext(context.WithValue(r.Context(), holdKey{}, hold)), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.st.refunds.holds[key] == hold {
			delete(s.st.refunds.holds, key)
		}
	}
}

// holdOf returns the hold a request has on its idempotency key, or 0.
func holdOf(r *http.Request) uint64 {
	h, _ := r.Context().Value(holdKey{}).(uint64)
	return h
}

// createRefund refunds a captured payment (POST /v1/payments/{id}/refund):
// amount (optional: what is left), speed, receipt, notes, and the
// idempotency key in X-Refund-Idempotency. A key seen with the same
// payment and body answers the refund it made; with another, 400; while a
// request with it is being processed, 409.
func (s *Server) createRefund(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("amount", "speed", "receipt", "notes")
	amount, hasAmount := f.integer("amount")
	speed := f.str("speed")
	receipt := f.str("receipt")
	nts := f.notes("notes")
	if f.err != nil {
		return nil, f.err
	}
	paymentID := r.segs[2]
	key := r.header.Get(idempotencyHeader)
	request := ""
	if key != "" {
		if !validKey(key) {
			return nil, badRequest(msgKeyInvalid, "")
		}
		if hold, busy := s.st.refunds.holds[key]; busy && hold != r.hold {
			return nil, &apiError{status: http.StatusConflict, code: "BAD_REQUEST_ERROR", description: msgKeyInProgress}
		}
		request = canonicalRequest(paymentID, r.body)
		if used := s.st.refunds.keys[key]; used != nil {
			if used.request != request {
				return nil, &apiError{status: http.StatusBadRequest, code: "BAD_REQUEST_ERROR", description: msgKeyReused}
			}
			return used.refund, nil
		}
	}
	p := s.st.payments[paymentID]
	if p == nil {
		return nil, notExist("")
	}
	left := p.Amount - p.AmountRefunded
	switch {
	case speed != "" && speed != "normal" && speed != "optimum":
		return nil, badRequest("The selected speed is invalid.", "speed")
	case utf8.RuneCountInString(receipt) > 40:
		return nil, badRequest("The receipt may not be greater than 40 characters.", "receipt")
	case hasAmount && amount < 1:
		return nil, badRequest("The amount must be at least 1.", "amount")
	case p.Status == paymentRefunded || (p.Status == paymentCaptured && left <= 0):
		return nil, badRequest(msgFullyRefunded, "")
	case p.Status != paymentCaptured:
		return nil, badRequest(msgNotCaptured, "")
	case amount > left:
		return nil, badRequest(msgRefundTooLarge, "amount")
	}
	if !hasAmount {
		amount = left
	}
	if speed == "" {
		speed = "normal"
	}
	rf := s.refund(p, refundRequest{amount: amount, speed: speed, receipt: receipt, notes: nts})
	if key != "" {
		s.st.refunds.keys[key] = &usedKey{request: request, refund: rf}
	}
	return rf, nil
}

// canonicalRequest is what a repeat of a refund request must match: the
// payment and the body, with its keys in order and its white space gone.
func canonicalRequest(paymentID string, body []byte) string {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return paymentID + "\x00" + string(body)
	}
	b, _ := json.Marshal(v) // maps encode with sorted keys
	return paymentID + "\x00" + string(b)
}

func (s *Server) fetchRefund(r *apiRequest) (any, *apiError) {
	rf := s.st.refunds.byID[r.segs[2]]
	if rf == nil {
		return nil, notExist("")
	}
	return rf, nil
}

func (s *Server) listRefunds(r *apiRequest) (any, *apiError) {
	return page(s.st.refunds.list, r.query, func(rf *refund) int64 { return rf.CreatedAt }, nil)
}

func (s *Server) paymentRefunds(r *apiRequest) (any, *apiError) {
	p := s.st.payments[r.segs[2]]
	if p == nil {
		return nil, notExist("")
	}
	return page(p.refunds, r.query, func(rf *refund) int64 { return rf.CreatedAt }, nil)
}

// capturePayment captures an authorized payment (POST
// /v1/payments/{id}/capture) with its amount and currency.
func (s *Server) capturePayment(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("amount", "currency")
	amount, hasAmount := f.integer("amount")
	currency := f.str("currency")
	if f.err != nil {
		return nil, f.err
	}
	p := s.st.payments[r.segs[2]]
	switch {
	case p == nil:
		return nil, notExist("")
	case !hasAmount:
		return nil, badRequest("The amount field is required.", "amount")
	case currency == "":
		return nil, badRequest("The currency field is required.", "currency")
	case p.Status == paymentCaptured || p.Status == paymentRefunded:
		return nil, badRequest(msgCaptured, "")
	case p.Status != paymentAuthorized:
		return nil, badRequest(msgNotAuthorized, "")
	case amount != p.Amount:
		return nil, badRequest(msgCaptureAmount, "amount")
	case currency != p.Currency:
		return nil, badRequest("The currency should be the same as the payment currency", "currency")
	}
	s.captureAuthorized(p)
	return renderPayment(p, expandCard(r.query)), nil
}

// Refunds returns the refunds of a payment, oldest first, or every refund
// for paymentID "".
func (s *Server) Refunds(paymentID string) []razorpay.Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	items := s.st.refunds.list
	if paymentID != "" {
		p := s.st.payments[paymentID]
		if p == nil {
			return nil
		}
		items = p.refunds
	}
	return convertAll[razorpay.Refund](items)
}

// ProcessRefund processes a pending refund now, as the bank does after
// WithRefundDelay: it becomes processed, with an ARN, and refund.processed
// is emitted. A refund that is not pending is refused with ErrInvalidState.
func (s *Server) ProcessRefund(refundID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rf := s.st.refunds.byID[refundID]
	if rf == nil {
		return fmt.Errorf("%w: refund %q", ErrUnknownID, refundID)
	}
	return s.processRefund(rf)
}

// FailRefund makes a refund fail, pending or processed, as a bank that
// cannot pay it out (or returns it later) does: the refund becomes failed,
// its amount is taken off the payment's amount_refunded (a payment it had
// refunded in full is captured again, and can be refunded again), and
// refund.failed is emitted. A refund that has already failed, or Razorpay's
// own refund of a late payment (see CapturePayment), is refused with
// ErrInvalidState.
func (s *Server) FailRefund(refundID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	rf := s.st.refunds.byID[refundID]
	if rf == nil {
		return fmt.Errorf("%w: refund %q", ErrUnknownID, refundID)
	}
	return s.failRefund(rf)
}
