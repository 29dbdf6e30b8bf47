package razorpay

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flipHex changes the hex digit at i to a different lower-case hex digit.
func flipHex(sig string, i int) string {
	b := []byte(sig)
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

// assertMismatch checks that err is a signature mismatch, with the given
// cause when cause is not nil, and that its text leaks neither the signature
// nor the secret.
func assertMismatch(t *testing.T, err error, cause error, signature, secret string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrSignatureMismatch)
	if cause != nil {
		assert.ErrorIs(t, err, cause)
	}
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, ErrSignatureMismatch.Error()), "error %q should start with the sentinel text", msg)
	if s := strings.TrimSpace(signature); len(s) >= 8 {
		assert.NotContains(t, msg, s, "error text leaks the signature")
	}
	if len(secret) >= 6 {
		assert.NotContains(t, msg, secret, "error text leaks the secret")
	}
}

func TestVerifyPaymentSignaturePublishedVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, orderID, paymentID, signature, secret string
	}{
		{
			name:      "razorpay-go",
			orderID:   "order_IEIaMR65cu6nz3",
			paymentID: "pay_IH4NVgf4Dreq1l",
			signature: "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f",
			secret:    "EnLs21M47BllR3X8PSFtjtbd",
		},
		{
			name:      "razorpay-python",
			orderID:   "fake_order_id",
			paymentID: "fake_payment_id",
			signature: "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89",
			secret:    "key_secret",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// The vector is what the formula gives, independently of the SDK.
			require.Equal(t, tc.signature, mockSign(tc.secret, []byte(tc.orderID+"|"+tc.paymentID)))
			require.NoError(t, VerifyPaymentSignature(tc.orderID, tc.paymentID, tc.signature, tc.secret))
			// The order of the ids matters.
			assertMismatch(t, VerifyPaymentSignature(tc.paymentID, tc.orderID, tc.signature, tc.secret), errWrongSignature, tc.signature, tc.secret)
		})
	}
}

func TestVerifyPaymentSignatureFailures(t *testing.T) {
	t.Parallel()
	const (
		orderID   = "order_IEIaMR65cu6nz3"
		paymentID = "pay_IH4NVgf4Dreq1l"
		secret    = "EnLs21M47BllR3X8PSFtjtbd"
		good      = "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f"
	)
	tests := []struct {
		name                                  string
		orderID, paymentID, signature, secret string
		cause                                 error
	}{
		{"flipped first digit", orderID, paymentID, flipHex(good, 0), secret, errWrongSignature},
		{"flipped last digit", orderID, paymentID, flipHex(good, len(good)-1), secret, errWrongSignature},
		{"truncated", orderID, paymentID, good[:63], secret, errBadSignatureHex},
		{"half", orderID, paymentID, good[:32], secret, errBadSignatureHex},
		{"extra digits", orderID, paymentID, good + "00", secret, errBadSignatureHex},
		{"upper-case hex", orderID, paymentID, strings.ToUpper(good), secret, errBadSignatureHex},
		{"trailing newline", orderID, paymentID, good + "\n", secret, errBadSignatureHex},
		{"leading space", orderID, paymentID, " " + good, secret, errBadSignatureHex},
		{"0x prefix", orderID, paymentID, "0x" + good[:62], secret, errBadSignatureHex},
		{"non-hex", orderID, paymentID, strings.Repeat("zz", 32), secret, errBadSignatureHex},
		{"base64 of the right bytes", orderID, paymentID, base64Of(good), secret, errBadSignatureHex},
		{"wrong secret", orderID, paymentID, good, "EnLs21M47BllR3X8PSFtjtbD", errWrongSignature},
		{"empty secret", orderID, paymentID, good, "", errNoSecret},
		{"empty signature", orderID, paymentID, "", secret, errNoSignature},
		{"empty order id", "", paymentID, good, secret, nil},
		{"empty payment id", orderID, "", good, secret, nil},
		{"both ids empty", "", "", mockSign(secret, []byte("|")), secret, nil},
		{"Checkout's razorpay_order_id of another order", "order_IEIaMR65cu6nz4", paymentID, good, secret, errWrongSignature},
		{"signature of another payment", orderID, "pay_IH4NVgf4Dreq1m", good, secret, errWrongSignature},
		{"ids without separator", orderID + "|", paymentID, good, secret, errWrongSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := VerifyPaymentSignature(tc.orderID, tc.paymentID, tc.signature, tc.secret)
			assertMismatch(t, err, tc.cause, tc.signature, tc.secret)
		})
	}
}

func base64Of(hexSig string) string {
	b, err := hex.DecodeString(hexSig)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestVerifyWebhookSignaturePublishedVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, secret, signature string
	}{
		// razorpay/razorpay-go resources/verify_payment_test.go,
		// TestVerifyWebhookSignature: compact JSON, no trailing newline.
		{"razorpay-go_payment_authorized.json", "123456", "ea962f3a2a8090aa14ef10fc178306edcb46ee7ccadae8afe2275cda26f3d2a6"},
		// razorpay/razorpay-python tests/mocks/fake_payment_authorized_webhook.json:
		// indented JSON, the file's bytes including its final newline.
		{"razorpay-python_payment_authorized.json", "key_secret", "d60e67fd884556c045e9be7dad57903e33efc7172c17c6e3ef77db42d2b366e9"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata", "webhooks", "vectors", tc.file))
			require.NoError(t, err)
			require.Equal(t, tc.signature, mockSign(tc.secret, body), "fixture bytes changed (line endings?)")

			require.NoError(t, VerifyWebhookSignature(body, tc.signature, tc.secret))

			ev, err := ParseWebhook(body, tc.signature, tc.secret)
			require.NoError(t, err)
			assert.Equal(t, EventPaymentAuthorized, ev.Event)
			assert.Equal(t, []string{"payment"}, ev.Contains)
			require.NotNil(t, ev.Payment)
			assert.True(t, strings.HasPrefix(ev.Payment.ID, "pay_"), ev.Payment.ID)

			// The same event, re-serialised, no longer verifies.
			var generic any
			require.NoError(t, json.Unmarshal(body, &generic))
			reencoded, err := json.Marshal(generic)
			require.NoError(t, err)
			require.NotEqual(t, body, reencoded)
			assertMismatch(t, VerifyWebhookSignature(reencoded, tc.signature, tc.secret), errWrongSignature, tc.signature, tc.secret)
		})
	}
}

func TestVerifyWebhookSignatureFailures(t *testing.T) {
	t.Parallel()
	const secret = "whsec_Y2hhbmdlIG1l"
	body := []byte(`{"entity":"event","account_id":"acc_Wh7TgNt9DVrJB0","event":"token.confirmed","contains":["token"],"payload":{"token":{"entity":{"id":"token_WhConf1rmed001","entity":"token","recurring":true}}},"created_at":1595449654}`)
	good := mockSign(secret, body)
	require.NoError(t, VerifyWebhookSignature(body, good, secret))

	var generic map[string]any
	require.NoError(t, json.Unmarshal(body, &generic))
	reencoded, err := json.Marshal(generic) // sorts keys
	require.NoError(t, err)
	require.NotEqual(t, body, reencoded)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, body, "", "  "))

	tests := []struct {
		name      string
		body      []byte
		signature string
		secret    string
		cause     error
	}{
		{"flipped first digit", body, flipHex(good, 0), secret, errWrongSignature},
		{"flipped middle digit", body, flipHex(good, 31), secret, errWrongSignature},
		{"flipped last digit", body, flipHex(good, 63), secret, errWrongSignature},
		{"truncated by one", body, good[:63], secret, errBadSignatureHex},
		{"truncated to half", body, good[:32], secret, errBadSignatureHex},
		{"doubled", body, good + good, secret, errBadSignatureHex},
		{"upper-case hex", body, strings.ToUpper(good), secret, errBadSignatureHex},
		{"trailing newline", body, good + "\n", secret, errBadSignatureHex},
		{"trailing CRLF", body, good + "\r\n", secret, errBadSignatureHex},
		{"surrounding spaces", body, " " + good + " ", secret, errBadSignatureHex},
		{"sha256= prefix", body, "sha256=" + good[:57], secret, errBadSignatureHex},
		{"non-hex", body, strings.Repeat("g", 64), secret, errBadSignatureHex},
		{"non-ASCII", body, strings.Repeat("é", 32), secret, errBadSignatureHex},
		{"base64 of the right bytes", body, base64Of(good), secret, errBadSignatureHex},
		{"re-serialised body", reencoded, good, secret, errWrongSignature},
		{"indented body", indented.Bytes(), good, secret, errWrongSignature},
		{"space added to body", append([]byte(" "), body...), good, secret, errWrongSignature},
		{"newline appended to body", append(append([]byte{}, body...), '\n'), good, secret, errWrongSignature},
		{"truncated body", body[:len(body)-1], good, secret, errWrongSignature},
		{"empty body", nil, good, secret, errWrongSignature},
		{"wrong secret", body, good, secret + "x", errWrongSignature},
		{"API key secret instead of webhook secret", body, good, "EnLs21M47BllR3X8PSFtjtbd", errWrongSignature},
		{"empty secret", body, good, "", errNoSecret},
		{"empty secret and signature of empty key", body, mockSign("", body), "", errNoSecret},
		{"empty signature", body, "", secret, errNoSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := VerifyWebhookSignature(tc.body, tc.signature, tc.secret)
			assertMismatch(t, err, tc.cause, tc.signature, tc.secret)

			// ParseWebhook refuses the same delivery with the same error class.
			ev, perr := ParseWebhook(tc.body, tc.signature, tc.secret)
			assert.Nil(t, ev)
			assertMismatch(t, perr, tc.cause, tc.signature, tc.secret)
			assert.NotErrorIs(t, perr, ErrWebhookPayload)
		})
	}
}

// The hex signature is decoded and the bytes compared: every 32-byte value
// but the right one fails, and the right one passes only in its canonical
// lower-case 64-digit spelling.
func TestVerifySignatureComparesDecodedBytes(t *testing.T) {
	t.Parallel()
	const secret = "whsec_bytes"
	body := []byte(`{"event":"payment.captured"}`)
	good := mockSign(secret, body)
	raw, err := hex.DecodeString(good)
	require.NoError(t, err)

	require.NoError(t, VerifyWebhookSignature(body, good, secret))
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			changed := bytes.Clone(raw)
			changed[i] ^= bit
			sig := hex.EncodeToString(changed)
			assertMismatch(t, VerifyWebhookSignature(body, sig, secret), errWrongSignature, sig, secret)
		}
	}
	for _, sig := range []string{good + "\n", good + "\x00", "\t" + good, good[:62] + "\n\n"} {
		assertMismatch(t, VerifyWebhookSignature(body, sig, secret), errBadSignatureHex, sig, secret)
	}
	// An all-zero signature (what a failed decode into a zeroed buffer would
	// leave) does not pass.
	zero := strings.Repeat("0", 64)
	assertMismatch(t, VerifyWebhookSignature(body, zero, secret), errWrongSignature, zero, secret)
}

func TestVerifySignatureErrorText(t *testing.T) {
	t.Parallel()
	const secret = "whsec_do_not_print_me"
	body := []byte(`{"event":"token.confirmed"}`)
	good := mockSign(secret, body)
	for _, sig := range []string{flipHex(good, 5), strings.ToUpper(good), good[:40], good} {
		for _, key := range []string{secret + "!", secret} {
			err := VerifyWebhookSignature(append(body, ' '), sig, key)
			require.Error(t, err)
			msg := err.Error()
			assert.NotContains(t, msg, sig)
			assert.NotContains(t, msg, strings.ToLower(sig))
			assert.NotContains(t, msg, good)
			assert.NotContains(t, msg, secret)
			assert.NotContains(t, msg, string(body))
		}
	}
	err := VerifyPaymentSignature("order_1", "pay_1", good, secret)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), good)
	assert.NotContains(t, err.Error(), secret)
}

func FuzzVerifySignature(f *testing.F) {
	f.Add([]byte("order_IEIaMR65cu6nz3|pay_IH4NVgf4Dreq1l"), "order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l",
		"0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f", "EnLs21M47BllR3X8PSFtjtbd")
	f.Add([]byte(`{"event":"payment.authorized"}`), "fake_order_id", "fake_payment_id",
		"b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89", "key_secret")
	f.Add([]byte{}, "", "", "", "")
	f.Fuzz(func(t *testing.T, body []byte, orderID, paymentID, signature, secret string) {
		// Webhook: the signature verifies exactly when it is the canonical
		// HMAC of the body under a non-empty secret.
		want := mockSign(secret, body)
		err := VerifyWebhookSignature(body, signature, secret)
		if secret != "" && signature == want {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, ErrSignatureMismatch)
		}
		err = VerifyWebhookSignature(body, want, secret)
		if secret != "" {
			require.NoError(t, err, "a body signed by the harness must verify")
			require.ErrorIs(t, VerifyWebhookSignature(body, strings.ToUpper(want)+"x", secret), ErrSignatureMismatch)
		} else {
			require.ErrorIs(t, err, errNoSecret)
		}

		// Payment: the same, over order_id|payment_id, and both ids required.
		msg := []byte(orderID + "|" + paymentID)
		wantPay := mockSign(secret, msg)
		ok := secret != "" && orderID != "" && paymentID != ""
		err = VerifyPaymentSignature(orderID, paymentID, signature, secret)
		if ok && signature == wantPay {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, ErrSignatureMismatch)
		}
		err = VerifyPaymentSignature(orderID, paymentID, wantPay, secret)
		if ok {
			require.NoError(t, err, "a payment signed by the harness must verify")
		} else {
			require.ErrorIs(t, err, ErrSignatureMismatch)
		}
	})
}
