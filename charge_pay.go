package razorpay

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// pay sends the bill's payment request on target, within deadline, and
// settles the answer: the payment, "not charged" after Razorpay's refusal
// or a failed payment (the ticket is then released), or "unknown" until
// the request can no longer land.
func (b *bill) pay(ctx context.Context, v *view, target *Order, deadline time.Time) (*Payment, error) {
	seen := make(map[string]bool, len(target.Payments.Items))
	for _, p := range target.Payments.Items {
		seen[p.ID] = true
	}
	if b.beforePay != nil {
		b.beforePay()
	}
	// The view is valid only while the ticket is young enough that no
	// other call can take it for abandoned before the request is over.
	if left := time.Until(deadline); left < b.minPay {
		b.release(ctx)
		return nil, b.unknown(b.ownID(), fmt.Errorf("the decision to charge went stale: %v left of the settle window, %v needed", left.Round(time.Millisecond), b.minPay), time.Second+jitter(time.Second))
	}
	pctx, cancel := context.WithDeadline(ctx, deadline)
	b.info.Requests++
	rp, err := b.s.createRecurring(pctx, b.p.recurring(target.ID), true)
	cancel()
	switch {
	case err == nil && rp.PaymentID != "" && b.s.signatureOK(target.ID, rp):
		return b.created(ctx, target.ID, seen, rp)
	case err == nil:
		return b.readBack(ctx, target.ID, seen, nil, errors.New("the answer to the payment request cannot be trusted"))
	case notSentError(err):
		// The request never left: nothing of this call is in flight.
		b.release(ctx)
		return nil, b.unknown(target.ID, err, 0)
	}
	var e *Error
	if errors.As(err, &e) && refused(e) && !errors.Is(err, ErrOutcomeUnknown) {
		return b.readBack(ctx, target.ID, seen, err, nil)
	}
	return b.readBack(ctx, target.ID, seen, nil, err)
}

// signatureOK checks the signature of a recurring payment's answer when
// Razorpay sent one.
func (s *PaymentService) signatureOK(orderID string, rp *RecurringPayment) bool {
	if rp.Signature == "" {
		return true
	}
	return VerifyPaymentSignature(orderID, rp.PaymentID, rp.Signature, s.c.cfg.creds.keySecret) == nil
}

// created returns the payment just created, as Razorpay reports it. A
// payment that has already failed is ErrNotCharged. A payment that cannot be
// found, or is on another order, is no proof of a charge: the order is read
// back instead. If a signed answer cannot be read back for another reason
// (a timeout, a 5xx), the charge still happened: Charge returns what it
// knows, in status created.
func (b *bill) created(ctx context.Context, orderID string, seen map[string]bool, rp *RecurringPayment) (*Payment, error) {
	paymentID := rp.PaymentID
	b.info.Requests++
	p, err := b.s.Fetch(ctx, paymentID)
	switch {
	case err == nil && p.OrderID != "" && p.OrderID != orderID:
		return b.readBack(ctx, orderID, seen, nil, fmt.Errorf("payment %s of the answer is on order %s", paymentID, p.OrderID))
	case err == nil && p.Status == PaymentStatusFailed:
		b.release(ctx)
		return nil, b.notCharged(orderID, p, nil)
	case err == nil:
		b.info.Created = true
		return p, nil
	case isGone(err), rp.Signature == "":
		return b.readBack(ctx, orderID, seen, nil, fmt.Errorf("payment %s of the answer cannot be read back: %w", paymentID, err))
	}
	params := b.p
	b.info.Created = true
	return &Payment{
		ID:         paymentID,
		Entity:     "payment",
		Amount:     params.Amount,
		Currency:   params.Currency,
		Status:     PaymentStatusCreated,
		OrderID:    orderID,
		Method:     PaymentMethodCard,
		Email:      params.Email,
		Contact:    params.Contact,
		CustomerID: params.CustomerID,
		TokenID:    params.TokenID,
		Notes:      params.Notes,
	}, nil
}

// readBack reads the order's payments after the payment request got no
// usable answer (lost) or Razorpay's refusal. A payment that is not failed
// and was not there before is the charge. A failed payment that this call
// made means not charged; so does a refusal with no new payment. Anything
// else may still land: ErrOutcomeUnknown until the window's end.
func (b *bill) readBack(ctx context.Context, orderID string, seen map[string]bool, refusal, lost error) (*Payment, error) {
	rounds := 3
	if refusal != nil {
		rounds = 1
	}
	cause := lost
	if cause == nil {
		cause = refusal
	}
	st, err := b.orderState(ctx, orderID, rounds, seen)
	switch {
	case err != nil:
		return nil, b.unknown(orderID, fmt.Errorf("%w (and reading the order back failed: %w)", cause, withoutUnknown(err)), b.untilWindowEnd())
	case st.paid != nil:
		b.info.Created = true
		return st.paid, nil
	case st.failed != nil:
		b.release(ctx)
		return nil, b.notCharged(orderID, st.failed, refusal)
	case refusal != nil:
		b.release(ctx)
		return nil, b.notCharged(orderID, nil, refusal)
	}
	return nil, b.unknown(orderID, fmt.Errorf("%w; %w", lost, errNoPaymentYet), b.untilWindowEnd())
}

var errNoPaymentYet = errors.New("the order holds no payment from this attempt yet")

// orderState is what a charge order holds after the call's payment request.
type orderState struct {
	paid   *Payment // a payment that is not failed
	failed *Payment // the last failed payment not seen before the request
}

// orderState reads the payments of a charge order, up to rounds times with
// backoff until one that is not failed appears (the call's, or an earlier
// failed one authorized late: either way the bill is charged). Failed
// payments in seen (there before this call's request) are not this call's
// failure.
func (b *bill) orderState(ctx context.Context, orderID string, rounds int, seen map[string]bool) (orderState, error) {
	cfg := b.s.c.cfg
	var st orderState
	for round := 0; round < rounds && st.paid == nil; round++ {
		if round > 0 {
			if err := sleep(ctx, backoff(cfg.backoffMin, cfg.backoffMax, round, nil)); err != nil {
				return st, err
			}
		}
		b.info.Requests++
		list, err := b.s.c.Order.Payments(ctx, orderID)
		if err != nil {
			return st, err
		}
		for i := range list.Items {
			p := &list.Items[i]
			switch {
			case p.Status == PaymentStatusFailed && !seen[p.ID]:
				st.failed = p
			case p.Status == PaymentStatusFailed:
			case st.paid == nil || rank(p.Status) > rank(st.paid.Status):
				st.paid = p
			}
		}
	}
	return st, nil
}
