package razorpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestFaultStatusRetriedForGET(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/v1/customers/" + f.cust.ID
	f.srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: path, Status: 503,
		Body: razorpaytest.ErrorBody("SERVER_ERROR", "We are facing some trouble completing your request at the moment. Please try again shortly.")})
	f.srv.ResetRequests()

	got, err := f.c.Customer.Fetch(context.Background(), f.cust.ID)
	require.NoError(t, err)
	assert.Equal(t, f.cust.ID, got.ID)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 2, "one 503, then the retry")
	assert.Equal(t, path, reqs[1].Path)

	// Without retries, the client sees the injected error as an *Error.
	noRetry := f.srv.Client(razorpay.WithMaxRetries(0))
	f.srv.InjectFault(razorpaytest.Fault{Path: path, Status: 502, Body: "<html><title>502 Bad Gateway</title></html>", ContentType: "text/html"})
	_, err = noRetry.Customer.Fetch(context.Background(), f.cust.ID)
	var apiErr *razorpay.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.HTTPStatusCode)
	assert.Contains(t, apiErr.Description, "502 Bad Gateway")
	require.ErrorIs(t, err, razorpay.ErrServer)
}

func TestFaultStatusForPOST(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)

	// A 500 to a POST: the SDK cannot know and does not retry.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Status: 500, Body: razorpaytest.ErrorBody("SERVER_ERROR", "boom")})
	_, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	require.ErrorIs(t, err, razorpay.ErrServer)
	assert.Len(t, srv.Requests(), 1)
	assert.Empty(t, srv.Customers(), "the fault answered without processing")

	// A 429 is refused before processing: retried for every method.
	srv.ResetRequests()
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Status: 429, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})
	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2)
	assert.Len(t, srv.Customers(), 1)
	assert.Equal(t, cust.ID, srv.Customers()[0].ID)
}

func TestFaultRetryAfter(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	c := srv.Client(razorpay.WithRetryBackoff(time.Millisecond, 5*time.Second))
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers", Status: 429, RetryAfter: "1",
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})

	_, err := c.Customer.List(context.Background(), nil)
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	gap := reqs[1].At.Sub(reqs[0].At)
	assert.GreaterOrEqual(t, gap, 900*time.Millisecond, "Retry-After: 1 was honoured")
	assert.Less(t, gap, 3*time.Second)
}

func TestFaultDelayTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	c := f.srv.Client(razorpay.WithTimeout(100*time.Millisecond), razorpay.WithRetryBackoff(time.Millisecond, 10*time.Millisecond))

	// A GET that times out is retried, and the retry succeeds.
	f.srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/orders/*", Delay: 300 * time.Millisecond})
	got, err := c.Order.Fetch(ctx, f.authOrder.ID)
	require.NoError(t, err)
	assert.Equal(t, f.authOrder.ID, got.ID)

	// A POST that times out is not retried: its outcome is unknown...
	before := len(f.srv.Orders())
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Delay: 300 * time.Millisecond})
	_, err = c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR", Receipt: "slow"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// ...and indeed the server carries it out after the delay.
	require.Eventually(t, func() bool { return len(f.srv.Orders()) == before+1 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, "slow", f.srv.Orders()[before].Receipt)
}

func TestFaultDropBeforeProcessing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)

	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/customers", Drop: razorpaytest.DropBeforeProcessing})
	_, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	assert.Empty(t, srv.Customers(), "nothing was processed")

	cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Gaurav Kumar"})
	require.NoError(t, err)

	// A dropped GET is retried.
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers/" + cust.ID, Drop: razorpaytest.DropBeforeProcessing})
	got, err := c.Customer.Fetch(ctx, cust.ID)
	require.NoError(t, err)
	assert.Equal(t, cust.ID, got.ID)
}

func TestFaultDropAfterProcessing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)

	before := len(f.srv.Orders())
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/orders", Drop: razorpaytest.DropAfterProcessing})
	_, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 1000, Currency: "INR", Receipt: "lost-answer"})
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	orders := f.srv.Orders()
	require.Len(t, orders, before+1, "the order was created")
	assert.Equal(t, "lost-answer", orders[before].Receipt)

	// The answer to a charge is lost: reconcile through the order.
	charge := f.chargeOrder(t, 1000)
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing})
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(charge.ID, 1000))
	require.ErrorIs(t, err, razorpay.ErrOutcomeUnknown)
	payments, err := f.c.Order.Payments(ctx, charge.ID)
	require.NoError(t, err)
	require.Len(t, payments.Items, 1)
	assert.Equal(t, razorpay.PaymentStatusCaptured, payments.Items[0].Status)

	// Payment.Charge reconciles by itself and charges once.
	f.srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Drop: razorpaytest.DropAfterProcessing})
	p, err := f.c.Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: f.cust.ID, TokenID: f.tokenID, Amount: 2000, Currency: "INR",
		Email: "gaurav.kumar@example.com", Contact: "+919876543210", Receipt: "sub_1-2026-12",
	})
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)
	assert.Len(t, f.srv.OrderPayments(p.OrderID), 1)
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newFake(t)
	c := srv.Client(razorpay.WithMaxRetries(0))

	// Times: the fault applies to the next two matching requests only.
	srv.InjectFault(razorpaytest.Fault{Method: "GET", Path: "/v1/customers", Times: 2, Status: 503})
	for i := 0; i < 2; i++ {
		_, err := c.Customer.List(ctx, nil)
		require.ErrorIs(t, err, razorpay.ErrServer)
	}
	_, err := c.Customer.List(ctx, nil)
	require.NoError(t, err)

	// Method and path must match; faults apply in order.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/invoices*", Status: 500})
	srv.InjectFault(razorpaytest.Fault{Path: "/v1/invoices*", Status: 418})
	_, err = c.Invoice.List(ctx, nil)
	var apiErr *razorpay.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 418, apiErr.HTTPStatusCode, "the POST fault does not match a GET")
	err = c.Invoice.NotifyBy(ctx, "inv_00000000000000", razorpay.NotifyMediumSMS)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.HTTPStatusCode)
	_, err = c.Invoice.List(ctx, nil)
	require.NoError(t, err)

	// Negative Times: every matching request until ClearFaults.
	srv.InjectFault(razorpaytest.Fault{Path: "/v1/orders*", Times: -1, Status: 503})
	for i := 0; i < 3; i++ {
		_, err = c.Order.Fetch(ctx, "order_00000000000000")
		require.ErrorIs(t, err, razorpay.ErrServer)
	}
	srv.ClearFaults()
	_, err = c.Order.Fetch(ctx, "order_00000000000000")
	require.ErrorIs(t, err, razorpay.ErrBadRequest)

	// An empty body is sent as is.
	srv.InjectFault(razorpaytest.Fault{Status: 500})
	_, err = c.Customer.List(ctx, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "empty response body", apiErr.Description)
}
