package razorpaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorzp/razorpay"
)

// The JSON shapes the fake answers with: its entities, collections and error
// bodies. Request bodies are parsed in form.go, statuses change in
// transitions.go.
//
// Entities are stored in the structs below and rendered with encoding/json
// while the server's lock is held. The field types reproduce what the live
// API sends: ns and ni render their zero value as null, notes render an empty
// map as [] (as Razorpay does), and unexported fields hold the relations
// between entities.

// ns is a string that renders "" as null.
type ns string

// MarshalJSON renders "" as null.
func (s ns) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// ni is an integer (a timestamp or an amount) that renders 0 as null.
type ni int64

// MarshalJSON renders 0 as null.
func (n ni) MarshalJSON() ([]byte, error) {
	if n == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// notes are key/value pairs; empty notes render as [] like the live API.
type notes map[string]string

// MarshalJSON renders empty notes as [].
func (n notes) MarshalJSON() ([]byte, error) {
	if len(n) == 0 {
		return []byte("[]"), nil
	}
	return json.Marshal(map[string]string(n))
}

// emptyList renders as [] (the line_items of a registration link).
type emptyList struct{}

// MarshalJSON renders [].
func (emptyList) MarshalJSON() ([]byte, error) { return []byte("[]"), nil }

type customer struct {
	ID        string `json:"id"`
	Entity    string `json:"entity"`
	Name      ns     `json:"name"`
	Email     ns     `json:"email"`
	Contact   ns     `json:"contact"`
	GSTIN     ns     `json:"gstin"`
	Notes     notes  `json:"notes"`
	CreatedAt int64  `json:"created_at"`

	seq    int64
	tokens []*token
}

type orderToken struct {
	Method          string `json:"method"`
	Notes           notes  `json:"notes"`
	RecurringStatus ns     `json:"recurring_status"`
	FailureReason   ns     `json:"failure_reason"`
	Currency        string `json:"currency"`
	MaxAmount       int64  `json:"max_amount"`
	AuthType        ns     `json:"auth_type"`
	ExpireAt        ni     `json:"expire_at"`
	Frequency       string `json:"frequency"`
}

type orderNotification struct {
	ID           string `json:"id"`
	TokenID      string `json:"token_id"`
	PaymentAfter ni     `json:"payment_after"`
}

type order struct {
	ID           string             `json:"id"`
	Entity       string             `json:"entity"`
	Amount       int64              `json:"amount"`
	AmountPaid   int64              `json:"amount_paid"`
	AmountDue    int64              `json:"amount_due"`
	Currency     string             `json:"currency"`
	Receipt      ns                 `json:"receipt"`
	OfferID      ns                 `json:"offer_id"`
	Status       orderStatus        `json:"status"`
	Attempts     int                `json:"attempts"`
	Notes        notes              `json:"notes"`
	CreatedAt    int64              `json:"created_at"`
	Method       string             `json:"method,omitempty"`
	CustomerID   string             `json:"customer_id,omitempty"`
	Token        *orderToken        `json:"token,omitempty"`
	Notification *orderNotification `json:"notification,omitempty"`
	// Payments is set on the copies that answer expand[]=payments.
	Payments *collection[*payment] `json:"payments,omitempty"`

	seq      int64
	invoice  *invoice // the registration link the order belongs to
	payments []*payment
	// manualCapture: created with payment_capture false, its payments stay
	// authorized until captured through the API.
	manualCapture bool
	// lagged, with WithListLag, is the order as it was created, the headers
	// of its create request and the real time it was created.
	lagged *laggedOrder
}

type laggedOrder struct {
	order   razorpay.Order
	header  http.Header
	created time.Time
}

type customerDetails struct {
	ID              string `json:"id"`
	Name            ns     `json:"name"`
	Email           ns     `json:"email"`
	Contact         ns     `json:"contact"`
	GSTIN           ns     `json:"gstin"`
	BillingAddress  ns     `json:"billing_address"`
	ShippingAddress ns     `json:"shipping_address"`
	CustomerName    ns     `json:"customer_name"`
	CustomerEmail   ns     `json:"customer_email"`
	CustomerContact ns     `json:"customer_contact"`
}

type invoice struct {
	ID                    string          `json:"id"`
	Entity                string          `json:"entity"`
	Type                  string          `json:"type"`
	Receipt               ns              `json:"receipt"`
	InvoiceNumber         ns              `json:"invoice_number"`
	CustomerID            string          `json:"customer_id"`
	CustomerDetails       customerDetails `json:"customer_details"`
	OrderID               string          `json:"order_id"`
	LineItems             emptyList       `json:"line_items"`
	PaymentID             ns              `json:"payment_id"`
	Status                invoiceStatus   `json:"status"`
	ExpireBy              ni              `json:"expire_by"`
	IssuedAt              ni              `json:"issued_at"`
	PaidAt                ni              `json:"paid_at"`
	CancelledAt           ni              `json:"cancelled_at"`
	ExpiredAt             ni              `json:"expired_at"`
	SMSStatus             ns              `json:"sms_status"`
	EmailStatus           ns              `json:"email_status"`
	Date                  int64           `json:"date"`
	Terms                 ns              `json:"terms"`
	Comment               ns              `json:"comment"`
	PartialPayment        bool            `json:"partial_payment"`
	GrossAmount           int64           `json:"gross_amount"`
	TaxAmount             int64           `json:"tax_amount"`
	TaxableAmount         int64           `json:"taxable_amount"`
	Amount                int64           `json:"amount"`
	AmountPaid            int64           `json:"amount_paid"`
	AmountDue             int64           `json:"amount_due"`
	Currency              string          `json:"currency"`
	CurrencySymbol        string          `json:"currency_symbol"`
	Description           ns              `json:"description"`
	Notes                 notes           `json:"notes"`
	ShortURL              string          `json:"short_url"`
	ViewLess              bool            `json:"view_less"`
	GroupTaxesDiscounts   bool            `json:"group_taxes_discounts"`
	BillingStart          ni              `json:"billing_start"`
	BillingEnd            ni              `json:"billing_end"`
	AuthLinkStatus        ns              `json:"auth_link_status"`
	Token                 *orderToken     `json:"token"`
	FirstPaymentMinAmount ni              `json:"first_payment_min_amount"`
	IdempotencyKey        ns              `json:"idempotency_key"`
	CreatedAt             int64           `json:"created_at"`

	seq   int64
	order *order
}

type acquirerData struct {
	AuthCode ns `json:"auth_code"`
	RRN      ns `json:"rrn,omitempty"`
}

type payment struct {
	ID               string        `json:"id"`
	Entity           string        `json:"entity"`
	Amount           int64         `json:"amount"`
	Currency         string        `json:"currency"`
	Status           paymentStatus `json:"status"`
	OrderID          ns            `json:"order_id"`
	InvoiceID        ns            `json:"invoice_id"`
	International    bool          `json:"international"`
	Method           string        `json:"method"`
	AmountRefunded   int64         `json:"amount_refunded"`
	RefundStatus     ns            `json:"refund_status"`
	Captured         bool          `json:"captured"`
	Description      ns            `json:"description"`
	CardID           ns            `json:"card_id"`
	Card             *card         `json:"card,omitempty"`
	Bank             ns            `json:"bank"`
	Wallet           ns            `json:"wallet"`
	VPA              ns            `json:"vpa"`
	Email            string        `json:"email"`
	Contact          string        `json:"contact"`
	CustomerID       ns            `json:"customer_id"`
	TokenID          ns            `json:"token_id"`
	Notes            notes         `json:"notes"`
	Fee              ni            `json:"fee"`
	Tax              ni            `json:"tax"`
	ErrorCode        ns            `json:"error_code"`
	ErrorDescription ns            `json:"error_description"`
	ErrorSource      ns            `json:"error_source"`
	ErrorStep        ns            `json:"error_step"`
	ErrorReason      ns            `json:"error_reason"`
	AcquirerData     acquirerData  `json:"acquirer_data"`
	CreatedAt        int64         `json:"created_at"`

	seq     int64
	order   *order
	card    *card
	refunds []*refund // in creation order
}

// withCard returns a copy of p with its card embedded (expand[]=card, webhooks).
func (p *payment) withCard() *payment {
	c := *p
	if p.card != nil {
		c.Card = p.card.entity()
	}
	return &c
}

type cardFlows struct {
	OTP       bool `json:"otp"`
	Recurring bool `json:"recurring"`
	Iframe    bool `json:"iframe"`
}

type card struct {
	ID            string     `json:"id,omitempty"`
	Entity        string     `json:"entity"`
	Name          string     `json:"name"`
	Last4         string     `json:"last4"`
	Network       string     `json:"network"`
	Type          string     `json:"type"`
	Issuer        ns         `json:"issuer"`
	International bool       `json:"international"`
	EMI           bool       `json:"emi"`
	SubType       string     `json:"sub_type"`
	TokenIIN      ns         `json:"token_iin"`
	ExpiryMonth   int        `json:"expiry_month,omitempty"`
	ExpiryYear    int        `json:"expiry_year,omitempty"`
	Flows         *cardFlows `json:"flows,omitempty"`

	seq      int64
	number   string
	expMonth int
	expYear  int
}

// entity returns the card as GET /v1/cards/{id} shows it.
func (c *card) entity() *card {
	out := *c
	out.ExpiryMonth, out.ExpiryYear, out.Flows = 0, 0, nil
	return &out
}

// inToken returns the card as a token shows it: no id, with expiry and flows.
func (c *card) inToken() *card {
	out := *c
	out.ID = ""
	out.ExpiryMonth, out.ExpiryYear = c.expMonth, c.expYear
	out.Flows = &cardFlows{OTP: true, Recurring: true}
	return &out
}

type recurringDetails struct {
	Status        mandateStatus `json:"status"`
	FailureReason ns            `json:"failure_reason"`
}

type token struct {
	ID                                  string           `json:"id"`
	Entity                              string           `json:"entity"`
	Token                               string           `json:"token"`
	Bank                                ns               `json:"bank"`
	Wallet                              ns               `json:"wallet"`
	Method                              string           `json:"method"`
	Card                                *card            `json:"card"`
	Recurring                           bool             `json:"recurring"`
	RecurringDetails                    recurringDetails `json:"recurring_details"`
	AuthType                            ns               `json:"auth_type"`
	MRN                                 ns               `json:"mrn"`
	UsedAt                              ni               `json:"used_at"`
	CreatedAt                           int64            `json:"created_at"`
	ExpiredAt                           int64            `json:"expired_at"`
	MaxAmount                           int64            `json:"max_amount"`
	DCCEnabled                          bool             `json:"dcc_enabled"`
	BillingAddress                      ns               `json:"billing_address"`
	Notes                               notes            `json:"notes"`
	CompliantWithTokenisationGuidelines bool             `json:"compliant_with_tokenisation_guidelines"`

	seq       int64
	customer  *customer
	src       *card
	frequency string
}

// tokenEvent is a token as Razorpay's documented token.* webhook samples
// show it, which is not the shape of the tokens API: no customer_id, a card
// without id, no recurring_details in token.confirmed, the TokenHQ status
// active in token.cancelled and token.paused, and in token.cancelled
// expiry_month and expiry_year as strings ("01", "2099") and the extra keys
// status_reason, error_code, error_description,
// compliant_with_tokenisation_guidelines, billing_address and
// card.cobranding_partner. A token event names neither the customer nor the
// authorization order: the receiver links it to its mandate by the token
// id (see the root package's README).
type tokenEvent struct {
	ID                                  string            `json:"id"`
	Entity                              string            `json:"entity"`
	Token                               string            `json:"token"`
	Bank                                ns                `json:"bank"`
	Wallet                              ns                `json:"wallet"`
	Method                              string            `json:"method"`
	Card                                *tokenEventCard   `json:"card"`
	VPA                                 *ns               `json:"vpa,omitempty"`
	Recurring                           bool              `json:"recurring"`
	RecurringDetails                    *recurringDetails `json:"recurring_details,omitempty"`
	AuthType                            ns                `json:"auth_type"`
	MRN                                 ns                `json:"mrn"`
	UsedAt                              ni                `json:"used_at"`
	CreatedAt                           int64             `json:"created_at"`
	ExpiredAt                           int64             `json:"expired_at"`
	MaxAmount                           int64             `json:"max_amount"`
	Status                              ns                `json:"status"`
	StatusReason                        *ns               `json:"status_reason,omitempty"`
	ErrorCode                           *ns               `json:"error_code,omitempty"`
	ErrorDescription                    *ns               `json:"error_description,omitempty"`
	Notes                               notes             `json:"notes"`
	DCCEnabled                          bool              `json:"dcc_enabled"`
	CompliantWithTokenisationGuidelines *bool             `json:"compliant_with_tokenisation_guidelines,omitempty"`
	BillingAddress                      *ns               `json:"billing_address,omitempty"`
}

// tokenEventCard is the card of a tokenEvent.
type tokenEventCard struct {
	Entity            string          `json:"entity"`
	Name              string          `json:"name"`
	Last4             string          `json:"last4"`
	Network           string          `json:"network"`
	Type              string          `json:"type"`
	Issuer            ns              `json:"issuer"`
	International     bool            `json:"international"`
	EMI               bool            `json:"emi"`
	SubType           string          `json:"sub_type"`
	TokenIIN          ns              `json:"token_iin"`
	ExpiryMonth       any             `json:"expiry_month"`
	ExpiryYear        any             `json:"expiry_year"`
	Flows             map[string]bool `json:"flows"`
	CobrandingPartner *ns             `json:"cobranding_partner,omitempty"`
}

// inEvent returns the token in the shape of the documented sample of the
// token.* event (see tokenEvent).
func (t *token) inEvent(event string) *tokenEvent {
	null := ns("")
	c := t.src
	if c == nil {
		c = t.Card
	}
	ec := &tokenEventCard{
		Entity: "card", Name: c.Name, Last4: c.Last4, Network: c.Network, Type: c.Type, Issuer: c.Issuer,
		International: c.International, EMI: c.EMI, SubType: c.SubType, TokenIIN: c.TokenIIN,
		ExpiryMonth: c.expMonth, ExpiryYear: c.expYear, Flows: map[string]bool{"recurring": true},
	}
	out := &tokenEvent{
		ID: t.ID, Entity: "token", Token: t.Token, Bank: t.Bank, Wallet: t.Wallet, Method: t.Method, Card: ec,
		Recurring: t.Recurring, AuthType: t.AuthType, MRN: t.MRN, UsedAt: t.UsedAt, CreatedAt: t.CreatedAt,
		ExpiredAt: t.ExpiredAt, MaxAmount: t.MaxAmount, Notes: t.Notes, DCCEnabled: t.DCCEnabled,
	}
	rd := t.RecurringDetails
	switch event {
	case "token.confirmed":
		out.VPA = &null
		ec.Flows = map[string]bool{"otp": true, "recurring": true, "iframe": true}
	case "token.rejected":
		out.RecurringDetails = &rd
	case "token.paused":
		out.RecurringDetails = &rd
		out.Status = tokenActive
	case "token.cancelled":
		out.RecurringDetails = &rd
		out.Status = tokenActive
		out.StatusReason, out.ErrorCode, out.ErrorDescription, out.BillingAddress = &null, &null, &null, &null
		compliant := true
		out.CompliantWithTokenisationGuidelines = &compliant
		ec.CobrandingPartner = &null
		ec.ExpiryMonth = fmt.Sprintf("%02d", c.expMonth)
		ec.ExpiryYear = strconv.Itoa(c.expYear)
	}
	return out
}

type collection[T any] struct {
	Entity string `json:"entity"`
	Count  int    `json:"count"`
	Items  []T    `json:"items"`
}

func newCollection[T any](items []T) collection[T] {
	if items == nil {
		items = []T{}
	}
	return collection[T]{Entity: "collection", Count: len(items), Items: items}
}

// apiError is an error answer in Razorpay's format.
type apiError struct {
	status      int
	code        string
	description string
	field       string
	source      string
	step        string
	reason      string
	metadata    map[string]any
}

func (e *apiError) body() []byte {
	type errorFields struct {
		Code        string         `json:"code"`
		Description string         `json:"description"`
		Field       ns             `json:"field"`
		Source      string         `json:"source"`
		Step        string         `json:"step"`
		Reason      string         `json:"reason"`
		Metadata    map[string]any `json:"metadata"`
	}
	md := e.metadata
	if md == nil {
		md = map[string]any{}
	}
	b, _ := json.Marshal(struct {
		Error errorFields `json:"error"`
	}{errorFields{e.code, e.description, ns(e.field), orNA(e.source), orNA(e.step), orNA(e.reason), md}})
	return b
}

func orNA(s string) string {
	if s == "" {
		return "NA"
	}
	return s
}

// ErrorBody returns a Razorpay error body with the given code (such as
// BAD_REQUEST_ERROR, GATEWAY_ERROR or SERVER_ERROR) and description, for the
// Body of a Fault.
func ErrorBody(code, description string) string {
	return string((&apiError{code: code, description: description}).body())
}

// Messages of the live API.
const (
	msgIDNotExist     = "The id provided does not exist"
	msgURLNotFound    = "The requested URL was not found on the server."
	msgInvalidKey     = "The api key provided is invalid"
	msgAuthFailed     = "Authentication failed"
	msgCustomerExists = "Customer already exists for the merchant"
	msgMinAmount      = "The amount must be at least INR 1.00"
	msgCountMax       = "The count may not be greater than 100."
	msgExceedsMax     = "Amount exceeds maximum amount allowed"
	msgNotCard        = "Payment was not done using card"
	msgOrderPaid      = "Order has already been paid"
	msgServerError    = "We are facing some trouble completing your request at the moment. Please try again shortly."
)

// badRequest is a 400 input validation error on field.
func badRequest(description, field string) *apiError {
	return &apiError{status: 400, code: "BAD_REQUEST_ERROR", description: description, field: field,
		source: "business", reason: "input_validation_failed"}
}

// notExist is the 400 answer for an unknown id; field names the body
// parameter that held it ("" for an id in the path).
func notExist(field string) *apiError { return badRequest(msgIDNotExist, field) }

// paymentError is a 400 error of the payment_initiation step.
func paymentError(description, field string) *apiError {
	e := badRequest(description, field)
	e.step = "payment_initiation"
	return e
}
