package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// long reports whether the long variants run (SURVEYFLOW_LONG=1).
func long() bool { return os.Getenv("SURVEYFLOW_LONG") != "" }

// TestPostgresBackendsKilledMidRunFailCleanlyAndLoseNothing terminates the
// engine's backends with pg_terminate_backend while it serves
// conversations: before every third call the host asks a second
// connection to kill them, so the kill races with the call (it lands
// before, during or after it, commit included). Calls fail with an error
// (never a panic or a half-written session), the host retries them, and in
// the end every answer is recorded once and every message reached the
// host. Kills are counted, not timed, so the test's length does not depend
// on the machine's speed.
func TestPostgresBackendsKilledMidRunFailCleanlyAndLoseNothing(t *testing.T) {
	conversations := 150
	if long() {
		conversations = 500
	}
	ctx := context.Background()
	schema := newSchema(t)
	app := "surveyflow_kill_" + schema
	cfg, err := pgxpool.ParseConfig(serverURL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	st := must(postgres.New(pool))
	require.NoError(t, st.Migrate(ctx))
	admin := newPool(t, schema, 1)

	clock := surveytest.NewClock(relStart)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)

	var kills atomic.Int64
	kick := make(chan struct{}, 1)
	var killer sync.WaitGroup
	killer.Add(1)
	go func() {
		defer killer.Done()
		for range kick {
			var n int64
			err := admin.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE application_name = $1 AND pid <> pg_backend_pid()) k`, app).Scan(&n)
			if err == nil {
				kills.Add(n)
			}
		}
	}()

	failures := 0
	delivered := map[string]map[survey.MessageKind]bool{} // session → kinds the host got
	take := func(res *survey.Result) {
		for _, o := range append(res.Outbound, res.Replay...) {
			if delivered[o.SessionID] == nil {
				delivered[o.SessionID] = map[survey.MessageKind]bool{}
			}
			delivered[o.SessionID][o.Kind] = true
		}
	}
	calls := 0
	retry := func(what string, call func() (*survey.Result, error)) {
		for attempt := 0; ; attempt++ {
			if calls++; calls%3 == 0 {
				select {
				case kick <- struct{}{}:
				default: // a kill is still under way
				}
			}
			res, err := call()
			if err == nil {
				require.NotNil(t, res, what)
				take(res)
				return
			}
			failures++
			require.Nil(t, res, "%s: a failed call returns no result", what)
			require.NotEmpty(t, err.Error())
			require.Less(t, attempt, 500, "%s never succeeded: %v", what, err)
			time.Sleep(time.Millisecond)
		}
	}
	for i := 0; i < conversations; i++ {
		conv := &survey.Conversation{TenantID: "acme", ID: fmt.Sprintf("conv-%d", i), Channel: "whatsapp",
			Contact: survey.Contact{ID: fmt.Sprintf("contact-%d", i), Language: "en"}, ClosedAt: relStart}
		retry("close", func() (*survey.Result, error) { return e.ConversationClosed(ctx, conv) })
		if i%5 == 4 {
			continue // never answers
		}
		for j, text := range []string{fmt.Sprint(i%5 + 1), fmt.Sprintf("comment %d", i)} {
			in := &survey.Inbound{TenantID: "acme", ContactID: conv.Contact.ID, Channel: "whatsapp", MessageID: fmt.Sprintf("m%d.%d", i, j), Text: text}
			retry("reply", func() (*survey.Result, error) { return e.HandleMessage(ctx, in) })
		}
	}
	clock.Advance(25 * time.Hour)
	for sweeps := 0; ; sweeps++ {
		res, err := e.Sweep(ctx)
		if err == nil && res.Expired == 0 {
			break
		}
		require.Less(t, sweeps, 500, "sweep never finished: %v", err)
		if err != nil {
			failures++
			clock.Advance(6 * time.Minute) // claims of a failed sweep end with their lease
		}
	}
	close(kick)
	killer.Wait()

	sessions := allSessions(t, newPool(t, schema, 2), "acme")
	require.Len(t, sessions, conversations, "one session per conversation")
	for _, s := range sessions {
		var i int
		_, err := fmt.Sscanf(s.ConversationID, "conv-%d", &i)
		require.NoError(t, err)
		require.True(t, delivered[s.ID][survey.KindRatingRequest], "%s: rating request reached the host", s.ConversationID)
		if i%5 == 4 {
			assert.Equal(t, survey.StateExpired, s.State, s.ConversationID)
			assert.False(t, s.Rated, s.ConversationID)
			continue
		}
		assert.Equal(t, survey.StateCompleted, s.State, s.ConversationID)
		assert.Equal(t, i%5+1, s.Rating, s.ConversationID)
		assert.Equal(t, fmt.Sprintf("comment %d", i), s.Comment, s.ConversationID)
		assert.Equal(t, []string{fmt.Sprintf("m%d.0", i), fmt.Sprintf("m%d.1", i)}, s.MessageIDs(), "%s: each answer once", s.ConversationID)
		assert.True(t, delivered[s.ID][survey.KindCommentRequest], "%s: comment request reached the host", s.ConversationID)
		assert.True(t, delivered[s.ID][survey.KindThanks], "%s: thanks reached the host", s.ConversationID)
	}
	assert.Positive(t, kills.Load(), "backends were terminated")
	assert.Positive(t, failures, "calls failed and were retried")
	t.Logf("postgres: %d conversations, %d backends terminated, %d failed calls retried, answers lost: 0", conversations, kills.Load(), failures)
}
