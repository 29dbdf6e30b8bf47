package razorpay

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiptPages answers the orders list from orders (newest first), by
// skip and count, as Razorpay pages.
func receiptPages(orders []string) mockStep {
	return func(req *http.Request) (*http.Response, error) {
		q, _ := url.ParseQuery(req.URL.RawQuery)
		skip, _ := strconv.Atoi(q.Get("skip"))
		count, _ := strconv.Atoi(q.Get("count"))
		end := min(skip+count, len(orders))
		skip = min(skip, end)
		return mockOrderList(mockChargeAt+3600, orders[skip:end]...)(req)
	}
}

func emptyOrders(n int) []string {
	orders := make([]string, n)
	for i := range orders {
		orders[i] = mockOrderOf(fmt.Sprintf("order_Empty%08d", i), mockChargeAt-int64(i), `{"`+ChargeNoteKey+`":"released"}`)
	}
	return orders
}

// TestChargeReadsEveryPage: a receipt with 250 orders is read in three
// pages; the bill's payment on the oldest is found.
func TestChargeReadsEveryPage(t *testing.T) {
	t.Parallel()
	orders := emptyOrders(250)
	orders[249] = mockOrderOf("order_Oldest000001", mockChargeAt-9000, "", mockPaymentOf(mockChargePayment, "order_Oldest000001", PaymentStatusCaptured))
	mt := newMockRT().on(mockRouteList, receiptPages(orders))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assert.Equal(t, 3, mt.count(mockRouteList))
	assert.Contains(t, mt.Calls()[2].RawQuery, "skip=200")
}

// TestChargeStopsReadingAtTheBillsPayment: pages after the one that shows
// the bill's payment are not read.
func TestChargeStopsReadingAtTheBillsPayment(t *testing.T) {
	t.Parallel()
	orders := emptyOrders(250)
	orders[3] = mockOrderOf("order_Paid00000001", mockChargeAt, "", mockPaymentOf(mockChargePayment, "order_Paid00000001", PaymentStatusCaptured))
	mt := newMockRT().on(mockRouteList, receiptPages(orders))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
	assert.Equal(t, 1, mt.count(mockRouteList))
}

// TestChargeReceiptPastTheReadCap: more orders than MaxReceiptOrders is
// ErrReceiptUnreadable at once, terminal, with nothing created.
func TestChargeReceiptPastTheReadCap(t *testing.T) {
	t.Parallel()
	mt := newMockRT().on(mockRouteList, receiptPages(emptyOrders(MaxReceiptOrders+1)))
	c := mockClient(t, mt)
	p, err := c.Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrReceiptUnreadable)
	assert.Equal(t, OutcomeUnreadable, OutcomeOf(p, err))
	assert.ErrorContains(t, err, "more than 2000 orders")
	assert.Equal(t, maxReceiptPages, mt.count(mockRouteList))
	assert.Zero(t, mt.count(mockRouteCreate))

	_, err = c.Payment.LookupCharge(mockCtx(t), &ChargeParams{Receipt: mockChargeReceipt})
	assert.ErrorIs(t, err, ErrReceiptUnreadable)
}

// TestChargeReadsShiftedPagesOnce: an order created while the pages are
// read shifts them back by one; the order seen twice counts once.
func TestChargeReadsShiftedPagesOnce(t *testing.T) {
	t.Parallel()
	orders := emptyOrders(150)
	shifted := append([]string{mockOrderOf("order_Newcomer0001", mockChargeAt+3600, `{"`+ChargeNoteKey+`":"released"}`)}, orders...)
	mt := newMockRT().on(mockRouteList, receiptPages(orders), receiptPages(shifted))
	c := mockClient(t, mt)
	b := newBill(mockCtx(t), c.Payment, mockChargeParams())
	v, err := b.read(mockCtx(t))
	require.NoError(t, err)
	// The newcomer came after the first page was read, as the list began;
	// the second page starts again with the first page's last order.
	assert.Equal(t, 150, len(v.orders))
	seen := map[string]bool{}
	for _, o := range v.orders {
		assert.False(t, seen[o.ID], "%s twice", o.ID)
		seen[o.ID] = true
	}
}

// TestChargeFetchesPaymentsTheListDidNotExpand: an order listed without
// its payments has them read.
func TestChargeFetchesPaymentsTheListDidNotExpand(t *testing.T) {
	t.Parallel()
	bare := `{"id":"` + mockChargeOther + `","entity":"order","amount":49900,"currency":"INR","receipt":"` + mockChargeReceipt + `","notes":[],"created_at":1}`
	mt := newMockRT().on(mockRouteList, mockOrderList(mockChargeAt, bare)).
		on("GET /v1/orders/"+mockChargeOther+"/payments", mockOrderList(0, mockPaymentOf(mockChargePayment, mockChargeOther, PaymentStatusCaptured)))
	p, err := mockClient(t, mt).Payment.Charge(mockCtx(t), mockChargeParams())
	require.NoError(t, err)
	assert.Equal(t, mockChargePayment, p.ID)
}

// TestChargeListFailure: a list that fails leaves nothing in flight: unknown
// with no RetryAfter; after the ticket, the ticket is released.
func TestChargeListFailure(t *testing.T) {
	t.Parallel()
	mt := mockNewBill().on(mockRouteList, mockJSON(500, mockServerErr))
	_, err := mockClient(t, mt, WithMaxRetries(0)).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mockChargeError(t, err).RetryAfter)
	assert.Zero(t, mt.count(mockRouteCreate))

	mt = mockNewBill().on(mockRouteList, mockOrderList(mockChargeAt), mockJSON(500, mockServerErr))
	_, err = mockClient(t, mt, WithMaxRetries(0)).Payment.Charge(mockCtx(t), mockChargeParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Zero(t, mockChargeError(t, err).RetryAfter)
	assertReleased(t, mt)
	assert.Zero(t, mt.count(mockRouteRecurring))
}

// TestChargeClock: the ticket's created_at plus the local time since it was
// known to exist is never ahead of Razorpay's clock; without it, the clock
// is unknown.
func TestChargeClock(t *testing.T) {
	t.Parallel()
	b := &bill{own: &Order{CreatedAt: 1000}, ackAt: time.Now()}
	assert.Equal(t, int64(1000), b.clockAt(b.ackAt.Add(-5*time.Second)), "a list sent before the ticket was known")
	assert.Equal(t, int64(1002), b.clockAt(b.ackAt.Add(2900*time.Millisecond)), "whole seconds, rounded down")
	b.own.CreatedAt = 0
	assert.Zero(t, b.clockAt(time.Now()))

	v := &view{at: 1000}
	assert.True(t, v.young(&Order{CreatedAt: 101}, 900*time.Second))
	assert.False(t, v.young(&Order{CreatedAt: 100}, 900*time.Second), "exactly the window old")
	assert.True(t, (&view{}).young(&Order{CreatedAt: 1}, time.Second), "no clock: young")
}
