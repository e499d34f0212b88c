package survey

import (
	"slices"
	"time"
)

// State is where a survey session stands.
type State string

// The states of a session. The flow is
//
//	scheduled --send--> awaiting_rating --rate--> [awaiting_reason --reason-->] awaiting_comment --comment--> completed
//
// with scheduled skipped when the survey is sent at once, awaiting_reason
// asked only after a score in the survey's Reasons band, awaiting_comment
// skipped when it asks no comment, and expire / cancel / give_up leaving any
// waiting state for good.
const (
	// StateScheduled waits for its send time (Definition.SendDelay); the
	// rating request has not been sent.
	StateScheduled State = "scheduled"
	// StateAwaitingRating waits for the contact's score.
	StateAwaitingRating State = "awaiting_rating"
	// StateAwaitingReason has a low score and waits for its reason, a
	// choice among the survey's Reasons.
	StateAwaitingReason State = "awaiting_reason"
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
	// newer survey for the same contact and channel, the conversation
	// reopened or the contact wrote again before a scheduled send, or the
	// contact was erased (Engine.EraseContact) while it ran; a score
	// already given still counts.
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

// Review is a supervisor's evaluation of a conversation, kept
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

// Session is one survey sent after one conversation close: its state, its
// answers and its version. It is the unit a Store saves atomically.
type Session struct {
	// TenantID scopes the session.
	TenantID string `json:"tenant_id"`
	// ID is derived from the tenant, survey, conversation and which of
	// the conversation's closes it follows (its first, or its first after
	// a reopen), so a repeated close event finds the same session.
	ID string `json:"id"`
	// SurveyID names the survey definition.
	SurveyID string `json:"survey_id"`
	// Scale is the ID of the scale the survey rated on (scoring.Scale.ID,
	// e.g. "csat5" or "nps10"), so that a report on one scale counts only
	// its sessions; empty for sessions recorded before it was kept.
	Scale string `json:"scale,omitempty"`
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
	// Agents are the participants the answers count for.
	Agents []Participant `json:"agents"`
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
	// conversation was still open.
	BeforeClose bool `json:"before_close"`
	// Rated reports whether Rating holds the contact's score.
	Rated bool `json:"rated"`
	// Rating is the contact's score on the survey's scale.
	Rating int `json:"rating"`
	// RatingDeadline is the overall time limit for the rating;
	// zero means only the per-question window applies.
	RatingDeadline time.Time `json:"rating_deadline,omitzero"`
	// Reason is the ID of the reason the contact chose after a low score
	// (Definition.Reasons); empty when none was asked or chosen.
	Reason string `json:"reason,omitempty"`
	// ReasonAt is when the reason was chosen.
	ReasonAt time.Time `json:"reason_at,omitzero"`
	// Comment is the contact's comment, if any.
	Comment string `json:"comment"`
	// CommentTruncated reports that Comment was cut to the engine's limit.
	CommentTruncated bool `json:"comment_truncated"`
	// ClosedAt is when the conversation closed.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// LastContactAt is when the contact last wrote in the conversation,
	// from its transcript; channels' messaging windows run from it.
	LastContactAt time.Time `json:"last_contact_at,omitzero"`
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
	// Expires is when the rating question expires while Deadline is
	// earlier: the time of a reminder still owed (Definition.Reminder), at
	// which a sweep finds the session due. Zero when Deadline is the
	// question's end itself.
	Expires time.Time `json:"expires,omitzero"`
	// Reminders counts the reminders sent; RemindedAt is when the first
	// went out (zero when none did). Reports count reminders and the
	// ratings given after one.
	Reminders  int       `json:"reminders,omitempty"`
	RemindedAt time.Time `json:"reminded_at,omitzero"`
	// ReopenedAt is when the conversation was reopened after the close
	// this session followed (Engine.ConversationReopened); zero if it was
	// not. A later close of the conversation is then a new close, not a
	// repeat of this one.
	ReopenedAt time.Time `json:"reopened_at,omitzero"`
	// Review is the supervisor's evaluation, if any.
	Review *Review `json:"review,omitempty"`
	// Turns are the contact's inputs the session applied, in order: each
	// message or rating page action, what it did and which effects it
	// produced. Redeliveries, the transcript and the rating's changes are
	// read from them.
	Turns []Turn `json:"turns,omitempty"`
	// Pending are the effects decided for this session that the host has
	// not acknowledged yet (Engine.Deliver, Engine.Acknowledge), oldest
	// first. They are saved in the same write as the change that decided
	// them.
	Pending []PendingEffect `json:"pending,omitempty"`
	// ErasedAt is when the contact's personal data was erased
	// (Engine.EraseContact): ContactID is then a tombstone, and the name,
	// texts, language and message IDs are gone. Zero if it was not.
	ErasedAt time.Time `json:"erased_at,omitzero"`
	// TextRemovedAt is when the tenant's retention period removed the
	// free text (Engine.Retain): the name, comment, replies and review
	// note. Zero if it did not.
	TextRemovedAt time.Time `json:"text_removed_at,omitzero"`
}

// questionEnd is when the question waiting for an answer expires: Expires
// while a reminder is owed, else Deadline.
func (s *Session) questionEnd() time.Time {
	if !s.Expires.IsZero() {
		return s.Expires
	}
	return s.Deadline
}

// strArena hands out copies of string slices from one array.
type strArena []string

// take copies src into a and returns the copy, whose capacity is its
// length plus spare (an append beyond it reallocates, so no two copies
// ever share an element); nil when src is empty.
func (a *strArena) take(src []string, spare int) []string {
	if len(src) == 0 {
		return nil
	}
	start := len(*a)
	*a = append(*a, src...)
	return (*a)[start : len(*a) : len(*a)+spare]
}

// groupCount is how many groups agents have in all.
func groupCount(agents []Participant) int {
	n := 0
	for _, a := range agents {
		n += len(a.Groups)
	}
	return n
}

// ownGroups gives agents copies of their groups, taken from a: two agents
// never share one, and an agent without groups has nil.
func ownGroups(agents []Participant, a *strArena) {
	for i := range agents {
		agents[i].Groups = a.take(agents[i].Groups, 0)
	}
}

// cloneBlock is a clone of a session with few agents and strings, in one
// allocation: what the engine loads for most replies.
type cloneBlock struct {
	s       Session
	agents  [2]Participant
	strs    [4]string
	turns   [2]Turn
	pending [3]PendingEffect
}

// Clone returns a deep copy of s. The copy's Turns have room for one more:
// the engine appends one to the copy it loads.
func (s *Session) Clone() *Session {
	var (
		c      *Session
		agents []Participant
		turns  []Turn
		strs   strArena // every string slice of the copy, in one array
	)
	n := groupCount(s.Agents)
	for i := range s.Turns {
		n += len(s.Turns[i].Effects)
	}
	var pending []PendingEffect // with room for what the next call decides
	if len(s.Agents) <= len(cloneBlock{}.agents) && n <= len(cloneBlock{}.strs) && len(s.Turns) < len(cloneBlock{}.turns) &&
		len(s.Pending) < len(cloneBlock{}.pending) {
		b := new(cloneBlock)
		c, agents, strs = &b.s, b.agents[:len(s.Agents):len(s.Agents)], b.strs[:0:n]
		turns = b.turns[: len(s.Turns) : len(s.Turns)+1]
		pending = b.pending[:len(s.Pending)]
	} else {
		c, agents, strs = new(Session), make([]Participant, len(s.Agents)), make(strArena, 0, n)
		turns = make([]Turn, len(s.Turns), len(s.Turns)+1)
		pending = make([]PendingEffect, len(s.Pending), len(s.Pending)+2)
	}
	*c = *s
	copy(agents, s.Agents)
	c.Agents = agents
	ownGroups(agents, &strs)
	c.Turns = nil
	if len(s.Turns) > 0 {
		copy(turns, s.Turns)
		for i := range turns {
			turns[i].Effects = strs.take(turns[i].Effects, 0)
		}
		c.Turns = turns
	}
	if s.Review != nil {
		r := *s.Review
		c.Review = &r
	}
	c.Pending = nil
	if len(s.Pending) > 0 {
		copy(pending, s.Pending)
		for i := range pending {
			if n := pending[i].Notification; n != nil {
				nc := *n
				nc.Recipients = slices.Clone(n.Recipients)
				pending[i].Notification = &nc
			}
		}
		c.Pending = pending
	}
	return c
}
