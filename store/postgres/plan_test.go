package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/store/postgres"
)

// A report per reason, filtered by reasons, is answered by index-only
// scans: the responses' index includes the reason. Sequential and bitmap
// scans are turned off so that the small test table does not hide a
// missing column behind a cheaper plan.
func TestAReasonReportIsAnsweredByIndexOnlyScans(t *testing.T) {
	ctx := context.Background()
	st, pool := newStore(t)
	seedResponses(t, st, 200)
	_, err := pool.Exec(ctx, "VACUUM ANALYZE surveyflow_sessions")
	require.NoError(t, err)
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	query, args := sqlstore.CountSQL(postgres.Dialect, "t1", report.Query{
		Filter: report.Filter{From: from, To: from.AddDate(0, 1, 0), Reasons: []string{"slow", "other"}},
		By:     []report.Dimension{report.Reason, report.Channel},
	})
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET enable_seqscan = off; SET enable_bitmapscan = off")
	require.NoError(t, err)
	rows, err := conn.Query(ctx, "EXPLAIN "+query, args...)
	require.NoError(t, err)
	var lines []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		lines = append(lines, line)
	}
	require.NoError(t, rows.Err())
	p := strings.Join(lines, "\n")
	assert.Equal(t, 3, strings.Count(p, "Index Only Scan using surveyflow_sessions_rated"), "overall, per reason, per channel\n%s", p)
	assert.Equal(t, 2, strings.Count(p, "Index Only Scan using surveyflow_sessions_sent"), "no sent surveys per reason\n%s", p)
	assert.NotContains(t, p, "Index Scan using", p)
	assert.NotContains(t, p, "Seq Scan", p)
}
