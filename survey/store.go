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

// Store keeps survey sessions: the write side the engine runs on.
// Implementations must be safe for concurrent use and must return copies:
// a caller may change a returned session. store/storetest checks an
// implementation against this contract.
//
// "Newest" always means the store's own order of creation (the order in
// which Create calls succeeded), never a session's CreatedAt: CreatedAt
// comes from the clock of the engine that created the session, and several
// engines' clocks need not agree.
type Store interface {
	// Create saves a new session with Version 1 (s.Version is set). It
	// fails with ErrDuplicate if the ID exists in the tenant, and with
	// ErrActiveExists if the conversation has a session that is not final.
	Create(ctx context.Context, s *Session) error
	// Load returns the session with id in tenantID, or ErrNotFound.
	Load(ctx context.Context, tenantID, id string) (*Session, error)
	// Update saves s if the stored version still equals s.Version, and
	// then increments s.Version; otherwise it returns ErrStaleVersion
	// (ErrNotFound if the session does not exist). What identifies a
	// session and whom it counts for — its survey, conversation, channel,
	// agents, assignee, last agent and creation time — is fixed at
	// Create: the engine never changes it, and a store need not write it
	// again.
	Update(ctx context.Context, s *Session) error
	// Awaiting returns the newest session of the contact on the channel
	// that is not final, or ErrNotFound.
	Awaiting(ctx context.Context, tenantID, contactID, channel string) (*Session, error)
	// Route returns the session an inbound message belongs to: the
	// contact's session on the channel whose Turns hold messageID, if
	// there is one, so that a redelivered message finds the survey it
	// answered however old; otherwise the contact's newest session on the
	// channel, final or not; ErrNotFound when the contact has none there.
	Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*Session, error)
	// ConversationSessions returns the conversation's sessions, newest
	// first.
	ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*Session, error)
	// ContactHistory returns the contact's sessions created at or after
	// since, newest first.
	ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*Session, error)
	// ClaimDue returns up to limit sessions of any tenant that are not
	// final and whose Deadline is before now (a reply that arrives exactly
	// at the deadline is still in time), earliest deadline first, that no
	// caller has claimed with a lease still running at now, and claims
	// them until now+lease. Two calls never both receive a session while a
	// claim on it holds; a claim ends when the session is updated or when
	// its lease runs out (the sweeper that took it crashed). Sweepers in
	// several instances call it at once.
	ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Session, error)
	// ClaimEffects returns up to limit sessions of any tenant that hold
	// pending effects (Session.Pending) whose oldest was decided at or
	// before decidedBy, that no caller has claimed with an effects lease
	// still running at now, oldest effect first (ties by session ID), and
	// claims their effects until now+lease. Two calls never both receive
	// a session while a claim on it holds. Unlike ClaimDue's, an effects
	// claim outlasts updates of the session that leave it effects still
	// pending (the caller that holds it is delivering them, and
	// acknowledges them with an update); it ends when its lease runs out
	// or an update leaves the session no pending effects.
	ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*Session, error)
}

// RoutedUpdater is a Store that can check, as it saves, that a session is
// still where the contact's next message goes. An engine on such a store
// answers a reply to a session it wrote itself in one round trip: it
// applies the reply to its own copy of the session
// (Config.RememberSessions) and saves with UpdateRouted, instead of asking
// the store where the message goes (Route) and then saving (Update).
//
// The fallback keeps the answer the same: when anything changed in
// between (another engine or a sweep wrote the session, a newer survey of
// the contact was created, another session holds the message), the store
// refuses with ErrStaleVersion, the engine forgets its copy and routes
// the message as usual, one round trip dearer. A store without
// RoutedUpdater is always routed.
//
// store/postgres and store/sqlite implement it; store/storetest checks
// it. A store that wraps one of them and changes what Update does must
// change UpdateRouted the same way, or not offer it (or the engine set
// Config.RememberSessions below 0): the engine calls UpdateRouted instead
// of Update for those replies.
type RoutedUpdater interface {
	// UpdateRouted saves s as Update does, and only if s is still the
	// session Route(s.TenantID, s.ContactID, s.Channel, messageID) returns:
	// no session of the contact on the channel was created after it, and
	// no other one holds messageID. Otherwise, and when the stored version
	// is not s.Version, it returns ErrStaleVersion and changes nothing
	// (ErrNotFound if the session does not exist).
	UpdateRouted(ctx context.Context, s *Session, messageID string) error
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
