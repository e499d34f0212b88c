package report

import (
	"slices"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Dimensions are what a session's rating is reported under. Of is the one
// place that derives them: the stores' columns, the memory store's counts
// and the exports all read them from here.
type Dimensions struct {
	// Agents are the IDs of the agents who took part, each once, in the
	// session's order.
	Agents []string
	// Groups are the groups of those agents, each once.
	Groups []string
	// Channel and Survey are the session's channel and survey ID.
	Channel, Survey string
	// Assignee is the agent the conversation was assigned to at close.
	Assignee string
	// LastAgent is the last human agent who replied.
	LastAgent string
	// Reason is the ID of the reason the contact gave for the score, empty
	// when none was asked or given.
	Reason string

	credited [1]string // Credited's answer for one agent
}

// Of returns s's dimensions.
func Of(s *survey.Session) Dimensions {
	var d Dimensions
	d.Set(s)
	return d
}

// Set makes d s's dimensions, reusing d's slices: a loop over many
// sessions allocates nothing once they are long enough.
func (d *Dimensions) Set(s *survey.Session) { d.set(s, true) }

// set is Set, leaving Groups empty unless groups: a report that neither
// shows nor filters groups skips them.
func (d *Dimensions) set(s *survey.Session, groups bool) {
	d.Agents, d.Groups = d.Agents[:0], d.Groups[:0]
	for _, a := range s.Agents {
		if !slices.Contains(d.Agents, a.ID) {
			d.Agents = append(d.Agents, a.ID)
		}
		if !groups {
			continue
		}
		for _, g := range a.Groups {
			if !slices.Contains(d.Groups, g) {
				d.Groups = append(d.Groups, g)
			}
		}
	}
	d.Channel, d.Survey, d.Assignee, d.LastAgent, d.Reason = s.Channel, s.SurveyID, s.Assignee, s.LastAgent, s.Reason
}

// Credited returns the agents a rating counts for under a: every agent
// who took part; the assignee at close, else the last human agent who
// replied; or the last human agent who replied. It may return d.Agents
// itself; callers must not change it.
func (d *Dimensions) Credited(a scoring.Attribution) []string {
	var id string
	switch a {
	case scoring.LastAgent:
		id = d.LastAgent
	case scoring.AssigneeAtClose:
		id = d.Assignee
		if id == "" {
			id = d.LastAgent
		}
	default:
		return d.Agents
	}
	if id == "" {
		return nil
	}
	d.credited[0] = id
	return d.credited[:]
}

// TimeToRate returns how long the contact took to rate s, from the send
// time to the rating time (never negative); ok is false unless s was both
// sent and rated.
func TimeToRate(s *survey.Session) (d time.Duration, ok bool) {
	if !s.Rated || s.SentAt.IsZero() {
		return 0, false
	}
	return max(s.RatedAt.Sub(s.SentAt), 0), true
}

// Reminded returns when s got its first reminder; ok is false unless s
// got one (survey.Session.Reminders above 0, with its time recorded).
// Reports count a response as after a reminder when its rating time is
// at or after that instant.
func Reminded(s *survey.Session) (at time.Time, ok bool) {
	if s.Reminders <= 0 || s.RemindedAt.IsZero() {
		return time.Time{}, false
	}
	return s.RemindedAt, true
}
