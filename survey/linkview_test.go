package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// The page a link opens asks the e-mail's question, names the company and
// the conversation, and once the link can no longer rate still says where
// the session stands, in the contact's language.
func TestOpenLinkShowsTheEmailsQuestionAndTheSessionAfterTheRating(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{
		Store: memory.New(), Clock: clock, Surveys: []survey.Definition{{ID: "csat", Company: "Acme"}},
		Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
	})
	require.NoError(t, err)
	ctx := context.Background()
	res, err := e.ConversationClosed(ctx, &survey.Conversation{
		TenantID: "acme", ID: "conv-7", Channel: "email", Contact: survey.Contact{ID: "m", Language: "de-AT"},
	})
	require.NoError(t, err)
	toks := tokens(t, res.Outbound[0].HTML)

	view, err := e.OpenLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, "Acme", view.Company)
	assert.Equal(t, "conv-7", view.Session.ConversationID)
	assert.Equal(t, "de", view.Language)
	assert.Contains(t, res.Outbound[0].HTML, view.Prompt, "the e-mail's question")
	assert.Empty(t, view.FollowUp)

	_, err = e.ConfirmLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	view, err = e.OpenLink(ctx, "acme", toks[0])
	assert.ErrorIs(t, err, survey.ErrLinkUsed)
	require.NotNil(t, view, "a used link still shows where the session stands")
	assert.Equal(t, "de", view.Language)
	assert.Equal(t, survey.StateAwaitingComment, view.Session.State)
	assert.NotEmpty(t, view.FollowUp)
	assert.Empty(t, view.Thanks)

	_, err = e.CommentViaLink(ctx, "acme", toks[3], "Gut")
	require.NoError(t, err)
	view, err = e.OpenLink(ctx, "acme", toks[3])
	assert.ErrorIs(t, err, survey.ErrLinkUsed)
	require.NotNil(t, view)
	assert.NotEmpty(t, view.Thanks)
	assert.Empty(t, view.FollowUp)

	clock.Advance(30 * 24 * time.Hour)
	view, err = e.OpenLink(ctx, "acme", toks[3])
	assert.ErrorIs(t, err, survey.ErrLinkExpired)
	require.NotNil(t, view, "an expired but genuine link still names the contact's language")
	assert.Equal(t, "de", view.Language)

	tampered := []byte(toks[3])
	tampered[len(tampered)/2] ^= 1
	view, err = e.OpenLink(ctx, "acme", string(tampered))
	assert.ErrorIs(t, err, survey.ErrLinkForged)
	assert.Nil(t, view, "a forged link reveals nothing")
	view, err = e.OpenLink(ctx, "globex", toks[3])
	assert.Error(t, err)
	assert.Nil(t, view, "another tenant's link reveals nothing")
}
