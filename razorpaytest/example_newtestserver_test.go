package razorpaytest_test

import (
	"context"
	"fmt"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// A test starts a fake of its own with NewTestServer(t), which closes it
// when the test ends. Here exampleT plays the test's *testing.T.
func ExampleNewTestServer() {
	t := &exampleT{} // in a test: func TestMonthlyCharge(t *testing.T)
	srv := razorpaytest.NewTestServer(t)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 500_000) // a customer whose card mandate is confirmed
	if err != nil {
		t.Fatalf("NewMandate: %v", err)
	}
	p, err := srv.Client().Payment.Charge(ctx, &razorpay.ChargeParams{CustomerID: m.CustomerID, TokenID: m.TokenID,
		Amount: 29_900, Currency: "INR", Email: m.Email, Contact: m.Contact, Receipt: "t-2026-11"})
	if err != nil {
		t.Fatalf("Charge: %v", err)
	}
	fmt.Println("charge:", p.Status, p.Amount)

	t.end() // the test ends: the testing package runs its cleanups
	_, err = srv.Client().Customer.List(ctx, nil)
	fmt.Println("the fake answers after the test:", err == nil)
	// Output:
	// charge: captured 29900
	// the fake answers after the test: false
}

// exampleT stands for the *testing.T that go test passes to a test: it
// keeps the functions given to Cleanup and runs them, last first, when the
// test ends.
type exampleT struct{ cleanups []func() }

func (t *exampleT) Helper()          {}
func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

// Fatalf stops the example as t.Fatalf stops a test.
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (t *exampleT) end() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
