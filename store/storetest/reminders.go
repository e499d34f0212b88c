package storetest

// Reminders on a store: a session that owes a reminder is due (ClaimDue)
// at the reminder's time and again at the question's real end, and the
// reminder is an effect like any other: stored with the sweep's write,
// handed out under one key however often the host dies or retries, and
// never to a contact who answered.

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// reminderSurvey reminds once, 4 h into the 24 h.
var reminderSurvey = survey.Definition{ID: "csat", Reminder: &survey.Reminder{After: 4 * time.Hour}}

// checkReminders: three surveys owe a reminder, one contact answers; two
// sweeps race at the reminder's time and decide each reminder once, the
// host throws their results away and dies, and a new engine's drains hand
// each reminder out once, as the sweep rendered it; the contact who
// answered gets none; at the question's real end the store finds the
// others due again and they expire (and so does the comment question of
// the contact who answered).
func checkReminders(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	engine := func() *survey.Engine {
		e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{reminderSurvey}})
		require.NoError(t, err)
		return e
	}
	a, b := engine(), engine()
	ids := map[string]string{}
	for _, contact := range []string{"ana", "bo", "cy"} {
		res, err := a.ConversationClosed(ctx, closedConversation("c-"+contact, contact, clock.Now()))
		require.NoError(t, err)
		require.NotNil(t, res.Session)
		ids[contact] = res.Session.ID
	}
	got := map[string]int{}
	drainAll(t, a, got) // the rating requests
	_, err := a.HandleMessage(ctx, reply("ana", "m1", "4", time.Time{}))
	require.NoError(t, err)
	drainAll(t, a, got) // the comment question

	clock.Advance(4*time.Hour - time.Second)
	sw, err := a.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, sw.Reminded, "not due before the reminder's time")

	clock.Advance(2 * time.Second)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		decided []survey.Outbound
	)
	for _, e := range []*survey.Engine{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.Sweep(ctx)
			assert.NoError(t, err)
			mu.Lock()
			decided = append(decided, res.Outbound...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.Len(t, decided, 2, "one reminder for each contact who did not answer, decided once")
	rendered := map[string]survey.Outbound{}
	for _, o := range decided {
		assert.Equal(t, survey.KindReminder, o.Kind)
		rendered[o.IdempotencyKey] = o
	}
	// The host dies with the sweeps' results; a new engine drains twice.
	c := engine()
	handed := append(drainAll(t, c, got), drainAll(t, c, got)...)
	var keys []string
	for _, f := range handed {
		keys = append(keys, f.Key)
		assert.Equal(t, rendered[f.Key], f.Message, "handed out as the sweep rendered it")
	}
	assert.ElementsMatch(t, []string{ids["bo"] + "/reminder/1", ids["cy"] + "/reminder/1"}, keys)
	assert.Zero(t, got[ids["ana"]+"/reminder/1"], "the contact who answered gets no reminder")
	for _, contact := range []string{"bo", "cy"} {
		s, err := st.Load(ctx, "acme", ids[contact])
		require.NoError(t, err)
		assert.Equal(t, 1, s.Reminders, contact)
		assert.Equal(t, clock.Now(), s.RemindedAt.In(clock.Now().Location()), contact)
		assert.Equal(t, survey.StateAwaitingRating, s.State, contact)
	}
	sw, err = c.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, sw.Reminded+sw.Expired, "nothing due until the question's end")

	clock.Advance(20 * time.Hour)
	sw, err = c.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, sw.Expired, "due again at the question's real end (ana's comment question too)")
	assert.Zero(t, sw.Reminded)
}
