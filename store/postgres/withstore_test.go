package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// TestEngineWithStoreOnAHostTransaction closes a conversation with the
// engine on a store made for the host's pgx.Tx: a rollback leaves no
// session, a commit keeps it, and the reply then reaches it through the
// engine on the pool.
func TestEngineWithStoreOnAHostTransaction(t *testing.T) {
	st, pool := newStore(t)
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	engine, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)

	for _, commit := range []bool{false, true} {
		conv := surveytest.NewConversation("conv-rollback", "maria", clock.Now()).Tenant("acme").
			Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
		if commit {
			conv.ID = "conv-commit"
		}
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		res, err := engine.WithStore(must(postgres.New(tx))).ConversationClosed(ctx, conv)
		require.NoError(t, err)
		require.NotNil(t, res.Session)
		if !commit {
			require.NoError(t, tx.Rollback(ctx))
			_, err = st.Load(ctx, "acme", res.Session.ID)
			assert.ErrorIs(t, err, survey.ErrNotFound)
			continue
		}
		require.NoError(t, tx.Commit(ctx))
		reply, err := engine.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: conv.Channel, MessageID: "m1", Text: "4"})
		require.NoError(t, err)
		require.True(t, reply.Consumed)
		assert.Equal(t, res.Session.ID, reply.Session.ID)
		assert.Equal(t, 4, reply.Session.Rating)
	}
}
