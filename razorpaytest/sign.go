package razorpaytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// The signatures Razorpay computes, for test payloads: the webhook signature
// the server also puts on its deliveries, and the payment signature of the
// answers of recurring payments.

// SignWebhook returns the X-Razorpay-Signature of a webhook body: hex
// HMAC-SHA256 of the raw body with the webhook secret.
func SignWebhook(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignPayment returns the razorpay_signature of a payment: hex HMAC-SHA256
// of orderID + "|" + paymentID with the key secret.
func SignPayment(orderID, paymentID, keySecret string) string {
	mac := hmac.New(sha256.New, []byte(keySecret))
	mac.Write([]byte(orderID + "|" + paymentID))
	return hex.EncodeToString(mac.Sum(nil))
}
