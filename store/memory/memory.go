// Package memory is an in-memory survey.Store: the default for tests and
// for small hosts that do not need sessions to survive a restart.
//
// It is safe for concurrent use, enforces the same contract as the SQL
// adapters (checked by store/storetest) and keeps copies, so callers can
// never change a stored session by accident.
package memory

import (
	"container/heap"
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Store is an in-memory survey.Store. The zero value is not usable; call New.
//
// Every session is stored once; the indexes point at it. ClaimDue
// reads a heap ordered by deadline, so a sweep costs in proportion to the
// sessions that are due, not to the sessions stored.
type Store struct {
	mu        sync.RWMutex
	tenants   map[string]*tenant
	deadlines deadlineHeap                  // (deadline, ID) of waiting sessions; stale entries are dropped lazily
	leases    map[*survey.Session]time.Time // ClaimDue claims: end of lease
}

// tenant holds one tenant's sessions and indexes, keyed by plain IDs.
type tenant struct {
	sessions  map[string]*survey.Session   // ID → session
	byConv    map[string]*survey.Session   // conversation → its session that is not final
	convs     map[string][]*survey.Session // conversation → its sessions, oldest first
	byContact map[string][]*survey.Session // contact → sessions, oldest first
	all       []*survey.Session            // every session, oldest first (reports read them in memory order)
}

var _ survey.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{tenants: map[string]*tenant{}, leases: map[*survey.Session]time.Time{}}
}

// tenant returns id's sessions; nil when it has none and !create.
func (m *Store) tenant(id string, create bool) *tenant {
	t := m.tenants[id]
	if t == nil && create {
		t = &tenant{sessions: map[string]*survey.Session{}, byConv: map[string]*survey.Session{},
			convs: map[string][]*survey.Session{}, byContact: map[string][]*survey.Session{}}
		m.tenants[id] = t
	}
	return t
}

// find returns the stored session, or nil.
func (m *Store) find(tenantID, id string) *survey.Session {
	if t := m.tenants[tenantID]; t != nil {
		return t.sessions[id]
	}
	return nil
}

// Create implements survey.Store.
func (m *Store) Create(_ context.Context, s *survey.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tenant(s.TenantID, true)
	if _, ok := t.sessions[s.ID]; ok {
		return survey.ErrDuplicate
	}
	if _, ok := t.byConv[s.ConversationID]; ok && !s.State.Final() {
		return survey.ErrActiveExists
	}
	s.Version = 1
	c := s.Clone()
	t.sessions[c.ID] = c
	if !c.State.Final() {
		t.byConv[c.ConversationID] = c
		m.index(c)
	}
	t.byContact[c.ContactID] = append(t.byContact[c.ContactID], c)
	t.convs[c.ConversationID] = append(t.convs[c.ConversationID], c)
	t.all = append(t.all, c)
	return nil
}

// Load implements survey.Store.
func (m *Store) Load(_ context.Context, tenantID, id string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := m.find(tenantID, id)
	if s == nil {
		return nil, survey.ErrNotFound
	}
	return s.Clone(), nil
}

// Update implements survey.Store.
func (m *Store) Update(_ context.Context, s *survey.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.find(s.TenantID, s.ID)
	if cur == nil {
		return survey.ErrNotFound
	}
	if cur.Version != s.Version {
		return survey.ErrStaleVersion
	}
	s.Version++
	delete(m.leases, cur)
	// Replace the stored value in place so the indexes stay valid.
	deadline, wasFinal := cur.Deadline, cur.State.Final()
	assign(cur, s)
	if cur.State.Final() {
		if t := m.tenants[s.TenantID]; t.byConv[s.ConversationID] == cur {
			delete(t.byConv, s.ConversationID)
		}
	} else if wasFinal || !cur.Deadline.Equal(deadline) {
		m.index(cur)
	}
	return nil
}

// assign copies src into dst, reusing dst's slices: nobody else holds
// them, since the store hands out copies only.
func assign(dst, src *survey.Session) {
	agents, unparsed, msgs, review, changes := dst.Agents, dst.Unparsed, dst.MessageIDs, dst.Review, dst.RatingChanges
	*dst = *src
	if sameAgents(agents, src.Agents) {
		dst.Agents = agents
	} else {
		dst.Agents = make([]survey.Agent, len(src.Agents))
		for i, a := range src.Agents {
			a.Groups = append([]string(nil), a.Groups...)
			dst.Agents[i] = a
		}
	}
	dst.Unparsed = copyStrings(unparsed, src.Unparsed)
	dst.MessageIDs = copyStrings(msgs, src.MessageIDs)
	dst.RatingChanges = nil
	if len(src.RatingChanges) > 0 {
		dst.RatingChanges = append(changes[:0], src.RatingChanges...)
	}
	if src.Review != nil {
		if review == nil {
			review = new(survey.Review)
		}
		*review = *src.Review
		dst.Review = review
	}
}

// copyStrings copies src into dst's array when it fits; empty is nil, as
// in Session.Clone.
func copyStrings(dst, src []string) []string {
	if len(src) == 0 {
		return nil
	}
	if cap(dst) < len(src) {
		dst = make([]string, 0, len(src)+1) // room for the next message ID
	}
	return append(dst[:0], src...)
}

func sameAgents(a, b []survey.Agent) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Name != b[i].Name || a[i].Kind != b[i].Kind || len(a[i].Groups) != len(b[i].Groups) {
			return false
		}
		for j := range a[i].Groups {
			if a[i].Groups[j] != b[i].Groups[j] {
				return false
			}
		}
	}
	return true
}

// index adds the stored session s under its current deadline.
func (m *Store) index(s *survey.Session) {
	if !s.Deadline.IsZero() {
		heap.Push(&m.deadlines, deadlineEntry{s.Deadline, s})
	}
}

// Awaiting implements survey.Store.
func (m *Store) Awaiting(_ context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.contact(tenantID, contactID)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Channel == channel && !list[i].State.Final() {
			return list[i].Clone(), nil
		}
	}
	return nil, survey.ErrNotFound
}

// Route implements survey.Store.
func (m *Store) Route(_ context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.contact(tenantID, contactID)
	var newest *survey.Session
	for i := len(list) - 1; i >= 0; i-- {
		s := list[i]
		if s.Channel != channel {
			continue
		}
		if slices.Contains(s.MessageIDs, messageID) {
			return s.Clone(), nil
		}
		if newest == nil {
			newest = s
		}
	}
	if newest == nil {
		return nil, survey.ErrNotFound
	}
	return newest.Clone(), nil
}

// ConversationSessions implements survey.Store.
func (m *Store) ConversationSessions(_ context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var list []*survey.Session
	if t := m.tenants[tenantID]; t != nil {
		list = t.convs[conversationID]
	}
	out := make([]*survey.Session, len(list))
	for i, s := range list {
		out[len(list)-1-i] = s.Clone()
	}
	return out, nil
}

// clones copies stored sessions for a caller.
func clones(list []*survey.Session) []*survey.Session {
	out := make([]*survey.Session, len(list))
	for i, s := range list {
		out[i] = s.Clone()
	}
	return out
}

// contact returns the contact's sessions, oldest first.
func (m *Store) contact(tenantID, contactID string) []*survey.Session {
	if t := m.tenants[tenantID]; t != nil {
		return t.byContact[contactID]
	}
	return nil
}

// ClaimDue implements survey.Store.
func (m *Store) ClaimDue(_ context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	due := m.due(now, limit)
	for _, s := range due {
		m.leases[s] = now.Add(lease)
	}
	return clones(due), nil
}

// due lists the stored due sessions that no lease holds at now, earliest
// deadline first. It pops the heap's due entries in
// order, drops the stale ones (the session moved on or ended) and pushes
// the live ones back, so it costs O(d log n) for d due entries among n.
// The caller holds the write lock.
func (m *Store) due(now time.Time, limit int) []*survey.Session {
	var out []*survey.Session
	var keep []deadlineEntry
	seen := map[*survey.Session]bool{}
	for m.deadlines.Len() > 0 && (limit <= 0 || len(out) < limit) {
		top := m.deadlines[0]
		if !top.at.Before(now) {
			break
		}
		heap.Pop(&m.deadlines)
		s := top.s
		if s.State.Final() || !s.Deadline.Equal(top.at) || seen[s] {
			continue // stale: dropped for good
		}
		seen[s] = true
		keep = append(keep, top)
		if until, ok := m.leases[s]; ok && until.After(now) {
			continue
		}
		out = append(out, s)
	}
	for _, e := range keep {
		heap.Push(&m.deadlines, e)
	}
	return out
}

// deadlineEntry is one session's deadline as it was when indexed.
type deadlineEntry struct {
	at time.Time
	s  *survey.Session
}

// deadlineHeap is a min-heap of deadlines, ties broken by session ID (the
// order of Store.ClaimDue).
type deadlineHeap []deadlineEntry

func (h deadlineHeap) Len() int { return len(h) }
func (h deadlineHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].s.ID < h[j].s.ID
}
func (h deadlineHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *deadlineHeap) Push(x any)   { *h = append(*h, x.(deadlineEntry)) }
func (h *deadlineHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = deadlineEntry{}
	*h = old[:len(old)-1]
	return e
}

// ContactHistory implements survey.Store.
func (m *Store) ContactHistory(_ context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*survey.Session
	for _, s := range m.contact(tenantID, contactID) {
		if !s.CreatedAt.Before(since) {
			out = append(out, s.Clone())
		}
	}
	sortNewestFirst(out)
	return out, nil
}

func sortNewestFirst(s []*survey.Session) {
	sort.Slice(s, func(i, j int) bool {
		if !s[i].CreatedAt.Equal(s[j].CreatedAt) {
			return s[i].CreatedAt.After(s[j].CreatedAt)
		}
		return s[i].ID > s[j].ID
	})
}
