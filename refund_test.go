package razorpay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	refundPaymentID = "pay_Nr9Yb3NkJ5dXrU"
	refundPath      = "/v1/payments/" + refundPaymentID + "/refund"
	refundKey       = "refund-sub_42-2026-11-1"
	// refundSDKKey is the form of the key the SDK draws for a refund made
	// without one.
	refundSDKKey = `^gorzp-[0-9a-f]{32}$`
)

func refundParams() *RefundCreateParams {
	return &RefundCreateParams{
		Amount:         16633,
		Speed:          RefundSpeedNormal,
		Receipt:        refundKey,
		Notes:          Notes{"reason": "cancelled mid-month", "days_unused": "10"},
		IdempotencyKey: refundKey,
	}
}

func TestPaymentRefund(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", refundPath, "refund/create.json")

	r, err := c.Payment.Refund(mockCtx(t), refundPaymentID, refundParams())
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", refundPath)
	assertReqNoQuery(t, call)
	assert.Equal(t, []string{refundKey}, call.Header.Values("X-Refund-Idempotency"), "the key goes in the header")
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "amount", "speed", "receipt", "notes")
	assertReqInt(t, body, "amount", 16633)
	assertReqString(t, body, "speed", "normal")
	assertReqString(t, body, "receipt", refundKey)
	notes := assertReqObject(t, body, "notes")
	assertReqString(t, notes, "reason", "cancelled mid-month")
	assertReqString(t, notes, "days_unused", "10")
	assert.NotContains(t, string(call.Body), "idempotency", "the key is not in the body")

	assert.Equal(t, &Refund{
		ID:             "rfnd_Ns8Kq2WdT5yLbA",
		Entity:         "refund",
		Amount:         16633,
		Currency:       "INR",
		PaymentID:      refundPaymentID,
		Notes:          Notes{"reason": "cancelled mid-month", "days_unused": "10"},
		Receipt:        refundKey,
		CreatedAt:      1764581400,
		Status:         RefundStatusPending,
		SpeedProcessed: RefundSpeedNormal,
		SpeedRequested: RefundSpeedNormal,
	}, r)
}

// Amount 0 refunds what is left: the body is {} and, without a key of the
// caller's, the SDK draws a new one for every call.
func TestPaymentRefundWholeRestWithTheSDKsKey(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", refundPath, "refund/instant_quirky.json")

	for range 2 {
		r, err := c.Payment.Refund(mockCtx(t), refundPaymentID, &RefundCreateParams{})
		require.NoError(t, err)
		assert.Equal(t, int64(49900), r.Amount, "a quoted amount decodes")
		assert.Equal(t, RefundSpeedInstant, r.SpeedProcessed)
		assert.Equal(t, RefundSpeedOptimum, r.SpeedRequested)
		assert.Empty(t, r.Receipt, "null is empty")
		assert.Empty(t, r.Notes)
	}
	calls := rec.Calls()
	require.Len(t, calls, 2)
	for _, call := range calls {
		assertReq(t, call, "POST", refundPath)
		assert.Empty(t, assertReqJSON(t, call))
		assert.Equal(t, "{}", string(call.Body))
		assert.Regexp(t, refundSDKKey, call.Header.Get("X-Refund-Idempotency"))
	}
	assert.NotEqual(t, calls[0].Header.Get("X-Refund-Idempotency"), calls[1].Header.Get("X-Refund-Idempotency"),
		"every call draws its own key")
}

// Whatever goes wrong in transit, a refund is sent again with the same key
// and body, and the caller gets the one refund Razorpay made.
func TestPaymentRefundRetriedWithTheSameKeyAndBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		first mockStep
	}{
		{"dial failure", mockErr(mockDialRefused())},
		{"reset", mockErr(mockConnReset())},
		{"timeout", mockTimeout},
		{"429", mockJSON(429, mockRateLimited)},
		{"500", mockJSON(500, mockServerErr)},
		{"502 HTML", mockHTML(502)},
		{"503", mockJSON(503, "")},
		{"504", mockJSON(504, mockServerErr)},
		{"409 in progress", mockJSON(409, string(mockFixture(t, "errors/refund_in_progress.json")))},
	} {
		for _, own := range []bool{true, false} {
			name := tc.name + "/own key"
			if !own {
				name = tc.name + "/SDK's key"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				script := mockScript(tc.first, mockJSON(200, string(mockFixture(t, "refund/processed.json"))))
				c := mockClient(t, script, WithTimeout(50*time.Millisecond))
				p := refundParams()
				if !own {
					p.IdempotencyKey = ""
				}
				var r *Refund
				var err error
				mockWithin(t, 5*time.Second, func() { r, err = c.Payment.Refund(mockCtx(t, 5*time.Second), refundPaymentID, p) })
				require.NoError(t, err)
				assert.Equal(t, "rfnd_Ns8Kq2WdT5yLbA", r.ID)
				assert.Equal(t, RefundStatusProcessed, r.Status)
				assert.Equal(t, "74836134587912345678901", r.AcquirerData.ARN)
				calls := script.Calls()
				require.Len(t, calls, 2)
				key := calls[0].Header.Get("X-Refund-Idempotency")
				if own {
					assert.Equal(t, refundKey, key)
				} else {
					assert.Regexp(t, refundSDKKey, key)
				}
				assert.Equal(t, key, calls[1].Header.Get("X-Refund-Idempotency"), "the retry sends the same key")
				assert.Equal(t, string(calls[0].Body), string(calls[1].Body), "the retry sends the same body")
			})
		}
	}
}

// When the retries run out after the refund may have been made, the error
// says so (ErrOutcomeUnknown, with its cause) and names the key to call
// again with.
func TestPaymentRefundOutcomeUnknownNamesTheKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		step  mockStep
		cause error
	}{
		{"503", mockJSON(503, mockServerErr), ErrServer},
		{"reset", mockErr(mockConnReset()), nil},
		{"timeout", mockTimeout, context.DeadlineExceeded},
		{"409", mockJSON(409, string(mockFixture(t, "errors/refund_in_progress.json"))), nil},
		{"429", mockJSON(429, mockRateLimited), ErrRateLimited},
		{"2xx not a refund", mockJSON(200, mockPaymentJSON), nil},
		{"3xx", mockJSON(302, "", "Location", "https://elsewhere.test/"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			script := mockScript(tc.step)
			c := mockClient(t, script, WithTimeout(30*time.Millisecond))
			var err error
			mockWithin(t, 5*time.Second, func() { _, err = c.Payment.Refund(mockCtx(t, 5*time.Second), refundPaymentID, refundParams()) })
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			assert.Contains(t, err.Error(), `IdempotencyKey "`+refundKey+`"`)
			assert.Contains(t, err.Error(), "the refund may have been made")
			for _, call := range script.Calls() {
				assert.Equal(t, refundKey, call.Header.Get("X-Refund-Idempotency"))
			}
		})
	}
}

// A refund's first attempt is lost, and the retry meets an error: the
// first may have made the refund, so the outcome is unknown, not the error
// alone. A refusal of the first attempt is final.
func TestPaymentRefundErrorAfterALostAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	exceeds := string(mockFixture(t, "errors/refund_exceeds.json"))

	script := mockScript(mockErr(mockConnReset()), mockJSON(400, exceeds))
	_, err := mockClient(t, script).Payment.Refund(mockCtx(t), refundPaymentID, refundParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, 2, script.count())

	script = mockScript(mockJSON(400, exceeds))
	_, err = mockClient(t, script).Payment.Refund(mockCtx(t), refundPaymentID, refundParams())
	require.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "amount", apiErr.Field)
	assert.Equal(t, 1, script.count(), "Razorpay's refusal is not retried")

	// The caller's context ends while the SDK waits to retry a lost
	// attempt: unknown too.
	script = mockScript(mockErr(mockConnReset()))
	c := mockClient(t, script, WithRetryBackoff(time.Hour, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	mockWithin(t, 5*time.Second, func() { _, err = c.Payment.Refund(ctx, refundPaymentID, refundParams()) })
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), refundKey)
	assert.Equal(t, 1, script.count())
}

// The same key with another body: Razorpay's 400 is an *Error matching
// ErrBadRequest whose message says the key was used for another request.
func TestPaymentRefundKeyUsedForAnotherRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxRetries(5))
	rec := mockRespond(t, mt, "POST", refundPath, http.StatusBadRequest, mockFixture(t, "errors/refund_key_reused.json"))

	r, err := c.Payment.Refund(mockCtx(t), refundPaymentID, refundParams())
	assert.Nil(t, r)
	require.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Different request with the same idempotency key has already been processed.", apiErr.Description)
	assert.Contains(t, err.Error(), `IdempotencyKey "`+refundKey+`" was first used for another refund request`)
	assert.Len(t, rec.Calls(), 1)

	// Another 400 gets no such hint.
	c, mt = newMockClient(t)
	mockRespond(t, mt, "POST", refundPath, http.StatusBadRequest, mockFixture(t, "errors/refund_exceeds.json"))
	_, err = c.Payment.Refund(mockCtx(t), refundPaymentID, refundParams())
	require.ErrorIs(t, err, ErrBadRequest)
	assert.NotContains(t, err.Error(), "first used")
}

func TestPaymentRefundRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	with := func(f func(p *RefundCreateParams)) *RefundCreateParams {
		p := refundParams()
		f(p)
		return p
	}
	for _, tc := range []struct {
		name      string
		paymentID string
		params    *RefundCreateParams
		field     string
	}{
		{"nil params", refundPaymentID, nil, "params"},
		{"bad payment id", "pay_X/../refunds", refundParams(), "paymentID"},
		{"empty payment id", "", refundParams(), "paymentID"},
		{"negative amount", refundPaymentID, with(func(p *RefundCreateParams) { p.Amount = -1 }), "amount"},
		{"unknown speed", refundPaymentID, with(func(p *RefundCreateParams) { p.Speed = "instant" }), "speed"},
		{"receipt too long", refundPaymentID, with(func(p *RefundCreateParams) { p.Receipt = strings.Repeat("r", 41) }), "receipt"},
		{"receipt with a newline", refundPaymentID, with(func(p *RefundCreateParams) { p.Receipt = "a\nb" }), "receipt"},
		{"16 notes", refundPaymentID, with(func(p *RefundCreateParams) {
			p.Notes = Notes{}
			for i := range 16 {
				p.Notes[fmt.Sprint(i)] = "x"
			}
		}), "notes"},
		{"key of 9", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = "refund-42" }), "idempotency_key"},
		{"key of 65", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = strings.Repeat("k", 65) }), "idempotency_key"},
		{"key with a space", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = "refund sub_42 1" }), "idempotency_key"},
		{"key with a dot", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = "refund.sub_42.1" }), "idempotency_key"},
		{"key with a colon", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = "refund:sub_42:1" }), "idempotency_key"},
		{"key not ASCII", refundPaymentID, with(func(p *RefundCreateParams) { p.IdempotencyKey = "refund-sub_42-é" }), "idempotency_key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			r, err := c.Payment.Refund(mockCtx(t), tc.paymentID, tc.params)
			assert.Nil(t, r)
			assertInvalidParams(t, err, tc.field)
			assertNoRequest(t, mt)
		})
	}
	// The bounds themselves are accepted.
	for _, key := range []string{strings.Repeat("k", 10), strings.Repeat("K", 64), "a-b_c-0123"} {
		assert.NoError(t, (&RefundCreateParams{IdempotencyKey: key}).Validate(), key)
	}
}

// A key is never printed in a *ValidationError with a card number in it.
func TestPaymentRefundBadKeyMessageMasksCardNumbers(t *testing.T) {
	t.Parallel()
	err := (&RefundCreateParams{IdempotencyKey: "4111111111111111 refund"}).Validate()
	assertInvalidParams(t, err, "idempotency_key")
	assert.NotContains(t, err.Error(), "4111111111111111")
}

func TestPaymentRefunds(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/"+refundPaymentID+"/refunds", "refund/list.json")

	l, err := c.Payment.Refunds(mockCtx(t), refundPaymentID, &ListParams{Count: 25, Skip: 5})
	require.NoError(t, err)
	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/"+refundPaymentID+"/refunds")
	assertReqNoBody(t, call)
	assert.Equal(t, "count=25&skip=5", call.RawQuery)
	assert.Empty(t, call.Header.Values("X-Refund-Idempotency"), "reads carry no key")
	require.Len(t, l.Items, 2)
	assert.Equal(t, "rfnd_Ns9Lr3XeU6zMcB", l.Items[0].ID)
	assert.Equal(t, RefundStatusFailed, l.Items[0].Status)
	assert.Equal(t, "batch_Ns7Jp1VcS4xKaZ", l.Items[1].BatchID)
	assert.Equal(t, "74836134587912345678901", l.Items[1].AcquirerData.ARN)

	_, err = c.Payment.Refunds(mockCtx(t), refundPaymentID, nil)
	require.NoError(t, err)
	assertReqNoQuery(t, rec.Calls()[1])

	_, err = c.Payment.Refunds(mockCtx(t), refundPaymentID, &ListParams{Count: 101})
	assertInvalidParams(t, err, "count")
	_, err = c.Payment.Refunds(mockCtx(t), "pay X", nil)
	assertInvalidParams(t, err, "paymentID")
	assert.Len(t, rec.Calls(), 2)
}

func TestRefundFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/refunds/rfnd_Ns8Kq2WdT5yLbA", "refund/processed.json")

	r, err := c.Refund.Fetch(mockCtx(t), "rfnd_Ns8Kq2WdT5yLbA")
	require.NoError(t, err)
	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/refunds/rfnd_Ns8Kq2WdT5yLbA")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)
	assert.Equal(t, RefundStatusProcessed, r.Status)
	assert.Equal(t, refundPaymentID, r.PaymentID)

	_, err = c.Refund.Fetch(mockCtx(t), "rfnd_1?x=y")
	assertInvalidParams(t, err, "refundID")

	// A payment where a refund was asked for is an error, not a zero refund.
	c, mt = newMockClient(t)
	mockRespond(t, mt, "GET", "/v1/refunds/rfnd_Ns8Kq2WdT5yLbA", 200, []byte(mockPaymentJSON))
	_, err = c.Refund.Fetch(mockCtx(t), "rfnd_Ns8Kq2WdT5yLbA")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the answer is a payment, not a refund")
}

func TestRefundListAndAll(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/refunds", "refund/list.json")

	l, err := c.Refund.List(mockCtx(t), &RefundListParams{ListParams{Count: 2, From: 1764500000, To: 1764600000}})
	require.NoError(t, err)
	require.Len(t, l.Items, 2)
	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/refunds")
	assertReqNoBody(t, call)
	assert.Equal(t, "count=2&from=1764500000&to=1764600000", call.RawQuery)

	_, err = c.Refund.List(mockCtx(t), &RefundListParams{ListParams{From: 2, To: 1}})
	assertInvalidParams(t, err, "from")

	// All pages with skip and stops after a short page.
	c, mt = newMockClient(t)
	pages := mockHandle(t, mt, "GET", "/v1/refunds", func(n int, _ mockCall) mockReply {
		if n == 0 {
			return mockReply{Status: 200, Body: mockFixture(t, "refund/list.json")}
		}
		return mockReply{Status: 200, Body: []byte(`{"entity":"collection","count":0,"items":[]}`)}
	})
	var ids []string
	for r, err := range c.Refund.All(mockCtx(t), &RefundListParams{ListParams{Count: 2, From: 1764500000}}) {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"rfnd_Ns9Lr3XeU6zMcB", "rfnd_Ns8Kq2WdT5yLbA"}, ids)
	calls := pages.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "count=2&from=1764500000", calls[0].RawQuery)
	assert.Equal(t, "count=2&from=1764500000&skip=2", calls[1].RawQuery)
}

func TestPaymentCapture(t *testing.T) {
	t.Parallel()
	const path = "/v1/payments/pay_Nt1Ac4YfV7aNdC/capture"
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", path, "payment/captured.json")

	p, err := c.Payment.Capture(mockCtx(t), "pay_Nt1Ac4YfV7aNdC", &PaymentCaptureParams{Amount: 49900, Currency: "INR"})
	require.NoError(t, err)
	call := rec.Only(t)
	assertReq(t, call, "POST", path)
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "amount", "currency")
	assertReqInt(t, body, "amount", 49900)
	assertReqString(t, body, "currency", "INR")
	assert.Empty(t, call.Header.Values("X-Refund-Idempotency"))
	assert.Equal(t, PaymentStatusCaptured, p.Status)
	assert.True(t, p.Captured)
	assert.Equal(t, int64(998), p.Fee)

	for _, tc := range []struct {
		id     string
		params *PaymentCaptureParams
		field  string
	}{
		{"pay_Nt1Ac4YfV7aNdC", nil, "params"},
		{"pay_Nt1Ac4YfV7aNdC", &PaymentCaptureParams{Currency: "INR"}, "amount"},
		{"pay_Nt1Ac4YfV7aNdC", &PaymentCaptureParams{Amount: 49900, Currency: "inr"}, "currency"},
		{"", &PaymentCaptureParams{Amount: 49900, Currency: "INR"}, "paymentID"},
	} {
		_, err := c.Payment.Capture(mockCtx(t), tc.id, tc.params)
		assertInvalidParams(t, err, tc.field)
	}
	assert.Len(t, rec.Calls(), 1)
}

// A capture has no idempotency key: once it may have arrived it is not sent
// again.
func TestPaymentCaptureIsNotRetriedAfterALostAnswer(t *testing.T) {
	t.Parallel()
	script := mockScript(mockJSON(503, mockServerErr))
	_, err := mockClient(t, script, WithMaxRetries(5)).Payment.Capture(mockCtx(t), "pay_Nt1Ac4YfV7aNdC", &PaymentCaptureParams{Amount: 49900, Currency: "INR"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.NotContains(t, err.Error(), "IdempotencyKey")
	assert.Equal(t, 1, script.count())
}

func TestPaymentListAndAll(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments", "payment/list.json")

	l, err := c.Payment.List(mockCtx(t), &PaymentListParams{ListParams{Count: 2, Skip: 4, From: 1764500000, To: 1764600000}})
	require.NoError(t, err)
	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments")
	assertReqNoBody(t, call)
	assert.Equal(t, "count=2&from=1764500000&skip=4&to=1764600000", call.RawQuery)
	require.Len(t, l.Items, 2)
	assert.Equal(t, PaymentStatusRefunded, l.Items[1].Status)
	assert.Equal(t, "full", l.Items[1].RefundStatus)
	assert.Equal(t, int64(49900), l.Items[1].AmountRefunded)

	_, err = c.Payment.List(mockCtx(t), nil)
	require.NoError(t, err)
	assertReqNoQuery(t, rec.Calls()[1])
	_, err = c.Payment.List(mockCtx(t), &PaymentListParams{ListParams{Skip: -1}})
	assertInvalidParams(t, err, "skip")

	c, mt = newMockClient(t)
	pages := mockHandle(t, mt, "GET", "/v1/payments", func(n int, _ mockCall) mockReply {
		if n == 0 {
			return mockReply{Status: 200, Body: mockFixture(t, "payment/list.json")}
		}
		return mockReply{Status: 200, Body: []byte(`{"entity":"collection","count":0,"items":[]}`)}
	})
	n := 0
	for _, err := range c.Payment.All(mockCtx(t), &PaymentListParams{ListParams{Count: 2, To: 1764600000}}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	calls := pages.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "count=2&skip=2&to=1764600000", calls[1].RawQuery)
}

// FuzzValidateRefundCreateParams: whatever the params, Validate never
// panics, answers nil or a *ValidationError (see mockValidate), never quotes
// a card number; when it answers nil the params satisfy the documented
// rules, checked here independently, and the body sent carries neither the
// key nor a zero amount. Seeds are in
// testdata/fuzz/FuzzValidateRefundCreateParams/.
func FuzzValidateRefundCreateParams(f *testing.F) {
	f.Add(int64(16633), "normal", "refund-sub_42-2026-11-1", "reason=cancelled", "refund-sub_42-2026-11-1")
	f.Add(int64(0), "", "", "", "")
	f.Add(int64(-1), "optimum", "", "", "0123456789")
	f.Fuzz(func(t *testing.T, amount int64, speed, receipt, notes, key string) {
		t.Parallel()
		p := &RefundCreateParams{Amount: amount, Speed: RefundSpeed(speed), Receipt: receipt, Notes: mockNotesOf(notes), IdempotencyKey: key}
		if err := mockValidate(t, p, (*RefundCreateParams).Validate); err != nil {
			assert.NotContains(t, err.Error(), mockCardNumber, "a card number in the key is masked")
			return
		}
		assert.GreaterOrEqual(t, amount, int64(0))
		assert.Contains(t, []RefundSpeed{"", RefundSpeedNormal, RefundSpeedOptimum}, p.Speed)
		assertRuleReceipt(t, receipt)
		assertRuleNotes(t, p.Notes)
		if key != "" {
			assert.True(t, len(key) >= MinIdempotencyKeyLength && len(key) <= MaxIdempotencyKeyLength, "key %q", key)
			assertRuleID(t, key, "idempotency_key")
		}
		body, err := json.Marshal(p)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		_, hasAmount := m["amount"]
		assert.Equal(t, amount != 0, hasAmount, "amount 0 is not sent: %s", body)
		for k := range m {
			assert.Contains(t, []string{"amount", "speed", "receipt", "notes"}, k, "the key never goes in the body: %s", body)
		}
	})
}
