// Package razorpaytest is an in-memory Razorpay for tests and examples: a
// real HTTP server on the loopback interface that implements the API of the
// recurring-card flow with Razorpay's state, validation errors and webhooks,
// so that code using package razorpay runs with no keys and no network.
//
//	srv := razorpaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // or razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(srv.URL))
//
// In a test, NewTestServer(t) does the same and closes the server when the
// test ends.
//
// The server keeps customers, orders, registration links (invoices of type
// link), payments, refunds, tokens and cards, and answers the endpoints of package
// razorpay with the API's JSON shapes (empty notes as [], nullable fields as
// null) and its errors ({"error": {"code", "description", "field", ...}},
// such as 400 "The id provided does not exist"). It checks Basic auth with
// KeyID and KeySecret, or the secret RotateKeySecret put in its place (the
// old one then gets 401 "Authentication failed", as after a key is
// regenerated in the Dashboard).
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
// AdvanceClock moves the server's clock forward (past Payment.Charge's
// settle window, past WithRecurringDelay) instead of waiting. AddBankRule
// makes the bank hold (pending until CapturePayment or FailPayment) or
// decline the next recurring payments of a receipt, a token or any bill,
// and HoldPayment holds one that waits for WithRecurringDelay.
// SeedMandates makes confirmed mandates in bulk with a bill on each (a
// billing file with WriteBills), Verify sums up what the charge orders hold
// (charged, pending, not charged, double charges), and Trigger builds the
// state that raises one webhook event and raises only that step's events.
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
//
// # Driving a fake in another process: the control API
//
// A Server also serves a control API under ControlPath
// (/_razorpaytest/v1/), a prefix Razorpay never uses, so that a fake run
// by 'razorpay fake', the razorpay-fake command or NewServerAt in a program
// of yours can be driven from another process: a test of a service that
// runs apart, a shell script, another language. Remote is its Go client
// (Dial first checks that the URL is a fake, ErrNotFake otherwise), and the
// razorpay command's 'fake' subcommands use it. Each endpoint is a method
// of Server:
//
//	GET    info                         Info (the one endpoint answered without auth)
//	GET    clock                        Info
//	POST   clock/advance                {"duration": "16m"} -> Info                  AdvanceClock
//	POST   keys/rotate                  {"key_secret": "..."} -> {"key_id",          RotateKeySecret
//	                                      "key_rotations"} (never a secret)
//	POST   mandates                     SeedParams -> {"bills": [Bill]}              SeedMandates
//	                                    (with Accept: text/csv, the billing file of WriteBills)
//	GET    receipts/{receipt}/payments  {"receipt", "payments": [payment]}           ReceiptPayments
//	GET    double_charges               Verification                                 Verify, DoubleCharges
//	POST   payments/{id}/fail           {"reason": "..."} -> the payment             FailPayment
//	POST   payments/{id}/capture        the payment                                  CapturePayment
//	POST   payments/{id}/hold           the payment                                  HoldPayment
//	GET    bank_rules                   {"rules": [BankRule]}                        BankRules
//	POST   bank_rules                   BankRule -> {"rules": [BankRule]}            AddBankRule
//	DELETE bank_rules                   {"rules": []}                                ClearBankRules
//	POST   tokens/{id}/status           {"status": "cancelled"}                      SetMandateStatus
//	GET    trigger                      {"events": [TriggerEvent]}                   TriggerEvents
//	POST   trigger                      {"event": "payment.failed"} -> Triggered     Trigger
//	GET    webhooks                     {"deliveries": [...]}, without bodies        Webhooks
//
// Every endpoint but info needs Basic auth with the fixed test pair (KeyID
// and KeySecret, both public), which the control API accepts even after
// RotateKeySecret has made the Razorpay API refuse it, so that the harness
// that rotated the secret keeps driving the server (the current pair works
// too); bodies and answers are JSON, and an error is
// Razorpay's error shape, with reason unknown_id (404) or invalid_state
// (409) where the method fails with ErrUnknownID or ErrInvalidState.
// Control requests are not Razorpay traffic: Requests does not record them
// and injected faults do not touch them. From a shell:
//
//	curl -u rzp_test_FakeRzpTestKey:fakeRazorpayTestSecret42 -d '{"duration": "16m"}' \
//	    http://127.0.0.1:8080/_razorpaytest/v1/clock/advance
package razorpaytest
