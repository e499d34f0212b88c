package survey

import (
	"context"
	"errors"
	"time"
)

// Observer is told what the engine does, for the host's metrics, traces
// and logs (an OpenTelemetry adapter is one such observer). Observe is
// called synchronously, on the calling goroutine, after the fact: it must
// be quick and safe for concurrent use, and it cannot change what the
// engine does. Events carry IDs, codes, scores and timings, never the
// contact's words.
type Observer interface {
	Observe(ctx context.Context, ev Event)
}

// ObserverFunc is a function used as an Observer.
type ObserverFunc func(ctx context.Context, ev Event)

// Observe calls f.
func (f ObserverFunc) Observe(ctx context.Context, ev Event) { f(ctx, ev) }

// EventKind says what an Event reports.
type EventKind string

// The events the engine reports.
const (
	// EventCall: an engine call ended, after Duration, with Err (nil on
	// success). Call names it.
	EventCall EventKind = "call"
	// EventDecision: a close or a request was decided; Eligible, and the
	// failing rules' Codes when not.
	EventDecision EventKind = "decision"
	// EventSent: a rating request was handed to the host, at the close
	// or by a sweep.
	EventSent EventKind = "sent"
	// EventReminded: a sweep decided a reminder (Definition.Reminder).
	EventReminded EventKind = "reminded"
	// EventReminderSkipped: a reminder was due outside the channel's free
	// messaging window, and was not sent.
	EventReminderSkipped EventKind = "reminder_skipped"
	// EventAnswer: the contact answered; Answer says what ("rating",
	// "reason", "comment", "change", or "reprompted" for a reply that
	// held no score) and Score is the rating after it.
	EventAnswer EventKind = "answer"
	// EventExpired: a session's question ran out of time in a sweep.
	EventExpired EventKind = "expired"
	// EventDuplicate: a repeated close or message (Call says which).
	EventDuplicate EventKind = "duplicate"
	// EventOverdue: Deliver handed out an effect (Effect names its key)
	// that had waited longer than Config.EffectsOverdueAfter since it
	// was decided (Duration says how long): the host's deliveries are
	// failing or not running.
	EventOverdue EventKind = "overdue"
	// EventWithdrawn: a session ended unanswered (expired, cancelled,
	// gave up) with Count questions not yet handed to the host; they are
	// withdrawn, since an answer could no longer be taken. It is also
	// reported when the contact replies while Count reminders wait: a
	// contact who answered is not reminded.
	EventWithdrawn EventKind = "withdrawn"
	// EventStore: a call to the Store (Op names the method) took
	// Duration and failed with Err, or succeeded (Err nil). A store's
	// ErrNotFound, ErrDuplicate, ErrActiveExists and ErrStaleVersion are
	// answers, not failures, and are reported with Err nil.
	EventStore EventKind = "store"
	// EventErased: a session's personal data was erased
	// (Engine.EraseContact, Call "erase").
	EventErased EventKind = "erased"
	// EventRemoved: a session was removed entirely
	// (Engine.EraseContact with RemoveResponses, Call "erase").
	EventRemoved EventKind = "removed"
	// EventScrubbed: a session's free text was removed by its tenant's
	// retention period (Engine.Retain, Call "retain").
	EventScrubbed EventKind = "scrubbed"
)

// Event is one thing the engine did. Fields that do not apply to its Kind
// are zero.
type Event struct {
	// Kind says what happened.
	Kind EventKind `json:"kind"`
	// Call is the engine call: "close", "request", "reopen", "message",
	// "review", "sweep", "deliver", "acknowledge", "link_open",
	// "link_confirm", "link_comment", "erase", "retain" or "access".
	Call string `json:"call,omitempty"`
	// Op is the Store method, on EventStore.
	Op string `json:"op,omitempty"`
	// TenantID, SurveyID, SessionID and Channel say where, when known.
	TenantID  string `json:"tenant_id,omitempty"`
	SurveyID  string `json:"survey_id,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	Channel   string `json:"channel,omitempty"`
	// Eligible and Codes are the decision, on EventDecision.
	Eligible bool     `json:"eligible,omitempty"`
	Codes    []string `json:"codes,omitempty"`
	// Answer and Score describe an EventAnswer.
	Answer string `json:"answer,omitempty"`
	Score  int    `json:"score,omitempty"`
	// Effect is the idempotency key of the effect an EventOverdue is
	// about.
	Effect string `json:"effect,omitempty"`
	// Count is how many effects an EventWithdrawn withdrew.
	Count int `json:"count,omitempty"`
	// Duration is how long a call or a store call took (wall-clock time,
	// not the engine's Clock).
	Duration time.Duration `json:"duration,omitempty"`
	// Err is the error of a failed call or store call.
	Err error `json:"-"`
}

// observe reports ev when the engine has an observer.
func (e *Engine) observe(ctx context.Context, ev Event) {
	if e.observer != nil {
		e.observer.Observe(ctx, ev)
	}
}

// since is the wall-clock start of a call being timed; zero without an
// observer, so an engine that is not observed reads no clock for it.
func (e *Engine) since() time.Time {
	if e == nil || e.observer == nil {
		return time.Time{}
	}
	return time.Now()
}

// called reports an engine call that began at start and what its result
// says: the decision, the requests sent, the duplicate, the answer.
func (e *Engine) called(ctx context.Context, call string, start time.Time, res *Result, err error) {
	if e == nil || e.observer == nil {
		return
	}
	if ctx == nil {
		// A nil context is refused (ErrInvalidInput); the observer still
		// gets a context it can read.
		ctx = context.Background()
	}
	ev := Event{Kind: EventCall, Call: call, Duration: time.Since(start), Err: err}
	if res != nil && res.Session != nil {
		s := res.Session
		ev.TenantID, ev.SurveyID, ev.SessionID, ev.Channel = s.TenantID, s.SurveyID, s.ID, s.Channel
	}
	if err == nil && res != nil {
		e.observeResult(ctx, call, ev, res)
	}
	e.observer.Observe(ctx, ev)
}

func (e *Engine) observeResult(ctx context.Context, call string, where Event, res *Result) {
	at := func(kind EventKind) Event {
		ev := where
		ev.Kind, ev.Duration = kind, 0
		return ev
	}
	if call == "close" || call == "request" {
		ev := at(EventDecision)
		ev.Eligible = res.Decision.Eligible
		for _, f := range res.Decision.Failures {
			ev.Codes = append(ev.Codes, f.Code)
		}
		e.observer.Observe(ctx, ev)
	}
	if res.Duplicate {
		e.observer.Observe(ctx, at(EventDuplicate))
		return
	}
	for _, o := range res.Outbound {
		if o.Kind == KindRatingRequest {
			ev := at(EventSent)
			ev.TenantID, ev.SurveyID, ev.SessionID, ev.Channel = o.TenantID, where.SurveyID, o.SessionID, o.Channel
			e.observer.Observe(ctx, ev)
		}
	}
	if res.answer != "" {
		ev := at(EventAnswer)
		ev.Answer = res.answer
		if res.Session != nil {
			ev.Score = res.Session.Rating
		}
		e.observer.Observe(ctx, ev)
	}
}

// observedStore times every store call for the observer.
type observedStore struct {
	Store
	e *Engine
}

// storeCall reports one store call that began at start.
func (o observedStore) storeCall(ctx context.Context, op string, start time.Time, err error) {
	switch {
	case err == nil:
	case isAnswer(err):
		err = nil
	}
	o.e.observer.Observe(ctx, Event{Kind: EventStore, Op: op, Duration: time.Since(start), Err: err})
}

func isAnswer(err error) bool {
	for _, a := range []error{ErrNotFound, ErrDuplicate, ErrActiveExists, ErrStaleVersion} {
		if errors.Is(err, a) {
			return true
		}
	}
	return false
}

// timed runs one store call and reports it.
func timed[T any](o observedStore, ctx context.Context, op string, call func() (T, error)) (T, error) {
	start := time.Now()
	v, err := call()
	o.storeCall(ctx, op, start, err)
	return v, err
}

func (o observedStore) Create(ctx context.Context, s *Session) error {
	_, err := timed(o, ctx, "Create", func() (struct{}, error) { return struct{}{}, o.Store.Create(ctx, s) })
	return err
}

func (o observedStore) Load(ctx context.Context, tenantID, id string) (*Session, error) {
	return timed(o, ctx, "Load", func() (*Session, error) { return o.Store.Load(ctx, tenantID, id) })
}

func (o observedStore) Update(ctx context.Context, s *Session) error {
	_, err := timed(o, ctx, "Update", func() (struct{}, error) { return struct{}{}, o.Store.Update(ctx, s) })
	return err
}

func (o observedStore) Awaiting(ctx context.Context, tenantID, contactID, channel string) (*Session, error) {
	return timed(o, ctx, "Awaiting", func() (*Session, error) { return o.Store.Awaiting(ctx, tenantID, contactID, channel) })
}

func (o observedStore) Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*Session, error) {
	return timed(o, ctx, "Route", func() (*Session, error) {
		return o.Store.Route(ctx, tenantID, contactID, channel, messageID)
	})
}

func (o observedStore) ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*Session, error) {
	return timed(o, ctx, "ConversationSessions", func() ([]*Session, error) {
		return o.Store.ConversationSessions(ctx, tenantID, conversationID)
	})
}

func (o observedStore) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*Session, error) {
	return timed(o, ctx, "ContactHistory", func() ([]*Session, error) {
		return o.Store.ContactHistory(ctx, tenantID, contactID, since)
	})
}

func (o observedStore) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Session, error) {
	return timed(o, ctx, "ClaimDue", func() ([]*Session, error) { return o.Store.ClaimDue(ctx, now, lease, limit) })
}

func (o observedStore) ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*Session, error) {
	return timed(o, ctx, "ClaimEffects", func() ([]*Session, error) {
		return o.Store.ClaimEffects(ctx, now, decidedBy, lease, limit)
	})
}
