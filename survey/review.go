package survey

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReviewInput is a supervisor's evaluation of a surveyed conversation.
type ReviewInput struct {
	// TenantID and SessionID name the survey session reviewed.
	TenantID  string `json:"tenant_id"`
	SessionID string `json:"session_id"`
	// ReviewerID is the supervisor's user ID.
	ReviewerID string `json:"reviewer_id"`
	// Score is on the survey's scale.
	Score int `json:"score"`
	// Comment is the supervisor's note.
	Comment string `json:"comment"`
}

// Review records a supervisor's score and comment beside the contact's
// rating (seed 004), whatever the session's state; a later review replaces
// an earlier one. With Survey.NotifyAgents the agents are told.
func (e *Engine) Review(ctx context.Context, in ReviewInput) (*Result, error) {
	start := e.since()
	res, err := e.review(ctx, in)
	e.called(ctx, "review", start, res, err)
	return res, err
}

func (e *Engine) review(ctx context.Context, in ReviewInput) (*Result, error) {
	if err := live(ctx); err != nil {
		return nil, err
	}
	if in.TenantID == "" || in.SessionID == "" || in.ReviewerID == "" {
		return nil, fmt.Errorf("%w: a review needs TenantID, SessionID and ReviewerID", ErrInvalidInput)
	}
	for _, x := range [...]struct{ what, id string }{{"tenant ID", in.TenantID}, {"session ID", in.SessionID}, {"reviewer ID", in.ReviewerID}} {
		if err := checkID(x.what, x.id); err != nil {
			return nil, err
		}
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		s, err := e.store.Load(ctx, in.TenantID, in.SessionID)
		if err != nil {
			return nil, fmt.Errorf("surveyflow: review %s: %w", in.SessionID, err)
		}
		sv, err := e.survey(s.TenantID, s.SurveyID)
		if err != nil {
			return nil, err
		}
		if !sv.scale.Contains(in.Score) {
			return nil, fmt.Errorf("%w: review score %d is not on the scale %d–%d", ErrInvalidInput, in.Score, sv.scale.Min(), sv.scale.Max())
		}
		comment := e.cut(in.Comment)
		if !utf8.ValidString(in.Comment) || len(comment) < len(strings.ToValidUTF8(in.Comment, "\uFFFD")) {
			return nil, fmt.Errorf("%w: review comment must be valid UTF-8 of at most %d characters", ErrInvalidInput, e.maxComment)
		}
		s.Review = &Review{ReviewerID: in.ReviewerID, Score: in.Score, Comment: comment, At: e.clock.Now()}
		err = e.update(ctx, s)
		if errors.Is(err, ErrStaleVersion) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("surveyflow: review %s: %w", in.SessionID, err)
		}
		res := &Result{Session: s.Clone()}
		if agents := humanAgents(s); sv.def.NotifyAgents && len(agents) > 0 {
			res.Notifications = append(res.Notifications, Notification{
				IdempotencyKey: s.ID + "/reviewed/" + strconv.FormatInt(s.Version, 10),
				Kind:           NotifyReviewed, Recipients: agents,
				TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID,
				Score: in.Score, ReviewerID: in.ReviewerID,
			})
		}
		return res, nil
	}
	return nil, fmt.Errorf("surveyflow: review %s: %w after %d attempts", in.SessionID, ErrStaleVersion, maxAttempts)
}
