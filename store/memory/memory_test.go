package memory_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) survey.Store { return memory.New() })
}

func TestDeliveries(t *testing.T) {
	storetest.CheckDeliveries(t, func(*testing.T) survey.Store { return memory.New() })
}

func TestEffects(t *testing.T) {
	storetest.CheckEffects(t, func(*testing.T) survey.Store { return memory.New() })
}

// TestDeliveryAdversary runs the delivery adversary (three engines with
// clocks up to an hour apart, every delivery delayed, duplicated and
// reordered, store replies lost after commit) on the memory store.
func TestDeliveryAdversary(t *testing.T) {
	cfg := storetest.AdversaryConfig{Seeds: 100, Steps: 300, Engines: 3, MaxSkew: time.Hour, FaultRate: 0.05}
	if os.Getenv("SURVEYFLOW_LONG") != "" {
		cfg.Seeds = 2000
	}
	fig := storetest.CheckDeliveryAdversary(t, func(*testing.T) survey.Store { return memory.New() }, cfg)
	t.Logf("memory: %s", fig)
}

// FuzzDeliveryAdversary lets the fuzzer pick the adversary's seed, skew
// and fault rate.
func FuzzDeliveryAdversary(f *testing.F) {
	f.Add(uint64(1), uint8(60), uint8(5))
	f.Add(uint64(178), uint8(0), uint8(0))
	f.Add(uint64(71), uint8(255), uint8(40))
	f.Fuzz(func(t *testing.T, seed uint64, skewMinutes, faultPercent uint8) {
		cfg := storetest.AdversaryConfig{
			Seeds: 1, FirstSeed: seed, Steps: 150, Engines: 3,
			MaxSkew: time.Duration(skewMinutes) * time.Minute, FaultRate: float64(faultPercent%50) / 100,
		}
		storetest.CheckDeliveryAdversary(t, func(*testing.T) survey.Store { return memory.New() }, cfg)
	})
}

func TestSurveyBehaviour(t *testing.T) {
	storetest.CheckSurveyBehaviour(t, func(*testing.T) survey.Store { return memory.New() })
}

// A session stamped at the Unix epoch (a fake clock may start there) keeps
// that time; the zero time stays zero.
func TestTheUnixEpochIsATimeNotTheZeroTime(t *testing.T) {
	st := memory.New()
	s := storetest.NewSession("t1", "s1", 0)
	epoch := time.Unix(0, 0).UTC()
	s.CreatedAt, s.ClosedAt, s.SentAt, s.RatedAt = epoch, epoch, time.Time{}, time.Unix(0, 1).UTC()
	s.LastContactAt = time.Unix(0, -1).UTC()
	require.NoError(t, st.Create(context.Background(), s))
	got, err := st.Load(context.Background(), "t1", "s1")
	require.NoError(t, err)
	assert.True(t, got.CreatedAt.Equal(epoch) && !got.CreatedAt.IsZero(), "CreatedAt %v", got.CreatedAt)
	assert.True(t, got.ClosedAt.Equal(epoch), "ClosedAt %v", got.ClosedAt)
	assert.True(t, got.SentAt.IsZero(), "SentAt %v", got.SentAt)
	assert.True(t, got.RatedAt.Equal(time.Unix(0, 1)), "RatedAt %v", got.RatedAt)
	assert.True(t, got.LastContactAt.Equal(time.Unix(0, -1)), "LastContactAt %v", got.LastContactAt)
}

func TestPrivacy(t *testing.T) {
	storetest.CheckPrivacy(t, func(*testing.T) (storetest.PrivacyStore, storetest.RawStorage) {
		st := memory.New()
		return st, func(*testing.T) []byte { return memory.RawStorage(st) }
	})
}

// TestRawStorageSeesWhatTheStoreHolds: the raw search reads the records
// themselves, including what a reused array keeps beyond its length.
func TestRawStorageSeesWhatTheStoreHolds(t *testing.T) {
	st := memory.New()
	s := storetest.NewSession("t1", "s1", 0)
	s.ContactName = "Hidden Name"
	for i, text := range []string{"first reply", "second reply"} {
		s.Turns = append(s.Turns, survey.Turn{MessageID: fmt.Sprint("m", i), Kind: survey.TurnReprompt, Text: text})
	}
	require.NoError(t, st.Create(context.Background(), s))
	raw := string(memory.RawStorage(st))
	assert.Contains(t, raw, "Hidden Name")
	assert.Contains(t, raw, "second reply")
	assert.Contains(t, raw, "contact-s1", "the index's keys")
}

// TestCrashAdversary runs the crash adversary (host processes that die
// between the engine's write and their sends, halfway through sending,
// inside Deliver and before acknowledging) on the memory store.
func TestCrashAdversary(t *testing.T) {
	cfg := storetest.CrashConfig{Seeds: 50, Steps: 300, Hosts: 3, Drainers: 1, FaultRate: 0.04}
	if os.Getenv("SURVEYFLOW_LONG") != "" {
		cfg.Seeds = 1000
	}
	fig := storetest.CheckCrashAdversary(t, func(*testing.T) survey.Store { return memory.New() }, cfg)
	t.Logf("memory: %s", fig)
}

// FuzzCrashAdversary lets the fuzzer pick the crash adversary's seed and
// its plan: the action of each step.
func FuzzCrashAdversary(f *testing.F) {
	f.Add(uint64(1), []byte(nil))
	f.Add(uint64(7), []byte{0, 40, 80, 60, 88, 50, 30, 95})
	f.Add(uint64(12), []byte{10, 45, 45, 70, 70, 90, 99, 70})
	f.Fuzz(func(t *testing.T, seed uint64, plan []byte) {
		cfg := storetest.CrashConfig{Seeds: 1, FirstSeed: seed, Steps: 150, Hosts: 2, Drainers: 1, FaultRate: 0.04, Plan: plan}
		storetest.CheckCrashAdversary(t, func(*testing.T) survey.Store { return memory.New() }, cfg)
	})
}
