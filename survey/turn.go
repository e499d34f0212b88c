package survey

import (
	"strconv"
	"time"
)

// TurnKind says what a contact's input did to a survey.
type TurnKind string

const (
	// TurnRating gave the rating.
	TurnRating TurnKind = "rating"
	// TurnReprompt was a reply to the rating question that held no
	// score; the survey asked again.
	TurnReprompt TurnKind = "reprompt"
	// TurnReason chose the main reason of a low score.
	TurnReason TurnKind = "reason"
	// TurnComment answered the follow-up question.
	TurnComment TurnKind = "comment"
	// TurnChange changed the rating (Definition.ChangeWindow).
	TurnChange TurnKind = "change"
)

// Source says where a contact's input came from.
type Source string

const (
	// SourceChat is a message on the conversation's channel, typed or a
	// button's payload (Engine.HandleMessage).
	SourceChat Source = "chat"
	// SourceRatingPage is the rating page behind an e-mailed link: a
	// confirmed rating (Engine.ConfirmLink) or the comment box
	// (Engine.CommentViaLink). A comment typed there is never taken
	// for a change of the rating.
	SourceRatingPage Source = "rating_page"
)

// Turn is one contact input a session applied, recorded as it was
// applied: what it was, where it came from, what it set and which effects
// it produced. A session's turns are its history; replaying a redelivered
// message, the transcript and the rating's changes are read from them.
type Turn struct {
	// MessageID is the inbound message (or rating page action) applied;
	// a redelivery of it is a duplicate.
	MessageID string `json:"message_id"`
	// Kind says what the input did.
	Kind TurnKind `json:"kind"`
	// Source says where it came from.
	Source Source `json:"source"`
	// Value is the rating a TurnRating or TurnChange set.
	Value int `json:"value,omitempty"`
	// From is the rating a TurnChange replaced.
	From int `json:"from,omitempty"`
	// Reason is the reason's ID, on a TurnReason.
	Reason string `json:"reason,omitempty"`
	// Text is the reply kept on a TurnReprompt (valid UTF-8, cut to the
	// engine's comment limit); a comment's text is Session.Comment.
	Text string `json:"text,omitempty"`
	// Truncated reports that Text was cut.
	Truncated bool `json:"truncated,omitempty"`
	// At is when the input was applied.
	At time.Time `json:"at,omitzero"`
	// Effects are the kinds of what the input made the engine send and
	// tell, in order (a MessageKind or a NotificationKind each).
	Effects []string `json:"effects,omitempty"`
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

// turn returns the index of the turn that applied messageID, or -1.
func (s *Session) turn(messageID string) int {
	for i := range s.Turns {
		if s.Turns[i].MessageID == messageID {
			return i
		}
	}
	return -1
}

// HasMessage reports whether the session applied the inbound message
// messageID.
func (s *Session) HasMessage(messageID string) bool { return s.turn(messageID) >= 0 }

// MessageIDs are the inbound messages the session applied, in order.
func (s *Session) MessageIDs() []string {
	if len(s.Turns) == 0 {
		return nil
	}
	ids := make([]string, len(s.Turns))
	for i := range s.Turns {
		ids[i] = s.Turns[i].MessageID
	}
	return ids
}

// Reprompts counts the replies to the rating question that held no score.
func (s *Session) Reprompts() int { return s.count(TurnReprompt, len(s.Turns)) }

// Unparsed are the replies to the rating question that held no score, as
// kept (valid UTF-8, cut to the engine's comment limit).
func (s *Session) Unparsed() []string {
	var out []string
	for i := range s.Turns {
		if s.Turns[i].Kind == TurnReprompt {
			out = append(out, s.Turns[i].Text)
		}
	}
	return out
}

// RatingChanges are the contact's changes of the rating, oldest first;
// Rating holds the latest, RatedAt the first rating's time.
func (s *Session) RatingChanges() []RatingChange {
	var out []RatingChange
	for i := range s.Turns {
		if t := &s.Turns[i]; t.Kind == TurnChange {
			out = append(out, RatingChange{MessageID: t.MessageID, From: t.From, To: t.Value, At: t.At})
		}
	}
	return out
}

// count is how many of the first n turns are of kind.
func (s *Session) count(kind TurnKind, n int) int {
	c := 0
	for i := range s.Turns[:n] {
		if s.Turns[i].Kind == kind {
			c++
		}
	}
	return c
}

// ratingAfter is the rating in effect right after turn i, and the key
// suffix of the rating event that set it: "" for the first rating,
// "/change/n" for the n-th change.
func (s *Session) ratingAfter(i int) (rating int, suffix string) {
	changes := 0
	for j := range s.Turns[:i+1] {
		switch t := &s.Turns[j]; t.Kind {
		case TurnRating:
			rating, suffix = t.Value, ""
		case TurnChange:
			changes++
			rating, suffix = t.Value, "/change/"+strconv.Itoa(changes)
		}
	}
	return rating, suffix
}
