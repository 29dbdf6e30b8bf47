package razorpay

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// view is what Razorpay holds for a receipt, as one list showed it.
type view struct {
	orders []Order // every order carrying the receipt, each with its payments
	// at is Razorpay's clock, in Unix seconds: from the Date header of the
	// answer, or, for a call that holds a ticket, no later than the moment
	// the list was asked for (clockAt); 0 when unknown. Orders are aged on
	// it.
	at int64
	// sent and received are the local times the list's first request was
	// sent and its last answer received.
	sent, received time.Time
}

// read lists the receipt's orders with their payments, all pages (up to
// maxReceiptPages), stopping early at a page that shows a live payment of
// the bill. More orders than that is ErrReceiptUnreadable.
func (b *bill) read(ctx context.Context) (*view, error) {
	c := b.s.c
	filter := OrderListParams{ListParams: ListParams{Count: MaxListCount, MaxPages: maxReceiptPages}, Receipt: b.p.Receipt, Expand: []string{ExpandPayments}}
	v := &view{sent: time.Now()}
	var date time.Time
	seen := make(map[string]bool)
	found := false
	for o, err := range all(&filter.ListParams, func(p *ListParams) (*List[Order], error) {
		if found {
			return &List[Order]{}, nil // the bill's payment is in: no more pages
		}
		page := filter
		page.ListParams = *p
		b.info.Requests++
		var d time.Time
		list, err := c.Order.list(ctx, &page, &d)
		if date.IsZero() {
			date = d
		}
		return list, err
	}) {
		switch {
		case errors.Is(err, ErrListPaging):
			return nil, b.stopUnreadable(ctx, fmt.Errorf("more than %d orders carry the receipt (%w)", MaxReceiptOrders, err))
		case err != nil:
			return nil, b.readFailed(ctx, err)
		case seen[o.ID]:
			continue // a page that shifted as an order was created
		}
		seen[o.ID] = true
		if o.Payments == nil {
			b.info.Requests++
			list, err := c.Order.Payments(ctx, o.ID)
			if err != nil {
				return nil, b.readFailed(ctx, fmt.Errorf("list the payments of order %s: %w", o.ID, err))
			}
			o.Payments = list
		}
		v.orders = append(v.orders, o)
		found = found || b.hasBillPayment(&o)
	}
	v.received = time.Now()
	if !date.IsZero() {
		// Razorpay's clock when it answered: good enough to tell how long
		// to wait, not to decide to charge (a call that holds a ticket ages
		// orders on it: see clockAt).
		v.at = date.Unix()
	}
	return v, nil
}

// readFailed is the error of a call whose list failed: it has sent no
// payment request, so it releases its ticket, and it left nothing else in
// flight.
func (b *bill) readFailed(ctx context.Context, err error) error {
	b.release(ctx)
	return b.unknown(b.ownID(), fmt.Errorf("list the receipt's orders: %w", err), 0)
}

// stopUnreadable is the error of a call that cannot read the receipt whole.
func (b *bill) stopUnreadable(ctx context.Context, err error) error {
	b.release(ctx)
	return b.unreadable(b.ownID(), err)
}

// hasBillPayment reports whether o holds a live payment of the bill.
func (b *bill) hasBillPayment(o *Order) bool {
	for i := range o.Payments.Items {
		if p := &o.Payments.Items[i]; p.Status != PaymentStatusFailed && b.matches(p) {
			return true
		}
	}
	return false
}

// clockAt returns Razorpay's clock at the local time t, no later than the
// truth: the ticket's created_at is at most its creation, which came
// before ackAt, so created_at plus the local time since ackAt is at most
// Razorpay's time then. 0 when the ticket has no created_at.
func (b *bill) clockAt(t time.Time) int64 {
	if b.own == nil || b.own.CreatedAt == 0 {
		return 0
	}
	return b.own.CreatedAt + int64(max(t.Sub(b.ackAt), 0)/time.Second)
}

func (v *view) find(orderID string) *Order {
	for i := range v.orders {
		if v.orders[i].ID == orderID {
			return &v.orders[i]
		}
	}
	return nil
}

// young reports whether o may still get a payment request decided on it
// before the window runs out. Without Razorpay's clock every order is
// young.
func (v *view) young(o *Order, window time.Duration) bool {
	return v.at == 0 || time.Duration(v.at-o.CreatedAt)*time.Second < window
}
