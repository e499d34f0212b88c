package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Effect is something the engine decided the host must do: a message to
// send the contact, or a notification to give the host's users, as
// Deliver hands it out. Every effect is stored with the session change
// that decided it, in the same store write (a PendingEffect in
// Session.Pending), and stays pending until the host acknowledges it
// (Deliver does so after each send; a host that sends inline calls
// Acknowledge). Exactly one of Message and Notification is set.
type Effect struct {
	// Key is the idempotency key, the same as the message's or the
	// notification's: it never changes however often the effect is
	// handed out, so a host that remembers the keys it sent delivers
	// each effect once.
	Key string `json:"key"`
	// Message is a message to the contact.
	Message Outbound `json:"message,omitzero"`
	// Notification is a notification for the host's users.
	Notification Notification `json:"notification,omitzero"`
	// DecidedAt is when the engine decided it (the engine's Clock).
	DecidedAt time.Time `json:"decided_at,omitzero"`
}

// IsMessage reports whether the effect is a message to the contact
// (Message) rather than a notification (Notification).
func (f *Effect) IsMessage() bool { return f.Message.Kind != "" }

// PendingEffect is how a session keeps an effect it decided until the
// host acknowledges it: a reference to what decided it, from which the
// engine renders the Effect it hands out, the same under the same key
// every time (a survey redefined in between speaks its new texts). A
// notification that could not be rendered again (a supervisor's review,
// which a later review replaces) is kept whole.
type PendingEffect struct {
	// Key is the effect's idempotency key.
	Key string `json:"key"`
	// Kind is the message's MessageKind or the notification's
	// NotificationKind.
	Kind string `json:"kind"`
	// Turn is the turn that decided it, counted from 1 (Session.Turns);
	// 0 for the rating request of the session's start or send, and for a
	// notification kept whole.
	Turn int `json:"turn,omitempty"`
	// DecidedAt is when the engine decided it.
	DecidedAt time.Time `json:"decided_at,omitzero"`
	// Notification is the notification kept whole; nil for the others.
	Notification *Notification `json:"notification,omitempty"`
}

// question reports whether the effect asks the contact something the
// survey waits for; such an effect is withdrawn when its survey ends
// unanswered, since an answer could no longer be taken.
func (p *PendingEffect) question() bool {
	switch MessageKind(p.Kind) {
	case KindRatingRequest, KindReprompt, KindReasonRequest, KindCommentRequest, KindReminder:
		return true
	}
	return false
}

// keep adds what res decided to s's pending effects, decided at now: as
// references to the turn that decided them (res.turn), to the session's
// rating request, or whole.
func (s *Session) keep(res *Result, now time.Time) {
	n := len(res.Outbound) + len(res.Notifications)
	if n == 0 {
		return
	}
	s.Pending = slices.Grow(s.Pending, n)
	for _, o := range res.Outbound {
		s.Pending = append(s.Pending, PendingEffect{Key: o.IdempotencyKey, Kind: string(o.Kind), Turn: res.turn, DecidedAt: now})
	}
	for i := range res.Notifications {
		nt := &res.Notifications[i]
		p := PendingEffect{Key: nt.IdempotencyKey, Kind: string(nt.Kind), Turn: res.turn, DecidedAt: now}
		if res.turn == 0 {
			c := *nt
			c.Recipients = slices.Clone(nt.Recipients)
			p.Notification = &c
		}
		s.Pending = append(s.Pending, p)
	}
}

// effect renders the pending effect p of s as Deliver hands it out: what
// the call that decided it returned.
func (e *Engine) effect(s *Session, p *PendingEffect) (Effect, error) {
	f := Effect{Key: p.Key, DecidedAt: p.DecidedAt}
	if p.Notification != nil {
		f.Notification = *p.Notification
		f.Notification.Recipients = slices.Clone(p.Notification.Recipients)
		return f, nil
	}
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		return f, fmt.Errorf("surveyflow: effect %s: %w", p.Key, err)
	}
	if p.Turn == 0 {
		n := 0
		if p.Kind == string(KindReminder) {
			// A sweep's reminder has no turn: its number is in its key.
			digits, ok := strings.CutPrefix(p.Key, s.ID+"/"+string(KindReminder)+"/")
			if n, err = strconv.Atoi(digits); !ok || err != nil || n < 1 {
				return f, fmt.Errorf("surveyflow: effect %s is no reminder of session %s", p.Key, s.ID)
			}
		}
		f.Message, err = e.render(sv, s, MessageKind(p.Kind), n)
		return f, err
	}
	if p.Turn > len(s.Turns) {
		return f, fmt.Errorf("surveyflow: effect %s names turn %d of %d", p.Key, p.Turn, len(s.Turns))
	}
	res, err := e.turnEffects(sv, s, p.Turn-1)
	if err != nil {
		return f, err
	}
	for _, o := range res.Outbound {
		if o.IdempotencyKey == p.Key {
			f.Message = o
			return f, nil
		}
	}
	for _, n := range res.Notifications {
		if n.IdempotencyKey == p.Key {
			f.Notification = n
			return f, nil
		}
	}
	return f, fmt.Errorf("surveyflow: effect %s is not one turn %d produced", p.Key, p.Turn)
}

// withdrawQuestions drops the pending questions of a session that ended
// unanswered and returns how many it dropped: asked after the end, the
// contact's answer would land in the chat or in a later survey.
// Notifications and the thanks stay.
func (s *Session) withdrawQuestions() int {
	before := len(s.Pending)
	s.Pending = slices.DeleteFunc(s.Pending, func(p PendingEffect) bool { return p.question() })
	if len(s.Pending) == 0 {
		s.Pending = nil
	}
	return before - len(s.Pending)
}

// withdrawReminders drops the pending reminders of a session the contact
// answered and returns how many it dropped.
func (s *Session) withdrawReminders() int {
	before := len(s.Pending)
	s.Pending = slices.DeleteFunc(s.Pending, func(p PendingEffect) bool { return p.Kind == string(KindReminder) })
	if len(s.Pending) == 0 {
		s.Pending = nil
	}
	return before - len(s.Pending)
}

// acknowledge drops the pending effects whose keys are in keys and
// reports how many it dropped.
func (s *Session) acknowledge(keys []string) int {
	before := len(s.Pending)
	s.Pending = slices.DeleteFunc(s.Pending, func(p PendingEffect) bool { return slices.Contains(keys, p.Key) })
	if len(s.Pending) == 0 {
		s.Pending = nil
	}
	return before - len(s.Pending)
}

// Keys returns the idempotency keys of what r asks the host to send and
// tell (Outbound and Notifications, not the replays): the keys a host
// that sends inline passes to Acknowledge once it has sent them.
func (r *Result) Keys() []string {
	keys := make([]string, 0, len(r.Outbound)+len(r.Notifications))
	for _, o := range r.Outbound {
		keys = append(keys, o.IdempotencyKey)
	}
	for _, n := range r.Notifications {
		keys = append(keys, n.IdempotencyKey)
	}
	return keys
}

// Acknowledge records that the host sent the effects with keys of one
// session, so that Deliver never hands them out again. A host that sends
// what a Result returns inline acknowledges it afterwards
// (Result.Keys); keys the session does not hold pending (already
// acknowledged, or never decided) are ignored, so acknowledging twice is
// harmless. An unknown session is ErrNotFound.
func (e *Engine) Acknowledge(ctx context.Context, tenantID, sessionID string, keys ...string) (err error) {
	defer func(start time.Time) { e.called(ctx, "acknowledge", start, nil, err) }(e.since())
	if err := e.usable(ctx); err != nil {
		return err
	}
	if tenantID == "" || sessionID == "" {
		return fmt.Errorf("%w: Acknowledge needs a tenant and a session ID", ErrInvalidInput)
	}
	if len(keys) == 0 {
		return nil
	}
	_, err = e.mutate(ctx, mutation{
		what: "acknowledge", id: sessionID,
		load: func() (*Session, error) { return e.store.Load(ctx, tenantID, sessionID) },
		change: func(s *Session) (*Result, bool, error) {
			return &Result{Session: s}, s.acknowledge(keys) > 0, nil
		},
	})
	return err
}

// DefaultDeliverLease is how long Deliver keeps other callers away from
// the effects of a session it claimed, when DeliverOptions.Lease is zero.
const DefaultDeliverLease = time.Minute

// DefaultEffectsOverdueAfter is Config.EffectsOverdueAfter's default.
const DefaultEffectsOverdueAfter = 15 * time.Minute

// deliverBatch is how many sessions Deliver claims at a time.
const deliverBatch = 128

// DeliverOptions tunes a Deliver call.
type DeliverOptions struct {
	// MinAge leaves effects decided less than MinAge ago to the call
	// that returned them: a host that sends what each Result returns and
	// then acknowledges it drains with a MinAge of a minute or so, and
	// Deliver hands out only what such a host lost (it crashed before
	// sending, or its acknowledgement failed). Zero hands out every
	// pending effect at once: what a host that sends only through
	// Deliver wants.
	MinAge time.Duration
	// Lease is how long the effects of a session this call claims are
	// its own: no other Deliver hands them out meanwhile. A caller that
	// dies mid-delivery delays them by at most this much. Zero means
	// DefaultDeliverLease.
	Lease time.Duration
	// Limit bounds how many sessions this call handles; zero means every
	// session with pending effects.
	Limit int
}

// DeliverResult reports what a Deliver call did.
type DeliverResult struct {
	// Delivered counts the effects sent and acknowledged.
	Delivered int `json:"delivered"`
	// Failed counts the effects whose send returned an error; they stay
	// pending, and so do the later effects of the same session, which
	// keep their order.
	Failed int `json:"failed"`
	// Overdue counts the effects handed out that had waited longer than
	// Config.EffectsOverdueAfter since they were decided (each also
	// reported to the Observer as EventOverdue).
	Overdue int `json:"overdue"`
}

// Deliver hands out the pending effects of every session, oldest first,
// to send, and acknowledges each one send accepts (returns nil for).
// Run it periodically, from one instance or several at once: each
// session's effects are claimed for DeliverOptions.Lease, so no two
// callers hand out the same effect at the same time, and an effect is
// handed out again, under the same Effect.Key, until it is acknowledged.
// A host that deduplicates by key therefore delivers each effect exactly
// once, even when it crashes between sending and the acknowledgement.
//
// send is called on the calling goroutine, one effect at a time, in the
// order the session decided them. When it fails, that session's
// remaining effects wait for a later call (they keep their order), and
// Deliver goes on with the other sessions. Errors of the store are
// returned joined, with the counts so far.
func (e *Engine) Deliver(ctx context.Context, send func(context.Context, Effect) error, opts DeliverOptions) (res *DeliverResult, err error) {
	defer func(start time.Time) { e.called(ctx, "deliver", start, nil, err) }(e.since())
	res = &DeliverResult{}
	if err := e.usable(ctx); err != nil {
		return res, err
	}
	if send == nil {
		return res, fmt.Errorf("%w: Deliver needs a send function", ErrInvalidInput)
	}
	if opts.MinAge < 0 || opts.Lease < 0 || opts.Limit < 0 {
		return res, fmt.Errorf("%w: DeliverOptions must not be negative", ErrInvalidInput)
	}
	lease := opts.Lease
	if lease == 0 {
		lease = DefaultDeliverLease
	}
	now := e.clock.Now()
	var errs []error
	tried := map[string]bool{}
	handled := 0
	for {
		if err := live(ctx); err != nil {
			return res, errors.Join(append(errs, err)...)
		}
		batch := deliverBatch
		if opts.Limit > 0 {
			batch = min(batch, opts.Limit-handled)
		}
		claimed, err := e.store.ClaimEffects(ctx, now, now.Add(-opts.MinAge), lease, batch)
		if err != nil {
			return res, errors.Join(append(errs, fmt.Errorf("surveyflow: deliver: %w", err))...)
		}
		fresh := 0
		for _, s := range claimed {
			key := s.TenantID + "\x00" + s.ID
			if tried[key] {
				continue
			}
			tried[key] = true
			fresh++
			handled++
			if err := e.deliverSession(ctx, s, send, now, lease, res); err != nil {
				errs = append(errs, err)
			}
		}
		if len(claimed) < batch || fresh == 0 || (opts.Limit > 0 && handled >= opts.Limit) {
			if res.Delivered+res.Failed > 0 {
				e.log(ctx, slog.LevelInfo, "surveyflow: deliver", slog.Int("delivered", res.Delivered),
					slog.Int("failed", res.Failed), slog.Int("overdue", res.Overdue), slog.Int("errors", len(errs)))
			}
			return res, errors.Join(errs...)
		}
	}
}

// deliverSession sends s's pending effects in order until one fails, then
// acknowledges those sent; effects decided meanwhile (the contact answered
// again) follow while the claim holds, so they wait for no lease.
func (e *Engine) deliverSession(ctx context.Context, s *Session, send func(context.Context, Effect) error, now time.Time, lease time.Duration, res *DeliverResult) error {
	for round := 0; s != nil && len(s.Pending) > 0; round++ {
		if round > 0 && (round >= maxAttempts || e.clock.Now().After(now.Add(lease/2))) {
			return nil // the rest waits for the next call
		}
		sent, failed := e.sendPending(ctx, s, send, now, res)
		if len(sent) == 0 {
			return nil
		}
		// Acknowledge on a context that outlives the caller's: the
		// effects were sent, and forgetting that would only send them
		// again.
		actx := context.WithoutCancel(ctx)
		saved, err := e.mutate(actx, mutation{
			what: "acknowledge", id: s.ID, hint: s,
			load: func() (*Session, error) { return e.store.Load(actx, s.TenantID, s.ID) },
			change: func(s *Session) (*Result, bool, error) {
				return &Result{Session: s}, s.acknowledge(sent) > 0, nil
			},
		})
		if err != nil {
			return fmt.Errorf("surveyflow: deliver: acknowledge session %s: %w", s.ID, err)
		}
		res.Delivered += len(sent)
		if failed || live(ctx) != nil {
			return nil
		}
		s = saved.Session
	}
	return nil
}

// sendPending hands s's pending effects to send in order, until one
// fails, and returns the keys sent and whether one failed.
func (e *Engine) sendPending(ctx context.Context, s *Session, send func(context.Context, Effect) error, now time.Time, res *DeliverResult) (sent []string, failed bool) {
	for i := range s.Pending {
		if live(ctx) != nil {
			return sent, false
		}
		p := &s.Pending[i]
		if p.DecidedAt.Add(e.overdueAfter).Before(now) {
			res.Overdue++
			e.observe(ctx, Event{Kind: EventOverdue, Call: "deliver", TenantID: s.TenantID, SurveyID: s.SurveyID,
				SessionID: s.ID, Channel: s.Channel, Effect: p.Key, Duration: now.Sub(p.DecidedAt)})
		}
		f, err := e.effect(s, p)
		if err == nil {
			err = send(ctx, f)
		}
		if err != nil {
			res.Failed++
			e.log(ctx, slog.LevelWarn, "surveyflow: effect not sent", slog.String("tenant", s.TenantID),
				slog.String("session", s.ID), slog.String("effect", p.Key), slog.String("error", err.Error()))
			return sent, true
		}
		sent = append(sent, p.Key)
	}
	return sent, false
}
