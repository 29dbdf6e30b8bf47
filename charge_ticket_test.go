package razorpay

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ticket of a call of Charge: the reads until the list shows it, the
// refusals of its creation, a create whose answer was lost, and a receipt
// taken on an account with unique receipts.

// TestChargeRereadsALaggingList: the list after the ticket does not show it
// yet: the call reads again, and charges once it does.
func TestChargeRereadsALaggingList(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1),
		mockOrderList(mockChargeAt+1, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
	start := time.Now()
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, 4, mt.count(mockRouteList))
	assert.GreaterOrEqual(t, time.Since(start), 750*time.Millisecond, "250 ms, then 500 ms between the reads")
}

// TestChargeListThatNeverShowsTheTicket: the call gives up after a few
// reads with ErrReceiptUnreadable, terminal, having released its ticket and
// charged nothing: a list that does not show the call's own order cannot be
// trusted to show another's.
func TestChargeListThatNeverShowsTheTicket(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrReceiptUnreadable)
	assert.Equal(t, OutcomeUnreadable, OutcomeOf(p, err))
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, ErrNotCharged)
	assert.Equal(t, 1+1+len(lagWaits), mt.count(mockRouteList), "one look, then the first read and one per wait")
	assert.Zero(t, mt.count(mockRouteRecurring))
	assertReleased(t, mt)
}

// TestChargeCreateRefused: Razorpay's refusal of the ticket. Only the two
// unique-receipt answers mean "the receipt is taken"; any other refusal,
// even one that mentions the receipt, ends the call: not charged.
func TestChargeCreateRefused(t *testing.T) {
	t.Parallel()
	refusal := func(desc, metadata string) mockStep {
		return mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"`+desc+`","field":"receipt"`+metadata+`}}`)
	}
	for name, step := range map[string]mockStep{
		"receipt too long":                   refusal("The receipt may not be greater than 40 characters.", ""),
		"unique wording without an order id": refusal("Order receipt should be unique.", ""),
		"unique wording with a bad order id": refusal("Order receipt should be unique.", `,"metadata":{"order_id":"../x"}`),
		"the amount":                         refusal("The amount must be at least INR 1.00.", ""),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().on(mockRouteCreate, step).on(mockRouteList, mockOrderList(mockChargeAt))
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			assert.Nil(t, p)
			require.ErrorIs(t, err, ErrNotCharged)
			assert.ErrorIs(t, err, ErrBadRequest)
			assert.Equal(t, OutcomeNotCharged, OutcomeOf(p, err))
			assert.Zero(t, mockChargeError(t, err).RetryAfter)
			assert.Equal(t, []string{mockRouteList, mockRouteCreate, mockRouteList}, mt.routesSeen(), "one call, then a look")
		})
	}
	t.Run("receipt in progress", func(t *testing.T) {
		t.Parallel()
		mt := mockNewBill().on(mockRouteCreate, refusal("Another operation with the same receipt is in progress.", ""))
		_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown)
		ra := mockChargeError(t, err).RetryAfter
		assert.GreaterOrEqual(t, ra, receiptLockWindow)
		assert.Less(t, ra, receiptLockWindow+2*time.Second)
		assert.Zero(t, mt.count(mockRouteRecurring))
	})
	t.Run("refused while another attempt's ticket is young", func(t *testing.T) {
		t.Parallel()
		young := mockOrderOf(mockChargeOther, mockChargeAt, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
		mt := mockNewBill().on(mockRouteCreate, mockJSON(401, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The api key provided is invalid"}}`)).
			on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, young))
		_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown, "the other attempt may be charging: never 'not charged'")
		assert.NotErrorIs(t, err, ErrNotCharged)
		assert.Equal(t, mockChargeOther, mockChargeError(t, err).OrderID)
	})
	t.Run("a proxy's 429", func(t *testing.T) {
		t.Parallel()
		mt := mockNewBill().on(mockRouteCreate, mockJSON(429, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Too many requests"}}`))
		_, err := mockClient(t, mt, WithMaxRetries(0)).Payment.Charge(mockCtx(t), mockChargeParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Zero(t, mockChargeError(t, err).RetryAfter, "no ticket: nothing in flight")
	})
}

// TestChargeRecoversItsTicketAfterALostAnswer: the ticket's create got no
// answer; the list shows an order with the call's mark: it is the call's
// ticket, and the call goes on with it.
func TestChargeRecoversItsTicketAfterALostAnswer(t *testing.T) {
	t.Parallel()
	var mark atomic.Value
	mt := mockNewBill()
	mt.on(mockRouteCreate, func(req *http.Request) (*http.Response, error) {
		call := req.Context().Value(mockCallKey{}).(mockCall)
		var body struct{ Notes map[string]string }
		_ = json.Unmarshal(call.Body, &body)
		mark.Store(body.Notes[ChargeNoteKey])
		return mockJSON(504, `<html>Gateway Timeout</html>`)(req)
	})
	mt.on(mockRouteList, mockOrderList(mockChargeAt), func(req *http.Request) (*http.Response, error) {
		own := mockOrderOf(mockChargeOrder, mockChargeAt, `{"plan":"gold","`+ChargeNoteKey+`":"`+mark.Load().(string)+`"}`)
		return mockOrderList(mockChargeAt+1, own)(req)
	})
	var info ChargeInfo
	p, err := mockClient(t, mt).Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", mockChargeOrder)
	assert.Equal(t, mockChargeOrder, info.OrderID)
	assert.True(t, info.Created)
}

// TestChargeLostTicketNotFound: the ticket's create got no answer and the
// list shows no order of the call: it may still appear, so the call waits
// briefly and charges nothing.
func TestChargeLostTicketNotFound(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteCreate, mockJSON(504, `<html>Gateway Timeout</html>`)).on(mockRouteList, mockOrderList(mockChargeAt))
	start := time.Now()
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	assert.Less(t, time.Since(start), 3*time.Second, "a few reads, not the lag budget of a ticket known to exist")
	assert.Equal(t, 1+1+recoverReads, mt.count(mockRouteList))
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	ra := mockChargeError(t, err).RetryAfter
	assert.GreaterOrEqual(t, ra, time.Second)
	assert.Less(t, ra, 3*time.Second)
	assert.Zero(t, mt.count(mockRouteRecurring))
	assert.Zero(t, mt.count(mockRouteRelease), "no ticket of its own to release")
}

// TestChargeTakenReceipt: on an account with unique receipts the ticket is
// refused with the bill's order named: once that order is released or old,
// the call charges it without a ticket; while it is young and empty, the
// call waits.
func TestChargeTakenReceipt(t *testing.T) {
	t.Parallel()
	taken := mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Order receipt should be unique.","field":"receipt","metadata":{"order_id":"`+mockChargeOther+`"}}}`)
	old := mockOrderOf(mockChargeOther, mockChargeAt-3600, "", mockPaymentOf("pay_Failed000001", mockChargeOther, PaymentStatusFailed))
	mt := mockNewBill().on(mockRouteCreate, taken).on(mockRouteList, mockOrderList(mockChargeAt, old)).
		on(mockRouteRecurring, mockRecurringOK(mockChargeOther)).
		on(mockRouteFetchPay, mockJSON(200, mockPaymentOf(mockChargePayment, mockChargeOther, PaymentStatusCaptured)))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", mockChargeOther)

	young := mockOrderOf(mockChargeOther, mockChargeAt-5, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	mt = mockNewBill().on(mockRouteCreate, taken).on(mockRouteList, mockOrderList(mockChargeAt, young))
	// The first look waits already: the create never happens.
	_, err = mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mt.count(mockRouteCreate))
	// The order appears between the look and the create.
	mt = mockNewBill().on(mockRouteCreate, taken).on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt, young))
	_, err = mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mt.count(mockRouteRecurring))
}

// TestChargeLostTicketDoesNotAdoptAnother: after a create without an
// answer, only an order with the call's own mark is its ticket; another
// attempt's young order is waited for.
func TestChargeLostTicketDoesNotAdoptAnother(t *testing.T) {
	t.Parallel()
	other := mockOrderOf(mockChargeOther, mockChargeAt, `{"`+ChargeNoteKey+`":"0123456789abcdef"}`)
	mt := mockNewBill().on(mockRouteCreate, mockJSON(504, `<html>Gateway Timeout</html>`)).
		on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, other))
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mt.count(mockRouteRecurring))
	assert.Zero(t, mt.count("PATCH /v1/orders/"+mockChargeOther), "never released: not its own")
}
