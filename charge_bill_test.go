package razorpay

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The decisions of Charge's protocol, one per test, on the scripted
// transport: what it sends, in which order, and what it answers.

func TestChargeNewBill(t *testing.T) {
	t.Parallel()
	mt := mockNewBill()
	c := mockClient(t, mt)
	var info ChargeInfo
	p, err := c.Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assert.Equal(t, OutcomeCharged, OutcomeOf(p, err))
	assert.Equal(t, []string{mockRouteList, mockRouteCreate, mockRouteList, mockRouteRecurring, mockRouteFetchPay}, mt.routesSeen(), "five requests")
	assert.Equal(t, ChargeInfo{Created: true, OrderID: mockChargeOrder, Requests: 5}, info)

	list := mt.Calls()[0]
	assert.Equal(t, "count=100&expand%5B%5D=payments&receipt=sub_42-2026-11", list.RawQuery)
	assertReqAuth(t, list)

	ticket := assertReqJSON(t, mt.Calls()[1])
	assertReqKeys(t, ticket, "amount", "currency", "receipt", "notes", "payment_capture")
	assertReqInt(t, ticket, "amount", 49900)
	assertReqString(t, ticket, "receipt", mockChargeReceipt)
	assertReqBool(t, ticket, "payment_capture", true)
	notes := assertReqObject(t, ticket, "notes")
	assert.Equal(t, "gold", notes["plan"])
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{16}$`), notes[ChargeNoteKey], "a random mark of the ticket")

	pay := mt.body(mockRouteRecurring, 0)
	assertReqString(t, pay, "order_id", mockChargeOrder)
	assertReqString(t, pay, "token", "token_CH000000001")
	assertReqString(t, pay, "customer_id", "cust_CH0000000001")
	assertReqBool(t, pay, "recurring", true)
	assert.Equal(t, map[string]any{"plan": "gold"}, assertReqObject(t, pay, "notes"), "the payment carries the bill's notes only")
}

// TestChargeTwoTicketsAreDifferent: each call marks its ticket with its
// own random note.
func TestChargeTwoTicketsAreDifferent(t *testing.T) {
	t.Parallel()
	mt := mockNewBill()
	c := mockClient(t, mt)
	for range 2 {
		mt.on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
		_, err := c.Payment.Charge(mockCtx(t), mockChargeParams())
		require.NoError(t, err)
	}
	a := assertReqObject(t, mt.body(mockRouteCreate, 0), "notes")[ChargeNoteKey]
	b := assertReqObject(t, mt.body(mockRouteCreate, 1), "notes")[ChargeNoteKey]
	assert.NotEqual(t, a, b)
}

// TestChargeReturnsTheBillsPayment: a bill whose receipt holds a live
// payment of the bill costs one request and creates nothing; the payment is
// returned in whatever state it is.
func TestChargeReturnsTheBillsPayment(t *testing.T) {
	t.Parallel()
	for status, want := range map[PaymentStatus]ChargeOutcome{
		PaymentStatusCaptured:   OutcomeCharged,
		PaymentStatusAuthorized: OutcomePending,
		PaymentStatusCreated:    OutcomePending,
		PaymentStatusRefunded:   OutcomeRefunded,
	} {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt+60,
				mockOrderOf(mockChargeOther, mockChargeAt, "", mockPaymentOf("pay_Failed000001", mockChargeOther, PaymentStatusFailed), mockPaymentOf(mockChargePayment, mockChargeOther, status))))
			c := mockClient(t, mt)
			var info ChargeInfo
			p, err := c.Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
			require.NoError(t, err)
			assert.Equal(t, mockChargePayment, p.ID)
			assert.Equal(t, want, OutcomeOf(p, err))
			assert.Equal(t, []string{mockRouteList}, mt.routesSeen())
			assert.Equal(t, ChargeInfo{Requests: 1}, info)
		})
	}
}

// TestChargeTheMostAdvancedPaymentIsTheBills: of two live payments, the
// captured one is returned (a late-authorized extra is refunded).
func TestChargeTheMostAdvancedPaymentIsTheBills(t *testing.T) {
	t.Parallel()
	mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt+60, mockOrderOf(mockChargeOther, mockChargeAt, "",
		mockPaymentOf("pay_Refunded0001", mockChargeOther, PaymentStatusRefunded),
		mockPaymentOf(mockChargePayment, mockChargeOther, PaymentStatusCaptured),
		mockPaymentOf("pay_Created00001", mockChargeOther, PaymentStatusCreated))))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
}

// TestChargeConflicts: a live payment that is not the bill's is a conflict,
// found without creating anything; the bill's own payment wins over any
// such order or payment.
func TestChargeConflicts(t *testing.T) {
	t.Parallel()
	other := func(edit func(m map[string]any)) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(mockPaymentOf("pay_Other0000001", mockChargeOther, PaymentStatusCaptured)), &m))
		edit(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	for name, pay := range map[string]string{
		"another amount":   other(func(m map[string]any) { m["amount"] = 100 }),
		"another currency": other(func(m map[string]any) { m["currency"] = "USD" }),
		"another customer": other(func(m map[string]any) { m["customer_id"] = "cust_Other000001" }),
		"another token":    other(func(m map[string]any) { m["token_id"] = "token_Other00001" }),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt+60, mockOrderOf(mockChargeOther, mockChargeAt, "", pay)))
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			assert.Nil(t, p)
			require.ErrorIs(t, err, ErrReceiptConflict)
			assert.Equal(t, OutcomeConflict, OutcomeOf(p, err))
			assert.Equal(t, mockChargeOther, mockChargeError(t, err).OrderID)
			assert.Equal(t, []string{mockRouteList}, mt.routesSeen())

			// The bill's own payment on another order of the receipt wins.
			mt.on(mockRouteList, mockOrderList(mockChargeAt+60, mockOrderOf(mockChargeOther, mockChargeAt, "", pay),
				mockOrderOf("order_CH00000000003", mockChargeAt-5, "", mockPaymentOf(mockChargePayment, "order_CH00000000003", PaymentStatusCaptured))))
			p, err = mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			require.NoError(t, err)
			assert.Equal(t, mockChargePayment, p.ID)
		})
	}
}

// TestChargeBillsPaymentWinsOverAYoungOrderForAnotherAmount: a mistaken
// call for another amount leaves a young empty order; every redelivery of
// the real, charged bill still gets its payment.
func TestChargeBillsPaymentWinsOverAYoungOrderForAnotherAmount(t *testing.T) {
	t.Parallel()
	mistaken := `{"id":"` + mockChargeOther + `","entity":"order","amount":100,"currency":"INR","receipt":"` + mockChargeReceipt +
		`","notes":{"` + ChargeNoteKey + `":"0123456789abcdef"},"created_at":` + strconv.Itoa(mockChargeAt+50) + `,"payments":{"entity":"collection","count":0,"items":[]}}`
	mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt+60, mistaken,
		mockOrderOf(mockChargeOrder, mockChargeAt, "", mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured))))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
}

// TestChargeWaitsWithoutCreating: a young order of the receipt that holds no
// payment and is not released may be another attempt's, about to be
// charged: the call waits and creates nothing. Its RetryAfter is short while
// the order is young, and ends with the order's window.
func TestChargeWaitsWithoutCreating(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		age      int64
		min, max time.Duration
	}{
		{0, 2 * time.Second, 2500 * time.Millisecond},
		{1, 2 * time.Second, 2500 * time.Millisecond},
		{100, 100 * time.Second, 125 * time.Second},
		{600, 302 * time.Second, 332 * time.Second}, // until the window's end
		{895, 7 * time.Second, 9 * time.Second},
		{899, 3 * time.Second, 4 * time.Second},
	} {
		t.Run(strconv.FormatInt(tc.age, 10), func(t *testing.T) {
			t.Parallel()
			mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt+tc.age, mockOrderOf(mockChargeOther, mockChargeAt, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)))
			c := mockClient(t, mt)
			var info ChargeInfo
			p, err := c.Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
			assert.Nil(t, p)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			ce := mockChargeError(t, err)
			assert.Equal(t, mockChargeOther, ce.OrderID)
			assert.GreaterOrEqual(t, ce.RetryAfter, tc.min)
			assert.LessOrEqual(t, ce.RetryAfter, tc.max)
			assert.Equal(t, []string{mockRouteList}, mt.routesSeen(), "a waiting call creates nothing")
			assert.Equal(t, ChargeInfo{Requests: 1}, info)

			lookup, err := c.Payment.LookupCharge(mockCtx(t), &ChargeParams{Receipt: mockChargeReceipt})
			assert.Nil(t, lookup)
			assert.Equal(t, OutcomeUnknown, OutcomeOf(lookup, err), "LookupCharge answers the same")
		})
	}
}

// TestChargeDoesNotWaitFor: orders that cannot be another attempt about to
// charge do not hold the bill: released, older than the window, holding a
// payment (failed: the first payment on an order is its call's), an order
// created after the call's ticket.
func TestChargeDoesNotWaitFor(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		other  string
		target string
	}{
		"released":  {mockOrderOf(mockChargeOther, mockChargeAt-2, `{"`+ChargeNoteKey+`":"released"}`), mockChargeOrder},
		"abandoned": {mockOrderOf(mockChargeOther, mockChargeAt-int64(ChargeSettleWindow/time.Second), ""), mockChargeOrder},
		"holding a failed payment": {mockOrderOf(mockChargeOther, mockChargeAt-2, "", mockPaymentOf("pay_Failed000001", mockChargeOther, PaymentStatusFailed)),
			mockChargeOther},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().
				on(mockRouteList, mockOrderList(mockChargeAt, tc.other), mockOrderList(mockChargeAt+1, tc.other, mockOrderOf(mockChargeOrder, mockChargeAt, ""))).
				on(mockRouteRecurring, mockRecurringOK(tc.target))
			if tc.target != mockChargeOrder {
				mt.on(mockRouteFetchPay, mockJSON(200, mockPaymentOf(mockChargePayment, tc.target, PaymentStatusCaptured)))
			}
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			require.NoError(t, err)
			assert.Equal(t, mockChargePayment, p.ID)
			assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", tc.target)
			assert.Zero(t, mt.count(mockRouteRelease))
		})
	}
}

// TestChargeIgnoresALaterTicket: an order created after the call's ticket
// is a later call's, which waits for this one.
func TestChargeIgnoresALaterTicket(t *testing.T) {
	t.Parallel()
	later := mockOrderOf(mockChargeOther, mockChargeAt+1, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, later, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", mockChargeOrder)
}

// TestChargeStandsDownForAnEarlierTicket: between the call's two looks,
// another attempt created its ticket first: the call releases its own,
// charges nothing, and comes back soon.
func TestChargeStandsDownForAnEarlierTicket(t *testing.T) {
	t.Parallel()
	earlier := mockOrderOf(mockChargeOther, mockChargeAt-1, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, mockOrderOf(mockChargeOrder, mockChargeAt, ""), earlier))
	var info ChargeInfo
	p, err := mockClient(t, mt).Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	ce := mockChargeError(t, err)
	assert.Equal(t, mockChargeOther, ce.OrderID)
	assert.GreaterOrEqual(t, ce.RetryAfter, 2*time.Second)
	assert.LessOrEqual(t, ce.RetryAfter, 3*time.Second)
	assert.Equal(t, []string{mockRouteList, mockRouteCreate, mockRouteList, mockRouteRelease}, mt.routesSeen())
	assertReleased(t, mt)
	assert.Equal(t, ChargeInfo{OrderID: mockChargeOrder, Released: true, Requests: 4}, info)
}

// TestChargeTieStandsDown: two tickets in the same second cannot be
// ordered: both calls release theirs and come back after a short random
// wait.
func TestChargeTieStandsDown(t *testing.T) {
	t.Parallel()
	tie := mockOrderOf(mockChargeOther, mockChargeAt, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	seen := map[time.Duration]bool{}
	for range 8 {
		mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt, tie, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
		_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown)
		ce := mockChargeError(t, err)
		assert.GreaterOrEqual(t, ce.RetryAfter, time.Second)
		assert.Less(t, ce.RetryAfter, 3*time.Second)
		seen[ce.RetryAfter] = true
		assertReleased(t, mt)
		assert.Zero(t, mt.count(mockRouteRecurring))
	}
	assert.Greater(t, len(seen), 1, "random waits, so that the two calls do not tie again")
}

// TestChargeWithoutRazorpaysClockWaits: when neither the ticket's answer
// nor the list gives its created_at, no order can be aged or ordered
// against the ticket: every other unreleased empty order holds the bill.
func TestChargeWithoutRazorpaysClockWaits(t *testing.T) {
	t.Parallel()
	old := mockOrderOf(mockChargeOther, mockChargeAt-3600, "")
	ownNoTime := `{"id":"` + mockChargeOrder + `","entity":"order","amount":49900,"currency":"INR","receipt":"` + mockChargeReceipt + `","notes":[],"payments":{"entity":"collection","count":0,"items":[]}}`
	mt := mockNewBill().
		on(mockRouteCreate, mockTicket(0)).
		on(mockRouteList, mockOrderList(0, old), mockOrderList(0, old, ownNoTime))
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mt.count(mockRouteRecurring), "never charged over an order it cannot age")
	assertReleased(t, mt)

	// Without a Date header the first look cannot age orders; the ticket's
	// created_at then does, and an order an hour old holds nothing.
	mt = mockNewBill().on(mockRouteList, mockOrderList(0, old), mockOrderList(0, old, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
	_, err = mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
}

// TestChargeStaleDecisionDoesNotPay: the process stalls between its
// decision and the payment request until its ticket is too old to be sure
// no other call has taken it for abandoned: it charges nothing and
// releases the ticket.
func TestChargeStaleDecisionDoesNotPay(t *testing.T) {
	t.Parallel()
	mt := mockNewBill()
	c := mockClient(t, mt, WithTimeout(100*time.Millisecond), WithChargeSettleWindow(minSettleWindow(100*time.Millisecond)))
	b := newBill(mockCtx(t), c.Payment, mockChargeParams())
	b.beforePay = func() { time.Sleep(b.window - b.guard) } // the stall itself, the scenario
	p, err := b.charge(mockCtx(t))
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorContains(t, err, "stale")
	assert.Zero(t, mt.count(mockRouteRecurring), "a stale decision never pays")
	assertReleased(t, mt)
}

// TestChargePaymentDeadlineIsInsideTheWindow: the payment request's
// context ends no later than the settle window minus the guard after the
// ticket was requested.
func TestChargePaymentDeadlineIsInsideTheWindow(t *testing.T) {
	t.Parallel()
	var deadline, created time.Time
	mt := mockNewBill()
	mt.on(mockRouteCreate, func(req *http.Request) (*http.Response, error) {
		created = time.Now() // after the call measured its start
		return mockTicket(mockChargeAt)(req)
	})
	mt.on(mockRouteRecurring, func(req *http.Request) (*http.Response, error) {
		deadline, _ = req.Context().Deadline()
		return mockRecurringOK(mockChargeOrder)(req)
	})
	c := mockClient(t, mt, WithTimeout(0))
	_, err := c.Payment.Charge(mockCtx(t, time.Hour), mockChargeParams())
	require.NoError(t, err)
	require.False(t, deadline.IsZero())
	limit := created.Add(ChargeSettleWindow - settleGuard(ChargeSettleWindow))
	assert.False(t, deadline.After(limit), "deadline %v after %v", deadline, limit)
	assert.True(t, deadline.After(limit.Add(-time.Minute)))
}

// TestChargeTargets: the order charged is the one holding the bill's failed
// payments, else the OrderID asked for, else the ticket.
func TestChargeTargets(t *testing.T) {
	t.Parallel()
	failedOld := mockOrderOf("order_CH0000000Old", mockChargeAt-7200, "", mockPaymentOf("pay_Failed000001", "order_CH0000000Old", PaymentStatusFailed))
	failedNew := mockOrderOf("order_CH0000000New", mockChargeAt-3600, "", mockPaymentOf("pay_Failed000002", "order_CH0000000New", PaymentStatusFailed))
	hint := mockOrderOf("order_CH000000Hint", mockChargeAt-3600, `{"`+ChargeNoteKey+`":"released"}`)
	for name, tc := range map[string]struct {
		orders  []string
		orderID string
		want    string
	}{
		"the earliest order with failed payments": {[]string{failedNew, failedOld, hint}, "order_CH000000Hint", "order_CH0000000Old"},
		"the OrderID asked for":                   {[]string{hint}, "order_CH000000Hint", "order_CH000000Hint"},
		"the ticket":                              {[]string{hint}, "", mockChargeOrder},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().
				on(mockRouteList, mockOrderList(mockChargeAt, tc.orders...), mockOrderList(mockChargeAt+1, append(tc.orders, mockOrderOf(mockChargeOrder, mockChargeAt, ""))...)).
				on(mockRouteRecurring, mockRecurringOK(tc.want)).
				on(mockRouteFetchPay, mockJSON(200, mockPaymentOf(mockChargePayment, tc.want, PaymentStatusCaptured)))
			params := mockChargeParams()
			params.OrderID = tc.orderID
			_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), params)
			require.NoError(t, err)
			assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", tc.want)
		})
	}
}

// TestChargeOrderIDHint: an OrderID of another receipt or amount is a
// conflict, found before anything is created.
func TestChargeOrderIDHint(t *testing.T) {
	t.Parallel()
	for name, fetched := range map[string]string{
		"another receipt": `{"id":"order_CH000000Hint","entity":"order","amount":49900,"currency":"INR","receipt":"sub_43-2026-11","notes":[],"created_at":1}`,
		"another amount":  `{"id":"order_CH000000Hint","entity":"order","amount":100,"currency":"INR","receipt":"` + mockChargeReceipt + `","notes":[],"created_at":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().
				on("GET /v1/orders/order_CH000000Hint", mockJSON(200, fetched)).
				on("GET /v1/orders/order_CH000000Hint/payments", mockJSON(200, `{"entity":"collection","count":0,"items":[]}`))
			params := mockChargeParams()
			params.OrderID = "order_CH000000Hint"
			_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), params)
			require.ErrorIs(t, err, ErrReceiptConflict)
			assert.Zero(t, mt.count(mockRouteCreate))
		})
	}
}

// TestLookupCharge: what Charge would find, with nothing created.
func TestLookupCharge(t *testing.T) {
	t.Parallel()
	failed := mockOrderOf(mockChargeOther, mockChargeAt-7200, "", mockPaymentOf("pay_Failed000001", mockChargeOther, PaymentStatusFailed))
	for name, tc := range map[string]struct {
		list mockStep
		want ChargeOutcome
	}{
		"charged":                  {mockOrderList(mockChargeAt, mockOrderOf(mockChargeOrder, mockChargeAt, "", mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured))), OutcomeCharged},
		"pending":                  {mockOrderList(mockChargeAt, mockOrderOf(mockChargeOrder, mockChargeAt, "", mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCreated))), OutcomePending},
		"no order":                 {mockOrderList(mockChargeAt), OutcomeNotCharged},
		"failed":                   {mockOrderList(mockChargeAt, failed), OutcomeNotCharged},
		"a young ticket":           {mockOrderList(mockChargeAt, mockOrderOf(mockChargeOrder, mockChargeAt-1, "")), OutcomeUnknown},
		"no clock, an empty order": {mockOrderList(0, mockOrderOf(mockChargeOrder, mockChargeAt-7200, "")), OutcomeUnknown},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := newMockRT().on(mockRouteList, tc.list)
			p, err := mockClient(t, mt).Payment.LookupCharge(mockCtx(t), &ChargeParams{Receipt: mockChargeReceipt})
			assert.Equal(t, tc.want, OutcomeOf(p, err), "%v", err)
			assert.Equal(t, []string{mockRouteList}, mt.routesSeen())
			if name == "failed" {
				ce := mockChargeError(t, err)
				require.NotNil(t, ce.Payment)
				assert.Equal(t, "pay_Failed000001", ce.Payment.ID)
				assert.Equal(t, mockChargeOther, ce.OrderID)
			}
		})
	}
}

// TestChargeAgesOrdersWhenTheListWasSent: an answer that arrives late says
// what Razorpay held when it was served, so the orders in it are aged as
// of the moment the list was asked for, never of the moment it arrived: an
// order young then may have been charged since.
func TestChargeAgesOrdersWhenTheListWasSent(t *testing.T) {
	t.Parallel()
	const lateBy = 2 * time.Second
	window := int64(ChargeSettleWindow / time.Second)
	almostOld := mockOrderOf(mockChargeOther, mockChargeAt-window+1, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	slow := func(req *http.Request) (*http.Response, error) {
		time.Sleep(lateBy) // the answer's lag, the scenario
		return mockOrderList(mockChargeAt+1, almostOld, mockOrderOf(mockChargeOrder, mockChargeAt, ""))(req)
	}
	mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt-int64(time.Minute/time.Second)), slow)
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown, "young when the list was asked for: the call waits")
	assert.Zero(t, mt.count(mockRouteRecurring))
}

// TestChargeTiesBackOffWithContention: calls that keep tying (the receipt
// holds young released tickets of earlier stand-downs) come back after
// random waits that double with each, so that calls delivered together stop
// tying.
func TestChargeTiesBackOffWithContention(t *testing.T) {
	t.Parallel()
	tie := mockOrderOf(mockChargeOther, mockChargeAt, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	released := []string{tie}
	for i := range 3 {
		released = append(released, mockOrderOf("order_Released000"+strconv.Itoa(i), mockChargeAt-10, `{"`+ChargeNoteKey+`":"released"}`))
	}
	longest := time.Duration(0)
	for range 16 {
		mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt, append(released, mockOrderOf(mockChargeOrder, mockChargeAt, ""))...))
		_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown)
		ra := mockChargeError(t, err).RetryAfter
		assert.GreaterOrEqual(t, ra, time.Second)
		assert.Less(t, ra, time.Second+2*time.Second<<3)
		longest = max(longest, ra)
	}
	assert.Greater(t, longest, 3*time.Second, "three stand-downs spread the next tries over 17 s")
}
