package survey_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// recorder keeps every event an engine reports.
type recorder struct {
	mu     sync.Mutex
	events []survey.Event
}

func (r *recorder) Observe(_ context.Context, ev survey.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// take returns the events since the last take, as "kind call/answer/op".
func (r *recorder) take() []survey.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

func ofKind(events []survey.Event, kind survey.EventKind) []survey.Event {
	var out []survey.Event
	for _, ev := range events {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// The observer hears every call with its time, the decision, the sends,
// the answers, the duplicates, the expiries and every store call, failed
// ones with their error.
func TestTheObserverHearsWhatTheEngineDoes(t *testing.T) {
	rec := &recorder{}
	clock := surveytest.NewClock(surveytest.Start)
	faulty := surveytest.NewFaultyStore(memory.New(), nil)
	e, err := survey.New(survey.Config{Store: faulty, Clock: clock, Observer: rec, Surveys: []survey.Definition{sirena()}})
	require.NoError(t, err)
	ctx := context.Background()
	h := &surveytest.Harness{T: t, Clock: clock}

	started, err := e.ConversationClosed(ctx, eligibleChat(h, "c1", "maria", "es"))
	require.NoError(t, err)
	events := rec.take()
	calls := ofKind(events, survey.EventCall)
	require.Len(t, calls, 1)
	assert.Equal(t, "close", calls[0].Call)
	assert.Positive(t, calls[0].Duration)
	assert.Equal(t, started.Session.ID, calls[0].SessionID)
	require.Len(t, ofKind(events, survey.EventDecision), 1)
	assert.True(t, ofKind(events, survey.EventDecision)[0].Eligible)
	require.Len(t, ofKind(events, survey.EventSent), 1)
	var ops []string
	for _, ev := range ofKind(events, survey.EventStore) {
		ops = append(ops, ev.Op)
		assert.NoError(t, ev.Err, ev.Op)
	}
	assert.Equal(t, []string{"ConversationSessions", "Awaiting", "Create"}, ops, "each store call, timed")

	for _, text := range []string{"hmm", "4", "Muy bien"} {
		_, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "tenant", ContactID: "maria", Channel: "whatsapp", MessageID: text, Text: text})
		require.NoError(t, err)
	}
	var answers []string
	for _, ev := range ofKind(rec.take(), survey.EventAnswer) {
		answers = append(answers, ev.Answer)
	}
	assert.Equal(t, []string{"reprompted", "rating", "comment"}, answers)
	_, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "tenant", ContactID: "maria", Channel: "whatsapp", MessageID: "4", Text: "4"})
	require.NoError(t, err)
	assert.Len(t, ofKind(rec.take(), survey.EventDuplicate), 1)

	_, err = e.ConversationClosed(ctx, eligibleChat(h, "c2", "ben", "en"))
	require.NoError(t, err)
	rec.take()
	clock.Advance(25 * time.Hour)
	_, err = e.Sweep(ctx)
	require.NoError(t, err)
	events = rec.take()
	assert.Len(t, ofKind(events, survey.EventExpired), 1)
	assert.Equal(t, "sweep", ofKind(events, survey.EventCall)[0].Call)

	faulty.Decide = func(op string, _ int) surveytest.Fault {
		if op == "Route" {
			return surveytest.FailBefore
		}
		return surveytest.NoFault
	}
	_, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "tenant", ContactID: "ben", Channel: "whatsapp", MessageID: "b1", Text: "5"})
	require.Error(t, err)
	events = rec.take()
	stores := ofKind(events, survey.EventStore)
	require.Len(t, stores, 1)
	assert.ErrorIs(t, stores[0].Err, surveytest.ErrInjected, "a store failure, with its error")
	assert.ErrorIs(t, ofKind(events, survey.EventCall)[0].Err, surveytest.ErrInjected, "and the call's")
}
