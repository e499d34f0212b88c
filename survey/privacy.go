package survey

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// What a session holds about its contact, and what erasure and retention
// remove (PRIVACY.md says it for hosts):
//
//   - free text: the contact's name, comment, the replies that were not
//     scores, and the supervisor's note on the review (a note about the
//     contact's conversation, which may name or describe the contact, so
//     it is treated as the contact's data);
//   - identity: the contact ID, the inbound message IDs (channels'
//     message IDs may encode a phone number) and the contact's language.
//
// Retention removes the free text; erasure removes both. Neither touches
// the figures: ratings, reasons (IDs), agents, groups, channels, surveys,
// the conversation ID and every time, so reports are the same before and
// after.

// ErasedContactPrefix starts the tombstone that replaces an erased
// contact's ID: "erased:" and 22 random characters, the same for every
// session one erasure touches and never derived from the contact's ID.
const ErasedContactPrefix = "erased:"

// erasedMessagePrefix starts an erased message ID's keyed hash.
const erasedMessagePrefix = "erased-msg:"

// erasePersonal removes s's personal data in place; it is the one place
// that knows which fields hold it. It always clears the free text (name,
// comment, the replies that were not scores, the review's note), keeping
// the turns that recorded the replies. With a tombstone it also replaces
// the contact ID with it, clears the language and replaces every turn's
// message ID with hash of it, so that the session's structure — which
// message answered what — still holds. Scores, reasons, agents, times and
// the conversation ID stay. The pending effects need nothing of their
// own: they are rendered from the session when handed out, so an erased
// session's alert no longer carries the comment nor its question the
// name (a review's notification, kept whole, holds no free text).
func (s *Session) erasePersonal(tombstone string, hash func(string) string) {
	s.ContactName = ""
	s.Comment, s.CommentTruncated = "", false
	for i := range s.Turns {
		s.Turns[i].Text, s.Turns[i].Truncated = "", false
	}
	if s.Review != nil {
		s.Review.Comment = ""
	}
	if tombstone == "" {
		return
	}
	s.ContactID, s.Language = tombstone, ""
	for i := range s.Turns {
		s.Turns[i].MessageID = hash(s.Turns[i].MessageID)
	}
}

// HasFreeText reports whether s holds any of its contact's free text:
// the name, the comment, a reply that was not a score or the review's
// note. Retention (Engine.Retain) removes it from final sessions; a store
// that implements PrivacyStore keeps this bit where it can find such
// sessions fast.
func (s *Session) HasFreeText() bool {
	return s.ContactName != "" || s.Comment != "" || slices.ContainsFunc(s.Turns, func(t Turn) bool { return t.Text != "" }) ||
		s.Review != nil && s.Review.Comment != ""
}

// Erased reports whether s belongs to an erased contact.
func (s *Session) Erased() bool { return !s.ErasedAt.IsZero() }

// Position is a session's place in the order of (CreatedAt, ID), the
// order in which PrivacyStore.WithText pages.
type Position struct {
	// CreatedAt and ID are the last session of the previous page.
	CreatedAt time.Time
	ID        string
}

// PrivacyStore is what erasure and retention need of a store beyond
// Store: finding the sessions whose free text is due for removal, and
// removing sessions entirely. store/memory, store/sqlite and
// store/postgres implement it; store/storetest checks it (Run's Privacy subtests).
type PrivacyStore interface {
	// WithText returns up to limit (all when limit ≤ 0) final sessions of
	// tenantID created before before that hold free text
	// (Session.HasFreeText), in the order of (CreatedAt, ID), starting
	// after the position after (the zero Position starts at the first).
	WithText(ctx context.Context, tenantID string, before time.Time, after Position, limit int) ([]*Session, error)
	// Delete removes the session id of tenantID, and everything the store
	// keeps of it, if its stored version is still version; otherwise it
	// returns ErrStaleVersion, or ErrNotFound when there is none.
	Delete(ctx context.Context, tenantID, id string, version int64) error
}

// EraseOptions says how Engine.EraseContact erases.
type EraseOptions struct {
	// RemoveResponses removes the contact's sessions entirely, so that
	// reports, the registry and exports no longer count or show them. By
	// default the sessions stay, without anything personal, and every
	// report stays the same. It needs a store that implements
	// PrivacyStore.
	RemoveResponses bool
}

// ErasureResult says what Engine.EraseContact did.
type ErasureResult struct {
	// Erased counts the sessions whose personal data was removed (kept,
	// anonymous, for the figures).
	Erased int `json:"erased"`
	// Removed counts the sessions removed entirely (RemoveResponses).
	Removed int `json:"removed"`
	// Ended counts the surveys that were still running and ended
	// (cancelled) with the erasure.
	Ended int `json:"ended"`
	// Tombstone is what replaced the contact ID in the sessions kept;
	// empty when none was kept.
	Tombstone string `json:"tombstone,omitempty"`
}

// eraseRounds bounds how often EraseContact looks again for sessions a
// close created while it erased.
const eraseRounds = 3

// EraseContact erases everything personal the store holds about a contact
// of a tenant: name, comments, the replies that were not scores, the
// supervisors' notes on the contact's conversations, the language, the
// message IDs (replaced by keyed hashes under a key that is thrown away,
// so nobody can match them any more) and the contact ID (replaced by an
// opaque tombstone, ErasedContactPrefix and random characters). Ratings,
// reasons, agents, groups, channels, surveys, conversation IDs and times
// stay, so every report is the same before and after; with
// EraseOptions.RemoveResponses the sessions are removed instead.
//
// A survey of the contact still running ends as StateCancelled (a score
// already given still counts, as for an expired survey); a later message
// of the contact finds no survey and is not consumed, and a late
// redelivery of an erased message is never counted again (it finds no
// session of the contact, or one sent after it was written). The engine
// forgets its remembered copies of the contact's sessions.
//
// It is idempotent: a contact without sessions (never surveyed, or
// already erased) returns a zero result and no error, so a host may retry
// after a lost answer. An error leaves some sessions erased and others
// not; the retry erases the rest (under another tombstone). It erases the
// sessions stored when it runs: stop sending the contact's events first.
func (e *Engine) EraseContact(ctx context.Context, tenantID, contactID string, opts EraseOptions) (res *ErasureResult, err error) {
	defer func(start time.Time) { e.called(ctx, "erase", start, nil, err) }(e.since())
	res = &ErasureResult{}
	if err := e.usable(ctx); err != nil {
		return res, err
	}
	if err := checkContact(tenantID, contactID); err != nil {
		return res, err
	}
	if opts.RemoveResponses && e.privacy == nil {
		return res, fmt.Errorf("surveyflow: erase: removing responses needs a store that implements PrivacyStore: %w", errors.ErrUnsupported)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	tombstone := ErasedContactPrefix + base64.RawURLEncoding.EncodeToString(key[:16])
	_, _ = rand.Read(key) // the hash key shares nothing with the tombstone
	hash := func(id string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id))
		return erasedMessagePrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
	}
	for range eraseRounds {
		hist, err := e.store.ContactHistory(ctx, tenantID, contactID, time.Time{})
		if err != nil {
			return res, fmt.Errorf("surveyflow: erase: %w", err)
		}
		if len(hist) == 0 {
			break
		}
		for _, s := range hist {
			e.recent.forgetContact(s.TenantID, s.ContactID, s.Channel)
			if err := e.eraseSession(ctx, s, opts, tombstone, hash, res); err != nil {
				return res, err
			}
		}
	}
	if res.Erased > 0 {
		res.Tombstone = tombstone
	}
	e.log(ctx, slog.LevelInfo, "surveyflow: contact erased", slog.String("tenant", tenantID),
		slog.Int("erased", res.Erased), slog.Int("removed", res.Removed), slog.Int("ended", res.Ended))
	return res, nil
}

// eraseSession erases or removes one of the contact's sessions, through
// the one mutation path.
func (e *Engine) eraseSession(ctx context.Context, s *Session, opts EraseOptions, tombstone string, hash func(string) string, res *ErasureResult) error {
	contactID := s.ContactID
	var removed, erased, ended bool
	_, err := e.mutate(ctx, mutation{
		what: "erase session", id: s.ID, hint: s,
		load:     func() (*Session, error) { return e.store.Load(ctx, s.TenantID, s.ID) },
		notFound: func() (*Result, error) { return &Result{}, nil }, // removed meanwhile
		change: func(s *Session) (*Result, bool, error) {
			removed, erased, ended = false, false, false
			out := &Result{}
			if s.ContactID != contactID {
				return out, false, nil // erased meanwhile, by another call
			}
			if opts.RemoveResponses {
				err := e.privacyCall(ctx, "Delete", func() error { return e.privacy.Delete(ctx, s.TenantID, s.ID, s.Version) })
				switch {
				case errors.Is(err, ErrNotFound):
					return out, false, nil // removed meanwhile
				case err != nil:
					return nil, false, err // a stale version is tried again
				}
				removed = true
				return out, false, nil
			}
			now := e.clock.Now()
			if !s.State.Final() {
				e.endErased(s, now, out)
				ended = true
			}
			s.erasePersonal(tombstone, hash)
			s.ErasedAt = now
			erased = true
			return out, true, nil
		},
	})
	if err != nil {
		return err
	}
	where := Event{Call: "erase", TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, Channel: s.Channel}
	switch {
	case removed:
		res.Removed++
		where.Kind = EventRemoved
	case erased:
		res.Erased++
		if ended {
			res.Ended++
		}
		where.Kind = EventErased
	default:
		return nil
	}
	e.observe(ctx, where)
	return nil
}

// endErased ends the running survey of an erased contact: cancelled, by
// the survey's flow when the engine still has the survey.
func (e *Engine) endErased(s *Session, now time.Time, res *Result) {
	if sv, err := e.survey(s.TenantID, s.SurveyID); err == nil && e.end(sv, s, eventCancel, now, res) == nil {
		return
	}
	endUnknown(s, StateCancelled, now, res)
}

// privacyCall runs one call of the PrivacyStore, timed for the observer
// like the Store's calls.
func (e *Engine) privacyCall(ctx context.Context, op string, call func() error) error {
	if e.observer == nil {
		return call()
	}
	_, err := timed(observedStore{e: e}, ctx, op, func() (struct{}, error) { return struct{}{}, call() })
	return err
}

// checkContact refuses a tenant or contact ID the engine could not have
// stored.
func checkContact(tenantID, contactID string) error {
	if tenantID == "" || contactID == "" {
		return fmt.Errorf("%w: a tenant ID and a contact ID are required", ErrInvalidInput)
	}
	if err := checkID("tenant ID", tenantID); err != nil {
		return err
	}
	return checkID("contact ID", contactID)
}

// retentionBatch is how many sessions Retain asks the store for at a time.
const retentionBatch = 256

// tenantRetention holds the tenants' retention periods
// (Engine.SetTenantRetention), shared with the engines WithStore returns.
type tenantRetention struct {
	mu      sync.RWMutex
	periods map[string]time.Duration
}

// SetTenantRetention sets how long a tenant's free text is kept: the
// contact's name, comments, the replies that were not scores and the
// supervisors' notes of a finished survey are removed by Retain once the
// survey was created more than period ago. Scores, reasons, agents and
// times are kept. Zero keeps the text for good (the default); a negative
// period is refused. Like SetTenantSurveys it sets this engine (and those
// WithStore returns): set it on every instance that calls Retain.
func (e *Engine) SetTenantRetention(tenantID string, period time.Duration) error {
	if err := e.made(); err != nil {
		return err
	}
	if tenantID == "" {
		return fmt.Errorf("%w: empty tenant ID", ErrInvalidInput)
	}
	if period < 0 {
		return fmt.Errorf("%w: retention period %v is negative", ErrInvalidInput, period)
	}
	r := e.retention
	r.mu.Lock()
	defer r.mu.Unlock()
	if period == 0 {
		delete(r.periods, tenantID)
	} else {
		r.periods[tenantID] = period
	}
	return nil
}

// TenantRetention returns the tenant's retention period; zero means the
// text is kept for good.
func (e *Engine) TenantRetention(tenantID string) time.Duration {
	if e.made() != nil {
		return 0
	}
	e.retention.mu.RLock()
	defer e.retention.mu.RUnlock()
	return e.retention.periods[tenantID]
}

// RetentionResult says what Engine.Retain did.
type RetentionResult struct {
	// Tenants counts the tenants with a retention period that were swept.
	Tenants int `json:"tenants"`
	// Scrubbed counts the sessions whose free text was removed.
	Scrubbed int `json:"scrubbed"`
}

// Retain removes the free text that is older than its tenant's retention
// period (SetTenantRetention) from finished surveys: for each such tenant,
// it asks the store for the sessions created before now minus the period
// that still hold text, in batches, and saves each without its text (a
// versioned write of one session, so running surveys are never blocked
// and a survey still running is left until it ends). Call it periodically
// (daily is plenty), from any number of instances at once: two that meet
// on one session save it once. It keeps no state of its own — what is
// left to do is what the store still holds — so after a crash or an
// error the next call carries on. The observer gets an EventScrubbed per
// session. It needs a store that implements PrivacyStore when any tenant
// has a retention period.
//
// An error on one session does not stop the others: Retain returns every
// error joined, with the counts of what it did.
func (e *Engine) Retain(ctx context.Context) (res *RetentionResult, err error) {
	defer func(start time.Time) { e.called(ctx, "retain", start, nil, err) }(e.since())
	res = &RetentionResult{}
	if err := e.usable(ctx); err != nil {
		return res, err
	}
	e.retention.mu.RLock()
	tenants := slices.Sorted(maps.Keys(e.retention.periods))
	periods := maps.Clone(e.retention.periods)
	e.retention.mu.RUnlock()
	if len(tenants) == 0 {
		return res, nil
	}
	if e.privacy == nil {
		return res, fmt.Errorf("surveyflow: retain: the store does not implement PrivacyStore: %w", errors.ErrUnsupported)
	}
	now := e.clock.Now()
	var errs []error
	for _, t := range tenants {
		if err := live(ctx); err != nil {
			errs = append(errs, err)
			break
		}
		res.Tenants++
		errs = append(errs, e.retainTenant(ctx, t, now.Add(-periods[t]), now, res))
	}
	e.log(ctx, slog.LevelInfo, "surveyflow: retention", slog.Int("tenants", res.Tenants), slog.Int("scrubbed", res.Scrubbed))
	return res, errors.Join(errs...)
}

// retainTenant removes the free text of the tenant's final sessions
// created before before.
func (e *Engine) retainTenant(ctx context.Context, tenantID string, before, now time.Time, res *RetentionResult) error {
	var after Position
	var errs []error
	for {
		var batch []*Session
		err := e.privacyCall(ctx, "WithText", func() (err error) {
			batch, err = e.privacy.WithText(ctx, tenantID, before, after, retentionBatch)
			return err
		})
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("surveyflow: retain tenant %s: %w", tenantID, err))...)
		}
		for _, s := range batch {
			if err := live(ctx); err != nil {
				return errors.Join(append(errs, err)...)
			}
			if err := e.scrubSession(ctx, s, before, now, res); err != nil {
				errs = append(errs, err)
			}
		}
		if len(batch) < retentionBatch {
			return errors.Join(errs...)
		}
		last := batch[len(batch)-1]
		after = Position{CreatedAt: last.CreatedAt, ID: last.ID}
	}
}

// scrubSession removes one session's free text, if it is still due,
// through the one mutation path.
func (e *Engine) scrubSession(ctx context.Context, s *Session, before, now time.Time, res *RetentionResult) error {
	scrubbed := false
	_, err := e.mutate(ctx, mutation{
		what: "retain session", id: s.ID, hint: s,
		load:     func() (*Session, error) { return e.store.Load(ctx, s.TenantID, s.ID) },
		notFound: func() (*Result, error) { return &Result{}, nil },
		change: func(s *Session) (*Result, bool, error) {
			scrubbed = false
			if !s.State.Final() || !s.CreatedAt.Before(before) || !s.HasFreeText() {
				return &Result{}, false, nil // changed meanwhile: nothing (more) to remove
			}
			s.erasePersonal("", nil)
			s.TextRemovedAt = now
			scrubbed = true
			return &Result{}, true, nil
		},
	})
	if err != nil || !scrubbed {
		return err
	}
	res.Scrubbed++
	e.observe(ctx, Event{Kind: EventScrubbed, Call: "retain", TenantID: s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, Channel: s.Channel})
	return nil
}

// ContactData is everything the store holds about one contact of a
// tenant, as Engine.ContactData returns it: a document to hand to the
// person who asked. Its JSON form is documented in docs/reference.md.
type ContactData struct {
	// TenantID and ContactID say whose data it is.
	TenantID  string `json:"tenant_id"`
	ContactID string `json:"contact_id"`
	// GeneratedAt is when the document was made (the engine's clock).
	GeneratedAt time.Time `json:"generated_at"`
	// Surveys are the contact's surveys, newest first; empty (never nil)
	// when there are none, or the contact was erased.
	Surveys []ContactSurvey `json:"surveys"`
}

// ContactSurvey is one survey of a contact, as ContactData holds it: what
// the contact was asked and answered, when, in which conversation, and
// which agents and supervisor it concerned.
type ContactSurvey struct {
	// SessionID, SurveyID, ConversationID and Channel say which survey.
	SessionID      string `json:"session_id"`
	SurveyID       string `json:"survey_id"`
	ConversationID string `json:"conversation_id"`
	Channel        string `json:"channel"`
	// Trigger and State say how it started and where it stands.
	Trigger Trigger `json:"trigger"`
	State   State   `json:"state"`
	// ContactName and Language are what the survey knew of the contact.
	ContactName string `json:"contact_name"`
	Language    string `json:"language"`
	// Agents are the agents the answers count for.
	Agents []ContactAgent `json:"agents"`
	// Rated, Rating and RatingLabel are the contact's score (the latest,
	// after any change) and its label in the contact's language.
	Rated       bool   `json:"rated"`
	Rating      int    `json:"rating"`
	RatingLabel string `json:"rating_label,omitempty"`
	// RatingChanges are the contact's changes of the rating, oldest first.
	RatingChanges []RatingChange `json:"rating_changes"`
	// Reason and ReasonLabel are the reason chosen after a low score.
	Reason      string `json:"reason,omitempty"`
	ReasonLabel string `json:"reason_label,omitempty"`
	// Comment is the contact's comment.
	Comment string `json:"comment"`
	// Replies are the contact's replies that held no score.
	Replies []string `json:"replies"`
	// MessageIDs are the channel's IDs of the contact's messages the
	// survey applied.
	MessageIDs []string `json:"message_ids"`
	// Review is a supervisor's evaluation of the conversation, if any.
	Review *Review `json:"review,omitempty"`
	// Transcript is the survey as the contact saw it, question by
	// question with the answers; empty when the survey was never sent
	// or its definition is gone.
	Transcript []SurveyTurn `json:"transcript"`
	// The times: the conversation's close, the survey's creation, send,
	// rating, comment and end, and a removal of the free text by the
	// tenant's retention period; zero (left out) until they happen.
	ClosedAt      time.Time `json:"closed_at,omitzero"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	RatedAt       time.Time `json:"rated_at,omitzero"`
	CommentedAt   time.Time `json:"commented_at,omitzero"`
	EndedAt       time.Time `json:"ended_at,omitzero"`
	TextRemovedAt time.Time `json:"text_removed_at,omitzero"`
}

// ContactAgent is an agent of a survey, by ID and name.
type ContactAgent struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ContactData returns everything the store holds about a contact of a
// tenant (a person's request to see their data): every survey with its
// answers, comments, replies, message IDs, times, agents and reviews, as
// a document whose JSON form is documented in docs/reference.md. A
// contact without surveys, or one that was erased, gets a document with
// no surveys.
func (e *Engine) ContactData(ctx context.Context, tenantID, contactID string) (data *ContactData, err error) {
	defer func(start time.Time) { e.called(ctx, "access", start, nil, err) }(e.since())
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if err := checkContact(tenantID, contactID); err != nil {
		return nil, err
	}
	hist, err := e.store.ContactHistory(ctx, tenantID, contactID, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("surveyflow: contact data: %w", err)
	}
	data = &ContactData{TenantID: tenantID, ContactID: contactID, GeneratedAt: e.clock.Now(), Surveys: []ContactSurvey{}}
	for _, s := range hist {
		c := ContactSurvey{
			SessionID: s.ID, SurveyID: s.SurveyID, ConversationID: s.ConversationID, Channel: s.Channel,
			Trigger: s.Trigger, State: s.State, ContactName: s.ContactName, Language: s.Language,
			Agents: []ContactAgent{}, Rated: s.Rated, Rating: s.Rating, Reason: s.Reason, Comment: s.Comment,
			RatingChanges: append([]RatingChange{}, s.RatingChanges()...), Replies: append([]string{}, s.Unparsed()...),
			MessageIDs: append([]string{}, s.MessageIDs()...), Review: s.Review, Transcript: []SurveyTurn{},
			ClosedAt: s.ClosedAt, CreatedAt: s.CreatedAt, SentAt: s.SentAt, RatedAt: s.RatedAt,
			CommentedAt: s.CommentedAt, EndedAt: s.EndedAt, TextRemovedAt: s.TextRemovedAt,
		}
		for _, a := range s.Agents {
			c.Agents = append(c.Agents, ContactAgent{ID: a.ID, Name: a.Name})
		}
		if sum, err := e.Summarize(s); err == nil { // a survey the engine no longer has: no labels, no transcript
			c.RatingLabel, c.ReasonLabel = sum.Label, sum.ReasonLabel
			if sum.Transcript != nil {
				c.Transcript = sum.Transcript
			}
		}
		data.Surveys = append(data.Surveys, c)
	}
	return data, nil
}
