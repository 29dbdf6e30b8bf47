package main

// TEMPORARY SHIM, to delete when Payment.LookupCharge, ChargeInfo and
// WithChargeInfo are in package razorpay (they are being added there with
// exactly these shapes). Then:
//
//	type chargeInfo = razorpay.ChargeInfo
//	var withChargeInfo = razorpay.WithChargeInfo
//	func lookupCharge(ctx, c, p) = c.Payment.LookupCharge(ctx, p)
//
// and shimHTTPClient, shimTransport and chargeTrace go (client() then adds
// no WithHTTPClient). Nothing else in the command depends on the shim.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorzp/razorpay"
)

// chargeInfo mirrors razorpay.ChargeInfo: what one call of Charge or
// LookupCharge did.
type chargeInfo struct {
	Created  bool   // this call made the payment it returned
	OrderID  string // the charge order this call created
	Released bool   // the call released the order it created
	Requests int    // requests sent
}

type chargeTraceKey struct{}

// chargeTrace is what shimTransport records for one call.
type chargeTrace struct {
	mu   sync.Mutex
	info *chargeInfo
	date time.Time // the last Date header: Razorpay's clock
}

// withChargeInfo mirrors razorpay.WithChargeInfo.
func withChargeInfo(ctx context.Context, info *chargeInfo) context.Context {
	return context.WithValue(ctx, chargeTraceKey{}, &chargeTrace{info: info})
}

func traceOf(ctx context.Context) *chargeTrace {
	t, _ := ctx.Value(chargeTraceKey{}).(*chargeTrace)
	return t
}

// shimHTTPClient is the client's HTTP client: the SDK's pool size, through
// shimTransport.
func shimHTTPClient() *http.Client {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConns = razorpay.DefaultMaxConnsPerHost
	base.MaxIdleConnsPerHost = razorpay.DefaultMaxConnsPerHost
	return &http.Client{Transport: shimTransport{base: base}}
}

// shimTransport fills the chargeInfo of a request's context: a recurring
// payment that Razorpay accepted means the call made its payment.
type shimTransport struct{ base http.RoundTripper }

func (t shimTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	tr := traceOf(req.Context())
	if tr == nil {
		return resp, err
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.info.Requests++
	if err != nil {
		return resp, err
	}
	if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
		tr.date = d
	}
	if req.Method == http.MethodPost && req.URL.Path == "/v1/payments/create/recurring" && resp.StatusCode == http.StatusOK {
		tr.info.Created = true
	}
	return resp, err
}

// lookupCharge mirrors Payment.LookupCharge: the state of a bill, read
// only (no order created, nothing charged), classified with OutcomeOf like
// Charge's answer.
func lookupCharge(ctx context.Context, c *razorpay.Client, p *razorpay.ChargeParams) (*razorpay.Payment, error) {
	if p == nil || p.Receipt == "" {
		return nil, &razorpay.ValidationError{Field: "receipt", Message: "is required"}
	}
	tr := traceOf(ctx)
	if tr == nil {
		ctx = withChargeInfo(ctx, &chargeInfo{})
		tr = traceOf(ctx)
	}
	var orders []razorpay.Order
	params := &razorpay.OrderListParams{ListParams: razorpay.ListParams{Count: razorpay.MaxListCount, MaxPages: 20},
		Receipt: p.Receipt, Expand: []string{razorpay.ExpandPayments}}
	for o, err := range c.Order.All(ctx, params) {
		if errors.Is(err, razorpay.ErrListPaging) {
			return nil, &razorpay.ChargeError{Err: fmt.Errorf("%w: %w", razorpay.ErrReceiptUnreadable, err)}
		}
		if err != nil {
			return nil, &razorpay.ChargeError{Err: fmt.Errorf("%w: list the receipt's orders: %w", razorpay.ErrOutcomeUnknown, err)}
		}
		orders = append(orders, o)
	}
	tr.mu.Lock()
	now := tr.date
	tr.mu.Unlock()
	var live, failed *razorpay.Payment
	var young *razorpay.Order
	for i := range orders {
		o := &orders[i]
		if o.Payments == nil {
			list, err := c.Order.Payments(ctx, o.ID)
			if err != nil {
				return nil, &razorpay.ChargeError{OrderID: o.ID, Err: fmt.Errorf("%w: list the payments of order %s: %w", razorpay.ErrOutcomeUnknown, o.ID, err)}
			}
			o.Payments = list
		}
		if p.Amount != 0 && (o.Amount != p.Amount || p.Currency != "" && o.Currency != p.Currency) {
			if len(o.Payments.Items) > 0 {
				return nil, &razorpay.ChargeError{OrderID: o.ID, Err: fmt.Errorf("%w: receipt %q: order %s is for %d %s, not %d %s",
					razorpay.ErrReceiptConflict, p.Receipt, o.ID, o.Amount, o.Currency, p.Amount, p.Currency)}
			}
			continue
		}
		if len(o.Payments.Items) == 0 && (now.IsZero() || now.Sub(time.Unix(o.CreatedAt, 0)) < razorpay.ChargeSettleWindow) {
			young = o
		}
		for j := range o.Payments.Items {
			pay := &o.Payments.Items[j]
			if p.CustomerID != "" && pay.CustomerID != "" && pay.CustomerID != p.CustomerID ||
				p.TokenID != "" && pay.TokenID != "" && pay.TokenID != p.TokenID {
				return nil, &razorpay.ChargeError{OrderID: o.ID, Err: fmt.Errorf("%w: receipt %q: payment %s is another customer's or token's",
					razorpay.ErrReceiptConflict, p.Receipt, pay.ID)}
			}
			switch {
			case pay.Status == razorpay.PaymentStatusFailed:
				if failed == nil || pay.CreatedAt >= failed.CreatedAt {
					failed = pay
				}
			case live == nil || rank(pay.Status) > rank(live.Status):
				live = pay
			}
		}
	}
	switch {
	case live != nil:
		return live, nil
	case young != nil:
		wait := razorpay.ChargeSettleWindow + time.Second
		if !now.IsZero() {
			wait = time.Unix(young.CreatedAt, 0).Add(razorpay.ChargeSettleWindow + time.Second).Sub(now)
		}
		return nil, &razorpay.ChargeError{OrderID: young.ID, RetryAfter: wait,
			Err: fmt.Errorf("%w: order %s is young and holds no payment yet: a charge may still land on it", razorpay.ErrOutcomeUnknown, young.ID)}
	case failed != nil:
		return nil, &razorpay.ChargeError{OrderID: failed.OrderID, Payment: failed, Err: razorpay.ErrNotCharged}
	}
	return nil, &razorpay.ChargeError{Err: fmt.Errorf("%w: no payment carries the receipt", razorpay.ErrNotCharged)}
}

// rank orders the states of a payment that is not failed by how far the
// charge went.
func rank(s razorpay.PaymentStatus) int {
	return slices.Index([]razorpay.PaymentStatus{razorpay.PaymentStatusCreated, razorpay.PaymentStatusAuthorized,
		razorpay.PaymentStatusRefunded, razorpay.PaymentStatusCaptured}, s)
}
