package storetest

// Survey behaviour that helpdesk teams compare with the peers they know,
// through the engine on the store under test: who is surveyed again after
// a reopen, which conversations are surveyed at all, what a frequency cap
// counts, what a manager hears after a low score, and the survey as the
// contact saw it. Every store runs them (checkSurveyBehaviour).

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// checkSurveyBehaviour runs every behaviour scenario on stores made by
// fresh.
func checkSurveyBehaviour(t *testing.T, fresh func(t *testing.T) survey.Store) {
	t.Run("AConversationIsSurveyedOnceUnlessEachResolutionIsAsked", func(t *testing.T) { checkResurvey(t, fresh(t)) })
	t.Run("TheFrequencyCapCountsWhatWasSent", func(t *testing.T) { checkCapCountsSent(t, fresh(t)) })
	t.Run("TheCommentFollowsTheLowScoreAlert", func(t *testing.T) { checkLowScoreComment(t, fresh(t)) })
	t.Run("TheHistoryHoldsTheWholeSurvey", func(t *testing.T) { checkTranscript(t, fresh(t)) })
	t.Run("ARequestOutsideTheChannelsWindowNeedsATemplate", func(t *testing.T) { checkMessagingWindows(t, fresh(t)) })
	t.Run("EachChannelHasItsFormatAndBeforeCloseSetting", func(t *testing.T) { checkPerChannel(t, fresh(t)) })
	t.Run("TheContactMayChangeTheRatingWithinTheWindow", func(t *testing.T) { checkRatingChanges(t, fresh(t)) })
	t.Run("TheChangeWindowBoundsTheComment", func(t *testing.T) { checkChangeWindowBoundsComment(t, fresh(t)) })
	t.Run("ALowScoreAsksForItsReason", func(t *testing.T) { checkReasons(t, fresh(t)) })
}

func behaviourEngine(t *testing.T, st survey.Store, clock survey.Clock, sv survey.Definition) *survey.Engine {
	t.Helper()
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{sv}})
	require.NoError(t, err)
	return e
}

// checkResurvey: by default a reopened and re-closed conversation is not
// surveyed again (the peers' rule); with ResurveyEachResolution it is.
func checkResurvey(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	once := behaviourEngine(t, st, clock, survey.Definition{ID: "csat"})
	each := behaviourEngine(t, st, clock, survey.Definition{ID: "csat", Resurvey: survey.ResurveyEachResolution})
	for name, e := range map[string]*survey.Engine{"once": once, "each": each} {
		conv := closedConversation("c-"+name, "maria-"+name, clock.Now())
		first, err := e.ConversationClosed(ctx, conv)
		require.NoError(t, err, name)
		require.NotNil(t, first.Session, name)
		_, err = e.ConversationReopened(ctx, conv)
		require.NoError(t, err, name)
		clock.Advance(time.Hour)
		conv.ClosedAt = clock.Now()
		second, err := e.ConversationClosed(ctx, conv)
		require.NoError(t, err, name)
		list, err := st.ConversationSessions(ctx, "acme", conv.ID)
		require.NoError(t, err)
		if name == "once" {
			assert.False(t, second.Decision.Eligible)
			assert.Equal(t, []string{survey.CodeAlreadySurveyed}, failureCodes(second.Decision), "surveyed once per conversation by default")
			assert.Len(t, list, 1)
			continue
		}
		assert.True(t, second.Decision.Eligible, "each resolution is surveyed")
		require.Len(t, second.Outbound, 1)
		assert.Len(t, list, 2)
	}
}

// checkCapCountsSent: a delayed survey called off before it went out does
// not cap the contact; the period runs from the send.
func checkCapCountsSent(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, survey.Definition{ID: "csat", SendDelay: time.Hour,
		Rules: []survey.Rule{eligibility.FrequencyCap(24*time.Hour, eligibility.SameSurvey)}})
	_, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	clock.Advance(30 * time.Minute)
	called, err := e.HandleMessage(ctx, reply("maria", "m1", "one more thing", time.Time{}))
	require.NoError(t, err)
	require.False(t, called.Consumed, "the contact wrote first: the delayed survey is called off")

	second, err := e.ConversationClosed(ctx, closedConversation("c2", "maria", clock.Now()))
	require.NoError(t, err)
	assert.True(t, second.Decision.Eligible, "nothing was sent, nothing caps")
	clock.Advance(time.Hour + time.Minute)
	sw, err := e.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, sw.Sent)

	clock.Advance(23 * time.Hour)
	third, err := e.ConversationClosed(ctx, closedConversation("c3", "maria", clock.Now()))
	require.NoError(t, err)
	assert.Equal(t, []string{eligibility.CodeFrequencyCapped}, failureCodes(third.Decision), "23 h after the send (24 h after the close)")
}

// checkLowScoreComment: the low-score alert goes out at the rating; the
// comment that follows reaches the same people as a linked notification,
// and a redelivered comment replays it.
func checkLowScoreComment(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, deliverySurvey)
	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	rated, err := e.HandleMessage(ctx, reply("maria", "m1", "1", time.Time{}))
	require.NoError(t, err)
	alert := notificationOf(rated.Notifications, survey.NotifyLowScore)
	require.NotNil(t, alert, "the alert does not wait for the comment")

	commented, err := e.HandleMessage(ctx, reply("maria", "m2", "nadie me respondió", time.Time{}))
	require.NoError(t, err)
	follow := notificationOf(commented.Notifications, survey.NotifyLowScoreComment)
	require.NotNil(t, follow)
	assert.Equal(t, alert.IdempotencyKey, follow.Follows)
	assert.Equal(t, alert.Recipients, follow.Recipients)
	assert.Equal(t, "nadie me respondió", follow.Comment)
	assert.Equal(t, started.Session.ID+"/low_score_comment", follow.IdempotencyKey)

	again, err := e.HandleMessage(ctx, reply("maria", "m2", "nadie me respondió", time.Time{}))
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	replayed := notificationOf(again.ReplayNotifications, survey.NotifyLowScoreComment)
	require.NotNil(t, replayed, "a lost acknowledgement of the comment does not lose its notification")
	assert.Equal(t, follow.IdempotencyKey, replayed.IdempotencyKey)

	_, err = e.ConversationClosed(ctx, closedConversation("c2", "ben", clock.Now()))
	require.NoError(t, err)
	_, err = e.HandleMessage(ctx, reply("ben", "b1", "5", time.Time{}))
	require.NoError(t, err)
	happy, err := e.HandleMessage(ctx, reply("ben", "b2", "todo bien", time.Time{}))
	require.NoError(t, err)
	assert.Nil(t, notificationOf(happy.Notifications, survey.NotifyLowScoreComment), "no alert, no follow-up")
}

// checkTranscript: the conversation's history gets the whole survey as the
// contact saw it, in the contact's language, with the answers — read back
// from the store.
func checkTranscript(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, survey.Definition{ID: "csat"})
	conv := closedConversation("c1", "maria", clock.Now())
	conv.Contact.Language = "es-AR"
	started, err := e.ConversationClosed(ctx, conv)
	require.NoError(t, err)
	for i, text := range []string{"¿cuál era la pregunta?", "4", "rápido y amable"} {
		clock.Advance(time.Minute)
		_, err := e.HandleMessage(ctx, reply("maria", "m"+string(rune('1'+i)), text, time.Time{}))
		require.NoError(t, err)
	}
	s, err := st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	sum, err := e.Summarize(s)
	require.NoError(t, err)
	var kinds []survey.MessageKind
	var answers []string
	for _, turn := range sum.Transcript {
		kinds = append(kinds, turn.Kind)
		answers = append(answers, turn.Answer)
		assert.NotEmpty(t, turn.Question)
	}
	assert.Equal(t, []survey.MessageKind{survey.KindRatingRequest, survey.KindReprompt, survey.KindCommentRequest, survey.KindThanks}, kinds)
	assert.Equal(t, []string{"¿cuál era la pregunta?", "4 " + sum.Label, "rápido y amable", ""}, answers)
	assert.Equal(t, started.Outbound[0].Text, sum.Transcript[0].Question, "the question exactly as it was sent")
	assert.Equal(t, "es", sum.Language)
	text := sum.TranscriptText()
	for _, want := range []string{sum.Transcript[0].Question, "→ 4 " + sum.Label, "→ rápido y amable", sum.Transcript[3].Question} {
		assert.Contains(t, text, want)
	}
	assert.True(t, strings.Index(text, "→ 4") < strings.Index(text, "→ rápido"), "in order")
}

// checkMessagingWindows: WhatsApp lets a business write 24 h after the
// contact's last message, Messenger 24 h or 7 days with the human-agent
// tag; the window is measured when the request is sent, delayed sends
// included, and a request outside it says it needs a template.
func checkMessagingWindows(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, survey.Definition{ID: "csat"})
	delayed := behaviourEngine(t, st, clock, survey.Definition{ID: "csat", SendDelay: 20 * time.Hour})
	closeAfter := func(e *survey.Engine, id, channel string, silence time.Duration) *survey.Result {
		t.Helper()
		conv := surveytest.NewConversation(id, "contact-"+id, clock.Now().Add(-silence)).Tenant("acme").Channel(channel).
			Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").ClosedAt(clock.Now())
		res, err := e.ConversationClosed(ctx, conv)
		require.NoError(t, err)
		return res
	}
	for _, tc := range []struct {
		name, channel string
		silence       time.Duration
		template      bool
		tag           string
	}{
		{"whatsapp, contact wrote 2 h ago", "whatsapp", 2 * time.Hour, false, ""},
		{"whatsapp, contact wrote 30 h ago", "whatsapp", 30 * time.Hour, true, ""},
		{"messenger, 30 h ago: the human-agent tag", "messenger", 30 * time.Hour, false, "HUMAN_AGENT"},
		{"messenger, 8 days ago", "messenger", 8 * 24 * time.Hour, true, ""},
		{"e-mail has no window", "email", 30 * 24 * time.Hour, false, ""},
	} {
		res := closeAfter(e, tc.channel+tc.silence.String(), tc.channel, tc.silence)
		require.Len(t, res.Outbound, 1, tc.name)
		assert.Equal(t, tc.template, res.Outbound[0].Template, tc.name)
		assert.Equal(t, tc.tag, res.Outbound[0].Tag, tc.name)
	}

	// Measured at the send: closed 2 h after the contact's last message,
	// sent 20 h later, 22 h after it: in time; 5 h after: too late.
	inTime := closeAfter(delayed, "d1", "whatsapp", 2*time.Hour)
	late := closeAfter(delayed, "d2", "whatsapp", 5*time.Hour)
	require.NotNil(t, inTime.Session)
	require.NotNil(t, late.Session)
	clock.Advance(20*time.Hour + time.Minute)
	sw, err := delayed.Sweep(ctx)
	require.NoError(t, err)
	flags := map[string]bool{}
	for _, o := range sw.Outbound {
		flags[o.SessionID] = o.Template
	}
	assert.Equal(t, map[string]bool{inTime.Session.ID: false, late.Session.ID: true}, flags)
}

// checkPerChannel: a survey shows its request as buttons where its
// settings say so, in the richest form the channel's limits allow
// elsewhere (a list of five on WhatsApp), as text on a channel without
// limits, and offers a rating before the close only where its
// settings allow.
func checkPerChannel(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, survey.Definition{ID: "csat", PerChannel: map[string]survey.ChannelSettings{
		"webchat":  {Format: survey.FormatButtons},
		"whatsapp": {NoRatingBeforeClose: true},
	}})
	for channel, want := range map[string]survey.RequestFormat{"webchat": survey.FormatButtons, "whatsapp": survey.FormatList, "telegram": survey.FormatText} {
		conv := closedConversation("f-"+channel, "maria-"+channel, clock.Now())
		conv.Channel = channel
		res, err := e.ConversationClosed(ctx, conv)
		require.NoError(t, err)
		require.Len(t, res.Outbound, 1, channel)
		assert.Equal(t, want, res.Outbound[0].Format, channel)
	}
	for channel, offered := range map[string]bool{"whatsapp": false, "webchat": true} {
		open := closedConversation("open-"+channel, "ben-"+channel, time.Time{})
		open.Channel = channel
		res, err := e.RequestSurvey(ctx, open, survey.Request{BeforeClose: true, RequestedBy: "ana"})
		require.NoError(t, err)
		if offered {
			assert.True(t, res.Decision.Eligible, channel)
			continue
		}
		assert.Equal(t, []string{survey.CodeRatingBeforeCloseOff}, failureCodes(res.Decision), channel)
		assert.Nil(t, res.Session, channel)
	}
}

// checkRatingChanges: within the change window the contact changes the
// rating by pressing another button (or sending nothing but a score),
// before or after the comment; free text never changes it; after the
// window nothing does. The history keeps every earlier rating.
func checkRatingChanges(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	sv := deliverySurvey
	sv.ChangeWindow = 14 * 24 * time.Hour
	sv.ResponseWindow = 48 * time.Hour
	e := behaviourEngine(t, st, clock, sv)
	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	deliver := func(id, text string) *survey.Result {
		t.Helper()
		clock.Advance(time.Minute)
		res, err := e.HandleMessage(ctx, reply("maria", id, text, time.Time{}))
		require.NoError(t, err)
		return res
	}
	first := deliver("m1", "2")
	require.NotNil(t, notificationOf(first.Notifications, survey.NotifyLowScore))
	before := deliver("m2", "rating:1") // a button, while the comment question waits
	require.True(t, before.Consumed)
	assert.Equal(t, 1, before.Session.Rating, "a button is a change, not the comment")
	assert.Equal(t, survey.StateAwaitingComment, before.Session.State)
	comment := deliver("m3", "no contestaron")
	assert.Equal(t, survey.StateCompleted, comment.Session.State)
	assert.Equal(t, started.Session.ID+"/low_score/change/1", notificationOf(comment.Notifications, survey.NotifyLowScoreComment).Follows,
		"the comment follows the alert of the rating in effect")

	clock.Advance(3 * 24 * time.Hour)
	after := deliver("m4", "4")
	require.True(t, after.Consumed, "after the survey finished, within the window: a change")
	assert.Equal(t, 4, after.Session.Rating)
	changed := notificationOf(after.Notifications, survey.NotifyRatingChanged)
	require.NotNil(t, changed)
	assert.Equal(t, 1, changed.Previous)
	assert.Equal(t, 4, changed.Score)
	assert.Equal(t, started.Session.ID+"/rated/change/2", changed.IdempotencyKey)

	again := deliver("m4", "4")
	assert.True(t, again.Duplicate)
	assert.Equal(t, changed.IdempotencyKey, notificationOf(again.ReplayNotifications, survey.NotifyRatingChanged).IdempotencyKey)
	first2 := deliver("m1", "2")
	assert.True(t, first2.Duplicate)
	assert.Equal(t, 2, notificationOf(first2.ReplayNotifications, survey.NotifyLowScore).Score, "the first rating's replay keeps its own score")
	assert.False(t, deliver("m5", "changed my mind: 5 stars").Consumed, "free text is not a change")
	same := deliver("m4b", "rating:4")
	assert.True(t, same.Consumed, "the same score again is taken, not handed back as a new conversation")
	assert.Empty(t, same.Notifications, "and changes nothing anyone is told of")
	assert.True(t, deliver("m4b", "rating:4").Duplicate, "it is recorded: its redelivery is a duplicate")

	s, err := st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, s.Rating, "reports read the latest rating")
	var history []int
	for _, c := range s.RatingChanges() {
		history = append(history, c.From)
	}
	assert.Equal(t, []int{2, 1, 4}, history, "the history keeps the earlier ratings (and a repeat of the current one)")
	assert.Equal(t, "no contestaron", s.Comment)

	clock.Advance(11 * 24 * time.Hour) // 14 days and a bit after the request
	assert.False(t, deliver("m6", "rating:5").Consumed, "after the window a rating is final")
	s, err = st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, s.Rating)
}

// checkChangeWindowBoundsComment: with a 14-day window and 14 days per
// question, a rating on day 10 leaves 4 days for the comment, not 14.
func checkChangeWindowBoundsComment(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e := behaviourEngine(t, st, clock, survey.Definition{ID: "csat", ChangeWindow: 14 * 24 * time.Hour, ResponseWindow: 14 * 24 * time.Hour})
	started, err := e.ConversationClosed(ctx, closedConversation("c1", "maria", clock.Now()))
	require.NoError(t, err)
	clock.Advance(10 * 24 * time.Hour)
	_, err = e.HandleMessage(ctx, reply("maria", "m1", "5", time.Time{}))
	require.NoError(t, err)
	clock.Advance(6 * 24 * time.Hour)
	late, err := e.HandleMessage(ctx, reply("maria", "m2", "muy bien", time.Time{}))
	require.NoError(t, err)
	assert.False(t, late.Consumed, "day 16: past the survey's window")
	s, err := st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	assert.Empty(t, s.Comment)
	assert.Equal(t, 5, s.Rating, "the rating stays")
}

// checkReasons: after a score in the band the survey asks for the main
// reason, as numbered lines and buttons in the contact's language; a
// number, a button or the label answers it; free text is taken as the
// comment; the reason is recorded, replayed, reported to whoever got the
// low-score alert, and shown in the history.
func checkReasons(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	sv := deliverySurvey
	sv.Reasons = survey.DefaultReasons(1, 2)
	e := behaviourEngine(t, st, clock, sv)
	short := sv
	short.ID, short.SkipComment = "short", true
	ends := behaviourEngine(t, st, clock, short)
	start := func(e *survey.Engine, conv, contact, lang string) *survey.Result {
		t.Helper()
		c := closedConversation(conv, contact, clock.Now())
		c.Contact.Language = lang
		res, err := e.ConversationClosed(ctx, c)
		require.NoError(t, err)
		return res
	}
	deliver := func(e *survey.Engine, contact, id, text string) *survey.Result {
		t.Helper()
		clock.Advance(time.Minute)
		res, err := e.HandleMessage(ctx, reply(contact, id, text, time.Time{}))
		require.NoError(t, err)
		return res
	}

	started := start(e, "c1", "maria", "es")
	rated := deliver(e, "maria", "m1", "2")
	require.Len(t, rated.Outbound, 1)
	ask := rated.Outbound[0]
	assert.Equal(t, survey.KindReasonRequest, ask.Kind)
	require.Len(t, ask.Choices, 4)
	assert.Equal(t, "reason:not_solved", ask.Choices[1].Payload)
	assert.Contains(t, ask.Text, "2. "+ask.Choices[1].Label, "numbered lines for text channels")
	assert.Equal(t, survey.StateAwaitingReason, rated.Session.State)

	why := deliver(e, "maria", "m2", "2")
	assert.Equal(t, "not_solved", why.Session.Reason)
	assert.Equal(t, []survey.MessageKind{survey.KindCommentRequest}, kindsOf(why.Outbound))
	again := deliver(e, "maria", "m2", "2")
	assert.True(t, again.Duplicate)
	assert.Equal(t, outboundKeys(why.Outbound), outboundKeys(again.Replay), "the reason's redelivery replays the comment question")
	done := deliver(e, "maria", "m3", "tuve que escribir tres veces")
	follow := notificationOf(done.Notifications, survey.NotifyLowScoreComment)
	require.NotNil(t, follow)
	assert.Equal(t, "not_solved", follow.Reason)
	stored, err := st.Load(ctx, "acme", started.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, "not_solved", stored.Reason)
	sum, err := e.Summarize(stored)
	require.NoError(t, err)
	assert.Equal(t, ask.Choices[1].Label, sum.ReasonLabel)
	var turns []survey.MessageKind
	for _, turn := range sum.Transcript {
		turns = append(turns, turn.Kind)
	}
	assert.Equal(t, []survey.MessageKind{survey.KindRatingRequest, survey.KindReasonRequest, survey.KindCommentRequest, survey.KindThanks}, turns)

	start(e, "c2", "jean", "fr")
	deliver(e, "jean", "j1", "1")
	fr := deliver(e, "jean", "j2", "autre raison")
	assert.Equal(t, "other", fr.Session.Reason, "the label, in the contact's language, in any case")

	start(e, "c3", "ben", "en")
	deliver(e, "ben", "b1", "1")
	free := deliver(e, "ben", "b2", "nobody answered my question")
	assert.Equal(t, survey.StateCompleted, free.Session.State, "free text is the comment: nothing is lost")
	assert.Empty(t, free.Session.Reason)
	assert.Equal(t, "nobody answered my question", free.Session.Comment)

	start(e, "c4", "zoe", "en")
	happy := deliver(e, "zoe", "z1", "5")
	assert.Equal(t, []survey.MessageKind{survey.KindCommentRequest}, kindsOf(happy.Outbound), "no reason asked outside the band")

	start(ends, "c5", "ivan", "ru")
	deliver(ends, "ivan", "i1", "1")
	last := deliver(ends, "ivan", "i2", "reason:slow")
	assert.Equal(t, survey.StateCompleted, last.Session.State, "with no comment question the reason ends the survey")
	assert.Equal(t, "slow", last.Session.Reason)
	assert.Equal(t, []survey.MessageKind{survey.KindThanks}, kindsOf(last.Outbound))
	assert.NotNil(t, notificationOf(last.Notifications, survey.NotifyLowScoreComment), "the reason follows the alert")
}

func failureCodes(d survey.Decision) []string {
	var codes []string
	for _, f := range d.Failures {
		codes = append(codes, f.Code)
	}
	return codes
}

func notificationOf(list []survey.Notification, kind survey.NotificationKind) *survey.Notification {
	for i := range list {
		if list[i].Kind == kind {
			return &list[i]
		}
	}
	return nil
}
