// Package memory is an in-memory survey.Store: the default for tests and
// for small hosts that do not need sessions to survive a restart.
//
// It is safe for concurrent use, enforces the same contract as the SQL
// adapters (checked by store/storetest) and keeps copies, so callers can
// never change a stored session by accident. Like the SQL stores, it
// returns times in UTC.
package memory

import (
	"cmp"
	"container/heap"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Store is an in-memory survey.Store. The zero value is not usable; call New.
//
// Every session is stored once, in a compact form; the indexes point at
// it. ClaimDue reads a heap ordered by deadline, so a sweep costs in
// proportion to the sessions that are due, not to the sessions stored.
type Store struct {
	mu        sync.RWMutex
	tenants   map[string]*tenant
	names     names
	agents    agentLists
	deadlines deadlineHeap      // waiting sessions that have a deadline
	leases    map[*record]int64 // ClaimDue claims: end of lease, in Unix nanoseconds
	effects   map[*record]int64 // sessions with pending effects: end of their effects lease (0: none)
	created   uint64            // sessions created so far: the next record.seq
}

// tenant holds one tenant's sessions and indexes, keyed by plain IDs.
type tenant struct {
	sessions map[string]*record // ID → session
	convs    map[string]*record // conversation → its newest session; record.prevConv chains the older
	contacts map[string]*record // contact → its newest session; record.prevContact chains the older
	all      []*record          // every session, oldest first (reports read them in memory order)
}

var (
	_ survey.Store        = (*Store)(nil)
	_ survey.PrivacyStore = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{tenants: map[string]*tenant{}, leases: map[*record]int64{}, effects: map[*record]int64{}}
}

// tenant returns id's sessions; nil when it has none and !create.
func (m *Store) tenant(id string, create bool) *tenant {
	t := m.tenants[id]
	if t == nil && create {
		t = &tenant{sessions: map[string]*record{}, convs: map[string]*record{}, contacts: map[string]*record{}}
		m.tenants[id] = t
	}
	return t
}

// find returns the stored session, or nil.
func (m *Store) find(tenantID, id string) *record {
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
	if !s.State.Final() {
		for r := t.convs[s.ConversationID]; r != nil; r = r.prevConv {
			if !m.final(r) {
				return survey.ErrActiveExists
			}
		}
	}
	s.Version = 1
	m.created++
	r := &record{heapAt: -1, seq: m.created}
	m.assign(r, s)
	t.sessions[r.id] = r
	r.prevConv, t.convs[r.conv] = t.convs[r.conv], r
	r.prevContact, t.contacts[r.contact] = t.contacts[r.contact], r
	t.all = append(t.all, r)
	m.reindex(r)
	return nil
}

// Load implements survey.Store.
func (m *Store) Load(_ context.Context, tenantID, id string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r := m.find(tenantID, id)
	if r == nil {
		return nil, survey.ErrNotFound
	}
	return m.session(r), nil
}

// Update implements survey.Store.
func (m *Store) Update(_ context.Context, s *survey.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.find(s.TenantID, s.ID)
	if r == nil {
		return survey.ErrNotFound
	}
	if r.version != s.Version {
		return survey.ErrStaleVersion
	}
	s.Version++
	delete(m.leases, r)
	// The record changes in place, so the indexes stay valid, but for
	// the contact's: an erased session moves to its tombstone.
	if r.contact != s.ContactID {
		t := m.tenants[s.TenantID]
		unlink(t.contacts, r.contact, r, prevContact)
		link(t.contacts, s.ContactID, r, prevContact)
	}
	m.assign(r, s)
	m.reindex(r)
	return nil
}

// prevConv and prevContact are the links of a record's two chains.
func prevConv(r *record) **record    { return &r.prevConv }
func prevContact(r *record) **record { return &r.prevContact }

// unlink takes r out of the chain of key in heads (linked by prev); a
// chain left empty leaves heads, key and all.
func unlink(heads map[string]*record, key string, r *record, prev func(*record) **record) {
	for p := heads[key]; p != nil; p = *prev(p) {
		if p == r {
			if *prev(r) == nil {
				delete(heads, key)
			} else {
				heads[key] = *prev(r)
			}
			break
		}
		if *prev(p) == r {
			*prev(p) = *prev(r)
			break
		}
	}
	*prev(r) = nil
}

// link puts r into the chain of key in heads (linked by prev, newest
// first) at its place in the store's order of creation.
func link(heads map[string]*record, key string, r *record, prev func(*record) **record) {
	head := heads[key]
	if head == nil || head.seq < r.seq {
		*prev(r), heads[key] = head, r
		return
	}
	p := head
	for *prev(p) != nil && (*prev(p)).seq > r.seq {
		p = *prev(p)
	}
	*prev(r), *prev(p) = *prev(p), r
}

// Delete implements survey.PrivacyStore: the record leaves every index,
// and nothing of it stays in the store (its strings are the record's own).
func (m *Store) Delete(_ context.Context, tenantID, id string, version int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.find(tenantID, id)
	switch {
	case r == nil:
		return survey.ErrNotFound
	case r.version != version:
		return survey.ErrStaleVersion
	}
	t := m.tenants[tenantID]
	delete(t.sessions, id)
	unlink(t.convs, r.conv, r, prevConv)
	unlink(t.contacts, r.contact, r, prevContact)
	if i := slices.Index(t.all, r); i >= 0 {
		t.all = slices.Delete(t.all, i, i+1)
	}
	if r.heapAt >= 0 {
		heap.Remove(&m.deadlines, int(r.heapAt))
	}
	delete(m.leases, r)
	delete(m.effects, r)
	return nil
}

// WithText implements survey.PrivacyStore by a pass over the tenant's
// sessions: a memory store is small, and retention runs seldom.
func (m *Store) WithText(_ context.Context, tenantID string, before time.Time, after survey.Position, limit int) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t := m.tenants[tenantID]
	if t == nil {
		return nil, nil
	}
	end, from := instant(before), instant(after.CreatedAt)
	var found []*record
	var v survey.Session
	for _, r := range t.all {
		if r.createdAt >= end || !m.final(r) || r.createdAt < from || r.createdAt == from && r.id <= after.ID {
			continue
		}
		if m.view(r, &v); v.HasFreeText() {
			found = append(found, r)
		}
	}
	slices.SortFunc(found, func(a, b *record) int {
		if a.createdAt != b.createdAt {
			return cmp.Compare(a.createdAt, b.createdAt)
		}
		return strings.Compare(a.id, b.id)
	})
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	out := make([]*survey.Session, len(found))
	for i, r := range found {
		out[i] = m.session(r)
	}
	return out, nil
}

// reindex puts r in the deadline heap, moves it or takes it out, as its
// deadline and state require, and in the set of sessions with pending
// effects (keeping a running effects lease) or out of it. The caller
// holds the write lock.
func (m *Store) reindex(r *record) {
	if _, held := m.effects[r]; r.x != nil && len(r.x.pending) > 0 && !held {
		m.effects[r] = 0
	} else if r.x == nil || len(r.x.pending) == 0 {
		delete(m.effects, r)
	}
	waits := r.deadline != 0 && !m.final(r)
	switch {
	case r.heapAt >= 0 && !waits:
		heap.Remove(&m.deadlines, int(r.heapAt))
	case r.heapAt >= 0:
		heap.Fix(&m.deadlines, int(r.heapAt))
	case waits:
		heap.Push(&m.deadlines, r)
	}
}

// channelOf returns the contact's newest session and channel's name;
// ok is false when the contact has no session on the channel. The caller
// holds the read lock.
func (m *Store) channelOf(tenantID, contactID, channel string) (newest *record, ch name, ok bool) {
	t := m.tenants[tenantID]
	if t == nil {
		return nil, 0, false
	}
	ch, ok = m.names.lookup(channel)
	return t.contacts[contactID], ch, ok
}

// Awaiting implements survey.Store.
func (m *Store) Awaiting(_ context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ch, ok := m.channelOf(tenantID, contactID, channel)
	for ; ok && r != nil; r = r.prevContact {
		if r.channel == ch && !m.final(r) {
			return m.session(r), nil
		}
	}
	return nil, survey.ErrNotFound
}

// Route implements survey.Store.
func (m *Store) Route(_ context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ch, ok := m.channelOf(tenantID, contactID, channel)
	var newest *record
	for ; ok && r != nil; r = r.prevContact {
		if r.channel != ch {
			continue
		}
		if r.x != nil && slices.ContainsFunc(r.x.turns, func(t survey.Turn) bool { return t.MessageID == messageID }) {
			return m.session(r), nil
		}
		if newest == nil {
			newest = r
		}
	}
	if newest == nil {
		return nil, survey.ErrNotFound
	}
	return m.session(newest), nil
}

// ConversationSessions implements survey.Store.
func (m *Store) ConversationSessions(_ context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var newest *record
	if t := m.tenants[tenantID]; t != nil {
		newest = t.convs[conversationID]
	}
	n := 0
	for r := newest; r != nil; r = r.prevConv {
		n++
	}
	out := make([]*survey.Session, 0, n)
	for r := newest; r != nil; r = r.prevConv {
		out = append(out, m.session(r))
	}
	return out, nil
}

// ContactHistory implements survey.Store.
func (m *Store) ContactHistory(_ context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*survey.Session
	if t := m.tenants[tenantID]; t != nil {
		for r := t.contacts[contactID]; r != nil; r = r.prevContact {
			if !unixTime(r.createdAt).Before(since) {
				out = append(out, m.session(r))
			}
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

// ClaimDue implements survey.Store.
func (m *Store) ClaimDue(_ context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	due := m.due(instant(now), instant(now.Add(lease)), limit)
	out := make([]*survey.Session, len(due))
	for i, r := range due {
		out[i] = m.session(r)
	}
	return out, nil
}

// ClaimEffects implements survey.Store. It looks at the sessions that have
// pending effects only, so it costs in proportion to them.
func (m *Store) ClaimEffects(_ context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	at, by, until := instant(now), instant(decidedBy), instant(now.Add(lease))
	var ready []*record
	for r, end := range m.effects {
		if end <= at && nanos(r.x.pending[0].DecidedAt) <= by {
			ready = append(ready, r)
		}
	}
	slices.SortFunc(ready, func(a, b *record) int {
		if c := a.x.pending[0].DecidedAt.Compare(b.x.pending[0].DecidedAt); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	if limit > 0 && len(ready) > limit {
		ready = ready[:limit]
	}
	out := make([]*survey.Session, len(ready))
	for i, r := range ready {
		m.effects[r] = until
		out[i] = m.session(r)
	}
	return out, nil
}

// due claims until the stored due sessions that no lease holds at now,
// earliest deadline first, and returns them. It pops the heap's due
// records in order and pushes them back, so it costs O(d log n) for d due
// among n. The caller holds the write lock.
func (m *Store) due(now, until int64, limit int) []*record {
	var out, popped []*record
	for m.deadlines.Len() > 0 && (limit <= 0 || len(out) < limit) {
		if m.deadlines[0].deadline >= now {
			break
		}
		r := heap.Pop(&m.deadlines).(*record)
		popped = append(popped, r)
		if end, ok := m.leases[r]; ok && end > now {
			continue
		}
		m.leases[r] = until
		out = append(out, r)
	}
	for _, r := range popped {
		heap.Push(&m.deadlines, r)
	}
	return out
}

// deadlineHeap is a min-heap of the waiting records that have a deadline,
// ties broken by session ID (the order of Store.ClaimDue). Each record
// knows its place (record.heapAt), so a change of deadline moves it and
// an end takes it out.
type deadlineHeap []*record

func (h deadlineHeap) Len() int { return len(h) }
func (h deadlineHeap) Less(i, j int) bool {
	if h[i].deadline != h[j].deadline {
		return h[i].deadline < h[j].deadline
	}
	return h[i].id < h[j].id
}
func (h deadlineHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapAt, h[j].heapAt = int32(i), int32(j)
}
func (h *deadlineHeap) Push(x any) {
	r := x.(*record)
	r.heapAt = int32(len(*h))
	*h = append(*h, r)
}
func (h *deadlineHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	old[len(old)-1] = nil
	r.heapAt = -1
	*h = old[:len(old)-1]
	return r
}
