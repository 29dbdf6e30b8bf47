package razorpaytest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gorzp/razorpay"
)

// The fake you can drive: its clock, its key secret, the bank's decisions
// on recurring payments, mandates seeded in bulk, a summary of what was
// charged, and the events of one webhook built on demand. Each is a method of Server, and
// the control API (controlapi.go) serves the same methods over HTTP for
// another process, which Remote calls.

// control is the state of the methods above, in Server.
type control struct {
	// offset is added to the server's clock (AdvanceClock), in nanoseconds.
	offset atomic.Int64

	// The rest is guarded by Server.mu.
	rules []*BankRule // pending rules, Times counting down
	// force decides the recurring payments of a trigger's action, before
	// any rule.
	force *BankRule
	// quiet drops the events emitted meanwhile (a trigger's setup), and
	// capture, if set, collects them (a trigger's action).
	quiet   bool
	capture *[]TriggeredEvent
	// triggers counts Trigger calls, for unique receipts.
	triggers int
}

// AdvanceClock moves the server's clock forward by d, on top of WithClock,
// as if that much time had passed: orders and payments grow older by d (so
// that Payment.Charge's settle window passes without waiting), recurring
// payments waiting for WithRecurringDelay settle once it has passed, and
// registration links expire. What the new time makes due happens at once.
// A d <= 0 does nothing. It returns the server's time after the move.
func (s *Server) AdvanceClock(d time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.ctl.offset.Add(int64(d))
	}
	s.catchUp()
	return s.now()
}

// clockOffset is how far AdvanceClock has moved the clock.
func (s *Server) clockOffset() time.Duration { return time.Duration(s.ctl.offset.Load()) }

// ----- the key pair -----

// acceptedKey is the key secret a Server accepts now.
type acceptedKey struct {
	secret string
	authz  string // the Authorization header of KeyID and secret
	// rotations counts RotateKeySecret calls.
	rotations int
}

// MaxKeySecretLength is the longest secret RotateKeySecret takes.
const MaxKeySecretLength = 256

// RotateKeySecret makes the server accept secret, with the same KeyID,
// instead of the secret it accepted so far, as when a key is regenerated
// in the Dashboard: from the next request on, the old secret gets
// Razorpay's 401 "Authentication failed" (razorpay.ErrAuthentication),
// recurring payments are signed with the new secret (SignPayment), and
// Client returns clients with it. Requests under way keep the answer they
// were authenticated for. Rotating back to KeySecret restores the start.
// The control API keeps accepting the fixed test pair (KeyID, KeySecret),
// so that a harness or Remote that rotated the secret still drives the
// server; it accepts the current pair too. Webhook signatures are not
// affected (they use the webhook secret). It fails, changing nothing, for
// an empty secret or one longer than MaxKeySecretLength.
func (s *Server) RotateKeySecret(secret string) error {
	if secret == "" || len(secret) > MaxKeySecretLength {
		return fmt.Errorf("razorpaytest: RotateKeySecret: the secret must have 1 to %d bytes, got %d", MaxKeySecretLength, len(secret))
	}
	for {
		old := s.key.Load()
		k := &acceptedKey{secret: secret, authz: basicAuth(s.KeyID, secret), rotations: old.rotations + 1}
		if s.key.CompareAndSwap(old, k) {
			return nil
		}
	}
}

// CurrentKeySecret returns the key secret the server accepts now: KeySecret
// until RotateKeySecret replaces it.
func (s *Server) CurrentKeySecret() string { return s.key.Load().secret }

// checkControlAuth checks the Basic auth of a control request: the fixed
// test pair (KeyID, KeySecret), whatever RotateKeySecret did, or the pair
// the server accepts now.
func (s *Server) checkControlAuth(h string) *apiError {
	if h == basicAuth(KeyID, KeySecret) {
		return nil
	}
	return s.checkAuth(h)
}

// basicAuth returns the Authorization header of a key pair.
func basicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// ----- the bank's decisions -----

// BankAction is what the bank does with a recurring payment under a
// BankRule.
type BankAction string

// The actions of a BankRule.
const (
	// BankHold keeps the payment created (pending at the bank) until
	// CapturePayment or FailPayment settles it, however long that is.
	BankHold BankAction = "hold"
	// BankDecline fails the payment at once, as a bank that declines the
	// debit: the payment is created and then failed, and payment.failed is
	// the only event.
	BankDecline BankAction = "decline"

	// bankCapture captures the payment at once: a trigger's own decision.
	bankCapture BankAction = "capture"
)

// DefaultDeclineReason is the error_description of a payment declined by a
// BankRule without a Reason.
const DefaultDeclineReason = "Payment was declined by the bank"

// BankRule makes the bank hold or decline the next recurring payments that
// match it, instead of capturing them (or waiting WithRecurringDelay). A
// rule with neither Receipt nor TokenID matches every recurring payment.
// The oldest matching rule decides; a rule is spent after Times payments.
type BankRule struct {
	// Action is BankHold or BankDecline.
	Action BankAction `json:"action"`
	// Receipt limits the rule to payments on orders with this receipt.
	Receipt string `json:"receipt,omitempty"`
	// TokenID limits the rule to payments with this token.
	TokenID string `json:"token_id,omitempty"`
	// Reason is the error_description of a declined payment
	// (DefaultDeclineReason when empty).
	Reason string `json:"reason,omitempty"`
	// Times is how many payments the rule decides: 0 means 1, and a
	// negative value every payment until ClearBankRules. BankRules reports
	// how many are left.
	Times int `json:"times,omitempty"`
}

// AddBankRule adds a rule that decides the next recurring payments that
// match it (see BankRule). It fails for an Action that is not BankHold or
// BankDecline.
func (s *Server) AddBankRule(r BankRule) error {
	switch r.Action {
	case BankHold, BankDecline:
	default:
		return fmt.Errorf("razorpaytest: AddBankRule: action must be %q or %q, got %q", BankHold, BankDecline, r.Action)
	}
	if r.Times == 0 {
		r.Times = 1
	}
	if r.Action == BankDecline && r.Reason == "" {
		r.Reason = DefaultDeclineReason
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctl.rules = append(s.ctl.rules, &r)
	return nil
}

// BankRules returns the rules not spent yet, oldest first, with the
// payments each has left in Times (negative: no limit).
func (s *Server) BankRules() []BankRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]BankRule, len(s.ctl.rules))
	for i, r := range s.ctl.rules {
		out[i] = *r
	}
	return out
}

// ClearBankRules removes every rule: recurring payments are captured again
// (or wait WithRecurringDelay). Payments held so far stay held.
func (s *Server) ClearBankRules() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctl.rules = nil
}

// HoldPayment keeps a created payment (a recurring payment waiting for the
// bank, see WithRecurringDelay) created until CapturePayment or FailPayment
// settles it. A payment already held is left as it is; one that is not
// created is refused with ErrInvalidState.
func (s *Server) HoldPayment(paymentID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	p := s.st.payments[paymentID]
	switch {
	case p == nil:
		return fmt.Errorf("%w: payment %q", ErrUnknownID, paymentID)
	case p.Status != paymentCreated:
		return fmt.Errorf("%w: payment %s is %s, not created", ErrInvalidState, p.ID, p.Status)
	}
	s.st.pending = slices.DeleteFunc(s.st.pending, func(q *payment) bool { return q == p })
	return nil
}

// bankDecides applies the trigger's forced decision or the first matching
// BankRule to a new recurring payment, and reports whether one decided it.
// The caller holds s.mu.
func (s *Server) bankDecides(p *payment) bool {
	r := s.ctl.force
	if r == nil {
		i := slices.IndexFunc(s.ctl.rules, func(r *BankRule) bool {
			return (r.Receipt == "" || p.order != nil && string(p.order.Receipt) == r.Receipt) &&
				(r.TokenID == "" || string(p.TokenID) == r.TokenID)
		})
		if i < 0 {
			return false
		}
		r = s.ctl.rules[i]
		if r.Times > 0 {
			if r.Times--; r.Times == 0 {
				s.ctl.rules = slices.Delete(s.ctl.rules, i, i+1)
			}
		}
	}
	switch r.Action {
	case BankHold:
	case BankDecline:
		s.fail(p, r.Reason)
	case bankCapture:
		s.capture(p)
	}
	return true
}

// ----- mandates in bulk -----

// SeedParams are the params of SeedMandates.
type SeedParams struct {
	// Count is how many mandates to make, 1 to MaxSeed.
	Count int `json:"count"`
	// MaxAmount is each mandate's most a debit may take, in paise
	// (default 100000, 1,000.00 INR).
	MaxAmount int64 `json:"max_amount,omitempty"`
	// Amount is each bill's amount, in paise (default 49900).
	Amount int64 `json:"amount,omitempty"`
	// Currency is each bill's currency (default INR).
	Currency string `json:"currency,omitempty"`
	// ReceiptPrefix starts each bill's receipt, which ends with the
	// mandate's number (unique on the server), such as bill-2026-11-0007;
	// the default is "bill-" and the year and month on the server's clock.
	ReceiptPrefix string `json:"receipt_prefix,omitempty"`
}

// MaxSeed is the most mandates one SeedMandates call makes.
const MaxSeed = 10000

// Bill is one bill on a confirmed mandate, as SeedMandates makes them: the
// columns of a billing file (razorpay bill) and the params of
// Payment.Charge.
type Bill struct {
	CustomerID string `json:"customer_id"`
	TokenID    string `json:"token_id"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
	Receipt    string `json:"receipt"`
	Email      string `json:"email"`
	Contact    string `json:"contact"`
	// MaxAmount is the mandate's limit.
	MaxAmount int64 `json:"max_amount"`
}

// ChargeParams returns the params of Payment.Charge for the bill.
func (b Bill) ChargeParams() *razorpay.ChargeParams {
	return &razorpay.ChargeParams{CustomerID: b.CustomerID, TokenID: b.TokenID, Amount: b.Amount,
		Currency: b.Currency, Receipt: b.Receipt, Email: b.Email, Contact: b.Contact}
}

// BillColumns is the header of a billing file, in the order of
// Bill.Record.
var BillColumns = []string{"customer", "token", "amount", "currency", "receipt", "email", "contact"}

// Record returns the bill as a row of a billing file (see BillColumns).
func (b Bill) Record() []string {
	return []string{b.CustomerID, b.TokenID, fmt.Sprint(b.Amount), b.Currency, b.Receipt, b.Email, b.Contact}
}

// SeedMandates makes Count customers, each with a confirmed card mandate
// (as NewMandate does, with its events), in one step, and returns a bill
// on each: what a monthly billing run starts from. It fails, having made
// nothing, for params out of range.
func (s *Server) SeedMandates(p SeedParams) ([]Bill, error) {
	if p.MaxAmount == 0 {
		p.MaxAmount = 100_000
	}
	if p.Amount == 0 {
		p.Amount = 49_900
	}
	if p.Currency == "" {
		p.Currency = "INR"
	}
	switch {
	case p.Count < 1 || p.Count > MaxSeed:
		return nil, fmt.Errorf("razorpaytest: SeedMandates: count must be 1 to %d, got %d", MaxSeed, p.Count)
	case p.MaxAmount < 100 || p.MaxAmount > 1_500_000:
		return nil, fmt.Errorf("razorpaytest: SeedMandates: max_amount must be 100 to 1500000 paise, got %d", p.MaxAmount)
	case p.Amount < 100:
		return nil, fmt.Errorf("razorpaytest: SeedMandates: amount must be at least 100 paise, got %d", p.Amount)
	case len(p.ReceiptPrefix) > 30:
		return nil, fmt.Errorf("razorpaytest: SeedMandates: receipt_prefix may have at most 30 characters, got %d", len(p.ReceiptPrefix))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	if p.ReceiptPrefix == "" {
		p.ReceiptPrefix = "bill-" + s.now().UTC().Format("2006-01") + "-"
	}
	bills := make([]Bill, 0, p.Count)
	for range p.Count {
		m, n, err := s.newMandateLocked(p.MaxAmount)
		if err != nil {
			return nil, fmt.Errorf("razorpaytest: SeedMandates: %w", err)
		}
		bills = append(bills, Bill{CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: p.Amount, Currency: p.Currency,
			Receipt: fmt.Sprintf("%s%04d", p.ReceiptPrefix, n), Email: m.Email, Contact: m.Contact, MaxAmount: p.MaxAmount})
	}
	return bills, nil
}

// newMandateLocked is NewMandate for a caller that holds s.mu: the same
// customer, authorization order and card holder's approval, through the
// same handlers. It also returns the mandate's number.
func (s *Server) newMandateLocked(maxAmount int64) (*Mandate, int64, error) {
	n := s.mandates.Add(1)
	v, e := s.exec("POST", "/v1/customers", map[string]any{
		"name":    fmt.Sprintf("Mandate Holder %d", n),
		"email":   fmt.Sprintf("mandate.holder.%d@example.com", n),
		"contact": fmt.Sprintf("+91%010d", 9000000000+n%1000000000),
	})
	if e != nil {
		return nil, n, fmt.Errorf("create the customer: %s", e.description)
	}
	cust := v.(*customer)
	v, e = s.exec("POST", "/v1/orders", map[string]any{
		"amount": 100, "currency": "INR", "receipt": fmt.Sprintf("mandate-%d", n), "customer_id": cust.ID, "method": "card",
		"token": map[string]any{"max_amount": maxAmount, "frequency": "monthly"},
	})
	if e != nil {
		return nil, n, fmt.Errorf("create the authorization order: %s", e.description)
	}
	o := v.(*order)
	c, err := s.newCard(cust, nil)
	if err != nil {
		return nil, n, err
	}
	p := s.authorize(o, cust, c)
	return &Mandate{CustomerID: cust.ID, Email: string(cust.Email), Contact: string(cust.Contact), TokenID: string(p.TokenID),
		MaxAmount: maxAmount, OrderID: o.ID, PaymentID: p.ID}, n, nil
}

// exec runs the API handler of method and path with a JSON body, as a
// request would, for a caller that holds s.mu.
func (s *Server) exec(method, path string, body any) (any, *apiError) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &apiError{status: 500, code: "SERVER_ERROR", description: err.Error()}
	}
	segs, _ := splitPath(path)
	h := route(method, segs)
	if h == nil {
		return nil, &apiError{status: 404, code: "BAD_REQUEST_ERROR", description: msgURLNotFound}
	}
	return h(s, &apiRequest{method: method, segs: segs, query: url.Values{}, body: b})
}

// ----- what was charged -----

// Verification sums up the bills charged on the server: the receipts of its
// charge orders (orders without a mandate to authorize) and their payments.
type Verification struct {
	// Bills is how many receipts the charge orders carry.
	Bills int `json:"bills"`
	// Charged, Pending, Refunded and NotCharged count the bills whose
	// payments are: one captured; one created or authorized; refunded
	// ones only (and failed ones); none, or failed ones only.
	Charged    int `json:"charged"`
	Pending    int `json:"pending"`
	Refunded   int `json:"refunded"`
	NotCharged int `json:"not_charged"`
	// Payments counts the charge orders' payments by status.
	Payments map[string]int `json:"payments"`
	// DoubleCharges are the receipts charged twice, as DoubleCharges
	// reports them.
	DoubleCharges []string `json:"double_charges"`
}

// Verify sums up what the server's charge orders hold (see Verification):
// after a billing run, every bill charged once and DoubleCharges empty.
func (s *Server) Verify() Verification {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	v := Verification{Payments: map[string]int{}, DoubleCharges: []string{}}
	for _, orders := range s.st.receipts {
		charge, captured, pending, refunded := false, 0, 0, 0
		for _, o := range orders {
			if o.Token != nil {
				continue // an authorization order
			}
			charge = true
			for _, p := range o.payments {
				v.Payments[string(p.Status)]++
				switch p.Status {
				case paymentCaptured:
					captured++
				case paymentCreated, paymentAuthorized:
					pending++
				case paymentRefunded:
					refunded++
				}
			}
		}
		if !charge {
			continue
		}
		v.Bills++
		switch {
		case captured > 0:
			v.Charged++
		case pending > 0:
			v.Pending++
		case refunded > 0:
			v.Refunded++
		default:
			v.NotCharged++
		}
	}
	v.DoubleCharges = append(v.DoubleCharges, s.doubleChargesLocked()...)
	return v
}

// ----- webhooks on demand -----

// TriggeredEvent is one webhook event that Trigger raised: its
// X-Razorpay-Event-Id, its name and its body, exactly the bytes to sign.
type TriggeredEvent struct {
	ID    string             `json:"id"`
	Event razorpay.EventType `json:"event"`
	Body  string             `json:"body"`
}

// Triggered is what Trigger built and raised.
type Triggered struct {
	// Event is the event asked for.
	Event razorpay.EventType `json:"event"`
	// Objects are the ids of what was built, by kind: customer_id,
	// token_id, order_id, payment_id, invoice_id, refund_id.
	Objects map[string]string `json:"objects"`
	// Events are the events of the action that raises Event, in order
	// (Event among them); the setup before it raises none.
	Events []TriggeredEvent `json:"events"`
}

// TriggerEvent is an event that Trigger can raise, with what it builds.
type TriggerEvent struct {
	Event       razorpay.EventType `json:"event"`
	Description string             `json:"description"`
}

// triggerState is what a trigger's setup built, for its action.
type triggerState struct {
	n       int
	mandate *Mandate
	order   *order
	invoice *invoice
	objects map[string]string
}

// scenario builds, quietly, what comes before an event, then does what
// raises it.
type scenario struct {
	event razorpay.EventType
	what  string
	setup func(s *Server, t *triggerState) error
	act   func(s *Server, t *triggerState) error
}

// TriggerEvents returns the events Trigger can raise, with what it builds for
// each.
func TriggerEvents() []TriggerEvent {
	out := make([]TriggerEvent, len(scenarios))
	for i, sc := range scenarios {
		out[i] = TriggerEvent{Event: sc.event, Description: sc.what}
	}
	return out
}

// Trigger builds, on the server, the state that raises event and raises it
// the way Razorpay would, then returns the ids it built and the events of
// that last step: for payment.captured, a customer with a confirmed mandate
// is made without events, then a recurring charge raises
// payment.authorized, payment.captured and order.paid; for payment.failed,
// the bank declines the charge and payment.failed is the only event. The
// events go to the WithWebhook endpoint too, if any. BankRules do not apply
// to a trigger's payments. It fails for an event that TriggerEvents does
// not list.
func (s *Server) Trigger(event razorpay.EventType) (*Triggered, error) {
	i := slices.IndexFunc(scenarios, func(sc scenario) bool { return sc.event == event })
	if i < 0 {
		return nil, fmt.Errorf("razorpaytest: Trigger: no scenario raises %q", event)
	}
	sc := scenarios[i]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catchUp()
	s.ctl.triggers++
	t := &triggerState{n: s.ctl.triggers, objects: map[string]string{}}
	s.ctl.quiet = true
	err := sc.setup(s, t)
	s.ctl.quiet = false
	if err != nil {
		return nil, fmt.Errorf("razorpaytest: Trigger %s: %w", event, err)
	}
	events := []TriggeredEvent{}
	s.ctl.capture = &events
	err = sc.act(s, t)
	s.ctl.capture, s.ctl.force = nil, nil
	if err != nil {
		return nil, fmt.Errorf("razorpaytest: Trigger %s: %w", event, err)
	}
	return &Triggered{Event: event, Objects: t.objects, Events: events}, nil
}

// The scenarios, one for every event type the SDK models.
var scenarios = []scenario{
	{razorpay.EventTokenConfirmed, "a card holder approves a mandate", authorizationOrder, func(s *Server, t *triggerState) error {
		return t.authorize(s)
	}},
	{razorpay.EventTokenRejected, "the bank rejects a mandate", authorizationOrder, func(s *Server, t *triggerState) error {
		cust := s.st.customers[t.order.CustomerID]
		c, err := s.newCard(cust, nil)
		if err != nil {
			return err
		}
		p := s.rejectMandate(t.order, cust, c, "Rejected by bank")
		t.objects["payment_id"], t.objects["token_id"] = p.ID, string(p.TokenID)
		return nil
	}},
	{razorpay.EventTokenPaused, "the card holder pauses a mandate", withMandate, setMandateTo(mandatePaused)},
	{razorpay.EventTokenCancelled, "the card holder cancels a mandate", withMandate, setMandateTo(mandateCancelled)},
	{razorpay.EventPaymentAuthorized, "a recurring charge", chargeOrder(false), recurringCharge(nil)},
	{razorpay.EventPaymentCaptured, "a recurring charge", chargeOrder(false), recurringCharge(nil)},
	{razorpay.EventOrderPaid, "a recurring charge", chargeOrder(false), recurringCharge(nil)},
	{razorpay.EventPaymentFailed, "the bank declines a recurring charge", chargeOrder(false),
		recurringCharge(&BankRule{Action: BankDecline, Reason: DefaultDeclineReason})},
	{razorpay.EventInvoicePaid, "a card holder pays a registration link", registrationLink, func(s *Server, t *triggerState) error {
		return t.authorize(s)
	}},
	{razorpay.EventInvoiceExpired, "a registration link expires unpaid", registrationLink, func(s *Server, t *triggerState) error {
		return s.expireLink(t.invoice, s.now().Unix())
	}},
	{razorpay.EventOrderNotificationDelivered, "a charge order's pre-debit notification reaches the customer", chargeOrder(true), preDebit(true)},
	{razorpay.EventOrderNotificationFailed, "a charge order's pre-debit notification fails", chargeOrder(true), preDebit(false)},
	{razorpay.EventRefundCreated, "a recurring charge refunded in part", charged, refundIt(false)},
	{razorpay.EventRefundProcessed, "a recurring charge refunded in part", charged, refundIt(false)},
	{razorpay.EventRefundFailed, "the bank fails a refund", charged, refundIt(true)},
}

// authorize is the card holder approving the trigger's authorization order
// (or registration link's order).
func (t *triggerState) authorize(s *Server) error {
	cust := s.st.customers[t.order.CustomerID]
	c, err := s.newCard(cust, nil)
	if err != nil {
		return err
	}
	p := s.authorize(t.order, cust, c)
	t.objects["payment_id"], t.objects["token_id"] = p.ID, string(p.TokenID)
	return nil
}

// authorizationOrder makes a customer and an authorization order for a
// mandate.
func authorizationOrder(s *Server, t *triggerState) error {
	v, e := s.exec("POST", "/v1/customers", map[string]any{"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com",
		"contact": "+919876543210", "fail_existing": "0"})
	if e != nil {
		return fmt.Errorf("create the customer: %s", e.description)
	}
	cust := v.(*customer)
	v, e = s.exec("POST", "/v1/orders", map[string]any{"amount": 100, "currency": "INR", "customer_id": cust.ID, "method": "card",
		"receipt": fmt.Sprintf("trigger-%d", t.n), "token": map[string]any{"max_amount": 1_500_000, "frequency": "monthly"}})
	if e != nil {
		return fmt.Errorf("create the authorization order: %s", e.description)
	}
	t.order = v.(*order)
	t.objects["customer_id"], t.objects["order_id"] = cust.ID, t.order.ID
	return nil
}

// registrationLink makes a registration link.
func registrationLink(s *Server, t *triggerState) error {
	v, e := s.exec("POST", "/v1/subscription_registration/auth_links", map[string]any{
		"customer": map[string]any{"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com", "contact": "+919876543210"},
		"type":     "link", "amount": 100, "currency": "INR", "description": "Monthly subscription",
		"subscription_registration": map[string]any{"method": "card", "max_amount": 1_500_000, "frequency": "monthly"},
		"receipt":                   fmt.Sprintf("trigger-%d", t.n),
	})
	if e != nil {
		return fmt.Errorf("create the registration link: %s", e.description)
	}
	t.invoice = v.(*invoice)
	t.order = t.invoice.order
	t.objects["invoice_id"], t.objects["customer_id"], t.objects["order_id"] = t.invoice.ID, string(t.invoice.CustomerID), t.order.ID
	return nil
}

// withMandate makes a customer with a confirmed mandate.
func withMandate(s *Server, t *triggerState) error {
	m, _, err := s.newMandateLocked(1_500_000)
	if err != nil {
		return err
	}
	t.mandate = m
	t.objects["customer_id"], t.objects["token_id"] = m.CustomerID, m.TokenID
	return nil
}

// chargeOrder makes a customer with a confirmed mandate and a charge order
// for it (with a pre-debit notification when notify is set).
func chargeOrder(notify bool) func(*Server, *triggerState) error {
	return func(s *Server, t *triggerState) error {
		if err := withMandate(s, t); err != nil {
			return err
		}
		body := map[string]any{"amount": 49_900, "currency": "INR", "receipt": fmt.Sprintf("trigger-%d", t.n), "payment_capture": true}
		if notify {
			body["notification"] = map[string]any{"token_id": t.mandate.TokenID}
		}
		v, e := s.exec("POST", "/v1/orders", body)
		if e != nil {
			return fmt.Errorf("create the charge order: %s", e.description)
		}
		t.order = v.(*order)
		t.objects["order_id"] = t.order.ID
		return nil
	}
}

func setMandateTo(status mandateStatus) func(*Server, *triggerState) error {
	return func(s *Server, t *triggerState) error {
		return s.setMandate(s.st.tokens[t.mandate.TokenID], status)
	}
}

// recurringCharge charges the trigger's order on its mandate, captured at
// once, or decided by the bank as decide says.
func recurringCharge(decide *BankRule) func(*Server, *triggerState) error {
	return func(s *Server, t *triggerState) error {
		s.ctl.force = cmp.Or(decide, &BankRule{Action: bankCapture})
		m := t.mandate
		v, e := s.exec("POST", "/v1/payments/create/recurring", map[string]any{
			"email": m.Email, "contact": m.Contact, "amount": t.order.Amount, "currency": t.order.Currency,
			"order_id": t.order.ID, "customer_id": m.CustomerID, "token": m.TokenID, "recurring": true,
			"description": "Monthly subscription",
		})
		if e != nil {
			return fmt.Errorf("create the recurring payment: %s", e.description)
		}
		t.objects["payment_id"] = v.(map[string]string)["razorpay_payment_id"]
		return nil
	}
}

// charged makes a charge order paid by a captured recurring payment.
func charged(s *Server, t *triggerState) error {
	if err := chargeOrder(false)(s, t); err != nil {
		return err
	}
	return recurringCharge(nil)(s, t)
}

// refundIt refunds the trigger's payment in part, the refund processed;
// then, when fail, the bank fails the refund.
func refundIt(fail bool) func(*Server, *triggerState) error {
	return func(s *Server, t *triggerState) error {
		id := t.objects["payment_id"]
		v, e := s.exec("POST", "/v1/payments/"+id+"/refund", map[string]any{
			"amount": 16_633, "receipt": fmt.Sprintf("refund-trigger-%d", t.n), "notes": map[string]string{"reason": "cancelled mid-month"},
		})
		if e != nil {
			return fmt.Errorf("refund the payment: %s", e.description)
		}
		rf := v.(*refund)
		t.objects["refund_id"] = rf.ID
		if rf.Status == refundPending {
			if err := s.processRefund(rf); err != nil {
				return err
			}
		}
		if fail {
			return s.failRefund(rf)
		}
		return nil
	}
}

func preDebit(delivered bool) func(*Server, *triggerState) error {
	return func(s *Server, t *triggerState) error {
		s.reportPreDebit(t.order, delivered)
		return nil
	}
}
