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

// ratingNotifications returns what the rating event of s with key
// suffix raises (the first rating: "", the n-th change: "/change/n"),
// the rating then being rating: a low-score alert, and the agents' notice.
func (e *Engine) ratingNotifications(sv *compiled, s *Session, rating int, suffix string) []Notification {
	var out []Notification
	base := Notification{TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID, Score: rating}
	agentsKind := NotifyRated
	if suffix != "" {
		agentsKind = NotifyRatingChanged
		if c, ok := s.changeNumbered(suffix); ok {
			base.Previous = c.From
		}
	}
	if sv.low(rating) {
		n := base
		n.Kind, n.IdempotencyKey = NotifyLowScore, s.ID+"/low_score"+suffix
		n.Recipients = append([]string(nil), sv.def.Responsible...)
		out = append(out, n)
	}
	if !sv.def.NotifyAgents {
		return out
	}
	if agents := humanAgents(s); len(agents) > 0 {
		n := base
		n.Kind, n.IdempotencyKey, n.Recipients = agentsKind, s.ID+"/"+string(NotifyRated)+suffix, agents
		out = append(out, n)
	}
	return out
}

// commentNotifications returns what the end of s's answers raises: the
// follow-up of the low-score alert of the rating in effect then (rating,
// set by the rating event with key suffix), when it was low and the
// contact chose a reason or wrote a comment.
func (e *Engine) commentNotifications(sv *compiled, s *Session, rating int, suffix string) []Notification {
	if !sv.low(rating) || (s.Comment == "" && s.Reason == "") {
		return nil
	}
	return []Notification{{
		IdempotencyKey: s.ID + "/low_score_comment", Kind: NotifyLowScoreComment,
		Recipients: append([]string(nil), sv.def.Responsible...),
		TenantID:   s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID,
		Score: rating, Comment: s.Comment, Reason: s.Reason, Follows: s.ID + "/low_score" + suffix,
	}}
}

// low reports whether rating raises a low-score alert.
func (c *compiled) low(rating int) bool {
	return c.def.LowScoreBelow != 0 && rating < c.def.LowScoreBelow
}

func humanAgents(s *Session) []string {
	var ids []string
	for _, a := range s.Agents {
		if a.Kind == Human {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
