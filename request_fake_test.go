package razorpay_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The request pipeline (request.go) against the fake: the caller's context
// ending during a request or a backoff, and answers that cannot be decoded.

const (
	// ctxEndsAfter is when the context of a context test ends, long enough
	// for the first attempt to be answered on a loaded machine (a context
	// that ends before the answer arrives makes the SDK return the answer's
	// error); ctxPrompt is how soon the call must have returned.
	ctxEndsAfter = 300 * time.Millisecond
	ctxPrompt    = time.Second
)

// endingCtx returns a context that ends after ctxEndsAfter, by its
// deadline or by cancellation, and the error it ends with.
func endingCtx(t *testing.T, byDeadline bool) (context.Context, error) {
	t.Helper()
	if byDeadline {
		ctx, cancel := context.WithTimeout(context.Background(), ctxEndsAfter)
		t.Cleanup(cancel)
		return ctx, context.DeadlineExceeded
	}
	ctx, cancel := context.WithCancel(context.Background())
	stop := time.AfterFunc(ctxEndsAfter, cancel)
	t.Cleanup(func() { stop.Stop(); cancel() })
	return ctx, context.Canceled
}

// TestContextEndsARequestOrABackoff ends the caller's context while a request is
// waiting for its answer (a Delay fault) and while the SDK waits to retry
// (Retry-After: 30, with a backoff cap that allows it), for a read and a
// write: the call returns promptly with the context's error, after one
// request; the write whose request was sent also reports an unknown outcome.
func TestContextEndsARequestOrABackoff(t *testing.T) {
	t.Parallel()
	type call struct {
		name   string
		method string
		path   func(fx *mockSetup) string
		write  bool
		do     func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (any, error)
	}
	calls := []call{
		{"read", "GET", func(fx *mockSetup) string { return "/v1/payments/" + fx.authPaymentID }, false,
			func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (any, error) {
				return c.Payment.Fetch(ctx, fx.authPaymentID)
			}},
		{"write", "POST", mockPath("/v1/orders"), true,
			func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (any, error) {
				return c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4000, Currency: "INR", Receipt: "ctx-order"})
			}},
	}
	waits := []struct {
		name    string
		fault   razorpaytest.Fault
		backoff bool // the wait is a backoff, not a request
		writeOK bool // the case applies to a write
	}{
		{"during the request", razorpaytest.Fault{Delay: 10 * time.Second}, false, true},
		{"during a 429 Retry-After backoff", razorpaytest.Fault{Status: 429, RetryAfter: "30", Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")}, true, true},
		// A write is not retried after a 503: it fails at once.
		{"during a 503 Retry-After backoff", razorpaytest.Fault{Status: 503, RetryAfter: "30"}, true, false},
	}
	for _, cl := range calls {
		for _, w := range waits {
			if cl.write && !w.writeOK {
				continue
			}
			for _, byDeadline := range []bool{true, false} {
				end := "cancel"
				if byDeadline {
					end = "deadline"
				}
				t.Run(cl.name+"/"+end+" "+w.name, func(t *testing.T) {
					t.Parallel()
					srv := razorpaytest.NewTestServer(t)
					fx := newMockSetup(t, srv)
					fault := w.fault
					fault.Method, fault.Path, fault.Times = cl.method, cl.path(fx), -1
					srv.InjectFault(fault)
					c := srv.Client(razorpay.WithRetryBackoff(time.Minute, time.Minute), razorpay.WithTimeout(time.Minute))
					ctx, ctxErr := endingCtx(t, byDeadline)
					srv.ResetRequests()

					start := time.Now()
					v, err := cl.do(ctx, c, fx)
					elapsed := time.Since(start)

					require.Error(t, err)
					assert.Nil(t, v)
					assert.Less(t, elapsed, ctxPrompt, "returned promptly")
					assert.GreaterOrEqual(t, elapsed, ctxEndsAfter-10*time.Millisecond, "waited for the context")
					assert.ErrorIs(t, err, ctxErr)
					other := context.Canceled
					if ctxErr == context.Canceled {
						other = context.DeadlineExceeded
					}
					assert.NotErrorIs(t, err, other)
					// The request of a write was sent and may have been
					// carried out; a 429 was refused before that.
					assert.Equal(t, cl.write && !w.backoff, errors.Is(err, razorpay.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
					if w.backoff {
						assert.Contains(t, err.Error(), "gave up waiting to retry")
					}
					assert.Equal(t, 1, mockCount(srv.Requests(), cl.method, cl.path(fx)), "one attempt")
					assert.Len(t, srv.Requests(), 1)
				})
			}
		}
		t.Run(cl.name+"/context done before the call", func(t *testing.T) {
			t.Parallel()
			srv := razorpaytest.NewTestServer(t)
			fx := newMockSetup(t, srv)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			srv.ResetRequests()
			v, err := cl.do(ctx, srv.Client(), fx)
			assert.Nil(t, v)
			assert.ErrorIs(t, err, context.Canceled)
			assert.NotErrorIs(t, err, razorpay.ErrOutcomeUnknown, "nothing was sent")
			assert.Contains(t, err.Error(), "not sent")
			assert.Empty(t, srv.Requests())
		})
	}
}

// TestBadResponseBodies answers a read and writes with a 200 whose
// body is larger than the SDK's cap (8 MiB), truncated JSON, or an HTML
// page: each is a clear error and a nil result, never a panic or a partial
// value; the read is not retried, and the writes, whose request was carried
// out as far as the SDK knows, report an unknown outcome.
func TestBadResponseBodies(t *testing.T) {
	t.Parallel()
	const capBytes = 8 << 20
	huge := `{"id":"pay_Huge0000000001","entity":"payment","description":"` + strings.Repeat("a", capBytes) + `"}`
	const page = "<html><head><title>Maintenance</title></head><body>Back soon</body></html>\n"
	bodies := []struct {
		name, body, contentType, want string
	}{
		{"larger than the cap", huge, "application/json", "body larger than 8388608 bytes"},
		{"truncated JSON", `{"id":"pay_Trunc000000001","entity":"payment","amount":50`, "application/json", "decode 200 response"},
		{"HTML instead of JSON", page, "text/html; charset=utf-8",
			fmt.Sprintf(`unexpected content type "text/html; charset=utf-8" (non-JSON response body (text/html, %d bytes): Maintenance)`, len(page))},
	}
	calls := []struct {
		name, method string
		path         func(fx *mockSetup) string
		write        bool
		do           func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (any, error)
	}{
		{"read", "GET", func(fx *mockSetup) string { return "/v1/payments/" + fx.authPaymentID }, false,
			func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (any, error) {
				return c.Payment.Fetch(ctx, fx.authPaymentID)
			}},
		{"write", "POST", mockPath("/v1/orders"), true,
			func(ctx context.Context, c *razorpay.Client, _ *mockSetup) (any, error) {
				return c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 4000, Currency: "INR"})
			}},
		{"charge write", "POST", mockPath("/v1/payments/create/recurring"), true,
			func(ctx context.Context, c *razorpay.Client, fx *mockSetup) (any, error) {
				return c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
					Email: mockEmail, Contact: mockContact, Amount: 5000, Currency: "INR",
					OrderID: fx.chargeOrderID, CustomerID: fx.customerID, TokenID: fx.tokenID,
				})
			}},
	}
	for _, b := range bodies {
		for _, cl := range calls {
			t.Run(cl.name+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				srv := razorpaytest.NewTestServer(t)
				fx := newMockSetup(t, srv)
				srv.InjectFault(razorpaytest.Fault{Method: cl.method, Path: cl.path(fx), Times: -1, Status: 200, Body: b.body, ContentType: b.contentType})
				c := srv.Client(razorpay.WithRetryBackoff(0, time.Millisecond))
				srv.ResetRequests()

				v, err := cl.do(mockCtx(t, time.Minute), c, fx)

				require.Error(t, err)
				assert.Nil(t, v, "no partial value")
				assert.Contains(t, err.Error(), b.want)
				assert.Less(t, len(err.Error()), 400, "one short line: %.500s", err.Error())
				assert.Equal(t, cl.write, errors.Is(err, razorpay.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
				var apiErr *razorpay.Error
				assert.False(t, errors.As(err, &apiErr), "a 2xx is not an API error")
				assert.Equal(t, 1, mockCount(srv.Requests(), cl.method, cl.path(fx)), "not retried")
			})
		}
	}
}
