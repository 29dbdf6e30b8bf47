package razorpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/internal/testkit"
	"github.com/gorzp/razorpay/razorpaytest"
)

// Payment.Charge in the happy path (a new receipt per call: list the
// receipt's orders with their payments, create the ticket order, list
// again, create the recurring payment, read it back) against the fake, side
// by side with the same five requests made with net/http and encoding/json
// into plain structs. Compare the two: the fake's own work is in both.
//
//	go test -run '^$' -bench 'BenchmarkCharge' -benchmem -count 5 .

// reportCPU reports the process's CPU time (user and system, the fake's
// included) per operation as cpu-ns/op when the benchmark ends: on a shared
// machine it varies less than the wall time.
func reportCPU(b *testing.B) {
	b.Helper()
	start := testkit.ProcessCPU()
	b.Cleanup(func() {
		b.ReportMetric(float64(testkit.ProcessCPU()-start)/float64(b.N), "cpu-ns/op")
	})
}

// benchChargeServer starts a fake with one confirmed mandate, keeping only
// the last request in its log.
func benchChargeServer(b *testing.B) (*razorpaytest.Server, *razorpaytest.Mandate) {
	srv := razorpaytest.NewTestServer(b, razorpaytest.WithRequestLogLimit(1))
	return srv, mockMandate(b, srv)
}

func BenchmarkCharge(b *testing.B) {
	srv, m := benchChargeServer(b)
	c := srv.Client()
	ctx := context.Background()
	params := mockBill(m, "")
	b.ReportAllocs()
	b.ResetTimer()
	reportCPU(b)
	for i := 0; i < b.N; i++ {
		params.Receipt = "bench-" + strconv.Itoa(i)
		p, err := c.Payment.Charge(ctx, params)
		if err != nil {
			b.Fatal(err)
		}
		if p.Status != razorpay.PaymentStatusCaptured {
			b.Fatalf("payment %s is %s", p.ID, p.Status)
		}
	}
}

// The plain structs of the raw side: only the fields it reads.
type (
	rawOrder struct {
		ID        string `json:"id"`
		Amount    int64  `json:"amount"`
		Currency  string `json:"currency"`
		Receipt   string `json:"receipt"`
		CreatedAt int64  `json:"created_at"`
		Payments  *struct {
			Items []rawPayment `json:"items"`
		} `json:"payments"`
	}
	rawOrders struct {
		Count int        `json:"count"`
		Items []rawOrder `json:"items"`
	}
	rawPayment struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		OrderID string `json:"order_id"`
		Amount  int64  `json:"amount"`
	}
	rawRecurring struct {
		PaymentID string `json:"razorpay_payment_id"`
		OrderID   string `json:"razorpay_order_id"`
		Signature string `json:"razorpay_signature"`
	}
)

// rawClient makes requests the way a hand-written integration would.
type rawClient struct {
	hc         *http.Client
	base, auth string
}

func (c *rawClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return json.Unmarshal(data, out)
}

func BenchmarkChargeRawHTTP(b *testing.B) {
	srv, m := benchChargeServer(b)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(tr.CloseIdleConnections)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.SetBasicAuth(srv.KeyID, srv.KeySecret)
	c := &rawClient{hc: &http.Client{Transport: tr}, base: srv.URL, auth: req.Header.Get("Authorization")}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	reportCPU(b)
	for i := 0; i < b.N; i++ {
		receipt := "bench-" + strconv.Itoa(i)
		var orders rawOrders
		q := url.Values{"receipt": {receipt}, "expand[]": {"payments"}, "count": {"100"}}
		if err := c.do(ctx, "GET", "/v1/orders?"+q.Encode(), nil, &orders); err != nil {
			b.Fatal(err)
		}
		if len(orders.Items) != 0 {
			b.Fatalf("the receipt's orders: %+v", orders)
		}
		var order rawOrder
		err := c.do(ctx, "POST", "/v1/orders", map[string]any{
			"amount": 49_900, "currency": "INR", "receipt": receipt, "payment_capture": true,
			"notes": map[string]string{razorpay.ChargeNoteKey: "0123456789abcdef"},
		}, &order)
		if err != nil {
			b.Fatal(err)
		}
		orders = rawOrders{}
		if err := c.do(ctx, "GET", "/v1/orders?"+q.Encode(), nil, &orders); err != nil {
			b.Fatal(err)
		}
		if len(orders.Items) != 1 || orders.Items[0].ID != order.ID || orders.Items[0].Payments == nil || len(orders.Items[0].Payments.Items) != 0 {
			b.Fatalf("the receipt's orders: %+v", orders)
		}
		var rp rawRecurring
		err = c.do(ctx, "POST", "/v1/payments/create/recurring", map[string]any{
			"email": m.Email, "contact": m.Contact, "amount": 49_900, "currency": "INR",
			"order_id": order.ID, "customer_id": m.CustomerID, "token": m.TokenID,
			"description": "Gold plan", "recurring": true,
		}, &rp)
		if err != nil {
			b.Fatal(err)
		}
		var p rawPayment
		if err := c.do(ctx, "GET", "/v1/payments/"+rp.PaymentID, nil, &p); err != nil {
			b.Fatal(err)
		}
		if p.Status != "captured" {
			b.Fatalf("payment %s is %s", p.ID, p.Status)
		}
	}
}
