package export_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// A nil writer is the caller's mistake: CSV and Write say so with an error
// wrapping survey.ErrInvalidInput, whatever the options, and never panic.
func TestANilWriterIsAnErrorNotAPanic(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	var typedNil *bytes.Buffer
	for name, w := range map[string]io.Writer{"nil": nil, "typed nil": typedNil} {
		for _, opts := range []export.Options{{}, {BOM: true}} {
			var n int
			var err error
			assert.NotPanics(t, func() { n, err = export.CSV(ctx, w, st, "acme", report.Filter{}, opts) }, "CSV, %s writer", name)
			assert.ErrorIs(t, err, survey.ErrInvalidInput, "CSV, %s writer", name)
			assert.Zero(t, n)
			assert.NotPanics(t, func() { n, err = export.Write(w, nil, opts) }, "Write, %s writer", name)
			assert.ErrorIs(t, err, survey.ErrInvalidInput, "Write, %s writer", name)
			assert.Zero(t, n)
		}
	}
	_, err := export.CSV(ctx, io.Discard, nil, "acme", report.Filter{}, export.Options{})
	assert.ErrorIs(t, err, survey.ErrInvalidInput, "a nil source")
	_, err = export.Write(io.Discard, nil, export.Options{})
	assert.ErrorIs(t, err, survey.ErrInvalidInput, "a nil seq")
}
