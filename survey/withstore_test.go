package survey_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// TestWithStoreKeepsSessionsInTheGivenStoreAndSharesTheRest runs one
// engine on two stores: sessions go only to the store of the engine that
// handled the event, while the surveys, the tenants' surveys (set through
// either engine) and the clock are shared.
func TestWithStoreKeepsSessionsInTheGivenStoreAndSharesTheRest(t *testing.T) {
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	main, other := memory.New(), memory.New()
	e, err := survey.New(survey.Config{Store: main, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	o := e.WithStore(other)
	require.NotSame(t, e, o)
	assert.Same(t, e, e.WithStore(nil), "a nil store keeps the engine")

	conv := surveytest.NewConversation("c1", "maria", clock.Now()).Tenant("acme").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	res, err := o.ConversationClosed(ctx, conv)
	require.NoError(t, err)
	require.NotNil(t, res.Session)
	assert.Equal(t, clock.Now(), res.Session.CreatedAt, "the shared clock")
	_, err = other.Load(ctx, "acme", res.Session.ID)
	require.NoError(t, err)
	_, err = main.Load(ctx, "acme", res.Session.ID)
	assert.ErrorIs(t, err, survey.ErrNotFound)

	// The reply reaches the session only through the engine on its store.
	in := &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: conv.Channel, MessageID: "m1", Text: "5"}
	r, err := e.HandleMessage(ctx, in)
	require.NoError(t, err)
	assert.False(t, r.Consumed)
	r, err = o.HandleMessage(ctx, in)
	require.NoError(t, err)
	assert.True(t, r.Consumed)
	assert.True(t, r.Session.Rated)

	// Tenant surveys set on the first engine apply to the second, and back.
	require.NoError(t, e.SetTenantSurveys("beta", []survey.Definition{{ID: "nps", Scale: scoring.NPS10()}}))
	beta := surveytest.NewConversation("c2", "li", clock.Now()).Tenant("beta").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	res, err = o.ConversationClosed(ctx, beta)
	require.NoError(t, err)
	require.NotNil(t, res.Session)
	assert.Equal(t, "nps", res.Session.SurveyID)
	require.NoError(t, o.SetTenantSurveys("beta", nil))
	beta.ID = "c3"
	res, err = e.ConversationClosed(ctx, beta)
	require.NoError(t, err)
	require.NotNil(t, res.Session)
	assert.Equal(t, "csat", res.Session.SurveyID)
}
