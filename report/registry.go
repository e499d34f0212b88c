package report

import (
	"context"
	"fmt"
	"iter"

	"github.com/surveyflow/surveyflow/survey"
)

// MaxPage is the largest page List and Page ask a store for.
const MaxPage = 1000

// Page returns one page of the ratings registry: the tenant's rated or
// reviewed sessions that pass f, newest first, at most limit (1 to
// MaxPage) of them after the cursor after (nil for the first page). next
// is the cursor of the following page, nil after the last.
func Page(ctx context.Context, src Source, tenantID string, f Filter, limit int, after *Cursor) (page []*survey.Session, next *Cursor, err error) {
	if src == nil || tenantID == "" {
		return nil, nil, fmt.Errorf("%w: a source and a tenant are required", ErrInvalid)
	}
	if limit < 1 || limit > MaxPage {
		return nil, nil, fmt.Errorf("%w: page size %d is not between 1 and %d", ErrInvalid, limit, MaxPage)
	}
	if err := f.Validate(); err != nil {
		return nil, nil, err
	}
	page, err = src.List(ctx, tenantID, ListQuery{Filter: f, Limit: limit, After: after})
	if err != nil {
		return nil, nil, fmt.Errorf("surveyflow/report: registry: %w", err)
	}
	if len(page) == limit {
		last := page[len(page)-1]
		at, _ := Listed(last)
		next = &Cursor{At: at, ID: last.ID}
	}
	return page, next, nil
}

// All iterates over every listed session of the tenant that passes f,
// newest first, reading MaxPage at a time, for exports. It holds nothing
// of the store while the caller's loop body runs. Iteration stops at the
// first error, which is yielded with a nil session.
func All(ctx context.Context, src Source, tenantID string, f Filter) iter.Seq2[*survey.Session, error] {
	return func(yield func(*survey.Session, error) bool) {
		var after *Cursor
		for {
			page, next, err := Page(ctx, src, tenantID, f, MaxPage, after)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, s := range page {
				if !yield(s, nil) {
					return
				}
			}
			if next == nil {
				return
			}
			after = next
		}
	}
}
