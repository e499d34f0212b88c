package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"golang.org/x/text/language"
)

// LastRating returns the contact's most recent rated session (seed 000: the
// last rating and comment of each contact can be looked up), or ErrNotFound.
func (e *Engine) LastRating(ctx context.Context, tenantID, contactID string) (*Session, error) {
	hist, err := e.store.ContactHistory(ctx, tenantID, contactID, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("surveyflow: last rating of %s: %w", contactID, err)
	}
	var last *Session
	for _, s := range hist {
		if s.Rated && (last == nil || s.RatedAt.After(last.RatedAt)) {
			last = s
		}
	}
	if last == nil {
		return nil, ErrNotFound
	}
	return last, nil
}

// ConversationSummary is a session ready to show with its conversation and
// to append to the conversation's history (seed 001).
type ConversationSummary struct {
	// SurveyID, State and Trigger describe the survey.
	SurveyID string  `json:"survey_id"`
	State    State   `json:"state"`
	Trigger  Trigger `json:"trigger"`
	// Rated, Score and Label are the contact's answer.
	Rated bool   `json:"rated"`
	Score int    `json:"score"`
	Label string `json:"label"`
	// Comment is the contact's comment.
	Comment string `json:"comment"`
	// SentAt, RatedAt and CommentedAt are when things happened.
	SentAt      time.Time `json:"sent_at,omitzero"`
	RatedAt     time.Time `json:"rated_at,omitzero"`
	CommentedAt time.Time `json:"commented_at,omitzero"`
	// Review is the supervisor's evaluation, if any.
	Review *Review `json:"review,omitempty"`
}

// Summarize returns s as a conversation-history entry, labelled in the
// session's language.
func (e *Engine) Summarize(s *Session) (*ConversationSummary, error) {
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		return nil, err
	}
	out := &ConversationSummary{
		SurveyID: s.SurveyID, State: s.State, Trigger: s.Trigger,
		Rated: s.Rated, Score: s.Rating, Comment: s.Comment,
		SentAt: s.SentAt, RatedAt: s.RatedAt, CommentedAt: s.CommentedAt,
	}
	if s.Review != nil {
		r := *s.Review
		out.Review = &r
	}
	if s.Rated {
		if o, ok := sv.scale.Option(s.Rating); ok {
			tag, _ := language.Parse(s.Language)
			out.Label, _ = sv.texts.Text(tag, i18n.Key(o.LabelKey))
		}
	}
	return out, nil
}

// String renders the summary as one line for a conversation's history.
func (c *ConversationSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "survey %s (%s)", c.SurveyID, c.State)
	if c.Rated {
		fmt.Fprintf(&b, ": %d", c.Score)
		if c.Label != "" {
			fmt.Fprintf(&b, " %s", c.Label)
		}
	} else {
		b.WriteString(": not rated")
	}
	if c.Comment != "" {
		fmt.Fprintf(&b, "; comment %q", c.Comment)
	}
	if c.Review != nil {
		fmt.Fprintf(&b, "; supervisor %s: %d", c.Review.ReviewerID, c.Review.Score)
		if c.Review.Comment != "" {
			fmt.Fprintf(&b, " %q", c.Review.Comment)
		}
	}
	return b.String()
}
