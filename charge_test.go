package razorpay

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChargeParamsValidate(t *testing.T) {
	t.Parallel()
	assertInvalidParams(t, (*ChargeParams)(nil).Validate(), "params")
	require.NoError(t, mockChargeParams().Validate())

	p := mockChargeParams()
	p.Receipt = ""
	assertInvalidParams(t, p.Validate(), "receipt")

	p = mockChargeParams()
	p.Notes = Notes{ChargeNoteKey: "mine"}
	assertInvalidParams(t, p.Validate(), "notes")
	assert.ErrorContains(t, p.Validate(), ChargeNoteKey)

	p = mockChargeParams()
	p.Notes = Notes{}
	for i := range MaxNotes - 1 {
		p.Notes["k"+strconv.Itoa(i)] = "v"
	}
	require.NoError(t, p.Validate(), "14 notes leave room for Charge's own")
	p.Notes["one-more"] = "v"
	assertInvalidParams(t, p.Validate(), "notes")
	assert.ErrorContains(t, p.Validate(), "at most 14")
}

// TestChargeWithBadOrderIDIsInvalidParams: an OrderID that no order can
// have is refused before any request.
func TestChargeWithBadOrderIDIsInvalidParams(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"..", ".", "order_X/../../x", "order X", strings.Repeat("o", MaxIDLength+1)} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			params := mockChargeParams()
			params.OrderID = id
			p, err := c.Payment.Charge(mockCtx(t), params)
			assert.Nil(t, p)
			assertInvalidParams(t, err, "order_id")
			assert.Equal(t, OutcomeInvalid, OutcomeOf(p, err))
			assertNoRequest(t, mt)
		})
	}
}

func TestLookupChargeParamsValidate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for field, p := range map[string]*ChargeParams{
		"params":      nil,
		"receipt":     {Receipt: " sub_42"},
		"amount":      {Receipt: "r", Amount: -1},
		"order_id":    {Receipt: "r", OrderID: "order/x"},
		"customer_id": {Receipt: "r", CustomerID: "cust X"},
		"token_id":    {Receipt: "r", TokenID: "token_\x00"},
	} {
		_, err := c.Payment.LookupCharge(mockCtx(t), p)
		assertInvalidParams(t, err, field)
	}
	assertNoRequest(t, mt)
}

func TestChargeErrorText(t *testing.T) {
	t.Parallel()
	cause := &Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "declined", method: "POST", path: "/v1/payments/create/recurring"}
	for _, tc := range []struct {
		err  *ChargeError
		want string
	}{
		{&ChargeError{OrderID: "order_A", Err: context.DeadlineExceeded, RetryAfter: 3 * time.Second, class: ErrOutcomeUnknown},
			"razorpay: charge outcome unknown (order order_A): context deadline exceeded; call Charge again after 3s"},
		{&ChargeError{OrderID: "order_A", Payment: &Payment{ID: "pay_A", ErrorDescription: "card 4111 1111 1111 1111 declined"}, class: ErrNotCharged},
			"razorpay: not charged (order order_A): payment pay_A failed: card XXXX XXXX XXXX 1111 declined"},
		{&ChargeError{Err: cause, class: ErrNotCharged}, "razorpay: not charged: POST /v1/payments/create/recurring: 400 BAD_REQUEST_ERROR: declined"},
		{&ChargeError{Err: fmt.Errorf("%w: x", ErrReceiptConflict)}, "razorpay: charge refused: invalid params: the receipt belongs to another charge: x"},
		{&ChargeError{OrderID: "order_A", Err: fmt.Errorf("%w: lag", ErrReceiptUnreadable), class: ErrReceiptUnreadable},
			"razorpay: charge stopped (order order_A): the receipt's orders cannot be read whole: lag"},
	} {
		assert.Equal(t, tc.want, tc.err.Error())
	}
	ce := &ChargeError{Err: cause, class: ErrNotCharged}
	assert.ErrorIs(t, ce, ErrNotCharged)
	assert.ErrorIs(t, ce, ErrBadRequest, "the cause matches too")
	assert.NotErrorIs(t, ce, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, ce, &e)
	assert.Equal(t, "declined", e.Description)
}

// TestChargeSettleWindowMinimum: a window shorter than the client's own
// requests may take is refused, whatever the order of the options; a long
// per-attempt timeout raises the default window instead.
func TestChargeSettleWindowMinimum(t *testing.T) {
	t.Parallel()
	ok := func(opts ...Option) *Client {
		c := NewClient(mockKeyID, mockKeySecret, opts...)
		require.NoError(t, c.Err())
		return c
	}
	refused := func(opts ...Option) {
		c := NewClient(mockKeyID, mockKeySecret, opts...)
		require.ErrorIs(t, c.Err(), ErrInvalidConfig)
		assert.ErrorContains(t, c.Err(), "WithChargeSettleWindow")
		assert.ErrorContains(t, c.Err(), "lower WithTimeout")
	}
	assert.Equal(t, 93*time.Second, minSettleWindow(DefaultTimeout), "3 × 30 s + 3 s")
	assert.Equal(t, 183*time.Second, minSettleWindow(0), "no per-attempt timeout: the transport's 60 s")
	assert.Equal(t, 3600*time.Second+time.Minute, minSettleWindow(20*time.Minute), "the guard grows with the window")

	refused(WithChargeSettleWindow(2 * time.Second))
	refused(WithChargeSettleWindow(92 * time.Second))
	ok(WithChargeSettleWindow(93 * time.Second))
	refused(WithChargeSettleWindow(5*time.Second), WithTimeout(2*time.Second))
	refused(WithTimeout(2*time.Second), WithChargeSettleWindow(5*time.Second))
	ok(WithTimeout(time.Second), WithChargeSettleWindow(6*time.Second))
	ok(WithChargeSettleWindow(6*time.Second), WithTimeout(time.Second))
	refused(WithTimeout(0), WithChargeSettleWindow(3*time.Minute))
	ok(WithTimeout(0), WithChargeSettleWindow(4*time.Minute))
	refused(WithChargeSettleWindow(-time.Second))
	assert.Equal(t, ChargeSettleWindow, ok().cfg.settleWindow)
	assert.Equal(t, minSettleWindow(10*time.Minute), ok(WithTimeout(10*time.Minute)).cfg.settleWindow, "raised, not refused")
}

func TestSettleGuard(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 3*time.Second, settleGuard(5*time.Second))
	assert.Equal(t, 3*time.Second, settleGuard(3*time.Minute))
	assert.Equal(t, 15*time.Second, settleGuard(ChargeSettleWindow))
}

// TestWithChargeInfo: the context carries where Charge reports what it did;
// each call starts from zero.
func TestWithChargeInfo(t *testing.T) {
	t.Parallel()
	mt := mockNewBill()
	c := mockClient(t, mt)
	info := ChargeInfo{Requests: 99, Released: true}
	ctx := WithChargeInfo(mockCtx(t), &info)
	_, err := c.Payment.Charge(ctx, mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, ChargeInfo{Created: true, OrderID: mockChargeOrder, Requests: 5}, info)

	mt.on(mockRouteList, mockOrderList(mockChargeAt+5, mockOrderOf(mockChargeOrder, mockChargeAt, "", mockPaymentOf(mockChargePayment, mockChargeOrder, PaymentStatusCaptured))))
	_, err = c.Payment.Charge(ctx, mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, ChargeInfo{Requests: 1}, info, "a rerun of a charged bill: found, not created")

	_, err = c.Payment.Fetch(ctx, mockChargePayment)
	require.NoError(t, err)
	assert.Equal(t, ChargeInfo{Requests: 1}, info, "other calls leave it alone")
	_, err = c.Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err, "without WithChargeInfo")
}

// TestChargeInvalidConfigSendsNothing: a client built with a bad option
// fails Charge and LookupCharge before any I/O.
func TestChargeInvalidConfigSendsNothing(t *testing.T) {
	t.Parallel()
	mt := newMockRT()
	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(nil), WithBaseURL(mockBaseURL))
	_, err := c.Payment.Charge(mockCtx(t), mockChargeParams())
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = c.Payment.LookupCharge(mockCtx(t), mockChargeParams())
	assert.ErrorIs(t, err, ErrInvalidConfig)
	assert.True(t, errors.Is(err, ErrInvalidConfig))
	assertNoRequest(t, mt)
}

func TestMaxChargeDuration(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 25*time.Minute, NewClient(mockKeyID, mockKeySecret).MaxChargeDuration(), "15 min + 6 × (3 × 30 s + 2 × 5 s)")
	c := NewClient(mockKeyID, mockKeySecret, WithTimeout(0), WithMaxRetries(0), WithChargeSettleWindow(time.Hour))
	assert.Equal(t, time.Hour+6*time.Minute, c.MaxChargeDuration(), "no per-attempt timeout counts as 60 s")
	assert.Zero(t, (*Client)(nil).MaxChargeDuration())
}

func FuzzValidateChargeParams(f *testing.F) {
	f.Add("cust_1", "token_1", int64(49900), "INR", "gaurav.kumar@example.com", "+919876543210", "sub_42-2026-11", "Nov", "", "plan=gold")
	f.Fuzz(func(t *testing.T, customerID, tokenID string, amount int64, currency, email, contact, receipt, description, orderID, notes string) {
		t.Parallel()
		p := &ChargeParams{
			CustomerID: customerID, TokenID: tokenID, Amount: amount, Currency: currency, Email: email, Contact: contact,
			Receipt: receipt, Description: description, OrderID: orderID, Notes: mockNotesOf(notes),
		}
		if mockValidate(t, p, (*ChargeParams).Validate) != nil {
			return
		}
		assertRuleRequired(t, customerID, "customer_id")
		assertRuleRequired(t, tokenID, "token")
		assertRuleAmount(t, amount, "amount")
		assertRuleCurrency(t, currency)
		assertRuleRequired(t, email, "email")
		assertRuleEmail(t, email)
		assertRuleRequired(t, contact, "contact")
		assertRuleContact(t, contact)
		assertRuleRequired(t, receipt, "receipt")
		assertRuleReceipt(t, receipt)
		assertRuleNotes(t, p.Notes)
	})
}
