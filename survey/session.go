package survey

import (
	"strconv"
	"strings"
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

// Agent is a participant as a session keeps it: one of the conversation's
// participants the answers are attributed to, with its teams as they were
// at the close. It is the same type as Participant.
type Agent = Participant

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
	// MessageIDs are the inbound messages already applied, in order: the
	// replies that were not scores (one per re-prompt), then the rating,
	// then the reason, then the comment, with the rating changes
	// (RatingChanges) between and after them.
	MessageIDs []string `json:"message_ids"`
	// ReopenedAt is when the conversation was reopened after the close
	// this session followed (Engine.ConversationReopened); zero if it was
	// not. A later close of the conversation is then a new close, not a
	// repeat of this one.
	ReopenedAt time.Time `json:"reopened_at,omitzero"`
	// Review is the supervisor's evaluation, if any.
	Review *Review `json:"review,omitempty"`
	// RatingChanges are the contact's changes of the rating, oldest
	// first (Definition.ChangeWindow); Rating holds the latest, RatedAt
	// still the first rating's time.
	RatingChanges []RatingChange `json:"rating_changes,omitempty"`
}

// RatingChange is one change of a session's rating by the contact.
type RatingChange struct {
	// MessageID is the inbound message (or link confirmation) that
	// changed it.
	MessageID string `json:"message_id"`
	// From and To are the rating before and after.
	From int `json:"from"`
	To   int `json:"to"`
	// At is when it changed.
	At time.Time `json:"at,omitzero"`
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
func groupCount(agents []Agent) int {
	n := 0
	for _, a := range agents {
		n += len(a.Groups)
	}
	return n
}

// ownGroups gives agents copies of their groups, taken from a: two agents
// never share one, and an agent without groups has nil.
func ownGroups(agents []Agent, a *strArena) {
	for i := range agents {
		agents[i].Groups = a.take(agents[i].Groups, 0)
	}
}

// cloneBlock is a clone of a session with few agents and strings, in one
// allocation: what the engine loads for most replies.
type cloneBlock struct {
	s      Session
	agents [2]Agent
	strs   [6]string
}

// Clone returns a deep copy of s. The copy's MessageIDs have room for one
// more: the engine appends one to the copy it loads.
func (s *Session) Clone() *Session {
	msgs := 0
	if len(s.MessageIDs) > 0 {
		msgs = len(s.MessageIDs) + 1
	}
	var (
		c      *Session
		agents []Agent
		strs   strArena // every string slice of the copy, in one array
	)
	if n := groupCount(s.Agents) + len(s.Unparsed) + msgs; len(s.Agents) <= len(cloneBlock{}.agents) && n <= len(cloneBlock{}.strs) {
		b := new(cloneBlock)
		c, agents, strs = &b.s, b.agents[:len(s.Agents):len(s.Agents)], b.strs[:0:n]
	} else {
		c, agents, strs = new(Session), make([]Agent, len(s.Agents)), make(strArena, 0, n)
	}
	*c = *s
	copy(agents, s.Agents)
	c.Agents = agents
	ownGroups(agents, &strs)
	c.Unparsed = strs.take(s.Unparsed, 0)
	c.MessageIDs = strs.take(s.MessageIDs, 1) // last: the spare slot is its own
	if s.Review != nil {
		r := *s.Review
		c.Review = &r
	}
	c.RatingChanges = append([]RatingChange(nil), s.RatingChanges...)
	return c
}

// change returns the rating change that messageID made, if any.
func (s *Session) change(messageID string) (RatingChange, int, bool) {
	for i, c := range s.RatingChanges {
		if c.MessageID == messageID {
			return c, i, true
		}
	}
	return RatingChange{}, 0, false
}

// changeNumbered returns the change a notification key suffix
// ("/change/n") names.
func (s *Session) changeNumbered(suffix string) (RatingChange, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(suffix, "/change/"))
	if err != nil || n < 1 || n > len(s.RatingChanges) {
		return RatingChange{}, false
	}
	return s.RatingChanges[n-1], true
}

// firstRating is the rating the contact gave before any change.
func (s *Session) firstRating() int {
	if len(s.RatingChanges) > 0 {
		return s.RatingChanges[0].From
	}
	return s.Rating
}

// ratingAt is the rating in effect right after messageID was applied, and
// the key suffix of the rating event that set it: "" for the first
// rating, "/change/n" for the n-th change.
func (s *Session) ratingAt(messageID string) (rating int, suffix string) {
	for _, id := range s.MessageIDs {
		if c, i, changed := s.change(id); changed {
			rating, suffix = c.To, "/change/"+strconv.Itoa(i+1)
		} else if s.Rated && s.answerIndex(id) == s.Reprompts {
			rating, suffix = s.firstRating(), ""
		}
		if id == messageID {
			break
		}
	}
	return rating, suffix
}

// answerIndex is the place of messageID among the messages that answered
// the survey's questions (re-prompted replies, the rating, the comment),
// rating changes left out; -1 when it is not one of them.
func (s *Session) answerIndex(messageID string) int {
	n := 0
	for _, id := range s.MessageIDs {
		if _, _, changed := s.change(id); changed {
			continue
		}
		if id == messageID {
			return n
		}
		n++
	}
	return -1
}
