// Package reliability_test holds the reliability tests of RELIABILITY.md
// that need no database: the load, fault, hostile-input and tenant
// scenarios on the memory store. The same scenarios run on SQLite and
// PostgreSQL in their modules.
package reliability_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// long reports whether the long variants run (SURVEYFLOW_LONG=1).
func long() bool { return os.Getenv("SURVEYFLOW_LONG") != "" }

func TestMemoryLoadLosesNoAnswerAndSendsNothingTwice(t *testing.T) {
	cfg := storetest.LoadConfig{Engines: 3, Conversations: 2000, Workers: 32}
	if long() {
		cfg = storetest.LoadConfig{Engines: 6, Conversations: 20000, Workers: 64}
	}
	st := memory.New()
	fig := storetest.RunLoad(t, cfg, func() survey.Store { return st })
	t.Logf("memory, %d engines: %s", cfg.Engines, fig)
	require.Equal(t, cfg.Conversations, fig.Sessions)
}

func TestMemoryStoreFaultsConvergeOnRetry(t *testing.T) {
	seeds := 20
	if long() {
		seeds = 200
	}
	injected, failures := storetest.CheckFaultsConverge(t, func(*testing.T) survey.Store { return memory.New() }, seeds)
	t.Logf("memory: %d seeds, %d faults injected, %d failed calls retried", seeds, injected, failures)
}

func TestMemoryStoreSurvivesHostileInput(t *testing.T) {
	storetest.CheckHostileInput(t, memory.New())
}

func TestMemoryStoreKeepsTenantsApartAtTheEngine(t *testing.T) {
	storetest.CheckTenantIsolation(t, memory.New())
}
