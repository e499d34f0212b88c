package reliability_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// allScales are the shipped scales the parser must survive.
func allScales() []*scoring.Scale {
	return []*scoring.Scale{scoring.CSAT5(), scoring.Emoji5(), scoring.NPS10()}
}

func TestTheReplyParserAnswersEveryHostileReplyWithAScoreOrAnError(t *testing.T) {
	extra := []string{strings.Repeat("5", 1<<20), strings.Repeat("⭐", 100000), "5\x00", "\x005", "٥", "５/５", "1e9", "0x05", "NaN"}
	for _, scale := range allScales() {
		p, err := scoring.NewParser(scale, nil)
		require.NoError(t, err)
		texts := extra
		for _, ht := range storetest.HostileTexts {
			texts = append(texts, ht.Text)
		}
		for _, text := range texts {
			v, err := p.Parse(text)
			if err != nil {
				assert.NotEmpty(t, err.Error(), "%s: %q", scale.ID(), text)
				continue
			}
			assert.True(t, scale.Contains(v), "%s: %q parsed as %d, off the scale", scale.ID(), text, v)
		}
	}
}

func TestTheRendererCleansAndEscapesHostileValues(t *testing.T) {
	for _, ht := range storetest.HostileTexts {
		vars := i18n.Vars{"contact": ht.Text, "agent": ht.Text}
		plain, err := i18n.Render("Hi {contact}, {agent} here.", vars, i18n.Plain)
		require.NoError(t, err, ht.Name)
		page, err := i18n.Render("Hi {contact}, {agent} here.", vars, i18n.HTML)
		require.NoError(t, err, ht.Name)
		for _, out := range []string{plain, page} {
			assert.True(t, utf8.ValidString(out), ht.Name)
			assert.NotContains(t, out, "\u202e", "%s: bidi override removed", ht.Name)
			assert.NotContains(t, out, "\x00", "%s: NUL removed", ht.Name)
			assert.NotContains(t, out, "\n", "%s: a value cannot forge lines", ht.Name)
		}
		assert.NotContains(t, page, "<script", ht.Name)
		assert.NotContains(t, page, "<img", ht.Name)
	}
}

// hostileName is a contact and agent name built to break out of HTML.
const hostileName = `Zoë"><script>alert(1)</script>` + "\u202e"

func TestHostileNamesAreEscapedInTheEmailAndOnTheRatingPage(t *testing.T) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	prompt := i18n.PromptKey(scoring.CSAT5().ID())
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Links: signer,
		LinkURL: func(tok string) string { return "https://rate.example/r?t=" + url.QueryEscape(tok) },
		Surveys: []survey.Definition{{ID: "csat", Overrides: map[string]map[i18n.Key]string{
			"en": {prompt: "{contact}, how did {agent} do?", i18n.KeyEmailPrompt: "{contact}, how did {agent} do?"}}}}})
	require.NoError(t, err)
	res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "email",
		Contact:      survey.Contact{ID: "u1", Name: hostileName, Language: "en"},
		Participants: []survey.Participant{{ID: "a1", Name: hostileName, Kind: survey.Human}}, ClosedAt: relStart})
	require.NoError(t, err)
	require.Len(t, res.Outbound, 1)
	mail := res.Outbound[0]
	require.NotEmpty(t, mail.HTML)
	assert.Contains(t, mail.HTML, html.EscapeString(`Zoë"><script>alert(1)</script>`), "the name is there, escaped")
	assert.NotContains(t, mail.HTML, "<script", "no markup from a name in the e-mail")
	assert.NotContains(t, mail.Text, "\u202e", "no bidi override in the text")
	assert.Contains(t, mail.Text, `Zoë"><script>`, "plain text keeps the name as written")

	page, err := ratingpage.New(e, ratingpage.Options{CSRFKey: []byte(strings.Repeat("k", 32)),
		Tenant: func(*http.Request) (string, error) { return "acme", nil }})
	require.NoError(t, err)
	token, err := signer.Sign("acme", res.Session.ID, 4, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r?t="+url.QueryEscape(token), nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "the name is on the page, escaped")
	assert.Contains(t, body, "<script>", "the page's own script")
	assert.NotContains(t, withoutPageScript(body), "<script", "no markup from a name on the page")
	assert.NotContains(t, body, "\u202e")

	// Hostile tokens and comments on the page get an error page, never a
	// 500 or a reflected value.
	for _, ht := range storetest.HostileTexts {
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r?t="+url.QueryEscape(ht.Text), nil))
		assert.Less(t, rec.Code, 500, ht.Name)
		assert.GreaterOrEqual(t, rec.Code, 400, ht.Name)
		assert.NotContains(t, rec.Body.String(), "<script", ht.Name)
	}
}

func TestBadEventsGetAClearErrorNeverAPanic(t *testing.T) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Links: signer,
		LinkURL: func(tok string) string { return tok }, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "whatsapp",
		Contact: survey.Contact{ID: "u1", Language: "en"}, ClosedAt: relStart})
	require.NoError(t, err)
	sessionID := res.Session.ID
	token, err := signer.Sign("acme", sessionID, 4, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	offScale, err := signer.Sign("acme", sessionID, 42, clock.Now().Add(time.Hour))
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		call func() error
		want error
	}{
		{"nil conversation", func() error { _, err := e.ConversationClosed(ctx, nil); return err }, survey.ErrInvalidInput},
		{"conversation without tenant", func() error {
			_, err := e.ConversationClosed(ctx, &survey.Conversation{ID: "c", Contact: survey.Contact{ID: "u"}})
			return err
		}, survey.ErrInvalidInput},
		{"conversation without contact", func() error {
			_, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c"})
			return err
		}, survey.ErrInvalidInput},
		{"reopen of nothing", func() error { _, err := e.ConversationReopened(ctx, nil); return err }, survey.ErrInvalidInput},
		{"nil inbound", func() error { _, err := e.HandleMessage(ctx, nil); return err }, survey.ErrInvalidInput},
		{"inbound without message ID", func() error {
			_, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "u1", Text: "5"})
			return err
		}, survey.ErrInvalidInput},
		{"review of an unknown session", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: "no-such-session", ReviewerID: "boss", Score: 3})
			return err
		}, survey.ErrNotFound},
		{"review of an unknown tenant", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "nobody", SessionID: sessionID, ReviewerID: "boss", Score: 3})
			return err
		}, survey.ErrNotFound},
		{"review score above the scale", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: sessionID, ReviewerID: "boss", Score: 6})
			return err
		}, survey.ErrInvalidInput},
		{"review score below the scale", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: sessionID, ReviewerID: "boss", Score: -1})
			return err
		}, survey.ErrInvalidInput},
		{"review comment of invalid UTF-8", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: sessionID, ReviewerID: "boss", Score: 3, Comment: "\xff"})
			return err
		}, survey.ErrInvalidInput},
		{"review comment over the limit", func() error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: sessionID, ReviewerID: "boss", Score: 3,
				Comment: strings.Repeat("x", survey.DefaultMaxCommentLength+1)})
			return err
		}, survey.ErrInvalidInput},
		{"link value off the scale", func() error { _, err := e.ConfirmLink(ctx, "acme", offScale); return err }, survey.ErrInvalidInput},
		{"link changed to a value off the scale", func() error { _, err := e.ConfirmLinkAs(ctx, "acme", token, 0); return err }, survey.ErrInvalidInput},
		{"link of an unknown session", func() error {
			tok, err := signer.Sign("acme", "guessed-session", 4, clock.Now().Add(time.Hour))
			require.NoError(t, err)
			_, err = e.OpenLink(ctx, "acme", tok)
			return err
		}, survey.ErrLinkClosed},
		{"scale of an unknown survey", func() error { _, err := e.Scale("acme", "nope"); return err }, survey.ErrUnknownSurvey},
		{"report over an empty time range", func() error {
			_, err := report.Build(ctx, memory.New(), "acme", report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: clock.Now(), To: clock.Now()}})
			return err
		}, report.ErrInvalid},
		{"report by period without a range", func() error {
			_, err := report.Build(ctx, memory.New(), "acme", report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByDay}})
			return err
		}, report.ErrInvalid},
		{"registry page of zero", func() error { _, _, err := report.Page(ctx, memory.New(), "acme", report.Filter{}, 0, nil); return err }, report.ErrInvalid},
		{"manual survey of an unknown survey", func() error {
			_, err := e.RequestSurvey(ctx, &survey.Conversation{TenantID: "acme", ID: "c9", Channel: "whatsapp", Contact: survey.Contact{ID: "u9"}}, survey.Request{SurveyID: "nope"})
			return err
		}, survey.ErrUnknownSurvey},
		{"tenant surveys without tenant", func() error { return e.SetTenantSurveys("", []survey.Definition{{ID: "x"}}) }, survey.ErrInvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tc.call() })
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
		})
	}

	t.Run("a message for an unknown tenant, contact or channel is not consumed", func(t *testing.T) {
		for _, in := range []*survey.Inbound{
			{TenantID: "nobody", ContactID: "u1", Channel: "whatsapp", MessageID: "x1", Text: "5"},
			{TenantID: "acme", ContactID: "nobody", Channel: "whatsapp", MessageID: "x2", Text: "5"},
			{TenantID: "acme", ContactID: "u1", Channel: "sms", MessageID: "x3", Text: "5"},
		} {
			res, err := e.HandleMessage(ctx, in)
			require.NoError(t, err)
			assert.False(t, res.Consumed, "%+v", in)
		}
		s, err := e.LastRating(ctx, "acme", "u1")
		assert.ErrorIs(t, err, survey.ErrNotFound, "nothing was rated: %v", s)
	})
}

func TestTimestampsFromTheFutureOrGoingBackwardsChangeNothingUnexpected(t *testing.T) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	closeConv := func(id, contact string, closedAt time.Time) *survey.Result {
		res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: id, Channel: "whatsapp",
			Contact: survey.Contact{ID: contact, Language: "en"}, ClosedAt: closedAt})
		require.NoError(t, err)
		return res
	}
	// A close time in the future and a reply stamped in 2100: the engine
	// trusts its own clock.
	future := closeConv("c1", "u1", relStart.Add(100*24*time.Hour))
	require.NotNil(t, future.Session)
	res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "u1", Channel: "whatsapp", MessageID: "m1",
		Text: "4", ReceivedAt: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.True(t, res.Consumed, "a timestamp from the future is taken as now, not as late")
	assert.Equal(t, relStart, res.Session.RatedAt)

	// The clock goes back two hours (a host with a bad clock): nothing
	// expires early, and a reply is still an answer; but a reply stamped
	// two days before the survey was sent was written before the contact
	// could see it, and is never its answer.
	closeConv("c2", "u2", relStart)
	clock.Set(relStart.Add(-2 * time.Hour))
	sw, err := e.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, sw.Expired)
	res, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "u2", Channel: "whatsapp", MessageID: "m-early", Text: "1",
		ReceivedAt: relStart.Add(-48 * time.Hour)})
	require.NoError(t, err)
	assert.False(t, res.Consumed, "written before the survey was sent")
	res, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "u2", Channel: "whatsapp", MessageID: "m2", Text: "2"})
	require.NoError(t, err)
	assert.True(t, res.Consumed)
	assert.Equal(t, 2, res.Session.Rating)
	// And forward again past the deadline: the waiting comment expires
	// once, keeping the score.
	clock.Set(relStart.Add(30 * time.Hour))
	sw, err = e.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, sw.Expired)
	last, err := e.LastRating(ctx, "acme", "u2")
	require.NoError(t, err)
	assert.Equal(t, survey.StateExpired, last.State)
	assert.Equal(t, 2, last.Rating)
}

func TestDefinitionsWithOverlapsGapsOrBrokenTextsAreRefused(t *testing.T) {
	prompt := i18n.PromptKey(scoring.CSAT5().ID())
	for _, tc := range []struct {
		name string
		def  survey.Definition
	}{
		{"empty ID", survey.Definition{}},
		{"overlapping follow-up bands", survey.Definition{ID: "s", FollowUps: []survey.FollowUp{
			{From: 1, To: 3, Prompt: i18n.KeyFollowUpNegative}, {From: 3, To: 5, Prompt: i18n.KeyFollowUpPositive}}}},
		{"a band off the scale", survey.Definition{ID: "s", FollowUps: []survey.FollowUp{{From: 0, To: 9, Prompt: i18n.KeyFollowUpNegative}}}},
		{"a band upside down", survey.Definition{ID: "s", FollowUps: []survey.FollowUp{{From: 4, To: 2, Prompt: i18n.KeyFollowUpNegative}}}},
		{"a band without a question", survey.Definition{ID: "s", FollowUps: []survey.FollowUp{{From: 1, To: 2}}}},
		{"a text with an unclosed placeholder", survey.Definition{ID: "s", Overrides: map[string]map[i18n.Key]string{"en": {prompt: "Hi {contact"}}}},
		{"a text with an unknown placeholder", survey.Definition{ID: "s", Overrides: map[string]map[i18n.Key]string{"en": {prompt: "Hi {password}"}}}},
		{"a text of invalid UTF-8", survey.Definition{ID: "s", Overrides: map[string]map[i18n.Key]string{"en": {prompt: "Hi \xff"}}}},
		{"a language the texts do not have", survey.Definition{ID: "s", Languages: []string{"tlh"}}},
		{"a prompt key that does not exist", survey.Definition{ID: "s", PromptKey: "no.such.key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() {
				_, err = survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{tc.def}})
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, survey.ErrInvalidSurvey)
		})
	}
	t.Run("two surveys with one ID", func(t *testing.T) {
		_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "s"}, {ID: "s"}}})
		assert.ErrorIs(t, err, survey.ErrInvalidSurvey)
	})
	t.Run("eligibility rules nested beyond the limit", func(t *testing.T) {
		deep := strings.Repeat(`{"rule":"not","of":`, eligibility.MaxDepth+5) + `{"rule":"answered_by_agent"}` + strings.Repeat("}", eligibility.MaxDepth+5)
		var err error
		require.NotPanics(t, func() { _, err = eligibility.Load([]byte(`{"rules":[` + deep + `]}`)) })
		assert.ErrorIs(t, err, eligibility.ErrInvalidConfig)
		deeper := strings.Repeat("[", 200000)
		require.NotPanics(t, func() { _, err = eligibility.Load([]byte(deeper)) })
		assert.Error(t, err)
	})
}
