package razorpaytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
)

// ErrNotFake matches the error of Dial when something other than a
// razorpaytest server answers at the base URL, such as Razorpay itself.
var ErrNotFake = errors.New("razorpaytest: not a razorpaytest server")

// Remote drives a Server that runs in another process (razorpay fake,
// razorpay-fake, or NewServerAt in a program of yours) through its control
// API: the methods of Server that a test calls in-process, over HTTP, with
// the same names and a context. It authenticates with the fixed test key
// pair (KeyID, KeySecret), never with keys of yours. Its errors match
// ErrUnknownID and ErrInvalidState as the Server's do. The control API
// accepts that pair whatever RotateKeySecret did, so a Remote keeps
// working after it rotates the server's secret. It is safe for concurrent
// use.
type Remote struct {
	// URL is the server's base URL.
	URL string

	client *http.Client
	authz  string
}

// Dial returns a Remote for the server at baseURL (such as
// http://127.0.0.1:8080) after asking its info endpoint whether it is a
// razorpaytest server. It fails with ErrNotFake when something else
// answers, and with the connection's error when nothing does.
func Dial(ctx context.Context, baseURL string) (*Remote, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("razorpaytest: Dial: %q is not an http or https base URL", baseURL)
	}
	r := &Remote{
		URL:    strings.TrimRight(baseURL, "/"),
		client: &http.Client{Timeout: 2 * time.Minute},
		authz:  basicAuth(KeyID, KeySecret),
	}
	if _, err := r.Info(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Info returns what the server says about itself: its clock, its webhook
// endpoint. It fails with ErrNotFake when the server is not a razorpaytest
// server.
func (r *Remote) Info(ctx context.Context) (Info, error) {
	var info Info
	status, body, err := r.send(ctx, http.MethodGet, "info", nil, "")
	if err != nil {
		return info, err
	}
	if status != http.StatusOK || json.Unmarshal(body, &info) != nil || !info.Razorpaytest {
		return info, fmt.Errorf("%w: %s answered %d to GET %sinfo", ErrNotFake, r.URL, status, ControlPath)
	}
	return info, nil
}

// AdvanceClock moves the server's clock forward by d (see
// Server.AdvanceClock, here in whole seconds at least) and returns its time
// after the move.
func (r *Remote) AdvanceClock(ctx context.Context, d time.Duration) (time.Time, error) {
	var info Info
	if err := r.call(ctx, http.MethodPost, "clock/advance", map[string]string{"duration": d.String()}, &info); err != nil {
		return time.Time{}, err
	}
	return time.Unix(info.Now, 0), nil
}

// RotateKeySecret makes the server accept secret instead of its current key
// secret (see Server.RotateKeySecret): requests of clients with the old
// secret get 401 from then on. The Remote keeps working.
func (r *Remote) RotateKeySecret(ctx context.Context, secret string) error {
	return r.call(ctx, http.MethodPost, "keys/rotate", map[string]string{"key_secret": secret}, nil)
}

// SeedMandates makes confirmed mandates and a bill on each (see
// Server.SeedMandates).
func (r *Remote) SeedMandates(ctx context.Context, p SeedParams) ([]Bill, error) {
	var out struct {
		Bills []Bill `json:"bills"`
	}
	err := r.call(ctx, http.MethodPost, "mandates", p, &out)
	return out.Bills, err
}

// ReceiptPayments returns the payments on every order that carries receipt
// (see Server.ReceiptPayments).
func (r *Remote) ReceiptPayments(ctx context.Context, receipt string) ([]razorpay.Payment, error) {
	var out struct {
		Payments []razorpay.Payment `json:"payments"`
	}
	err := r.call(ctx, http.MethodGet, "receipts/"+url.PathEscape(receipt)+"/payments", nil, &out)
	return out.Payments, err
}

// Verify sums up the bills charged on the server (see Server.Verify).
func (r *Remote) Verify(ctx context.Context) (Verification, error) {
	var v Verification
	err := r.call(ctx, http.MethodGet, "double_charges", nil, &v)
	return v, err
}

// DoubleCharges returns the receipts charged twice (see
// Server.DoubleCharges).
func (r *Remote) DoubleCharges(ctx context.Context) ([]string, error) {
	v, err := r.Verify(ctx)
	return v.DoubleCharges, err
}

// FailPayment makes a payment fail (see Server.FailPayment) and returns it
// as it is now.
func (r *Remote) FailPayment(ctx context.Context, paymentID, reason string) (*razorpay.Payment, error) {
	return r.paymentAction(ctx, paymentID, "fail", map[string]string{"reason": reason})
}

// CapturePayment settles a created or failed payment (see
// Server.CapturePayment) and returns it as it is now.
func (r *Remote) CapturePayment(ctx context.Context, paymentID string) (*razorpay.Payment, error) {
	return r.paymentAction(ctx, paymentID, "capture", nil)
}

// HoldPayment keeps a created payment created (see Server.HoldPayment) and
// returns it.
func (r *Remote) HoldPayment(ctx context.Context, paymentID string) (*razorpay.Payment, error) {
	return r.paymentAction(ctx, paymentID, "hold", nil)
}

func (r *Remote) paymentAction(ctx context.Context, paymentID, action string, body any) (*razorpay.Payment, error) {
	var p razorpay.Payment
	if err := r.call(ctx, http.MethodPost, "payments/"+url.PathEscape(paymentID)+"/"+action, body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// AddBankRule adds a rule for the next recurring payments (see
// Server.AddBankRule).
func (r *Remote) AddBankRule(ctx context.Context, rule BankRule) error {
	return r.call(ctx, http.MethodPost, "bank_rules", rule, nil)
}

// BankRules returns the rules not spent yet (see Server.BankRules).
func (r *Remote) BankRules(ctx context.Context) ([]BankRule, error) {
	var out struct {
		Rules []BankRule `json:"rules"`
	}
	err := r.call(ctx, http.MethodGet, "bank_rules", nil, &out)
	return out.Rules, err
}

// ClearBankRules removes every rule (see Server.ClearBankRules).
func (r *Remote) ClearBankRules(ctx context.Context) error {
	return r.call(ctx, http.MethodDelete, "bank_rules", nil, nil)
}

// SetMandateStatus changes a card mandate (see Server.SetMandateStatus).
func (r *Remote) SetMandateStatus(ctx context.Context, tokenID string, status razorpay.TokenRecurringStatus) error {
	return r.call(ctx, http.MethodPost, "tokens/"+url.PathEscape(tokenID)+"/status", map[string]any{"status": status}, nil)
}

// Trigger builds the state that raises event and raises it (see
// Server.Trigger).
func (r *Remote) Trigger(ctx context.Context, event razorpay.EventType) (*Triggered, error) {
	var t Triggered
	if err := r.call(ctx, http.MethodPost, "trigger", map[string]any{"event": event}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Webhooks returns the server's webhook deliveries (see Server.Webhooks),
// without their bodies and signatures.
func (r *Remote) Webhooks(ctx context.Context) ([]WebhookDelivery, error) {
	var out struct {
		Deliveries []controlDelivery `json:"deliveries"`
	}
	if err := r.call(ctx, http.MethodGet, "webhooks", nil, &out); err != nil {
		return nil, err
	}
	ds := make([]WebhookDelivery, len(out.Deliveries))
	for i, d := range out.Deliveries {
		ds[i] = WebhookDelivery{EventID: d.EventID, Event: d.Event, Attempts: d.Attempts, StatusCode: d.StatusCode,
			Err: d.Err, Delivered: d.Delivered, Done: d.Done}
	}
	return ds, nil
}

// call sends a control request and decodes its JSON answer into out.
func (r *Remote) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("razorpaytest: %s %s%s: %w", method, ControlPath, path, err)
		}
	}
	status, resp, err := r.send(ctx, method, path, body, r.authz)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return controlAnswerError(method, path, status, resp)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return fmt.Errorf("razorpaytest: %s %s%s: the answer does not decode: %w", method, ControlPath, path, err)
	}
	return nil
}

// send sends one request and reads its answer.
func (r *Remote) send(ctx context.Context, method, path string, body []byte, authz string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.URL+ControlPath+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("razorpaytest: %s %s%s: %w", method, ControlPath, path, err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("razorpaytest: no answer from %s: %w", r.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("razorpaytest: %s %s%s: reading the answer: %w", method, ControlPath, path, err)
	}
	return resp.StatusCode, b, nil
}

// controlAnswerError turns an error answer into an error that matches
// ErrUnknownID or ErrInvalidState when the server said so.
func controlAnswerError(method, path string, status int, body []byte) error {
	var e struct {
		Error struct {
			Description string `json:"description"`
			Reason      string `json:"reason"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	msg := e.Error.Description
	if msg == "" {
		msg = http.StatusText(status)
	}
	for _, sentinel := range [...]struct {
		reason string
		err    error
	}{{reasonUnknownID, ErrUnknownID}, {reasonInvalidState, ErrInvalidState}} {
		if e.Error.Reason == sentinel.reason {
			// The description starts with the sentinel's text, as the
			// server's error did.
			text := strings.TrimPrefix(sentinel.err.Error(), "razorpaytest: ")
			return fmt.Errorf("%w%s", sentinel.err, strings.TrimPrefix(msg, text))
		}
	}
	return fmt.Errorf("razorpaytest: %s %s%s: %d %s", method, ControlPath, path, status, msg)
}
