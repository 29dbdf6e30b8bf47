package razorpaytest

import (
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"strconv"
)

// state is everything the server knows. It is guarded by Server.mu.
type state struct {
	seq int64

	customers    map[string]*customer
	customerList []*customer
	customerKeys map[string]*customer // email + "\x00" + contact

	orders    map[string]*order
	orderList []*order
	receipts  map[string][]*order // orders by receipt, in creation order

	invoices    map[string]*invoice
	invoiceList []*invoice
	expiring    []*invoice // issued invoices with an expire_by

	payments    map[string]*payment
	paymentList []*payment
	pending     []*payment // recurring payments waiting for the bank (WithRecurringDelay)

	tokens map[string]*token // deleted tokens are removed
	cards  map[string]*card

	refunds refundState
}

func (st *state) init() {
	st.customers = map[string]*customer{}
	st.customerKeys = map[string]*customer{}
	st.orders = map[string]*order{}
	st.receipts = map[string][]*order{}
	st.invoices = map[string]*invoice{}
	st.payments = map[string]*payment{}
	st.tokens = map[string]*token{}
	st.cards = map[string]*card{}
	st.refunds.init()
}

func (st *state) next() int64 {
	st.seq++
	return st.seq
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randomAlnum(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[rand.IntN(len(alnum))]
	}
	return string(b)
}

// randomAlnum returns n random alphanumerics from the server's random
// source: seeded (WithSeed) or not. The caller holds s.mu.
func (s *Server) randomAlnum(n int) string {
	if s.rng == nil {
		return randomAlnum(n)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[s.rng.IntN(len(alnum))]
	}
	return string(b)
}

// newID returns prefix + 14 random alphanumerics, unused in taken. The
// caller holds s.mu.
func newID[T any](s *Server, prefix string, taken map[string]T) string {
	for {
		id := prefix + s.randomAlnum(14)
		if _, dup := taken[id]; !dup {
			return id
		}
	}
}

func customerKey(email, contact string) string { return email + "\x00" + contact }

// encode renders v as the answer body, loosened with WithLooseJSON.
func (s *Server) encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{}`)
	}
	if s.cfg.loose {
		b = loosen(b)
	}
	return b
}

// pageParams are the count, skip, from and to of a collection request.
type pageParams struct {
	count, skip int
	from, to    int64
}

func parsePage(q url.Values) (pageParams, *apiError) {
	p := pageParams{count: 10}
	intParam := func(name string) (int64, bool, *apiError) {
		v := q.Get(name)
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false, badRequest("The "+name+" must be an integer.", name)
		}
		return n, true, nil
	}
	if n, ok, e := intParam("count"); e != nil {
		return p, e
	} else if ok {
		switch {
		case n > 100:
			return p, badRequest(msgCountMax, "count")
		case n < 1:
			return p, badRequest("The count must be at least 1.", "count")
		}
		p.count = int(n)
	}
	if n, ok, e := intParam("skip"); e != nil {
		return p, e
	} else if ok {
		if n < 0 {
			return p, badRequest("The skip must be at least 0.", "skip")
		}
		p.skip = int(min(n, 1<<30))
	}
	for _, name := range []string{"from", "to"} {
		n, ok, e := intParam(name)
		if e != nil {
			return p, e
		}
		if ok && n < 0 {
			return p, badRequest("The "+name+" must be at least 0.", name)
		}
		if name == "from" {
			p.from = n
		} else {
			p.to = n
		}
	}
	return p, nil
}

// page returns one page of items (kept in creation order), newest first,
// keeping those that keep accepts and that were created within from..to.
func page[T any](items []T, q url.Values, createdAt func(T) int64, keep func(T) bool) (collection[T], *apiError) {
	p, e := parsePage(q)
	if e != nil {
		return collection[T]{}, e
	}
	var out []T
	skip := p.skip
	for i := len(items) - 1; i >= 0 && len(out) < p.count; i-- {
		it := items[i]
		at := createdAt(it)
		if (p.from != 0 && at < p.from) || (p.to != 0 && at > p.to) || (keep != nil && !keep(it)) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, it)
	}
	return newCollection(out), nil
}
