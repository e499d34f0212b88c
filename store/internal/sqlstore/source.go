package sqlstore

import (
	"context"
	"fmt"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

// QueryFunc runs one statement with its arguments and hands its rows to
// scan; it closes the rows after scan returns. Each store writes it over
// its own driver (pgx, database/sql).
type QueryFunc func(ctx context.Context, query string, args []any, scan func(Rows) error) error

// Count answers report.Source.Count for a store: it validates q, runs d's
// CountSQL through run and reads the rows with ScanCounts. Errors other
// than an invalid query start with d.Name.
func Count(ctx context.Context, d *Dialect, run QueryFunc, tenantID string, q report.Query) ([]report.Count, error) {
	if err := q.Filter.Validate(); err != nil {
		return nil, err
	}
	query, args := CountSQL(d, tenantID, q)
	var out []report.Count
	err := run(ctx, query, args, func(rows Rows) (err error) {
		out, err = ScanCounts(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: count: %w", d.Name, err)
	}
	return out, nil
}

// List answers report.Source.List for a store: it validates q, runs d's
// ListSQL through run and decodes the page's sessions, an empty page as
// an empty (never nil) slice. Errors other than an invalid query start
// with d.Name.
func List(ctx context.Context, d *Dialect, run QueryFunc, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	query, args := ListSQL(d, tenantID, q)
	out := []*survey.Session{}
	err := run(ctx, query, args, func(rows Rows) error {
		page, err := ScanSessions(rows)
		out = append(out, page...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list: %w", d.Name, err)
	}
	return out, nil
}
