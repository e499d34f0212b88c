package postgres_test

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
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

// Sessions reminded before the reminded_at column get it from their
// documents when the migration runs.
func TestTheReminderMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, newSchema(t), 2)
	migrateBefore(t, pool, "0008")
	var err error
	for i, doc := range []string{`{"reminders":1,"reminded_at":"2026-05-04T16:00:00.123456789+02:00"}`, `{}`} {
		_, err = pool.Exec(ctx, `INSERT INTO surveyflow_sessions
			(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
			 agent_ids, group_ids, created_at, doc) VALUES ('t1', $1, 'csat', $1, 'u', 'email', 'expired', true, 1, '{}', '{}', $2, $3)`,
			fmt.Sprint(i), time.Date(2026, 5, 4, 10, i, 0, 0, time.UTC), doc)
		require.NoError(t, err)
	}
	require.NoError(t, must(postgres.New(pool)).Migrate(ctx))
	var at []*time.Time
	rows, err := pool.Query(ctx, "SELECT reminded_at FROM surveyflow_sessions ORDER BY id")
	require.NoError(t, err)
	for rows.Next() {
		var v *time.Time
		require.NoError(t, rows.Scan(&v))
		at = append(at, v)
	}
	require.NoError(t, rows.Err())
	require.Len(t, at, 2)
	if assert.NotNil(t, at[0]) {
		assert.True(t, time.Date(2026, 5, 4, 14, 0, 0, 123_457_000, time.UTC).Equal(*at[0]), "%s", at[0])
	}
	assert.Nil(t, at[1], "no reminder: NULL")
}

// migrateBefore applies the migrations whose file names sort before
// stop, recording each, as a database migrated by an earlier version
// would be.
func migrateBefore(t *testing.T, pool *pgxpool.Pool, stop string) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `CREATE TABLE surveyflow_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
	require.NoError(t, err)
	names, err := fs.Glob(postgres.Migrations, "*.sql")
	require.NoError(t, err)
	for i, name := range names {
		if name >= stop {
			break
		}
		b, err := fs.ReadFile(postgres.Migrations, name)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, string(b))
		require.NoError(t, err, name)
		_, err = pool.Exec(ctx, "INSERT INTO surveyflow_migrations (version, name) VALUES ($1, $2)", i+1, name)
		require.NoError(t, err)
	}
}
