package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"golang.org/x/text/language"
)

func reminding() survey.Definition {
	return survey.Definition{ID: "csat", Reminder: &survey.Reminder{After: 4 * time.Hour}}
}

// A contact who has not answered gets one reminder, 4 h into the 24 h: the
// question again, with the same choices, under its own key; then the
// question expires at its real end.
func TestOneReminderRepeatsTheQuestionBeforeItExpires(t *testing.T) {
	h := surveytest.New(t, reminding())
	res := h.Close(chatOn(h, "c1", "messenger", "es"))
	req := res.Outbound[0]
	sent := h.Clock.Now()
	s := h.Session("tenant", res.Session.ID)
	assert.Equal(t, sent.Add(4*time.Hour), s.Deadline, "the sweep finds the session due at the reminder")
	assert.Equal(t, sent.Add(24*time.Hour), s.Expires, "the question's real end")

	h.Advance(4*time.Hour - time.Second)
	assert.Empty(t, h.Sweep().Outbound, "not yet")
	h.Advance(2 * time.Second)
	sw := h.Sweep()
	require.Len(t, sw.Outbound, 1)
	assert.Equal(t, 1, sw.Reminded)
	assert.Equal(t, 0, sw.Sent, "a reminder is no new survey")
	rem := sw.Outbound[0]
	assert.Equal(t, survey.KindReminder, rem.Kind)
	assert.Equal(t, res.Session.ID+"/reminder/1", rem.IdempotencyKey)
	assert.True(t, strings.HasPrefix(rem.Prompt, "Le recordamos que aún puede contarnos cómo lo atendimos."), rem.Prompt)
	assert.Contains(t, rem.Prompt, req.Prompt, "the question again")
	assert.Equal(t, req.Choices, rem.Choices, "with the same choices")
	assert.Equal(t, req.Format, rem.Format)
	s = h.Session("tenant", res.Session.ID)
	assert.Equal(t, 1, s.Reminders)
	assert.Equal(t, h.Clock.Now(), s.RemindedAt)
	assert.Equal(t, sent.Add(24*time.Hour), s.Deadline, "back to the real end")
	assert.True(t, s.Expires.IsZero())

	h.Advance(10 * time.Hour)
	assert.Empty(t, h.Sweep().Outbound, "one reminder, not two")
	assert.Equal(t, survey.StateAwaitingRating, h.Session("tenant", res.Session.ID).State, "still waiting: the question has not expired")
	r := h.Reply("tenant", "contact-c1", "messenger", rem.Choices[4].Title)
	require.True(t, r.Consumed, "an answer after the reminder")
	assert.Equal(t, 5, r.Session.Rating)
}

// A reply before the reminder's time — even one that held no score, even
// at the reminder's very time — means no reminder; so do a reopen and an
// ended survey.
func TestNoReminderAfterAnyAnswerAReopenOrTheEnd(t *testing.T) {
	h := surveytest.New(t, reminding())
	answered := h.Close(chatOn(h, "a", "whatsapp", "en")).Session.ID
	h.Reply("tenant", "contact-a", "whatsapp", "5")
	talked := h.Close(chatOn(h, "b", "whatsapp", "en")).Session.ID
	h.Reply("tenant", "contact-b", "whatsapp", "what do you mean?")
	conv := chatOn(h, "c", "whatsapp", "en")
	reopened := h.Close(conv).Session.ID
	_, err := h.Engine.ConversationReopened(context.Background(), conv)
	require.NoError(t, err)
	h.Advance(5 * time.Hour)
	sw := h.Sweep()
	assert.Empty(t, sw.Outbound)
	assert.Zero(t, sw.Reminded)
	for _, id := range []string{answered, talked, reopened} {
		assert.Zero(t, h.Session("tenant", id).Reminders, id)
	}
}

// A reminder decided but not yet handed out when the contact answers is
// withdrawn: the contact who answered never gets it.
func TestAPendingReminderIsWithdrawnWhenTheContactAnswers(t *testing.T) {
	st := memory.New()
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{Store: st, Surveys: []survey.Definition{reminding()}}})
	id := h.Close(chatOn(h, "c1", "whatsapp", "en")).Session.ID
	ctx := context.Background()
	_, err := h.Engine.Deliver(ctx, func(context.Context, survey.Effect) error { return nil }, survey.DeliverOptions{})
	require.NoError(t, err)
	h.Advance(4*time.Hour + time.Second)
	require.Equal(t, 1, h.Sweep().Reminded)
	require.Len(t, h.Session("tenant", id).Pending, 1)
	h.Reply("tenant", "contact-c1", "whatsapp", "4")
	var kinds []survey.MessageKind
	_, err = h.Engine.Deliver(ctx, func(_ context.Context, f survey.Effect) error {
		kinds = append(kinds, f.Message.Kind)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	assert.NotContains(t, kinds, survey.KindReminder)
	assert.Contains(t, kinds, survey.KindCommentRequest)
}

// Outside the channel's messaging window the reminder is skipped — never
// sent as a template — and counted.
func TestAReminderOutsideTheMessagingWindowIsSkippedAndCounted(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", Reminder: &survey.Reminder{After: 20 * time.Hour}})
	conv := chatOn(h, "c1", "whatsapp", "en")
	conv.Messages[0].SentAt = conv.ClosedAt.Add(-10 * time.Hour) // the window closes 14 h after the send
	id := h.Close(conv).Session.ID
	h.Advance(20*time.Hour + time.Second)
	sw := h.Sweep()
	assert.Empty(t, sw.Outbound)
	assert.Equal(t, 1, sw.RemindersSkipped)
	s := h.Session("tenant", id)
	assert.Zero(t, s.Reminders)
	assert.Equal(t, survey.StateAwaitingRating, s.State)
	h.Advance(4 * time.Hour)
	assert.Equal(t, 1, h.Sweep().Expired, "it still expires at its real end")
}

// The reminder handed out by Deliver is the one the sweep returned; on
// e-mail it carries the same signed links as the request.
func TestAReminderRendersTheSameWhenDelivered(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{Surveys: []survey.Definition{reminding()},
		Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok }}})
	req := h.Close(chatOn(h, "c1", "email", "fr")).Outbound[0]
	require.NotEmpty(t, req.HTML)
	h.Advance(4*time.Hour + time.Second)
	sw := h.Sweep()
	require.Len(t, sw.Outbound, 1)
	assert.Contains(t, sw.Outbound[0].HTML, linksOf(req.HTML), "the same signed links")
	var got []survey.Outbound
	_, err = h.Engine.Deliver(context.Background(), func(_ context.Context, f survey.Effect) error {
		got = append(got, f.Message)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, sw.Outbound[0], got[1])
}

// linksOf is the first link of an e-mail fragment.
func linksOf(html string) string {
	i := strings.Index(html, "https://rate.example/r?t=")
	j := strings.IndexByte(html[i:], '"')
	return html[i : i+j]
}

// Every shipped language has the reminder's text, and a reminder that
// cannot come before the question's end is refused.
func TestReminderTextsAndSettings(t *testing.T) {
	for _, lang := range shippedLanguages {
		text, ok := i18n.Shipped().Text(language.MustParse(lang), i18n.KeyReminder)
		assert.True(t, ok && text != "", lang)
	}
	for _, r := range []survey.Reminder{{After: 0}, {After: -time.Hour}, {After: 24 * time.Hour}, {After: time.Hour, Count: -1}, {After: 8 * time.Hour, Count: 3}} {
		err := survey.Validate(survey.Definition{ID: "csat", Reminder: &r})
		require.Error(t, err, "%+v", r)
		assert.Contains(t, err.Error(), "reminder")
	}
	require.NoError(t, survey.Validate(survey.Definition{ID: "csat", Reminder: &survey.Reminder{After: 7 * time.Hour, Count: 3}}))
}

// Two reminders, each After apart, when the survey asks for two.
func TestRemindersRepeatUpToTheirCount(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", Reminder: &survey.Reminder{After: 6 * time.Hour, Count: 2}})
	id := h.Close(chatOn(h, "c1", "webchat", "de")).Session.ID
	var keys []string
	for range 4 {
		h.Advance(6*time.Hour + time.Second)
		for _, o := range h.Sweep().Outbound {
			keys = append(keys, o.IdempotencyKey)
		}
	}
	assert.Equal(t, []string{id + "/reminder/1", id + "/reminder/2"}, keys)
	assert.Equal(t, survey.StateExpired, h.Session("tenant", id).State)
}

// A reminder decided before its survey was redefined without reminders is
// still handed out, not stuck failing in front of the session's effects.
func TestAReminderOutlivesARedefinitionWithoutReminders(t *testing.T) {
	h := surveytest.New(t, reminding())
	h.Close(chatOn(h, "c1", "whatsapp", "pt"))
	h.Advance(4*time.Hour + time.Second)
	require.Equal(t, 1, h.Sweep().Reminded)
	require.NoError(t, h.Engine.SetTenantSurveys("tenant", []survey.Definition{{ID: "csat"}}))
	var kinds []survey.MessageKind
	res, err := h.Engine.Deliver(context.Background(), func(_ context.Context, f survey.Effect) error {
		kinds = append(kinds, f.Message.Kind)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	assert.Zero(t, res.Failed)
	assert.Equal(t, []survey.MessageKind{survey.KindRatingRequest, survey.KindReminder}, kinds)
}
