package razorpaytest

import (
	"net/http"
	"strings"
	"time"
)

// DropMode says whether and when a Fault closes the connection without an
// answer.
type DropMode int

// Drop modes.
const (
	// DropNone answers the request.
	DropNone DropMode = iota
	// DropBeforeProcessing closes the connection without processing the
	// request: nothing changes on the server.
	DropBeforeProcessing
	// DropAfterProcessing processes the request (its state changes happen,
	// its webhooks are sent) and then closes the connection without
	// answering: the client cannot know the outcome.
	DropAfterProcessing
)

// Fault is a failure the server applies to the next requests that match it,
// to test how a client copes with errors, throttling, slowness and lost
// connections. A Fault applies, in this order: Delay, then Drop, then Status;
// with neither Drop nor Status the request is then handled normally.
type Fault struct {
	// Method is the HTTP method to match; "" matches any.
	Method string
	// Path is the escaped path to match exactly, such as
	// "/v1/payments/create/recurring", or a prefix when it ends in "*", such
	// as "/v1/orders*"; "" matches any.
	Path string
	// Times is how many matching requests the fault applies to; 0 means 1,
	// and a negative value means every matching request until ClearFaults.
	Times int
	// Status answers the request with this status, without processing it.
	Status int
	// Body is the body of the Status answer, sent as is (ErrorBody builds a
	// Razorpay error body); "" sends an empty body.
	Body string
	// ContentType is the Content-Type of the Status answer; the default is
	// application/json.
	ContentType string
	// RetryAfter is the value of a Retry-After header to send with the answer.
	RetryAfter string
	// Header holds more headers for the Status answer, such as Location for
	// a redirect.
	Header http.Header
	// Delay waits before handling the request (or applying Drop or Status).
	// The request is handled after the delay even if the client has given
	// up by then, as a slow server would. Close ends the wait, and then the
	// connection is closed without handling the request.
	Delay time.Duration
	// Drop closes the connection without an answer, before or after
	// processing the request.
	Drop DropMode
	// ProcessFirst, with Status, processes the request before answering the
	// Status instead of Razorpay's answer, as a proxy does that gives up
	// waiting (408, 504), throttles late (429) or redirects (3xx) after
	// Razorpay acted. State changes and webhooks happen.
	ProcessFirst bool
	// Match, when set, restricts the fault to the requests it accepts (on top
	// of Method and Path), for example to fault the second payment of one
	// order only. It is called with the request's body unread and must not
	// call the Server.
	Match func(*http.Request) bool
	// Abandon, when set, is called once the fault applies, at the moment the
	// client would stop waiting: with DropAfterProcessing after the request
	// was processed, and otherwise before the answer (or the dropped
	// connection) reaches the client. Pass the cancel function of the
	// client's context to simulate a process that dies at that point: the
	// client sends nothing more, as a crashed or killed job would not.
	//
	//	ctx, crash := context.WithCancel(ctx)
	//	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring",
	//		Drop: razorpaytest.DropAfterProcessing, Abandon: crash})
	//	_, err := client.Payment.Charge(ctx, params) // the process "dies" after Razorpay charged
	Abandon func()
	// Arrived, when set, is called when the fault takes a request, before
	// its Delay: a test learns that the request is in flight without
	// sleeping. It must not call the Server.
	Arrived func()
	// Hold, when set and the fault neither drops nor answers a Status,
	// processes the request and then holds its answer until Hold is closed
	// (or Close), as a slow network or a paused client reading late would:
	// the state changes happen at once, the client learns of them later.
	Hold <-chan struct{}
}

// abandon calls Abandon when it is set.
func (f *Fault) abandon() {
	if f.Abandon != nil {
		f.Abandon()
	}
}

type pendingFault struct {
	Fault
	left int // < 0: forever
}

// InjectFault queues a fault. Faults apply in the order they were queued:
// each request takes the first queued fault that matches it.
func (s *Server) InjectFault(f Fault) {
	p := &pendingFault{Fault: f, left: f.Times}
	if f.Times == 0 {
		p.left = 1
	}
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.faults = append(s.faults, p)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.faults = nil
}

// takeFault returns the first queued fault matching r, counting one use.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	if len(s.faults) == 0 {
		return nil
	}
	path := r.URL.EscapedPath()
	for i, p := range s.faults {
		if !p.matches(r.Method, path) || (p.Match != nil && !p.Match(r)) {
			continue
		}
		f := p.Fault
		if p.left > 0 {
			p.left--
			if p.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

func (p *pendingFault) matches(method, path string) bool {
	if p.Method != "" && !strings.EqualFold(p.Method, method) {
		return false
	}
	switch {
	case p.Path == "":
		return true
	case strings.HasSuffix(p.Path, "*"):
		return strings.HasPrefix(path, strings.TrimSuffix(p.Path, "*"))
	}
	return path == p.Path
}
