package scoring

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// ErrScaleMismatch is returned when summaries or tables of different scales
// are merged.
var ErrScaleMismatch = errors.New("scoring: different scales")

// Summary aggregates scores given on one scale. The zero value is not
// usable; create one with [NewSummary]. Add does not allocate, and
// summaries of disjoint sets of responses (shards, days) [Summary.Merge]
// into exactly the summary of their union. A Summary is not safe for
// concurrent use; give each goroutine its own and merge them.
type Summary struct {
	scale *Scale
	count int64
	sum   int64
	sent  int64
	// reminded counts the surveys sent that got a reminder, after the
	// responses that came after one.
	reminded, after int64
	dist            []int64 // dist[v-min]
	rt              responseTimes
}

// NewSummary returns an empty summary for scale.
func NewSummary(scale *Scale) *Summary {
	return &Summary{scale: scale, dist: make([]int64, scale.max-scale.min+1)}
}

// Scale returns the summary's scale.
func (s *Summary) Scale() *Scale { return s.scale }

// Add records one score. A value outside the scale is ignored and Add
// reports false. Add does not allocate.
func (s *Summary) Add(v int) bool {
	i := v - s.scale.min
	if uint(i) >= uint(len(s.dist)) {
		return false
	}
	s.count++
	s.sum += int64(v)
	s.dist[i]++
	return true
}

// AddSent records n surveys sent (whether or not answered), for
// [Summary.ResponseRate]. A negative n is ignored.
func (s *Summary) AddSent(n int64) {
	if n > 0 {
		s.sent += n
	}
}

// AddReminded records n surveys sent that got a reminder (whether or not
// answered), for [Summary.RemindedResponseRate]; count them with
// [Summary.AddSent] too. A negative n is ignored.
func (s *Summary) AddReminded(n int64) {
	if n > 0 {
		s.reminded += n
	}
}

// AddAfterReminder records n responses given at or after the survey's
// first reminder; record their scores with [Summary.AddN] too. A negative
// n is ignored.
func (s *Summary) AddAfterReminder(n int64) {
	if n > 0 {
		s.after += n
	}
}

// AddResponseTime records how long one contact took to answer, from the
// survey being sent to the score arriving. Negative durations are ignored.
// It does not allocate.
func (s *Summary) AddResponseTime(d time.Duration) { s.rt.add(d) }

// AddResponseTimes records n response times of one bucket (see
// [ResponseTimeBucket]) that add up to sum, the longest being longest,
// exactly as n calls of [Summary.AddResponseTime] would. It reports false
// and records nothing when the bucket is out of range or n, sum or
// longest is negative.
func (s *Summary) AddResponseTimes(bucket int, n int64, sum, longest time.Duration) bool {
	if bucket < 0 || bucket >= rtBuckets || n < 0 || sum < 0 || longest < 0 {
		return false
	}
	if n > 0 {
		s.rt.addCount(bucket, n, sum, longest)
	}
	return true
}

// AddN records n scores v, as n calls of [Summary.Add] would, and reports
// false (recording nothing) when v is off the scale or n is negative.
func (s *Summary) AddN(v int, n int64) bool {
	i := v - s.scale.min
	if uint(i) >= uint(len(s.dist)) || n < 0 {
		return false
	}
	s.count += n
	s.sum += int64(v) * n
	s.dist[i] += n
	return true
}

// Merge adds o's responses, sent surveys, reminder counts and response
// times to s. Merging
// the summaries of two disjoint sets of responses gives exactly the summary
// of their union. The scales must be the same.
func (s *Summary) Merge(o *Summary) error {
	if o == nil {
		return nil
	}
	if !s.scale.sameAs(o.scale) {
		return fmt.Errorf("%w: cannot merge %s into %s", ErrScaleMismatch, o.scale, s.scale)
	}
	s.count += o.count
	s.sum += o.sum
	s.sent += o.sent
	s.reminded += o.reminded
	s.after += o.after
	for i, n := range o.dist {
		s.dist[i] += n
	}
	s.rt.merge(&o.rt)
	return nil
}

// Clone returns an independent copy of s.
func (s *Summary) Clone() *Summary {
	c := *s
	c.dist = append([]int64(nil), s.dist...)
	return &c
}

// Count is the number of scores recorded.
func (s *Summary) Count() int64 { return s.count }

// Sum is the sum of all scores: the "CSAT score" some helpdesks show for an agent or group.
func (s *Summary) Sum() int64 { return s.sum }

// Mean is the average score, and 0 when there are none.
func (s *Summary) Mean() float64 {
	if s.count == 0 {
		return 0
	}
	return float64(s.sum) / float64(s.count)
}

// Distribution returns how many times each value was given, indexed from
// the scale's minimum.
func (s *Summary) Distribution() []int64 {
	out := make([]int64, len(s.dist))
	copy(out, s.dist)
	return out
}

// CountOf is how many times v was given.
func (s *Summary) CountOf(v int) int64 {
	if !s.scale.Contains(v) {
		return 0
	}
	return s.dist[v-s.scale.min]
}

// Shares returns each value's share of the responses in percent, indexed
// from the scale's minimum; all zero when there are none.
func (s *Summary) Shares() []float64 {
	out := make([]float64, len(s.dist))
	for i, n := range s.dist {
		out[i] = percent(n, s.count)
	}
	return out
}

// SatisfiedCount is the number of satisfied (top-box) scores.
func (s *Summary) SatisfiedCount() int64 {
	var n int64
	for i, c := range s.dist {
		if s.scale.satisfied[i] {
			n += c
		}
	}
	return n
}

// SatisfiedPercent is the CSAT %: satisfied scores / all scores × 100, and
// 0 when there are none.
func (s *Summary) SatisfiedPercent() float64 { return percent(s.SatisfiedCount(), s.count) }

// polarityCount counts the scores whose band has polarity p.
func (s *Summary) polarityCount(p Polarity) int64 {
	var n int64
	for i, c := range s.dist {
		if s.scale.polarity[i] == p && s.scale.bandOf[i] >= 0 {
			n += c
		}
	}
	return n
}

// Promoters counts the scores in the scale's positive band (NPS 9–10).
func (s *Summary) Promoters() int64 { return s.polarityCount(Positive) }

// Passives counts the scores in the scale's neutral band (NPS 7–8).
func (s *Summary) Passives() int64 { return s.polarityCount(Neutral) }

// Detractors counts the scores in the scale's negative band (NPS 0–6).
func (s *Summary) Detractors() int64 { return s.polarityCount(Negative) }

// NPS is the net score, % promoters − % detractors, from −100 to 100, and
// 0 when there are no scores. On scales other than NPS it is the net share
// of the positive over the negative band.
func (s *Summary) NPS() float64 {
	if s.count == 0 {
		return 0
	}
	return float64(s.Promoters()-s.Detractors()) * 100 / float64(s.count)
}

// BandCount is the number of scores in one band.
type BandCount struct {
	// Band is one of the scale's bands.
	Band Band `json:"band"`
	// Count is the number of scores in it.
	Count int64 `json:"count"`
}

// BandCounts counts the scores in each of the scale's bands, lowest band
// first.
func (s *Summary) BandCounts() []BandCount {
	out := make([]BandCount, len(s.scale.bands))
	for i, b := range s.scale.bands {
		out[i].Band = b
		for v := b.Min; v <= b.Max; v++ {
			out[i].Count += s.dist[v-s.scale.min]
		}
	}
	return out
}

// Sent is the number of surveys sent, as recorded with [Summary.AddSent].
func (s *Summary) Sent() int64 { return s.sent }

// ResponseRate is responses / surveys sent × 100, and 0 when no survey was
// recorded as sent.
func (s *Summary) ResponseRate() float64 { return percent(s.count, s.sent) }

// Reminded is the number of surveys sent that got a reminder, as recorded
// with [Summary.AddReminded].
func (s *Summary) Reminded() int64 { return s.reminded }

// AfterReminder is the number of responses given at or after the survey's
// first reminder, as recorded with [Summary.AddAfterReminder].
func (s *Summary) AfterReminder() int64 { return s.after }

// RemindedResponseRate is responses after a reminder / surveys sent that
// got a reminder × 100, and 0 when no reminder was recorded: how many of
// the contacts reminded answered because of it.
func (s *Summary) RemindedResponseRate() float64 { return percent(s.after, s.reminded) }

// ResponseTimes describes how long contacts took to answer.
type ResponseTimes struct {
	// N is the number of response times recorded.
	N int64 `json:"n"`
	// Mean and Max are exact.
	Mean time.Duration `json:"mean"`
	Max  time.Duration `json:"max"`
	// Median and P90 are upper bounds within a factor of two: the response
	// times are counted in buckets that double in width from 1 s.
	Median time.Duration `json:"median"`
	P90    time.Duration `json:"p90"`
}

// ResponseTimes summarizes the response times recorded with
// [Summary.AddResponseTime]; all zero when there are none.
func (s *Summary) ResponseTimes() ResponseTimes { return s.rt.summary() }

func percent(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

// String explains the summary in one line, e.g.
// "csat5 (1–5): n=50 sum=127 mean=2.54 satisfied=5 (10.0%) dist=[10 20 15 3 2]".
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: n=%d sum=%d mean=%.2f satisfied=%d (%.1f%%)", s.scale, s.count, s.sum, s.Mean(), s.SatisfiedCount(), s.SatisfiedPercent())
	if s.sent > 0 {
		fmt.Fprintf(&b, " sent=%d (%.1f%% responded)", s.sent, s.ResponseRate())
	}
	if s.reminded > 0 || s.after > 0 {
		fmt.Fprintf(&b, " reminded=%d (%d responded after)", s.reminded, s.after)
	}
	fmt.Fprintf(&b, " dist=%v", s.dist)
	return b.String()
}

// responseTimes counts durations in buckets: bucket 0 is under 1 s,
// bucket i holds [2^(i-1) s, 2^i s).
type responseTimes struct {
	n, sum  int64 // sum in nanoseconds
	max     int64
	buckets [rtBuckets]int64
}

const rtBuckets = 40

func (r *responseTimes) add(d time.Duration) {
	if d < 0 {
		return
	}
	r.addCount(ResponseTimeBucket(d), 1, d, d)
}

// addCount records n durations of bucket b that sum to sum, the longest
// being longest.
func (r *responseTimes) addCount(b int, n int64, sum, longest time.Duration) {
	r.n += n
	r.sum += int64(sum)
	r.max = max(r.max, int64(longest))
	r.buckets[b] += n
}

// ResponseTimeBuckets is the number of buckets response times are counted
// in (see [ResponseTimeBucket]).
const ResponseTimeBuckets = rtBuckets

// ResponseTimeBucket returns the bucket [Summary.AddResponseTime] counts d
// in: 0 under one second, i for [2^(i-1) s, 2^i s), the last bucket
// holding everything longer. A store that aggregates response times
// itself groups them by this bucket and hands the counts to
// [Summary.AddResponseTimes]. A negative d is bucket 0.
func ResponseTimeBucket(d time.Duration) int {
	b := 0
	for sec := int64(d / time.Second); sec > 0 && b < rtBuckets-1; sec >>= 1 {
		b++
	}
	return b
}

func (r *responseTimes) merge(o *responseTimes) {
	r.n += o.n
	r.sum += o.sum
	r.max = max(r.max, o.max)
	for i, c := range o.buckets {
		r.buckets[i] += c
	}
}

func (r *responseTimes) summary() ResponseTimes {
	if r.n == 0 {
		return ResponseTimes{}
	}
	return ResponseTimes{
		N:      r.n,
		Mean:   time.Duration(r.sum / r.n),
		Max:    time.Duration(r.max),
		Median: r.quantile(0.5),
		P90:    r.quantile(0.9),
	}
}

// quantile returns the upper edge of the bucket holding the q-quantile,
// capped at the exact maximum.
func (r *responseTimes) quantile(q float64) time.Duration {
	rank := int64(math.Ceil(q * float64(r.n)))
	var seen int64
	for i, c := range r.buckets {
		seen += c
		if seen >= rank {
			edge := time.Second << i
			return min(edge, time.Duration(r.max))
		}
	}
	return time.Duration(r.max)
}

// Table is a set of summaries keyed by a name such as an agent or group ID.
// It is not safe for concurrent use; give each goroutine its own and merge
// them.
type Table struct {
	scale *Scale
	rows  map[string]*Summary
}

// NewTable returns an empty table for scale.
func NewTable(scale *Scale) *Table {
	return &Table{scale: scale, rows: map[string]*Summary{}}
}

// Scale returns the table's scale.
func (t *Table) Scale() *Scale { return t.scale }

// row returns key's summary, creating it.
func (t *Table) row(key string) *Summary {
	s, ok := t.rows[key]
	if !ok {
		s = NewSummary(t.scale)
		t.rows[key] = s
	}
	return s
}

// Add records v under key. A value outside the scale is ignored, creates
// no row, and Add reports false. Adding to an existing key does not
// allocate.
func (t *Table) Add(key string, v int) bool {
	if !t.scale.Contains(v) {
		return false
	}
	return t.row(key).Add(v)
}

// AddSent records n surveys sent under key.
func (t *Table) AddSent(key string, n int64) {
	if n > 0 {
		t.row(key).AddSent(n)
	}
}

// Row returns key's summary, creating an empty one when key has none, for
// callers that add counts a store aggregated (Summary.AddN,
// Summary.AddSent, Summary.AddResponseTimes).
func (t *Table) Row(key string) *Summary { return t.row(key) }

// Get returns the summary for key, or nil when the table has no row for
// key. A row exists once anything was added under key: a score (Add,
// Summary.Add), surveys sent (AddSent), or Row. So a key whose surveys
// were sent but never answered has a row with Count 0 and Sent above 0
// (a report fills its tables that way when it counts surveys sent), and
// a key with neither has none.
func (t *Table) Get(key string) *Summary { return t.rows[key] }

// Len is the number of keys.
func (t *Table) Len() int { return len(t.rows) }

// Keys returns the table's keys in sorted order.
func (t *Table) Keys() []string {
	keys := make([]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Merge adds every row of o to the row of the same key in t.
func (t *Table) Merge(o *Table) error {
	if o == nil {
		return nil
	}
	if !t.scale.sameAs(o.scale) {
		return fmt.Errorf("%w: cannot merge a table of %s into one of %s", ErrScaleMismatch, o.scale, t.scale)
	}
	for k, s := range o.rows {
		if err := t.row(k).Merge(s); err != nil {
			return err
		}
	}
	return nil
}
