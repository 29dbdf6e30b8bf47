package razorpay

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shapes of params the SDK's own types do not cover.
type (
	queryNamed    string
	queryNames    []queryNamed
	queryEmbedder struct {
		ListParams
		Status queryNamed `url:"status,omitempty"`
	}
	queryPlain struct {
		Name    string       `url:"name"`
		N       int          `url:"n"`
		U       uint32       `url:"u"`
		Flag    bool         `url:"flag"`
		Opt     bool         `url:"opt,omitempty"`
		Limit   *int64       `url:"limit,omitempty"`
		Ids     []queryNamed `url:"id"`
		More    queryNames   `url:"more[],omitempty"`
		private string
		Skipped map[string]string `url:"-"`
	}
	// queryHiding's Count hides the embedded ListParams.Count.
	queryHiding struct {
		ListParams
		Count string `url:"count,omitempty"`
	}
	queryUntagged struct {
		ListParams
		Receipt string
	}
	queryFloat struct {
		Amount float64 `url:"amount"`
	}
	queryTwice struct {
		A string `url:"a"`
		B string `url:"a"`
	}
	queryOption struct {
		A string `url:"a,omitzero"`
	}
	queryEmbeddedPointer struct {
		*ListParams
	}
)

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	zero := int64(0)
	tests := []struct {
		name   string
		params any
		want   string
	}{
		{"nil", nil, ""},
		{"nil pointer", (*ListParams)(nil), ""},
		{"nil embedder", (*OrderListParams)(nil), ""},
		{"zero values are not sent", &OrderListParams{}, ""},
		{"list params, MaxPages not sent", &ListParams{Count: 100, Skip: 5, From: 1795000000, To: 1796000000, MaxPages: 7},
			"count=100&from=1795000000&skip=5&to=1796000000"},
		{"negative numbers", &ListParams{Count: -1, Skip: -2}, "count=-1&skip=-2"},
		{"order params, keys sorted across the embedded struct",
			&OrderListParams{ListParams: ListParams{Count: 10, Skip: 20}, Receipt: "sub_42-2026-11", Authorized: &no, Expand: []string{ExpandPayments, ExpandPaymentsCard}},
			"authorized=0&count=10&expand%5B%5D=payments&expand%5B%5D=payments.card&receipt=sub_42-2026-11&skip=20"},
		{"*bool true is 1", &OrderListParams{Authorized: &yes}, "authorized=1"},
		{"empty slice not sent", &OrderListParams{Expand: []string{}}, ""},
		{"a slice sends its elements as given", &OrderListParams{Expand: []string{"", "a b"}}, "expand%5B%5D=&expand%5B%5D=a+b"},
		{"values escaped as url.QueryEscape does", &OrderListParams{Receipt: "a&b=c d+é/~_.-%"},
			"receipt=" + url.QueryEscape("a&b=c d+é/~_.-%")},
		{"named string type", &InvoiceListParams{Type: InvoiceTypeLink, CustomerID: "cust_1", ListParams: ListParams{Count: 2}},
			"count=2&customer_id=cust_1&type=link"},
		{"a new embedder encodes with no code", &queryEmbedder{ListParams: ListParams{Skip: 3}, Status: "captured"}, "skip=3&status=captured"},
		{"without omitempty zero values are sent", &queryPlain{}, "flag=0&n=0&name=&u=0"},
		{"every kind", &queryPlain{Name: "x", N: -3, U: 4, Flag: true, Opt: true, Limit: &zero, Ids: []queryNamed{"a", "b"}, More: queryNames{"c"}, private: "p", Skipped: map[string]string{"k": "v"}},
			"flag=1&id=a&id=b&limit=0&more%5B%5D=c&n=-3&name=x&opt=1&u=4"},
		{"the outer field hides the embedded one", &queryHiding{ListParams: ListParams{Count: 5, Skip: 1}, Count: "all"}, "count=all&skip=1"},
		{"the hidden field is not sent even when the outer one is empty", &queryHiding{ListParams: ListParams{Count: 5}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := encodeQuery(tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if got != "" {
				_, err := url.ParseQuery(got)
				assert.NoError(t, err)
			}
		})
	}
}

func TestEncodeQueryRefusesTypesItCannotSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		params any
		want   string
	}{
		{ListParams{}, "must be a pointer to a struct, not razorpay.ListParams"},
		{new(string), "must be a pointer to a struct, not *string"},
		{&queryUntagged{}, "queryUntagged: field Receipt has no url tag"},
		{&queryFloat{}, "field Amount: cannot send a float64"},
		{&queryTwice{}, `two fields are sent as "a"`},
		{&queryOption{}, `unknown url tag option "omitzero"`},
		{&queryEmbeddedPointer{}, "field ListParams has no url tag"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			got, err := encodeQuery(tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, got)
			_, again := encodeQuery(tt.params) // from the cache: the same answer
			assert.Equal(t, err, again)
		})
	}
}

// The encoder against url.Values built by hand, as every params type once
// did it.
func FuzzEncodeQuery(f *testing.F) {
	f.Add(10, 0, int64(0), int64(0), "sub_42-2026-11", uint8(2), "payments", "payments.card", "link")
	f.Add(0, 5, int64(1795000000), int64(-1), "a&b=c d+é", uint8(0), "", "x y", "")
	f.Add(-1, -1, int64(-1), int64(1), "\x00\xff%zz", uint8(1), "[]", "=", "in voice")
	f.Fuzz(func(t *testing.T, count, skip int, from, to int64, receipt string, authorized uint8, expand1, expand2, typ string) {
		p := OrderListParams{ListParams: ListParams{Count: count, Skip: skip, From: from, To: to}, Receipt: receipt}
		want := url.Values{}
		setInt := func(key string, n int64) {
			if n != 0 {
				want.Set(key, strconv.FormatInt(n, 10))
			}
		}
		setInt("count", int64(count))
		setInt("skip", int64(skip))
		setInt("from", from)
		setInt("to", to)
		if receipt != "" {
			want.Set("receipt", receipt)
		}
		switch authorized % 3 {
		case 1:
			p.Authorized = Ptr(true)
			want.Set("authorized", "1")
		case 2:
			p.Authorized = Ptr(false)
			want.Set("authorized", "0")
		}
		for _, e := range []string{expand1, expand2} {
			if e != "" {
				p.Expand = append(p.Expand, e)
				want.Add("expand[]", e)
			}
		}
		got, err := encodeQuery(&p)
		require.NoError(t, err)
		require.Equal(t, want.Encode(), got)

		inv := InvoiceListParams{ListParams: p.ListParams, Type: InvoiceType(typ), Receipt: receipt}
		want.Del("authorized")
		want.Del("expand[]")
		if typ != "" {
			want.Set("type", typ)
		}
		got, err = encodeQuery(&inv)
		require.NoError(t, err)
		require.Equal(t, want.Encode(), got)
	})
}

// encodeQuery allocates the string it returns and nothing else. Not
// parallel: AllocsPerRun reads the process-wide counters.
func TestEncodeQueryAllocations(t *testing.T) {
	p := &OrderListParams{ListParams: ListParams{Count: 100, Skip: 200}, Receipt: "bill 2026/11", Authorized: Ptr(true), Expand: []string{ExpandPayments}}
	_, err := encodeQuery(p)
	require.NoError(t, err)
	least := 1e9
	for range 3 {
		least = min(least, testing.AllocsPerRun(100, func() { _, _ = encodeQuery(p) }))
	}
	assert.Equal(t, 1.0, least)
}

func BenchmarkEncodeQuery(b *testing.B) {
	p := &OrderListParams{ListParams: ListParams{Count: 100, Skip: 200}, Receipt: "bill-2026-11", Authorized: Ptr(true), Expand: []string{ExpandPayments}}
	b.ReportAllocs()
	for range b.N {
		if q, err := encodeQuery(p); err != nil || q == "" {
			b.Fatal(q, err)
		}
	}
}
