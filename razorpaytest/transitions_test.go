package razorpaytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkTable asserts that allows permits exactly the moves in want, over
// every pair of statuses.
func checkTable[S statusKind[S]](t *testing.T, all []S, want map[S][]S) {
	t.Helper()
	for _, from := range all {
		for _, to := range all {
			allowed := false
			for _, w := range want[from] {
				allowed = allowed || w == to
			}
			assert.Equal(t, allowed, from.allows(to), "%s -> %s", from, to)
		}
	}
}

// The state machine as the package documents it (see transitions.go).
func TestTransitionTable(t *testing.T) {
	t.Parallel()
	t.Run("order", func(t *testing.T) {
		t.Parallel()
		checkTable(t, []orderStatus{orderCreated, orderAttempted, orderPaid}, map[orderStatus][]orderStatus{
			orderCreated:   {orderAttempted},
			orderAttempted: {orderPaid},
			orderPaid:      {orderAttempted},
		})
	})
	t.Run("payment", func(t *testing.T) {
		t.Parallel()
		checkTable(t, []paymentStatus{paymentCreated, paymentAuthorized, paymentCaptured, paymentFailed, paymentRefunded},
			map[paymentStatus][]paymentStatus{
				paymentCreated:    {paymentAuthorized, paymentFailed},
				paymentAuthorized: {paymentCaptured, paymentRefunded},
				paymentCaptured:   {paymentFailed, paymentRefunded},
				paymentFailed:     {paymentAuthorized},
				paymentRefunded:   {paymentFailed, paymentCaptured},
			})
	})
	t.Run("refund", func(t *testing.T) {
		t.Parallel()
		checkTable(t, []refundStatus{refundPending, refundProcessed, refundFailed},
			map[refundStatus][]refundStatus{
				refundPending:   {refundProcessed, refundFailed},
				refundProcessed: {refundFailed},
			})
	})
	t.Run("invoice", func(t *testing.T) {
		t.Parallel()
		checkTable(t, []invoiceStatus{invoiceIssued, invoicePaid, invoiceCancelled, invoiceExpired},
			map[invoiceStatus][]invoiceStatus{
				invoiceIssued:    {invoicePaid, invoiceCancelled, invoiceExpired},
				invoicePaid:      {invoiceIssued},
				invoiceCancelled: {invoicePaid},
				invoiceExpired:   {invoicePaid},
			})
	})
	t.Run("mandate", func(t *testing.T) {
		t.Parallel()
		checkTable(t, []mandateStatus{mandateConfirmed, mandatePaused, mandateCancelled, mandateRejected},
			map[mandateStatus][]mandateStatus{
				mandateConfirmed: {mandatePaused, mandateCancelled, mandateRejected},
				mandatePaused:    {mandateConfirmed, mandateCancelled, mandateRejected},
			})
	})
}

func TestMoveLeavesARefusedStatus(t *testing.T) {
	t.Parallel()
	st := mandateCancelled
	assert.False(t, move(&st, mandateConfirmed))
	assert.Equal(t, mandateCancelled, st)
	st = mandatePaused
	assert.True(t, move(&st, mandateConfirmed))
	assert.Equal(t, mandateConfirmed, st)
}

// Each transition that a request or a card holder's action can ask for in
// the wrong state refuses with ErrInvalidState and changes nothing.
func TestTransitionsRefuseWithErrInvalidState(t *testing.T) {
	t.Parallel()
	s := newServer(nil)
	s.mu.Lock()
	defer s.mu.Unlock()

	o := s.newOrder(order{Amount: 100, Currency: "INR"})
	inv := s.newLink(invoice{Amount: 100, Currency: "INR", order: o}, false, false)
	o.invoice = inv
	p := s.newPayment(o, nil, nil)
	require.Equal(t, paymentCreated, p.Status)
	require.Equal(t, orderAttempted, o.Status)
	s.capture(p)
	require.Equal(t, paymentCaptured, p.Status)
	require.Equal(t, orderPaid, o.Status)
	require.Equal(t, invoicePaid, inv.Status)

	require.ErrorIs(t, s.settle(p), ErrInvalidState, "a captured payment")
	require.ErrorIs(t, s.cancelLink(inv), ErrInvalidState, "a paid link")
	require.ErrorIs(t, s.expireLink(inv, 1), ErrInvalidState, "a paid link")
	require.ErrorIs(t, s.notifyLink(inv, "sms"), ErrInvalidState, "a paid link")
	assert.Equal(t, paymentCaptured, p.Status)
	assert.Equal(t, invoicePaid, inv.Status)
	assert.Equal(t, ns(invoicePaid), inv.AuthLinkStatus)
	assert.Zero(t, inv.CancelledAt)
	assert.Zero(t, inv.ExpiredAt)
	assert.Empty(t, inv.SMSStatus)

	require.NoError(t, s.failLate(p, "declined"))
	assert.Equal(t, paymentFailed, p.Status)
	assert.Equal(t, orderAttempted, o.Status, "the order it paid is due again")
	assert.Equal(t, invoiceIssued, inv.Status, "the link it paid is issued again")
	require.ErrorIs(t, s.failLate(p, "again"), ErrInvalidState, "a failed payment")
	assert.Equal(t, ns("declined"), p.ErrorDescription)

	require.NoError(t, s.cancelLink(inv))
	require.ErrorIs(t, s.expireLink(inv, 1), ErrInvalidState, "a cancelled link")
	assert.Equal(t, invoiceCancelled, inv.Status)

	tk := &token{ID: "token_T", RecurringDetails: recurringDetails{Status: mandateConfirmed}}
	require.NoError(t, s.setMandate(tk, mandateCancelled))
	require.ErrorIs(t, s.setMandate(tk, mandateConfirmed), ErrInvalidState, "a cancelled mandate")
	assert.Equal(t, mandateCancelled, tk.RecurringDetails.Status)
	require.NoError(t, s.setMandate(tk, mandateCancelled), "its current status does nothing")
}
