package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
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
		('t1', 'old', 'csat', 'c1', 'u1', 'email', 'completed', 1, 3, 4, NULL, '["ana"]', '["support"]', 0, ?1, NULL, ?2),
		('t1', 'reviewed', 'csat', 'c2', 'u2', 'email', 'expired', 1, 2, NULL, NULL, '["ana"]', '["support"]', 0, NULL, NULL, ?3)`,
		rated.UnixNano(), storebench.PreReadDocs["old"], storebench.PreReadDocs["reviewed"])
	require.NoError(t, err)

	require.NoError(t, must(sqlite.New(db)).Migrate(ctx))
	storebench.CheckMigratedRows(t, must(sqlite.New(db)), func(query string, dest ...any) error {
		return db.QueryRowContext(ctx, query).Scan(dest...)
	})
	var at int64
	require.NoError(t, db.QueryRowContext(ctx, "SELECT listed_at FROM surveyflow_sessions WHERE id = 'reviewed'").Scan(&at))
	assert.Equal(t, time.Date(2026, 5, 5, 6, 0, 0, 250_000_000, time.UTC).UnixNano(), at, "to the millisecond, offsets honoured")
}

// Sessions reminded before the reminded_at column get it from their
// documents (to the millisecond, cut down) when the migration runs.
func TestTheReminderMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	db := openMemory(t)
	migrateBefore(t, db, "0008")
	var err error
	for i, doc := range []string{`{"reminders":1,"reminded_at":"2026-05-04T16:00:00.123456789+02:00"}`, `{}`} {
		_, err = db.ExecContext(ctx, `INSERT INTO surveyflow_sessions
			(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
			 agent_ids, group_ids, created_at, doc, seq) VALUES ('t1', ?, 'csat', ?, 'u', 'email', 'expired', 1, 1, '[]', '[]', 0, ?, ?)`,
			fmt.Sprint(i), fmt.Sprint(i), doc, i+1)
		require.NoError(t, err)
	}
	require.NoError(t, must(sqlite.New(db)).Migrate(ctx))
	var at []*int64
	rows, err := db.QueryContext(ctx, "SELECT reminded_at FROM surveyflow_sessions ORDER BY id")
	require.NoError(t, err)
	for rows.Next() {
		var v *int64
		require.NoError(t, rows.Scan(&v))
		at = append(at, v)
	}
	require.NoError(t, rows.Err())
	require.Len(t, at, 2)
	if assert.NotNil(t, at[0]) {
		assert.Equal(t, time.Date(2026, 5, 4, 14, 0, 0, 123_000_000, time.UTC).UnixNano(), *at[0])
	}
	assert.Nil(t, at[1], "no reminder: NULL")
}

// migrateBefore applies the migrations whose file names sort before
// stop to db, recording each, as a database migrated by an earlier
// version would be.
func migrateBefore(t *testing.T, db *sql.DB, stop string) {
	t.Helper()
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `CREATE TABLE surveyflow_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	require.NoError(t, err)
	names, err := fs.Glob(sqlite.Migrations, "*.sql")
	require.NoError(t, err)
	for i, name := range names {
		if name >= stop {
			break
		}
		b, err := fs.ReadFile(sqlite.Migrations, name)
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, string(b))
		require.NoError(t, err, name)
		_, err = db.ExecContext(ctx, "INSERT INTO surveyflow_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')", i+1, name)
		require.NoError(t, err)
	}
}
