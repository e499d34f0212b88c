package memory

import (
	"container/heap"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

var _ report.Source = (*Store)(nil)

// Count implements report.Source: like the SQL stores, it refuses a
// context that is already done; then one pass over the tenant's sessions
// under the read lock, counting in place with report.Tally over a view of
// each (nothing is copied or sorted).
func (m *Store) Count(ctx context.Context, tenantID string, q report.Query) ([]report.Count, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("surveyflow/memory: count: %w", err)
	}
	t := report.NewTally(q)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if tn := m.tenants[tenantID]; tn != nil {
		var s survey.Session
		for _, r := range tn.all {
			m.view(r, &s)
			t.Add(&s)
		}
	}
	return t.Counts(), nil
}

// List implements report.Source: like the SQL stores, it refuses a
// context that is already done; then one pass over the tenant's sessions, as
// report.Pick makes it, that keeps only the page in a heap; only the page
// is copied.
func (m *Store) List(ctx context.Context, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("surveyflow/memory: list: %w", err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	tn := m.tenants[tenantID]
	if tn == nil {
		return []*survey.Session{}, nil
	}
	h := &pageHeap{}
	var s survey.Session
	var d report.Dimensions
	for _, r := range tn.all {
		// The cheap tests first: most sessions fail them.
		at, ok := r.listedAt()
		if !ok || (q.After != nil && !after(at, r.id, *q.After)) || !q.Filter.Within(at) ||
			(h.Len() == q.Limit && !(*h)[0].after(report.Cursor{At: at, ID: r.id})) {
			continue
		}
		m.view(r, &s)
		d.Set(&s)
		if !q.Lists(&s, &d) {
			continue
		}
		heap.Push(h, r)
		if h.Len() > q.Limit {
			heap.Pop(h)
		}
	}
	page := *h
	sort.Slice(page, func(i, j int) bool { return page[j].after(page[i].cursor()) })
	out := make([]*survey.Session, len(page))
	for i, r := range page {
		out[i] = m.session(r)
	}
	return out, nil
}

// after reports whether the session listed at at with id comes after c in
// a listing (newest first by ListedAt, then ID), as report.Cursor.Before.
func after(at time.Time, id string, c report.Cursor) bool {
	if !at.Equal(c.At) {
		return at.Before(c.At)
	}
	return id < c.ID
}

// cursor is the listing's cursor at r, which is listed.
func (r *record) cursor() report.Cursor {
	at, _ := r.listedAt()
	return report.Cursor{At: at, ID: r.id}
}

// after reports whether r, which is listed, comes after c in a listing.
func (r *record) after(c report.Cursor) bool {
	at, _ := r.listedAt()
	return after(at, r.id, c)
}

// pageHeap is a min-heap of listed records: its root is the one a fuller
// page would drop first.
type pageHeap []*record

func (h pageHeap) Len() int           { return len(h) }
func (h pageHeap) Less(i, j int) bool { return h[i].after(h[j].cursor()) }
func (h pageHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pageHeap) Push(x any)        { *h = append(*h, x.(*record)) }
func (h *pageHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return r
}
