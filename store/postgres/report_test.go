package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// seedResponses stores n random sessions: mostly rated, some with scores
// outside CSAT-5 (which neither path counts), agents sharing groups, two
// channels, two surveys and a second tenant.
func seedResponses(t testing.TB, st survey.Store, n int) {
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	agents := []survey.Participant{
		{ID: "ana", Groups: []string{"support"}},
		{ID: "bea", Groups: []string{"support", "vip"}},
		{ID: "cid", Groups: []string{"sales"}},
		{ID: "bot", Kind: survey.Bot},
		{ID: "dan", Groups: []string{"vip", "sales"}},
	}
	for i := 0; i < n; i++ {
		s := storetest.NewSession([]string{"t1", "t1", "t1", "t2"}[rng.IntN(4)], fmt.Sprintf("s%04d", i), i)
		s.Channel = []string{"whatsapp", "email"}[rng.IntN(2)]
		s.SurveyID = []string{"csat", "csat", "csat", "other"}[rng.IntN(4)]
		s.Agents = nil
		for _, a := range agents {
			if rng.IntN(3) == 0 {
				s.Agents = append(s.Agents, a)
			}
		}
		if rng.IntN(10) > 0 {
			storetest.Rate(s, rng.IntN(7), base.Add(time.Duration(rng.IntN(30*24))*time.Hour)) // 0 and 6 are off the scale
		}
		require.NoError(t, st.Create(context.Background(), s))
	}
}

// TestReportInSQLEqualsReportInGo compares the store's one-statement
// report with the same rules in Go on random data, off-scale scores
// included.
func TestReportInSQLEqualsReportInGo(t *testing.T) {
	st, pool := newStore(t)
	seedResponses(t, st, 600)
	all := allSessions(t, pool, "t1")
	may := func(d int) time.Time { return time.Date(2026, 5, d, 0, 0, 0, 0, time.UTC) }
	filters := []struct {
		name string
		f    report.Filter
	}{
		{"every response", report.Filter{}},
		{"one survey", report.Filter{Surveys: []string{"csat"}}},
		{"agents", report.Filter{Agents: []string{"bea", "dan"}}},
		{"group", report.Filter{Groups: []string{"vip"}}},
		{"channel and rating range", report.Filter{Channels: []string{"email"}, Rating: &report.Range{Min: 2, Max: 4}}},
		{"rated-at range", report.Filter{From: may(10), To: may(20)}},
		{"nothing matches", report.Filter{Surveys: []string{"missing"}}},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			o := report.Options{Filter: tt.f, Scale: scoring.CSAT5()}
			inGo, err := report.Build(context.Background(), report.Sessions(all), "t1", o)
			require.NoError(t, err)
			inSQL, err := report.Build(context.Background(), st, "t1", o)
			require.NoError(t, err)
			assert.Empty(t, report.Diff(inGo, inSQL))
			if tt.name != "nothing matches" {
				assert.Positive(t, inSQL.Overall.Count(), "the filter keeps some responses, so the comparison means something")
			}
		})
	}
}

// A report per reason, filtered by reasons, on one scale, is answered by
// index-only scans: the responses' index includes the reason and the
// scale. Sequential and bitmap
// scans are turned off so that the small test table does not hide a
// missing column behind a cheaper plan, and — in a transaction that is
// rolled back — every other index (the primary key's too) is dropped, so
// that on so few rows the planner cannot pick one of them by a near tie of
// costs: the responses' index answers with an index-only scan only if it
// covers every column the report reads.
func TestAReasonReportIsAnsweredByIndexOnlyScans(t *testing.T) {
	ctx := context.Background()
	st, pool := newStore(t)
	seedResponses(t, st, 200)
	_, err := pool.Exec(ctx, "VACUUM ANALYZE surveyflow_sessions")
	require.NoError(t, err)
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	query, args := sqlstore.CountSQL(postgres.Dialect, "t1", report.Query{
		Filter: report.Filter{From: from, To: from.AddDate(0, 1, 0), Reasons: []string{"slow", "other"}},
		By:     []scoring.Dimension{scoring.ByReason, scoring.ByChannel},
		Scale:  "csat5", // the indexes hold the scale too
	})
	conn, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer conn.Rollback(ctx) //nolint:errcheck // the planner's view only
	_, err = conn.Exec(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
	require.NoError(t, err)
	var others []string
	idx, err := conn.Query(ctx, `SELECT indexname FROM pg_indexes WHERE tablename = 'surveyflow_sessions'
		AND schemaname = current_schema() AND indexname NOT IN ('surveyflow_sessions_rated', 'surveyflow_sessions_sent', 'surveyflow_sessions_pkey')`)
	require.NoError(t, err)
	for idx.Next() {
		var name string
		require.NoError(t, idx.Scan(&name))
		others = append(others, name)
	}
	require.NoError(t, idx.Err())
	for _, name := range others {
		_, err = conn.Exec(ctx, "DROP INDEX "+name)
		require.NoError(t, err)
	}
	_, err = conn.Exec(ctx, "ALTER TABLE surveyflow_sessions DROP CONSTRAINT surveyflow_sessions_pkey")
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
