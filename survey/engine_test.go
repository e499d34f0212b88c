package survey_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// sirena is seed 000's survey: CSAT 1–5 → comment → thanks, with its rules.
func sirena() survey.Definition {
	return survey.Definition{ID: "csat", Rules: eligibility.AnsweredLongAndRecent()}
}

// eligibleChat is a conversation that passes seed 000's rules.
func eligibleChat(h *surveytest.Harness, id, contact, lang string) *survey.Conversation {
	conv := surveytest.NewConversation(id, contact, h.Clock.Now()).
		Language(lang).ContactName("María").
		Agent("ana", "Ana", survey.Human, "support", "billing").
		Agent("bot", "Helper", survey.Bot, "automation").
		ContactSays(surveytest.Padding(120)).
		AgentSays("bot", surveytest.Padding(20)).
		AgentSays("ana", surveytest.Padding(120)).
		Closed()
	h.Clock.Set(conv.ClosedAt)
	return conv
}

func TestAnsweredLongAndRecent_FullFlowRatingCommentThanks(t *testing.T) {
	h := surveytest.New(t, sirena())
	res := h.Close(eligibleChat(h, "c1", "maria", "es-AR"))

	require.True(t, res.Decision.Eligible, res.Decision.String())
	require.Len(t, res.Outbound, 1)
	req := res.Outbound[0]
	assert.Equal(t, survey.KindRatingRequest, req.Kind)
	assert.Equal(t, "es", req.Language, "es-AR falls back to Spanish")
	assert.Equal(t, "Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?\n\n"+
		"1️⃣ Muy insatisfecho\n2️⃣ Insatisfecho\n3️⃣ Neutral\n4️⃣ Satisfecho\n5️⃣ Muy satisfecho", req.Text)
	require.Len(t, req.Choices, 5)
	assert.Equal(t, survey.Choice{Value: 5, Label: "Muy satisfecho", Emoji: "5️⃣", Payload: "rating:5", Title: "5️⃣ Muy satisfecho"}, req.Choices[4])
	assert.Equal(t, survey.FormatList, req.Format, "five options: a WhatsApp list")
	assert.NotEmpty(t, req.IdempotencyKey)

	h.Advance(time.Minute)
	res = h.Reply("tenant", "maria", "whatsapp", "5")
	require.True(t, res.Consumed)
	require.Len(t, res.Outbound, 1)
	assert.Equal(t, survey.KindCommentRequest, res.Outbound[0].Kind)
	assert.Equal(t, "Si tiene un comentario, déjelo a continuación 👇", res.Outbound[0].Text)
	assert.Equal(t, survey.StateAwaitingComment, res.Session.State)

	h.Advance(time.Minute)
	res = h.Reply("tenant", "maria", "whatsapp", "Muy amable, gracias")
	require.True(t, res.Consumed)
	require.Len(t, res.Outbound, 1)
	assert.Equal(t, survey.KindThanks, res.Outbound[0].Kind)
	assert.Equal(t, "¡Gracias por su comentario!", res.Outbound[0].Text)

	s := res.Session
	assert.Equal(t, survey.StateCompleted, s.State)
	assert.True(t, s.Rated)
	assert.Equal(t, 5, s.Rating)
	assert.Equal(t, "Muy amable, gracias", s.Comment)
	assert.True(t, s.Deadline.IsZero(), "a final session has no deadline")
	assert.Equal(t, []survey.MessageKind{survey.KindRatingRequest, survey.KindCommentRequest, survey.KindThanks}, h.Kinds())

	keys := map[string]bool{}
	for _, o := range h.Sent {
		assert.False(t, keys[o.IdempotencyKey], "idempotency key %s used twice", o.IdempotencyKey)
		keys[o.IdempotencyKey] = true
	}
}

func TestAnsweredLongAndRecent_ButtonPayloadKeycapAndLabelWordsAreRatings(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  int
	}{
		{"rating:4", 4},
		{"3️⃣", 3},
		{"muy satisfecho", 5},
		{"Insatisfecho", 2},
		{"le doy un 4/5", 4},
		{"le doy un cinco", 5},
		{"cuatro de cinco", 4},
	} {
		t.Run(tc.reply, func(t *testing.T) {
			h := surveytest.New(t, sirena())
			h.Close(eligibleChat(h, "c1", "maria", "es"))
			res := h.Reply("tenant", "maria", "whatsapp", tc.reply)
			require.True(t, res.Consumed)
			assert.Equal(t, tc.want, res.Session.Rating)
		})
	}
}

func TestAnsweredLongAndRecent_EnglishWhenTheContactSpeaksEnglishOrAnUnknownLanguage(t *testing.T) {
	for _, lang := range []string{"en-GB", "", "tlh"} {
		h := surveytest.New(t, sirena())
		res := h.Close(eligibleChat(h, "c1", "maria", lang))
		require.Len(t, res.Outbound, 1, lang)
		assert.True(t, strings.HasPrefix(res.Outbound[0].Text, "Help us improve."), "language %q got %q", lang, res.Outbound[0].Text)
	}
}

func TestAnsweredLongAndRecent_IneligibleConversationsSayWhy(t *testing.T) {
	h := surveytest.New(t, sirena())
	conv := surveytest.NewConversation("short", "ben", h.Clock.Now()).
		ContactSays("Are you open on Sunday?").
		Closed()
	res := h.Close(conv)
	assert.False(t, res.Decision.Eligible)
	assert.Empty(t, res.Outbound)
	assert.Nil(t, res.Session)
	codes := []string{}
	for _, f := range res.Decision.Failures {
		codes = append(codes, f.Code)
	}
	assert.Equal(t, []string{eligibility.CodeNotAnswered, eligibility.CodeTranscriptShort}, codes, "every failing rule, not only the first")
	assert.Contains(t, res.Decision.String(), "transcript has 23 characters, needs more than 250")
}

func TestAnsweredLongAndRecent_TranscriptBoundary250Versus251(t *testing.T) {
	for _, tc := range []struct {
		chars    int
		eligible bool
	}{{250, false}, {251, true}} {
		h := surveytest.New(t, sirena())
		conv := surveytest.NewConversation("c", "maria", h.Clock.Now()).
			Agent("ana", "Ana", survey.Human).
			ContactSays(surveytest.Padding(tc.chars-100)).
			AgentSays("ana", surveytest.Padding(100)).
			SystemSays("Conversation assigned to Ana: system notes do not count").
			Closed()
		assert.Equal(t, tc.eligible, h.Close(conv).Decision.Eligible, "%d characters", tc.chars)
	}
}

func TestAnsweredLongAndRecent_CloseWithin24HoursOfTheContactsLastMessage(t *testing.T) {
	for _, tc := range []struct {
		gap      time.Duration
		eligible bool
	}{{24 * time.Hour, true}, {24*time.Hour + time.Second, false}} {
		h := surveytest.New(t, sirena())
		b := surveytest.NewConversation("c", "maria", h.Clock.Now()).
			Agent("ana", "Ana", survey.Human).
			AgentSays("ana", surveytest.Padding(150)).
			ContactSays(surveytest.Padding(150))
		last := surveytest.Start.Add(time.Minute) // the contact's message is the second
		res := h.Close(b.ClosedAt(last.Add(tc.gap)))
		assert.Equal(t, tc.eligible, res.Decision.Eligible, "closed %v after: %s", tc.gap, res.Decision)
	}
}

func TestAnsweredLongAndRecent_EachQuestionWaits24Hours(t *testing.T) {
	t.Run("a rating exactly at the deadline counts", func(t *testing.T) {
		h := surveytest.New(t, sirena())
		h.Close(eligibleChat(h, "c1", "maria", "es"))
		h.Advance(24 * time.Hour)
		assert.True(t, h.Reply("tenant", "maria", "whatsapp", "4").Consumed)
	})
	t.Run("a rating one second late is a new conversation", func(t *testing.T) {
		h := surveytest.New(t, sirena())
		res := h.Close(eligibleChat(h, "c1", "maria", "es"))
		h.Advance(24*time.Hour + time.Second)
		late := h.Reply("tenant", "maria", "whatsapp", "4")
		assert.False(t, late.Consumed)
		assert.Empty(t, late.Outbound)
		s := h.Session("tenant", res.Session.ID)
		assert.Equal(t, survey.StateExpired, s.State)
		assert.False(t, s.Rated)
	})
	t.Run("the comment gets its own 24 hours and the rating still counts", func(t *testing.T) {
		h := surveytest.New(t, sirena())
		res := h.Close(eligibleChat(h, "c1", "maria", "es"))
		h.Advance(23 * time.Hour)
		require.True(t, h.Reply("tenant", "maria", "whatsapp", "2").Consumed)
		h.Advance(23 * time.Hour) // 46 h after the close, 23 h after the rating
		require.True(t, h.Reply("tenant", "maria", "whatsapp", "Tardaron mucho").Consumed)
		s := h.Session("tenant", res.Session.ID)
		assert.Equal(t, survey.StateCompleted, s.State)
		assert.Equal(t, 2, s.Rating)
	})
	t.Run("the sweep expires an unanswered survey", func(t *testing.T) {
		h := surveytest.New(t, sirena())
		res := h.Close(eligibleChat(h, "c1", "maria", "es"))
		h.Advance(24 * time.Hour)
		assert.Equal(t, 0, h.Sweep().Expired, "not yet: the deadline itself is still in time")
		h.Advance(time.Second)
		assert.Equal(t, 1, h.Sweep().Expired)
		assert.Equal(t, 0, h.Sweep().Expired, "expired once")
		assert.Equal(t, survey.StateExpired, h.Session("tenant", res.Session.ID).State)
	})
	t.Run("an expired comment question keeps the rating", func(t *testing.T) {
		h := surveytest.New(t, sirena())
		res := h.Close(eligibleChat(h, "c1", "maria", "es"))
		require.True(t, h.Reply("tenant", "maria", "whatsapp", "4").Consumed)
		h.Advance(25 * time.Hour)
		assert.Equal(t, 1, h.Sweep().Expired)
		s := h.Session("tenant", res.Session.ID)
		assert.Equal(t, survey.StateExpired, s.State)
		assert.True(t, s.Rated)
		assert.Equal(t, 4, s.Rating)
	})
}

func TestAnsweredLongAndRecent_AMessageAfterTheLastQuestionIsANewConversation(t *testing.T) {
	h := surveytest.New(t, sirena())
	h.Close(eligibleChat(h, "c1", "maria", "es"))
	h.Reply("tenant", "maria", "whatsapp", "5")
	h.Reply("tenant", "maria", "whatsapp", "Todo bien")
	res := h.Reply("tenant", "maria", "whatsapp", "Otra pregunta: ¿hacen envíos?")
	assert.False(t, res.Consumed)
	assert.Empty(t, res.Outbound)
}

func TestDuplicateDeliveriesChangeNothing(t *testing.T) {
	h := surveytest.New(t, sirena())
	conv := eligibleChat(h, "c1", "maria", "es")
	first := h.Close(conv)
	again := h.Close(conv)
	assert.True(t, again.Duplicate)
	assert.Empty(t, again.Outbound, "the rating request is not sent twice")
	require.Len(t, again.Replay, 1, "but a host whose first attempt failed can still send it")
	assert.Equal(t, first.Outbound[0].IdempotencyKey, again.Replay[0].IdempotencyKey)
	assert.Equal(t, first.Session.ID, again.Session.ID)

	in := &survey.Inbound{TenantID: "tenant", ContactID: "maria", Channel: "whatsapp", MessageID: "wamid-1", Text: "4"}
	r1 := h.Receive(in)
	r2 := h.Receive(in)
	assert.True(t, r1.Consumed)
	assert.True(t, r2.Consumed)
	assert.True(t, r2.Duplicate)
	assert.Empty(t, r2.Outbound)
	require.Len(t, r2.Replay, 1)
	assert.Equal(t, r1.Outbound[0], r2.Replay[0], "the replay is the comment request, same key")
	s := h.Session("tenant", first.Session.ID)
	assert.Equal(t, survey.StateAwaitingComment, s.State, "the retry was not taken as the comment")
	assert.Equal(t, int64(2), s.Version)
}

func TestARepliesThatIsNotAScoreIsRepromptedOnceThenHandedBack(t *testing.T) {
	h := surveytest.New(t, sirena())
	res := h.Close(eligibleChat(h, "c1", "maria", "es"))

	r := h.Reply("tenant", "maria", "whatsapp", "no entiendo")
	require.True(t, r.Consumed)
	require.Len(t, r.Outbound, 1)
	assert.Equal(t, survey.KindReprompt, r.Outbound[0].Kind)
	assert.True(t, strings.HasPrefix(r.Outbound[0].Text, "Por favor, responda con un número del 1 al 5."), r.Outbound[0].Text)
	assert.Equal(t, []string{"no entiendo"}, r.Session.Unparsed(), "consumed text is kept with the session")

	r = h.Reply("tenant", "maria", "whatsapp", "¿dónde está mi pedido?")
	assert.False(t, r.Consumed, "the contact moved on: the host gets the message back")
	s := h.Session("tenant", res.Session.ID)
	assert.Equal(t, survey.StateUnanswered, s.State)
}

func TestAmbiguousAndOutOfRangeRepliesAreReprompted(t *testing.T) {
	for _, reply := range []string{"entre 3 y 4", "7", "10", "siete", "cuatro o cinco"} {
		h := surveytest.New(t, sirena())
		h.Close(eligibleChat(h, "c1", "maria", "es"))
		r := h.Reply("tenant", "maria", "whatsapp", reply)
		require.True(t, r.Consumed, reply)
		require.Len(t, r.Outbound, 1)
		assert.Equal(t, survey.KindReprompt, r.Outbound[0].Kind, reply)
		assert.False(t, r.Session.Rated, reply)
	}
}

func TestANewCloseSupersedesTheContactsUnansweredSurvey(t *testing.T) {
	h := surveytest.New(t, sirena())
	old := h.Close(eligibleChat(h, "c1", "maria", "es"))
	h.Advance(time.Hour)
	newer := h.Close(eligibleChat(h, "c2", "maria", "es"))
	require.True(t, newer.Decision.Eligible)
	assert.Equal(t, survey.StateCancelled, h.Session("tenant", old.Session.ID).State)
	r := h.Reply("tenant", "maria", "whatsapp", "3")
	assert.Equal(t, newer.Session.ID, r.Session.ID, "the reply rates the newest conversation")
}

func TestLongCommentsAreCutAndFlaggedNeverDropped(t *testing.T) {
	store := memory.New()
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{Store: store, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}, MaxCommentLength: 10})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = e.ConversationClosed(ctx, &survey.Conversation{TenantID: "t", ID: "c", Channel: "whatsapp", Contact: survey.Contact{ID: "m"}})
	require.NoError(t, err)
	_, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "m", Channel: "whatsapp", MessageID: "1", Text: "5"})
	require.NoError(t, err)
	res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "m", Channel: "whatsapp", MessageID: "2", Text: "ñññññ ñññññ ñññññ \xff"})
	require.NoError(t, err)
	assert.Equal(t, 10, len([]rune(res.Session.Comment)))
	assert.Equal(t, "ñññññ ññññ", res.Session.Comment)
	assert.True(t, res.Session.CommentTruncated)

	_, err = e.ConversationClosed(ctx, &survey.Conversation{TenantID: "t", ID: "c2", Channel: "whatsapp", Contact: survey.Contact{ID: "m2"}})
	require.NoError(t, err)
	res, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "m2", Channel: "whatsapp", MessageID: "3", Text: "no sé qué poner aquí"})
	require.NoError(t, err)
	assert.Equal(t, []string{"no sé qué "}, res.Session.Unparsed(), "a long reply that is not a score is kept up to the limit")
	assert.True(t, res.Session.Turns[0].Truncated)
}

func TestBadInputIsAClearError(t *testing.T) {
	h := surveytest.New(t, sirena())
	ctx := context.Background()
	for name, conv := range map[string]*survey.Conversation{
		"nil":        nil,
		"no tenant":  {ID: "c", Contact: survey.Contact{ID: "m"}},
		"no ID":      {TenantID: "t", Contact: survey.Contact{ID: "m"}},
		"no contact": {TenantID: "t", ID: "c"},
	} {
		_, err := h.Engine.ConversationClosed(ctx, conv)
		assert.ErrorIs(t, err, survey.ErrInvalidInput, name)
	}
	for name, in := range map[string]*survey.Inbound{
		"nil":           nil,
		"no message ID": {TenantID: "t", ContactID: "m", Channel: "whatsapp"},
		"no contact":    {TenantID: "t", Channel: "whatsapp", MessageID: "1"},
		"no channel":    {TenantID: "t", ContactID: "m", MessageID: "1"},
	} {
		_, err := h.Engine.HandleMessage(ctx, in)
		assert.ErrorIs(t, err, survey.ErrInvalidInput, name)
	}
	r, err := h.Engine.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "nobody", Channel: "whatsapp", MessageID: "1", Text: "5"})
	require.NoError(t, err)
	assert.False(t, r.Consumed, "no survey waits for an unknown contact")
}

func TestInvalidSurveyDefinitionsAreRejected(t *testing.T) {
	for name, def := range map[string]survey.Definition{
		"empty ID":        {},
		"negative window": {ID: "x", ResponseWindow: -time.Hour},
		"unknown placeholder": {ID: "x", Overrides: map[string]map[i18n.Key]string{
			"es": {"rating.prompt": "Hola {nombre}"},
		}},
		"nil rule": {ID: "x", Rules: []survey.Rule{nil}},
	} {
		_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{def}})
		assert.ErrorIs(t, err, survey.ErrInvalidSurvey, name)
	}
	_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "a"}, {ID: "a"}}})
	assert.ErrorIs(t, err, survey.ErrInvalidSurvey, "two surveys with one name")
	_, err = survey.New(survey.Config{})
	assert.Error(t, err, "a store is required")
}

func TestSkippedCommentGoesStraightToThanks(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SkipComment: true})
	h.Close(eligibleChat(h, "c1", "maria", "en"))
	r := h.Reply("tenant", "maria", "whatsapp", "very satisfied")
	require.Len(t, r.Outbound, 1)
	assert.Equal(t, survey.KindThanks, r.Outbound[0].Kind)
	assert.Equal(t, survey.StateCompleted, r.Session.State)
	assert.Equal(t, 5, r.Session.Rating)
}

func TestAnsweredLongAndRecent_ReportSumsPerAgentAndGroup(t *testing.T) {
	h := surveytest.New(t, sirena())
	rate := func(id, contact, agent string, groups []string, score string) {
		conv := surveytest.NewConversation(id, contact, h.Clock.Now()).
			Agent(agent, agent, survey.Human, groups...).
			Agent("lead", "Lead", survey.Human, "support").
			ContactSays(surveytest.Padding(200)).
			AgentSays(agent, surveytest.Padding(60)).
			AgentSays("lead", "ok").
			Closed()
		h.Clock.Set(conv.ClosedAt)
		require.True(t, h.Close(conv).Decision.Eligible)
		require.True(t, h.Reply("tenant", contact, "whatsapp", score).Consumed)
	}
	rate("c1", "u1", "ana", []string{"support"}, "5")
	rate("c2", "u2", "ana", []string{"support"}, "4")
	rate("c3", "u3", "bruno", []string{"billing"}, "2")

	rep, err := report.Build(context.Background(), h.Store.(report.Source), "tenant", report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	assert.Equal(t, int64(9), rep.ByAgent.Get("ana").Sum())
	assert.Equal(t, int64(2), rep.ByAgent.Get("bruno").Sum())
	assert.Equal(t, int64(11), rep.ByAgent.Get("lead").Sum(), "every agent who took part counts the answer")
	assert.Equal(t, int64(11), rep.ByGroup.Get("support").Sum(), "a conversation counts once per group, even with two support agents")
	assert.Equal(t, int64(2), rep.ByGroup.Get("billing").Sum())
	assert.Equal(t, int64(3), rep.Overall.Count())
	assert.InDelta(t, 66.666, rep.Overall.SatisfiedPercent(), 0.01, "4 and 5 count as satisfied")
	assert.Equal(t, int64(11), rep.ByChannel.Get("whatsapp").Sum())
	assert.Equal(t, []string{"whatsapp"}, rep.ByChannel.Keys())
}

func TestIDsAStoreCouldNotKeepAreInvalidInput(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	ctx := context.Background()
	for _, bad := range []string{"a\x00b", "a\xffb", strings.Repeat("x", survey.MaxIDBytes+1)} {
		for field, conv := range map[string]*survey.Conversation{
			"tenant":       {TenantID: "t" + bad, ID: "c", Contact: survey.Contact{ID: "u"}},
			"conversation": {TenantID: "t", ID: "c" + bad, Contact: survey.Contact{ID: "u"}},
			"contact":      {TenantID: "t", ID: "c", Contact: survey.Contact{ID: "u" + bad}},
			"channel":      {TenantID: "t", ID: "c", Channel: "wa" + bad, Contact: survey.Contact{ID: "u"}},
			"agent":        {TenantID: "t", ID: "c", Contact: survey.Contact{ID: "u"}, Participants: []survey.Participant{{ID: "a" + bad}}},
			"group":        {TenantID: "t", ID: "c", Contact: survey.Contact{ID: "u"}, Participants: []survey.Participant{{ID: "a", Groups: []string{"g" + bad}}}},
		} {
			_, err := h.Engine.ConversationClosed(ctx, conv)
			assert.ErrorIs(t, err, survey.ErrInvalidInput, "%s %q", field, bad)
		}
		_, err := h.Engine.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "u", MessageID: "m" + bad, Text: "5"})
		assert.ErrorIs(t, err, survey.ErrInvalidInput, "message ID %q", bad)
	}
	_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "s", Scale: &scoring.Scale{}}}})
	assert.ErrorIs(t, err, survey.ErrInvalidSurvey, "a zero-value scale")
}

func TestResultsAreJSONForAHostsAPI(t *testing.T) {
	h := surveytest.New(t, sirena())
	res := h.Close(eligibleChat(h, "c1", "maria", "es"))
	data, err := json.Marshal(res)
	require.NoError(t, err)
	var wire map[string]any
	require.NoError(t, json.Unmarshal(data, &wire))
	assert.Equal(t, true, wire["decision"].(map[string]any)["eligible"])
	out := wire["outbound"].([]any)[0].(map[string]any)
	assert.Equal(t, "rating_request", out["kind"])
	assert.Equal(t, res.Outbound[0].IdempotencyKey, out["idempotency_key"])
	assert.Len(t, out["choices"], 5)
	session := wire["session"].(map[string]any)
	assert.Equal(t, "awaiting_rating", session["state"])
	assert.NotContains(t, session, "rated_at", "times not yet set are left out")

	var back survey.Result
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, res.Outbound, back.Outbound)
	assert.True(t, res.Session.Deadline.Equal(back.Session.Deadline))
}
