package razorpaytest

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
)

// ControlPath is the path prefix of the control API, which drives a Server
// from another process (see Remote and the package documentation). Razorpay
// serves nothing under it.
const ControlPath = "/_razorpaytest/v1/"

// ControlVersion is the version of the control API that Info reports.
const ControlVersion = 1

// Info is what the control API's info endpoint (GET ControlPath + "info",
// the one endpoint answered without auth) says about a fake: it is how a
// tool tells a razorpaytest server from Razorpay before it drives one.
type Info struct {
	// Razorpaytest is always true.
	Razorpaytest bool `json:"razorpaytest"`
	// Version is ControlVersion.
	Version int `json:"version"`
	// KeyID is the key id the server accepts (its KeySecret is public too).
	KeyID string `json:"key_id"`
	// Now is the server's clock, Unix seconds, and ClockOffset how far
	// AdvanceClock has moved it, in seconds.
	Now         int64 `json:"now"`
	ClockOffset int64 `json:"clock_offset_seconds"`
	// WebhookURL is the endpoint of WithWebhook, "" without.
	WebhookURL string `json:"webhook_url"`
	// RecurringDelay is WithRecurringDelay, in seconds.
	RecurringDelay int64 `json:"recurring_delay_seconds"`
	// KeyRotations counts RotateKeySecret calls: when it is not 0, the
	// API no longer accepts KeySecret (the control API still does).
	KeyRotations int `json:"key_rotations"`
}

// Info returns what the info endpoint says about the server.
func (s *Server) Info() Info {
	return Info{Razorpaytest: true, Version: ControlVersion, KeyID: s.KeyID, Now: s.now().Unix(),
		ClockOffset: int64(s.clockOffset() / time.Second), WebhookURL: s.cfg.webhookURL,
		RecurringDelay: int64(s.cfg.recurringDelay / time.Second), KeyRotations: s.key.Load().rotations}
}

// controlDelivery is a WebhookDelivery on the control API, without its
// body and signature.
type controlDelivery struct {
	EventID    string             `json:"event_id"`
	Event      razorpay.EventType `json:"event"`
	Attempts   int                `json:"attempts"`
	StatusCode int                `json:"status_code"`
	Err        string             `json:"error"`
	Delivered  bool               `json:"delivered"`
	Done       bool               `json:"done"`
}

// serveControl serves the control API: the request is neither recorded
// (Requests) nor subject to injected faults, and needs Basic auth with the
// fixed test pair or the server's current pair (see RotateKeySecret),
// except for the info endpoint.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, controlError(http.StatusBadRequest, "the request body cannot be read: "+err.Error()))
		return
	}
	segs, ok := splitPath(strings.TrimPrefix(r.URL.EscapedPath(), ControlPath))
	if !ok {
		writeError(w, &apiError{status: http.StatusNotFound, code: "BAD_REQUEST_ERROR", description: msgURLNotFound})
		return
	}
	s.setDate(w)
	if !(len(segs) == 1 && segs[0] == "info" && r.Method == http.MethodGet) {
		if e := s.checkControlAuth(r.Header.Get("Authorization")); e != nil {
			writeError(w, e)
			return
		}
	}
	v, e := s.controlRoute(r.Method, segs, body)
	if e != nil {
		writeError(w, e)
		return
	}
	if bills, ok := v.([]Bill); ok && strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_ = WriteBills(w, bills)
		return
	}
	if bills, ok := v.([]Bill); ok {
		v = map[string]any{"bills": bills}
	}
	out, err := json.Marshal(v)
	if err != nil {
		writeError(w, &apiError{status: http.StatusInternalServerError, code: "SERVER_ERROR", description: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// WriteBills writes bills as a billing file, CSV with the header
// BillColumns: the input of razorpay bill.
func WriteBills(w io.Writer, bills []Bill) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(BillColumns)
	for _, b := range bills {
		_ = cw.Write(b.Record())
	}
	cw.Flush()
	return cw.Error()
}

// controlRoute runs one control request.
func (s *Server) controlRoute(method string, segs []string, body []byte) (any, *apiError) {
	get, post, del := method == http.MethodGet, method == http.MethodPost, method == http.MethodDelete
	n := len(segs)
	switch {
	case n == 1 && segs[0] == "info" && get:
		return s.Info(), nil
	case n == 1 && segs[0] == "clock" && get:
		return s.Info(), nil
	case n == 2 && segs[0] == "clock" && segs[1] == "advance" && post:
		var req struct {
			Duration string `json:"duration"`
		}
		if e := decodeControl(body, &req); e != nil {
			return nil, e
		}
		d, err := time.ParseDuration(req.Duration)
		if err != nil || d <= 0 {
			return nil, controlError(http.StatusBadRequest, "duration must be a positive Go duration such as 16m or 24h, got "+quote(req.Duration))
		}
		s.AdvanceClock(d)
		return s.Info(), nil
	case n == 2 && segs[0] == "keys" && segs[1] == "rotate" && post:
		var req struct {
			KeySecret string `json:"key_secret"`
		}
		if e := decodeControl(body, &req); e != nil {
			return nil, e
		}
		if err := s.RotateKeySecret(req.KeySecret); err != nil {
			return nil, controlFailure(err)
		}
		// The answer never holds a secret.
		return map[string]any{"key_id": s.KeyID, "key_rotations": s.key.Load().rotations}, nil
	case n == 1 && segs[0] == "mandates" && post:
		var p SeedParams
		if e := decodeControl(body, &p); e != nil {
			return nil, e
		}
		bills, err := s.SeedMandates(p)
		if err != nil {
			return nil, controlFailure(err)
		}
		return bills, nil
	case n == 3 && segs[0] == "receipts" && segs[2] == "payments" && get:
		pays := s.ReceiptPayments(segs[1])
		if pays == nil {
			pays = []razorpay.Payment{}
		}
		return map[string]any{"receipt": segs[1], "payments": pays}, nil
	case n == 1 && segs[0] == "double_charges" && get:
		return s.Verify(), nil
	case n == 3 && segs[0] == "payments" && post:
		id := segs[1]
		var err error
		switch segs[2] {
		case "fail":
			var req struct {
				Reason string `json:"reason"`
			}
			if e := decodeControl(body, &req); e != nil {
				return nil, e
			}
			err = s.FailPayment(id, req.Reason)
		case "capture":
			err = s.CapturePayment(id)
		case "hold":
			err = s.HoldPayment(id)
		default:
			return nil, controlNotFound()
		}
		if err != nil {
			return nil, controlFailure(err)
		}
		p, err := s.paymentEntity(id)
		if err != nil {
			return nil, controlFailure(err)
		}
		return p, nil
	case n == 1 && segs[0] == "bank_rules" && (get || post || del):
		switch {
		case post:
			var rule BankRule
			if e := decodeControl(body, &rule); e != nil {
				return nil, e
			}
			if err := s.AddBankRule(rule); err != nil {
				return nil, controlFailure(err)
			}
		case del:
			s.ClearBankRules()
		}
		return map[string]any{"rules": s.BankRules()}, nil
	case n == 3 && segs[0] == "tokens" && segs[2] == "status" && post:
		var req struct {
			Status razorpay.TokenRecurringStatus `json:"status"`
		}
		if e := decodeControl(body, &req); e != nil {
			return nil, e
		}
		if err := s.SetMandateStatus(segs[1], req.Status); err != nil {
			return nil, controlFailure(err)
		}
		return map[string]any{"token_id": segs[1], "status": req.Status}, nil
	case n == 1 && segs[0] == "trigger" && get:
		return map[string]any{"events": TriggerEvents()}, nil
	case n == 1 && segs[0] == "trigger" && post:
		var req struct {
			Event razorpay.EventType `json:"event"`
		}
		if e := decodeControl(body, &req); e != nil {
			return nil, e
		}
		t, err := s.Trigger(req.Event)
		if err != nil {
			return nil, controlFailure(err)
		}
		return t, nil
	case n == 1 && segs[0] == "webhooks" && get:
		out := []controlDelivery{}
		for _, d := range s.Webhooks() {
			out = append(out, controlDelivery{EventID: d.EventID, Event: d.Event, Attempts: d.Attempts,
				StatusCode: d.StatusCode, Err: d.Err, Delivered: d.Delivered, Done: d.Done})
		}
		return map[string]any{"deliveries": out}, nil
	}
	return nil, controlNotFound()
}

// paymentEntity returns a payment with its card embedded.
func (s *Server) paymentEntity(id string) (*razorpay.Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.payments[id]
	if p == nil {
		return nil, fmt.Errorf("%w: payment %q", ErrUnknownID, id)
	}
	return convert[razorpay.Payment](p.withCard())
}

// decodeControl decodes a JSON body (empty is {}) into v, refusing unknown
// fields.
func decodeControl(body []byte, v any) *apiError {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return controlError(http.StatusBadRequest, "the request body does not fit: "+err.Error())
	}
	return nil
}

// The reason of a control error, for Remote to match ErrUnknownID and
// ErrInvalidState.
const (
	reasonUnknownID    = "unknown_id"
	reasonInvalidState = "invalid_state"
)

func controlError(status int, description string) *apiError {
	return &apiError{status: status, code: "BAD_REQUEST_ERROR", description: description, source: "razorpaytest", reason: "input_validation_failed"}
}

func controlNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: "BAD_REQUEST_ERROR", description: msgURLNotFound, source: "razorpaytest"}
}

// controlFailure is the answer to a method's error.
func controlFailure(err error) *apiError {
	msg := strings.TrimPrefix(err.Error(), "razorpaytest: ")
	switch {
	case errors.Is(err, ErrUnknownID):
		e := controlError(http.StatusNotFound, msg)
		e.reason = reasonUnknownID
		return e
	case errors.Is(err, ErrInvalidState):
		e := controlError(http.StatusConflict, msg)
		e.reason = reasonInvalidState
		return e
	}
	return controlError(http.StatusBadRequest, msg)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
