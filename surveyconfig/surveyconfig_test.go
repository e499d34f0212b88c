package surveyconfig_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
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

	_, err = surveyconfig.FromSurvey(survey.Survey{ID: "x", Rules: []survey.Rule{eligibility.Func("host", nil)}})
	assert.ErrorIs(t, err, eligibility.ErrNotConfigurable, "host code is not data")
}

func TestBadDocumentsAreClearErrors(t *testing.T) {
	for name, tc := range map[string]struct{ doc, says string }{
		"not JSON":            {`{"surveys": [`, "unexpected EOF"},
		"unknown key":         {`{"surveys": [{"id": "a", "colour": "red"}]}`, `unknown field "colour"`},
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
		"trailing data":       {`{"surveys": []} {}`, "after the document"},
		"huge":                {`{"surveys": [], "x": "` + strings.Repeat("a", surveyconfig.MaxBytes) + `"}`, "at most"},
	} {
		_, err := surveyconfig.Parse([]byte(tc.doc))
		require.Error(t, err, name)
		assert.ErrorIs(t, err, surveyconfig.ErrInvalid, name)
		assert.Contains(t, err.Error(), tc.says, name)
	}
}

// FuzzParse: no document panics Parse, and every accepted document builds
// surveys that write back and parse again to the same definitions.
func FuzzParse(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"surveys": [{"id": "a", "scale": "thumbs", "skip_comment": true}]}`))
	f.Add([]byte(`{"surveys": [{"id": "a", "rules": [{"rule": "not", "of": {"rule": "channel", "channels": ["sms"]}}]}]}`))
	f.Add([]byte(`{"surveys": [{"id": "\u0000", "texts": {"ru": {"thanks": "{hours, plural, one {# час} other {# часов}}"}}}]}`))
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
