// Package testkit holds the helpers that the test kits of several packages
// of this module share: package razorpay's internal kit (kit_test.go) and
// external kit (kit_external_test.go), and the tests of razorpaytest. It
// imports neither package razorpay nor razorpaytest, so that the internal
// tests of package razorpay can use it without an import cycle, and it is
// imported by tests only.
package testkit

import (
	"context"
	"runtime"
	"syscall"
	"time"
)

// TB is what the helpers need of a test; testing.TB satisfies it.
type TB interface {
	Helper()
	Cleanup(func())
}

// Context returns a context that ends when the test ends, or after within
// (30 s when not given): the deadline of a call that must end well before
// it, so that a broken timeout fails the test rather than hanging it.
func Context(tb TB, within ...time.Duration) context.Context {
	tb.Helper()
	d := 30 * time.Second
	if len(within) > 0 {
		d = within[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// ProcessCPU returns the CPU time (user and system) the process has used,
// or 0 when the system does not say. Benchmarks report it per operation:
// on a shared machine it varies less than the wall time.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// SettleGoroutines waits until the process runs at most limit goroutines,
// or until within has passed, and returns the last count. A goroutine that
// ends signals nothing, so it polls the count every 10 ms.
func SettleGoroutines(limit int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := runtime.NumGoroutine()
		if n <= limit || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond) // a poll: goroutines that end signal nothing
	}
}
