package razorpaytest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// loosen rewrites a JSON answer with the inconsistent types the live API is
// known to send (see WithLooseJSON). A body it cannot parse is returned as is.
func loosen(b []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return b
	}
	out, err := json.Marshal(loosenValue(v, ""))
	if err != nil {
		return b
	}
	return out
}

func loosenValue(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = loosenValue(e, k)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = loosenValue(e, key)
		}
		return x
	case string:
		switch key {
		case "last4":
			if isDigits(x) {
				return json.Number(trimZeros(x))
			}
		case "contact", "customer_contact":
			if d := strings.TrimPrefix(x, "+"); isDigits(d) {
				return json.Number(trimZeros(d))
			}
		}
	case json.Number:
		switch key {
		case "expiry_month":
			if len(x) == 1 {
				return "0" + string(x)
			}
			return string(x)
		case "expiry_year":
			return string(x)
		}
	case bool:
		switch key {
		case "international":
			if x {
				return json.Number("1")
			}
			return json.Number("0")
		case "emi":
			return nil
		}
	}
	return v
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func trimZeros(s string) string {
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}
	return "0"
}
