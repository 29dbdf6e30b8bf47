package razorpay

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseInfoAfterRetries(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.on("GET /v1/payments/pay_RT000000000001",
		mockJSON(http.StatusServiceUnavailable, mockServerErr, "X-Razorpay-Request-Id", "req_first"),
		mockJSON(http.StatusOK, mockPaymentJSON, "X-Razorpay-Request-Id", "req_second", "X-Extra", "yes"))

	var info ResponseInfo
	p, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay_RT000000000001")
	require.NoError(t, err)
	assert.Equal(t, "pay_RT000000000001", p.ID)
	assert.Equal(t, http.StatusOK, info.StatusCode)
	assert.Equal(t, "req_second", info.RequestID, "the last answer's")
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, "yes", info.Header.Get("X-Extra"))
}

func TestResponseInfoOfAnError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.on("POST /v1/orders", mockJSON(http.StatusBadRequest, mockBadRequest, "X-Request-Id", "req_fallback"))

	var info ResponseInfo
	_, err := c.Order.Create(WithResponseInfo(mockCtx(t), &info), &OrderCreateParams{Amount: 5000, Currency: "INR"})
	var rzpErr *Error
	require.ErrorAs(t, err, &rzpErr)
	assert.Equal(t, ResponseInfo{StatusCode: http.StatusBadRequest, Header: info.Header, RequestID: "req_fallback", Attempts: 1}, info)
	assert.Equal(t, rzpErr.RequestID, info.RequestID)
	assert.Equal(t, "application/json", info.Header.Get("Content-Type"))
}

// Without an answer there is no status and no header, but the attempts
// count.
func TestResponseInfoWithoutAnAnswer(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxRetries(2))
	mt.on("GET /v1/payments/pay_RT000000000001", mockErr(mockConnReset()))

	info := ResponseInfo{StatusCode: 200, Header: http.Header{"Stale": {"1"}}, RequestID: "stale", Attempts: 9}
	_, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay_RT000000000001")
	require.Error(t, err)
	assert.Equal(t, ResponseInfo{Attempts: 3}, info)
}

// A call that reaches the pipeline clears what an earlier call left, even
// when it sends nothing; a call refused by validation leaves it as it was.
func TestResponseInfoOfACallNotSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	stale := ResponseInfo{StatusCode: 200, RequestID: "stale", Attempts: 1}

	info := stale
	_, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay/../x")
	assertInvalidParams(t, err, "paymentID")
	assert.Equal(t, stale, info)

	ctx, cancel := context.WithCancel(WithResponseInfo(mockCtx(t), &info))
	cancel()
	_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ResponseInfo{}, info)
	assertNoRequest(t, mt)
}

// A call that sends several requests leaves the last one's answer.
func TestResponseInfoOfAWalk(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockHandle(t, mt, "GET", "/v1/customers", func(n int, _ mockCall) mockReply {
		items := `{"id":"cust_Walk0000000001","entity":"customer"},{"id":"cust_Walk0000000002","entity":"customer"}`
		if n == 1 {
			items = `{"id":"cust_Walk0000000003","entity":"customer"}`
		}
		return mockReply{
			Status: http.StatusOK,
			Body:   []byte(`{"entity":"collection","count":2,"items":[` + items + `]}`),
			Header: http.Header{"X-Razorpay-Request-Id": {fmt.Sprintf("req_page%d", n)}},
		}
	})

	var info ResponseInfo
	var ids []string
	for cu, err := range c.Customer.All(WithResponseInfo(mockCtx(t), &info), &ListParams{Count: 2}) {
		require.NoError(t, err)
		ids = append(ids, cu.ID)
	}
	assert.Len(t, ids, 3)
	assert.Equal(t, "req_page1", info.RequestID)
	assert.Equal(t, 1, info.Attempts)
}

// Filling a ResponseInfo allocates nothing: a call with one allocates as
// much as a call without, so a call without one, which does less, costs
// nothing more than before. Not parallel: AllocsPerRun reads the
// process-wide counters.
func TestResponseInfoAllocatesNothing(t *testing.T) {
	c, mt := newMockClient(t)
	mt.on("GET /v1/payments/pay_RT000000000001", mockJSON(http.StatusOK, mockPaymentJSON))
	ctx := mockCtx(t)
	var info ResponseInfo
	withInfo := WithResponseInfo(ctx, &info)
	fetch := func(ctx context.Context) func() {
		return func() {
			if _, err := c.Payment.Fetch(ctx, "pay_RT000000000001"); err != nil {
				t.Error(err)
			}
		}
	}
	least := func(f func()) float64 {
		n := 1e9
		for range 3 {
			n = min(n, testing.AllocsPerRun(50, f))
		}
		return n
	}
	without, with := least(fetch(ctx)), least(fetch(withInfo))
	assert.Equal(t, without, with, "allocations per call without and with ResponseInfo")
	assert.Equal(t, http.StatusOK, info.StatusCode)
}

// The pipeline's own cost, without a network: a payment read and a page of
// orders (whose params go through the query encoder) answered in memory,
// and the payment read again with a ResponseInfo.
//
//	go test -run '^$' -bench BenchmarkPipeline -benchmem -count 6 .
func BenchmarkPipeline(b *testing.B) {
	answer := func(body []byte) mockStep {
		h := http.Header{"Content-Type": {"application/json"}, "X-Razorpay-Request-Id": {"req_bench"}}
		return func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
		}
	}
	payment := mockClient(b, answer(mockFixture(b, "payment/fetch.json")))
	orders := mockClient(b, answer(mockFixture(b, "order/list_by_receipt.json")))
	ctx := context.Background()
	var info ResponseInfo
	infoCtx := WithResponseInfo(ctx, &info)
	params := &OrderListParams{ListParams: ListParams{Count: 100}, Receipt: "sub_42-2026-11", Expand: []string{ExpandPayments}}
	for _, bb := range []struct {
		name string
		call func() error
	}{
		{"payment fetch", func() error { _, err := payment.Payment.Fetch(ctx, "pay_Nq4Wc7YhJ2sKdF"); return err }},
		{"payment fetch with ResponseInfo", func() error { _, err := payment.Payment.Fetch(infoCtx, "pay_Nq4Wc7YhJ2sKdF"); return err }},
		{"order list", func() error { _, err := orders.Order.List(ctx, params); return err }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if err := bb.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
