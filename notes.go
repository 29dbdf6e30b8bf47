package razorpay

// Notes are key/value pairs attached to an entity, at most 15 pairs of at most
// 256 characters each.
//
// Notes decodes leniently: Razorpay sends an empty notes object as [] (and
// sometimes null), and values may be numbers or booleans; those keep their
// JSON text ("42", "true"). Nested objects and arrays keep their JSON text too.
type Notes map[string]string

// UnmarshalJSON decodes an object, [] or null into n.
func (n *Notes) UnmarshalJSON(data []byte) error {
	var m Notes
	l := lexer{data: data}
	l.ws()
	l.notes(&m)
	l.end()
	if l.err != nil {
		return l.err // n untouched
	}
	*n = m
	return nil
}
