package razorpay

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mockIDMethod is one SDK method that puts an id in its path.
type mockIDMethod struct {
	name   string
	method string
	// path is the escaped path with %s standing for the escaped id.
	path string
	// field is the ValidationError.Field of a refused id.
	field string
	// reply is a 200 body the method accepts.
	reply string
	call  func(ctx context.Context, c *Client, id string) error
}

const mockEmptyCollection = `{"entity":"collection","count":0,"items":[]}`

// mockEntity is the smallest answer that is an entity of the given kind.
func mockEntity(entity string) string {
	return `{"entity":"` + entity + `","id":"` + entity + `_Nq2Yk8ZpR4tLmA"}`
}

// mockIDMethods lists every method that takes an id, once per id argument.
func mockIDMethods() []mockIDMethod {
	const cust, tok = "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ"
	return []mockIDMethod{
		{"Customer.Fetch", "GET", "/v1/customers/%s", "customerID", mockEntity("customer"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Customer.Fetch(ctx, id); return err }},
		{"Order.Fetch", "GET", "/v1/orders/%s", "orderID", mockEntity("order"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Order.Fetch(ctx, id); return err }},
		{"Order.Payments", "GET", "/v1/orders/%s/payments", "orderID", mockEmptyCollection,
			func(ctx context.Context, c *Client, id string) error { _, err := c.Order.Payments(ctx, id); return err }},
		{"Payment.Fetch", "GET", "/v1/payments/%s", "paymentID", mockEntity("payment"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Payment.Fetch(ctx, id); return err }},
		{"Payment.FetchCard", "GET", "/v1/payments/%s/card", "paymentID", mockEntity("card"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Payment.FetchCard(ctx, id)
				return err
			}},
		{"Invoice.NotifyBy", "POST", "/v1/invoices/%s/notify_by/sms", "invoiceID", `{"success":true}`,
			func(ctx context.Context, c *Client, id string) error {
				return c.Invoice.NotifyBy(ctx, id, NotifyMediumSMS)
			}},
		{"Invoice.Cancel", "POST", "/v1/invoices/%s/cancel", "invoiceID", mockEntity("invoice"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Invoice.Cancel(ctx, id); return err }},
		{"Invoice.Fetch", "GET", "/v1/invoices/%s", "invoiceID", mockEntity("invoice"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Invoice.Fetch(ctx, id); return err }},
		{"Token.FetchByPayment", "GET", "/v1/payments/%s", "paymentID", mockEntity("payment"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.FetchByPayment(ctx, id)
				return err
			}},
		{"Token.List", "GET", "/v1/customers/%s/tokens", "customerID", mockEmptyCollection,
			func(ctx context.Context, c *Client, id string) error { _, err := c.Token.List(ctx, id); return err }},
		{"Token.Fetch/customerID", "GET", "/v1/customers/%s/tokens/" + tok, "customerID", mockEntity("token"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.Fetch(ctx, id, tok)
				return err
			}},
		{"Token.Fetch/tokenID", "GET", "/v1/customers/" + cust + "/tokens/%s", "tokenID", mockEntity("token"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.Fetch(ctx, cust, id)
				return err
			}},
		{"Token.Delete/customerID", "DELETE", "/v1/customers/%s/tokens/" + tok, "customerID", `{"deleted":true}`,
			func(ctx context.Context, c *Client, id string) error { return c.Token.Delete(ctx, id, tok) }},
		{"Token.Delete/tokenID", "DELETE", "/v1/customers/" + cust + "/tokens/%s", "tokenID", `{"deleted":true}`,
			func(ctx context.Context, c *Client, id string) error { return c.Token.Delete(ctx, cust, id) }},
		{"Card.Fetch", "GET", "/v1/cards/%s", "cardID", mockEntity("card"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Card.Fetch(ctx, id); return err }},
	}
}

func TestPathIDsSentAsIs(t *testing.T) {
	t.Parallel()
	for _, m := range mockIDMethods() {
		for _, id := range []string{"pay_Nq4Wc7YhJ2sKdF", "A-b_9", strings.Repeat("z", MaxIDLength)} {
			t.Run(m.name+"/"+id, func(t *testing.T) {
				t.Parallel()
				c, mt := newMockClient(t)
				want := strings.Replace(m.path, "%s", id, 1)
				rec := mockRespond(t, mt, m.method, want, http.StatusOK, []byte(m.reply))

				require.NoError(t, m.call(mockCtx(t), c, id))

				call := rec.Only(t)
				assertReq(t, call, m.method, want)
				assertReqNoQuery(t, call)
			})
		}
	}
}

// TestPathIDsRefusedBeforeIO: every id outside ^[A-Za-z0-9_-]{1,64}$ is
// refused with a *ValidationError naming the parameter, and nothing is sent
// (issue 14: ids were escaped, and "../../cust_B/tokens/token_B" went out as
// ..%2F..%2Fcust_B%2Ftokens%2Ftoken_B).
func TestPathIDsRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	ids := []string{
		"", ".", "..", "../orders/x", "../../cust_B/tokens/token_B", "a/b", "a?b", "a#b",
		"%2e%2e", "pay_1 2", "./x", "a\\b", "a;b=c", "pay_X\x00", "pay_\u00e9", "pay_X\n",
		strings.Repeat("z", MaxIDLength+1),
	}
	for _, m := range mockIDMethods() {
		for _, id := range ids {
			t.Run(m.name+"/"+id, func(t *testing.T) {
				t.Parallel()
				c, mt := newMockClient(t)

				err := m.call(mockCtx(t), c, id)
				assertInvalidParams(t, err, m.field)
				assertNoRequest(t, mt)
			})
		}
	}
}

func TestPathDoSendsThePathAsGiven(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", "payment/fetch.json")

	var p Payment
	require.NoError(t, c.Do(mockCtx(t), "get", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", nil, &p))

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)
	assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", p.TokenID)
	assert.Equal(t, Notes{"plan": "gold-monthly"}, p.Notes)
}

func TestPathDoSendsAQuery(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", "payment/fetch.json")

	q := url.Values{"expand[]": {"card"}}
	var p Payment
	require.NoError(t, c.Do(mockCtx(t), "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF?"+q.Encode(), nil, &p))

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF")
	assert.Equal(t, "expand%5B%5D=card", call.RawQuery)
	assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
}

func TestPathDoDecodesLeniently(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "GET", "/v1/cards/card_Pf5Mn8DoP7xSkT", "card/fetch.json")

	var card Card
	require.NoError(t, c.Do(mockCtx(t), http.MethodGet, "/v1/cards/card_Pf5Mn8DoP7xSkT", nil, &card))
	assert.Equal(t, "1111", card.Last4)
}

func TestPathDoPostsJSON(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/customers", "customer/create.json")

	in := struct {
		Name         string `json:"name"`
		FailExisting string `json:"fail_existing"`
		Amount       int64  `json:"amount"`
		HTML         string `json:"html"`
	}{Name: "Gaurav Kumar", FailExisting: "0", Amount: 100, HTML: "<b>&</b>"}
	var out Customer
	require.NoError(t, c.Do(mockCtx(t), http.MethodPost, "/v1/customers", in, &out))

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/customers")
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "name", "fail_existing", "amount", "html")
	assertReqString(t, body, "name", "Gaurav Kumar")
	assertReqString(t, body, "fail_existing", "0")
	assertReqInt(t, body, "amount", 100)
	assertReqString(t, body, "html", "<b>&</b>")
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", out.ID)
}

func TestPathDoWithoutOut(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "DELETE", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ", "token/delete.json")

	require.NoError(t, c.Do(mockCtx(t), http.MethodDelete, "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ", nil, nil))
	assertReqNoBody(t, rec.Only(t))
}

func TestPathDoKeepsEscapes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "GET", "/v1/payments/a%2Fb%3Fc", http.StatusOK, []byte(mockEntity("payment")))

	require.NoError(t, c.Do(mockCtx(t), http.MethodGet, "/v1/payments/a%2Fb%3Fc", nil, &Payment{}))
	assert.Equal(t, "/v1/payments/a%2Fb%3Fc", rec.Only(t).EscapedPath)
}

func TestPathDoReturnsAPIErrors(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxRetries(0))
	mockRespond(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", http.StatusBadRequest, mockFixture(t, "errors/bad_request_na.json"))

	err := c.Do(mockCtx(t), http.MethodGet, "/v1/payments/pay_Nq4Wc7YhJ2sKdF", nil, &Payment{})
	assert.ErrorIs(t, err, ErrBadRequest)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "The id provided does not exist", apiErr.Description)
}

func TestPathDoRefusesUnsafePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		path   string
		field  string
	}{
		{"GET", "v1/payments/pay_Nq4Wc7YhJ2sKdF", "path"},
		{"GET", "", "path"},
		{"GET", "https://evil.example/v1/payments", "path"},
		{"GET", "/v1/payments/../orders/order_Nq3Zb5VtK8pLwE", "path"},
		{"GET", "/v1/payments/..", "path"},
		{"GET", "/v1/./payments", "path"},
		{"GET", "/v1/payments/%2e%2e/orders", "path"},
		{"GET", "/v1/payments/%2E%2E", "path"},
		{"GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF#card", "path"},
		{"GET", "/v1/payments?count=1#x", "path"},
		{"GET", "/v1/payments?count=%zz", "path"},
		{"GET", "/v1/../payments?count=1", "path"},
		{"DELETE", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/..", "path"},
		{"GET", "/v1/payments/%zz", "path"},
		{"GE T", "/v1/payments", "method"},
		{"", "/v1/payments", "method"},
		{"GET\r\n", "/v1/payments", "method"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			err := c.Do(mockCtx(t), tt.method, tt.path, map[string]string{"a": "b"}, &Payment{})
			assertInvalidParams(t, err, tt.field)
			assertNoRequest(t, mt)
		})
	}
}
