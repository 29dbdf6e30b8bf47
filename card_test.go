package razorpay

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCardFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/cards/card_Pf5Mn8DoP7xSkT", "card/fetch.json")

	card, err := c.Card.Fetch(mockCtx(t), "card_Pf5Mn8DoP7xSkT")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/cards/card_Pf5Mn8DoP7xSkT")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, &Card{
		ID:            "card_Pf5Mn8DoP7xSkT",
		Entity:        "card",
		Name:          "Saanvi Iyer",
		Last4:         "1111", // a JSON number on the wire
		Network:       "MasterCard",
		Type:          "debit",
		Issuer:        "HDFC",
		International: false, // 0 on the wire
		EMI:           false, // null on the wire
		SubType:       "business",
	}, card)
}

func TestCardRequestCardReferenceByNumber(t *testing.T) {
	t.Parallel()
	const number = "4111111111111111"
	tests := []struct {
		name      string
		tokenised *bool
		wantKeys  []string
	}{
		{name: "plain number", tokenised: nil, wantKeys: []string{"number"}},
		{name: "tokenised number", tokenised: Ptr(true), wantKeys: []string{"number", "tokenised"}},
		{name: "not tokenised", tokenised: Ptr(false), wantKeys: []string{"number", "tokenised"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := mockRespondFixture(t, mt, "POST", "/v1/cards/fingerprints", "card_reference/by_number.json")

			ref, err := c.Card.RequestCardReference(mockCtx(t), &CardReferenceParams{Number: number, Tokenised: tt.tokenised})
			require.NoError(t, err)

			call := rec.Only(t)
			assertReq(t, call, "POST", "/v1/cards/fingerprints")
			assertReqNoQuery(t, call)
			body := assertReqJSON(t, call)
			assertReqKeys(t, body, tt.wantKeys...)
			assertReqString(t, body, "number", number)
			if tt.tokenised != nil {
				assertReqBool(t, body, "tokenised", *tt.tokenised)
			}

			assert.Equal(t, &CardReference{
				Network:                 "Visa",
				PaymentAccountReference: "V0010013823253685715398537462",
			}, ref)
			assert.Equal(t, "Visa", ref.NetworkName())
		})
	}
}

func TestCardRequestCardReferenceByToken(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/cards/fingerprints", "card_reference/by_token.json")

	ref, err := c.Card.RequestCardReference(mockCtx(t), &CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ"})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/cards/fingerprints")
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "token")
	assertReqString(t, body, "token", "token_Nq6Ye9AjM4uNhJ")

	assert.Equal(t, &CardReference{
		Provider:                "Mastercard",
		PaymentAccountReference: "50014EES0F4P295H0NWJ7KPMGDGR7",
	}, ref)
	assert.Equal(t, "", ref.Network)
	assert.Equal(t, "Mastercard", ref.NetworkName(), "provider stands in for network")
}

func TestCardRequestCardReferenceFeatureNotEnabled(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/cards/fingerprints", http.StatusNotFound, mockFixture(t, "errors/url_not_found.json"))

	ref, err := c.Card.RequestCardReference(mockCtx(t), &CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ"})
	require.Error(t, err)
	assert.Nil(t, ref)
	assert.ErrorIs(t, err, ErrNotFound)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, apiErr.FeatureNotEnabled())
	assert.Contains(t, err.Error(), "not enabled on the account")
	assert.Len(t, rec.Calls(), 1)
}

func TestCardRequestCardReferenceNeverLeaksTheNumber(t *testing.T) {
	t.Parallel()
	const number = "5105105105105100"
	c, mt := newMockClient(t)
	mockRespond(t, mt, "POST", "/v1/cards/fingerprints", http.StatusBadRequest, []byte(
		`{"error":{"code":"BAD_REQUEST_ERROR","description":"The card number `+number+` is invalid","field":"number","source":"business","step":"NA","reason":"input_validation_failed","metadata":{}}}`))

	p := &CardReferenceParams{Number: number, Tokenised: Ptr(false)}
	_, err := c.Card.RequestCardReference(mockCtx(t), p)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), number)
	assert.Contains(t, err.Error(), "5100", "the last four digits may be shown")

	for _, s := range []string{
		fmt.Sprintf("%v/%+v/%#v/%s", p, p, p, p),
		fmt.Sprintf("%v/%+v/%#v/%s", *p, *p, *p, *p),
	} {
		assert.NotContains(t, s, number)
		assert.Contains(t, s, "5100")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("fingerprint", "params", p, "value", *p)
	assert.NotContains(t, buf.String(), number)
	assert.Contains(t, buf.String(), "XXXXXXXXXXXX5100")
}

func FuzzValidateCardReferenceParams(f *testing.F) {
	f.Add(mockCardNumber, "", false, false)
	f.Add("", "token_1", false, false)
	f.Add(mockCardNumber, "token_1", true, true)
	f.Fuzz(func(t *testing.T, number, token string, hasTokenised, tokenised bool) {
		t.Parallel()
		p := &CardReferenceParams{Number: number, Token: token}
		if hasTokenised {
			p.Tokenised = &tokenised
		}
		err := mockValidate(t, p, (*CardReferenceParams).Validate)
		if err != nil {
			if len(digitsOnly(number)) >= 8 {
				assert.NotContains(t, err.Error(), number, "a ValidationError shows the card number")
			}
			return
		}
		assert.True(t, (number == "") != (token == ""), "exactly one of number and token")
		if number != "" {
			assert.True(t, len(number) >= 12 && len(number) <= 19, "number of %d bytes", len(number))
			for _, c := range []byte(number) {
				assert.True(t, c >= '0' && c <= '9', "number has %q", c)
			}
		} else {
			assert.Nil(t, p.Tokenised, "tokenised goes with number only")
		}
	})
}

func TestValidateCardReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params CardReferenceParams
		field  string
	}{
		{name: "number", params: CardReferenceParams{Number: "4111111111111111"}},
		{name: "number of 12 digits", params: CardReferenceParams{Number: "411111111111"}},
		{name: "number of 19 digits", params: CardReferenceParams{Number: "4111111111111111111"}},
		{name: "tokenised number", params: CardReferenceParams{Number: "4895370012003478", Tokenised: Ptr(true)}},
		{name: "token", params: CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ"}},
		{name: "neither", params: CardReferenceParams{}, field: "number"},
		{name: "both", params: CardReferenceParams{Number: "4111111111111111", Token: "token_Nq6Ye9AjM4uNhJ"}, field: "number"},
		{name: "number with spaces", params: CardReferenceParams{Number: "4111 1111 1111 1111"}, field: "number"},
		{name: "number with dashes", params: CardReferenceParams{Number: "4111-1111-1111-1111"}, field: "number"},
		{name: "number of 11 digits", params: CardReferenceParams{Number: "41111111111"}, field: "number"},
		{name: "number of 20 digits", params: CardReferenceParams{Number: "41111111111111111111"}, field: "number"},
		{name: "number with a letter", params: CardReferenceParams{Number: "411111111111111a"}, field: "number"},
		{name: "tokenised with a token", params: CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ", Tokenised: Ptr(false)}, field: "tokenised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.params
			mockCheckValidation(t, tt.field, "POST", "/v1/cards/fingerprints", "card_reference/by_number.json", p.Validate,
				func(c *Client) error {
					_, err := c.Card.RequestCardReference(mockCtx(t), &p)
					if err != nil && p.Number != "" {
						// The number never appears in the error text.
						assert.NotContains(t, err.Error(), p.Number)
						assert.NotContains(t, err.Error(), digitsOnly(p.Number))
					}
					return err
				})
			if p.Number != "" {
				printed := fmt.Sprintf("%v/%+v/%#v/%s/%q", p, p, p, p, p) + fmt.Sprintf("%v/%+v/%#v", &p, &p, &p)
				assert.NotContains(t, printed, p.Number)
				assert.NotContains(t, printed, digitsOnly(p.Number))
				assert.Contains(t, printed, p.Number[len(p.Number)-4:], "the last four digits are shown")
			}
		})
	}
}

// digitsOnly returns the digits of s.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
