package scoring

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// addCounts adds count scores of each value to s.
func addCounts(s *Summary, counts map[int]int) {
	for v, n := range counts {
		for range n {
			s.Add(v)
		}
	}
}

func TestSummaryMatchesTheHelpdeskReportFacts(t *testing.T) {
	// A widely used open-source helpdesk reports the satisfaction score as
	// positive responses / all responses × 100, with per-rating shares.
	s := NewSummary(CSAT5())
	addCounts(s, map[int]int{1: 10, 2: 20, 3: 15, 4: 3, 5: 2})

	assert.Equal(t, int64(50), s.Count())
	assert.Equal(t, []int64{10, 20, 15, 3, 2}, s.Distribution())
	assert.Equal(t, []float64{20, 40, 30, 6, 4}, s.Shares())
	assert.Equal(t, int64(5), s.SatisfiedCount())
	assert.Equal(t, 10.0, s.SatisfiedPercent())
	assert.Equal(t, int64(10+40+45+12+10), s.Sum())
	assert.InDelta(t, 117.0/50, s.Mean(), 1e-12)
	assert.Equal(t, int64(15), s.CountOf(3))
	assert.Zero(t, s.CountOf(9))

	t.Run("20 responses to 50 surveys sent is a 40% response rate", func(t *testing.T) {
		r := NewSummary(CSAT5())
		addCounts(r, map[int]int{5: 20})
		r.AddSent(50)
		r.AddSent(-3) // ignored
		assert.Equal(t, int64(50), r.Sent())
		assert.Equal(t, 40.0, r.ResponseRate())
	})

	t.Run("zero responses give 0, not NaN", func(t *testing.T) {
		z := NewSummary(CSAT5())
		for name, f := range map[string]float64{
			"satisfied %":   z.SatisfiedPercent(),
			"mean":          z.Mean(),
			"NPS":           z.NPS(),
			"response rate": z.ResponseRate(),
		} {
			assert.Zero(t, f, name)
			assert.False(t, math.IsNaN(f), name)
		}
		assert.Equal(t, []float64{0, 0, 0, 0, 0}, z.Shares())
		z.AddSent(10)
		assert.Zero(t, z.ResponseRate(), "10 sent, none answered")
	})
}

func TestSummaryAddIgnoresValuesOffTheScale(t *testing.T) {
	s := NewSummary(CSAT5())
	assert.True(t, s.Add(5))
	for _, v := range []int{0, 6, -1, math.MaxInt, math.MinInt} {
		assert.False(t, s.Add(v), "value %d", v)
	}
	assert.Equal(t, int64(1), s.Count())
	assert.Equal(t, int64(5), s.Sum())
}

func TestSummaryAddAllocatesNothing(t *testing.T) {
	s := NewSummary(NPS10())
	allocs := testing.AllocsPerRun(1000, func() {
		s.Add(7)
		s.AddResponseTime(3 * time.Minute)
	})
	assert.Zero(t, allocs)
}

func TestSummaryCountsNPSBandsAndAmoCRMsHighMediumLow(t *testing.T) {
	tests := []struct {
		name                    string
		scale                   *Scale
		counts                  map[int]int
		promoters, passives     int64
		detractors              int64
		nps                     float64
		bandNames               []string
		bandCounts              []int64
		satisfied               int64
		satisfiedPercent, meanV float64
	}{
		{
			name: "nps10 band edges", scale: NPS10(),
			counts:    map[int]int{0: 1, 6: 2, 7: 3, 8: 4, 9: 5, 10: 5},
			promoters: 10, passives: 7, detractors: 3, nps: 35,
			bandNames: []string{"detractor", "passive", "promoter"}, bandCounts: []int64{3, 7, 10},
			satisfied: 10, satisfiedPercent: 50, meanV: (0 + 12 + 21 + 32 + 45 + 50) / 20.0,
		},
		{
			name: "amoCRM 1–10: 6 is low, 7 and 8 medium, 9 and 10 high", scale: NPS10From1(),
			counts:    map[int]int{1: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 3},
			promoters: 4, passives: 2, detractors: 2, nps: 25,
			bandNames: []string{"low", "medium", "high"}, bandCounts: []int64{2, 2, 4},
			satisfied: 4, satisfiedPercent: 50, meanV: (1 + 6 + 7 + 8 + 9 + 30) / 8.0,
		},
		{
			name: "all detractors is −100", scale: NPS10(),
			counts:     map[int]int{0: 2, 6: 2},
			detractors: 4, nps: -100,
			bandNames: []string{"detractor", "passive", "promoter"}, bandCounts: []int64{4, 0, 0},
			meanV: 3,
		},
		{
			name: "all promoters is 100", scale: NPS10(),
			counts:    map[int]int{9: 1, 10: 1},
			promoters: 2, nps: 100,
			bandNames: []string{"detractor", "passive", "promoter"}, bandCounts: []int64{0, 0, 2},
			satisfied: 2, satisfiedPercent: 100, meanV: 9.5,
		},
		{
			name: "ces7 band edges", scale: CES7(),
			counts:    map[int]int{3: 1, 4: 1, 5: 2},
			promoters: 2, passives: 1, detractors: 1, nps: 25,
			bandNames: []string{"difficult", "neutral", "easy"}, bandCounts: []int64{1, 1, 2},
			satisfied: 2, satisfiedPercent: 50, meanV: 17 / 4.0,
		},
		{
			name: "thumbs", scale: Thumbs(),
			counts:    map[int]int{0: 1, 1: 3},
			promoters: 3, detractors: 1, nps: 50,
			bandNames: []string{"down", "up"}, bandCounts: []int64{1, 3},
			satisfied: 3, satisfiedPercent: 75, meanV: 0.75,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSummary(tt.scale)
			addCounts(s, tt.counts)
			assert.Equal(t, tt.promoters, s.Promoters())
			assert.Equal(t, tt.passives, s.Passives())
			assert.Equal(t, tt.detractors, s.Detractors())
			assert.InDelta(t, tt.nps, s.NPS(), 1e-9)
			assert.Equal(t, tt.satisfied, s.SatisfiedCount())
			assert.InDelta(t, tt.satisfiedPercent, s.SatisfiedPercent(), 1e-9)
			assert.InDelta(t, tt.meanV, s.Mean(), 1e-9)
			bc := s.BandCounts()
			require.Len(t, bc, len(tt.bandNames))
			for i := range bc {
				assert.Equal(t, tt.bandNames[i], bc[i].Band.Name)
				assert.Equal(t, tt.bandCounts[i], bc[i].Count)
			}
		})
	}
}

func TestSummaryDescribesResponseTimes(t *testing.T) {
	s := NewSummary(CSAT5())
	assert.Equal(t, ResponseTimes{}, s.ResponseTimes(), "none recorded")
	for _, d := range []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second, 40 * time.Second, 10 * time.Minute, -time.Second} {
		s.AddResponseTime(d)
	}
	rt := s.ResponseTimes()
	assert.Equal(t, int64(5), rt.N, "negative durations are ignored")
	assert.Equal(t, 10*time.Minute, rt.Max)
	assert.Equal(t, (100*time.Second+10*time.Minute)/5, rt.Mean)
	assert.GreaterOrEqual(t, rt.Median, 30*time.Second, "the median is an upper bound")
	assert.Less(t, rt.Median, 60*time.Second+1, "within a factor of two")
	assert.Equal(t, 10*time.Minute, rt.P90, "capped at the exact maximum")
}

func TestSummaryStringExplainsTheFigures(t *testing.T) {
	s := NewSummary(CSAT5())
	addCounts(s, map[int]int{1: 10, 2: 20, 3: 15, 4: 3, 5: 2})
	s.AddSent(100)
	assert.Equal(t, "csat5 (1–5): n=50 sum=117 mean=2.34 satisfied=5 (10.0%) sent=100 (50.0% responded) dist=[10 20 15 3 2]", s.String())
}

func TestSummaryMergeRefusesADifferentScale(t *testing.T) {
	a := NewSummary(CSAT5())
	err := a.Merge(NewSummary(NPS10()))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrScaleMismatch))
	assert.NoError(t, a.Merge(nil))

	ta := NewTable(CSAT5())
	tb := NewTable(Emoji5())
	tb.Add("ana", 5)
	assert.True(t, errors.Is(ta.Merge(tb), ErrScaleMismatch))
	assert.NoError(t, ta.Merge(nil))
}

func TestSummaryCloneIsIndependent(t *testing.T) {
	a := NewSummary(CSAT5())
	a.Add(5)
	b := a.Clone()
	b.Add(1)
	assert.Equal(t, int64(1), a.Count())
	assert.Equal(t, []int64{0, 0, 0, 0, 1}, a.Distribution())
	assert.Equal(t, int64(2), b.Count())
}

// randomResponses returns n responses on scale with a few agents, groups,
// channels, surveys and times spread over 60 days.
func randomResponses(rng *rand.Rand, scale *Scale, n int) []Response {
	agents := []string{"ana", "bob", "carla", "dmitri", "eve"}
	groups := []string{"billing", "support", "sales"}
	channels := []string{"whatsapp", "email", "telegram"}
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Response, n)
	for i := range out {
		r := &out[i]
		r.Value = scale.Min() + rng.IntN(scale.Size()+1) // sometimes off the scale
		for range rng.IntN(4) {
			r.Agents = append(r.Agents, agents[rng.IntN(len(agents))])
		}
		if len(r.Agents) > 0 {
			r.Assignee = r.Agents[rng.IntN(len(r.Agents))]
		}
		for range rng.IntN(3) {
			r.Groups = append(r.Groups, groups[rng.IntN(len(groups))])
		}
		r.Channel = channels[rng.IntN(len(channels))]
		r.Survey = []string{"csat", "nps"}[rng.IntN(2)]
		if rng.IntN(10) > 0 {
			r.At = base.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
		}
		r.ResponseTime = time.Duration(rng.Int64N(int64(48 * time.Hour)))
	}
	return out
}

func TestMergeOfTwoSummariesEqualsTheSummaryOfTheUnion(t *testing.T) {
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 7))
		scale := Scales()[seed%uint64(len(Scales()))]
		rs := randomResponses(rng, scale, rng.IntN(200))
		cut := 0
		if len(rs) > 0 {
			cut = rng.IntN(len(rs) + 1)
		}
		a, b, all := NewSummary(scale), NewSummary(scale), NewSummary(scale)
		for i, r := range rs {
			part := a
			if i >= cut {
				part = b
			}
			part.Add(r.Value)
			part.AddResponseTime(r.ResponseTime)
			all.Add(r.Value)
			all.AddResponseTime(r.ResponseTime)
		}
		a.AddSent(int64(cut) * 2)
		b.AddSent(int64(len(rs)-cut) * 2)
		all.AddSent(int64(len(rs)) * 2)

		require.NoError(t, a.Merge(b))
		require.Equal(t, all, a, "seed %d", seed)
		assert.Equal(t, all.SatisfiedPercent(), a.SatisfiedPercent())
		assert.Equal(t, all.NPS(), a.NPS())
		assert.Equal(t, all.ResponseTimes(), a.ResponseTimes())
	}
}

func TestTableAddsByKeyAndMergesRowByRow(t *testing.T) {
	tb := NewTable(CSAT5())
	assert.True(t, tb.Add("bob", 4))
	assert.True(t, tb.Add("ana", 5))
	assert.True(t, tb.Add("ana", 3))
	assert.False(t, tb.Add("zed", 9), "off the scale")
	tb.AddSent("ana", 4)
	tb.AddSent("bob", 0)
	assert.Equal(t, []string{"ana", "bob"}, tb.Keys(), "sorted, and no row for a rejected value")
	assert.Equal(t, 2, tb.Len())
	assert.Equal(t, int64(8), tb.Get("ana").Sum())
	assert.Equal(t, 50.0, tb.Get("ana").ResponseRate())
	assert.Nil(t, tb.Get("zed"))
	assert.Same(t, CSAT5(), tb.Scale())

	other := NewTable(CSAT5())
	other.Add("ana", 1)
	other.Add("carla", 2)
	require.NoError(t, tb.Merge(other))
	assert.Equal(t, []string{"ana", "bob", "carla"}, tb.Keys())
	assert.Equal(t, int64(9), tb.Get("ana").Sum())
	assert.Equal(t, int64(3), tb.Get("ana").Count())
	other.Add("carla", 5)
	assert.Equal(t, int64(1), tb.Get("carla").Count(), "merged rows are copies")
}

func TestTableAddToAnExistingKeyAllocatesNothing(t *testing.T) {
	tb := NewTable(CSAT5())
	tb.Add("ana", 1)
	key := string([]byte("ana")) // not the same string header as the map's key
	allocs := testing.AllocsPerRun(1000, func() { tb.Add(key, 4) })
	assert.Zero(t, allocs)
}

// A summary names its band counts one way: Promoters, Passives and
// Detractors, with no aliases beside them.
func TestSummaryCountsBandsUnderOneNameEach(t *testing.T) {
	methods := reflect.TypeFor[*Summary]()
	for _, alias := range []string{"High", "Medium", "Low"} {
		_, ok := methods.MethodByName(alias)
		assert.False(t, ok, "Summary.%s", alias)
	}
}

// The reminder counts add, ignore negatives, merge, clone and show in the
// figures and their JSON.
func TestReminderCounts(t *testing.T) {
	s := NewSummary(CSAT5())
	s.AddSent(10)
	s.AddReminded(4)
	s.AddReminded(-1)
	s.AddN(5, 3)
	s.AddAfterReminder(1)
	s.AddAfterReminder(-2)
	assert.Equal(t, [2]int64{4, 1}, [2]int64{s.Reminded(), s.AfterReminder()})
	assert.InDelta(t, 25.0, s.RemindedResponseRate(), 1e-9)
	assert.Zero(t, NewSummary(CSAT5()).RemindedResponseRate(), "no reminders: 0")

	o := s.Clone()
	o.AddReminded(2)
	assert.Equal(t, int64(4), s.Reminded(), "the clone is independent")
	require.NoError(t, s.Merge(o))
	assert.Equal(t, [2]int64{10, 2}, [2]int64{s.Reminded(), s.AfterReminder()})
	assert.Contains(t, s.String(), "reminded=10 (2 responded after)")

	f, err := s.Figures(0.95, 0)
	require.NoError(t, err)
	assert.Equal(t, [2]int64{10, 2}, [2]int64{f.Reminded, f.AfterReminder})
	assert.InDelta(t, 20.0, f.RemindedResponseRate, 1e-9)
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"reminded":10,"after_reminder":2,"reminded_response_rate":20`)
}
