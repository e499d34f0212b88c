package eligibility_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// everyRule returns one rule of every kind, with settings off their
// defaults where there are any.
func everyRule() []survey.Rule {
	return []survey.Rule{
		eligibility.AnsweredByAgent(eligibility.HumanOnly),
		eligibility.TranscriptLongerThan(250, eligibility.Counting(eligibility.ContactMessages, eligibility.SystemNotes)),
		eligibility.ClosedWithin(24 * time.Hour),
		eligibility.MinHandlingTime(90*time.Second, eligibility.HumanOnly),
		eligibility.MinAgentReplies(2, eligibility.HumanOrVirtual),
		eligibility.Sample(30, eligibility.Salt("s"), eligibility.SampleBy(eligibility.ByContact)),
		eligibility.FrequencyCap(7*24*time.Hour, eligibility.AnySurvey),
		eligibility.InContactLanguage(eligibility.MinConfidence(language.High)),
		eligibility.Field("priority", eligibility.In, "high", "medium"),
		eligibility.Labels(eligibility.NotContains, "vip-escalation"),
		eligibility.Channels("whatsapp", "email"),
		eligibility.FieldIgnoringCase("priority", eligibility.NotEquals, "LOW"),
		eligibility.LabelsIgnoringCase(eligibility.Contains, "Billing"),
		eligibility.All(eligibility.Channels("x"), eligibility.Any(eligibility.Sample(0), eligibility.Not(eligibility.Labels(eligibility.ContainsAny, "a")))),
		eligibility.Named("long-enough", eligibility.TranscriptLongerThan(10)),
	}
}

func TestCanonicalConfigurationsRoundTripExactly(t *testing.T) {
	for _, js := range []string{
		`{"rules":[{"rule":"answered_by_agent"},{"rule":"transcript_longer_than","chars":250},{"rule":"closed_within","within":"1d"}]}`,
		`{"rules":[{"rule":"answered_by_agent","agents":"human_only"}]}`,
		`{"rules":[{"rule":"transcript_longer_than","chars":0,"count":["contact","system"]}]}`,
		`{"rules":[{"rule":"min_handling_time","agents":"human_only","duration":"2m30s"},{"rule":"min_agent_replies","replies":0}]}`,
		`{"rules":[{"rule":"sample","percent":0},{"rule":"sample","percent":33.3333,"salt":"q2","by":"contact"}]}`,
		`{"rules":[{"rule":"frequency_cap","period":"7d"},{"rule":"frequency_cap","period":"36h0m0s","scope":"any_survey"}]}`,
		`{"rules":[{"rule":"in_contact_language"},{"rule":"in_contact_language","min_confidence":"exact"}]}`,
		`{"rules":[{"rule":"field","field":"priority","op":"in","values":["high","medium"]},{"rule":"labels","op":"not_contains","values":["vip-escalation"]}]}`,
		`{"rules":[{"rule":"channel","channels":["whatsapp"]}]}`,
		`{"rules":[{"rule":"field","field":"priority","op":"equals","values":["High"],"ignore_case":true},{"rule":"labels","op":"contains_any","values":["VIP"],"ignore_case":true}]}`,
		`{"rules":[{"rule":"any","name":"worth-asking","rules":[{"rule":"min_agent_replies","replies":3},{"rule":"not","of":{"rule":"channel","channels":["email"]}}]},{"rule":"all","rules":[]}]}`,
		`{"rules":[]}`,
		`{"rules":[{"rule":"channel","channels":[]},{"rule":"labels","op":"contains_any","values":[]},{"rule":"field","field":"priority","op":"equals","values":[]},{"rule":"any","rules":[]}]}`,
	} {
		t.Run(js, func(t *testing.T) {
			cfg, err := eligibility.ParseConfig([]byte(js))
			require.NoError(t, err)
			rules, err := eligibility.Build(cfg)
			require.NoError(t, err)
			back, err := eligibility.ConfigOf(rules)
			require.NoError(t, err)
			assert.Equal(t, cfg, back, "Build then ConfigOf gives the configuration back")
			out, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, js, string(out), "and its JSON")
		})
	}
}

func TestEveryRuleRoundTripsAndDecidesTheSame(t *testing.T) {
	inputs := []*survey.Input{
		input(conv("c1").Language("es").ContactSays("hola").AgentSays("ana", "hola").Label("a").Field("priority", "high").Closed()),
		input(conv("c2").Channel("email").ContactSays(strings.Repeat("x", 300)).AgentSays("bot", "hi").Wait(3 * time.Minute).ContactSays("ok").Closed()),
		input(conv("c3").Channel("x").Label("vip-escalation").SystemSays("note").Closed()),
	}
	for _, in := range inputs {
		in.History = history()
	}
	for _, r := range everyRule() {
		t.Run(r.Name(), func(t *testing.T) {
			cfg, err := eligibility.ConfigOf([]survey.Rule{r})
			require.NoError(t, err)
			js, err := json.Marshal(cfg)
			require.NoError(t, err)
			rebuilt, err := eligibility.Load(js)
			require.NoError(t, err, "loading %s", js)
			again, err := eligibility.ConfigOf(rebuilt)
			require.NoError(t, err)
			assert.Equal(t, cfg, again)
			for _, in := range inputs {
				want, err := r.Check(context.Background(), in)
				require.NoError(t, err)
				got, err := rebuilt[0].Check(context.Background(), in)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s decides %s the same after the round trip", js, in.Conversation.ID)
			}
		})
	}
}

func TestDefaultsMayBeWrittenOut(t *testing.T) {
	rules, err := eligibility.Load([]byte(`{"rules":[
		{"rule":"answered_by_agent","agents":"human_and_virtual"},
		{"rule":"transcript_longer_than","chars":250,"count":["bot","contact","human_agent"]},
		{"rule":"sample","percent":100,"salt":"","by":"conversation"},
		{"rule":"frequency_cap","period":"24h","scope":"same_survey"},
		{"rule":"in_contact_language","min_confidence":"low"}]}`))
	require.NoError(t, err)
	cfg, err := eligibility.ConfigOf(rules)
	require.NoError(t, err)
	js, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"rules":[{"rule":"answered_by_agent"},{"rule":"transcript_longer_than","chars":250},
		{"rule":"sample","percent":100},{"rule":"frequency_cap","period":"1d"},{"rule":"in_contact_language"}]}`, string(js),
		"ConfigOf leaves defaults out")
}

func TestAnsweredLongAndRecentAsConfiguration(t *testing.T) {
	cfg, err := eligibility.ConfigOf(eligibility.AnsweredLongAndRecent())
	require.NoError(t, err)
	js, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"rules":[{"rule":"answered_by_agent"},{"rule":"transcript_longer_than","chars":250},{"rule":"closed_within","within":"1d"}]}`, string(js))
}

func TestBadConfigurationsAreClearErrors(t *testing.T) {
	deep := strings.Repeat(`{"rule":"not","of":`, eligibility.MaxDepth) + `{"rule":"channel","channels":["x"]}` + strings.Repeat(`}`, eligibility.MaxDepth)
	for _, tc := range []struct{ name, js, msg string }{
		{"not JSON", `{"rules":[`, "invalid configuration"},
		{"not an object", `[]`, `want an object {"rules": [...]}`},
		{"unknown top-level key", `{"rules":[],"version":2}`, `unknown key "version"`},
		{"rules not a list", `{"rules":{}}`, "want a list of rules"},
		{"a rule that is not an object", `{"rules":[42]}`, `rules[0]: want an object`},
		{"missing rule name", `{"rules":[{"chars":250}]}`, `rules[0]: missing key "rule"`},
		{"unknown rule", `{"rules":[{"rule":"transcript_length","chars":250}]}`, `unknown rule "transcript_length" (known: all, answered_by_agent, any,`},
		{"unknown key", `{"rules":[{"rule":"sample","percent":5,"seed":1}]}`, `rules[0] (sample): unknown key "seed" (rule sample takes percent, salt, by)`},
		{"a key of another rule", `{"rules":[{"rule":"answered_by_agent","chars":5}]}`, `unknown key "chars" (rule answered_by_agent takes agents)`},
		{"missing required key", `{"rules":[{"rule":"transcript_longer_than"}]}`, `missing key "chars"`},
		{"wrong type", `{"rules":[{"rule":"transcript_longer_than","chars":"250"}]}`, `key "chars"`},
		{"fractional chars", `{"rules":[{"rule":"transcript_longer_than","chars":250.5}]}`, `key "chars"`},
		{"null value", `{"rules":[{"rule":"sample","percent":null}]}`, `key "percent" is null`},
		{"empty name", `{"rules":[{"rule":"channel","name":"","channels":["x"]}]}`, `key "name": want a non-empty string`},
		{"percent out of range", `{"rules":[{"rule":"sample","percent":150}]}`, `rules[0] (sample): eligibility: invalid rule: sample: percent 150 is outside 0–100`},
		{"negative chars", `{"rules":[{"rule":"transcript_longer_than","chars":-1}]}`, "chars -1 is negative"},
		{"unknown message kind", `{"rules":[{"rule":"transcript_longer_than","chars":1,"count":["robot"]}]}`, `unknown message kind "robot"`},
		{"bad duration", `{"rules":[{"rule":"closed_within","within":"a day"}]}`, `duration "a day": want a form like "24h", "90m" or "7d"`},
		{"duration as a number", `{"rules":[{"rule":"closed_within","within":86400}]}`, `want a duration string`},
		{"huge day count", `{"rules":[{"rule":"frequency_cap","period":"999999999d"}]}`, `duration "999999999d"`},
		{"zero period", `{"rules":[{"rule":"frequency_cap","period":"0s"}]}`, "period 0s is not positive"},
		{"unknown agents", `{"rules":[{"rule":"answered_by_agent","agents":"robots"}]}`, `agents "robots" is not one of human_and_virtual, human_only`},
		{"unknown scope", `{"rules":[{"rule":"frequency_cap","period":"1d","scope":"channel"}]}`, `scope "channel" is not one of`},
		{"unknown sample key", `{"rules":[{"rule":"sample","percent":1,"by":"agent"}]}`, `by "agent" is not one of`},
		{"unknown confidence", `{"rules":[{"rule":"in_contact_language","min_confidence":"no"}]}`, `min_confidence "no" is not one of low, high, exact`},
		{"op labels do not take", `{"rules":[{"rule":"labels","op":"in","values":["a"]}]}`, `op "in" is not one of contains, contains_any, not_contains`},
		{"equals with two values", `{"rules":[{"rule":"field","field":"p","op":"equals","values":["a","b"]}]}`, "takes exactly one value, got 2"},
		{"an error deep inside", `{"rules":[{"rule":"any","rules":[{"rule":"not","of":{"rule":"sample","percent":101}}]}]}`, `rules[0] (any).rules[0] (not).of (sample)`},
		{"a decoding error deep inside", `{"rules":[{"rule":"all","rules":[{"rule":"not","of":{"rule":"nope"}}]}]}`, `rules[0] (all).rules[0] (not).of: unknown rule "nope"`},
		{"nesting too deep", `{"rules":[` + deep + `]}`, "rules nest deeper than 32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eligibility.Load([]byte(tc.js))
			require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

// A document encoding/json would take silently is refused with the place
// of the problem: data after it, a key twice, a key in another case.
func TestMalformedDocumentsAreRefusedWithTheirPlace(t *testing.T) {
	const prefix = "eligibility: invalid configuration: "
	for _, tc := range []struct{ name, js, msg string }{
		{"trailing brace", `{"rules":[]}}`, `line 1, column 13 (byte offset 12): data after the document`},
		{"trailing bracket", "{\"rules\":[]}\n]", `line 2, column 1 (byte offset 13): data after the document`},
		{"second document", `{"rules":[]} {"rules":[]}`, `line 1, column 14 (byte offset 13): data after the document`},
		{"rules twice", `{"rules":[{"rule":"answered_by_agent"}],"rules":[]}`, `rules at line 1, column 41 (byte offset 40): key "rules" appears twice in one object (first at line 1, column 2)`},
		{"a setting twice", "{\"rules\": [\n  {\"rule\": \"sample\", \"percent\": 5,\n   \"percent\": 100}]}", `rules[0].percent at line 3, column 4 (byte offset 50): key "percent" appears twice in one object (first at line 2, column 22)`},
		{"rule twice", `{"rules":[{"rule":"channel","channels":["x"],"rule":"answered_by_agent"}]}`, `rules[0].rule at line 1, column 46 (byte offset 45): key "rule" appears twice in one object (first at line 1, column 12)`},
		{"twice deep inside", `{"rules":[{"rule":"not","of":{"rule":"labels","op":"contains","values":["a"],"values":["b"]}}]}`, `rules[0].of.values at line 1, column 78 (byte offset 77): key "values" appears twice in one object (first at line 1, column 63)`},
		{"top key in another case", `{"Rules":[]}`, `config: unknown key "Rules" (want only "rules")`},
		{"rule in another case", `{"rules":[{"Rule":"sample","percent":5}]}`, `rules[0]: missing key "rule"`},
		{"setting in another case", `{"rules":[{"rule":"sample","Percent":5}]}`, `rules[0] (sample): unknown key "Percent" (rule sample takes percent, salt, by)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eligibility.Load([]byte(tc.js))
			require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
			assert.Equal(t, prefix+tc.msg, err.Error())
			_, err = eligibility.ParseConfig([]byte(tc.js))
			assert.Equal(t, prefix+tc.msg, err.Error())
		})
	}
}

// A host that decodes a Config or a RuleConfig inside its own JSON gets
// the same refusals, placed within the configuration's own text.
func TestEmbeddedConfigurationsRefuseDuplicateKeys(t *testing.T) {
	var host struct {
		Eligibility eligibility.Config `json:"eligibility"`
	}
	err := json.Unmarshal([]byte(`{"eligibility": {"rules": [], "rules": []}}`), &host)
	require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
	assert.Contains(t, err.Error(), `rules at line 1, column 15 (byte offset 14): key "rules" appears twice in one object`)

	var rule eligibility.RuleConfig
	err = json.Unmarshal([]byte(`{"rule": "sample", "percent": 5, "percent": 50}`), &rule)
	require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
	assert.Contains(t, err.Error(), `percent at line 1, column 34 (byte offset 33): key "percent" appears twice in one object (first at line 1, column 20)`)

	require.NoError(t, json.Unmarshal([]byte(`{"rule": "sample", "percent": 5}`), &rule))
	assert.Equal(t, 5.0, rule.Percent)
}

func TestBuildChecksConfigurationsMadeInCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  eligibility.RuleConfig
		msg  string
	}{
		{"unknown rule", eligibility.RuleConfig{Rule: "vip"}, `rules[0]: unknown rule "vip"`},
		{"a setting of another rule", eligibility.RuleConfig{Rule: "sample", Percent: 5, Chars: 3}, `rules[0] (sample): key "chars" does not apply (rule sample takes percent, salt, by)`},
		{"not without of", eligibility.RuleConfig{Rule: "not"}, `missing key "of"`},
		{"a nested problem", eligibility.RuleConfig{Rule: "all", Rules: []eligibility.RuleConfig{{Rule: "closed_within", Within: -1}}}, "rules[0] (all).rules[0] (closed_within)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eligibility.Build(eligibility.Config{Rules: []eligibility.RuleConfig{tc.cfg}})
			require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
	t.Run("nesting too deep", func(t *testing.T) {
		c := eligibility.RuleConfig{Rule: "channel", Channels: []string{"x"}}
		for range eligibility.MaxDepth {
			inner := c
			c = eligibility.RuleConfig{Rule: "not", Of: &inner}
		}
		_, err := eligibility.Build(eligibility.Config{Rules: []eligibility.RuleConfig{c}})
		assert.ErrorContains(t, err, "rules nest deeper than 32")
		_, err = eligibility.Build(eligibility.Config{Rules: []eligibility.RuleConfig{*c.Of}})
		assert.NoError(t, err, "32 levels are fine")
	})
}

func TestHostRulesCannotBeWrittenAsConfiguration(t *testing.T) {
	host := eligibility.Func("business-hours", func(context.Context, *survey.Input) ([]survey.Failure, error) { return nil, nil })
	_, err := eligibility.ConfigOf([]survey.Rule{eligibility.Channels("x"), eligibility.All(eligibility.Not(host))})
	require.ErrorIs(t, err, eligibility.ErrNotConfigurable)
	assert.Contains(t, err.Error(), `rules[1]: rules[0]: of: eligibility: rule cannot be written as configuration: "business-hours" is a Func rule (host code)`)

	_, err = eligibility.ConfigOf([]survey.Rule{foreign{}})
	require.ErrorIs(t, err, eligibility.ErrNotConfigurable)
	assert.Contains(t, err.Error(), `rule "foreign"`)
}

type foreign struct{}

func (foreign) Name() string { return "foreign" }
func (foreign) Check(context.Context, *survey.Input) ([]survey.Failure, error) {
	return nil, nil
}

func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"24h", 24 * time.Hour}, {"90m", 90 * time.Minute}, {"7d", 7 * 24 * time.Hour}, {"1d12h", 36 * time.Hour}, {"0s", 0},
	} {
		got, err := eligibility.ParseDuration(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", "d", "1.5d", "-1d", "1d-2h", "7days", "1dd", "forever"} {
		_, err := eligibility.ParseDuration(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "7d", eligibility.Duration(7*24*time.Hour).String())
	assert.Equal(t, "36h0m0s", eligibility.Duration(36*time.Hour).String())
}

// What admin UIs save when nothing was picked loads, passes on every
// conversation, and writes back as [] (never null), through Load and
// through RuleConfig values made in code (SPEC E8, E9).
func TestEmptyListsInConfigurationAreNoCondition(t *testing.T) {
	ins := []*survey.Input{
		input(conv("c1").Channel("email").Label("vip-escalation").Field("priority", "low").Closed()),
		input(conv("c2").Closed()),
	}
	for _, js := range []string{
		`{"rules":[{"rule":"channel","channels":[]}]}`,
		`{"rules":[{"rule":"labels","op":"contains_any","values":[]}]}`,
		`{"rules":[{"rule":"labels","op":"contains","values":[],"ignore_case":true}]}`,
		`{"rules":[{"rule":"labels","op":"not_contains","values":[]}]}`,
		`{"rules":[{"rule":"field","field":"priority","op":"in","values":[]}]}`,
		`{"rules":[{"rule":"field","field":"priority","op":"equals","values":[]}]}`,
		`{"rules":[{"rule":"any","rules":[]}]}`,
		`{"rules":[{"rule":"all","rules":[{"rule":"channel","channels":[]},{"rule":"any","name":"either","rules":[]}]}]}`,
	} {
		t.Run(js, func(t *testing.T) {
			rules, err := eligibility.Load([]byte(js))
			require.NoError(t, err)
			passEveryoneAndWriteBack(t, rules, ins, js)
		})
	}

	t.Run("in code", func(t *testing.T) {
		rules, err := eligibility.Build(eligibility.Config{Rules: []eligibility.RuleConfig{
			{Rule: "channel"},
			{Rule: "labels", Op: eligibility.ContainsAny},
			{Rule: "field", Field: "priority", Op: eligibility.NotIn},
			{Rule: "any"},
		}})
		require.NoError(t, err)
		js := `{"rules":[{"rule":"channel","channels":[]},{"rule":"labels","op":"contains_any","values":[]},{"rule":"field","field":"priority","op":"not_in","values":[]},{"rule":"any","rules":[]}]}`
		passEveryoneAndWriteBack(t, rules, ins, js)
		_, err = eligibility.Load([]byte(js))
		require.NoError(t, err, "written as [], which loads again")
	})

	t.Run("the key must still be there, and not null", func(t *testing.T) {
		for js, msg := range map[string]string{
			`{"rules":[{"rule":"channel"}]}`:                                            `missing key "channels"`,
			`{"rules":[{"rule":"channel","channels":null}]}`:                            `key "channels" is null`,
			`{"rules":[{"rule":"labels","op":"contains_any"}]}`:                         `missing key "values"`,
			`{"rules":[{"rule":"labels","op":"in","values":[]}]}`:                       `op "in" is not one of contains, contains_any, not_contains`,
			`{"rules":[{"rule":"field","field":"","op":"in","values":[]}]}`:             "no field name",
			`{"rules":[{"rule":"any"}]}`:                                                `missing key "rules"`,
			`{"rules":[{"rule":"field","field":"p","op":"equals","values":["a","b"]}]}`: "takes exactly one value, got 2",
		} {
			_, err := eligibility.Load([]byte(js))
			require.ErrorIs(t, err, eligibility.ErrInvalidConfig, js)
			assert.Contains(t, err.Error(), msg, js)
		}
	})
}

// passEveryoneAndWriteBack checks that rules let every input through and
// write back as the JSON want.
func passEveryoneAndWriteBack(t *testing.T, rules []survey.Rule, ins []*survey.Input, want string) {
	t.Helper()
	for _, in := range ins {
		d, err := survey.Evaluate(context.Background(), rules, in)
		require.NoError(t, err)
		assert.True(t, d.Eligible, "%v", d.Failures)
	}
	cfg, err := eligibility.ConfigOf(rules)
	require.NoError(t, err)
	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.Equal(t, want, string(out))
}
