package storetest

// The store's half of durable effects (Store.ClaimEffects and pending
// effects that ride in the session's write), and the engine's promises
// that rest on it: what a call decided reaches the host even when the host
// throws the result away, and no effect is handed out twice while a
// deliverer holds it.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// pend adds a pending notification effect keyed key, decided at at, to s.
func pend(s *survey.Session, key string, at time.Time) *survey.Session {
	s.Pending = append(s.Pending, survey.PendingEffect{Key: key, Kind: string(survey.NotifyLowScore), DecidedAt: at,
		Notification: &survey.Notification{IdempotencyKey: key, Kind: survey.NotifyLowScore, Recipients: []string{"lead"},
			TenantID: s.TenantID, SessionID: s.ID, Score: 1}})
	return s
}

// testClaimEffects: ClaimEffects hands out the sessions with pending
// effects, oldest effect first, leases them, keeps the lease through an
// update that leaves effects pending, and frees it with the last one.
func testClaimEffects(t *testing.T, st survey.Store) {
	now := base.Add(time.Hour)
	a := pend(NewSession("t1", "a", 0), "a/1", base.Add(2*time.Minute))
	b := pend(NewSession("t2", "b", 1), "b/1", base.Add(time.Minute))
	pend(b, "b/2", base.Add(3*time.Minute))
	none := NewSession("t1", "none", 2)
	late := pend(NewSession("t1", "late", 3), "late/1", now.Add(time.Minute)) // decided after decidedBy
	for _, s := range []*survey.Session{a, b, none, late} {
		require.NoError(t, st.Create(ctx(), s))
	}
	got, err := st.Load(ctx(), "t2", "b")
	require.NoError(t, err)
	assertSameSession(t, b, got) // pending effects round-trip with the session

	claimed, err := st.ClaimEffects(ctx(), now, now, time.Minute, 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"b"}, ids(claimed), "the oldest pending effect first, up to the limit")
	claimed, err = st.ClaimEffects(ctx(), now, now, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, ids(claimed), "b is leased; none has nothing; late was decided after decidedBy")
	require.Len(t, claimed[0].Pending, 1)
	assert.Equal(t, "a/1", claimed[0].Pending[0].Key)

	// Acknowledging one of b's two effects keeps the lease on the other.
	cur, err := st.Load(ctx(), "t2", "b")
	require.NoError(t, err)
	cur.Pending = cur.Pending[1:]
	require.NoError(t, st.Update(ctx(), cur))
	claimed, err = st.ClaimEffects(ctx(), now.Add(30*time.Second), now, time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, ids(claimed), "an update that leaves effects pending keeps the lease")

	// Acknowledging a's last effect frees it: a new effect is claimable at once.
	cur, err = st.Load(ctx(), "t1", "a")
	require.NoError(t, err)
	cur.Pending = nil
	require.NoError(t, st.Update(ctx(), cur))
	pend(cur, "a/2", now)
	require.NoError(t, st.Update(ctx(), cur))
	claimed, err = st.ClaimEffects(ctx(), now.Add(30*time.Second), now, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, ids(claimed), "the last acknowledgement ends the claim")

	// A lease that ran out (its deliverer died) frees the session.
	claimed, err = st.ClaimEffects(ctx(), now.Add(time.Minute+time.Second), now.Add(2*time.Minute), time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "late"}, ids(claimed), "b's lease ran out; late is now old enough")
	require.Len(t, claimed[0].Pending, 1)
	assert.Equal(t, "b/2", claimed[0].Pending[0].Key)

	// A session without pending effects is never claimed.
	cur, err = st.Load(ctx(), "t1", "none")
	require.NoError(t, err)
	cur.Rating = 3
	require.NoError(t, st.Update(ctx(), cur))
	claimed, err = st.ClaimEffects(ctx(), now.Add(time.Hour), now.Add(time.Hour), time.Minute, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "a", "late"}, ids(claimed), "limit 0 is no limit, oldest effect first; none has no effects")
}

// testConcurrentEffectClaims: deliverers that claim at once never receive
// the same session.
func testConcurrentEffectClaims(t *testing.T, st survey.Store) {
	const n = 40
	for i := range n {
		require.NoError(t, st.Create(ctx(), pend(NewSession("t1", fmt.Sprintf("s%02d", i), i), fmt.Sprintf("k%02d", i), base.Add(time.Duration(i)*time.Second))))
	}
	now := base.Add(time.Hour)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				got, err := st.ClaimEffects(ctx(), now, now, time.Minute, 3)
				if !assert.NoError(t, err) || len(got) == 0 {
					return
				}
				mu.Lock()
				for _, s := range got {
					seen[s.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, seen, n, "every session was claimed")
	for id, k := range seen {
		assert.Equal(t, 1, k, "%s was handed to two deliverers", id)
	}
}

// checkEffects runs the engine's durable-effect scenarios on stores made
// by fresh: what each call decided reaches the host through Deliver even
// when the host throws the result away, once per key, and a host that
// sends inline and acknowledges is never handed the same effect again.
func checkEffects(t *testing.T, fresh func(t *testing.T) survey.Store) {
	t.Run("AThrownAwaySweepStillDeliversItsRatingRequest", func(t *testing.T) { checkThrownAwaySweep(t, fresh(t)) })
	t.Run("ARatingOfOneOnTheRatingPageAlertsTheHost", func(t *testing.T) { checkRatingPageAlert(t, fresh(t)) })
	t.Run("SentInlineAndAcknowledgedIsNotDeliveredAgain", func(t *testing.T) { checkInlineAcknowledged(t, fresh(t)) })
	t.Run("AFailedSendKeepsTheEffectAndItsOrder", func(t *testing.T) { checkFailedSend(t, fresh(t)) })
	t.Run("AnEndedSurveyWithdrawsItsQuestionsNotItsAlerts", func(t *testing.T) { checkWithdrawn(t, fresh(t)) })
	t.Run("EffectsDecidedDuringADrainFollowInIt", func(t *testing.T) { checkDecidedDuringDrain(t, fresh(t)) })
	t.Run("RemindersAreDueOnceAndDeliveredOnceNeverAfterAnAnswer", func(t *testing.T) { checkReminders(t, fresh(t)) })
}

// checkDecidedDuringDrain: the contact answers while the drain is sending
// the rating request; what the answer decided goes out in the same drain,
// not a lease later.
func checkDecidedDuringDrain(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	_, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	var kinds []string
	res, err := e.Deliver(ctx, func(_ context.Context, f survey.Effect) error {
		kinds = append(kinds, f.Key[strings.IndexByte(f.Key, '/')+1:])
		if len(kinds) == 1 {
			_, err := e.HandleMessage(ctx, reply("maria", "m1", "4", time.Time{}))
			return err
		}
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"rating_request", "comment_request", "rated"}, kinds)
	assert.Equal(t, 3, res.Delivered)
}

// drainAll delivers every pending effect of e's store into a map of key →
// times handed out, and returns the effects in the order handed out.
func drainAll(t *testing.T, e *survey.Engine, got map[string]int) []survey.Effect {
	t.Helper()
	var out []survey.Effect
	_, err := e.Deliver(context.Background(), func(_ context.Context, f survey.Effect) error {
		got[f.Key]++
		out = append(out, f)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	return out
}

// checkThrownAwaySweep: a delayed survey's rating request goes out in a
// sweep whose result the host never sees (it died before sending); the
// next drain hands it out, the same message the sweep returned.
func checkThrownAwaySweep(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	delayed := deliverySurvey
	delayed.SendDelay = 10 * time.Minute
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{delayed}})
	require.NoError(t, err)
	res, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	require.Empty(t, res.Outbound, "scheduled")
	got := map[string]int{}
	assert.Empty(t, drainAll(t, e, got), "nothing decided yet")

	clock.Advance(11 * time.Minute)
	sweep, err := e.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, sweep.Outbound, 1)
	// The host dies here: sweep is thrown away.
	again, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{delayed}})
	require.NoError(t, err)
	delivered := drainAll(t, again, got)
	require.Len(t, delivered, 1)
	assert.Equal(t, sweep.Outbound[0], delivered[0].Message, "the very request the sweep returned")
	assert.Empty(t, drainAll(t, again, got), "acknowledged: handed out once")
	s, err := st.Load(ctx, "acme", sweep.Outbound[0].SessionID)
	require.NoError(t, err)
	assert.Empty(t, s.Pending)
}

// checkRatingPageAlert: a contact rates 1 and comments on the e-mailed
// rating page; the page returns nothing the host sees, and the drain
// delivers the low-score alert and then its comment follow-up.
func checkRatingPageAlert(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k", Secret: []byte("0123456789abcdef0123456789abcdef")})
	require.NoError(t, err)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{deliverySurvey},
		Links: signer, LinkURL: func(tok string) string { return "https://rate.example/?t=" + tok }})
	require.NoError(t, err)
	conv := surveytest.NewConversation("c1", "maria", clock.Now().Add(-10*time.Minute)).Tenant("acme").Channel("email").
		Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").ClosedAt(clock.Now())
	res, err := e.ConversationClosed(ctx, conv)
	require.NoError(t, err)
	require.Len(t, res.Outbound, 1)
	got := map[string]int{}
	drainAll(t, e, got) // the rating request

	s := res.Session
	token, err := signer.Sign("acme", s.ID, 5, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	_, err = e.ConfirmLinkAs(ctx, "acme", token, 1) // the page's result is dropped, as a page does
	require.NoError(t, err)
	_, err = e.CommentViaLink(ctx, "acme", token, "nadie me ayudó")
	require.NoError(t, err)
	var alerts []survey.Notification
	for _, f := range drainAll(t, e, got) {
		if !f.IsMessage() {
			alerts = append(alerts, f.Notification)
		}
	}
	require.Len(t, alerts, 3, "the alert, the agent's notice and the comment's follow-up")
	assert.Equal(t, survey.NotifyLowScore, alerts[0].Kind)
	assert.Equal(t, 1, alerts[0].Score)
	assert.Equal(t, []string{"lead"}, alerts[0].Recipients)
	assert.Equal(t, survey.NotifyRated, alerts[1].Kind)
	assert.Equal(t, survey.NotifyLowScoreComment, alerts[2].Kind)
	assert.Equal(t, "nadie me ayudó", alerts[2].Comment)
	assert.Equal(t, alerts[0].IdempotencyKey, alerts[2].Follows)
	for key, n := range got {
		assert.Equal(t, 1, n, "%s handed out once", key)
	}
}

// checkInlineAcknowledged: a host that sends what each call returns and
// acknowledges it is handed nothing by the drain; one that crashed before
// acknowledging is handed exactly what it had not acknowledged.
func checkInlineAcknowledged(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	res, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	require.NoError(t, e.Acknowledge(ctx, "acme", res.Session.ID, res.Keys()...))
	require.NoError(t, e.Acknowledge(ctx, "acme", res.Session.ID, res.Keys()...), "acknowledging twice is harmless")
	rated, err := e.HandleMessage(ctx, reply("maria", "m1", "1", time.Time{}))
	require.NoError(t, err)
	require.Len(t, rated.Notifications, 2)
	// Sent the comment request and the alert, then crashed before
	// acknowledging the agent's notice.
	require.NoError(t, e.Acknowledge(ctx, "acme", rated.Session.ID, rated.Outbound[0].IdempotencyKey, rated.Notifications[0].IdempotencyKey))
	got := map[string]int{}
	delivered := drainAll(t, e, got)
	require.Len(t, delivered, 1)
	assert.Equal(t, rated.Notifications[1], delivered[0].Notification, "only what was not acknowledged")
	assert.Empty(t, drainAll(t, e, got))
	assert.ErrorIs(t, e.Acknowledge(ctx, "acme", "no-such-session", "k"), survey.ErrNotFound)
}

// checkFailedSend: when the host's send fails, that effect and the ones
// after it stay pending, in order, and the next drain hands them out.
func checkFailedSend(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := deliveryEngine(t, st, clock, 0)
	closed, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	rated, err := e.HandleMessage(ctx, reply("maria", "m1", "1", time.Time{}))
	require.NoError(t, err)
	want := append(closed.Keys(), rated.Keys()...)
	var first []string
	res, err := e.Deliver(ctx, func(_ context.Context, f survey.Effect) error {
		if len(first) == 2 {
			return fmt.Errorf("channel down")
		}
		first = append(first, f.Key)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Delivered)
	assert.Equal(t, 1, res.Failed)
	assert.Equal(t, want[:2], first, "handed out in the order decided")
	clock.Advance(survey.DefaultDeliverLease) // the failed call's lease runs out
	var rest []string
	for _, f := range drainAll(t, e, map[string]int{}) {
		rest = append(rest, f.Key)
	}
	assert.Equal(t, want[2:], rest, "the failed effect and those after it, in order")
}

// checkWithdrawn: a survey that expires before its comment question was
// handed out withdraws the question, never the low-score alert.
func checkWithdrawn(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	var withdrawn int
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{deliverySurvey},
		Observer: survey.ObserverFunc(func(_ context.Context, ev survey.Event) {
			if ev.Kind == survey.EventWithdrawn {
				withdrawn += ev.Count
			}
		})})
	require.NoError(t, err)
	_, err = e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	rated, err := e.HandleMessage(ctx, reply("maria", "m1", "1", time.Time{}))
	require.NoError(t, err)
	clock.Advance(25 * time.Hour)
	sweep, err := e.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, sweep.Expired)
	assert.Equal(t, 2, withdrawn, "the rating request and the comment question were never delivered")
	var kinds []string
	for _, f := range drainAll(t, e, map[string]int{}) {
		if f.IsMessage() {
			kinds = append(kinds, string(f.Message.Kind))
		} else {
			kinds = append(kinds, string(f.Notification.Kind))
		}
	}
	sort.Strings(kinds)
	assert.Equal(t, []string{string(survey.NotifyLowScore), string(survey.NotifyRated)}, kinds,
		"the alerts of %s still go out", rated.Session.ID)
}
