package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

// Harness makes the stores the suite runs on, says what else the suite
// may do with them, and sizes its randomized scenarios. Only NewStore is
// required; the zero value of every other field is a working default.
//
// What a store can do beyond survey.Store is read from its type, not
// declared here: the suite checks survey.RoutedUpdater, report.Source and
// survey.PrivacyStore (with report.Source) when the store from NewStore
// implements them, and skips their subtests, with the reason, when it
// does not.
type Harness struct {
	// NewStore returns an empty store, ready to use (migrated), for one
	// subtest. It gets the subtest's *testing.T, for t.Cleanup and
	// t.TempDir. Required.
	NewStore func(t *testing.T) survey.Store

	// Instances returns a function that makes store instances on one new,
	// empty database, as separate processes of a host would have them
	// (each with its own connections); the first instance may migrate the
	// database. The load scenario runs one engine on each. Nil: its
	// engines share one store from NewStore.
	Instances func(t *testing.T) func() survey.Store

	// RawStorage returns what st, a store NewStore made for the same test,
	// keeps, as raw as the store allows: the bytes of a database's files
	// (after a checkpoint), every table read as text, every string a
	// memory store holds. The privacy scenarios search it for the text an
	// erasure or retention removed. Nil: those scenarios skip.
	RawStorage func(t *testing.T, st survey.Store) []byte

	// Long selects the long variants' sizes for the scenarios below whose
	// field is zero (a store's nightly or release run).
	Long bool

	// Load sizes the load scenario. Zero: 3 engines, 400 conversations,
	// 8 workers (Long: 4, 4000, 16).
	Load LoadConfig
	// FaultSeeds is how many random fault plans the fault scenario runs.
	// Zero: 5 (Long: 50).
	FaultSeeds int
	// Adversary sizes the delivery adversary. Zero: 8 seeds of 200 steps,
	// 3 engines with clocks up to an hour apart, 5% of store calls
	// faulty (Long: 100 seeds of 400 steps).
	Adversary AdversaryConfig
	// Crash sizes the crash adversary. Zero: 8 seeds of 200 steps, 3
	// hosts, 3 of which drain at once, 4% of store calls faulty (Long:
	// 100 seeds of 400 steps).
	Crash CrashConfig
}

// defaults returns h with its zero sizes replaced by the defaults.
func (h Harness) defaults() Harness {
	if h.Load == (LoadConfig{}) {
		h.Load = LoadConfig{Engines: 3, Conversations: 400, Workers: 8}
		if h.Long {
			h.Load = LoadConfig{Engines: 4, Conversations: 4000, Workers: 16}
		}
	}
	if h.FaultSeeds == 0 {
		h.FaultSeeds = 5
		if h.Long {
			h.FaultSeeds = 50
		}
	}
	if h.Adversary == (AdversaryConfig{}) {
		h.Adversary = AdversaryConfig{Seeds: 8, Steps: 200, Engines: 3, MaxSkew: time.Hour, FaultRate: 0.05}
		if h.Long {
			h.Adversary.Seeds, h.Adversary.Steps = 100, 400
		}
	}
	if h.Crash.Seeds == 0 && h.Crash.Steps == 0 && h.Crash.Hosts == 0 && h.Crash.Drainers == 0 && h.Crash.FaultRate == 0 {
		h.Crash = CrashConfig{Seeds: 8, Steps: 200, Hosts: 3, Drainers: 3, FaultRate: 0.04, FirstSeed: h.Crash.FirstSeed, Plan: h.Crash.Plan}
		if h.Long {
			h.Crash.Seeds, h.Crash.Steps = 100, 400
		}
	}
	return h
}

// Run runs the whole contract against the stores h makes, each group of
// scenarios as a subtest of t (named in the package documentation). It is
// the one call a store's tests make:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Harness{NewStore: func(t *testing.T) survey.Store { return newMyStore(t) }})
//	}
func Run(t *testing.T, h Harness) {
	if h.NewStore == nil {
		t.Fatal("storetest.Harness.NewStore is nil")
	}
	h = h.defaults()
	fresh := h.NewStore
	probe := fresh(t)

	runStore(t, fresh)

	t.Run("Read", func(t *testing.T) {
		if _, ok := probe.(readStore); !ok {
			t.Skipf("%T does not implement report.Source: no reports or registry to check", probe)
		}
		runRead(t, func(t *testing.T) readStore { return fresh(t).(readStore) })
	})
	t.Run("Deliveries", func(t *testing.T) { checkDeliveries(t, fresh) })
	t.Run("Effects", func(t *testing.T) { checkEffects(t, fresh) })
	t.Run("SurveyBehaviour", func(t *testing.T) { checkSurveyBehaviour(t, fresh) })
	t.Run("Privacy", func(t *testing.T) {
		if _, ok := probe.(survey.PrivacyStore); !ok {
			t.Skipf("%T does not implement survey.PrivacyStore: no erasure or retention to check", probe)
		}
		if _, ok := probe.(report.Source); !ok {
			t.Skipf("%T does not implement report.Source: the privacy scenarios compare reports before and after", probe)
		}
		checkPrivacy(t, func(t *testing.T) (privacyStore, rawStorage) {
			st := fresh(t)
			return st.(privacyStore), func(t *testing.T) []byte {
				t.Helper()
				if h.RawStorage == nil {
					t.Skipf("no Harness.RawStorage for %T: the search of the store's raw storage for erased text cannot run", st)
				}
				return h.RawStorage(t, st)
			}
		})
	})
	t.Run("HostileInput", func(t *testing.T) { checkHostileInput(t, fresh(t)) })
	t.Run("TenantsApartAtTheEngine", func(t *testing.T) { checkTenantIsolation(t, fresh(t)) })
	t.Run("FaultsConverge", func(t *testing.T) {
		injected, failures := checkFaultsConverge(t, fresh, h.FaultSeeds)
		t.Logf("%T: %d seeds, %d faults injected, %d failed calls retried", probe, h.FaultSeeds, injected, failures)
	})
	t.Run("Load", func(t *testing.T) {
		var instance func() survey.Store
		how := "one store"
		if h.Instances != nil {
			instance, how = h.Instances(t), fmt.Sprintf("%d store instances on one database", h.Load.Engines)
		} else {
			st := fresh(t)
			instance = func() survey.Store { return st }
		}
		fig := runLoad(t, h.Load, instance)
		t.Logf("%T, %d engines on %s: %s", probe, h.Load.Engines, how, fig)
		require.Equal(t, h.Load.Conversations, fig.Sessions)
	})
	t.Run("DeliveryAdversary", func(t *testing.T) {
		fig := checkDeliveryAdversary(t, fresh, h.Adversary)
		t.Logf("%T: %s", probe, fig)
	})
	t.Run("CrashAdversary", func(t *testing.T) {
		fig := checkCrashAdversary(t, fresh, h.Crash)
		t.Logf("%T: %s", probe, fig)
	})
}

// FuzzDeliveryAdversary runs the delivery adversary on stores from
// h.NewStore with the seed, the clock skew (in minutes) and the fault rate
// (in percent, modulo 50) the fuzzer picks: one seed of 150 steps with
// three engines per input.
func FuzzDeliveryAdversary(f *testing.F, h Harness) {
	f.Add(uint64(1), uint8(60), uint8(5))
	f.Add(uint64(178), uint8(0), uint8(0))
	f.Add(uint64(71), uint8(255), uint8(40))
	f.Fuzz(func(t *testing.T, seed uint64, skewMinutes, faultPercent uint8) {
		cfg := AdversaryConfig{
			Seeds: 1, FirstSeed: seed, Steps: 150, Engines: 3,
			MaxSkew: time.Duration(skewMinutes) * time.Minute, FaultRate: float64(faultPercent%50) / 100,
		}
		checkDeliveryAdversary(t, h.NewStore, cfg)
	})
}

// FuzzCrashAdversary runs the crash adversary on stores from h.NewStore
// with the seed and the plan (the action of each step) the fuzzer picks:
// one seed of 150 steps with two hosts per input.
func FuzzCrashAdversary(f *testing.F, h Harness) {
	f.Add(uint64(1), []byte(nil))
	f.Add(uint64(7), []byte{0, 40, 80, 60, 88, 50, 30, 95})
	f.Add(uint64(12), []byte{10, 45, 45, 70, 70, 90, 99, 70})
	f.Fuzz(func(t *testing.T, seed uint64, plan []byte) {
		cfg := CrashConfig{Seeds: 1, FirstSeed: seed, Steps: 150, Hosts: 2, Drainers: 1, FaultRate: 0.04, Plan: plan}
		checkCrashAdversary(t, h.NewStore, cfg)
	})
}
