package razorpaytest

import "fmt"

// preDebitNotification is the entity of the order.notification.* events.
type preDebitNotification struct {
	ID           string             `json:"id"`
	Entity       string             `json:"entity"`
	OrderID      string             `json:"order_id"`
	TokenID      string             `json:"token_id"`
	DeliveredAt  ni                 `json:"delivered_at"`
	Status       notificationStatus `json:"status"`
	PaymentAfter ni                 `json:"payment_after"`
}

// NotifyPreDebit acts as Razorpay reporting the pre-debit notification of a
// charge order created with a notification object: delivered true emits
// order.notification.delivered, false order.notification.failed, with the
// notification entity. It fails with ErrUnknownID for an unknown order and
// with ErrInvalidState for an order without a notification.
func (s *Server) NotifyPreDebit(orderID string, delivered bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[orderID]
	switch {
	case o == nil:
		return fmt.Errorf("%w: order %q", ErrUnknownID, orderID)
	case o.Notification == nil:
		return fmt.Errorf("%w: order %s has no pre-debit notification", ErrInvalidState, o.ID)
	}
	s.reportPreDebit(o, delivered)
	return nil
}
