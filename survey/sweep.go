package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// SweepResult reports what a sweep did.
type SweepResult struct {
	// Sent counts scheduled surveys whose rating request went out.
	Sent int `json:"sent"`
	// Expired counts the sessions whose question ran out of time.
	Expired int `json:"expired"`
	// Reminded counts the reminders decided (Definition.Reminder).
	Reminded int `json:"reminded"`
	// RemindersSkipped counts the reminders not sent because the
	// channel's free messaging window had closed: a reminder is never
	// sent as a template.
	RemindersSkipped int `json:"reminders_skipped"`
	// Outbound lists the rating requests of scheduled surveys and the
	// reminders to send.
	// Each is also stored with its session as a pending effect, in the
	// same write that marked it sent: a host that drops this result (or
	// dies before sending) still gets them from Engine.Deliver.
	Outbound []Outbound `json:"outbound"`
}

// sweepBatch is how many due sessions a sweep claims at a time.
const sweepBatch = 256

// sweepLease is how long a sweep's claim on a due session keeps other
// sweepers away. A sweeper that dies mid-batch delays those sessions by at
// most this much; correctness never depends on it (only one versioned
// update of a session can win).
const sweepLease = 5 * time.Minute

// Sweep sends the scheduled surveys whose time has come and ends every
// session whose deadline has passed. Call it periodically (every minute is
// plenty). Several instances may sweep at once: Store.ClaimDue hands each
// due session to one of them, and even past a lapsed claim each session is
// sent or expired by exactly one, because only one optimistic update of a
// version can win.
//
// A store error on one session does not stop the others: Sweep returns
// every error joined, together with a result whose Outbound may still be
// sent (and acknowledged). A session whose survey was removed
// (Engine.SetTenantSurveys) ends at its deadline like any other: expired,
// or cancelled if it was never sent.
func (e *Engine) Sweep(ctx context.Context) (res *SweepResult, err error) {
	defer func(start time.Time) { e.called(ctx, "sweep", start, nil, err) }(e.since())
	res = &SweepResult{}
	if err := e.usable(ctx); err != nil {
		return res, err
	}
	now := e.clock.Now()
	var errs []error
	tried := map[string]bool{} // tenant + ID of every session this sweep handled
	for {
		if err := live(ctx); err != nil {
			return res, errors.Join(append(errs, err)...)
		}
		due, err := e.store.ClaimDue(ctx, now, sweepLease, sweepBatch)
		if err != nil {
			errs = append(errs, fmt.Errorf("surveyflow: sweep: %w", err))
			return res, errors.Join(errs...)
		}
		fresh := 0
		for _, s := range due {
			key := s.TenantID + "\x00" + s.ID
			if tried[key] {
				continue // a store that hands a failed session back: not again in this sweep
			}
			tried[key] = true
			fresh++
			// One session's failure does not stop the sweep: carry on
			// with the rest (the failed one stays claimed until its lease
			// ends) and report every error.
			if err := e.sweepOne(ctx, s, now, res); err != nil {
				errs = append(errs, err)
			}
		}
		if len(due) < sweepBatch || fresh == 0 {
			e.log(ctx, slog.LevelInfo, "surveyflow: sweep", slog.Int("sent", res.Sent),
				slog.Int("expired", res.Expired), slog.Int("errors", len(errs)))
			return res, errors.Join(errs...)
		}
	}
}

// sweepOne sends or expires one claimed session, through the one
// mutation path: after a stale version it looks at the session as stored
// and leaves it alone unless it is still due.
func (e *Engine) sweepOne(ctx context.Context, claimed *Session, now time.Time, res *SweepResult) error {
	expired, reminded, skipped := false, false, false
	out, err := e.mutate(ctx, mutation{
		what: "sweep session", id: claimed.ID, hint: claimed,
		load: func() (*Session, error) { return e.store.Load(ctx, claimed.TenantID, claimed.ID) },
		change: func(s *Session) (*Result, bool, error) {
			r := &Result{}
			expired, reminded, skipped = false, false, false
			if s.State.Final() || s.Deadline.IsZero() || !s.Deadline.Before(now) {
				return r, false, nil // someone else handled it
			}
			sv, err := e.survey(s.TenantID, s.SurveyID)
			switch {
			case s.Expires.After(now):
				// A reminder is due, not yet the question's end.
				var rerr error
				if reminded, skipped, rerr = e.remind(sv, s, now, r); rerr != nil {
					return nil, false, rerr
				}
			case err != nil && s.State == StateScheduled:
				endUnknown(s, StateCancelled, now, r)
			case err != nil:
				endUnknown(s, StateExpired, now, r)
				expired = true
			case s.State == StateScheduled:
				next, err := sv.flow.fire(s.State, eventSend)
				if err != nil {
					return nil, false, err
				}
				s.State = next
				e.markSent(sv, s, now)
				o, err := e.render(sv, s, KindRatingRequest, 0)
				if err != nil {
					return nil, false, err
				}
				r.send(o)
			default:
				if err := e.end(sv, s, eventExpire, now, r); err != nil {
					return nil, false, err
				}
				expired = true
			}
			return r, true, nil
		},
	})
	if err != nil {
		return err
	}
	s := out.Session
	if s == nil {
		return nil
	}
	where := Event{Call: "sweep", TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, Channel: s.Channel}
	switch {
	case reminded:
		res.Reminded++
		res.Outbound = append(res.Outbound, out.Outbound...)
		where.Kind = EventReminded
		e.observe(ctx, where)
	case skipped:
		res.RemindersSkipped++
		where.Kind = EventReminderSkipped
		e.observe(ctx, where)
	case len(out.Outbound) > 0:
		res.Sent++
		res.Outbound = append(res.Outbound, out.Outbound...)
		where.Kind = EventSent
		e.observe(ctx, where)
	case expired:
		res.Expired++
		where.Kind = EventExpired
		e.observe(ctx, where)
	}
	return nil
}

// remind handles a session due at a reminder: the question's end is its
// deadline again, and the reminder goes out when the survey still sends
// it — the contact never replied (a reply would have cleared
// s.Expires), and the channel's free window is open — followed by the
// next one owed. Outside the window it is skipped, and so are the rest.
// sv is nil when the survey was removed: nothing is sent.
func (e *Engine) remind(sv *compiled, s *Session, now time.Time, r *Result) (reminded, skipped bool, err error) {
	s.Deadline, s.Expires = s.Expires, time.Time{}
	if sv == nil || sv.def.Reminder == nil || s.State != StateAwaitingRating || len(s.Turns) > 0 || s.BeforeClose {
		return false, false, nil
	}
	if !e.freeAt(s, now) {
		return false, true, nil
	}
	s.Reminders++
	if s.RemindedAt.IsZero() {
		s.RemindedAt = now
	}
	o, err := e.render(sv, s, KindReminder, s.Reminders)
	if err != nil {
		return false, false, err
	}
	r.send(o)
	sv.owe(s)
	return true, false, nil
}

// endUnknown ends s, whose survey is no longer defined, in state, and
// withdraws its pending questions: no rule of the survey is left to say
// anything else.
func endUnknown(s *Session, state State, now time.Time, res *Result) {
	s.State, s.Deadline, s.Expires, s.EndedAt = state, time.Time{}, time.Time{}, now
	res.withdrawn += s.withdrawQuestions()
}
