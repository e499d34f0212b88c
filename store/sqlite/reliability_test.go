package sqlite_test

import (
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// long reports whether the long variants run (SURVEYFLOW_LONG=1).
func long() bool { return os.Getenv("SURVEYFLOW_LONG") != "" }

// TestSQLiteStoreFaultsConvergeOnRetry wraps the SQLite store (a WAL file)
// in surveytest.FaultyStore: failures before, time-outs and failures after
// commit on random calls; retrying reaches the fault-free run's sessions.
func TestSQLiteStoreFaultsConvergeOnRetry(t *testing.T) {
	seeds := 8
	if long() {
		seeds = 100
	}
	injected, failures := storetest.CheckFaultsConverge(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) }, seeds)
	t.Logf("sqlite: %d seeds, %d faults injected, %d failed calls retried", seeds, injected, failures)
}

// TestSQLiteLoadLosesNoAnswerAndSendsNothingTwice is the load scenario on
// one WAL file shared by three engines, each with its own *sql.DB.
func TestSQLiteLoadLosesNoAnswerAndSendsNothingTwice(t *testing.T) {
	cfg := storetest.LoadConfig{Engines: 3, Conversations: 400, Workers: 8}
	if long() {
		cfg = storetest.LoadConfig{Engines: 4, Conversations: 4000, Workers: 16}
	}
	path := t.TempDir() + "/load.db"
	first := true
	fig := storetest.RunLoad(t, cfg, func() survey.Store {
		db := openPath(t, path)
		if first {
			first = false
			return newStore(t, db)
		}
		return sqliteStore(db)
	})
	t.Logf("sqlite, %d engines on one file: %s", cfg.Engines, fig)
}

func TestSQLiteStoreSurvivesHostileInput(t *testing.T) {
	storetest.CheckHostileInput(t, newStore(t, openFile(t)))
}

func TestSQLiteStoreKeepsTenantsApartAtTheEngine(t *testing.T) {
	storetest.CheckTenantIsolation(t, newStore(t, openFile(t)))
}

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

func TestSQLiteDeliveries(t *testing.T) {
	storetest.CheckDeliveries(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) })
}

func TestSQLiteEffects(t *testing.T) {
	storetest.CheckEffects(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) })
}

// TestSQLiteDeliveryAdversary runs the delivery adversary (three engines
// with clocks up to an hour apart, every delivery delayed, duplicated and
// reordered, store replies lost after commit) on a SQLite file.
func TestSQLiteDeliveryAdversary(t *testing.T) {
	cfg := storetest.AdversaryConfig{Seeds: 12, Steps: 200, Engines: 3, MaxSkew: time.Hour, FaultRate: 0.05}
	if long() {
		cfg.Seeds, cfg.Steps = 100, 400
	}
	fig := storetest.CheckDeliveryAdversary(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) }, cfg)
	t.Logf("sqlite: %s", fig)
}

func TestSQLiteSurveyBehaviour(t *testing.T) {
	storetest.CheckSurveyBehaviour(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) })
}

// TestSQLiteCrashAdversary runs the crash adversary (host processes that
// die between the engine's write and their sends, halfway through sending,
// inside Deliver and before acknowledging; up to three drain at once) on a
// SQLite file.
func TestSQLiteCrashAdversary(t *testing.T) {
	cfg := storetest.CrashConfig{Seeds: 8, Steps: 200, Hosts: 3, Drainers: 3, FaultRate: 0.04}
	if long() {
		cfg.Seeds, cfg.Steps = 100, 400
	}
	fig := storetest.CheckCrashAdversary(t, func(t *testing.T) survey.Store { return newStore(t, openFile(t)) }, cfg)
	t.Logf("sqlite: %s", fig)
}
