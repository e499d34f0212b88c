package survey

import (
	"context"
	"fmt"
	"sync"

	"github.com/looplab/fsm"
)

// Events of the survey state machine.
const (
	eventRate    = "rate"
	eventComment = "comment"
	eventExpire  = "expire"
	eventGiveUp  = "give_up"
	eventCancel  = "cancel"
)

// flow is a survey's looplab/fsm machine. Sessions are plain data, so one
// machine serves any session: fire sets the session's state, fires the event
// and reads the new state. Machines are pooled because building one costs
// more than a transition.
type flow struct {
	events []fsm.EventDesc
	pool   sync.Pool
}

func newFlow(askComment bool) *flow {
	waiting := []string{string(StateAwaitingRating)}
	afterRating := StateCompleted
	if askComment {
		waiting = append(waiting, string(StateAwaitingComment))
		afterRating = StateAwaitingComment
	}
	events := fsm.Events{
		{Name: eventRate, Src: []string{string(StateAwaitingRating)}, Dst: string(afterRating)},
		{Name: eventExpire, Src: waiting, Dst: string(StateExpired)},
		{Name: eventGiveUp, Src: []string{string(StateAwaitingRating)}, Dst: string(StateUnanswered)},
		{Name: eventCancel, Src: waiting, Dst: string(StateCancelled)},
	}
	if askComment {
		events = append(events, fsm.EventDesc{Name: eventComment, Src: []string{string(StateAwaitingComment)}, Dst: string(StateCompleted)})
	}
	f := &flow{events: events}
	f.pool.New = func() any { return fsm.NewFSM(string(StateAwaitingRating), f.events, nil) }
	return f
}

// fire applies event to a session in state from and returns the new state.
// The machine has no callbacks and is given a context that is never
// cancelled: a cancelled context would leave a looplab/fsm machine stuck in
// transition.
func (f *flow) fire(from State, event string) (State, error) {
	m := f.pool.Get().(*fsm.FSM)
	defer f.pool.Put(m)
	m.SetState(string(from))
	if err := m.Event(context.Background(), event); err != nil {
		return from, fmt.Errorf("surveyflow: %s in state %s: %w", event, from, err)
	}
	return State(m.Current()), nil
}

// machine returns a fresh machine for documentation and visualization.
func (f *flow) machine() *fsm.FSM {
	return fsm.NewFSM(string(StateAwaitingRating), f.events, nil)
}

// FlowDiagram returns the state machine of the named survey as a Mermaid
// state diagram, drawn by looplab/fsm from the machine the engine runs.
func (e *Engine) FlowDiagram(surveyID string) (string, error) {
	c, ok := e.byID[surveyID]
	if !ok {
		return "", fmt.Errorf("%w: unknown survey %q", ErrInvalidInput, surveyID)
	}
	return fsm.VisualizeWithType(c.flow.machine(), fsm.MermaidStateDiagram)
}
