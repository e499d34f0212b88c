package survey

import "time"

// State is where a survey session stands.
type State string

// The states of a session. The flow is
//
//	scheduled --send--> awaiting_rating --rate--> awaiting_comment --comment--> completed
//
// with scheduled skipped when the survey is sent at once, awaiting_comment
// skipped when it asks no comment, and expire / cancel / give_up leaving any
// waiting state for good.
const (
	// StateScheduled waits for its send time (Survey.SendDelay); the
	// rating request has not been sent.
	StateScheduled State = "scheduled"
	// StateAwaitingRating waits for the contact's score.
	StateAwaitingRating State = "awaiting_rating"
	// StateAwaitingComment has the score and waits for an optional comment.
	StateAwaitingComment State = "awaiting_comment"
	// StateCompleted has every answer the survey asked for.
	StateCompleted State = "completed"
	// StateExpired ran out of time waiting for an answer; a score already
	// given still counts.
	StateExpired State = "expired"
	// StateUnanswered ended after replies that were not scores.
	StateUnanswered State = "unanswered"
	// StateCancelled was called off before it was answered: replaced by a
	// newer survey for the same contact and channel, or the conversation
	// reopened or the contact wrote again before a scheduled send.
	StateCancelled State = "cancelled"
	// StateNotSurveyed holds a supervisor's review of a conversation that
	// was never surveyed (Engine.Review with a Conversation): nothing was
	// sent and nothing can be answered.
	StateNotSurveyed State = "not_surveyed"
)

// Final reports whether no event can change the session any more.
func (s State) Final() bool {
	switch s {
	case StateCompleted, StateExpired, StateUnanswered, StateCancelled, StateNotSurveyed:
		return true
	}
	return false
}

// Trigger says how a session started.
type Trigger string

const (
	// TriggerClose is the automatic survey after a close, rules applied.
	TriggerClose Trigger = "close"
	// TriggerManual was requested by the host or an agent for one
	// conversation, bypassing the eligibility rules on purpose.
	TriggerManual Trigger = "manual"
)

// Review is a supervisor's evaluation of a conversation (seed 004), kept
// apart from the contact's rating.
type Review struct {
	// ReviewerID is the supervisor's user ID.
	ReviewerID string `json:"reviewer_id"`
	// Score is on the survey's scale.
	Score int `json:"score"`
	// Comment is the supervisor's note.
	Comment string `json:"comment"`
	// At is when the review was recorded.
	At time.Time `json:"at,omitzero"`
}

// Agent is a participant a session's answers are attributed to.
type Agent struct {
	// ID is the participant's ID.
	ID string `json:"id"`
	// Name is the participant's display name, for {agent} in texts.
	Name string `json:"name"`
	// Kind is Human or Bot.
	Kind ParticipantKind `json:"kind"`
	// Groups are the agent's teams at the time of the conversation.
	Groups []string `json:"groups"`
}

// Session is one survey sent after one conversation close: its state, its
// answers and its version. It is the unit a Store saves atomically.
type Session struct {
	// TenantID scopes the session.
	TenantID string `json:"tenant_id"`
	// ID is derived from the tenant, survey, conversation and close time,
	// so a duplicated close event finds the same session.
	ID string `json:"id"`
	// SurveyID names the survey definition.
	SurveyID string `json:"survey_id"`
	// ConversationID is the conversation surveyed.
	ConversationID string `json:"conversation_id"`
	// ContactID and Channel route the contact's replies to the session.
	ContactID string `json:"contact_id"`
	// Channel is the conversation's channel.
	Channel string `json:"channel"`
	// ContactName is the contact's name, for {contact} in texts.
	ContactName string `json:"contact_name"`
	// Language is the catalog language the survey speaks (BCP 47).
	Language string `json:"language"`
	// State is where the flow stands.
	State State `json:"state"`
	// Version increases by one with every saved change; a Store rejects a
	// write whose expected version is stale.
	Version int64 `json:"version"`
	// Agents are the participants the answers count for (seed 000).
	Agents []Agent `json:"agents"`
	// Assignee is the agent the conversation was assigned to when it
	// closed (Conversation.Assignee); empty when unassigned.
	Assignee string `json:"assignee"`
	// LastAgent is the last human agent who replied in the conversation
	// before it closed; empty when none did.
	LastAgent string `json:"last_agent"`
	// Trigger says whether the survey followed a close or was requested.
	Trigger Trigger `json:"trigger"`
	// RequestedBy names who requested a manual survey.
	RequestedBy string `json:"requested_by"`
	// BeforeClose reports that the survey was requested while the
	// conversation was still open (seed 004).
	BeforeClose bool `json:"before_close"`
	// Rated reports whether Rating holds the contact's score.
	Rated bool `json:"rated"`
	// Rating is the contact's score on the survey's scale.
	Rating int `json:"rating"`
	// RatingDeadline is the overall time limit for the rating (seed 004);
	// zero means only the per-question window applies.
	RatingDeadline time.Time `json:"rating_deadline,omitzero"`
	// Comment is the contact's comment, if any.
	Comment string `json:"comment"`
	// CommentTruncated reports that Comment was cut to the engine's limit.
	CommentTruncated bool `json:"comment_truncated"`
	// Reprompts counts the replies that were not scores.
	Reprompts int `json:"reprompts"`
	// Unparsed keeps the replies that were not scores, so no text the
	// survey consumed is lost.
	Unparsed []string `json:"unparsed"`
	// UnparsedTruncated reports that a reply in Unparsed was cut to the
	// engine's comment limit.
	UnparsedTruncated bool `json:"unparsed_truncated"`
	// ClosedAt is when the conversation closed.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// CreatedAt is when the session was created.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// SentAt, RatedAt, CommentedAt and EndedAt are zero until they happen.
	SentAt      time.Time `json:"sent_at,omitzero"`
	RatedAt     time.Time `json:"rated_at,omitzero"`
	CommentedAt time.Time `json:"commented_at,omitzero"`
	EndedAt     time.Time `json:"ended_at,omitzero"`
	// Deadline is when the current question expires or, while scheduled,
	// when the request is due to be sent; zero once final.
	Deadline time.Time `json:"deadline,omitzero"`
	// MessageIDs are the inbound messages already applied.
	MessageIDs []string `json:"message_ids"`
	// Review is the supervisor's evaluation, if any.
	Review *Review `json:"review,omitempty"`
}

// Clone returns a deep copy of s.
func (s *Session) Clone() *Session {
	c := *s
	c.Agents = make([]Agent, len(s.Agents))
	for i, a := range s.Agents {
		a.Groups = append([]string(nil), a.Groups...)
		c.Agents[i] = a
	}
	c.Unparsed = append([]string(nil), s.Unparsed...)
	if len(s.MessageIDs) > 0 {
		// Room for the next message ID: the engine appends one to the
		// copy it loads.
		c.MessageIDs = append(make([]string, 0, len(s.MessageIDs)+1), s.MessageIDs...)
	} else {
		c.MessageIDs = nil
	}
	if s.Review != nil {
		r := *s.Review
		c.Review = &r
	}
	return &c
}

func (s *Session) seen(messageID string) bool {
	for _, id := range s.MessageIDs {
		if id == messageID {
			return true
		}
	}
	return false
}
