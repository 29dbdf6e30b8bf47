package razorpaytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestDialRefusesWhatIsNotAFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Razorpay answers an unknown path with 404 (or 401 without keys).
	for _, status := range []int{http.StatusNotFound, http.StatusUnauthorized, http.StatusOK} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"error":{"code":"BAD_REQUEST_ERROR","description":"The requested URL was not found on the server."}}`)
		}))
		_, err := razorpaytest.Dial(ctx, api.URL)
		api.Close()
		require.ErrorIs(t, err, razorpaytest.ErrNotFake, "status %d", status)
		assert.Contains(t, err.Error(), fmt.Sprintf("answered %d", status))
	}

	// Nothing listens: the connection's error, not ErrNotFake.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err := razorpaytest.Dial(ctx, closed.URL)
	require.Error(t, err)
	assert.NotErrorIs(t, err, razorpaytest.ErrNotFake)
	assert.Contains(t, err.Error(), "no answer from "+closed.URL)

	_, err = razorpaytest.Dial(ctx, "localhost:8080")
	assert.ErrorContains(t, err, "not an http or https base URL")
}

// The control API's errors keep the sentinels of the methods.
func TestRemoteErrorsMatchSentinels(t *testing.T) {
	t.Parallel()
	_, rem, _ := dial(t)
	ctx := context.Background()
	err := rem.SetMandateStatus(ctx, "token_Nope", razorpay.TokenRecurringStatusCancelled)
	require.ErrorIs(t, err, razorpaytest.ErrUnknownID)
	assert.False(t, errors.Is(err, razorpaytest.ErrInvalidState))
	assert.Equal(t, `razorpaytest: no such entity: token "token_Nope"`, err.Error())
}
