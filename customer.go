package razorpay

import (
	"context"
	"encoding/json"
	"iter"
	"unicode/utf8"
)

// Customer is a Razorpay customer: the person whose card mandate is registered
// and charged.
//
//razorpay:decode
type Customer struct {
	ID        string `json:"id"`
	Entity    string `json:"entity"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Contact   string `json:"contact"`
	GSTIN     string `json:"gstin"`
	Notes     Notes  `json:"notes"`
	CreatedAt int64  `json:"created_at"`
}

// CustomerCreateParams are the params of CustomerService.Create.
type CustomerCreateParams struct {
	// Name is the customer's name, 3 to 50 characters.
	Name string `json:"name,omitempty"`
	// Email is the customer's email address, at most 64 characters.
	Email string `json:"email,omitempty"`
	// Contact is the customer's phone number with its country code, such as
	// +919876543210.
	Contact string `json:"contact,omitempty"`
	// FailExisting decides what happens when a customer with the same email
	// and contact exists: true (Razorpay's default when nil) fails with
	// "Customer already exists for the merchant", false returns the existing
	// customer. The SDK sends it as the string "1" or "0", the only form the
	// API honours.
	FailExisting *bool `json:"-"`
	// GSTIN is the customer's GST number.
	GSTIN string `json:"gstin,omitempty"`
	// Notes are up to 15 key/value pairs to store with the customer.
	Notes Notes `json:"notes,omitempty"`
}

// Validate checks the params before anything is sent: at least one of name,
// email and contact; name of 3 to 50 characters; a plausible email of at most
// 64 characters; a contact of 8 to 15 characters with its country code; notes
// within Razorpay's limits.
func (p *CustomerCreateParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.check(p.Name != "" || p.Email != "" || p.Contact != "", "name", "one of name, email and contact is required")
	if p.Name != "" {
		n := utf8.RuneCountInString(p.Name)
		v.check(n >= 3 && n <= 50, "name", "must be 3 to 50 characters")
	}
	v.email(p.Email, "email")
	v.contact(p.Contact, "contact")
	v.maxLen(p.GSTIN, 15, "gstin")
	v.notes(p.Notes, "notes")
	return v.err
}

// MarshalJSON encodes the params as the API wants them, with fail_existing as
// the string "0" or "1".
func (p CustomerCreateParams) MarshalJSON() ([]byte, error) {
	return json.Marshal(p.wireBody())
}

// wireBody returns the params in the form they are sent in. The pipeline
// encodes it directly, sparing MarshalJSON's second encoding pass.
func (p *CustomerCreateParams) wireBody() any {
	type wire CustomerCreateParams
	out := struct {
		wire
		FailExisting string `json:"fail_existing,omitempty"`
	}{wire: wire(*p)}
	if p.FailExisting != nil {
		out.FailExisting = "1"
		if !*p.FailExisting {
			out.FailExisting = "0"
		}
	}
	return out
}

// CustomerService creates and reads customers.
type CustomerService struct{ c *Client }

// Create creates a customer. With FailExisting set to false, it returns the
// existing customer with the same email and contact instead of failing, which
// makes it safe to call again after an error matching ErrOutcomeUnknown.
//
// Razorpay API docs: https://razorpay.com/docs/api/customers/create/
func (s *CustomerService) Create(ctx context.Context, params *CustomerCreateParams) (*Customer, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[Customer](ctx, s.c, operation{method: "POST", path: "/v1/customers", body: params.wireBody()})
}

// Fetch returns the customer with the given id.
//
// Razorpay API docs: https://razorpay.com/docs/api/customers/fetch-with-id/
func (s *CustomerService) Fetch(ctx context.Context, customerID string) (*Customer, error) {
	id, err := pathID("customerID", customerID)
	if err != nil {
		return nil, err
	}
	return call[Customer](ctx, s.c, operation{method: "GET", path: "/v1/customers/" + id, repeatable: true})
}

// List returns one page of customers, newest first. A nil params asks for
// Razorpay's default page (10 customers).
//
// Razorpay API docs: https://razorpay.com/docs/api/customers/fetch-all/
func (s *CustomerService) List(ctx context.Context, params *ListParams) (*List[Customer], error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return listPage[Customer](ctx, s.c, "/v1/customers", params)
}

// All returns an iterator over every customer that params selects, fetching
// pages of params.Count (100 when zero) as the loop advances. An error is
// yielded once and ends the iteration.
//
// Razorpay API docs: https://razorpay.com/docs/api/customers/fetch-all/
func (s *CustomerService) All(ctx context.Context, params *ListParams) iter.Seq2[Customer, error] {
	return all(params, func(p *ListParams) (*List[Customer], error) { return s.List(ctx, p) })
}
