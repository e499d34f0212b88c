package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/storetest"
)

// The read port counts under scoring's dimensions, the ones
// report.Options.By names: one Dimension type from the report to the
// store. Overall is always counted; a period is counted by day.
func TestTheReadPortCountsUnderScoringsDimensions(t *testing.T) {
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	z, err := report.ZoneOf(time.UTC, from, from.AddDate(0, 1, 0))
	require.NoError(t, err)
	tally := report.NewTally(report.Query{Filter: report.Filter{From: from, To: from.AddDate(0, 1, 0)},
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByReason, scoring.ByDay}, Zone: z})
	s := storetest.NewSession("acme", "s1", 0)
	storetest.Rate(s, 2, s.CreatedAt.Add(time.Minute))
	s.Reason = "slow"
	tally.Add(s)
	keys := map[scoring.Dimension]string{}
	for _, c := range tally.Counts() {
		keys[c.By] = c.Key
	}
	assert.Equal(t, map[scoring.Dimension]string{scoring.Overall: "", scoring.ByAgent: "ana", scoring.ByReason: "slow", scoring.ByDay: ""}, keys)
	assert.Equal(t, "overall", scoring.Overall.String())
}
