package survey_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// TestAddToReportCountsEachGroupOnceHoweverManyAgents rates sessions whose
// agents share groups, with few entries (found by scanning) and with many
// (found with a set): each group counts the session once either way.
func TestAddToReportCountsEachGroupOnceHoweverManyAgents(t *testing.T) {
	for _, agents := range []int{3, 40} {
		s := &survey.Session{Rated: true, Rating: 4, Channel: "whatsapp"}
		for i := range agents {
			s.Agents = append(s.Agents, survey.Agent{ID: fmt.Sprintf("a%d", i), Groups: []string{"all", fmt.Sprintf("g%d", i%2), "all"}})
		}
		r := &survey.Report{Overall: scoring.NewSummary(scoring.CSAT5()), ByAgent: scoring.NewTable(scoring.CSAT5()), ByGroup: scoring.NewTable(scoring.CSAT5())}
		survey.AddToReport(r, s)
		survey.AddToReport(r, s)
		assert.ElementsMatch(t, []string{"all", "g0", "g1"}, r.ByGroup.Keys(), "%d agents", agents)
		for _, g := range r.ByGroup.Keys() {
			assert.Equal(t, int64(2), r.ByGroup.Get(g).Count(), "%d agents: group %s", agents, g)
		}
		assert.Len(t, r.ByAgent.Keys(), agents)
		assert.Equal(t, int64(2), r.Overall.Count())
	}
}
