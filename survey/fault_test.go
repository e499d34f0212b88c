package survey_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// faultRun plays a fixed script of closes, replies, time and sweeps against
// an engine whose store fails as decide says, retrying every call until it
// succeeds as a host would. It returns the final sessions and how many
// times each outbound idempotency key reached the host.
func faultRun(t *testing.T, decide func(op string, n int) surveytest.Fault) (map[string]*survey.Session, map[string]int, int) {
	t.Helper()
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	faulty := surveytest.NewFaultyStore(memory.New(), decide)
	e, err := survey.New(survey.Config{Store: faulty, Clock: clock, Surveys: []survey.Survey{
		{ID: "csat", SendDelay: time.Hour, LowScoreBelow: 3, Responsible: []string{"lead"}},
	}})
	require.NoError(t, err)
	delivered := map[string]int{}
	take := func(res *survey.Result) {
		for _, o := range append(res.Outbound, res.Replay...) {
			delivered[o.IdempotencyKey]++
		}
		for _, n := range append(res.Notifications, res.ReplayNotifications...) {
			delivered[n.IdempotencyKey]++
		}
	}
	retry := func(what string, call func() error) {
		for attempt := 0; ; attempt++ {
			err := call()
			if err == nil {
				return
			}
			require.True(t, errors.Is(err, surveytest.ErrInjected) || errors.Is(err, context.DeadlineExceeded), "%s: %v", what, err)
			require.Less(t, attempt, 200, "%s never succeeded", what)
		}
	}
	const contacts = 40
	for i := 0; i < contacts; i++ {
		conv := &survey.Conversation{TenantID: "t", ID: fmt.Sprintf("c%d", i), Channel: "whatsapp",
			Contact: survey.Contact{ID: fmt.Sprintf("u%d", i), Language: "es"}, ClosedAt: clock.Now()}
		retry("close", func() error {
			res, err := e.ConversationClosed(ctx, conv)
			if err == nil {
				take(res)
			}
			return err
		})
		clock.Advance(time.Minute)
	}
	clock.Advance(2 * time.Hour)
	sweep := func() error {
		res, err := e.Sweep(ctx)
		if res != nil {
			for _, o := range res.Outbound {
				delivered[o.IdempotencyKey]++
			}
		}
		return err
	}
	// The host sweeps every minute: sessions claimed by a sweep whose
	// reply was lost come back when their claim's lease ends.
	sweepForAnHour := func() {
		for i := 0; i < 60; i++ {
			retry("sweep", sweep)
			clock.Advance(time.Minute)
		}
	}
	sweepForAnHour()
	for i := 0; i < contacts; i++ {
		replies := []string{fmt.Sprint(i%5 + 1), "gracias"}
		if i%4 == 0 {
			replies = []string{"¿qué?", "2", "lento"}
		}
		if i%7 == 0 {
			replies = nil // never answers
		}
		for j, text := range replies {
			in := &survey.Inbound{TenantID: "t", ContactID: fmt.Sprintf("u%d", i), Channel: "whatsapp", MessageID: fmt.Sprintf("m%d-%d", i, j), Text: text}
			retry("reply", func() error {
				res, err := e.HandleMessage(ctx, in)
				if err == nil {
					take(res)
				}
				return err
			})
		}
	}
	clock.Advance(25 * time.Hour)
	sweepForAnHour()
	faulty.Decide = nil
	final := map[string]*survey.Session{}
	sessions, err := faulty.Sessions(ctx, "t", survey.Query{})
	require.NoError(t, err)
	for _, s := range sessions {
		final[s.ConversationID] = s
	}
	return final, delivered, faulty.Injected
}

// TestStoreFaultsConvergeOnRetry: with a store that fails before, times
// out, or fails after committing, on random calls, retrying every input
// reaches the same sessions, and every message and notification reaches
// the host exactly once, as in a run without faults.
func TestStoreFaultsConvergeOnRetry(t *testing.T) {
	want, wantKeys, _ := faultRun(t, nil)
	require.Len(t, want, 40)
	for key, n := range wantKeys {
		require.Equal(t, 1, n, key)
	}
	redelivered, faults := 0, 0
	defer func() {
		t.Logf("faults injected: %d, messages handed over twice under one key: %d", faults, redelivered)
	}()
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		got, gotKeys, injected := faultRun(t, func(op string, n int) surveytest.Fault {
			if rng.IntN(4) != 0 {
				return surveytest.NoFault
			}
			return surveytest.Fault(1 + rng.IntN(3))
		})
		require.Positive(t, injected)
		faults += injected
		for conv, w := range want {
			g := got[conv]
			require.NotNil(t, g, "seed %d: %s lost", seed, conv)
			assert.Equal(t, w.State, g.State, "seed %d %s", seed, conv)
			assert.Equal(t, w.Rated, g.Rated, "seed %d %s", seed, conv)
			assert.Equal(t, w.Rating, g.Rating, "seed %d %s", seed, conv)
			assert.Equal(t, w.Comment, g.Comment, "seed %d %s", seed, conv)
			assert.Equal(t, w.Reprompts, g.Reprompts, "seed %d %s", seed, conv)
		}
		for key := range wantKeys {
			assert.Positive(t, gotKeys[key], "seed %d: %s never reached the host", seed, key)
		}
		for key, n := range gotKeys {
			assert.Contains(t, wantKeys, key, "seed %d: %s was not in the fault-free run", seed, key)
			if n > 1 {
				// Only a scheduled send whose write could not be verified
				// is handed over twice, under the same key.
				assert.True(t, strings.HasSuffix(key, "/rating_request"), "seed %d: %s delivered %d times", seed, key, n)
				redelivered++
			}
		}
		if t.Failed() {
			return
		}
	}
}
