package razorpaytest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gorzp/razorpay"
)

// WebhookDelivery is one webhook event and what became of its delivery.
type WebhookDelivery struct {
	// EventID is the X-Razorpay-Event-Id header, the same on every attempt.
	EventID string
	// Event is the event name, such as token.confirmed.
	Event razorpay.EventType
	// Body is the signed body, the same on every attempt.
	Body []byte
	// Signature is the X-Razorpay-Signature header.
	Signature string
	// Attempts is how many times the event was posted so far.
	Attempts int
	// StatusCode is the status the endpoint answered to the last attempt;
	// 0 when the connection failed (see Err).
	StatusCode int
	// Err describes why the last attempt got no answer, or is "".
	Err string
	// Delivered reports whether the endpoint answered 2xx.
	Delivered bool
	// Done reports whether no further attempt will be made: the event was
	// delivered, or its attempts are spent, or the server was closed.
	Done bool
}

// Webhooks returns every webhook event the server has emitted and what
// became of its delivery, in the order of the events. It is empty without
// WithWebhook.
func (s *Server) Webhooks() []WebhookDelivery {
	if s.hooks == nil {
		return nil
	}
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]WebhookDelivery, len(h.all))
	for i, d := range h.all {
		out[i] = d.WebhookDelivery
		out[i].Body = append([]byte(nil), d.Body...)
	}
	return out
}

// WaitForWebhooks waits until every event emitted so far is done (delivered,
// or out of attempts), or ctx ends.
func (s *Server) WaitForWebhooks(ctx context.Context) error {
	if s.hooks == nil {
		return nil
	}
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		if s.hooks.idle() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return nil
		case <-t.C:
		}
	}
}

// named is one entity of a webhook payload.
type named struct {
	name string
	v    any
}

type webhookEnvelope struct {
	Entity    string                    `json:"entity"`
	AccountID string                    `json:"account_id"`
	Event     string                    `json:"event"`
	Contains  []string                  `json:"contains"`
	Payload   map[string]webhookWrapped `json:"payload"`
	CreatedAt int64                     `json:"created_at"`
}

type webhookWrapped struct {
	Entity any `json:"entity"`
}

// emit renders an event with a snapshot of its entities and queues it for
// delivery. The caller holds s.mu.
func (s *Server) emit(event string, entities ...named) {
	if s.ctl.quiet || (s.hooks == nil && s.ctl.capture == nil) {
		return
	}
	env := webhookEnvelope{Entity: "event", AccountID: s.AccountID, Event: event,
		Payload: make(map[string]webhookWrapped, len(entities)), CreatedAt: s.now().Unix()}
	for _, e := range entities {
		v := e.v
		switch x := v.(type) {
		case *payment:
			v = x.withCard()
		case *token:
			v = x.inEvent(event)
		}
		env.Contains = append(env.Contains, e.name)
		env.Payload[e.name] = webhookWrapped{Entity: v}
	}
	id, body := "evt_"+s.randomAlnum(14), s.encode(env)
	if s.ctl.capture != nil {
		*s.ctl.capture = append(*s.ctl.capture, TriggeredEvent{ID: id, Event: razorpay.EventType(event), Body: string(body)})
	}
	if s.hooks != nil {
		s.hooks.enqueue(id, razorpay.EventType(event), body)
	}
}

type delivery struct {
	WebhookDelivery
	due time.Time
}

// webhooker posts events to the webhook URL, one at a time, from one
// goroutine, redelivering failed ones after a backoff.
type webhooker struct {
	s      *Server
	client *http.Client

	mu      sync.Mutex
	all     []*delivery
	queue   []*delivery // pending, in event order
	sending bool

	wake     chan struct{}
	finished chan struct{}
}

func newWebhooker(s *Server) *webhooker {
	return &webhooker{
		s: s,
		client: &http.Client{Timeout: s.cfg.webhookTimeout, Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     30 * time.Second,
		}},
		wake:     make(chan struct{}, 1),
		finished: make(chan struct{}),
	}
}

func (h *webhooker) start() { go h.run() }

// wait returns when the delivery goroutine has ended (after Close).
func (h *webhooker) wait() {
	<-h.finished
	h.client.CloseIdleConnections()
}

func (h *webhooker) enqueue(id string, event razorpay.EventType, body []byte) {
	d := &delivery{WebhookDelivery: WebhookDelivery{
		EventID:   id,
		Event:     event,
		Body:      body,
		Signature: SignWebhook(body, h.s.cfg.webhookSecret),
	}, due: time.Now()}
	h.mu.Lock()
	h.all = append(h.all, d)
	select {
	case <-h.s.done:
		d.Done = true // the server is closed: never sent
	default:
		h.queue = append(h.queue, d)
	}
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *webhooker) idle() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.queue) == 0 && !h.sending
}

func (h *webhooker) run() {
	defer close(h.finished)
	defer h.abandon()
	for {
		select {
		case <-h.s.done:
			return
		default:
		}
		d, wait := h.next()
		if d == nil {
			var timer *time.Timer
			var fire <-chan time.Time
			if wait > 0 {
				timer = time.NewTimer(wait)
				fire = timer.C
			}
			select {
			case <-h.s.done:
			case <-h.wake:
			case <-fire:
			}
			if timer != nil {
				timer.Stop()
			}
			continue
		}
		h.send(d)
	}
}

// next takes the first due delivery off the queue, or says how long until
// one is due (0: none pending).
func (h *webhooker) next() (*delivery, time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	var soonest time.Duration
	for i, d := range h.queue {
		if wait := d.due.Sub(now); wait > 0 {
			if soonest == 0 || wait < soonest {
				soonest = wait
			}
			continue
		}
		h.queue = append(h.queue[:i:i], h.queue[i+1:]...)
		h.sending = true
		return d, 0
	}
	return nil, soonest
}

func (h *webhooker) send(d *delivery) {
	status, errText := h.post(d)
	cfg := h.s.cfg
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sending = false
	d.Attempts++
	d.StatusCode, d.Err = status, errText
	d.Delivered = status >= 200 && status <= 299
	if d.Delivered || d.Attempts >= cfg.webhookAttempts {
		d.Done = true
		return
	}
	backoff := cfg.webhookBackoff << (d.Attempts - 1)
	d.due = time.Now().Add(backoff)
	h.queue = append(h.queue, d)
}

func (h *webhooker) post(d *delivery) (int, string) {
	req, err := http.NewRequest(http.MethodPost, h.s.cfg.webhookURL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Razorpay-Webhook/v1 (razorpaytest)")
	req.Header.Set("X-Razorpay-Signature", d.Signature)
	req.Header.Set("X-Razorpay-Event-Id", d.EventID)
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	return resp.StatusCode, ""
}

// abandon marks the deliveries still pending as done when the server closes.
func (h *webhooker) abandon() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.queue {
		d.Done = true
	}
	h.queue = nil
}
