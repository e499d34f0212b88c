package storetest

// The deliveries real channels and hosts make, each as a scenario through
// engines on the store under test: a message redelivered hours later, a
// message written before the survey, engines whose clocks disagree, a close
// retried without its time, an acknowledgement lost after the commit, a
// caller that gave up, and a sweep that meets a failing session. Every
// store runs them (checkDeliveries), and so can a host's own adapter.

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// ShiftedClock is a clock that runs Offset ahead of Base (behind, when
// Offset is negative): another machine's clock, in tests of engines that
// share a store.
type ShiftedClock struct {
	// Base is the true time.
	Base survey.Clock
	// Offset is how far this clock is off.
	Offset time.Duration
}

// Now returns Base's time shifted by Offset.
func (c ShiftedClock) Now() time.Time { return c.Base.Now().Add(c.Offset) }

// deliverySurvey is the survey every delivery scenario runs: low scores
// alert a lead, agents hear of every rating, and each resolution of a
// conversation is surveyed.
var deliverySurvey = survey.Definition{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}, NotifyAgents: true,
	Resurvey: survey.ResurveyEachResolution}

// deliveryEngine returns an engine on st with clock, allowing skew.
func deliveryEngine(t *testing.T, st survey.Store, clock survey.Clock, skew time.Duration) *survey.Engine {
	t.Helper()
	e, err := survey.New(survey.Config{Store: st, Clock: clock, MaxClockSkew: skew, Surveys: []survey.Definition{deliverySurvey}})
	require.NoError(t, err)
	return e
}

// closedConversation is conversation id of contact, answered by agent ana
// and closed at closedAt.
func closedConversation(id, contact string, closedAt time.Time) *survey.Conversation {
	return surveytest.NewConversation(id, contact, closedAt.Add(-10*time.Minute)).Tenant("acme").
		Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").ClosedAt(closedAt)
}

// reply is contact's message id on whatsapp, stamped at (zero: unstamped).
func reply(contact, id, text string, at time.Time) *survey.Inbound {
	return &survey.Inbound{TenantID: "acme", ContactID: contact, Channel: "whatsapp", MessageID: id, Text: text, ReceivedAt: at}
}

// checkDeliveries runs every delivery scenario on stores made by fresh.
func checkDeliveries(t *testing.T, fresh func(t *testing.T) survey.Store) {
	t.Run("LateRedeliveryIsADuplicateOfTheSurveyItAnswered", func(t *testing.T) { checkLateRedelivery(t, fresh(t)) })
	t.Run("MessageWrittenBeforeTheSurveyIsNotItsAnswer", func(t *testing.T) { checkWrittenBefore(t, fresh(t)) })
	t.Run("EnginesWithSkewedClocksRouteToTheNewestSurvey", func(t *testing.T) { checkSkewedEngines(t, fresh(t)) })
	t.Run("CloseRetriedWithoutItsTimeIsADuplicate", func(t *testing.T) { checkCloseRetried(t, fresh(t)) })
	t.Run("LostAcknowledgementReplaysTheAlerts", func(t *testing.T) { checkLostAcknowledgement(t, fresh(t)) })
	t.Run("CancelledContextWritesNothing", func(t *testing.T) { checkCancelled(t, fresh(t)) })
	t.Run("SweepCarriesOnPastAFailingSession", func(t *testing.T) { checkSweepCarriesOn(t, fresh(t)) })
}

// checkLateRedelivery: conversation c1 is rated by m1; an hour later c2
// closes for the same contact and the channel retries m1. m1 is a
// duplicate of c1's rating, replaying what it produced, and c2 still takes
// the contact's real answer.
func checkLateRedelivery(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	first, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	rated, err := e.HandleMessage(ctx, reply("maria", "m1", "5", clock.Advance(time.Minute)))
	require.NoError(t, err)
	require.True(t, rated.Consumed)
	_, err = e.HandleMessage(ctx, reply("maria", "m1-comment", "todo bien", clock.Advance(time.Minute)))
	require.NoError(t, err)

	clock.Advance(time.Hour)
	second, err := e.ConversationClosed(ctx, closedConversation("c2", "maria", clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, second.Session)

	for _, at := range []time.Time{relStart.Add(time.Minute), {}} {
		again, err := e.HandleMessage(ctx, reply("maria", "m1", "5", at))
		require.NoError(t, err)
		assert.True(t, again.Duplicate, "m1 redelivered (stamped %v) is a duplicate", at)
		assert.True(t, again.Consumed)
		assert.Empty(t, again.Outbound, "a duplicate sends nothing")
		require.NotNil(t, again.Session)
		assert.Equal(t, first.Session.ID, again.Session.ID, "m1 belongs to c1's survey")
		assert.Equal(t, outboundKeys(rated.Outbound), outboundKeys(again.Replay), "the replay is what m1 produced, with its keys")
	}
	answer, err := e.HandleMessage(ctx, reply("maria", "m2", "2", clock.Advance(time.Minute)))
	require.NoError(t, err)
	assert.True(t, answer.Consumed)
	assert.False(t, answer.Duplicate)
	require.NotNil(t, answer.Session)
	assert.Equal(t, second.Session.ID, answer.Session.ID, "c2 takes the contact's real answer")
	assert.Equal(t, 2, answer.Session.Rating)

	c1, err := st.Load(ctx, "acme", first.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, 5, c1.Rating, "c1 keeps its rating")
	assert.Equal(t, []string{"m1", "m1-comment"}, c1.MessageIDs())
	c2, err := st.Load(ctx, "acme", second.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"m2"}, c2.MessageIDs(), "m1 counts in c1 only")
}

// checkWrittenBefore: a message stamped before the rating request went out
// (written in the chat, delivered late) is handed back to the host, and
// the survey still waits for its answer.
func checkWrittenBefore(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	clock.Advance(5 * time.Minute)
	early, err := e.HandleMessage(ctx, reply("maria", "m-early", "5", relStart.Add(-3*time.Minute)))
	require.NoError(t, err)
	assert.False(t, early.Consumed, "written three minutes before the survey was sent")
	s, err := st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	assert.False(t, s.Rated)
	assert.Equal(t, survey.StateAwaitingRating, s.State)
	assert.Empty(t, s.MessageIDs())

	answer, err := e.HandleMessage(ctx, reply("maria", "m-answer", "4", relStart.Add(4*time.Minute)))
	require.NoError(t, err)
	assert.True(t, answer.Consumed)
	assert.Equal(t, 4, answer.Session.Rating)
}

// checkSkewedEngines: engine B's clock is an hour behind engine A's. c1 is
// rated through A, c2 closes through B ten minutes later (so its CreatedAt
// is fifty minutes before c1's): the contact's answer goes to c2, through
// either engine. Engine C runs an hour ahead and knows it (MaxClockSkew):
// its survey still takes an answer stamped by the channel in true time.
func checkSkewedEngines(t *testing.T, st survey.Store) {
	ctx := context.Background()
	truth := surveytest.NewClock(relStart)
	a := deliveryEngine(t, st, truth, time.Hour)
	b := deliveryEngine(t, st, ShiftedClock{truth, -time.Hour}, time.Hour)
	c := deliveryEngine(t, st, ShiftedClock{truth, time.Hour}, time.Hour)

	_, err := a.ConversationClosed(ctx, closedConversation("c1", "maria", truth.Now()))
	require.NoError(t, err)
	_, err = a.HandleMessage(ctx, reply("maria", "m1", "5", truth.Advance(time.Minute)))
	require.NoError(t, err)
	truth.Advance(10 * time.Minute)
	second, err := b.ConversationClosed(ctx, closedConversation("c2", "maria", truth.Now().Add(-time.Hour)))
	require.NoError(t, err)
	require.NotNil(t, second.Session)

	for i, e := range []*survey.Engine{a, b} {
		msg := fmt.Sprintf("m2-%d", i)
		text := []string{"2", "como te dije"}[i] // the rating, then the comment
		res, err := e.HandleMessage(ctx, reply("maria", msg, text, truth.Advance(time.Minute)))
		require.NoError(t, err)
		assert.True(t, res.Consumed, "%s through engine %d", msg, i)
		require.NotNil(t, res.Session, msg)
		assert.Equal(t, second.Session.ID, res.Session.ID, "%s goes to the survey created last", msg)
	}
	s, err := st.Load(ctx, "acme", second.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, s.State)
	assert.Equal(t, 2, s.Rating)

	third, err := c.ConversationClosed(ctx, closedConversation("c3", "ben", truth.Now()))
	require.NoError(t, err)
	require.NotNil(t, third.Session)
	res, err := b.HandleMessage(ctx, reply("ben", "m3", "4", truth.Advance(2*time.Minute)))
	require.NoError(t, err)
	assert.True(t, res.Consumed, "stamped in true time, after the send: within the skew engine C declared")
	assert.Equal(t, third.Session.ID, res.Session.ID)
}

// checkCloseRetried: a close retried with no ClosedAt, a rounded one or a
// later one, after the survey finished, is a duplicate; only a close after
// ConversationReopened is surveyed again, and a retry of that is a
// duplicate too.
func checkCloseRetried(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart.Add(123456789 * time.Nanosecond))
	e := deliveryEngine(t, st, clock, 0)
	closedAt := clock.Now()
	conv := closedConversation("c1", "maria", closedAt)
	first, err := e.ConversationClosed(ctx, conv)
	require.NoError(t, err)
	require.NotNil(t, first.Session)
	_, err = e.HandleMessage(ctx, reply("maria", "m1", "4", clock.Advance(time.Minute)))
	require.NoError(t, err)
	_, err = e.HandleMessage(ctx, reply("maria", "m2", "bien", clock.Advance(time.Minute)))
	require.NoError(t, err)

	clock.Advance(2 * time.Hour)
	for name, at := range map[string]time.Time{
		"no close time":                          {},
		"the close time rounded by a database":   closedAt.Round(time.Second),
		"another close time, without a reopen":   closedAt.Add(3 * time.Hour),
		"the close time to the microsecond":      closedAt.Truncate(time.Microsecond),
		"the same close time, from a UTC+3 zone": closedAt.In(time.FixedZone("MSK", 3*3600)),
	} {
		retry := *conv
		retry.ClosedAt = at
		res, err := e.ConversationClosed(ctx, &retry)
		require.NoError(t, err, name)
		assert.True(t, res.Duplicate, name)
		assert.Empty(t, res.Outbound, "%s: no second rating request", name)
		require.NotNil(t, res.Session, name)
		assert.Equal(t, first.Session.ID, res.Session.ID, name)
	}
	list, err := st.ConversationSessions(ctx, "acme", "c1")
	require.NoError(t, err)
	assert.Len(t, list, 1, "one survey for one close, however often it is retried")

	reopened, err := e.ConversationReopened(ctx, conv)
	require.NoError(t, err)
	require.NotNil(t, reopened.Session, "the reopen is recorded on the survey")
	assert.Equal(t, survey.StateCompleted, reopened.Session.State, "a finished survey stays finished")
	again, err := e.ConversationReopened(ctx, conv)
	require.NoError(t, err)
	assert.Nil(t, again.Session, "a repeated reopen changes nothing")

	clock.Advance(time.Hour)
	reclose := *conv
	reclose.ClosedAt = time.Time{}
	second, err := e.ConversationClosed(ctx, &reclose)
	require.NoError(t, err)
	require.NotNil(t, second.Session)
	assert.False(t, second.Duplicate, "closed again after a reopen: a new survey")
	assert.NotEqual(t, first.Session.ID, second.Session.ID)
	assert.Len(t, second.Outbound, 1)

	for name, at := range map[string]time.Time{"no close time": {}, "the first close's time": closedAt} {
		retry := *conv
		retry.ClosedAt = at
		res, err := e.ConversationClosed(ctx, &retry)
		require.NoError(t, err, name)
		assert.True(t, res.Duplicate, name)
		assert.Empty(t, res.Outbound, name)
	}
	list, err = st.ConversationSessions(ctx, "acme", "c1")
	require.NoError(t, err)
	assert.Len(t, list, 2, "two closes, two surveys")
}

// checkLostAcknowledgement: a rating of 1 is saved but the store's reply is
// lost; the comment completes the survey; then the channel retries the
// rating. The retry replays the low-score alert and the agents'
// notification with the keys the first delivery would have returned.
func checkLostAcknowledgement(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	faulty := surveytest.NewFaultyStore(st, nil)
	e := deliveryEngine(t, faulty.Engine(), clock, 0)
	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)

	faulty.Decide = func(op string, _ int) surveytest.Fault {
		if op == "Update" || op == "UpdateRouted" {
			return surveytest.FailAfter
		}
		return surveytest.NoFault
	}
	_, err = e.HandleMessage(ctx, reply("maria", "m1", "1", clock.Advance(time.Minute)))
	require.ErrorIs(t, err, surveytest.ErrInjected, "the host sees an error")
	faulty.Decide = nil

	done, err := e.HandleMessage(ctx, reply("maria", "m2", "no me ayudaron", clock.Advance(time.Minute)))
	require.NoError(t, err)
	require.True(t, done.Consumed)
	assert.Equal(t, survey.StateCompleted, done.Session.State, "the rating was saved: the comment completes the survey")

	retry, err := e.HandleMessage(ctx, reply("maria", "m1", "1", relStart.Add(time.Minute)))
	require.NoError(t, err)
	assert.True(t, retry.Duplicate)
	assert.Empty(t, retry.Notifications, "a duplicate raises nothing new")
	keys := map[survey.NotificationKind]string{}
	for _, n := range retry.ReplayNotifications {
		keys[n.Kind] = n.IdempotencyKey
		assert.Equal(t, 1, n.Score)
	}
	assert.Equal(t, map[survey.NotificationKind]string{
		survey.NotifyLowScore: started.Session.ID + "/low_score",
		survey.NotifyRated:    started.Session.ID + "/rated",
	}, keys, "the alert and the agent's notification, with their keys")
	assert.Equal(t, []survey.MessageKind{survey.KindCommentRequest}, kindsOf(retry.Replay), "and the comment request m1 produced")
}

// checkCancelled: a call whose context is cancelled returns the context's
// error and writes nothing, whatever the store does with contexts.
func checkCancelled(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	done, cancel := context.WithCancel(ctx)
	cancel()

	_, err := e.ConversationClosed(done, closedConversation("c0", "maria", clock.Now()))
	assert.ErrorIs(t, err, context.Canceled)
	list, err := st.ConversationSessions(ctx, "acme", "c0")
	require.NoError(t, err)
	assert.Empty(t, list, "no session was created")

	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	calls := map[string]func() error{
		"message": func() error {
			_, err := e.HandleMessage(done, reply("maria", "m1", "5", clock.Now()))
			return err
		},
		"reopen": func() error {
			_, err := e.ConversationReopened(done, closedConversation("c1", "maria", relStart))
			return err
		},
		"review": func() error {
			_, err := e.Review(done, survey.ReviewInput{TenantID: "acme", SessionID: started.Session.ID, ReviewerID: "sup", Score: 3})
			return err
		},
		"sweep": func() error {
			clock.Advance(48 * time.Hour)
			defer clock.Set(relStart)
			_, err := e.Sweep(done)
			return err
		},
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), context.Canceled, name)
		s, err := st.Load(ctx, "acme", started.Session.ID)
		require.NoError(t, err)
		assert.Equal(t, started.Session.Version, s.Version, "%s wrote nothing", name)
		assert.Equal(t, survey.StateAwaitingRating, s.State, name)
	}
}

// checkSweepCarriesOn: one session whose write fails does not stop a
// sweep: every other due session, across several batches, is handled in
// the same call, and the failure is reported.
func checkSweepCarriesOn(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	faulty := surveytest.NewFaultyStore(st, nil)
	e := deliveryEngine(t, faulty.Engine(), clock, 0)
	const sessions = 300 // more than one claim batch
	for i := range sessions {
		_, err := e.ConversationClosed(ctx, closedConversation(fmt.Sprintf("c%d", i), fmt.Sprintf("contact-%d", i), clock.Now()))
		require.NoError(t, err)
	}
	clock.Advance(25 * time.Hour)
	faulty.Decide = func(op string, n int) surveytest.Fault {
		if op == "Update" && n == 1 {
			return surveytest.FailBefore
		}
		return surveytest.NoFault
	}
	res, err := e.Sweep(ctx)
	require.Error(t, err)
	assert.True(t, errors.Is(err, surveytest.ErrInjected), "the failure is reported: %v", err)
	assert.Equal(t, sessions-1, res.Expired, "every other session expired in the same sweep")
}

func outboundKeys(out []survey.Outbound) []string {
	keys := make([]string, len(out))
	for i, o := range out {
		keys[i] = o.IdempotencyKey
	}
	return keys
}

func kindsOf(out []survey.Outbound) []survey.MessageKind {
	kinds := make([]survey.MessageKind, len(out))
	for i, o := range out {
		kinds[i] = o.Kind
	}
	return kinds
}
