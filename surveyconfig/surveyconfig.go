// Package surveyconfig reads and writes survey definitions as JSON, what a
// host stores per tenant and edits in its admin pages: the scale, the
// languages and every text, the eligibility rules, the steps and timings,
// and the notifications. Decoding is strict — an unknown key, a bad
// duration, an unknown scale or rule, a text with an unknown placeholder is
// an error naming where it is — and every definition is validated exactly
// as survey.New validates it.
//
//	{"surveys": [{
//	  "id": "csat", "channels": ["whatsapp"], "scale": "csat5",
//	  "rules": [{"rule": "transcript_longer_than", "chars": 250}],
//	  "send_delay": "30m", "texts": {"es": {"thanks": "¡Gracias, {contact}!"}}
//	}]}
//
// # What Parse refuses
//
// Parse refuses what encoding/json would take silently, each with an error
// wrapping [ErrInvalid] that gives the line, the column (in characters) and
// the byte offset, and the JSON path of the offending key:
//
//   - anything but white space after the document, such as a stray "}" or
//     "]" or a second document;
//   - a key given twice in one object (encoding/json keeps the last);
//   - a key written in another case than its name: keys are case-sensitive,
//     so "ID", "Send_Delay" or "Texts" are refused with the right spelling
//     in the message (encoding/json would take them);
//   - two languages of "texts" that are one language tag: "es" and "ES", or
//     "es-ar" and "es_AR" (language tags ignore case, and the texts would
//     be merged in no fixed order);
//   - a document that is not valid UTF-8 (encoding/json would change the
//     bytes, a survey ID's included), which also wraps
//     survey.ErrInvalidInput, as every other ID with invalid UTF-8 does;
//   - a document without a list of surveys: {}, {"surveys": null} or
//     null. A tenant without surveys is {"surveys": []}.
//
// A value of the wrong type ("response_window": 5, "skip_comment": "yes")
// or one its key refuses (a bad duration such as "25x") is an error with
// the same place: the line, column and offset of the value, its JSON path
// (surveys[0].response_window), and the survey, by its "id".
//
// The keys of a language's texts are text keys, which are case-sensitive
// everywhere ("thanks" is a text, "Thanks" another that no survey asks
// for): two keys that differ only in case are two texts, and a key that is
// neither shipped nor an option label is refused as unknown when the survey
// is validated. Keys inside "rules" are checked by package eligibility,
// which also requires their exact case.
package surveyconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/internal/strictjson"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// ErrInvalid wraps every problem in a configuration.
var ErrInvalid = errors.New("surveyconfig: invalid configuration")

// MaxBytes bounds a configuration document.
const MaxBytes = 1 << 20

// File is a configuration document: a tenant's surveys.
type File struct {
	// Surveys are tried in order; the first enabled one for a channel wins.
	Surveys []Definition `json:"surveys"`
}

// MarshalJSON writes f as Parse reads it: a file without surveys is
// {"surveys": []}, never null.
func (f File) MarshalJSON() ([]byte, error) {
	type plain File // without this method
	if f.Surveys == nil {
		f.Surveys = []Definition{}
	}
	return json.Marshal(plain(f))
}

// Definition is one survey as data. Zero fields take survey.Definition's
// defaults.
//
// docs/reference.md lists every key with its default.
type Definition struct {
	// ID names the survey.
	ID string `json:"id"`
	// Disabled switches the survey off.
	Disabled bool `json:"disabled,omitempty"`
	// Channels are the channels the survey applies to; empty means all.
	Channels []string `json:"channels,omitempty"`
	// Scale names a built-in scale: csat5 (default), emoji5, nps10,
	// nps10from1, ces7, thumbs.
	Scale string `json:"scale,omitempty"`
	// CustomScale defines a scale of the host's own instead.
	CustomScale *CustomScale `json:"custom_scale,omitempty"`
	// Languages restricts the survey to these languages, the first being
	// the default.
	Languages []string `json:"languages,omitempty"`
	// Texts override or add texts: language → key → text.
	Texts map[string]map[string]string `json:"texts,omitempty"`
	// Rules are eligibility rules as eligibility.RuleConfig.
	Rules []eligibility.RuleConfig `json:"rules,omitempty"`
	// SkipComment removes the comment question.
	SkipComment bool `json:"skip_comment,omitempty"`
	// SkipThanks removes the closing message.
	SkipThanks bool `json:"skip_thanks,omitempty"`
	// ResponseWindow is how long each question waits ("24h" when empty).
	ResponseWindow eligibility.Duration `json:"response_window,omitempty"`
	// MaxReprompts: 0 means 1, negative means none.
	MaxReprompts int `json:"max_reprompts,omitempty"`
	// SendDelay sends the rating request this long after the close.
	SendDelay eligibility.Duration `json:"send_delay,omitempty"`
	// RatingTimeLimit is the overall time allowed to rate.
	RatingTimeLimit eligibility.Duration `json:"rating_time_limit,omitempty"`
	// CloseOnRating asks the host to close a conversation rated before
	// it was closed.
	CloseOnRating bool `json:"close_on_rating,omitempty"`
	// BandFollowUps asks the shipped follow-up question of each band of
	// the scale (survey.BandFollowUps); FollowUps lists them by hand.
	BandFollowUps bool `json:"band_follow_ups,omitempty"`
	// FollowUps are follow-up questions by band of scores.
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
	// PromptKey is the text key of the rating question.
	PromptKey string `json:"prompt_key,omitempty"`
	// ThanksKey is the text key of the closing message.
	ThanksKey string `json:"thanks_key,omitempty"`
	// LowScoreBelow raises a low-score notification below this rating.
	LowScoreBelow int `json:"low_score_below,omitempty"`
	// Responsible are the users told of low scores.
	Responsible []string `json:"responsible,omitempty"`
	// NotifyAgents tells the conversation's human agents of ratings and
	// reviews.
	NotifyAgents bool `json:"notify_agents,omitempty"`
	// Company fills {company} in texts.
	Company string `json:"company,omitempty"`
	// Resurvey is "never" (default: a conversation is surveyed once) or
	// "each_resolution" (again at each close after a reopen).
	Resurvey string `json:"resurvey,omitempty"`
	// PerChannel holds settings by channel name: "format" ("text",
	// "buttons" or "list"; absent picks the richest form the channel's
	// limits allow) and "no_rating_before_close".
	PerChannel map[string]survey.ChannelSettings `json:"per_channel,omitempty"`
	// ChangeWindow lets the contact change the rating for this long after
	// the request was sent ("14d"); it also bounds every answer.
	ChangeWindow eligibility.Duration `json:"change_window,omitempty"`
	// Reasons asks for the main reason of a score in [from, to]:
	// {"from": 1, "to": 2} offers the shipped reasons; "options" lists
	// your own ({"id": "billing", "label": "reason.billing"}, with the
	// label's text in "texts"), and "prompt" names another question.
	Reasons *survey.Reasons `json:"reasons,omitempty"`
	// Reminder reminds a contact who has not answered before the question
	// expires: {"after": "4h"} sends one 4 h after the request; "count"
	// sends more, "after" apart, and "text" names another opening text
	// than "reminder".
	Reminder *Reminder `json:"reminder,omitempty"`
}

// Reminder is survey.Reminder as data.
type Reminder struct {
	// After is how long without an answer before each reminder ("4h").
	After eligibility.Duration `json:"after"`
	// Count is how many reminders at most; absent means one.
	Count int `json:"count,omitempty"`
	// Text is the catalog key of the reminder's opening text; absent
	// means "reminder".
	Text string `json:"text,omitempty"`
}

// FollowUp is survey.FollowUp as data.
type FollowUp struct {
	From   int    `json:"from"`
	To     int    `json:"to"`
	Prompt string `json:"prompt"`
}

// CustomScale is scoring.ScaleConfig as data.
type CustomScale struct {
	ID        string         `json:"id"`
	Min       int            `json:"min"`
	Max       int            `json:"max"`
	Options   []ScaleOption  `json:"options,omitempty"`
	Satisfied []int          `json:"satisfied,omitempty"`
	Bands     []scoring.Band `json:"bands,omitempty"`
}

// ScaleOption is scoring.Option as data; an empty label key means
// "<scale id>.<value>".
type ScaleOption struct {
	Value    int    `json:"value"`
	LabelKey string `json:"label_key,omitempty"`
	Emoji    string `json:"emoji,omitempty"`
	Color    string `json:"color,omitempty"`
}

// fileSchema is the shape of a File for strictjson.Check: the JSON names
// of every struct field, and the languages of "texts" as language tags.
var fileSchema = func() *strictjson.Schema {
	s := strictjson.SchemaOf(reflect.TypeFor[File]())
	texts := s.Fields["surveys"].Elem.Fields["texts"]
	texts.SameKey, texts.KeyMeans = sameLanguage, "language"
	return s
}()

// sameLanguage is the form under which two language keys of "texts" are
// one language: the tag as i18n merges it, or the key in lower case when it
// is not a tag (i18n refuses it later).
func sameLanguage(key string) string {
	if tag, err := language.Parse(key); err == nil {
		return tag.String()
	}
	return strings.ToLower(key)
}

// Parse decodes a File and builds and validates its surveys. The document
// is checked first as the package documentation says: no data after it, no
// key twice in an object, every key in its own case, no language twice in
// "texts".
func Parse(data []byte) ([]survey.Definition, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrInvalid, len(data), MaxBytes)
	}
	if err := strictjson.Check(data, fileSchema); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	out := make([]survey.Definition, 0, len(f.Surveys))
	seen := map[string]bool{}
	for i, d := range f.Surveys {
		s, err := d.Survey()
		if err != nil {
			return nil, err
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("%w: surveys[%d]: two surveys are named %q", ErrInvalid, i, s.ID)
		}
		seen[s.ID] = true
		out = append(out, s)
	}
	return out, nil
}

// Survey builds and validates the survey d describes.
func (d Definition) Survey() (survey.Definition, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: survey %q: %s", ErrInvalid, d.ID, fmt.Sprintf(format, a...))
	}
	s := survey.Definition{
		ID: d.ID, Disabled: d.Disabled, Channels: d.Channels, Languages: d.Languages,
		SkipComment: d.SkipComment, SkipThanks: d.SkipThanks,
		ResponseWindow: time.Duration(d.ResponseWindow), MaxReprompts: d.MaxReprompts,
		SendDelay: time.Duration(d.SendDelay), RatingTimeLimit: time.Duration(d.RatingTimeLimit),
		CloseOnRating: d.CloseOnRating, PromptKey: i18n.Key(d.PromptKey), ThanksKey: i18n.Key(d.ThanksKey),
		LowScoreBelow: d.LowScoreBelow, Responsible: d.Responsible, NotifyAgents: d.NotifyAgents, Company: d.Company,
		Resurvey: survey.Resurvey(d.Resurvey), PerChannel: d.PerChannel, ChangeWindow: time.Duration(d.ChangeWindow),
		Reasons: d.Reasons,
	}
	if d.Reminder != nil {
		s.Reminder = &survey.Reminder{After: time.Duration(d.Reminder.After), Count: d.Reminder.Count, Text: i18n.Key(d.Reminder.Text)}
	}
	if d.Reasons != nil && len(d.Reasons.Options) == 0 {
		r := *survey.DefaultReasons(d.Reasons.From, d.Reasons.To)
		r.Prompt = d.Reasons.Prompt
		s.Reasons = &r
	}
	switch {
	case d.CustomScale != nil && d.Scale != "":
		return survey.Definition{}, bad("give scale or custom_scale, not both")
	case d.CustomScale != nil:
		sc, err := d.CustomScale.build()
		if err != nil {
			return survey.Definition{}, bad("%v", err)
		}
		s.Scale = sc
	case d.Scale != "":
		sc, ok := scoring.ScaleByID(d.Scale)
		if !ok {
			return survey.Definition{}, bad("unknown scale %q", d.Scale)
		}
		s.Scale = sc
	}
	if len(d.Texts) > 0 {
		s.Overrides = map[string]map[i18n.Key]string{}
		for lang, texts := range d.Texts {
			m := make(map[i18n.Key]string, len(texts))
			for k, v := range texts {
				m[i18n.Key(k)] = v
			}
			s.Overrides[lang] = m
		}
	}
	if len(d.Rules) > 0 {
		rules, err := eligibility.Build(eligibility.Config{Rules: d.Rules})
		if err != nil {
			return survey.Definition{}, bad("%v", err)
		}
		s.Rules = rules
	}
	if d.BandFollowUps && len(d.FollowUps) > 0 {
		return survey.Definition{}, bad("give band_follow_ups or follow_ups, not both")
	}
	if d.BandFollowUps {
		sc := s.Scale
		if sc == nil {
			sc = scoring.CSAT5()
		}
		s.FollowUps = survey.BandFollowUps(sc)
	}
	for _, f := range d.FollowUps {
		s.FollowUps = append(s.FollowUps, survey.FollowUp{From: f.From, To: f.To, Prompt: i18n.Key(f.Prompt)})
	}
	if err := survey.Validate(s); err != nil {
		return survey.Definition{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return s, nil
}

func (c *CustomScale) build() (*scoring.Scale, error) {
	cfg := scoring.ScaleConfig{ID: c.ID, Min: c.Min, Max: c.Max, Satisfied: c.Satisfied, Bands: c.Bands}
	for _, o := range c.Options {
		key := o.LabelKey
		if key == "" {
			key = string(i18n.LabelKey(c.ID, o.Value))
		}
		cfg.Options = append(cfg.Options, scoring.Option{Value: o.Value, LabelKey: key, Emoji: o.Emoji, Color: o.Color})
	}
	return scoring.NewScale(cfg)
}

// FromSurvey writes s as a Definition. Rules must come from package
// eligibility (host Func rules cannot be data: eligibility.ErrNotConfigurable)
// and a custom Texts catalog cannot be written (only Overrides can).
func FromSurvey(s survey.Definition) (Definition, error) {
	d := Definition{
		ID: s.ID, Disabled: s.Disabled, Channels: s.Channels, Languages: s.Languages,
		SkipComment: s.SkipComment, SkipThanks: s.SkipThanks,
		ResponseWindow: eligibility.Duration(s.ResponseWindow), MaxReprompts: s.MaxReprompts,
		SendDelay: eligibility.Duration(s.SendDelay), RatingTimeLimit: eligibility.Duration(s.RatingTimeLimit),
		CloseOnRating: s.CloseOnRating, PromptKey: string(s.PromptKey), ThanksKey: string(s.ThanksKey),
		LowScoreBelow: s.LowScoreBelow, Responsible: s.Responsible, NotifyAgents: s.NotifyAgents, Company: s.Company,
		Resurvey: string(s.Resurvey), PerChannel: s.PerChannel, ChangeWindow: eligibility.Duration(s.ChangeWindow),
		Reasons: s.Reasons,
	}
	if r := s.Reminder; r != nil {
		d.Reminder = &Reminder{After: eligibility.Duration(r.After), Count: r.Count, Text: string(r.Text)}
	}
	if s.Texts != nil && s.Texts != i18n.Shipped() {
		return Definition{}, fmt.Errorf("%w: survey %q: a custom Texts catalog cannot be written as data; use Overrides", ErrInvalid, s.ID)
	}
	if s.Scale != nil {
		if builtin, ok := scoring.ScaleByID(s.Scale.ID()); ok && builtin == s.Scale {
			d.Scale = s.Scale.ID()
		} else {
			cs := &CustomScale{ID: s.Scale.ID(), Min: s.Scale.Min(), Max: s.Scale.Max(), Satisfied: s.Scale.SatisfiedValues(), Bands: s.Scale.Bands()}
			for _, o := range s.Scale.Options() {
				cs.Options = append(cs.Options, ScaleOption{Value: o.Value, LabelKey: o.LabelKey, Emoji: o.Emoji, Color: o.Color})
			}
			d.CustomScale = cs
		}
	}
	if len(s.Overrides) > 0 {
		d.Texts = map[string]map[string]string{}
		for lang, texts := range s.Overrides {
			m := make(map[string]string, len(texts))
			for k, v := range texts {
				m[string(k)] = v
			}
			d.Texts[lang] = m
		}
	}
	if len(s.Rules) > 0 {
		cfg, err := eligibility.ConfigOf(s.Rules)
		if err != nil {
			return Definition{}, fmt.Errorf("%w: survey %q: %w", ErrInvalid, s.ID, err)
		}
		d.Rules = cfg.Rules
	}
	sc := s.Scale
	if sc == nil {
		sc = scoring.CSAT5()
	}
	if len(s.FollowUps) > 0 && slices.Equal(s.FollowUps, survey.BandFollowUps(sc)) {
		d.BandFollowUps = true
	} else {
		for _, f := range s.FollowUps {
			d.FollowUps = append(d.FollowUps, FollowUp{From: f.From, To: f.To, Prompt: string(f.Prompt)})
		}
	}
	return d, nil
}
