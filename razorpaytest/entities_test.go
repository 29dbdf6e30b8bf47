package razorpaytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestWireShapes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	var cust map[string]any
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/customers/"+f.cust.ID, nil, &cust))
	assert.Equal(t, []any{}, cust["notes"], "empty notes are [] like the live API")
	assert.Nil(t, cust["gstin"])
	assert.Contains(t, cust, "created_at")

	var pay map[string]any
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/payments/"+f.authPay.ID, nil, &pay))
	for _, k := range []string{"refund_status", "bank", "wallet", "vpa", "error_code", "error_description"} {
		assert.Contains(t, pay, k)
		assert.Nil(t, pay[k], k)
	}
	assert.NotContains(t, pay, "card")

	var inv map[string]any
	link, err := f.c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "mandate", SMSNotify: razorpay.Ptr(false),
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyAsPresented},
	})
	require.NoError(t, err)
	require.NoError(t, f.c.Do(ctx, "GET", "/v1/invoices/"+link.ID, nil, &inv))
	assert.Equal(t, []any{}, inv["line_items"])
	assert.Nil(t, inv["payment_id"])
	assert.Nil(t, inv["sms_status"], "sms_notify false")
	assert.Equal(t, "pending", inv["email_status"])

	// expand[]=card embeds the card: ask through raw HTTP, as the SDK's Do
	// takes no query.
	req, err := http.NewRequest("GET", f.srv.URL+"/v1/payments/"+f.authPay.ID+"?expand[]=card", nil)
	require.NoError(t, err)
	req.SetBasicAuth(razorpaytest.KeyID, razorpaytest.KeySecret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var expanded razorpay.Payment
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&expanded))
	require.NotNil(t, expanded.Card)
	assert.Equal(t, f.authPay.CardID, expanded.Card.ID)
}

// jsonShape maps every key path of a JSON document to the JSON type of its
// value ("null" where the value is null). Notes are data, not shape: an
// object or [] alike.
func jsonShape(prefix string, v any, out map[string]string) {
	if strings.HasSuffix(prefix, ".notes") {
		out[prefix] = "notes"
		return
	}
	switch x := v.(type) {
	case map[string]any:
		out[prefix] = "object"
		for k, e := range x {
			jsonShape(prefix+"."+k, e, out)
		}
	case []any:
		out[prefix] = "array"
	case string:
		out[prefix] = "string"
	case float64:
		out[prefix] = "number"
	case bool:
		out[prefix] = "bool"
	case nil:
		out[prefix] = "null"
	}
}

func tokenEntityShape(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var env struct {
		Payload struct {
			Token struct {
				Entity any `json:"entity"`
			} `json:"token"`
		} `json:"payload"`
	}
	require.NoError(t, json.Unmarshal(body, &env))
	out := map[string]string{}
	jsonShape("token", env.Payload.Token.Entity, out)
	return out
}

// The fake's token.* events have the shape of Razorpay's documented samples
// (testdata/webhooks/token.*.json of the root package): the same keys at
// every level, and the same JSON types wherever neither side is null.
func TestTokenEventsHaveTheDocumentedShape(t *testing.T) {
	t.Parallel()
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(hook.Close)
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithWebhook(hook.URL, "whsec_shape"))
	ctx := context.Background()

	m, err := srv.NewMandate(ctx, 500000) // token.confirmed
	require.NoError(t, err)
	require.NoError(t, srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringStatusPaused))
	require.NoError(t, srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringStatusCancelled))
	c := srv.Client()
	o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{
		Amount: 100, Currency: "INR", CustomerID: m.CustomerID, Method: razorpay.PaymentMethodCard,
		Token: &razorpay.OrderTokenParams{MaxAmount: 500000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	_, err = srv.RejectAuthorization(o.ID, "") // token.rejected
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitForWebhooks(wctx))

	seen := map[razorpay.EventType]bool{}
	for _, d := range srv.Webhooks() {
		if d.Event != razorpay.EventTokenConfirmed && d.Event != razorpay.EventTokenPaused &&
			d.Event != razorpay.EventTokenCancelled && d.Event != razorpay.EventTokenRejected {
			continue
		}
		seen[d.Event] = true
		sample, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", string(d.Event)+".json"))
		require.NoError(t, err)
		want, got := tokenEntityShape(t, sample), tokenEntityShape(t, d.Body)
		assert.Equal(t, keysOf(want), keysOf(got), "%s: the keys of the documented sample", d.Event)
		for k, wt := range want {
			if gt, ok := got[k]; ok && wt != "null" && gt != "null" {
				assert.Equal(t, wt, gt, "%s: the JSON type of %s", d.Event, k)
			}
		}

		// And the SDK reads the mandate state from it.
		ev, err := razorpay.ParseWebhook(d.Body, d.Signature, "whsec_shape")
		require.NoError(t, err)
		assert.Equal(t, m.TokenID == ev.Token.ID, d.Event != razorpay.EventTokenRejected)
		assert.Empty(t, ev.Token.CustomerID, "token events do not name the customer")
		assert.Equal(t, razorpay.TokenRecurringStatus(string(d.Event)[len("token."):]), ev.Token.MandateStatus())
	}
	assert.Len(t, seen, 4, "every token event was emitted")
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
