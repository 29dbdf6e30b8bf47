package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gorzp/razorpay"
)

// printJSON writes v as one indented JSON document.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printJSONLine writes v as one line of JSON lines.
func printJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table writes aligned columns.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// money formats an amount in the smallest unit: 49900 INR is "499.00 INR".
func money(amount int64, currency string) string {
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, amount/100, amount%100, currency)
}

// when formats Unix seconds in UTC, "" for 0.
func when(unix int64) string {
	if unix == 0 {
		return ""
	}
	return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04:05")
}

// paymentFields are the rows of one payment, for a key/value table.
func paymentFields(p *razorpay.Payment) [][2]string {
	rows := [][2]string{
		{"id", p.ID},
		{"status", string(p.Status)},
		{"amount", money(p.Amount, p.Currency)},
		{"order", p.OrderID},
		{"invoice", p.InvoiceID},
		{"method", string(p.Method)},
		{"customer", p.CustomerID},
		{"token", p.TokenID},
		{"email", p.Email},
		{"contact", p.Contact},
		{"description", p.Description},
		{"captured", fmt.Sprint(p.Captured)},
		{"refunded", refunded(p)},
		{"created", when(p.CreatedAt)},
	}
	if p.Card != nil {
		rows = append(rows, [2]string{"card", strings.TrimSpace(p.Card.Network + " " + p.Card.Type + " ****" + p.Card.Last4)})
	}
	if p.Status == razorpay.PaymentStatusFailed || p.ErrorCode != "" {
		rows = append(rows,
			[2]string{"error", strings.TrimSpace(p.ErrorCode + " " + razorpay.MaskCardNumbers(p.ErrorDescription))},
			[2]string{"error reason", strings.Trim(p.ErrorSource+"/"+p.ErrorStep+"/"+p.ErrorReason, "/")})
	}
	return rows
}

func refunded(p *razorpay.Payment) string {
	if p.AmountRefunded == 0 {
		return ""
	}
	return money(p.AmountRefunded, p.Currency)
}

// printFields writes key/value rows.
func printFields(w io.Writer, rows [][2]string) error {
	t := newTable(w)
	for _, r := range rows {
		t.row(r[0], r[1])
	}
	return t.flush()
}
