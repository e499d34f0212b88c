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
	"time"

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

// raws holds the reader of each conformance store's raw storage, by
// store, for the harness's RawStorage.
var raws sync.Map // *sqlite.Store → func(*testing.T) []byte

// harness is the SQLite store's conformance harness: each store on a
// database file of its own in WAL mode with secure_delete on, as the
// package documentation asks for personal data; its raw storage is the
// file and its WAL after a checkpoint; the load scenario's instances are
// separate *sql.DB handles on one file, as separate processes would be.
func harness() storetest.Harness {
	h := storetest.Harness{
		NewStore: func(t *testing.T) survey.Store {
			st, raw := openPrivate(t, true)
			raws.Store(st, raw)
			t.Cleanup(func() { raws.Delete(st) })
			return st
		},
		Instances: func(t *testing.T) func() survey.Store {
			path := t.TempDir() + "/load.db"
			first := true
			return func() survey.Store {
				db := openPath(t, path)
				if first {
					first = false
					return newStore(t, db)
				}
				return sqliteStore(db)
			}
		},
		RawStorage: func(t *testing.T, st survey.Store) []byte {
			raw, ok := raws.Load(st)
			require.True(t, ok, "a store the harness made")
			return raw.(func(*testing.T) []byte)(t)
		},
		Long:       long(),
		FaultSeeds: 8,
		Adversary:  storetest.AdversaryConfig{Seeds: 12, Steps: 200, Engines: 3, MaxSkew: time.Hour, FaultRate: 0.05},
		Crash:      storetest.CrashConfig{Seeds: 8, Steps: 200, Hosts: 3, Drainers: 3, FaultRate: 0.04},
	}
	if long() {
		h.FaultSeeds = 100
		h.Adversary.Seeds, h.Adversary.Steps = 100, 400
		h.Crash.Seeds, h.Crash.Steps = 100, 400
	}
	return h
}

// TestConformance runs the store contract (storetest.Run) on SQLite
// files in WAL mode.
func TestConformance(t *testing.T) {
	storetest.Run(t, harness())
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
