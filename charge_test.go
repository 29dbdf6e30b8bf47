package razorpay

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	chOrderID   = "order_CH00000000001"
	chPaymentID = "pay_CH000000000001"
	chSecret    = "retry_secret" // the secret of rtClient
)

// chRouter answers by "METHOD path" with a queue of steps per route (the
// last step repeats) and records the routes and bodies it saw.
type chRouter struct {
	mu     sync.Mutex
	routes map[string][]func(*http.Request) (*http.Response, error)
	calls  map[string]int
	log    []string
	bodies map[string][]map[string]any
}

func newChRouter() *chRouter {
	return &chRouter{routes: map[string][]func(*http.Request) (*http.Response, error){}, calls: map[string]int{}, bodies: map[string][]map[string]any{}}
}

func (r *chRouter) on(route string, steps ...func(*http.Request) (*http.Response, error)) *chRouter {
	r.routes[route] = steps
	return r
}

func (r *chRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	route := req.Method + " " + req.URL.EscapedPath()
	var body map[string]any
	if req.Body != nil {
		raw, _ := io.ReadAll(req.Body)
		_ = req.Body.Close()
		_ = json.Unmarshal(raw, &body)
	}
	r.mu.Lock()
	steps, ok := r.routes[route]
	n := r.calls[route]
	r.calls[route]++
	r.log = append(r.log, route)
	r.bodies[route] = append(r.bodies[route], body)
	r.mu.Unlock()
	if !ok {
		return rtJSON(404, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The requested URL was not found on the server."}}`)(req)
	}
	return steps[min(n, len(steps)-1)](req)
}

func (r *chRouter) count(route string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[route]
}

func (r *chRouter) routesSeen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.log...)
}

func (r *chRouter) body(route string, i int) map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[route][i]
}

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
	chRouteRecurring = "POST /v1/payments/create/recurring"
	chRoutePayments  = "GET /v1/orders/" + chOrderID + "/payments"
	chRouteFetch     = "GET /v1/payments/" + chPaymentID
	chOrderJSON      = `{"id":"` + chOrderID + `","entity":"order","amount":49900,"amount_paid":0,"amount_due":49900,"currency":"INR","receipt":"sub_42-2026-11","status":"created","attempts":0,"notes":{"plan":"gold"},"created_at":1764064800}`
)

func chRecurringOK() func(*http.Request) (*http.Response, error) {
	return rtJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`","razorpay_order_id":"`+chOrderID+`","razorpay_signature":"`+chSign(chOrderID, chPaymentID)+`"}`)
}

func TestChargeSuccess(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, chRecurringOK()).
		on(chRouteFetch, rtJSON(200, chPayment(chPaymentID, PaymentStatusCaptured)))
	c := rtClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, PaymentStatusCaptured, p.Status)
	assert.Equal(t, chOrderID, p.OrderID)
	assert.Equal(t, []string{chRouteOrder, chRouteRecurring, chRouteFetch}, r.routesSeen())

	order := r.body(chRouteOrder, 0)
	assert.Equal(t, map[string]any{"amount": 49900.0, "currency": "INR", "receipt": "sub_42-2026-11", "payment_capture": true, "notes": map[string]any{"plan": "gold"}}, order)
	rec := r.body(chRouteRecurring, 0)
	assert.Equal(t, chOrderID, rec["order_id"])
	assert.Equal(t, "token_CH000000001", rec["token"])
	assert.Equal(t, true, rec["recurring"])
	assert.Equal(t, 49900.0, rec["amount"])
	assert.Equal(t, "cust_CH0000000001", rec["customer_id"])
}

func TestChargeAnswerWithoutSignature(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, rtJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`"}`)).
		on(chRouteFetch, rtJSON(200, chPayment(chPaymentID, PaymentStatusCreated)))
	c := rtClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, PaymentStatusCreated, p.Status)
	assert.Zero(t, r.count(chRoutePayments))
}

// TestChargeLostAnswerIsReconciled: the charge happened but its answer was
// lost. Charge must find the payment, not charge again.
func TestChargeLostAnswerIsReconciled(t *testing.T) {
	t.Parallel()
	for name, lost := range map[string]func(*http.Request) (*http.Response, error){
		"500":     rtJSON(500, rtServerErr),
		"502":     rtHTML(502),
		"reset":   rtErr(connReset()),
		"timeout": rtTimeout,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newChRouter().
				on(chRouteOrder, rtJSON(200, chOrderJSON)).
				on(chRouteRecurring, lost).
				on(chRoutePayments, rtJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusCaptured))))
			c := rtClient(t, r, WithTimeout(50*time.Millisecond))
			p, err := c.Payment.Charge(context.Background(), chParams())
			require.NoError(t, err)
			assert.Equal(t, chPaymentID, p.ID)
			assert.Equal(t, 1, r.count(chRouteRecurring), "never charged twice")
			assert.Equal(t, 1, r.count(chRoutePayments))
		})
	}
}

// TestChargeLostAnswerNoPayment: the answer was lost and the order holds no
// payment. The request may still be in flight at Razorpay, so Charge does not
// claim "not charged": it reports an unknown outcome with the order, and
// resuming on that order charges once.
func TestChargeLostAnswerNoPayment(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, rtErr(connReset()), chRecurringOK()).
		on(chRoutePayments, rtJSON(200, chPayments())).
		on(chRouteFetch, rtJSON(200, chPayment(chPaymentID, PaymentStatusCaptured)))
	c := rtClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.False(t, errors.Is(err, ErrNotCharged))
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, chOrderID, ce.OrderID)
	assert.Nil(t, ce.Payment)
	assert.Equal(t, 1, r.count(chRouteRecurring))
	assert.Equal(t, 3, r.count(chRoutePayments), "looked three times before giving up")

	params := chParams()
	params.OrderID = ce.OrderID
	p, err = c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, 2, r.count(chRouteRecurring))
	assert.Equal(t, 1, r.count(chRouteOrder), "resumed on the same order")
	assert.Equal(t, chOrderID, r.body(chRouteRecurring, 1)["order_id"])
}

// TestChargeResumeRefusedBecausePaid: while resuming, Razorpay refuses the
// payment because an earlier attempt has paid the order meanwhile. Charge
// returns that payment, not "not charged".
func TestChargeResumeRefusedBecausePaid(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRoutePayments, rtJSON(200, chPayments()), rtJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusCaptured)))).
		on(chRouteRecurring, rtJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Order has already been paid"}}`))
	c := rtClient(t, r)
	params := chParams()
	params.OrderID = chOrderID
	p, err := c.Payment.Charge(context.Background(), params)
	require.NoError(t, err)
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, 2, r.count(chRoutePayments))

	// The same refusal with still no payment on the order: a lost request
	// of an earlier attempt may still land while the order is young, so the
	// outcome stays unknown; once the order is older than
	// ChargeSettleWindow, the refusal is definite.
	refused := `{"error":{"code":"BAD_REQUEST_ERROR","description":"Amount exceeds maximum amount allowed"}}`
	young := strings.Replace(chOrderJSON, `"created_at":1764064800`, `"created_at":`+strconv.FormatInt(time.Now().Unix()-60, 10), 1)
	old := strings.Replace(chOrderJSON, `"created_at":1764064800`, `"created_at":`+strconv.FormatInt(time.Now().Add(-ChargeSettleWindow-time.Minute).Unix(), 10), 1)
	for name, order := range map[string]string{"young": young, "old": old} {
		r2 := newChRouter().
			on(chRoutePayments, rtJSON(200, chPayments())).
			on(chRouteRecurring, rtJSON(400, refused)).
			on("GET /v1/orders/"+chOrderID, rtJSON(200, order))
		_, err = rtClient(t, r2).Payment.Charge(context.Background(), params)
		assert.ErrorIs(t, err, ErrBadRequest, name)
		assert.Equal(t, name == "old", errors.Is(err, ErrNotCharged), name)
		assert.Equal(t, name == "young", errors.Is(err, ErrOutcomeUnknown), name)
		assert.Equal(t, 1, r2.count(chRouteRecurring), name)
	}
}

// TestChargeCreatedButFailed: the charge was created and has already failed
// when read back: not charged, with the payment.
func TestChargeCreatedButFailed(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, chRecurringOK()).
		on(chRouteFetch, rtJSON(200, chPayment(chPaymentID, PaymentStatusFailed)))
	p, err := rtClient(t, r).Payment.Charge(context.Background(), chParams())
	assert.Nil(t, p)
	require.ErrorIs(t, err, ErrNotCharged)
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	require.NotNil(t, ce.Payment)
	assert.Equal(t, chPaymentID, ce.Payment.ID)
}

// TestChargeResumeWithOldFailedPayment: a resumed order holds the failed
// payment of an earlier attempt while the resumed request's answer is lost:
// that failure says nothing of the request in flight, so the outcome stays
// unknown.
func TestChargeResumeWithOldFailedPayment(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRoutePayments, rtJSON(200, chPayments(chPayment("pay_CH0000000000F1", PaymentStatusFailed)))).
		on(chRouteRecurring, rtErr(connReset()))
	params := chParams()
	params.OrderID = chOrderID
	_, err := rtClient(t, r).Payment.Charge(context.Background(), params)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.False(t, errors.Is(err, ErrNotCharged))
}

func TestChargeLostAnswerFailedPayment(t *testing.T) {
	t.Parallel()
	failed := strings.Replace(chPayment(chPaymentID, PaymentStatusFailed), `"notes"`, `"error_description":"Payment declined by bank","notes"`, 1)
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, rtJSON(503, "")).
		on(chRoutePayments, rtJSON(200, chPayments(failed)))
	c := rtClient(t, r)
	_, err := c.Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrNotCharged)
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	require.NotNil(t, ce.Payment)
	assert.Equal(t, PaymentStatusFailed, ce.Payment.Status)
	assert.Contains(t, err.Error(), "Payment declined by bank")
	assert.Equal(t, 1, r.count(chRouteRecurring))
}

func TestChargeRefused(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, rtJSON(400, `{"error":{"code":"BAD_REQUEST_ERROR","description":"Amount exceeds maximum amount allowed","source":"business","step":"payment_initiation","reason":"input_validation_failed","metadata":{}}}`))
	c := rtClient(t, r)
	_, err := c.Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrNotCharged)
	require.ErrorIs(t, err, ErrBadRequest)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "input_validation_failed", apiErr.Reason)
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, chOrderID, ce.OrderID)
	assert.Zero(t, r.count(chRoutePayments), "a definite refusal needs no reconciliation")
}

func TestChargeOrderCreationFails(t *testing.T) {
	t.Parallel()
	r := newChRouter().on(chRouteOrder, rtJSON(500, rtServerErr))
	c := rtClient(t, r)
	_, err := c.Payment.Charge(context.Background(), chParams())
	require.ErrorIs(t, err, ErrNotCharged)
	assert.ErrorIs(t, err, ErrServer)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "no payment was attempted: %v", err)
	assert.Zero(t, r.count(chRouteRecurring))
}

func TestChargeResume(t *testing.T) {
	t.Parallel()
	t.Run("payment exists", func(t *testing.T) {
		t.Parallel()
		r := newChRouter().on(chRoutePayments, rtJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusCaptured))))
		c := rtClient(t, r)
		params := chParams()
		params.OrderID = chOrderID
		p, err := c.Payment.Charge(context.Background(), params)
		require.NoError(t, err)
		assert.Equal(t, chPaymentID, p.ID)
		assert.Equal(t, []string{chRoutePayments}, r.routesSeen(), "no new order, no new charge")
	})
	t.Run("no payment yet", func(t *testing.T) {
		t.Parallel()
		r := newChRouter().
			on(chRoutePayments, rtJSON(200, chPayments(chPayment("pay_CH0000000000F1", PaymentStatusFailed)))).
			on(chRouteRecurring, chRecurringOK()).
			on(chRouteFetch, rtJSON(200, chPayment(chPaymentID, PaymentStatusCaptured)))
		c := rtClient(t, r)
		params := chParams()
		params.OrderID = chOrderID
		p, err := c.Payment.Charge(context.Background(), params)
		require.NoError(t, err)
		assert.Equal(t, chPaymentID, p.ID)
		assert.Equal(t, []string{chRoutePayments, chRouteRecurring, chRouteFetch}, r.routesSeen())
		assert.Equal(t, chOrderID, r.body(chRouteRecurring, 0)["order_id"], "charged on the same order")
	})
}

func TestChargeBadSignatureIsReconciled(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, rtJSON(200, `{"razorpay_payment_id":"`+chPaymentID+`","razorpay_order_id":"`+chOrderID+`","razorpay_signature":"`+chSign(chOrderID, "pay_other")+`"}`)).
		on(chRoutePayments, rtJSON(200, chPayments(chPayment(chPaymentID, PaymentStatusAuthorized))))
	c := rtClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	require.NoError(t, err)
	assert.Equal(t, PaymentStatusAuthorized, p.Status)
	assert.Equal(t, 1, r.count(chRoutePayments))
	assert.Equal(t, 1, r.count(chRouteRecurring))
}

func TestChargeContextEndsBeforeReconciling(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, func(req *http.Request) (*http.Response, error) {
			cancel() // the caller gives up while the charge is in flight
			return rtTimeout(req)
		}).
		on(chRoutePayments, rtJSON(200, chPayments()))
	c := rtClient(t, r)
	_, err := c.Payment.Charge(ctx, chParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, ErrNotCharged))
	var ce *ChargeError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, chOrderID, ce.OrderID, "the order to resume with")
	assert.Zero(t, r.count(chRoutePayments))
}

func TestChargeReadBackFails(t *testing.T) {
	t.Parallel()
	r := newChRouter().
		on(chRouteOrder, rtJSON(200, chOrderJSON)).
		on(chRouteRecurring, chRecurringOK()).
		on(chRouteFetch, rtJSON(503, ""))
	c := rtClient(t, r)
	p, err := c.Payment.Charge(context.Background(), chParams())
	require.NoError(t, err, "the charge happened")
	assert.Equal(t, chPaymentID, p.ID)
	assert.Equal(t, PaymentStatusCreated, p.Status)
	assert.Equal(t, chOrderID, p.OrderID)
	assert.Equal(t, "token_CH000000001", p.TokenID)
	assert.Equal(t, 3, r.count(chRouteFetch), "the read is retried")
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
			r := newChRouter()
			c := rtClient(t, r)
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
	_, err := rtClient(t, newChRouter()).Payment.Charge(context.Background(), nil)
	assert.ErrorIs(t, err, ErrInvalidParams)
}
