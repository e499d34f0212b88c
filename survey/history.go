package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"golang.org/x/text/language"
)

// LastRating returns the contact's most recent rated session (the
// last rating and comment of each contact can be looked up), or ErrNotFound.
func (e *Engine) LastRating(ctx context.Context, tenantID, contactID string) (*Session, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
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
// to append to the conversation's history.
type ConversationSummary struct {
	// SurveyID, State and Trigger describe the survey.
	SurveyID string  `json:"survey_id"`
	State    State   `json:"state"`
	Trigger  Trigger `json:"trigger"`
	// Rated, Score and Label are the contact's answer.
	Rated bool   `json:"rated"`
	Score int    `json:"score"`
	Label string `json:"label"`
	// Reason is the ID of the reason chosen after a low score, and
	// ReasonLabel its label in the contact's language.
	Reason      string `json:"reason,omitempty"`
	ReasonLabel string `json:"reason_label,omitempty"`
	// Comment is the contact's comment.
	Comment string `json:"comment"`
	// SentAt, RatedAt and CommentedAt are when things happened.
	SentAt      time.Time `json:"sent_at,omitzero"`
	RatedAt     time.Time `json:"rated_at,omitzero"`
	CommentedAt time.Time `json:"commented_at,omitzero"`
	// Review is the supervisor's evaluation, if any.
	Review *Review `json:"review,omitempty"`
	// Language is the language the contact was surveyed in (BCP 47).
	Language string `json:"language"`
	// Transcript is the whole survey as the contact saw it, in order:
	// each question the survey sent, in the contact's language, with the
	// contact's answer; a question still waiting has no answer.
	Transcript []SurveyTurn `json:"transcript"`
}

// SurveyTurn is one question of a survey and the contact's answer to it.
type SurveyTurn struct {
	// Kind is the message that asked: the rating request, a re-prompt,
	// the follow-up question, or the thanks (which takes no answer).
	Kind MessageKind `json:"kind"`
	// Question is the text the contact was sent.
	Question string `json:"question"`
	// Answer is what the contact replied: for the rating, the score and
	// its label ("4 Satisfecho"); empty when no answer came.
	Answer string `json:"answer"`
	// AnsweredAt is when the answer was recorded; zero without one.
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// Summarize returns s as a conversation-history entry, labelled in the
// session's language, with the whole survey as the contact saw it in
// Transcript (and, as text, in TranscriptText).
func (e *Engine) Summarize(s *Session) (*ConversationSummary, error) {
	if err := e.made(); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("%w: Summarize needs a session, got nil", ErrInvalidInput)
	}
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
		out.Label = e.ratingLabel(sv, s, s.Rating)
	}
	out.Language = s.Language
	if s.Reason != "" {
		out.Reason, out.ReasonLabel = s.Reason, e.reasonLabel(sv, s)
	}
	turns, err := e.transcript(sv, s)
	if err != nil {
		return nil, err
	}
	out.Transcript = turns
	return out, nil
}

// transcript is what the survey sent s's contact, question by question,
// with the answers, read from the session's turns: the rating request,
// then each question a turn asked, each answered by the next turn that
// answered anything (a change of the rating answers no question).
func (e *Engine) transcript(sv *compiled, s *Session) ([]SurveyTurn, error) {
	if s.SentAt.IsZero() {
		return nil, nil // never sent: the contact saw nothing
	}
	first, err := e.render(sv, s, KindRatingRequest, 0)
	if err != nil {
		return nil, err
	}
	turns := []SurveyTurn{{Kind: KindRatingRequest, Question: first.Text}}
	for i := range s.Turns {
		t := &s.Turns[i]
		if t.Kind == TurnChange {
			continue
		}
		if last := &turns[len(turns)-1]; last.Kind != KindThanks && last.AnsweredAt.IsZero() {
			last.Answer, last.AnsweredAt = e.answerText(sv, s, t), t.At
		}
		asked, err := e.turnEffects(sv, s, i)
		if err != nil {
			return nil, err
		}
		for _, out := range asked.Outbound {
			turns = append(turns, SurveyTurn{Kind: out.Kind, Question: out.Text})
		}
	}
	return turns, nil
}

// answerText is what turn t answered, as the transcript shows it: a
// rating as its score and label ("4 Satisfecho"), a reason as its label,
// a comment or a reply that held no score as the text kept.
func (e *Engine) answerText(sv *compiled, s *Session, t *Turn) string {
	switch t.Kind {
	case TurnRating:
		return strings.TrimSpace(fmt.Sprintf("%d %s", t.Value, e.ratingLabel(sv, s, t.Value)))
	case TurnReason:
		return e.reasonLabel(sv, s)
	case TurnComment:
		return s.Comment
	}
	return t.Text
}

// ratingLabel is the label of rating v in s's language.
func (e *Engine) ratingLabel(sv *compiled, s *Session, v int) string {
	o, ok := sv.scale.Option(v)
	if !ok {
		return ""
	}
	tag, _ := language.Parse(s.Language)
	label, _ := sv.texts.Text(tag, i18n.Key(o.LabelKey))
	return label
}

// reasonLabel is the label of s's reason in s's language.
func (e *Engine) reasonLabel(sv *compiled, s *Session) string {
	for _, c := range sv.lang(s.Language).reasons {
		if c.Payload == ReasonPayloadPrefix+s.Reason {
			return c.Label
		}
	}
	return s.Reason
}

// TranscriptText is Transcript as plain text for a conversation's history:
// each question on its own lines, each answer after "→ ".
func (c *ConversationSummary) TranscriptText() string {
	var b strings.Builder
	for i, t := range c.Transcript {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(t.Question)
		if t.Answer != "" {
			b.WriteString("\n→ ")
			b.WriteString(t.Answer)
		}
	}
	return b.String()
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
