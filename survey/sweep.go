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
	// Outbound lists the rating requests of scheduled surveys to send.
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
// every error joined, together with a result whose Outbound must still be
// sent.
func (e *Engine) Sweep(ctx context.Context) (res *SweepResult, err error) {
	defer func(start time.Time) { e.called(ctx, "sweep", start, nil, err) }(e.since())
	res = &SweepResult{}
	if err := live(ctx); err != nil {
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

// sweepOne sends or expires one claimed session.
func (e *Engine) sweepOne(ctx context.Context, s *Session, now time.Time, res *SweepResult) error {
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		return err
	}
	sending := s.State == StateScheduled
	if sending {
		next, err := sv.flow.fire(s.State, eventSend)
		if err != nil {
			return err
		}
		s.State = next
		e.markSent(sv, s, now)
	} else if err := e.end(sv, s, eventExpire, now); err != nil {
		return err
	}
	if err := live(ctx); err != nil {
		// Nothing was written: no request to hand over, and no need to
		// ask the store (with a done ctx) whether it was.
		return err
	}
	err = e.update(ctx, s)
	if errors.Is(err, ErrStaleVersion) {
		return nil // someone else changed it: it is no longer ours to handle
	}
	if err != nil {
		switch e.committed(ctx, s, now) {
		case writeLost:
			return fmt.Errorf("surveyflow: sweep session %s: %w", s.ID, err)
		case writeUnknown:
			// Nobody can tell whether the request is due again: hand it
			// over with the error. If the write was lost, a later sweep
			// sends it again under the same idempotency key, which the
			// host deduplicates.
			if sending {
				if out, rerr := e.render(sv, s, KindRatingRequest); rerr == nil {
					res.Outbound = append(res.Outbound, out)
				}
			}
			return fmt.Errorf("surveyflow: sweep session %s: %w", s.ID, err)
		}
	}
	where := Event{Call: "sweep", TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, Channel: s.Channel}
	if !sending {
		res.Expired++
		where.Kind = EventExpired
		e.observe(ctx, where)
		return nil
	}
	out, err := e.render(sv, s, KindRatingRequest)
	if err != nil {
		return err
	}
	res.Sent++
	where.Kind = EventSent
	e.observe(ctx, where)
	res.Outbound = append(res.Outbound, out)
	return nil
}

type writeOutcome int

const (
	writeLost writeOutcome = iota
	writeCommitted
	writeUnknown
)

// committed tells whether a write of s that returned an error did commit
// (the connection failed after the database applied it): the stored
// session then shows s's state as changed at now. Sweeps use it so that a
// scheduled request whose write committed is still handed to the host.
func (e *Engine) committed(ctx context.Context, s *Session, now time.Time) writeOutcome {
	for attempt := 0; attempt < 3; attempt++ {
		got, err := e.store.Load(ctx, s.TenantID, s.ID)
		if err != nil {
			continue
		}
		switch {
		case got.State != s.State:
			return writeLost
		case s.State == StateAwaitingRating && got.SentAt.Equal(now),
			s.State != StateAwaitingRating && got.EndedAt.Equal(now):
			return writeCommitted
		}
		return writeLost
	}
	return writeUnknown
}
