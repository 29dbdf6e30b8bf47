package razorpay

import (
	"context"
	"fmt"
	"iter"
)

// InvoiceStatus is the state of an invoice. Registration links go from issued
// to paid, cancelled or expired. Values the SDK does not know pass through
// unchanged.
type InvoiceStatus string

// Invoice states.
const (
	InvoiceStatusDraft         InvoiceStatus = "draft"
	InvoiceStatusIssued        InvoiceStatus = "issued"
	InvoiceStatusPartiallyPaid InvoiceStatus = "partially_paid"
	InvoiceStatusPaid          InvoiceStatus = "paid"
	InvoiceStatusCancelled     InvoiceStatus = "cancelled"
	InvoiceStatusExpired       InvoiceStatus = "expired"
	InvoiceStatusDeleted       InvoiceStatus = "deleted"
)

// InvoiceType is the kind of an invoice: a registration link or an ordinary
// invoice. Values the SDK does not know pass through unchanged.
type InvoiceType string

// Invoice types.
const (
	// InvoiceTypeLink is the type of registration links.
	InvoiceTypeLink InvoiceType = "link"
	// InvoiceTypeInvoice is the type of ordinary invoices.
	InvoiceTypeInvoice InvoiceType = "invoice"
)

// NotifyMedium is how Invoice.NotifyBy sends a registration link.
type NotifyMedium string

// Notification media.
const (
	NotifyMediumSMS   NotifyMedium = "sms"
	NotifyMediumEmail NotifyMedium = "email"
)

// The notification media's former names, which still work.
const (
	// NotifySMS is NotifyMediumSMS.
	//
	// Deprecated: use NotifyMediumSMS.
	NotifySMS = NotifyMediumSMS
	// NotifyEmail is NotifyMediumEmail.
	//
	// Deprecated: use NotifyMediumEmail.
	NotifyEmail = NotifyMediumEmail
)

// NotificationStatus is the state of an invoice's SMS or email: pending or sent.
type NotificationStatus string

// Notification states.
const (
	NotificationStatusPending NotificationStatus = "pending"
	NotificationStatusSent    NotificationStatus = "sent"
)

// The notification states' former names, which still work.
const (
	// NotificationPending is NotificationStatusPending.
	//
	// Deprecated: use NotificationStatusPending.
	NotificationPending = NotificationStatusPending
	// NotificationSent is NotificationStatusSent.
	//
	// Deprecated: use NotificationStatusSent.
	NotificationSent = NotificationStatusSent
)

// Invoice is a Razorpay invoice. A registration link is an invoice of Type
// "link" whose OrderID is its authorization order.
//
//razorpay:decode
type Invoice struct {
	ID                  string             `json:"id"`
	Entity              string             `json:"entity"`
	Type                InvoiceType        `json:"type"`
	Receipt             string             `json:"receipt"`
	InvoiceNumber       string             `json:"invoice_number"`
	CustomerID          string             `json:"customer_id"`
	CustomerDetails     CustomerDetails    `json:"customer_details"`
	OrderID             string             `json:"order_id"`
	LineItems           []LineItem         `json:"line_items"`
	PaymentID           string             `json:"payment_id"`
	Status              InvoiceStatus      `json:"status"`
	ExpireBy            int64              `json:"expire_by"`
	IssuedAt            int64              `json:"issued_at"`
	PaidAt              int64              `json:"paid_at"`
	CancelledAt         int64              `json:"cancelled_at"`
	ExpiredAt           int64              `json:"expired_at"`
	SMSStatus           NotificationStatus `json:"sms_status"`
	EmailStatus         NotificationStatus `json:"email_status"`
	Date                int64              `json:"date"`
	Terms               string             `json:"terms"`
	Comment             string             `json:"comment"`
	PartialPayment      bool               `json:"partial_payment"`
	GrossAmount         int64              `json:"gross_amount"`
	TaxAmount           int64              `json:"tax_amount"`
	TaxableAmount       int64              `json:"taxable_amount"`
	Amount              int64              `json:"amount"`
	AmountPaid          int64              `json:"amount_paid"`
	AmountDue           int64              `json:"amount_due"`
	Currency            string             `json:"currency"`
	CurrencySymbol      string             `json:"currency_symbol"`
	Description         string             `json:"description"`
	Notes               Notes              `json:"notes"`
	ShortURL            string             `json:"short_url"`
	ViewLess            bool               `json:"view_less"`
	GroupTaxesDiscounts bool               `json:"group_taxes_discounts"`
	BillingStart        int64              `json:"billing_start"`
	BillingEnd          int64              `json:"billing_end"`
	CreatedAt           int64              `json:"created_at"`
	IdempotencyKey      string             `json:"idempotency_key"`
	// AuthLinkStatus is the state of a registration link's authorization.
	AuthLinkStatus string `json:"auth_link_status"`
	// Token is the mandate a registration link asks the card holder to approve.
	Token *OrderToken `json:"token"`
	// FirstPaymentMinAmount is the smallest first payment of a registration link.
	FirstPaymentMinAmount int64 `json:"first_payment_min_amount"`
}

// CustomerDetails is the copy of the customer an invoice carries.
//
//razorpay:decode
type CustomerDetails struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Email           string   `json:"email"`
	Contact         string   `json:"contact"`
	GSTIN           string   `json:"gstin"`
	BillingAddress  *Address `json:"billing_address"`
	ShippingAddress *Address `json:"shipping_address"`
	CustomerName    string   `json:"customer_name"`
	CustomerEmail   string   `json:"customer_email"`
	CustomerContact string   `json:"customer_contact"`
}

// Address is a postal address.
//
//razorpay:decode
type Address struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Primary bool   `json:"primary"`
	Line1   string `json:"line1"`
	Line2   string `json:"line2"`
	Zipcode string `json:"zipcode"`
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
}

// LineItem is one line of an invoice (registration links have none).
//
//razorpay:decode
type LineItem struct {
	ID            string `json:"id"`
	ItemID        string `json:"item_id"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	Amount        int64  `json:"amount"`
	UnitAmount    int64  `json:"unit_amount"`
	GrossAmount   int64  `json:"gross_amount"`
	TaxAmount     int64  `json:"tax_amount"`
	TaxableAmount int64  `json:"taxable_amount"`
	NetAmount     int64  `json:"net_amount"`
	Currency      string `json:"currency"`
	Type          string `json:"type"`
	Quantity      int64  `json:"quantity"`
}

// InvoiceListParams select a page of invoices. Set Type to InvoiceTypeLink to
// list registration links only.
type InvoiceListParams struct {
	ListParams
	// Type is "link" for registration links, "invoice" for invoices.
	Type InvoiceType `url:"type,omitempty"`
	// CustomerID keeps the customer's invoices.
	CustomerID string `url:"customer_id,omitempty"`
	// PaymentID keeps the invoice paid by this payment.
	PaymentID string `url:"payment_id,omitempty"`
	// Receipt keeps the invoices with this receipt.
	Receipt string `url:"receipt,omitempty"`
}

// Validate checks the page bounds (see ListParams.Validate).
func (p *InvoiceListParams) Validate() error {
	if p == nil {
		return nil
	}
	return p.ListParams.Validate()
}

// InvoiceService reads, notifies and cancels invoices, among them
// registration links.
type InvoiceService struct{ c *Client }

// NotifyBy asks Razorpay to send (again) the registration link or invoice by
// SMS or email. An answer of {"success": false} is an error matching
// ErrNotApplied.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-authorization-transaction/#122-send-or-resend-notifications
func (s *InvoiceService) NotifyBy(ctx context.Context, invoiceID string, medium NotifyMedium) error {
	switch medium {
	case NotifyMediumSMS, NotifyMediumEmail:
	default:
		return &ValidationError{Field: "medium", Message: fmt.Sprintf("must be sms or email, got %.20q", string(medium))}
	}
	id, err := pathID("invoiceID", invoiceID)
	if err != nil {
		return err
	}
	path := "/v1/invoices/" + id + "/notify_by/" + string(medium)
	var out notifyAnswer
	if err := s.c.send(ctx, operation{method: "POST", path: path}, &out); err != nil {
		return err
	}
	if !out.Success {
		return fmt.Errorf("razorpay: POST %s: %w: Razorpay answered success: false", path, ErrNotApplied)
	}
	return nil
}

// notifyAnswer is the answer to NotifyBy.
//
//razorpay:decode
type notifyAnswer struct {
	Success bool `json:"success"`
}

// Cancel cancels a registration link or invoice in status issued and returns
// it in status cancelled. A paid or already cancelled one cannot be cancelled
// (a 400 error).
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-authorization-transaction/#123-cancel-a-registration-link
func (s *InvoiceService) Cancel(ctx context.Context, invoiceID string) (*Invoice, error) {
	id, err := pathID("invoiceID", invoiceID)
	if err != nil {
		return nil, err
	}
	return call[Invoice](ctx, s.c, operation{method: "POST", path: "/v1/invoices/" + id + "/cancel"})
}

// Fetch returns the invoice (or registration link) with the given id.
//
// Razorpay API docs: https://razorpay.com/docs/api/invoices/fetch-with-id/
func (s *InvoiceService) Fetch(ctx context.Context, invoiceID string) (*Invoice, error) {
	id, err := pathID("invoiceID", invoiceID)
	if err != nil {
		return nil, err
	}
	return call[Invoice](ctx, s.c, operation{method: "GET", path: "/v1/invoices/" + id, repeatable: true})
}

// List returns one page of invoices. Set params.Type to InvoiceTypeLink to
// list registration links only.
//
// Razorpay API docs: https://razorpay.com/docs/api/invoices/fetch-all/
func (s *InvoiceService) List(ctx context.Context, params *InvoiceListParams) (*List[Invoice], error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return listPage[Invoice](ctx, s.c, "/v1/invoices", params)
}

// All returns an iterator over every invoice that params selects, fetching
// pages of params.Count (100 when zero) as the loop advances. An error is
// yielded once and ends the iteration.
//
// Razorpay API docs: https://razorpay.com/docs/api/invoices/fetch-all/
func (s *InvoiceService) All(ctx context.Context, params *InvoiceListParams) iter.Seq2[Invoice, error] {
	var filter InvoiceListParams
	if params != nil {
		filter = *params
	}
	return all(&filter.ListParams, func(p *ListParams) (*List[Invoice], error) {
		page := filter
		page.ListParams = *p
		return s.List(ctx, &page)
	})
}
