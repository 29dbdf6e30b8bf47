package razorpay

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrderCreateAuthorization(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/orders", "order/authorization.json")

	order, err := c.Order.Create(mockCtx(t), &OrderCreateParams{
		Amount:     100,
		Currency:   "INR",
		Receipt:    "auth-cust42-2024-03",
		Notes:      Notes{"plan": "gold-monthly"},
		CustomerID: "cust_Nq2Yk8ZpR4tLmA",
		Method:     PaymentMethodCard,
		Token: &OrderTokenParams{
			MaxAmount: 1500000,
			ExpireAt:  1899993600,
			Frequency: FrequencyMonthly,
		},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/orders")
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "amount", "currency", "receipt", "notes", "customer_id", "method", "token")
	assertReqInt(t, body, "amount", 100)
	assertReqString(t, body, "currency", "INR")
	assertReqString(t, body, "receipt", "auth-cust42-2024-03")
	assertReqString(t, body, "customer_id", "cust_Nq2Yk8ZpR4tLmA")
	assertReqString(t, body, "method", "card")
	assertReqString(t, assertReqObject(t, body, "notes"), "plan", "gold-monthly")
	token := assertReqObject(t, body, "token")
	assertReqKeys(t, token, "max_amount", "expire_at", "frequency")
	assertReqInt(t, token, "max_amount", 1500000)
	assertReqInt(t, token, "expire_at", 1899993600)
	assertReqString(t, token, "frequency", "monthly")

	assert.Equal(t, &Order{
		ID:          "order_Nq3Zb5VtK8pLwE",
		Entity:      "order",
		Amount:      100,
		AmountPaid:  0,
		AmountDue:   100,
		Currency:    "INR",
		Receipt:     "auth-cust42-2024-03",
		OfferID:     "",
		Status:      OrderStatusCreated,
		Attempts:    0,
		Notes:       Notes{"plan": "gold-monthly"},
		CreatedAt:   1710312400,
		Method:      "card",
		CustomerID:  "cust_Nq2Yk8ZpR4tLmA",
		Description: "",
		Token: &OrderToken{
			Method:             "card",
			MaxAmount:          1500000,
			ExpireAt:           1899993600,
			Frequency:          FrequencyMonthly,
			Currency:           "INR",
			Notes:              nil,
			FirstPaymentAmount: 100,
		},
	}, order)
}

func TestOrderCreateTokenWithoutExpiry(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/orders", "order/authorization.json")

	_, err := c.Order.Create(mockCtx(t), &OrderCreateParams{
		Amount:     100,
		Currency:   "INR",
		CustomerID: "cust_Nq2Yk8ZpR4tLmA",
		Method:     PaymentMethodCard,
		Token:      &OrderTokenParams{MaxAmount: 100, Frequency: FrequencyAsPresented},
	})
	require.NoError(t, err)

	body := assertReqJSON(t, rec.Only(t))
	assertReqKeys(t, body, "amount", "currency", "customer_id", "method", "token")
	token := assertReqObject(t, body, "token")
	assertReqKeys(t, token, "max_amount", "frequency") // expire_at 0 lets Razorpay pick the card's expiry
	assertReqInt(t, token, "max_amount", 100)
	assertReqString(t, token, "frequency", "as_presented")
}

func TestOrderCreateCharge(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/orders", "order/charge.json")

	order, err := c.Order.Create(mockCtx(t), &OrderCreateParams{
		Amount:         49900,
		Currency:       "INR",
		Receipt:        "sub_42-2024-04",
		PaymentCapture: Ptr(true),
		Notification: &OrderNotificationParams{
			TokenID:      "token_Nq6Ye9AjM4uNhJ",
			PaymentAfter: 1713100000,
		},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/orders")
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "amount", "currency", "receipt", "payment_capture", "notification")
	assertReqInt(t, body, "amount", 49900)
	assertReqString(t, body, "currency", "INR")
	assertReqString(t, body, "receipt", "sub_42-2024-04")
	assertReqBool(t, body, "payment_capture", true)
	notification := assertReqObject(t, body, "notification")
	assertReqKeys(t, notification, "token_id", "payment_after")
	assertReqString(t, notification, "token_id", "token_Nq6Ye9AjM4uNhJ")
	assertReqInt(t, notification, "payment_after", 1713100000)

	assert.Equal(t, "order_Nr8Xa2MjH4cWqT", order.ID)
	assert.Equal(t, int64(49900), order.Amount)
	assert.Equal(t, int64(49900), order.AmountDue)
	assert.Equal(t, OrderStatusCreated, order.Status)
	assert.Equal(t, "sub_42-2024-04", order.Receipt)
	assert.Nil(t, order.Notes, "notes: [] decodes to nil")
	assert.Nil(t, order.Token)
	assert.Equal(t, &OrderNotification{
		ID:           "notification_Nr8XbQ2kLm4TzP",
		TokenID:      "token_Nq6Ye9AjM4uNhJ",
		PaymentAfter: 1713100000,
	}, order.Notification)
}

func TestOrderCreatePaymentCaptureFalseIsSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/orders", "order/charge.json")

	_, err := c.Order.Create(mockCtx(t), &OrderCreateParams{Amount: 49900, Currency: "INR", PaymentCapture: Ptr(false)})
	require.NoError(t, err)

	body := assertReqJSON(t, rec.Only(t))
	assertReqKeys(t, body, "amount", "currency", "payment_capture")
	assertReqBool(t, body, "payment_capture", false)
}

func TestOrderCreateIsNotRetriedAfterServerError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/orders", http.StatusInternalServerError, mockFixture(t, "errors/server_error.json"))

	order, err := c.Order.Create(mockCtx(t), &OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "sub_42-2024-04"})
	require.Error(t, err)
	assert.Nil(t, order)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, rec.Calls(), 1, "a state-creating request is sent once")
}

func TestOrderFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/orders/order_Nq3Zb5VtK8pLwE", "order/fetch.json")

	order, err := c.Order.Fetch(mockCtx(t), "order_Nq3Zb5VtK8pLwE")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/orders/order_Nq3Zb5VtK8pLwE")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "order_Nq3Zb5VtK8pLwE", order.ID)
	assert.Equal(t, OrderStatusPaid, order.Status)
	assert.Equal(t, int64(100), order.Amount)
	assert.Equal(t, int64(100), order.AmountPaid)
	assert.Equal(t, int64(0), order.AmountDue)
	assert.Equal(t, 1, order.Attempts)
	assert.Nil(t, order.Notes)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", order.CustomerID)
	// The request-echo shape of the token object.
	assert.Equal(t, &OrderToken{MaxAmount: 1500000, ExpireAt: 1899993600, Frequency: FrequencyMonthly}, order.Token)
	assert.Nil(t, order.Notification)
}

func TestOrderPayments(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/orders/order_Nr8Xa2MjH4cWqT/payments", "order/payments.json")

	list, err := c.Order.Payments(mockCtx(t), "order_Nr8Xa2MjH4cWqT")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/orders/order_Nr8Xa2MjH4cWqT/payments")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "collection", list.Entity)
	assert.Equal(t, 1, list.Count)
	require.Len(t, list.Items, 1)
	p := list.Items[0]
	assert.Equal(t, "pay_Nr9Yb3NkJ5dXrU", p.ID)
	assert.Equal(t, PaymentStatusCaptured, p.Status)
	assert.Equal(t, int64(49900), p.Amount)
	assert.Equal(t, "order_Nr8Xa2MjH4cWqT", p.OrderID)
	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", p.TokenID)
	assert.True(t, p.Captured)
	assert.Equal(t, int64(998), p.Fee)
	assert.Equal(t, int64(152), p.Tax)
	assert.Equal(t, "504221", p.AcquirerData.AuthCode)
}

func TestOrderPaymentsEmpty(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespond(t, mt, "GET", "/v1/orders/order_Nr8Xa2MjH4cWqT/payments", http.StatusOK, []byte(`{"entity":"collection","count":0,"items":[]}`))

	list, err := c.Order.Payments(mockCtx(t), "order_Nr8Xa2MjH4cWqT")
	require.NoError(t, err)
	assert.Equal(t, 0, list.Count)
	assert.Empty(t, list.Items)
}

func TestOrderListByReceiptExpanded(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/orders", "order/list_by_receipt.json")

	list, err := c.Order.List(mockCtx(t), &OrderListParams{
		ListParams: ListParams{Count: 100, Skip: 5, From: 1795000000, To: 1796000000},
		Receipt:    "sub_42-2026-11",
		Authorized: Ptr(false),
		Expand:     []string{ExpandPayments},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/orders")
	assertReqNoBody(t, call)
	assert.Equal(t, "authorized=0&count=100&expand%5B%5D=payments&from=1795000000&receipt=sub_42-2026-11&skip=5&to=1796000000", call.RawQuery)

	require.Len(t, list.Items, 2)
	first := list.Items[0]
	assert.Equal(t, "order_Ps4Kd8QmW2zXvB", first.ID)
	assert.Equal(t, OrderStatusAttempted, first.Status)
	require.NotNil(t, first.Payments)
	require.Len(t, first.Payments.Items, 1)
	pay := first.Payments.Items[0]
	assert.Equal(t, "pay_Ps4Ld9RnX3aYwC", pay.ID)
	assert.Equal(t, int64(49900), pay.Amount, "amount sent as a string")
	assert.Equal(t, PaymentStatusFailed, pay.Status)
	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", pay.TokenID)
	second := list.Items[1]
	require.NotNil(t, second.Payments)
	assert.Empty(t, second.Payments.Items)
	assert.Equal(t, Notes{"bill": "42"}, second.Notes)
}

func TestOrderListUnexpandedHasNoPayments(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/orders", "order/list_by_receipt.json")
	// An order answered without the payments key decodes with nil Payments.
	mockRespond(t, mt, "GET", "/v1/orders/order_Ps1Hc7PlV1yWuA", http.StatusOK, []byte(`{"id":"order_Ps1Hc7PlV1yWuA","entity":"order","amount":49900,"currency":"INR","receipt":"sub_42-2026-11","status":"created","notes":[],"created_at":1795939100}`))

	_, err := c.Order.List(mockCtx(t), &OrderListParams{Authorized: Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, "authorized=1", rec.Only(t).RawQuery)

	o, err := c.Order.Fetch(mockCtx(t), "order_Ps1Hc7PlV1yWuA")
	require.NoError(t, err)
	assert.Nil(t, o.Payments)
}

func TestOrderListValidate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for name, tc := range map[string]struct {
		params *OrderListParams
		field  string
	}{
		"count too big":  {&OrderListParams{ListParams: ListParams{Count: 101}}, "count"},
		"negative skip":  {&OrderListParams{ListParams: ListParams{Skip: -1}}, "skip"},
		"long receipt":   {&OrderListParams{Receipt: "r-0123456789012345678901234567890123456789"}, "receipt"},
		"unknown expand": {&OrderListParams{Expand: []string{"card"}}, "expand"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Order.List(mockCtx(t), tc.params)
			assertInvalidParams(t, err, tc.field)
		})
	}
	assertNoRequest(t, mt)
}

func TestOrderAllPagesThroughReceipt(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	page := func(ids ...string) []byte {
		b := []byte(`{"entity":"collection","count":` + strconv.Itoa(len(ids)) + `,"items":[`)
		for i, id := range ids {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":"`+id+`","entity":"order","amount":100,"currency":"INR","receipt":"r1","status":"created","notes":[],"created_at":1}`...)
		}
		return append(b, "]}"...)
	}
	rec := mockHandle(t, mt, "GET", "/v1/orders", func(n int, _ mockCall) mockReply {
		if n == 0 {
			return mockReply{Status: 200, Body: page("order_A", "order_B")}
		}
		return mockReply{Status: 200, Body: page("order_C")}
	})
	var ids []string
	for o, err := range c.Order.All(mockCtx(t), &OrderListParams{ListParams: ListParams{Count: 2}, Receipt: "r1"}) {
		require.NoError(t, err)
		ids = append(ids, o.ID)
	}
	assert.Equal(t, []string{"order_A", "order_B", "order_C"}, ids)
	calls := rec.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "count=2&receipt=r1", calls[0].RawQuery)
	assert.Equal(t, "count=2&receipt=r1&skip=2", calls[1].RawQuery)
}

func TestOrderUpdate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "PATCH", "/v1/orders/order_Nr8Xa2MjH4cWqT", "order/update.json")

	order, err := c.Order.Update(mockCtx(t), "order_Nr8Xa2MjH4cWqT", &OrderUpdateParams{
		Notes: Notes{"plan": "gold-monthly", "support_ticket": "4417"},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "PATCH", "/v1/orders/order_Nr8Xa2MjH4cWqT")
	assertReqAuth(t, call)
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "notes")
	notes := assertReqObject(t, body, "notes")
	assertReqKeys(t, notes, "plan", "support_ticket")
	assertReqString(t, notes, "plan", "gold-monthly")
	assertReqString(t, notes, "support_ticket", "4417")

	assert.Equal(t, "order_Nr8Xa2MjH4cWqT", order.ID)
	assert.Equal(t, Notes{"plan": "gold-monthly", "support_ticket": "4417"}, order.Notes)
}

// TestOrderUpdateEmptyNotesSendsAnObject: nil notes clear them with {},
// never null.
func TestOrderUpdateEmptyNotesSendsAnObject(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "PATCH", "/v1/orders/order_Nr8Xa2MjH4cWqT", "order/update.json")
	_, err := c.Order.Update(mockCtx(t), "order_Nr8Xa2MjH4cWqT", &OrderUpdateParams{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"notes":{}}`, string(rec.Only(t).Body))
}

func TestOrderUpdateRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	_, err := c.Order.Update(mockCtx(t), "order/../x", &OrderUpdateParams{})
	assertInvalidParams(t, err, "orderID")
	_, err = c.Order.Update(mockCtx(t), "order_X", nil)
	assertInvalidParams(t, err, "params")
	many := Notes{}
	for i := range MaxNotes + 1 {
		many["k"+strconv.Itoa(i)] = "v"
	}
	_, err = c.Order.Update(mockCtx(t), "order_X", &OrderUpdateParams{Notes: many})
	assertInvalidParams(t, err, "notes")
	assertNoRequest(t, mt)
}

// TestOrderUpdateIsRetriedLikeARead: setting the same notes twice does no
// harm, so a 503 is retried.
func TestOrderUpdateIsRetriedLikeARead(t *testing.T) {
	t.Parallel()
	mt := newMockRT().on("PATCH /v1/orders/order_X",
		mockJSON(http.StatusServiceUnavailable, `{"error":{"code":"SERVER_ERROR","description":"busy"}}`),
		mockJSON(http.StatusOK, `{"id":"order_X","entity":"order","notes":{"a":"b"}}`))
	c := mockClient(t, mt, WithRetryBackoff(0, 0))
	o, err := c.Order.Update(mockCtx(t), "order_X", &OrderUpdateParams{Notes: Notes{"a": "b"}})
	require.NoError(t, err)
	assert.Equal(t, Notes{"a": "b"}, o.Notes)
	assert.Equal(t, 2, mt.count("PATCH /v1/orders/order_X"))
}

func FuzzValidateOrderCreateParams(f *testing.F) {
	f.Add(int64(49900), "INR", "sub_42-2026-11", "", "plan=gold", false, int64(0), int64(0), "", false, "", int64(0))
	f.Add(int64(100), "INR", "", "cust_1", "", true, int64(1500000), int64(0), "monthly", true, "token_1", int64(1764064800))
	f.Fuzz(func(t *testing.T, amount int64, currency, receipt, customerID, notes string,
		hasToken bool, maxAmount, expireAt int64, frequency string, hasNotification bool, notifyToken string, paymentAfter int64) {
		t.Parallel()
		p := &OrderCreateParams{Amount: amount, Currency: currency, Receipt: receipt, CustomerID: customerID, Notes: mockNotesOf(notes)}
		if hasToken {
			p.Token = &OrderTokenParams{MaxAmount: maxAmount, ExpireAt: expireAt, Frequency: Frequency(frequency)}
		}
		if hasNotification {
			p.Notification = &OrderNotificationParams{TokenID: notifyToken, PaymentAfter: paymentAfter}
		}
		if mockValidate(t, p, (*OrderCreateParams).Validate) != nil {
			return
		}
		assert.GreaterOrEqual(t, amount, int64(MinAmount), "amount")
		assertRuleCurrency(t, currency)
		assertRuleReceipt(t, receipt)
		assertRuleNotes(t, p.Notes)
		if hasToken {
			assert.True(t, maxAmount >= 100 && maxAmount <= 1_500_000, "token.max_amount %d", maxAmount)
			assert.GreaterOrEqual(t, expireAt, int64(0))
			assertRuleFrequency(t, Frequency(frequency))
			assertRuleRequired(t, customerID, "customer_id")
		}
		if hasNotification {
			assertRuleRequired(t, notifyToken, "notification.token_id")
			assert.GreaterOrEqual(t, paymentAfter, int64(0))
		}
	})
}

// TestOrderAmountBelowMinimumRefused: Razorpay's minimum is 100 paise.
func TestOrderAmountBelowMinimumRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, amount := range []int64{1, 50, 99} {
		_, err := c.Order.Create(mockCtx(t), &OrderCreateParams{Amount: amount, Currency: "INR"})
		assertInvalidParams(t, err, "amount")
		assert.ErrorContains(t, err, "at least 100 paise")
	}
	assertNoRequest(t, mt)
}

func TestValidateOrderCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *OrderCreateParams)
		field  string
	}{
		{name: "valid authorization order", mutate: func(*OrderCreateParams) {}},
		{name: "valid charge order", mutate: func(p *OrderCreateParams) {
			*p = OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "sub_42-2024-04", PaymentCapture: Ptr(true),
				Notification: &OrderNotificationParams{TokenID: "token_Nq6Ye9AjM4uNhJ"}}
		}},
		{name: "amount 0", mutate: func(p *OrderCreateParams) { p.Amount = 0 }, field: "amount"},
		{name: "amount negative", mutate: func(p *OrderCreateParams) { p.Amount = -100 }, field: "amount"},
		{name: "amount 1", mutate: func(p *OrderCreateParams) { p.Amount = 1 }, field: "amount"},
		{name: "amount 99", mutate: func(p *OrderCreateParams) { p.Amount = MinAmount - 1 }, field: "amount"},
		{name: "amount 100", mutate: func(p *OrderCreateParams) { p.Amount = MinAmount }},
		{name: "currency empty", mutate: func(p *OrderCreateParams) { p.Currency = "" }, field: "currency"},
		{name: "currency lower case", mutate: func(p *OrderCreateParams) { p.Currency = "inr" }, field: "currency"},
		{name: "currency of 2", mutate: func(p *OrderCreateParams) { p.Currency = "IN" }, field: "currency"},
		{name: "currency of 4", mutate: func(p *OrderCreateParams) { p.Currency = "INRR" }, field: "currency"},
		{name: "currency with a digit", mutate: func(p *OrderCreateParams) { p.Currency = "IN1" }, field: "currency"},
		{name: "currency USD", mutate: func(p *OrderCreateParams) { p.Currency = "USD" }},
		{name: "receipt of 40", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("r", 40) }},
		{name: "receipt of 40 runes", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("₹", 40) }},
		{name: "receipt of 41", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("r", 41) }, field: "receipt"},
		{name: "16 notes", mutate: func(p *OrderCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *OrderCreateParams) { p.Notes = Notes{"plan": strings.Repeat("v", 257)} }, field: "notes.plan"},
		{name: "max_amount 0", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 0 }, field: "token.max_amount"},
		{name: "max_amount 99", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 99 }, field: "token.max_amount"},
		{name: "max_amount 100", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 100 }},
		{name: "max_amount 1500000", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 1500000 }},
		{name: "max_amount 1500001", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 1500001 }, field: "token.max_amount"},
		{name: "expire_at negative", mutate: func(p *OrderCreateParams) { p.Token.ExpireAt = -1 }, field: "token.expire_at"},
		{name: "expire_at 0", mutate: func(p *OrderCreateParams) { p.Token.ExpireAt = 0 }},
		{name: "frequency empty", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "" }, field: "token.frequency"},
		{name: "frequency daily", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "daily" }, field: "token.frequency"},
		{name: "frequency in capitals", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "Monthly" }, field: "token.frequency"},
		{name: "frequency weekly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyWeekly }},
		{name: "frequency monthly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyMonthly }},
		{name: "frequency yearly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyYearly }},
		{name: "frequency as_presented", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyAsPresented }},
		{name: "token without customer", mutate: func(p *OrderCreateParams) { p.CustomerID = "" }, field: "customer_id"},
		{name: "token with a blank customer", mutate: func(p *OrderCreateParams) { p.CustomerID = "  " }, field: "customer_id"},
		{name: "notification without token", mutate: func(p *OrderCreateParams) { p.Notification = &OrderNotificationParams{PaymentAfter: 1713100000} }, field: "notification.token_id"},
		{name: "notification payment_after negative", mutate: func(p *OrderCreateParams) {
			p.Notification = &OrderNotificationParams{TokenID: "token_Nq6Ye9AjM4uNhJ", PaymentAfter: -1}
		}, field: "notification.payment_after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &OrderCreateParams{
				Amount: 100, Currency: "INR", Receipt: "auth-cust42-2024-03", CustomerID: "cust_Nq2Yk8ZpR4tLmA", Method: PaymentMethodCard,
				Token: &OrderTokenParams{MaxAmount: 1500000, ExpireAt: 1899993600, Frequency: FrequencyMonthly},
			}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/orders", "order/authorization.json", p.Validate,
				func(c *Client) error { _, err := c.Order.Create(mockCtx(t), p); return err })
		})
	}
}
