package razorpay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body at the response cap with a type quirk decodes in one pass (a
// second, reflective pass once made one Payment.Fetch allocate about 32
// times the body). The decoder allocates the body's values once: at most
// 1.1 times the body. The whole Payment.Fetch allocates 3 times the body
// when the response has a Content-Length (the decoded value, and the
// response buffer growing in Client.attempt), 5 times when it is chunked;
// sizing the buffer from Content-Length would make it 2.
//
// Not parallel: it reads the process-wide allocation counters, which
// parallel tests would disturb (they wait until the sequential tests are
// done).
func TestLargeQuirkyBodyMemory(t *testing.T) {
	const quirk = `","contact":9876543210}`
	head := `{"id":"pay_Ng7qXw2Lk9BfRt","entity":"payment","amount":"149900","description":"`
	body := head + strings.Repeat("x", maxResponseBytes-len(head)-len(quirk)) + quirk
	require.Len(t, body, maxResponseBytes)
	raw := []byte(body)

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

	decoded := allocated(func() {
		var out Payment
		require.NoError(t, decodeJSON(raw, &out))
		assert.Equal(t, "9876543210", out.Contact)
	})
	t.Logf("decoding a %d-byte quirky payment allocated %.2f× the body", len(body), decoded)
	assert.LessOrEqual(t, decoded, 1.1)

	for _, tt := range []struct {
		name          string
		contentLength bool
		max           float64
	}{
		{"with Content-Length", true, 4},
		{"chunked", false, 5.5},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if tt.contentLength {
				w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
			}
			_, _ = w.Write(raw)
		}))
		c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(srv.URL))
		require.NoError(t, c.Err())
		ctx := context.Background()
		fetch := allocated(func() {
			p, err := c.Payment.Fetch(ctx, "pay_Ng7qXw2Lk9BfRt")
			require.NoError(t, err)
			assert.Equal(t, "9876543210", p.Contact)
			assert.Equal(t, int64(149900), p.Amount)
			assert.Equal(t, maxResponseBytes-len(head)-len(quirk), len(p.Description))
		})
		srv.Close()
		t.Logf("Payment.Fetch of a %d-byte quirky payment, %s: %.2f× the body", len(body), tt.name, fetch)
		if !raceEnabled { // the race detector's byte slices grow more wastefully
			assert.LessOrEqual(t, fetch, tt.max, tt.name)
		}
	}
}
