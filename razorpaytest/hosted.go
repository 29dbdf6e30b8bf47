package razorpaytest

import (
	"fmt"
	"html"
	"net/http"
	"strings"
)

// serveHostedPage serves the page a registration link's short_url points to
// (/i/{id}, for an invoice or an authorization order id), where a person can
// act as the card holder: approve or decline the mandate. It needs no auth,
// like Razorpay's hosted pages.
func (s *Server) serveHostedPage(w http.ResponseWriter, r *http.Request, segs []string) {
	id := segs[0]
	switch {
	case len(segs) == 1 && r.Method == http.MethodGet:
	case len(segs) == 2 && r.Method == http.MethodPost && (segs[1] == "authorize" || segs[1] == "reject"):
		var err error
		if segs[1] == "authorize" {
			_, err = s.CompleteAuthorization(id)
		} else {
			_, err = s.RejectAuthorization(id, "")
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		http.Redirect(w, r, "/i/"+id, http.StatusSeeOther)
		return
	default:
		http.NotFound(w, r)
		return
	}

	s.mu.Lock()
	s.catchUp()
	var o *order
	title, status, open := "", "", false
	if inv := s.st.invoices[id]; inv != nil {
		o, title, status = inv.order, string(inv.Description), string(inv.Status)
		open = inv.Status == invoiceIssued
	} else if o = s.st.orders[id]; o != nil {
		title, status = "Order "+o.ID, string(o.Status)
		open = o.Status == orderCreated || o.Status == orderAttempted
	}
	var amount, maxAmount int64
	var currency, frequency string
	if o != nil {
		amount, currency = o.Amount, o.Currency
		if o.Token != nil {
			maxAmount, frequency = o.Token.MaxAmount, o.Token.Frequency
		}
	}
	s.mu.Unlock()
	if o == nil {
		http.NotFound(w, r)
		return
	}

	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><title>%s</title><h1>%s</h1>", html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&b, "<p>Status: <b>%s</b></p><p>Amount: %d.%02d %s</p>", html.EscapeString(status), amount/100, amount%100, html.EscapeString(currency))
	if maxAmount > 0 {
		fmt.Fprintf(&b, "<p>Mandate: up to %d.%02d %s per debit, %s</p>", maxAmount/100, maxAmount%100, html.EscapeString(currency), html.EscapeString(frequency))
	}
	if open {
		esc := html.EscapeString(id)
		fmt.Fprintf(&b, `<form method="post" action="/i/%s/authorize"><button>Approve with card ending 1111</button></form>`, esc)
		fmt.Fprintf(&b, `<form method="post" action="/i/%s/reject"><button>Decline</button></form>`, esc)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
