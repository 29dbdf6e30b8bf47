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

// entityOf returns the entity name a decoded value must carry, and the
// entity and id it carries, for the entity types the SDK models.
func entityOf(v any) (want, got, id string, ok bool) {
	switch e := v.(type) {
	case *Payment:
		return "payment", e.Entity, e.ID, true
	case *Order:
		return "order", e.Entity, e.ID, true
	case *Customer:
		return "customer", e.Entity, e.ID, true
	case *Token:
		return "token", e.Entity, e.ID, true
	case *Card:
		return "card", e.Entity, e.ID, true
	case *Invoice:
		return "invoice", e.Entity, e.ID, true
	case *Refund:
		return "refund", e.Entity, e.ID, true
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
