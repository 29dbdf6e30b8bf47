package razorpay

// a receipt-uniqueness refusal of the
// order is proof that the receipt is in use, never that the bill was not
// charged.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// On an account with unique receipts, "Another operation with the same
// receipt is in progress" means another attempt's order is being created
// right now: it is not acknowledged yet, so the orders list need not show it
// (read-after-write covers only acknowledged orders). Likewise "Order receipt
// should be unique" names the order in metadata.order_id even when the list
// lags or no longer shows it. Charge answers ErrNotCharged in both cases
// while the other attempt charges the bill.
func TestChargeUniqueReceiptRefusalIsNotNotCharged(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"in progress": `{"error":{"code":"BAD_REQUEST_ERROR","description":"Another operation with the same receipt is in progress.","field":"receipt"}}`,
		"unique":      `{"error":{"code":"BAD_REQUEST_ERROR","description":"Order receipt should be unique.","field":"receipt","metadata":{"order_id":"` + chOrderID + `"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := chHappy().
				on(chRouteOrder, mockJSON(400, body)).
				on(chRouteList, chList(chCreatedAt)) // the other attempt's order is not in the list (yet)
			_, err := mockClient(t, r).Payment.Charge(context.Background(), chParams())
			assert.NotErrorIs(t, err, ErrNotCharged, "another attempt holds the receipt and may be charging it: %v", err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			if ce := (*ChargeError)(nil); assert.ErrorAs(t, err, &ce) {
				assert.Positive(t, ce.RetryAfter, "come back once the other attempt has landed")
			}
		})
	}
}
