package survey_test

// Engine behaviour that no store can change: the decision is taken before
// anything is stored. These scenarios ran on every store in the
// conformance suite (store/storetest) and moved here, on the memory store.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// A public conversation (a post anyone can read) is never
// surveyed, whatever the rules say.
func TestPublicConversationsAreNeverSurveyed(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	e := pureEngine(t, st, clock, survey.Definition{ID: "csat"})
	conv := pureClosed("post-1", "maria", clock.Now())
	conv.Public = true
	res, err := e.ConversationClosed(ctx, conv)
	require.NoError(t, err)
	assert.Equal(t, []string{survey.CodePublicConversation}, pureFailureCodes(res.Decision))
	assert.Nil(t, res.Session)
	list, err := st.ConversationSessions(ctx, "acme", conv.ID)
	require.NoError(t, err)
	assert.Empty(t, list)
}

// "human agents only" is about who resolved the
// conversation, not who wrote in it.
func TestOnlyConversationsAHumanResolvedAreSurveyed(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	e := pureEngine(t, st, clock, survey.Definition{ID: "csat", Rules: []survey.Rule{eligibility.ResolvedBy(eligibility.HumanOnly)}})
	byBot := surveytest.NewConversation("c1", "maria", clock.Now()).Tenant("acme").
		Agent("ana", "Ana", survey.Human).Agent("bot", "Bot", survey.Bot).
		ContactSays("hola").AgentSays("ana", "hola").ClosedAt(clock.Now())
	byBot.ResolvedBy = "bot"
	res, err := e.ConversationClosed(ctx, byBot)
	require.NoError(t, err)
	assert.Equal(t, []string{eligibility.CodeNotResolvedByAgent}, pureFailureCodes(res.Decision), "a bot resolved it, though a human wrote in it")

	byHuman := *byBot
	byHuman.ID, byHuman.ResolvedBy = "c2", "ana"
	res, err = e.ConversationClosed(ctx, &byHuman)
	require.NoError(t, err)
	assert.True(t, res.Decision.Eligible)
}

// pureEngine returns an engine on st with the one survey sv.
func pureEngine(t *testing.T, st survey.Store, clock survey.Clock, sv survey.Definition) *survey.Engine {
	t.Helper()
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{sv}})
	require.NoError(t, err)
	return e
}

// pureClosed is a conversation of tenant acme that agent ana closed.
func pureClosed(id, contact string, closedAt time.Time) *survey.Conversation {
	return surveytest.NewConversation(id, contact, closedAt.Add(-10*time.Minute)).Tenant("acme").
		Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").ClosedAt(closedAt)
}

// pureFailureCodes lists the codes of the rules a decision failed.
func pureFailureCodes(d survey.Decision) []string {
	var codes []string
	for _, f := range d.Failures {
		codes = append(codes, f.Code)
	}
	return codes
}
