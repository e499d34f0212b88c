package survey

import (
	"context"
	"errors"
	"iter"
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
	// (ErrNotFound if the session does not exist).
	Update(ctx context.Context, s *Session) error
	// Awaiting returns the newest session of the contact on the channel
	// that is not final, or ErrNotFound.
	Awaiting(ctx context.Context, tenantID, contactID, channel string) (*Session, error)
	// Route returns the session an inbound message belongs to: the
	// contact's session on the channel whose MessageIDs hold messageID, if
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
	// Sessions returns the tenant's sessions that match q, newest first.
	Sessions(ctx context.Context, tenantID string, q Query) ([]*Session, error)
	// Responses iterates over the tenant's rated sessions that match f,
	// newest rating first (RatedAt, then ID, descending), without loading
	// them all into memory. Iteration stops at the first error, which is
	// yielded with a nil session.
	Responses(ctx context.Context, tenantID string, f ResponseFilter) iter.Seq2[*Session, error]
}

// ResponseFilter selects rated sessions (responses) for the ratings
// registry, reports and exports. Zero fields do not filter.
type ResponseFilter struct {
	// SurveyID keeps one survey's responses.
	SurveyID string
	// AgentID keeps responses in which that agent took part.
	AgentID string
	// Group keeps responses in which an agent of that group took part.
	Group string
	// Channel keeps responses from one channel.
	Channel string
	// Rating, when not nil, keeps ratings in [Rating.Min, Rating.Max].
	Rating *RatingRange
	// RatedFrom and RatedTo bound RatedAt: RatedFrom ≤ RatedAt < RatedTo.
	RatedFrom, RatedTo time.Time
	// Limit is the page size; zero means no limit.
	Limit int
	// AfterRatedAt and AfterID continue a listing after the last response
	// of the previous page (set them with Next); zero means from the start.
	AfterRatedAt time.Time
	// AfterID is the ID of the last response of the previous page.
	AfterID string
}

// RatingRange is an inclusive range of scores.
type RatingRange struct {
	// Min and Max are the lowest and highest scores kept.
	Min, Max int
}

// Next returns the filter of the page that follows the one whose last
// response is last.
func (f ResponseFilter) Next(last *Session) ResponseFilter {
	f.AfterRatedAt, f.AfterID = last.RatedAt, last.ID
	return f
}

// Match reports whether s passes f's filters, ignoring Limit.
func (f ResponseFilter) Match(s *Session) bool {
	switch {
	case !s.Rated,
		f.SurveyID != "" && s.SurveyID != f.SurveyID,
		f.Channel != "" && s.Channel != f.Channel,
		f.Rating != nil && (s.Rating < f.Rating.Min || s.Rating > f.Rating.Max),
		!f.RatedFrom.IsZero() && s.RatedAt.Before(f.RatedFrom),
		!f.RatedTo.IsZero() && !s.RatedAt.Before(f.RatedTo),
		f.AfterID != "" && !ResponseBefore(s, f.AfterRatedAt, f.AfterID):
		return false
	}
	return s.Involves(f.AgentID, f.Group)
}

// ResponseBefore reports whether s comes after the response (ratedAt, id)
// in the newest-first order of Store.Responses.
func ResponseBefore(s *Session, ratedAt time.Time, id string) bool {
	if !s.RatedAt.Equal(ratedAt) {
		return s.RatedAt.Before(ratedAt)
	}
	return s.ID < id
}

// Query filters sessions for reports. Zero fields do not filter.
type Query struct {
	// SurveyID keeps one survey's sessions.
	SurveyID string
	// From and To bound CreatedAt: From ≤ CreatedAt < To.
	From, To time.Time
	// RatedOnly keeps sessions with a score.
	RatedOnly bool
}

// Match reports whether s passes q's filters.
func (q Query) Match(s *Session) bool {
	if q.SurveyID != "" && s.SurveyID != q.SurveyID {
		return false
	}
	if !q.From.IsZero() && s.CreatedAt.Before(q.From) {
		return false
	}
	if !q.To.IsZero() && !s.CreatedAt.Before(q.To) {
		return false
	}
	if q.RatedOnly && !s.Rated {
		return false
	}
	return true
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
