package sqlstore

import (
	"context"
	"fmt"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

// Conn is how the shared code runs statements: each store implements it
// over its own driver (pgx, database/sql) and whatever it was given (a
// pool, a connection, a transaction).
type Conn interface {
	// Exec runs one statement, or several separated by semicolons, and
	// returns how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs one statement and hands its rows to scan; it closes the
	// rows after scan returns, and returns scan's error.
	Query(ctx context.Context, query string, args []any, scan func(Rows) error) error
}

// Count answers report.Source.Count for a store: it validates q, runs d's
// CountSQL through c and reads the rows with ScanCounts. Errors other
// than an invalid query start with d.Name.
func Count(ctx context.Context, d *Dialect, c Conn, tenantID string, q report.Query) ([]report.Count, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	query, args := CountSQL(d, tenantID, q)
	var out []report.Count
	err := c.Query(ctx, query, args, func(rows Rows) (err error) {
		out, err = ScanCounts(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: count: %w", d.Name, err)
	}
	return out, nil
}

// List answers report.Source.List for a store: it validates q, runs d's
// ListSQL through c and decodes the page's sessions, an empty page as
// an empty (never nil) slice. Errors other than an invalid query start
// with d.Name.
func List(ctx context.Context, d *Dialect, c Conn, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	query, args := ListSQL(d, tenantID, q)
	out := []*survey.Session{}
	err := c.Query(ctx, query, args, func(rows Rows) error {
		page, err := ScanSessions(rows)
		out = append(out, page...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list: %w", d.Name, err)
	}
	return out, nil
}
