package survey

import (
	"context"
	"slices"
	"sync"
	"time"
)

// DefaultRememberedSessions is how many sessions an engine on a
// RoutedUpdater remembers when Config.RememberSessions is 0.
const DefaultRememberedSessions = 4096

// remembered holds copies of the sessions an engine wrote last, one per
// contact and channel, up to a fixed number (the oldest entry goes first).
// They are hints: a store that implements RoutedUpdater checks each one
// as it saves, so a copy made stale by another engine, a sweep or a
// rolled-back write costs a second try, never a wrong answer.
type remembered struct {
	mu    sync.Mutex
	max   int
	byKey map[rememberedKey]*Session
	order []rememberedKey // a ring, oldest at next
	next  int
}

type rememberedKey struct{ tenant, contact, channel string }

func newRemembered(max int) *remembered {
	return &remembered{max: max, byKey: make(map[rememberedKey]*Session)}
}

func keyOf(s *Session) rememberedKey { return rememberedKey{s.TenantID, s.ContactID, s.Channel} }

// get returns a copy of the contact's remembered session, or nil.
func (r *remembered) get(tenantID, contactID, channel string) *Session {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	s := r.byKey[rememberedKey{tenantID, contactID, channel}]
	r.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Clone()
}

// put remembers a copy of s, which the engine has just written, as its
// contact's session on its channel.
func (r *remembered) put(s *Session) {
	if r == nil || s.ContactID == "" {
		return // a supervisor's review of an unsurveyed conversation: no contact replies to it
	}
	k := keyOf(s)
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byKey[k]
	if cur != nil && cur.ID == s.ID && cur.Version >= s.Version {
		return // refresh has copied this write already, or a later call a later one
	}
	if !ok {
		if len(r.order) < r.max {
			r.order = append(r.order, k)
		} else {
			delete(r.byKey, r.order[r.next])
			r.order[r.next] = k
			r.next = (r.next + 1) % r.max
		}
	}
	r.byKey[k] = s.Clone()
}

// refresh replaces the remembered copy of s, if s is the one remembered
// for its contact: a write that is not a reply (a sweep, a review) keeps
// the hint current without taking another contact's place.
func (r *remembered) refresh(s *Session) {
	if r == nil {
		return
	}
	k := keyOf(s)
	r.mu.Lock()
	defer r.mu.Unlock()
	if cur := r.byKey[k]; cur != nil && cur.ID == s.ID && cur.Version < s.Version {
		r.byKey[k] = s.Clone()
	}
}

// forget drops the contact's remembered copy of s when it is no newer
// than s: a copy another call has just put stays.
func (r *remembered) forget(s *Session) {
	if r == nil {
		return
	}
	k := keyOf(s)
	r.mu.Lock()
	defer r.mu.Unlock()
	if cur := r.byKey[k]; cur != nil && cur.ID == s.ID && cur.Version <= s.Version {
		r.byKey[k] = nil // the key keeps its place in the ring
	}
}

// updateRouted saves s with the store's UpdateRouted, timed for the
// observer like every other store call.
func (e *Engine) updateRouted(ctx context.Context, s *Session, messageID string) error {
	if err := live(ctx); err != nil {
		return err
	}
	if e.observer == nil {
		return e.routed.UpdateRouted(ctx, s, messageID)
	}
	start := time.Now()
	err := e.routed.UpdateRouted(ctx, s, messageID)
	observedStore{e: e}.storeCall(ctx, "UpdateRouted", start, err)
	return err
}

// forgetContact drops the copy remembered for a contact on a channel, key
// and all, so that nothing of an erased contact stays in memory.
func (r *remembered) forgetContact(tenantID, contactID, channel string) {
	if r == nil {
		return
	}
	k := rememberedKey{tenantID, contactID, channel}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byKey[k]; !ok {
		return
	}
	delete(r.byKey, k)
	if i := slices.Index(r.order, k); i >= 0 {
		r.order[i] = rememberedKey{} // its place in the ring, now free
	}
}
