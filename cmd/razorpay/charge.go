package main

import (
	"context"
	"fmt"
	"strings"

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
twice; it prints the payment of the first run. --email and --contact default
to the customer's.

Outcomes and exit codes:
  charged       0  the payment is captured or authorized
  pending       0  the payment is created; the bank confirms later (webhook)
  not charged   1  certainly not charged (declined, failed): safe to charge again
  invalid       2  bad flags, or the receipt belongs to another customer, token or amount
  unknown       3  could not find out: run the same command again (after resume_after)
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
	pay, err := client.Payment.Charge(ctx, &p)
	r := classify(p.Receipt, pay, err, a.now())
	if fs.json {
		if err := printJSON(a.stdout, r); err != nil {
			return err
		}
	} else {
		printResult(a, r, pay)
	}
	switch r.Outcome {
	case outcomeNotCharged:
		return exitError(exitFailed)
	case outcomeInvalid:
		return exitError(exitUsage)
	case outcomeUnknown:
		return exitError(exitUnknown)
	}
	return nil
}

func printResult(a *app, r result, pay *razorpay.Payment) {
	switch r.Outcome {
	case outcomeCharged, outcomePending:
		fmt.Fprintf(a.stdout, "%s: receipt %s\n", r.Outcome, r.Receipt)
		printFields(a.stdout, paymentFields(pay)) //nolint:errcheck // best effort on stdout
	case outcomeUnknown:
		fmt.Fprintf(a.stdout, "unknown: receipt %s: %s\nRun the same command again", r.Receipt, r.Reason)
		if r.ResumeAfter != "" {
			fmt.Fprintf(a.stdout, " after %s", r.ResumeAfter)
		}
		fmt.Fprintln(a.stdout, ": it never charges twice.")
	default:
		fmt.Fprintf(a.stdout, "%s: receipt %s: %s\n", strings.ReplaceAll(r.Outcome, "_", " "), r.Receipt, r.Reason)
	}
}
