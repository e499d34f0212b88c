package surveytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// routed is a memory store with a survey.RoutedUpdater that records its
// calls (and saves like Update: the test checks the wrapping, not the
// routing).
type routed struct {
	*memory.Store
	calls int
}

func (r *routed) UpdateRouted(ctx context.Context, s *survey.Session, _ string) error {
	r.calls++
	return r.Update(ctx, s)
}

// Wrapping a store never changes which path an engine takes: the store an
// engine gets from a FaultyStore has survey.RoutedUpdater exactly when the
// wrapped store has it, and the FaultyStore itself never has it.
func TestAFaultyStoreIsARoutedUpdaterOnlyOverOne(t *testing.T) {
	plain := surveytest.NewFaultyStore(memory.New(), nil)
	_, ok := any(plain).(survey.RoutedUpdater)
	assert.False(t, ok, "the FaultyStore itself")
	_, ok = plain.Engine().(survey.RoutedUpdater)
	assert.False(t, ok, "over the memory store, which has no UpdateRouted")

	inner := &routed{Store: memory.New()}
	var ops []string
	faulty := surveytest.NewFaultyStore(inner, func(op string, n int) surveytest.Fault {
		ops = append(ops, op)
		if op == "UpdateRouted" && n == 1 {
			return surveytest.FailBefore
		}
		return surveytest.NoFault
	})
	_, ok = any(faulty).(survey.RoutedUpdater)
	assert.False(t, ok, "the FaultyStore itself")
	ru, ok := faulty.Engine().(survey.RoutedUpdater)
	require.True(t, ok, "over a store with UpdateRouted")

	ctx := context.Background()
	s := &survey.Session{TenantID: "t1", ID: "s1", SurveyID: "csat", ConversationID: "c1", ContactID: "u1", Channel: "email",
		State: survey.StateAwaitingRating, Deadline: surveytest.Start.Add(24 * time.Hour), CreatedAt: surveytest.Start}
	require.NoError(t, faulty.Engine().Create(ctx, s))
	assert.ErrorIs(t, ru.UpdateRouted(ctx, s, "m1"), surveytest.ErrInjected, "faults reach UpdateRouted too")
	assert.Zero(t, inner.calls, "a fault before the call")
	require.NoError(t, ru.UpdateRouted(ctx, s, "m1"))
	assert.Equal(t, 1, inner.calls, "passed through to the wrapped store")
	assert.Equal(t, []string{"Create", "UpdateRouted", "UpdateRouted"}, ops)
}
