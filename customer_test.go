package razorpay

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomerCreate(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/customers", "customer/create.json")

	cust, err := c.Customer.Create(mockCtx(t), &CustomerCreateParams{
		Name:         "Gaurav Kumar",
		Email:        "gaurav.kumar@example.com",
		Contact:      "+919876543210",
		FailExisting: Ptr(false),
		GSTIN:        "29XAbbA4369J1PA",
		Notes:        Notes{"crm_id": "CRM-20931", "plan": "gold-monthly"},
	})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/customers")
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "name", "email", "contact", "fail_existing", "gstin", "notes")
	assertReqString(t, body, "name", "Gaurav Kumar")
	assertReqString(t, body, "email", "gaurav.kumar@example.com")
	assertReqString(t, body, "contact", "+919876543210")
	assertReqString(t, body, "fail_existing", "0")
	assertReqString(t, body, "gstin", "29XAbbA4369J1PA")
	notes := assertReqObject(t, body, "notes")
	assertReqString(t, notes, "crm_id", "CRM-20931")
	assertReqString(t, notes, "plan", "gold-monthly")

	assert.Equal(t, &Customer{
		ID:        "cust_Nq2Yk8ZpR4tLmA",
		Entity:    "customer",
		Name:      "Gaurav Kumar",
		Email:     "gaurav.kumar@example.com",
		Contact:   "+919876543210",
		GSTIN:     "29XAbbA4369J1PA",
		Notes:     Notes{"crm_id": "CRM-20931", "plan": "gold-monthly"},
		CreatedAt: 1710312345,
	}, cust)
}

func TestCustomerCreateFailExisting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		failExisting *bool
		want         string // "" means the key must be absent
	}{
		{name: "nil leaves Razorpay's default", failExisting: nil, want: ""},
		{name: "false is the string 0", failExisting: Ptr(false), want: "0"},
		{name: "true is the string 1", failExisting: Ptr(true), want: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			rec := mockRespondFixture(t, mt, "POST", "/v1/customers", "customer/create.json")

			_, err := c.Customer.Create(mockCtx(t), &CustomerCreateParams{
				Email:        "gaurav.kumar@example.com",
				FailExisting: tt.failExisting,
			})
			require.NoError(t, err)

			body := assertReqJSON(t, rec.Only(t))
			if tt.want == "" {
				assertReqKeys(t, body, "email")
				return
			}
			assertReqKeys(t, body, "email", "fail_existing")
			assertReqString(t, body, "fail_existing", tt.want)
		})
	}
}

func TestCustomerCreateOmitsEmptyOptionalFields(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/customers", "customer/create.json")

	_, err := c.Customer.Create(mockCtx(t), &CustomerCreateParams{Name: "Gaurav Kumar", Contact: "+919876543210"})
	require.NoError(t, err)

	body := assertReqJSON(t, rec.Only(t))
	assertReqKeys(t, body, "name", "contact")
}

func TestCustomerFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/customers/cust_Nq2Yk8ZpR4tLmA", "customer/create.json")

	cust, err := c.Customer.Fetch(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/customers/cust_Nq2Yk8ZpR4tLmA")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", cust.ID)
	assert.Equal(t, "customer", cust.Entity)
	assert.Equal(t, "Gaurav Kumar", cust.Name)
	assert.Equal(t, "+919876543210", cust.Contact)
	assert.Equal(t, Notes{"crm_id": "CRM-20931", "plan": "gold-monthly"}, cust.Notes)
	assert.Equal(t, int64(1710312345), cust.CreatedAt)
}

func TestCustomerFetchQuirky(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "GET", "/v1/customers/cust_Pb7Hx3WvT9sQeD", "customer/fetch_quirky.json")

	cust, err := c.Customer.Fetch(mockCtx(t), "cust_Pb7Hx3WvT9sQeD")
	require.NoError(t, err)

	assert.Equal(t, &Customer{
		ID:        "cust_Pb7Hx3WvT9sQeD",
		Entity:    "customer",
		Name:      "Saanvi Iyer",
		Email:     "saanvi.iyer@example.org",
		Contact:   "9876543210", // a JSON number on the wire
		GSTIN:     "",           // null
		Notes:     nil,          // []
		CreatedAt: 1710398765,
	}, cust)
}

func TestCustomerList(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/customers", "customer/list.json")

	list, err := c.Customer.List(mockCtx(t), &ListParams{Count: 2, Skip: 4})
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/customers")
	assertReqNoBody(t, call)
	assert.Equal(t, "count=2&skip=4", call.RawQuery)

	assert.Equal(t, "collection", list.Entity)
	assert.Equal(t, 2, list.Count)
	require.Len(t, list.Items, 2)
	assert.Equal(t, "cust_Pb7Hx3WvT9sQeD", list.Items[0].ID)
	assert.Equal(t, "+918123456789", list.Items[0].Contact)
	assert.Nil(t, list.Items[0].Notes)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", list.Items[1].ID)
	assert.Equal(t, "29XAbbA4369J1PA", list.Items[1].GSTIN)
	assert.Equal(t, Notes{"crm_id": "CRM-20931"}, list.Items[1].Notes)
}

func TestCustomerListNilParams(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/customers", "customer/list.json")

	list, err := c.Customer.List(mockCtx(t), nil)
	require.NoError(t, err)

	call := rec.Only(t)
	assertReqNoQuery(t, call)
	assert.Len(t, list.Items, 2)
}

func TestCustomerAll(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/customers", "customer/list.json")

	var ids []string
	for cust, err := range c.Customer.All(mockCtx(t), &ListParams{Count: 5}) {
		require.NoError(t, err)
		ids = append(ids, cust.ID)
	}

	assert.Equal(t, []string{"cust_Pb7Hx3WvT9sQeD", "cust_Nq2Yk8ZpR4tLmA"}, ids)
	call := rec.Only(t) // a short page ends the walk
	assertReq(t, call, "GET", "/v1/customers")
	assert.Equal(t, "count=5", call.RawQuery)
}

func TestCustomerCreateErrorIsReturned(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespond(t, mt, "POST", "/v1/customers", http.StatusBadRequest, []byte(`{"error":{"code":"BAD_REQUEST_ERROR","description":"Customer already exists for the merchant","source":"business","step":"NA","reason":"input_validation_failed","metadata":{},"field":"email"}}`))

	cust, err := c.Customer.Create(mockCtx(t), &CustomerCreateParams{Email: "gaurav.kumar@example.com", FailExisting: Ptr(true)})
	require.Error(t, err)
	assert.Nil(t, cust)
	assert.ErrorIs(t, err, ErrBadRequest)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Customer already exists for the merchant", apiErr.Description)
	assert.Equal(t, "email", apiErr.Field)
	assert.Equal(t, 1, mt.count())
}

func FuzzValidateCustomerCreateParams(f *testing.F) {
	f.Add("Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210", "29ABCDE1234F2Z5", "plan=gold")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, email, contact, gstin, notes string) {
		t.Parallel()
		p := &CustomerCreateParams{Name: name, Email: email, Contact: contact, GSTIN: gstin, Notes: mockNotesOf(notes)}
		if mockValidate(t, p, (*CustomerCreateParams).Validate) != nil {
			return
		}
		assert.True(t, name != "" || email != "" || contact != "", "one of name, email and contact")
		if name != "" {
			assert.True(t, mockRunes(name) >= 3 && mockRunes(name) <= 50, "name %q", name)
		}
		assertRuleEmail(t, email)
		assertRuleContact(t, contact)
		assert.LessOrEqual(t, mockRunes(gstin), 15)
		assertRuleNotes(t, p.Notes)
	})
}

func TestValidateCustomerCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *CustomerCreateParams)
		field  string
	}{
		{name: "valid", mutate: func(*CustomerCreateParams) {}},
		{name: "nothing to identify the customer", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{FailExisting: Ptr(false)} }, field: "name"},
		{name: "email only", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{Email: "a@b.in"} }},
		{name: "contact only", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{Contact: "+919876543210"} }},
		{name: "name of 2", mutate: func(p *CustomerCreateParams) { p.Name = "Al" }, field: "name"},
		{name: "name of 3", mutate: func(p *CustomerCreateParams) { p.Name = "Ali" }},
		{name: "name of 3 runes", mutate: func(p *CustomerCreateParams) { p.Name = "Jöö" }},
		{name: "name of 50", mutate: func(p *CustomerCreateParams) { p.Name = strings.Repeat("n", 50) }},
		{name: "name of 51", mutate: func(p *CustomerCreateParams) { p.Name = strings.Repeat("n", 51) }, field: "name"},
		{name: "email without @", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav.example.com" }, field: "email"},
		{name: "email without local part", mutate: func(p *CustomerCreateParams) { p.Email = "@example.com" }, field: "email"},
		{name: "email without domain", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav@" }, field: "email"},
		{name: "email with a space", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav kumar@example.com" }, field: "email"},
		{name: "email of 64", mutate: func(p *CustomerCreateParams) { p.Email = strings.Repeat("e", 52) + "@example.com" }},
		{name: "email of 65", mutate: func(p *CustomerCreateParams) { p.Email = strings.Repeat("e", 53) + "@example.com" }, field: "email"},
		{name: "contact of 7 digits", mutate: func(p *CustomerCreateParams) { p.Contact = "9876543" }, field: "contact"},
		{name: "contact of 8 digits", mutate: func(p *CustomerCreateParams) { p.Contact = "98765432" }},
		{name: "contact with spaces and dash", mutate: func(p *CustomerCreateParams) { p.Contact = "+91 98765-43210" }},
		{name: "contact of 16 characters", mutate: func(p *CustomerCreateParams) { p.Contact = "+919876543210123" }, field: "contact"},
		{name: "contact with letters", mutate: func(p *CustomerCreateParams) { p.Contact = "98765abc10" }, field: "contact"},
		{name: "contact with a plus inside", mutate: func(p *CustomerCreateParams) { p.Contact = "91+9876543210" }, field: "contact"},
		{name: "gstin of 16", mutate: func(p *CustomerCreateParams) { p.GSTIN = "29XAbbA4369J1PAX" }, field: "gstin"},
		{name: "15 notes", mutate: func(p *CustomerCreateParams) { p.Notes = mockNotes(15, 256) }},
		{name: "16 notes", mutate: func(p *CustomerCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"crm": strings.Repeat("v", 257)} }, field: "notes.crm"},
		{name: "note of 256 runes", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"crm": strings.Repeat("₹", 256)} }},
		{name: "note key empty", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"": "v"} }, field: "notes"},
		{name: "note key of 257", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{strings.Repeat("k", 257): "v"} }, field: "notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &CustomerCreateParams{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210", Notes: Notes{"a": "b"}}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/customers", "customer/create.json", p.Validate,
				func(c *Client) error { _, err := c.Customer.Create(mockCtx(t), p); return err })
		})
	}
}
