package survey

import (
	"context"
	"errors"
	"fmt"
)

// SweepResult reports what a sweep did.
type SweepResult struct {
	// Sent counts scheduled surveys whose rating request went out.
	Sent int
	// Expired counts the sessions whose question ran out of time.
	Expired int
	// Outbound lists the rating requests of scheduled surveys to send.
	Outbound []Outbound
}

// sweepBatch is how many due sessions a sweep loads at a time.
const sweepBatch = 256

// Sweep sends the scheduled surveys whose time has come and ends every
// session whose deadline has passed. Call it periodically (every minute is
// plenty). Several instances may sweep at once: each session is sent or
// expired by exactly one of them, because only one optimistic update of a
// version can win.
func (e *Engine) Sweep(ctx context.Context) (*SweepResult, error) {
	res := &SweepResult{}
	now := e.clock.Now()
	for {
		due, err := e.store.Due(ctx, now, sweepBatch)
		if err != nil {
			return res, fmt.Errorf("surveyflow: sweep: %w", err)
		}
		for _, s := range due {
			sv, err := e.survey(s.TenantID, s.SurveyID)
			if err != nil {
				return res, err
			}
			sending := s.State == StateScheduled
			if sending {
				next, err := sv.flow.fire(s.State, eventSend)
				if err != nil {
					return res, err
				}
				s.State = next
				e.markSent(sv, s, now)
			} else if err := e.end(sv, s, eventExpire, now); err != nil {
				return res, err
			}
			err = e.store.Update(ctx, s)
			if errors.Is(err, ErrStaleVersion) {
				continue // someone else changed it: it is no longer ours to handle
			}
			if err != nil {
				return res, fmt.Errorf("surveyflow: sweep session %s: %w", s.ID, err)
			}
			if !sending {
				res.Expired++
				continue
			}
			out, err := e.render(sv, s, KindRatingRequest)
			if err != nil {
				return res, err
			}
			res.Sent++
			res.Outbound = append(res.Outbound, out)
		}
		if len(due) < sweepBatch {
			return res, nil
		}
	}
}
