package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// sent records every outbound message of every engine by idempotency key.
type sent struct {
	mu    sync.Mutex
	byKey map[string]int
	kinds map[survey.MessageKind]int
}

func (s *sent) add(res *survey.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range res.Outbound {
		s.byKey[m.IdempotencyKey]++
		s.kinds[m.Kind]++
	}
}

// TestFourEnginesOnFourPoolsLoseNoAnswerAndSendNothingTwice runs four
// engines, each on its own pool (four backend instances), over the same
// conversations at once: every close event, every contact message and
// every sweep is delivered to all four.
func TestFourEnginesOnFourPoolsLoseNoAnswerAndSendNothingTwice(t *testing.T) {
	const instances, conversations, answered = 4, 40, 30
	schema := newSchema(t)
	clock := surveytest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	engines := make([]*survey.Engine, instances)
	var wg sync.WaitGroup
	for i := range engines {
		st := must(postgres.New(newPool(t, schema, 4)))
		wg.Add(1)
		go func() { // the instances start (and migrate) at once
			defer wg.Done()
			assert.NoError(t, st.Migrate(context.Background()))
		}()
		e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
		require.NoError(t, err)
		engines[i] = e
	}
	wg.Wait()

	convs := make([]*survey.Conversation, conversations)
	for i := range convs {
		convs[i] = surveytest.NewConversation(fmt.Sprintf("conv-%02d", i), fmt.Sprintf("contact-%02d", i), clock.Now()).
			Tenant("acme").Language("es").Agent("ana", "Ana", survey.Human, "support").
			ContactSays("hola").AgentSays("ana", "listo").Closed()
	}
	out := &sent{byKey: map[string]int{}, kinds: map[survey.MessageKind]int{}}

	// everywhere runs step(engine, i) for every conversation on every
	// engine at once, each engine going through the conversations in its
	// own order, and waits for all of them.
	everywhere := func(step func(e *survey.Engine, i int)) {
		var wg sync.WaitGroup
		for n, e := range engines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range convs {
					step(e, (k*(2*n+1)+n)%conversations)
				}
			}()
		}
		wg.Wait()
	}
	ctx := context.Background()

	everywhere(func(e *survey.Engine, i int) {
		res, err := e.ConversationClosed(ctx, convs[i])
		if assert.NoError(t, err) {
			assert.True(t, res.Decision.Eligible, "%s: %s", convs[i].ID, res.Decision)
			out.add(res)
		}
	})
	assert.Equal(t, conversations, out.kinds[survey.KindRatingRequest], "one rating request per conversation")

	applied := map[string]int{} // message ID → deliveries that applied it
	var appliedMu sync.Mutex
	deliver := func(e *survey.Engine, i int, msgID, text string) {
		res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: convs[i].Contact.ID, Channel: "whatsapp", MessageID: msgID, Text: text})
		if !assert.NoError(t, err) {
			return
		}
		out.add(res)
		if res.Consumed && !res.Duplicate {
			appliedMu.Lock()
			applied[msgID]++
			appliedMu.Unlock()
		}
	}
	rating := func(i int) int { return i%5 + 1 }
	comment := func(i int) string { return fmt.Sprintf("conversation %d: fast, \"kind\"", i) }
	everywhere(func(e *survey.Engine, i int) {
		if i < answered {
			deliver(e, i, fmt.Sprintf("wamid.%02d.1", i), fmt.Sprint(rating(i)))
		}
	})
	everywhere(func(e *survey.Engine, i int) {
		if i < answered {
			deliver(e, i, fmt.Sprintf("wamid.%02d.2", i), comment(i))
		}
	})

	clock.Advance(24*time.Hour + time.Second)
	expired := make([]int, instances)
	wg = sync.WaitGroup{}
	for n, e := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.Sweep(ctx)
			if assert.NoError(t, err) {
				expired[n] = res.Expired
				out.add(&survey.Result{Outbound: res.Outbound})
			}
		}()
	}
	wg.Wait()

	// Nothing was sent twice, and everything that should be sent was.
	for key, n := range out.byKey {
		assert.Equal(t, 1, n, "message %s sent once", key)
	}
	assert.Equal(t, map[survey.MessageKind]int{
		survey.KindRatingRequest:  conversations,
		survey.KindCommentRequest: answered,
		survey.KindThanks:         answered,
	}, out.kinds)
	total := 0
	for _, n := range expired {
		total += n
	}
	assert.Equal(t, conversations-answered, total, "each unanswered survey expired by exactly one instance")

	// No answer was lost or applied twice.
	for i := 0; i < answered; i++ {
		for _, id := range []string{fmt.Sprintf("wamid.%02d.1", i), fmt.Sprintf("wamid.%02d.2", i)} {
			assert.Equal(t, 1, applied[id], "message %s applied by exactly one delivery", id)
		}
	}
	sessions := allSessions(t, newPool(t, schema, 2), "acme")
	require.Len(t, sessions, conversations, "one session per conversation")
	for _, s := range sessions {
		var i int
		_, err := fmt.Sscanf(s.ConversationID, "conv-%d", &i)
		require.NoError(t, err)
		if i < answered {
			assert.Equal(t, survey.StateCompleted, s.State, s.ConversationID)
			assert.Equal(t, rating(i), s.Rating, s.ConversationID)
			assert.Equal(t, comment(i), s.Comment, s.ConversationID)
			assert.Equal(t, []string{fmt.Sprintf("wamid.%02d.1", i), fmt.Sprintf("wamid.%02d.2", i)}, s.MessageIDs(), s.ConversationID)
			assert.Equal(t, int64(3), s.Version, "%s: created, rated, commented: three writes", s.ConversationID)
		} else {
			assert.Equal(t, survey.StateExpired, s.State, s.ConversationID)
			assert.False(t, s.Rated, s.ConversationID)
			assert.Equal(t, int64(2), s.Version, "%s: created, expired", s.ConversationID)
		}
	}
}

// TestFourSweepersOnFourPoolsClaimEachSessionOnce: instances that sweep
// through ClaimDue take disjoint sessions, so no due session (a delayed
// send or an expiry) is processed twice and no work is wasted on losing
// writes.
func TestFourSweepersOnFourPoolsClaimEachSessionOnce(t *testing.T) {
	const instances, due = 4, 200
	schema := newSchema(t)
	stores := make([]*postgres.Store, instances)
	for i := range stores {
		stores[i] = must(postgres.New(newPool(t, schema, 2)))
	}
	ctx := context.Background()
	require.NoError(t, stores[0].Migrate(ctx))
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	for i := 0; i < due; i++ {
		s := &survey.Session{TenantID: "acme", ID: fmt.Sprintf("s%03d", i), SurveyID: "csat",
			ConversationID: fmt.Sprintf("c%03d", i), ContactID: "x", Channel: "whatsapp",
			State: survey.StateAwaitingRating, CreatedAt: now, Deadline: now.Add(-time.Duration(i+1) * time.Second)}
		require.NoError(t, stores[0].Create(ctx, s))
	}

	var mu sync.Mutex
	processed := map[string]int{}
	stale := 0
	var wg sync.WaitGroup
	for _, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				batch, err := st.ClaimDue(ctx, now, time.Minute, 16)
				if !assert.NoError(t, err) || len(batch) == 0 {
					return
				}
				for _, s := range batch {
					s.State, s.Deadline, s.EndedAt = survey.StateExpired, time.Time{}, now
					err := st.Update(ctx, s)
					mu.Lock()
					if err == nil {
						processed[s.ID]++
					} else {
						stale++
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	assert.Len(t, processed, due, "every due session processed")
	for id, n := range processed {
		assert.Equal(t, 1, n, "%s processed once", id)
	}
	assert.Zero(t, stale, "claims are disjoint: no sweeper lost a write")
}
