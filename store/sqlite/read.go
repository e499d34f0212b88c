package sqlite

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
)

var _ report.Source = (*Store)(nil)

// dialect spells the read queries for SQLite: times are Unix nanoseconds,
// lists are JSON arrays.
var dialect = &sqlstore.Dialect{
	Name:  "surveyflow/sqlite",
	Param: func(n int) string { return "?" + strconv.Itoa(n) },
	Time:  func(t time.Time) any { return nanos(t) },
	List: func(ids []string) any {
		b, _ := json.Marshal(ids) // []string always encodes
		return string(b)
	},
	In: func(expr, p string) string { return expr + " IN (SELECT value FROM json_each(" + p + "))" },
	Overlaps: func(col, p string) string {
		return "EXISTS (SELECT 1 FROM json_each(" + col + ") WHERE value IN (SELECT value FROM json_each(" + p + ")))"
	},
	Each: func(col, alias string) string { return "json_each(" + col + ") " + alias },
	// The indexed expression, not the generated column scale: SQLite
	// reads an indexed expression from a covering index, a virtual
	// column only from the table.
	Scale: "json_extract(s.doc, '$.scale')",
	Day: func(col, off string) string {
		local := "(" + col + " + (" + off + ") * 1000000000)"
		return "(" + local + " / 86400000000000 - (" + local + " % 86400000000000 < 0))"
	},
}

// conn runs sqlstore's statements on db.
type conn struct{ db DB }

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c conn) Query(ctx context.Context, query string, args []any, scan func(sqlstore.Rows) error) error {
	rows, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scan(rows)
}
