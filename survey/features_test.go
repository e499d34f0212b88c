package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"golang.org/x/text/language"
)

func TestSeed001_DelayedSendGoesOutInTheSweep(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SendDelay: 2 * time.Hour})
	res := h.Close(eligibleChat(h, "c1", "maria", "en"))
	require.True(t, res.Decision.Eligible)
	assert.Empty(t, res.Outbound, "nothing is sent at close")
	assert.Equal(t, survey.StateScheduled, res.Session.State)

	h.Advance(time.Hour)
	assert.Equal(t, 0, h.Sweep().Sent, "not yet")
	h.Advance(time.Hour + time.Second)
	sw := h.Sweep()
	assert.Equal(t, 1, sw.Sent)
	require.Len(t, sw.Outbound, 1)
	assert.Equal(t, survey.KindRatingRequest, sw.Outbound[0].Kind)
	assert.Equal(t, 0, h.Sweep().Sent, "sent once")

	s := h.Session("tenant", res.Session.ID)
	assert.Equal(t, survey.StateAwaitingRating, s.State)
	assert.Equal(t, h.Clock.Now().Add(24*time.Hour), s.Deadline, "the 24 h start when the request is sent")
	assert.True(t, h.Reply("tenant", "maria", "whatsapp", "4").Consumed)
}

func TestSeed001_ScheduledSurveyIsCancelledWhenTheContactWritesFirst(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SendDelay: time.Hour})
	res := h.Close(eligibleChat(h, "c1", "maria", "en"))
	h.Advance(10 * time.Minute)
	r := h.Reply("tenant", "maria", "whatsapp", "one more thing: 5 items were missing")
	assert.False(t, r.Consumed, "the message belongs to the chat, not to a survey never sent")
	h.Advance(time.Hour)
	assert.Equal(t, 0, h.Sweep().Sent, "never sent late into a live chat")
	assert.Equal(t, survey.StateCancelled, h.Session("tenant", res.Session.ID).State)
}

func TestSeed001_ScheduledSurveyIsCancelledWhenTheConversationReopens(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SendDelay: time.Hour})
	conv := eligibleChat(h, "c1", "maria", "en")
	res := h.Close(conv)
	r, err := h.Engine.ConversationReopened(context.Background(), conv)
	require.NoError(t, err)
	require.NotNil(t, r.Session)
	assert.Equal(t, survey.StateCancelled, r.Session.State)
	h.Advance(2 * time.Hour)
	assert.Equal(t, 0, h.Sweep().Sent)
	assert.Equal(t, survey.StateCancelled, h.Session("tenant", res.Session.ID).State)
}

func TestSeed004_RatingBeforeCloseClosesTheConversation(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", CloseOnRating: true, SkipComment: true})
	conv := eligibleChat(h, "c1", "maria", "en")
	conv.ClosedAt = time.Time{}
	res, err := h.Engine.RequestSurvey(context.Background(), conv, survey.Request{BeforeClose: true, RequestedBy: "ana"})
	require.NoError(t, err)
	require.Len(t, res.Outbound, 1)
	assert.True(t, res.Session.BeforeClose)

	chat := h.Reply("tenant", "maria", "whatsapp", "wait, one more question about my order")
	assert.False(t, chat.Consumed, "while the chat is open, words are chat, not a failed rating")
	assert.Empty(t, chat.Outbound, "and get no re-prompt")

	r := h.Reply("tenant", "maria", "whatsapp", "5")
	require.True(t, r.Consumed)
	assert.True(t, r.CloseConversation, "the host is told to close the conversation")

	conv.ClosedAt = h.Clock.Now()
	closed := h.Close(conv)
	assert.False(t, closed.Decision.Eligible)
	assert.Equal(t, survey.CodeRatedBeforeClose, closed.Decision.Failures[0].Code, "one rating per conversation")
}

func TestSeed004_TimeAllowedToRateIsLimited(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", RatingTimeLimit: 30 * time.Minute, MaxReprompts: 5})
	res := h.Close(eligibleChat(h, "c1", "maria", "en"))
	assert.Equal(t, h.Clock.Now().Add(30*time.Minute), res.Session.Deadline)
	h.Advance(20 * time.Minute)
	require.True(t, h.Reply("tenant", "maria", "whatsapp", "hmm").Consumed)
	h.Advance(11 * time.Minute)
	assert.False(t, h.Reply("tenant", "maria", "whatsapp", "4").Consumed, "re-prompts do not extend the limit")
	assert.Equal(t, survey.StateExpired, h.Session("tenant", res.Session.ID).State)
}

func TestManualTriggerBypassesTheRulesAndIsRecorded(t *testing.T) {
	h := surveytest.New(t, sirena())
	short := surveytest.NewConversation("c1", "ben", h.Clock.Now()).ContactSays("hi").Closed()
	require.False(t, h.Close(short).Decision.Eligible)

	res, err := h.Engine.RequestSurvey(context.Background(), short, survey.Request{RequestedBy: "agent:ana"})
	require.NoError(t, err)
	require.True(t, res.Decision.Eligible)
	require.Len(t, res.Outbound, 1)
	assert.Equal(t, survey.TriggerManual, res.Session.Trigger)
	assert.Equal(t, "agent:ana", res.Session.RequestedBy)

	h.Advance(time.Minute)
	again, err := h.Engine.RequestSurvey(context.Background(), short, survey.Request{})
	require.NoError(t, err)
	assert.Equal(t, survey.CodeSurveyActive, again.Decision.Failures[0].Code, "one running survey per conversation")
	_, err = h.Engine.RequestSurvey(context.Background(), short, survey.Request{SurveyID: "nope"})
	assert.ErrorIs(t, err, survey.ErrUnknownSurvey)
}

func TestB1_FollowUpQuestionDependsOnTheScoreBand(t *testing.T) {
	def := survey.Definition{
		ID:        "csat",
		Languages: []string{"en"},
		FollowUps: []survey.FollowUp{
			{From: 1, To: 2, Prompt: "followup.wrong"},
			{From: 4, To: 5, Prompt: "followup.liked"},
		},
		Overrides: map[string]map[i18n.Key]string{
			"en": {"followup.wrong": "Sorry, {contact}. What went wrong?", "followup.liked": "Great! What did you like?"},
		},
	}
	for _, tc := range []struct{ score, want string }{
		{"1", "Sorry, María. What went wrong?"},
		{"5", "Great! What did you like?"},
		{"3", "If you have a comment, leave it below 👇"},
	} {
		h := surveytest.New(t, def)
		h.Close(eligibleChat(h, "c1", "maria", "en"))
		r := h.Reply("tenant", "maria", "whatsapp", tc.score)
		require.Len(t, r.Outbound, 1, tc.score)
		assert.Equal(t, tc.want, r.Outbound[0].Text, tc.score)
	}

	def.SkipComment = true
	h := surveytest.New(t, def)
	h.Close(eligibleChat(h, "c1", "maria", "en"))
	r := h.Reply("tenant", "maria", "whatsapp", "3")
	assert.Equal(t, survey.StateCompleted, r.Session.State, "no band and no comment question: done")
	assert.Equal(t, survey.KindThanks, r.Outbound[0].Kind)
}

func TestB1_ShippedFollowUpsByBand(t *testing.T) {
	for _, tc := range []struct {
		score string
		want  i18n.Key
	}{{"1", i18n.KeyFollowUpNegative}, {"3", i18n.KeyFollowUpNeutral}, {"5", i18n.KeyFollowUpPositive}} {
		h := surveytest.New(t, survey.Definition{ID: "csat", FollowUps: survey.BandFollowUps(scoring.CSAT5())})
		h.Close(eligibleChat(h, "c1", "maria", "fr"))
		r := h.Reply("tenant", "maria", "whatsapp", tc.score)
		require.Len(t, r.Outbound, 1)
		want, _ := i18n.Shipped().Text(language.French, tc.want)
		assert.Equal(t, want, r.Outbound[0].Text, tc.score)
		assert.NotEmpty(t, want)
	}
}

func TestFollowUpBandsAreValidated(t *testing.T) {
	for name, bands := range map[string][]survey.FollowUp{
		"off the scale": {{From: 0, To: 2, Prompt: i18n.KeyCommentPrompt}},
		"reversed":      {{From: 3, To: 2, Prompt: i18n.KeyCommentPrompt}},
		"overlapping":   {{From: 1, To: 3, Prompt: i18n.KeyCommentPrompt}, {From: 3, To: 5, Prompt: i18n.KeyThanks}},
		"no text":       {{From: 1, To: 2, Prompt: "followup.missing"}},
	} {
		_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "x", FollowUps: bands}}})
		assert.ErrorIs(t, err, survey.ErrInvalidSurvey, name)
	}
}

func TestN1N2_LowScoreAlertAndAgentNotification(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}, NotifyAgents: true})
	h.Close(eligibleChat(h, "c1", "maria", "en"))
	r := h.Reply("tenant", "maria", "whatsapp", "2")
	require.Len(t, r.Notifications, 2)
	assert.Equal(t, survey.NotifyLowScore, r.Notifications[0].Kind)
	assert.Equal(t, []string{"lead"}, r.Notifications[0].Recipients)
	assert.Equal(t, 2, r.Notifications[0].Score)
	assert.Equal(t, survey.NotifyRated, r.Notifications[1].Kind)
	assert.Equal(t, []string{"ana"}, r.Notifications[1].Recipients, "the human agent, not the bot")

	h2 := surveytest.New(t, survey.Definition{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}})
	h2.Close(eligibleChat(h2, "c1", "maria", "en"))
	assert.Empty(t, h2.Reply("tenant", "maria", "whatsapp", "3").Notifications, "3 is not below 3")
}

func TestN3_SupervisorReviewIsKeptBesideTheContactsRating(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", NotifyAgents: true})
	res := h.Close(eligibleChat(h, "c1", "maria", "en"))
	h.Reply("tenant", "maria", "whatsapp", "5")

	r, err := h.Engine.Review(context.Background(), survey.ReviewInput{
		TenantID: "tenant", SessionID: res.Session.ID, ReviewerID: "sup", Score: 3, Comment: "Missed the refund policy",
	})
	require.NoError(t, err)
	require.Len(t, r.Notifications, 1)
	assert.Equal(t, survey.NotifyReviewed, r.Notifications[0].Kind)
	assert.Equal(t, []string{"ana"}, r.Notifications[0].Recipients)

	s := h.Session("tenant", res.Session.ID)
	assert.Equal(t, 5, s.Rating, "the contact's rating is untouched")
	require.NotNil(t, s.Review)
	assert.Equal(t, 3, s.Review.Score)
	assert.Equal(t, survey.StateAwaitingComment, s.State, "a review does not move the flow")

	_, err = h.Engine.Review(context.Background(), survey.ReviewInput{TenantID: "tenant", SessionID: res.Session.ID, ReviewerID: "sup", Score: 9})
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	_, err = h.Engine.Review(context.Background(), survey.ReviewInput{TenantID: "other", SessionID: res.Session.ID, ReviewerID: "sup", Score: 3})
	assert.ErrorIs(t, err, survey.ErrNotFound, "another tenant cannot review it")
}

func TestR3_LastRatingAndConversationSummary(t *testing.T) {
	h := surveytest.New(t, sirena())
	h.Close(eligibleChat(h, "c1", "maria", "es"))
	h.Reply("tenant", "maria", "whatsapp", "2")
	h.Reply("tenant", "maria", "whatsapp", "Tardaron")
	h.Advance(time.Hour)
	h.Close(eligibleChat(h, "c2", "maria", "es"))
	h.Reply("tenant", "maria", "whatsapp", "4")

	last, err := h.Engine.LastRating(context.Background(), "tenant", "maria")
	require.NoError(t, err)
	assert.Equal(t, "c2", last.ConversationID)
	assert.Equal(t, 4, last.Rating)

	sum, err := h.Engine.Summarize(last)
	require.NoError(t, err)
	assert.Equal(t, "Satisfecho", sum.Label)
	assert.Equal(t, "survey csat (awaiting_comment): 4 Satisfecho", sum.String())

	_, err = h.Engine.LastRating(context.Background(), "tenant", "nobody")
	assert.ErrorIs(t, err, survey.ErrNotFound)
}

func TestEverySurveyCallStaysInItsTenant(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	require.NoError(t, h.Engine.SetTenantSurveys("b", []survey.Definition{{ID: "nps-only", Channels: []string{"email"}}}))

	a := eligibleChat(h, "c1", "maria", "en")
	a.TenantID = "a"
	require.True(t, h.Close(a).Decision.Eligible)
	b := eligibleChat(h, "c1", "maria", "en")
	b.TenantID = "b"
	assert.Equal(t, survey.CodeNoSurvey, h.Close(b).Decision.Failures[0].Code, "tenant b has its own surveys")

	assert.False(t, h.Reply("b", "maria", "whatsapp", "5").Consumed, "tenant b's contact does not answer tenant a's survey")
	assert.True(t, h.Reply("a", "maria", "whatsapp", "5").Consumed)

	require.NoError(t, h.Engine.SetTenantSurveys("b", nil))
	assert.True(t, h.Close(b).Decision.Eligible, "back to the default surveys")
}

// linkHarness is an engine that e-mails rating links.
func linkHarness(t *testing.T, keys ...survey.LinkKey) (*surveytest.Clock, *survey.Engine, *survey.Result) {
	t.Helper()
	if len(keys) == 0 {
		keys = []survey.LinkKey{{ID: "k1", Secret: []byte(strings.Repeat("s", 32))}}
	}
	signer, err := survey.NewLinkSigner(keys...)
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{
		Store: memory.New(), Clock: clock, Surveys: []survey.Definition{{ID: "csat"}},
		Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
	})
	require.NoError(t, err)
	res, err := e.ConversationClosed(context.Background(), &survey.Conversation{
		TenantID: "acme", ID: "c1", Channel: "email",
		Contact: survey.Contact{ID: "m", Name: `<script>alert(1)</script>`, Language: "en"},
	})
	require.NoError(t, err)
	return clock, e, res
}

func tokens(t *testing.T, html string) []string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(html, "?t=")[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	require.Len(t, out, 5, "one link per option")
	return out
}

func TestSeed002_EmailLinksRecordOnlyOnConfirmation(t *testing.T) {
	_, e, res := linkHarness(t)
	ctx := context.Background()
	html := res.Outbound[0].HTML
	require.NotEmpty(t, html)
	assert.NotContains(t, html, "<script>", "nothing from the contact is injected")
	toks := tokens(t, html)

	view, err := e.OpenLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, 4, view.Selected)
	view, err = e.OpenLink(ctx, "acme", toks[3])
	require.NoError(t, err, "a scanner opening the link twice records nothing")
	assert.False(t, view.Session.Rated)

	r, err := e.ConfirmLink(ctx, "acme", toks[3])
	require.NoError(t, err)
	assert.Equal(t, 4, r.Session.Rating)
	require.Len(t, r.Outbound, 1)
	assert.Equal(t, survey.KindCommentRequest, r.Outbound[0].Kind)

	_, err = e.ConfirmLink(ctx, "acme", toks[3])
	assert.ErrorIs(t, err, survey.ErrLinkUsed, "replayed")
	_, err = e.ConfirmLink(ctx, "acme", toks[0])
	assert.ErrorIs(t, err, survey.ErrLinkUsed, "another option of a rated survey")

	r, err = e.CommentViaLink(ctx, "acme", toks[3], "Quick and kind")
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, r.Session.State)
	assert.Equal(t, "Quick and kind", r.Session.Comment)
}

func TestB5_BadLinksAreRejectedWithDistinctErrors(t *testing.T) {
	clock, e, res := linkHarness(t)
	ctx := context.Background()
	tok := tokens(t, res.Outbound[0].HTML)[4]

	tampered := []byte(tok)
	tampered[len(tok)/2] ^= 1
	for name, tc := range map[string]struct {
		tenant, token string
		want          error
	}{
		"garbage":      {"acme", "not-a-token", survey.ErrLinkMalformed},
		"tampered":     {"acme", string(tampered), survey.ErrLinkForged},
		"unknown key":  {"acme", "k9" + tok[2:], survey.ErrLinkForged},
		"other tenant": {"globex", tok, survey.ErrLinkWrongTenant},
		"huge":         {"acme", strings.Repeat("a", 10000), survey.ErrLinkMalformed},
	} {
		_, err := e.OpenLink(ctx, tc.tenant, tc.token)
		assert.ErrorIs(t, err, tc.want, name)
		_, err = e.ConfirmLink(ctx, tc.tenant, tc.token)
		assert.ErrorIs(t, err, tc.want, name)
	}
	clock.Advance(24*time.Hour + time.Second)
	_, err := e.OpenLink(ctx, "acme", tok)
	assert.ErrorIs(t, err, survey.ErrLinkClosed, "the question's time ran out: the survey is closed, though no sweep ended it yet")
	// The token itself outlives every window the survey could still be
	// answered in (one re-prompt, then the comment): past that it is
	// refused as expired whatever the session's state.
	clock.Advance(2 * 24 * time.Hour)
	_, err = e.ConfirmLink(ctx, "acme", tok)
	assert.ErrorIs(t, err, survey.ErrLinkExpired)
}

func TestB5_LinkKeysRotateWithoutBreakingFreshLinks(t *testing.T) {
	old := survey.LinkKey{ID: "2026-01", Secret: []byte(strings.Repeat("o", 32))}
	_, _, res := linkHarness(t, old)
	tok := tokens(t, res.Outbound[0].HTML)[2]

	fresh := survey.LinkKey{ID: "2026-02", Secret: []byte(strings.Repeat("n", 32))}
	rotated, err := survey.NewLinkSigner(fresh, old)
	require.NoError(t, err)
	claims, err := rotated.Verify(tok, surveytest.Start)
	require.NoError(t, err, "a link signed with the previous key still works")
	assert.Equal(t, 3, claims.Value)

	retired, err := survey.NewLinkSigner(fresh)
	require.NoError(t, err)
	_, err = retired.Verify(tok, surveytest.Start)
	assert.ErrorIs(t, err, survey.ErrLinkForged, "once the old key is dropped")

	_, err = survey.NewLinkSigner(survey.LinkKey{ID: "short", Secret: []byte("tiny")})
	assert.Error(t, err, "short secrets are refused")
}

func TestF11_RatingRequestEmbedsInTheHostsNotification(t *testing.T) {
	_, _, res := linkHarness(t)
	req := res.Outbound[0]
	body := "<p>Your ticket #42 is closed.</p>" + survey.RatingVariable + "<p>— Acme</p>"

	html, ok := survey.EmbedRating(body, req, true)
	require.True(t, ok)
	assert.NotContains(t, html, survey.RatingVariable)
	assert.Contains(t, html, req.HTML)
	assert.True(t, strings.HasPrefix(html, "<p>Your ticket #42 is closed.</p>"))

	text, ok := survey.EmbedRating("Closed. "+survey.RatingVariable, req, false)
	require.True(t, ok)
	assert.Equal(t, "Closed. "+req.Text, text)

	_, ok = survey.EmbedRating("no variable here", req, true)
	assert.False(t, ok)
	req.Kind = survey.KindThanks
	_, ok = survey.EmbedRating(body, req, true)
	assert.False(t, ok, "only a rating request embeds")
}
