package razorpayriver

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/riverqueue/river"
)

// Defaults of ChargeWorker's waits. Each backoff is about its Min after the
// first time, twice as long after each further time in a row, at most its
// Max, with jitter (between half and all of it) so that many jobs that wait
// together do not come back together.
const (
	// RateLimitBackoffMin and RateLimitBackoffMax bound the snooze after a
	// rate-limited answer (429).
	RateLimitBackoffMin = time.Second
	RateLimitBackoffMax = time.Minute
	// PendingBackoffMin and PendingBackoffMax bound the snooze before the
	// next check of a payment pending at the bank.
	PendingBackoffMin = time.Minute
	PendingBackoffMax = time.Hour
	// RetryBackoffMin and RetryBackoffMax bound the wait before River's
	// retry of a run that returned an error (ChargeWorker.NextRetry), such
	// as refused keys: short enough that bills resume soon after the keys
	// are fixed.
	RetryBackoffMin = time.Second
	RetryBackoffMax = 5 * time.Minute
)

// DefaultPendingLimit is how long ChargeWorker follows a payment pending at
// the bank (created or authorized) by default, from the run that first saw
// it. Razorpay debits a card mandate about 36 hours after the pre-debit
// notification, and banks have been seen to confirm up to 3 days late; a
// week leaves room for both and a weekend.
const DefaultPendingLimit = 7 * 24 * time.Hour

// DefaultDunning returns the default dunning schedule: a declined card is
// tried again 1 day after the first decline, 2 days after the second and 2
// days after the third, that is on days 1, 3 and 5 after the first decline,
// four tries in all.
func DefaultDunning() []time.Duration {
	return []time.Duration{24 * time.Hour, 48 * time.Hour, 48 * time.Hour}
}

// ChargeWorker is the river.Worker of ChargeArgs: it charges the bill with
// Payment.Charge, follows a pending payment until the bank settles it, tries
// a declined card again on a schedule (dunning), and maps every answer to
// River's vocabulary. It records a ChargeOutput on the job after every run
// (river.RecordOutput) and reads it back on the next one.
//
// The answer is classified by razorpay.OutcomeOf, and only that; the cause
// of an error (refused keys, a rate limit) is looked at after the outcome,
// to say why and how long to wait:
//
//	| outcome       | case                                   | River                     | output action |
//	|---------------|----------------------------------------|---------------------------|---------------|
//	| charged       | captured                               | completes (OnSettled)     | complete      |
//	| refunded      | charged, then refunded in full         | completes (OnSettled)     | complete      |
//	| pending       | created or authorized: the bank has    | JobSnooze(PendingBackoff);| snooze        |
//	|               |   not settled it                       |   after PendingLimit, as  |               |
//	|               |                                        |   for a person (below)    |               |
//	| not_charged   | a failed payment: the card was         | JobSnooze(next Dunning    | snooze        |
//	|               |   declined, and a try is left          |   delay)                  |               |
//	| not_charged   | a failed payment, no try left          | completes (OnSettled)     | complete      |
//	| not_charged   | no payment, the keys or the account    | error: River retries      | retry         |
//	|               |   were refused (401, 403, a feature    |   (NextRetry), logged as  |               |
//	|               |   not enabled, no keys)                |   an error                |               |
//	| not_charged   | no payment: Razorpay refused the       | completes (OnSettled)     | complete      |
//	|               |   charge (mandate cancelled, rejected  |                           |               |
//	|               |   or expired, token deleted, amount    |                           |               |
//	|               |   above the maximum): final, no dunning|                           |               |
//	| unknown       | rate limited (429)                     | JobSnooze(RateLimitBackoff| snooze        |
//	|               |                                        |   or RetryAfter if longer)|               |
//	| unknown       | RetryAfter > 0: a payment may be in    | JobSnooze(RetryAfter)     | snooze        |
//	|               |   flight                               |                           |               |
//	| unknown       | anything else (keys refused, Razorpay  | error: River retries      | retry         |
//	|               |   unreachable, no payment and no error)|   (NextRetry)             |               |
//	| conflict,     | a person must look: the receipt is     | JobCancel; with OnSettled,| cancel, or    |
//	| invalid,      |   another charge's, the params are     |   completes (OnSettled)   | complete      |
//	| unreadable    |   invalid, the orders cannot be read   |                           |               |
//
// Refused keys never cancel a job: a key rotation that goes wrong holds the
// bills, logged at level Error and in River's job errors on every run, and
// they resume once the keys work. Nor does the worker let River discard a
// job: a run that would fail River's last attempt snoozes instead
// (RetryBackoff). (River's rescuer still discards a job whose worker died
// during its last attempt; a job gets there only after MaxAttempts errors,
// 25 by default, since snoozes do not count.)
//
// A pending payment is checked again by reading it (Payment.Fetch), not by
// charging, so that a card the bank declines meanwhile is tried again on
// the dunning schedule and not at once. A declined card is tried again by
// calling Charge with the same params, which charges on the order that
// holds the bill's failed payments: if one of them is authorized late,
// Razorpay refunds the extra one, and if it is authorized before the next
// try, Charge returns it instead of charging again.
//
// Every other run of a job (after a snooze, a retry, or a rescue after a
// worker died) calls Charge with the same receipt, which returns the bill's
// payment instead of charging twice. A rescue right after a decline may bring the
// next try of the card forward: the schedule is kept in the job's output,
// which a killed run did not record.
type ChargeWorker struct {
	river.WorkerDefaults[ChargeArgs]

	// Client is the Razorpay client that charges.
	Client *razorpay.Client

	// OnSettled, when not nil, is called when the worker is done with the
	// bill: charged, refunded, not charged for good, or left for a person
	// (a receipt conflict, invalid params, unreadable orders, a payment
	// pending for longer than PendingLimit). out is the job's output, with
	// ActionComplete, already recorded. The hook records it in the
	// application's database and completes the job in the same
	// transaction, so that both commit together or not at all:
	//
	//	tx, err := pool.Begin(ctx)
	//	...
	//	defer tx.Rollback(ctx)
	//	// write out (Receipt, Outcome, PaymentID, Attempts, ...) with tx
	//	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
	//		return err
	//	}
	//	return tx.Commit(ctx)
	//
	// The job's output is part of that completion. If the hook returns an
	// error, River runs the job again later (NextRetry) and Charge answers
	// the same, so a hook whose transaction did not commit sees the bill
	// again: key its write by the receipt. A hook that returns nil without
	// completing the job leaves the completion to River, outside its
	// transaction.
	//
	// With OnSettled, every settled job completes and the application's
	// database is the record of the bill; without it, a bill left for a
	// person is cancelled, and River's job (kept for River's retention
	// periods, 24 hours by default) is the record.
	OnSettled func(ctx context.Context, job *river.Job[ChargeArgs], out ChargeOutput) error

	// Dunning is the schedule of a declined card's next tries: Dunning[i] is
	// how long after the card's (i+1)-th decline it is tried again, on the
	// same receipt. Nil uses DefaultDunning(); an empty, non-nil slice tries
	// the card once. A final decline (Razorpay refuses the charge itself)
	// stops the schedule.
	Dunning []time.Duration

	// PendingLimit is how long the worker follows a pending payment, from
	// the run that first saw it; a payment still pending then is left for a
	// person. Zero means DefaultPendingLimit.
	PendingLimit time.Duration

	// PendingBackoff returns how long to wait before the n-th check of a
	// pending payment (n from 1). Nil uses a jittered exponential backoff
	// from PendingBackoffMin to PendingBackoffMax.
	PendingBackoff func(n int) time.Duration

	// RateLimitBackoff returns how long to snooze a job after its n-th
	// rate-limited answer in a row (n from 1, counted in the job's output).
	// Nil uses a jittered exponential backoff from RateLimitBackoffMin to
	// RateLimitBackoffMax. A longer ChargeError.RetryAfter wins.
	RateLimitBackoff func(n int) time.Duration

	// RetryBackoff returns how long River waits before running a job again
	// after its n-th error (n from 1, River's errors of the job). Nil uses a
	// jittered exponential backoff from RetryBackoffMin to RetryBackoffMax.
	RetryBackoff func(n int) time.Duration

	// JobTimeout, when positive, is how long one run of a job may take
	// (see Timeout). Zero sizes it from the worst case of Payment.Charge on
	// Client (razorpay.Client.MaxChargeDuration).
	JobTimeout time.Duration

	// Logger receives the worker's records: level Error for refused keys
	// and for bills left for a person, Warn for bills not charged for good,
	// Info for declines that will be tried again. Nil uses slog.Default().
	// Records never hold the key secret or card numbers.
	Logger *slog.Logger
}

var _ river.Worker[ChargeArgs] = (*ChargeWorker)(nil)

// NewChargeWorker returns a ChargeWorker that charges with client, with the
// default schedules.
func NewChargeWorker(client *razorpay.Client) *ChargeWorker {
	return &ChargeWorker{Client: client}
}

// jobTimeoutGuard is the time a run needs besides Payment.Charge: its
// output and OnSettled.
const jobTimeoutGuard = time.Minute

// Timeout returns how long one run of a job may take before River cancels
// its context: JobTimeout when set, else the worst case of one call of
// Payment.Charge on Client (Client.MaxChargeDuration: 25 minutes with the
// SDK's default options, most of it the settle window) plus a minute. It overrides River's
// Config.JobTimeout for these jobs. River's rescuer honours it too: it runs
// a job whose worker died again once the longer of this timeout and
// Config.RescueStuckJobsAfter (1 hour by default) has passed since the run
// started, so a slow run is never taken for a dead one.
func (w *ChargeWorker) Timeout(*river.Job[ChargeArgs]) time.Duration {
	if w.JobTimeout > 0 {
		return w.JobTimeout
	}
	return chargeWorstCase(w.Client) + jobTimeoutGuard
}

// chargeWorstCase is the longest one call of Payment.Charge on c can take
// (razorpay.Client.MaxChargeDuration).
func chargeWorstCase(c *razorpay.Client) time.Duration {
	return c.MaxChargeDuration()
}

// NextRetry returns when River runs a job again after a run that returned
// an error: RetryBackoff(n) from now, n being the job's errors so far,
// this one included. It overrides River's retry policy (attempt⁴ seconds),
// whose waits grow to days, so that bills held by refused keys resume soon
// after the keys are fixed.
func (w *ChargeWorker) NextRetry(job *river.Job[ChargeArgs]) time.Time {
	return time.Now().Add(w.policy().retryBackoff(len(job.Errors) + 1))
}

// Work runs the bill once (see ChargeWorker).
func (w *ChargeWorker) Work(ctx context.Context, job *river.Job[ChargeArgs]) error {
	pol := w.policy()
	out, v := w.run(ctx, job, pol)
	hook := v.settled && w.OnSettled != nil
	if hook {
		v.action, v.err = ActionComplete, nil
	}
	v, err := w.finish(ctx, job, &out, v, pol)
	if err != nil || !hook {
		return cmp.Or(err, v.riverError())
	}
	if err := w.OnSettled(ctx, job, out); err != nil {
		err = fmt.Errorf("razorpayriver: OnSettled failed, so River runs the job again (the bill is %s): %w", out.Outcome, err)
		out.Note = err.Error()
		v, rerr := w.finish(ctx, job, &out, verdict{action: ActionRetry, err: err, loud: true}, pol)
		return cmp.Or(rerr, v.riverError())
	}
	return nil
}

// run asks about the bill and decides.
func (w *ChargeWorker) run(ctx context.Context, job *river.Job[ChargeArgs], pol policy) (ChargeOutput, verdict) {
	prev := previousOutput(job)
	if w.Client == nil {
		err := errors.New("razorpayriver: ChargeWorker has no Client: nothing was sent; the job runs again until it has one")
		out := ChargeOutput{Outcome: razorpay.OutcomeUnknown, Receipt: job.Args.Receipt, Attempts: prev.Attempts, Error: err.Error(), Note: err.Error()}
		return out, verdict{action: ActionRetry, err: err, loud: true}
	}
	p, err := w.ask(ctx, job, prev)
	return decide(prev, answer{receipt: job.Args.Receipt, p: p, err: err, now: time.Now()}, pol)
}

// finish applies River's last attempt to v, completes out with the
// verdict, logs and records it. It returns the verdict as applied.
func (w *ChargeWorker) finish(ctx context.Context, job *river.Job[ChargeArgs], out *ChargeOutput, v verdict, pol policy) (verdict, error) {
	v = lastAttempt(out, v, job.Attempt, job.MaxAttempts, len(job.Errors), pol)
	out.Action, out.SnoozedFor = v.action, 0
	if v.action == ActionSnooze {
		out.SnoozedFor = v.wait
	}
	w.log(ctx, job, *out, v)
	if err := river.RecordOutput(ctx, *out); err != nil {
		return v, fmt.Errorf("razorpayriver: record output: %w", err)
	}
	return v, nil
}

// ask returns the run's answer: the payment last seen pending, read again,
// or else Charge's. The last attempt recorded says whether a payment is
// pending, whatever the runs since answered (refused keys, a rate limit): a
// payment the bank declined meanwhile goes to dunning with its wait, never
// charged again at once. A pending payment read back refunded is asked of
// Charge, which knows whether another payment charged the bill.
func (w *ChargeWorker) ask(ctx context.Context, job *river.Job[ChargeArgs], prev ChargeOutput) (*razorpay.Payment, error) {
	if id := pendingPayment(prev); id != "" {
		p, err := w.Client.Payment.Fetch(ctx, id)
		if razorpay.OutcomeOf(p, err) != razorpay.OutcomeRefunded {
			return p, err
		}
	}
	return w.Client.Payment.Charge(ctx, job.Args.Params())
}

// pendingPayment returns the id of the payment the last recorded attempt
// saw pending, or "".
func pendingPayment(prev ChargeOutput) string {
	if n := len(prev.Attempts); n > 0 {
		if last := prev.Attempts[n-1]; last.Outcome == razorpay.OutcomePending {
			return last.PaymentID
		}
		return ""
	}
	if prev.Outcome == razorpay.OutcomePending {
		return prev.PaymentID
	}
	return ""
}

// previousOutput returns the output the last run recorded on the job, or
// the zero output.
func previousOutput(job *river.Job[ChargeArgs]) ChargeOutput {
	var out ChargeOutput
	if raw := job.Output(); len(raw) > 0 {
		if json.Unmarshal(raw, &out) != nil {
			return ChargeOutput{}
		}
	}
	return out
}

// policy is a ChargeWorker's settings, with the defaults applied.
type policy struct {
	dunning                                        []time.Duration
	pendingLimit                                   time.Duration
	pendingBackoff, rateLimitBackoff, retryBackoff func(int) time.Duration
}

func (w *ChargeWorker) policy() policy {
	pol := policy{
		dunning:          w.Dunning,
		pendingLimit:     w.PendingLimit,
		pendingBackoff:   nonNegative(w.PendingBackoff, DefaultPendingBackoff),
		rateLimitBackoff: nonNegative(w.RateLimitBackoff, DefaultRateLimitBackoff),
		retryBackoff:     nonNegative(w.RetryBackoff, DefaultRetryBackoff),
	}
	if pol.dunning == nil {
		pol.dunning = DefaultDunning()
	}
	if pol.pendingLimit <= 0 {
		pol.pendingLimit = DefaultPendingLimit
	}
	return pol
}

func nonNegative(f, def func(int) time.Duration) func(int) time.Duration {
	if f == nil {
		return def
	}
	return func(n int) time.Duration { return max(f(n), 0) }
}

// answer is what one run learned about the bill.
type answer struct {
	receipt string
	p       *razorpay.Payment
	err     error
	now     time.Time
}

// verdict is what a run does with its job.
type verdict struct {
	action Action
	wait   time.Duration // with ActionSnooze
	err    error         // with ActionRetry and ActionCancel
	// settled: the worker is done with the bill (OnSettled is called).
	settled bool
	// person: a person must look at the bill.
	person bool
	// loud: logged at level Error (refused keys, a person needed).
	loud bool
}

// riverError is what Work returns for v.
func (v verdict) riverError() error {
	switch v.action {
	case ActionSnooze:
		return river.JobSnooze(v.wait)
	case ActionRetry:
		return v.err
	case ActionCancel:
		return river.JobCancel(v.err)
	}
	return nil
}

// decide maps a run's answer to the job's output and what to do with the
// job (see the table of ChargeWorker). prev is the output of the job's last
// run. The outcome is razorpay.OutcomeOf's; the error's cause only says why
// and how long to wait.
func decide(prev ChargeOutput, a answer, pol policy) (ChargeOutput, verdict) {
	o := razorpay.OutcomeOf(a.p, a.err)
	out := ChargeOutput{Outcome: o, Receipt: a.receipt, Attempts: slices.Clone(prev.Attempts)}
	pay := a.p
	var ce *razorpay.ChargeError
	var wait time.Duration // Charge's RetryAfter
	if a.err != nil {
		pay = nil
		out.Error = a.err.Error()
		if errors.As(a.err, &ce) {
			pay, out.OrderID, wait = ce.Payment, ce.OrderID, max(ce.RetryAfter, 0)
		}
	}
	var att *ChargeAttempt
	if pay != nil {
		out.PaymentID, out.Status = pay.ID, pay.Status
		if pay.OrderID != "" {
			out.OrderID = pay.OrderID
		}
		out.ErrorCode, out.ErrorReason, out.ErrorDescription = pay.ErrorCode, pay.ErrorReason, razorpay.MaskCardNumbers(pay.ErrorDescription)
		out.Attempts, att = seen(out.Attempts, pay, a.now)
	}
	account := accountRefused(a.err)

	switch o {
	case razorpay.OutcomeCharged:
		out.Note = "charged: the payment is captured"
		return out, verdict{action: ActionComplete, settled: true}

	case razorpay.OutcomeRefunded:
		out.Note = "charged, then refunded in full: settled, never charged again"
		return out, verdict{action: ActionComplete, settled: true}

	case razorpay.OutcomePending:
		since := a.now.Sub(att.At)
		if since >= pol.pendingLimit {
			return person(out, fmt.Sprintf("payment %s has been %s for %s, longer than the pending limit (%s): look at it in the Dashboard (Charge returns it once it settles)",
				pay.ID, pay.Status, since.Round(time.Second), pol.pendingLimit))
		}
		d := pol.pendingBackoff(att.Checks)
		out.Note = fmt.Sprintf("pending: payment %s is %s at the bank; check %d again in %s", pay.ID, pay.Status, att.Checks+1, d)
		return out, verdict{action: ActionSnooze, wait: d}

	case razorpay.OutcomeNotCharged:
		if pay != nil { // a failed payment: the card was declined
			n := declines(out.Attempts)
			reason := cmpOr(out.ErrorDescription, out.ErrorReason, "no reason given")
			if n <= len(pol.dunning) {
				d := pol.dunning[n-1]
				out.Note = fmt.Sprintf("declined (%s): try %d of %d of the card in %s", reason, n+1, len(pol.dunning)+1, d)
				return out, verdict{action: ActionSnooze, wait: d}
			}
			out.Note = fmt.Sprintf("not charged: the card was declined %d times (last: %s); the dunning schedule is done", n, reason)
			return out, verdict{action: ActionComplete, settled: true}
		}
		if account {
			return refusedKeys(out, a.err)
		}
		out.Attempts = append(out.Attempts, ChargeAttempt{At: a.now, Outcome: o, OrderID: out.OrderID, Error: out.Error})
		out.Note = "not charged: Razorpay refused the charge (such as a cancelled, rejected or expired mandate, a deleted token, an amount above the mandate's maximum): a final decline, no dunning"
		return out, verdict{action: ActionComplete, settled: true}

	case razorpay.OutcomeUnknown:
		err := a.err
		if err == nil {
			if pay != nil {
				err = fmt.Errorf("razorpayriver: payment %s is in status %q, which the SDK does not know", pay.ID, pay.Status)
			} else {
				err = errors.New("razorpayriver: Charge returned no payment and no error")
			}
		}
		if errors.Is(err, razorpay.ErrRateLimited) {
			out.RateLimited = prev.RateLimited + 1
			d := max(pol.rateLimitBackoff(out.RateLimited), wait)
			out.Note = fmt.Sprintf("rate limited (%d in a row): runs again in %s", out.RateLimited, d)
			return out, verdict{action: ActionSnooze, wait: d}
		}
		if wait > 0 {
			// A payment may be in flight: come back when it has landed or
			// can no longer land, whatever the cause.
			out.Note = fmt.Sprintf("unknown: a payment may be in flight; runs again in %s", wait)
			if account {
				out.Note += "; and Razorpay refused the key pair or the account: fix them"
			}
			return out, verdict{action: ActionSnooze, wait: wait, loud: account}
		}
		if account {
			return refusedKeys(out, err)
		}
		out.Note = "unknown: nothing is in flight; River runs the job again"
		return out, verdict{action: ActionRetry, err: err}

	case razorpay.OutcomeConflict:
		return person(out, "the receipt belongs to another charge (another amount, currency, customer or token): nothing was charged; fix the bill's receipt and queue it again")
	case razorpay.OutcomeInvalid:
		return person(out, "the params were refused before anything was sent: fix the bill and queue it again")
	case razorpay.OutcomeUnreadable:
		return person(out, "Charge cannot read the receipt's orders whole, so it charged nothing; the bill may be charged already: look at the receipt's orders in the Dashboard")
	}
	err := a.err
	if err == nil {
		err = fmt.Errorf("razorpayriver: outcome %q", o)
	}
	out.Note = fmt.Sprintf("outcome %q, which this package does not know: River runs the job again", o)
	return out, verdict{action: ActionRetry, err: err}
}

// person is the verdict for a bill a person must look at: cancelled, or
// recorded and completed by OnSettled.
func person(out ChargeOutput, note string) (ChargeOutput, verdict) {
	out.Note = "a person must look: " + note
	return out, verdict{action: ActionCancel, err: errors.New("razorpayriver: " + out.Note), settled: true, person: true, loud: true}
}

// refusedKeys is the verdict for a bill held by refused keys or account:
// River retries it, and every run says so at level Error.
func refusedKeys(out ChargeOutput, cause error) (ChargeOutput, verdict) {
	out.Note = "Razorpay refused the key pair or the account (wrong or rotated keys, test and live keys mixed, a feature not enabled): nothing was charged; fix them, the job runs again until then"
	return out, verdict{action: ActionRetry, err: fmt.Errorf("razorpayriver: Razorpay refused the key pair or the account; fix them, the job runs again until then: %w", cause), loud: true}
}

// lastAttempt turns a retry at River's last attempt into a snooze, so that
// River never discards the job: a bill is never dropped.
func lastAttempt(out *ChargeOutput, v verdict, attempt, maxAttempts, errs int, pol policy) verdict {
	if v.action != ActionRetry || attempt < maxAttempts {
		return v
	}
	d := pol.retryBackoff(errs + 1)
	out.Note += fmt.Sprintf(" (River's attempts are used up, %d of %d: snoozed for %s instead, the job is never discarded)", attempt, maxAttempts, d)
	return verdict{action: ActionSnooze, wait: d, loud: true}
}

// seen records p in the attempts: a new one, or the update of the one with
// its id. It returns the attempts and p's.
func seen(atts []ChargeAttempt, p *razorpay.Payment, now time.Time) ([]ChargeAttempt, *ChargeAttempt) {
	i := -1
	if p.ID != "" {
		i = slices.IndexFunc(atts, func(a ChargeAttempt) bool { return a.PaymentID == p.ID })
	}
	if i < 0 {
		atts = append(atts, ChargeAttempt{At: now, PaymentID: p.ID})
		i = len(atts) - 1
	}
	a := &atts[i]
	a.Outcome, a.Status = razorpay.OutcomeOf(p, nil), p.Status
	if p.OrderID != "" {
		a.OrderID = p.OrderID
	}
	a.ErrorCode, a.ErrorReason, a.ErrorDescription = p.ErrorCode, p.ErrorReason, razorpay.MaskCardNumbers(p.ErrorDescription)
	if a.Outcome == razorpay.OutcomePending {
		a.Checks++
	}
	return atts, a
}

// declines counts the failed payments among the attempts.
func declines(atts []ChargeAttempt) int {
	n := 0
	for _, a := range atts {
		if a.PaymentID != "" && a.Status == razorpay.PaymentStatusFailed {
			n++
		}
	}
	return n
}

// accountRefused reports whether err says that Razorpay refused the key
// pair or the account rather than the bill: 401 (wrong or rotated keys,
// test and live keys mixed), 403, a feature not enabled ("The requested URL
// was not found on the server"), or a client without keys. A person fixes
// these; the bills wait.
func accountRefused(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, razorpay.ErrAuthentication) || errors.Is(err, razorpay.ErrInvalidConfig) {
		return true
	}
	var re *razorpay.Error
	return errors.As(err, &re) && (re.HTTPStatusCode == http.StatusForbidden || re.FeatureNotEnabled())
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// log writes the run's record when it is worth one (see Logger).
func (w *ChargeWorker) log(ctx context.Context, job *river.Job[ChargeArgs], out ChargeOutput, v verdict) {
	level := slog.LevelDebug
	switch {
	case v.loud:
		level = slog.LevelError
	case out.Outcome == razorpay.OutcomeNotCharged && v.action == ActionComplete:
		level = slog.LevelWarn
	case out.Outcome == razorpay.OutcomeNotCharged && v.action == ActionSnooze:
		level = slog.LevelInfo
	}
	l := w.Logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.Int64("job_id", job.ID), slog.String("receipt", out.Receipt), slog.Int("attempt", job.Attempt),
		slog.String("outcome", string(out.Outcome)), slog.String("action", string(out.Action)),
	}
	if out.PaymentID != "" {
		attrs = append(attrs, slog.String("payment_id", out.PaymentID))
	}
	if out.Error != "" {
		attrs = append(attrs, slog.String("error", out.Error))
	}
	l.LogAttrs(ctx, level, "razorpayriver: "+out.Note, attrs...)
}

// DefaultRateLimitBackoff is the backoff ChargeWorker uses after the n-th
// rate-limited answer in a row (n from 1) when RateLimitBackoff is nil:
// about RateLimitBackoffMin·2^(n-1), at most RateLimitBackoffMax, jittered.
func DefaultRateLimitBackoff(n int) time.Duration {
	return jittered(n, RateLimitBackoffMin, RateLimitBackoffMax)
}

// DefaultPendingBackoff is the wait ChargeWorker uses before the n-th check
// of a pending payment (n from 1) when PendingBackoff is nil: about
// PendingBackoffMin·2^(n-1), at most PendingBackoffMax, jittered.
func DefaultPendingBackoff(n int) time.Duration {
	return jittered(n, PendingBackoffMin, PendingBackoffMax)
}

// DefaultRetryBackoff is the wait ChargeWorker.NextRetry uses after a job's
// n-th error (n from 1) when RetryBackoff is nil: about
// RetryBackoffMin·2^(n-1), at most RetryBackoffMax, jittered.
func DefaultRetryBackoff(n int) time.Duration {
	return jittered(n, RetryBackoffMin, RetryBackoffMax)
}

// jittered is lo·2^(n-1), at most hi, with jitter: between half and all of
// it.
func jittered(n int, lo, hi time.Duration) time.Duration {
	d := min(lo, hi)
	for i := 1; i < n && d < hi; i++ {
		d = min(2*d, hi)
	}
	return d/2 + rand.N(d/2+1)
}
