package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
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

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testClock is the fake's clock in golden tests.
var testClock = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

// newFake starts a deterministic fake: seeded ids, a fixed clock.
func newFake(t *testing.T, opts ...razorpaytest.Option) *razorpaytest.Server {
	t.Helper()
	all := append([]razorpaytest.Option{razorpaytest.WithSeed(7), razorpaytest.WithClock(func() time.Time { return testClock })}, opts...)
	srv := razorpaytest.NewServer(all...)
	require.NoError(t, srv.Err())
	t.Cleanup(srv.Close)
	return srv
}

// fakeEnv is the environment of a run against srv.
func fakeEnv(srv *razorpaytest.Server) map[string]string {
	return map[string]string{
		"RAZORPAY_KEY_ID":     srv.KeyID,
		"RAZORPAY_KEY_SECRET": srv.KeySecret,
		"RAZORPAY_BASE_URL":   srv.URL,
	}
}

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// onWrite, if set, sees every write.
	onWrite func(p []byte)
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.buf.Write(p)
	f := b.onWrite
	b.mu.Unlock()
	if f != nil {
		f(p)
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cli is one in-process run of the command.
type cli struct {
	stdout, stderr string
	code           int
}

// runCLI runs the command with env and stdin and returns what it printed
// and its exit code.
func runCLI(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) cli {
	t.Helper()
	var stdout, stderr syncBuffer
	code := run(ctx, args, strings.NewReader(stdin), &stdout, &stderr, func(k string) string { return env[k] })
	return cli{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// requestIDRE matches the request ids in error texts, which the fake draws
// at random even with WithSeed.
var requestIDRE = regexp.MustCompile(`\[request id [A-Za-z0-9]+\]`)

// chargeNoteRE matches the note Charge keeps on its orders, a random
// value.
var chargeNoteRE = regexp.MustCompile(`"(` + regexp.QuoteMeta(razorpay.ChargeNoteKey) + `)": "[^"]*"`)

// golden compares got with testdata/name, after replacing each old string
// of replace with its new one; -update rewrites the file.
func golden(t *testing.T, name, got string, replace ...string) {
	t.Helper()
	got = strings.NewReplacer(replace...).Replace(got)
	got = requestIDRE.ReplaceAllString(got, "[request id REQUEST_ID]")
	got = chargeNoteRE.ReplaceAllString(got, `"${1}": "CHARGE_NOTE"`)
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "%s differs (go test -update refreshes it)", path)
}

// noSecrets checks that no output of a run shows a secret.
func noSecrets(t *testing.T, r cli, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.NotContains(t, r.stdout, s, "stdout shows a secret")
		assert.NotContains(t, r.stderr, s, "stderr shows a secret")
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := runCLI(t, ctx, nil, "", "help")
	assert.Equal(t, exitOK, r.code)
	golden(t, "help.golden", r.stdout)

	r = runCLI(t, ctx, nil, "")
	assert.Equal(t, exitUsage, r.code, "no command is bad usage")
	assert.Contains(t, r.stderr, "Commands:")

	r = runCLI(t, ctx, nil, "", "frobnicate")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown command "frobnicate"`)

	r = runCLI(t, ctx, nil, "", "help", "frobnicate")
	assert.Equal(t, exitUsage, r.code)

	for _, c := range commands() {
		help := runCLI(t, ctx, nil, "", "help", c.name)
		assert.Equal(t, exitOK, help.code, c.name)
		assert.Contains(t, help.stdout, "razorpay "+c.name, c.name)
		for _, h := range []string{"-h", "--help"} {
			r := runCLI(t, ctx, nil, "", c.name, h)
			assert.Equal(t, exitOK, r.code, "%s %s", c.name, h)
			assert.Equal(t, help.stdout, r.stdout, "%s %s prints the help", c.name, h)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"charge", "--token", "token_1", "--amount", "100", "--receipt", "r"}, env, "--customer is required"},
		{[]string{"charge", "--customer", "cust_1", "--token", "token_1", "--receipt", "r"}, env, "--amount is required"},
		{[]string{"charge", "--customer", "cust_1", "--token", "token_1", "--amount", "100", "--receipt", strings.Repeat("r", 41), "--email", "a@example.com", "--contact", "+919000090000"}, env, "invalid --receipt"},
		{[]string{"charge", "--customer", "cust_1", "--token", "token_1", "--amount", "100", "--receipt", "r"}, nil, "set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET"},
		{[]string{"charge", "--bogus"}, env, "-bogus"},
		{[]string{"orders", "extra"}, env, `unexpected arguments ["extra"]`},
		{[]string{"payments"}, env, "missing arguments"},
		{[]string{"payments", "get"}, env, "payments get needs a PAYMENT_ID"},
		{[]string{"payments", "list"}, env, "--order is required"},
		{[]string{"tokens", "list"}, env, "missing arguments"},
		{[]string{"tokens", "delete", "cust_1"}, env, "tokens delete needs CUSTOMER_ID and TOKEN_ID"},
		{[]string{"links", "create", "--name", "A"}, env, "--email is required"},
		{[]string{"links", "notify", "inv_1", "--via", "fax"}, env, `--via must be sms or email, got "fax"`},
		{[]string{"links", "burn", "inv_1"}, env, `unknown subcommand "burn"`},
		{[]string{"bill"}, env, "--in is required"},
		{[]string{"bill", "--in", "testdata/no-such-file.csv"}, env, "--in: open testdata/no-such-file.csv"},
		{[]string{"bill", "--in", "x.csv", "--workers", "0"}, env, "--workers must be 1 to 64"},
		{[]string{"trigger", "payment.refunded", "--forward-to", "http://127.0.0.1:1/", "--secret", "s"}, nil, `unknown event "payment.refunded"`},
		{[]string{"trigger", "--forward-to", "http://127.0.0.1:1/", "--secret", "s"}, nil, "which EVENT?"},
		{[]string{"trigger", "token.confirmed", "--secret", "s"}, nil, "--forward-to is required"},
		{[]string{"trigger", "token.confirmed", "--forward-to", "http://127.0.0.1:1/"}, nil, "--secret is required"},
		{[]string{"listen", "--secret", "s"}, nil, "--forward-to is required"},
		{[]string{"fake", "--webhook-url", "http://127.0.0.1:1/"}, nil, "--webhook-url needs --webhook-secret"},
		{[]string{"fake", "--addr", "256.0.0.1:99999"}, nil, "--addr:"},
		{[]string{"webhook", "verify", "--signature", "abc"}, nil, "--secret is required"},
		{[]string{"webhook", "verify", "--secret", "s"}, nil, "--signature is required"},
		{[]string{"webhook", "check"}, nil, `unknown subcommand "check"`},
		{[]string{"links", "get"}, env, "links get needs a LINK_ID"},
		{[]string{"links", "list", "extra"}, env, `unexpected arguments ["extra"]`},
		{[]string{"links", "list", "--count", "0"}, env, "--count must be 1 to 100"},
		{[]string{"bill", "--in", "x.csv", "--key-id", "rzp_live_X", "--key-secret", "s"}, nil, "needs --live"},
		{[]string{"fake", "frobnicate"}, nil, `unknown subcommand "frobnicate" (want no subcommand to serve, or one of mandates, clock, payments, verify, decline, hold, rules, fail, capture, mandate)`},
		{[]string{"fake", "--recurring-delay", "-1h"}, nil, "--recurring-delay must not be negative"},
		{[]string{"fake", "mandates"}, nil, "-n must be 1 to 10000, got 0"},
		{[]string{"fake", "clock", "advance"}, nil, "clock advance needs a DURATION"},
		{[]string{"fake", "clock", "advance", "0s"}, nil, `"0s" is not a positive duration`},
		{[]string{"fake", "clock", "back"}, nil, `unknown clock subcommand "back"`},
		{[]string{"fake", "payments"}, nil, "payments needs a RECEIPT"},
		{[]string{"fake", "fail"}, nil, "fail needs a PAYMENT_ID or --receipt"},
		{[]string{"fake", "fail", "pay_X", "--receipt", "r"}, nil, "fail needs a PAYMENT_ID or --receipt"},
		{[]string{"fake", "capture", "pay_X", "--reason", "r"}, nil, "--reason goes with fail"},
		{[]string{"fake", "hold"}, nil, "hold needs one of PAYMENT_ID, --receipt, --token or --all"},
		{[]string{"fake", "decline", "--receipt", "r", "--all"}, nil, "decline needs one of --receipt, --token or --all"},
		{[]string{"fake", "decline", "pay_X"}, nil, `unexpected arguments ["pay_X"]`},
		{[]string{"fake", "decline", "--all", "--times", "0"}, nil, "--times must not be 0"},
		{[]string{"fake", "rules", "flush"}, nil, `unknown rules subcommand "flush"`},
		{[]string{"fake", "mandate", "token_X", "--status", "frozen"}, nil, `--status must be cancelled, paused, confirmed or rejected, got "frozen"`},
		{[]string{"fake", "mandate"}, nil, "mandate needs a TOKEN_ID"},
	} {
		r := runCLI(t, ctx, tc.env, "", tc.args...)
		assert.Equal(t, exitUsage, r.code, "%q: exit code; stderr: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, "%q", tc.args)
		assert.Contains(t, r.stderr, "Run 'razorpay help "+tc.args[0]+"' for usage.", "%q", tc.args)
		assert.Empty(t, r.stdout, "%q: nothing on stdout", tc.args)
	}
	assert.Empty(t, srv.Requests(), "bad usage sends nothing")
}
