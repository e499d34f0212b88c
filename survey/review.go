package survey

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReviewInput is a supervisor's evaluation of a conversation, surveyed or
// not.
type ReviewInput struct {
	// TenantID scopes the review.
	TenantID string `json:"tenant_id"`
	// SessionID names the survey session reviewed. Leave it empty and set
	// Conversation to review a conversation by itself.
	SessionID string `json:"session_id"`
	// Conversation, when SessionID is empty, is the conversation reviewed:
	// its survey session when it has one, else a session of its own that
	// holds only the review (state not_surveyed).
	Conversation *Conversation `json:"conversation,omitempty"`
	// SurveyID picks the survey whose scale a review of an unsurveyed
	// conversation uses; empty means the survey for the conversation's
	// channel.
	SurveyID string `json:"survey_id"`
	// ReviewerID is the supervisor's user ID.
	ReviewerID string `json:"reviewer_id"`
	// Score is on the survey's scale.
	Score int `json:"score"`
	// Comment is the supervisor's note.
	Comment string `json:"comment"`
}

// Review records a supervisor's score and comment beside the contact's
// rating, whatever the session's state; a later review replaces
// an earlier one. With Definition.NotifyAgents the agents are told.
//
// A conversation that was never surveyed can be reviewed too (set
// in.Conversation instead of in.SessionID): the review is kept in a
// session of its own, in state not_surveyed, which reports never count as
// a response but the ratings registry and exports list. That session has
// no contact ID, so the contact's surveys (routing replies, frequency
// caps) never see it; it keeps the contact's name.
func (e *Engine) Review(ctx context.Context, in ReviewInput) (*Result, error) {
	start := e.since()
	res, err := e.review(ctx, in)
	e.called(ctx, "review", start, res, err)
	return res, err
}

func (e *Engine) review(ctx context.Context, in ReviewInput) (*Result, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if in.TenantID == "" || in.ReviewerID == "" || (in.SessionID == "" && in.Conversation == nil) {
		return nil, fmt.Errorf("%w: a review needs TenantID, ReviewerID and a SessionID or Conversation", ErrInvalidInput)
	}
	for _, x := range [...]struct{ what, id string }{{"tenant ID", in.TenantID}, {"session ID", in.SessionID}, {"reviewer ID", in.ReviewerID}} {
		if err := checkID(x.what, x.id); err != nil && x.id != "" {
			return nil, err
		}
	}
	load := func() (*Session, error) { return e.store.Load(ctx, in.TenantID, in.SessionID) }
	what := in.SessionID
	if in.SessionID == "" {
		conv := in.Conversation
		if err := validateConversation(conv); err != nil {
			return nil, err
		}
		if conv.TenantID != in.TenantID {
			return nil, fmt.Errorf("%w: the conversation's tenant %q is not the review's %q", ErrInvalidInput, conv.TenantID, in.TenantID)
		}
		what = "conversation " + conv.ID
		var err error
		if load, err = e.conversationToReview(ctx, conv, in.SurveyID); err != nil {
			return nil, err
		}
	}
	return e.mutate(ctx, mutation{
		what: "review", id: what, load: load,
		change: func(s *Session) (*Result, bool, error) {
			sv, err := e.survey(s.TenantID, s.SurveyID)
			if err != nil {
				return nil, false, err
			}
			if !sv.scale.Contains(in.Score) {
				return nil, false, fmt.Errorf("%w: review score %d is not on the scale %d–%d", ErrInvalidInput, in.Score, sv.scale.Min(), sv.scale.Max())
			}
			comment := e.cut(in.Comment)
			if !utf8.ValidString(in.Comment) || len(comment) < len(strings.ToValidUTF8(in.Comment, "\uFFFD")) {
				return nil, false, fmt.Errorf("%w: review comment must be valid UTF-8 of at most %d characters", ErrInvalidInput, e.maxComment)
			}
			s.Review = &Review{ReviewerID: in.ReviewerID, Score: in.Score, Comment: comment, At: e.clock.Now()}
			res := &Result{}
			if agents := humanAgents(s); sv.def.NotifyAgents && len(agents) > 0 {
				// Keyed by the version the review is saved as: each review
				// of the session notifies once.
				res.Notifications = append(res.Notifications, Notification{
					IdempotencyKey: s.ID + "/reviewed/" + strconv.FormatInt(s.Version+1, 10),
					Kind:           NotifyReviewed, Recipients: agents,
					TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID,
					Score: in.Score, ReviewerID: in.ReviewerID,
				})
			}
			return res, true, nil
		},
	})
}

// conversationToReview returns how to load the session a review of conv
// goes to: the newest survey session of the conversation, else its
// review-only session, stored or new (Version 0, for Create).
func (e *Engine) conversationToReview(ctx context.Context, conv *Conversation, surveyID string) (func() (*Session, error), error) {
	list, err := e.store.ConversationSessions(ctx, conv.TenantID, conv.ID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow: review conversation %s: %w", conv.ID, err)
	}
	if len(list) > 0 { // the newest: a survey, or the review-only session
		id := list[0].ID
		return func() (*Session, error) { return e.store.Load(ctx, conv.TenantID, id) }, nil
	}
	sv := e.surveyFor(conv.TenantID, conv.Channel, surveyID)
	if sv == nil {
		if surveyID != "" {
			return nil, fmt.Errorf("%w %q for tenant %q", ErrUnknownSurvey, surveyID, conv.TenantID)
		}
		return nil, fmt.Errorf("%w: no enabled survey applies to channel %q", ErrUnknownSurvey, conv.Channel)
	}
	id := "review-" + sessionID(conv.TenantID, sv.def.ID, conv.ID, "review", 0)
	return func() (*Session, error) {
		s, err := e.store.Load(ctx, conv.TenantID, id)
		if !errors.Is(err, ErrNotFound) {
			return s, err
		}
		now := e.clock.Now()
		closedAt := conv.ClosedAt
		if closedAt.IsZero() {
			closedAt = now
		}
		return &Session{
			TenantID: conv.TenantID, ID: id, SurveyID: sv.def.ID, Scale: sv.scale.ID(), ConversationID: conv.ID,
			ContactName: conv.Contact.Name, Channel: conv.Channel, State: StateNotSurveyed,
			Agents: agentsOf(conv), Assignee: conv.Assignee, LastAgent: lastHumanReply(conv),
			ClosedAt: closedAt, CreatedAt: now, EndedAt: now,
		}, nil
	}, nil
}
