package sqlite_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

// TestASurveyStartedWithAnInvalidUTF8TenantCanBeAnsweredOrIsRefused: the
// session document is JSON, which turns invalid UTF-8 into U+FFFD, so the
// loaded session's TenantID no longer matches its row and every reply
// fails with "session not found" for good. The engine must refuse the ID
// at the start instead.
func TestASurveyStartedWithAnInvalidUTF8TenantCanBeAnsweredOrIsRefused(t *testing.T) {
	e, err := survey.New(survey.Config{Store: newStore(t, openFile(t)), Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	ctx := context.Background()
	tenant := "t\xff"
	_, err = e.ConversationClosed(ctx, &survey.Conversation{TenantID: tenant, ID: "c", Channel: "w", Contact: survey.Contact{ID: "u"}})
	if err != nil {
		assert.ErrorIs(t, err, survey.ErrInvalidInput)
		return
	}
	res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: tenant, ContactID: "u", Channel: "w", MessageID: "m", Text: "5"})
	require.NoError(t, err, "the survey the engine started can be answered")
	assert.True(t, res.Consumed)
}
