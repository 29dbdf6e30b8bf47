package razorpay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentinelsByName are the error classes an *Error may match.
func sentinelsByName() map[string]error {
	return map[string]error{
		"ErrBadRequest":     ErrBadRequest,
		"ErrAuthentication": ErrAuthentication,
		"ErrNotFound":       ErrNotFound,
		"ErrRateLimited":    ErrRateLimited,
		"ErrServer":         ErrServer,
		"ErrGateway":        ErrGateway,
		"ErrInvalidParams":  ErrInvalidParams,
		"ErrInvalidConfig":  ErrInvalidConfig,
		"ErrOutcomeUnknown": ErrOutcomeUnknown,
		"ErrNotApplied":     ErrNotApplied,
	}
}

func TestErrorFromEveryResponseShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		fixture     string // "" sends an empty body
		header      http.Header
		want        Error
		sentinels   []string
		// leaks are body fragments that must not appear in Error().
		leaks []string
	}{
		{
			name: "400 with every field", status: 400, fixture: "errors/bad_request_full.json",
			header: http.Header{"X-Razorpay-Request-Id": {"req_Ab12Cd34Ef56Gh"}},
			want: Error{
				HTTPStatusCode: 400,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "Amount exceeds maximum amount allowed.",
				Field:          "amount",
				Source:         "business",
				Step:           "payment_initiation",
				Reason:         "input_validation_failed",
				Metadata:       map[string]any{"payment_id": "pay_Nr9Yb3NkJ5dXrU", "order_id": "order_Nr8Xa2MjH4cWqT"},
				RequestID:      "req_Ab12Cd34Ef56Gh",
			},
			sentinels: []string{"ErrBadRequest"},
			leaks:     []string{`"error"`, "pay_Nr9Yb3NkJ5dXrU", "order_Nr8Xa2MjH4cWqT", "payment_initiation"},
		},
		{
			name: "400 with NA source, step and reason", status: 400, fixture: "errors/bad_request_na.json",
			want: Error{
				HTTPStatusCode: 400,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "The id provided does not exist",
				Metadata:       map[string]any{},
			},
			sentinels: []string{"ErrBadRequest"},
			leaks:     []string{"NA"},
		},
		{
			name: "401", status: 401, fixture: "errors/authentication.json",
			want: Error{
				HTTPStatusCode: 401,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "The api key provided is invalid",
				Metadata:       map[string]any{},
			},
			sentinels: []string{"ErrAuthentication"},
		},
		{
			name: "404 URL not found", status: 404, fixture: "errors/url_not_found.json",
			header: http.Header{"X-Request-Id": {"0f3c2a8e-77b1-4c5e-9d1a-2b6f8e4c9a10"}},
			want: Error{
				HTTPStatusCode: 404,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "The requested URL was not found on the server.",
				Metadata:       map[string]any{},
				RequestID:      "0f3c2a8e-77b1-4c5e-9d1a-2b6f8e4c9a10",
			},
			sentinels: []string{"ErrNotFound"},
		},
		{
			name: "404 URL not found in plain text", status: 404, contentType: "text/plain; charset=utf-8", fixture: "errors/url_not_found.txt",
			want: Error{
				HTTPStatusCode: 404,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "The requested URL was not found on the server",
			},
			sentinels: []string{"ErrNotFound"},
		},
		{
			name: "429", status: 429, fixture: "errors/rate_limited.json",
			want: Error{
				HTTPStatusCode: 429,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "Too many requests. Please try again after some time.",
				Metadata:       map[string]any{},
			},
			sentinels: []string{"ErrRateLimited"},
		},
		{
			name: "500 SERVER_ERROR", status: 500, fixture: "errors/server_error.json",
			want: Error{
				HTTPStatusCode: 500,
				Code:           "SERVER_ERROR",
				Description:    "We are facing some trouble completing your request at the moment. Please try again shortly.",
				Source:         "internal",
				Reason:         "server_error",
				Metadata:       map[string]any{},
			},
			sentinels: []string{"ErrServer"},
		},
		{
			name: "502 HTML from a proxy", status: 502, contentType: "text/html; charset=utf-8", fixture: "errors/bad_gateway.html",
			want: Error{
				HTTPStatusCode: 502,
				Description:    "non-JSON response body (text/html, 233 bytes): 502 Bad Gateway",
			},
			sentinels: []string{"ErrServer"},
			leaks:     []string{"<", "cloudflare", "Ray ID", "must not leak", "8a1b2c3d4e5f6789"},
		},
		{
			name: "503 empty body", status: 503, contentType: "text/plain",
			want: Error{
				HTTPStatusCode: 503,
				Description:    "empty response body",
			},
			sentinels: []string{"ErrServer"},
		},
		{
			name: "504 GATEWAY_ERROR", status: 504, fixture: "errors/gateway_error.json",
			want: Error{
				HTTPStatusCode: 504,
				Code:           "GATEWAY_ERROR",
				Description:    "Payment processing failed because of a gateway technical error",
				Source:         "gateway",
				Step:           "payment_authorization",
				Reason:         "gateway_technical_error",
				Metadata:       map[string]any{"payment_id": "pay_Nr9Yb3NkJ5dXrU"},
			},
			sentinels: []string{"ErrServer", "ErrGateway"},
		},
		{
			name: "400 with metadata as an empty array", status: 400, fixture: "errors/metadata_array.json",
			want: Error{
				HTTPStatusCode: 400,
				Code:           "BAD_REQUEST_ERROR",
				Description:    "Operation not allowed for Invoice in cancelled status",
				Source:         "business",
				Reason:         "input_validation_failed",
			},
			sentinels: []string{"ErrBadRequest"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithMaxRetries(0))
			var body []byte
			if tt.fixture != "" {
				body = mockFixture(t, tt.fixture)
			}
			header := tt.header.Clone()
			if tt.contentType != "" {
				if header == nil {
					header = http.Header{}
				}
				header.Set("Content-Type", tt.contentType)
			}
			rec := mockHandle(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", func(int, mockCall) mockReply {
				return mockReply{Status: tt.status, Body: body, Header: header}
			})

			p, err := c.Payment.Fetch(mockCtx(t), "pay_Nq4Wc7YhJ2sKdF")
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Len(t, rec.Calls(), 1)

			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.want.HTTPStatusCode, apiErr.HTTPStatusCode)
			assert.Equal(t, tt.want.Code, apiErr.Code)
			assert.Equal(t, tt.want.Description, apiErr.Description)
			assert.Equal(t, tt.want.Field, apiErr.Field)
			assert.Equal(t, tt.want.Source, apiErr.Source)
			assert.Equal(t, tt.want.Step, apiErr.Step)
			assert.Equal(t, tt.want.Reason, apiErr.Reason)
			if len(tt.want.Metadata) == 0 {
				assert.Empty(t, apiErr.Metadata)
			} else {
				assert.Equal(t, tt.want.Metadata, apiErr.Metadata)
			}
			assert.Equal(t, tt.want.RequestID, apiErr.RequestID)

			for name, sentinel := range sentinelsByName() {
				want := false
				for _, s := range tt.sentinels {
					want = want || s == name
				}
				assert.Equal(t, want, errors.Is(err, sentinel), "errors.Is(err, %s)", name)
			}

			msg := err.Error()
			assert.NotContains(t, msg, "\n", "one line")
			assert.True(t, strings.HasPrefix(msg, "razorpay: GET /v1/payments/pay_Nq4Wc7YhJ2sKdF: "), msg)
			assert.Contains(t, msg, tt.want.Description)
			if tt.want.RequestID != "" {
				assert.Contains(t, msg, tt.want.RequestID)
			}
			assert.Equal(t, apiErr.FeatureNotEnabled(), tt.status == 404)
			if tt.status == 404 {
				assert.Contains(t, msg, "not enabled on the account")
			} else {
				assert.NotContains(t, msg, "not enabled")
			}
			for _, secret := range []string{mockKeySecret, mockBasicAuth, strings.TrimPrefix(mockBasicAuth, "Basic ")} {
				assert.NotContains(t, msg, secret)
			}
			if len(body) > 0 {
				assert.NotContains(t, msg, strings.TrimSpace(string(body)))
			}
			for _, leak := range tt.leaks {
				assert.NotContains(t, msg, leak)
			}
		})
	}
}

func TestErrorMasksCardNumbers(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxRetries(0))
	mockRespond(t, mt, "POST", "/v1/cards/fingerprints", http.StatusBadRequest, mockFixture(t, "errors/bad_request_card_number.json"))

	_, err := c.Card.RequestCardReference(mockCtx(t), &CardReferenceParams{Number: "4111111111111111"})
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "The card number XXXXXXXXXXXX1111 is not supported for tokenisation", apiErr.Description)
	assert.Equal(t, "number", apiErr.Field)
	assert.Equal(t, "", apiErr.Step)
	assert.NotContains(t, err.Error(), "4111111111111111")
	assert.Contains(t, err.Error(), "[field number]")
}

func TestErrorOfStateCreatingRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		fixture string
		unknown bool
	}{
		{name: "400 is final", status: 400, fixture: "errors/bad_request_full.json"},
		{name: "429 is final without retries", status: 429, fixture: "errors/rate_limited.json"},
		{name: "500 outcome unknown", status: 500, fixture: "errors/server_error.json", unknown: true},
		{name: "504 outcome unknown", status: 504, fixture: "errors/gateway_error.json", unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithMaxRetries(0))
			rec := mockRespond(t, mt, "POST", "/v1/payments/create/recurring", tt.status, mockFixture(t, tt.fixture))

			_, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
			require.Error(t, err)
			assert.Len(t, rec.Calls(), 1)
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown))
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr, "the *Error stays reachable")
			assert.Equal(t, tt.status, apiErr.HTTPStatusCode)
			assert.NotContains(t, err.Error(), mockKeySecret)
			assert.NotContains(t, err.Error(), "token_Nq6Ye9AjM4uNhJ", "the request body is not echoed")
		})
	}
}

func TestErrorMethods(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "everything",
			err:  &Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "bad", Field: "amount", RequestID: "req_1", method: "POST", path: "/v1/orders"},
			want: "razorpay: POST /v1/orders: 400 BAD_REQUEST_ERROR: bad [field amount] [request id req_1]",
		},
		{
			name: "status only",
			err:  &Error{HTTPStatusCode: 503},
			want: "razorpay: 503",
		},
		{
			name: "feature not enabled",
			err:  &Error{HTTPStatusCode: 404, Code: "BAD_REQUEST_ERROR", Description: "The requested URL was not found on the server."},
			want: "razorpay: 404 BAD_REQUEST_ERROR: The requested URL was not found on the server. (this usually means the feature, such as recurring payments or card references, is not enabled on the account, or the order is not a recurring order; ask Razorpay support to enable it)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}

	t.Run("Is by status and code", func(t *testing.T) {
		t.Parallel()
		assert.ErrorIs(t, &Error{HTTPStatusCode: 599}, ErrServer)
		assert.NotErrorIs(t, &Error{HTTPStatusCode: 499}, ErrServer)
		assert.ErrorIs(t, &Error{HTTPStatusCode: 400, Code: CodeGateway}, ErrGateway, "ErrGateway follows the code, not the status")
		assert.NotErrorIs(t, &Error{HTTPStatusCode: 504}, ErrGateway)
		assert.NotErrorIs(t, &Error{HTTPStatusCode: 400}, errors.New("razorpay: bad request"))
	})
}

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	err := error(&ValidationError{Field: "token.max_amount", Message: "must be between 100 and 1500000 paise, got 99"})
	assert.Equal(t, "razorpay: invalid params: token.max_amount: must be between 100 and 1500000 paise, got 99", err.Error())
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.NotErrorIs(t, err, ErrBadRequest)
}

// TestErrorMasksCardNumbersEverywhere: a card number echoed by the server
// does not survive in err.Error(), %v, %+v, %#v or slog, with separators,
// in Metadata, or in a ChargeError's failed payment.
func TestErrorMasksCardNumbersEverywhere(t *testing.T) {
	t.Parallel()
	for _, card := range []string{"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "411111111111"} {
		t.Run(card, func(t *testing.T) {
			t.Parallel()
			body := `{"error":{"code":"BAD_REQUEST_ERROR","description":"Card ` + card + ` is invalid","field":"number ` + card + `",` +
				`"reason":"card_` + card + `","metadata":{"card":"` + card + `","nested":{"n":["` + card + `"]}}}}`
			e := newError("POST", "/v1/cards/fingerprints", 400, http.Header{}, []byte(body))
			require.Equal(t, card, e.Metadata["card"], "the value itself is intact")
			var logs strings.Builder
			slog.New(slog.NewTextHandler(&logs, nil)).Error("failed", "err", error(e))
			for _, form := range []string{
				e.Error(), fmt.Sprint(e), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e),
				fmt.Sprintf("%s", e), fmt.Sprintf("%q", e), fmt.Sprintf("%#v", error(e)), logs.String(),
				fmt.Sprintf("%v", fmt.Errorf("wrapped: %w", e)),
			} {
				assert.NotContains(t, form, card)
				assert.NotContains(t, form, strings.NewReplacer(" ", "", "-", "").Replace(card))
				assert.NotContains(t, form, card[:4], "%s", form)
			}
			assert.Contains(t, fmt.Sprintf("%#v", e), "Metadata:")
			assert.Contains(t, fmt.Sprintf("%#v", e), "HTTPStatusCode:400")

			ce := &ChargeError{OrderID: "order_X", Payment: &Payment{ID: "pay_X", ErrorDescription: "Card " + card + " declined"}, class: ErrNotCharged}
			assert.NotContains(t, ce.Error(), card)
			assert.Contains(t, ce.Error(), "1111 declined")
		})
	}
	var nilErr *Error
	assert.Equal(t, "(*razorpay.Error)(nil)", fmt.Sprintf("%#v", nilErr))
}

func TestErrorsMatchThroughWrapping(t *testing.T) {
	t.Parallel()
	script := mockScript(mockJSON(500, mockServerErr, "X-Razorpay-Request-Id", "req_9"))
	c := mockClient(t, script)
	_, err := c.Payment.CreateRecurring(context.Background(), mockRecurringParams())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, ErrServer)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "req_9", apiErr.RequestID)
	assert.Equal(t, CodeServer, apiErr.Code)
	wrapped := fmt.Errorf("billing run: %w", err)
	assert.True(t, errors.Is(wrapped, ErrOutcomeUnknown))
	assert.Equal(t, "razorpay: POST /v1/payments/create/recurring: outcome unknown (the request may have been processed; reconcile before retrying): 500 SERVER_ERROR: We are facing some trouble completing your request at the moment. Please try again shortly. [request id req_9]", err.Error())
}
