package razorpay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body at the response cap with a type quirk decodes in one pass (issue
// 14: the reflective slow path allocated about 32 times the body). The
// decoder allocates the body's values once: at most 1.1 times the body. The
// whole Payment.Fetch allocates 5 times the body today, 4 of them the
// response buffer growing by doubling in Client.attempt; sized from
// Content-Length it would be 2 times. Not parallel: it reads the
// process-wide allocation counters, which parallel tests would disturb (they
// wait until the sequential tests are done).
func TestLargeQuirkyBodyMemory(t *testing.T) {
	const quirk = `","contact":9876543210}`
	head := `{"id":"pay_Ng7qXw2Lk9BfRt","entity":"payment","amount":"149900","description":"`
	body := head + strings.Repeat("x", maxResponseBytes-len(head)-len(quirk)) + quirk
	require.Len(t, body, maxResponseBytes)
	raw := []byte(body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	c := NewClient("rzp_test_1DP5mmOlF5G5ag", "thisisnotarealsecret0000", WithBaseURL(srv.URL))
	require.NoError(t, c.Err())
	ctx := context.Background()
	_, err := c.Payment.Fetch(ctx, "pay_Ng7qXw2Lk9BfRt") // warm the connection
	require.NoError(t, err)

	// The least of a few runs: the counters are process-wide, and goroutines
	// of earlier tests may still be winding down.
	allocated := func(f func()) float64 {
		least := uint64(1<<63 - 1)
		for range 5 {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f()
			runtime.ReadMemStats(&after)
			least = min(least, after.TotalAlloc-before.TotalAlloc)
		}
		return float64(least) / float64(len(body))
	}
	fetch := allocated(func() {
		p, err := c.Payment.Fetch(ctx, "pay_Ng7qXw2Lk9BfRt")
		require.NoError(t, err)
		assert.Equal(t, "9876543210", p.Contact)
		assert.Equal(t, int64(149900), p.Amount)
		assert.Equal(t, maxResponseBytes-len(head)-len(quirk), len(p.Description))
	})
	decoded := allocated(func() {
		var out Payment
		require.NoError(t, decodeJSON(raw, &out))
	})
	t.Logf("a %d-byte quirky payment: Payment.Fetch allocated %.2f× the body, its decoding %.2f×", len(body), fetch, decoded)
	assert.LessOrEqual(t, decoded, 1.1)
	if !raceEnabled { // the race detector's byte slices grow more wastefully (9×)
		assert.LessOrEqual(t, fetch, 5.5)
	}
}
