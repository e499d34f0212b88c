package surveytest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// Start is the harness clock's default start: a Monday, 09:00 UTC.
var Start = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// T is what the harness needs from a test. *testing.T and *testing.B have
// it, and so does any test framework's handle with these three methods:
// the harness reports an engine error with Errorf and stops the test with
// FailNow.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

// Harness drives a survey engine in a test: a fake clock, a store and a
// record of every message the engine asked the host to send. Every method
// fails the test on an engine error.
type Harness struct {
	// T is the test the harness reports to.
	T T
	// Clock is the engine's clock.
	Clock *Clock
	// Store is the engine's store.
	Store survey.Store
	// Engine is the engine under test.
	Engine *survey.Engine
	// Tenant and Channel are what Reply and NewConversation's builder
	// (through Conversation) use: "tenant" and "whatsapp" unless
	// Options say otherwise.
	Tenant, Channel string
	// Sent lists every outbound message so far, in order.
	Sent []survey.Outbound

	msg int
}

// Options configure a harness beyond its surveys: the host's own engine
// configuration (its store, link signer, logger, observer, windows…), and
// the tenant and channel its conversations and replies use.
type Options struct {
	// Config is the engine's configuration. A nil Store means a new
	// memory store; a nil Clock means a fake clock at Start (a Clock
	// that is not a *Clock is replaced by one, so the test can move
	// time).
	Config survey.Config
	// Tenant is the tenant of Conversation and Reply; empty means
	// "tenant".
	Tenant string
	// Channel is the channel of Conversation and Reply; empty means
	// "whatsapp".
	Channel string
}

// New returns a harness whose engine runs the given surveys on a new
// memory store, with the clock at Start.
func New(t T, surveys ...survey.Definition) *Harness {
	t.Helper()
	return NewWith(t, Options{Config: survey.Config{Surveys: surveys}})
}

// NewWith returns a harness on the host's own configuration.
func NewWith(t T, o Options) *Harness {
	t.Helper()
	cfg := o.Config
	clock, ok := cfg.Clock.(*Clock)
	if !ok {
		clock = NewClock(Start)
	}
	if cfg.Store == nil {
		cfg.Store = memory.New()
	}
	cfg.Clock = clock
	h := &Harness{T: t, Clock: clock, Store: cfg.Store, Tenant: o.Tenant, Channel: o.Channel}
	if h.Tenant == "" {
		h.Tenant = "tenant"
	}
	if h.Channel == "" {
		h.Channel = "whatsapp"
	}
	e, err := survey.New(cfg)
	h.check(err, "building the engine")
	h.Engine = e
	return h
}

// check fails the test when err is not nil.
func (h *Harness) check(err error, what string, args ...any) {
	h.T.Helper()
	if err != nil {
		h.T.Errorf("surveytest: %s: %v", fmt.Sprintf(what, args...), err)
		h.T.FailNow()
	}
}

// Conversation starts a conversation of the harness's tenant and channel
// with contactID, whose first message is at the clock's time.
func (h *Harness) Conversation(id, contactID string) *ConversationBuilder {
	return NewConversation(id, contactID, h.Clock.Now()).Tenant(h.Tenant).Channel(h.Channel)
}

// Close tells the engine that conv closed and records what it sends.
func (h *Harness) Close(conv *survey.Conversation) *survey.Result {
	h.T.Helper()
	res, err := h.Engine.ConversationClosed(context.Background(), conv)
	h.check(err, "closing %s", conv.ID)
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Reply delivers a message from the contact on the channel, with a fresh
// message ID, at the clock's time.
func (h *Harness) Reply(tenantID, contactID, channel, text string) *survey.Result {
	h.T.Helper()
	h.msg++
	return h.Receive(&survey.Inbound{
		TenantID: tenantID, ContactID: contactID, Channel: channel,
		MessageID: "surveytest-" + strconv.Itoa(h.msg), Text: text,
	})
}

// Says delivers a message from the contact in the harness's tenant and
// channel, with a fresh message ID, at the clock's time.
func (h *Harness) Says(contactID, text string) *survey.Result {
	h.T.Helper()
	return h.Reply(h.Tenant, contactID, h.Channel, text)
}

// Receive hands the engine one inbound message as it is (use it to
// deliver the same message ID twice).
func (h *Harness) Receive(in *survey.Inbound) *survey.Result {
	h.T.Helper()
	res, err := h.Engine.HandleMessage(context.Background(), in)
	h.check(err, "message %s", in.MessageID)
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Drain runs the engine's deliveries at the clock's time, as a host's
// background worker does, and returns every effect handed out, in order:
// what the calls decided and nobody acknowledged (Engine.Acknowledge),
// the rating page's alerts and the sweeps' requests included. Each is
// acknowledged, so a second Drain returns only what was decided since.
func (h *Harness) Drain() []survey.Effect {
	h.T.Helper()
	var out []survey.Effect
	_, err := h.Engine.Deliver(context.Background(), func(_ context.Context, f survey.Effect) error {
		out = append(out, f)
		return nil
	}, survey.DeliverOptions{})
	h.check(err, "deliveries")
	return out
}

// Advance moves the clock forward by d.
func (h *Harness) Advance(d time.Duration) { h.Clock.Advance(d) }

// Sweep runs the engine's sweep at the clock's time.
func (h *Harness) Sweep() *survey.SweepResult {
	h.T.Helper()
	res, err := h.Engine.Sweep(context.Background())
	h.check(err, "sweep")
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Session loads a session by ID.
func (h *Harness) Session(tenantID, id string) *survey.Session {
	h.T.Helper()
	s, err := h.Store.Load(context.Background(), tenantID, id)
	h.check(err, "loading session %s", id)
	return s
}

// LastSent returns the last outbound message; the test fails if none was
// sent.
func (h *Harness) LastSent() survey.Outbound {
	h.T.Helper()
	if len(h.Sent) == 0 {
		h.T.Errorf("surveytest: nothing was sent")
		h.T.FailNow()
		return survey.Outbound{}
	}
	return h.Sent[len(h.Sent)-1]
}

// Kinds returns the kinds of every message sent so far, in order.
func (h *Harness) Kinds() []survey.MessageKind {
	out := make([]survey.MessageKind, len(h.Sent))
	for i, o := range h.Sent {
		out[i] = o.Kind
	}
	return out
}
