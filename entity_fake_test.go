package razorpay_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// The fake's shapes against the SDK's entity registry: every registered
// entity is one the fake answers or posts, under the registry's name, with
// only keys the SDK's type has a field for (or that unmodeled lists), and
// the SDK decodes it. The fake writes its JSON itself (an independent
// implementation); this test reads the names from the registry (entity.go).
func TestFakeEntitiesMatchTheRegistry(t *testing.T) {
	t.Parallel()
	const secret = "whsec_registry"
	endpoint := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(endpoint.Close)
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithWebhook(endpoint.URL, secret))
	ctx := mockCtx(t)
	c := srv.Client()

	// One of each entity, through the API and the card holder.
	m, err := srv.NewMandate(ctx, 100_000)
	require.NoError(t, err)
	charge, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "registry-1",
		Notification: &razorpay.OrderNotificationParams{TokenID: m.TokenID}})
	require.NoError(t, err)
	require.NoError(t, srv.NotifyPreDebit(charge.ID, true))
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com"},
		Amount:   100, Currency: "INR", Description: "mandate",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 1000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	require.NoError(t, srv.ExpireLink(link.ID))
	refund, err := c.Payment.Refund(ctx, m.PaymentID, &razorpay.RefundCreateParams{Amount: 50, IdempotencyKey: "registry-refund-1"})
	require.NoError(t, err)

	// The fake's raw JSON of each, by the registry's name: API answers...
	seen := map[string][]json.RawMessage{}
	get := func(name, path string) {
		var raw json.RawMessage
		require.NoError(t, c.Do(ctx, "GET", path, nil, &raw), path)
		seen[name] = append(seen[name], raw)
	}
	get("customer", "/v1/customers/"+m.CustomerID)
	get("order", "/v1/orders/"+m.OrderID)
	get("payment", "/v1/payments/"+m.PaymentID)
	get("card", "/v1/payments/"+m.PaymentID+"/card")
	get("token", "/v1/customers/"+m.CustomerID+"/tokens/"+m.TokenID)
	get("invoice", "/v1/invoices/"+link.ID)
	get("refund", "/v1/refunds/"+refund.ID)
	// ...and webhook payloads, whose entry names are entity names.
	require.NoError(t, srv.WaitForWebhooks(ctx))
	events := 0
	for _, d := range srv.Webhooks() {
		var env struct {
			Payload map[string]struct {
				Entity json.RawMessage `json:"entity"`
			} `json:"payload"`
		}
		require.NoError(t, json.Unmarshal(d.Body, &env))
		ev, err := razorpay.ParseWebhook(d.Body, d.Signature, secret)
		require.NoError(t, err)
		for name, entry := range env.Payload {
			seen[name] = append(seen[name], entry.Entity)
			reg := registered(t, name)
			require.True(t, reg.InEvents, "the fake's %s carries a payload %q, which WebhookEvent has no field for", d.Event, name)
			assert.NotNil(t, reg.Event(ev), "%s: payload.%s decoded into the event", d.Event, name)
			events++
		}
	}
	require.NotZero(t, events)

	// The keys of Razorpay's documented shapes that the SDK's types leave
	// out, by entity.
	unmodeled := map[string][]string{
		"token": {"vpa"}, // the token.* webhook samples; null for cards
	}
	registry := razorpay.RegisteredEntities()
	for _, reg := range registry {
		t.Run(reg.Name, func(t *testing.T) {
			t.Parallel()
			require.NotEmpty(t, seen[reg.Name], "the fake answers or posts no %s: add how to get one here", reg.Name)
			for _, raw := range seen[reg.Name] {
				var keys map[string]json.RawMessage
				require.NoError(t, json.Unmarshal(raw, &keys))
				var entity string
				require.NoError(t, json.Unmarshal(keys["entity"], &entity))
				assert.Equal(t, reg.Name, entity, "the fake names the entity as the registry does")
				v := reg.New()
				fields := jsonFields(reflect.TypeOf(v).Elem())
				for k := range keys {
					assert.True(t, fields[k] || slices.Contains(unmodeled[reg.Name], k), "the fake's %s has key %q, which %T has no field for", reg.Name, k, v)
				}
				require.NoError(t, json.Unmarshal(raw, v))
				id := reflect.ValueOf(v).Elem().FieldByName("ID").String()
				assert.True(t, strings.Contains(string(raw), `"`+id+`"`) && id != "", "decoded with its id: %s", raw)
			}
		})
	}
	for name := range seen {
		assert.True(t, slices.ContainsFunc(registry, func(r razorpay.RegisteredEntity) bool { return r.Name == name }), "the fake's %s is not registered", name)
	}
}

func registered(t *testing.T, name string) razorpay.RegisteredEntity {
	t.Helper()
	for _, r := range razorpay.RegisteredEntities() {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("%q is not a registered entity", name)
	return razorpay.RegisteredEntity{}
}

// jsonFields returns the JSON names of the fields of the struct type t.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		if n, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); n != "" && n != "-" {
			out[n] = true
		}
	}
	return out
}
