package razorpay

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RegisteredEntity is an entry of the entity registry as the external tests
// (entity_fake_test.go) see it.
type RegisteredEntity struct {
	Name string
	// New returns a new, zero value of the entity's type (a pointer).
	New func() any
	// InEvents reports whether webhook events carry the entity in a typed
	// field of WebhookEvent, which Event returns (nil when absent).
	InEvents bool
	Event    func(*WebhookEvent) any
}

// RegisteredEntities returns the entity registry (entityTypes) to the
// external tests.
func RegisteredEntities() []RegisteredEntity {
	var out []RegisteredEntity
	for i := range entityTypes {
		et := &entityTypes[i]
		r := RegisteredEntity{Name: et.name, New: func() any { return et.new() }, InEvents: et.get != nil}
		if et.get != nil {
			r.Event = func(ev *WebhookEvent) any {
				if v := et.get(ev); v != nil {
					return v
				}
				return nil
			}
		}
		out = append(out, r)
	}
	return out
}

// entityStructs returns the struct types of the package's source files
// that have an Entity string field tagged json:"entity", but for generic
// ones (List[T], whose entity is "collection").
func entityStructs(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var out []string
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || ts.TypeParams != nil {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				typ, isIdent := fld.Type.(*ast.Ident)
				if fld.Tag == nil || !isIdent || typ.Name != "string" || len(fld.Names) != 1 || fld.Names[0].Name != "Entity" {
					continue
				}
				tag, err := strconv.Unquote(fld.Tag.Value)
				require.NoError(t, err)
				if n, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ","); n == "entity" {
					out = append(out, ts.Name.Name)
				}
			}
			return true
		})
	}
	slices.Sort(out)
	return out
}

// Every entity type is registered, once: a struct type with an entity field
// that is missing from entityTypes fails here.
func TestEveryEntityRegistered(t *testing.T) {
	t.Parallel()
	var registered []string
	names := map[string]bool{}
	for _, et := range entityTypes {
		assert.False(t, names[et.name], "%s registered twice", et.name)
		names[et.name] = true
		registered = append(registered, strings.TrimPrefix(fmt.Sprintf("%T", et.new()), "*razorpay."))
	}
	slices.Sort(registered)
	assert.Equal(t, entityStructs(t), registered, "every struct type with an Entity field is registered in entityTypes (entity.go), once")
}

// Each registration reads its own entity: the constructor makes the type,
// entityOf finds it by type with its name and id, and the webhook accessors
// set and read the field of that name.
func TestEntityRegistry(t *testing.T) {
	t.Parallel()
	for i := range entityTypes {
		et := &entityTypes[i]
		t.Run(et.name, func(t *testing.T) {
			t.Parallel()
			v := et.new()
			require.NoError(t, decodeJSON([]byte(`{"entity":"`+et.name+`","id":"x_1"}`), v))
			want, got, id, ok := entityOf(v)
			require.True(t, ok)
			assert.Equal(t, [3]string{et.name, et.name, "x_1"}, [3]string{want, got, id})
			_, _, _, ok = entityOf(reflect.Zero(reflect.TypeOf(v)).Interface())
			assert.False(t, ok, "a nil pointer is no entity")
			found, ok := entityNamed(et.name)
			require.True(t, ok)
			assert.Same(t, et, found)
			if et.get == nil {
				return
			}
			var ev WebhookEvent
			assert.Nil(t, et.get(&ev))
			et.set(&ev, v)
			assert.Same(t, v, et.get(&ev))
			evField := reflect.ValueOf(ev)
			set := 0
			for i := range evField.NumField() {
				if f := evField.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
					set++
					assert.Equal(t, reflect.ValueOf(v).Pointer(), f.Pointer())
				}
			}
			assert.Equal(t, 1, set, "the event's one field of that entity")
			et.set(&ev, nil)
			assert.Nil(t, et.get(&ev))
		})
	}
	_, _, _, ok := entityOf(new(RecurringPayment))
	assert.False(t, ok, "not an entity")
	_, ok = entityNamed("collection")
	assert.False(t, ok)
}

// TestEntityChecked: a 2xx answer that is not the entity asked for is an
// *Error with a clear description, never a zero value with a nil error.
func TestEntityChecked(t *testing.T) {
	t.Parallel()
	const errorObject = `{"error":{"code":"BAD_REQUEST_ERROR","description":"Payment failed for card 4111 1111 1111 1111","source":"NA","step":"NA","reason":"NA","metadata":{}}}`
	tests := []struct {
		name    string
		body    string
		call    func(ctx context.Context, c *Client) (any, error)
		write   bool
		desc    string // part of the *Error's Description
		notDesc string
	}{
		{"Payment.Fetch answered with an order", mockOrderJSON,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "the answer is an order, not a payment", ""},
		{"Payment.Fetch answered with a payment without id", `{"entity":"payment","amount":5000}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "no id", ""},
		{"Payment.Fetch answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) { return c.Payment.Fetch(ctx, "pay_RT000000000001") },
			false, "error object in a 200 answer: Payment failed for card XXXX XXXX XXXX 1111", "4111 1111"},
		{"Customer.Fetch answered with {}", `{}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Customer.Fetch(ctx, "cust_RT0000000001") },
			false, "not a customer", ""},
		{"Token.Fetch answered with a card", `{"id":"card_X","entity":"card"}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Token.Fetch(ctx, "cust_X", "token_X") },
			false, "the answer is a card, not a token", ""},
		{"Order.Create answered with a payment", mockPaymentJSON,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Order.Create(ctx, &OrderCreateParams{Amount: 5000, Currency: "INR"})
			},
			true, "the answer is a payment, not an order", ""},
		{"CreateRecurring answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Payment.CreateRecurring(ctx, mockRecurringParams())
			},
			true, "error object in a 200 answer", ""},
		{"CreateRecurring answered with {}", `{}`,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Payment.CreateRecurring(ctx, mockRecurringParams())
			},
			true, "no razorpay_payment_id", ""},
		{"Customer.List answered with an error object and 200", errorObject,
			func(ctx context.Context, c *Client) (any, error) { return c.Customer.List(ctx, nil) },
			false, "error object in a 200 answer", ""},
		{"Order.Payments answered with orders", `{"entity":"collection","count":1,"items":[` + mockOrderJSON + `]}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Order.Payments(ctx, "order_RT00000000001") },
			false, "item 0: the answer is an order, not a payment", ""},
		{"Token.List answered with a payment", mockPaymentJSON,
			func(ctx context.Context, c *Client) (any, error) { return c.Token.List(ctx, "cust_X") },
			false, "the answer is a payment, not a collection", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			script := mockScript(mockJSON(200, tt.body))
			c := mockClient(t, script)
			v, err := tt.call(mockCtx(t, 10*time.Second), c)
			assert.True(t, v == nil || fmt.Sprint(v) == "<nil>", "no value: %#v", v)
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.HTTPStatusCode)
			assert.Contains(t, apiErr.Description, tt.desc)
			assert.Contains(t, err.Error(), tt.desc)
			if tt.notDesc != "" {
				assert.NotContains(t, err.Error(), tt.notDesc)
			}
			assert.Equal(t, tt.write, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown for a state-creating call only: %v", err)
			assert.Equal(t, 1, script.count(), "not retried")
		})
	}
}

// TestEntityWellFormedAnswersPass: the entity check accepts what Razorpay
// sends, including entities that do not name their entity.
func TestEntityWellFormedAnswersPass(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(200, mockPaymentJSON),
		mockJSON(200, `{"id":"pay_RT000000000001","amount":1}`),
		mockJSON(200, `{"entity":"collection","count":0,"items":[]}`),
		mockJSON(200, `{"count":1,"items":[`+mockPaymentJSON+`]}`),
	)
	c := mockClient(t, script)
	ctx := mockCtx(t, 10*time.Second)
	_, err := c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.NoError(t, err)
	_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.NoError(t, err)
	_, err = c.Order.Payments(ctx, "order_RT00000000001")
	require.NoError(t, err)
	_, err = c.Order.Payments(ctx, "order_RT00000000001")
	require.NoError(t, err)
}
