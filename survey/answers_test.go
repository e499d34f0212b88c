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

// changing is a survey that asks a reason after 1 or 2 and lets the
// rating change for two weeks.
func changing() survey.Definition {
	return survey.Definition{ID: "csat", Reasons: survey.DefaultReasons(1, 2), ChangeWindow: 14 * 24 * time.Hour}
}

// The reason question is numbered: with a change window open, the number
// of a reason answers the question asked, it does not change the rating
// (nor is it swallowed when it equals the rating).
func TestAReasonsNumberIsTheReasonNotARatingChange(t *testing.T) {
	for _, tc := range []struct {
		number string
		reason string
	}{{"1", "slow"}, {"2", "not_solved"}} {
		h := surveytest.New(t, changing())
		h.Close(h.Conversation("c-"+tc.number, "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed())
		rated := h.Says("maria", "2")
		require.Equal(t, survey.StateAwaitingReason, rated.Session.State)
		why := h.Says("maria", tc.number)
		require.True(t, why.Consumed)
		require.NotNil(t, why.Session, "reason %s", tc.number)
		assert.Equal(t, tc.reason, why.Session.Reason, "reason %s", tc.number)
		assert.Equal(t, 2, why.Session.Rating, "reason %s: the rating stays", tc.number)
		assert.Empty(t, why.Session.RatingChanges(), "reason %s", tc.number)
		assert.Equal(t, survey.StateAwaitingComment, why.Session.State, "reason %s", tc.number)
	}
}

// A conversation reopened after its survey was answered, and after an
// agent requested another survey of it, closes again as a new close.
func TestReopenAfterAManualSurveyMakesTheNextCloseNew(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SkipComment: true, Resurvey: survey.ResurveyEachResolution})
	ctx := context.Background()
	conv := func() *survey.Conversation {
		return h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed()
	}
	first := h.Close(conv())
	require.NotNil(t, first.Session)
	h.Says("maria", "5")
	h.Advance(time.Hour)
	manual, err := h.Engine.RequestSurvey(ctx, conv(), survey.Request{RequestedBy: "ana"})
	require.NoError(t, err)
	require.NotNil(t, manual.Session)
	h.Says("maria", "4")

	h.Advance(time.Hour)
	_, err = h.Engine.ConversationReopened(ctx, conv())
	require.NoError(t, err)
	h.Advance(time.Hour)
	again := h.Close(conv())
	assert.False(t, again.Duplicate, "the close after the reopen is not the first close repeated")
	require.NotNil(t, again.Session)
	assert.NotEqual(t, first.Session.ID, again.Session.ID)
}

// A survey cancelled because its conversation reopened never takes a
// message of the live chat, not even a bare number as a rating change.
func TestACancelledSurveyTakesNoRatingChangeFromTheReopenedChat(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", ChangeWindow: 14 * 24 * time.Hour})
	conv := h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed()
	started := h.Close(conv)
	h.Says("maria", "2")
	_, err := h.Engine.ConversationReopened(context.Background(), conv)
	require.NoError(t, err)
	require.Equal(t, survey.StateCancelled, h.Session(h.Tenant, started.Session.ID).State)
	h.Advance(time.Minute)
	chat := h.Says("maria", "3") // "how many items?" in the live chat
	assert.False(t, chat.Consumed, "the message belongs to the live chat")
	assert.Equal(t, 2, h.Session(h.Tenant, started.Session.ID).Rating)
}

// A bare score within the change window is a change whether or not a
// sweep ended the question it arrived after: the outcome does not depend
// on when the sweep ran.
func TestALateChangeDoesNotDependOnTheSweep(t *testing.T) {
	for _, swept := range []bool{false, true} {
		h := surveytest.New(t, survey.Definition{ID: "csat", ChangeWindow: 14 * 24 * time.Hour})
		started := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed())
		h.Says("maria", "2")
		h.Advance(3 * 24 * time.Hour) // the comment question's window is over
		if swept {
			h.Sweep()
		}
		late := h.Says("maria", "rating:4")
		assert.True(t, late.Consumed, "swept %v: a button within the change window changes the rating", swept)
		s := h.Session(h.Tenant, started.Session.ID)
		assert.Equal(t, 4, s.Rating, "swept %v", swept)
		assert.Equal(t, survey.StateExpired, s.State, "swept %v", swept)
		again := h.Receive(&survey.Inbound{TenantID: h.Tenant, ContactID: "maria", Channel: h.Channel,
			MessageID: s.MessageIDs()[len(s.MessageIDs())-1], Text: "rating:4"})
		assert.True(t, again.Duplicate, "swept %v", swept)
	}
}

// The comment typed on the rating page is the comment, whatever it says:
// a comment that is a bare number is not a change of the rating.
func TestACommentOnTheRatingPageIsNeverAChange(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{
		Store: memory.New(), Clock: clock, Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
		Surveys: []survey.Definition{{ID: "csat", ChangeWindow: 14 * 24 * time.Hour}},
	})
	require.NoError(t, err)
	ctx := context.Background()
	res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "email", Contact: survey.Contact{ID: "m", Language: "en"}})
	require.NoError(t, err)
	toks := tokens(t, res.Outbound[0].HTML)
	rated, err := e.ConfirmLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	require.Equal(t, survey.StateAwaitingComment, rated.Session.State)

	commented, err := e.CommentViaLink(ctx, "acme", toks[3], "5")
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, commented.Session.State)
	assert.Equal(t, "5", commented.Session.Comment)
	assert.Equal(t, 4, commented.Session.Rating, "the rating stays")
	assert.Empty(t, commented.Session.RatingChanges())
}

// A tenant's survey redefined while sessions wait (SetTenantSurveys with
// the same survey ID) keeps them working: a session waiting for a comment
// or a reason the new definition no longer asks still takes its answer,
// and still expires.
func TestSessionsKeepWorkingWhenTheirSurveyIsRedefined(t *testing.T) {
	before := survey.Definition{ID: "csat", Reasons: survey.DefaultReasons(1, 2)}
	after := survey.Definition{ID: "csat", SkipComment: true}
	start := func(contact, rating string) (*surveytest.Harness, string) {
		h := surveytest.New(t, survey.Definition{ID: "global"})
		h.Tenant = "acme"
		require.NoError(t, h.Engine.SetTenantSurveys("acme", []survey.Definition{before}))
		started := h.Close(h.Conversation("c-"+contact, contact).Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed())
		h.Says(contact, rating)
		require.NoError(t, h.Engine.SetTenantSurveys("acme", []survey.Definition{after}))
		return h, started.Session.ID
	}

	h, _ := start("maria", "4") // waits for the comment
	res, err := h.Engine.HandleMessage(context.Background(), &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: h.Channel, MessageID: "m-c", Text: "good"})
	require.NoError(t, err, "the comment asked before the change")
	assert.Equal(t, survey.StateCompleted, res.Session.State)
	assert.Equal(t, "good", res.Session.Comment)

	h, _ = start("jean", "1") // waits for the reason
	res, err = h.Engine.HandleMessage(context.Background(), &survey.Inbound{TenantID: "acme", ContactID: "jean", Channel: h.Channel, MessageID: "m-r", Text: "nobody answered"})
	require.NoError(t, err, "the reply to the reason asked before the change")
	assert.Equal(t, survey.StateCompleted, res.Session.State)

	h, id := start("ben", "4")
	h.Advance(48 * time.Hour)
	_, err = h.Engine.Sweep(context.Background())
	require.NoError(t, err, "the sweep ends the waiting session")
	assert.Equal(t, survey.StateExpired, h.Session("acme", id).State)

	h, id = start("zoe", "1")
	_, err = h.Engine.ConversationReopened(context.Background(), h.Conversation("c-zoe", "zoe").Closed())
	require.NoError(t, err, "a reopen cancels the waiting session")
	assert.Equal(t, survey.StateCancelled, h.Session("acme", id).State)
}

// A conversation whose delayed survey was called off before it went out
// (the conversation reopened first) was never surveyed: with the default
// Resurvey policy its next close is surveyed.
func TestACloseWhoseSurveyNeverWentOutDoesNotCountAsSurveyed(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SendDelay: 10 * time.Minute})
	conv := func() *survey.Conversation {
		return h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed()
	}
	first := h.Close(conv())
	require.NotNil(t, first.Session)
	require.Equal(t, survey.StateScheduled, first.Session.State)
	h.Advance(5 * time.Minute)
	_, err := h.Engine.ConversationReopened(context.Background(), conv())
	require.NoError(t, err)
	require.Equal(t, survey.StateCancelled, h.Session(h.Tenant, first.Session.ID).State)

	h.Advance(time.Hour)
	again := h.Close(conv())
	assert.True(t, again.Decision.Eligible, "nothing was sent at the first close: %v", again.Decision)
	require.NotNil(t, again.Session)
	assert.NotEqual(t, first.Session.ID, again.Session.ID)
}
