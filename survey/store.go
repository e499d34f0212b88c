package survey

import (
	"context"
	"errors"
	"time"
)

// Errors a Store returns; check them with errors.Is.
var (
	// ErrNotFound means no session matches (in that tenant).
	ErrNotFound = errors.New("surveyflow: session not found")
	// ErrDuplicate means a session with that ID already exists.
	ErrDuplicate = errors.New("surveyflow: session already exists")
	// ErrActiveExists means the conversation already has a session that is
	// not final.
	ErrActiveExists = errors.New("surveyflow: conversation already has an active survey")
	// ErrStaleVersion means the session changed since it was loaded.
	ErrStaleVersion = errors.New("surveyflow: stale session version")
)

// Store keeps survey sessions. Implementations must be safe for concurrent
// use and must return copies: a caller may change a returned session.
// store/storetest checks an implementation against this contract.
type Store interface {
	// Create saves a new session with Version 1 (s.Version is set). It
	// fails with ErrDuplicate if the ID exists in the tenant, and with
	// ErrActiveExists if the conversation has a session that is not final.
	Create(ctx context.Context, s *Session) error
	// Load returns the session with id in tenantID, or ErrNotFound.
	Load(ctx context.Context, tenantID, id string) (*Session, error)
	// Update saves s if the stored version still equals s.Version, and
	// then increments s.Version; otherwise it returns ErrStaleVersion
	// (ErrNotFound if the session does not exist).
	Update(ctx context.Context, s *Session) error
	// Awaiting returns the newest session of the contact on the channel
	// that is not final, or ErrNotFound.
	Awaiting(ctx context.Context, tenantID, contactID, channel string) (*Session, error)
	// Latest returns the newest session of the contact on the channel,
	// final or not, or ErrNotFound. Inbound messages are routed with it, so
	// that a retried delivery of the message that finished a survey is
	// recognised as a duplicate rather than taken for a new conversation.
	Latest(ctx context.Context, tenantID, contactID, channel string) (*Session, error)
	// Due returns up to limit sessions of any tenant that are not final and
	// whose Deadline is before now, earliest deadline first. (A reply that
	// arrives exactly at the deadline is still in time.)
	Due(ctx context.Context, now time.Time, limit int) ([]*Session, error)
	// ContactHistory returns the contact's sessions created at or after
	// since, newest first.
	ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*Session, error)
	// ClaimDue is Due for sweepers that run in several instances at once.
	// It returns up to limit due sessions (as Due, earliest deadline first)
	// that no caller has claimed with a lease still running at now, and
	// claims them until now+lease. Two calls never both receive a session
	// while a claim on it holds; a claim ends when the session is updated
	// or when its lease runs out (the sweeper that took it crashed).
	ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Session, error)
}

// Clock tells the engine what time it is. Tests use a fake clock
// (survey/surveytest) to move through a 24-hour window in microseconds.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
