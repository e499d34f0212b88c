package postgres_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/postgres"
)

// Sessions written before the read columns (and the reason column)
// existed get them from their documents when the migrations run.
func TestTheReadMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, newSchema(t), 2)
	first, err := fs.ReadFile(postgres.Migrations, "0001_sessions.sql")
	require.NoError(t, err)
	_, err = pool.Exec(ctx, string(first))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `CREATE TABLE surveyflow_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
		INSERT INTO surveyflow_migrations (version, name) VALUES (1, '0001_sessions.sql')`)
	require.NoError(t, err)
	rated := time.Date(2026, 5, 4, 10, 1, 30, 0, time.UTC)
	_, err = pool.Exec(ctx, `INSERT INTO surveyflow_sessions
		(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version, rating, comment,
		 agent_ids, group_ids, created_at, rated_at, deadline, doc) VALUES
		('t1', 'old', 'csat', 'c1', 'u1', 'email', 'completed', true, 3, 4, NULL, '{ana}', '{support}', now(), $1, NULL, $2),
		('t1', 'reviewed', 'csat', 'c2', 'u2', 'email', 'expired', true, 2, NULL, NULL, '{ana}', '{support}', now(), NULL, NULL, $3)`,
		rated, storebench.PreReadDocs["old"], storebench.PreReadDocs["reviewed"])
	require.NoError(t, err)

	require.NoError(t, must(postgres.New(pool)).Migrate(ctx))
	storebench.CheckMigratedRows(t, must(postgres.New(pool)), func(query string, dest ...any) error {
		return pool.QueryRow(ctx, query).Scan(dest...)
	})
	var at time.Time
	require.NoError(t, pool.QueryRow(ctx, "SELECT listed_at FROM surveyflow_sessions WHERE id = 'reviewed'").Scan(&at))
	assert.True(t, at.Equal(time.Date(2026, 5, 5, 6, 0, 0, 250_000_000, time.UTC)), "%s", at)
}
