package razorpay

// Card numbers in server text.
//
// Razorpay's error descriptions, and the pages of proxies in front of it,
// may echo what was sent, card numbers included. Every piece of server text
// that reaches an error string, a log record or a printed value goes through
// maskDigits first.

// MaskCardNumbers returns s with every card-number-like run (12 or more
// digits, groups separated by one space or one dash allowed) masked but for
// its last four digits, as the SDK masks server text in its errors. Use it
// on server text that you store or show yourself, such as a failed
// payment's ErrorDescription in a report or a job's output.
func MaskCardNumbers(s string) string { return maskDigits(s) }

// minMaskedDigits is the length from which a run of digits is masked: the
// shortest card numbers have 12 digits, most have 13 to 19.
const minMaskedDigits = 12

// maskDigits hides all but the last four digits of every card-number-like
// run in s: 12 or more digits, where one space or one dash may separate
// groups ("4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111").
// Hidden digits become 'X'; separators and every other byte are kept, so the
// text keeps its length. It returns s itself, without allocating, when there
// is nothing to mask.
func maskDigits(s string) string {
	var b []byte // nil until the first run to mask
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		start, end, digits := i, i, 0
		for j := i; j < len(s); {
			switch {
			case isDigit(s[j]):
				digits++
				j++
				end = j
				continue
			case (s[j] == ' ' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]):
				j++
				continue
			}
			break
		}
		if digits >= minMaskedDigits {
			if b == nil {
				b = []byte(s)
			}
			keep := 4
			for k := end - 1; k >= start; k-- {
				if !isDigit(b[k]) {
					continue
				}
				if keep > 0 {
					keep--
					continue
				}
				b[k] = 'X'
			}
		}
		i = end
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
