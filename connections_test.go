package razorpay_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// connGoroutinesSettle waits until the number of goroutines is at most
// limit, and returns the last count.
func connGoroutinesSettle(limit int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= limit || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestManyFakeClientsShareOneTransport: 200 short-lived clients of one
// razorpaytest server left 600 goroutines and 200 idle connections for up to
// 90 s, each client with a pool of its own. srv.Client() now shares one
// transport per server, closed with the server.
//
// Not parallel: it counts the goroutines of the whole test binary.
func TestManyFakeClientsShareOneTransport(t *testing.T) {
	const clients = 200
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	before := runtime.NumGoroutine()
	ctx := mockCtx(t)

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
	after := connGoroutinesSettle(before, 5*time.Second)
	t.Logf("after srv.Close(): %d goroutines (%d before the clients)", after, before)
	assert.LessOrEqual(t, after, before, "Close released the shared pool")
}

// TestManyClientsCloseIdleConnections: clients built with NewClient own a
// pool each; CloseIdleConnections releases it.
//
// Not parallel: it counts the goroutines of the whole test binary.
func TestManyClientsCloseIdleConnections(t *testing.T) {
	const clients = 200
	srv := razorpaytest.NewServer()
	require.NoError(t, srv.Err())
	defer srv.Close()
	before := runtime.NumGoroutine()
	ctx := mockCtx(t)

	open := make([]*razorpay.Client, 0, clients)
	for range clients {
		c := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
		_, err := c.Customer.List(ctx, nil)
		require.NoError(t, err)
		open = append(open, c)
	}
	during := runtime.NumGoroutine() - before
	t.Logf("after %d clients of NewClient: %d connections accepted, %d goroutines more than before", clients, srv.Connections(), during)

	for _, c := range open {
		c.CloseIdleConnections()
	}
	after := connGoroutinesSettle(before, 5*time.Second)
	t.Logf("after CloseIdleConnections on each: %d goroutines (%d before the clients)", after, before)
	assert.LessOrEqual(t, after, before)
}
