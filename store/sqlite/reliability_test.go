package sqlite_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/survey"
)

// long reports whether the long variants run (SURVEYFLOW_LONG=1).
func long() bool { return os.Getenv("SURVEYFLOW_LONG") != "" }

// openPath opens the database file at path as another process would.
func openPath(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", fileDSN(path))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// sqliteStore is a store on an already migrated database.
func sqliteStore(db *sql.DB) survey.Store { return must(sqlite.New(db)) }
