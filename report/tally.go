package report

import (
	"slices"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Tally counts sessions in Go for Source.Count: the memory store counts
// with it, and so can a host's own store that has no database to ask.
// Add every session of the tenant (in any order; Tally applies the
// query's filter and date rule itself) and return Counts. A Tally is not
// safe for concurrent use.
type Tally struct {
	q     Query
	dims  Dimensions
	cells map[cellKey]*Count
	by    [Day + 1]bool
}

type cellKey struct {
	by     Dimension
	key    string
	day    int64
	sent   bool
	rating int
	bucket int
}

// NewTally returns an empty tally for q.
func NewTally(q Query) *Tally {
	t := &Tally{q: q, cells: map[cellKey]*Count{}}
	for _, d := range q.By {
		if d > Overall && d <= Day {
			t.by[d] = true
		}
	}
	return t
}

// Add counts s: as a response when it was rated in the filter's range,
// and as a sent survey when it was sent in the range.
func (t *Tally) Add(s *survey.Session) {
	f := &t.q.Filter
	rated := s.Rated && f.Within(s.RatedAt) && f.KeepsScores(s)
	sent := !s.SentAt.IsZero() && f.Within(s.SentAt)
	if !rated && !sent {
		return
	}
	t.dims.Set(s)
	if !f.Keeps(&t.dims) {
		return
	}
	if rated {
		c := Count{Rating: s.Rating, Bucket: -1, N: 1}
		if d, ok := TimeToRate(s); ok {
			c.Bucket, c.RateSum, c.RateMax = scoring.ResponseTimeBucket(d), d, d
		}
		t.addAll(c, s)
	}
	if sent {
		t.addAll(Count{Sent: true, N: 1}, s)
	}
}

// addAll adds c, a count of s, overall and under each dimension asked for.
func (t *Tally) addAll(c Count, s *survey.Session) {
	t.add(c)
	f := &t.q.Filter
	if t.by[Agent] {
		for _, a := range t.dims.Credited(f.Attribution) {
			if len(f.Agents) == 0 || slices.Contains(f.Agents, a) {
				c.By, c.Key = Agent, a
				t.add(c)
			}
		}
	}
	if t.by[Group] {
		for _, g := range t.dims.Groups {
			if len(f.Groups) == 0 || slices.Contains(f.Groups, g) {
				c.By, c.Key = Group, g
				t.add(c)
			}
		}
	}
	if t.by[Channel] {
		c.By, c.Key = Channel, t.dims.Channel
		t.add(c)
	}
	if t.by[Survey] {
		c.By, c.Key = Survey, t.dims.Survey
		t.add(c)
	}
	if t.by[Day] {
		at := s.RatedAt
		if c.Sent {
			at = s.SentAt
		}
		c.By, c.Key, c.Day = Day, "", t.q.Zone.Day(at)
		t.add(c)
	}
}

func (t *Tally) add(c Count) {
	k := cellKey{c.By, c.Key, c.Day, c.Sent, c.Rating, c.Bucket}
	cell := t.cells[k]
	if cell == nil {
		cell = &Count{By: c.By, Key: c.Key, Day: c.Day, Sent: c.Sent, Rating: c.Rating, Bucket: c.Bucket}
		t.cells[k] = cell
	}
	cell.N += c.N
	cell.RateSum += c.RateSum
	cell.RateMax = max(cell.RateMax, c.RateMax)
}

// Counts returns what the tally counted, in no particular order.
func (t *Tally) Counts() []Count {
	out := make([]Count, 0, len(t.cells))
	for _, c := range t.cells {
		out = append(out, *c)
	}
	return out
}
