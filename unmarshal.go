package razorpay

import "reflect"

// Lenient decoding of every entity: the field lists of the decoder in
// lenient.go. Each entity's UnmarshalJSON makes json.Unmarshal decode it
// with the same rules as the SDK's pipeline. A field added to an entity must
// be added here too: TestEntityFieldsAllDecoded fails otherwise.

func (c *Customer) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&c.ID)
	case "entity":
		l.str(&c.Entity)
	case "name":
		l.str(&c.Name)
	case "email":
		l.str(&c.Email)
	case "contact":
		l.str(&c.Contact)
	case "gstin":
		l.str(&c.GSTIN)
	case "notes":
		l.notes(&c.Notes)
	case "created_at":
		l.int64v(&c.CreatedAt)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Customer leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (c *Customer) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, c) }

func (c *Card) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&c.ID)
	case "entity":
		l.str(&c.Entity)
	case "name":
		l.str(&c.Name)
	case "last4":
		l.last4(&c.Last4)
	case "network":
		l.str(&c.Network)
	case "type":
		l.str(&c.Type)
	case "issuer":
		l.str(&c.Issuer)
	case "international":
		l.boolv(&c.International)
	case "emi":
		l.boolv(&c.EMI)
	case "sub_type":
		l.str(&c.SubType)
	case "token_iin":
		l.str(&c.TokenIIN)
	case "expiry_month":
		l.intv(&c.ExpiryMonth)
	case "expiry_year":
		l.intv(&c.ExpiryYear)
	case "flows":
		ptrv(l, &c.Flows)
	case "cobranding_partner":
		l.str(&c.CobrandingPartner)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Card leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (c *Card) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, c) }

func (c *CardFlows) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "otp":
		l.boolv(&c.OTP)
	case "recurring":
		l.boolv(&c.Recurring)
	case "iframe":
		l.boolv(&c.Iframe)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a CardFlows leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (c *CardFlows) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, c) }

func (c *CardReference) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "network":
		l.str(&c.Network)
	case "provider":
		l.str(&c.Provider)
	case "payment_account_reference":
		l.str(&c.PaymentAccountReference)
	case "network_reference_id":
		l.str(&c.NetworkReferenceID)
	case "card_reference_number":
		l.str(&c.CardReferenceNumber)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a CardReference leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (c *CardReference) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, c) }

func (t *Token) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&t.ID)
	case "entity":
		l.str(&t.Entity)
	case "token":
		l.str(&t.Token)
	case "bank":
		l.str(&t.Bank)
	case "wallet":
		l.str(&t.Wallet)
	case "method":
		l.str((*string)(&t.Method))
	case "card":
		ptrv(l, &t.Card)
	case "recurring":
		l.boolv(&t.Recurring)
	case "recurring_details":
		structv(l, &t.RecurringDetails)
	case "auth_type":
		l.str(&t.AuthType)
	case "mrn":
		l.str(&t.MRN)
	case "used_at":
		l.int64v(&t.UsedAt)
	case "created_at":
		l.int64v(&t.CreatedAt)
	case "expired_at":
		l.int64v(&t.ExpiredAt)
	case "max_amount":
		l.int64v(&t.MaxAmount)
	case "status":
		l.str(&t.Status)
	case "status_reason":
		l.str(&t.StatusReason)
	case "error_code":
		l.str(&t.ErrorCode)
	case "error_description":
		l.str(&t.ErrorDescription)
	case "notes":
		l.notes(&t.Notes)
	case "dcc_enabled":
		l.boolv(&t.DCCEnabled)
	case "billing_address":
		ptrv(l, &t.BillingAddress)
	case "customer_id":
		l.str(&t.CustomerID)
	case "compliant_with_tokenisation_guidelines":
		l.boolv(&t.CompliantWithTokenisationGuidelines)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Token leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (t *Token) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, t) }

func (r *RecurringDetails) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "status":
		l.str((*string)(&r.Status))
	case "failure_reason":
		l.str(&r.FailureReason)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a RecurringDetails leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (r *RecurringDetails) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, r) }

func (p *Payment) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&p.ID)
	case "entity":
		l.str(&p.Entity)
	case "amount":
		l.int64v(&p.Amount)
	case "currency":
		l.str(&p.Currency)
	case "status":
		l.str((*string)(&p.Status))
	case "order_id":
		l.str(&p.OrderID)
	case "invoice_id":
		l.str(&p.InvoiceID)
	case "international":
		l.boolv(&p.International)
	case "method":
		l.str((*string)(&p.Method))
	case "amount_refunded":
		l.int64v(&p.AmountRefunded)
	case "refund_status":
		l.str(&p.RefundStatus)
	case "captured":
		l.boolv(&p.Captured)
	case "description":
		l.str(&p.Description)
	case "card_id":
		l.str(&p.CardID)
	case "card":
		ptrv(l, &p.Card)
	case "bank":
		l.str(&p.Bank)
	case "wallet":
		l.str(&p.Wallet)
	case "vpa":
		l.str(&p.VPA)
	case "email":
		l.str(&p.Email)
	case "contact":
		l.str(&p.Contact)
	case "customer_id":
		l.str(&p.CustomerID)
	case "token_id":
		l.str(&p.TokenID)
	case "notes":
		l.notes(&p.Notes)
	case "fee":
		l.int64v(&p.Fee)
	case "tax":
		l.int64v(&p.Tax)
	case "error_code":
		l.str(&p.ErrorCode)
	case "error_description":
		l.str(&p.ErrorDescription)
	case "error_source":
		l.str(&p.ErrorSource)
	case "error_step":
		l.str(&p.ErrorStep)
	case "error_reason":
		l.str(&p.ErrorReason)
	case "acquirer_data":
		structv(l, &p.AcquirerData)
	case "created_at":
		l.int64v(&p.CreatedAt)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Payment leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (p *Payment) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, p) }

func (a *AcquirerData) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "auth_code":
		l.str(&a.AuthCode)
	case "rrn":
		l.str(&a.RRN)
	case "authentication_reference_number":
		l.str(&a.AuthenticationReferenceNumber)
	case "bank_transaction_id":
		l.str(&a.BankTransactionID)
	case "arn":
		l.str(&a.ARN)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a AcquirerData leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (a *AcquirerData) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, a) }

func (r *Refund) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&r.ID)
	case "entity":
		l.str(&r.Entity)
	case "amount":
		l.int64v(&r.Amount)
	case "currency":
		l.str(&r.Currency)
	case "payment_id":
		l.str(&r.PaymentID)
	case "notes":
		l.notes(&r.Notes)
	case "receipt":
		l.str(&r.Receipt)
	case "acquirer_data":
		structv(l, &r.AcquirerData)
	case "created_at":
		l.int64v(&r.CreatedAt)
	case "batch_id":
		l.str(&r.BatchID)
	case "status":
		l.str((*string)(&r.Status))
	case "speed_processed":
		l.str((*string)(&r.SpeedProcessed))
	case "speed_requested":
		l.str((*string)(&r.SpeedRequested))
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Refund leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (r *Refund) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, r) }

func (r *RecurringPayment) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "razorpay_payment_id":
		l.str(&r.PaymentID)
	case "razorpay_order_id":
		l.str(&r.OrderID)
	case "razorpay_signature":
		l.str(&r.Signature)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a RecurringPayment leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (r *RecurringPayment) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, r) }

func (o *Order) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&o.ID)
	case "entity":
		l.str(&o.Entity)
	case "amount":
		l.int64v(&o.Amount)
	case "amount_paid":
		l.int64v(&o.AmountPaid)
	case "amount_due":
		l.int64v(&o.AmountDue)
	case "currency":
		l.str(&o.Currency)
	case "receipt":
		l.str(&o.Receipt)
	case "offer_id":
		l.str(&o.OfferID)
	case "status":
		l.str((*string)(&o.Status))
	case "attempts":
		l.intv(&o.Attempts)
	case "notes":
		l.notes(&o.Notes)
	case "created_at":
		l.int64v(&o.CreatedAt)
	case "method":
		l.str((*string)(&o.Method))
	case "customer_id":
		l.str(&o.CustomerID)
	case "description":
		l.str(&o.Description)
	case "token":
		ptrv(l, &o.Token)
	case "notification":
		ptrv(l, &o.Notification)
	case "payments":
		ptrv(l, &o.Payments)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Order leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (o *Order) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, o) }

func (o *OrderToken) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "method":
		l.str((*string)(&o.Method))
	case "max_amount":
		l.int64v(&o.MaxAmount)
	case "expire_at":
		l.int64v(&o.ExpireAt)
	case "frequency":
		l.str((*string)(&o.Frequency))
	case "currency":
		l.str(&o.Currency)
	case "notes":
		l.notes(&o.Notes)
	case "recurring_status":
		l.str(&o.RecurringStatus)
	case "failure_reason":
		l.str(&o.FailureReason)
	case "auth_type":
		l.str(&o.AuthType)
	case "first_payment_amount":
		l.int64v(&o.FirstPaymentAmount)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a OrderToken leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (o *OrderToken) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, o) }

func (o *OrderNotification) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&o.ID)
	case "token_id":
		l.str(&o.TokenID)
	case "payment_after":
		l.int64v(&o.PaymentAfter)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a OrderNotification leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (o *OrderNotification) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, o) }

func (i *Invoice) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&i.ID)
	case "entity":
		l.str(&i.Entity)
	case "type":
		l.str((*string)(&i.Type))
	case "receipt":
		l.str(&i.Receipt)
	case "invoice_number":
		l.str(&i.InvoiceNumber)
	case "customer_id":
		l.str(&i.CustomerID)
	case "customer_details":
		structv(l, &i.CustomerDetails)
	case "order_id":
		l.str(&i.OrderID)
	case "line_items":
		slicev(l, &i.LineItems)
	case "payment_id":
		l.str(&i.PaymentID)
	case "status":
		l.str((*string)(&i.Status))
	case "expire_by":
		l.int64v(&i.ExpireBy)
	case "issued_at":
		l.int64v(&i.IssuedAt)
	case "paid_at":
		l.int64v(&i.PaidAt)
	case "cancelled_at":
		l.int64v(&i.CancelledAt)
	case "expired_at":
		l.int64v(&i.ExpiredAt)
	case "sms_status":
		l.str((*string)(&i.SMSStatus))
	case "email_status":
		l.str((*string)(&i.EmailStatus))
	case "date":
		l.int64v(&i.Date)
	case "terms":
		l.str(&i.Terms)
	case "comment":
		l.str(&i.Comment)
	case "partial_payment":
		l.boolv(&i.PartialPayment)
	case "gross_amount":
		l.int64v(&i.GrossAmount)
	case "tax_amount":
		l.int64v(&i.TaxAmount)
	case "taxable_amount":
		l.int64v(&i.TaxableAmount)
	case "amount":
		l.int64v(&i.Amount)
	case "amount_paid":
		l.int64v(&i.AmountPaid)
	case "amount_due":
		l.int64v(&i.AmountDue)
	case "currency":
		l.str(&i.Currency)
	case "currency_symbol":
		l.str(&i.CurrencySymbol)
	case "description":
		l.str(&i.Description)
	case "notes":
		l.notes(&i.Notes)
	case "short_url":
		l.str(&i.ShortURL)
	case "view_less":
		l.boolv(&i.ViewLess)
	case "group_taxes_discounts":
		l.boolv(&i.GroupTaxesDiscounts)
	case "billing_start":
		l.int64v(&i.BillingStart)
	case "billing_end":
		l.int64v(&i.BillingEnd)
	case "created_at":
		l.int64v(&i.CreatedAt)
	case "idempotency_key":
		l.str(&i.IdempotencyKey)
	case "auth_link_status":
		l.str(&i.AuthLinkStatus)
	case "token":
		ptrv(l, &i.Token)
	case "first_payment_min_amount":
		l.int64v(&i.FirstPaymentMinAmount)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Invoice leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (i *Invoice) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, i) }

func (c *CustomerDetails) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&c.ID)
	case "name":
		l.str(&c.Name)
	case "email":
		l.str(&c.Email)
	case "contact":
		l.str(&c.Contact)
	case "gstin":
		l.str(&c.GSTIN)
	case "billing_address":
		ptrv(l, &c.BillingAddress)
	case "shipping_address":
		ptrv(l, &c.ShippingAddress)
	case "customer_name":
		l.str(&c.CustomerName)
	case "customer_email":
		l.str(&c.CustomerEmail)
	case "customer_contact":
		l.str(&c.CustomerContact)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a CustomerDetails leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (c *CustomerDetails) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, c) }

func (a *Address) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&a.ID)
	case "type":
		l.str(&a.Type)
	case "primary":
		l.boolv(&a.Primary)
	case "line1":
		l.str(&a.Line1)
	case "line2":
		l.str(&a.Line2)
	case "zipcode":
		l.str(&a.Zipcode)
	case "city":
		l.str(&a.City)
	case "state":
		l.str(&a.State)
	case "country":
		l.str(&a.Country)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a Address leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (a *Address) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, a) }

func (x *LineItem) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&x.ID)
	case "item_id":
		l.str(&x.ItemID)
	case "name":
		l.str(&x.Name)
	case "description":
		l.str(&x.Description)
	case "amount":
		l.int64v(&x.Amount)
	case "unit_amount":
		l.int64v(&x.UnitAmount)
	case "gross_amount":
		l.int64v(&x.GrossAmount)
	case "tax_amount":
		l.int64v(&x.TaxAmount)
	case "taxable_amount":
		l.int64v(&x.TaxableAmount)
	case "net_amount":
		l.int64v(&x.NetAmount)
	case "currency":
		l.str(&x.Currency)
	case "type":
		l.str(&x.Type)
	case "quantity":
		l.int64v(&x.Quantity)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a LineItem leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (x *LineItem) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, x) }

func (p *PreDebitNotification) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "id":
		l.str(&p.ID)
	case "entity":
		l.str(&p.Entity)
	case "order_id":
		l.str(&p.OrderID)
	case "token_id":
		l.str(&p.TokenID)
	case "status":
		l.str(&p.Status)
	case "delivered_at":
		l.int64v(&p.DeliveredAt)
	case "payment_after":
		l.int64v(&p.PaymentAfter)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a PreDebitNotification leniently, as the SDK decodes
// responses: numbers and strings in either JSON type, booleans as 0/1 or
// strings, [] for an empty object, null for no value, unknown keys ignored.
func (p *PreDebitNotification) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, p) }

func (x *List[T]) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "entity":
		l.str(&x.Entity)
	case "count":
		l.intv(&x.Count)
	case "items":
		listItems(l, &x.Items)
	default:
		return false
	}
	return true
}

// UnmarshalJSON decodes a page leniently, as the SDK decodes responses: the
// items of the SDK's entities with their own lenient rules, count as a
// number or a numeric string, {} for no items.
func (x *List[T]) UnmarshalJSON(data []byte) error { return unmarshalEntity(data, x) }

// listItems reads the items of a List[T]: an array of objects (an element []
// or null is a zero item), or {} or null for no items. A T that is not one
// of the SDK's entities decodes with encoding/json and the reflective
// fallback of decodeJSON.
func listItems[T any](l *lexer, dst *[]T) {
	if _, ok := any((*T)(nil)).(fielder); !ok {
		start := l.pos
		l.skip()
		if l.err != nil {
			return
		}
		var items []T
		if _, err := decodeGeneric(l.data[start:l.pos], &items, maxLooseBytes); err != nil {
			l.err = err
			l.pos = len(l.data)
			return
		}
		*dst = items
		return
	}
	list(l, dst, func(v *T) { l.object(reflect.TypeFor[T](), any(v).(fielder)) })
}
