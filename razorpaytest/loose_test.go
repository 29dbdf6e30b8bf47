package razorpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay/razorpaytest"
)

func TestLooseJSON(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, razorpaytest.WithLooseJSON())
	var rawTokens struct {
		Items []map[string]any `json:"items"`
	}
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/customers/"+f.cust.ID+"/tokens", nil, &rawTokens))
	require.Len(t, rawTokens.Items, 1)
	card := rawTokens.Items[0]["card"].(map[string]any)
	assert.Equal(t, float64(1111), card["last4"])
	assert.Equal(t, "12", card["expiry_month"])
	assert.Equal(t, float64(0), card["international"])
	assert.Nil(t, card["emi"])

	// The SDK decodes all of it into its documented types.
	tokens, err := f.c.Token.List(ctx, f.cust.ID)
	require.NoError(t, err)
	require.Len(t, tokens.Items, 1)
	assert.Equal(t, "1111", tokens.Items[0].Card.Last4)
	assert.Equal(t, 12, tokens.Items[0].Card.ExpiryMonth)
	cust, err := f.c.Customer.Fetch(ctx, f.cust.ID)
	require.NoError(t, err)
	assert.Equal(t, "919876543210", cust.Contact)
}
