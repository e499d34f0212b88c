package report

import (
	"slices"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Tally counts sessions in Go for Source.Count: the memory store counts
// with it, and so can a host's own store that has no database to ask.
// Add every session of the tenant (in any order; Tally applies the
// query's filter and date rule itself) and return Counts. A Tally is not
// safe for concurrent use.
type Tally struct {
	q       Query
	by      [scoring.ByReason + 1]bool
	dims    Dimensions
	overall tallyRow
	keys    [scoring.ByReason + 1]map[string]*tallyRow // by dimension and key (the periods' are unused)
	days    map[int64]*tallyRow
	sent    bool // count surveys sent
	times   bool // count times to rate
	remind  bool // split by reminder
}

// tallyRow is one key's counts: surveys sent, and responses by rating
// (dense for the ratings of every shipped scale, a map beyond) and
// time-to-rate bucket; when the counts are split by reminder, reminded
// holds the surveys sent that got one and the responses after one.
type tallyRow struct {
	sent     int64
	ratings  [denseRatings]*ratingCounts
	other    map[int]*ratingCounts
	reminded *tallyRow
}

// denseRatings covers the ratings 0 to 15 without a map look-up.
const denseRatings = 16

// ratingCounts are one rating's responses: unknown holds those with no
// send time, buckets those with a time to rate.
type ratingCounts struct {
	unknown int64
	buckets [scoring.ResponseTimeBuckets]bucketCounts
}

type bucketCounts struct {
	n            int64
	sum, longest time.Duration
}

// NewTally returns an empty tally for q.
func NewTally(q Query) *Tally {
	t := &Tally{q: q, sent: q.Measures.CountsSent(), times: q.Measures.Has(MeasureTimeToRate),
		remind: q.Measures.Has(MeasureReminders)}
	for _, d := range q.By {
		if d >= scoring.ByAgent && d <= scoring.ByReason {
			t.by[d] = true
		}
	}
	return t
}

// Add counts s: as a response when it was rated in the filter's range,
// and as a sent survey when it was sent in the range, if it is on the
// query's scale (Query.OnScale) and only for the query's measures.
func (t *Tally) Add(s *survey.Session) {
	f := &t.q.Filter
	if !t.q.OnScale(s) {
		return
	}
	rated := s.Rated && f.Within(s.RatedAt) && f.KeepsScores(s)
	sent := t.sent && !s.SentAt.IsZero() && f.Within(s.SentAt)
	if !rated && !sent {
		return
	}
	t.dims.set(s, t.by[scoring.ByGroup] || len(f.Groups) > 0)
	if !f.Keeps(&t.dims) {
		return
	}
	bucket, took := -1, time.Duration(0)
	if d, ok := TimeToRate(s); ok && rated && t.times {
		bucket, took = scoring.ResponseTimeBucket(d), d
	}
	var sentReminded, ratedAfter bool
	if at, ok := Reminded(s); ok && t.remind {
		sentReminded, ratedAfter = true, s.Rated && !s.RatedAt.Before(at)
	}
	count := func(r *tallyRow, rated, sent bool) {
		if sent {
			r.split(sentReminded).sent++
		}
		if rated {
			r.split(ratedAfter).add(s.Rating, bucket, took)
		}
	}
	count(&t.overall, rated, sent)
	if t.by[scoring.ByAgent] {
		for _, a := range t.dims.Credited(f.Attribution) {
			if len(f.Agents) == 0 || slices.Contains(f.Agents, a) {
				count(t.row(scoring.ByAgent, a), rated, sent)
			}
		}
	}
	if t.by[scoring.ByGroup] {
		for _, g := range t.dims.Groups {
			if len(f.Groups) == 0 || slices.Contains(f.Groups, g) {
				count(t.row(scoring.ByGroup, g), rated, sent)
			}
		}
	}
	if t.by[scoring.ByChannel] {
		count(t.row(scoring.ByChannel, t.dims.Channel), rated, sent)
	}
	if t.by[scoring.BySurvey] {
		count(t.row(scoring.BySurvey, t.dims.Survey), rated, sent)
	}
	if t.by[scoring.ByReason] && rated && s.Reason != "" {
		count(t.row(scoring.ByReason, s.Reason), true, false)
	}
	if t.by[scoring.ByDay] {
		if rated {
			count(t.day(s.RatedAt), true, false)
		}
		if sent {
			count(t.day(s.SentAt), false, true)
		}
	}
}

func (t *Tally) row(by scoring.Dimension, key string) *tallyRow {
	m := t.keys[by]
	if m == nil {
		m = map[string]*tallyRow{}
		t.keys[by] = m
	}
	r := m[key]
	if r == nil {
		r = &tallyRow{}
		m[key] = r
	}
	return r
}

func (t *Tally) day(at time.Time) *tallyRow {
	if t.days == nil {
		t.days = map[int64]*tallyRow{}
	}
	d := t.q.Zone.Day(at)
	r := t.days[d]
	if r == nil {
		r = &tallyRow{}
		t.days[d] = r
	}
	return r
}

// split is r, or when reminded r's counts of reminded surveys.
func (r *tallyRow) split(reminded bool) *tallyRow {
	if !reminded {
		return r
	}
	if r.reminded == nil {
		r.reminded = &tallyRow{}
	}
	return r.reminded
}

// add counts one response of rating with time to rate took in bucket (-1:
// unknown).
func (r *tallyRow) add(rating, bucket int, took time.Duration) {
	var c *ratingCounts
	if uint(rating) < denseRatings {
		c = r.ratings[rating]
		if c == nil {
			c = &ratingCounts{}
			r.ratings[rating] = c
		}
	} else {
		if r.other == nil {
			r.other = map[int]*ratingCounts{}
		}
		c = r.other[rating]
		if c == nil {
			c = &ratingCounts{}
			r.other[rating] = c
		}
	}
	if bucket < 0 {
		c.unknown++
		return
	}
	b := &c.buckets[bucket]
	b.n++
	b.sum += took
	b.longest = max(b.longest, took)
}

// Counts returns what the tally counted, in no particular order.
func (t *Tally) Counts() []Count {
	var out []Count
	t.overall.counts(Count{By: scoring.Overall}, &out)
	for i, m := range t.keys {
		for k, r := range m {
			r.counts(Count{By: scoring.Dimension(i), Key: k}, &out)
		}
	}
	for d, r := range t.days {
		r.counts(Count{By: scoring.ByDay, Day: d}, &out)
	}
	return out
}

// counts appends r's counts, each labelled like c.
func (r *tallyRow) counts(c Count, out *[]Count) {
	if r.sent > 0 {
		s := c
		s.Sent, s.N = true, r.sent
		*out = append(*out, s)
	}
	one := func(rating int, rc *ratingCounts) {
		if rc.unknown > 0 {
			x := c
			x.Rating, x.Bucket, x.N = rating, -1, rc.unknown
			*out = append(*out, x)
		}
		for b, bc := range rc.buckets {
			if bc.n > 0 {
				x := c
				x.Rating, x.Bucket, x.N, x.RateSum, x.RateMax = rating, b, bc.n, bc.sum, bc.longest
				*out = append(*out, x)
			}
		}
	}
	for v, rc := range r.ratings {
		if rc != nil {
			one(v, rc)
		}
	}
	for v, rc := range r.other {
		one(v, rc)
	}
	if r.reminded != nil {
		c.Reminded = true
		r.reminded.counts(c, out)
	}
}
