package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/survey"
)

var _ report.Source = (*Store)(nil)

// dialect spells the read queries for PostgreSQL: timestamptz times and
// text[] lists.
var dialect = &sqlstore.Dialect{
	Name:     "surveyflow/postgres",
	Param:    func(n int) string { return "$" + strconv.Itoa(n) },
	Time:     func(t time.Time) any { return t },
	List:     func(ids []string) any { return ids },
	In:       func(expr, p string) string { return expr + " = ANY(" + p + "::text[])" },
	Overlaps: func(col, p string) string { return col + " && " + p + "::text[]" },
	Each:     func(col, alias string) string { return "unnest(" + col + ") AS " + alias + "(value)" },
	Scale:    "s.scale",
	Day: func(col, off string) string {
		return "(((" + col + " AT TIME ZONE 'UTC') + (" + off + ") * interval '1 second')::date - DATE '1970-01-01')"
	},
}

// Count implements report.Source in one statement: a GROUP BY per
// dimension over the indexed read columns (never the documents).
func (st *Store) Count(ctx context.Context, tenantID string, q report.Query) ([]report.Count, error) {
	return sqlstore.Count(ctx, dialect, conn{st.db}, tenantID, q)
}

// List implements report.Source: one page, keyset-paged on the listed
// index.
func (st *Store) List(ctx context.Context, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	return sqlstore.List(ctx, dialect, conn{st.db}, tenantID, q)
}

// conn runs sqlstore's statements on db.
type conn struct{ db DB }

func (c conn) Exec(ctx context.Context, query string, args ...any) error {
	_, err := c.db.Exec(ctx, query, args...)
	return err
}

func (c conn) Query(ctx context.Context, query string, args []any, scan func(sqlstore.Rows) error) error {
	rows, err := c.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scan(rows)
}
