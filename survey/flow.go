package survey

import (
	"context"
	"fmt"
	"slices"

	"github.com/looplab/fsm"
)

// Events of the survey state machine.
const (
	eventSend      = "send"
	eventRate      = "rate"      // a question follows the score
	eventRateLast  = "rate_last" // the score ends the survey
	eventComment   = "comment"
	eventAskWhy    = "ask_reason"  // a low score: the reason question follows
	eventReason    = "reason"      // the reason, and a question follows
	eventReasonEnd = "reason_last" // the reason ends the survey
	eventExpire    = "expire"
	eventGiveUp    = "give_up"
	eventCancel    = "cancel"
)

// flow is a survey's looplab/fsm machine. The machine is the survey's
// transition table: when the survey is compiled, every event is fired once
// from every state on a looplab/fsm machine, and what it accepts, and where
// it leads, is kept in a table that fire looks up. The engine moves a
// session only along a transition the machine makes, and a transition
// costs a map lookup, not a machine (sessions are plain data, so one table
// serves them all).
type flow struct {
	events []fsm.EventDesc // the survey's machine, as FlowDiagram draws it
	next   map[transition]State
}

// transition is an event fired from a state.
type transition struct {
	from  State
	event string
}

// newFlow builds the machine. asks says whether some score is followed by a
// question; always says whether every score is; reasons whether some score
// is followed by the reason question.
func newFlow(asks, always, reasons bool) *flow {
	waiting := []string{string(StateScheduled), string(StateAwaitingRating)}
	if asks {
		waiting = append(waiting, string(StateAwaitingComment))
	}
	if reasons {
		waiting = append(waiting, string(StateAwaitingReason))
	}
	events := fsm.Events{
		{Name: eventSend, Src: []string{string(StateScheduled)}, Dst: string(StateAwaitingRating)},
		{Name: eventExpire, Src: waiting[1:], Dst: string(StateExpired)},
		{Name: eventGiveUp, Src: []string{string(StateAwaitingRating)}, Dst: string(StateUnanswered)},
		{Name: eventCancel, Src: waiting, Dst: string(StateCancelled)},
	}
	if !always {
		events = append(events, fsm.EventDesc{Name: eventRateLast, Src: []string{string(StateAwaitingRating)}, Dst: string(StateCompleted)})
	}
	commentFrom := []string{string(StateAwaitingComment)}
	if reasons {
		// A reply to the reason question that is no reason is taken as
		// the comment: nothing the contact wrote is lost.
		commentFrom = append(commentFrom, string(StateAwaitingReason))
		events = append(events,
			fsm.EventDesc{Name: eventAskWhy, Src: []string{string(StateAwaitingRating)}, Dst: string(StateAwaitingReason)},
			fsm.EventDesc{Name: eventReasonEnd, Src: []string{string(StateAwaitingReason)}, Dst: string(StateCompleted)},
		)
		if asks {
			events = append(events, fsm.EventDesc{Name: eventReason, Src: []string{string(StateAwaitingReason)}, Dst: string(StateAwaitingComment)})
		}
	}
	if asks {
		events = append(events, fsm.EventDesc{Name: eventRate, Src: []string{string(StateAwaitingRating)}, Dst: string(StateAwaitingComment)})
	}
	if asks || reasons {
		events = append(events, fsm.EventDesc{Name: eventComment, Src: commentFrom, Dst: string(StateCompleted)})
	}
	// A session started before its survey was redefined under the same
	// ID (Engine.SetTenantSurveys) may wait for a comment or a reason this
	// definition never asks: it still takes its answer, expires and is
	// cancelled.
	run := slices.Clone(events)
	for _, st := range []State{StateAwaitingComment, StateAwaitingReason} {
		if slices.Contains(waiting, string(st)) {
			continue
		}
		src := []string{string(st)}
		run = append(run,
			fsm.EventDesc{Name: eventComment, Src: src, Dst: string(StateCompleted)},
			fsm.EventDesc{Name: eventExpire, Src: src, Dst: string(StateExpired)},
			fsm.EventDesc{Name: eventCancel, Src: src, Dst: string(StateCancelled)},
		)
	}
	f := &flow{events: events, next: map[transition]State{}}
	states := []State{StateScheduled, StateAwaitingRating, StateAwaitingReason, StateAwaitingComment,
		StateCompleted, StateExpired, StateUnanswered, StateCancelled, StateNotSurveyed}
	names := []string{eventSend, eventRate, eventRateLast, eventComment, eventAskWhy, eventReason, eventReasonEnd,
		eventExpire, eventGiveUp, eventCancel}
	for _, from := range states {
		for _, event := range names {
			// The machine has no callbacks and a context that is never
			// cancelled, so Event either moves it or refuses.
			m := fsm.NewFSM(string(from), run, nil)
			if m.Event(context.Background(), event) == nil {
				f.next[transition{from, event}] = State(m.Current())
			}
		}
	}
	return f
}

// fire returns where event leads a session in state from, or the
// machine's refusal (a looplab/fsm InvalidEventError).
func (f *flow) fire(from State, event string) (State, error) {
	if to, ok := f.next[transition{from, event}]; ok {
		return to, nil
	}
	return from, fmt.Errorf("surveyflow: %s in state %s: %w", event, from, fsm.InvalidEventError{Event: event, State: string(from)})
}

// FlowDiagram returns the state machine of a tenant's survey (its own, or
// Config.Surveys when it has none) as a Mermaid state diagram, drawn by
// looplab/fsm from the machine the engine runs. An unknown survey is
// ErrUnknownSurvey.
func (e *Engine) FlowDiagram(tenantID, surveyID string) (string, error) {
	if err := e.made(); err != nil {
		return "", err
	}
	c, err := e.survey(tenantID, surveyID)
	if err != nil {
		return "", err
	}
	m := fsm.NewFSM(string(StateScheduled), c.flow.events, nil)
	return fsm.VisualizeWithType(m, fsm.MermaidStateDiagram)
}
