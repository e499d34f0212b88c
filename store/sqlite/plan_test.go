package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/store/sqlite"
)

// plan returns SQLite's query plan of query.
func plan(t *testing.T, query string, args []any) string {
	t.Helper()
	db := openMemory(t)
	newStore(t, db)
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		lines = append(lines, detail)
	}
	require.NoError(t, rows.Err())
	return strings.Join(lines, "\n")
}

// A report reads covering indexes only (never the table and its
// documents), by rating time and by send time, as ranges; the indexes
// hold the scale the report is on.
func TestAReportIsAnsweredFromCoveringIndexes(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	query, args := sqlstore.CountSQL(sqlite.Dialect, "t1", report.Query{
		Filter: report.Filter{From: from, To: from.Add(time.Hour)},
		By:     []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel},
		Scale:  "csat5",
	})
	p := plan(t, query, args)
	assert.Equal(t, 4, strings.Count(p, "USING COVERING INDEX surveyflow_sessions_rated (tenant_id=? AND rated_at>? AND rated_at<?)"), p)
	assert.Equal(t, 4, strings.Count(p, "USING COVERING INDEX surveyflow_sessions_sent (tenant_id=? AND sent_at>? AND sent_at<?)"), p)
	assert.NotContains(t, p, "SCAN s", p)
}

// A ratings-only report reads the responses' covering index only: no
// branch over the surveys sent.
func TestARatingsOnlyReportReadsOnlyTheResponses(t *testing.T) {
	query, args := sqlstore.CountSQL(sqlite.Dialect, "t1", report.Query{
		By:       []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel},
		Scale:    "csat5",
		Measures: report.MeasureRatings,
	})
	p := plan(t, query, args)
	assert.Equal(t, 4, strings.Count(p, "USING COVERING INDEX surveyflow_sessions_rated (tenant_id=?)"), p)
	assert.NotContains(t, p, "surveyflow_sessions_sent", p)
	assert.NotContains(t, p, "SCAN s", p)
	assert.NotContains(t, query, "rate_bucket", "no time-to-rate buckets")
}

// A report per reason, filtered by reasons, still reads the covering
// indexes only: the responses' index holds the reason.
func TestAReasonReportIsAnsweredFromCoveringIndexes(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	query, args := sqlstore.CountSQL(sqlite.Dialect, "t1", report.Query{
		Filter: report.Filter{From: from, To: from.Add(time.Hour), Reasons: []string{"slow", "other"}},
		By:     []scoring.Dimension{scoring.ByReason, scoring.ByAgent},
	})
	p := plan(t, query, args)
	assert.Equal(t, 3, strings.Count(p, "USING COVERING INDEX surveyflow_sessions_rated (tenant_id=? AND rated_at>? AND rated_at<?)"), p)
	assert.Equal(t, 2, strings.Count(p, "USING COVERING INDEX surveyflow_sessions_sent (tenant_id=? AND sent_at>? AND sent_at<?)"),
		"no sent surveys per reason: overall and per agent only\n%s", p)
	assert.NotContains(t, p, "SCAN s", p)
}

// Every registry page is a range of the listed index in its order: the
// last page of a million costs what the first does.
func TestRegistryPagesAreIndexRanges(t *testing.T) {
	query, args := sqlstore.ListSQL(sqlite.Dialect, "t1", report.ListQuery{Limit: 50, After: &report.Cursor{At: time.Now(), ID: "x"}})
	p := plan(t, query, args)
	assert.Contains(t, p, "SEARCH s USING INDEX surveyflow_sessions_listed (tenant_id=? AND listed_at>? AND (listed_at,id)<(?,?))", p)
	assert.NotContains(t, p, "TEMP B-TREE", "no sort: the index gives the order")
}
