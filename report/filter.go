package report

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// ErrInvalid is wrapped by the errors of invalid options, filters and
// queries.
var ErrInvalid = errors.New("surveyflow/report: invalid request")

// Filter selects sessions for reports, the registry and exports. Empty
// fields do not filter; a list keeps a session that matches any entry.
type Filter struct {
	// Surveys keeps these surveys' sessions.
	Surveys []string `json:"surveys,omitempty"`
	// Channels keeps sessions from these channels.
	Channels []string `json:"channels,omitempty"`
	// Agents keeps sessions credited (under Attribution) to any of these
	// agents; a report by agent then shows only them.
	Agents []string `json:"agents,omitempty"`
	// Groups keeps sessions in which an agent of any of these groups took
	// part; a report by group then shows only them.
	Groups []string `json:"groups,omitempty"`
	// Reasons keeps responses whose contact gave any of these reasons
	// (reason IDs, see survey.Reasons); a report by reason then shows only
	// them. Like Rating, it selects answers: sent counts ignore it.
	Reasons []string `json:"reasons,omitempty"`
	// Attribution decides which agents a rating counts for (see the
	// package documentation); the zero value is every agent who took part.
	Attribution scoring.Attribution `json:"attribution,omitempty"`
	// From and To bound the rating time of responses, the send time of
	// sent surveys and the listing time of listed sessions:
	// From ≤ t < To. Zero bounds are open.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Rating, when not nil, keeps responses scored in the range; sent
	// counts ignore it.
	Rating *Range `json:"rating,omitempty"`
	// Review, when not nil, keeps sessions a supervisor reviewed with a
	// score in the range; sent counts ignore it.
	Review *Range `json:"review,omitempty"`
}

// Range is an inclusive range of scores.
type Range struct {
	// Min and Max are the lowest and highest scores kept.
	Min int `json:"min"`
	Max int `json:"max"`
}

// Validate reports a filter no store can answer.
func (f *Filter) Validate() error {
	switch {
	case f.Attribution < scoring.AllParticipants || f.Attribution > scoring.AssigneeAtClose:
		return fmt.Errorf("%w: unknown attribution %d", ErrInvalid, f.Attribution)
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return fmt.Errorf("%w: From (%s) must be before To (%s)", ErrInvalid, f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
	case f.Rating != nil && f.Rating.Min > f.Rating.Max:
		return fmt.Errorf("%w: rating range %d–%d is empty", ErrInvalid, f.Rating.Min, f.Rating.Max)
	case f.Review != nil && f.Review.Min > f.Review.Max:
		return fmt.Errorf("%w: review range %d–%d is empty", ErrInvalid, f.Review.Min, f.Review.Max)
	case slices.Contains(f.Reasons, ""):
		return fmt.Errorf("%w: an empty reason ID in Reasons (responses without a reason have no reason to filter by)", ErrInvalid)
	}
	return nil
}

// Within reports whether t is in [From, To).
func (f *Filter) Within(t time.Time) bool {
	return (f.From.IsZero() || !t.Before(f.From)) && (f.To.IsZero() || t.Before(f.To))
}

// Keeps reports whether a session with dimensions d passes the filter's
// survey, channel, agent and group lists.
func (f *Filter) Keeps(d *Dimensions) bool {
	return (len(f.Surveys) == 0 || slices.Contains(f.Surveys, d.Survey)) &&
		(len(f.Channels) == 0 || slices.Contains(f.Channels, d.Channel)) &&
		(len(f.Agents) == 0 || anyIn(d.Credited(f.Attribution), f.Agents)) &&
		(len(f.Groups) == 0 || anyIn(d.Groups, f.Groups))
}

// KeepsScores reports whether s passes the filters on its answers: the
// rating and review ranges and the reasons.
func (f *Filter) KeepsScores(s *survey.Session) bool {
	return (f.Rating == nil || s.Rated && s.Rating >= f.Rating.Min && s.Rating <= f.Rating.Max) &&
		(f.Review == nil || s.Review != nil && s.Review.Score >= f.Review.Min && s.Review.Score <= f.Review.Max) &&
		(len(f.Reasons) == 0 || slices.Contains(f.Reasons, s.Reason))
}

// Lists reports whether Source.List returns s for q (ignoring Limit): s
// is listed, passes the filter and comes after q.After.
func (q *ListQuery) Lists(s *survey.Session, d *Dimensions) bool {
	at, ok := Listed(s)
	return ok && q.Filter.Within(at) && q.Filter.KeepsScores(s) && q.Filter.Keeps(d) &&
		(q.After == nil || q.After.Before(s))
}

func anyIn(list, wanted []string) bool {
	for _, x := range list {
		if slices.Contains(wanted, x) {
			return true
		}
	}
	return false
}
