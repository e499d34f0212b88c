package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/postgres"
)

// rawTables reads every table of the pool's schema as text: each row as
// PostgreSQL prints it (row::text), every column included.
func rawTables(t *testing.T, pool *pgxpool.Pool) []byte {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, tables, "surveyflow_sessions")
	var out []byte
	for _, table := range tables {
		rows, err := pool.Query(ctx, "SELECT r::text FROM "+table+" r")
		require.NoError(t, err)
		for rows.Next() {
			var row string
			require.NoError(t, rows.Scan(&row))
			out = append(append(out, row...), '\n')
		}
		require.NoError(t, rows.Err())
	}
	return out
}

// Sessions written before the free-text column get it from their
// documents when the migration runs.
func TestTheFreeTextMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, newSchema(t), 2)
	migrateBefore(t, pool, "0007")
	var err error
	for i, doc := range storebench.PreTextDocs {
		_, err = pool.Exec(ctx, `INSERT INTO surveyflow_sessions
			(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
			 agent_ids, group_ids, created_at, doc) VALUES ('t1', $1, 'csat', $1, 'u', 'email', 'completed', true, 1, '{}', '{}', $2, $3)`,
			doc.ID, time.Date(2026, 5, 4, 10, i, 0, 0, time.UTC), doc.JSON)
		require.NoError(t, err)
	}
	st := must(postgres.New(pool))
	require.NoError(t, st.Migrate(ctx))
	storebench.CheckMigratedText(t, st)
}
