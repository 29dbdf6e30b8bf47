package razorpay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The ticket of a call of Payment.Charge: its creation, the reads until the
// list shows it, its release, and the calls whose ticket could not be made
// (a refusal, a lost answer, a receipt taken on an account with unique
// receipts).

// createTicket creates the call's ticket: a charge order with the receipt,
// marked with a random note.
func (b *bill) createTicket(ctx context.Context) error {
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	b.nonce = hex.EncodeToString(raw[:])
	b.sentAt = time.Now()
	b.info.Requests++
	o, err := b.s.c.Order.Create(ctx, &OrderCreateParams{Amount: b.p.Amount, Currency: b.p.Currency, Receipt: b.p.Receipt,
		Notes: b.notes(b.nonce), PaymentCapture: Ptr(true)})
	if err != nil {
		return err
	}
	b.own, b.ackAt = o, time.Now()
	b.info.OrderID = o.ID
	return nil
}

// notes returns the bill's notes with ChargeNoteKey set to mark.
func (b *bill) notes(mark string) Notes {
	n := make(Notes, len(b.p.Notes)+1)
	for k, v := range b.p.Notes {
		n[k] = v
	}
	n[ChargeNoteKey] = mark
	return n
}

// release marks the call's ticket as never to be charged, so that other
// calls need not wait for it. It is called only when the call sent no
// payment request, or its payment certainly failed. A failure leaves the
// ticket to age out of the window.
func (b *bill) release(ctx context.Context) {
	if b.own == nil || b.info.Released {
		return
	}
	b.info.Requests++
	if _, err := b.s.c.Order.Update(ctx, b.own.ID, &OrderUpdateParams{Notes: b.notes(chargeReleased)}); err == nil {
		b.info.Released = true
	}
}

// lagWaits are the pauses between re-reads of a list that does not show
// the ticket yet: a list a second or two behind still charges.
var lagWaits = [...]time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}

// readOwn reads the receipt until the list shows the call's ticket (or the
// bill's payment), re-reading a lagging list a few times within the
// payment deadline. A list that never shows it is ErrReceiptUnreadable.
func (b *bill) readOwn(ctx context.Context) (*view, error) {
	for i := 0; ; i++ {
		v, err := b.read(ctx)
		if err != nil {
			b.release(ctx)
			return nil, err
		}
		if o := v.find(b.own.ID); o != nil {
			if b.own.CreatedAt == 0 {
				b.own.CreatedAt = o.CreatedAt
			}
			v.at = b.clockAt(v.sent)
			return v, nil
		}
		if p, _ := b.found(v); p != nil {
			return v, nil // the bill is charged: decide returns it
		}
		if i == len(lagWaits) || time.Now().Add(lagWaits[i]+b.minPay).After(b.payDeadline()) {
			b.release(ctx)
			return nil, b.unreadable(b.own.ID, fmt.Errorf("the orders list did not show order %s, created by this call, after %d reads", b.own.ID, i+1))
		}
		if err := sleep(ctx, lagWaits[i]); err != nil {
			return nil, b.unknown(b.own.ID, err, time.Second)
		}
	}
}

// withoutTicket settles a call whose ticket could not be created.
func (b *bill) withoutTicket(ctx context.Context, cause error) (*Payment, error) {
	var e *Error
	switch {
	case errors.Is(cause, ErrOutcomeUnknown):
		return b.recoverTicket(ctx, cause)
	case !errors.As(cause, &e):
		// Not sent, or the context ended first: nothing is in flight.
		return nil, b.unknown("", cause, 0)
	case receiptTaken(e) != "":
		return b.chargeTaken(ctx, receiptTaken(e), cause)
	case receiptBusy(e):
		return nil, b.unknown("", cause, receiptLockWindow+jitter(2*time.Second))
	case !refused(e):
		// A 429 or another answer that a proxy may send: Razorpay did not
		// act on it or, if it did, left an order that ages out.
		return nil, b.unknown("", cause, 0)
	}
	// Razorpay refused this call's order. The bill is not charged unless
	// another attempt charged it meanwhile, or may be about to.
	v, p, err := b.look(ctx)
	if v == nil {
		return p, err
	}
	if v.at == 0 {
		return nil, b.unknown("", fmt.Errorf("%w (and %w)", cause, errNoClock), b.window)
	}
	if err := b.wait(v); err != nil {
		return nil, err
	}
	return nil, b.notCharged("", nil, cause)
}

// recoverReads is how many times recoverTicket reads the list again: a
// create that got no answer was most often not carried out, and a ticket
// that shows later only holds the bill until it ages out.
const recoverReads = 3

// recoverTicket looks for the ticket of a create whose answer was lost, by
// its note: found, the call goes on with it; not found after a few reads
// (under two seconds), it may still appear, and will age out.
func (b *bill) recoverTicket(ctx context.Context, cause error) (*Payment, error) {
	for i := 0; ; i++ {
		v, err := b.read(ctx)
		if err != nil {
			return nil, err
		}
		if p, err := b.found(v); p != nil || err != nil {
			return p, err
		}
		for j := range v.orders {
			if o := &v.orders[j]; o.Notes[ChargeNoteKey] == b.nonce {
				b.own, b.ackAt = o, v.received
				b.info.OrderID = o.ID
				v.at = b.clockAt(v.sent)
				return b.decide(ctx, v)
			}
		}
		if i == recoverReads || time.Now().Add(lagWaits[i]+b.minPay).After(b.payDeadline()) {
			return nil, b.unknown("", fmt.Errorf("%w (and the orders list does not show an order of this call)", cause), jitter(2*time.Second)+time.Second)
		}
		if err := sleep(ctx, lagWaits[i]); err != nil {
			return nil, b.unknown("", cause, time.Second)
		}
	}
}

// chargeTaken settles a call on an account with unique receipts whose
// ticket was refused because orderID holds the receipt: the bill's one
// order. It charges that order, without a ticket, once the order is
// released or older than the window (see Charge).
func (b *bill) chargeTaken(ctx context.Context, orderID string, cause error) (*Payment, error) {
	v, err := b.read(ctx)
	if err != nil {
		return nil, err
	}
	if v.find(orderID) == nil {
		o, err := b.fetchOrder(ctx, orderID)
		if err != nil {
			return nil, b.unknown(orderID, err, 0)
		}
		if o.Receipt == b.p.Receipt {
			v.orders = append(v.orders, *o)
		}
	}
	if err := b.checkHint(ctx, v); err != nil {
		return nil, err
	}
	if p, err := b.found(v); p != nil || err != nil {
		return p, err
	}
	if v.at == 0 {
		return nil, b.unknown(orderID, fmt.Errorf("%w (and %w)", withoutUnknown(cause), errNoClock), b.window)
	}
	if err := b.wait(v); err != nil {
		return nil, err
	}
	target := b.target(v)
	if target == nil {
		return nil, b.conflict(orderID, fmt.Sprintf("its order %s is for another amount or currency", orderID))
	}
	deadline := time.Now().Add(b.window - b.guard)
	return b.pay(ctx, v, target, deadline)
}

// fetchOrder fetches an order with its payments.
func (b *bill) fetchOrder(ctx context.Context, orderID string) (*Order, error) {
	b.info.Requests += 2
	o, err := b.s.c.Order.Fetch(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("fetch order %s: %w", orderID, err)
	}
	if o.Payments == nil {
		if o.Payments, err = b.s.c.Order.Payments(ctx, orderID); err != nil {
			return nil, fmt.Errorf("list the payments of order %s: %w", orderID, err)
		}
	}
	return o, nil
}

// receiptLockWindow is how long after an order's creation an account with
// unique receipts refuses another create of its receipt as "in progress".
const receiptLockWindow = 10 * time.Second

// receiptTaken returns the order that holds the receipt when e is
// Razorpay's refusal of a second order with a used receipt ("Order receipt
// should be unique.", or "Receipt should be unique.", with the order in
// metadata.order_id), and "" otherwise.
func receiptTaken(e *Error) string {
	if e.HTTPStatusCode != 400 || !strings.Contains(strings.ToLower(e.Description), "receipt should be unique") {
		return ""
	}
	id, _ := e.Metadata["order_id"].(string)
	if !validID(id) {
		return ""
	}
	return id
}

// receiptBusy reports whether e is Razorpay's refusal of an order whose
// receipt another create is still making ("Another operation with the same
// receipt is in progress.").
func receiptBusy(e *Error) bool {
	return e.HTTPStatusCode == 400 && strings.Contains(strings.ToLower(e.Description), "same receipt is in progress")
}
