package razorpay

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
)

// RefundSpeed is how fast a refund reaches the card holder: the speed asked
// for (Refund.SpeedRequested, RefundCreateParams.Speed) or the speed Razorpay
// used (Refund.SpeedProcessed). Values the SDK does not know pass through
// unchanged.
type RefundSpeed string

// Refund speeds.
const (
	// RefundSpeedNormal is Razorpay's default: the bank's usual 5 to 7
	// working days.
	RefundSpeedNormal RefundSpeed = "normal"
	// RefundSpeedOptimum asks for an instant refund where the card holder's
	// bank supports one (for a fee), and a normal one otherwise.
	RefundSpeedOptimum RefundSpeed = "optimum"
	// RefundSpeedInstant is the SpeedProcessed of a refund asked for at
	// RefundSpeedOptimum that went out instantly. It cannot be asked for.
	RefundSpeedInstant RefundSpeed = "instant"
)

// RefundStatus is the state of a refund. Values the SDK does not know pass
// through unchanged.
type RefundStatus string

// Refund states: pending until the bank has the money, then processed; a
// refund the bank could not pay out is failed, and its amount can be
// refunded again.
const (
	RefundStatusPending   RefundStatus = "pending"
	RefundStatusProcessed RefundStatus = "processed"
	RefundStatusFailed    RefundStatus = "failed"
)

// Refund is a Razorpay refund: money given back from a captured payment,
// all of it or a part. A payment refunded in full has status refunded;
// Payment.AmountRefunded and Payment.RefundStatus ("partial", "full") sum up
// its refunds.
//
//razorpay:decode
type Refund struct {
	ID     string `json:"id"`
	Entity string `json:"entity"`
	// Amount is in paise.
	Amount    int64  `json:"amount"`
	Currency  string `json:"currency"`
	PaymentID string `json:"payment_id"`
	Notes     Notes  `json:"notes"`
	// Receipt is the RefundCreateParams.Receipt the refund was made with,
	// or "".
	Receipt string `json:"receipt"`
	// AcquirerData.ARN is the bank's reference of a processed refund (the
	// ARN the card holder can trace it with), or "".
	AcquirerData AcquirerData `json:"acquirer_data"`
	CreatedAt    int64        `json:"created_at"`
	// BatchID is set on refunds made in a batch from the Dashboard, or "".
	BatchID        string       `json:"batch_id"`
	Status         RefundStatus `json:"status"`
	SpeedProcessed RefundSpeed  `json:"speed_processed"`
	SpeedRequested RefundSpeed  `json:"speed_requested"`
}

// Idempotency keys of refunds (RefundCreateParams.IdempotencyKey): Razorpay
// wants at least MinIdempotencyKeyLength characters; the SDK also refuses
// more than MaxIdempotencyKeyLength.
const (
	MinIdempotencyKeyLength = 10
	MaxIdempotencyKeyLength = 64
)

// RefundCreateParams are the params of PaymentService.Refund. Amount,
// Speed, Receipt and Notes are the body of the request; IdempotencyKey is
// sent as its X-Refund-Idempotency header.
type RefundCreateParams struct {
	// Amount is in paise; 0 refunds what is captured and not yet refunded.
	Amount int64 `json:"amount,omitempty"`
	// Speed is RefundSpeedNormal or RefundSpeedOptimum; "" sends nothing
	// (Razorpay's default, normal).
	Speed RefundSpeed `json:"speed,omitempty"`
	// Receipt is your reference for the refund, at most 40 characters.
	Receipt string `json:"receipt,omitempty"`
	// Notes are up to 15 key/value pairs to store with the refund.
	Notes Notes `json:"notes,omitempty"`
	// IdempotencyKey identifies this refund to Razorpay: a request with a
	// key Razorpay has seen with the same body (payment, amount, speed,
	// receipt, notes) is answered with the refund the first one made,
	// instead of making another. It is 10 to 64 letters, digits, '-' and
	// '_'. Give one that is stable for the refund you mean, such as
	// "refund-" + the bill's receipt + "-1" for the bill's first refund, and
	// the refund is safe to run again after a crash, from any process. ""
	// makes the SDK draw a key for the call, which makes its own retries
	// safe but not a new call (see PaymentService.Refund).
	IdempotencyKey string `json:"-"`
}

// Validate checks the params before anything is sent: an amount not
// negative, a speed of normal or optimum (or none), a receipt of at most
// 40 characters as for orders (see OrderCreateParams.Validate), notes
// within Razorpay's limits, and an idempotency key of 10 to 64 letters,
// digits, '-' and '_', or none.
func (p *RefundCreateParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil (an empty RefundCreateParams refunds what is left of the payment)"}
	}
	var v validator
	v.check(p.Amount >= 0, "amount", fmt.Sprintf("must not be negative (0 refunds what is left), got %d", p.Amount))
	switch p.Speed {
	case "", RefundSpeedNormal, RefundSpeedOptimum:
	default:
		v.fail("speed", fmt.Sprintf("must be normal or optimum, got %.20q", maskDigits(string(p.Speed))))
	}
	v.receipt(p.Receipt, "receipt")
	v.notes(p.Notes, "notes")
	if p.IdempotencyKey != "" {
		v.idempotencyKey(p.IdempotencyKey, "idempotency_key")
	}
	return v.err
}

// idempotencyKey checks a refund's idempotency key: 10 to 64 characters of
// [A-Za-z0-9_-] (Razorpay's rule, and the SDK's upper bound).
func (v *validator) idempotencyKey(key, field string) {
	if v.err != nil {
		return
	}
	switch n := len(key); {
	case n < MinIdempotencyKeyLength:
		v.fail(field, fmt.Sprintf("must be at least %d characters (letters, digits, '-' and '_'), got %d", MinIdempotencyKeyLength, n))
	case n > MaxIdempotencyKeyLength:
		v.fail(field, fmt.Sprintf("must be at most %d characters (letters, digits, '-' and '_'), got %d", MaxIdempotencyKeyLength, n))
	case !validID(key):
		v.fail(field, "must be letters, digits, '-' and '_' only, got "+maskDigits(fmt.Sprintf("%.40q", maskDigits(key))))
	}
}

// newIdempotencyKey draws the key of a refund made without one: "gorzp-"
// and 128 random bits in hex (math/rand/v2's generator, seeded by the
// runtime: a key only has to differ from every other, not be secret).
func newIdempotencyKey() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return "gorzp-" + hex.EncodeToString(b[:])
}

// Refund gives back money from a captured payment: params.Amount paise, or
// what is captured and not yet refunded when Amount is 0. Razorpay refuses
// (400) a refund of a payment that is not captured, or of more than is
// left.
//
// A refund is exactly once per idempotency key. The request carries
// params.IdempotencyKey in its X-Refund-Idempotency header, or a key the
// SDK draws for this call when it is "". With it, the SDK retries the
// request like a read (timeouts, dropped connections, 429, 500, 502, 503,
// 504) and, after a pause, Razorpay's 409 (a request with the key is still
// being processed): a retry that Razorpay already carried out is answered
// with the first refund, never a second one. A retry with the same key
// but another body (payment, amount, speed, receipt or notes) is refused:
// an *Error matching ErrBadRequest that says the key was used for another
// request.
//
// When the retries run out, or ctx ends, after a request may have been
// carried out, the error matches ErrOutcomeUnknown and names the key. What
// a crash (or such an error) between the request and its answer leaves is
// at most one refund per key, and what to do next depends on the key:
//
//   - With your own stable key, call Refund again with the same payment,
//     params and key, from this process or another: Razorpay answers with
//     the refund the lost request made, or makes it if that request never
//     arrived. Derive the key from what the refund is for, such as
//     "refund-" + the bill's receipt + "-1" (then "-2" for a second refund
//     of the same bill), never from the time or a random number.
//   - With the SDK's key, a new call draws a new key and may refund again:
//     look at Payment.Refunds first (or call again with the key the error
//     names, and the same params).
//
// This rests on Razorpay keeping a key for as long as you may run the
// refund again (its docs do not say how long), and on the fake, which
// keeps keys for its lifetime, for the tests.
//
// Razorpay API docs: https://razorpay.com/docs/api/refunds/normal-refunds-idempotent/
func (s *PaymentService) Refund(ctx context.Context, paymentID string, params *RefundCreateParams) (*Refund, error) {
	id, err := pathID("paymentID", paymentID)
	if err != nil {
		return nil, err
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	key := params.IdempotencyKey
	if key == "" {
		key = newIdempotencyKey()
	}
	r, err := call[Refund](ctx, s.c, operation{method: "POST", path: "/v1/payments/" + id + "/refund", body: params, idempotencyKey: key})
	var apiErr *Error
	if err != nil && errors.As(err, &apiErr) && apiErr.HTTPStatusCode == 400 && strings.Contains(strings.ToLower(apiErr.Description), "idempotency key") {
		apiErr.hint = fmt.Sprintf("IdempotencyKey %q was first used for another refund request: the payment, amount, speed, receipt and notes must be the same to get that refund", key)
	}
	return r, err
}

// Refunds returns one page of a payment's refunds, newest first.
//
// Razorpay API docs: https://razorpay.com/docs/api/refunds/fetch-multiple-refund-payment/
func (s *PaymentService) Refunds(ctx context.Context, paymentID string, params *ListParams) (*List[Refund], error) {
	id, err := pathID("paymentID", paymentID)
	if err != nil {
		return nil, err
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return listPage[Refund](ctx, s.c, "/v1/payments/"+id+"/refunds", params)
}

// RefundListParams select a page of refunds (count, skip, from, to).
type RefundListParams struct {
	ListParams
}

// Validate checks the page bounds (see ListParams.Validate).
func (p *RefundListParams) Validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.Validate()
}

// RefundService reads refunds. Refunds are made with PaymentService.Refund.
type RefundService struct{ c *Client }

// Fetch returns the refund with the given id ("rfnd_...").
//
// Razorpay API docs: https://razorpay.com/docs/api/refunds/fetch-with-id/
func (s *RefundService) Fetch(ctx context.Context, refundID string) (*Refund, error) {
	id, err := pathID("refundID", refundID)
	if err != nil {
		return nil, err
	}
	return call[Refund](ctx, s.c, operation{method: "GET", path: "/v1/refunds/" + id, repeatable: true})
}

// List returns one page of the account's refunds, newest first.
//
// Razorpay API docs: https://razorpay.com/docs/api/refunds/fetch-all/
func (s *RefundService) List(ctx context.Context, params *RefundListParams) (*List[Refund], error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return listPage[Refund](ctx, s.c, "/v1/refunds", params)
}

// All returns an iterator over every refund that params selects, fetching
// pages of params.Count (100 when zero) as the loop advances. An error is
// yielded once and ends the iteration.
//
// Razorpay API docs: https://razorpay.com/docs/api/refunds/fetch-all/
func (s *RefundService) All(ctx context.Context, params *RefundListParams) iter.Seq2[Refund, error] {
	var filter RefundListParams
	if params != nil {
		filter = *params
	}
	return all(&filter.ListParams, func(p *ListParams) (*List[Refund], error) {
		return s.List(ctx, &RefundListParams{ListParams: *p})
	})
}
