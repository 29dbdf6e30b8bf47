// Package razorpaytest is an in-memory Razorpay for tests and examples: a
// real HTTP server on the loopback interface that implements the API of the
// recurring-card flow with Razorpay's state, validation errors and webhooks,
// so that code using package razorpay runs with no keys and no network.
//
//	srv := razorpaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // or razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
//
// The server keeps customers, orders, registration links (invoices of type
// link), payments, refunds, tokens and cards, and answers the endpoints of package
// razorpay with the API's JSON shapes (empty notes as [], nullable fields as
// null) and its errors ({"error": {"code", "description", "field", ...}},
// such as 400 "The id provided does not exist"). It checks Basic auth with
// KeyID and KeySecret.
//
// # The card holder and the bank
//
// What happens at Checkout or at the bank is driven by the test:
// CompleteAuthorization pays an authorization order or registration link and
// yields a confirmed token, RejectAuthorization yields a rejected one,
// SetMandateStatus cancels, pauses or resumes a mandate, ExpireLink expires a
// registration link, FailPayment makes a payment fail later, and PayOrder
// makes a one-off payment (left authorized, for Payment.Capture, on an order
// created with PaymentCapture false); CapturePayment settles a payment late;
// ProcessRefund and FailRefund settle a refund (see WithRefundDelay). These
// actions fail with ErrUnknownID for an id the server does not know and with
// ErrInvalidState for a move the entity's status does not allow (a cancelled
// mandate is final, a paid order takes no payment). A registration link's
// short_url (URL/i/{id}) also serves a page with buttons for approving or
// declining, for manual use with the razorpay-fake command.
//
// # Refunds
//
// Refunds follow Razorpay's rules: only captured payments, at most what is
// not yet refunded (Amount 0: all of that), with the payment's
// amount_refunded, refund_status (partial, full) and status refunded once
// nothing is left. The X-Refund-Idempotency header gets Razorpay's three
// answers: a key seen with the same payment and body answers the refund it
// made, with another body a 400, and while a request with the key is being
// processed (from its arrival until its answer, an injected Delay included)
// a 409. The server keeps keys for its lifetime.
//
// # Faults
//
// InjectFault makes the next matching requests fail: a status with a body
// (and Retry-After), a delay, or a connection dropped before or after the
// request is processed. Requests records what the server received and
// Connections counts the TCP connections it accepted.
//
// # Webhooks
//
// With WithWebhook, every state change that Razorpay reports by webhook is
// posted, signed, to a URL, and redelivered on failure; Webhooks reports the
// deliveries. SignWebhook and SignPayment sign test payloads.
package razorpaytest
