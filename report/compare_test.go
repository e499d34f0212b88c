package report_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// csat returns a CSAT 1–5 summary with satisfied fives and n − satisfied
// ones.
func csat(satisfied, n int64) *scoring.Summary {
	s := scoring.NewSummary(scoring.CSAT5())
	s.AddN(5, satisfied)
	s.AddN(1, n-satisfied)
	return s
}

// The CSAT change and its interval are Newcombe's method 10 (the hybrid
// score interval): the eight worked examples of Table II of R. G.
// Newcombe, "Interval estimation for the difference between independent
// proportions: comparison of eleven methods", Statistics in Medicine 17
// (1998) 873–890, in percentage points. The first sample of each example
// is "after", the second "before".
func TestTheCSATChangeIsNewcombesHybridScoreInterval(t *testing.T) {
	for _, ex := range []struct {
		k1, n1, k2, n2       int64
		change, lower, upper float64
	}{
		{56, 70, 48, 80, 20.00, 5.24, 33.39},
		{9, 10, 3, 10, 60.00, 17.05, 80.90},
		{6, 7, 2, 7, 57.14, 5.82, 80.62},
		{5, 56, 0, 29, 8.93, -3.81, 19.26},
		{0, 10, 0, 20, 0, -16.11, 27.75},
		{0, 10, 0, 10, 0, -27.75, 27.75},
		{10, 10, 0, 20, 100, 67.91, 100},
		{10, 10, 0, 10, 100, 60.75, 100},
	} {
		before, after := &report.Report{Overall: csat(ex.k2, ex.n2)}, &report.Report{Overall: csat(ex.k1, ex.n1)}
		c, err := report.CompareReports(before, after, 0.95)
		require.NoError(t, err)
		d := c.Overall.CSAT
		assert.InDelta(t, ex.change, d.Change, 0.005, "%d/%d − %d/%d", ex.k1, ex.n1, ex.k2, ex.n2)
		assert.InDelta(t, ex.lower, d.Lower, 0.005, "%d/%d − %d/%d: lower", ex.k1, ex.n1, ex.k2, ex.n2)
		assert.InDelta(t, ex.upper, d.Upper, 0.005, "%d/%d − %d/%d: upper", ex.k1, ex.n1, ex.k2, ex.n2)
		assert.Equal(t, ex.lower > 0, d.Significant, "significant exactly when the interval excludes zero")
		assert.True(t, d.Comparable)
		assert.InDelta(t, float64(ex.k2)/float64(ex.n2)*100, d.Before, 1e-9)
	}
}

// nps returns an NPS 0–10 summary with the given promoters, passives and
// detractors.
func nps(pro, pas, det int64) *scoring.Summary {
	s := scoring.NewSummary(scoring.NPS10())
	s.AddN(10, pro)
	s.AddN(7, pas)
	s.AddN(2, det)
	return s
}

// npsVarianceByHand is an independent computation of the variance of an
// NPS estimate: each response scores +1 (promoter), 0 (passive) or −1
// (detractor), the NPS is their mean, and its variance the population
// variance of the scores over n. The adjustment is pseudo-responses: ¾
// of a promoter, ¾ of a detractor and 1½ passives.
func npsVarianceByHand(pro, pas, det int64) float64 {
	type weighted struct{ x, w float64 }
	data := []weighted{{1, float64(pro) + 0.75}, {0, float64(pas) + 1.5}, {-1, float64(det) + 0.75}}
	var n, sum float64
	for _, d := range data {
		n += d.w
		sum += d.x * d.w
	}
	mean := sum / n
	var ss float64
	for _, d := range data {
		ss += d.w * (d.x - mean) * (d.x - mean)
	}
	return ss / n / n
}

// The NPS change's interval sums the variances of the two independent NPS
// estimates; checked against a computation by hand from the responses'
// +1/0/−1 scores, and against a worked example: 60/25/15 of 100 against
// 40/30/30 of 100 is +35 points; on the adjusted counts (n = 103) the
// variances are 0.5518/103 and 0.6847/103, the standard error of the
// difference √(0.5518/103 + 0.6847/103) ≈ 0.1096, and ±1.96 of it give
// +13.5 to +56.5.
func TestTheNPSChangeSumsTheVariancesOfTwoIndependentEstimates(t *testing.T) {
	for _, ex := range []struct{ p1, m1, d1, p2, m2, d2 int64 }{
		{60, 25, 15, 40, 30, 30}, {5, 3, 2, 2, 3, 5}, {300, 120, 80, 250, 150, 100}, {3, 0, 0, 0, 0, 3},
	} {
		before, after := &report.Report{Overall: nps(ex.p2, ex.m2, ex.d2)}, &report.Report{Overall: nps(ex.p1, ex.m1, ex.d1)}
		c, err := report.CompareReports(before, after, 0.95)
		require.NoError(t, err)
		d := c.Overall.NPS
		n1, n2 := float64(ex.p1+ex.m1+ex.d1), float64(ex.p2+ex.m2+ex.d2)
		change := (float64(ex.p1-ex.d1)/n1 - float64(ex.p2-ex.d2)/n2) * 100
		half := 1.959963984540054 * math.Sqrt(npsVarianceByHand(ex.p1, ex.m1, ex.d1)+npsVarianceByHand(ex.p2, ex.m2, ex.d2)) * 100
		assert.InDelta(t, change, d.Change, 1e-9, "%+v", ex)
		assert.InDelta(t, max(change-half, -200), d.Lower, 1e-6, "%+v", ex)
		assert.InDelta(t, min(change+half, 200), d.Upper, 1e-6, "%+v: an NPS changes by 200 points at most", ex)
		assert.Equal(t, change-half > 0 || change+half < 0, d.Significant, "%+v", ex)
	}
	c, err := report.CompareReports(&report.Report{Overall: nps(40, 30, 30)}, &report.Report{Overall: nps(60, 25, 15)}, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 35, c.Overall.NPS.Change, 1e-9)
	assert.InDelta(t, 13.52, c.Overall.NPS.Lower, 0.01)
	assert.InDelta(t, 56.48, c.Overall.NPS.Upper, 0.01)
	assert.True(t, c.Overall.NPS.Significant)
}

// A comparison's tables hold the keys of either report, a key without
// responses on one side not comparable; a wider level gives a wider
// interval; bad requests are errors.
func TestCompareReportsRowsAndErrors(t *testing.T) {
	table := func(rows map[string]*scoring.Summary) *scoring.Table {
		tb := scoring.NewTable(scoring.CSAT5())
		for k, s := range rows {
			require.NoError(t, tb.Row(k).Merge(s))
		}
		return tb
	}
	before := &report.Report{Overall: csat(30, 50), ByAgent: table(map[string]*scoring.Summary{"ana": csat(20, 30), "bo": csat(10, 20)})}
	after := &report.Report{Overall: csat(45, 50), ByAgent: table(map[string]*scoring.Summary{"ana": csat(40, 40), "cy": csat(5, 10)}),
		ByChannel: table(map[string]*scoring.Summary{"web": csat(1, 1)})}
	c, err := report.CompareReports(before, after, 0)
	require.NoError(t, err)
	assert.Equal(t, scoring.DefaultLevel, c.Level)
	var keys []string
	for _, ch := range c.ByAgent {
		keys = append(keys, ch.Key)
	}
	assert.Equal(t, []string{"ana", "bo", "cy"}, keys)
	assert.True(t, c.ByAgent[0].CSAT.Comparable)
	assert.True(t, c.ByAgent[0].CSAT.Significant, "ana: 20/30 → 40/40")
	assert.False(t, c.ByAgent[1].CSAT.Comparable, "bo has no responses after")
	assert.Equal(t, [2]int64{20, 0}, [2]int64{c.ByAgent[1].CSAT.NBefore, c.ByAgent[1].CSAT.NAfter})
	assert.False(t, c.ByAgent[2].CSAT.Comparable, "cy has none before")
	assert.Nil(t, c.ByChannel, "a table one report lacks is not compared")
	assert.True(t, c.Overall.CSAT.Significant, "60 % → 90 % of 50 each")

	wide, err := report.CompareReports(before, after, 0.99)
	require.NoError(t, err)
	assert.Less(t, wide.Overall.CSAT.Lower, c.Overall.CSAT.Lower)
	assert.Greater(t, wide.Overall.CSAT.Upper, c.Overall.CSAT.Upper)

	_, err = report.CompareReports(before, after, 1.5)
	assert.ErrorIs(t, err, scoring.ErrInvalidLevel)
	_, err = report.CompareReports(before, &report.Report{Overall: nps(1, 1, 1)}, 0.95)
	assert.ErrorIs(t, err, scoring.ErrScaleMismatch)
	_, err = report.CompareReports(nil, after, 0.95)
	assert.ErrorIs(t, err, report.ErrInvalid)
}

// Compare builds two periods' reports from a store, ratings only, and
// compares them.
func TestCompareTwoPeriodsFromAStore(t *testing.T) {
	monday := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var sessions report.Sessions
	add := func(id string, at time.Time, rating int, agent string) {
		sessions = append(sessions, &survey.Session{TenantID: "t1", ID: id, SurveyID: "csat", Scale: "csat5", Channel: "web",
			Agents: []survey.Participant{{ID: agent, Kind: survey.Human}}, SentAt: at, Rated: true, Rating: rating, RatedAt: at.Add(time.Minute)})
	}
	for i := range 40 {
		add("a"+string(rune('A'+i%26))+string(rune('a'+i/26)), monday.Add(time.Duration(i)*time.Hour), 2+3*(i%2), "ana") // last week: half satisfied
		add("b"+string(rune('A'+i%26))+string(rune('a'+i/26)), monday.AddDate(0, 0, 7).Add(time.Duration(i)*time.Hour), 5, "ana")
	}
	from, to := monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 14)
	prevFrom, prevTo := report.PreviousPeriod(from, to)
	assert.Equal(t, [2]time.Time{monday, from}, [2]time.Time{prevFrom, prevTo})
	c, err := report.Compare(context.Background(), sessions, "t1",
		report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: prevFrom, To: prevTo}},
		report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: from, To: to}}, 0.95)
	require.NoError(t, err)
	assert.Equal(t, [3]float64{50, 100, 50}, [3]float64{c.Overall.CSAT.Before, c.Overall.CSAT.After, c.Overall.CSAT.Change})
	assert.True(t, c.Overall.CSAT.Significant)
	require.Len(t, c.ByAgent, 1)
	assert.Equal(t, "ana", c.ByAgent[0].Key)
	require.Len(t, c.ByChannel, 1)
	require.NotNil(t, c.ByGroup, "the default tables: agent, group, channel")
	_, err = report.Compare(context.Background(), sessions, "t1", report.Options{Scale: scoring.CSAT5()}, report.Options{}, 0.95)
	assert.ErrorIs(t, err, report.ErrInvalid, "no scale after")
}
