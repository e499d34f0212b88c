package eligibility_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
)

// FuzzLoad feeds arbitrary bytes to Load: it must return rules or an error,
// never panic, and whatever it accepts must survive ConfigOf → JSON → Load
// unchanged.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"rules":[{"rule":"answered_by_agent"},{"rule":"transcript_longer_than","chars":250},{"rule":"closed_within","within":"1d"}]}`,
		`{"rules":[{"rule":"sample","percent":33.3,"salt":"x","by":"contact"},{"rule":"frequency_cap","period":"1d12h","scope":"any_survey"}]}`,
		`{"rules":[{"rule":"any","name":"n","rules":[{"rule":"not","of":{"rule":"labels","op":"contains_any","values":["a"]}}]}]}`,
		`{"rules":[{"rule":"field","field":"p","op":"not_in","values":["a","b"]},{"rule":"in_contact_language","min_confidence":"high"}]}`,
		`{"rules":[{"rule":"min_handling_time","duration":"2m","agents":"human_only"},{"rule":"min_agent_replies","replies":2}]}`,
		`{"rules":[{"rule":"transcript_longer_than","chars":1,"count":["system","bot"]},{"rule":"channel","channels":["é"]}]}`,
		`{"rules":[{"rule":"sample","percent":1e2}]}`,
		`{"rules":[{"rule":"channel","channels":[]},{"rule":"labels","op":"contains_any","values":[]},{"rule":"any","rules":[]}]}`,
		`{"rules":[{"rule":"field","field":"p","op":"equals","values":[]},{"rule":"not","of":{"rule":"channel","channels":[]}}]}`,
		`{"rules":null}`, `{}`, `[]`, `null`, "\xff",
		`{"rules":[]}}`, `{"rules":[]}]`, `{"rules":[]} {}`, `{"rules":[],"rules":[]}`,
		`{"rules":[{"rule":"sample","percent":5,"percent":6}]}`, `{"Rules":[]}`, `{"rules":[{"Rule":"sample","percent":5}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := eligibility.Load(data)
		if err != nil {
			require.ErrorIs(t, err, eligibility.ErrInvalidConfig)
			return
		}
		cfg, err := eligibility.ConfigOf(rules)
		require.NoError(t, err)
		js, err := json.Marshal(cfg)
		require.NoError(t, err)
		again, err := eligibility.Load(js)
		require.NoError(t, err, "reloading %s", js)
		cfg2, err := eligibility.ConfigOf(again)
		require.NoError(t, err)
		require.Equal(t, cfg, cfg2)
	})
}

// FuzzParseDuration: any string parses or errors, and a parsed duration
// reads back the same from its String form.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"24h", "7d", "1d12h", "90m", "-1h", "1.5h", "999999d", "d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := eligibility.ParseDuration(s)
		if err != nil {
			return
		}
		back, err := eligibility.ParseDuration(eligibility.Duration(d).String())
		require.NoError(t, err)
		require.Equal(t, d, back)
	})
}
