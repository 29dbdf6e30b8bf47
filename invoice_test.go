package razorpay

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInvoiceNotifyBy(t *testing.T) {
	t.Parallel()
	for _, medium := range []NotifyMedium{NotifyMediumSMS, NotifyMediumEmail} {
		t.Run(string(medium), func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			path := "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/notify_by/" + string(medium)
			rec := mockRespondFixture(t, mt, "POST", path, "invoice/notify_by.json")

			err := c.Invoice.NotifyBy(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH", medium)
			require.NoError(t, err)

			call := rec.Only(t)
			assertReq(t, call, "POST", path)
			assertReqNoBody(t, call)
			assertReqNoQuery(t, call)
		})
	}
}

func TestInvoiceNotifyByNotApplied(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/notify_by/email", "invoice/notify_by_false.json")

	err := c.Invoice.NotifyBy(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH", NotifyMediumEmail)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotApplied)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *Error
	assert.False(t, errors.As(err, &apiErr), "a 2xx answer is not an *Error")
	assert.Len(t, rec.Calls(), 1)
}

func TestInvoiceNotifyByUnknownInvoice(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespond(t, mt, "POST", "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/notify_by/sms", http.StatusBadRequest, mockFixture(t, "errors/bad_request_na.json"))

	err := c.Invoice.NotifyBy(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH", NotifyMediumSMS)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrNotApplied)
}

func TestInvoiceCancel(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/cancel", "invoice/cancelled.json")

	inv, err := c.Invoice.Cancel(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/cancel")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "inv_Nq5Xd8ZiL3tMgH", inv.ID)
	assert.Equal(t, InvoiceStatusCancelled, inv.Status)
	assert.Equal(t, int64(1710399999), inv.CancelledAt)
	assert.Equal(t, int64(0), inv.PaidAt)
	assert.Equal(t, NotificationStatusSent, inv.SMSStatus)
	assert.Equal(t, NotificationStatusSent, inv.EmailStatus)
	assert.Nil(t, inv.Notes)
	assert.Equal(t, InvoiceTypeLink, inv.Type)
}

func TestInvoiceCancelAlreadyCancelled(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/invoices/inv_Nq5Xd8ZiL3tMgH/cancel", http.StatusBadRequest,
		[]byte(`{"error":{"code":"BAD_REQUEST_ERROR","description":"Operation not allowed for Invoice in cancelled status","source":"business","step":"NA","reason":"input_validation_failed","metadata":{}}}`))

	inv, err := c.Invoice.Cancel(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH")
	assert.Nil(t, inv)
	assert.ErrorIs(t, err, ErrBadRequest)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Operation not allowed for Invoice in cancelled status", apiErr.Description)
	assert.Equal(t, "business", apiErr.Source)
	assert.Equal(t, "", apiErr.Step)
	assert.Len(t, rec.Calls(), 1)
}

func TestInvoiceFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/invoices/inv_Pd2Kc6XwQ1rYtB", "invoice/fetch_paid.json")

	inv, err := c.Invoice.Fetch(mockCtx(t), "inv_Pd2Kc6XwQ1rYtB")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/invoices/inv_Pd2Kc6XwQ1rYtB")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "inv_Pd2Kc6XwQ1rYtB", inv.ID)
	assert.Equal(t, InvoiceStatusPaid, inv.Status)
	assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", inv.PaymentID)
	assert.Equal(t, "order_Nq3Zb5VtK8pLwE", inv.OrderID)
	assert.Equal(t, int64(1710312600), inv.PaidAt)
	assert.Equal(t, int64(0), inv.ExpireBy)
	assert.Equal(t, int64(100), inv.AmountPaid)
	assert.Equal(t, int64(0), inv.AmountDue)
	assert.Equal(t, "", inv.Receipt)
	assert.False(t, inv.PartialPayment, `"partial_payment": 0`)
	assert.True(t, inv.ViewLess, `"view_less": 1`)
	assert.Nil(t, inv.Notes)
	assert.Nil(t, inv.Token)

	assert.Equal(t, CustomerDetails{
		ID:      "cust_Pb7Hx3WvT9sQeD",
		Name:    "Saanvi Iyer",
		Email:   "saanvi.iyer@example.org",
		Contact: "9876543210", // a JSON number on the wire
		BillingAddress: &Address{
			ID:      "addr_Pd2Kc7YxR2sZuC",
			Type:    "billing_address",
			Primary: true,
			Line1:   "21, MG Road",
			Line2:   "Indiranagar",
			Zipcode: "560038", // a JSON number on the wire
			City:    "Bengaluru",
			State:   "Karnataka",
			Country: "in",
		},
		CustomerName:    "Saanvi Iyer",
		CustomerEmail:   "saanvi.iyer@example.org",
		CustomerContact: "9876543210",
	}, inv.CustomerDetails)
}

func TestInvoiceList(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/invoices", "invoice/list.json")

	list, err := c.Invoice.List(mockCtx(t), &InvoiceListParams{
		ListParams: ListParams{Count: 2},
		Type:       InvoiceTypeLink,
		CustomerID: "cust_Nq2Yk8ZpR4tLmA",
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/invoices")
	assertReqNoBody(t, call)
	assert.Equal(t, "count=2&customer_id=cust_Nq2Yk8ZpR4tLmA&type=link", call.RawQuery)

	assert.Equal(t, "collection", list.Entity)
	assert.Equal(t, 2, list.Count)
	require.Len(t, list.Items, 2)
	link, invoice := list.Items[0], list.Items[1]
	assert.Equal(t, "inv_Nq5Xd8ZiL3tMgH", link.ID)
	assert.Equal(t, InvoiceTypeLink, link.Type)
	assert.Empty(t, link.LineItems)
	assert.Equal(t, "inv_Pd2Kc6XwQ1rYtB", invoice.ID)
	assert.Equal(t, InvoiceTypeInvoice, invoice.Type)
	assert.Equal(t, "Payable within 7 days", invoice.Terms)
	assert.Equal(t, "Thank you", invoice.Comment)
	assert.Equal(t, NotificationStatus(""), invoice.SMSStatus)
	assert.Equal(t, Notes{"ticket": "OPS-553"}, invoice.Notes)
	assert.Equal(t, []LineItem{{
		ID:            "li_Ps4Tn9FqR9zTmW",
		Name:          "Setup fee",
		Description:   "One-time onboarding",
		Amount:        99900,
		UnitAmount:    99900,
		GrossAmount:   99900,
		TaxableAmount: 99900,
		NetAmount:     99900,
		Currency:      "INR",
		Type:          "invoice",
		Quantity:      1,
	}}, invoice.LineItems)
}

func TestInvoiceAll(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/invoices", "invoice/list.json")

	var ids []string
	for inv, err := range c.Invoice.All(mockCtx(t), &InvoiceListParams{Type: InvoiceTypeLink}) {
		require.NoError(t, err)
		ids = append(ids, inv.ID)
	}
	assert.Equal(t, []string{"inv_Nq5Xd8ZiL3tMgH", "inv_Pd2Kc6XwQ1rYtB"}, ids)
	call := rec.Only(t)
	assert.Equal(t, "count=100&type=link", call.RawQuery)
}

func FuzzValidateInvoiceListParams(f *testing.F) {
	f.Add(10, 0, int64(0), int64(0), "link", "cust_1", "", "")
	f.Fuzz(func(t *testing.T, count, skip int, from, to int64, typ, customerID, paymentID, receipt string) {
		t.Parallel()
		p := &InvoiceListParams{ListParams: ListParams{Count: count, Skip: skip, From: from, To: to},
			Type: InvoiceType(typ), CustomerID: customerID, PaymentID: paymentID, Receipt: receipt}
		if mockValidate(t, p, (*InvoiceListParams).Validate) != nil {
			return
		}
		assertRuleList(t, p.ListParams)
	})
}

func TestValidateNotifyByMedium(t *testing.T) {
	t.Parallel()
	for _, medium := range []NotifyMedium{"", "whatsapp", "SMS", "Email", "sms ", "sms/../cancel"} {
		t.Run(string(medium), func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			err := c.Invoice.NotifyBy(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH", medium)
			assertInvalidParams(t, err, "medium")
			assertNoRequest(t, mt)
		})
	}
}
