package razorpay

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// The algorithm of Payment.Charge and Payment.LookupCharge; charge.go has
// the API and what it assumes.
//
// A call looks first (read), waits without creating anything while another
// attempt's ticket may be about to charge the bill (wait), and only then
// creates its own ticket (createTicket), looks again (readOwn) and charges
// when no unreleased young ticket is as early as its own (pay). A call that
// does not charge, or whose payment certainly failed, releases its ticket.

// bill is one call of Charge or LookupCharge.
type bill struct {
	s      *PaymentService
	p      *ChargeParams
	info   *ChargeInfo
	window time.Duration // the settle window
	guard  time.Duration // see settleGuard
	// minPay is the least time left before the payment deadline for which
	// the call still sends the payment request.
	minPay time.Duration

	// own is the call's ticket (nil until it has one), nonce its note,
	// sentAt the local time just before its create was sent, and ackAt a
	// local time by which it was known to exist.
	own           *Order
	nonce         string
	sentAt, ackAt time.Time

	// beforePay, in tests, runs between the decision to charge and the
	// payment request: a paused process.
	beforePay func()
}

func newBill(ctx context.Context, s *PaymentService, p *ChargeParams) *bill {
	info, _ := ctx.Value(chargeInfoKey{}).(*ChargeInfo)
	if info == nil {
		info = new(ChargeInfo)
	}
	*info = ChargeInfo{}
	cfg := s.c.cfg
	return &bill{s: s, p: p, info: info, window: cfg.settleWindow, guard: settleGuard(cfg.settleWindow),
		minPay: min(cfg.timeout/2, 2*time.Second)}
}

// done returns the answer of the call.
func (b *bill) done(p *Payment, err error) (*Payment, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

// settleGuard is how long before the end of the settle window a call stops
// sending or waiting for its payment request: the two seconds by which
// other calls may misjudge its ticket's age (created_at has one-second
// resolution; Razorpay's clocks agree within a second), and time for a
// request the SDK gave up on to be either carried out or dropped.
func settleGuard(window time.Duration) time.Duration {
	return max(3*time.Second, window/60)
}

// minSettleWindow is the shortest settle window a client with the given
// per-attempt timeout accepts: room for the ticket, the list and the
// payment request to take a full attempt each, and the guard.
func minSettleWindow(timeout time.Duration) time.Duration {
	if timeout <= 0 {
		timeout = 2 * DefaultTimeout // the transport's bound on response headers
	}
	return 3*timeout + settleGuard(3*timeout)
}

// look reads the receipt and checks OrderID. It returns the view when the
// call goes on, and otherwise the call's answer: the bill's payment, a
// conflict, or the failure to read.
func (b *bill) look(ctx context.Context) (*view, *Payment, error) {
	v, err := b.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := b.checkHint(ctx, v); err != nil {
		return nil, nil, err
	}
	if p, err := b.found(v); p != nil || err != nil {
		return nil, p, err
	}
	return v, nil, nil
}

// lookup is LookupCharge: what Charge would find, without a ticket.
func (b *bill) lookup(ctx context.Context) (*Payment, error) {
	v, p, err := b.look(ctx)
	if v == nil {
		return p, err
	}
	if v.at == 0 {
		return nil, b.unknown("", errNoClock, b.window)
	}
	if err := b.wait(v); err != nil {
		return nil, err
	}
	var last *Payment
	for i := range v.orders {
		for j := range v.orders[i].Payments.Items {
			if p := &v.orders[i].Payments.Items[j]; b.matches(p) && (last == nil || p.CreatedAt > last.CreatedAt) {
				last = p
			}
		}
	}
	if last != nil {
		return nil, b.notCharged(last.OrderID, last, nil)
	}
	return nil, b.notCharged("", nil, errors.New("no payment of the bill, and no order of the receipt that may still be charged"))
}

var errNoClock = errors.New("no clock of Razorpay's (no Date header) to age the receipt's orders on")

// charge is Charge.
func (b *bill) charge(ctx context.Context) (*Payment, error) {
	v, p, err := b.look(ctx)
	if v == nil {
		return p, err
	}
	// Without Razorpay's clock this look cannot age the orders: the ticket's
	// created_at will.
	if v.at != 0 {
		if err := b.wait(v); err != nil {
			return nil, err
		}
	}
	if err := b.createTicket(ctx); err != nil {
		return b.withoutTicket(ctx, err)
	}
	if v, err = b.readOwn(ctx); err != nil {
		return nil, err
	}
	return b.decide(ctx, v)
}

// decide settles a call that holds a ticket, from a view that shows it.
func (b *bill) decide(ctx context.Context, v *view) (*Payment, error) {
	if p, err := b.found(v); p != nil {
		return p, nil
	} else if err != nil {
		b.release(ctx)
		return nil, err
	}
	if err := b.checkHint(ctx, v); err != nil {
		b.release(ctx)
		return nil, err
	}
	if err := b.wait(v); err != nil {
		b.release(ctx)
		return nil, err
	}
	return b.pay(ctx, v, b.target(v), b.payDeadline())
}

// payDeadline is when the call's payment request must be over: the settle
// window minus the guard after its ticket was requested, on the local
// monotonic clock.
func (b *bill) payDeadline() time.Time { return b.sentAt.Add(b.window - b.guard) }

// untilWindowEnd is the RetryAfter of a call whose payment request may
// still land: until its ticket is older than the settle window for every
// other call, and a second for clocks.
func (b *bill) untilWindowEnd() time.Duration {
	return max(time.Until(b.sentAt.Add(b.window)), 0) + 2*time.Second
}

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

// checkHint checks ChargeParams.OrderID: an order of the receipt, for the
// bill's amount and currency. One the list does not show is fetched and
// added to the view.
func (b *bill) checkHint(ctx context.Context, v *view) error {
	id := b.p.OrderID
	if id == "" {
		return nil
	}
	o := v.find(id)
	if o == nil {
		fetched, err := b.fetchOrder(ctx, id)
		if err != nil {
			return b.unknown(id, err, 0)
		}
		if fetched.Receipt != b.p.Receipt {
			return b.conflict(id, fmt.Sprintf("order %s has receipt %q, not %q", id, fetched.Receipt, b.p.Receipt))
		}
		v.orders = append(v.orders, *fetched)
		o = &v.orders[len(v.orders)-1]
	}
	if !b.sameAmount(o) {
		return b.conflict(id, fmt.Sprintf("order %s is for %d %s, not %d %s", id, o.Amount, o.Currency, b.p.Amount, b.p.Currency))
	}
	return nil
}

// found returns the bill's live payment (any status but failed, on any
// order of the receipt, that matches the bill): the most advanced, then
// the earliest. A receipt whose live payments are all another charge's is
// a conflict.
func (b *bill) found(v *view) (*Payment, error) {
	var best, other *Payment
	for i := range v.orders {
		items := v.orders[i].Payments.Items
		for j := range items {
			p := &items[j]
			switch {
			case p.Status == PaymentStatusFailed:
			case !b.matches(p):
				if other == nil {
					other = p
				}
			case best == nil || rank(p.Status) > rank(best.Status) || (rank(p.Status) == rank(best.Status) && p.CreatedAt < best.CreatedAt):
				best = p
			}
		}
	}
	switch {
	case best != nil:
		return best, nil
	case other != nil:
		return nil, b.conflict(other.OrderID, fmt.Sprintf("payment %s is %s", other.ID, b.mismatch(other)))
	}
	return nil, nil
}

// matches reports whether p is a payment of the bill: its amount and
// currency, and its customer and token where both are known. A lookup that
// leaves a field of the bill empty matches any.
func (b *bill) matches(p *Payment) bool {
	return b.mismatch(p) == ""
}

// mismatch says how p differs from the bill, or "".
func (b *bill) mismatch(p *Payment) string {
	bp := b.p
	switch {
	case bp.Amount != 0 && p.Amount != bp.Amount, bp.Currency != "" && !strings.EqualFold(p.Currency, bp.Currency):
		return fmt.Sprintf("for %d %s, not %d %s", p.Amount, p.Currency, bp.Amount, bp.Currency)
	case bp.CustomerID != "" && p.CustomerID != "" && p.CustomerID != bp.CustomerID:
		return fmt.Sprintf("for customer %s, not %s", p.CustomerID, bp.CustomerID)
	case bp.TokenID != "" && p.TokenID != "" && p.TokenID != bp.TokenID:
		return fmt.Sprintf("for token %s, not %s", p.TokenID, bp.TokenID)
	}
	return ""
}

// sameAmount reports whether o is for the bill's amount and currency.
func (b *bill) sameAmount(o *Order) bool {
	return (b.p.Amount == 0 || o.Amount == b.p.Amount) && (b.p.Currency == "" || strings.EqualFold(o.Currency, b.p.Currency))
}

// rank orders live payment states by how far the charge went.
func rank(s PaymentStatus) int {
	switch s {
	case PaymentStatusCaptured:
		return 4
	case PaymentStatusRefunded:
		return 3
	case PaymentStatusAuthorized:
		return 2
	case PaymentStatusCreated:
		return 1
	}
	return 0
}

// wait returns the error of a call that must wait for another attempt, or
// nil. It waits for the orders of the receipt that may be another
// attempt's ticket, about to be charged: not this call's, not released,
// without any payment, and younger than the settle window; with a
// ticket of its own, only for those created no later than it. When every
// such order was created in the same second as its own ticket, neither
// call can tell which came first: both release their tickets and come back
// after a short random wait.
func (b *bill) wait(v *view) error {
	var youngest *Order
	tie := b.own != nil
	for i := range v.orders {
		o := &v.orders[i]
		if b.own != nil && o.ID == b.own.ID || released(o) || len(o.Payments.Items) > 0 || !v.young(o, b.window) {
			continue // the call's own, given up, decided (its first payment is its owner's), or abandoned
		}
		if b.own != nil && b.own.CreatedAt != 0 && o.CreatedAt > b.own.CreatedAt {
			continue // a later ticket: its call waits for this one
		}
		if b.own == nil || b.own.CreatedAt == 0 || o.CreatedAt < b.own.CreatedAt {
			tie = false
		}
		if youngest == nil || earlier(o, youngest) > 0 {
			youngest = o
		}
	}
	if youngest == nil {
		return nil
	}
	if tie {
		return b.unknown(youngest.ID, errSameSecond, time.Second+jitter(2*time.Second))
	}
	return b.unknown(youngest.ID, errAnotherAttempt, b.retryFor(v, youngest))
}

var (
	errAnotherAttempt = errors.New("another attempt for this receipt may be charging it: its order is young, not released and holds no payment yet")
	errSameSecond     = errors.New("another attempt for this receipt created its order in the same second as this one: both stand down")
)

// retryFor is the RetryAfter of a call that waits for order o: short while
// o is young (its attempt is most likely about to pay; each wait at least
// doubles o's age), and no later than the end of o's window.
func (b *bill) retryFor(v *view, o *Order) time.Duration {
	age := time.Duration(max(v.at-o.CreatedAt, 0)) * time.Second
	untilOld := b.window - age + 2*time.Second
	d := max(min(untilOld, max(2*time.Second, age)), time.Second)
	return d + jitter(min(d/4, 30*time.Second))
}

// jitter returns a random duration in [0, d), whole milliseconds.
func jitter(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return 0
	}
	return mrand.N(d).Truncate(time.Millisecond)
}

// released reports whether o's call marked it as never to be charged.
func released(o *Order) bool { return o.Notes[ChargeNoteKey] == chargeReleased }

// target returns the order to charge: the earliest order for the bill's
// amount holding its failed payments, so that Razorpay refunds a late
// authorization of one of them (see ErrNotCharged); else the OrderID asked
// for; else the call's ticket. Nil when there is none (no ticket and no
// order for the bill's amount).
func (b *bill) target(v *view) *Order {
	var t *Order
	for i := range v.orders {
		o := &v.orders[i]
		if len(o.Payments.Items) == 0 || !b.sameAmount(o) || (t != nil && earlier(o, t) >= 0) {
			continue
		}
		ok := true
		for j := range o.Payments.Items {
			ok = ok && b.matches(&o.Payments.Items[j])
		}
		if ok {
			t = o
		}
	}
	for _, id := range [...]string{b.p.OrderID, b.ownID()} {
		if t == nil && id != "" {
			t = v.find(id)
		}
	}
	if t == nil && b.own == nil {
		// Unique receipts: the bill's one order.
		for i := range v.orders {
			if o := &v.orders[i]; b.sameAmount(o) && (t == nil || earlier(o, t) < 0) {
				t = o
			}
		}
	}
	return t
}

func (b *bill) ownID() string {
	if b.own == nil {
		return ""
	}
	return b.own.ID
}

// earlier orders orders by creation, then id.
func earlier(a, b *Order) int {
	if c := cmp.Compare(a.CreatedAt, b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func (b *bill) notCharged(orderID string, p *Payment, cause error) error {
	return &ChargeError{OrderID: orderID, Payment: p, Err: cause, class: ErrNotCharged}
}

func (b *bill) unknown(orderID string, cause error, after time.Duration) error {
	return &ChargeError{OrderID: orderID, Err: cause, RetryAfter: after, class: ErrOutcomeUnknown}
}

func (b *bill) unreadable(orderID string, cause error) error {
	return &ChargeError{OrderID: orderID, Err: fmt.Errorf("%w: %w", ErrReceiptUnreadable, cause), class: ErrReceiptUnreadable}
}

func (b *bill) conflict(orderID, why string) error {
	return &ChargeError{OrderID: orderID, Err: fmt.Errorf("%w: receipt %s: %s", ErrReceiptConflict, strconv.Quote(b.p.Receipt), why)}
}

// withoutUnknown returns the cause of an outcome-unknown error, for failures
// of requests that cannot have charged anyone.
func withoutUnknown(err error) error {
	var ou *outcomeUnknownError
	if errors.As(err, &ou) {
		return ou.cause
	}
	return err
}
