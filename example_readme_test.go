package razorpay_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// TestREADMEMonthlyCharge is the test shown in the README, under "Testing
// your code with razorpaytest" (there named TestMonthlyCharge), so that the
// snippet readers copy compiles and passes. TestREADMESnippet keeps the two
// identical.
func TestREADMEMonthlyCharge(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t) // closed when the test ends
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 500_000) // a customer whose card mandate is confirmed
	if err != nil {
		t.Fatal(err)
	}
	p, err := srv.Client().Payment.Charge(ctx, &razorpay.ChargeParams{CustomerID: m.CustomerID, TokenID: m.TokenID,
		Amount: 29_900, Currency: "INR", Email: m.Email, Contact: m.Contact, Receipt: "t-2026-11"})
	if err != nil || p.Status != razorpay.PaymentStatusCaptured {
		t.Fatalf("Charge = %v, %v; want a captured payment", p, err)
	}
}

// TestREADMESnippet checks that the README's test snippet has the same body
// as TestREADMEMonthlyCharge.
func TestREADMESnippet(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Testing your code with razorpaytest\n")
	if !ok {
		t.Fatal(`README.md has no section "Testing your code with razorpaytest"`)
	}
	got := funcBody(t, section, "func TestMonthlyCharge(t *testing.T) {\n")
	want := funcBody(t, string(src), "func TestREADMEMonthlyCharge(t *testing.T) {\n")
	if got != want {
		t.Errorf("the README's TestMonthlyCharge differs from TestREADMEMonthlyCharge in example_readme_test.go; make them the same.\nREADME:\n%s\nexample_readme_test.go:\n%s", got, want)
	}
}

// funcBody returns the lines between a function's header and its closing
// brace at the start of a line.
func funcBody(t *testing.T, text, header string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, header)
	if !ok {
		t.Fatalf("%q not found", strings.TrimSpace(header))
	}
	body, _, ok := strings.Cut(rest, "\n}\n")
	if !ok {
		t.Fatalf("no closing brace after %q", strings.TrimSpace(header))
	}
	return body
}
