package razorpay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A payload name given twice keeps what its last entry says: a null entity
// leaves neither the typed entity nor the raw one of the earlier entry.
func TestParseWebhookRepeatedPayloadName(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entity":"event","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_A","entity":"payment"}},"payment":{"entity":null},"order":{"entity":{"id":"order_A","entity":"order"}}}}`)
	ev, err := ParseWebhook(body, whHMAC(whSecret, body), whSecret)
	require.NoError(t, err)
	assert.Nil(t, ev.Payment)
	assert.NotContains(t, ev.Payload, "payment")
	require.NotNil(t, ev.Order)
	assert.Equal(t, "order_A", ev.Order.ID)
}

// The event owns its raw payload: a caller reusing its read buffer after
// ParseWebhook does not change it.
func TestParseWebhookPayloadOwnsItsBytes(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_A","entity":"payment"}}}}`)
	ev, err := ParseWebhook(body, whHMAC(whSecret, body), whSecret)
	require.NoError(t, err)
	for i := range body {
		body[i] = ' '
	}
	var p map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload["payment"], &p))
	assert.Equal(t, "pay_A", p["id"])
}
