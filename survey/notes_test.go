package survey_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// A conversation in which the agents wrote only internal notes was never
// answered: the default rules refuse it and name the rule.
func TestInternalNotesOnlyIsNotSurveyedByTheDefaultRules(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", Rules: eligibility.AnsweredLongAndRecent()})
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).
		Agent("ana", "Ana", survey.Human).
		ContactSays("my parcel never arrived, can somebody look at it please?").
		AgentNotes("ana", surveytest.Padding(400)).
		AgentNotes("ana", "escalated to the carrier").
		Closed()
	h.Clock.Set(conv.ClosedAt)
	res := h.Close(conv)
	require.False(t, res.Decision.Eligible)
	rules := map[string]string{}
	for _, f := range res.Decision.Failures {
		rules[f.Rule] = f.Code
	}
	assert.Equal(t, eligibility.CodeNotAnswered, rules["answered_by_agent"], "the failing rule is named: %v", res.Decision.Failures)
	assert.Equal(t, eligibility.CodeTranscriptShort, rules["transcript_longer_than"], "the notes' 400 characters are not transcript")
	assert.Nil(t, res.Session)
}

// A note's author took part (credited under "every agent who took part")
// but is never the last agent who replied, nor the {agent} the contact is
// asked about.
func TestInternalNoteAuthorTakesPartButDidNotReply(t *testing.T) {
	def := survey.Definition{ID: "csat", Languages: []string{"en"},
		Overrides: map[string]map[i18n.Key]string{"en": {i18n.KeyRatingPrompt: "How did {agent} do?"}}}
	h := surveytest.New(t, def)
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).
		Agent("bo", "Bo", survey.Human).
		Agent("ana", "Ana", survey.Human).
		ContactSays("hello").
		AgentSays("bo", "here is your refund").
		AgentNotes("ana", "bo, check the refund policy first").
		Closed()
	h.Clock.Set(conv.ClosedAt)
	res := h.Close(conv)
	require.NotNil(t, res.Session)
	assert.Equal(t, "bo", res.Session.LastAgent, "a note is no reply")
	var ids []string
	for _, a := range res.Session.Agents {
		ids = append(ids, a.ID)
	}
	assert.ElementsMatch(t, []string{"bo", "ana"}, ids, "the note's author took part")
	require.Len(t, res.Outbound, 1)
	assert.Contains(t, res.Outbound[0].Prompt, "How did Bo do?", "the contact is asked about the agent who answered")
}

// A contact cannot write an internal note.
func TestInternalNoteFromTheContactIsRefused(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).ContactSays("hi").Closed()
	conv.Messages[0].Internal = true
	_, err := h.Engine.ConversationClosed(context.Background(), conv)
	require.Error(t, err)
	assert.True(t, errors.Is(err, survey.ErrInvalidInput))
	assert.Contains(t, err.Error(), "internal note")
}
