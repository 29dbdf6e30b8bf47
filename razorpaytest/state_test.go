package razorpaytest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
)

func TestListPaging(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)
	var ids []string
	for i := 0; i < 25; i++ {
		cust := createCustomer(t, c, fmt.Sprintf("Customer %02d", i), fmt.Sprintf("c%d@example.com", i), "+91987654321"+fmt.Sprint(i%10))
		ids = append(ids, cust.ID)
	}
	newestFirst := make([]string, len(ids))
	for i, id := range ids {
		newestFirst[len(ids)-1-i] = id
	}

	def, err := c.Customer.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "collection", def.Entity)
	assert.Equal(t, 10, def.Count)
	require.Len(t, def.Items, 10)
	assert.Equal(t, newestFirst[0], def.Items[0].ID)

	var got []string
	for skip := 0; skip < 30; skip += 10 {
		page, err := c.Customer.List(ctx, &razorpay.ListParams{Count: 10, Skip: skip})
		require.NoError(t, err)
		assert.Equal(t, len(page.Items), page.Count)
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
	}
	assert.Equal(t, newestFirst, got)

	var all []string
	for cust, err := range c.Customer.All(ctx, &razorpay.ListParams{Count: 7}) {
		require.NoError(t, err)
		all = append(all, cust.ID)
	}
	assert.Equal(t, newestFirst, all)

	created := srv.Customers()[0].CreatedAt
	inRange, err := c.Customer.List(ctx, &razorpay.ListParams{From: created, To: created + 3600, Count: 100})
	require.NoError(t, err)
	assert.Len(t, inRange.Items, 25)
	none, err := c.Customer.List(ctx, &razorpay.ListParams{From: created + 3600})
	require.NoError(t, err)
	assert.Empty(t, none.Items)

	// The SDK refuses count > 100 itself, so ask without it.
	status, body := raw(t, srv, "GET", "/v1/customers?count=101", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "BAD_REQUEST_ERROR", errorField(body, "code"))
	assert.Equal(t, "The count may not be greater than 100.", errorField(body, "description"))
	assert.Equal(t, "count", errorField(body, "field"))
	status, body = raw(t, srv, "GET", "/v1/invoices?count=0", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "count", errorField(body, "field"))
	status, body = raw(t, srv, "GET", "/v1/orders?skip=x", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "skip", errorField(body, "field"))
}
