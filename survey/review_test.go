package survey_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// A supervisor reviews a conversation that was never surveyed (a frequency
// cap left it out); the review is listed, never counted as a response, and
// the contact's survey of another conversation still takes the reply.
func TestASupervisorReviewsAConversationThatWasNeverSurveyed(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", NotifyAgents: true})
	ctx := context.Background()
	surveyed := h.Close(eligibleChat(h, "c1", "maria", "en"))
	require.NotNil(t, surveyed.Session)
	h.Advance(time.Hour)
	unsurveyed := surveytest.NewConversation("c2", "maria", h.Clock.Now()).ContactName("María").
		Agent("bo", "Bo", survey.Human, "billing").Agent("bot", "Helper", survey.Bot).
		ContactSays("hi").AgentSays("bo", "hello").AgentSays("bot", "bye").Closed()
	unsurveyed.Assignee = "bo"

	r, err := h.Engine.Review(ctx, survey.ReviewInput{TenantID: "tenant", Conversation: unsurveyed, ReviewerID: "sup", Score: 2, Comment: "curt"})
	require.NoError(t, err)
	s := r.Session
	assert.Equal(t, survey.StateNotSurveyed, s.State)
	assert.True(t, s.State.Final(), "it never blocks a survey of the conversation")
	assert.False(t, s.Rated)
	assert.Empty(t, s.ContactID, "invisible to the contact's surveys")
	assert.Equal(t, "María", s.ContactName)
	assert.Equal(t, "c2", s.ConversationID)
	assert.Equal(t, "bo", s.Assignee)
	assert.Equal(t, "bo", s.LastAgent, "the last human agent who replied, not the bot")
	require.Len(t, r.Notifications, 1)
	assert.Equal(t, []string{"bo"}, r.Notifications[0].Recipients)

	again, err := h.Engine.Review(ctx, survey.ReviewInput{TenantID: "tenant", Conversation: unsurveyed, ReviewerID: "sup2", Score: 4})
	require.NoError(t, err)
	assert.Equal(t, s.ID, again.Session.ID, "a second review replaces the first")
	assert.Equal(t, 4, again.Session.Review.Score)

	// The contact's reply still answers the survey of c1.
	reply := h.Reply("tenant", "maria", "whatsapp", "5")
	assert.True(t, reply.Consumed)
	assert.Equal(t, surveyed.Session.ID, reply.Session.ID)

	// Reviewing c1 by its conversation finds its survey session.
	byConv, err := h.Engine.Review(ctx, survey.ReviewInput{TenantID: "tenant", Conversation: eligibleChatAt(h, "c1"), ReviewerID: "sup", Score: 3})
	require.NoError(t, err)
	assert.Equal(t, surveyed.Session.ID, byConv.Session.ID)
	assert.Equal(t, 5, byConv.Session.Rating)

	var listed []string
	for s, err := range report.All(ctx, h.Store.(report.Source), "tenant", report.Filter{Review: &report.Range{Min: 1, Max: 5}}) {
		require.NoError(t, err)
		listed = append(listed, s.ConversationID)
	}
	assert.ElementsMatch(t, []string{"c1", "c2"}, listed, "both reviews are in the registry")
	rep, err := report.Build(ctx, h.Store.(report.Source), "tenant", report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Overall.Count(), "a review alone is not a response")
}

func TestReviewsOfConversationsRefuseBadInput(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", Channels: []string{"whatsapp"}})
	ctx := context.Background()
	conv := surveytest.NewConversation("c9", "u9", h.Clock.Now()).Closed()
	for name, in := range map[string]survey.ReviewInput{
		"neither session nor conversation": {TenantID: "tenant", ReviewerID: "sup", Score: 3},
		"another tenant's conversation":    {TenantID: "other", Conversation: conv, ReviewerID: "sup", Score: 3},
		"off the scale":                    {TenantID: "tenant", Conversation: conv, ReviewerID: "sup", Score: 0},
		"no contact":                       {TenantID: "tenant", Conversation: &survey.Conversation{TenantID: "tenant", ID: "x"}, ReviewerID: "sup", Score: 3},
	} {
		_, err := h.Engine.Review(ctx, in)
		assert.ErrorIs(t, err, survey.ErrInvalidInput, name)
	}
	email := surveytest.NewConversation("c8", "u8", h.Clock.Now()).Channel("email").Closed()
	_, err := h.Engine.Review(ctx, survey.ReviewInput{TenantID: "tenant", Conversation: email, ReviewerID: "sup", Score: 3})
	assert.ErrorIs(t, err, survey.ErrUnknownSurvey, "no survey for the channel: no scale to review on")
	_, err = h.Engine.Review(ctx, survey.ReviewInput{TenantID: "tenant", Conversation: email, SurveyID: "csat", ReviewerID: "sup", Score: 3})
	assert.NoError(t, err, "naming the survey picks its scale")
}

// eligibleChatAt is the conversation id of maria without moving the clock.
func eligibleChatAt(h *surveytest.Harness, id string) *survey.Conversation {
	return surveytest.NewConversation(id, "maria", h.Clock.Now()).Closed()
}

// Closing records the assignee and the last human agent who replied.
func TestCloseRecordsTheAssigneeAndTheLastHumanReply(t *testing.T) {
	h := surveytest.New(t, sirena())
	conv := eligibleChat(h, "c1", "maria", "en")
	conv.Assignee = "carla"
	res := h.Close(conv)
	require.NotNil(t, res.Session)
	assert.Equal(t, "carla", res.Session.Assignee)
	assert.Equal(t, "ana", res.Session.LastAgent, "ana wrote last among the humans (the bot wrote before her)")
	stored := h.Session("tenant", res.Session.ID)
	assert.Equal(t, "carla", stored.Assignee)
	assert.Equal(t, "ana", stored.LastAgent)
}
