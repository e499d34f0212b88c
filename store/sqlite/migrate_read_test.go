package sqlite_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/sqlite"
)

// Sessions written before the read columns (and the reason column)
// existed get them from their documents when the migrations run.
func TestTheReadMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	db := openMemory(t)
	first, err := fs.ReadFile(sqlite.Migrations, "0001_sessions.sql")
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, string(first))
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `CREATE TABLE surveyflow_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
		INSERT INTO surveyflow_migrations VALUES (1, '0001_sessions.sql', '2026-01-01T00:00:00Z')`)
	require.NoError(t, err)
	rated := time.Date(2026, 5, 4, 10, 1, 30, 0, time.UTC)
	_, err = db.ExecContext(ctx, `INSERT INTO surveyflow_sessions
		(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version, rating, comment,
		 agent_ids, group_ids, created_at, rated_at, deadline, doc) VALUES
		('t1', 'old', 'csat', 'c1', 'u1', 'email', 'completed', 1, 3, 4, NULL, '["ana"]', '["support"]', 0, ?, NULL,
		 '{"tenant_id":"t1","id":"old","survey_id":"csat","channel":"email","state":"completed","rated":true,"rating":4,
		   "agents":[{"id":"ana","groups":["support"]}],"sent_at":"2026-05-04T10:00:00Z","rated_at":"2026-05-04T10:01:30Z",
		   "reason":"slow","reason_at":"2026-05-04T10:02:00Z"}'),
		('t1', 'reviewed', 'csat', 'c2', 'u2', 'email', 'expired', 1, 2, NULL, NULL, '["ana"]', '["support"]', 0, NULL, NULL,
		 '{"tenant_id":"t1","id":"reviewed","survey_id":"csat","channel":"email","state":"expired",
		   "agents":[{"id":"ana","groups":["support"]}],"review":{"reviewer_id":"sup","score":2,"comment":"","at":"2026-05-05T08:00:00.250+02:00"}}')`,
		rated.UnixNano())
	require.NoError(t, err)

	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(ctx))
	r, err := report.Build(ctx, st, "t1", report.Options{Scale: scoring.CSAT5(),
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByReason}})
	require.NoError(t, err)
	assert.Equal(t, []string{"slow"}, r.ByReason.Keys(), "the reason from the document")
	assert.Equal(t, int64(1), r.ByReason.Get("slow").Count())
	var slow, none int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE id = 'old' AND reason = 'slow'),
		count(*) FILTER (WHERE id = 'reviewed' AND reason IS NULL) FROM surveyflow_sessions`).Scan(&slow, &none))
	assert.Equal(t, [2]int{1, 1}, [2]int{slow, none}, "the reason column from the document; NULL without one")
	assert.Equal(t, int64(1), r.Overall.Count())
	assert.Equal(t, int64(1), r.Overall.Sent(), "sent_at from the document")
	assert.Equal(t, 90*time.Second, r.Overall.ResponseTimes().Max, "the time to rate")
	var bucket int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT rate_bucket FROM surveyflow_sessions WHERE id = 'old'").Scan(&bucket))
	assert.Equal(t, scoring.ResponseTimeBucket(90*time.Second), bucket, "the bucket the way scoring counts it")
	assert.Equal(t, int64(1), r.ByAgent.Get("ana").Count())

	var listed []string
	for s, err := range report.All(ctx, st, "t1", report.Filter{Review: &report.Range{Min: 1, Max: 3}}) {
		require.NoError(t, err)
		listed = append(listed, s.ID)
	}
	assert.Equal(t, []string{"reviewed"}, listed, "review score and review time from the document")
	var at int64
	require.NoError(t, db.QueryRowContext(ctx, "SELECT listed_at FROM surveyflow_sessions WHERE id = 'reviewed'").Scan(&at))
	assert.Equal(t, time.Date(2026, 5, 5, 6, 0, 0, 250_000_000, time.UTC).UnixNano(), at, "to the millisecond, offsets honoured")
}
