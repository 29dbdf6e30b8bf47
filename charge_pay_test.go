package razorpay

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The payment request of Charge and what follows its answer: the payment,
// "not charged" after Razorpay's refusal or a failed payment, or "unknown"
// until the request can no longer land.

const routeOrderPayments = "GET /v1/orders/" + mockChargeOrder + "/payments"

// paymentsOf answers the order's payments with items.
func paymentsOf(items ...string) mockStep {
	return mockOrderList(0, items...)
}

func TestChargePaymentAnswers(t *testing.T) {
	t.Parallel()
	paid := paymentsOf(mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured))
	for name, tc := range map[string]struct {
		answer mockStep
		routes []string
	}{
		"signed": {mockRecurringOK(mockChargeOrder), []string{mockRouteFetchPay}},
		"without a signature": {mockJSON(200, `{"razorpay_payment_id":"`+mockChargePayment+`"}`),
			[]string{mockRouteFetchPay}},
		"with a wrong signature: read back": {mockJSON(200, `{"razorpay_payment_id":"`+mockChargePayment+`","razorpay_order_id":"`+mockChargeOrder+`","razorpay_signature":"`+mockChargeSign("order_X", mockChargePayment)+`"}`),
			[]string{routeOrderPayments}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().on(mockRouteRecurring, tc.answer).on(routeOrderPayments, paid)
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			require.NoError(t, err)
			assert.Equal(t, mockChargePayment, p.ID)
			routes := mt.routesSeen()
			assert.Equal(t, tc.routes, routes[4:])
		})
	}
}

// TestChargePaymentOnAnotherOrderIsReadBack: an answer whose payment sits
// on another order proves nothing about this one.
func TestChargePaymentOnAnotherOrderIsReadBack(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().
		on(mockRouteFetchPay, mockJSON(200, mockPaymentOf(mockChargePayment, "order_Elsewhere001", PaymentStatusCaptured))).
		on(routeOrderPayments, paymentsOf())
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 3, mt.count(routeOrderPayments), "read back in three rounds")
	assert.Zero(t, mt.count(mockRouteRelease), "it may still land: never released")
}

// TestChargeSignedAnswerThatCannotBeReadBack: a signed answer proves the
// charge; when the payment cannot be fetched, Charge returns what it knows.
func TestChargeSignedAnswerThatCannotBeReadBack(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteFetchPay, mockJSON(503, mockServerErr))
	var info ChargeInfo
	p, err := mockClient(t, mt, WithMaxRetries(0)).Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assert.Equal(t, PaymentStatusCreated, p.Status)
	assert.Equal(t, OutcomePending, OutcomeOf(p, err))
	assert.Equal(t, int64(49900), p.Amount)
	assert.True(t, info.Created)
}

// TestChargeAnsweredWithErrorObjectIsNeverAnEmptyPayment: a 200 carrying
// {"error": ...} to the payment's read-back is never an empty payment.
func TestChargeAnsweredWithErrorObjectIsNeverAnEmptyPayment(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteFetchPay, mockJSON(200, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Something went wrong"}}`))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID, "the payment made, never an empty one")
	assert.Equal(t, int64(49900), p.Amount)
}

// TestChargeFailedPaymentIsNotChargedAndReleased: the payment made has
// failed: not charged, and the ticket released, so that the next call
// charges at once.
func TestChargeFailedPaymentIsNotChargedAndReleased(t *testing.T) {
	t.Parallel()
	failed := `{"id":"` + mockChargePayment + `","entity":"payment","amount":49900,"currency":"INR","status":"failed","order_id":"` + mockChargeOrder +
		`","method":"card","error_code":"BAD_REQUEST_ERROR","error_description":"Card 4111 1111 1111 1111 declined","notes":[],"created_at":1}`
	mt := mockNewBill().on(mockRouteFetchPay, mockJSON(200, failed))
	var info ChargeInfo
	p, err := mockClient(t, mt).Payment.Charge(WithChargeInfo(mockCtx(t), &info), mockChargeParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrNotCharged)
	ce := mockChargeError(t, err)
	require.NotNil(t, ce.Payment)
	assert.Equal(t, mockChargePayment, ce.Payment.ID)
	assert.NotContains(t, err.Error(), "4111 1111")
	assertReleased(t, mt)
	assert.False(t, info.Created)
	assert.True(t, info.Released)
}

// TestChargeRazorpayRefusesThePayment: Razorpay's own 4xx refusal is
// checked against the order once, then not charged (the ticket released).
func TestChargeRazorpayRefusesThePayment(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().
		on(mockRouteRecurring, mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The token cannot be charged: its mandate is cancelled"}}`)).
		on(routeOrderPayments, paymentsOf())
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrNotCharged)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Nil(t, mockChargeError(t, err).Payment, "Razorpay refused: no payment")
	assert.Equal(t, 1, mt.count(routeOrderPayments))
	assertReleased(t, mt)
}

// TestChargeProxyAnswersAreNotRefusals: 408, 409, 425, 429 and 3xx may
// come from a proxy after Razorpay acted: read back, and when no payment
// shows, unknown until the window's end, never "not charged".
func TestChargeProxyAnswersAreNotRefusals(t *testing.T) {
	t.Parallel()
	for _, status := range []int{408, 409, 425, 429, 302} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().
				on(mockRouteRecurring, mockJSON(status, `{"error":{"code":"BAD_REQUEST_ERROR","description":"proxy says no"}}`, "Location", "https://api.test/v1/x")).
				on(routeOrderPayments, paymentsOf())
			start := time.Now()
			_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.NotErrorIs(t, err, ErrNotCharged)
			ra := mockChargeError(t, err).RetryAfter
			assert.Greater(t, ra, ChargeSettleWindow-time.Minute, "until the window's end")
			assert.LessOrEqual(t, ra, ChargeSettleWindow+2*time.Second-time.Since(start)+time.Second)
			assert.Equal(t, 3, mt.count(routeOrderPayments))
			assert.Equal(t, 1, mt.count(mockRouteRecurring), "never sent twice")
			assert.Zero(t, mt.count(mockRouteRelease))

			// The same answer after Razorpay charged: the read-back finds it.
			mt.on(routeOrderPayments, paymentsOf(mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured)))
			mt.on(mockRouteList, mockOrderList(mockChargeAt), mockOrderList(mockChargeAt+1, mockOrderOf(mockChargeOrder, mockChargeAt, "")))
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			require.NoError(t, err)
			assert.Equal(t, mockChargePayment, p.ID)
		})
	}
}

// TestChargeLostAnswerReadBack: after a lost answer, only a failed payment
// made by this call means "not charged"; a failed payment that was there
// before the request is no news, and one authorized late since is the
// charge.
func TestChargeLostAnswerReadBack(t *testing.T) {
	t.Parallel()
	oldFailed := mockPaymentOf("pay_OldFailed0001", mockChargeOther, PaymentStatusFailed)
	dunning := mockOrderOf(mockChargeOther, mockChargeAt-7200, "", oldFailed)
	routePayments := "GET /v1/orders/" + mockChargeOther + "/payments"
	for name, tc := range map[string]struct {
		readBack mockStep
		want     ChargeOutcome
		release  int
	}{
		"nothing new":                 {paymentsOf(oldFailed), OutcomeUnknown, 0},
		"a new failed payment":        {paymentsOf(oldFailed, mockPaymentOf("pay_NewFailed0001", mockChargeOther, PaymentStatusFailed)), OutcomeNotCharged, 1},
		"a new payment, created":      {paymentsOf(oldFailed, mockPaymentOf(mockChargePayment, mockChargeOther, PaymentStatusCreated)), OutcomePending, 0},
		"the old one authorized late": {paymentsOf(mockPaymentOf("pay_OldFailed0001", mockChargeOther, PaymentStatusCaptured)), OutcomeCharged, 0},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := mockNewBill().
				on(mockRouteList, mockOrderList(mockChargeAt, dunning), mockOrderList(mockChargeAt+1, dunning, mockOrderOf(mockChargeOrder, mockChargeAt, ""))).
				on(mockRouteRecurring, mockHTML(504)).
				on(routePayments, tc.readBack)
			p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
			assert.Equal(t, tc.want, OutcomeOf(p, err), "%v", err)
			assertReqString(t, mt.body(mockRouteRecurring, 0), "order_id", mockChargeOther)
			assert.Equal(t, tc.release, mt.count(mockRouteRelease))
			if tc.want == OutcomeNotCharged {
				assert.Equal(t, "pay_NewFailed0001", mockChargeError(t, err).Payment.ID)
			}
		})
	}
}

// TestChargePaymentRequestNotSent: a payment request that never left (the
// dial failed every time) leaves nothing in flight: the ticket is
// released and the call may run again at once.
func TestChargePaymentRequestNotSent(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteRecurring, mockErr(mockDialRefused()))
	_, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mockChargeError(t, err).RetryAfter)
	assertReleased(t, mt)
}

// TestChargeReadBackFails: the payment's answer is lost and the order
// cannot be read back: unknown until the window's end.
func TestChargeReadBackFails(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteRecurring, mockErr(mockConnReset())).on(routeOrderPayments, mockJSON(500, mockServerErr))
	_, err := mockClient(t, mt, WithMaxRetries(0)).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorContains(t, err, "reading the order back failed")
	assert.Greater(t, mockChargeError(t, err).RetryAfter, ChargeSettleWindow-time.Minute)
	assert.Zero(t, mt.count(mockRouteRelease))
}
