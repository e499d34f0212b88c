package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
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

// conn runs sqlstore's statements on db.
type conn struct{ db DB }

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.db.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (c conn) Query(ctx context.Context, query string, args []any, scan func(sqlstore.Rows) error) error {
	rows, err := c.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scan(rows)
}
