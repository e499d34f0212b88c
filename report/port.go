package report

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Source is the read port: the two questions reports, the registry and
// exports ask a store. store/memory, store/sqlite and store/postgres
// answer it; store/storetest.Run checks an implementation (its Read
// subtests), a host's own included. Implementations must be safe for concurrent use.
type Source interface {
	// Count answers a report: for the tenant's sessions that pass
	// q.Filter, the responses rated in [From, To) and the surveys sent in
	// [From, To), counted overall and under each dimension of q.By (see
	// Query and Count). A store that cannot count itself returns Tally's
	// counts.
	Count(ctx context.Context, tenantID string, q Query) ([]Count, error)
	// List returns one page of the tenant's listed sessions (rated or
	// reviewed, see Listed) that pass q.Filter, newest first by
	// (ListedAt, ID), after q.After and at most q.Limit of them. The
	// sessions are the caller's to change.
	List(ctx context.Context, tenantID string, q ListQuery) ([]*survey.Session, error)
}

// Query is a report question for Source.Count.
type Query struct {
	// Filter selects the sessions.
	Filter Filter
	// By lists the dimensions to count under besides scoring.Overall,
	// which is always counted; each at most once, from these:
	//
	//   - scoring.ByAgent counts under each credited agent (see
	//     Filter.Attribution) and, when Filter.Agents is set, only under
	//     those agents.
	//   - scoring.ByGroup counts under each group of the agents who took
	//     part, each once, and, when Filter.Groups is set, only under those
	//     groups.
	//   - scoring.ByChannel counts under the session's channel.
	//   - scoring.BySurvey counts under the session's survey ID.
	//   - scoring.ByDay counts under the day number (Query.Zone.Day) of the
	//     rating time, or of the send time for sent surveys. Reports cut
	//     weeks and months from days: ByWeek and ByMonth are never asked.
	//   - scoring.ByReason counts each response that has a reason
	//     (survey.Session.Reason) under that reason, and, when
	//     Filter.Reasons is set, only under those reasons. Responses
	//     without a reason and sent surveys are not counted under it: a
	//     reason is part of the answer, like the score.
	By []scoring.Dimension
	// Zone turns instants into day numbers for scoring.ByDay; it is set
	// whenever By holds ByDay.
	Zone Zone
	// Scale, when not empty, is the ID of the scale the report is on
	// (scoring.Scale.ID): only sessions recorded on that scale
	// (survey.Session.Scale) are counted, and those that recorded no
	// scale (written before sessions kept it). Build sets it from
	// Options.Scale.
	Scale string
	// Measures are the figures to count (see Measure); zero means
	// AllMeasures. A store counts surveys sent only when they are asked
	// (Measure.CountsSent), times to rate only for MeasureTimeToRate and
	// splits its counts by reminder (Count.Reminded) only for
	// MeasureReminders.
	Measures Measure
}

// Measure is a set of figures a report counts. Ratings are always
// counted; surveys sent, times to rate and reminders cost a store extra
// work, so a report counts them only when asked.
type Measure uint8

const (
	// MeasureRatings counts the responses by score: CSAT, NPS, means,
	// distributions and their intervals. Always counted.
	MeasureRatings Measure = 1 << iota
	// MeasureResponseRate also counts the surveys sent (Summary.Sent,
	// Summary.ResponseRate).
	MeasureResponseRate
	// MeasureTimeToRate also counts the times to rate
	// (Summary.ResponseTimes).
	MeasureTimeToRate

	// MeasureReminders also counts the surveys sent that got a reminder
	// and the responses given at or after the first one
	// (Summary.Reminded, AfterReminder, RemindedResponseRate), and the
	// surveys sent with them, as MeasureResponseRate does. It is not part
	// of AllMeasures: a store splits its counts by reminder only when a
	// report asks, so every other report pays nothing for it.
	MeasureReminders

	// AllMeasures is every figure but MeasureReminders; what a zero
	// Measure means.
	AllMeasures = MeasureRatings | MeasureResponseRate | MeasureTimeToRate

	// knownMeasures are the measures a store can count.
	knownMeasures = AllMeasures | MeasureReminders
)

// Has reports whether m counts every figure of x; a zero m counts them
// all.
func (m Measure) Has(x Measure) bool {
	if m == 0 {
		m = AllMeasures
	}
	return m&x == x
}

// CountsSent reports whether m counts surveys sent: for
// MeasureResponseRate and for MeasureReminders.
func (m Measure) CountsSent() bool {
	return m.Has(MeasureResponseRate) || m.Has(MeasureReminders)
}

// String names the figures, e.g. "ratings+response_rate" or
// "ratings+reminders".
func (m Measure) String() string {
	if m == 0 {
		m = AllMeasures
	}
	var out string
	for _, x := range []struct {
		m    Measure
		name string
	}{{MeasureRatings, "ratings"}, {MeasureResponseRate, "response_rate"}, {MeasureTimeToRate, "time_to_rate"}, {MeasureReminders, "reminders"}} {
		if m&x.m != 0 {
			if out != "" {
				out += "+"
			}
			out += x.name
		}
	}
	if m&^knownMeasures != 0 {
		if out != "" {
			out += "+"
		}
		out += fmt.Sprintf("unknown(%d)", uint8(m&^knownMeasures))
	}
	return out
}

// Validate reports a report question no store can answer: an invalid
// filter or an unknown measure.
func (q *Query) Validate() error {
	if q.Measures&^knownMeasures != 0 {
		return fmt.Errorf("%w: unknown measures %s", ErrInvalid, q.Measures)
	}
	return q.Filter.Validate()
}

// OnScale reports whether q counts s for its scale: q names no scale, s
// recorded none, or they are the same.
func (q *Query) OnScale(s *survey.Session) bool {
	return q.Scale == "" || s.Scale == "" || s.Scale == q.Scale
}

// Count is one group of responses, or of sent surveys, that a store
// counted.
type Count struct {
	// By is the dimension (scoring.Overall or one of Query.By); Key the
	// agent, group, channel, survey or reason ID (empty for Overall and
	// ByDay); Day the day number for ByDay.
	By  scoring.Dimension
	Key string
	Day int64
	// Sent marks a count of surveys sent (by send time); Rating, Bucket,
	// RateSum and RateMax are then zero. Stores return such counts only
	// when the query's Measures counts them (Measure.CountsSent).
	Sent bool
	// Reminded marks, on a count of surveys sent, the surveys that got a
	// reminder, and on a count of responses, the responses rated at or
	// after the first reminder (see Reminded). Stores split their counts
	// by it only when the query's Measures has MeasureReminders; it is
	// false otherwise.
	Reminded bool
	// Rating is the score the responses gave.
	Rating int
	// Bucket is the time-to-rate bucket (scoring.ResponseTimeBucket of
	// RatedAt − SentAt) of the responses, or -1 for responses whose send
	// time is unknown and whenever the query's Measures lacks
	// MeasureTimeToRate.
	Bucket int
	// N is how many responses (or sent surveys) the group holds.
	N int64
	// RateSum and RateMax are the total and the longest time to rate of
	// the group's responses (zero when Bucket is -1).
	RateSum, RateMax time.Duration
}

// ListQuery is a registry page for Source.List.
type ListQuery struct {
	// Filter selects the sessions; From and To bound ListedAt.
	Filter Filter
	// Limit is the page size, at least 1.
	Limit int
	// After, when not nil, continues after that session.
	After *Cursor
}

// Cursor is where a listing stopped: the (ListedAt, ID) of the last
// session of the previous page.
type Cursor struct {
	// At is the last session's ListedAt.
	At time.Time `json:"at"`
	// ID is the last session's ID.
	ID string `json:"id"`
}

// Listed reports whether the registry lists s, and by which instant: its
// rating time when it was rated, else its review time when a supervisor
// reviewed it.
func Listed(s *survey.Session) (at time.Time, ok bool) {
	switch {
	case s.Rated:
		return s.RatedAt, true
	case s.Review != nil:
		return s.Review.At, true
	}
	return time.Time{}, false
}

// Before reports whether s comes after c in a listing's order (newest
// first by ListedAt, then ID).
func (c Cursor) Before(s *survey.Session) bool {
	at, _ := Listed(s)
	if !at.Equal(c.At) {
		return at.Before(c.At)
	}
	return s.ID < c.ID
}

// Validate reports a listing no store can answer: a page size below 1 or
// an invalid filter.
func (q *ListQuery) Validate() error {
	if q.Limit < 1 {
		return fmt.Errorf("%w: page size %d is below 1", ErrInvalid, q.Limit)
	}
	return q.Filter.Validate()
}
