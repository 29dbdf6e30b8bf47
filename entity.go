package razorpay

import (
	"fmt"
	"net/http"
	"net/url"
)

// Answers that are not what was asked for.
//
// A 2xx answer is decoded into the type the call returns. When that type is
// an entity, the answer must be one: a body that names another entity (an
// order where a payment was asked for), an entity without an id, or an error
// object sent with a 2xx status is an *Error with a clear description, never
// a zero value with a nil error. For a state-creating call the error also
// matches ErrOutcomeUnknown (see decide): the request was carried out, and
// its answer cannot be used.

// entity is implemented by the pointer of every entity type the SDK models:
// its field table (decode_gen.go) and its id accessor, generated for the
// types with "entity" and "id" fields.
type entity interface {
	decodable
	entityID() (entity, id string)
}

// entityType is one entity the SDK models, registered once in entityTypes.
type entityType struct {
	// name is the value of the entity's "entity" key, and the name of its
	// entry in a webhook payload.
	name string
	// new returns a new, zero entity.
	new func() entity
	// of returns v as this entity when v is one (a non-nil pointer).
	of func(v any) (entity, bool)
	// get and set read and set the field of a WebhookEvent that a payload
	// entry of this name fills; nil for entities no event carries.
	get func(*WebhookEvent) entity
	set func(*WebhookEvent, entity)
}

// entityTypes lists every entity the SDK models, each once: its name, its
// type (whose pointer is its constructor and carries its id accessor), and
// the WebhookEvent field it fills. It is never modified. A struct type with
// an Entity field that is not listed here fails TestEveryEntityRegistered.
var entityTypes = [...]entityType{
	register[Payment]("payment", func(ev *WebhookEvent) **Payment { return &ev.Payment }),
	register[Order]("order", func(ev *WebhookEvent) **Order { return &ev.Order }),
	register[Invoice]("invoice", func(ev *WebhookEvent) **Invoice { return &ev.Invoice }),
	register[Token]("token", func(ev *WebhookEvent) **Token { return &ev.Token }),
	register[PreDebitNotification]("notification", func(ev *WebhookEvent) **PreDebitNotification { return &ev.Notification }),
	register[Customer]("customer", nil),
	register[Card]("card", nil),
	register[Refund]("refund", func(ev *WebhookEvent) **Refund { return &ev.Refund }),
}

// register describes the entity T named name, which webhook events carry
// in the field event returns (nil for none).
func register[T any, PT interface {
	*T
	entity
}](name string, event func(*WebhookEvent) **T) entityType {
	et := entityType{
		name: name,
		new:  func() entity { return PT(new(T)) },
		of: func(v any) (entity, bool) {
			p, ok := v.(PT)
			return p, ok && p != nil
		},
	}
	if event != nil {
		et.get = func(ev *WebhookEvent) entity {
			if p := *event(ev); p != nil {
				return PT(p)
			}
			return nil
		}
		et.set = func(ev *WebhookEvent, e entity) {
			p, _ := e.(PT)
			*event(ev) = p
		}
	}
	return et
}

// entityNamed returns the registered entity of that name.
func entityNamed(name string) (*entityType, bool) {
	for i := range entityTypes {
		if entityTypes[i].name == name {
			return &entityTypes[i], true
		}
	}
	return nil, false
}

// entityOf returns the entity name a decoded value must carry, and the
// entity and id it carries, for the entity types the SDK models.
func entityOf(v any) (want, got, id string, ok bool) {
	for i := range entityTypes {
		if e, ok := entityTypes[i].of(v); ok {
			got, id := e.entityID()
			return entityTypes[i].name, got, id, true
		}
	}
	return "", "", "", false
}

// itemChecker is a decoded page: List[T] checks its items.
type itemChecker interface {
	checkItems() (entity, problem string)
}

// checkEntity checks the decoded 2xx answer out of a request. It returns nil
// when out is not an entity or a page of entities, or when it is the one
// asked for.
func checkEntity(method, path string, status int, header http.Header, body []byte, out any) error {
	var problem string
	switch v := out.(type) {
	case *RecurringPayment:
		if v.PaymentID == "" {
			problem = "the answer to a recurring payment has no razorpay_payment_id"
		}
	case itemChecker:
		entity, p := v.checkItems()
		switch {
		case entity != "" && entity != "collection":
			problem = fmt.Sprintf("the answer is %s, not a collection", article(entity))
		case p != "":
			problem = p
		case entity == "" && hasErrorObject(body):
			problem = "no collection"
		}
	default:
		want, got, id, ok := entityOf(out)
		if !ok {
			return nil
		}
		problem = entityProblem(want, got, id)
	}
	if problem == "" {
		return nil
	}
	e := &Error{HTTPStatusCode: status, RequestID: requestID(header), method: method, path: path}
	if hasErrorObject(body) {
		// An error object with a 2xx status: keep what Razorpay said.
		e = newError(method, path, status, header, body)
		problem = fmt.Sprintf("error object in a %d answer", status)
		if e.Description != "" {
			problem += ": " + e.Description
		}
	}
	e.Description = problem
	return e
}

// entityProblem says what is wrong with an entity that should be want and
// is got with id, or returns "".
func entityProblem(want, got, id string) string {
	switch {
	case got != "" && got != want:
		return fmt.Sprintf("the answer is %s, not %s", article(maskDigits(got)), article(want))
	case id == "":
		return fmt.Sprintf("the answer is not %s: it has no id", article(want))
	}
	return ""
}

// hasErrorObject reports whether body is a JSON object with an "error"
// object. It runs only on answers already found wrong.
func hasErrorObject(body []byte) bool {
	var eb errorBody
	return decodeJSON(body, &eb) == nil && eb.Error != nil
}

// article puts "a" or "an" before an entity name.
func article(entity string) string {
	if entity == "" {
		return "nothing"
	}
	switch entity[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + entity
	}
	return "a " + entity
}

// redirectError is the *Error of a 3xx answer. The SDK never follows a
// redirect: Go's client would send the Authorization header on to another
// port or scheme of the same host, and turn a POST into a GET whose answer
// looks like a success.
func redirectError(method, path string, status int, header http.Header) *Error {
	e := &Error{HTTPStatusCode: status, RequestID: requestID(header), method: method, path: path}
	to := "an unknown location"
	if loc := header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil && u.Host != "" {
			to = maskDigits(u.Scheme + "://" + u.Host)
		} else if err == nil {
			to = "another path of the same host"
		}
	}
	e.Description = "redirect to " + to + " not followed (the SDK never follows redirects: check the base URL and any proxy in front of Razorpay)"
	return e
}
