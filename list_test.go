package razorpay

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// customerIDOf returns the id of the i-th customer of a mock collection.
func customerIDOf(i int) string { return fmt.Sprintf("cust_Page%010d", i) }

// pager serves GET /v1/customers from a collection of total customers,
// honouring count (default 10) and skip like Razorpay, and answers status
// (with a 400 body) for the request numbered failAt (-1: never).
func pager(t *testing.T, mt *mockRT, path string, total, failAt, status int) *mockRecorder {
	t.Helper()
	return mockHandle(t, mt, "GET", path, func(n int, call mockCall) mockReply {
		if n == failAt {
			return mockReply{Status: status, Body: mockFixture(t, "errors/bad_request_na.json")}
		}
		q, err := url.ParseQuery(call.RawQuery)
		if err != nil {
			return mockReply{Status: http.StatusBadRequest}
		}
		count, skip := 10, 0
		if v := q.Get("count"); v != "" {
			count, _ = strconv.Atoi(v)
		}
		if v := q.Get("skip"); v != "" {
			skip, _ = strconv.Atoi(v)
		}
		var items []string
		for i := skip; i < total && i < skip+count; i++ {
			if strings.HasPrefix(path, "/v1/invoices") {
				items = append(items, fmt.Sprintf(`{"id":"inv_Page%010d","entity":"invoice","type":"link","notes":[]}`, i))
			} else {
				items = append(items, fmt.Sprintf(`{"id":%q,"entity":"customer","contact":9876543210,"notes":[]}`, customerIDOf(i)))
			}
		}
		body := fmt.Sprintf(`{"entity":"collection","count":%d,"items":[%s]}`, len(items), strings.Join(items, ","))
		return mockReply{Status: http.StatusOK, Body: []byte(body)}
	})
}

// queriesOf returns the raw query of every recorded request.
func queriesOf(rec *mockRecorder) []string {
	var qs []string
	for _, c := range rec.Calls() {
		qs = append(qs, c.RawQuery)
	}
	return qs
}

func TestListAllWalksPagesWithSkip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		total   int
		params  *ListParams
		queries []string
		first   int // index of the first customer yielded
	}{
		{
			name:    "short last page",
			total:   5,
			params:  &ListParams{Count: 2},
			queries: []string{"count=2", "count=2&skip=2", "count=2&skip=4"},
		},
		{
			name:    "exact multiple ends on an empty page",
			total:   4,
			params:  &ListParams{Count: 2},
			queries: []string{"count=2", "count=2&skip=2", "count=2&skip=4"},
		},
		{
			name:    "nil params ask for pages of 100",
			total:   3,
			params:  nil,
			queries: []string{"count=100"},
		},
		{
			name:    "zero count asks for pages of 100",
			total:   150,
			params:  &ListParams{},
			queries: []string{"count=100", "count=100&skip=100"},
		},
		{
			name:    "start skip, from and to are kept",
			total:   6,
			params:  &ListParams{Count: 3, Skip: 1, From: 1710000000, To: 1719999999},
			queries: []string{"count=3&from=1710000000&skip=1&to=1719999999", "count=3&from=1710000000&skip=4&to=1719999999"},
			first:   1,
		},
		{
			name:    "empty collection",
			total:   0,
			params:  &ListParams{Count: 10},
			queries: []string{"count=10"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := pager(t, mt, "/v1/customers", tt.total, -1, 0)

			var ids []string
			for cust, err := range c.Customer.All(mockCtx(t), tt.params) {
				require.NoError(t, err)
				assert.Equal(t, "9876543210", cust.Contact, "items decode leniently")
				ids = append(ids, cust.ID)
			}

			var want []string
			for i := tt.first; i < tt.total; i++ {
				want = append(want, customerIDOf(i))
			}
			assert.Equal(t, want, ids)
			assert.Equal(t, tt.queries, queriesOf(rec))
			for _, call := range rec.Calls() {
				assertReq(t, call, "GET", "/v1/customers")
				assertReqNoBody(t, call)
			}
		})
	}
}

func TestListAllDoesNotChangeParams(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	pager(t, mt, "/v1/customers", 5, -1, 0)

	params := &ListParams{Count: 2, Skip: 0}
	n := 0
	for _, err := range c.Customer.All(mockCtx(t), params) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n)
	assert.Equal(t, &ListParams{Count: 2, Skip: 0}, params)
}

func TestListAllStopsWhenTheLoopBreaks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		breakAt   int // break after this many items
		wantCalls int
	}{
		{name: "after the first item", breakAt: 1, wantCalls: 1},
		{name: "after the last item of a full page", breakAt: 2, wantCalls: 1},
		{name: "inside the second page", breakAt: 3, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := pager(t, mt, "/v1/customers", 10, -1, 0)

			n := 0
			for _, err := range c.Customer.All(mockCtx(t), &ListParams{Count: 2}) {
				require.NoError(t, err)
				n++
				if n == tt.breakAt {
					break
				}
			}
			assert.Equal(t, tt.breakAt, n)
			assert.Len(t, rec.Calls(), tt.wantCalls, "no request after the loop ends")
		})
	}
}

func TestListAllYieldsAnErrorOnceAndStops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failAt    int
		status    int
		wantItems int
	}{
		{name: "first page", failAt: 0, status: http.StatusUnauthorized, wantItems: 0},
		{name: "second page", failAt: 1, status: http.StatusBadRequest, wantItems: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithMaxRetries(0))
			rec := pager(t, mt, "/v1/customers", 10, tt.failAt, tt.status)

			items, errs := 0, 0
			for cust, err := range c.Customer.All(mockCtx(t), &ListParams{Count: 2}) {
				if err != nil {
					errs++
					assert.Equal(t, Customer{}, cust, "the error comes with the zero value")
					var apiErr *Error
					if assert.ErrorAs(t, err, &apiErr) {
						assert.Equal(t, tt.status, apiErr.HTTPStatusCode)
					}
					continue // the iterator must stop by itself
				}
				items++
			}
			assert.Equal(t, 1, errs)
			assert.Equal(t, tt.wantItems, items)
			assert.Len(t, rec.Calls(), tt.failAt+1)
		})
	}
}

func TestListAllRefusesInvalidParams(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)

	errs := 0
	for _, err := range c.Customer.All(mockCtx(t), &ListParams{Count: MaxListCount + 1}) {
		assertInvalidParams(t, err, "count")
		errs++
	}
	assert.Equal(t, 1, errs)
	assertNoRequest(t, mt)
}

func TestListAllRestartsOnEachRange(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := pager(t, mt, "/v1/customers", 3, -1, 0)

	seq := c.Customer.All(mockCtx(t), &ListParams{Count: 2})
	for range 2 {
		var ids []string
		for cust, err := range seq {
			require.NoError(t, err)
			ids = append(ids, cust.ID)
		}
		assert.Equal(t, []string{customerIDOf(0), customerIDOf(1), customerIDOf(2)}, ids)
	}
	assert.Equal(t, []string{"count=2", "count=2&skip=2", "count=2", "count=2&skip=2"}, queriesOf(rec))
}

func TestListInvoiceAllKeepsFilters(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := pager(t, mt, "/v1/invoices", 3, -1, 0)

	params := &InvoiceListParams{
		ListParams: ListParams{Count: 2},
		Type:       InvoiceTypeLink,
		CustomerID: "cust_Nq2Yk8ZpR4tLmA",
		PaymentID:  "pay_Nq4Wc7YhJ2sKdF",
		Receipt:    "reg cust/42&x",
	}
	var ids []string
	for inv, err := range c.Invoice.All(mockCtx(t), params) {
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	assert.Equal(t, []string{"inv_Page0000000000", "inv_Page0000000001", "inv_Page0000000002"}, ids)
	const filters = "customer_id=cust_Nq2Yk8ZpR4tLmA&payment_id=pay_Nq4Wc7YhJ2sKdF&receipt=reg+cust%2F42%26x&type=link"
	assert.Equal(t, []string{"count=2&" + filters, "count=2&" + strings.Replace(filters, "&type=", "&skip=2&type=", 1)}, queriesOf(rec))
	assert.Equal(t, 0, params.Skip, "the caller's params are not changed")
}

func TestListInvoiceListQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *InvoiceListParams
		want   string
	}{
		{name: "nil", params: nil, want: ""},
		{name: "zero", params: &InvoiceListParams{}, want: ""},
		{name: "type only", params: &InvoiceListParams{Type: InvoiceTypeLink}, want: "type=link"},
		{name: "payment id", params: &InvoiceListParams{PaymentID: "pay_Nq4Wc7YhJ2sKdF"}, want: "payment_id=pay_Nq4Wc7YhJ2sKdF"},
		{name: "receipt is query-escaped", params: &InvoiceListParams{Receipt: "a b&c=d"}, want: "receipt=a+b%26c%3Dd"},
		{name: "everything", params: &InvoiceListParams{
			ListParams: ListParams{Count: 100, Skip: 200, From: 1, To: 2},
			Type:       InvoiceTypeInvoice, CustomerID: "cust_Nq2Yk8ZpR4tLmA", PaymentID: "pay_Nq4Wc7YhJ2sKdF", Receipt: "INV-1",
		}, want: "count=100&customer_id=cust_Nq2Yk8ZpR4tLmA&from=1&payment_id=pay_Nq4Wc7YhJ2sKdF&receipt=INV-1&skip=200&to=2&type=invoice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := mockRespond(t, mt, "GET", "/v1/invoices", http.StatusOK, []byte(`{"entity":"collection","count":0,"items":[]}`))

			list, err := c.Invoice.List(mockCtx(t), tt.params)
			require.NoError(t, err)
			assert.Empty(t, list.Items)

			call := rec.Only(t)
			assertReq(t, call, "GET", "/v1/invoices")
			assertReqNoBody(t, call)
			assert.Equal(t, tt.want, call.RawQuery)
		})
	}
}

func TestListCustomerListQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *ListParams
		want   string
	}{
		{name: "nil", params: nil, want: ""},
		{name: "zero", params: &ListParams{}, want: ""},
		{name: "count", params: &ListParams{Count: 1}, want: "count=1"},
		{name: "skip", params: &ListParams{Skip: 30}, want: "skip=30"},
		{name: "from and to", params: &ListParams{From: 1710000000, To: 1710000000}, want: "from=1710000000&to=1710000000"},
		{name: "all", params: &ListParams{Count: 100, Skip: 5, From: 1, To: 9}, want: "count=100&from=1&skip=5&to=9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := mockRespond(t, mt, "GET", "/v1/customers", http.StatusOK, []byte(`{"entity":"collection","count":0,"items":[]}`))

			_, err := c.Customer.List(mockCtx(t), tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, rec.Only(t).RawQuery)
		})
	}
}

func TestListParamsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *ListParams
		field  string // "" means valid
	}{
		{name: "nil", params: nil},
		{name: "zero", params: &ListParams{}},
		{name: "count 1", params: &ListParams{Count: 1}},
		{name: "count 100", params: &ListParams{Count: 100}},
		{name: "count 101", params: &ListParams{Count: 101}, field: "count"},
		{name: "count -1", params: &ListParams{Count: -1}, field: "count"},
		{name: "skip -1", params: &ListParams{Skip: -1}, field: "skip"},
		{name: "skip large", params: &ListParams{Skip: 1 << 30}},
		{name: "from -1", params: &ListParams{From: -1}, field: "from"},
		{name: "to -1", params: &ListParams{To: -1}, field: "to"},
		{name: "from equals to", params: &ListParams{From: 5, To: 5}},
		{name: "from after to", params: &ListParams{From: 6, To: 5}, field: "from"},
		{name: "from without to", params: &ListParams{From: 6}},
		{name: "to without from", params: &ListParams{To: 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.params.Validate()
			var inv *InvoiceListParams
			if tt.params != nil {
				inv = &InvoiceListParams{ListParams: *tt.params, Type: InvoiceTypeLink}
			}
			invErr := inv.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				assert.NoError(t, invErr)
				return
			}
			assertInvalidParams(t, err, tt.field)
			assertInvalidParams(t, invErr, tt.field)

			// And through the services: refused before any I/O.
			c, mt := newMockClient(t)
			_, err = c.Customer.List(mockCtx(t), tt.params)
			assertInvalidParams(t, err, tt.field)
			_, err = c.Invoice.List(mockCtx(t), inv)
			assertInvalidParams(t, err, tt.field)
			for _, err := range c.Invoice.All(mockCtx(t), inv) {
				assertInvalidParams(t, err, tt.field)
			}
			assertNoRequest(t, mt)
		})
	}
}

func FuzzValidateListParams(f *testing.F) {
	f.Add(10, 0, int64(0), int64(0))
	f.Add(100, 200, int64(1764000000), int64(1764064800))
	f.Fuzz(func(t *testing.T, count, skip int, from, to int64) {
		t.Parallel()
		p := &ListParams{Count: count, Skip: skip, From: from, To: to}
		if mockValidate(t, p, (*ListParams).Validate) != nil {
			return
		}
		assertRuleList(t, *p)
	})
}

// TestAllStopsWhenTheServerIgnoresSkip: a walk against a server that
// ignores skip and answers the same page again ends with ErrListPaging
// after the second page.
func TestAllStopsWhenTheServerIgnoresSkip(t *testing.T) {
	t.Parallel()
	page := `{"entity":"collection","count":2,"items":[` +
		`{"id":"cust_A","entity":"customer"},{"id":"cust_B","entity":"customer"}]}`
	script := mockScript(mockJSON(200, page))
	c := mockClient(t, script)
	var ids []string
	var walkErr error
	mockWithin(t, 10*time.Second, func() {
		for cust, err := range c.Customer.All(mockCtx(t, 10*time.Second), &ListParams{Count: 2}) {
			if err != nil {
				walkErr = err
				break
			}
			ids = append(ids, cust.ID)
		}
	})
	assert.Equal(t, []string{"cust_A", "cust_B"}, ids)
	require.ErrorIs(t, walkErr, ErrListPaging)
	assert.ErrorContains(t, walkErr, "cust_A")
	assert.Equal(t, 2, script.count())
}

// endlessPager answers GET /v1/customers with a full page of distinct customers
// at every skip: a collection that never ends.
func endlessPager(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	skip, _ := strconv.Atoi(q.Get("skip"))
	count, _ := strconv.Atoi(q.Get("count"))
	items := make([]string, count)
	for i := range items {
		items[i] = `{"id":"cust_` + strconv.Itoa(skip+i) + `","entity":"customer"}`
	}
	return mockJSON(200, `{"entity":"collection","count":`+strconv.Itoa(count)+`,"items":[`+strings.Join(items, ",")+`]}`)(r)
}

// TestAllStopsAtMaxPages: a walk is capped, at DefaultMaxListPages pages
// unless the caller raises or lowers ListParams.MaxPages.
func TestAllStopsAtMaxPages(t *testing.T) {
	t.Parallel()
	walk := func(t *testing.T, params *ListParams) (items, requests int, walkErr error) {
		script := mockScript(endlessPager)
		c := mockClient(t, script)
		mockWithin(t, 60*time.Second, func() {
			for _, err := range c.Customer.All(mockCtx(t, 60*time.Second), params) {
				if err != nil {
					walkErr = err
					break
				}
				items++
			}
		})
		return items, script.count(), walkErr
	}
	t.Run("MaxPages 3", func(t *testing.T) {
		t.Parallel()
		n, requests, err := walk(t, &ListParams{Count: 10, MaxPages: 3})
		require.ErrorIs(t, err, ErrListPaging)
		assert.ErrorContains(t, err, "3 pages (30 items)")
		assert.Equal(t, 30, n)
		assert.Equal(t, 3, requests)
	})
	t.Run("default", func(t *testing.T) {
		t.Parallel()
		n, requests, err := walk(t, &ListParams{Count: 1})
		require.ErrorIs(t, err, ErrListPaging)
		assert.Equal(t, DefaultMaxListPages, n)
		assert.Equal(t, DefaultMaxListPages, requests)
	})
	t.Run("negative MaxPages is invalid", func(t *testing.T) {
		t.Parallel()
		_, requests, err := walk(t, &ListParams{MaxPages: -1})
		assertInvalidParams(t, err, "max_pages")
		assert.Zero(t, requests)
	})
}
