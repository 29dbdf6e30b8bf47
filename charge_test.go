package razorpay

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	chOrderID   = "order_CH00000000001"
	chPaymentID = "pay_CH000000000001"
	chSecret    = mockKeySecret // the secret of mockClient
)

func chSign(orderID, paymentID string) string {
	mac := hmac.New(sha256.New, []byte(chSecret))
	mac.Write([]byte(orderID + "|" + paymentID))
	return hex.EncodeToString(mac.Sum(nil))
}

func chParams() *ChargeParams {
	return &ChargeParams{
		CustomerID: "cust_CH0000000001", TokenID: "token_CH000000001",
		Amount: 49900, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210",
		Receipt: "sub_42-2026-11", Description: "November plan", Notes: Notes{"plan": "gold"},
	}
}

func chPayment(id string, status PaymentStatus) string {
	return `{"id":"` + id + `","entity":"payment","amount":49900,"currency":"INR","status":"` + string(status) +
		`","order_id":"` + chOrderID + `","method":"card","captured":` + map[bool]string{true: "true", false: "false"}[status == PaymentStatusCaptured] +
		`,"customer_id":"cust_CH0000000001","token_id":"token_CH000000001","notes":[],"created_at":1764064800}`
}

func chPayments(items ...string) string {
	return `{"entity":"collection","count":` + strconv.Itoa(len(items)) + `,"items":[` + strings.Join(items, ",") + `]}`
}

const (
	chRouteOrder     = "POST /v1/orders"
	chRouteList      = "GET /v1/orders"
	chRouteRecurring = "POST /v1/payments/create/recurring"
	chRoutePayments  = "GET /v1/orders/" + chOrderID + "/payments"
	chRouteFetch     = "GET /v1/payments/" + chPaymentID
	chCreatedAt      = 1764064800
	chOrderJSON      = `{"id":"` + chOrderID + `","entity":"order","amount":49900,"amount_paid":0,"amount_due":49900,"currency":"INR","receipt":"sub_42-2026-11","status":"created","attempts":0,"notes":{"plan":"gold"},"created_at":1764064800}`
)

// chOrder is an order of the bill's receipt, created at, holding payments,
// as the orders list expanded with payments shows it.
func chOrder(id string, at int64, payments ...string) string {
	return `{"id":"` + id + `","entity":"order","amount":49900,"currency":"INR","receipt":"sub_42-2026-11","status":"created","notes":[],"created_at":` +
		strconv.FormatInt(at, 10) + `,"payments":` + chPayments(payments...) + `}`
}

// chList answers the orders list with orders, and Razorpay's clock at now.
func chList(now int64, orders ...string) mockStep {
	return mockJSON(200, `{"entity":"collection","count":`+strconv.Itoa(len(orders))+`,"items":[`+strings.Join(orders, ",")+`]}`,
		"Date", time.Unix(now, 0).UTC().Format(http.TimeFormat))
}

// chHappy is the router of a first charge: the order is created, the list
// shows it alone, the payment is made and read back captured.
func chHappy() *mockRT {
	return newMockRT().
		on(chRouteOrder, mockJSON(200, chOrderJSON)).
		on(chRouteList, chList(chCreatedAt+1, chOrder(chOrderID, chCreatedAt))).
		on(chRouteRecurring, chRecurringOK()).
		on(chRouteFetch, mockJSON(200, chPayment(chPaymentID, PaymentStatusCaptured)))
}

func chRecurringOK() mockStep {
	return mockJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`","razorpay_order_id":"`+chOrderID+`","razorpay_signature":"`+chSign(chOrderID, chPaymentID)+`"}`)
}

func chChargeError(t *testing.T, err error) *ChargeError {
	t.Helper()
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	return ce
}

func TestChargeSuccess(t *testing.T) {
	t.Parallel()
	r := chHappy()
	c := mockClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, PaymentStatusCaptured, p.Status)
	assert.Equal(t, []string{chRouteOrder, chRouteList, chRouteRecurring, chRouteFetch}, r.routesSeen(), "four requests")

	order := r.body(chRouteOrder, 0)
	assert.Equal(t, "sub_42-2026-11", order["receipt"])
	assert.Equal(t, true, order["payment_capture"])
	assert.EqualValues(t, 49900, order["amount"])
	assert.Equal(t, map[string]any{"plan": "gold"}, order["notes"])
	pay := r.body(chRouteRecurring, 0)
	assert.Equal(t, chOrderID, pay["order_id"])
	assert.Equal(t, "token_CH000000001", pay["token"])
	assert.Equal(t, "cust_CH0000000001", pay["customer_id"])
	assert.Equal(t, true, pay["recurring"])
}

func TestChargeListsTheReceiptsOrdersWithPayments(t *testing.T) {
	t.Parallel()
	var query string
	r := chHappy().on(chRouteList, func(req *http.Request) (*http.Response, error) {
		query = req.URL.RawQuery
		return chList(chCreatedAt+1, chOrder(chOrderID, chCreatedAt))(req)
	})
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, "count=100&expand%5B%5D=payments&receipt=sub_42-2026-11", query)
}

func TestChargeAnswerWithoutSignature(t *testing.T) {
	t.Parallel()
	r := chHappy().on(chRouteRecurring, mockJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`"}`))
	p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
}

// A receipt whose order already holds a live payment is charged: Charge
// returns that payment and sends no payment request.
func TestChargeReturnsTheBillsPayment(t *testing.T) {
	t.Parallel()
	for _, status := range []PaymentStatus{PaymentStatusCaptured, PaymentStatusAuthorized, PaymentStatusCreated} {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			const earlier = "order_CH00000000000"
			r := chHappy().on(chRouteList, chList(chCreatedAt+1,
				chOrder(chOrderID, chCreatedAt),
				chOrder(earlier, chCreatedAt-3600, chPayment("pay_CH000000000000", PaymentStatusFailed), chPayment("pay_CH000000000009", status))))
			p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
			require.NoError(t, err)
			assert.Equal(t, "pay_CH000000000009", p.ID)
			assert.Equal(t, status, p.Status)
			assert.Zero(t, r.count(chRouteRecurring), "never charged again")
		})
	}
}

// TestChargeLostAnswerIsReconciled: the charge happened but its answer was
// lost or replaced (by a proxy). Charge must find the payment, not charge
// again.
func TestChargeLostAnswerIsReconciled(t *testing.T) {
	t.Parallel()
	for name, lost := range map[string]mockStep{
		"500":     mockJSON(500, mockServerErr),
		"502":     mockHTML(502),
		"429":     mockJSON(429, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Too many requests"}}`),
		"408":     mockJSON(408, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Request timeout"}}`),
		"409":     mockJSON(409, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Conflict"}}`),
		"403":     mockHTML(403),
		"reset":   mockErr(mockConnReset()),
		"timeout": mockTimeout,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := chHappy().
				on(chRouteRecurring, lost).
				on(chRoutePayments, mockJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusCaptured))))
			c := mockClient(t, r, WithTimeout(50*time.Millisecond))
			p, err := c.Payment.Charge(context.Background(), chParams())
			require.NoError(t, err)
			assert.Equal(t, chPaymentID, p.ID)
			assert.Equal(t, 1, r.count(chRouteRecurring), "never charged twice")
			assert.Equal(t, 1, r.count(chRoutePayments))
		})
	}
}

// TestChargeLostAnswerNoPayment: the answer was lost and the order holds no
// payment. The request may still land, so Charge does not claim "not
// charged": the outcome is unknown, for ChargeSettleWindow.
func TestChargeLostAnswerNoPayment(t *testing.T) {
	t.Parallel()
	r := chHappy().
		on(chRouteRecurring, mockErr(mockConnReset())).
		on(chRoutePayments, mockJSON(200, chPayments()))
	p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, ErrNotCharged)
	ce := chChargeError(t, err)
	assert.Equal(t, chOrderID, ce.OrderID)
	assert.Equal(t, ChargeSettleWindow, ce.RetryAfter)
	assert.Nil(t, ce.Payment)
	assert.Equal(t, 1, r.count(chRouteRecurring))
	assert.Equal(t, 3, r.count(chRoutePayments), "looked three times before giving up")
	assert.Contains(t, err.Error(), "call Charge again after 15m0s")
}

func TestChargeCreatedButFailed(t *testing.T) {
	t.Parallel()
	r := chHappy().on(chRouteFetch, mockJSON(200, chPayment(chPaymentID, PaymentStatusFailed)))
	p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrNotCharged)
	ce := chChargeError(t, err)
	require.NotNil(t, ce.Payment)
	assert.Equal(t, chPaymentID, ce.Payment.ID)
	assert.Equal(t, chOrderID, ce.OrderID)
}

func TestChargeLostAnswerFailedPayment(t *testing.T) {
	t.Parallel()
	r := chHappy().
		on(chRouteRecurring, mockJSON(504, mockServerErr)).
		on(chRoutePayments, mockJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusFailed))))
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrNotCharged)
	assert.Equal(t, chPaymentID, chChargeError(t, err).Payment.ID)
}

// Razorpay refuses the payment: after reading the order back once, the bill
// is certainly not charged.
func TestChargeRefused(t *testing.T) {
	t.Parallel()
	r := chHappy().
		on(chRouteRecurring, mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The token has expired","field":"token"}}`)).
		on(chRoutePayments, mockJSON(200, chPayments()))
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrNotCharged)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, r.count(chRoutePayments), "read back once")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "token", e.Field)
}

// The bill's earlier payment failed: the new payment goes to that order.
func TestChargeAgainOnTheFailedOrder(t *testing.T) {
	t.Parallel()
	const failedOrder = "order_CH00000000000"
	r := chHappy().on(chRouteList, chList(chCreatedAt+1,
		chOrder(chOrderID, chCreatedAt),
		chOrder(failedOrder, chCreatedAt-60, chPayment("pay_CH000000000000", PaymentStatusFailed))))
	r.on(chRouteRecurring, mockJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`","razorpay_order_id":"`+failedOrder+`","razorpay_signature":"`+chSign(failedOrder, chPaymentID)+`"}`))
	r.on(chRouteFetch, mockJSON(200, strings.Replace(chPayment(chPaymentID, PaymentStatusCaptured), chOrderID, failedOrder, 1)))
	p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, failedOrder, r.body(chRouteRecurring, 0)["order_id"])
}

// An earlier order of the receipt that is young and empty may be another
// attempt's, about to be charged: wait for it.
func TestChargeWaitsForAnotherAttempt(t *testing.T) {
	t.Parallel()
	for name, at := range map[string]int64{"earlier": chCreatedAt - 5, "same second": chCreatedAt} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const other = "order_CH00000000002"
			r := chHappy().on(chRouteList, chList(chCreatedAt+1, chOrder(chOrderID, chCreatedAt), chOrder(other, at)))
			_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			ce := chChargeError(t, err)
			assert.Equal(t, other, ce.OrderID)
			lo := time.Duration(at+int64(ChargeSettleWindow/time.Second)-(chCreatedAt+1))*time.Second + time.Second
			assert.GreaterOrEqual(t, ce.RetryAfter, lo)
			assert.LessOrEqual(t, ce.RetryAfter, lo+ChargeSettleWindow/10)
			assert.Zero(t, r.count(chRouteRecurring))
		})
	}
}

// Orders that are older than the window, or created after this call's own,
// do not hold it up; a later attempt waits for this one instead.
func TestChargeIgnoresAbandonedAndLaterOrders(t *testing.T) {
	t.Parallel()
	window := int64(ChargeSettleWindow / time.Second)
	r := chHappy().on(chRouteList, chList(chCreatedAt+1,
		chOrder("order_CH00000000003", chCreatedAt+1),
		chOrder(chOrderID, chCreatedAt),
		chOrder("order_CH00000000000", chCreatedAt-window)))
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chOrderID, r.body(chRouteRecurring, 0)["order_id"])
}

// Ages are measured on Razorpay's clock: its Date header, or without one the
// created_at of the order just created, never the local clock.
func TestChargeMeasuresAgesOnRazorpaysClock(t *testing.T) {
	t.Parallel()
	// The other order is 20 minutes old by the local clock but one minute
	// old by Razorpay's.
	serverNow := time.Now().Add(-20 * time.Minute).Unix()
	other := chOrder("order_CH00000000002", serverNow-60)
	own := `{"id":"` + chOrderID + `","entity":"order","amount":49900,"currency":"INR","receipt":"sub_42-2026-11","status":"created","notes":[],"created_at":` + strconv.FormatInt(serverNow, 10) + `}`
	for name, list := range map[string]mockStep{
		"Date header":       chList(serverNow, chOrder(chOrderID, serverNow), other),
		"own order's clock": mockJSON(200, `{"entity":"collection","count":2,"items":[`+chOrder(chOrderID, serverNow)+`,`+other+`]}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := chHappy().on(chRouteOrder, mockJSON(200, own)).on(chRouteList, list)
			_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Zero(t, r.count(chRouteRecurring))
		})
	}
}

// The orders list does not show the order just created: it lags, so it may
// not show another attempt's either.
func TestChargeListLagging(t *testing.T) {
	t.Parallel()
	r := chHappy().on(chRouteList, chList(chCreatedAt+1))
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, ChargeSettleWindow+time.Second, chChargeError(t, err).RetryAfter, "the next call waits for the order this one made")
	assert.Zero(t, r.count(chRouteRecurring))
}

func TestChargeOrderCreationFails(t *testing.T) {
	t.Parallel()
	t.Run("refused, no order for the receipt", func(t *testing.T) {
		t.Parallel()
		r := chHappy().
			on(chRouteOrder, mockJSON(401, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Authentication failed"}}`)).
			on(chRouteList, chList(chCreatedAt))
		_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
		require.ErrorIs(t, err, ErrNotCharged)
		assert.ErrorIs(t, err, ErrAuthentication)
	})
	t.Run("Razorpay unreachable", func(t *testing.T) {
		t.Parallel()
		r := chHappy().on(chRouteOrder, mockErr(mockDialRefused())).on(chRouteList, mockErr(mockDialRefused()))
		_, err := mockClient(t, r, WithMaxRetries(0)).Payment.Charge(context.Background(), chParams())
		require.ErrorIs(t, err, ErrOutcomeUnknown)
		ce := chChargeError(t, err)
		assert.Zero(t, ce.RetryAfter, "nothing in flight: call again at will")
		assert.Zero(t, r.count(chRouteRecurring))
	})
	t.Run("unique receipt: charge the abandoned order", func(t *testing.T) {
		t.Parallel()
		window := int64(ChargeSettleWindow / time.Second)
		r := chHappy().
			on(chRouteOrder, mockJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Order receipt should be unique.","metadata":{"order_id":"`+chOrderID+`"}}}`)).
			on(chRouteList, chList(chCreatedAt+window, chOrder(chOrderID, chCreatedAt)))
		p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
		require.NoError(t, err)
		assert.Equal(t, chPaymentID, p.ID)
		assert.Equal(t, chOrderID, r.body(chRouteRecurring, 0)["order_id"])
	})
}

// With OrderID, Charge creates no order; the order is charged only once no
// earlier attempt on it can still land.
func TestChargeResume(t *testing.T) {
	t.Parallel()
	window := int64(ChargeSettleWindow / time.Second)
	const ticket = "order_CH00000000009" // the order each call creates
	params := chParams()
	params.OrderID = chOrderID
	at := func(now int64) *mockRT {
		return chHappy().on(chRouteOrder, mockJSON(200, strings.Replace(strings.Replace(chOrderJSON, chOrderID, ticket, 1), "1764064800", strconv.FormatInt(now, 10), 1)))
	}

	// The resumed order is young and empty: an earlier attempt's payment may
	// still land on it.
	young := at(chCreatedAt+60).on(chRouteList, chList(chCreatedAt+60, chOrder(ticket, chCreatedAt+60), chOrder(chOrderID, chCreatedAt)))
	_, err := mockClient(t, young).Payment.Charge(context.Background(), params)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, chOrderID, chChargeError(t, err).OrderID)
	assert.Zero(t, young.count(chRouteRecurring))

	// Once it is old, the resume charges it, not its own order.
	old := at(chCreatedAt+window).on(chRouteList, chList(chCreatedAt+window, chOrder(ticket, chCreatedAt+window), chOrder(chOrderID, chCreatedAt)))
	p, err := mockClient(t, old).Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, chOrderID, old.body(chRouteRecurring, 0)["order_id"])

	// An order the list does not show is fetched; its receipt must match,
	// and so must its amount.
	other := at(chCreatedAt+window).
		on(chRouteList, chList(chCreatedAt+window, chOrder(ticket, chCreatedAt+window))).
		on("GET /v1/orders/"+chOrderID, mockJSON(200, strings.Replace(chOrderJSON, "sub_42-2026-11", "sub_43-2026-11", 1)))
	_, err = mockClient(t, other).Payment.Charge(context.Background(), params)
	require.ErrorIs(t, err, ErrReceiptConflict)
	assert.Zero(t, other.count(chRouteRecurring))

	amount := at(chCreatedAt+window).
		on(chRouteList, chList(chCreatedAt+window, chOrder(ticket, chCreatedAt+window), strings.Replace(chOrder(chOrderID, chCreatedAt), `"amount":49900`, `"amount":50000`, 1)))
	_, err = mockClient(t, amount).Payment.Charge(context.Background(), params)
	require.ErrorIs(t, err, ErrReceiptConflict, "the OrderID asked for is for another amount")
	assert.Zero(t, amount.count(chRouteRecurring))
}

func TestChargeBadSignatureIsReconciled(t *testing.T) {
	t.Parallel()
	r := chHappy().
		on(chRouteRecurring, mockJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`","razorpay_order_id":"`+chOrderID+`","razorpay_signature":"`+strings.Repeat("0", 64)+`"}`)).
		on(chRoutePayments, mockJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusCaptured))))
	p, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, 1, r.count(chRoutePayments), "read back from the order, not trusted")
}

func TestChargeContextEndsBeforeReconciling(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	r := chHappy().on(chRouteRecurring, func(req *http.Request) (*http.Response, error) {
		cancel()
		return nil, mockConnReset()
	})
	_, err := mockClient(t, r).Payment.Charge(ctx, chParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	ce := chChargeError(t, err)
	assert.Equal(t, chOrderID, ce.OrderID)
	assert.Positive(t, ce.RetryAfter)
	assert.Zero(t, r.count(chRoutePayments))
}

func TestChargeReadBackFails(t *testing.T) {
	t.Parallel()
	r := chHappy().
		on(chRouteRecurring, mockErr(mockConnReset())).
		on(chRoutePayments, mockJSON(503, mockServerErr))
	_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, ErrNotCharged)
	assert.Equal(t, ChargeSettleWindow, chChargeError(t, err).RetryAfter)
	assert.Equal(t, 1, r.count(chRouteRecurring))
}

func TestChargeErrorText(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "razorpay: not charged (order order_X): payment pay_X failed: Card declined",
		(&ChargeError{OrderID: "order_X", Payment: &Payment{ID: "pay_X", ErrorDescription: "Card declined"}, class: ErrNotCharged}).Error())
	assert.Equal(t, "razorpay: charge outcome unknown (order order_X): boom; call Charge again after 1m0s",
		(&ChargeError{OrderID: "order_X", Err: errors.New("boom"), RetryAfter: time.Minute, class: ErrOutcomeUnknown}).Error())
	conflict := &ChargeError{Err: ErrReceiptConflict}
	assert.Equal(t, "razorpay: charge refused: invalid params: the receipt belongs to another charge", conflict.Error())
	assert.ErrorIs(t, conflict, ErrInvalidParams)
	assert.NotErrorIs(t, conflict, ErrNotCharged)
}

func TestChargeValidation(t *testing.T) {
	t.Parallel()
	tests := map[string]func(*ChargeParams){
		"customer_id": func(p *ChargeParams) { p.CustomerID = "" },
		"token":       func(p *ChargeParams) { p.TokenID = "" },
		"amount":      func(p *ChargeParams) { p.Amount = 0 },
		"currency":    func(p *ChargeParams) { p.Currency = "inr" },
		"email":       func(p *ChargeParams) { p.Email = "" },
		"contact":     func(p *ChargeParams) { p.Contact = "12" },
		"receipt":     func(p *ChargeParams) { p.Receipt = "" },
	}
	for field, mutate := range tests {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			r := newMockRT()
			c := mockClient(t, r)
			params := chParams()
			mutate(params)
			_, err := c.Payment.Charge(context.Background(), params)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, field, ve.Field)
			assert.ErrorIs(t, err, ErrInvalidParams)
			assert.Empty(t, r.routesSeen())
		})
	}
	_, err := mockClient(t, newMockRT()).Payment.Charge(context.Background(), nil)
	assert.ErrorIs(t, err, ErrInvalidParams)
}

func TestChargeSettleWindowOption(t *testing.T) {
	t.Parallel()
	assert.ErrorIs(t, NewClient("k", "s", WithChargeSettleWindow(time.Millisecond)).Err(), ErrInvalidConfig)

	// An empty order 3 s old blocks with the default window, not with a 2 s one.
	other := chOrder("order_CH00000000000", chCreatedAt-3)
	list := chList(chCreatedAt, chOrder(chOrderID, chCreatedAt), other)
	_, err := mockClient(t, chHappy().on(chRouteList, list)).Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)

	r := chHappy().on(chRouteList, list)
	_, err = mockClient(t, r, WithChargeSettleWindow(2*time.Second)).Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chOrderID, r.body(chRouteRecurring, 0)["order_id"])

	r = chHappy().on(chRouteRecurring, mockErr(mockConnReset())).on(chRoutePayments, mockJSON(200, chPayments()))
	_, err = mockClient(t, r, WithChargeSettleWindow(2*time.Second)).Payment.Charge(context.Background(), chParams())
	assert.Equal(t, 2*time.Second, chChargeError(t, err).RetryAfter)
}

func TestChargeRefusesBadReceipts(t *testing.T) {
	t.Parallel()
	for _, receipt := range []string{"bill\n42", "bill\x0042", "bill\xff", strings.Repeat("r", 41), " "} {
		r := newMockRT()
		params := chParams()
		params.Receipt = receipt
		_, err := mockClient(t, r).Payment.Charge(context.Background(), params)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", receipt)
		assert.Equal(t, "receipt", ve.Field)
		assert.Empty(t, r.routesSeen())
	}
}
