package razorpay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Signature checks, in one place. Razorpay signs with hex HMAC-SHA256:
//
//   - a payment (Checkout's handler or callback, and a recurring charge's
//     answer): HMAC(key secret, order_id + "|" + payment_id);
//   - a webhook delivery: HMAC(webhook secret, raw request body).
//
// The hex signature is decoded and compared with hmac.Equal, in constant time.
// Every mismatch, malformed signature or missing secret is an error matching
// ErrSignatureMismatch; the error never contains the signature or the secret.

// VerifyPaymentSignature checks the razorpay_signature of a payment against
// your own order id (not the razorpay_order_id Checkout echoes back) and the
// razorpay_payment_id, with your key secret.
func VerifyPaymentSignature(orderID, paymentID, signature, keySecret string) error {
	if orderID == "" || paymentID == "" {
		return fmt.Errorf("%w: order id and payment id are required", ErrSignatureMismatch)
	}
	mac := hmac.New(sha256.New, []byte(keySecret))
	mac.Write([]byte(orderID))
	mac.Write([]byte{'|'})
	mac.Write([]byte(paymentID))
	return checkSignature(mac.Sum(nil), signature, keySecret)
}

// VerifyWebhookSignature checks the X-Razorpay-Signature header of a webhook
// delivery against the raw request body, exactly as received (never a
// re-encoded copy), with the webhook's secret (set in the Dashboard; it is
// not the API key secret).
func VerifyWebhookSignature(body []byte, signature, webhookSecret string) error {
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write(body)
	return checkSignature(mac.Sum(nil), signature, webhookSecret)
}

var (
	errNoSecret        = errors.New("empty secret")
	errNoSignature     = errors.New("empty signature")
	errBadSignatureHex = errors.New("signature is not 64 lower-case hex digits")
	errWrongSignature  = errors.New("signature does not match")
)

// checkSignature compares want with the hex signature got in constant time.
func checkSignature(want []byte, got, key string) error {
	var cause error
	switch {
	case key == "":
		cause = errNoSecret
	case got == "":
		cause = errNoSignature
	case len(got) != 2*sha256.Size || !isLowerHex(got):
		cause = errBadSignatureHex
	default:
		sig := make([]byte, sha256.Size)
		if _, err := hex.Decode(sig, []byte(got)); err != nil || !hmac.Equal(sig, want) {
			cause = errWrongSignature
		}
	}
	if cause != nil {
		return fmt.Errorf("%w: %w", ErrSignatureMismatch, cause)
	}
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
