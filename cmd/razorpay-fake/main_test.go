package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay/razorpaytest"
)

// TestMain runs the command itself when RAZORPAY_FAKE_RUN_MAIN is 1, so
// that a test can run it as a process: os.Args[1:] are its flags.
func TestMain(m *testing.M) {
	if os.Getenv("RAZORPAY_FAKE_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RAZORPAY_FAKE_RUN_MAIN=1")
	return cmd
}

// The command serves the fake with its banner, answers the control API,
// and stops on SIGTERM.
func TestServesAndStops(t *testing.T) {
	t.Parallel()
	cmd := command("-addr", "127.0.0.1:0", "-seed", "7", "--recurring-delay", "1h")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	lines := make(chan string, 32)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	var banner []string
	for line := range lines {
		banner = append(banner, line)
		if u, ok := strings.CutPrefix(line, "razorpay-fake listening on "); ok {
			base = u
		}
		if line == "Press Ctrl-C to stop." {
			break
		}
	}
	require.NotEmpty(t, base, "the banner says where it listens: %q", banner)
	assert.Contains(t, banner, "  export RAZORPAY_KEY_ID="+razorpaytest.KeyID)
	assert.Contains(t, banner, "  recurring payments stay pending at the bank for 1h0m0s of the fake's clock")

	ctx := context.Background()
	rem, err := razorpaytest.Dial(ctx, base)
	require.NoError(t, err)
	info, err := rem.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3600), info.RecurringDelay)
	bills, err := rem.SeedMandates(ctx, razorpaytest.SeedParams{Count: 2})
	require.NoError(t, err)
	assert.Len(t, bills, 2)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	var rest []string
	for line := range lines {
		rest = append(rest, line)
	}
	assert.Equal(t, []string{"razorpay-fake: shutting down"}, rest)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "exit 0")
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not stop")
	}
}

func TestBadUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-webhook-url", "http://127.0.0.1:1/"}, "razorpay-fake: --webhook-url needs --webhook-secret"},
		{[]string{"extra"}, `razorpay-fake: unexpected arguments ["extra"]`},
		{[]string{"-addr", "256.0.0.1:99999"}, "razorpay-fake: --addr: "},
	} {
		cmd := command(tc.args...)
		cmd.Env = append(cmd.Env, "RAZORPAY_WEBHOOK_SECRET=")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%q: %s", tc.args, out)
		assert.Equal(t, 2, exit.ExitCode(), "%q", tc.args)
		assert.Contains(t, string(out), tc.want, "%q", tc.args)
	}
}
