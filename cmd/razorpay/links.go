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
		summary: "registration links: create one, look them up, send one again, or cancel it",
		usage: `  razorpay links create --name N --email E --contact C --max-amount PAISE
        [--amount PAISE] [--currency INR] [--frequency monthly] [--description D]
        [--receipt R] [--expire-by UNIX] [--mandate-expire-at UNIX] [--notify] [--json]
  razorpay links get LINK_ID [--json]
  razorpay links list [--count 10] [--receipt R] [--json]
  razorpay links notify LINK_ID --via sms|email [--json]
  razorpay links cancel LINK_ID [--json]

create makes a registration link: the customer opens its short URL, pays
--amount (default 100 paise, 1.00 INR) and approves a card mandate of up to --max-amount a debit.
--notify has Razorpay send it by SMS and email. get shows one link (its
status, its mandate), list the latest --count links (or those of --receipt);
notify sends a link again; cancel cancels an issued link.
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
	count := fs.Int("count", 10, "how many of the latest links (list, 1-100)")
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
	case "get", "notify", "cancel":
		if len(pos) != 2 {
			return usagef("links %s needs a LINK_ID", sub)
		}
		if sub == "notify" && *via != "sms" && *via != "email" {
			return usagef("--via must be sms or email, got %q", *via)
		}
	case "list":
		if len(pos) != 1 {
			return usagef("unexpected arguments %q", pos[1:])
		}
		if *receipt == "" && (*count < 1 || *count > 100) {
			return usagef("--count must be 1 to 100, got %d", *count)
		}
	default:
		return usagef("unknown subcommand %q (want create, get, list, notify or cancel)", sub)
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
	case "get":
		inv, err = client.Invoice.Fetch(ctx, pos[1])
	case "list":
		return listLinks(ctx, a, fs, client, *receipt, *count)
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

// listLinks prints the latest registration links, or every link of a
// receipt.
func listLinks(ctx context.Context, a *app, fs *flags, client *razorpay.Client, receipt string, count int) error {
	params := &razorpay.InvoiceListParams{Type: razorpay.InvoiceTypeLink, Receipt: receipt}
	var links []razorpay.Invoice
	if receipt != "" {
		for inv, err := range client.Invoice.All(ctx, params) {
			if err != nil {
				return err
			}
			links = append(links, inv)
		}
	} else {
		params.Count = count
		list, err := client.Invoice.List(ctx, params)
		if err != nil {
			return err
		}
		links = list.Items
	}
	if fs.json {
		if links == nil {
			links = []razorpay.Invoice{}
		}
		return printJSON(a.stdout, links)
	}
	if len(links) == 0 {
		fmt.Fprintln(a.stdout, "No registration links.")
		return nil
	}
	t := newTable(a.stdout, "LINK", "STATUS", "CUSTOMER", "AMOUNT", "RECEIPT", "SHORT URL", "CREATED")
	for _, inv := range links {
		t.row(inv.ID, string(inv.Status), strings.TrimSpace(inv.CustomerID+" "+inv.CustomerDetails.Email),
			money(inv.Amount, inv.Currency), inv.Receipt, inv.ShortURL, when(inv.CreatedAt))
	}
	return t.flush()
}
