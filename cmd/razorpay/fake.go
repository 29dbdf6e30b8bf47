package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/cmd/internal/fakeserve"
	"github.com/gorzp/razorpay/razorpaytest"
)

func fakeCommand() *command {
	return &command{
		name:    "fake",
		summary: "run the in-memory fake Razorpay on a local address, and drive it from another shell",
		usage: `  razorpay fake [--addr 127.0.0.1:8080] [--webhook-url URL --webhook-secret S] [--seed N] [--recurring-delay D]

Serves razorpaytest, an in-memory Razorpay, until Ctrl-C: no keys, no
network. It prints its base URL and its (public, fixed) test key pair. With
--webhook-url it posts signed webhooks for its state changes (or use
'razorpay listen'). --recurring-delay keeps recurring payments pending at the
bank for that long on its clock. A registration link's short_url opens a page
to approve or decline the mandate as the card holder. --seed makes its ids
reproducible. The razorpay-fake command is the same code.

Drive a running fake (at --base-url, else RAZORPAY_BASE_URL, else
http://127.0.0.1:8080) from another shell or a script:
  razorpay fake mandates -n 50 [--amount 49900] [--max-amount 100000] [--receipt-prefix P] > bills.csv
                        confirmed mandates, printed as a billing file for 'razorpay bill'
  razorpay fake clock [advance DURATION]
                        show or move the fake's clock forward (such as 16m: past
                        Charge's settle window; 24h: past --recurring-delay)
  razorpay fake payments RECEIPT
                        the payments of every order that carries the receipt
  razorpay fake verify  bills charged, pending and not charged, and the double
                        charges (exit 1 when there is one)
  razorpay fake decline --receipt R | --token T | --all [--reason S] [--times N]
                        the bank declines the next recurring payment(s) at once
  razorpay fake hold --receipt R | --token T | --all [--times N]
                        the bank holds the next recurring payment(s): pending
                        until 'capture' or 'fail'
  razorpay fake hold PAYMENT_ID
                        hold a created payment (one waiting for --recurring-delay)
  razorpay fake rules [clear]
                        the decline and hold rules not spent yet, or remove them
  razorpay fake fail PAYMENT_ID | --receipt R [--reason S]
                        the bank declines a payment after the fact (payment.failed)
  razorpay fake capture PAYMENT_ID | --receipt R
                        the bank confirms a held or failed payment
  razorpay fake mandate TOKEN_ID --status cancelled|paused|confirmed|rejected
                        the card holder or bank changes a mandate
--times N applies a rule to N payments (-1: every one until 'rules clear').
Each takes --json. They refuse to run against anything but a fake: they ask
its info endpoint first, and authenticate with the fake's public test key,
never with yours. The control API they call is documented in package
razorpaytest (path ` + razorpaytest.ControlPath + `).
`,
		run: runFake,
	}
}

func runFake(ctx context.Context, a *app, c *command, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		for _, sub := range fakeSubcommands() {
			if sub.name == args[0] {
				return sub.run(ctx, a, c, args[1:])
			}
		}
		names := make([]string, 0, len(fakeSubcommands()))
		for _, sub := range fakeSubcommands() {
			names = append(names, sub.name)
		}
		return usagef("unknown subcommand %q (want no subcommand to serve, or one of %s)", args[0], strings.Join(names, ", "))
	}
	fs := newFlags(c, false)
	var cfg fakeserve.Config
	cfg.Register(fs.FlagSet)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := cfg.Check(a.env); err != nil {
		return usagef("%v", err)
	}
	err := fakeserve.Serve(ctx, a.stdout, "razorpay fake", cfg)
	var ae *fakeserve.AddrError
	if errors.As(err, &ae) {
		return usagef("%v", err)
	}
	return err
}

// fakeSubcommand is one control command of a running fake.
type fakeSubcommand struct {
	name string
	run  func(ctx context.Context, a *app, c *command, args []string) error
}

func fakeSubcommands() []fakeSubcommand {
	return []fakeSubcommand{
		{"mandates", fakeMandates},
		{"clock", fakeClock},
		{"payments", fakePayments},
		{"verify", fakeVerify},
		{"decline", fakeRule(razorpaytest.BankDecline)},
		{"hold", fakeRule(razorpaytest.BankHold)},
		{"rules", fakeRules},
		{"fail", fakePaymentAction("fail")},
		{"capture", fakePaymentAction("capture")},
		{"mandate", fakeMandate},
	}
}

// controlFlags are the flags of a control command: --base-url and --json.
func controlFlags(c *command) *flags {
	fs := newFlags(c, false)
	fs.StringVar(&fs.baseURL, "base-url", "", "the fake's base URL (default $RAZORPAY_BASE_URL, else http://"+fakeserve.DefaultAddr+")")
	fs.BoolVar(&fs.json, "json", false, "print JSON")
	return fs
}

// kindError is an error with its exit code and its kind for --json.
type kindError struct {
	code int
	kind string
	msg  string
}

func (e *kindError) Error() string { return e.msg }

// remote connects to the fake at --base-url, refusing anything that is not a
// fake.
func (a *app) remote(ctx context.Context, fs *flags) (*razorpaytest.Remote, error) {
	base := cmp.Or(fs.baseURL, a.env("RAZORPAY_BASE_URL"), "http://"+fakeserve.DefaultAddr)
	rem, err := razorpaytest.Dial(ctx, base)
	switch {
	case errors.Is(err, razorpaytest.ErrNotFake):
		return nil, &kindError{code: exitFailed, kind: "not_a_fake", msg: fmt.Sprintf(
			"%s is not a razorpay fake (%s): control commands only drive a fake, never Razorpay; start one with 'razorpay fake' and point --base-url or RAZORPAY_BASE_URL at it",
			base, strings.TrimPrefix(err.Error(), razorpaytest.ErrNotFake.Error()+": "))}
	case err != nil:
		return nil, &kindError{code: exitFailed, kind: "unreachable", msg: fmt.Sprintf(
			"no fake answers at %s (%s): start one with 'razorpay fake', or point --base-url or RAZORPAY_BASE_URL at yours",
			base, strings.TrimPrefix(err.Error(), "razorpaytest: "))}
	}
	return rem, nil
}

// controlFailure words an error of the fake's control API.
func controlFailure(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "razorpaytest: "))
}

func fakeMandates(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	var p razorpaytest.SeedParams
	fs.IntVar(&p.Count, "n", 0, "how many confirmed mandates")
	fs.Int64Var(&p.Amount, "amount", 49_900, "each bill's amount, in paise")
	fs.Int64Var(&p.MaxAmount, "max-amount", 100_000, "each mandate's most a debit may take, in paise")
	fs.StringVar(&p.Currency, "currency", "INR", "each bill's currency")
	fs.StringVar(&p.ReceiptPrefix, "receipt-prefix", "", "each receipt's start (default bill-YYYY-MM- on the fake's clock)")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if p.Count < 1 || p.Count > razorpaytest.MaxSeed {
		return usagef("-n must be 1 to %d, got %d", razorpaytest.MaxSeed, p.Count)
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	bills, err := rem.SeedMandates(ctx, p)
	if err != nil {
		return controlFailure(err)
	}
	if fs.json {
		return printJSON(a.stdout, bills)
	}
	if err := razorpaytest.WriteBills(a.stdout, bills); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "razorpay fake: %d confirmed mandates of up to %s, a bill of %s on each (receipts %s to %s)\n",
		len(bills), money(p.MaxAmount, p.Currency), money(p.Amount, p.Currency), bills[0].Receipt, bills[len(bills)-1].Receipt)
	return nil
}

func fakeClock(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	pos, err := fs.parse(args, 0, 2)
	if err != nil {
		return err
	}
	var d time.Duration
	switch {
	case len(pos) == 0:
	case pos[0] != "advance":
		return usagef("unknown clock subcommand %q (want advance DURATION, or nothing to show the clock)", pos[0])
	case len(pos) != 2:
		return usagef("clock advance needs a DURATION, such as 16m or 24h")
	default:
		if d, err = time.ParseDuration(pos[1]); err != nil || d <= 0 {
			return usagef("clock advance: %q is not a positive duration such as 16m or 24h", pos[1])
		}
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	if d > 0 {
		if _, err := rem.AdvanceClock(ctx, d); err != nil {
			return controlFailure(err)
		}
	}
	info, err := rem.Info(ctx)
	if err != nil {
		return controlFailure(err)
	}
	if fs.json {
		return printJSON(a.stdout, info)
	}
	if d > 0 {
		fmt.Fprintf(a.stdout, "Moved the fake's clock forward by %v.\n", d)
	}
	fmt.Fprintf(a.stdout, "fake clock: %s UTC (%v ahead of the real time)\n",
		time.Unix(info.Now, 0).UTC().Format("2006-01-02 15:04:05"), time.Duration(info.ClockOffset)*time.Second)
	return nil
}

func fakePayments(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return usagef("payments needs a RECEIPT")
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	pays, err := rem.ReceiptPayments(ctx, pos[0])
	if err != nil {
		return controlFailure(err)
	}
	if fs.json {
		if pays == nil {
			pays = []razorpay.Payment{}
		}
		return printJSON(a.stdout, pays)
	}
	if len(pays) == 0 {
		fmt.Fprintf(a.stdout, "No payment carries receipt %q.\n", pos[0])
		return nil
	}
	t := newTable(a.stdout, "PAYMENT", "STATUS", "AMOUNT", "ORDER", "TOKEN", "CREATED", "ERROR")
	for _, p := range pays {
		t.row(p.ID, string(p.Status), money(p.Amount, p.Currency), p.OrderID, p.TokenID, when(p.CreatedAt), razorpay.MaskCardNumbers(p.ErrorDescription))
	}
	return t.flush()
}

func fakeVerify(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	v, err := rem.Verify(ctx)
	if err != nil {
		return controlFailure(err)
	}
	if fs.json {
		if err := printJSON(a.stdout, v); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "%d bills: %d charged, %d pending, %d refunded, %d not charged\n", v.Bills, v.Charged, v.Pending, v.Refunded, v.NotCharged)
		statuses := make([]string, 0, len(v.Payments))
		for st := range v.Payments {
			statuses = append(statuses, st)
		}
		slices.Sort(statuses)
		var parts []string
		for _, st := range statuses {
			parts = append(parts, fmt.Sprintf("%d %s", v.Payments[st], st))
		}
		fmt.Fprintf(a.stdout, "payments: %s\n", cmp.Or(strings.Join(parts, ", "), "none"))
		fmt.Fprintf(a.stdout, "%d double charges\n", len(v.DoubleCharges))
		for _, r := range v.DoubleCharges {
			fmt.Fprintf(a.stdout, "  %s (razorpay fake payments %s)\n", r, r)
		}
	}
	if len(v.DoubleCharges) > 0 {
		return exitError(exitFailed)
	}
	return nil
}

// fakeRule adds a decline or hold rule (or, for hold with a PAYMENT_ID,
// holds that payment).
func fakeRule(action razorpaytest.BankAction) func(context.Context, *app, *command, []string) error {
	return func(ctx context.Context, a *app, c *command, args []string) error {
		fs := controlFlags(c)
		var rule razorpaytest.BankRule
		rule.Action = action
		fs.StringVar(&rule.Receipt, "receipt", "", "the bill's receipt: its next payment")
		fs.StringVar(&rule.TokenID, "token", "", "the mandate's token: its next payment")
		every := fs.Bool("all", false, "the next payment of any bill")
		fs.IntVar(&rule.Times, "times", 1, "how many payments (-1: every one until 'rules clear')")
		if action == razorpaytest.BankDecline {
			fs.StringVar(&rule.Reason, "reason", razorpaytest.DefaultDeclineReason, "the payment's error description")
		}
		maxPos := 0
		if action == razorpaytest.BankHold {
			maxPos = 1
		}
		pos, err := fs.parse(args, 0, maxPos)
		if err != nil {
			return err
		}
		scopes := 0
		for _, set := range []bool{rule.Receipt != "", rule.TokenID != "", *every, len(pos) == 1} {
			if set {
				scopes++
			}
		}
		if scopes != 1 {
			if action == razorpaytest.BankHold {
				return usagef("hold needs one of PAYMENT_ID, --receipt, --token or --all")
			}
			return usagef("decline needs one of --receipt, --token or --all")
		}
		if rule.Times == 0 {
			return usagef("--times must not be 0 (-1: every payment)")
		}
		rem, err := a.remote(ctx, fs)
		if err != nil {
			return err
		}
		if len(pos) == 1 {
			p, err := rem.HoldPayment(ctx, pos[0])
			if err != nil {
				return controlFailure(err)
			}
			return printPaymentAction(a, fs, "held: it stays pending until 'razorpay fake capture' or 'razorpay fake fail'", p)
		}
		if err := rem.AddBankRule(ctx, rule); err != nil {
			return controlFailure(err)
		}
		if fs.json {
			return printJSON(a.stdout, rule)
		}
		fmt.Fprintf(a.stdout, "The bank will %s %s.\n", action, ruleScope(rule))
		return nil
	}
}

// ruleScope says which payments a rule decides.
func ruleScope(r razorpaytest.BankRule) string {
	n := "the next payment"
	switch {
	case r.Times < 0:
		n = "every payment"
	case r.Times > 1:
		n = fmt.Sprintf("the next %d payments", r.Times)
	}
	switch {
	case r.Receipt != "":
		n += " of receipt " + r.Receipt
	case r.TokenID != "":
		n += " of token " + r.TokenID
	default:
		n += " of any bill"
	}
	if r.Action == razorpaytest.BankDecline {
		n += fmt.Sprintf(" (%q)", r.Reason)
	}
	return n
}

func fakeRules(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	pos, err := fs.parse(args, 0, 1)
	if err != nil {
		return err
	}
	if len(pos) == 1 && pos[0] != "clear" {
		return usagef("unknown rules subcommand %q (want clear, or nothing to list them)", pos[0])
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		if err := rem.ClearBankRules(ctx); err != nil {
			return controlFailure(err)
		}
	}
	rules, err := rem.BankRules(ctx)
	if err != nil {
		return controlFailure(err)
	}
	if fs.json {
		if rules == nil {
			rules = []razorpaytest.BankRule{}
		}
		return printJSON(a.stdout, rules)
	}
	if len(rules) == 0 {
		fmt.Fprintln(a.stdout, "No rules: the bank captures every recurring payment.")
		return nil
	}
	for _, r := range rules {
		fmt.Fprintf(a.stdout, "%s %s\n", r.Action, ruleScope(r))
	}
	return nil
}

// fakePaymentAction fails or captures a payment, given by its id or by its
// bill's receipt.
func fakePaymentAction(action string) func(context.Context, *app, *command, []string) error {
	return func(ctx context.Context, a *app, c *command, args []string) error {
		fs := controlFlags(c)
		receipt := fs.String("receipt", "", "the bill's receipt, instead of PAYMENT_ID")
		reasonText := fs.String("reason", "", "the payment's error description (fail)")
		pos, err := fs.parse(args, 0, 1)
		if err != nil {
			return err
		}
		if (len(pos) == 1) == (*receipt != "") {
			return usagef("%s needs a PAYMENT_ID or --receipt (one of them)", action)
		}
		if action != "fail" && *reasonText != "" {
			return usagef("--reason goes with fail")
		}
		rem, err := a.remote(ctx, fs)
		if err != nil {
			return err
		}
		id := ""
		if len(pos) == 1 {
			id = pos[0]
		} else if id, err = receiptPayment(ctx, rem, *receipt, action); err != nil {
			return err
		}
		var p *razorpay.Payment
		what := "captured"
		if action == "fail" {
			p, err = rem.FailPayment(ctx, id, *reasonText)
			what = "failed"
		} else {
			p, err = rem.CapturePayment(ctx, id)
		}
		if err != nil {
			return controlFailure(err)
		}
		if p.Status == razorpay.PaymentStatusRefunded {
			what = "refunded: another payment had paid its order meanwhile"
		}
		return printPaymentAction(a, fs, what, p)
	}
}

// receiptPayment picks the payment of a receipt that fail (the latest that
// has not failed) or capture (the latest created or failed) acts on.
func receiptPayment(ctx context.Context, rem *razorpaytest.Remote, receipt, action string) (string, error) {
	pays, err := rem.ReceiptPayments(ctx, receipt)
	if err != nil {
		return "", controlFailure(err)
	}
	for i := len(pays) - 1; i >= 0; i-- {
		st := pays[i].Status
		if action == "fail" && st != razorpay.PaymentStatusFailed ||
			action == "capture" && (st == razorpay.PaymentStatusCreated || st == razorpay.PaymentStatusFailed) {
			return pays[i].ID, nil
		}
	}
	return "", &kindError{code: exitFailed, kind: "failed", msg: fmt.Sprintf("receipt %q has no payment to %s (razorpay fake payments %s)", receipt, action, receipt)}
}

func printPaymentAction(a *app, fs *flags, what string, p *razorpay.Payment) error {
	if fs.json {
		return printJSON(a.stdout, p)
	}
	fmt.Fprintf(a.stdout, "Payment %s is %s.\n", p.ID, what)
	return printFields(a.stdout, paymentFields(p))
}

func fakeMandate(ctx context.Context, a *app, c *command, args []string) error {
	fs := controlFlags(c)
	status := fs.String("status", "", "cancelled, paused, confirmed or rejected")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return usagef("mandate needs a TOKEN_ID")
	}
	switch razorpay.TokenRecurringStatus(*status) {
	case razorpay.TokenRecurringStatusCancelled, razorpay.TokenRecurringStatusPaused, razorpay.TokenRecurringStatusConfirmed, razorpay.TokenRecurringStatusRejected:
	default:
		return usagef("--status must be cancelled, paused, confirmed or rejected, got %q", *status)
	}
	rem, err := a.remote(ctx, fs)
	if err != nil {
		return err
	}
	if err := rem.SetMandateStatus(ctx, pos[0], razorpay.TokenRecurringStatus(*status)); err != nil {
		return controlFailure(err)
	}
	if fs.json {
		return printJSON(a.stdout, map[string]string{"token_id": pos[0], "status": *status})
	}
	fmt.Fprintf(a.stdout, "The mandate of token %s is %s.\n", pos[0], *status)
	return nil
}
