package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/gorzp/razorpay"
)

func linksCommand() *command {
	return &command{
		name:    "links",
		summary: "registration links: create one, send it again, or cancel it",
		usage: `  razorpay links create --name N --email E --contact C --max-amount PAISE
        [--amount PAISE] [--currency INR] [--frequency monthly] [--description D]
        [--receipt R] [--expire-by UNIX] [--mandate-expire-at UNIX] [--notify] [--json]
  razorpay links notify LINK_ID --via sms|email [--json]
  razorpay links cancel LINK_ID [--json]

create makes a registration link: the customer opens its short URL, pays
--amount (default 100 paise, 1.00 INR) and approves a card mandate of up to --max-amount a debit.
--notify has Razorpay send it by SMS and email. notify sends it again; cancel
cancels an issued link.
`,
		run: runLinks,
	}
}

func runLinks(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	name := fs.String("name", "", "customer's name (create)")
	email := fs.String("email", "", "customer's email (create)")
	contact := fs.String("contact", "", "customer's phone (create)")
	amount := fs.Int64("amount", 100, "first payment in paise (create)")
	maxAmt := fs.Int64("max-amount", 0, "most one debit may take, in paise (create)")
	currency := fs.String("currency", "INR", "currency (create)")
	frequency := fs.String("frequency", "monthly", "weekly, monthly, yearly or as_presented (create)")
	description := fs.String("description", "Card mandate", "shown to the customer (create)")
	receipt := fs.String("receipt", "", "your reference (create)")
	expireBy := fs.Int64("expire-by", 0, "Unix time the link expires (create)")
	mandateExpire := fs.Int64("mandate-expire-at", 0, "Unix time the mandate ends (create)")
	notify := fs.Bool("notify", false, "send the link by SMS and email (create)")
	via := fs.String("via", "", "sms or email (notify)")
	pos, err := fs.parse(args, 1, 2)
	if err != nil {
		return err
	}
	sub := pos[0]
	switch sub {
	case "create":
		if len(pos) != 1 {
			return usagef("unexpected arguments %q", pos[1:])
		}
		if err := required("--name", *name, "--email", *email); err != nil {
			return err
		}
		if *maxAmt <= 0 {
			return usagef("--max-amount is required (paise, more than 0)")
		}
	case "notify", "cancel":
		if len(pos) != 2 {
			return usagef("links %s needs a LINK_ID", sub)
		}
		if sub == "notify" && *via != "sms" && *via != "email" {
			return usagef("--via must be sms or email, got %q", *via)
		}
	default:
		return usagef("unknown subcommand %q (want create, notify or cancel)", sub)
	}
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	var inv *razorpay.Invoice
	switch sub {
	case "create":
		inv, err = client.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
			Customer:    razorpay.RegistrationLinkCustomer{Name: *name, Email: *email, Contact: *contact},
			Amount:      *amount,
			Currency:    *currency,
			Description: *description,
			SubscriptionRegistration: razorpay.SubscriptionRegistration{
				Method: razorpay.PaymentMethodCard, MaxAmount: *maxAmt, ExpireAt: *mandateExpire,
				Frequency: razorpay.Frequency(*frequency),
			},
			SMSNotify:   razorpay.Ptr(*notify),
			EmailNotify: razorpay.Ptr(*notify),
			ExpireBy:    *expireBy,
			Receipt:     *receipt,
		})
	case "notify":
		if err = client.Invoice.NotifyBy(ctx, pos[1], razorpay.NotifyMedium(*via)); err == nil {
			if fs.json {
				return printJSON(a.stdout, map[string]any{"notified": true, "id": pos[1], "via": *via})
			}
			fmt.Fprintf(a.stdout, "Sent registration link %s by %s.\n", pos[1], *via)
			return nil
		}
	case "cancel":
		inv, err = client.Invoice.Cancel(ctx, pos[1])
	}
	if err != nil {
		return err
	}
	if fs.json {
		return printJSON(a.stdout, inv)
	}
	return printFields(a.stdout, linkFields(inv))
}

func linkFields(inv *razorpay.Invoice) [][2]string {
	rows := [][2]string{
		{"id", inv.ID},
		{"status", string(inv.Status)},
		{"short url", inv.ShortURL},
		{"customer", strings.TrimSpace(inv.CustomerID + " " + inv.CustomerDetails.Email)},
		{"amount", money(inv.Amount, inv.Currency)},
		{"order", inv.OrderID},
		{"receipt", inv.Receipt},
		{"sms", string(inv.SMSStatus)},
		{"email", string(inv.EmailStatus)},
		{"expires", when(inv.ExpireBy)},
		{"created", when(inv.CreatedAt)},
	}
	if inv.Token != nil {
		rows = append(rows, [2]string{"mandate", fmt.Sprintf("up to %s, %s", money(inv.Token.MaxAmount, "INR"), inv.Token.Frequency)})
	}
	if inv.CancelledAt != 0 {
		rows = append(rows, [2]string{"cancelled", when(inv.CancelledAt)})
	}
	return rows
}
