package razorpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay/razorpaytest"
)

// The test kit of the external package razorpay_test. It cannot use the
// internal kit of helpers_test.go (package razorpay), so it keeps the same
// names for the same jobs.

// mockCtx returns a context that ends with the test, or after within
// (default 30 s): the deadline of a call that must end well before it.
func mockCtx(t testing.TB, within ...time.Duration) context.Context {
	t.Helper()
	d := 30 * time.Second
	if len(within) > 0 {
		d = within[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// mockServer starts a razorpaytest fake with opts, closed with the test.
func mockServer(t testing.TB, opts ...razorpaytest.Option) *razorpaytest.Server {
	t.Helper()
	srv := razorpaytest.NewServer(opts...)
	require.NoError(t, srv.Err())
	t.Cleanup(srv.Close)
	return srv
}
