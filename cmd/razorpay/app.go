package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
)

// Exit codes, documented in the help.
const (
	exitOK      = 0 // done
	exitFailed  = 1 // failed
	exitUsage   = 2 // bad usage: a missing or bad flag, argument or input line
	exitUnknown = 3 // finished with outcomes still unknown: run it again later
)

// version goes into the User-Agent.
const version = "0.1.0"

// app is one run of the command: its streams, environment and clock.
type app struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	env      func(string) string
	now      func() time.Time
	terminal func(io.Writer) bool

	// jsonErrors prints errors as JSON on stderr (the run has --json).
	jsonErrors bool
	// baseURL is the API root of the run's client, for messages.
	baseURL string
}

// command is one subcommand.
type command struct {
	name    string
	summary string // one line, for the command list
	usage   string // the synopsis and details, for help NAME
	run     func(ctx context.Context, a *app, c *command, args []string) error
}

// commands returns every command, in the order the help lists them.
func commands() []*command {
	return []*command{
		fakeCommand(),
		listenCommand(),
		triggerCommand(),
		ordersCommand(),
		paymentsCommand(),
		tokensCommand(),
		linksCommand(),
		chargeCommand(),
		refundCommand(),
		billCommand(),
		webhookCommand(),
	}
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

const overview = `razorpay: Razorpay recurring card payments from the command line.

Usage:
  razorpay <command> [flags] [arguments]
  razorpay help <command>

Commands:
%s
Environment:
  RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET   the API key pair, like --key-id and --key-secret
  RAZORPAY_BASE_URL                      the API root, like --base-url (default https://api.razorpay.com)
  RAZORPAY_WEBHOOK_SECRET                the webhook secret, like --secret

Flags every command that calls the API takes:
  --key-id ID, --key-secret S   the key pair, instead of the environment (a flag
                                shows in the process list: prefer the environment)
  --live           allow live keys (rzp_live_...): without it only test keys run
  --base-url URL   the API root, such as the URL that 'razorpay fake' prints
  --json           JSON for scripts: one document per run (JSON lines for streams);
                   errors too, as {"error": {...}} on stderr

Exit codes:
  0  done: every bill has a final outcome (charged, already charged, pending,
     refunded, or not charged in a billing run)
  1  failed: authentication, an unreachable host, an API error, a run stopped
     early; charge: not charged; a receipt that cannot be read whole; webhook
     verify: invalid; fake verify: double charges
  2  bad usage: a missing or bad flag, argument or input line (named in the
     message), a receipt that belongs to another charge, live keys without --live
  3  finished with outcomes still unknown: run the same command again after
     resume_after (it never charges twice)

Secrets (your key secret, webhook secrets, signatures) are never printed, also
not with --json; only the fake prints its own fixed, public test key.
`

func (a *app) overview(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, overview, b.String())
}

// main dispatches args to a command and maps its error to an exit code.
func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.overview(a.stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if name == "help" && len(rest) > 0 {
			c := lookup(rest[0])
			if c == nil {
				fmt.Fprintf(a.stderr, "razorpay help: unknown command %q\nRun 'razorpay help' for the list.\n", rest[0])
				return exitUsage
			}
			fmt.Fprint(a.stdout, c.help())
			return exitOK
		}
		a.overview(a.stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintf(a.stdout, "razorpay %s\n", version)
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(a.stderr, "razorpay: unknown command %q\nRun 'razorpay help' for the list.\n", name)
		return exitUsage
	}
	a.jsonErrors = hasJSONFlag(rest)
	err := c.run(ctx, a, c, rest)
	return a.exit(c, err)
}

// hasJSONFlag reports whether args ask for JSON (--json, -json, --json=true).
func hasJSONFlag(args []string) bool {
	for _, arg := range args {
		switch arg {
		case "--json", "-json", "--json=true", "-json=true":
			return true
		case "--":
			return false
		}
	}
	return false
}

// help is the text of 'razorpay help NAME'.
func (c *command) help() string {
	return "razorpay " + c.name + ": " + c.summary + "\n\nUsage:\n" + c.usage
}

// usageError is bad usage: the message names the flag, argument or line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError is an exit code whose message, if any, was already printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// errHelp asks for the command's help on stdout and exit 0.
var errHelp = flag.ErrHelp

// exit prints err and returns its exit code, by the table of the help.
// Authentication and an unreachable host come first: whatever the command,
// they are failures (1) with a message that says what to fix.
func (a *app) exit(c *command, err error) int {
	var ee exitError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		fmt.Fprint(a.stdout, c.help())
		return exitOK
	case errors.As(err, &ee):
		return int(ee)
	}
	code, kind, msg, hint := a.describe(c, err)
	a.printError(c.name, kind, msg, hint, code)
	return code
}

// describe maps an error to its exit code, its kind for --json, its
// message and a hint (or "").
func (a *app) describe(c *command, err error) (code int, kind, msg, hint string) {
	var ue *usageError
	var ve *razorpay.ValidationError
	var ke *kindError
	switch {
	case errors.As(err, &ke):
		code, kind, msg = ke.code, ke.kind, ke.msg
	case errors.As(err, &ue):
		code, kind, msg, hint = exitUsage, "usage", ue.msg, fmt.Sprintf("Run 'razorpay help %s' for usage.", c.name)
	case errors.As(err, &ve):
		code, kind, msg, hint = exitUsage, "usage", fmt.Sprintf("invalid %s: %s", flagName(ve.Field), ve.Message), fmt.Sprintf("Run 'razorpay help %s' for usage.", c.name)
	case errors.Is(err, razorpay.ErrAuthentication):
		code, kind, msg = exitFailed, "authentication", authMessage
	case unreachable(err):
		code, kind, msg = exitFailed, "unreachable", a.unreachableMessage(err)
	case errors.Is(err, razorpay.ErrOutcomeUnknown):
		code, kind, msg, hint = exitUnknown, "unknown", reason(err), "The outcome is unknown: look it up before trying again."
	default:
		code, kind, msg = exitFailed, "failed", reason(err)
	}
	return code, kind, msg, hint
}

// authMessage is what an authentication failure says, for every command.
const authMessage = "authentication failed: Razorpay refused the key pair; check --key-id and --key-secret " +
	"(or RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET), and that they are of the mode (test or live) you mean"

// unreachableMessage says that the API root could not be reached.
func (a *app) unreachableMessage(err error) string {
	return fmt.Sprintf("cannot reach %s: %s", cmp.Or(a.baseURL, "the API"), reason(err))
}

// printError prints an error line (and a hint), or with --json one JSON
// document on stderr: {"error": {"command", "kind", "message", "exit_code"}}.
func (a *app) printError(command, kind, msg, hint string, code int) {
	if a.jsonErrors {
		printJSON(a.stderr, map[string]any{"error": map[string]any{ //nolint:errcheck // best effort on stderr
			"command": command, "kind": kind, "message": msg, "exit_code": code}})
		return
	}
	fmt.Fprintf(a.stderr, "razorpay %s: %s\n", command, msg)
	if hint != "" {
		fmt.Fprintln(a.stderr, hint)
	}
}

// unreachable reports whether err is a failure to reach the API's host:
// no connection (refused, unroutable) or a name that does not resolve.
func unreachable(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// flagName turns a params field ("customer_id", "subscription_registration.max_amount")
// into the flag that sets it, when there is one.
func flagName(field string) string {
	known := map[string]string{
		"customer_id": "--customer", "token": "--token", "amount": "--amount",
		"currency": "--currency", "receipt": "--receipt", "email": "--email",
		"contact": "--contact", "description": "--description",
		"customer.name": "--name", "customer.email": "--email", "customer.contact": "--contact",
		"subscription_registration.max_amount": "--max-amount",
		"subscription_registration.frequency":  "--frequency",
		"subscription_registration.expire_at":  "--mandate-expire-at",
		"expire_by":                            "--expire-by",
	}
	if f, ok := known[field]; ok {
		return f
	}
	return field
}

// flags is a command's flag set with the flags every API command shares.
type flags struct {
	*flag.FlagSet
	json      bool
	baseURL   string
	keyID     string
	keySecret string
	live      bool
}

// newFlags returns the flag set of c; api adds --base-url, --json,
// --key-id, --key-secret and --live.
func newFlags(c *command, api bool) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet(c.name, flag.ContinueOnError)}
	fs.SetOutput(io.Discard)
	if api {
		fs.StringVar(&fs.baseURL, "base-url", "", "API root, such as a fake's URL")
		fs.BoolVar(&fs.json, "json", false, "print JSON")
		fs.StringVar(&fs.keyID, "key-id", "", "API key id (default $RAZORPAY_KEY_ID)")
		fs.StringVar(&fs.keySecret, "key-secret", "", "API key secret (default $RAZORPAY_KEY_SECRET)")
		fs.BoolVar(&fs.live, "live", false, "allow live keys (rzp_live_...)")
	}
	return fs
}

// parse parses flags and positional arguments in any order and checks the
// number of positional arguments (max < 0: any).
func (fs *flags) parse(args []string, min, max int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &usageError{msg: strings.TrimPrefix(err.Error(), "flag provided but not defined: ")}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case len(pos) < min:
		return nil, usagef("missing arguments (want %d, got %d)", min, len(pos))
	case max >= 0 && len(pos) > max:
		return nil, usagef("unexpected arguments %q", pos[max:])
	}
	return pos, nil
}

// required reports the first of the named string flags that is empty.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return usagef("%s is required", pairs[i])
		}
	}
	return nil
}

// liveKeyPrefix starts the key ids of live mode, which moves real money.
const liveKeyPrefix = "rzp_live_"

// client builds the SDK client from --key-id and --key-secret (or the
// environment) and --base-url. Live keys need --live.
func (a *app) client(fs *flags) (*razorpay.Client, error) {
	id, secret := cmp.Or(fs.keyID, a.env("RAZORPAY_KEY_ID")), cmp.Or(fs.keySecret, a.env("RAZORPAY_KEY_SECRET"))
	if id == "" || secret == "" {
		return nil, usagef("set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET, or --key-id and --key-secret (for a local fake, run 'razorpay fake' and use the keys it prints)")
	}
	if strings.HasPrefix(id, liveKeyPrefix) && !fs.live {
		return nil, usagef("the key id is a live key (%s...): live mode moves real money, so it needs --live; test keys (rzp_test_...) need nothing", liveKeyPrefix)
	}
	opts := []razorpay.Option{razorpay.WithAppInfo("razorpay-cli", version)}
	a.baseURL = cmp.Or(fs.baseURL, a.env("RAZORPAY_BASE_URL"), razorpay.DefaultBaseURL)
	opts = append(opts, razorpay.WithBaseURL(a.baseURL))
	return razorpay.NewClient(id, secret, opts...), nil
}

// input opens the --in argument: "-" is standard input. A file that
// cannot be opened is a usage error naming the flag.
func (a *app) input(in string) (io.Reader, func(), error) {
	if in == "-" {
		return a.stdin, func() {}, nil
	}
	f, err := os.Open(in)
	if err != nil {
		return nil, nil, usagef("--in: %v", err)
	}
	return f, func() { _ = f.Close() }, nil
}

// webhookSecret is --secret, or RAZORPAY_WEBHOOK_SECRET.
func (a *app) webhookSecret(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return a.env("RAZORPAY_WEBHOOK_SECRET")
}
