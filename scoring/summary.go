package scoring

import "sort"

// Summary aggregates scores given on one scale. The zero value is not
// usable; create one with [NewSummary]. Add does not allocate.
type Summary struct {
	scale     *Scale
	count     int64
	sum       int64
	satisfied int64
	dist      []int64 // dist[v-min]
}

// NewSummary returns an empty summary for scale.
func NewSummary(scale *Scale) *Summary {
	return &Summary{scale: scale, dist: make([]int64, scale.max-scale.min+1)}
}

// Add records one score. A value outside the scale is ignored and Add
// reports false.
func (s *Summary) Add(v int) bool {
	if !s.scale.Contains(v) {
		return false
	}
	s.count++
	s.sum += int64(v)
	s.dist[v-s.scale.min]++
	if s.scale.satisfied(v) {
		s.satisfied++
	}
	return true
}

// Count is the number of scores recorded.
func (s *Summary) Count() int64 { return s.count }

// Sum is the sum of all scores: seed 000's "CSAT score" of an agent or group.
func (s *Summary) Sum() int64 { return s.sum }

// SatisfiedCount is the number of satisfied (top-box) scores.
func (s *Summary) SatisfiedCount() int64 { return s.satisfied }

// SatisfiedPercent is satisfied scores / all scores × 100, and 0 when there
// are none.
func (s *Summary) SatisfiedPercent() float64 {
	if s.count == 0 {
		return 0
	}
	return float64(s.satisfied) * 100 / float64(s.count)
}

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

// Table is a set of summaries keyed by a name such as an agent or group ID.
type Table struct {
	scale *Scale
	rows  map[string]*Summary
}

// NewTable returns an empty table for scale.
func NewTable(scale *Scale) *Table {
	return &Table{scale: scale, rows: map[string]*Summary{}}
}

// Add records v under key.
func (t *Table) Add(key string, v int) bool {
	s, ok := t.rows[key]
	if !ok {
		s = NewSummary(t.scale)
		t.rows[key] = s
	}
	return s.Add(v)
}

// Get returns the summary for key, or nil when key has no scores.
func (t *Table) Get(key string) *Summary { return t.rows[key] }

// Keys returns the table's keys in sorted order.
func (t *Table) Keys() []string {
	keys := make([]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
