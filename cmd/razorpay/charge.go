package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gorzp/razorpay"
)

func chargeCommand() *command {
	return &command{
		name:    "charge",
		summary: "charge a confirmed card mandate once, keyed by the bill's receipt",
		usage: `  razorpay charge --customer CUSTOMER_ID --token TOKEN_ID --amount PAISE --receipt R
        [--currency INR] [--email E --contact C] [--description D] [--json]

One exactly-once charge: the receipt is the bill's identity, so running the
same command again (after a crash, a timeout, or by mistake) never charges
twice; it prints the payment of the first run, as "already charged".
--email and --contact default to the customer's.

Outcomes (razorpay.OutcomeOf) and exit codes:
  charged          0  the payment is captured (by this run)
  already charged  0  the bill was charged before: this run charged nothing
  pending          0  the payment is created or authorized; the bank confirms
                      later (webhook, or look again with 'razorpay bill --check')
  refunded         0  charged, then refunded in full
  not charged      1  certainly not charged (declined, failed): safe to charge again
  unreadable       1  the receipt's orders cannot be read whole: a person looks
  conflict         2  the receipt belongs to another customer, token or amount
  invalid          2  bad flags
  unknown          3  could not find out: run the same command again after resume_after
Authentication failures exit 1 with what to check, whatever the outcome.
`,
		run: runCharge,
	}
}

func runCharge(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	var p razorpay.ChargeParams
	fs.StringVar(&p.CustomerID, "customer", "", "customer id (cust_...)")
	fs.StringVar(&p.TokenID, "token", "", "confirmed mandate token (token_...)")
	fs.Int64Var(&p.Amount, "amount", 0, "amount in paise (49900 is 499.00 INR)")
	fs.StringVar(&p.Receipt, "receipt", "", "the bill's unique reference, at most 40 characters")
	fs.StringVar(&p.Currency, "currency", "INR", "currency")
	fs.StringVar(&p.Email, "email", "", "card holder's email (default: the customer's)")
	fs.StringVar(&p.Contact, "contact", "", "card holder's phone (default: the customer's)")
	fs.StringVar(&p.Description, "description", "", "shown to the card holder")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := required("--customer", p.CustomerID, "--token", p.TokenID, "--receipt", p.Receipt); err != nil {
		return err
	}
	if p.Amount <= 0 {
		return usagef("--amount is required (paise, more than 0)")
	}
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	if p.Email == "" || p.Contact == "" {
		cust, err := client.Customer.Fetch(ctx, p.CustomerID)
		if err != nil {
			return fmt.Errorf("reading customer %s for --email and --contact: %w", p.CustomerID, err)
		}
		if p.Email == "" {
			p.Email = cust.Email
		}
		if p.Contact == "" {
			p.Contact = cust.Contact
		}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	var info razorpay.ChargeInfo
	pay, err := client.Payment.Charge(razorpay.WithChargeInfo(ctx, &info), &p)
	if errors.Is(err, razorpay.ErrAuthentication) {
		return err // exit 1 with the authentication message
	}
	r := newResult(p.Receipt, pay, err, &info, a.now())
	if fs.json {
		if err := printJSON(a.stdout, r); err != nil {
			return err
		}
	} else {
		printResult(a, r, pay)
	}
	return exitError(chargeExit(r.Outcome))
}

// chargeExit is the exit code of one bill's outcome (see the help).
func chargeExit(o razorpay.ChargeOutcome) int {
	switch o {
	case razorpay.OutcomeNotCharged, razorpay.OutcomeUnreadable:
		return exitFailed
	case razorpay.OutcomeConflict, razorpay.OutcomeInvalid:
		return exitUsage
	case razorpay.OutcomeUnknown:
		return exitUnknown
	}
	return exitOK
}

func printResult(a *app, r result, pay *razorpay.Payment) {
	switch r.Outcome {
	case razorpay.OutcomeCharged, razorpay.OutcomePending, razorpay.OutcomeRefunded:
		fmt.Fprintf(a.stdout, "%s: receipt %s\n", r.label(false), r.Receipt)
		printFields(a.stdout, paymentFields(pay)) //nolint:errcheck // best effort on stdout
		if r.Outcome == razorpay.OutcomePending {
			fmt.Fprintf(a.stdout, "Pending: %s.\n", r.Reason)
		}
	case razorpay.OutcomeUnknown:
		fmt.Fprintf(a.stdout, "%s: receipt %s: %s\nRun the same command again after %s: it never charges twice.\n",
			r.label(false), r.Receipt, r.Reason, r.ResumeAfter)
	default:
		fmt.Fprintf(a.stdout, "%s: receipt %s: %s\n", r.label(false), r.Receipt, r.Reason)
	}
}
