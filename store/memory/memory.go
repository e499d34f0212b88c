// Package memory is an in-memory survey.Store: the default for tests and
// for small hosts that do not need sessions to survive a restart.
//
// It is safe for concurrent use, enforces the same contract as the SQL
// adapters (checked by store/storetest) and keeps copies, so callers can
// never change a stored session by accident.
package memory

import (
	"context"
	"iter"
	"sort"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

type key struct{ tenant, id string }

// Store is an in-memory survey.Store. The zero value is not usable; call New.
type Store struct {
	mu        sync.RWMutex
	sessions  map[key]*survey.Session
	active    map[key]*survey.Session              // not final: what Due and Awaiting scan
	byConv    map[key]string                       // tenant+conversation → active session ID
	byContact map[key]map[string][]*survey.Session // tenant+contact → channel → sessions, oldest first
	leases    map[key]time.Time                    // ClaimDue claims: end of lease
}

var _ survey.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		sessions:  map[key]*survey.Session{},
		active:    map[key]*survey.Session{},
		byConv:    map[key]string{},
		byContact: map[key]map[string][]*survey.Session{},
		leases:    map[key]time.Time{},
	}
}

// Create implements survey.Store.
func (m *Store) Create(_ context.Context, s *survey.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := key{s.TenantID, s.ID}
	if _, ok := m.sessions[k]; ok {
		return survey.ErrDuplicate
	}
	ck := key{s.TenantID, s.ConversationID}
	if _, ok := m.byConv[ck]; ok && !s.State.Final() {
		return survey.ErrActiveExists
	}
	s.Version = 1
	c := s.Clone()
	m.sessions[k] = c
	if !c.State.Final() {
		m.active[k] = c
		m.byConv[ck] = c.ID
	}
	ck = key{s.TenantID, s.ContactID}
	channels := m.byContact[ck]
	if channels == nil {
		channels = map[string][]*survey.Session{}
		m.byContact[ck] = channels
	}
	channels[s.Channel] = append(channels[s.Channel], c)
	return nil
}

// Load implements survey.Store.
func (m *Store) Load(_ context.Context, tenantID, id string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sessions[key{tenantID, id}]
	if !ok {
		return nil, survey.ErrNotFound
	}
	return s.Clone(), nil
}

// Update implements survey.Store.
func (m *Store) Update(_ context.Context, s *survey.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := key{s.TenantID, s.ID}
	cur, ok := m.sessions[k]
	if !ok {
		return survey.ErrNotFound
	}
	if cur.Version != s.Version {
		return survey.ErrStaleVersion
	}
	s.Version++
	delete(m.leases, k)
	// Replace the stored value in place so the contact index stays valid.
	*cur = *s.Clone()
	if cur.State.Final() {
		delete(m.active, k)
		if m.byConv[key{s.TenantID, s.ConversationID}] == s.ID {
			delete(m.byConv, key{s.TenantID, s.ConversationID})
		}
	}
	return nil
}

// Awaiting implements survey.Store.
func (m *Store) Awaiting(_ context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.byContact[key{tenantID, contactID}][channel]
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].State.Final() {
			return list[i].Clone(), nil
		}
	}
	return nil, survey.ErrNotFound
}

// Latest implements survey.Store.
func (m *Store) Latest(_ context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.byContact[key{tenantID, contactID}][channel]
	if len(list) == 0 {
		return nil, survey.ErrNotFound
	}
	return list[len(list)-1].Clone(), nil
}

// Due implements survey.Store.
func (m *Store) Due(_ context.Context, now time.Time, limit int) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.due(now, limit, false), nil
}

// ClaimDue implements survey.Store.
func (m *Store) ClaimDue(_ context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	due := m.due(now, limit, true)
	for _, s := range due {
		m.leases[key{s.TenantID, s.ID}] = now.Add(lease)
	}
	return due, nil
}

// due lists copies of the due sessions; unclaimed skips those under a
// lease at now. The caller holds the lock.
func (m *Store) due(now time.Time, limit int, unclaimed bool) []*survey.Session {
	var due []*survey.Session
	for k, s := range m.active {
		if s.Deadline.IsZero() || !s.Deadline.Before(now) {
			continue
		}
		if until, ok := m.leases[k]; unclaimed && ok && until.After(now) {
			continue
		}
		due = append(due, s)
	}
	sort.Slice(due, func(i, j int) bool {
		if !due[i].Deadline.Equal(due[j].Deadline) {
			return due[i].Deadline.Before(due[j].Deadline)
		}
		return due[i].ID < due[j].ID
	})
	if limit > 0 && len(due) > limit {
		due = due[:limit]
	}
	out := make([]*survey.Session, len(due))
	for i, s := range due {
		out[i] = s.Clone()
	}
	return out
}

// ContactHistory implements survey.Store.
func (m *Store) ContactHistory(_ context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*survey.Session
	for _, list := range m.byContact[key{tenantID, contactID}] {
		for _, s := range list {
			if !s.CreatedAt.Before(since) {
				out = append(out, s.Clone())
			}
		}
	}
	sortNewestFirst(out)
	return out, nil
}

// Sessions implements survey.Store.
func (m *Store) Sessions(_ context.Context, tenantID string, q survey.Query) ([]*survey.Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*survey.Session
	for k, s := range m.sessions {
		if k.tenant == tenantID && q.Match(s) {
			out = append(out, s.Clone())
		}
	}
	sortNewestFirst(out)
	return out, nil
}

// Responses implements survey.Store. It copies the matching sessions when
// iteration starts, so the caller may use the store inside the loop.
func (m *Store) Responses(_ context.Context, tenantID string, f survey.ResponseFilter) iter.Seq2[*survey.Session, error] {
	return func(yield func(*survey.Session, error) bool) {
		m.mu.RLock()
		var out []*survey.Session
		for k, s := range m.sessions {
			if k.tenant == tenantID && f.Match(s) {
				out = append(out, s)
			}
		}
		sort.Slice(out, func(i, j int) bool { return survey.ResponseBefore(out[j], out[i].RatedAt, out[i].ID) })
		if f.Limit > 0 && len(out) > f.Limit {
			out = out[:f.Limit]
		}
		for i, s := range out {
			out[i] = s.Clone()
		}
		m.mu.RUnlock()
		for _, s := range out {
			if !yield(s, nil) {
				return
			}
		}
	}
}

func sortNewestFirst(s []*survey.Session) {
	sort.Slice(s, func(i, j int) bool {
		if !s[i].CreatedAt.Equal(s[j].CreatedAt) {
			return s[i].CreatedAt.After(s[j].CreatedAt)
		}
		return s[i].ID > s[j].ID
	})
}
