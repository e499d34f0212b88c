package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/report"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

var at = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

// fixture: r1 ana(support)=5, r2 ana+bea(support,vip)=2, r3 bea(vip,support)=4,
// r4 unrated, r5 in tenant t2 = 1, r6 on email = 3.
func fixture(t *testing.T) survey.Store {
	st := memory.New()
	ana := survey.Agent{ID: "ana", Kind: survey.Human, Groups: []string{"support"}}
	bea := survey.Agent{ID: "bea", Kind: survey.Human, Groups: []string{"vip", "support"}}
	add := func(tenant, id string, rating int, agents ...survey.Agent) *survey.Session {
		s := storetest.NewSession(tenant, id, 0)
		s.Agents = agents
		if rating > 0 {
			storetest.Rate(s, rating, at)
		}
		require.NoError(t, st.Create(context.Background(), s))
		return s
	}
	add("t1", "r1", 5, ana)
	add("t1", "r2", 2, ana, bea)
	add("t1", "r3", 4, bea)
	add("t1", "r4", 0, ana)
	add("t2", "r5", 1, ana)
	email := storetest.NewSession("t1", "r6", 0)
	email.Channel, email.Agents = "email", []survey.Agent{ana}
	require.NoError(t, st.Create(context.Background(), storetest.Rate(email, 3, at)))
	return st
}

func TestBuildCountsEachResponseOnceOverallPerAgentAndPerGroup(t *testing.T) {
	r, err := report.Build(context.Background(), fixture(t), "t1", survey.ResponseFilter{Channel: "whatsapp", Limit: 1}, scoring.CSAT5())
	require.NoError(t, err)

	tests := []struct {
		name                  string
		summary               *scoring.Summary
		count, sum, satisfied int64
	}{
		{"overall: three rated whatsapp responses, Limit ignored", r.Overall, 3, 11, 2},
		{"ana took part in r1 and r2", r.ByAgent.Get("ana"), 2, 7, 1},
		{"bea took part in r2 and r3", r.ByAgent.Get("bea"), 2, 6, 1},
		{"support counts r2 once though both agents are in it", r.ByGroup.Get("support"), 3, 11, 2},
		{"vip", r.ByGroup.Get("vip"), 2, 6, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotNil(t, tt.summary)
			assert.Equal(t, tt.count, tt.summary.Count())
			assert.Equal(t, tt.sum, tt.summary.Sum())
			assert.Equal(t, tt.satisfied, tt.summary.SatisfiedCount())
		})
	}
	assert.Equal(t, []int64{0, 1, 0, 1, 1}, r.Overall.Distribution())
}

func TestAggregateFallsBackToBuildForStoresWithoutPushdown(t *testing.T) {
	st := fixture(t)
	f := survey.ResponseFilter{AgentID: "ana"}
	built, err := report.Build(context.Background(), st, "t1", f, scoring.CSAT5())
	require.NoError(t, err)
	agg, err := report.Aggregate(context.Background(), st, "t1", f, scoring.CSAT5())
	require.NoError(t, err)
	assert.Empty(t, report.Diff(built, agg))
	assert.Equal(t, int64(3), agg.Overall.Count())
}

func TestDiffNamesWhatDiffers(t *testing.T) {
	st := fixture(t)
	a, err := report.Build(context.Background(), st, "t1", survey.ResponseFilter{}, scoring.CSAT5())
	require.NoError(t, err)
	b, err := report.Build(context.Background(), st, "t1", survey.ResponseFilter{Group: "vip"}, scoring.CSAT5())
	require.NoError(t, err)
	diff := report.Diff(a, b)
	assert.Contains(t, diff, "overall: count/sum/satisfied 4/14/2 vs 2/6/1")
	assert.Contains(t, diff, "overall: distribution [0 1 1 1 1] vs [0 1 0 1 0]")
	assert.Empty(t, report.Diff(a, a))
}

func TestBuildNeedsAStoreAndAScale(t *testing.T) {
	_, err := report.Build(context.Background(), nil, "t1", survey.ResponseFilter{}, scoring.CSAT5())
	assert.Error(t, err)
	_, err = report.Build(context.Background(), memory.New(), "t1", survey.ResponseFilter{}, nil)
	assert.Error(t, err)
}

func ExampleBuild() {
	ctx := context.Background()
	st := memory.New()
	for i, rating := range []int{5, 4, 2} {
		s := storetest.NewSession("acme", string(rune('a'+i)), i)
		_ = st.Create(ctx, storetest.Rate(s, rating, at))
	}
	r, err := report.Build(ctx, st, "acme", survey.ResponseFilter{SurveyID: "csat"}, scoring.CSAT5())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d responses, %.0f%% satisfied, ana's CSAT score %d\n",
		r.Overall.Count(), r.Overall.SatisfiedPercent(), r.ByAgent.Get("ana").Sum())
	// Output: 3 responses, 67% satisfied, ana's CSAT score 11
}
