// Command razorpay is a command-line tool for Razorpay recurring card
// payments, built on package razorpay and its in-memory fake, razorpaytest:
// a local fake Razorpay, webhook forwarding and triggers for developers, and
// lookups, fixes, one-off charges and exactly-once billing runs for operators.
//
//	go install github.com/gorzp/razorpay/cmd/razorpay@latest
//	razorpay help
//
// Keys come from RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET; --base-url (or
// RAZORPAY_BASE_URL) points the tool at a fake. Output is a table for people
// by default and JSON with --json. Exit codes: 0 done, 1 failed, 2 bad usage,
// 3 finished with outcomes still unknown (run the same command again later).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C, commands stop cleanly; restoring the
		// default lets a second one end the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole command: it parses args, runs one command and returns the
// process's exit code. Tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	a := &app{
		stdin:    stdin,
		stdout:   stdout,
		stderr:   stderr,
		env:      env,
		now:      time.Now,
		terminal: isTerminal,
	}
	return a.main(ctx, args)
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
