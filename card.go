package razorpay

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// Card is a card as Razorpay describes it: never its number, only its last
// four digits, network, type and issuer.
//
//razorpay:decode
type Card struct {
	ID     string `json:"id"`
	Entity string `json:"entity"`
	Name   string `json:"name"`
	// Last4 is the last four digits of the card number.
	Last4 string `json:"last4"`
	// Network is Visa, MasterCard, RuPay, American Express, Diners Club,
	// Maestro or Unknown.
	Network string `json:"network"`
	// Type is credit, debit, prepaid or unknown.
	Type          string `json:"type"`
	Issuer        string `json:"issuer"`
	International bool   `json:"international"`
	EMI           bool   `json:"emi"`
	// SubType is consumer or business.
	SubType  string `json:"sub_type"`
	TokenIIN string `json:"token_iin"`
	// ExpiryMonth and ExpiryYear are set on the card of a token.
	ExpiryMonth int `json:"expiry_month"`
	ExpiryYear  int `json:"expiry_year"`
	// Flows lists what the card of a token supports.
	Flows             *CardFlows `json:"flows"`
	CobrandingPartner string     `json:"cobranding_partner"`
}

// CardFlows lists the flows a tokenised card supports.
//
//razorpay:decode
type CardFlows struct {
	OTP       bool `json:"otp"`
	Recurring bool `json:"recurring"`
	Iframe    bool `json:"iframe"`
}

// CardReference identifies a card across tokens, payments and merchants
// without its number (a card fingerprint).
//
//razorpay:decode
type CardReference struct {
	// Network is the card network (Visa, Mastercard, RuPay); Razorpay sends
	// Provider instead when asked by token. See NetworkName.
	Network  string `json:"network"`
	Provider string `json:"provider"`
	// PaymentAccountReference is the 29-character PAR of Visa and Mastercard
	// cards.
	PaymentAccountReference string `json:"payment_account_reference"`
	// NetworkReferenceID is the reference of RuPay cards.
	NetworkReferenceID  string `json:"network_reference_id"`
	CardReferenceNumber string `json:"card_reference_number"`
}

// NetworkName returns Network, or Provider when Razorpay sent that instead.
func (r *CardReference) NetworkName() string {
	if r.Network != "" {
		return r.Network
	}
	return r.Provider
}

// CardReferenceParams are the params of CardService.RequestCardReference:
// exactly one of Number (a card number or a network-tokenised card number)
// and Token (a Razorpay token id).
//
// Printing the params with fmt or slog shows at most the last four digits of
// Number.
type CardReferenceParams struct {
	// Number is a card number, or a tokenised card number with Tokenised set.
	Number string `json:"number,omitempty"`
	// Tokenised marks Number as a network-tokenised card number.
	Tokenised *bool `json:"tokenised,omitempty"`
	// Token is a Razorpay token id ("token_...").
	Token string `json:"token,omitempty"`
}

// Validate checks that exactly one of Number and Token is set, that Number
// has 12 to 19 digits and nothing else, and that Tokenised goes with Number.
// Its errors never contain the number.
func (p *CardReferenceParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.check((p.Number == "") != (p.Token == ""), "number", "exactly one of number and token is required")
	if p.Number != "" {
		v.check(len(p.Number) >= 12 && len(p.Number) <= 19 && isDigits(p.Number), "number", "must be 12 to 19 digits without spaces")
	}
	v.check(p.Tokenised == nil || p.Number != "", "tokenised", "goes with number only")
	return v.err
}

// Format prints the params with Number masked to its last four digits.
func (p CardReferenceParams) Format(f fmt.State, _ rune) {
	tokenised := "<nil>"
	if p.Tokenised != nil {
		tokenised = fmt.Sprint(*p.Tokenised)
	}
	_, _ = io.WriteString(f, "{Number:"+maskNumber(p.Number)+" Tokenised:"+tokenised+" Token:"+p.Token+"}")
}

// LogValue describes the params to log/slog with Number masked.
func (p CardReferenceParams) LogValue() slog.Value {
	return slog.GroupValue(slog.String("number", maskNumber(p.Number)), slog.String("token", p.Token))
}

func maskNumber(n string) string {
	if n == "" {
		return ""
	}
	if len(n) <= 4 {
		return "XXXX"
	}
	b := []byte(n)
	for i := 0; i < len(b)-4; i++ {
		b[i] = 'X'
	}
	return string(b)
}

// CardService reads cards and requests card references.
type CardService struct{ c *Client }

// Fetch returns the card with the given id (a payment's CardID), from
// GET /v1/cards/{id}. Razorpay serves that endpoint, and its SDKs use it, but
// its API reference documents the same card by payment instead (see
// PaymentService.FetchCard).
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/fetch-card-details-payment/
func (s *CardService) Fetch(ctx context.Context, cardID string) (*Card, error) {
	id, err := pathID("cardID", cardID)
	if err != nil {
		return nil, err
	}
	return call[Card](ctx, s.c, operation{method: "GET", path: "/v1/cards/" + id, repeatable: true})
}

// RequestCardReference returns the reference (fingerprint) of a card, by
// number or by Razorpay token. The feature must be enabled on the account;
// otherwise Razorpay answers "The requested URL was not found on the server"
// (see Error.FeatureNotEnabled).
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/cards/fingerprints/
func (s *CardService) RequestCardReference(ctx context.Context, params *CardReferenceParams) (*CardReference, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return call[CardReference](ctx, s.c, operation{method: "POST", path: "/v1/cards/fingerprints", body: params})
}
