package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"github.com/surveyflow/surveyflow/surveyconfig"
	"golang.org/x/text/language"
)

// definitionFromJSON reads one survey definition with surveyconfig, the
// library's JSON form.
func definitionFromJSON(data []byte) (survey.Definition, error) {
	var d surveyconfig.Definition
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return survey.Definition{}, fmt.Errorf("%w: %v", surveyconfig.ErrInvalid, err)
	}
	return d.Survey()
}

// FuzzSurveyDefinitionJSON feeds arbitrary JSON definitions through
// surveyconfig to survey.New: they are accepted or refused with
// surveyconfig.ErrInvalid, never panic; an accepted survey runs a whole
// conversation without an error and speaks valid UTF-8.
func FuzzSurveyDefinitionJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"csat"}`,
		`{"id":"csat","scale":"emoji5","send_delay":"1h","response_window":"2d","texts":{"es":{"thanks":"¡Gracias, {contact}!"}}}`,
		`{"id":"nps","scale":"nps10","follow_ups":[{"from":0,"to":6,"prompt":"followup.negative"},{"from":9,"to":10,"prompt":"followup.positive"}]}`,
		`{"id":"x","follow_ups":[{"from":1,"to":3,"prompt":"followup.negative"},{"from":2,"to":5,"prompt":"followup.positive"}]}`,
		`{"id":"x","scale":"ces7","band_follow_ups":true,"low_score_below":3,"responsible":["lead"]}`,
		`{"id":"x","languages":["fr","en"],"skip_comment":true,"skip_thanks":true,"max_reprompts":-1}`,
		`{"id":"x","rules":[{"rule":"answered_by_agent"},{"rule":"closed_within","within":"1d"}]}`,
		`{"id":"x","texts":{"en":{"thanks":"{contact"}}}`,
		`{"id":"x","texts":{"en":{"thanks":"<script>{contact}</script>"}},"company":"\u202eACME"}`,
		`{"id":"x","rating_time_limit":"-1h"}`,
		`{"id":"","scale":"stars"}`, `{}`, `null`, `[]`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := definitionFromJSON(data)
		if err != nil {
			if !errors.Is(err, surveyconfig.ErrInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		ctx := context.Background()
		clock := surveytest.NewClock(relStart)
		e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Surveys: []survey.Definition{def}})
		if err != nil {
			if !errors.Is(err, survey.ErrInvalidSurvey) {
				t.Fatalf("New refused %s without ErrInvalidSurvey: %v", data, err)
			}
			return
		}
		conv := surveytest.NewConversation("c1", "u1", relStart.Add(-time.Hour)).Channel("whatsapp").Language("en").
			ContactName(hostileName).Agent("a1", hostileName, survey.Human, "g").
			ContactSays(surveytest.Padding(300)).AgentSays("a1", surveytest.Padding(300)).Closed()
		res, err := e.ConversationClosed(ctx, conv)
		if err != nil {
			t.Fatalf("close: %v", err)
		}
		var out []survey.Outbound
		out = append(out, res.Outbound...)
		scale := def.Scale
		if scale == nil {
			scale = scoring.CSAT5()
		}
		if res.Session != nil {
			clock.Advance(time.Duration(def.SendDelay) + time.Second)
			sw, err := e.Sweep(ctx)
			if err != nil {
				t.Fatalf("sweep: %v", err)
			}
			out = append(out, sw.Outbound...)
			for i, text := range []string{"maybe", fmt.Sprint(scale.Max()), "thanks <b>all</b>"} {
				r, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "tenant", ContactID: "u1", Channel: "whatsapp", MessageID: fmt.Sprint(i), Text: text})
				if err != nil {
					t.Fatalf("reply %q: %v", text, err)
				}
				out = append(out, r.Outbound...)
			}
		}
		for _, o := range out {
			if !utf8.ValidString(o.Text) || strings.Contains(o.Text, "\u202e") {
				t.Fatalf("%s message %q", o.Kind, o.Text)
			}
		}
	})
}

// FuzzCatalogOverrides feeds arbitrary override texts to the shipped
// catalog: With accepts or refuses them, never panics, and whatever it
// accepts validates, renders as valid UTF-8, and keeps values' markup out
// of HTML.
func FuzzCatalogOverrides(f *testing.F) {
	f.Add("es", "thanks", "¡Gracias, {contact}!", "<b>x</b>")
	f.Add("en", "csat5.prompt", "{rating, plural, one {# star} other {# stars}}", "\u202e")
	f.Add("ru", "reprompt", "{hours, plural, one {# час} few {# часа} many {# часов} other {# часа}}", "5")
	f.Add("pt-BR", "email.prompt", "{{not a placeholder}}", "\xff")
	f.Add("zz", "no.such.key", "{contact", "")
	f.Add("", "thanks", "", "")
	f.Add("fr", "thanks", "\x00\xff{agent}", "a\nb")
	f.Fuzz(func(t *testing.T, lang, key, text, value string) {
		if len(text) > 4096 {
			return
		}
		c, err := i18n.Shipped().With(map[string]map[i18n.Key]string{lang: {i18n.Key(key): text}})
		if err != nil {
			return
		}
		_ = c.Validate()
		tag, _ := c.Match(lang)
		vars := i18n.Vars{"contact": value, "agent": value, "company": value, "rating": "3", "min": "1", "max": "5", "hours": "24", "link": "https://x.example/"}
		for _, k := range i18n.ShippedKeys() {
			for _, format := range []i18n.Format{i18n.Plain, i18n.HTML} {
				out, err := c.Render(tag, k, vars, format)
				if err != nil {
					continue
				}
				if !utf8.ValidString(out) {
					t.Fatalf("%s/%s: invalid UTF-8 %q", tag, k, out)
				}
				if format == i18n.HTML && strings.Contains(value, "<") && strings.Contains(out, "<") && !strings.Contains(text, "<") {
					t.Fatalf("%s/%s: markup from a value leaked: %q", tag, k, out)
				}
			}
		}
		if _, err := i18n.NewCatalog(lang, map[string]map[i18n.Key]string{lang: {i18n.Key(key): text}}); err == nil {
			if _, err := language.Parse(lang); err != nil {
				t.Fatalf("NewCatalog accepted the language %q that does not parse", lang)
			}
		}
	})
}

// FuzzEngineStoresAnyReplyAndComment: any reply and any comment are
// consumed without an error; what is stored is valid UTF-8 within the
// comment limit, flagged when cut.
func FuzzEngineStoresAnyReplyAndComment(f *testing.F) {
	for _, ht := range storetest.HostileTexts {
		f.Add("4", ht.Text)
		f.Add(ht.Text, "ok")
	}
	f.Add("5", strings.Repeat("é", 100))
	f.Fuzz(func(t *testing.T, reply, comment string) {
		const limit = 64
		ctx := context.Background()
		st := memory.New()
		e, err := survey.New(survey.Config{Store: st, MaxCommentLength: limit, Clock: surveytest.NewClock(relStart), Surveys: []survey.Definition{{ID: "csat"}}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "t", ID: "c", Channel: "w", Contact: survey.Contact{ID: "u", Language: "en"}})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Session.ID
		mustTake := true // the first reply is always taken
		for i, text := range []string{reply, comment} {
			r, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "u", Channel: "w", MessageID: fmt.Sprint(i), Text: text})
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			if mustTake && !r.Consumed {
				t.Fatalf("%q was not consumed", text)
			}
			// The second message must be taken when it answers the
			// comment question; after a re-prompt it may be the chat
			// going on, handed back to the host.
			mustTake = r.Session != nil && r.Session.State == survey.StateAwaitingComment
		}
		s, err := st.Load(ctx, "t", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range append(s.Unparsed(), s.Comment) {
			if !utf8.ValidString(u) || utf8.RuneCountInString(u) > limit {
				t.Fatalf("stored %q", u)
			}
		}
		if s.State == survey.StateCompleted {
			valid := strings.ToValidUTF8(comment, "\uFFFD")
			if s.CommentTruncated != (utf8.RuneCountInString(valid) > limit) || !strings.HasPrefix(valid, s.Comment) {
				t.Fatalf("comment %q stored as %q (truncated %v)", comment, s.Comment, s.CommentTruncated)
			}
		}
	})
}

// pageScript is the rating page's own script element: the one that posts
// the confirming form in a browser.
var pageScript = regexp.MustCompile(`<script>\(function\(\)\{var f=document\.getElementById\("rate"\);[^<]*</script>`)

// withoutPageScript drops the rating page's own script from body, so that
// any script left was reflected from the input.
func withoutPageScript(body string) string {
	return pageScript.ReplaceAllString(body, "")
}

// FuzzRatingPage sends arbitrary tokens and forms to the rating page: it
// answers with a page or an error page, never a server error, and never
// reflects markup.
func FuzzRatingPage(f *testing.F) {
	signer, err := survey.NewLinkSigner(linkKeys...)
	if err != nil {
		f.Fatal(err)
	}
	clock := surveytest.NewClock(relStart)
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Links: signer,
		LinkURL: func(tok string) string { return "https://rate.example/r?t=" + url.QueryEscape(tok) },
		Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		f.Fatal(err)
	}
	res, err := e.ConversationClosed(context.Background(), &survey.Conversation{TenantID: "acme", ID: "c", Channel: "email",
		Contact: survey.Contact{ID: "u", Name: hostileName, Language: "en"}, ClosedAt: relStart})
	if err != nil {
		f.Fatal(err)
	}
	valid, err := signer.Sign("acme", res.Session.ID, 4, relStart.Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	page, err := ratingpage.New(e, ratingpage.Options{CSRFKey: []byte(strings.Repeat("c", 32)),
		Tenant: func(*http.Request) (string, error) { return "acme", nil }})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, "rate", "4", "<script>x</script>")
	f.Add(valid[:len(valid)-2], "comment", "1", "")
	f.Add("a.b.c", "rate", "-1", "\xff")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, token, action, score, comment string) {
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r?t="+url.QueryEscape(token), nil))
		check := func(rec *httptest.ResponseRecorder) {
			if rec.Code >= 500 {
				t.Fatalf("status %d for %q", rec.Code, token)
			}
			if strings.Contains(withoutPageScript(rec.Body.String()), "<script") {
				t.Fatalf("markup reflected for %q", token)
			}
		}
		check(rec)
		form := url.Values{"t": {token}, "action": {action}, "score": {score}, "comment": {comment}, "csrf": {"x"}}
		rec = httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/r", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		page.ServeHTTP(rec, req)
		check(rec)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("a form without its CSRF token got %d", rec.Code)
		}
	})
}
