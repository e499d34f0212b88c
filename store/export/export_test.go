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
	"github.com/surveyflow/surveyflow/store/export"
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

func TestCSVHasAStableHeaderAndOneRowPerResponse(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	s := rated("s1", "Muy bien, gracias", 5, 0)
	s.State, s.CommentedAt, s.EndedAt = survey.StateCompleted, at.Add(time.Minute), at.Add(time.Minute)
	s.Agents = []survey.Agent{{ID: "ana", Groups: []string{"support", "vip"}}, {ID: "bot", Groups: []string{"support"}}}
	require.NoError(t, st.Create(ctx, s))
	require.NoError(t, st.Create(ctx, storetest.NewSession("acme", "unrated", 1)))

	var buf bytes.Buffer
	n, err := export.CSV(ctx, &buf, st, "acme", survey.ResponseFilter{}, export.Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "unrated sessions are not responses")
	want, err := os.ReadFile("testdata/golden.csv")
	require.NoError(t, err)
	assert.Equal(t, string(want), buf.String())
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
	n, err := export.CSV(ctx, &buf, st, "acme", survey.ResponseFilter{}, export.Options{})
	require.NoError(t, err)
	require.Equal(t, len(tests), n)

	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, len(tests)+1)
	assert.Equal(t, export.Columns, records[0])
	comment := indexOf(export.Columns, "comment")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.comment, records[i+1][comment], "newest first: row %d is s%02d", i+1, i)
		})
	}
}

func TestProtectFormulasKeepsSpreadsheetsFromRunningComments(t *testing.T) {
	st := memory.New()
	ctx := context.Background()
	require.NoError(t, st.Create(ctx, rated("s1", `=HYPERLINK("http://evil","click")`, 1, 0)))
	for _, tt := range []struct {
		opts export.Options
		want string
	}{
		{export.Options{}, `=HYPERLINK("http://evil","click")`},
		{export.Options{ProtectFormulas: true}, `'=HYPERLINK("http://evil","click")`},
	} {
		var buf bytes.Buffer
		_, err := export.CSV(ctx, &buf, st, "acme", survey.ResponseFilter{}, tt.opts)
		require.NoError(t, err)
		records, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, tt.want, records[1][indexOf(export.Columns, "comment")])
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
	_, err = export.CSV(context.Background(), &buf, nil, "acme", survey.ResponseFilter{}, export.Options{})
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
		_, err := export.Write(&buf, seq, export.Options{})
		require.NoError(t, err)
		records, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Len(t, records, 2)
		require.Len(t, records[1], len(export.Columns))
		// encoding/csv's reader drops the \r of \r\n, as spreadsheets do.
		want := strings.ReplaceAll(strings.ToValidUTF8(comment, "\uFFFD"), "\r\n", "\n")
		got := records[1][indexOf(export.Columns, "comment")]
		require.Equal(t, want, got)
	})
}

func indexOf(cols []string, name string) int {
	for i, c := range cols {
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
	_, err := export.CSV(ctx, &buf, st, "acme", survey.ResponseFilter{Rating: &survey.RatingRange{Min: 4, Max: 5}}, export.Options{ProtectFormulas: true})
	if err != nil {
		panic(err)
	}
	records, _ := csv.NewReader(&buf).ReadAll()
	fmt.Println(records[0][8:11])
	fmt.Println(records[1][8:11])
	// Output:
	// [rating rated_at comment]
	// [5 2026-05-04T12:00:00Z Rápido, amable y "muy" claro]
}
