package razorpay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"log/slog"
)

// PaymentStatus is the state of a payment. Values the SDK does not know pass
// through unchanged.
type PaymentStatus string

// Payment states. A recurring payment may stay created for up to a working
// day before Razorpay reports its outcome.
const (
	PaymentStatusCreated    PaymentStatus = "created"
	PaymentStatusAuthorized PaymentStatus = "authorized"
	PaymentStatusCaptured   PaymentStatus = "captured"
	PaymentStatusRefunded   PaymentStatus = "refunded"
	PaymentStatusFailed     PaymentStatus = "failed"
)

// Payment is a Razorpay payment: the card holder's authorization payment, or
// one recurring charge. A failed payment is not an API error: its Status is
// failed and the Error fields say why.
//
//razorpay:decode
type Payment struct {
	ID             string        `json:"id"`
	Entity         string        `json:"entity"`
	Amount         int64         `json:"amount"`
	Currency       string        `json:"currency"`
	Status         PaymentStatus `json:"status"`
	OrderID        string        `json:"order_id"`
	InvoiceID      string        `json:"invoice_id"`
	International  bool          `json:"international"`
	Method         PaymentMethod `json:"method"`
	AmountRefunded int64         `json:"amount_refunded"`
	RefundStatus   string        `json:"refund_status"`
	Captured       bool          `json:"captured"`
	Description    string        `json:"description"`
	CardID         string        `json:"card_id"`
	// Card is the card paid with, when Razorpay embeds it (webhooks).
	Card   *Card  `json:"card"`
	Bank   string `json:"bank"`
	Wallet string `json:"wallet"`
	VPA    string `json:"vpa"`
	Email  string `json:"email"`
	// Contact is the card holder's phone number, such as +919876543210.
	Contact    string `json:"contact"`
	CustomerID string `json:"customer_id"`
	// TokenID is the mandate token, set on authorization and recurring
	// payments: the id to charge with.
	TokenID          string       `json:"token_id"`
	Notes            Notes        `json:"notes"`
	Fee              int64        `json:"fee"`
	Tax              int64        `json:"tax"`
	ErrorCode        string       `json:"error_code"`
	ErrorDescription string       `json:"error_description"`
	ErrorSource      string       `json:"error_source"`
	ErrorStep        string       `json:"error_step"`
	ErrorReason      string       `json:"error_reason"`
	AcquirerData     AcquirerData `json:"acquirer_data"`
	CreatedAt        int64        `json:"created_at"`
}

// AcquirerData holds the acquiring bank's references for a payment or a
// refund.
//
//razorpay:decode
type AcquirerData struct {
	AuthCode                      string `json:"auth_code"`
	RRN                           string `json:"rrn"`
	AuthenticationReferenceNumber string `json:"authentication_reference_number"`
	BankTransactionID             string `json:"bank_transaction_id"`
	// ARN is the acquirer reference number of a processed refund, which
	// the card holder's bank can trace it by. (It is left out of the JSON
	// of a payment, which has none, when empty.)
	ARN string `json:"arn,omitempty"`
}

// RecurringPayment is Razorpay's answer to a recurring charge. Razorpay may
// leave OrderID and Signature empty.
//
//razorpay:decode
type RecurringPayment struct {
	PaymentID string `json:"razorpay_payment_id"`
	OrderID   string `json:"razorpay_order_id"`
	// Signature is hex HMAC-SHA256 of "order_id|payment_id" with the key
	// secret; check it with VerifyPaymentSignature. It is redacted when the
	// value is printed.
	Signature string `json:"razorpay_signature"`
}

// Format prints the recurring payment with its signature redacted.
func (r RecurringPayment) Format(f fmt.State, verb rune) {
	sig := ""
	if r.Signature != "" {
		sig = "[REDACTED]"
	}
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprintf(f, "razorpay.RecurringPayment{PaymentID:%q, OrderID:%q, Signature:%q}", r.PaymentID, r.OrderID, sig)
		return
	}
	if verb == 'v' && f.Flag('+') {
		_, _ = fmt.Fprintf(f, "{PaymentID:%s OrderID:%s Signature:%s}", r.PaymentID, r.OrderID, sig)
		return
	}
	_, _ = io.WriteString(f, "{"+r.PaymentID+" "+r.OrderID+" "+sig+"}")
}

// LogValue describes the recurring payment to log/slog without its signature.
func (r RecurringPayment) LogValue() slog.Value {
	return slog.GroupValue(slog.String("payment_id", r.PaymentID), slog.String("order_id", r.OrderID))
}

// RecurringPaymentParams are the params of PaymentService.CreateRecurring:
// one debit of a confirmed card mandate, paying a charge order of the same
// amount. The SDK always sends "recurring": true.
type RecurringPaymentParams struct {
	// Email is the card holder's email address.
	Email string `json:"email"`
	// Contact is the card holder's phone number with its country code.
	Contact string `json:"contact"`
	// Amount is in paise; it must equal the charge order's amount and be at
	// most the token's max_amount.
	Amount int64 `json:"amount"`
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string `json:"currency"`
	// OrderID is the charge order, created for this payment only.
	OrderID string `json:"order_id"`
	// CustomerID is the customer who owns the token.
	CustomerID string `json:"customer_id"`
	// TokenID is the confirmed mandate token ("token_..."); it goes out under
	// the key "token".
	TokenID string `json:"token"`
	// Description is shown to the card holder.
	Description string `json:"description,omitempty"`
	// Notes are up to 15 key/value pairs to store with the payment.
	Notes Notes `json:"notes,omitempty"`
}

// Validate checks the params before anything is sent: email, contact,
// order, customer and token ids (each ^[A-Za-z0-9_-]{1,64}$, like every
// Razorpay id), a positive amount, a three-letter currency, and notes within
// Razorpay's limits.
func (p *RecurringPaymentParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.required(p.Email, "email")
	v.email(p.Email, "email")
	v.required(p.Contact, "contact")
	v.contact(p.Contact, "contact")
	v.amount(p.Amount, "amount")
	v.currency(p.Currency, "currency")
	v.id(p.OrderID, "order_id")
	v.id(p.CustomerID, "customer_id")
	v.id(p.TokenID, "token")
	v.notes(p.Notes, "notes")
	return v.err
}

// MarshalJSON encodes the params with "recurring": true.
func (p RecurringPaymentParams) MarshalJSON() ([]byte, error) {
	return json.Marshal(p.wireBody())
}

// wireBody returns the params in the form they are sent in. The pipeline
// encodes it directly, sparing MarshalJSON's second encoding pass.
func (p *RecurringPaymentParams) wireBody() any {
	type wire RecurringPaymentParams
	return struct {
		wire
		Recurring bool `json:"recurring"`
	}{wire: wire(*p), Recurring: true}
}

// PaymentCaptureParams are the params of PaymentService.Capture.
type PaymentCaptureParams struct {
	// Amount is in paise: the amount authorized (Razorpay captures a
	// payment whole).
	Amount int64 `json:"amount"`
	// Currency is the payment's three-letter ISO code, such as INR.
	Currency string `json:"currency"`
}

// Validate checks a positive amount and a three-letter currency.
func (p *PaymentCaptureParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.amount(p.Amount, "amount")
	v.currency(p.Currency, "currency")
	return v.err
}

// PaymentListParams select a page of the account's payments (count, skip,
// from, to).
type PaymentListParams struct {
	ListParams
}

// Validate checks the page bounds (see ListParams.Validate).
func (p *PaymentListParams) Validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.Validate()
}

// PaymentService creates recurring charges, captures, refunds and reads
// payments.
type PaymentService struct{ c *Client }

// CreateRecurring charges a confirmed card mandate once, paying the charge
// order params.OrderID. It is never retried once the request may have reached
// Razorpay: after an error matching ErrOutcomeUnknown, reconcile with
// Order.Payments before charging again. Charge does all of this for you and
// is the recommended way to charge a mandate.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-subsequent-payments/
func (s *PaymentService) CreateRecurring(ctx context.Context, params *RecurringPaymentParams) (*RecurringPayment, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return s.createRecurring(ctx, params, false)
}

// createRecurring sends the recurring payment of validated params. With
// readBackOn429 (Payment.Charge, which reads the order back instead) a 429
// is not retried either, since a proxy may send it after Razorpay acted.
func (s *PaymentService) createRecurring(ctx context.Context, params *RecurringPaymentParams, readBackOn429 bool) (*RecurringPayment, error) {
	return call[RecurringPayment](ctx, s.c, operation{method: "POST", path: "/v1/payments/create/recurring", body: params.wireBody(), charges: readBackOn429})
}

// Fetch returns the payment with the given id. Its TokenID, CustomerID and
// CardID identify the mandate of an authorization payment.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/fetch-with-id/
func (s *PaymentService) Fetch(ctx context.Context, paymentID string) (*Payment, error) {
	id, err := pathID("paymentID", paymentID)
	if err != nil {
		return nil, err
	}
	return call[Payment](ctx, s.c, operation{method: "GET", path: "/v1/payments/" + id, repeatable: true})
}

// FetchCard returns the card a payment was made with. A payment made without
// a card is a 400 error ("Payment was not done using card").
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/fetch-card-details-payment/
func (s *PaymentService) FetchCard(ctx context.Context, paymentID string) (*Card, error) {
	id, err := pathID("paymentID", paymentID)
	if err != nil {
		return nil, err
	}
	return call[Card](ctx, s.c, operation{method: "GET", path: "/v1/payments/" + id + "/card", repeatable: true})
}

// Capture captures a payment left authorized (on an order created with
// PaymentCapture false, or an account that does not capture by itself) and
// returns it, captured. params.Amount must be the amount authorized;
// Razorpay refuses (400) a payment that is not authorized, such as one
// already captured.
//
// Like every request that changes state without an idempotency key, it is
// never retried once it may have reached Razorpay: after an error matching
// ErrOutcomeUnknown, Fetch the payment (captured means done) before
// capturing again.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/capture/
func (s *PaymentService) Capture(ctx context.Context, paymentID string, params *PaymentCaptureParams) (*Payment, error) {
	id, err := pathID("paymentID", paymentID)
	if err != nil {
		return nil, err
	}
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[Payment](ctx, s.c, operation{method: "POST", path: "/v1/payments/" + id + "/capture", body: params})
}

// List returns one page of the account's payments, newest first: with
// From and To, the payments of a period, to reconcile with your books.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/fetch-all-payments/
func (s *PaymentService) List(ctx context.Context, params *PaymentListParams) (*List[Payment], error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return listPage[Payment](ctx, s.c, "/v1/payments", params)
}

// All returns an iterator over every payment that params selects, fetching
// pages of params.Count (100 when zero) as the loop advances. An error is
// yielded once and ends the iteration. Razorpay lists newest first and
// pages with skip: a payment made during the walk shifts the pages, so
// bound the walk with To (a time in the past) to see each payment once.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/fetch-all-payments/
func (s *PaymentService) All(ctx context.Context, params *PaymentListParams) iter.Seq2[Payment, error] {
	var filter PaymentListParams
	if params != nil {
		filter = *params
	}
	return all(&filter.ListParams, func(p *ListParams) (*List[Payment], error) {
		return s.List(ctx, &PaymentListParams{ListParams: *p})
	})
}
