package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/gorzp/razorpay"
)

func ordersCommand() *command {
	return &command{
		name:    "orders",
		summary: "list orders, such as every order of a bill's receipt, with their payments",
		usage: `  razorpay orders --receipt R [--json]
  razorpay orders [--count N] [--json]

With --receipt, every order that carries the receipt (all pages), each with
its payments: what a bill was charged. Without it, the latest --count orders
(default 10).
`,
		run: runOrders,
	}
}

func runOrders(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	receipt := fs.String("receipt", "", "the bill's receipt")
	count := fs.Int("count", 10, "how many of the latest orders, without --receipt (1-100)")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if *receipt == "" && (*count < 1 || *count > 100) {
		return usagef("--count must be 1 to 100, got %d", *count)
	}
	client, err := a.client(fs)
	if err != nil {
		return err
	}
	params := &razorpay.OrderListParams{Receipt: *receipt, Expand: []string{razorpay.ExpandPayments}}
	var orders []razorpay.Order
	if *receipt != "" {
		for o, err := range client.Order.All(ctx, params) {
			if err != nil {
				return err
			}
			orders = append(orders, o)
		}
	} else {
		params.Count = *count
		list, err := client.Order.List(ctx, params)
		if err != nil {
			return err
		}
		orders = list.Items
	}
	if fs.json {
		if orders == nil {
			orders = []razorpay.Order{}
		}
		return printJSON(a.stdout, orders)
	}
	if len(orders) == 0 {
		if *receipt != "" {
			fmt.Fprintf(a.stdout, "No order carries receipt %q: that bill was never charged.\n", *receipt)
		} else {
			fmt.Fprintln(a.stdout, "No orders.")
		}
		return nil
	}
	t := newTable(a.stdout, "ORDER", "STATUS", "AMOUNT", "RECEIPT", "CREATED", "PAYMENTS")
	for _, o := range orders {
		t.row(o.ID, string(o.Status), money(o.Amount, o.Currency), o.Receipt, when(o.CreatedAt), paymentsCell(o.Payments))
	}
	return t.flush()
}

// paymentsCell lists payments as "pay_X captured, pay_Y failed".
func paymentsCell(l *razorpay.List[razorpay.Payment]) string {
	if l == nil || len(l.Items) == 0 {
		return ""
	}
	parts := make([]string, len(l.Items))
	for i, p := range l.Items {
		parts[i] = p.ID + " " + string(p.Status)
	}
	return strings.Join(parts, ", ")
}

func paymentsCommand() *command {
	return &command{
		name:    "payments",
		summary: "look up a payment, the payments of an order, or a payment's refunds",
		usage: `  razorpay payments get PAYMENT_ID [--json]
  razorpay payments list --order ORDER_ID [--json]
  razorpay payments refunds PAYMENT_ID [--json]
`,
		run: runPayments,
	}
}

func runPayments(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	orderID := fs.String("order", "", "the order whose payments to list")
	pos, err := fs.parse(args, 1, 2)
	if err != nil {
		return err
	}
	switch pos[0] {
	case "get":
		if len(pos) != 2 {
			return usagef("payments get needs a PAYMENT_ID")
		}
		client, err := a.client(fs)
		if err != nil {
			return err
		}
		p, err := client.Payment.Fetch(ctx, pos[1])
		if err != nil {
			return err
		}
		if fs.json {
			return printJSON(a.stdout, p)
		}
		return printFields(a.stdout, paymentFields(p))
	case "list":
		if len(pos) != 1 {
			return usagef("unexpected arguments %q", pos[1:])
		}
		if err := required("--order", *orderID); err != nil {
			return err
		}
		client, err := a.client(fs)
		if err != nil {
			return err
		}
		list, err := client.Order.Payments(ctx, *orderID)
		if err != nil {
			return err
		}
		if fs.json {
			return printJSON(a.stdout, list.Items)
		}
		t := newTable(a.stdout, "PAYMENT", "STATUS", "AMOUNT", "METHOD", "TOKEN", "CREATED", "ERROR")
		for _, p := range list.Items {
			t.row(p.ID, string(p.Status), money(p.Amount, p.Currency), string(p.Method), p.TokenID, when(p.CreatedAt), razorpay.MaskCardNumbers(p.ErrorDescription))
		}
		return t.flush()
	case "refunds":
		if len(pos) != 2 {
			return usagef("payments refunds needs a PAYMENT_ID")
		}
		return runPaymentRefunds(ctx, a, fs, pos[1])
	}
	return usagef("unknown subcommand %q (want get, list or refunds)", pos[0])
}

func tokensCommand() *command {
	return &command{
		name:    "tokens",
		summary: "list a customer's card mandates (tokens), or delete one",
		usage: `  razorpay tokens list CUSTOMER_ID [--json]
  razorpay tokens delete CUSTOMER_ID TOKEN_ID [--json]

list shows each token's mandate status (confirmed tokens can be charged),
its card and its limit. delete removes a token: it cannot be charged again.
`,
		run: runTokens,
	}
}

func runTokens(ctx context.Context, a *app, c *command, args []string) error {
	fs := newFlags(c, true)
	pos, err := fs.parse(args, 2, 3)
	if err != nil {
		return err
	}
	switch pos[0] {
	case "list":
		if len(pos) != 2 {
			return usagef("unexpected arguments %q", pos[2:])
		}
		client, err := a.client(fs)
		if err != nil {
			return err
		}
		list, err := client.Token.List(ctx, pos[1])
		if err != nil {
			return err
		}
		if fs.json {
			return printJSON(a.stdout, list.Items)
		}
		if len(list.Items) == 0 {
			fmt.Fprintf(a.stdout, "Customer %s has no tokens.\n", pos[1])
			return nil
		}
		t := newTable(a.stdout, "TOKEN", "MANDATE", "CHARGEABLE", "CARD", "MAX AMOUNT", "CREATED", "EXPIRES")
		for _, tk := range list.Items {
			card := ""
			if tk.Card != nil {
				card = strings.TrimSpace(tk.Card.Network + " ****" + tk.Card.Last4)
			}
			mandate := string(tk.MandateStatus())
			if r := tk.RecurringDetails.FailureReason; r != "" {
				mandate += " (" + r + ")"
			}
			t.row(tk.ID, mandate, yesNo(tk.Chargeable()), card, maxAmount(tk), when(tk.CreatedAt), when(tk.ExpiredAt))
		}
		return t.flush()
	case "delete":
		if len(pos) != 3 {
			return usagef("tokens delete needs CUSTOMER_ID and TOKEN_ID")
		}
		client, err := a.client(fs)
		if err != nil {
			return err
		}
		if err := client.Token.Delete(ctx, pos[1], pos[2]); err != nil {
			return err
		}
		if fs.json {
			return printJSON(a.stdout, map[string]any{"deleted": true, "customer_id": pos[1], "token_id": pos[2]})
		}
		fmt.Fprintf(a.stdout, "Deleted token %s of customer %s.\n", pos[2], pos[1])
		return nil
	}
	return usagef("unknown subcommand %q (want list or delete)", pos[0])
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func maxAmount(tk razorpay.Token) string {
	if tk.MaxAmount == 0 {
		return ""
	}
	return money(tk.MaxAmount, "INR")
}
