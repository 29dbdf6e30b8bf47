// Package razorpay is a typed Go client for Razorpay's recurring card
// payments: customers, authorization and charge orders, registration links,
// recurring payments, tokens, cards, signatures and webhooks. It depends on
// the standard library only.
//
// # The client
//
// Build one Client per key pair, with NewClient or NewClientFromEnv, and
// share it: it is immutable and safe for concurrent use, its services
// (Customer, Order, RegistrationLink, Payment, Invoice, Token, Card, Refund) share
// one connection pool and one request pipeline, and printing it never shows
// the key secret. Every method takes a context first, validates its params
// before anything is sent (a *ValidationError matching ErrInvalidParams), and
// returns a typed value. Every non-2xx answer is an *Error that errors.Is
// matches against ErrBadRequest, ErrAuthentication, ErrNotFound,
// ErrRateLimited, ErrServer or ErrGateway. Client.Do reaches endpoints the
// SDK does not model through the same pipeline. A context made with
// WithResponseInfo reports the status, headers and Razorpay request id of a
// call's answer, a success's too.
//
//	client := razorpay.NewClient(keyID, keySecret)
//	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{
//		Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210",
//		FailExisting: razorpay.Ptr(false),
//	})
//
// # The recurring-card flow
//
//  1. Customer.Create, then an authorization order (Order.Create with Method
//     PaymentMethodCard and a Token) or a registration link
//     (RegistrationLink.Create).
//  2. The card holder approves the mandate at Checkout or on the link; check
//     Checkout's answer with VerifyPaymentSignature against your own order id,
//     and read the token with Token.FetchByPayment (or wait for the
//     token.confirmed webhook).
//  3. Every period, Payment.Charge charges the token once for one bill.
//  4. Token.List, Token.Fetch, Card.Fetch and Card.RequestCardReference read
//     what was saved; Token.Delete ends the mandate.
//
// # Retries and unknown outcomes
//
// Razorpay has no idempotency key for orders or payments, so the SDK retries
// only what cannot charge twice: GET and DELETE after timeouts, resets and
// 500, 502, 503 or 504 answers; every request after a connection that could
// not be opened; and 429 answers (WithMaxRetries, WithRetryBackoff;
// Retry-After is honoured). A request that creates state and may have been
// carried out without an answer coming back (a timeout, a reset, a 5xx, a
// redirect, a 2xx that cannot be read) is never sent again: its error matches
// ErrOutcomeUnknown and its cause. Reconcile before trying again, or let
// Payment.Charge do it. Redirects are never followed. Refunds are the
// exception: they carry an idempotency key, and are retried like reads.
//
// # Exactly-once charges
//
// Payment.Charge takes the bill's receipt (ChargeParams.Receipt) as its
// identity: calling it again with the same params, from any process, after a
// crash, a redelivery or in two workers at once, never charges the bill a
// second time, returns the bill's payment when there is one, and charges the
// bill soon when there is none. Classify its answer with OutcomeOf, the one
// classification every consumer uses: charged, pending (at the bank),
// refunded, not charged (dunning is safe), unknown (call again after
// ChargeError.RetryAfter), conflict, invalid or unreadable (a person looks).
// Payment.LookupCharge answers the same without creating anything;
// WithChargeInfo says what a call did. The protocol and the assumptions it
// rests on are in the documentation of Payment.Charge.
//
// # Refunds, exactly once
//
// Payment.Refund sends RefundCreateParams.IdempotencyKey as Razorpay's
// X-Refund-Idempotency header (or a key it draws for the call): Razorpay
// answers a repeat of the key and body with the first refund, so the SDK
// retries refunds after timeouts, resets, 429, 5xx and 409 ("still being
// processed"), and a caller who derives the key from what the refund is for
// (such as "refund-" + the bill's receipt + "-1") can run it again after a
// crash, from any process, and get the same refund. Payment.Capture,
// Payment.List and the Refund service complete the payment's life.
//
// # Webhooks
//
// WebhookHandler verifies the signature over the raw body (constant time),
// caps and times out the body, and hands a typed *WebhookEvent to your
// function; it answers 500 when the function fails, so Razorpay redelivers.
// Deliveries are at least once, and a captured body can be replayed with
// another X-Razorpay-Event-Id: deduplicate on WebhookEvent.IdempotencyKey,
// which is derived from signed content only. ParseWebhook and
// VerifyWebhookSignature serve other frameworks.
//
// # Lenient decoding
//
// Razorpay's JSON is not always typed as documented (numbers as strings,
// notes as [], booleans as 0 or 1). Every entity decodes all of it into its
// documented Go type, through the SDK and through json.Unmarshal alike, and
// well-formed bodies decode at the speed of plain encoding/json.
//
// # Testing
//
// Package razorpaytest is an in-memory Razorpay on the loopback interface:
// real state, the API's validation errors, a card holder and a bank the test
// drives, injected faults (including a crash of the caller mid-call), a
// clock, and signed webhooks. The examples run against it with no keys and no
// network.
//
//	srv := razorpaytest.NewServer()
//	defer srv.Close()
//	client := srv.Client()
package razorpay
