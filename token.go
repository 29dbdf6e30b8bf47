package razorpay

import (
	"context"
	"errors"
	"fmt"
)

// TokenRecurringStatus is the state of a card mandate
// (recurring_details.status). Only a confirmed token can be charged. Values
// the SDK does not know pass through unchanged.
type TokenRecurringStatus string

// Mandate states: initiated, then confirmed or rejected; a confirmed mandate
// may later be paused or cancelled.
const (
	TokenRecurringStatusInitiated TokenRecurringStatus = "initiated"
	TokenRecurringStatusConfirmed TokenRecurringStatus = "confirmed"
	TokenRecurringStatusRejected  TokenRecurringStatus = "rejected"
	TokenRecurringStatusCancelled TokenRecurringStatus = "cancelled"
	TokenRecurringStatusPaused    TokenRecurringStatus = "paused"
)

// The mandate states' former names, which still work.
const (
	// TokenRecurringInitiated is TokenRecurringStatusInitiated.
	//
	// Deprecated: use TokenRecurringStatusInitiated.
	TokenRecurringInitiated = TokenRecurringStatusInitiated
	// TokenRecurringConfirmed is TokenRecurringStatusConfirmed.
	//
	// Deprecated: use TokenRecurringStatusConfirmed.
	TokenRecurringConfirmed = TokenRecurringStatusConfirmed
	// TokenRecurringRejected is TokenRecurringStatusRejected.
	//
	// Deprecated: use TokenRecurringStatusRejected.
	TokenRecurringRejected = TokenRecurringStatusRejected
	// TokenRecurringCancelled is TokenRecurringStatusCancelled.
	//
	// Deprecated: use TokenRecurringStatusCancelled.
	TokenRecurringCancelled = TokenRecurringStatusCancelled
	// TokenRecurringPaused is TokenRecurringStatusPaused.
	//
	// Deprecated: use TokenRecurringStatusPaused.
	TokenRecurringPaused = TokenRecurringStatusPaused
)

// Token is a saved card and its mandate: what a recurring payment charges.
//
//razorpay:decode
type Token struct {
	ID     string `json:"id"`
	Entity string `json:"entity"`
	// Token is Razorpay's opaque token value.
	Token  string `json:"token"`
	Bank   string `json:"bank"`
	Wallet string `json:"wallet"`
	// Method is "card" for card mandates; a customer's tokens of other
	// methods (upi, emandate) share the list.
	Method PaymentMethod `json:"method"`
	Card   *Card         `json:"card"`
	// Recurring reports whether the token may be charged by recurring
	// payments.
	Recurring bool `json:"recurring"`
	// RecurringDetails is the state of the mandate. Razorpay omits it in some
	// webhooks; see Token.MandateStatus.
	RecurringDetails RecurringDetails `json:"recurring_details"`
	AuthType         string           `json:"auth_type"`
	MRN              string           `json:"mrn"`
	UsedAt           int64            `json:"used_at"`
	CreatedAt        int64            `json:"created_at"`
	ExpiredAt        int64            `json:"expired_at"`
	// MaxAmount is the most one debit may take, in paise.
	MaxAmount int64 `json:"max_amount"`
	// Status is the token's overall (network tokenisation) state, such as
	// active; it is not the mandate state, which is RecurringDetails.Status.
	Status           string   `json:"status"`
	StatusReason     string   `json:"status_reason"`
	ErrorCode        string   `json:"error_code"`
	ErrorDescription string   `json:"error_description"`
	Notes            Notes    `json:"notes"`
	DCCEnabled       bool     `json:"dcc_enabled"`
	BillingAddress   *Address `json:"billing_address"`
	// CustomerID is set only where Razorpay sends it (TokenHQ shapes); the
	// tokens API and the token.* webhooks leave it empty. See
	// WebhookEvent.Token for linking a token event to its mandate.
	CustomerID string `json:"customer_id"`
	// CompliantWithTokenisationGuidelines reports RBI card-on-file compliance.
	CompliantWithTokenisationGuidelines bool `json:"compliant_with_tokenisation_guidelines"`
}

// RecurringDetails is the state of a token's mandate.
//
//razorpay:decode
type RecurringDetails struct {
	Status TokenRecurringStatus `json:"status"`
	// FailureReason says why a mandate was rejected, such as "Rejected by bank".
	FailureReason string `json:"failure_reason"`
}

// MandateStatus returns the state of the token's mandate: its
// recurring_details.status when present, otherwise confirmed for a token that
// is marked recurring, otherwise "". (ParseWebhook fills a missing
// recurring_details.status from the token.* event, since Razorpay's card
// token.confirmed webhook carries none.)
func (t *Token) MandateStatus() TokenRecurringStatus {
	if t.RecurringDetails.Status != "" {
		return t.RecurringDetails.Status
	}
	if t.Recurring {
		return TokenRecurringStatusConfirmed
	}
	return ""
}

// Chargeable reports whether recurring payments may be made with the token:
// its mandate is confirmed.
func (t *Token) Chargeable() bool { return t.MandateStatus() == TokenRecurringStatusConfirmed }

// TokenService lists, reads and deletes a customer's tokens.
type TokenService struct{ c *Client }

// FetchByPayment returns the payment with the given id, whose TokenID is the
// token its authorization created (token.fetch(paymentId) in Razorpay's SDKs). It is
// Payment.Fetch under the name of the recurring-card flow.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/tokens/#21-fetch-token-by-payment-id
func (s *TokenService) FetchByPayment(ctx context.Context, paymentID string) (*Payment, error) {
	return s.c.Payment.Fetch(ctx, paymentID)
}

// List returns a customer's tokens, of every method (filter on Method).
// Razorpay leaves out expired, rejected and unused tokens, and does not page
// this list.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/tokens/#22-fetch-tokens-by-customer-id
func (s *TokenService) List(ctx context.Context, customerID string) (*List[Token], error) {
	id, err := pathID("customerID", customerID)
	if err != nil {
		return nil, err
	}
	return listPage[Token](ctx, s.c, "/v1/customers/"+id+"/tokens", nil)
}

// Fetch returns one of a customer's tokens.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/tokens/#23-fetch-card
func (s *TokenService) Fetch(ctx context.Context, customerID, tokenID string) (*Token, error) {
	path, err := tokenPath(customerID, tokenID)
	if err != nil {
		return nil, err
	}
	return call[Token](ctx, s.c, operation{method: "GET", path: path, repeatable: true})
}

// Delete deletes a customer's token, which ends its mandate. An answer of
// {"deleted": false} is an error matching ErrNotApplied. Deleting is safe to
// repeat, so it is retried like a read; when the answer to an attempt was
// lost and the retry finds the token gone, Delete reports success.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/tokens/#24-delete-token
func (s *TokenService) Delete(ctx context.Context, customerID, tokenID string) error {
	path, err := tokenPath(customerID, tokenID)
	if err != nil {
		return err
	}
	var out deleteAnswer
	err = s.c.send(ctx, operation{method: "DELETE", path: path, repeatable: true}, &out)
	var gone *goneError
	switch {
	case errors.As(err, &gone):
		return nil
	case err != nil:
		return err
	}
	if !out.Deleted {
		return fmt.Errorf("razorpay: DELETE %s: %w: Razorpay answered deleted: false", path, ErrNotApplied)
	}
	return nil
}

// deleteAnswer is the answer to a token's deletion.
//
//razorpay:decode
type deleteAnswer struct {
	Deleted bool `json:"deleted"`
}

func tokenPath(customerID, tokenID string) (string, error) {
	cid, err := pathID("customerID", customerID)
	if err != nil {
		return "", err
	}
	tid, err := pathID("tokenID", tokenID)
	if err != nil {
		return "", err
	}
	return "/v1/customers/" + cid + "/tokens/" + tid, nil
}
