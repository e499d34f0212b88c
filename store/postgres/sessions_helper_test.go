package postgres_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

// allSessions reads every session of the tenant straight from the table,
// for tests that check what the engine left behind.
func allSessions(t testing.TB, pool *pgxpool.Pool, tenant string) []*survey.Session {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT doc FROM surveyflow_sessions WHERE tenant_id = $1 ORDER BY id", tenant)
	require.NoError(t, err)
	var out []*survey.Session
	for rows.Next() {
		var doc []byte
		require.NoError(t, rows.Scan(&doc))
		var s survey.Session
		require.NoError(t, json.Unmarshal(doc, &s))
		out = append(out, &s)
	}
	require.NoError(t, rows.Err())
	return out
}
