package razorpaytest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gorzp/razorpay"
)

// Errors of the card holder and bank actions.
var (
	// ErrUnknownID matches the error of an action on an id the server does
	// not know. (The API answers such an id with 400 "The id provided does
	// not exist", which is not razorpay.ErrNotFound either.)
	ErrUnknownID = errors.New("razorpaytest: no such entity")
	// ErrNotFound is ErrUnknownID under its former name, which package
	// razorpay uses for HTTP 404.
	//
	// Deprecated: use ErrUnknownID.
	ErrNotFound = ErrUnknownID
	// ErrInvalidState matches the error of an action the entity's state does
	// not allow, such as paying an order that is already paid.
	ErrInvalidState = errors.New("razorpaytest: not allowed in this state")
)

// DefaultCardNumber is the card the card holder pays with unless WithCard
// says otherwise: a Visa card ending in 1111.
const DefaultCardNumber = "4111111111111111"

// CardDetails describe the card the card holder pays with. Zero fields take
// defaults.
type CardDetails struct {
	// Number is the card number (DefaultCardNumber when empty); it decides
	// the network and last4, and the card reference.
	Number string
	// Name is the name on the card; the customer's name when empty.
	Name string
	// Type is credit (the default), debit or prepaid.
	Type string
	// Issuer is the issuing bank's code; HDFC when empty.
	Issuer string
	// ExpiryMonth and ExpiryYear are the card's expiry; December five years
	// from now when zero.
	ExpiryMonth, ExpiryYear int
	// International marks a card issued outside India.
	International bool
}

// CardholderOption changes how the card holder pays in CompleteAuthorization,
// RejectAuthorization and PayOrder.
type CardholderOption func(*CardDetails)

// WithCard makes the card holder pay with the given card.
func WithCard(c CardDetails) CardholderOption {
	return func(d *CardDetails) { *d = c }
}

// CompleteAuthorization acts as the card holder who approves a card mandate
// at Checkout: it pays the authorization order (an order with a token), or
// the order of a registration link given by its invoice id. It creates a
// captured payment with a card, a card entity, and a token with
// recurring_details.status confirmed and the order's max_amount, expire_at
// and frequency; it marks the order paid and the registration link paid. It
// emits payment.authorized, payment.captured, order.paid, invoice.paid (for a
// link) and token.confirmed, and returns the payment, whose TokenID is the
// new token.
//
// It fails with ErrUnknownID for an unknown id, and with ErrInvalidState for
// an order that is paid or has no token, or a link that is not issued.
func (s *Server) CompleteAuthorization(orderOrInvoiceID string, opts ...CardholderOption) (*razorpay.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, cust, c, err := s.cardholderAt(orderOrInvoiceID, opts)
	if err != nil {
		return nil, err
	}
	p := s.authorize(o, cust, c)
	return convert[razorpay.Payment](p.withCard())
}

// RejectAuthorization acts as a card holder (or bank) who declines a card
// mandate: it creates a failed payment on the authorization order (or the
// registration link's order) and a token with recurring false and
// recurring_details {status: rejected, failure_reason: reason}; the order is
// attempted and the link stays issued, so the card holder may try again. An
// empty reason means "Rejected by bank". It emits payment.failed and
// token.rejected and returns the failed payment. Its errors are those of
// CompleteAuthorization.
func (s *Server) RejectAuthorization(orderOrInvoiceID, reason string, opts ...CardholderOption) (*razorpay.Payment, error) {
	if reason == "" {
		reason = "Rejected by bank"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, cust, c, err := s.cardholderAt(orderOrInvoiceID, opts)
	if err != nil {
		return nil, err
	}
	p := s.rejectMandate(o, cust, c, reason)
	return convert[razorpay.Payment](p.withCard())
}

// cardholderAt finds the authorization order of an order or registration
// link and the card its customer pays with. The caller holds s.mu.
func (s *Server) cardholderAt(orderOrInvoiceID string, opts []CardholderOption) (*order, *customer, *card, error) {
	s.catchUp()
	o, err := s.authorizationOrder(orderOrInvoiceID)
	if err != nil {
		return nil, nil, nil, err
	}
	cust := s.st.customers[o.CustomerID]
	c, err := s.newCard(cust, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return o, cust, c, nil
}

// PayOrder acts as a customer who pays an order once at Checkout, with
// method card, upi, netbanking or wallet and without registering a mandate.
// The payment is captured and the order (and its registration link, if any)
// paid; payment.authorized, payment.captured and order.paid are emitted.
// Use it for one-off payments, such as a payment that was not made by card.
// On an order created with PaymentCapture false the payment stays
// authorized (only payment.authorized is emitted) until Payment.Capture
// captures it: the way to make an authorized, uncaptured payment.
func (s *Server) PayOrder(orderID, method string, opts ...CardholderOption) (*razorpay.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	o := s.st.orders[orderID]
	switch {
	case o == nil:
		return nil, fmt.Errorf("%w: order %q", ErrUnknownID, orderID)
	case o.Status == orderPaid:
		return nil, fmt.Errorf("%w: order %s is already paid", ErrInvalidState, o.ID)
	case o.invoice != nil && o.invoice.Status != invoiceIssued:
		return nil, fmt.Errorf("%w: registration link %s is %s", ErrInvalidState, o.invoice.ID, o.invoice.Status)
	}
	cust := s.st.customers[o.CustomerID]
	var c *card
	switch method {
	case "card":
		var err error
		if c, err = s.newCard(cust, opts); err != nil {
			return nil, err
		}
	case "upi", "netbanking", "wallet":
	default:
		return nil, fmt.Errorf("razorpaytest: PayOrder: method must be card, upi, netbanking or wallet, got %q", method)
	}
	p := s.newPayment(o, c, cust)
	p.Method = method
	switch method {
	case "upi":
		p.VPA = "success@razorpay"
	case "netbanking":
		p.Bank = "HDFC"
	case "wallet":
		p.Wallet = "paytm"
	}
	if p.Contact == "" {
		p.Contact = "+919000090000"
	}
	s.capture(p)
	return convert[razorpay.Payment](p.withCard())
}

// SetMandateStatus acts as the bank or the card holder changing a card
// mandate: status cancelled or paused stops charges (token.cancelled,
// token.paused), confirmed resumes a paused mandate (token.confirmed), and
// rejected refuses it (token.rejected). A cancelled or rejected mandate is
// final. Setting the current status does nothing.
func (s *Server) SetMandateStatus(tokenID string, status razorpay.TokenRecurringStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := s.st.tokens[tokenID]
	if tk == nil {
		return fmt.Errorf("%w: token %q", ErrUnknownID, tokenID)
	}
	switch status {
	case razorpay.TokenRecurringStatusConfirmed, razorpay.TokenRecurringStatusPaused, razorpay.TokenRecurringStatusCancelled, razorpay.TokenRecurringStatusRejected:
	default:
		return fmt.Errorf("razorpaytest: SetMandateStatus: status must be confirmed, paused, cancelled or rejected, got %q", string(status))
	}
	return s.setMandate(tk, mandateStatus(status))
}

// ExpireLink expires an issued registration link now, as Razorpay does at
// its expire_by (which the server also honours by itself), and emits
// invoice.expired.
func (s *Server) ExpireLink(invoiceID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	inv := s.st.invoices[invoiceID]
	if inv == nil {
		return fmt.Errorf("%w: invoice %q", ErrUnknownID, invoiceID)
	}
	return s.expireLink(inv, s.now().Unix())
}

// FailPayment makes a payment fail after the fact, as a recurring charge
// that a bank declines later does: the payment becomes failed with reason as
// its error_description (an empty reason means "Payment failed"); an order
// it had paid is attempted again with its amount due (and its registration
// link issued again). It emits payment.failed.
func (s *Server) FailPayment(paymentID, reason string) error {
	if reason == "" {
		reason = "Payment failed"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.payments[paymentID]
	if p == nil {
		return fmt.Errorf("%w: payment %q", ErrUnknownID, paymentID)
	}
	return s.failLate(p, reason)
}

// CapturePayment settles a payment that is created (a recurring payment
// waiting for the bank, see WithRecurringDelay) or failed (a late
// authorization: Razorpay can report payment.failed and later
// payment.captured for the same payment). The payment is authorized and
// captured and its order paid, with payment.authorized, payment.captured and
// order.paid. When another payment has paid the order meanwhile, Razorpay
// refunds the late one automatically: it ends refunded instead, and the
// order stays paid by the other.
func (s *Server) CapturePayment(paymentID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.payments[paymentID]
	if p == nil {
		return fmt.Errorf("%w: payment %q", ErrUnknownID, paymentID)
	}
	return s.settle(p)
}

// authorizationOrder returns the unpaid authorization order of an order or
// registration link id.
func (s *Server) authorizationOrder(id string) (*order, error) {
	var o *order
	if strings.HasPrefix(id, "inv_") {
		inv := s.st.invoices[id]
		if inv == nil {
			return nil, fmt.Errorf("%w: invoice %q", ErrUnknownID, id)
		}
		o = inv.order
	} else if o = s.st.orders[id]; o == nil {
		return nil, fmt.Errorf("%w: order %q", ErrUnknownID, id)
	}
	switch {
	case o.invoice != nil && o.invoice.Status != invoiceIssued:
		return nil, fmt.Errorf("%w: registration link %s is %s", ErrInvalidState, o.invoice.ID, o.invoice.Status)
	case o.Token == nil || o.CustomerID == "":
		return nil, fmt.Errorf("%w: order %s is not an authorization order (it has no token and customer); use PayOrder", ErrInvalidState, o.ID)
	case o.Status == orderPaid:
		return nil, fmt.Errorf("%w: order %s is already paid", ErrInvalidState, o.ID)
	}
	return o, nil
}

func (s *Server) newCard(cust *customer, opts []CardholderOption) (*card, error) {
	var d CardDetails
	for _, o := range opts {
		if o != nil {
			o(&d)
		}
	}
	number := strings.ReplaceAll(d.Number, " ", "")
	if number == "" {
		number = DefaultCardNumber
	}
	if !luhn(number) {
		return nil, errors.New("razorpaytest: CardDetails.Number is not a valid card number (12 to 19 digits with a Luhn check digit)")
	}
	if d.Name == "" && cust != nil {
		d.Name = string(cust.Name)
	}
	if d.Type == "" {
		d.Type = "credit"
	}
	if d.Issuer == "" {
		d.Issuer = "HDFC"
	}
	if d.ExpiryMonth < 1 || d.ExpiryMonth > 12 {
		d.ExpiryMonth = 12
	}
	if d.ExpiryYear == 0 {
		d.ExpiryYear = s.now().Year() + 5
	}
	c := &card{
		ID: newID(s, "card_", s.st.cards), Entity: "card", Name: d.Name, Last4: number[len(number)-4:],
		Network: cardNetwork(number), Type: d.Type, Issuer: ns(d.Issuer), International: d.International,
		EMI: d.Type == "credit", SubType: "consumer",
		seq: s.st.next(), number: number, expMonth: d.ExpiryMonth, expYear: d.ExpiryYear,
	}
	s.st.cards[c.ID] = c
	return c, nil
}

// convert turns an entity of the fake into the SDK's type through its JSON.
func convert[T any](v any) (*T, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("razorpaytest: decode %T: %w", out, err)
	}
	return out, nil
}

func convertAll[T any, E any](items []E) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if v, err := convert[T](it); err == nil {
			out = append(out, *v)
		}
	}
	return out
}

// Payments returns every payment, oldest first, with its card embedded.
func (s *Server) Payments() []razorpay.Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	items := make([]*payment, len(s.st.paymentList))
	for i, p := range s.st.paymentList {
		items[i] = p.withCard()
	}
	return convertAll[razorpay.Payment](items)
}

// ReceiptPayments returns the payments made on every order that carries
// receipt, oldest first, with their cards embedded: what one bill charged,
// however many orders were created for it.
func (s *Server) ReceiptPayments(receipt string) []razorpay.Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	var items []*payment
	for _, o := range s.st.receipts[receipt] {
		for _, p := range o.payments {
			items = append(items, p.withCard())
		}
	}
	slices.SortStableFunc(items, func(a, b *payment) int { return cmp.Compare(a.seq, b.seq) })
	return convertAll[razorpay.Payment](items)
}

// DoubleCharges returns the receipts, sorted, whose orders hold more than
// one live payment (one that is not failed or refunded): the bills charged
// twice. Tests of exactly-once billing expect none.
func (s *Server) DoubleCharges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	return s.doubleChargesLocked()
}

// doubleChargesLocked is DoubleCharges for a caller that holds s.mu.
func (s *Server) doubleChargesLocked() []string {
	var out []string
	for receipt, orders := range s.st.receipts {
		live := 0
		for _, o := range orders {
			for _, p := range o.payments {
				if p.Status != paymentFailed && p.Status != paymentRefunded {
					live++
				}
			}
		}
		if live > 1 {
			out = append(out, receipt)
		}
	}
	slices.Sort(out)
	return out
}

// OrderPayments returns the payments made on an order, oldest first, with
// their cards embedded; none for an unknown order.
func (s *Server) OrderPayments(orderID string) []razorpay.Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	o := s.st.orders[orderID]
	if o == nil {
		return nil
	}
	items := make([]*payment, len(o.payments))
	for i, p := range o.payments {
		items[i] = p.withCard()
	}
	return convertAll[razorpay.Payment](items)
}

// Customers returns every customer, oldest first.
func (s *Server) Customers() []razorpay.Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return convertAll[razorpay.Customer](s.st.customerList)
}

// Orders returns every order, oldest first.
func (s *Server) Orders() []razorpay.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return convertAll[razorpay.Order](s.st.orderList)
}

// Invoices returns every invoice (registration link), oldest first.
func (s *Server) Invoices() []razorpay.Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	return convertAll[razorpay.Invoice](s.st.invoiceList)
}

// Tokens returns a customer's tokens, oldest first, including the rejected
// and expired ones that the API's token list leaves out; deleted tokens are
// gone.
func (s *Server) Tokens(customerID string) []razorpay.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.customers[customerID]
	if c == nil {
		return nil
	}
	return convertAll[razorpay.Token](c.tokens)
}
