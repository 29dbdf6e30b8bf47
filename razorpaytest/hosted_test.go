package razorpaytest_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
)

func TestHostedPage(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	inv, err := c.RegistrationLink.Create(context.Background(), &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "Gold <plan>",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	resp, err := http.Get(inv.ShortURL)
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(page), "Gold &lt;plan&gt;")
	assert.Contains(t, string(page), "/authorize")

	resp, err = http.Post(inv.ShortURL+"/authorize", "", nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode) // after the redirect
	got, err := c.Invoice.Fetch(context.Background(), inv.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.InvoiceStatusPaid, got.Status)
}
