package memory

import (
	"context"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

var _ report.Source = (*Store)(nil)

// Count implements report.Source: one pass over the tenant's sessions
// under the read lock, counting in place with report.Tally (nothing is
// copied or sorted).
func (m *Store) Count(_ context.Context, tenantID string, q report.Query) ([]report.Count, error) {
	if err := q.Filter.Validate(); err != nil {
		return nil, err
	}
	t := report.NewTally(q)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if tn := m.tenants[tenantID]; tn != nil {
		for _, s := range tn.all {
			t.Add(s)
		}
	}
	return t.Counts(), nil
}

// List implements report.Source: one pass over the tenant's sessions with
// report.Pick, which keeps only the page; only the page is copied.
func (m *Store) List(_ context.Context, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	tn := m.tenants[tenantID]
	if tn == nil {
		return []*survey.Session{}, nil
	}
	page := report.Pick(q, func(yield func(*survey.Session) bool) {
		for _, s := range tn.all {
			if !yield(s) {
				return
			}
		}
	})
	for i, s := range page {
		page[i] = s.Clone()
	}
	return page, nil
}
