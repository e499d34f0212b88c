package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
	_ "modernc.org/sqlite"
)

// fileDSN opens a database file in WAL mode with a busy timeout, as the
// package documentation recommends.
func fileDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)"
}

func openFile(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", fileDSN(filepath.Join(t.TempDir(), "surveys.db")))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func openMemory(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	db.SetMaxOpenConns(1) // one connection, one in-memory database
	t.Cleanup(func() { db.Close() })
	return db
}

func newStore(t testing.TB, db *sql.DB) survey.Store {
	t.Helper()
	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

func TestConformanceOnAFileInWALMode(t *testing.T) {
	storetest.Run(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) })
}

func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) survey.Store { return newStore(t, openMemory(t)) })
}

func TestMigrateTurnsOnWALAndIsIdempotent(t *testing.T) {
	db := openFile(t)
	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(context.Background()))
	require.NoError(t, st.Migrate(context.Background()), "a second run finds nothing to do")

	var mode string
	require.NoError(t, db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var versions int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM surveyflow_migrations").Scan(&versions))
	assert.Equal(t, migrationCount(t), versions)
}

func TestMigrateFromSeveralProcessesAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	const instances = 4
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < instances; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each instance has its own *sql.DB, like separate processes.
			db, err := sql.Open("sqlite", fileDSN(path))
			if err != nil {
				failures.Add(1)
				return
			}
			defer db.Close()
			if err := must(sqlite.New(db)).Migrate(context.Background()); err != nil {
				t.Log(err)
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())

	db, err := sql.Open("sqlite", fileDSN(path))
	require.NoError(t, err)
	defer db.Close()
	var versions int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM surveyflow_migrations").Scan(&versions))
	assert.Equal(t, migrationCount(t), versions, "each migration applied once")
}

func TestMigrationsAreExportedForOtherTools(t *testing.T) {
	b, err := fs.ReadFile(sqlite.Migrations, "0001_sessions.sql")
	require.NoError(t, err)
	assert.Contains(t, string(b), "CREATE TABLE surveyflow_sessions")
}

func TestBadInputIsAnErrorNotAPanic(t *testing.T) {
	st := newStore(t, openMemory(t))
	ctx := context.Background()
	assert.ErrorIs(t, st.Create(ctx, nil), survey.ErrInvalidInput)
	assert.ErrorIs(t, st.Update(ctx, &survey.Session{ID: "x"}), survey.ErrInvalidInput)
	_, err := st.Load(ctx, "t", fmt.Sprintf("%0100000d", 0))
	assert.ErrorIs(t, err, survey.ErrNotFound)
}

// A store on nothing is refused where it is made, not at its first query.
func TestNewRefusesANilDatabase(t *testing.T) {
	var db *sql.DB
	var tx *sql.Tx
	var conn *sql.Conn
	for name, handle := range map[string]sqlite.DB{"nil": nil, "nil *sql.DB": db, "nil *sql.Tx": tx, "nil *sql.Conn": conn} {
		st, err := sqlite.New(handle)
		assert.ErrorIs(t, err, sqlite.ErrNoDB, name)
		assert.Nil(t, st, name)
	}
}
