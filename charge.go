package razorpay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrNotCharged matches the error of Payment.Charge when the bill was not
// charged: Razorpay refused the payment, or the payment failed, and no other
// payment for the receipt exists or can still land. Charging again is safe.
// One caveat comes from Razorpay: a failed payment can still be authorized
// late and captured; a later Charge for the same receipt then returns it,
// and Charge's own retry goes to the same order so that Razorpay refunds the
// extra one. (ErrOutcomeUnknown is the other case: see Payment.Charge.)
var ErrNotCharged = errors.New("razorpay: not charged")

// ErrReceiptConflict matches the error of Payment.Charge when the receipt
// already sits on an order for another amount or currency (one that holds a
// payment, is younger than the settle window, or is the OrderID asked for),
// or on a payment for another customer or token: the receipt is not this
// bill's. Nothing was charged. It also matches ErrInvalidParams.
var ErrReceiptConflict = fmt.Errorf("%w: the receipt belongs to another charge", ErrInvalidParams)

// ErrReceiptUnreadable matches the error of Payment.Charge when it cannot
// read every order of the receipt: more than MaxReceiptOrders orders carry
// it, or the orders list never showed the order the call had just created
// (it lagged behind for longer than Charge re-reads it). Charge does not
// charge a bill it cannot see whole: this call charged nothing, and released
// the order it created, but the bill may already be charged on an order it
// could not read. Calling Charge again does not help; look at the receipt's
// orders in the Dashboard (OutcomeUnreadable).
var ErrReceiptUnreadable = errors.New("razorpay: the receipt's orders cannot be read whole")

// ChargeSettleWindow is the default of how long after a charge order was
// created, on Razorpay's clock, Payment.Charge assumes that a payment
// request decided on it may still land (see WithChargeSettleWindow). An
// order of the receipt that is younger than this and holds no payment may be
// another attempt's, about to be charged: Charge then waits for it instead
// of charging (ErrOutcomeUnknown with a RetryAfter).
const ChargeSettleWindow = 15 * time.Minute

// maxReceiptPages caps how many pages of orders (of 100) Charge reads for
// one receipt.
const maxReceiptPages = 20

// ChargeParams are the params of PaymentService.Charge: one debit of a
// confirmed card mandate, for one bill.
type ChargeParams struct {
	// CustomerID is the customer who owns the token.
	CustomerID string
	// TokenID is the confirmed mandate token ("token_...").
	TokenID string
	// Amount is in paise, at most the token's max_amount.
	Amount int64
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string
	// Email and Contact are the card holder's.
	Email   string
	Contact string
	// Receipt is the bill's identity, 1 to 40 characters, such as
	// "sub_42-2026-11": one receipt per bill, never reused for another.
	// Charge stores it on the charge order and finds the bill's orders by
	// it, so that calling Charge again for the same bill, from any process,
	// never charges twice.
	Receipt string
	// Description is shown to the card holder.
	Description string
	// Notes are stored on the charge order and the payment.
	Notes Notes
	// OrderID optionally names a charge order of this bill, such as the
	// OrderID of an earlier *ChargeError. Charge finds the bill's orders by
	// Receipt anyway; with OrderID it charges that order if the bill needs
	// charging and no order holds a failed payment of the bill.
	OrderID string
}

// Validate checks the params before anything is sent: those of the
// recurring payment (see RecurringPaymentParams.Validate) and a receipt of 1
// to 40 characters of valid UTF-8 without control characters.
func (p *ChargeParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	orderID := p.OrderID
	if orderID == "" {
		orderID = "order_to_be_created" // Charge creates it
	}
	if err := p.recurring(orderID).Validate(); err != nil {
		return err
	}
	var v validator
	v.required(p.Receipt, "receipt")
	v.receipt(p.Receipt, "receipt")
	return v.err
}

// recurring returns the params of the recurring payment on orderID.
func (p *ChargeParams) recurring(orderID string) *RecurringPaymentParams {
	return &RecurringPaymentParams{
		Email:       p.Email,
		Contact:     p.Contact,
		Amount:      p.Amount,
		Currency:    p.Currency,
		OrderID:     orderID,
		CustomerID:  p.CustomerID,
		TokenID:     p.TokenID,
		Description: p.Description,
		Notes:       p.Notes,
	}
}

// ChargeError is the error of Payment.Charge. It matches ErrNotCharged when
// the bill was certainly not charged, ErrOutcomeUnknown when Charge could
// not find out or another attempt may be charging it, and neither when the
// receipt conflicts (ErrReceiptConflict). It also matches its cause.
type ChargeError struct {
	// OrderID is the charge order concerned, when there is one.
	OrderID string
	// Payment is the failed payment, when Razorpay made one and it failed.
	Payment *Payment
	// Err is the cause.
	Err error
	// RetryAfter, with ErrOutcomeUnknown, is how long to wait before calling
	// Charge again with the same params: until an attempt that may still be
	// in flight has landed or can no longer land. Zero means that this call
	// left nothing in flight (Razorpay could not be reached, or the context
	// ended before anything that charges was sent): call again at will.
	RetryAfter time.Duration

	class error // ErrNotCharged, ErrOutcomeUnknown or nil
}

// Error describes the failure, the order and the cause.
func (e *ChargeError) Error() string {
	var b strings.Builder
	switch e.class {
	case ErrOutcomeUnknown:
		b.WriteString("razorpay: charge outcome unknown")
	case ErrNotCharged:
		b.WriteString("razorpay: not charged")
	default:
		b.WriteString("razorpay: charge refused")
	}
	if e.OrderID != "" {
		b.WriteString(" (order " + e.OrderID + ")")
	}
	if e.Payment != nil {
		b.WriteString(": payment " + e.Payment.ID + " failed")
		if e.Payment.ErrorDescription != "" {
			b.WriteString(": " + maskDigits(e.Payment.ErrorDescription))
		}
	}
	if e.Err != nil {
		b.WriteString(": " + strings.TrimPrefix(e.Err.Error(), "razorpay: "))
	}
	if e.class == ErrOutcomeUnknown && e.RetryAfter > 0 {
		b.WriteString("; call Charge again after " + e.RetryAfter.String())
	}
	return b.String()
}

// Unwrap returns the class sentinel and the cause.
func (e *ChargeError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.class != nil {
		errs = append(errs, e.class)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Charge charges a confirmed card mandate once for one bill, identified by
// params.Receipt, and is the recommended way to charge. Calling it again
// with the same params, from any process, after a crash, a redelivery or in
// two workers at once, never charges the bill a second time: it returns the
// bill's payment when there is one. The caller keeps no state.
//
// A successful Charge returns a payment that is captured, authorized or
// created: a recurring payment may stay created for a day or more while the
// bank confirms it; its final state arrives by webhook (payment.captured or
// payment.failed) or by calling Charge (or Payment.Fetch) again.
//
// Its errors are *ChargeError, or *ValidationError for invalid params (then
// nothing is sent). Test them in this order:
//
//  1. errors.Is(err, ErrReceiptConflict): the receipt is on an order for
//     another amount or currency, or on a payment for another customer or
//     token. Nothing was charged; fix the receipt. (It also matches
//     ErrInvalidParams.)
//  2. errors.Is(err, ErrOutcomeUnknown): Charge could not settle the bill
//     now. Call it again with the same params after ChargeError.RetryAfter
//     (zero: at will); it returns the payment if one has landed and charges
//     only if none can. Never charge the bill under another receipt instead.
//  3. errors.Is(err, ErrNotCharged): certainly not charged; ChargeError.Payment
//     holds the failed payment if there is one. Charging again (dunning) is
//     safe and reuses the bill's order, so Razorpay refuses a second payment
//     once one has paid it.
//
// Causes such as ErrAuthentication or ErrRateLimited are matched too, by
// both classes: decide "charged or not" by the class first, then look at the
// cause for why.
//
// # How it works, and what it assumes
//
// Charge creates a charge order with the receipt (captured automatically),
// then lists every order that carries the receipt, with their payments, in
// one request (Order.List with ExpandPayments): four requests in all with
// the recurring payment and its read-back. A payment in any state but failed
// on any of the receipt's orders is the bill's charge: Charge returns it
// and sends nothing more. Otherwise it charges the order that holds the
// bill's failed payments, if any, or else its own. Two calls that run at
// once each create an order; only the one whose order is strictly the
// earliest charges, and the other waits (ErrOutcomeUnknown with a
// RetryAfter) and returns that charge when called again. An order younger
// than ChargeSettleWindow that holds no payment may be another attempt's,
// about to be charged, and makes the later calls wait. After any answer to
// the payment request but a success, Charge reads the order back before it
// says "not charged". The safety of this rests on assumptions about
// Razorpay, stated plainly:
//
//   - The orders list is read-after-write: an order or payment that
//     Razorpay has acknowledged is in the next list, and so is every order
//     with a smaller created_at.
//   - Order created_at values come from clocks that agree within a second,
//     so that an order created after another never has a smaller created_at.
//     Ages are measured on Razorpay's clock (the created_at of the call's own
//     order, or else the Date header), never on the local one.
//   - A payment request lands at Razorpay, if ever, within the settle window
//     (ChargeSettleWindow, or WithChargeSettleWindow) of the creation of the
//     order it was decided on.
//   - The receipt identifies the bill: one receipt per bill.
//
// Without Razorpay's clock (no own order and no Date header) every order
// without a payment counts as young, and Charge waits.
//
// A call whose own order could not be created never charges (it answers
// ErrOutcomeUnknown), with one exception: on an account that enforces
// unique receipts the second order of a receipt is always refused, so a
// call that finds the bill's order abandoned (older than the window and
// empty, or holding only failed payments) charges it without the
// tie-break. Two such calls overlapping while one's payment request is
// still in flight could both charge it (Razorpay then refuses the second
// once the order is paid, or refunds a late extra payment). Run one attempt
// per bill at a time there, as queues with unique jobs do, and honour
// RetryAfter.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-subsequent-payments/
func (s *PaymentService) Charge(ctx context.Context, params *ChargeParams) (*Payment, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	b := &bill{s: s, p: params}
	b.createOrder(ctx)
	v, err := b.look(ctx)
	if err != nil {
		return nil, err
	}
	return b.settle(ctx, v)
}

// bill is one call of Charge.
type bill struct {
	s *PaymentService
	p *ChargeParams
	// own is the order this call created, nil if it created none, and
	// ownAt the local time its creation was acknowledged.
	own   *Order
	ownAt time.Time
	// createErr is why the order could not be created; receiptTaken says
	// that Razorpay refused it because the receipt is in use (an account
	// with unique receipts), and receiptOrder is the order it named.
	createErr    error
	receiptTaken bool
	receiptOrder string
	// foreign counts the receipt's abandoned orders for another amount or
	// currency, left out of the view.
	foreign int
}

// view is what Razorpay holds for a receipt.
type view struct {
	orders []Order       // every order carrying the receipt, each with its payments
	now    int64         // Razorpay's clock at the list, Unix seconds; 0 if unknown
	window time.Duration // the settle window
}

func (b *bill) ownID() string {
	if b.own == nil {
		return ""
	}
	return b.own.ID
}

// leftInFlight is the RetryAfter of a call that stops before charging: zero,
// unless it created an order, which the next call will wait for (it cannot
// tell it from another attempt's about to be charged), or Razorpay refused
// its order because another attempt holds the receipt.
func (b *bill) leftInFlight() time.Duration {
	switch {
	case b.own != nil:
		return b.window() + time.Second
	case b.receiptTaken:
		return receiptLockWindow + time.Second // another attempt holds the receipt
	}
	return 0
}

// window is the client's settle window (WithChargeSettleWindow).
func (b *bill) window() time.Duration { return b.s.c.cfg.settleWindow }

// createOrder creates this call's charge order.
func (b *bill) createOrder(ctx context.Context) {
	p := b.p
	order, err := b.s.c.Order.Create(ctx, &OrderCreateParams{
		Amount:         p.Amount,
		Currency:       p.Currency,
		Receipt:        p.Receipt,
		Notes:          p.Notes,
		PaymentCapture: Ptr(true),
	})
	if err != nil {
		b.createErr = err
		var e *Error
		if errors.As(err, &e) && e.HTTPStatusCode == http.StatusBadRequest && e.Code != "" &&
			strings.Contains(strings.ToLower(e.Description), "receipt") {
			b.receiptTaken = true
			b.receiptOrder, _ = e.Metadata["order_id"].(string)
		}
		return
	}
	b.own, b.ownAt = order, time.Now()
}

// receiptLockWindow is how long after an order's creation an account with
// unique receipts refuses another create of its receipt as "in progress".
const receiptLockWindow = 10 * time.Second

// look lists the orders of the receipt with their payments, page by page,
// and adds the orders it must know that the list does not show.
func (b *bill) look(ctx context.Context) (*view, error) {
	c := b.s.c
	filter := OrderListParams{ListParams: ListParams{Count: MaxListCount, MaxPages: maxReceiptPages}, Receipt: b.p.Receipt, Expand: []string{ExpandPayments}}
	v := &view{window: b.window()}
	var date time.Time
	for o, err := range all(&filter.ListParams, func(p *ListParams) (*List[Order], error) {
		page := filter
		page.ListParams = *p
		return c.Order.list(ctx, &page, &date)
	}) {
		if err != nil {
			return nil, b.unknown(b.ownID(), fmt.Errorf("list the receipt's orders: %w", err), b.leftInFlight())
		}
		v.orders = append(v.orders, o)
	}
	switch {
	case b.own != nil:
		// Razorpay's own timestamp of the order just created, rather than a
		// Date header that a proxy may have set from a clock running ahead.
		v.now = b.own.CreatedAt + int64(time.Since(b.ownAt)/time.Second)
	case !date.IsZero():
		v.now = date.Unix()
	}
	if b.own != nil && v.find(b.own.ID) == nil {
		// The list does not show the order just created: it lags, and may
		// lag on other attempts' orders too.
		return nil, b.unknown(b.own.ID, errors.New("the orders list does not show the order just created yet"), b.leftInFlight())
	}
	for _, id := range [...]string{b.p.OrderID, b.receiptOrder} {
		if id == "" || v.find(id) != nil {
			continue
		}
		if _, err := pathID("orderID", id); err != nil {
			continue // not an id Razorpay would name
		}
		o, err := c.Order.Fetch(ctx, id)
		if err != nil {
			return nil, b.unknown(id, fmt.Errorf("fetch order %s: %w", id, err), b.leftInFlight())
		}
		if o.Receipt != b.p.Receipt {
			if id == b.p.OrderID {
				return nil, b.conflict(id, fmt.Sprintf("order %s has receipt %q, not %q", id, o.Receipt, b.p.Receipt))
			}
			continue
		}
		v.orders = append(v.orders, *o)
	}
	for i := range v.orders {
		o := &v.orders[i]
		if o.Payments != nil {
			continue
		}
		list, err := c.Order.Payments(ctx, o.ID)
		if err != nil {
			return nil, b.unknown(o.ID, fmt.Errorf("list the payments of order %s: %w", o.ID, err), b.leftInFlight())
		}
		o.Payments = list
	}
	return v, nil
}

func (v *view) find(orderID string) *Order {
	for i := range v.orders {
		if v.orders[i].ID == orderID {
			return &v.orders[i]
		}
	}
	return nil
}

// young reports whether o may still get a payment request decided before
// the settle window ran out. Without Razorpay's clock every order is young.
func (v *view) young(o *Order) bool {
	return v.now == 0 || time.Duration(v.now-o.CreatedAt)*time.Second < v.window
}

// untilOld returns how long until o is no longer young, at least a second.
func (v *view) untilOld(o *Order) time.Duration {
	left := time.Duration(o.CreatedAt-v.now)*time.Second + v.window + time.Second
	if v.now == 0 || left > v.window+time.Second {
		left = v.window + time.Second
	}
	return max(left, time.Second)
}

// earliest returns the earliest order that keep accepts, or nil.
func (v *view) earliest(keep func(*Order) bool) *Order {
	var first *Order
	for i := range v.orders {
		if o := &v.orders[i]; keep(o) && (first == nil || earlier(o, first) < 0) {
			first = o
		}
	}
	return first
}

// earlier orders orders by creation, then id.
func earlier(a, b *Order) int {
	if c := cmp.Compare(a.CreatedAt, b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// settle decides the bill from what Razorpay holds: return its payment,
// wait for another attempt, or charge.
func (b *bill) settle(ctx context.Context, v *view) (*Payment, error) {
	if err := b.checkConflicts(v); err != nil {
		return nil, err
	}
	if p := b.livePayment(v); p != nil {
		return p, nil
	}
	if b.own == nil {
		if err := b.withoutOwnOrder(v); err != nil {
			return nil, err
		}
	}

	var wait *Order // the youngest order this call must wait for
	for i := range v.orders {
		o := &v.orders[i]
		if len(o.Payments.Items) > 0 || !v.young(o) {
			continue // decided, or abandoned
		}
		if b.own != nil && (o.ID == b.own.ID || o.CreatedAt > b.own.CreatedAt) {
			continue // this call's, or a later call's that waits for this one
		}
		if wait == nil || earlier(o, wait) > 0 {
			wait = o
		}
	}
	if wait != nil {
		// Calls that wait for the same order come back spread out, so that
		// they do not tie again.
		jitter := rand.N(v.window / 10)
		return nil, b.unknown(wait.ID, errAnotherAttempt, v.untilOld(wait)+jitter.Truncate(time.Second))
	}

	// The order to charge: the one holding the bill's failed payments (so
	// that Razorpay refuses a second payment once one has paid it), else the
	// caller's OrderID, else this call's own, else the earliest.
	target := v.earliest(func(o *Order) bool { return len(o.Payments.Items) > 0 })
	for _, id := range [...]string{b.p.OrderID, b.ownID()} {
		if target == nil && id != "" {
			target = v.find(id)
		}
	}
	if target == nil {
		target = v.earliest(func(*Order) bool { return true })
	}
	if target == nil {
		return nil, b.unknown(b.ownID(), errors.New("no order of the receipt to charge"), b.leftInFlight())
	}
	return b.pay(ctx, v, target)
}

// withoutOwnOrder decides a call whose own order could not be created:
// such a call has no place in the tie-break between attempts, so it never
// charges, except on an account with unique receipts, where the bill's
// existing order is the only one there can be. It returns nil when the call
// may go on to charge.
func (b *bill) withoutOwnOrder(v *view) error {
	var e *Error
	switch {
	case b.receiptTaken && len(v.orders) == 0 && b.foreign > 0:
		// The receipt is taken by another charge's abandoned order.
		return b.conflict(b.receiptOrder, fmt.Sprintf("its orders are for another amount or currency (%v)", withoutUnknown(b.createErr)))
	case b.receiptTaken:
		// Another attempt's order may still be in creation (Razorpay
		// refuses "in progress" for a while), or the list may lag behind
		// it: go on only with an order older than that.
		for i := range v.orders {
			if v.now != 0 && time.Duration(v.now-v.orders[i].CreatedAt)*time.Second >= receiptLockWindow {
				return nil
			}
		}
		return b.unknown(b.receiptOrder, b.createErr, receiptLockWindow+time.Second)
	case len(v.orders) == 0 && errors.As(b.createErr, &e) && refused(e):
		// Razorpay refused the order and the receipt has none: the bill
		// was not charged.
		return b.notCharged("", nil, b.createErr)
	case notSentError(b.createErr), errors.As(b.createErr, &e) && refused(e):
		return b.unknown("", b.createErr, 0)
	}
	// The order may have been created without the answer coming back: the
	// next call will wait for it.
	return b.unknown("", b.createErr, b.window()+time.Second)
}

var errAnotherAttempt = errors.New("another attempt for this receipt may be charging it: its order is young and holds no payment yet")

// checkConflicts refuses a receipt that belongs to another charge: a
// payment for another customer or token, or an order for another amount or
// currency that holds a payment, may still get one (it is younger than the
// settle window) or is the OrderID asked for. An abandoned order for another
// amount (old and empty, such as one a mistaken call left) is left out of
// the view: nothing was or can be charged on it.
func (b *bill) checkConflicts(v *view) error {
	p := b.p
	mine := v.orders[:0]
	for _, o := range v.orders {
		if o.Amount != p.Amount || !strings.EqualFold(o.Currency, p.Currency) {
			if len(o.Payments.Items) > 0 || v.young(&o) || o.ID == p.OrderID {
				return b.conflict(o.ID, fmt.Sprintf("order %s is for %d %s, not %d %s", o.ID, o.Amount, o.Currency, p.Amount, p.Currency))
			}
			b.foreign++
			continue
		}
		mine = append(mine, o)
	}
	v.orders = mine
	for i := range v.orders {
		o := &v.orders[i]
		for j := range o.Payments.Items {
			pay := &o.Payments.Items[j]
			if pay.CustomerID != "" && pay.CustomerID != p.CustomerID {
				return b.conflict(o.ID, fmt.Sprintf("payment %s is for customer %s, not %s", pay.ID, pay.CustomerID, p.CustomerID))
			}
			if pay.TokenID != "" && pay.TokenID != p.TokenID {
				return b.conflict(o.ID, fmt.Sprintf("payment %s is for token %s, not %s", pay.ID, pay.TokenID, p.TokenID))
			}
		}
	}
	return nil
}

// livePayment returns the bill's payment that is not failed, if any: the
// most advanced, then the earliest.
func (b *bill) livePayment(v *view) *Payment {
	var best *Payment
	for i := range v.orders {
		items := v.orders[i].Payments.Items
		for j := range items {
			p := &items[j]
			if p.Status == PaymentStatusFailed {
				continue
			}
			if best == nil || rank(p.Status) > rank(best.Status) || (rank(p.Status) == rank(best.Status) && p.CreatedAt < best.CreatedAt) {
				best = p
			}
		}
	}
	return best
}

// rank orders payment states by how far the charge went.
func rank(s PaymentStatus) int {
	switch s {
	case PaymentStatusCaptured:
		return 3
	case PaymentStatusAuthorized:
		return 2
	case PaymentStatusCreated:
		return 1
	}
	return 0
}

// pay sends the recurring payment on target and settles the answer.
func (b *bill) pay(ctx context.Context, v *view, target *Order) (*Payment, error) {
	s := b.s
	seen := make(map[string]bool, len(target.Payments.Items))
	for _, p := range target.Payments.Items {
		seen[p.ID] = true
	}
	rp, err := s.createRecurring(ctx, b.p.recurring(target.ID), true)
	switch {
	case err == nil && rp.PaymentID != "" && s.signatureOK(target.ID, rp):
		return b.created(ctx, v, target.ID, seen, rp)
	case err == nil:
		return b.readBack(ctx, v, target.ID, seen, nil, errors.New("the answer to the payment request cannot be trusted"))
	case notSentError(err):
		// The request never left: nothing is in flight but this call's
		// order, which the next call will wait for.
		return nil, b.unknown(target.ID, err, b.leftInFlight())
	}
	var e *Error
	if errors.As(err, &e) && refused(e) && !errors.Is(err, ErrOutcomeUnknown) {
		return b.readBack(ctx, v, target.ID, seen, err, nil)
	}
	return b.readBack(ctx, v, target.ID, seen, nil, err)
}

// refused reports whether e is Razorpay's own refusal of a request, which
// proves that it was not carried out: a 4xx with a Razorpay error code, but
// not 408, 409, 425 or 429, which a proxy may send after Razorpay acted.
func refused(e *Error) bool {
	switch e.HTTPStatusCode {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return e.HTTPStatusCode >= 400 && e.HTTPStatusCode < 500 && e.Code != ""
}

// notSentError reports whether err proves that the request never left.
func notSentError(err error) bool {
	if errors.Is(err, ErrOutcomeUnknown) {
		return false
	}
	var re *requestError
	return errors.As(err, &re) && notSent(re.cause)
}

// readBack reads target's payments after the payment request got no usable
// answer (lost) or a refusal. A payment that is not failed is the charge. A
// failed payment that this call made means not charged; so does a refusal
// with no new payment. Anything else may still land: ErrOutcomeUnknown.
func (b *bill) readBack(ctx context.Context, v *view, orderID string, seen map[string]bool, refusal, lost error) (*Payment, error) {
	rounds := 3
	if refusal != nil {
		rounds = 1
	}
	cause := lost
	if cause == nil {
		cause = refusal
	}
	st, err := b.s.lookup(ctx, orderID, rounds, seen)
	switch {
	case err != nil:
		return nil, b.unknown(orderID, fmt.Errorf("%w (and reading the order back failed: %w)", cause, withoutUnknown(err)), b.window())
	case st.paid != nil:
		return st.paid, nil
	case st.failed != nil:
		return nil, b.notCharged(orderID, st.failed, refusal)
	case refusal != nil:
		return nil, b.notCharged(orderID, nil, refusal)
	}
	return nil, b.unknown(orderID, fmt.Errorf("%w; %w", lost, errNoPaymentYet), b.window())
}

var errNoPaymentYet = errors.New("the order holds no payment from this attempt yet")

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
func (b *bill) created(ctx context.Context, v *view, orderID string, seen map[string]bool, rp *RecurringPayment) (*Payment, error) {
	paymentID := rp.PaymentID
	p, err := b.s.Fetch(ctx, paymentID)
	switch {
	case err == nil && p.OrderID != "" && p.OrderID != orderID:
		return b.readBack(ctx, v, orderID, seen, nil, fmt.Errorf("payment %s of the answer is on order %s", paymentID, p.OrderID))
	case err == nil && p.Status == PaymentStatusFailed:
		return nil, b.notCharged(orderID, p, nil)
	case err == nil:
		return p, nil
	case isGone(err), rp.Signature == "":
		return b.readBack(ctx, v, orderID, seen, nil, fmt.Errorf("payment %s of the answer cannot be read back: %w", paymentID, err))
	}
	params := b.p
	return &Payment{
		ID:         paymentID,
		Entity:     "payment",
		Amount:     params.Amount,
		Currency:   params.Currency,
		Status:     PaymentStatusCreated,
		OrderID:    orderID,
		Method:     MethodCard,
		Email:      params.Email,
		Contact:    params.Contact,
		CustomerID: params.CustomerID,
		TokenID:    params.TokenID,
		Notes:      params.Notes,
	}, nil
}

// orderState is what a charge order holds.
type orderState struct {
	paid   *Payment // a payment that is not failed
	failed *Payment // the last failed payment not in seen
}

// lookup reads the payments of a charge order, up to rounds times with
// backoff until one that is not failed appears. Failed payments in seen
// (made before this attempt) are ignored.
func (s *PaymentService) lookup(ctx context.Context, orderID string, rounds int, seen map[string]bool) (orderState, error) {
	cfg := s.c.cfg
	var st orderState
	for round := 0; round < rounds && st.paid == nil; round++ {
		if round > 0 {
			if err := sleep(ctx, backoff(cfg.backoffMin, cfg.backoffMax, round, nil)); err != nil {
				return st, err
			}
		}
		list, err := s.c.Order.Payments(ctx, orderID)
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

func (b *bill) notCharged(orderID string, p *Payment, cause error) error {
	return &ChargeError{OrderID: orderID, Payment: p, Err: cause, class: ErrNotCharged}
}

func (b *bill) unknown(orderID string, cause error, after time.Duration) error {
	return &ChargeError{OrderID: orderID, Err: cause, RetryAfter: after, class: ErrOutcomeUnknown}
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
