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

// harness is the memory store's conformance harness: a new store per
// subtest; the load scenario's engines share one store, as a host's
// goroutines would.
func harness() storetest.Harness {
	h := storetest.Harness{
		NewStore:   func(*testing.T) survey.Store { return memory.New() },
		RawStorage: func(_ *testing.T, st survey.Store) []byte { return memory.RawStorage(st.(*memory.Store)) },
		Long:       long(),
		Load:       storetest.LoadConfig{Engines: 3, Conversations: 2000, Workers: 32},
		FaultSeeds: 20,
		Adversary:  storetest.AdversaryConfig{Seeds: 100, Steps: 300, Engines: 3, MaxSkew: time.Hour, FaultRate: 0.05},
		Crash:      storetest.CrashConfig{Seeds: 50, Steps: 300, Hosts: 3, Drainers: 1, FaultRate: 0.04},
	}
	if long() {
		h.Load = storetest.LoadConfig{Engines: 6, Conversations: 20000, Workers: 64}
		h.FaultSeeds, h.Adversary.Seeds, h.Crash.Seeds = 200, 2000, 1000
	}
	return h
}

// long reports whether the long variants run (SURVEYFLOW_LONG=1).
func long() bool { return os.Getenv("SURVEYFLOW_LONG") != "" }

// TestConformance runs the store contract (storetest.Run) on the memory
// store. It does not implement survey.RoutedUpdater, so that subtest
// skips.
func TestConformance(t *testing.T) {
	storetest.Run(t, harness())
}

// FuzzDeliveryAdversary lets the fuzzer pick the delivery adversary's
// seed, skew and fault rate.
func FuzzDeliveryAdversary(f *testing.F) {
	storetest.FuzzDeliveryAdversary(f, harness())
}

// FuzzCrashAdversary lets the fuzzer pick the crash adversary's seed and
// its plan: the action of each step.
func FuzzCrashAdversary(f *testing.F) {
	storetest.FuzzCrashAdversary(f, harness())
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
