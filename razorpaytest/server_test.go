package razorpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/internal/testkit"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newFake(t)

	wrongSecret := razorpay.NewClient(razorpaytest.KeyID, "not-the-secret", razorpay.WithBaseURL(srv.URL))
	_, err := wrongSecret.Customer.List(ctx, nil)
	requireAPIError(t, err, 401, "Authentication failed", "")
	require.ErrorIs(t, err, razorpay.ErrAuthentication)

	wrongKey := razorpay.NewClient("rzp_test_00000000000000", razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
	_, err = wrongKey.Customer.List(ctx, nil)
	requireAPIError(t, err, 401, "The api key provided is invalid", "")

	status, body := raw(t, srv, "GET", "/v1/customers", "", false)
	assert.Equal(t, 401, status)
	assert.Equal(t, "BAD_REQUEST_ERROR", errorField(body, "code"))
	assert.Equal(t, "The api key provided is invalid", errorField(body, "description"))

	// The scheme must be exactly "Basic".
	req, err := http.NewRequest("GET", srv.URL+"/v1/customers", nil)
	require.NoError(t, err)
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "Basic", "basic", 1))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
}

func TestRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)
	cust := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	_, err := c.Customer.List(ctx, &razorpay.ListParams{Count: 5, Skip: 1})
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/v1/customers", reqs[0].Path)
	assert.Equal(t, "[REDACTED]", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.JSONEq(t, `{"name":"Gaurav Kumar","email":"gaurav.kumar@example.com","contact":"+919876543210"}`, string(reqs[0].Body))
	assert.False(t, reqs[0].At.IsZero())
	assert.Equal(t, "GET", reqs[1].Method)
	assert.Equal(t, "count=5&skip=1", reqs[1].RawQuery)
	assert.Empty(t, reqs[1].Body)

	// The log is a copy.
	reqs[0].Header.Set("Authorization", "changed")
	assert.Equal(t, "[REDACTED]", srv.Requests()[0].Header.Get("Authorization"))

	// Escaped ids are logged escaped (the typed methods refuse such ids:
	// Do sends them).
	err = c.Do(ctx, "GET", "/v1/customers/a%2Fb", nil, nil)
	require.Error(t, err)
	assert.Equal(t, "/v1/customers/a%2Fb", srv.Requests()[2].Path)

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	_, err = c.Customer.Fetch(ctx, cust.ID)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1)

	limited, lc := newFake(t, razorpaytest.WithRequestLogLimit(3))
	for i := 0; i < 10; i++ {
		_, err := lc.Customer.List(ctx, &razorpay.ListParams{Skip: i})
		require.NoError(t, err)
	}
	last := limited.Requests()
	require.GreaterOrEqual(t, len(last), 3)
	assert.Equal(t, "skip=9", last[len(last)-1].RawQuery)
}

func TestConnections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)
	for i := 0; i < 20; i++ {
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Connections(), "sequential calls reuse one connection")

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				_, err := c.Customer.List(ctx, nil)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	// 80 concurrent calls share a few pooled connections (the transport may
	// dial one more than it uses when a connection frees up meanwhile).
	assert.LessOrEqual(t, srv.Connections(), 20, "the pool is shared")

	noKeepAlive := srv.Client(razorpay.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	before := srv.Connections()
	for i := 0; i < 5; i++ {
		_, err := noKeepAlive.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, before+5, srv.Connections())
}

func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := newFake(t)
	const workers, rounds = 12, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := srv.Client()
			for i := 0; i < rounds; i++ {
				cust, err := c.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Load Tester"})
				if !assert.NoError(t, err) {
					return
				}
				o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", CustomerID: cust.ID, Method: "card",
					Token: &razorpay.OrderTokenParams{MaxAmount: 10000, Frequency: razorpay.FrequencyAsPresented}})
				if !assert.NoError(t, err) {
					return
				}
				p, err := srv.CompleteAuthorization(o.ID)
				if !assert.NoError(t, err) {
					return
				}
				charge, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR", PaymentCapture: razorpay.Ptr(true)})
				if !assert.NoError(t, err) {
					return
				}
				_, err = c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{Email: "load@example.com", Contact: "+919876543210",
					Amount: 5000, Currency: "INR", OrderID: charge.ID, CustomerID: cust.ID, TokenID: p.TokenID})
				assert.NoError(t, err)
				_, err = c.Token.List(ctx, cust.ID)
				assert.NoError(t, err)
				_, err = c.Customer.List(ctx, &razorpay.ListParams{Count: 5})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, srv.Payments(), 2*workers*rounds)
	assert.Len(t, srv.Customers(), workers*rounds)
}

func TestClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	f := newFixture(t, razorpaytest.WithClock(func() time.Time { return at }))
	assert.Equal(t, at.Unix(), f.cust.CreatedAt)
	assert.Equal(t, at.Unix(), f.authOrder.CreatedAt)
	assert.Equal(t, at.Unix(), f.authPay.CreatedAt)
	tokens, err := f.c.Token.List(context.Background(), f.cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	assert.Equal(t, at.Unix(), tokens.Items[0].CreatedAt)
	assert.Equal(t, 2031, tokens.Items[0].Card.ExpiryYear)
	assert.Equal(t, time.Date(2031, 12, 31, 23, 59, 59, 0, time.UTC).Unix(), tokens.Items[0].ExpiredAt,
		"without expire_at the mandate lasts until the card expires")
}

func TestNewServerAtAndHandler(t *testing.T) {
	t.Parallel()
	srv, err := razorpaytest.NewServerAt("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	_, err = srv.Client().Customer.List(context.Background(), nil)
	require.NoError(t, err)

	_, err = razorpaytest.NewServerAt("not an address")
	require.Error(t, err)

	// The handler mounted elsewhere serves the same state.
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	cust := createCustomer(t, razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(ts.URL)), "Gaurav Kumar", "", "")
	got, err := srv.Client().Customer.Fetch(context.Background(), cust.ID)
	require.NoError(t, err)
	assert.Equal(t, cust.ID, got.ID)
}

func TestSeed(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	run := func(seed uint64) ([]razorpay.Payment, []razorpaytest.WebhookDelivery) {
		sink := newWebhookSink(t, "s")
		f := newFixture(t, razorpaytest.WithSeed(seed), razorpaytest.WithClock(func() time.Time { return at }), razorpaytest.WithWebhook(sink.url, "s"))
		o := f.chargeOrder(t, 1000)
		_, err := f.c.Payment.CreateRecurring(context.Background(), f.recurring(o.ID, 1000))
		require.NoError(t, err)
		waitWebhooks(t, f.srv)
		return f.srv.Payments(), f.srv.Webhooks()
	}
	p1, w1 := run(7)
	p2, w2 := run(7)
	p3, _ := run(8)
	assert.Equal(t, p1, p2)
	assert.NotEqual(t, p1[0].ID, p3[0].ID)
	require.Equal(t, len(w1), len(w2))
	for i := range w1 {
		assert.Equal(t, w1[i].EventID, w2[i].EventID)
		assert.Equal(t, string(w1[i].Body), string(w2[i].Body))
	}
}

// TestManyFakeClientsShareOneTransport: 200 short-lived clients of one
// server (srv.Client()) share its one transport: at most two connections
// and a handful of goroutines, all released by srv.Close().
//
// Not parallel: it counts the goroutines of the whole test binary.
func TestManyFakeClientsShareOneTransport(t *testing.T) {
	const clients = 200
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	before := runtime.NumGoroutine()
	ctx := testkit.Context(t)

	for range clients {
		c := srv.Client()
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
	}
	during := runtime.NumGoroutine() - before
	conns := srv.Connections()
	t.Logf("after %d clients of srv.Client(): %d connections accepted, %d goroutines more than before", clients, conns, during)
	assert.LessOrEqual(t, conns, 2, "one pooled connection serves every client")
	assert.Less(t, during, 10)

	srv.Close()
	after := testkit.SettleGoroutines(before, 5*time.Second)
	t.Logf("after srv.Close(): %d goroutines (%d before the clients)", after, before)
	assert.LessOrEqual(t, after, before, "Close released the shared pool")
}

func TestClockMovesTheServersTime(t *testing.T) {
	t.Parallel()
	var clk razorpaytest.Clock
	_, c := newFake(t, razorpaytest.WithClock(clk.Now))
	before := createCustomer(t, c, "Asha Rao", "a@example.com", "+919000000001").CreatedAt
	clk.Advance(time.Hour)
	after := createCustomer(t, c, "Bala Iyer", "b@example.com", "+919000000002").CreatedAt
	assert.InDelta(t, before+3600, after, 2, "an hour later on the server's clock")
	assert.WithinDuration(t, time.Now().Add(time.Hour), clk.Now(), 2*time.Second)
}
