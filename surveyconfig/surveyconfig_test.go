package surveyconfig_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"github.com/surveyflow/surveyflow/surveyconfig"
)

const doc = `{"surveys": [
  {"id": "csat", "channels": ["whatsapp", "messenger"],
   "rules": [{"rule": "answered_by_agent"}, {"rule": "transcript_longer_than", "chars": 250}, {"rule": "closed_within", "within": "24h"}],
   "texts": {"es": {"thanks": "¡Gracias, {contact}!"}},
   "low_score_below": 3, "responsible": ["lead"], "notify_agents": true},
  {"id": "nps", "scale": "nps10", "channels": ["email"], "send_delay": "30m", "rating_time_limit": "2d",
   "skip_comment": true, "band_follow_ups": true, "languages": ["en", "fr"]},
  {"id": "effort", "disabled": true, "custom_scale": {"id": "effort3", "min": 1, "max": 3, "satisfied": [3],
   "options": [{"value": 1, "emoji": "😣"}, {"value": 2, "emoji": "😐"}, {"value": 3, "emoji": "😌"}]},
   "languages": ["en"], "texts": {"en": {"effort3.1": "Hard", "effort3.2": "OK", "effort3.3": "Easy"}}}
]}`

func TestParseBuildsEverySurveyOfTheDocument(t *testing.T) {
	surveys, err := surveyconfig.Parse([]byte(doc))
	require.NoError(t, err)
	require.Len(t, surveys, 3)

	csat := surveys[0]
	assert.Equal(t, []string{"whatsapp", "messenger"}, csat.Channels)
	require.Len(t, csat.Rules, 3)
	assert.Equal(t, "¡Gracias, {contact}!", csat.Overrides["es"][i18n.KeyThanks])
	assert.Equal(t, 3, csat.LowScoreBelow)

	nps := surveys[1]
	assert.Equal(t, "nps10", nps.Scale.ID())
	assert.Equal(t, 30*time.Minute, nps.SendDelay)
	assert.Equal(t, 48*time.Hour, nps.RatingTimeLimit)
	assert.Equal(t, survey.BandFollowUps(scoring.NPS10()), nps.FollowUps)

	effort := surveys[2]
	assert.True(t, effort.Disabled)
	assert.Equal(t, "effort3", effort.Scale.ID())
	assert.True(t, effort.Scale.Satisfied(3))
	assert.False(t, effort.Scale.Satisfied(2))
}

func TestAParsedSurveyRunsInTheEngine(t *testing.T) {
	surveys, err := surveyconfig.Parse([]byte(doc))
	require.NoError(t, err)
	h := surveytest.New(t, surveys...)
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).
		Language("es").ContactName("María").Agent("ana", "Ana", survey.Human).
		ContactSays(surveytest.Padding(200)).AgentSays("ana", surveytest.Padding(100)).Closed()
	h.Clock.Set(conv.ClosedAt)
	require.True(t, h.Close(conv).Decision.Eligible)
	r := h.Reply("tenant", "maria", "whatsapp", "2")
	require.Len(t, r.Notifications, 2, "low score and agent notifications from the document")
	r = h.Reply("tenant", "maria", "whatsapp", "lento")
	assert.Equal(t, "¡Gracias, María!", r.Outbound[0].Text, "the document's text, rendered")

	short := surveytest.NewConversation("c2", "ben", h.Clock.Now()).Agent("ana", "Ana", survey.Human).ContactSays("hi").AgentSays("ana", "hello").Closed()
	assert.Equal(t, eligibility.CodeTranscriptShort, h.Close(short).Decision.Failures[0].Code, "the document's rules apply")
}

func TestDefinitionsRoundTrip(t *testing.T) {
	surveys, err := surveyconfig.Parse([]byte(doc))
	require.NoError(t, err)
	var file surveyconfig.File
	for _, s := range surveys {
		d, err := surveyconfig.FromSurvey(s)
		require.NoError(t, err)
		file.Surveys = append(file.Surveys, d)
	}
	data, err := json.Marshal(file)
	require.NoError(t, err)
	again, err := surveyconfig.Parse(data)
	require.NoError(t, err)
	for i := range surveys {
		d1, _ := surveyconfig.FromSurvey(surveys[i])
		d2, _ := surveyconfig.FromSurvey(again[i])
		assert.Equal(t, d1, d2, surveys[i].ID)
	}

	_, err = surveyconfig.FromSurvey(survey.Definition{ID: "x", Rules: []survey.Rule{eligibility.Func("host", nil)}})
	assert.ErrorIs(t, err, eligibility.ErrNotConfigurable, "host code is not data")
}

func TestBadDocumentsAreClearErrors(t *testing.T) {
	for name, tc := range map[string]struct{ doc, says string }{
		"not JSON":            {`{"surveys": [`, "surveys[0] at line 1, column 14 (byte offset 13): unexpected end of JSON input"},
		"unknown key":         {`{"surveys": [{"id": "a", "colour": "red"}]}`, `surveys[0].colour at line 1, column 26 (byte offset 25): unknown key "colour"`},
		"not a list":          {`{"surveys": {"id": "a"}}`, "want a list of surveys, not an object"},
		"unknown scale":       {`{"surveys": [{"id": "a", "scale": "stars10"}]}`, `unknown scale "stars10"`},
		"both scales":         {`{"surveys": [{"id": "a", "scale": "csat5", "custom_scale": {"id": "x", "min": 1, "max": 3}}]}`, "not both"},
		"bad custom scale":    {`{"surveys": [{"id": "a", "custom_scale": {"id": "x", "min": 3, "max": 1}}]}`, "invalid scale"},
		"bad duration":        {`{"surveys": [{"id": "a", "send_delay": "soon"}]}`, "soon"},
		"unknown rule":        {`{"surveys": [{"id": "a", "rules": [{"rule": "vip_only"}]}]}`, "vip_only"},
		"unknown placeholder": {`{"surveys": [{"id": "a", "texts": {"en": {"thanks": "Thanks {nombre}"}}}]}`, "nombre"},
		"missing language":    {`{"surveys": [{"id": "a", "languages": ["en"], "follow_ups": [{"from": 1, "to": 2, "prompt": "followup.mine"}]}]}`, "followup.mine"},
		"band off the scale":  {`{"surveys": [{"id": "a", "follow_ups": [{"from": 0, "to": 2, "prompt": "followup.negative"}]}]}`, "not on the scale"},
		"duplicate IDs":       {`{"surveys": [{"id": "a"}, {"id": "a"}]}`, "two surveys"},
		"empty ID":            {`{"surveys": [{"id": ""}]}`, "empty ID"},
		"trailing data":       {`{"surveys": []} {}`, "line 1, column 17 (byte offset 16): data after the document"},
		"huge":                {`{"surveys": [], "x": "` + strings.Repeat("a", surveyconfig.MaxBytes) + `"}`, "at most"},
	} {
		_, err := surveyconfig.Parse([]byte(tc.doc))
		require.Error(t, err, name)
		assert.ErrorIs(t, err, surveyconfig.ErrInvalid, name)
		assert.Contains(t, err.Error(), tc.says, name)
	}
}

// What encoding/json takes silently is refused, with the line, column and
// byte offset and the JSON path of the offending key.
func TestMalformedDocumentsAreRefusedWithTheirPlace(t *testing.T) {
	const prefix = "surveyconfig: invalid configuration: "
	for name, tc := range map[string]struct{ doc, says string }{
		"trailing brace":    {`{"surveys": [{"id": "a"}]}}`, `line 1, column 27 (byte offset 26): data after the document`},
		"trailing bracket":  {"{\"surveys\": [{\"id\": \"a\"}]}\n]", `line 2, column 1 (byte offset 27): data after the document`},
		"second document":   {`{"surveys": []}{"surveys": []}`, `line 1, column 16 (byte offset 15): data after the document`},
		"any trailing text": {"{\"surveys\": []}\n// end", `line 2, column 1 (byte offset 16): data after the document`},
		"surveys twice": {`{"surveys": [{"id": "a"}], "surveys": [{"id": "b"}]}`,
			`surveys at line 1, column 28 (byte offset 27): key "surveys" appears twice in one object (first at line 1, column 2)`},
		"a setting twice": {"{\"surveys\": [{\"id\": \"a\",\n  \"send_delay\": \"1h\",\n  \"send_delay\": \"0s\"}]}",
			`surveys[0].send_delay at line 3, column 3 (byte offset 49): key "send_delay" appears twice in one object (first at line 2, column 3)`},
		"a language twice": {`{"surveys": [{"id": "a", "texts": {"es": {"thanks": "¡Gracias!"}, "es": {"thanks": "Gracias"}}}]}`,
			`surveys[0].texts.es at line 1, column 67 (byte offset 67): key "es" appears twice in one object (first at line 1, column 36)`},
		"a text twice": {`{"surveys": [{"id": "a", "texts": {"en": {"thanks": "Thanks!", "thanks": "Bye"}}}]}`,
			`surveys[0].texts.en.thanks at line 1, column 64 (byte offset 63): key "thanks" appears twice in one object (first at line 1, column 43)`},
		"a rule setting twice": {`{"surveys": [{"id": "a", "rules": [{"rule": "sample", "percent": 5, "percent": 100}]}]}`,
			`surveys[0].rules[0].percent at line 1, column 69 (byte offset 68): key "percent" appears twice in one object (first at line 1, column 55)`},
		"an escaped twin": {`{"surveys": [{"id": "a", "\u0069d": "b"}]}`,
			`surveys[0].id at line 1, column 26 (byte offset 25): key "id" appears twice in one object (first at line 1, column 15)`},
		"ID for id": {`{"surveys": [{"ID": "a"}]}`,
			`surveys[0].ID at line 1, column 15 (byte offset 14): key "ID" must be written "id": keys are case-sensitive`},
		"Send_Delay for send_delay": {`{"surveys": [{"id": "a", "Send_Delay": "1h"}]}`,
			`surveys[0].Send_Delay at line 1, column 26 (byte offset 25): key "Send_Delay" must be written "send_delay": keys are case-sensitive`},
		"Surveys for surveys": {`{"Surveys": []}`,
			`Surveys at line 1, column 2 (byte offset 1): key "Surveys" must be written "surveys": keys are case-sensitive`},
		"a case twin": {`{"surveys": [{"id": "a", "Id": "b"}]}`,
			`surveys[0].Id at line 1, column 26 (byte offset 25): key "Id" must be written "id": keys are case-sensitive`},
		"deep in another case": {`{"surveys": [{"id": "a", "custom_scale": {"id": "x", "min": 1, "MAX": 3}}]}`,
			`surveys[0].custom_scale.MAX at line 1, column 64 (byte offset 63): key "MAX" must be written "max": keys are case-sensitive`},
		"long s for s": {`{"surveys": [{"id": "a", "ſkip_comment": true}]}`,
			`surveys[0]["ſkip_comment"] at line 1, column 26 (byte offset 25): key "ſkip_comment" must be written "skip_comment": keys are case-sensitive`},
		"ES beside es": {"{\"surveys\": [{\"id\": \"a\", \"texts\": {\n  \"es\": {\"thanks\": \"¡Gracias!\"},\n  \"ES\": {\"thanks\": \"Gracias\"}}}]}",
			`surveys[0].texts.ES at line 3, column 3 (byte offset 72): key "ES" names the same language as "es" (at line 2, column 3)`},
		"es_AR beside es-ar": {`{"surveys": [{"id": "a", "texts": {"es-ar": {"thanks": "a"}, "es_AR": {"thanks": "b"}}}]}`,
			`surveys[0].texts.es_AR at line 1, column 62 (byte offset 61): key "es_AR" names the same language as "es-ar" (at line 1, column 36)`},
	} {
		_, err := surveyconfig.Parse([]byte(tc.doc))
		require.Error(t, err, name)
		assert.ErrorIs(t, err, surveyconfig.ErrInvalid, name)
		assert.Equal(t, prefix+tc.says, err.Error(), name)
	}
}

// Keys that differ only in case are two keys where case matters: text keys
// are case-sensitive, so "thanks" and "Thanks" are two texts, and "Thanks",
// which no survey asks for, is refused as an unknown text.
func TestTextKeysAreCaseSensitive(t *testing.T) {
	_, err := surveyconfig.Parse([]byte(`{"surveys": [{"id": "a", "texts": {"en": {"thanks": "Thanks!", "Thanks": "Bye"}}}]}`))
	require.ErrorIs(t, err, surveyconfig.ErrInvalid)
	assert.Contains(t, err.Error(), `en text "Thanks": unknown key`)
	assert.NotContains(t, err.Error(), "line 1", "not refused as a twin of thanks")

	surveys, err := surveyconfig.Parse([]byte(`{"surveys": [{"id": "a", "custom_scale": {"id": "e3", "min": 1, "max": 3}, "languages": ["en"],
	  "texts": {"en": {"e3.1": "Hard", "E3.1": "Unused", "e3.2": "OK", "e3.3": "Easy"}}}]}`))
	require.NoError(t, err)
	assert.Equal(t, "Hard", surveys[0].Overrides["en"]["e3.1"])
	assert.Equal(t, "Unused", surveys[0].Overrides["en"]["E3.1"])
}

// Valid documents, the package's own examples among them, still parse.
func TestValidDocumentsStillParse(t *testing.T) {
	for name, d := range map[string]string{
		"the test document": doc,
		"the package example": `{"surveys": [{
	  "id": "csat", "channels": ["whatsapp"], "scale": "csat5",
	  "rules": [{"rule": "transcript_longer_than", "chars": 250}],
	  "send_delay": "30m", "texts": {"es": {"thanks": "¡Gracias, {contact}!"}}
	}]}`,
		"the Example": `{"surveys": [
		{"id": "nps", "scale": "nps10", "channels": ["email"], "send_delay": "1h"},
		{"id": "csat", "rules": [{"rule": "transcript_longer_than", "chars": 250}]}
	]}`,
		"white space after":         "{\"surveys\": []}\r\n\t \n",
		"equal keys in two objects": `{"surveys": [{"id": "a", "texts": {"es": {"thanks": "a"}, "en": {"thanks": "b"}}}, {"id": "b"}]}`,
		"keys of the same name at two levels": `{"surveys": [{"id": "a", "custom_scale": {"id": "a", "min": 1, "max": 2,
		  "bands": [{"name": "low", "min": 1, "max": 1, "polarity": "negative"}, {"name": "high", "min": 2, "max": 2, "polarity": "positive"}]},
		  "texts": {"en": {"a.1": "No", "a.2": "Yes"}}, "languages": ["en"]}]}`,
	} {
		_, err := surveyconfig.Parse([]byte(d))
		assert.NoError(t, err, name)
	}

	// es and es-AR are two languages: the document passes, and the survey
	// is refused only because es-AR lacks the texts every language needs.
	_, err := surveyconfig.Parse([]byte(`{"surveys": [{"id": "a", "texts": {"es": {"thanks": "¡Gracias!"}, "es-AR": {"thanks": "¡Gracias, che!"}}}]}`))
	require.ErrorIs(t, err, survey.ErrInvalidSurvey)
	assert.Contains(t, err.Error(), `es-AR text "rating.prompt": missing`)
}

// FuzzParse: no document panics Parse, and every accepted document builds
// surveys that write back and parse again to the same definitions.
func FuzzParse(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"surveys": [{"id": "a", "scale": "thumbs", "skip_comment": true}]}`))
	f.Add([]byte(`{"surveys": [{"id": "a", "rules": [{"rule": "not", "of": {"rule": "channel", "channels": ["sms"]}}]}]}`))
	f.Add([]byte(`{"surveys": [{"id": "\u0000", "texts": {"ru": {"thanks": "{hours, plural, one {# час} other {# часов}}"}}}]}`))
	for _, malformed := range []string{
		`{"surveys": [{"id": "a"}]}}`, `{"surveys": [{"id": "a"}]}]`, `{"surveys": []} {"surveys": []}`,
		`{"surveys": [{"id": "a", "id": "b"}]}`, `{"surveys": [{"id": "a", "texts": {"en": {"thanks": "x", "thanks": "y"}}}]}`,
		`{"surveys": [{"ID": "a"}]}`, `{"surveys": [{"id": "a", "Send_Delay": "1h"}]}`,
		`{"surveys": [{"id": "a", "texts": {"es": {"thanks": "x"}, "ES": {"thanks": "y"}}}]}`,
	} {
		f.Add([]byte(malformed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		surveys, err := surveyconfig.Parse(data)
		if err != nil {
			require.ErrorIs(t, err, surveyconfig.ErrInvalid)
			return
		}
		var file surveyconfig.File
		for _, s := range surveys {
			d, err := surveyconfig.FromSurvey(s)
			require.NoError(t, err)
			file.Surveys = append(file.Surveys, d)
		}
		out, err := json.Marshal(file)
		require.NoError(t, err)
		again, err := surveyconfig.Parse(out)
		require.NoError(t, err, "%s", out)
		require.Len(t, again, len(surveys))
	})
}

// TestEverySurveyFieldRoundTrips sets every field of survey.Definition and
// writes it through a JSON definition and back: a field added to
// survey.Definition without its JSON key fails here (first because the sample
// leaves it zero, then because it does not come back).
func TestReasonsWithoutOptionsAreTheShippedOnes(t *testing.T) {
	surveys, err := surveyconfig.Parse([]byte(`{"surveys": [{"id": "csat", "reasons": {"from": 1, "to": 2}}]}`))
	require.NoError(t, err)
	assert.Equal(t, survey.DefaultReasons(1, 2), surveys[0].Reasons)
	_, err = surveyconfig.Parse([]byte(`{"surveys": [{"id": "csat", "reasons": {"from": 1, "to": 9}}]}`))
	assert.ErrorIs(t, err, surveyconfig.ErrInvalid, "a band off the scale")
}

func TestEverySurveyFieldRoundTrips(t *testing.T) {
	in := survey.Definition{
		ID: "full", Disabled: true, Channels: []string{"whatsapp"}, Scale: scoring.NPS10(),
		Overrides:   map[string]map[i18n.Key]string{"en": {"thanks": "Thanks!"}},
		Rules:       []survey.Rule{eligibility.ResolvedBy(eligibility.HumanOnly)},
		SkipComment: true, SkipThanks: true, ResponseWindow: 2 * time.Hour, MaxReprompts: 2,
		SendDelay: 30 * time.Minute, RatingTimeLimit: 48 * time.Hour, CloseOnRating: true,
		FollowUps: []survey.FollowUp{{From: 0, To: 6, Prompt: i18n.KeyFollowUpNegative}},
		PromptKey: i18n.KeyRatingPrompt, ThanksKey: i18n.KeyThanks, Languages: []string{"en", "es"},
		Company: "Acme", LowScoreBelow: 7, Responsible: []string{"lead"}, NotifyAgents: true,
		Resurvey:     survey.ResurveyEachResolution,
		PerChannel:   map[string]survey.ChannelSettings{"webchat": {Format: survey.FormatButtons, NoRatingBeforeClose: true}},
		ChangeWindow: 14 * 24 * time.Hour,
		Reasons:      survey.DefaultReasons(0, 6),
		Reminder:     &survey.Reminder{After: 30 * time.Minute, Count: 2, Text: i18n.KeyReminder},
	}
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if name == "Texts" {
			continue // a custom catalog is code, not data (Overrides are data)
		}
		require.False(t, v.Field(i).IsZero(), "the sample leaves %s zero: set it", name)
	}
	d, err := surveyconfig.FromSurvey(in)
	require.NoError(t, err)
	data, err := json.Marshal(surveyconfig.File{Surveys: []surveyconfig.Definition{d}})
	require.NoError(t, err)
	out, err := surveyconfig.Parse(data)
	require.NoError(t, err)
	require.Len(t, out, 1)
	got := out[0]
	assert.Equal(t, in.Scale.ID(), got.Scale.ID())
	inRules, err := eligibility.ConfigOf(in.Rules)
	require.NoError(t, err)
	gotRules, err := eligibility.ConfigOf(got.Rules)
	require.NoError(t, err)
	assert.Equal(t, inRules, gotRules)
	got.Scale, got.Rules, got.Texts, in.Scale, in.Rules = nil, nil, nil, nil, nil
	assert.Equal(t, in, got)
}

// A value of the wrong type or a bad duration is an error that names the
// key, the survey, and the line and column of the value.
func TestBadValuesNameTheirKeySurveyAndPlace(t *testing.T) {
	const prefix = "surveyconfig: invalid configuration: "
	for name, tc := range map[string]struct{ doc, says string }{
		"number for a duration": {`{"surveys": [{"id": "a", "response_window": 5}]}`,
			`surveys[0].response_window at line 1, column 45 (byte offset 44): survey "a": want a duration string like "24h" or "7d"`},
		"string for a bool": {"{\"surveys\": [\n  {\"id\": \"b\"},\n  {\"skip_comment\": \"yes\", \"id\": \"c\"}\n]}",
			`surveys[1].skip_comment at line 3, column 20 (byte offset 48): survey "c": want true or false, not a string`},
		"bad duration": {`{"surveys": [{"id": "a", "send_delay": "25x"}]}`,
			`surveys[0].send_delay at line 1, column 40 (byte offset 39): survey "a": duration "25x": want a form like "24h", "90m" or "7d"`},
		"string for a number": {`{"surveys": [{"id": "a", "low_score_below": "3"}]}`,
			`surveys[0].low_score_below at line 1, column 45 (byte offset 44): survey "a": want a whole number, not a string`},
		"nested wrong type": {`{"surveys": [{"id": "a", "per_channel": {"web": {"no_rating_before_close": 1}}}]}`,
			`surveys[0].per_channel.web.no_rating_before_close at line 1, column 76 (byte offset 75): survey "a": want true or false, not a number`},
		"object for a list": {`{"surveys": {"id": "a"}}`,
			`surveys at line 1, column 13 (byte offset 12): want a list of surveys, not an object; write {"surveys": []} for no surveys`},
		"no ID yet": {`{"surveys": [{"channels": "web"}]}`,
			`surveys[0].channels at line 1, column 27 (byte offset 26): survey 0 (no "id"): want a list of strings, not a string`},
	} {
		_, err := surveyconfig.Parse([]byte(tc.doc))
		require.Error(t, err, name)
		assert.ErrorIs(t, err, surveyconfig.ErrInvalid, name)
		assert.Equal(t, prefix+tc.says, err.Error(), name)
	}
}

// A document without surveys is refused, unless it says so with an empty
// list.
func TestADocumentWithoutASurveyListIsRefused(t *testing.T) {
	for _, doc := range []string{`{}`, `{"surveys": null}`, `null`, ` {"surveys":null} `} {
		_, err := surveyconfig.Parse([]byte(doc))
		assert.ErrorIs(t, err, surveyconfig.ErrInvalid, doc)
		assert.ErrorContains(t, err, `write {"surveys": []} for no surveys`, doc)
	}
	defs, err := surveyconfig.Parse([]byte(`{"surveys": []}`))
	require.NoError(t, err)
	assert.Empty(t, defs)
}

// A survey ID that is not valid UTF-8 is refused as every other ID is.
func TestASurveyIDWithInvalidUTF8IsRefused(t *testing.T) {
	_, err := surveyconfig.Parse([]byte("{\"surveys\": [{\"id\": \"csat-\xff\"}]}"))
	assert.ErrorIs(t, err, surveyconfig.ErrInvalid)
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	assert.ErrorContains(t, err, "line 1, column 27 (byte offset 26): the document is not valid UTF-8")
	_, err = surveyconfig.Definition{ID: "csat-\xff"}.Survey()
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	assert.ErrorIs(t, survey.Validate(survey.Definition{ID: "csat-\xff"}), survey.ErrInvalidInput)
	assert.ErrorIs(t, survey.Validate(survey.Definition{ID: "csat\x00"}), survey.ErrInvalidInput)
	_, err = survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "csat-\xff"}}})
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	assert.ErrorIs(t, err, survey.ErrInvalidSurvey)
}
