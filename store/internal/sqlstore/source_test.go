package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
)

// noRows is a result set without rows.
type noRows struct{ err error }

func (noRows) Next() bool        { return false }
func (noRows) Scan(...any) error { return nil }
func (r noRows) Err() error      { return r.err }

// conn is a Conn whose Query is the function itself.
type conn func(ctx context.Context, query string, args []any, scan func(sqlstore.Rows) error) error

func (c conn) Exec(context.Context, string, ...any) (int64, error) { return 0, errors.New("no writes") }
func (c conn) Query(ctx context.Context, query string, args []any, scan func(sqlstore.Rows) error) error {
	return c(ctx, query, args, scan)
}

func TestCountAndListRunTheDialectsStatements(t *testing.T) {
	d := &sqlstore.Dialect{Name: "surveyflow/test", Param: func(int) string { return "?" }}
	var ran []string
	run := conn(func(_ context.Context, query string, args []any, scan func(sqlstore.Rows) error) error {
		ran = append(ran, query)
		assert.Equal(t, "t1", args[0], "the tenant is the first parameter")
		return scan(noRows{})
	})
	page, err := sqlstore.List(context.Background(), d, run, "t1", report.ListQuery{Limit: 10})
	require.NoError(t, err)
	assert.NotNil(t, page, "an empty page is empty, not nil")
	assert.Empty(t, page)
	_, err = sqlstore.Count(context.Background(), d, run, "t1", report.Query{})
	require.NoError(t, err)
	require.Len(t, ran, 2)
	assert.Contains(t, ran[0], "ORDER BY s.listed_at DESC")
	assert.Contains(t, ran[1], "UNION ALL")

	failing := conn(func(context.Context, string, []any, func(sqlstore.Rows) error) error { return errors.New("gone") })
	_, err = sqlstore.Count(context.Background(), d, failing, "t1", report.Query{})
	assert.EqualError(t, err, "surveyflow/test: count: gone")
	_, err = sqlstore.List(context.Background(), d, failing, "t1", report.ListQuery{Limit: 1})
	assert.EqualError(t, err, "surveyflow/test: list: gone")
	late := conn(func(_ context.Context, _ string, _ []any, scan func(sqlstore.Rows) error) error {
		return scan(noRows{err: errors.New("reset")})
	})
	_, err = sqlstore.List(context.Background(), d, late, "t1", report.ListQuery{Limit: 1})
	assert.EqualError(t, err, "surveyflow/test: list: reset", "an error after the rows")

	_, err = sqlstore.List(context.Background(), d, run, "t1", report.ListQuery{})
	assert.ErrorIs(t, err, report.ErrInvalid, "a page needs a size")
	assert.Len(t, ran, 2, "an invalid query runs nothing")
}
