package razorpaytest

import (
	"context"
	"fmt"

	"github.com/gorzp/razorpay"
)

// Mandate is a customer with a confirmed card mandate, made by NewMandate.
type Mandate struct {
	// CustomerID, Email and Contact are the customer's.
	CustomerID string
	Email      string
	Contact    string
	// TokenID is the confirmed token to charge.
	TokenID string
	// MaxAmount is the most one debit may take, in paise.
	MaxAmount int64
	// OrderID and PaymentID are the authorization order and its payment.
	OrderID   string
	PaymentID string
}

// NewMandate sets up, in one call, what most billing tests start from: a new
// customer whose card mandate (monthly, up to maxAmount paise a debit) is
// confirmed. It goes the way a real integration does, through the API
// (Customer.Create, an authorization Order.Create) and the card holder
// (CompleteAuthorization with opts), so its requests appear in Requests()
// and its events are posted as webhooks.
func (s *Server) NewMandate(ctx context.Context, maxAmount int64, opts ...CardholderOption) (*Mandate, error) {
	n := s.mandates.Add(1)
	client := s.Client()
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
		Name:    fmt.Sprintf("Mandate Holder %d", n),
		Email:   fmt.Sprintf("mandate.holder.%d@example.com", n),
		Contact: fmt.Sprintf("+91%010d", 9000000000+n%1000000000),
	})
	if err != nil {
		return nil, fmt.Errorf("razorpaytest: NewMandate: %w", err)
	}
	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount:     100,
		Currency:   "INR",
		Receipt:    fmt.Sprintf("mandate-%d", n),
		CustomerID: cust.ID,
		Method:     razorpay.PaymentMethodCard,
		Token:      &razorpay.OrderTokenParams{MaxAmount: maxAmount, Frequency: razorpay.FrequencyMonthly},
	})
	if err != nil {
		return nil, fmt.Errorf("razorpaytest: NewMandate: %w", err)
	}
	pay, err := s.CompleteAuthorization(order.ID, opts...)
	if err != nil {
		return nil, fmt.Errorf("razorpaytest: NewMandate: %w", err)
	}
	return &Mandate{
		CustomerID: cust.ID,
		Email:      cust.Email,
		Contact:    cust.Contact,
		TokenID:    pay.TokenID,
		MaxAmount:  maxAmount,
		OrderID:    order.ID,
		PaymentID:  pay.ID,
	}, nil
}
