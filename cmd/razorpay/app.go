package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
  RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET   the API key pair (test or live)
  RAZORPAY_BASE_URL                      the API root, like --base-url (default https://api.razorpay.com)
  RAZORPAY_WEBHOOK_SECRET                the webhook secret, like --secret

Flags every command that calls the API takes:
  --base-url URL   the API root, such as the URL that 'razorpay fake' prints
  --json           JSON for scripts: one document per run (JSON lines for streams)

Exit codes:
  0  done
  1  failed
  2  bad usage: a missing or bad flag, argument or input line (named in the message)
  3  finished with outcomes still unknown: run the same command again later

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
	err := c.run(ctx, a, c, rest)
	return a.exit(c, err)
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

// exit prints err and returns its exit code.
func (a *app) exit(c *command, err error) int {
	var ue *usageError
	var ee exitError
	var ve *razorpay.ValidationError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		fmt.Fprint(a.stdout, c.help())
		return exitOK
	case errors.As(err, &ee):
		return int(ee)
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "razorpay %s: %s\nRun 'razorpay help %s' for usage.\n", c.name, ue.msg, c.name)
		return exitUsage
	case errors.As(err, &ve):
		fmt.Fprintf(a.stderr, "razorpay %s: invalid %s: %s\nRun 'razorpay help %s' for usage.\n", c.name, flagName(ve.Field), ve.Message, c.name)
		return exitUsage
	case errors.Is(err, razorpay.ErrOutcomeUnknown):
		fmt.Fprintf(a.stderr, "razorpay %s: %v\nThe outcome is unknown: look it up before trying again.\n", c.name, err)
		return exitUnknown
	default:
		fmt.Fprintf(a.stderr, "razorpay %s: %v\n", c.name, err)
		return exitFailed
	}
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
	json    bool
	baseURL string
}

// newFlags returns the flag set of c; api adds --base-url and --json.
func newFlags(c *command, api bool) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet(c.name, flag.ContinueOnError)}
	fs.SetOutput(io.Discard)
	if api {
		fs.StringVar(&fs.baseURL, "base-url", "", "API root, such as a fake's URL")
		fs.BoolVar(&fs.json, "json", false, "print JSON")
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

// client builds the SDK client from the environment and --base-url.
func (a *app) client(fs *flags) (*razorpay.Client, error) {
	id, secret := a.env("RAZORPAY_KEY_ID"), a.env("RAZORPAY_KEY_SECRET")
	if id == "" || secret == "" {
		return nil, usagef("set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET (for a local fake, run 'razorpay fake' and use the keys it prints)")
	}
	opts := []razorpay.Option{razorpay.WithAppInfo("razorpay-cli", version)}
	base := fs.baseURL
	if base == "" {
		base = a.env("RAZORPAY_BASE_URL")
	}
	if base != "" {
		opts = append(opts, razorpay.WithBaseURL(base))
	}
	return razorpay.NewClient(id, secret, opts...), nil
}

// webhookSecret is --secret, or RAZORPAY_WEBHOOK_SECRET.
func (a *app) webhookSecret(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return a.env("RAZORPAY_WEBHOOK_SECRET")
}
