package razorpay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	hookSecret  = "whsec_test_5oMeTh1nG"
	hookAccount = "acc_Wh7TgNt9DVrJB0"
)

// webhookFixture returns the bytes of testdata/webhooks/<name>.json.
func webhookFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "webhooks", name+".json"))
	require.NoError(t, err)
	return b
}

// fixtureEntities returns the raw payload.<name>.entity of a fixture by name, read
// without the SDK.
func fixtureEntities(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var env struct {
		Payload map[string]struct {
			Entity json.RawMessage `json:"entity"`
		} `json:"payload"`
	}
	require.NoError(t, json.Unmarshal(body, &env))
	out := make(map[string]json.RawMessage, len(env.Payload))
	for k, v := range env.Payload {
		out[k] = v.Entity
	}
	return out
}

// typedEntities reports which typed entities of ev are set, by payload name.
func typedEntities(ev *WebhookEvent) map[string]bool {
	return map[string]bool{
		"payment":      ev.Payment != nil,
		"order":        ev.Order != nil,
		"invoice":      ev.Invoice != nil,
		"token":        ev.Token != nil,
		"notification": ev.Notification != nil,
		"refund":       ev.Refund != nil,
	}
}

func TestParseWebhookEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		event     EventType
		contains  []string
		createdAt int64
		check     func(t *testing.T, ev *WebhookEvent)
	}{
		{
			event: EventTokenConfirmed, contains: []string{"token"}, createdAt: 1595449654,
			check: func(t *testing.T, ev *WebhookEvent) {
				tok := ev.Token
				assert.Equal(t, "token_WhConf1rmed001", tok.ID)
				assert.Equal(t, "token", tok.Entity)
				assert.Equal(t, "Ab3CdE9fGh2IjK", tok.Token)
				assert.Equal(t, PaymentMethodCard, tok.Method)
				assert.True(t, tok.Recurring)
				// The card token.confirmed sample has no recurring_details:
				// ParseWebhook fills the status from the event.
				assert.Equal(t, RecurringDetails{Status: TokenRecurringStatusConfirmed}, tok.RecurringDetails)
				assert.Equal(t, TokenRecurringStatusConfirmed, tok.MandateStatus())
				assert.True(t, tok.Chargeable())
				assert.Empty(t, tok.Status)
				assert.Empty(t, tok.AuthType)
				assert.Equal(t, int64(1500000), tok.MaxAmount)
				assert.Equal(t, int64(1595449652), tok.UsedAt)
				assert.Equal(t, int64(1595449600), tok.CreatedAt)
				assert.Equal(t, int64(1924905600), tok.ExpiredAt)
				assert.Empty(t, tok.Notes)
				require.NotNil(t, tok.Card)
				assert.Equal(t, "1111", tok.Card.Last4)
				assert.Equal(t, "Visa", tok.Card.Network)
				assert.Equal(t, "credit", tok.Card.Type)
				assert.Equal(t, "HDFC", tok.Card.Issuer)
				assert.Equal(t, 12, tok.Card.ExpiryMonth)
				assert.Equal(t, 2030, tok.Card.ExpiryYear)
				require.NotNil(t, tok.Card.Flows)
				assert.Equal(t, CardFlows{OTP: true, Recurring: true, Iframe: true}, *tok.Card.Flows)
			},
		},
		{
			event: EventTokenRejected, contains: []string{"token"}, createdAt: 1595450012,
			check: func(t *testing.T, ev *WebhookEvent) {
				tok := ev.Token
				assert.Equal(t, "token_WhRejected002", tok.ID)
				assert.False(t, tok.Recurring)
				assert.Equal(t, RecurringDetails{Status: TokenRecurringStatusRejected, FailureReason: "Rejected by bank"}, tok.RecurringDetails)
				assert.Equal(t, TokenRecurringStatusRejected, tok.MandateStatus())
				assert.False(t, tok.Chargeable())
				assert.Equal(t, "card", tok.AuthType)
				assert.Equal(t, int64(500000), tok.MaxAmount)
				require.NotNil(t, tok.Card)
				assert.Equal(t, "0153", tok.Card.Last4)
				assert.Equal(t, "MasterCard", tok.Card.Network)
				assert.Equal(t, 7, tok.Card.ExpiryMonth)
			},
		},
		{
			event: EventTokenPaused, contains: []string{"token"}, createdAt: 1600000100,
			check: func(t *testing.T, ev *WebhookEvent) {
				tok := ev.Token
				assert.Equal(t, "token_WhPaused00003", tok.ID)
				assert.True(t, tok.Recurring)
				assert.Equal(t, RecurringDetails{Status: TokenRecurringStatusPaused}, tok.RecurringDetails)
				assert.Equal(t, TokenRecurringStatusPaused, tok.MandateStatus())
				assert.False(t, tok.Chargeable(), "a paused mandate cannot be charged although recurring is true")
				assert.Equal(t, "active", tok.Status)
				assert.Equal(t, Notes{"plan": "gold"}, tok.Notes)
			},
		},
		{
			event: EventTokenCancelled, contains: []string{"token"}, createdAt: 1610000300,
			check: func(t *testing.T, ev *WebhookEvent) {
				tok := ev.Token
				assert.Equal(t, "token_WhCancelled04", tok.ID)
				assert.True(t, tok.Recurring)
				assert.Equal(t, TokenRecurringStatusCancelled, tok.RecurringDetails.Status)
				assert.Empty(t, tok.RecurringDetails.FailureReason)
				assert.Equal(t, TokenRecurringStatusCancelled, tok.MandateStatus())
				assert.False(t, tok.Chargeable())
				// The overall status is not the mandate status.
				assert.Equal(t, "active", tok.Status)
				assert.True(t, tok.CompliantWithTokenisationGuidelines)
				assert.Nil(t, tok.BillingAddress)
				assert.Equal(t, int64(4102444799), tok.ExpiredAt)
				require.NotNil(t, tok.Card)
				// "expiry_month": "01", "expiry_year": "2099" as strings.
				assert.Equal(t, 1, tok.Card.ExpiryMonth)
				assert.Equal(t, 2099, tok.Card.ExpiryYear)
				assert.Equal(t, "529932", tok.Card.TokenIIN)
				assert.Equal(t, "5449", tok.Card.Last4)
				assert.Empty(t, tok.Card.CobrandingPartner)
			},
		},
		{
			event: EventPaymentAuthorized, contains: []string{"payment"}, createdAt: 1595449510,
			check: func(t *testing.T, ev *WebhookEvent) {
				p := ev.Payment
				assert.Equal(t, "pay_WhAuthorized01", p.ID)
				assert.Equal(t, "payment", p.Entity)
				assert.Equal(t, PaymentStatusAuthorized, p.Status)
				assert.False(t, p.Captured)
				assert.Equal(t, int64(100), p.Amount)
				assert.Equal(t, "INR", p.Currency)
				assert.Equal(t, "order_WhAuthOrder01", p.OrderID)
				assert.Empty(t, p.InvoiceID)
				assert.Equal(t, PaymentMethodCard, p.Method)
				assert.Equal(t, "cust_WhCustomer001", p.CustomerID)
				assert.Equal(t, "token_WhConf1rmed001", p.TokenID)
				assert.Equal(t, "+919876543210", p.Contact)
				assert.Equal(t, int64(0), p.Fee)
				assert.Equal(t, int64(0), p.Tax)
				assert.Equal(t, "828553", p.AcquirerData.AuthCode)
				assert.Equal(t, Notes{"subscription": "sub_42"}, p.Notes)
				assert.Empty(t, p.ErrorCode)
				assert.Equal(t, "card_WhCard0000001", p.CardID)
				require.NotNil(t, p.Card)
				assert.Equal(t, "card_WhCard0000001", p.Card.ID)
				assert.Equal(t, "1111", p.Card.Last4)
				assert.Equal(t, int64(1595449500), p.CreatedAt)
			},
		},
		{
			event: EventPaymentCaptured, contains: []string{"payment"}, createdAt: 1598000042,
			check: func(t *testing.T, ev *WebhookEvent) {
				p := ev.Payment
				assert.Equal(t, "pay_WhCaptured0002", p.ID)
				assert.Equal(t, PaymentStatusCaptured, p.Status)
				assert.True(t, p.Captured)
				assert.Equal(t, int64(49900), p.Amount)
				assert.Equal(t, int64(1178), p.Fee)
				assert.Equal(t, int64(180), p.Tax)
				assert.Equal(t, "order_WhCharge0002", p.OrderID)
				assert.Equal(t, "030916385726", p.AcquirerData.RRN)
				assert.Equal(t, "541390", p.AcquirerData.AuthCode)
				assert.Empty(t, p.Notes)
			},
		},
		{
			event: EventPaymentFailed, contains: []string{"payment"}, createdAt: 1600600007,
			check: func(t *testing.T, ev *WebhookEvent) {
				p := ev.Payment
				assert.Equal(t, "pay_WhFailed000003", p.ID)
				assert.Equal(t, PaymentStatusFailed, p.Status)
				assert.False(t, p.Captured)
				assert.Equal(t, CodeBadRequest, p.ErrorCode)
				assert.Equal(t, "Payment failed due to insufficient funds in the card.", p.ErrorDescription)
				assert.Equal(t, "gateway", p.ErrorSource)
				assert.Equal(t, "payment_authorization", p.ErrorStep)
				assert.Equal(t, "payment_failed", p.ErrorReason)
				assert.Empty(t, p.AcquirerData.AuthCode)
				assert.Empty(t, p.Description)
				assert.Nil(t, p.Card)
				// "notes": [] is empty notes, not an error.
				assert.Empty(t, p.Notes)
				assert.Equal(t, "token_WhConf1rmed001", p.TokenID)
			},
		},
		{
			event: EventOrderPaid, contains: []string{"payment", "order"}, createdAt: 1598000043,
			check: func(t *testing.T, ev *WebhookEvent) {
				p, o := ev.Payment, ev.Order
				assert.Equal(t, "pay_WhCaptured0002", p.ID)
				assert.Equal(t, PaymentStatusCaptured, p.Status)
				assert.Equal(t, "order_WhCharge0002", o.ID)
				assert.Equal(t, o.ID, p.OrderID)
				assert.Equal(t, "order", o.Entity)
				assert.Equal(t, OrderStatusPaid, o.Status)
				assert.Equal(t, int64(49900), o.Amount)
				assert.Equal(t, int64(49900), o.AmountPaid)
				assert.Equal(t, int64(0), o.AmountDue)
				assert.Equal(t, 1, o.Attempts)
				assert.Equal(t, "sub_42-2020-08", o.Receipt)
				assert.Equal(t, Notes{"subscription": "sub_42"}, o.Notes)
				assert.Nil(t, o.Token)
				assert.Nil(t, o.Notification)
			},
		},
		{
			event: EventInvoicePaid, contains: []string{"payment", "order", "invoice"}, createdAt: 1580000120,
			check: func(t *testing.T, ev *WebhookEvent) {
				p, o, inv := ev.Payment, ev.Order, ev.Invoice
				assert.Equal(t, "pay_WhLinkPaid0004", p.ID)
				assert.Equal(t, "token_WhLinkToken04", p.TokenID)
				assert.Equal(t, inv.ID, p.InvoiceID)
				assert.Equal(t, o.ID, p.OrderID)

				assert.Equal(t, "order_WhLinkOrder04", o.ID)
				assert.Equal(t, OrderStatusPaid, o.Status)
				assert.Equal(t, int64(0), o.AmountDue)
				assert.Empty(t, o.Notes)
				require.NotNil(t, o.Token, "the order of a paid registration link carries its token")
				assert.Equal(t, OrderToken{
					Method:             PaymentMethodCard,
					MaxAmount:          1500000,
					Currency:           "INR",
					FirstPaymentAmount: 100,
				}, *o.Token)

				assert.Equal(t, "inv_WhRegLink00004", inv.ID)
				assert.Equal(t, "invoice", inv.Entity)
				assert.Equal(t, InvoiceTypeLink, inv.Type)
				assert.Equal(t, InvoiceStatusPaid, inv.Status)
				assert.Equal(t, o.ID, inv.OrderID)
				assert.Equal(t, p.ID, inv.PaymentID)
				assert.Equal(t, int64(1580000110), inv.PaidAt)
				assert.Equal(t, int64(0), inv.CancelledAt)
				assert.Equal(t, "cust_WhCustomer001", inv.CustomerID)
				assert.Equal(t, "gaurav.kumar@example.com", inv.CustomerDetails.Email)
				assert.Equal(t, "+919876543210", inv.CustomerDetails.CustomerContact)
				assert.Nil(t, inv.CustomerDetails.BillingAddress)
				assert.Nil(t, inv.LineItems, "webhook invoices carry no line_items")
				assert.Equal(t, "₹", inv.CurrencySymbol)
				assert.Equal(t, NotificationStatusSent, inv.SMSStatus)
				assert.Equal(t, "https://rzp.io/i/WhReg4", inv.ShortURL)
				assert.Empty(t, inv.IdempotencyKey)
			},
		},
		{
			event: EventInvoiceExpired, contains: []string{"invoice"}, createdAt: 1581000061,
			check: func(t *testing.T, ev *WebhookEvent) {
				inv := ev.Invoice
				assert.Equal(t, "inv_WhExpired00005", inv.ID)
				assert.Equal(t, InvoiceStatusExpired, inv.Status)
				assert.Equal(t, int64(1581000060), inv.ExpiredAt)
				assert.Equal(t, int64(1581000000), inv.ExpireBy)
				assert.Empty(t, inv.PaymentID)
				assert.Equal(t, int64(0), inv.PaidAt)
				assert.Equal(t, NotificationStatusPending, inv.EmailStatus)
				assert.Equal(t, "order_WhLinkOrder05", inv.OrderID)
			},
		},
		{
			event: EventOrderNotificationDelivered, contains: []string{"notification"}, createdAt: 1634120401,
			check: func(t *testing.T, ev *WebhookEvent) {
				assert.Equal(t, PreDebitNotification{
					ID:           "notification_WhNotif0006",
					Entity:       "notification",
					OrderID:      "order_WhCharge0006",
					TokenID:      "token_WhConf1rmed001",
					Status:       "delivered",
					DeliveredAt:  1634120400,
					PaymentAfter: 1634207000,
				}, *ev.Notification)
			},
		},
		{
			event: EventOrderNotificationFailed, contains: []string{"notification"}, createdAt: 1634120402,
			check: func(t *testing.T, ev *WebhookEvent) {
				n := ev.Notification
				assert.Equal(t, "notification_WhNotif0007", n.ID)
				assert.Equal(t, "failed", n.Status)
				assert.Equal(t, int64(0), n.DeliveredAt)
				assert.Equal(t, int64(1634207000), n.PaymentAfter)
			},
		},
		{
			event: EventRefundCreated, contains: []string{"refund", "payment"}, createdAt: 1764581401,
			check: func(t *testing.T, ev *WebhookEvent) {
				assert.Equal(t, Refund{
					ID: "rfnd_WhRefund00009", Entity: "refund", Amount: 16633, Currency: "INR",
					PaymentID: "pay_WhRefunded0009", Notes: Notes{"reason": "cancelled mid-month"},
					Receipt: "refund-sub_42-2026-11-1", CreatedAt: 1764581400, Status: RefundStatusPending,
					SpeedProcessed: RefundSpeedNormal, SpeedRequested: RefundSpeedNormal,
				}, *ev.Refund)
				assert.Equal(t, int64(16633), ev.Payment.AmountRefunded)
				assert.Equal(t, "partial", ev.Payment.RefundStatus)
				assert.Equal(t, PaymentStatusCaptured, ev.Payment.Status)
				assert.Equal(t, "refund.created:rfnd_WhRefund00009", ev.IdempotencyKey())
			},
		},
		{
			event: EventRefundProcessed, contains: []string{"refund", "payment"}, createdAt: 1764667802,
			check: func(t *testing.T, ev *WebhookEvent) {
				assert.Equal(t, "rfnd_WhRefund00009", ev.Refund.ID)
				assert.Equal(t, RefundStatusProcessed, ev.Refund.Status)
				assert.Equal(t, "74836134587912345678901", ev.Refund.AcquirerData.ARN)
				assert.Equal(t, "pay_WhRefunded0009", ev.Payment.ID)
				assert.Equal(t, "refund.processed:rfnd_WhRefund00009", ev.IdempotencyKey(), "the refund, not the payment, is the subject")
			},
		},
		{
			event: EventRefundFailed, contains: []string{"refund", "payment"}, createdAt: 1764754203,
			check: func(t *testing.T, ev *WebhookEvent) {
				assert.Equal(t, "rfnd_WhRefund00010", ev.Refund.ID)
				assert.Equal(t, RefundStatusFailed, ev.Refund.Status)
				assert.Equal(t, RefundSpeedOptimum, ev.Refund.SpeedRequested)
				assert.Empty(t, ev.Refund.AcquirerData.ARN)
				assert.Equal(t, "refund.failed:rfnd_WhRefund00010", ev.IdempotencyKey())
			},
		},
		{
			// An event the SDK does not know, with an entity it does not
			// model, still parses: the entity is in Payload only.
			event: "foo.bar", contains: []string{"widget"}, createdAt: 1700000000,
			check: func(t *testing.T, ev *WebhookEvent) {
				var w struct {
					ID     string `json:"id"`
					Spin   []int  `json:"spin"`
					Nested struct {
						Deep struct {
							Deeper bool `json:"deeper"`
						} `json:"deep"`
					} `json:"nested"`
				}
				require.NoError(t, json.Unmarshal(ev.Payload["widget"], &w))
				assert.Equal(t, "widget_WhUnknown008", w.ID)
				assert.Equal(t, []int{1, 2, 3}, w.Spin)
				assert.True(t, w.Nested.Deep.Deeper)
			},
		},
	}
	for _, tc := range tests {
		t.Run(string(tc.event), func(t *testing.T) {
			t.Parallel()
			body := webhookFixture(t, string(tc.event))
			ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
			require.NoError(t, err)
			require.NotNil(t, ev)

			assert.Empty(t, ev.ID, "ParseWebhook leaves ID to the caller")
			assert.Equal(t, "event", ev.Entity)
			assert.Equal(t, hookAccount, ev.AccountID)
			assert.Equal(t, tc.event, ev.Event)
			assert.Equal(t, tc.contains, ev.Contains)
			assert.Equal(t, tc.createdAt, ev.CreatedAt)

			// Payload holds the raw JSON of exactly the payload entities,
			// and each modelled one is decoded, the others are nil.
			want := fixtureEntities(t, body)
			require.Len(t, ev.Payload, len(want))
			for name, raw := range want {
				require.Contains(t, ev.Payload, name)
				assert.JSONEq(t, string(raw), string(ev.Payload[name]), name)
			}
			for name, set := range typedEntities(ev) {
				_, inPayload := want[name]
				assert.Equal(t, inPayload, set, "typed %s set = %v, in payload = %v", name, set, inPayload)
			}
			tc.check(t, ev)
		})
	}
}

// Every fixture file is covered by TestParseWebhookEvents's table, and every
// event constant has a fixture.
func TestParseWebhookFixturesCoverEvents(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "webhooks", "*.json"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	sort.Strings(names)
	want := []string{
		string(EventInvoiceExpired), string(EventInvoicePaid),
		string(EventOrderNotificationDelivered), string(EventOrderNotificationFailed), string(EventOrderPaid),
		string(EventPaymentAuthorized), string(EventPaymentCaptured), string(EventPaymentFailed),
		string(EventTokenCancelled), string(EventTokenConfirmed), string(EventTokenPaused), string(EventTokenRejected),
		string(EventRefundCreated), string(EventRefundProcessed), string(EventRefundFailed),
		"foo.bar",
	}
	sort.Strings(want)
	assert.Equal(t, want, names)
	for _, name := range names {
		var env struct {
			Event string `json:"event"`
		}
		require.NoError(t, json.Unmarshal(webhookFixture(t, name), &env))
		assert.Equal(t, name, env.Event, "fixture file name and event differ")
	}
}

func TestParseWebhookPublishedVectorFields(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join("testdata", "webhooks", "vectors", "razorpay-go_payment_authorized.json"))
	require.NoError(t, err)
	ev, err := ParseWebhook(body, "ea962f3a2a8090aa14ef10fc178306edcb46ee7ccadae8afe2275cda26f3d2a6", "123456")
	require.NoError(t, err)
	assert.Equal(t, "acc_HVFD0PFnHPAzKj", ev.AccountID)
	assert.Equal(t, EventPaymentAuthorized, ev.Event)
	assert.Equal(t, int64(1652339806), ev.CreatedAt)
	require.NotNil(t, ev.Payment)
	assert.Equal(t, "pay_JUEM4c0pSLpFEW", ev.Payment.ID)
	assert.Equal(t, int64(12300), ev.Payment.Amount)
	assert.Equal(t, PaymentMethod("netbanking"), ev.Payment.Method)
	assert.Equal(t, "SBIN", ev.Payment.Bank)
	assert.Equal(t, "6416615", ev.Payment.AcquirerData.BankTransactionID)
	assert.Empty(t, ev.Payment.Notes)
	assert.Nil(t, ev.Order)
	assert.Nil(t, ev.Token)
}

func TestParseWebhookLenientEntities(t *testing.T) {
	t.Parallel()
	// Loose types as seen in the field: numbers as strings, strings as
	// numbers, booleans as 0/1, created_at as a string.
	body := []byte(`{"entity":"event","account_id":"acc_1","event":"payment.captured","contains":["payment"],` +
		`"payload":{"payment":{"entity":{"id":"pay_1","amount":"49900","captured":1,"contact":9876543210,` +
		`"card":{"last4":1111,"emi":null},"notes":{"n":5},"fee":"12"}}},"created_at":"1598000042"}`)
	ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
	require.NoError(t, err)
	assert.Equal(t, int64(1598000042), ev.CreatedAt)
	require.NotNil(t, ev.Payment)
	assert.Equal(t, int64(49900), ev.Payment.Amount)
	assert.True(t, ev.Payment.Captured)
	assert.Equal(t, "9876543210", ev.Payment.Contact)
	assert.Equal(t, int64(12), ev.Payment.Fee)
	require.NotNil(t, ev.Payment.Card)
	assert.Equal(t, "1111", ev.Payment.Card.Last4)
	assert.Equal(t, Notes{"n": "5"}, ev.Payment.Notes)
}

func TestParseWebhookEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		typed   []string // payload names with a typed entity
		payload []string // names in ev.Payload
	}{
		{
			name: "no payload",
			body: `{"entity":"event","event":"token.confirmed","contains":[],"created_at":1}`,
		},
		{
			name: "null entity is absent",
			body: `{"event":"payment.failed","payload":{"payment":{"entity":null},"order":{}}}`,
		},
		{
			name:    "known and unknown together",
			body:    `{"event":"order.paid","payload":{"payment":{"entity":{"id":"pay_1"}},"settlement":{"entity":{"id":"setl_1"}}}}`,
			typed:   []string{"payment"},
			payload: []string{"payment", "settlement"},
		},
		{
			name:    "unknown fields are ignored",
			body:    `{"event":"token.confirmed","surprise":{"a":[1,2]},"payload":{"token":{"entity":{"id":"token_1","new_field":true}}}}`,
			typed:   []string{"token"},
			payload: []string{"token"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tc.body)
			ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
			require.NoError(t, err)
			var typed []string
			for name, set := range typedEntities(ev) {
				if set {
					typed = append(typed, name)
				}
			}
			sort.Strings(typed)
			assert.Equal(t, tc.typed, typed)
			var names []string
			for name := range ev.Payload {
				names = append(names, name)
			}
			sort.Strings(names)
			assert.Equal(t, tc.payload, names)
		})
	}
}

func TestParseWebhookBadSignatureDoesNotParse(t *testing.T) {
	t.Parallel()
	good := webhookFixture(t, string(EventTokenConfirmed))
	tests := []struct {
		name      string
		body      []byte
		signature string
		secret    string
	}{
		{"valid event, wrong signature", good, mockSign("other", good), hookSecret},
		{"valid event, missing signature", good, "", hookSecret},
		{"valid event, empty secret", good, mockSign("", good), ""},
		{"non-JSON, wrong signature", []byte("not json"), mockSign(hookSecret, good), hookSecret},
		{"JSON without event, wrong signature", []byte(`{}`), mockSign(hookSecret, []byte(`{ }`)), hookSecret},
		{"payload that would fail to decode", []byte(`{"event":"x","payload":{"payment":{"entity":"oops"}}}`), strings.Repeat("a", 64), hookSecret},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := ParseWebhook(tc.body, tc.signature, tc.secret)
			assert.Nil(t, ev)
			require.ErrorIs(t, err, ErrSignatureMismatch)
			assert.NotErrorIs(t, err, ErrWebhookPayload, "the body must not be decoded before it is verified")
		})
	}
}

func TestParseWebhookInvalidPayload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"empty body", ""},
		{"not JSON", "not json"},
		{"HTML", "<html><body>502 Bad Gateway</body></html>"},
		{"truncated JSON", `{"entity":"event","event":"token.confirmed"`},
		{"trailing garbage", `{"event":"token.confirmed"} {}`},
		{"JSON null", "null"},
		{"JSON array", `[{"event":"token.confirmed"}]`},
		{"JSON string", `"token.confirmed"`},
		{"no event", `{"entity":"event","account_id":"acc_1","contains":["token"],"payload":{"token":{"entity":{"id":"token_1"}}}}`},
		{"empty event", `{"entity":"event","event":""}`},
		{"null event", `{"entity":"event","event":null}`},
		{"entity is not an object", `{"event":"payment.captured","payload":{"payment":{"entity":"pay_1"}}}`},
		{"entity field of the wrong type", `{"event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1","amount":"12.5"}}}}`},
		{"token of the wrong type", `{"event":"token.confirmed","payload":{"token":{"entity":{"id":"token_1","card":"visa"}}}}`},
		{"contains not a list", `{"event":"token.confirmed","contains":{"a":"token"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tc.body)
			ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
			assert.Nil(t, ev)
			require.ErrorIs(t, err, ErrWebhookPayload)
			assert.NotErrorIs(t, err, ErrSignatureMismatch)
			assert.NotContains(t, err.Error(), hookSecret)
		})
	}
}

// ctxKey keys the context value the handler tests put on requests.
type ctxKey struct{}

// eventRecorder counts calls of a webhook function and keeps what it saw.
type eventRecorder struct {
	mu     sync.Mutex
	calls  int
	events []*WebhookEvent
	values []any
	err    error
}

func (r *eventRecorder) fn(ctx context.Context, ev *WebhookEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.events = append(r.events, ev)
	r.values = append(r.values, ctx.Value(ctxKey{}))
	return r.err
}

func (r *eventRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// postWebhook builds a webhook delivery; an empty signature leaves the header out.
func postWebhook(body []byte, signature, eventID string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/razorpay", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Razorpay-Signature", signature)
	}
	if eventID != "" {
		req.Header.Set("X-Razorpay-Event-Id", eventID)
	}
	return req
}

// paddedBody returns a signed-able event of exactly n bytes (n >= its compact size).
func paddedBody(t *testing.T, n int) []byte {
	t.Helper()
	body := []byte(`{"entity":"event","event":"token.confirmed","payload":{"token":{"entity":{"id":"token_big"}}}}`)
	require.LessOrEqual(t, len(body), n)
	return append(body, bytes.Repeat([]byte(" "), n-len(body))...)
}

func TestWebhookHandlerSuccess(t *testing.T) {
	t.Parallel()
	rec := &eventRecorder{}
	h := WebhookHandler(hookSecret, rec.fn)
	body := webhookFixture(t, string(EventTokenConfirmed))
	req := postWebhook(body, mockSign(hookSecret, body), "evt_WhDelivery0001")
	req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, "request-scoped"))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)

	assert.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, rec.count())
	ev := rec.events[0]
	assert.Equal(t, "evt_WhDelivery0001", ev.ID)
	assert.Equal(t, EventTokenConfirmed, ev.Event)
	assert.Equal(t, hookAccount, ev.AccountID)
	require.NotNil(t, ev.Token)
	assert.Equal(t, "token_WhConf1rmed001", ev.Token.ID)
	assert.Equal(t, "request-scoped", rec.values[0], "fn must get the request's context")
}

func TestWebhookHandlerWithoutEventID(t *testing.T) {
	t.Parallel()
	rec := &eventRecorder{}
	h := WebhookHandler(hookSecret, rec.fn)
	body := webhookFixture(t, string(EventPaymentCaptured))
	other := webhookFixture(t, string(EventOrderPaid))
	for _, b := range [][]byte{body, body, other} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, postWebhook(b, mockSign(hookSecret, b), ""))
		require.Equal(t, http.StatusOK, w.Code)
	}
	require.Equal(t, 3, rec.count())
	sum := sha256.Sum256(body)
	assert.Equal(t, "body:"+hex.EncodeToString(sum[:]), rec.events[0].ID)
	assert.Equal(t, rec.events[0].ID, rec.events[1].ID, "a byte-identical redelivery has the same ID")
	assert.NotEqual(t, rec.events[0].ID, rec.events[2].ID)
}

func TestWebhookHandlerEveryFixture(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "webhooks", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &eventRecorder{}
			body := webhookFixture(t, name)
			w := httptest.NewRecorder()
			WebhookHandler(hookSecret, rec.fn).ServeHTTP(w, postWebhook(body, mockSign(hookSecret, body), "evt_"+name))
			assert.Equal(t, http.StatusOK, w.Code)
			require.Equal(t, 1, rec.count())
			assert.Equal(t, EventType(name), rec.events[0].Event)
			assert.Equal(t, "evt_"+name, rec.events[0].ID)
		})
	}
}

func TestWebhookHandlerRefusals(t *testing.T) {
	t.Parallel()
	body := webhookFixture(t, string(EventPaymentCaptured))
	sig := mockSign(hookSecret, body)
	tooBig := paddedBody(t, MaxWebhookBodyBytes+1)
	notJSON := []byte("definitely not json")
	noEvent := []byte(`{"entity":"event","payload":{}}`)

	tests := []struct {
		name     string
		req      func() *http.Request
		fnErr    error
		nilFn    bool
		status   int
		called   int
		bodyText string
	}{
		{
			name:   "GET",
			req:    func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) },
			status: http.StatusMethodNotAllowed,
		},
		{
			name: "PUT with a valid delivery",
			req: func() *http.Request {
				r := postWebhook(body, sig, "evt_1")
				r.Method = http.MethodPut
				return r
			},
			status: http.StatusMethodNotAllowed,
		},
		{
			name:   "GET with nil fn",
			req:    func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) },
			nilFn:  true,
			status: http.StatusMethodNotAllowed,
		},
		{
			name:     "body over the cap, correctly signed",
			req:      func() *http.Request { return postWebhook(tooBig, mockSign(hookSecret, tooBig), "evt_1") },
			status:   http.StatusRequestEntityTooLarge,
			bodyText: "too large",
		},
		{
			name:     "missing signature",
			req:      func() *http.Request { return postWebhook(body, "", "evt_1") },
			status:   http.StatusBadRequest,
			bodyText: "invalid signature",
		},
		{
			name:     "signature of another secret",
			req:      func() *http.Request { return postWebhook(body, mockSign("whsec_old", body), "evt_1") },
			status:   http.StatusBadRequest,
			bodyText: "invalid signature",
		},
		{
			name:     "upper-case signature",
			req:      func() *http.Request { return postWebhook(body, strings.ToUpper(sig), "evt_1") },
			status:   http.StatusBadRequest,
			bodyText: "invalid signature",
		},
		{
			name: "body altered after signing",
			req: func() *http.Request {
				return postWebhook(bytes.Replace(body, []byte("49900"), []byte("4990"), 1), sig, "evt_1")
			},
			status:   http.StatusBadRequest,
			bodyText: "invalid signature",
		},
		{
			name:     "signed non-JSON",
			req:      func() *http.Request { return postWebhook(notJSON, mockSign(hookSecret, notJSON), "evt_1") },
			status:   http.StatusBadRequest,
			bodyText: "invalid payload",
		},
		{
			name:     "signed JSON without event",
			req:      func() *http.Request { return postWebhook(noEvent, mockSign(hookSecret, noEvent), "evt_1") },
			status:   http.StatusBadRequest,
			bodyText: "invalid payload",
		},
		{
			name:   "fn fails",
			req:    func() *http.Request { return postWebhook(body, sig, "evt_1") },
			fnErr:  errors.New("database down"),
			status: http.StatusInternalServerError,
			called: 1,
		},
		{
			name:   "nil fn",
			req:    func() *http.Request { return postWebhook(body, sig, "evt_1") },
			nilFn:  true,
			status: http.StatusInternalServerError,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &eventRecorder{err: tc.fnErr}
			fn := rec.fn
			if tc.nilFn {
				fn = nil
			}
			w := httptest.NewRecorder()
			WebhookHandler(hookSecret, fn).ServeHTTP(w, tc.req())

			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.called, rec.count(), "calls of fn")
			if tc.status == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			}
			if tc.bodyText != "" {
				assert.Contains(t, w.Body.String(), tc.bodyText)
			}
			assert.NotContains(t, w.Body.String(), hookSecret)
			assert.NotContains(t, w.Body.String(), "database down", "fn's error is not shown to the caller")
		})
	}
}

func TestWebhookHandlerBodyAtTheCap(t *testing.T) {
	t.Parallel()
	body := paddedBody(t, MaxWebhookBodyBytes)
	rec := &eventRecorder{}
	w := httptest.NewRecorder()
	WebhookHandler(hookSecret, rec.fn).ServeHTTP(w, postWebhook(body, mockSign(hookSecret, body), "evt_big"))
	assert.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, 1, rec.count())
	require.NotNil(t, rec.events[0].Token)
	assert.Equal(t, "token_big", rec.events[0].Token.ID)
}

// Over a real connection: every delivery reaches fn with its own event id,
// a redelivery carries the same id (deduplication is fn's job), and a
// failed fn gets a 500 so that Razorpay delivers again.
func TestWebhookHandlerOverHTTP(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		seen []string
		fail = map[string]bool{"evt_3": true}
	)
	srv := httptest.NewServer(WebhookHandler(hookSecret, func(_ context.Context, ev *WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, ev.ID+" "+string(ev.Event))
		if fail[ev.ID] {
			delete(fail, ev.ID)
			return errors.New("try again")
		}
		return nil
	}))
	t.Cleanup(srv.Close)

	post := func(name, id, signature string) int {
		body := webhookFixture(t, name)
		if signature == "" {
			signature = mockSign(hookSecret, body)
		}
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Razorpay-Signature", signature)
		req.Header.Set("X-Razorpay-Event-Id", id)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}

	assert.Equal(t, http.StatusOK, post("payment.captured", "evt_1", ""))
	assert.Equal(t, http.StatusOK, post("order.paid", "evt_2", ""))
	assert.Equal(t, http.StatusOK, post("payment.captured", "evt_1", "")) // redelivery
	assert.Equal(t, http.StatusInternalServerError, post("token.confirmed", "evt_3", ""))
	assert.Equal(t, http.StatusOK, post("token.confirmed", "evt_3", "")) // retried after the 500
	assert.Equal(t, http.StatusBadRequest, post("token.confirmed", "evt_4", strings.Repeat("0", 64)))

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"evt_1 payment.captured",
		"evt_2 order.paid",
		"evt_1 payment.captured",
		"evt_3 token.confirmed",
		"evt_3 token.confirmed",
	}, seen)
}

func FuzzParseWebhook(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "webhooks", "*.json"))
	require.NoError(f, err)
	for _, file := range files {
		body, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(body, mockSign(hookSecret, body), hookSecret)
	}
	f.Fuzz(func(t *testing.T, body []byte, signature, secret string) {
		ev, err := ParseWebhook(body, signature, secret)
		if secret == "" || signature != mockSign(secret, body) {
			require.ErrorIs(t, err, ErrSignatureMismatch)
			require.Nil(t, ev)
		} else if err != nil {
			require.ErrorIs(t, err, ErrWebhookPayload)
			require.Nil(t, ev)
		}

		// The same body signed by the harness always verifies; it then
		// parses or is refused as a payload, never as a signature.
		key := secret
		if key == "" {
			key = hookSecret
		}
		ev, err = ParseWebhook(body, mockSign(key, body), key)
		if err != nil {
			require.ErrorIs(t, err, ErrWebhookPayload)
			require.NotErrorIs(t, err, ErrSignatureMismatch)
			require.Nil(t, ev)
			return
		}
		require.NotNil(t, ev)
		require.NotEmpty(t, ev.Event)
		require.Empty(t, ev.ID)
		for name, set := range typedEntities(ev) {
			_, inPayload := ev.Payload[name]
			require.Equal(t, inPayload, set, "payload %s", name)
		}
		for name, raw := range ev.Payload {
			require.True(t, json.Valid(raw), "payload %s is not JSON", name)
			require.NotEqual(t, "null", string(raw))
		}
	})
}

// TestWebhookReplaysShareTheIdempotencyKey: one captured, validly signed
// body replayed with three different X-Razorpay-Event-Id headers, and
// without one, reaches the callback with one IdempotencyKey to deduplicate
// on, while ID stays each header's value.
func TestWebhookReplaysShareTheIdempotencyKey(t *testing.T) {
	t.Parallel()
	const secret = "whsec"
	body := `{"entity":"event","account_id":"acc_X","event":"payment.captured","contains":["payment"],` +
		`"payload":{"payment":{"entity":{"id":"pay_X","entity":"payment","amount":100,"status":"captured"}}},"created_at":1764064800}`
	var mu sync.Mutex
	keys := map[string]int{}
	ids := map[string]bool{}
	h := WebhookHandler(secret, func(_ context.Context, ev *WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		keys[ev.IdempotencyKey()]++
		ids[ev.ID] = true
		return nil
	})
	for _, id := range []string{"evt_1", "evt_2", "evt_3", ""} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks", strings.NewReader(body))
		req.Header.Set("X-Razorpay-Signature", mockSign(secret, []byte(body)))
		if id != "" {
			req.Header.Set("X-Razorpay-Event-Id", id)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
	}
	assert.Equal(t, map[string]int{"payment.captured:pay_X": 4}, keys)
	assert.Len(t, ids, 4, "ID stays the header's value")
}

func TestWebhookIdempotencyKeyForms(t *testing.T) {
	t.Parallel()
	const secret = "whsec"
	tests := []struct{ body, want string }{
		{`{"event":"payment.failed","payload":{"payment":{"entity":{"id":"pay_F"}}}}`, "payment.failed:pay_F"},
		{`{"event":"order.paid","payload":{"payment":{"entity":{"id":"pay_P"}},"order":{"entity":{"id":"order_O"}}}}`, "order.paid:order_O"},
		{`{"event":"token.confirmed","payload":{"token":{"entity":{"id":"token_T"}}}}`, "token.confirmed:token_T"},
		{`{"event":"invoice.paid","payload":{"invoice":{"entity":{"id":"inv_I"}},"payment":{"entity":{"id":"pay_P"}}}}`, "invoice.paid:inv_I"},
		{`{"event":"refund.created","payload":{"refund":{"entity":{"id":"rfnd_R"}}}}`, "refund.created:rfnd_R"},
	}
	for _, tt := range tests {
		ev, err := ParseWebhook([]byte(tt.body), mockSign(secret, []byte(tt.body)), secret)
		require.NoError(t, err)
		assert.Equal(t, tt.want, ev.IdempotencyKey())
	}
	// Without an entity id: the event type and the hash of the signed body.
	body := `{"event":"account.updated","payload":{}}`
	ev, err := ParseWebhook([]byte(body), mockSign(secret, []byte(body)), secret)
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(body))
	assert.Equal(t, "account.updated:sha256:"+hex.EncodeToString(sum[:]), ev.IdempotencyKey())
	var none *WebhookEvent
	assert.Empty(t, none.IdempotencyKey())
}

// TestWebhookSlowBodyIsCutOff: a client that trickles its body gets 408
// within seconds, and the callback is not called.
func TestWebhookSlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	called := make(chan struct{}, 1)
	srv := httptest.NewServer(webhookHandler("whsec", func(context.Context, *WebhookEvent) error {
		called <- struct{}{}
		return nil
	}, 300*time.Millisecond))
	t.Cleanup(srv.Close)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	_, err = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	start := time.Now()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() { // one byte every 100 ms: the whole body would take 100 s
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := io.WriteString(conn, " "); err != nil {
					return
				}
			}
		}
	}()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "an answer within seconds")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.Empty(t, called)
}

func TestWebhookHandlerDefaultReadTimeout(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 10*time.Second, WebhookReadTimeout)
}

// TestWebhookEmptySecretIs500AndLoggedOnce: with an empty webhook secret
// every delivery is a 500 (Razorpay retries it), not a 400 (which would
// tell Razorpay the payload is bad), and the mistake is logged once.
func TestWebhookEmptySecretIs500AndLoggedOnce(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	var logMu sync.Mutex
	srv := httptest.NewUnstartedServer(WebhookHandler("", func(context.Context, *WebhookEvent) error {
		t.Error("fn must not be called")
		return nil
	}))
	srv.Config.ErrorLog = log.New(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), "", 0)
	srv.Start()
	t.Cleanup(srv.Close)

	body := `{"event":"payment.captured","payload":{}}`
	for range 3 {
		req, err := http.NewRequestWithContext(mockCtx(t, 10*time.Second), http.MethodPost, srv.URL, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Razorpay-Signature", mockSign("", []byte(body)))
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	}
	logMu.Lock()
	defer logMu.Unlock()
	assert.Equal(t, 1, strings.Count(logs.String(), "empty webhook secret"), logs.String())
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// A payload name given twice keeps what its last entry says: a null entity
// leaves neither the typed entity nor the raw one of the earlier entry.
func TestParseWebhookRepeatedPayloadName(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entity":"event","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_A","entity":"payment"}},"payment":{"entity":null},"order":{"entity":{"id":"order_A","entity":"order"}}}}`)
	ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
	require.NoError(t, err)
	assert.Nil(t, ev.Payment)
	assert.NotContains(t, ev.Payload, "payment")
	require.NotNil(t, ev.Order)
	assert.Equal(t, "order_A", ev.Order.ID)
}

// The event owns its raw payload: a caller reusing its read buffer after
// ParseWebhook does not change it.
func TestParseWebhookPayloadOwnsItsBytes(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_A","entity":"payment"}}}}`)
	ev, err := ParseWebhook(body, mockSign(hookSecret, body), hookSecret)
	require.NoError(t, err)
	for i := range body {
		body[i] = ' '
	}
	var p map[string]any
	require.NoError(t, json.Unmarshal(ev.Payload["payment"], &p))
	assert.Equal(t, "pay_A", p["id"])
}
