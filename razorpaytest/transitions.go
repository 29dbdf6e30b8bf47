package razorpaytest

import (
	"fmt"
	"time"
)

// The state machine of the fake: every status, the table of the moves
// between them, and the transitions that make those moves. No status changes
// anywhere else. A handler (api.go) or a card holder's action
// (cardholder.go) finds the entities, checks its input, and calls one
// transition; a transition moves the statuses of the entities it concerns
// together, sets the fields that go with them, and emits the webhooks that
// Razorpay sends for it. A transition that a request or an action may ask
// for in the wrong state checks the table first and fails with
// ErrInvalidState.

// orderStatus is the status of an order.
type orderStatus string

// The statuses of an order.
const (
	orderCreated   orderStatus = "created"
	orderAttempted orderStatus = "attempted" // a payment was made on it
	orderPaid      orderStatus = "paid"
)

// paymentStatus is the status of a payment.
type paymentStatus string

// The statuses of a payment. authorized lasts within a transition, on the
// way to captured or refunded (and in the payment.authorized webhook),
// except on an order created with payment_capture false, where it lasts
// until the payment is captured through the API.
const (
	paymentCreated    paymentStatus = "created" // waiting for the bank (WithRecurringDelay)
	paymentAuthorized paymentStatus = "authorized"
	paymentCaptured   paymentStatus = "captured"
	paymentFailed     paymentStatus = "failed"
	paymentRefunded   paymentStatus = "refunded"
)

// invoiceStatus is the status of an invoice (a registration link), which its
// auth_link_status repeats.
type invoiceStatus string

// The statuses of an invoice.
const (
	invoiceIssued    invoiceStatus = "issued"
	invoicePaid      invoiceStatus = "paid"
	invoiceCancelled invoiceStatus = "cancelled"
	invoiceExpired   invoiceStatus = "expired"
)

// mandateStatus is the status of a token's mandate: its
// recurring_details.status, which the authorization order's
// token.recurring_status repeats when the token is made.
type mandateStatus string

// The statuses of a mandate.
const (
	mandateConfirmed mandateStatus = "confirmed"
	mandateRejected  mandateStatus = "rejected"
	mandatePaused    mandateStatus = "paused"
	mandateCancelled mandateStatus = "cancelled"
)

// deliveryStatus is the sms_status or email_status of an invoice.
type deliveryStatus string

// The statuses of an invoice's SMS and email.
const (
	deliveryPending deliveryStatus = "pending"
	deliverySent    deliveryStatus = "sent"
)

// notificationStatus is the status of a pre-debit notification.
type notificationStatus string

// The statuses of a pre-debit notification.
const (
	notificationDelivered notificationStatus = "delivered"
	notificationFailed    notificationStatus = "failed"
)

// refundStatus is the status of a refund.
type refundStatus string

// The statuses of a refund.
const (
	refundPending   refundStatus = "pending"
	refundProcessed refundStatus = "processed"
	refundFailed    refundStatus = "failed"
)

// Other statuses the fake renders.
const (
	// refundFull is the refund_status of a payment refunded in full.
	refundFull = "full"
	// refundPartial is the refund_status of a payment refunded in part.
	refundPartial = "partial"
	// tokenActive is the TokenHQ status of the token in the documented
	// token.paused and token.cancelled events (see tokenEvent).
	tokenActive = "active"
)

// ----- the table -----

// statusKind is a kind of status with its table of moves.
type statusKind[S any] interface {
	~string
	allows(next S) bool
}

// move sets *cur to next if the table allows the move, and reports whether
// it did. Refused, it leaves *cur as it is: a transition that must not be
// refused checks allows first.
func move[S statusKind[S]](cur *S, next S) bool {
	if !(*cur).allows(next) {
		return false
	}
	*cur = next
	return true
}

// allows reports whether an order may move from st to next.
func (st orderStatus) allows(next orderStatus) bool {
	switch st {
	case orderCreated:
		return next == orderAttempted // its first payment (newPayment)
	case orderAttempted:
		return next == orderPaid // a payment captured (capture)
	case orderPaid:
		return next == orderAttempted // the payment that paid it failed late (failLate)
	}
	return false
}

// allows reports whether a payment may move from st to next.
func (st paymentStatus) allows(next paymentStatus) bool {
	switch st {
	case paymentCreated:
		// The bank answers (capture), or declines (fail, failLate).
		return next == paymentAuthorized || next == paymentFailed
	case paymentAuthorized:
		// Captured (capture), or refunded because another payment paid
		// the order meanwhile (settle).
		return next == paymentCaptured || next == paymentRefunded
	case paymentCaptured:
		// The bank declines later (failLate), or refunds take all of it
		// (refund).
		return next == paymentFailed || next == paymentRefunded
	case paymentFailed:
		return next == paymentAuthorized // a late authorization (settle)
	case paymentRefunded:
		// failLate takes any payment that has not failed; a refunded one
		// keeps its refund. A refund of a captured payment that fails
		// gives it back what it took (failRefund).
		return next == paymentFailed || next == paymentCaptured
	}
	return false
}

// allows reports whether a refund may move from st to next.
func (st refundStatus) allows(next refundStatus) bool {
	switch st {
	case refundPending:
		// The bank has the money (processRefund), or cannot pay it out
		// (failRefund).
		return next == refundProcessed || next == refundFailed
	case refundProcessed:
		return next == refundFailed // the bank returns it later (failRefund)
	}
	return false
}

// allows reports whether an invoice may move from st to next.
func (st invoiceStatus) allows(next invoiceStatus) bool {
	switch st {
	case invoiceIssued:
		// Its order paid (capture), cancelled (cancelLink), expired
		// (expireLink).
		return next == invoicePaid || next == invoiceCancelled || next == invoiceExpired
	case invoicePaid:
		return next == invoiceIssued // the payment that paid it failed late (failLate)
	case invoiceCancelled, invoiceExpired:
		// A payment on its order captured after it ended: a late
		// authorization (settle), a recurring payment that waited for the
		// bank (settleDue) or one created on its order.
		return next == invoicePaid
	}
	return false
}

// allows reports whether a mandate may move from st to next
// (setMandate). Rejected and cancelled mandates are final.
func (st mandateStatus) allows(next mandateStatus) bool {
	switch st {
	case mandateConfirmed, mandatePaused:
		return next != st && (next == mandateConfirmed || next == mandatePaused ||
			next == mandateCancelled || next == mandateRejected)
	}
	return false
}

// moveLink moves inv to next, with its auth_link_status, if the table allows
// it, and reports whether it did.
func moveLink(inv *invoice, next invoiceStatus) bool {
	if !move(&inv.Status, next) {
		return false
	}
	inv.AuthLinkStatus = ns(next)
	return true
}

// ----- new entities, in their first status -----

// newOrder returns o as a new order: with a new id, created, its whole
// amount due. The caller stores it.
func (s *Server) newOrder(o order) *order {
	o.ID = newID(s, "order_", s.st.orders)
	o.Entity = "order"
	o.Status = orderCreated
	o.AmountDue = o.Amount
	o.seq = s.st.next()
	return &o
}

// newLink returns inv as a new registration link of type link: with a new
// id, issued, and its SMS and email pending when they are to be sent. The
// caller stores it.
func (s *Server) newLink(inv invoice, sms, email bool) *invoice {
	inv.ID = newID(s, "inv_", s.st.invoices)
	inv.Entity = "invoice"
	inv.Type = "link"
	inv.Status = invoiceIssued
	inv.AuthLinkStatus = ns(invoiceIssued)
	inv.seq = s.st.next()
	if sms {
		inv.SMSStatus = ns(deliveryPending)
	}
	if email {
		inv.EmailStatus = ns(deliveryPending)
	}
	return &inv
}

// newPayment creates a payment of the order in status created and counts
// the attempt on the order, which becomes attempted.
func (s *Server) newPayment(o *order, c *card, cust *customer) *payment {
	p := &payment{
		ID: newID(s, "pay_", s.st.payments), Entity: "payment", Amount: o.Amount, Currency: o.Currency,
		Status: paymentCreated, OrderID: ns(o.ID), Method: "card", CreatedAt: s.now().Unix(),
		seq: s.st.next(), order: o, card: c,
	}
	if c != nil {
		p.CardID = ns(c.ID)
		p.International = c.International
	}
	if cust != nil {
		p.CustomerID = ns(cust.ID)
		p.Email = string(cust.Email)
		p.Contact = string(cust.Contact)
	}
	if p.Email == "" {
		p.Email = "void@razorpay.com"
	}
	if o.invoice != nil {
		p.InvoiceID = ns(o.invoice.ID)
	}
	o.Attempts++
	move(&o.Status, orderAttempted) // the first attempt; later ones leave it
	o.payments = append(o.payments, p)
	s.st.payments[p.ID] = p
	s.st.paymentList = append(s.st.paymentList, p)
	return p
}

// newToken creates the customer's token of the card for the mandate of the
// authorization order o, in mandate status confirmed or rejected (with
// reason).
func (s *Server) newToken(cust *customer, c *card, o *order, status mandateStatus, reason string) *token {
	expiredAt := int64(o.Token.ExpireAt)
	if expiredAt == 0 {
		// The mandate lasts until the card expires: the end of its expiry month.
		expiredAt = time.Date(c.expYear, time.Month(c.expMonth)+1, 1, 0, 0, 0, 0, time.UTC).Unix() - 1
	}
	tk := &token{
		ID: newID(s, "token_", s.st.tokens), Entity: "token", Token: s.randomAlnum(14), Method: "card",
		Card: c.inToken(), Recurring: status == mandateConfirmed,
		RecurringDetails: recurringDetails{Status: status, FailureReason: ns(reason)},
		CreatedAt:        s.now().Unix(), ExpiredAt: expiredAt, MaxAmount: o.Token.MaxAmount,
		CompliantWithTokenisationGuidelines: true,
		seq:                                 s.st.next(), customer: cust, src: c, frequency: o.Token.Frequency,
	}
	s.st.tokens[tk.ID] = tk
	cust.tokens = append(cust.tokens, tk)
	return tk
}

// ----- mandates -----

// authorize is the card holder approving the mandate of the authorization
// order o with card c: a confirmed token, and a payment captured with it
// (see capture), then token.confirmed. The caller has checked that o takes a
// payment (authorizationOrder).
func (s *Server) authorize(o *order, cust *customer, c *card) *payment {
	tk := s.newToken(cust, c, o, mandateConfirmed, "")
	tk.UsedAt = ni(s.now().Unix())
	p := s.newPayment(o, c, cust)
	p.TokenID = ns(tk.ID)
	if o.invoice != nil {
		p.Description = o.invoice.Description
	}
	o.Token.RecurringStatus = ns(mandateConfirmed)
	o.Token.FailureReason = ""
	s.capture(p)
	s.emit("token.confirmed", named{"token", tk})
	return p
}

// rejectMandate is the card holder or the bank declining the mandate of the
// authorization order o: a rejected token, and a failed payment (see fail),
// then token.rejected. The order stays attempted and its link issued. The
// caller has checked that o takes a payment (authorizationOrder).
func (s *Server) rejectMandate(o *order, cust *customer, c *card, reason string) *payment {
	tk := s.newToken(cust, c, o, mandateRejected, reason)
	tk.AuthType = "card"
	p := s.newPayment(o, c, cust)
	p.TokenID = ns(tk.ID)
	o.Token.RecurringStatus = ns(mandateRejected)
	o.Token.FailureReason = ns(reason)
	s.fail(p, reason)
	s.emit("token.rejected", named{"token", tk})
	return p
}

// setMandate moves the mandate of tk to status and emits token.<status>.
// Its current status does nothing; a move the table refuses fails with
// ErrInvalidState.
func (s *Server) setMandate(tk *token, status mandateStatus) error {
	cur := tk.RecurringDetails.Status
	if cur == status {
		return nil
	}
	if !move(&tk.RecurringDetails.Status, status) {
		return fmt.Errorf("%w: the mandate of token %s is %s", ErrInvalidState, tk.ID, cur)
	}
	tk.RecurringDetails.FailureReason = ""
	tk.Recurring = status != mandateRejected
	if status == mandateRejected {
		tk.RecurringDetails.FailureReason = "Rejected by bank"
	}
	s.emit("token."+string(status), named{"token", tk})
	return nil
}

// ----- payments -----

// chargeRecurring sends a new recurring payment to the bank: a BankRule
// holds or declines it, or it is captured at once, or waits in created for
// WithRecurringDelay (see settleDue).
func (s *Server) chargeRecurring(p *payment) {
	if s.bankDecides(p) { // a BankRule, or a trigger (control.go)
		return
	}
	if s.cfg.recurringDelay > 0 {
		s.st.pending = append(s.st.pending, p)
		return
	}
	s.capture(p)
}

// capture authorizes and captures p (created, or failed for a late
// authorization): see captureAuthorized. On an order created with
// payment_capture false it stops at authorized, with payment.authorized,
// until the API captures it. When another payment has captured p's order
// already, p is refunded at once instead: Razorpay's Orders rule ("clubs
// multiple payment attempts against the same order"), which Razorpay
// documents for a late authorization that follows a successful payment and
// the fake applies whichever of the two succeeded first.
func (s *Server) capture(p *payment) {
	p.AcquirerData.AuthCode = ns(s.randomDigits(6))
	move(&p.Status, paymentAuthorized)
	s.emit("payment.authorized", named{"payment", p})
	if o := p.order; o != nil && capturedByAnother(o, p) {
		s.refund(p, refundRequest{amount: p.Amount, speed: "normal", auto: true})
		return
	}
	if p.order != nil && p.order.manualCapture {
		return
	}
	s.captureAuthorized(p)
}

// captureAuthorized captures the authorized payment p, marks its order (and
// registration link) paid, and emits payment.captured, order.paid and, for
// a registration link, invoice.paid. An order or link already paid by
// another payment stays paid and is reported paid again: that bill is
// charged twice (see DoubleCharges).
func (s *Server) captureAuthorized(p *payment) {
	now := s.now().Unix()
	move(&p.Status, paymentCaptured)
	p.Captured = true
	p.Fee = ni(max(1, p.Amount/50))
	p.Tax = ni(int64(p.Fee) * 18 / 118)
	s.emit("payment.captured", named{"payment", p})
	o := p.order
	move(&o.Status, orderPaid)
	o.AmountPaid = o.Amount
	o.AmountDue = 0
	s.emit("order.paid", named{"payment", p}, named{"order", o})
	if inv := o.invoice; inv != nil {
		moveLink(inv, invoicePaid)
		inv.PaymentID = ns(p.ID)
		inv.PaidAt = ni(now)
		inv.AmountPaid = inv.Amount
		inv.AmountDue = 0
		s.emit("invoice.paid", named{"payment", p}, named{"order", o}, named{"invoice", inv})
	}
}

// fail marks p failed with reason and emits payment.failed.
func (s *Server) fail(p *payment, reason string) {
	move(&p.Status, paymentFailed)
	p.Captured = false
	p.Fee, p.Tax = 0, 0
	p.ErrorCode = "BAD_REQUEST_ERROR"
	p.ErrorDescription = ns(reason)
	p.ErrorSource = "gateway"
	p.ErrorStep = "payment_authorization"
	p.ErrorReason = "payment_failed"
	p.AcquirerData.AuthCode = ""
	s.emit("payment.failed", named{"payment", p})
}

// failLate fails p after the fact, as a bank that declines a debit later
// does (see fail): an order it had paid is attempted again with its amount
// due, and a registration link it had paid issued again. A payment that has
// already failed is refused with ErrInvalidState.
func (s *Server) failLate(p *payment, reason string) error {
	if !p.Status.allows(paymentFailed) {
		return fmt.Errorf("%w: payment %s has already failed", ErrInvalidState, p.ID)
	}
	wasCaptured := p.Captured
	s.fail(p, reason)
	if o := p.order; wasCaptured && o.Status == orderPaid {
		move(&o.Status, orderAttempted)
		o.AmountPaid = 0
		o.AmountDue = o.Amount
		if inv := o.invoice; inv != nil && string(inv.PaymentID) == p.ID {
			moveLink(inv, invoiceIssued)
			inv.PaymentID = ""
			inv.PaidAt = 0
			inv.AmountPaid = 0
			inv.AmountDue = inv.Amount
		}
	}
	return nil
}

// settle authorizes a created or failed payment now: it is captured, or
// refunded at once when another payment has captured its order meanwhile
// (see capture). Another status is refused with ErrInvalidState.
func (s *Server) settle(p *payment) error {
	if !p.Status.allows(paymentAuthorized) {
		return fmt.Errorf("%w: payment %s is %s", ErrInvalidState, p.ID, p.Status)
	}
	p.ErrorCode, p.ErrorDescription, p.ErrorSource, p.ErrorStep, p.ErrorReason = "", "", "", "", ""
	s.capture(p)
	return nil
}

// capturedByAnother reports whether a payment of o other than p is
// captured: o is paid by it.
func capturedByAnother(o *order, p *payment) bool {
	for _, q := range o.payments {
		if q != p && q.Status == paymentCaptured {
			return true
		}
	}
	return false
}

// catchUp applies what the server's clock has made due since the last
// request: pending recurring payments are captured (settleDue), links
// past their expire_by expire (expireDue) and pending refunds are processed
// (processDue). Every request and every card holder or inspection method
// calls it first, under s.mu.
func (s *Server) catchUp() {
	s.settleDue()
	s.expireDue()
	s.processDue()
}

// settleDue captures the pending recurring payments whose bank delay (see
// WithRecurringDelay) has passed on the server's clock.
func (s *Server) settleDue() {
	if len(s.st.pending) == 0 {
		return
	}
	now := s.now()
	keep := s.st.pending[:0]
	for _, p := range s.st.pending {
		switch {
		case p.Status != paymentCreated: // settled or failed meanwhile
		case now.Before(time.Unix(p.CreatedAt, 0).Add(s.cfg.recurringDelay)):
			keep = append(keep, p)
		default:
			s.capture(p)
		}
	}
	clear(s.st.pending[len(keep):])
	s.st.pending = keep
}

// ----- registration links -----

// cancelLink cancels an issued registration link. Another status is refused
// with ErrInvalidState.
func (s *Server) cancelLink(inv *invoice) error {
	if !moveLink(inv, invoiceCancelled) {
		return fmt.Errorf("%w: invoice %s is %s", ErrInvalidState, inv.ID, inv.Status)
	}
	inv.CancelledAt = ni(s.now().Unix())
	return nil
}

// expireLink expires an issued registration link at now and emits
// invoice.expired. Another status is refused with ErrInvalidState.
func (s *Server) expireLink(inv *invoice, now int64) error {
	if !moveLink(inv, invoiceExpired) {
		return fmt.Errorf("%w: invoice %s is %s", ErrInvalidState, inv.ID, inv.Status)
	}
	inv.ExpiredAt = ni(now)
	s.emit("invoice.expired", named{"invoice", inv})
	return nil
}

// expireDue expires the issued registration links whose expire_by has passed.
func (s *Server) expireDue() {
	if len(s.st.expiring) == 0 {
		return
	}
	now := s.now().Unix()
	kept := s.st.expiring[:0]
	for _, inv := range s.st.expiring {
		switch {
		case inv.Status != invoiceIssued: // paid, cancelled or expired meanwhile
		case int64(inv.ExpireBy) <= now:
			_ = s.expireLink(inv, now) // issued: not refused
		default:
			kept = append(kept, inv)
		}
	}
	clear(s.st.expiring[len(kept):])
	s.st.expiring = kept
}

// notifyLink marks the SMS or the email of an issued registration link
// sent. Another status is refused with ErrInvalidState.
func (s *Server) notifyLink(inv *invoice, medium string) error {
	if inv.Status != invoiceIssued {
		return fmt.Errorf("%w: invoice %s is %s", ErrInvalidState, inv.ID, inv.Status)
	}
	if medium == "sms" {
		inv.SMSStatus = ns(deliverySent)
	} else {
		inv.EmailStatus = ns(deliverySent)
	}
	return nil
}

// ----- pre-debit notifications -----

// reportPreDebit emits order.notification.delivered (delivered) or
// order.notification.failed with the pre-debit notification of the charge
// order o, which has one.
func (s *Server) reportPreDebit(o *order, delivered bool) {
	n := &preDebitNotification{ID: o.Notification.ID, Entity: "notification", OrderID: o.ID,
		TokenID: o.Notification.TokenID, Status: notificationFailed, PaymentAfter: o.Notification.PaymentAfter}
	event := "order.notification.failed"
	if delivered {
		n.Status, n.DeliveredAt = notificationDelivered, ni(s.now().Unix())
		event = "order.notification.delivered"
	}
	s.emit(event, named{"notification", n})
}

// ----- refunds -----

// refundRequest is what a refund is made of.
type refundRequest struct {
	amount  int64
	speed   string // normal or optimum
	receipt string
	notes   notes
	// auto marks Razorpay's own refund of a payment authorized on an order
	// another payment had paid (settle).
	auto bool
}

// refund makes a refund of p, which the caller has checked: p is captured
// (or, for an automatic refund, authorized) and rq.amount at most what is
// left. The payment's amount_refunded and refund_status follow, and it is
// refunded once nothing is left. It emits refund.created, and
// refund.processed at once for an optimum refund, or without
// WithRefundDelay; otherwise the refund stays pending until its time
// (processDue).
func (s *Server) refund(p *payment, rq refundRequest) *refund {
	r := &refund{
		ID: newID(s, "rfnd_", s.st.refunds.byID), Entity: "refund", Amount: rq.amount, Currency: p.Currency,
		PaymentID: p.ID, Notes: rq.notes, Receipt: ns(rq.receipt), CreatedAt: s.now().Unix(),
		Status: refundPending, SpeedRequested: rq.speed, SpeedProcessed: "normal",
		seq: s.st.next(), payment: p, auto: rq.auto,
	}
	if rq.speed == "optimum" {
		r.SpeedProcessed = "instant"
	}
	s.st.refunds.byID[r.ID] = r
	s.st.refunds.list = append(s.st.refunds.list, r)
	p.refunds = append(p.refunds, r)
	p.AmountRefunded += rq.amount
	p.RefundStatus = refundPartial
	if p.AmountRefunded == p.Amount {
		p.RefundStatus = refundFull
		move(&p.Status, paymentRefunded)
	}
	s.emit("refund.created", named{"refund", r}, named{"payment", p})
	if r.SpeedProcessed == "instant" || s.cfg.refundDelay <= 0 {
		s.processRefund(r)
	} else {
		s.st.refunds.pending = append(s.st.refunds.pending, r)
	}
	return r
}

// processRefund marks a pending refund processed, with the bank's ARN, and
// emits refund.processed. Another status is refused with ErrInvalidState.
func (s *Server) processRefund(r *refund) error {
	if !move(&r.Status, refundProcessed) {
		return fmt.Errorf("%w: refund %s is %s", ErrInvalidState, r.ID, r.Status)
	}
	r.AcquirerData.ARN = ns(s.randomDigits(23))
	s.emit("refund.processed", named{"refund", r}, named{"payment", r.payment})
	return nil
}

// failRefund fails a pending or processed refund, as a bank that cannot
// pay it out (or returns it) does, and emits refund.failed: its amount is
// no longer refunded, and a payment it had refunded in full is captured
// again. A failed refund, and Razorpay's own refund of a late payment, are
// refused with ErrInvalidState.
func (s *Server) failRefund(r *refund) error {
	switch {
	case r.auto:
		return fmt.Errorf("%w: refund %s is Razorpay's own refund of a late payment", ErrInvalidState, r.ID)
	case !r.Status.allows(refundFailed):
		return fmt.Errorf("%w: refund %s is %s", ErrInvalidState, r.ID, r.Status)
	}
	move(&r.Status, refundFailed)
	r.AcquirerData.ARN = ""
	p := r.payment
	p.AmountRefunded -= r.Amount
	switch {
	case p.AmountRefunded == 0:
		p.RefundStatus = ""
	default:
		p.RefundStatus = refundPartial
	}
	if p.Status == paymentRefunded {
		move(&p.Status, paymentCaptured)
	}
	s.emit("refund.failed", named{"refund", r}, named{"payment", p})
	return nil
}

// processDue processes the pending refunds whose delay (see
// WithRefundDelay) has passed on the server's clock.
func (s *Server) processDue() {
	if len(s.st.refunds.pending) == 0 {
		return
	}
	now := s.now()
	keep := s.st.refunds.pending[:0]
	for _, r := range s.st.refunds.pending {
		switch {
		case r.Status != refundPending: // processed or failed meanwhile
		case now.Before(time.Unix(r.CreatedAt, 0).Add(s.cfg.refundDelay)):
			keep = append(keep, r)
		default:
			_ = s.processRefund(r) // pending: not refused
		}
	}
	clear(s.st.refunds.pending[len(keep):])
	s.st.refunds.pending = keep
}
