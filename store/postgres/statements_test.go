package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// TestStatementsPerSurveyStep counts the statements (round trips) the
// engine sends to PostgreSQL for each step of a whole survey, so that a
// change adding a round trip to the hot path shows up here:
//
//   - close: ConversationSessions (is this close a repeat, and was the
//     conversation rated before it closed?), Awaiting (a survey of another
//     conversation to supersede) and Create;
//   - rating and comment, on the engine that wrote the session last:
//     UpdateRouted, one statement (Config.RememberSessions);
//   - on an engine that did not: Route and Update;
//   - on an engine whose copy another engine made stale: the refused
//     UpdateRouted and its check that the session exists, then Route and
//     Update.
func TestStatementsPerSurveyStep(t *testing.T) {
	schema := newSchema(t)
	counter := &queryCounter{}
	cfg, err := pgxpool.ParseConfig(serverURL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	st := must(postgres.New(pool))
	ctx := context.Background()
	require.NoError(t, st.Migrate(ctx))
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	other, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	reply := func(e *survey.Engine, contact, id, text string) func() (*survey.Result, error) {
		return func() (*survey.Result, error) {
			return e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: contact, Channel: "whatsapp", MessageID: id, Text: text})
		}
	}

	conv := surveytest.NewConversation("c1", "maria", clock.Now()).Tenant("acme").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	conv2 := surveytest.NewConversation("c2", "pedro", clock.Now()).Tenant("acme").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	require.Equal(t, "whatsapp", conv.Channel)
	steps := []struct {
		name string
		want int64
		run  func() (*survey.Result, error)
	}{
		{"close", 3, func() (*survey.Result, error) { return e.ConversationClosed(ctx, conv) }},
		{"rating", 1, reply(e, "maria", "m1", "5")},
		{"comment", 1, reply(e, "maria", "m2", "Muy amable")},
		{"second close", 3, func() (*survey.Result, error) { return e.ConversationClosed(ctx, conv2) }},
		{"rating on another engine", 2, reply(other, "pedro", "p1", "4")},
		{"comment on the engine whose copy is stale", 4, reply(e, "pedro", "p2", "Bien")},
	}
	for _, step := range steps {
		clock.Advance(time.Minute)
		counter.n.Store(0)
		res, err := step.run()
		require.NoError(t, err, step.name)
		require.Len(t, res.Outbound, 1, step.name)
		assert.Equal(t, step.want, counter.n.Load(), "statements for the %s", step.name)
	}
	s, err := st.Route(ctx, "acme", "maria", conv.Channel, "m2")
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, s.State)
	assert.Equal(t, 5, s.Rating)
	assert.Equal(t, "Muy amable", s.Comment)
	s, err = st.Route(ctx, "acme", "pedro", conv.Channel, "p2")
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, s.State)
	assert.Equal(t, 4, s.Rating, "the other engine's rating stands")
	assert.Equal(t, "Bien", s.Comment)
}
