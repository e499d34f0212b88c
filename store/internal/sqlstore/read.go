package sqlstore

import (
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// ReadColumns are the column values the read port's queries use, derived
// from a session when it is written.
type ReadColumns struct {
	// Agents and Groups are report.Of's lists, never nil.
	Agents, Groups []string
	// Assignee and LastAgent are nil when empty.
	Assignee, LastAgent *string
	// SentAt is nil until the survey is sent.
	SentAt *time.Time
	// ListedAt is report.Listed's instant, nil when the session is not
	// listed.
	ListedAt *time.Time
	// RateNanos and RateBucket are the time from sending to rating and its
	// scoring.ResponseTimeBucket; nil unless rated after being sent.
	RateNanos  *int64
	RateBucket *int
	// ReviewScore is the supervisor's score, nil without a review.
	ReviewScore *int
	// Reason is the ID of the reason the contact gave for the score, nil
	// when none was asked or given.
	Reason *string
	// RemindedAt is report.Reminded's instant, the first reminder's; nil
	// when the session got no reminder.
	RemindedAt *time.Time
}

// Read derives the read columns of s.
func Read(s *survey.Session) ReadColumns {
	d := report.Of(s)
	c := ReadColumns{Agents: d.Agents, Groups: d.Groups, Assignee: text(d.Assignee), LastAgent: text(d.LastAgent), Reason: text(d.Reason)}
	if c.Agents == nil {
		c.Agents = []string{}
	}
	if c.Groups == nil {
		c.Groups = []string{}
	}
	if !s.SentAt.IsZero() {
		c.SentAt = &s.SentAt
	}
	if d, ok := report.TimeToRate(s); ok {
		ns, b := int64(d), scoring.ResponseTimeBucket(d)
		c.RateNanos, c.RateBucket = &ns, &b
	}
	if at, ok := report.Listed(s); ok {
		c.ListedAt = &at
	}
	if at, ok := report.Reminded(s); ok {
		c.RemindedAt = &at
	}
	if s.Review != nil {
		score := s.Review.Score
		c.ReviewScore = &score
	}
	return c
}

func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
