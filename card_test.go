package razorpay

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
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
