package razorpay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseInfoAfterRetries(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.on("GET /v1/payments/pay_RT000000000001",
		mockJSON(http.StatusServiceUnavailable, mockServerErr, "X-Razorpay-Request-Id", "req_first"),
		mockJSON(http.StatusOK, mockPaymentJSON, "X-Razorpay-Request-Id", "req_second", "X-Extra", "yes"))

	var info ResponseInfo
	p, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay_RT000000000001")
	require.NoError(t, err)
	assert.Equal(t, "pay_RT000000000001", p.ID)
	assert.Equal(t, http.StatusOK, info.StatusCode)
	assert.Equal(t, "req_second", info.RequestID, "the last answer's")
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, "yes", info.Header.Get("X-Extra"))
}

func TestResponseInfoOfAnError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.on("POST /v1/orders", mockJSON(http.StatusBadRequest, mockBadRequest, "X-Request-Id", "req_fallback"))

	var info ResponseInfo
	_, err := c.Order.Create(WithResponseInfo(mockCtx(t), &info), &OrderCreateParams{Amount: 5000, Currency: "INR"})
	var rzpErr *Error
	require.ErrorAs(t, err, &rzpErr)
	assert.Equal(t, ResponseInfo{StatusCode: http.StatusBadRequest, Header: info.Header, RequestID: "req_fallback", Attempts: 1}, info)
	assert.Equal(t, rzpErr.RequestID, info.RequestID)
	assert.Equal(t, "application/json", info.Header.Get("Content-Type"))
}

// Without an answer there is no status and no header, but the attempts
// count.
func TestResponseInfoWithoutAnAnswer(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithMaxRetries(2))
	mt.on("GET /v1/payments/pay_RT000000000001", mockErr(mockConnReset()))

	info := ResponseInfo{StatusCode: 200, Header: http.Header{"Stale": {"1"}}, RequestID: "stale", Attempts: 9}
	_, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay_RT000000000001")
	require.Error(t, err)
	assert.Equal(t, ResponseInfo{Attempts: 3}, info)
}

// A call that reaches the pipeline clears what an earlier call left, even
// when it sends nothing; a call refused by validation leaves it as it was.
func TestResponseInfoOfACallNotSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	stale := ResponseInfo{StatusCode: 200, RequestID: "stale", Attempts: 1}

	info := stale
	_, err := c.Payment.Fetch(WithResponseInfo(mockCtx(t), &info), "pay/../x")
	assertInvalidParams(t, err, "paymentID")
	assert.Equal(t, stale, info)

	ctx, cancel := context.WithCancel(WithResponseInfo(mockCtx(t), &info))
	cancel()
	_, err = c.Payment.Fetch(ctx, "pay_RT000000000001")
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ResponseInfo{}, info)
	assertNoRequest(t, mt)
}

// A call that sends several requests leaves the last one's answer.
func TestResponseInfoOfAWalk(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockHandle(t, mt, "GET", "/v1/customers", func(n int, _ mockCall) mockReply {
		items := `{"id":"cust_Walk0000000001","entity":"customer"},{"id":"cust_Walk0000000002","entity":"customer"}`
		if n == 1 {
			items = `{"id":"cust_Walk0000000003","entity":"customer"}`
		}
		return mockReply{
			Status: http.StatusOK,
			Body:   []byte(`{"entity":"collection","count":2,"items":[` + items + `]}`),
			Header: http.Header{"X-Razorpay-Request-Id": {fmt.Sprintf("req_page%d", n)}},
		}
	})

	var info ResponseInfo
	var ids []string
	for cu, err := range c.Customer.All(WithResponseInfo(mockCtx(t), &info), &ListParams{Count: 2}) {
		require.NoError(t, err)
		ids = append(ids, cu.ID)
	}
	assert.Len(t, ids, 3)
	assert.Equal(t, "req_page1", info.RequestID)
	assert.Equal(t, 1, info.Attempts)
}

// Filling a ResponseInfo allocates nothing: a call with one allocates as
// much as a call without, so a call without one, which does less, costs
// nothing more than before. Not parallel: AllocsPerRun reads the
// process-wide counters.
func TestResponseInfoAllocatesNothing(t *testing.T) {
	c, mt := newMockClient(t)
	mt.on("GET /v1/payments/pay_RT000000000001", mockJSON(http.StatusOK, mockPaymentJSON))
	ctx := mockCtx(t)
	var info ResponseInfo
	withInfo := WithResponseInfo(ctx, &info)
	fetch := func(ctx context.Context) func() {
		return func() {
			if _, err := c.Payment.Fetch(ctx, "pay_RT000000000001"); err != nil {
				t.Error(err)
			}
		}
	}
	least := func(f func()) float64 {
		n := 1e9
		for range 3 {
			n = min(n, testing.AllocsPerRun(50, f))
		}
		return n
	}
	without, with := least(fetch(ctx)), least(fetch(withInfo))
	// AllocsPerRun counts the whole process's allocations: a timer or a
	// server goroutine another test left behind can add one.
	assert.InDelta(t, without, with, 1, "allocations per call without and with ResponseInfo")
	assert.Equal(t, http.StatusOK, info.StatusCode)
}

// The pipeline's own cost, without a network: a payment read and a page of
// orders (whose params go through the query encoder) answered in memory,
// and the payment read again with a ResponseInfo.
//
//	go test -run '^$' -bench BenchmarkPipeline -benchmem -count 6 .
func BenchmarkPipeline(b *testing.B) {
	answer := func(body []byte) mockStep {
		h := http.Header{"Content-Type": {"application/json"}, "X-Razorpay-Request-Id": {"req_bench"}}
		return func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
		}
	}
	payment := mockClient(b, answer(mockFixture(b, "payment/fetch.json")))
	orders := mockClient(b, answer(mockFixture(b, "order/list_by_receipt.json")))
	ctx := context.Background()
	var info ResponseInfo
	infoCtx := WithResponseInfo(ctx, &info)
	params := &OrderListParams{ListParams: ListParams{Count: 100}, Receipt: "sub_42-2026-11", Expand: []string{ExpandPayments}}
	for _, bb := range []struct {
		name string
		call func() error
	}{
		{"payment fetch", func() error { _, err := payment.Payment.Fetch(ctx, "pay_Nq4Wc7YhJ2sKdF"); return err }},
		{"payment fetch with ResponseInfo", func() error { _, err := payment.Payment.Fetch(infoCtx, "pay_Nq4Wc7YhJ2sKdF"); return err }},
		{"order list", func() error { _, err := orders.Order.List(ctx, params); return err }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if err := bb.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzPathID: pathID accepts exactly ^[A-Za-z0-9_-]{1,64}$, returns an
// accepted id unchanged, and refuses the rest with a *ValidationError naming
// the parameter whose message never echoes a card number.
func FuzzPathID(f *testing.F) {
	for _, s := range []string{"pay_Nq4Wc7YhJ2sKdF", "", ".", "..", "a/b", "%2e%2e", "../../cust_B/tokens/token_B",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "pay_\x00", "pay_é", "4111111111111111/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got, err := pathID("paymentID", id)
		want := len(id) >= 1 && len(id) <= 64 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == ""
		if want {
			if err != nil || got != id {
				t.Fatalf("pathID(%q) = %q, %v; want it accepted as is", id, got, err)
			}
			return
		}
		ve, ok := err.(*ValidationError)
		if !ok || ve.Field != "paymentID" || got != "" {
			t.Fatalf("pathID(%q) = %q, %v; want a *ValidationError for paymentID", id, got, err)
		}
		if mockUnmaskedRun(err.Error()) {
			t.Fatalf("the refusal of %q echoes a card-number-like run: %s", id, err)
		}
	})
}

// idMethod is one SDK method that puts an id in its path.
type idMethod struct {
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

const emptyCollection = `{"entity":"collection","count":0,"items":[]}`

// entityAnswer is the smallest answer that is an entity of the given kind.
func entityAnswer(entity string) string {
	return `{"entity":"` + entity + `","id":"` + entity + `_Nq2Yk8ZpR4tLmA"}`
}

// idMethods lists every method that takes an id, once per id argument.
func idMethods() []idMethod {
	const cust, tok = "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ"
	return []idMethod{
		{"Customer.Fetch", "GET", "/v1/customers/%s", "customerID", entityAnswer("customer"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Customer.Fetch(ctx, id); return err }},
		{"Order.Fetch", "GET", "/v1/orders/%s", "orderID", entityAnswer("order"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Order.Fetch(ctx, id); return err }},
		{"Order.Payments", "GET", "/v1/orders/%s/payments", "orderID", emptyCollection,
			func(ctx context.Context, c *Client, id string) error { _, err := c.Order.Payments(ctx, id); return err }},
		{"Payment.Fetch", "GET", "/v1/payments/%s", "paymentID", entityAnswer("payment"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Payment.Fetch(ctx, id); return err }},
		{"Payment.FetchCard", "GET", "/v1/payments/%s/card", "paymentID", entityAnswer("card"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Payment.FetchCard(ctx, id)
				return err
			}},
		{"Invoice.NotifyBy", "POST", "/v1/invoices/%s/notify_by/sms", "invoiceID", `{"success":true}`,
			func(ctx context.Context, c *Client, id string) error {
				return c.Invoice.NotifyBy(ctx, id, NotifyMediumSMS)
			}},
		{"Invoice.Cancel", "POST", "/v1/invoices/%s/cancel", "invoiceID", entityAnswer("invoice"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Invoice.Cancel(ctx, id); return err }},
		{"Invoice.Fetch", "GET", "/v1/invoices/%s", "invoiceID", entityAnswer("invoice"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Invoice.Fetch(ctx, id); return err }},
		{"Token.FetchByPayment", "GET", "/v1/payments/%s", "paymentID", entityAnswer("payment"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.FetchByPayment(ctx, id)
				return err
			}},
		{"Token.List", "GET", "/v1/customers/%s/tokens", "customerID", emptyCollection,
			func(ctx context.Context, c *Client, id string) error { _, err := c.Token.List(ctx, id); return err }},
		{"Token.Fetch/customerID", "GET", "/v1/customers/%s/tokens/" + tok, "customerID", entityAnswer("token"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.Fetch(ctx, id, tok)
				return err
			}},
		{"Token.Fetch/tokenID", "GET", "/v1/customers/" + cust + "/tokens/%s", "tokenID", entityAnswer("token"),
			func(ctx context.Context, c *Client, id string) error {
				_, err := c.Token.Fetch(ctx, cust, id)
				return err
			}},
		{"Token.Delete/customerID", "DELETE", "/v1/customers/%s/tokens/" + tok, "customerID", `{"deleted":true}`,
			func(ctx context.Context, c *Client, id string) error { return c.Token.Delete(ctx, id, tok) }},
		{"Token.Delete/tokenID", "DELETE", "/v1/customers/" + cust + "/tokens/%s", "tokenID", `{"deleted":true}`,
			func(ctx context.Context, c *Client, id string) error { return c.Token.Delete(ctx, cust, id) }},
		{"Card.Fetch", "GET", "/v1/cards/%s", "cardID", entityAnswer("card"),
			func(ctx context.Context, c *Client, id string) error { _, err := c.Card.Fetch(ctx, id); return err }},
	}
}

func TestPathIDsSentAsIs(t *testing.T) {
	t.Parallel()
	for _, m := range idMethods() {
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
// refused with a *ValidationError naming the parameter, and nothing is sent:
// not even escaped, as "../../cust_B/tokens/token_B" would go out as
// ..%2F..%2Fcust_B%2Ftokens%2Ftoken_B.
func TestPathIDsRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	ids := []string{
		"", ".", "..", "../orders/x", "../../cust_B/tokens/token_B", "a/b", "a?b", "a#b",
		"%2e%2e", "pay_1 2", "./x", "a\\b", "a;b=c", "pay_X\x00", "pay_\u00e9", "pay_X\n",
		strings.Repeat("z", MaxIDLength+1),
	}
	for _, m := range idMethods() {
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
	rec := mockRespond(t, mt, "GET", "/v1/payments/a%2Fb%3Fc", http.StatusOK, []byte(entityAnswer("payment")))

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

func TestNilContext(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, `{}`))
	c := mockClient(t, capture)
	//lint:ignore SA1012 a nil context must be refused, not crash
	err := c.Do(nil, "GET", "/v1/x", nil, nil) //nolint:staticcheck
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.Zero(t, capture.count())
}

// TestRequestBodyOutlivesTheCall: a transport may read the request body
// after RoundTrip returns (net/http does when the answer comes first). The
// body must stay intact while later calls run.
func TestRequestBodyOutlivesTheCall(t *testing.T) {
	t.Parallel()
	type late struct {
		want string
		body io.ReadCloser
	}
	bodies := make(chan late, 100)
	rt := mockStep(func(r *http.Request) (*http.Response, error) {
		bodies <- late{want: r.Header.Get("X-Want"), body: r.Body}
		return mockJSON(200, `{"id":"cust_CL000000000001"}`)(r)
	})
	for i := 0; i < 100; i++ {
		name := fmt.Sprintf("Customer %03d %s", i, strings.Repeat("x", i))
		c := NewClient(mockKeyID, mockKeySecret, WithHTTPClient(&http.Client{Transport: rt}), WithHeader("X-Want", name))
		_, err := c.Customer.Create(context.Background(), &CustomerCreateParams{Name: name[:min(len(name), 50)], Email: "a@example.com"})
		require.NoError(t, err)
	}
	close(bodies)
	for l := range bodies {
		raw, err := io.ReadAll(l.body)
		require.NoError(t, err)
		var got CustomerCreateParams
		require.NoError(t, json.Unmarshal(raw, &got), "%s", raw)
		assert.Equal(t, l.want[:min(len(l.want), 50)], got.Name)
	}
}

func TestDoRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	capture := mockScript(mockJSON(200, `{}`))
	c := mockClient(t, capture)
	for _, p := range []string{"/v1/x\x01y", "/v1/x y", "/v1/x?a=\x7f"} {
		err := c.Do(context.Background(), "GET", p, nil, nil)
		assert.ErrorIs(t, err, ErrInvalidParams, "%q", p)
	}
	assert.Zero(t, capture.count())
}
