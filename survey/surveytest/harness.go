package surveytest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// Start is the harness clock's default start: a Monday, 09:00 UTC.
var Start = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// Harness drives a survey engine in a test: a fake clock, an in-memory store
// and a record of every message the engine asked the host to send. Every
// method fails the test on an engine error.
type Harness struct {
	// T is the test the harness reports to.
	T testing.TB
	// Clock is the engine's clock.
	Clock *Clock
	// Store is the engine's store.
	Store *memory.Store
	// Engine is the engine under test.
	Engine *survey.Engine
	// Sent lists every outbound message so far, in order.
	Sent []survey.Outbound

	msg int
}

// New returns a harness whose engine runs the given surveys, with the clock
// at Start.
func New(t testing.TB, surveys ...survey.Survey) *Harness {
	t.Helper()
	h := &Harness{T: t, Clock: NewClock(Start), Store: memory.New()}
	e, err := survey.New(survey.Config{Store: h.Store, Clock: h.Clock, Surveys: surveys})
	require.NoError(t, err, "surveytest: building the engine")
	h.Engine = e
	return h
}

// Close tells the engine that conv closed and records what it sends.
func (h *Harness) Close(conv *survey.Conversation) *survey.Result {
	h.T.Helper()
	res, err := h.Engine.ConversationClosed(context.Background(), conv)
	require.NoError(h.T, err, "surveytest: closing %s", conv.ID)
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Reply delivers a message from the contact on the channel, with a fresh
// message ID, at the clock's time.
func (h *Harness) Reply(tenantID, contactID, channel, text string) *survey.Result {
	h.T.Helper()
	h.msg++
	return h.Deliver(&survey.Inbound{
		TenantID: tenantID, ContactID: contactID, Channel: channel,
		MessageID: "surveytest-" + strconv.Itoa(h.msg), Text: text,
	})
}

// Deliver hands the engine one inbound message as it is (use it to deliver
// the same message ID twice).
func (h *Harness) Deliver(in *survey.Inbound) *survey.Result {
	h.T.Helper()
	res, err := h.Engine.HandleMessage(context.Background(), in)
	require.NoError(h.T, err, "surveytest: message %s", in.MessageID)
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Advance moves the clock forward by d.
func (h *Harness) Advance(d time.Duration) { h.Clock.Advance(d) }

// Sweep runs the engine's sweep at the clock's time.
func (h *Harness) Sweep() *survey.SweepResult {
	h.T.Helper()
	res, err := h.Engine.Sweep(context.Background())
	require.NoError(h.T, err, "surveytest: sweep")
	h.Sent = append(h.Sent, res.Outbound...)
	return res
}

// Session loads a session by ID.
func (h *Harness) Session(tenantID, id string) *survey.Session {
	h.T.Helper()
	s, err := h.Store.Load(context.Background(), tenantID, id)
	require.NoError(h.T, err, "surveytest: loading session %s", id)
	return s
}

// LastSent returns the last outbound message; the test fails if none was
// sent.
func (h *Harness) LastSent() survey.Outbound {
	h.T.Helper()
	require.NotEmpty(h.T, h.Sent, "surveytest: nothing was sent")
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
