package reliability_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"golang.org/x/text/language"
)

// jsonDefinition is a survey definition as a host would keep it in JSON
// (the library has no JSON loader of its own: this is the mapping a host
// writes, onto survey.Survey and eligibility.Load).
type jsonDefinition struct {
	ID              string                         `json:"id"`
	Channels        []string                       `json:"channels"`
	Scale           string                         `json:"scale"`
	Overrides       map[string]map[i18n.Key]string `json:"overrides"`
	SkipComment     bool                           `json:"skip_comment"`
	SkipThanks      bool                           `json:"skip_thanks"`
	ResponseWindow  eligibility.Duration           `json:"response_window"`
	SendDelay       eligibility.Duration           `json:"send_delay"`
	RatingTimeLimit eligibility.Duration           `json:"rating_time_limit"`
	MaxReprompts    int                            `json:"max_reprompts"`
	FollowUps       []struct {
		From, To int
		Prompt   i18n.Key
	} `json:"follow_ups"`
	PromptKey     i18n.Key        `json:"prompt_key"`
	ThanksKey     i18n.Key        `json:"thanks_key"`
	Languages     []string        `json:"languages"`
	Company       string          `json:"company"`
	LowScoreBelow int             `json:"low_score_below"`
	Rules         json.RawMessage `json:"rules"`
}

// errBadDefinition wraps the mapping's own refusals.
var errBadDefinition = errors.New("bad definition")

func scaleNamed(name string) (*scoring.Scale, error) {
	switch name {
	case "", "csat5":
		return scoring.CSAT5(), nil
	case "emoji5":
		return scoring.Emoji5(), nil
	case "nps10":
		return scoring.NPS10(), nil
	}
	return nil, fmt.Errorf("%w: unknown scale %q", errBadDefinition, name)
}

func definitionFromJSON(data []byte) (survey.Survey, error) {
	var d jsonDefinition
	if err := json.Unmarshal(data, &d); err != nil {
		return survey.Survey{}, fmt.Errorf("%w: %v", errBadDefinition, err)
	}
	scale, err := scaleNamed(d.Scale)
	if err != nil {
		return survey.Survey{}, err
	}
	def := survey.Survey{ID: d.ID, Channels: d.Channels, Scale: scale, Overrides: d.Overrides,
		SkipComment: d.SkipComment, SkipThanks: d.SkipThanks, ResponseWindow: time.Duration(d.ResponseWindow),
		SendDelay: time.Duration(d.SendDelay), RatingTimeLimit: time.Duration(d.RatingTimeLimit),
		MaxReprompts: d.MaxReprompts, PromptKey: d.PromptKey, ThanksKey: d.ThanksKey, Languages: d.Languages,
		Company: d.Company, LowScoreBelow: d.LowScoreBelow, Responsible: []string{"lead"}}
	for _, f := range d.FollowUps {
		def.FollowUps = append(def.FollowUps, survey.FollowUp{From: f.From, To: f.To, Prompt: f.Prompt})
	}
	if len(d.Rules) > 0 && string(d.Rules) != "null" {
		rules, err := eligibility.Load(d.Rules)
		if err != nil {
			return survey.Survey{}, err
		}
		def.Rules = rules
	}
	return def, nil
}

// FuzzSurveyDefinitionJSON feeds arbitrary JSON definitions to survey.New:
// it accepts them or refuses them with ErrInvalidSurvey (or the
// eligibility configuration's ErrInvalidConfig), never panics; an accepted
// survey runs a whole conversation without an error and speaks valid
// UTF-8.
func FuzzSurveyDefinitionJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"csat"}`,
		`{"id":"csat","scale":"emoji5","send_delay":"1h","response_window":"2d","overrides":{"es":{"thanks":"¡Gracias, {contact}!"}}}`,
		`{"id":"nps","scale":"nps10","follow_ups":[{"From":0,"To":6,"Prompt":"followup.negative"},{"From":9,"To":10,"Prompt":"followup.positive"}]}`,
		`{"id":"x","follow_ups":[{"From":1,"To":3,"Prompt":"followup.negative"},{"From":2,"To":5,"Prompt":"followup.positive"}]}`,
		`{"id":"x","languages":["fr","en"],"skip_comment":true,"skip_thanks":true,"max_reprompts":-1}`,
		`{"id":"x","rules":{"rules":[{"rule":"answered_by_agent"},{"rule":"closed_within","within":"1d"}]}}`,
		`{"id":"x","overrides":{"en":{"thanks":"{contact"}}}`,
		`{"id":"x","overrides":{"en":{"thanks":"<script>{contact}</script>"}},"company":"\u202eACME"}`,
		`{"id":"x","rating_time_limit":"-1h"}`,
		`{"id":"","scale":"stars"}`, `{}`, `null`, `[]`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := definitionFromJSON(data)
		if err != nil {
			if !errors.Is(err, errBadDefinition) && !errors.Is(err, eligibility.ErrInvalidConfig) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		ctx := context.Background()
		clock := surveytest.NewClock(relStart)
		e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Surveys: []survey.Survey{def}})
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
		if res.Session != nil {
			clock.Advance(time.Duration(def.SendDelay) + time.Second)
			sw, err := e.Sweep(ctx)
			if err != nil {
				t.Fatalf("sweep: %v", err)
			}
			out = append(out, sw.Outbound...)
			for i, text := range []string{"maybe", fmt.Sprint(def.Scale.Max()), "thanks <b>all</b>"} {
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
	for _, tc := range hostileTexts {
		f.Add("4", tc.text)
		f.Add(tc.text, "ok")
	}
	f.Add("5", strings.Repeat("é", 100))
	f.Fuzz(func(t *testing.T, reply, comment string) {
		const limit = 64
		ctx := context.Background()
		st := memory.New()
		e, err := survey.New(survey.Config{Store: st, MaxCommentLength: limit, Clock: surveytest.NewClock(relStart), Surveys: []survey.Survey{{ID: "csat"}}})
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
		for _, u := range append(s.Unparsed, s.Comment) {
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
		Surveys: []survey.Survey{{ID: "csat"}}})
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
			if strings.Contains(rec.Body.String(), "<script") {
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
