package razorpay_test

import (
	"fmt"

	"github.com/gorzp/razorpay"
)

// Server text that you store or show yourself, such as a failed payment's
// description in a billing report, goes through MaskCardNumbers first.
func ExampleMaskCardNumbers() {
	fmt.Println(razorpay.MaskCardNumbers("Card 4111 1111 1111 1111 declined"))
	fmt.Println(razorpay.MaskCardNumbers("4111-1111-1111-1111"))
	fmt.Println(razorpay.MaskCardNumbers("order 12345 of 2026"))
	// Output:
	// Card XXXX XXXX XXXX 1111 declined
	// XXXX-XXXX-XXXX-1111
	// order 12345 of 2026
}
