package razorpaytest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"github.com/gorzp/razorpay"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// route returns the handler of an API request, or nil for an unknown route
// or a method the route does not serve.
func route(method string, segs []string) handlerFunc {
	if len(segs) < 2 || segs[0] != "v1" {
		return nil
	}
	for _, sg := range segs[1:] {
		if sg == "" {
			return nil
		}
	}
	n := len(segs)
	get, post, del := method == http.MethodGet, method == http.MethodPost, method == http.MethodDelete
	switch segs[1] {
	case "customers":
		switch {
		case n == 2 && post:
			return (*Server).createCustomer
		case n == 2 && get:
			return (*Server).listCustomers
		case n == 3 && get:
			return (*Server).fetchCustomer
		case n == 4 && segs[3] == "tokens" && get:
			return (*Server).listTokens
		case n == 5 && segs[3] == "tokens" && get:
			return (*Server).fetchToken
		case n == 5 && segs[3] == "tokens" && del:
			return (*Server).deleteToken
		}
	case "orders":
		switch {
		case n == 2 && post:
			return (*Server).createOrder
		case n == 2 && get:
			return (*Server).listOrders
		case n == 3 && get:
			return (*Server).fetchOrder
		case n == 3 && method == http.MethodPatch:
			return (*Server).updateOrder
		case n == 4 && segs[3] == "payments" && get:
			return (*Server).orderPayments
		}
	case "subscription_registration":
		if n == 3 && segs[2] == "auth_links" && post {
			return (*Server).createRegistrationLink
		}
	case "invoices":
		switch {
		case n == 2 && get:
			return (*Server).listInvoices
		case n == 3 && get:
			return (*Server).fetchInvoice
		case n == 4 && segs[3] == "cancel" && post:
			return (*Server).cancelInvoice
		case n == 5 && segs[3] == "notify_by" && post:
			return (*Server).notifyInvoice
		}
	case "payments":
		switch {
		case n == 4 && segs[2] == "create" && segs[3] == "recurring" && post:
			return (*Server).createRecurringPayment
		case n == 2 && get:
			return (*Server).listPayments
		case n == 3 && get:
			return (*Server).fetchPayment
		case n == 4 && segs[3] == "card" && get:
			return (*Server).fetchPaymentCard
		case n == 4 && segs[3] == "refund" && post:
			return (*Server).createRefund
		case n == 4 && segs[3] == "refunds" && get:
			return (*Server).paymentRefunds
		case n == 4 && segs[3] == "capture" && post:
			return (*Server).capturePayment
		}
	case "refunds":
		switch {
		case n == 2 && get:
			return (*Server).listRefunds
		case n == 3 && get:
			return (*Server).fetchRefund
		}
	case "cards":
		switch {
		case n == 3 && segs[2] == "fingerprints" && post:
			return (*Server).cardFingerprint
		case n == 3 && get:
			return (*Server).fetchCard
		}
	}
	return nil
}

// ----- customers -----

func (s *Server) createCustomer(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("name", "email", "contact", "fail_existing", "gstin", "notes")
	name, email, contact, gstin := f.str("name"), f.str("email"), f.str("contact"), f.str("gstin")
	nts := f.notes("notes")
	// Only the string "0" turns fail_existing off; the API is known to treat
	// a numeric 0 as the default, "1".
	failExisting := string(bytes.TrimSpace(f.m["fail_existing"])) != `"0"`
	if f.err != nil {
		return nil, f.err
	}
	if e := checkCustomer(name, email, contact, gstin, ""); e != nil {
		return nil, e
	}
	if email != "" && contact != "" {
		if c := s.st.customerKeys[customerKey(email, contact)]; c != nil {
			if failExisting {
				return nil, badRequest(msgCustomerExists, "")
			}
			return c, nil
		}
	}
	return s.newCustomer(name, email, contact, gstin, nts), nil
}

func checkCustomer(name, email, contact, gstin, prefix string) *apiError {
	if name != "" {
		switch n := utf8.RuneCountInString(name); {
		case n < 3:
			return badRequest("The name must be at least 3 characters.", prefix+"name")
		case n > 50:
			return badRequest("The name may not be greater than 50 characters.", prefix+"name")
		}
	}
	if email != "" {
		at := strings.IndexByte(email, '@')
		switch {
		case utf8.RuneCountInString(email) > 64:
			return badRequest("The email may not be greater than 64 characters.", prefix+"email")
		case at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") || !strings.Contains(email[at:], "."):
			return badRequest("The email must be a valid email address.", prefix+"email")
		}
	}
	if contact != "" {
		digits := 0
		for i, c := range contact {
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c == '+' && i == 0, c == ' ', c == '-':
			default:
				e := badRequest("Contact number contains invalid characters, only digits and + symbol are allowed", prefix+"contact")
				e.reason = "invalid_contact_number"
				return e
			}
		}
		var msg string
		switch {
		case digits < 8:
			msg = "Contact number should be at least 8 digits, including country code"
		case len(contact) > 15:
			msg = "Contact number should not be greater than 15 digits, including country code"
		}
		if msg != "" {
			e := badRequest(msg, prefix+"contact")
			e.reason = "invalid_contact_number"
			return e
		}
	}
	if gstin != "" && len(gstin) != 15 {
		return badRequest("The gstin format is invalid.", prefix+"gstin")
	}
	return nil
}

func (s *Server) newCustomer(name, email, contact, gstin string, nts notes) *customer {
	c := &customer{
		ID: newID(s, "cust_", s.st.customers), Entity: "customer",
		Name: ns(name), Email: ns(email), Contact: ns(contact), GSTIN: ns(gstin),
		Notes: nts, CreatedAt: s.now().Unix(), seq: s.st.next(),
	}
	s.st.customers[c.ID] = c
	s.st.customerList = append(s.st.customerList, c)
	if email != "" || contact != "" {
		if k := customerKey(email, contact); s.st.customerKeys[k] == nil {
			s.st.customerKeys[k] = c
		}
	}
	return c
}

func (s *Server) fetchCustomer(r *apiRequest) (any, *apiError) {
	c := s.st.customers[r.segs[2]]
	if c == nil {
		return nil, notExist("")
	}
	return c, nil
}

func (s *Server) listCustomers(r *apiRequest) (any, *apiError) {
	return page(s.st.customerList, r.query, func(c *customer) int64 { return c.CreatedAt }, nil)
}

// ----- orders -----

var frequencies = map[string]bool{"weekly": true, "monthly": true, "yearly": true, "as_presented": true}

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// checkAmount checks a mandatory amount of at least ₹1 and its currency.
func checkAmount(amount int64, hasAmount bool, currency string) *apiError {
	switch {
	case !hasAmount:
		return badRequest("The amount field is required.", "amount")
	case amount < 100:
		return badRequest(msgMinAmount, "amount")
	case currency == "":
		return badRequest("The currency field is required.", "currency")
	case !validCurrency(currency):
		return badRequest("The currency "+currency+" is not supported.", "currency")
	}
	return nil
}

func (s *Server) createOrder(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("amount", "currency", "receipt", "notes", "customer_id", "method", "payment_capture",
		"token", "notification", "partial_payment", "first_payment_min_amount")
	amount, hasAmount := f.integer("amount")
	currency := f.str("currency")
	receipt := f.exactStr("receipt")
	nts := f.notes("notes")
	customerID := f.str("customer_id")
	method := f.str("method")
	autoCapture, hasCapture := f.boolean("payment_capture")
	f.boolean("partial_payment")
	f.integer("first_payment_min_amount")
	var (
		maxAmount, expireAt int64
		hasMax              bool
		frequency, authType string
		tokenNotes          notes
		notifTokenID        string
		paymentAfter        int64
	)
	tok := f.object("token")
	if tok != nil {
		tok.only("max_amount", "expire_at", "frequency", "auth_type", "notes")
		maxAmount, hasMax = tok.integer("max_amount")
		expireAt, _ = tok.integer("expire_at")
		frequency = tok.str("frequency")
		authType = tok.str("auth_type")
		tokenNotes = tok.notes("notes")
	}
	notif := f.object("notification")
	if notif != nil {
		notif.only("token_id", "payment_after")
		notifTokenID = notif.str("token_id")
		paymentAfter, _ = notif.integer("payment_after")
	}
	if f.err != nil {
		return nil, f.err
	}
	if e := checkAmount(amount, hasAmount, currency); e != nil {
		return nil, e
	}
	if utf8.RuneCountInString(receipt) > 40 {
		return nil, badRequest("The receipt may not be greater than 40 characters.", "receipt")
	}
	if e := s.checkUniqueReceipt(receipt); e != nil {
		return nil, e
	}
	switch method {
	case "", "card", "upi", "netbanking", "wallet", "emandate", "nach":
	default:
		return nil, badRequest("The selected method is invalid.", "method")
	}
	var cust *customer
	if customerID != "" {
		if cust = s.st.customers[customerID]; cust == nil {
			return nil, notExist("customer_id")
		}
	}
	now := s.now().Unix()
	o := s.newOrder(order{Amount: amount, Currency: currency, Receipt: ns(receipt), Notes: nts,
		CreatedAt: now, Method: method, CustomerID: customerID, manualCapture: hasCapture && !autoCapture})
	if tok != nil {
		switch {
		case customerID == "":
			return nil, badRequest("The customer_id field is required when token is present.", "customer_id")
		case method != "" && method != "card":
			return nil, badRequest("The method must be card for a card mandate.", "method")
		case !hasMax:
			return nil, badRequest("The token.max_amount field is required.", "token.max_amount")
		case maxAmount < 100:
			return nil, badRequest("The token.max_amount must be at least 100.", "token.max_amount")
		case maxAmount > 1500000:
			return nil, badRequest("The token.max_amount may not be greater than 1500000.", "token.max_amount")
		case frequency != "" && !frequencies[frequency]:
			return nil, badRequest("The selected token.frequency is invalid.", "token.frequency")
		case expireAt != 0 && expireAt <= now:
			return nil, badRequest("The token.expire_at must be a timestamp in the future.", "token.expire_at")
		}
		if frequency == "" {
			frequency = "as_presented"
		}
		o.Method = "card"
		o.Token = &orderToken{Method: "card", Notes: tokenNotes, Currency: currency, MaxAmount: maxAmount,
			AuthType: ns(authType), ExpireAt: ni(expireAt), Frequency: frequency}
	}
	if notif != nil {
		if notifTokenID == "" {
			return nil, badRequest("The notification.token_id field is required.", "notification.token_id")
		}
		if s.st.tokens[notifTokenID] == nil {
			return nil, notExist("notification.token_id")
		}
		o.Notification = &orderNotification{ID: newID(s, "notification_", s.st.orders), TokenID: notifTokenID, PaymentAfter: ni(paymentAfter)}
	}
	s.storeOrder(o, r.header)
	return o, nil
}

// storeOrder keeps a new order: by id, in creation order and by receipt.
func (s *Server) storeOrder(o *order, created http.Header) {
	if s.cfg.listLag != nil {
		if v, err := convert[razorpay.Order](o); err == nil {
			o.lagged = &laggedOrder{order: *v, header: created.Clone(), created: time.Now()}
		}
	}
	s.st.orders[o.ID] = o
	s.st.orderList = append(s.st.orderList, o)
	if o.Receipt != "" {
		s.st.receipts[string(o.Receipt)] = append(s.st.receipts[string(o.Receipt)], o)
	}
}

// checkUniqueReceipt refuses a used receipt as an account with receipt
// uniqueness does (see WithUniqueReceipts).
func (s *Server) checkUniqueReceipt(receipt string) *apiError {
	if !s.cfg.uniqueReceipts {
		return nil
	}
	if receipt == "" {
		return badRequest("The receipt field is required.", "receipt")
	}
	used := s.st.receipts[receipt]
	if len(used) == 0 {
		return nil
	}
	first := used[0]
	if s.now().Before(time.Unix(first.CreatedAt, 0).Add(ReceiptLockWindow)) {
		return badRequest("Another operation with the same receipt is in progress.", "receipt")
	}
	e := badRequest("Order receipt should be unique.", "receipt")
	e.metadata = map[string]any{"order_id": first.ID}
	return e
}

func (s *Server) fetchOrder(r *apiRequest) (any, *apiError) {
	o := s.st.orders[r.segs[2]]
	if o == nil {
		return nil, notExist("")
	}
	exp, e := orderExpansion(r.query)
	if e != nil {
		return nil, e
	}
	return renderOrder(o, exp), nil
}

func (s *Server) listOrders(r *apiRequest) (any, *apiError) {
	receipt := r.query.Get("receipt")
	if utf8.RuneCountInString(receipt) > 40 {
		return nil, badRequest("The receipt may not be greater than 40 characters.", "receipt")
	}
	var authorized *bool
	switch v := r.query.Get("authorized"); v {
	case "":
	case "1", "0":
		b := v == "1"
		authorized = &b
	default:
		return nil, badRequest("The selected authorized is invalid.", "authorized")
	}
	exp, e := orderExpansion(r.query)
	if e != nil {
		return nil, e
	}
	orders := s.st.orderList
	if receipt != "" {
		orders = s.st.receipts[receipt]
	}
	list, e := page(orders, r.query, func(o *order) int64 { return o.CreatedAt }, func(o *order) bool {
		return (authorized == nil || *authorized == o.hasAuthorizedPayment()) && s.listed(o, r.header)
	})
	if e != nil || exp == expandNone {
		return list, e
	}
	for i, o := range list.Items {
		list.Items[i] = renderOrder(o, exp)
	}
	return list, nil
}

// listed reports whether a list asked for with header shows o yet (see
// WithListLag).
func (s *Server) listed(o *order, header http.Header) bool {
	if o.lagged == nil {
		return true
	}
	lag := s.cfg.listLag(o.lagged.order, o.lagged.header, header)
	return lag <= 0 || time.Since(o.lagged.created) >= lag
}

// updateOrder sets the notes of an order, the only field Razorpay lets
// change (PATCH /v1/orders/{id} with {"notes": {...}}): the notes sent
// replace the order's.
func (s *Server) updateOrder(r *apiRequest) (any, *apiError) {
	o := s.st.orders[r.segs[2]]
	if o == nil {
		return nil, notExist("")
	}
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("notes")
	if !f.present("notes") {
		return nil, badRequest("The notes field is required.", "notes")
	}
	nts := f.notes("notes")
	if f.err != nil {
		return nil, f.err
	}
	o.Notes = nts
	return renderOrder(o, expandNone), nil
}

// hasAuthorizedPayment reports whether a payment on o was authorized (and
// perhaps captured since), as the authorized filter of the orders list sees it.
func (o *order) hasAuthorizedPayment() bool {
	for _, p := range o.payments {
		if p.Status == paymentAuthorized || p.Status == paymentCaptured {
			return true
		}
	}
	return false
}

type expansion int

const (
	expandNone expansion = iota
	expandPayments
	expandPaymentsCard
)

// orderExpansion reads expand[] of an order request: payments or payments.card.
func orderExpansion(q url.Values) (expansion, *apiError) {
	exp := expandNone
	for _, k := range []string{"expand[]", "expand"} {
		for _, v := range q[k] {
			switch v {
			case "payments":
				exp = max(exp, expandPayments)
			case "payments.card":
				exp = expandPaymentsCard
			default:
				return 0, badRequest("The selected expand is invalid.", "expand")
			}
		}
	}
	return exp, nil
}

// renderOrder returns o, or a copy of it carrying its payments (newest first)
// when expanded.
func renderOrder(o *order, exp expansion) *order {
	if exp == expandNone {
		return o
	}
	c := *o
	col := paymentsOf(o, exp == expandPaymentsCard)
	c.Payments = &col
	return &c
}

func (s *Server) orderPayments(r *apiRequest) (any, *apiError) {
	o := s.st.orders[r.segs[2]]
	if o == nil {
		return nil, notExist("")
	}
	return paymentsOf(o, expandCard(r.query)), nil
}

// paymentsOf returns the payments of o, newest first, with their cards
// when withCard.
func paymentsOf(o *order, withCard bool) collection[*payment] {
	items := make([]*payment, 0, len(o.payments))
	for i := len(o.payments) - 1; i >= 0; i-- {
		items = append(items, renderPayment(o.payments[i], withCard))
	}
	return newCollection(items)
}

func expandCard(q url.Values) bool {
	for _, k := range []string{"expand[]", "expand"} {
		for _, v := range q[k] {
			if v == "card" {
				return true
			}
		}
	}
	return false
}

func renderPayment(p *payment, expand bool) *payment {
	if expand {
		return p.withCard()
	}
	return p
}

// ----- registration links and invoices -----

func (s *Server) createRegistrationLink(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("customer", "customer_id", "type", "amount", "currency", "description", "subscription_registration",
		"sms_notify", "email_notify", "expire_by", "receipt", "notes")
	var name, email, contact string
	cf := f.object("customer")
	if cf != nil {
		cf.only("name", "email", "contact")
		name, email, contact = cf.str("name"), cf.str("email"), cf.str("contact")
	}
	customerID := f.str("customer_id")
	typ := f.str("type")
	amount, hasAmount := f.integer("amount")
	currency := f.str("currency")
	description := f.str("description")
	smsNotify, hasSMS := f.boolean("sms_notify")
	emailNotify, hasEmail := f.boolean("email_notify")
	expireBy, _ := f.integer("expire_by")
	receipt := f.str("receipt")
	nts := f.notes("notes")
	var (
		method, frequency, authType string
		maxAmount, expireAt         int64
		hasMax                      bool
	)
	sr := f.object("subscription_registration")
	if sr != nil {
		sr.only("method", "max_amount", "expire_at", "frequency", "auth_type", "first_payment_amount")
		method = sr.str("method")
		maxAmount, hasMax = sr.integer("max_amount")
		expireAt, _ = sr.integer("expire_at")
		frequency = sr.str("frequency")
		authType = sr.str("auth_type")
		sr.integer("first_payment_amount")
	}
	if f.err != nil {
		return nil, f.err
	}
	now := s.now().Unix()
	var cust *customer
	switch {
	case customerID != "":
		if cust = s.st.customers[customerID]; cust == nil {
			return nil, notExist("customer_id")
		}
	case cf == nil:
		return nil, badRequest("The customer field is required.", "customer")
	case name == "":
		return nil, badRequest("The customer.name field is required.", "customer.name")
	case email == "":
		return nil, badRequest("The customer.email field is required.", "customer.email")
	}
	if e := checkCustomer(name, email, contact, "", "customer."); e != nil {
		return nil, e
	}
	switch {
	case typ == "":
		return nil, badRequest("The type field is required.", "type")
	case typ != "link":
		return nil, badRequest("The selected type is invalid.", "type")
	}
	if e := checkAmount(amount, hasAmount, currency); e != nil {
		return nil, e
	}
	switch {
	case description == "":
		return nil, badRequest("The description field is required.", "description")
	case sr == nil:
		return nil, badRequest("The subscription_registration field is required.", "subscription_registration")
	case method != "" && method != "card":
		return nil, badRequest("The selected subscription_registration.method is invalid.", "subscription_registration.method")
	case !hasMax:
		return nil, badRequest("The subscription_registration.max_amount field is required.", "subscription_registration.max_amount")
	case maxAmount < 100:
		return nil, badRequest("The subscription_registration.max_amount must be at least 100.", "subscription_registration.max_amount")
	case maxAmount > 100000000:
		return nil, badRequest("The subscription_registration.max_amount may not be greater than 100000000.", "subscription_registration.max_amount")
	case frequency == "":
		return nil, badRequest("The subscription_registration.frequency field is required.", "subscription_registration.frequency")
	case !frequencies[frequency]:
		return nil, badRequest("The selected subscription_registration.frequency is invalid.", "subscription_registration.frequency")
	case expireAt != 0 && expireAt <= now:
		return nil, badRequest("The subscription_registration.expire_at must be a timestamp in the future.", "subscription_registration.expire_at")
	case expireBy != 0 && expireBy <= now:
		return nil, badRequest("The expire_by must be a timestamp in the future.", "expire_by")
	case utf8.RuneCountInString(receipt) > 40:
		return nil, badRequest("The receipt may not be greater than 40 characters.", "receipt")
	}
	if cust == nil {
		if cust = s.st.customerKeys[customerKey(email, contact)]; cust == nil {
			cust = s.newCustomer(name, email, contact, "", nil)
		}
	}
	tok := &orderToken{Method: "card", Currency: currency, MaxAmount: maxAmount, AuthType: ns(authType),
		ExpireAt: ni(expireAt), Frequency: frequency}
	o := s.newOrder(order{Amount: amount, Currency: currency, Receipt: ns(receipt), CreatedAt: now,
		Method: "card", CustomerID: cust.ID, Token: tok})
	inv := s.newLink(invoice{
		Receipt:    ns(receipt),
		CustomerID: cust.ID,
		CustomerDetails: customerDetails{
			ID: cust.ID, Name: cust.Name, Email: cust.Email, Contact: cust.Contact,
			CustomerName: cust.Name, CustomerEmail: cust.Email, CustomerContact: cust.Contact,
		},
		OrderID: o.ID, ExpireBy: ni(expireBy), IssuedAt: ni(now), Date: now,
		GrossAmount: amount, Amount: amount, AmountDue: amount, Currency: currency, CurrencySymbol: currencySymbol(currency),
		Description: ns(description), Notes: nts, ViewLess: true, Token: tok,
		CreatedAt: now, order: o,
	}, !hasSMS || smsNotify, !hasEmail || emailNotify)
	inv.ShortURL = s.URL + "/i/" + inv.ID
	o.invoice = inv
	s.storeOrder(o, r.header)
	s.st.invoices[inv.ID] = inv
	s.st.invoiceList = append(s.st.invoiceList, inv)
	if expireBy != 0 {
		s.st.expiring = append(s.st.expiring, inv)
	}
	return inv, nil
}

func currencySymbol(c string) string {
	if c == "INR" {
		return "₹"
	}
	return c
}

func (s *Server) fetchInvoice(r *apiRequest) (any, *apiError) {
	inv := s.st.invoices[r.segs[2]]
	if inv == nil {
		return nil, notExist("")
	}
	return inv, nil
}

func (s *Server) listInvoices(r *apiRequest) (any, *apiError) {
	q := r.query
	typ, cust, pay, receipt, sub := q.Get("type"), q.Get("customer_id"), q.Get("payment_id"), q.Get("receipt"), q.Get("subscription_id")
	return page(s.st.invoiceList, q, func(inv *invoice) int64 { return inv.CreatedAt }, func(inv *invoice) bool {
		return (typ == "" || inv.Type == typ) && (cust == "" || inv.CustomerID == cust) &&
			(pay == "" || string(inv.PaymentID) == pay) && (receipt == "" || string(inv.Receipt) == receipt) && sub == ""
	})
}

func (s *Server) cancelInvoice(r *apiRequest) (any, *apiError) {
	inv := s.st.invoices[r.segs[2]]
	if inv == nil {
		return nil, notExist("")
	}
	if err := s.cancelLink(inv); err != nil {
		return nil, invoiceNotAllowed(inv)
	}
	return inv, nil
}

func (s *Server) notifyInvoice(r *apiRequest) (any, *apiError) {
	inv := s.st.invoices[r.segs[2]]
	if inv == nil {
		return nil, notExist("")
	}
	medium := r.segs[4]
	if medium != "sms" && medium != "email" {
		return nil, badRequest(medium+" is not a valid communication medium.", "medium")
	}
	if err := s.notifyLink(inv, medium); err != nil {
		return nil, invoiceNotAllowed(inv)
	}
	return map[string]bool{"success": true}, nil
}

// invoiceNotAllowed is the API's answer to an action that the invoice's
// status does not allow.
func invoiceNotAllowed(inv *invoice) *apiError {
	return badRequest("Operation not allowed for Invoice in "+string(inv.Status)+" status", "")
}

// ----- payments -----

func (s *Server) createRecurringPayment(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("email", "contact", "amount", "currency", "order_id", "customer_id", "token", "recurring", "description", "notes")
	email, contact := f.str("email"), f.str("contact")
	amount, hasAmount := f.integer("amount")
	currency := f.str("currency")
	orderID, customerID, tokenID := f.str("order_id"), f.str("customer_id"), f.str("token")
	recurring, hasRecurring := f.boolean("recurring")
	description := f.str("description")
	nts := f.notes("notes")
	if f.err != nil {
		f.err.step = "payment_initiation"
		return nil, f.err
	}
	for _, req := range []struct{ key, v string }{
		{"email", email}, {"contact", contact}, {"currency", currency},
		{"order_id", orderID}, {"customer_id", customerID}, {"token", tokenID},
	} {
		if req.v == "" {
			return nil, paymentError("The "+req.key+" field is required.", req.key)
		}
	}
	switch {
	case !hasAmount:
		return nil, paymentError("The amount field is required.", "amount")
	case !hasRecurring:
		return nil, paymentError("The recurring field is required.", "recurring")
	case !recurring:
		return nil, paymentError("The selected recurring is invalid.", "recurring")
	}
	if e := checkCustomer("", email, contact, "", ""); e != nil {
		e.step = "payment_initiation"
		return nil, e
	}
	o := s.st.orders[orderID]
	if o == nil {
		return nil, paymentError(msgIDNotExist, "order_id")
	}
	cust := s.st.customers[customerID]
	if cust == nil {
		return nil, paymentError(msgIDNotExist, "customer_id")
	}
	tk := s.st.tokens[tokenID]
	if tk == nil {
		return nil, paymentError(msgIDNotExist, "token")
	}
	now := s.now().Unix()
	switch {
	case tk.customer != cust:
		return nil, paymentError("The token does not belong to the customer", "token")
	case tk.RecurringDetails.Status != mandateConfirmed:
		return nil, paymentError(fmt.Sprintf("The token cannot be charged: its mandate is %s, not confirmed", tk.RecurringDetails.Status), "token")
	case tk.ExpiredAt != 0 && tk.ExpiredAt <= now:
		return nil, paymentError("The token has expired", "token")
	case o.CustomerID != "" && o.CustomerID != cust.ID:
		return nil, paymentError("The order does not belong to the customer", "order_id")
	case o.Status == orderPaid:
		return nil, paymentError(msgOrderPaid, "order_id")
	case currency != o.Currency:
		return nil, paymentError("The currency should be the same as the order currency", "currency")
	case amount != o.Amount:
		return nil, paymentError(fmt.Sprintf("The payment amount %d must be equal to the order amount %d", amount, o.Amount), "amount")
	case amount > tk.MaxAmount:
		e := paymentError(msgExceedsMax, "")
		e.metadata = map[string]any{"order_id": o.ID}
		return nil, e
	}
	p := s.newPayment(o, tk.src, cust)
	p.Email, p.Contact = email, contact
	p.TokenID = ns(tk.ID)
	p.Description = ns(description)
	p.Notes = nts
	tk.UsedAt = ni(now)
	s.chargeRecurring(p)
	return map[string]string{
		"razorpay_payment_id": p.ID,
		"razorpay_order_id":   o.ID,
		"razorpay_signature":  SignPayment(o.ID, p.ID, s.CurrentKeySecret()),
	}, nil
}

func (s *Server) randomDigits(n int) string {
	b := []byte(s.randomAlnum(n))
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

func (s *Server) fetchPayment(r *apiRequest) (any, *apiError) {
	p := s.st.payments[r.segs[2]]
	if p == nil {
		return nil, notExist("")
	}
	return renderPayment(p, expandCard(r.query)), nil
}

func (s *Server) listPayments(r *apiRequest) (any, *apiError) {
	expand := expandCard(r.query)
	list, e := page(s.st.paymentList, r.query, func(p *payment) int64 { return p.CreatedAt }, nil)
	if e != nil || !expand {
		return list, e
	}
	for i, p := range list.Items {
		list.Items[i] = p.withCard()
	}
	return list, nil
}

func (s *Server) fetchPaymentCard(r *apiRequest) (any, *apiError) {
	p := s.st.payments[r.segs[2]]
	if p == nil {
		return nil, notExist("")
	}
	if p.Method != "card" || p.card == nil {
		return nil, badRequest(msgNotCard, "")
	}
	return p.card.entity(), nil
}

// ----- tokens -----

func (s *Server) tokenOf(r *apiRequest) (*token, *apiError) {
	c := s.st.customers[r.segs[2]]
	if c == nil {
		return nil, notExist("")
	}
	tk := s.st.tokens[r.segs[4]]
	if tk == nil || tk.customer != c {
		return nil, notExist("")
	}
	return tk, nil
}

// listTokens lists a customer's tokens. Like Razorpay, it leaves out
// rejected and expired tokens.
func (s *Server) listTokens(r *apiRequest) (any, *apiError) {
	c := s.st.customers[r.segs[2]]
	if c == nil {
		return nil, notExist("")
	}
	now := s.now().Unix()
	items := make([]*token, 0, len(c.tokens))
	for i := len(c.tokens) - 1; i >= 0; i-- {
		tk := c.tokens[i]
		if tk.RecurringDetails.Status == mandateRejected || (tk.ExpiredAt != 0 && tk.ExpiredAt <= now) {
			continue
		}
		items = append(items, tk)
	}
	return newCollection(items), nil
}

func (s *Server) fetchToken(r *apiRequest) (any, *apiError) {
	tk, e := s.tokenOf(r)
	if e != nil {
		return nil, e
	}
	return tk, nil
}

func (s *Server) deleteToken(r *apiRequest) (any, *apiError) {
	tk, e := s.tokenOf(r)
	if e != nil {
		return nil, e
	}
	delete(s.st.tokens, tk.ID)
	c := tk.customer
	for i, t := range c.tokens {
		if t == tk {
			c.tokens = append(c.tokens[:i:i], c.tokens[i+1:]...)
			break
		}
	}
	return map[string]bool{"deleted": true}, nil
}

// ----- cards -----

func (s *Server) fetchCard(r *apiRequest) (any, *apiError) {
	c := s.st.cards[r.segs[2]]
	if c == nil {
		return nil, notExist("")
	}
	return c.entity(), nil
}

func (s *Server) cardFingerprint(r *apiRequest) (any, *apiError) {
	f, e := parseForm(r.body)
	if e != nil {
		return nil, e
	}
	f.only("number", "tokenised", "token")
	number := f.str("number")
	tokenised, hasTokenised := f.boolean("tokenised")
	tokenID := f.str("token")
	if f.err != nil {
		return nil, f.err
	}
	switch {
	case number == "" && tokenID == "":
		return nil, badRequest("The number field is required when token is not present.", "number")
	case number != "" && tokenID != "":
		return nil, badRequest("Only one of number and token may be sent.", "token")
	case hasTokenised && number == "":
		return nil, badRequest("The tokenised field may be sent with number only.", "tokenised")
	}
	key := "provider"
	if number != "" {
		key = "network"
		if !luhn(number) {
			return nil, badRequest("The card number is invalid.", "number")
		}
	} else {
		tk := s.st.tokens[tokenID]
		if tk == nil || tk.src == nil {
			return nil, notExist("token")
		}
		number = tk.src.number
	}
	network := referenceNetwork(number)
	out := map[string]any{key: network, "payment_account_reference": nil, "network_reference_id": nil}
	sum := sha256.Sum256([]byte("razorpaytest card reference " + number))
	switch network {
	case "Visa", "Mastercard":
		prefix := "V001"
		if network == "Mastercard" {
			prefix = "5001"
		}
		par := []byte(prefix)
		for _, b := range sum[:25] {
			par = append(par, alnum[b%36])
		}
		out["payment_account_reference"] = string(par)
	case "RuPay":
		if tokenised {
			return nil, badRequest("Tokenised RuPay card numbers are not supported.", "number")
		}
		h := fmt.Sprintf("%x", sum[:16])
		out["network_reference_id"] = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	default:
		return nil, badRequest("The card network is not supported.", "number")
	}
	return out, nil
}

// luhn reports whether number is 12 to 19 digits with a valid check digit.
func luhn(number string) bool {
	if len(number) < 12 || len(number) > 19 {
		return false
	}
	sum := 0
	for i := 0; i < len(number); i++ {
		c := number[len(number)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// cardNetwork names the network of a card number as card entities do.
func cardNetwork(number string) string {
	p2 := 0
	if len(number) >= 2 {
		p2 = int(number[0]-'0')*10 + int(number[1]-'0')
	}
	p4 := 0
	if len(number) >= 4 {
		p4 = p2*100 + int(number[2]-'0')*10 + int(number[3]-'0')
	}
	switch {
	case strings.HasPrefix(number, "4"):
		return "Visa"
	case (p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720):
		return "MasterCard"
	case p2 == 60 || p2 == 65 || p2 == 81 || p2 == 82 || strings.HasPrefix(number, "508"):
		return "RuPay"
	case p2 == 34 || p2 == 37:
		return "American Express"
	case p2 == 36 || p2 == 38 || (p2 == 30 && len(number) >= 3 && number[2] <= '5'):
		return "Diners Club"
	case p2 == 50 || (p2 >= 56 && p2 <= 69):
		return "Maestro"
	}
	return "Unknown"
}

// referenceNetwork names the network of a card number as card references
// do ("Mastercard", not "MasterCard").
func referenceNetwork(number string) string {
	n := cardNetwork(number)
	if n == "MasterCard" {
		return "Mastercard"
	}
	return n
}
