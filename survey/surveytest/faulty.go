package surveytest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Fault is what a FaultyStore does to one call.
type Fault int

const (
	// NoFault passes the call through.
	NoFault Fault = iota
	// FailBefore returns ErrInjected without calling the store.
	FailBefore
	// Timeout returns context.DeadlineExceeded without calling the store.
	Timeout
	// FailAfter calls the store — the write commits — and then returns
	// ErrInjected, like a connection lost before the reply.
	FailAfter
)

// ErrInjected is the error a FaultyStore injects.
var ErrInjected = errors.New("surveytest: injected store fault")

// FaultyStore wraps a survey.Store and injects faults into chosen calls, to
// test that the engine returns an error, leaves no half-written session,
// and converges when the host retries. Methods it does not override pass
// straight through to the wrapped store. Give an engine f.Engine(), which
// has survey.RoutedUpdater exactly when the wrapped store has it.
type FaultyStore struct {
	survey.Store

	mu    sync.Mutex
	calls map[string]int
	// Decide picks the fault for the n-th call (from 1) of op ("Create",
	// "Load", "Update", "Awaiting", "Route", "ConversationSessions",
	// "ClaimDue", "ClaimEffects", "ContactHistory", and "UpdateRouted"
	// through Engine). Methods of other interfaces the wrapped store has
	// (its read side) are not wrapped.
	Decide func(op string, n int) Fault
	// Injected counts the faults injected so far.
	Injected int
}

// NewFaultyStore wraps inner; decide may be nil (no faults) and set later.
func NewFaultyStore(inner survey.Store, decide func(op string, n int) Fault) *FaultyStore {
	return &FaultyStore{Store: inner, calls: map[string]int{}, Decide: decide}
}

func (f *FaultyStore) fault(op string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	if f.Decide == nil {
		return NoFault
	}
	d := f.Decide(op, f.calls[op])
	if d != NoFault {
		f.Injected++
	}
	return d
}

func run[T any](f *FaultyStore, op string, call func() (T, error)) (T, error) {
	var zero T
	switch f.fault(op) {
	case FailBefore:
		return zero, ErrInjected
	case Timeout:
		return zero, context.DeadlineExceeded
	case FailAfter:
		if _, err := call(); err != nil {
			return zero, err
		}
		return zero, ErrInjected
	}
	return call()
}

// Create implements survey.Store.
func (f *FaultyStore) Create(ctx context.Context, s *survey.Session) error {
	_, err := run(f, "Create", func() (struct{}, error) { return struct{}{}, f.Store.Create(ctx, s) })
	return err
}

// Load implements survey.Store.
func (f *FaultyStore) Load(ctx context.Context, tenantID, id string) (*survey.Session, error) {
	return run(f, "Load", func() (*survey.Session, error) { return f.Store.Load(ctx, tenantID, id) })
}

// Update implements survey.Store.
func (f *FaultyStore) Update(ctx context.Context, s *survey.Session) error {
	_, err := run(f, "Update", func() (struct{}, error) { return struct{}{}, f.Store.Update(ctx, s) })
	return err
}

// Awaiting implements survey.Store.
func (f *FaultyStore) Awaiting(ctx context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	return run(f, "Awaiting", func() (*survey.Session, error) { return f.Store.Awaiting(ctx, tenantID, contactID, channel) })
}

// ClaimDue implements survey.Store.
func (f *FaultyStore) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	return run(f, "ClaimDue", func() ([]*survey.Session, error) { return f.Store.ClaimDue(ctx, now, lease, limit) })
}

// ClaimEffects implements survey.Store.
func (f *FaultyStore) ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	return run(f, "ClaimEffects", func() ([]*survey.Session, error) {
		return f.Store.ClaimEffects(ctx, now, decidedBy, lease, limit)
	})
}

// Route implements survey.Store.
func (f *FaultyStore) Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	return run(f, "Route", func() (*survey.Session, error) { return f.Store.Route(ctx, tenantID, contactID, channel, messageID) })
}

// ConversationSessions implements survey.Store.
func (f *FaultyStore) ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	return run(f, "ConversationSessions", func() ([]*survey.Session, error) {
		return f.Store.ConversationSessions(ctx, tenantID, conversationID)
	})
}

// ContactHistory implements survey.Store.
func (f *FaultyStore) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	return run(f, "ContactHistory", func() ([]*survey.Session, error) {
		return f.Store.ContactHistory(ctx, tenantID, contactID, since)
	})
}

// Engine returns f as an engine should be given it: a survey.Store that
// also implements survey.RoutedUpdater when, and only when, the wrapped
// store does, so that wrapping a store never changes which path the
// engine takes for replies. Its UpdateRouted passes through to the
// wrapped store's, and meets faults like every other call (op
// "UpdateRouted"). f itself never implements survey.RoutedUpdater.
func (f *FaultyStore) Engine() survey.Store {
	if ru, ok := f.Store.(survey.RoutedUpdater); ok {
		return routedFaultyStore{f, ru}
	}
	return f
}

// routedFaultyStore is a FaultyStore over a store with UpdateRouted.
type routedFaultyStore struct {
	*FaultyStore
	inner survey.RoutedUpdater
}

// UpdateRouted implements survey.RoutedUpdater.
func (r routedFaultyStore) UpdateRouted(ctx context.Context, s *survey.Session, messageID string) error {
	_, err := run(r.FaultyStore, "UpdateRouted", func() (struct{}, error) {
		return struct{}{}, r.inner.UpdateRouted(ctx, s, messageID)
	})
	return err
}
