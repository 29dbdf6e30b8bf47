package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

// Keys from flags; live keys only with --live.
func TestCredentials(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	ctx := context.Background()
	m, p := charged(t, srv, "sub_1-2026-11")
	base := []string{"payments", "get", p.ID, "--base-url", srv.URL}

	r := runCLI(t, ctx, nil, "", append(base, "--key-id", srv.KeyID, "--key-secret", srv.KeySecret)...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	noSecrets(t, r, srv.KeySecret)

	// The flags win over the environment.
	env := map[string]string{"RAZORPAY_KEY_ID": srv.KeyID, "RAZORPAY_KEY_SECRET": "wrong-secret-123"}
	r = runCLI(t, ctx, env, "", append(base, "--key-secret", srv.KeySecret)...)
	assert.Equal(t, exitOK, r.code, r.stderr)

	// Live keys are refused before anything is sent, unless --live.
	srv.ResetRequests()
	live := map[string]string{"RAZORPAY_KEY_ID": "rzp_live_AbCdEf123", "RAZORPAY_KEY_SECRET": "live-secret-123"}
	for _, args := range [][]string{base, chargeArgs(m, "sub_2-2026-11", "--base-url", srv.URL), {"bill", "--in", "-", "--base-url", srv.URL}} {
		r = runCLI(t, ctx, live, billHeader, args...)
		assert.Equal(t, exitUsage, r.code, "%q", args)
		assert.Contains(t, r.stderr, "the key id is a live key (rzp_live_...): live mode moves real money, so it needs --live", "%q", args)
		noSecrets(t, r, "live-secret-123")
	}
	assert.Empty(t, srv.Requests(), "nothing sent with live keys and no --live")
	r = runCLI(t, ctx, live, "", append(base, "--live")...)
	assert.Equal(t, exitFailed, r.code, "--live sends them (and the fake refuses them)")
	assert.Contains(t, r.stderr, "razorpay payments: authentication failed")
	assert.Len(t, srv.Requests(), 1)
}
