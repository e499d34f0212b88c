package report

import (
	"container/heap"
	"context"
	"iter"
	"sort"

	"github.com/surveyflow/surveyflow/survey"
)

// Pick returns the page Source.List returns for q out of sessions, given
// in any order: one pass that keeps the page in a heap of q.Limit, so a
// page costs the same wherever it starts and nothing else is kept. The
// memory store lists with it, and so can a host's own store. The sessions
// returned are those of the sequence, not copies.
func Pick(q ListQuery, sessions iter.Seq[*survey.Session]) []*survey.Session {
	h := &oldestFirst{}
	var d Dimensions
	for s := range sessions {
		// The cheap tests first: most sessions fail them.
		at, ok := Listed(s)
		if !ok || q.Limit < 1 || (q.After != nil && !q.After.Before(s)) || !q.Filter.Within(at) ||
			(h.Len() == q.Limit && !newer(s, (*h)[0])) {
			continue
		}
		d.Set(s)
		if !q.Lists(s, &d) {
			continue
		}
		heap.Push(h, s)
		if h.Len() > q.Limit {
			heap.Pop(h)
		}
	}
	out := append([]*survey.Session{}, *h...)
	sort.Slice(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out
}

// newer reports whether a comes before b in a listing.
func newer(a, b *survey.Session) bool {
	at, _ := Listed(a)
	return Cursor{At: at, ID: a.ID}.Before(b)
}

// oldestFirst is a min-heap of listed sessions: its root is the one a
// fuller page would drop first.
type oldestFirst []*survey.Session

func (h oldestFirst) Len() int           { return len(h) }
func (h oldestFirst) Less(i, j int) bool { return newer(h[j], h[i]) }
func (h oldestFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *oldestFirst) Push(x any)        { *h = append(*h, x.(*survey.Session)) }
func (h *oldestFirst) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}

// Sessions is a Source over sessions held in a slice (of any tenants),
// answered in Go with Tally and Pick: the reference the stores are checked
// against, and a read port for sessions a host already holds.
type Sessions []*survey.Session

var _ Source = Sessions(nil)

// Count implements Source; a context that is already done is refused.
func (ss Sessions) Count(ctx context.Context, tenantID string, q Query) ([]Count, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := NewTally(q)
	for s := range ss.of(tenantID) {
		t.Add(s)
	}
	return t.Counts(), nil
}

// List implements Source; the sessions returned are copies. A context
// that is already done is refused.
func (ss Sessions) List(ctx context.Context, tenantID string, q ListQuery) ([]*survey.Session, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	page := Pick(q, ss.of(tenantID))
	for i, s := range page {
		page[i] = s.Clone()
	}
	return page, nil
}

func (ss Sessions) of(tenantID string) iter.Seq[*survey.Session] {
	return func(yield func(*survey.Session) bool) {
		for _, s := range ss {
			if s.TenantID == tenantID && !yield(s) {
				return
			}
		}
	}
}
