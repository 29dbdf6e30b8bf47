package razorpaytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMalformedJSON(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	for _, body := range []string{`{"name": "Gaurav"`, `["name"]`, `"name"`} {
		status, resp := raw(t, srv, "POST", "/v1/customers", body, true)
		assert.Equal(t, 400, status, body)
		assert.Equal(t, "BAD_REQUEST_ERROR", errorField(resp, "code"))
		assert.Contains(t, errorField(resp, "description"), "The request body is not valid JSON")
	}
	assert.Empty(t, srv.Customers())
	// The SDK surfaces it as an *Error too (a string amount is accepted, as
	// the live API does).
	status, resp := raw(t, srv, "POST", "/v1/orders", `{"amount": "100", "currency": "INR"}`, true)
	assert.Equal(t, 200, status)
	assert.Equal(t, float64(100), resp["amount"])
	status, resp = raw(t, srv, "POST", "/v1/orders", `{"amount": 100.5, "currency": "INR"}`, true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "The amount must be an integer.", errorField(resp, "description"))
}
