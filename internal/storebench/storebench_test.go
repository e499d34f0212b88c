package storebench_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

func TestCheckBaselineReportsADifferentReport(t *testing.T) {
	st := memory.New()
	for _, s := range storebench.BenchSessions(300) {
		require.NoError(t, st.Create(context.Background(), s))
	}
	right := func() (*report.Report, error) {
		return report.Build(context.Background(), st, "t1", storebench.PerAgent())
	}
	ok := storebench.Record(func(ft storebench.T) { storebench.CheckBaseline(ft, 300, st, right) })
	assert.False(t, ok.Reported(), "the library against itself: %v", ok.Errors)

	wrong := storebench.Record(func(ft storebench.T) {
		storebench.CheckBaseline(ft, 300, st, func() (*report.Report, error) { return storebench.HandReport(nil), nil })
	})
	assert.True(t, wrong.Reported(), "an empty baseline differs")
	assert.NotEmpty(t, wrong.Errors)

	broken := storebench.Record(func(ft storebench.T) {
		storebench.CheckBaseline(ft, 300, st, func() (*report.Report, error) { return nil, errors.New("no database") })
	})
	assert.True(t, broken.Failed, "a failing baseline stops the check")
	assert.Contains(t, broken.Errors[0], "no database")
}

func TestCheckMigratedRowsReportsMissingRows(t *testing.T) {
	noColumns := func(string, ...any) error { return errors.New("no such column: reason") }
	empty := storebench.Record(func(ft storebench.T) { storebench.CheckMigratedRows(ft, memory.New(), noColumns) })
	assert.True(t, empty.Reported(), "a store without the two rows")
	assert.Contains(t, fmt.Sprint(empty.Errors), "the reason from the document")

	// The documents of PreReadDocs, stored as they are, pass; the columns
	// answer as a migrated table would.
	st := memory.New()
	for _, doc := range storebench.PreReadDocs {
		s := &survey.Session{}
		require.NoError(t, json.Unmarshal([]byte(doc), s))
		require.NoError(t, st.Create(context.Background(), s))
	}
	columns := func(query string, dest ...any) error {
		switch {
		case len(dest) == 2:
			*dest[0].(*int), *dest[1].(*int) = 1, 1
		case strings.Contains(query, "scale IS NULL"):
			*dest[0].(*int) = 2 // neither row has a scale
		default:
			*dest[0].(*int) = scoring.ResponseTimeBucket(90 * time.Second)
		}
		return nil
	}
	ok := storebench.Record(func(ft storebench.T) { storebench.CheckMigratedRows(ft, st, columns) })
	assert.False(t, ok.Reported(), "%v", ok.Errors)
}
