package main

import (
	"os"
	"testing"
)

// TestMain runs the command itself instead of the tests when
// RAZORPAY_CLI_RUN_MAIN is 1, so that a test can run it as a process (and
// send it signals) without building it: os.Args[1:] are its arguments.
func TestMain(m *testing.M) {
	if os.Getenv("RAZORPAY_CLI_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
