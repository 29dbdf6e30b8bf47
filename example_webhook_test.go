package razorpay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// A webhook endpoint that acts on each event once. Razorpay delivers at least
// once, so the function remembers the X-Razorpay-Event-Id of every event it
// has processed and acknowledges a redelivery without acting again. (In
// production, keep the ids in your database, in the same transaction as the
// work.)
func ExampleWebhookHandler() {
	const webhookSecret = "whsec_example" // set per webhook in the Dashboard

	var (
		mu   sync.Mutex
		done = make(map[string]bool) // event ids already processed
	)
	handler := razorpay.WebhookHandler(webhookSecret, func(ctx context.Context, ev *razorpay.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if done[ev.ID] {
			fmt.Println("duplicate", ev.ID)
			return nil
		}
		switch ev.Event {
		case razorpay.EventTokenConfirmed:
			fmt.Println("processed", ev.Event, ev.Token.ID, "chargeable:", ev.Token.Chargeable())
		case razorpay.EventPaymentCaptured:
			fmt.Println("processed", ev.Event, ev.Payment.ID, ev.Payment.Amount)
		default:
			fmt.Println("ignored", ev.Event)
		}
		done[ev.ID] = true // only once the work succeeded
		return nil
	})

	srv := httptest.NewServer(handler)
	defer srv.Close()

	// deliver posts a body as Razorpay does, signed with the webhook secret.
	deliver := func(eventID, body string) {
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader([]byte(body)))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Razorpay-Signature", razorpaytest.SignWebhook([]byte(body), webhookSecret))
		req.Header.Set("X-Razorpay-Event-Id", eventID)
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			fmt.Println("status", resp.StatusCode)
		}
	}

	confirmed := `{"entity":"event","account_id":"acc_Ex4mp1eAcc0unt","event":"token.confirmed","contains":["token"],` +
		`"payload":{"token":{"entity":{"id":"token_Ex4mp1eT0ken01","entity":"token","method":"card","recurring":true}}},"created_at":1595449654}`
	captured := `{"entity":"event","account_id":"acc_Ex4mp1eAcc0unt","event":"payment.captured","contains":["payment"],` +
		`"payload":{"payment":{"entity":{"id":"pay_Ex4mp1ePaym01","entity":"payment","amount":49900,"currency":"INR","status":"captured","notes":[]}}},"created_at":1598000042}`

	deliver("evt_Ex4mp1eEvent01", confirmed)
	deliver("evt_Ex4mp1eEvent01", confirmed) // the same event, delivered again
	deliver("evt_Ex4mp1eEvent02", captured)

	// Output:
	// processed token.confirmed token_Ex4mp1eT0ken01 chargeable: true
	// duplicate evt_Ex4mp1eEvent01
	// processed payment.captured pay_Ex4mp1ePaym01 49900
}

// Checkout's handler (or callback) gives you razorpay_payment_id and
// razorpay_signature; verify them against the id of the order you created,
// with your key secret, before trusting the payment.
func ExampleVerifyPaymentSignature() {
	const keySecret = "EnLs21M47BllR3X8PSFtjtbd"
	orderID := "order_IEIaMR65cu6nz3" // from your database, not from the browser
	paymentID := "pay_IH4NVgf4Dreq1l"
	signature := "0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f"

	err := razorpay.VerifyPaymentSignature(orderID, paymentID, signature, keySecret)
	fmt.Println("genuine:", err == nil)

	// The same signature presented for another payment.
	err = razorpay.VerifyPaymentSignature(orderID, "pay_IH4NVgf4Dreq1m", signature, keySecret)
	fmt.Println("forged:", errors.Is(err, razorpay.ErrSignatureMismatch))

	// Output:
	// genuine: true
	// forged: true
}
