package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// mixed stores a CSAT 5, an NPS 4 and an NPS 9 (all in Spanish, the NPS
// 4 with a reason) and returns the store.
func mixed(t *testing.T) *memory.Store {
	t.Helper()
	st := memory.New()
	csat := rated("csat-5", "", 5, 0)
	nps4, nps9 := rated("nps-4", "", 4, 1), rated("nps-9", "", 9, 2)
	for _, s := range []*survey.Session{nps4, nps9} {
		s.SurveyID, s.Scale = "nps", "nps10"
	}
	nps4.Reason = "slow"
	for _, s := range []*survey.Session{csat, nps4, nps9} {
		require.NoError(t, st.Create(context.Background(), s))
	}
	return st
}

// labels exports st and returns each session's rating_label and
// reason_label.
func labels(t *testing.T, st report.Source, o export.Options) map[string][2]string {
	t.Helper()
	var buf bytes.Buffer
	_, err := export.CSV(context.Background(), &buf, st, "acme", report.Filter{}, o)
	require.NoError(t, err)
	return bySession(t, &buf, "rating_label", "reason_label")
}

// bySession reads an export and returns two columns of each row, by
// session ID.
func bySession(t *testing.T, r io.Reader, a, b string) map[string][2]string {
	t.Helper()
	records, err := csv.NewReader(r).ReadAll()
	require.NoError(t, err)
	out := map[string][2]string{}
	for _, r := range records[1:] {
		out[r[indexOf("session_id")]] = [2]string{r[indexOf(a)], r[indexOf(b)]}
	}
	return out
}

// Each row is labelled on its own survey's scale, even without the
// surveys: an NPS 4 is "4", not the CSAT scale's "Satisfecho".
func TestEachRowIsLabelledOnItsOwnScale(t *testing.T) {
	st := mixed(t)
	assert.Equal(t, map[string][2]string{"csat-5": {"Muy satisfecho", ""}, "nps-4": {"4", "slow"}, "nps-9": {"9", ""}},
		labels(t, st, export.Options{Scale: scoring.CSAT5()}))
	assert.Equal(t, map[string][2]string{"csat-5": {"Very satisfied", ""}, "nps-4": {"4", "slow"}, "nps-9": {"9", ""}},
		labels(t, st, export.Options{Language: "en"}), "in a chosen language; no scale given")
}

// With the surveys (the engine), each row speaks its own survey: its
// scale and its texts, overrides included, in the contact's language or a
// chosen one.
func TestEachRowSpeaksItsOwnSurvey(t *testing.T) {
	st := mixed(t)
	e, err := survey.New(survey.Config{Store: st, Surveys: []survey.Definition{
		{ID: "csat", Overrides: map[string]map[i18n.Key]string{"es": {"csat5.5": "¡Excelente!"}, "en": {"csat5.5": "Excellent!"}}},
		{ID: "nps", Scale: scoring.NPS10(), Reasons: survey.DefaultReasons(0, 6),
			Overrides: map[string]map[i18n.Key]string{"es": {"nps10.9": "9 (casi perfecto)", "reason.slow": "Demasiado lento"}}},
	}})
	require.NoError(t, err)
	assert.Equal(t, map[string][2]string{"csat-5": {"¡Excelente!", ""}, "nps-4": {"4", "Demasiado lento"}, "nps-9": {"9 (casi perfecto)", ""}},
		labels(t, st, export.Options{Labels: e, Scale: scoring.CSAT5()}))
	en := labels(t, st, export.Options{Labels: e, Language: "en"})
	assert.Equal(t, [2]string{"Excellent!", ""}, en["csat-5"])
	assert.Equal(t, "9", en["nps-9"][0], "the Spanish override is not English")
	assert.NotEqual(t, "slow", en["nps-4"][1], "the reason's English label")
	assert.NotEmpty(t, en["nps-4"][1])

	// A session of a survey the engine no longer has is labelled on its
	// own scale.
	gone := rated("gone-5", "", 5, 3)
	gone.SurveyID = "removed"
	require.NoError(t, st.Create(context.Background(), gone))
	assert.Equal(t, [2]string{"Muy satisfecho", ""}, labels(t, st, export.Options{Labels: e})["gone-5"])
}

// A host picks, renames and adds columns.
func TestHostColumns(t *testing.T) {
	s := storetest.Rate(storetest.NewSession("acme", "s1", 0), 2, at)
	s.Comment, s.ContactName = "=cmd()", "María"
	seq := func(yield func(*survey.Session, error) bool) { yield(s, nil) }
	var buf bytes.Buffer
	n, err := export.Write(&buf, seq, export.Options{Columns: []export.Column{
		export.Field("feedback", "comment"),
		{Header: "contact_email", Value: func(r *export.Row) string { return "+" + r.Session.ContactID + "@example.com" }},
		export.Field("rating", "rating"),
		{Header: "who", Value: func(r *export.Row) string { return r.Field("contact_name") + r.Field("no_such_column") }},
	}})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, "feedback,contact_email,rating,who\n'=cmd(),'+contact-s1@example.com,2,María\n", buf.String(),
		"the host's fields are protected too")
	assert.Len(t, export.Standard(), len(export.Columns))
	assert.Equal(t, "tenant_id", export.Standard()[0].Header)
	assert.Panics(t, func() { export.Field("x", "no_such_column") })
}
