package razorpay

import (
	"cmp"
	"context"
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
// after a short random wait (see contention).
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
		return b.unknown(youngest.ID, errSameSecond, time.Second+jitter(2*time.Second<<b.contention(v)))
	}
	return b.unknown(youngest.ID, errAnotherAttempt, b.retryFor(v, youngest))
}

// contention counts the receipt's young released orders, up to 7: how
// often calls for the bill stood down lately. Calls that tied come back
// after a random wait that doubles with it, so that calls a queue delivers
// together (at the same tick of its schedule) soon stop tying.
func (b *bill) contention(v *view) int {
	n := 0
	for i := range v.orders {
		if o := &v.orders[i]; released(o) && v.young(o, b.window) && n < 7 {
			n++
		}
	}
	return n
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
