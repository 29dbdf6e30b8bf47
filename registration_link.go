package razorpay

import (
	"context"
	"encoding/json"
)

// RegistrationLinkCreateParams are the params of RegistrationLinkService.Create.
// Razorpay creates the customer and the authorization order itself and emails
// or texts the card holder a link to approve the mandate.
type RegistrationLinkCreateParams struct {
	// Customer is who the link is sent to. Name and Email are required.
	Customer RegistrationLinkCustomer `json:"customer"`
	// Amount is the authorization amount in paise (100 for ₹1).
	Amount int64 `json:"amount"`
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string `json:"currency"`
	// Description is shown on the hosted page.
	Description string `json:"description"`
	// SubscriptionRegistration describes the mandate.
	SubscriptionRegistration SubscriptionRegistration `json:"subscription_registration"`
	// SMSNotify makes Razorpay text the link (Razorpay's default when nil: true).
	SMSNotify *bool `json:"sms_notify,omitempty"`
	// EmailNotify makes Razorpay email the link (Razorpay's default when nil: true).
	EmailNotify *bool `json:"email_notify,omitempty"`
	// ExpireBy is when the link expires (Unix seconds).
	ExpireBy int64 `json:"expire_by,omitempty"`
	// Receipt is your reference for the link, at most 40 characters.
	Receipt string `json:"receipt,omitempty"`
	// Notes are up to 15 key/value pairs to store with the link.
	Notes Notes `json:"notes,omitempty"`
}

// RegistrationLinkCustomer is the customer a registration link is for.
type RegistrationLinkCustomer struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Contact string `json:"contact,omitempty"`
}

// SubscriptionRegistration describes the card mandate of a registration link.
type SubscriptionRegistration struct {
	// Method is the payment method; empty means "card".
	Method PaymentMethod `json:"method"`
	// MaxAmount is the most one debit may take, in paise: 100 to 100000000.
	MaxAmount int64 `json:"max_amount"`
	// ExpireAt is when the mandate ends (Unix seconds); zero lets Razorpay
	// use the card's expiry.
	ExpireAt int64 `json:"expire_at,omitempty"`
	// Frequency is how often the mandate may be charged.
	Frequency Frequency `json:"frequency"`
}

// Validate checks the params before anything is sent: customer name and
// email, a positive amount, a three-letter currency, a description,
// max_amount from 100 to 100000000, a known frequency, a receipt of at most 40
// characters and notes within Razorpay's limits.
func (p *RegistrationLinkCreateParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.required(p.Customer.Name, "customer.name")
	v.required(p.Customer.Email, "customer.email")
	v.email(p.Customer.Email, "customer.email")
	v.contact(p.Customer.Contact, "customer.contact")
	v.amount(p.Amount, "amount")
	v.currency(p.Currency, "currency")
	v.required(p.Description, "description")
	sr := p.SubscriptionRegistration
	v.between(sr.MaxAmount, MinAmount, MaxRegistrationAmount, "subscription_registration.max_amount")
	v.check(sr.ExpireAt >= 0, "subscription_registration.expire_at", "must not be negative")
	v.frequency(sr.Frequency, "subscription_registration.frequency")
	v.check(p.ExpireBy >= 0, "expire_by", "must not be negative")
	v.receipt(p.Receipt, "receipt")
	v.notes(p.Notes, "notes")
	return v.err
}

// MarshalJSON encodes the params as the API wants them: with "type": "link",
// and method "card" when none is set.
func (p RegistrationLinkCreateParams) MarshalJSON() ([]byte, error) {
	return json.Marshal(p.wireBody())
}

// wireBody returns the params in the form they are sent in. The pipeline
// encodes it directly, sparing MarshalJSON's second encoding pass.
func (p *RegistrationLinkCreateParams) wireBody() any {
	type wire RegistrationLinkCreateParams
	w := wire(*p)
	if w.SubscriptionRegistration.Method == "" {
		w.SubscriptionRegistration.Method = PaymentMethodCard
	}
	return struct {
		Type InvoiceType `json:"type"`
		wire
	}{Type: InvoiceTypeLink, wire: w}
}

// RegistrationLinkService creates registration links. The links themselves
// are invoices of type "link": fetch, list, notify and cancel them with the
// InvoiceService.
type RegistrationLinkService struct{ c *Client }

// Create creates a registration link and returns it as an invoice of type
// "link" in status "issued", with its ShortURL, CustomerID and OrderID. It is
// never retried once the request may have reached Razorpay; after an error
// matching ErrOutcomeUnknown, look for the link with Invoice.List (Type
// "link", Receipt) before creating another.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-authorization-transaction/#12-create-a-registration-link
func (s *RegistrationLinkService) Create(ctx context.Context, params *RegistrationLinkCreateParams) (*Invoice, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[Invoice](ctx, s.c, operation{method: "POST", path: "/v1/subscription_registration/auth_links", body: params.wireBody()})
}
