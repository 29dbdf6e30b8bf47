package razorpayriver

import (
	"time"

	"github.com/gorzp/razorpay"
)

// retryAfter is how long Charge asks to wait before it is called again with
// the same params.
// TODO(merge): ChargeError.RetryAfter lands with the receipt-keyed Charge.
func retryAfter(ce *razorpay.ChargeError) time.Duration {
	_ = ce
	return 0
}
