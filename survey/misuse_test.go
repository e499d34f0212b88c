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

// A mapping bug in a host's channel adapter (a kind, a sender or a channel
// it does not fill in) is an error wrapping ErrInvalidInput, never a
// silent "not eligible" that switches surveys off.
func TestAdapterMappingBugsAreInvalidInputNotIneligible(t *testing.T) {
	h := surveytest.New(t, sirena())
	ctx := context.Background()
	good := func() *survey.Conversation { return eligibleChat(h, "c1", "maria", "es") }
	for name, spoil := range map[string]func(*survey.Conversation){
		"participant kind empty":   func(c *survey.Conversation) { c.Participants[0].Kind = "" },
		"participant kind unknown": func(c *survey.Conversation) { c.Participants[0].Kind = "agent" },
		"sender empty":             func(c *survey.Conversation) { c.Messages[0].From = "" },
		"sender unknown":           func(c *survey.Conversation) { c.Messages[1].From = "bot" },
		"channel empty":            func(c *survey.Conversation) { c.Channel = "" },
	} {
		conv := good()
		spoil(conv)
		for call, run := range map[string]func() error{
			"close":   func() error { _, err := h.Engine.ConversationClosed(ctx, conv); return err },
			"request": func() error { _, err := h.Engine.RequestSurvey(ctx, conv, survey.Request{}); return err },
			"reopen":  func() error { _, err := h.Engine.ConversationReopened(ctx, conv); return err },
		} {
			assert.ErrorIs(t, run(), survey.ErrInvalidInput, "%s: %s", call, name)
		}
	}
	res := h.Close(good())
	assert.True(t, res.Decision.Eligible, "the same conversation, mapped right, is surveyed")
}

func TestNilHandlesAreRefusedWhereTheyAreMade(t *testing.T) {
	var typedNil *memory.Store
	for name, st := range map[string]survey.Store{"nil": nil, "typed nil": typedNil} {
		_, err := survey.New(survey.Config{Store: st})
		assert.ErrorIs(t, err, survey.ErrInvalidInput, name)
	}
	_, err := survey.New(survey.Config{Store: memory.New(), MaxClockSkew: -time.Second})
	assert.ErrorIs(t, err, survey.ErrInvalidInput, "a negative skew")

	h := surveytest.New(t, sirena())
	assert.Same(t, h.Engine, h.Engine.WithStore(typedNil), "WithStore(typed nil) keeps the engine's own store")
	//lint:ignore SA1012 a nil context is the misuse under test
	_, err = h.Engine.HandleMessage(nil, &survey.Inbound{TenantID: "t", ContactID: "m", Channel: "whatsapp", MessageID: "1"}) //nolint:staticcheck
	assert.ErrorIs(t, err, survey.ErrInvalidInput, "a nil context")
}

// An e-mailed link stays good as long as the survey can still be rated:
// a re-prompt extends the question past its first deadline, and the link
// follows.
func TestEmailedLinksLiveAsLongAsTheSurveyAfterARePrompt(t *testing.T) {
	clock, e, res := linkHarness(t)
	ctx := context.Background()
	toks := tokens(t, res.Outbound[0].HTML)

	clock.Advance(23 * time.Hour)
	re, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "m", Channel: "email", MessageID: "e1", Text: "which link?"})
	require.NoError(t, err)
	require.Equal(t, []survey.MessageKind{survey.KindReprompt}, kinds(re.Outbound), "a reply with no score is re-prompted")

	clock.Advance(10 * time.Hour) // 33 h after the send: past the first question's 24 h
	view, err := e.OpenLink(ctx, "acme", toks[3])
	require.NoError(t, err, "the re-prompted survey still takes its rating")
	assert.Equal(t, 4, view.Selected)
	done, err := e.ConfirmLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, 4, done.Session.Rating)
}

// On the rating page, within the survey's change window, confirming
// another option changes the rating; after the window the link is used up.
func TestTheRatingPageChangesARatingWithinTheWindow(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{
		Store: memory.New(), Clock: clock, Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
		Surveys: []survey.Definition{{ID: "csat", SkipComment: true, ChangeWindow: 14 * 24 * time.Hour}},
	})
	require.NoError(t, err)
	ctx := context.Background()
	res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "email", Contact: survey.Contact{ID: "m", Language: "en"}})
	require.NoError(t, err)
	toks := tokens(t, res.Outbound[0].HTML)

	_, err = e.ConfirmLink(ctx, "acme", toks[1])
	require.NoError(t, err)
	clock.Advance(5 * 24 * time.Hour)
	view, err := e.OpenLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, 2, view.Current, "the page shows the rating given")
	changed, err := e.ConfirmLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, 4, changed.Session.Rating)
	require.Len(t, changed.Session.RatingChanges(), 1)
	assert.Equal(t, survey.RatingChange{MessageID: changed.Session.RatingChanges()[0].MessageID, From: 2, To: 4, At: clock.Now()}, changed.Session.RatingChanges()[0])

	clock.Advance(10 * 24 * time.Hour)
	_, err = e.ConfirmLink(ctx, "acme", toks[0])
	assert.ErrorIs(t, err, survey.ErrLinkExpired, "after the window the links expire with it: the rating is final")
}

func TestFlowDiagramDrawsATenantsOwnSurveys(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	require.NoError(t, h.Engine.SetTenantSurveys("acme", []survey.Definition{{ID: "why", Reasons: survey.DefaultReasons(1, 2)}}))
	diagram, err := h.Engine.FlowDiagram("acme", "why")
	require.NoError(t, err)
	assert.Contains(t, diagram, "awaiting_rating --> awaiting_reason: ask_reason", "the tenant's own survey, with its reason question")
	_, err = h.Engine.FlowDiagram("acme", "csat")
	assert.ErrorIs(t, err, survey.ErrUnknownSurvey, "a tenant with surveys of its own does not see the defaults")
	plain, err := h.Engine.FlowDiagram("other", "csat")
	require.NoError(t, err)
	assert.NotContains(t, plain, "awaiting_reason")
}
