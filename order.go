package razorpay

import (
	"context"
	"encoding/json"
	"iter"
	"time"
)

// OrderStatus is the state of an order. Values the SDK does not know pass
// through unchanged.
type OrderStatus string

// Order states: created, then attempted at the first payment attempt, then
// paid once a payment is captured. A paid order accepts no further payment.
const (
	OrderStatusCreated   OrderStatus = "created"
	OrderStatusAttempted OrderStatus = "attempted"
	OrderStatusPaid      OrderStatus = "paid"
)

// Frequency is how often a card mandate may be charged.
type Frequency string

// Mandate frequencies.
const (
	FrequencyWeekly      Frequency = "weekly"
	FrequencyMonthly     Frequency = "monthly"
	FrequencyYearly      Frequency = "yearly"
	FrequencyAsPresented Frequency = "as_presented"
)

// PaymentMethod is how a payment is made: card, upi, netbanking, emandate,
// ... Values the SDK does not know pass through unchanged.
type PaymentMethod string

// PaymentMethodCard is the payment method of card mandates.
const PaymentMethodCard PaymentMethod = "card"

// MethodCard is PaymentMethodCard, under its former name.
//
// Deprecated: use PaymentMethodCard.
const MethodCard = PaymentMethodCard

// Order is a Razorpay order: the authorization order that registers a card
// mandate, or a charge order that one recurring payment pays.
//
//razorpay:decode
type Order struct {
	ID         string      `json:"id"`
	Entity     string      `json:"entity"`
	Amount     int64       `json:"amount"`
	AmountPaid int64       `json:"amount_paid"`
	AmountDue  int64       `json:"amount_due"`
	Currency   string      `json:"currency"`
	Receipt    string      `json:"receipt"`
	OfferID    string      `json:"offer_id"`
	Status     OrderStatus `json:"status"`
	Attempts   int         `json:"attempts"`
	Notes      Notes       `json:"notes"`
	CreatedAt  int64       `json:"created_at"`
	// Method is "card" on card authorization orders.
	Method      PaymentMethod `json:"method"`
	CustomerID  string        `json:"customer_id"`
	Description string        `json:"description"`
	// Token describes the mandate an authorization order registers (nil on
	// charge orders).
	Token *OrderToken `json:"token"`
	// Notification is the pre-debit notification of a charge order created
	// with one.
	Notification *OrderNotification `json:"notification"`
	// Payments are the order's payments when it was fetched or listed with
	// Expand "payments" or "payments.card"; nil otherwise.
	Payments *List[Payment] `json:"payments"`
}

// OrderToken is the token object of an order: the mandate an authorization
// order (or a registration link) asks the card holder to approve.
//
//razorpay:decode
type OrderToken struct {
	Method          PaymentMethod `json:"method"`
	MaxAmount       int64         `json:"max_amount"`
	ExpireAt        int64         `json:"expire_at"`
	Frequency       Frequency     `json:"frequency"`
	Currency        string        `json:"currency"`
	Notes           Notes         `json:"notes"`
	RecurringStatus string        `json:"recurring_status"`
	FailureReason   string        `json:"failure_reason"`
	AuthType        string        `json:"auth_type"`
	// FirstPaymentAmount is the amount charged with the authorization.
	FirstPaymentAmount int64 `json:"first_payment_amount"`
}

// OrderNotification is the pre-debit notification of a charge order.
//
//razorpay:decode
type OrderNotification struct {
	ID           string `json:"id"`
	TokenID      string `json:"token_id"`
	PaymentAfter int64  `json:"payment_after"`
}

// OrderCreateParams are the params of OrderService.Create, for both kinds of
// order in the recurring-card flow:
//
//   - the authorization order: Amount 100 (₹1, or the first charge),
//     CustomerID, Method "card" and Token set;
//   - a charge order, one per recurring payment: Amount, a unique Receipt and
//     PaymentCapture, and optionally a Notification.
type OrderCreateParams struct {
	// Amount is in the smallest currency unit (paise); Razorpay's minimum is 100.
	Amount int64 `json:"amount"`
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string `json:"currency"`
	// Receipt is your reference for the order, at most 40 characters. Make it
	// unique per charge (for example "sub_42-2026-11"): it is how you find the
	// order again.
	Receipt string `json:"receipt,omitempty"`
	// Notes are up to 15 key/value pairs to store with the order.
	Notes Notes `json:"notes,omitempty"`
	// CustomerID is the customer the mandate is for (authorization orders).
	CustomerID string `json:"customer_id,omitempty"`
	// Method is "card" for card authorization orders.
	Method PaymentMethod `json:"method,omitempty"`
	// PaymentCapture captures payments automatically when true.
	PaymentCapture *bool `json:"payment_capture,omitempty"`
	// Token describes the mandate to register (authorization orders).
	Token *OrderTokenParams `json:"token,omitempty"`
	// Notification controls the pre-debit notification of a charge order.
	Notification *OrderNotificationParams `json:"notification,omitempty"`
}

// OrderTokenParams describe the mandate an authorization order registers.
type OrderTokenParams struct {
	// MaxAmount is the most one debit may take, in paise: 100 to 1500000
	// (₹15,000) on an authorization order.
	MaxAmount int64 `json:"max_amount"`
	// ExpireAt is when the mandate ends (Unix seconds); zero lets Razorpay
	// use the card's expiry.
	ExpireAt int64 `json:"expire_at,omitempty"`
	// Frequency is how often the mandate may be charged.
	Frequency Frequency `json:"frequency"`
}

// OrderNotificationParams ask Razorpay to send the pre-debit notification of
// a charge order for the given token.
type OrderNotificationParams struct {
	// TokenID is the token the order will be charged with.
	TokenID string `json:"token_id"`
	// PaymentAfter is the earliest time (Unix seconds) the debit may happen.
	PaymentAfter int64 `json:"payment_after,omitempty"`
}

// Validate checks the params before anything is sent: an amount of at least
// MinAmount (100 paise), a three-letter currency, a receipt of at most 40
// characters of valid UTF-8 without control characters, notes within
// Razorpay's limits, and, when present, a token with max_amount from 100 to
// 1500000 and a known frequency, and a notification with a token id.
func (p *OrderCreateParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.minAmount(p.Amount, "amount")
	v.currency(p.Currency, "currency")
	v.receipt(p.Receipt, "receipt")
	v.notes(p.Notes, "notes")
	if t := p.Token; t != nil {
		v.between(t.MaxAmount, MinAmount, MaxOrderTokenAmount, "token.max_amount")
		v.check(t.ExpireAt >= 0, "token.expire_at", "must not be negative")
		v.frequency(t.Frequency, "token.frequency")
		v.required(p.CustomerID, "customer_id")
	}
	if n := p.Notification; n != nil {
		v.required(n.TokenID, "notification.token_id")
		v.check(n.PaymentAfter >= 0, "notification.payment_after", "must not be negative")
	}
	return v.err
}

// OrderUpdateParams are the params of OrderService.Update: Razorpay lets
// only an order's notes change.
type OrderUpdateParams struct {
	// Notes replace the order's notes: up to 15 key/value pairs. Send every
	// note the order should keep, not only the changed ones.
	Notes Notes `json:"notes"`
}

// Validate checks notes within Razorpay's limits (see MaxNotes and
// MaxNoteLength).
func (p *OrderUpdateParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.notes(p.Notes, "notes")
	return v.err
}

// MarshalJSON sends the notes as an object, {} when there are none.
func (p OrderUpdateParams) MarshalJSON() ([]byte, error) {
	n := p.Notes
	if n == nil {
		n = Notes{}
	}
	return json.Marshal(struct {
		Notes map[string]string `json:"notes"`
	}{n})
}

// Order expansions for OrderListParams.Expand.
const (
	// ExpandPayments embeds each order's payments in Order.Payments.
	ExpandPayments = "payments"
	// ExpandPaymentsCard embeds each order's payments, each with its card.
	ExpandPaymentsCard = "payments.card"
)

// OrderListParams selects a page of orders. Zero fields are not sent.
type OrderListParams struct {
	ListParams
	// Receipt keeps the orders whose receipt is exactly this, at most 40
	// characters. Razorpay does not enforce unique receipts by default, so
	// more than one order may match.
	Receipt string `url:"receipt,omitempty"`
	// Authorized keeps the orders with (true) or without (false) an
	// authorized payment; sent as authorized=1 or authorized=0.
	Authorized *bool `url:"authorized,omitempty"`
	// Expand embeds related entities in each order: ExpandPayments or
	// ExpandPaymentsCard, sent as expand[]=...
	Expand []string `url:"expand[],omitempty"`
}

// Validate checks the page bounds (see ListParams.Validate), a receipt of at
// most 40 characters of valid UTF-8 without control characters, and known
// expansions.
func (p *OrderListParams) Validate() error {
	if p == nil {
		return nil
	}
	if err := p.ListParams.Validate(); err != nil {
		return err
	}
	var v validator
	v.receipt(p.Receipt, "receipt")
	for _, e := range p.Expand {
		v.check(e == ExpandPayments || e == ExpandPaymentsCard, "expand", "must be payments or payments.card")
	}
	return v.err
}

// OrderService creates and reads orders.
type OrderService struct{ c *Client }

// Create creates an order: the authorization order of a card mandate, or the
// charge order of one recurring payment (see OrderCreateParams). It is never
// retried once the request may have reached Razorpay; after an error matching
// ErrOutcomeUnknown, look the order up by its receipt before creating another.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-authorization-transaction/
func (s *OrderService) Create(ctx context.Context, params *OrderCreateParams) (*Order, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[Order](ctx, s.c, operation{method: "POST", path: "/v1/orders", body: params})
}

// Update sets the notes of an order (the only field Razorpay lets change)
// and returns the order. Setting the same notes twice does no harm, so it
// is retried like a read (timeouts, resets, 500, 502, 503, 504).
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/update/
func (s *OrderService) Update(ctx context.Context, orderID string, params *OrderUpdateParams) (*Order, error) {
	id, err := pathID("orderID", orderID)
	if err != nil {
		return nil, err
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[Order](ctx, s.c, operation{method: "PATCH", path: "/v1/orders/" + id, body: params, repeatable: true})
}

// Fetch returns the order with the given id.
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/fetch-with-id/
func (s *OrderService) Fetch(ctx context.Context, orderID string) (*Order, error) {
	id, err := pathID("orderID", orderID)
	if err != nil {
		return nil, err
	}
	return call[Order](ctx, s.c, operation{method: "GET", path: "/v1/orders/" + id, repeatable: true})
}

// Payments returns the payments made on an order. It is how to reconcile a
// charge after an error matching ErrOutcomeUnknown: a charge order holds the
// one payment that was made, or none.
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/fetch-payments/
func (s *OrderService) Payments(ctx context.Context, orderID string) (*List[Payment], error) {
	id, err := pathID("orderID", orderID)
	if err != nil {
		return nil, err
	}
	return listPage[Payment](ctx, s.c, "/v1/orders/"+id+"/payments", nil)
}

// List returns one page of orders, newest first. With Receipt set it finds
// the orders of one bill; with Expand it embeds their payments, saving a
// request per order.
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/fetch-all/
func (s *OrderService) List(ctx context.Context, params *OrderListParams) (*List[Order], error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return s.list(ctx, params, nil)
}

// list fetches one page of orders, without validating params; serverTime,
// when not nil, receives Razorpay's clock from the answer (Payment.Charge
// ages orders on it).
func (s *OrderService) list(ctx context.Context, params *OrderListParams, serverTime *time.Time) (*List[Order], error) {
	return call[List[Order]](ctx, s.c, operation{method: "GET", path: "/v1/orders", params: params, repeatable: true, serverTime: serverTime})
}

// All returns an iterator over every order that params selects, fetching
// pages of params.Count (100 when zero) as the loop advances. An error is
// yielded once and ends the iteration.
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/fetch-all/
func (s *OrderService) All(ctx context.Context, params *OrderListParams) iter.Seq2[Order, error] {
	var filter OrderListParams
	if params != nil {
		filter = *params
	}
	return all(&filter.ListParams, func(p *ListParams) (*List[Order], error) {
		page := filter
		page.ListParams = *p
		return s.List(ctx, &page)
	})
}
