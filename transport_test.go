package razorpay

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The transport's rules: the base URLs it accepts, and redirects, which are
// never followed, so that credentials never leave the base URL's origin.

// redirectTarget is an HTTP server that must never be reached: the kit's
// transport behind a real server, recording every request (with its
// Authorization header) and answering a plausible success.
type redirectTarget struct {
	*mockRT
	srv *httptest.Server
}

func newRedirectTarget(t *testing.T) *redirectTarget {
	t.Helper()
	r := &redirectTarget{mockRT: mockScript(mockJSON(200, mockOrderJSON))}
	r.srv = httptest.NewServer(r.mockRT)
	t.Cleanup(r.srv.Close)
	return r
}

// redirector answers every request with status and a Location on to.
func redirector(status int, to string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, to+r.URL.Path, status)
	})
}

// TestRedirectHTTPSToHTTPNotFollowed: a 302 from an https base URL to
// http:// on the same host is not followed, so Authorization never goes out
// in clear text; with a caller's http.Client too, which is not changed.
func TestRedirectHTTPSToHTTPNotFollowed(t *testing.T) {
	t.Parallel()
	plain := newRedirectTarget(t) // http://127.0.0.1:<port>
	tlsSrv := httptest.NewTLSServer(redirector(http.StatusFound, plain.srv.URL))
	t.Cleanup(tlsSrv.Close)
	hc := tlsSrv.Client()

	c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(hc), WithBaseURL(tlsSrv.URL), WithRetryBackoff(0, 0))
	require.NoError(t, c.Err())
	p, err := c.Payment.Fetch(mockCtx(t, 10*time.Second), "pay_RT000000000001")
	assert.Nil(t, p)

	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.HTTPStatusCode)
	assert.Contains(t, apiErr.Description, "redirect to "+plain.srv.URL+" not followed")
	assert.False(t, errors.Is(err, ErrOutcomeUnknown), "a GET is repeatable: %v", err)
	assert.Empty(t, plain.Calls(), "nothing reached the redirect's target")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
}

// TestRedirect307POSTToAnotherPortNotFollowed: a 307 to another port is not
// followed, so the POST and its credentials stay with the base URL; with
// the SDK's own client.
func TestRedirect307POSTToAnotherPortNotFollowed(t *testing.T) {
	t.Parallel()
	other := newRedirectTarget(t)
	base := httptest.NewServer(redirector(http.StatusTemporaryRedirect, other.srv.URL))
	t.Cleanup(base.Close)

	c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(base.URL), WithRetryBackoff(0, 0))
	require.NoError(t, c.Err())
	t.Cleanup(c.CloseIdleConnections)
	o, err := c.Order.Create(mockCtx(t, 10*time.Second), &OrderCreateParams{Amount: 5000, Currency: "INR"})
	assert.Nil(t, o)

	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTemporaryRedirect, apiErr.HTTPStatusCode)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "whatever answered the POST may have acted on it")
	assert.Empty(t, other.Calls(), "the POST and its credentials did not leave the base URL's origin")
}

// TestRedirect302AnsweringPOSTIsNotASuccess: a 3xx answering a POST is an
// error with an unknown outcome, never a success with the other server's
// body.
func TestRedirect302AnsweringPOSTIsNotASuccess(t *testing.T) {
	t.Parallel()
	other := newRedirectTarget(t)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusPermanentRedirect} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			base := httptest.NewServer(redirector(status, other.srv.URL))
			t.Cleanup(base.Close)
			c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(base.URL), WithRetryBackoff(0, 0))
			t.Cleanup(c.CloseIdleConnections)

			o, err := c.Order.Create(mockCtx(t, 10*time.Second), &OrderCreateParams{Amount: 5000, Currency: "INR"})
			assert.Nil(t, o)
			require.Error(t, err, "never a success")
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.HTTPStatusCode)
		})
	}
	assert.Empty(t, other.Calls())
}

func TestBaseURLLoopbackHTTP(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1234/prefix", "http://[::1]:99", "https://api.test"} {
		assert.NoError(t, NewClient(mockKeyID, mockKeySecret, WithBaseURL(u)).Err(), u)
	}
}
