package scoring

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seed000 are three rated conversations: ana and bob share one, bob takes
// a second alone, and carla the third.
func seed000() []Response {
	at := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	return []Response{
		{Value: 5, Agents: []string{"ana", "bob", "ana"}, Assignee: "ana", Groups: []string{"support", "billing", "support"}, Channel: "whatsapp", Survey: "csat", At: at},
		{Value: 2, Agents: []string{"bob"}, Assignee: "bob", Groups: []string{"billing"}, Channel: "messenger", Survey: "csat", At: at.Add(time.Hour)},
		{Value: 4, Agents: []string{"carla", "bob"}, Assignee: "carla", Groups: []string{"support"}, Channel: "whatsapp", Survey: "csat", At: at.Add(48 * time.Hour)},
	}
}

// sums maps each key of a table to its Sum and Count.
func sums(tb *Table) map[string][2]int64 {
	out := map[string][2]int64{}
	for _, k := range tb.Keys() {
		out[k] = [2]int64{tb.Get(k).Sum(), tb.Get(k).Count()}
	}
	return out
}

func TestGroupByAgentFollowsTheAttributionPolicy(t *testing.T) {
	tests := []struct {
		attribution Attribution
		want        map[string][2]int64 // sum, count
	}{
		// Seed 000: an agent's CSAT score is the sum of the answers in every
		// conversation the agent took part in; ana appears twice in the
		// first conversation and still counts it once.
		{AllParticipants, map[string][2]int64{"ana": {5, 1}, "bob": {11, 3}, "carla": {4, 1}}},
		{LastAgent, map[string][2]int64{"ana": {5, 1}, "bob": {6, 2}}},
		{AssigneeAtClose, map[string][2]int64{"ana": {5, 1}, "bob": {2, 1}, "carla": {4, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.attribution.String(), func(t *testing.T) {
			tb, overall, skipped, err := Group(CSAT5(), seed000(), GroupOptions{By: ByAgent, Attribution: tt.attribution})
			require.NoError(t, err)
			assert.Equal(t, tt.want, sums(tb))
			assert.Equal(t, int64(3), overall.Count(), "overall counts each conversation once")
			assert.Equal(t, int64(11), overall.Sum())
			assert.Zero(t, skipped)
		})
	}
}

func TestGroupByGroupChannelSurveyCountsEachConversationOncePerKey(t *testing.T) {
	tests := []struct {
		by   Dimension
		want map[string][2]int64
	}{
		{ByGroup, map[string][2]int64{"support": {9, 2}, "billing": {7, 2}}},
		{ByChannel, map[string][2]int64{"whatsapp": {9, 2}, "messenger": {2, 1}}},
		{BySurvey, map[string][2]int64{"csat": {11, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.by.String(), func(t *testing.T) {
			tb, _, _, err := Group(CSAT5(), seed000(), GroupOptions{By: tt.by})
			require.NoError(t, err)
			assert.Equal(t, tt.want, sums(tb))
		})
	}
}

func TestGroupByPeriodCutsDaysWeeksAndMonthsInTheGivenLocation(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600) // no tz database: the same offset in November–January
	}
	rs := []Response{
		{Value: 5, At: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)},  // 22 Nov 21:00 in New York
		{Value: 4, At: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)}, // 23 Nov in both
		{Value: 3, At: time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)}, // Thursday: ISO week 53 of 2026
		{Value: 2, At: time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)},   // Friday: still ISO week 2026-W53
		{Value: 1, At: time.Date(2027, 1, 4, 12, 0, 0, 0, time.UTC)},   // Monday: 2027-W01
		{Value: 1}, // no time: overall only
	}
	tests := []struct {
		name string
		by   Dimension
		loc  *time.Location
		want map[string][2]int64
	}{
		{"days in UTC", ByDay, nil, map[string][2]int64{"2026-11-23": {9, 2}, "2026-12-31": {3, 1}, "2027-01-01": {2, 1}, "2027-01-04": {1, 1}}},
		{"days in New York", ByDay, ny, map[string][2]int64{"2026-11-22": {5, 1}, "2026-11-23": {4, 1}, "2026-12-31": {3, 1}, "2027-01-01": {2, 1}, "2027-01-04": {1, 1}}},
		{"ISO weeks", ByWeek, time.UTC, map[string][2]int64{"2026-W48": {9, 2}, "2026-W53": {5, 2}, "2027-W01": {1, 1}}},
		{"ISO weeks in New York", ByWeek, ny, map[string][2]int64{"2026-W47": {5, 1}, "2026-W48": {4, 1}, "2026-W53": {5, 2}, "2027-W01": {1, 1}}},
		{"months", ByMonth, time.UTC, map[string][2]int64{"2026-11": {9, 2}, "2026-12": {3, 1}, "2027-01": {3, 2}}},
		{"months in New York", ByMonth, ny, map[string][2]int64{"2026-11": {9, 2}, "2026-12": {3, 1}, "2027-01": {3, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, overall, _, err := Group(CSAT5(), rs, GroupOptions{By: tt.by, Location: tt.loc})
			require.NoError(t, err)
			assert.Equal(t, tt.want, sums(tb))
			assert.Equal(t, int64(6), overall.Count())
		})
	}
}

func TestPeriodOfReturnsTheKeyAndBoundsOfThePeriod(t *testing.T) {
	at := time.Date(2026, 11, 25, 13, 30, 0, 0, time.UTC) // a Wednesday
	key, from, to := PeriodOf(at, ByWeek, nil)
	assert.Equal(t, "2026-W48", key)
	assert.Equal(t, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), from)
	assert.Equal(t, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), to)

	key, from, to = PeriodOf(at, ByMonth, time.UTC)
	assert.Equal(t, "2026-11", key)
	assert.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), from)
	assert.Equal(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), to)

	key, _, _ = PeriodOf(at, ByAgent, time.UTC)
	assert.Empty(t, key)
}

func TestGrouperSkipsValuesOffTheScaleAndResponsesWithoutKeys(t *testing.T) {
	g, err := NewGrouper(CSAT5(), GroupOptions{})
	require.NoError(t, err)
	assert.False(t, g.Add(&Response{Value: 9, Agents: []string{"ana"}}))
	assert.False(t, g.Add(nil))
	assert.True(t, g.Add(&Response{Value: 3}), "no agent: counted overall only")
	assert.True(t, g.Add(&Response{Value: 4, Agents: []string{"", "ana"}, ResponseTime: time.Minute}))
	assert.Equal(t, []string{"ana"}, g.Table().Keys())
	assert.Equal(t, int64(2), g.Overall().Count())
	assert.Equal(t, time.Minute, g.Table().Get("ana").ResponseTimes().Mean)

	_, _, skipped, err := Group(CSAT5(), []Response{{Value: 0}, {Value: 5}, {Value: 6}}, GroupOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, skipped)
}

func TestNewGrouperRejectsUnknownOptions(t *testing.T) {
	for _, o := range []GroupOptions{{By: 99}, {By: -1}, {By: Overall}, {Attribution: 7}} {
		_, err := NewGrouper(CSAT5(), o)
		assert.True(t, errors.Is(err, ErrInvalidGrouping), "%+v", o)
	}
	_, err := NewGrouper(nil, GroupOptions{})
	assert.True(t, errors.Is(err, ErrInvalidGrouping))
	_, _, _, err = Group(CSAT5(), nil, GroupOptions{By: 42})
	assert.Error(t, err)
	assert.Equal(t, "Dimension(42)", Dimension(42).String())
	assert.Equal(t, "Attribution(9)", Attribution(9).String())
}

func TestMergingGroupedShardsEqualsGroupingTheUnion(t *testing.T) {
	dims := []GroupOptions{
		{By: ByAgent}, {By: ByAgent, Attribution: LastAgent}, {By: ByAgent, Attribution: AssigneeAtClose},
		{By: ByGroup}, {By: ByChannel}, {By: BySurvey}, {By: ByDay}, {By: ByWeek}, {By: ByMonth, Location: time.FixedZone("X", 5*3600)},
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 11))
		scale := Scales()[seed%uint64(len(Scales()))]
		rs := randomResponses(rng, scale, 50+rng.IntN(300))
		cut := rng.IntN(len(rs) + 1)
		for _, o := range dims {
			ta, oa, _, err := Group(scale, rs[:cut], o)
			require.NoError(t, err)
			tb, ob, _, err := Group(scale, rs[cut:], o)
			require.NoError(t, err)
			all, oall, _, err := Group(scale, rs, o)
			require.NoError(t, err)

			require.NoError(t, ta.Merge(tb))
			require.NoError(t, oa.Merge(ob))
			require.Equal(t, all.Keys(), ta.Keys(), "seed %d by %v", seed, o.By)
			for _, k := range all.Keys() {
				require.Equal(t, all.Get(k), ta.Get(k), "seed %d by %v key %s", seed, o.By, k)
			}
			require.Equal(t, oall, oa)
		}
	}
}

func TestGrouperAddSentGivesEachKeyItsResponseRate(t *testing.T) {
	g, err := NewGrouper(CSAT5(), GroupOptions{By: ByAgent})
	require.NoError(t, err)
	sent := []Response{
		{Agents: []string{"ana", "bob"}},
		{Agents: []string{"ana"}},
		{Agents: []string{"ana", "ana"}},
		{Agents: []string{"bob"}},
	}
	for i := range sent {
		g.AddSent(&sent[i])
	}
	g.AddSent(nil)
	answered := sent[0]
	answered.Value = 5
	require.True(t, g.Add(&answered))

	assert.Equal(t, int64(3), g.Table().Get("ana").Sent())
	assert.InDelta(t, 100.0/3, g.Table().Get("ana").ResponseRate(), 1e-9)
	assert.Equal(t, 50.0, g.Table().Get("bob").ResponseRate())
	assert.Equal(t, int64(4), g.Overall().Sent())
	assert.Equal(t, 25.0, g.Overall().ResponseRate())
}

// TestGrouperKeysByContentWhateverTheirStorage feeds keys that share
// storage in every way a decoder can produce (one backing string sliced at
// different lengths, equal text in different storage, more distinct keys
// than the grouper's row cache holds) and checks each key's row against a
// plain map of counts.
func TestGrouperKeysByContentWhateverTheirStorage(t *testing.T) {
	backing := "abababab"
	keys := []string{
		backing[0:2], backing[2:4], // "ab" twice, in different storage
		backing[0:3], backing[0:4], // "aba", "abab": same start as "ab"
		string([]byte("ab")), // "ab" in storage of its own
	}
	for i := range 3000 { // more than the cache's 1024 slots
		keys = append(keys, fmt.Sprintf("agent-%04d", i%1500))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	want := map[string]int64{}
	g, err := NewGrouper(CSAT5(), GroupOptions{By: ByAgent, Attribution: LastAgent})
	require.NoError(t, err)
	// First, while the cache is surely on: one storage at three lengths,
	// and the same text in three storages.
	for _, k := range []string{keys[0], keys[2], keys[0], keys[3], keys[2], keys[1], keys[4], keys[0]} {
		want[k]++
		require.True(t, g.Add(&Response{Value: 3, Agents: []string{k}}))
	}
	for range 20000 - 8 {
		k := keys[rng.IntN(len(keys))]
		want[k]++
		require.True(t, g.Add(&Response{Value: 3, Agents: []string{k}}))
	}
	got := map[string]int64{}
	for _, k := range g.Table().Keys() {
		got[k] = g.Table().Get(k).Count()
	}
	assert.Equal(t, want, got)
	assert.Equal(t, int64(20000), g.Overall().Count())
	assert.True(t, g.rows.off, "keys mostly in storage of their own turn the row cache off after its trial")
	assert.Nil(t, g.rows.slots, "and release the storage it held")
}

// TestGrouperRowCacheStaysOnForSharedKeys checks the other side of the
// trial: IDs that share storage keep the cache on, and the rows still
// match a plain map.
func TestGrouperRowCacheStaysOnForSharedKeys(t *testing.T) {
	agents := make([]string, 300)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent-%03d", i)
	}
	g, err := NewGrouper(CSAT5(), GroupOptions{By: ByAgent, Attribution: LastAgent})
	require.NoError(t, err)
	want := map[string]int64{}
	rng := rand.New(rand.NewPCG(3, 3))
	for range 3 * rowCacheTrial {
		a := agents[rng.IntN(len(agents))]
		want[a]++
		require.True(t, g.Add(&Response{Value: 5, Agents: []string{a}}))
	}
	assert.False(t, g.rows.off)
	assert.Greater(t, g.rows.hit, rowCacheTrial/2)
	for a, n := range want {
		assert.Equal(t, n, g.Table().Get(a).Count(), a)
	}
}

// In São Paulo, clocks skipped from midnight to 01:00 on 2018-11-04: the
// day still has its own key and starts at the change, not an hour into
// the day before.
func TestPeriodOfADayWhoseMidnightWasSkipped(t *testing.T) {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	at := time.Date(2018, 11, 5, 1, 30, 0, 0, time.UTC) // 23:30 on the 4th, summer time
	key, from, to := PeriodOf(at, ByDay, loc)
	if key != "2018-11-04" || !from.Equal(time.Date(2018, 11, 4, 3, 0, 0, 0, time.UTC)) || !to.Equal(time.Date(2018, 11, 5, 2, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %s [%s, %s)", key, from.UTC(), to.UTC())
	}
	if key, _, _ := PeriodOf(at, ByMonth, loc); key != "2018-11" {
		t.Fatalf("month %s", key)
	}
}

func TestGroupByReasonCountsOnlyResponsesWithAReason(t *testing.T) {
	rs := []Response{
		{Value: 1, Reason: "slow"},
		{Value: 2, Reason: "slow"},
		{Value: 1, Reason: "not_solved"},
		{Value: 2},
		{Value: 5},
	}
	tb, overall, _, err := Group(CSAT5(), rs, GroupOptions{By: ByReason})
	require.NoError(t, err)
	assert.Equal(t, map[string][2]int64{"slow": {3, 2}, "not_solved": {1, 1}}, sums(tb))
	assert.Equal(t, int64(5), overall.Count(), "responses without a reason still count overall")
	assert.Equal(t, "reason", ByReason.String())
}
