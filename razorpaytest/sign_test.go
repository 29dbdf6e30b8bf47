package razorpaytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestSignHelpers(t *testing.T) {
	t.Parallel()
	// The vector of Razorpay's Python SDK tests.
	assert.Equal(t, "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89",
		razorpaytest.SignPayment("fake_order_id", "fake_payment_id", "key_secret"))
	require.NoError(t, razorpay.VerifyPaymentSignature("order_1", "pay_1", razorpaytest.SignPayment("order_1", "pay_1", "k"), "k"))

	body := []byte(`{"entity":"event","event":"payment.captured","contains":["payment"],"payload":{},"created_at":1}`)
	sig := razorpaytest.SignWebhook(body, "whsec")
	require.NoError(t, razorpay.VerifyWebhookSignature(body, sig, "whsec"))
	ev, err := razorpay.ParseWebhook(body, sig, "whsec")
	require.NoError(t, err)
	assert.Equal(t, razorpay.EventPaymentCaptured, ev.Event)
	require.ErrorIs(t, razorpay.VerifyWebhookSignature(body, sig, "other"), razorpay.ErrSignatureMismatch)
}
