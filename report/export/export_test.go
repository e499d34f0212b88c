package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

var at = time.Date(2026, 5, 4, 12, 30, 0, 500, time.UTC)

func rated(id, comment string, rating int, minutes int) *survey.Session {
	s := storetest.Rate(storetest.NewSession("acme", id, minutes), rating, at.Add(time.Duration(minutes)*time.Minute))
	s.Comment = comment
	return s
}

func TestCSVHasAStableHeaderAndOneRowPerListedSession(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	s := rated("s1", "Muy bien, gracias", 5, 0)
	s.State, s.CommentedAt, s.EndedAt, s.SentAt = survey.StateCompleted, at.Add(time.Minute), at.Add(time.Minute), at.Add(-time.Hour)
	s.ContactName, s.Assignee, s.LastAgent = "María", "ana", "ana"
	s.Agents = []survey.Participant{{ID: "ana", Name: "Ana", Groups: []string{"support", "vip"}}, {ID: "bot", Name: "Bot", Groups: []string{"support"}}}
	s.Review = &survey.Review{ReviewerID: "sup", Score: 4, Comment: "buen trato", At: at.Add(2 * time.Hour)}
	require.NoError(t, st.Create(ctx, s))
	require.NoError(t, st.Create(ctx, storetest.NewSession("acme", "unrated", 1)))
	reviewed := storetest.NewSession("acme", "reviewed-only", 2)
	reviewed.Review = &survey.Review{ReviewerID: "sup", Score: 1, At: at.Add(3 * time.Hour)}
	require.NoError(t, st.Create(ctx, reviewed))

	var buf bytes.Buffer
	saoPaulo, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	n, err := export.CSV(ctx, &buf, st, "acme", report.Filter{}, export.Options{Scale: scoring.CSAT5(), Location: saoPaulo})
	require.NoError(t, err)
	assert.Equal(t, 2, n, "rated and reviewed sessions; not the unrated, unreviewed one")
	want, err := os.ReadFile("testdata/golden.csv")
	require.NoError(t, err)
	assert.Equal(t, string(want), buf.String())
}

type names map[string]string

func (n names) Agent(_, id string) string   { return n[id] }
func (n names) Contact(_, id string) string { return n[id] }

func TestCSVNamesLabelsAndBOM(t *testing.T) {
	s := rated("s1", "ok", 1, 0)
	s.Language = "en"
	s.Agents = []survey.Participant{{ID: "ana", Name: "Ana (old)"}, {ID: "bo", Name: "Bo"}, {ID: "ana", Name: "Ana (old)"}}
	seq := func(yield func(*survey.Session, error) bool) { yield(s, nil) }
	var buf bytes.Buffer
	_, err := export.Write(&buf, seq, export.Options{BOM: true, Scale: scoring.CSAT5(),
		Names: names{"ana": "Ana Souza", "contact-s1": "Maria"}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(buf.String(), "\uFEFFtenant_id,"), "the BOM comes first, once")
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	row := records[1]
	assert.Equal(t, "Ana Souza|Bo", row[indexOf("agent_names")], "the resolver wins; an empty answer keeps the session's name; each agent once")
	assert.Equal(t, "ana|bo", row[indexOf("agent_ids")])
	assert.Equal(t, "Maria", row[indexOf("contact_name")])
	assert.Equal(t, "Very dissatisfied", row[indexOf("rating_label")])
	assert.Equal(t, "2026-05-04T12:30:00Z", row[indexOf("rated_at")], "RFC 3339 to the second")
	assert.Empty(t, row[indexOf("review_score")])

	buf.Reset()
	_, err = export.Write(&buf, seq, export.Options{Label: func(_ *survey.Session, v int) string { return fmt.Sprint("score ", v) }})
	require.NoError(t, err)
	records, err = csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "score 1", records[1][indexOf("rating_label")])
}

func TestCSVHasTheReasonAndItsLabel(t *testing.T) {
	es := rated("es", "", 1, 0)
	es.Reason = "slow"
	en := rated("en", "", 2, 1)
	en.Reason, en.Language = "not_solved", "en"
	custom := rated("custom", "", 1, 2)
	custom.Reason = "=price" // a host's own reason, not among the options given
	none := rated("none", "", 5, 3)
	rows := func(opts export.Options) map[string][2]string {
		seq := func(yield func(*survey.Session, error) bool) {
			for _, s := range []*survey.Session{es, en, custom, none} {
				if !yield(s, nil) {
					return
				}
			}
		}
		var buf bytes.Buffer
		_, err := export.Write(&buf, seq, opts)
		require.NoError(t, err)
		return bySession(t, &buf, "reason", "reason_label")
	}
	assert.Equal(t, map[string][2]string{
		"es": {"slow", "La respuesta tardó demasiado"}, "en": {"not_solved", "My problem was not solved"},
		"custom": {"'=price", "'=price"}, "none": {"", ""},
	}, rows(export.Options{Reasons: survey.DefaultReasons(1, 2).Options}),
		"the label in the session's language; an unknown reason keeps its ID; formulas protected")
	assert.Equal(t, map[string][2]string{
		"es": {"slow", "slow"}, "en": {"not_solved", "not_solved"}, "custom": {"'=price", "'=price"}, "none": {"", ""},
	}, rows(export.Options{}), "without the options, the label is the ID")
	assert.Equal(t, []string{"reason", "reason_label"}, export.Columns[len(export.Columns)-2:], "new columns go at the end")
}

func TestCSVQuotesCommentsSoTheyReadBackExactly(t *testing.T) {
	tests := []struct{ name, comment string }{
		{"plain", "good"},
		{"comma", "fast, friendly"},
		{"quotes", `she said "perfect"`},
		{"newline", "line one\nline two"},
		{"all of them", "a, \"b\"\nc,\"\""},
		{"leading space and quote", ` "x`},
		{"empty", ""},
		{"emoji and accents", "😀 très bien ñ"},
	}
	st := memory.New()
	ctx := context.Background()
	for i, tt := range tests {
		require.NoError(t, st.Create(ctx, rated(fmt.Sprintf("s%02d", i), tt.comment, 4, -i)))
	}
	var buf bytes.Buffer
	n, err := export.CSV(ctx, &buf, st, "acme", report.Filter{}, export.Options{})
	require.NoError(t, err)
	require.Equal(t, len(tests), n)

	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, len(tests)+1)
	assert.Equal(t, export.Columns, records[0])
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.comment, records[i+1][indexOf("comment")], "newest first: row %d is s%02d", i+1, i)
		})
	}
}

func TestFormulasAreProtectedByDefault(t *testing.T) {
	for _, tt := range []struct{ comment, protected string }{
		{`=HYPERLINK("http://evil","click")`, `'=HYPERLINK("http://evil","click")`},
		{"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"}, {"\r=1", "'\r=1"},
		{"＝1+1", "'＝1+1"}, {"＋1", "'＋1"}, {"－1", "'－1"}, {"＠x", "'＠x"},
		{"  =1+1", "'  =1+1"}, {"\u3000＝1", "'\u3000＝1"},
		{"fine = good", "fine = good"}, {"", ""},
	} {
		seq := func(yield func(*survey.Session, error) bool) { yield(rated("s1", tt.comment, 1, 0), nil) }
		for _, allow := range []bool{false, true} {
			var buf bytes.Buffer
			_, err := export.Write(&buf, seq, export.Options{AllowFormulas: allow})
			require.NoError(t, err)
			records, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err)
			want := tt.protected
			if allow {
				want = tt.comment
			}
			assert.Equal(t, strings.ReplaceAll(want, "\r", ""), strings.ReplaceAll(records[1][indexOf("comment")], "\r", ""), "%q allow=%v", tt.comment, allow)
		}
	}
}

func TestWriteStopsAtTheIteratorsError(t *testing.T) {
	boom := errors.New("connection lost")
	seq := func(yield func(*survey.Session, error) bool) {
		if yield(rated("s1", "ok", 5, 0), nil) {
			yield(nil, boom)
		}
	}
	var buf bytes.Buffer
	n, err := export.Write(&buf, seq, export.Options{})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 1, n)
	assert.Equal(t, 2, strings.Count(buf.String(), "\n"), "the header and the row before the error are flushed")
	_, err = export.CSV(context.Background(), &buf, nil, "acme", report.Filter{}, export.Options{})
	assert.Error(t, err)
}

// FuzzCSVRoundTrip: whatever a contact writes, the comment field reads back
// as the same (valid UTF-8) text and the row keeps its column count.
func FuzzCSVRoundTrip(f *testing.F) {
	for _, seed := range []string{"", "a,b", `"`, "\n", "\r\n", "x\"\"\ny", "\xff\xfe", "=1+1", "\x00", " \t ", "\r\r\n0"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, comment string) {
		seq := func(yield func(*survey.Session, error) bool) { yield(rated("s1", comment, 3, 0), nil) }
		var buf bytes.Buffer
		_, err := export.Write(&buf, seq, export.Options{AllowFormulas: true})
		require.NoError(t, err)
		records, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Len(t, records, 2)
		require.Len(t, records[1], len(export.Columns))
		// encoding/csv's reader drops the \r of \r\n, as spreadsheets do.
		want := strings.ReplaceAll(strings.ToValidUTF8(comment, "\uFFFD"), "\r\n", "\n")
		got := records[1][indexOf("comment")]
		require.Equal(t, want, got)
	})
}

func indexOf(name string) int {
	for i, c := range export.Columns {
		if c == name {
			return i
		}
	}
	panic(name)
}

func ExampleCSV() {
	ctx := context.Background()
	st := memory.New()
	s := storetest.Rate(storetest.NewSession("acme", "s1", 0), 5, time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC))
	s.Comment = "Rápido, amable y \"muy\" claro"
	_ = st.Create(ctx, s)

	var buf bytes.Buffer
	_, err := export.CSV(ctx, &buf, st, "acme", report.Filter{Rating: &report.Range{Min: 4, Max: 5}}, export.Options{Scale: scoring.CSAT5()})
	if err != nil {
		panic(err)
	}
	records, _ := csv.NewReader(&buf).ReadAll()
	fmt.Println(records[0][9:13])
	fmt.Println(records[1][9:13])
	// Output:
	// [rating rating_label rated_at comment]
	// [5 Muy satisfecho 2026-05-04T12:00:00Z Rápido, amable y "muy" claro]
}
