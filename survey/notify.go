package survey

// NotificationKind says what a notification is about.
type NotificationKind string

const (
	// NotifyLowScore: a rating fell below the survey's LowScoreBelow.
	NotifyLowScore NotificationKind = "low_score"
	// NotifyRated: the contact rated a conversation the recipient took
	// part in.
	NotifyRated NotificationKind = "rated"
	// NotifyReviewed: a supervisor reviewed a conversation the recipient
	// took part in.
	NotifyReviewed NotificationKind = "reviewed"
	// NotifyRatingChanged: the contact changed the rating of a
	// conversation the recipient took part in (Definition.ChangeWindow).
	NotifyRatingChanged NotificationKind = "rating_changed"
	// NotifyLowScoreComment: the reason and comment that followed a low
	// score, sent
	// to the same recipients as the low-score alert it completes (Follows
	// names that alert's key). The alert itself goes out at the rating,
	// without waiting: a manager can act on a bad score at once and read
	// the contact's words when they come.
	NotifyLowScoreComment NotificationKind = "low_score_comment"
)

// Notification is something the host tells its own users; the library
// never sends it itself.
type Notification struct {
	// IdempotencyKey is unique per notification.
	IdempotencyKey string `json:"idempotency_key"`
	// Kind says what happened.
	Kind NotificationKind `json:"kind"`
	// Recipients are the host's user IDs to tell.
	Recipients []string `json:"recipients"`
	// TenantID, SurveyID, SessionID and ConversationID say where.
	TenantID       string `json:"tenant_id"`
	SurveyID       string `json:"survey_id"`
	SessionID      string `json:"session_id"`
	ConversationID string `json:"conversation_id"`
	// Score is the contact's rating or the supervisor's score.
	Score int `json:"score"`
	// ReviewerID names the supervisor of a review.
	ReviewerID string `json:"reviewer_id"`
	// Previous is the rating before the change, on a rating change's
	// notifications.
	Previous int `json:"previous,omitempty"`
	// Comment is the contact's comment, on a NotifyLowScoreComment.
	Comment string `json:"comment,omitempty"`
	// Reason is the ID of the reason the contact chose, on a
	// NotifyLowScoreComment.
	Reason string `json:"reason,omitempty"`
	// Follows is the idempotency key of the notification this one
	// completes: the low-score alert, on a NotifyLowScoreComment.
	Follows string `json:"follows,omitempty"`
}

// ratingNotification is the notification of kind (NotifyLowScore or
// NotifyRated) that a rating event of s raises, the rating then being
// rating: the first rating (suffix "") or the n-th change (suffix
// "/change/n", previous the rating it replaced), whose agents' notice is a
// NotifyRatingChanged.
func (e *Engine) ratingNotification(sv *compiled, s *Session, kind NotificationKind, rating, previous int, suffix string) Notification {
	n := Notification{TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID,
		Score: rating, Previous: previous}
	if kind == NotifyLowScore {
		n.Kind, n.IdempotencyKey = NotifyLowScore, s.ID+"/low_score"+suffix
		n.Recipients = append([]string(nil), sv.def.Responsible...)
		return n
	}
	n.Kind, n.IdempotencyKey, n.Recipients = NotifyRated, s.ID+"/"+string(NotifyRated)+suffix, humanAgents(s)
	if suffix != "" {
		n.Kind = NotifyRatingChanged
	}
	return n
}

// low reports whether rating raises a low-score alert.
func (c *compiled) low(rating int) bool {
	return c.def.LowScoreBelow != 0 && rating < c.def.LowScoreBelow
}

// hasHuman reports whether a human is among agents.
func hasHuman(agents []Participant) bool {
	for _, a := range agents {
		if a.Kind == Human {
			return true
		}
	}
	return false
}

// humanAgents are the IDs of s's human agents.
func humanAgents(s *Session) []string {
	var ids []string
	for _, a := range s.Agents {
		if a.Kind == Human {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
