package scoring

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reference intervals were computed independently with Python's
// statistics.NormalDist and the textbook formulas.

func TestSatisfiedIntervalIsTheWilsonScoreInterval(t *testing.T) {
	tests := []struct {
		name         string
		counts       map[int]int
		level        float64
		lower, upper float64
		tooFew       bool
	}{
		{"5 of 50 at 95%", map[int]int{1: 10, 2: 20, 3: 15, 4: 3, 5: 2}, 0.95, 4.347576493189043, 21.360231437479655, false},
		{"5 of 50 at 90%", map[int]int{1: 10, 2: 20, 3: 15, 4: 3, 5: 2}, 0.90, 4.952903447744518, 19.15375141515709, false},
		{"3 of 3 at 95%", map[int]int{5: 3}, 0.95, 43.85029682449546, 100, true},
		{"95 of 100 at 95%", map[int]int{5: 95, 1: 5}, 0.95, 88.82495307680807, 97.84563208456319, false},
		{"no responses", nil, 0.95, 0, 100, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSummary(CSAT5())
			addCounts(s, tt.counts)
			iv, err := s.SatisfiedInterval(tt.level)
			require.NoError(t, err)
			assert.InDelta(t, tt.lower, iv.Lower, 1e-9)
			assert.InDelta(t, tt.upper, iv.Upper, 1e-9)
			assert.Equal(t, s.SatisfiedPercent(), iv.Estimate)
			assert.Equal(t, tt.level, iv.Level)
			assert.Equal(t, s.Count(), iv.N)
			assert.Equal(t, tt.tooFew, iv.TooFew)
			assert.LessOrEqual(t, iv.Lower, iv.Estimate)
			assert.GreaterOrEqual(t, iv.Upper, iv.Estimate)
		})
	}
}

func TestNPSIntervalIsTheAdjustedWaldInterval(t *testing.T) {
	tests := []struct {
		name         string
		counts       map[int]int
		lower, upper float64
	}{
		{"60 promoters, 25 passives, 15 detractors", map[int]int{10: 30, 9: 30, 8: 25, 3: 15}, 29.343111201734096, 58.035529574964926},
		{"no responses: the adjustment alone", nil, -80.0151946059218, 80.0151946059218},
		{"5 promoters: clamped at 100", map[int]int{10: 5}, 17.49145303416898, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSummary(NPS10())
			addCounts(s, tt.counts)
			iv, err := s.NPSInterval(0.95)
			require.NoError(t, err)
			assert.InDelta(t, tt.lower, iv.Lower, 1e-9)
			assert.InDelta(t, tt.upper, iv.Upper, 1e-9)
			assert.Equal(t, s.NPS(), iv.Estimate)
			assert.False(t, math.IsNaN(iv.Lower) || math.IsNaN(iv.Upper))
		})
	}
}

func TestIntervalsWidenWithTheConfidenceLevel(t *testing.T) {
	s := NewSummary(NPS10())
	addCounts(s, map[int]int{10: 40, 8: 30, 2: 30})
	prevCSAT, prevNPS := 0.0, 0.0
	for _, level := range []float64{0.5, 0.8, 0.9, 0.95, 0.99, 0.999} {
		c, err := s.SatisfiedInterval(level)
		require.NoError(t, err)
		n, err := s.NPSInterval(level)
		require.NoError(t, err)
		assert.Greater(t, c.Upper-c.Lower, prevCSAT, "level %v", level)
		assert.Greater(t, n.Upper-n.Lower, prevNPS, "level %v", level)
		prevCSAT, prevNPS = c.Upper-c.Lower, n.Upper-n.Lower
	}
}

func TestIntervalsRejectLevelsOutsideZeroToOne(t *testing.T) {
	s := NewSummary(CSAT5())
	for _, level := range []float64{0, 1, -0.5, 95, math.NaN()} {
		_, err := s.SatisfiedInterval(level)
		assert.True(t, errors.Is(err, ErrInvalidLevel), "level %v", level)
		_, err = s.NPSInterval(level)
		assert.True(t, errors.Is(err, ErrInvalidLevel), "level %v", level)
	}
}

func TestTooFewFollowsTheChosenMinimum(t *testing.T) {
	s := NewSummary(CSAT5())
	addCounts(s, map[int]int{5: 10})
	iv, err := s.SatisfiedIntervalMin(0.95, 10)
	require.NoError(t, err)
	assert.False(t, iv.TooFew)
	iv, err = s.SatisfiedIntervalMin(0.95, 11)
	require.NoError(t, err)
	assert.True(t, iv.TooFew)
	iv, err = s.NPSIntervalMin(0.95, 5)
	require.NoError(t, err)
	assert.False(t, iv.TooFew)
	assert.Equal(t, "100.0 (95% CI 72.2–100.0, n=10) too few responses", mustInterval(s.SatisfiedInterval(0.95)).String())
}

func mustInterval(iv Interval, err error) Interval {
	if err != nil {
		panic(err)
	}
	return iv
}

func TestRankOrdersAgentsByTheLowerBound(t *testing.T) {
	tb := NewTable(CSAT5())
	add := func(agent string, satisfied, other int) {
		for range satisfied {
			tb.Add(agent, 5)
		}
		for range other {
			tb.Add(agent, 1)
		}
	}
	add("lucky", 3, 0)    // 100 %, but only 3 answers
	add("steady", 95, 5)  // 95 % of 100
	add("mixed", 40, 10)  // 80 % of 50
	add("newcomer", 1, 1) // 50 % of 2
	add("solid", 190, 10) // 95 % of 200: same estimate as steady, tighter
	add("tied-a", 40, 10) // same as mixed: ties break by key
	add("struggling", 5, 35)

	ranked, err := tb.Rank(RankOptions{MinResponses: 1})
	require.NoError(t, err)
	keys := func(rs []Ranked) []string {
		var k []string
		for _, r := range rs {
			k = append(k, r.Key)
		}
		return k
	}
	assert.Equal(t, []string{"solid", "steady", "mixed", "tied-a", "lucky", "newcomer", "struggling"}, keys(ranked),
		"3 of 3 does not outrank 95 of 100")
	for i := 1; i < len(ranked); i++ {
		assert.GreaterOrEqual(t, ranked[i-1].Interval.Lower, ranked[i].Interval.Lower)
	}

	ranked, err = tb.Rank(RankOptions{}) // default minimum of 30
	require.NoError(t, err)
	assert.Equal(t, []string{"solid", "steady", "mixed", "tied-a", "struggling", "lucky", "newcomer"}, keys(ranked),
		"rows with too few responses come last")
	assert.True(t, ranked[5].Interval.TooFew)
	assert.Same(t, tb.Get("solid"), ranked[0].Summary)

	_, err = tb.Rank(RankOptions{Level: 2})
	assert.True(t, errors.Is(err, ErrInvalidLevel))
	_, err = tb.Rank(RankOptions{Metric: 9})
	assert.Error(t, err)
}

func TestRankByNPS(t *testing.T) {
	tb := NewTable(NPS10())
	for range 50 {
		tb.Add("promoted", 10)
		tb.Add("detracted", 0)
	}
	for range 30 {
		tb.Add("middling", 8)
	}
	ranked, err := tb.Rank(RankOptions{Metric: MetricNPS, Level: 0.9})
	require.NoError(t, err)
	require.Len(t, ranked, 3)
	assert.Equal(t, "promoted", ranked[0].Key)
	assert.Equal(t, "middling", ranked[1].Key)
	assert.Equal(t, "detracted", ranked[2].Key)
	assert.Equal(t, 100.0, ranked[0].Interval.Estimate)
	assert.Equal(t, 0.9, ranked[0].Interval.Level)
}
