package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

// WriteDialect is how one SQL store spells what the write side needs
// beyond the read side's Dialect.
type WriteDialect struct {
	// Bool is a boolean column's value (a bool, or 0 and 1).
	Bool func(bool) any
	// True and False are the boolean literals, for conditions a partial
	// index must recognize ("final = false").
	True, False string
	// Doc is the session document's value (json, or TEXT).
	Doc func([]byte) any
	// Text is a free-text column's value: PostgreSQL's text cannot hold
	// NUL, which the document keeps.
	Text func(string) any
	// Holds is the condition "the list column col holds the value of
	// parameter p".
	Holds func(col, p string) string
	// NextSeq is the INSERT's value of seq, the store's order of
	// creation; empty leaves it to the column's default (a sequence).
	NextSeq string
	// Lock ends the subquery that picks the rows a claim takes: FOR
	// UPDATE SKIP LOCKED where the database locks rows, so concurrent
	// claimers take disjoint rows; empty where one write runs at a time.
	Lock string
	// Limit is a LIMIT parameter's value; limit ≤ 0 means no limit.
	Limit func(limit int) any
	// TimeParam is the parameter p typed as a time column, where the
	// database cannot tell its type from where it stands (IS NULL).
	TimeParam func(p string) string
}

// Store is a SQL store — survey.Store, survey.RoutedUpdater,
// survey.PrivacyStore and report.Source — over one table,
// surveyflow_sessions, written through a store's Conn in its dialect.
// Every write is one statement; the session's document (doc) holds the
// whole session, and the other columns copy what the store searches,
// sorts and aggregates on.
type Store struct {
	d     *Dialect
	w     *WriteDialect
	c     Conn
	stmts *statements
}

var (
	_ survey.Store         = (*Store)(nil)
	_ survey.RoutedUpdater = (*Store)(nil)
	_ survey.PrivacyStore  = (*Store)(nil)
	_ report.Source        = (*Store)(nil)
)

// NewStore returns the store over c in the dialects d and w. The
// statements are built once per dialect.
func NewStore(d *Dialect, w *WriteDialect, c Conn) *Store {
	return &Store{d: d, w: w, c: c, stmts: statementsOf(d, w)}
}

// statements are a dialect's write statements.
type statements struct {
	insert, update, routed, exists, load, awaiting, route, conversation,
	claimDue, claimEffects, history, withText, delete string
}

var (
	built   sync.Map // *Dialect → *statements
	buildMu sync.Mutex
)

// statementsOf builds d's statements, or returns those built before.
func statementsOf(d *Dialect, w *WriteDialect) *statements {
	if s, ok := built.Load(d); ok {
		return s.(*statements)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if s, ok := built.Load(d); ok {
		return s.(*statements)
	}
	p := d.Param
	list := func(from, n int) string {
		ps := make([]string, n)
		for i := range ps {
			ps[i] = p(from + i)
		}
		return strings.Join(ps, ", ")
	}
	const cols = "version, doc"
	seqCol, seqVal := "", ""
	if w.NextSeq != "" {
		seqCol, seqVal = ", seq", ", "+w.NextSeq
	}
	s := &statements{}
	s.insert = `INSERT INTO surveyflow_sessions
		(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
		 rating, comment, agent_ids, group_ids, message_ids, created_at, rated_at, deadline, doc,
		 sent_at, rate_ns, rate_bucket, assignee, last_agent, listed_at, review_score, reason, effects_at, free_text,
		 reminded_at` + seqCol + `)
		VALUES (` + list(1, 8) + `, 1, ` + list(9, 20) + seqVal + `)
		ON CONFLICT DO NOTHING`
	// An update writes only what a change can touch: what identifies the
	// session and whom it counts for is fixed at Create (survey.Store); the
	// sweep's reminder sets reminded_at.
	s.update = `UPDATE surveyflow_sessions SET
		contact_id = ` + p(4) + `, state = ` + p(5) + `, final = ` + p(6) + `, version = version + 1,
		rating = ` + p(7) + `, comment = ` + p(8) + `, rated_at = ` + p(9) + `, deadline = ` + p(10) + `,
		lease_until = NULL, doc = ` + p(11) + `, sent_at = ` + p(12) + `, rate_ns = ` + p(13) + `,
		rate_bucket = ` + p(14) + `, listed_at = ` + p(15) + `, review_score = ` + p(16) + `,
		message_ids = ` + p(17) + `, reason = ` + p(18) + `, effects_at = ` + p(19) + `,
		effects_lease = CASE WHEN ` + w.TimeParam(p(19)) + ` IS NULL THEN NULL ELSE effects_lease END, free_text = ` + p(20) + `,
		reminded_at = ` + p(21) + `
		WHERE tenant_id = ` + p(1) + ` AND id = ` + p(2) + ` AND version = ` + p(3)
	// The routing guard: no session of the contact on the channel is
	// newer than this one, or holds the message.
	s.routed = s.update + ` AND NOT EXISTS (SELECT 1 FROM surveyflow_sessions o
		WHERE o.tenant_id = surveyflow_sessions.tenant_id AND o.contact_id = surveyflow_sessions.contact_id
		AND o.channel = surveyflow_sessions.channel AND o.id <> surveyflow_sessions.id
		AND (o.seq > surveyflow_sessions.seq OR ` + w.Holds("o.message_ids", p(22)) + `))`
	s.exists = `SELECT count(*) FROM surveyflow_sessions WHERE tenant_id = ` + p(1) + ` AND id = ` + p(2)
	s.load = `SELECT ` + cols + ` FROM surveyflow_sessions WHERE tenant_id = ` + p(1) + ` AND id = ` + p(2)
	s.awaiting = `SELECT ` + cols + ` FROM surveyflow_sessions
		WHERE tenant_id = ` + p(1) + ` AND contact_id = ` + p(2) + ` AND channel = ` + p(3) + ` AND final = ` + w.False + `
		ORDER BY seq DESC LIMIT 1`
	s.route = `SELECT ` + cols + ` FROM surveyflow_sessions
		WHERE tenant_id = ` + p(1) + ` AND contact_id = ` + p(2) + ` AND channel = ` + p(3) + `
		ORDER BY ` + w.Holds("message_ids", p(4)) + ` DESC, seq DESC LIMIT 1`
	s.conversation = `SELECT ` + cols + ` FROM surveyflow_sessions
		WHERE tenant_id = ` + p(1) + ` AND conversation_id = ` + p(2) + ` ORDER BY seq DESC`
	claim := func(lease, ready, order string) string {
		return `UPDATE surveyflow_sessions SET ` + lease + ` = ` + p(1) + `
		WHERE (tenant_id, id) IN (
			SELECT tenant_id, id FROM surveyflow_sessions WHERE ` + ready + `
			ORDER BY ` + order + `, id LIMIT ` + p(4) + w.Lock + `)
		RETURNING ` + cols
	}
	s.claimDue = claim("lease_until", `final = `+w.False+` AND deadline < `+p(2)+` AND (lease_until IS NULL OR lease_until <= `+p(3)+`)`, "deadline")
	s.claimEffects = claim("effects_lease", `effects_at IS NOT NULL AND effects_at <= `+p(2)+` AND (effects_lease IS NULL OR effects_lease <= `+p(3)+`)`, "effects_at")
	s.history = `SELECT ` + cols + ` FROM surveyflow_sessions
		WHERE tenant_id = ` + p(1) + ` AND contact_id = ` + p(2) + ` AND created_at >= ` + p(3) + `
		ORDER BY created_at DESC, id DESC`
	s.withText = `SELECT ` + cols + ` FROM surveyflow_sessions
		WHERE tenant_id = ` + p(1) + ` AND free_text = ` + w.True + ` AND final = ` + w.True + ` AND created_at < ` + p(2) + `
		AND (created_at, id) > (` + p(3) + `, ` + p(4) + `)
		ORDER BY created_at, id LIMIT ` + p(5)
	s.delete = `DELETE FROM surveyflow_sessions WHERE tenant_id = ` + p(1) + ` AND id = ` + p(2) + ` AND version = ` + p(3)
	built.Store(d, s)
	return s
}

// Count implements report.Source in one statement: a GROUP BY per
// dimension over the indexed read columns (never the documents).
func (st *Store) Count(ctx context.Context, tenantID string, q report.Query) ([]report.Count, error) {
	return Count(ctx, st.d, st.c, tenantID, q)
}

// List implements report.Source: one page, keyset-paged on the listed
// index.
func (st *Store) List(ctx context.Context, tenantID string, q report.ListQuery) ([]*survey.Session, error) {
	return List(ctx, st.d, st.c, tenantID, q)
}

// IsNil reports whether db is nil or a typed nil (a nil *sql.DB, pool,
// connection or transaction): what a store's New refuses.
func IsNil(db any) bool {
	return db == nil || reflect.ValueOf(db).Kind() == reflect.Pointer && reflect.ValueOf(db).IsNil()
}

// fail wraps err as the store's error of op on id.
func (st *Store) fail(op, id string, err error) error {
	return fmt.Errorf("%s: %s %s: %w", st.d.Name, op, id, err)
}

// Create implements survey.Store with one INSERT … ON CONFLICT DO
// NOTHING, so a conflict never aborts the host's transaction.
func (st *Store) Create(ctx context.Context, s *survey.Session) error {
	if err := Check(s); err != nil {
		return err
	}
	r, err := st.row(s, 1)
	if err != nil {
		return err
	}
	n, err := st.c.Exec(ctx, st.stmts.insert,
		s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, s.Channel, string(s.State), st.w.Bool(s.State.Final()),
		r.rating, r.comment, st.d.List(r.read.Agents), st.d.List(r.read.Groups), r.messages, st.d.Time(s.CreatedAt),
		r.ratedAt, r.deadline, r.doc, r.sentAt, r.read.RateNanos, r.read.RateBucket, r.read.Assignee, r.read.LastAgent,
		r.listedAt, r.read.ReviewScore, r.read.Reason, r.effectsAt, r.freeText, r.remindedAt)
	switch {
	case err != nil:
		return st.fail("create", s.ID, err)
	case n == 1:
		s.Version = 1
		return nil
	}
	// Nothing inserted: the ID or the conversation's active survey is taken.
	exists, err := st.exists(ctx, s.TenantID, s.ID)
	switch {
	case err != nil:
		return st.fail("create", s.ID, err)
	case exists:
		return survey.ErrDuplicate
	}
	return survey.ErrActiveExists
}

// exists reports whether the tenant has a session with id.
func (st *Store) exists(ctx context.Context, tenantID, id string) (bool, error) {
	var n int64
	err := st.c.Query(ctx, st.stmts.exists, []any{tenantID, id}, func(rows Rows) error {
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return n > 0, err
}

// Load implements survey.Store.
func (st *Store) Load(ctx context.Context, tenantID, id string) (*survey.Session, error) {
	s, err := st.one(ctx, st.stmts.load, tenantID, id)
	if err != nil {
		return nil, st.fail("load", id, err)
	}
	return s, nil
}

// Update implements survey.Store in one round trip: a conditional UPDATE
// … WHERE version = $n. Only when it writes nothing does a second
// statement tell ErrStaleVersion from ErrNotFound.
func (st *Store) Update(ctx context.Context, s *survey.Session) error {
	return st.update(ctx, s, "", false)
}

// UpdateRouted implements survey.RoutedUpdater in one round trip:
// Update's statement, whose WHERE also asks that no session of the
// contact on the channel be newer or hold messageID.
func (st *Store) UpdateRouted(ctx context.Context, s *survey.Session, messageID string) error {
	return st.update(ctx, s, messageID, true)
}

// update is Update, and UpdateRouted for messageID when routed.
func (st *Store) update(ctx context.Context, s *survey.Session, messageID string, routed bool) error {
	if err := Check(s); err != nil {
		return err
	}
	r, err := st.row(s, s.Version+1)
	if err != nil {
		return err
	}
	args := []any{s.TenantID, s.ID, s.Version,
		s.ContactID, string(s.State), st.w.Bool(s.State.Final()), r.rating, r.comment, r.ratedAt, r.deadline, r.doc,
		r.sentAt, r.read.RateNanos, r.read.RateBucket, r.listedAt, r.read.ReviewScore,
		r.messages, r.read.Reason, r.effectsAt, r.freeText, r.remindedAt}
	query := st.stmts.update
	if routed {
		query = st.stmts.routed
		args = append(args, messageID)
	}
	n, err := st.c.Exec(ctx, query, args...)
	switch {
	case err != nil:
		return st.fail("update", s.ID, err)
	case n == 1:
		s.Version++
		return nil
	}
	return st.refused(ctx, s.TenantID, s.ID, "update")
}

// refused tells why a conditional write of a session wrote nothing: its
// version was stale (or, routed, it no longer gets the message:
// ErrStaleVersion) or it does not exist (ErrNotFound).
func (st *Store) refused(ctx context.Context, tenantID, id, op string) error {
	exists, err := st.exists(ctx, tenantID, id)
	switch {
	case err != nil:
		return st.fail(op, id, err)
	case exists:
		return survey.ErrStaleVersion
	}
	return survey.ErrNotFound
}

// Awaiting implements survey.Store.
func (st *Store) Awaiting(ctx context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	s, err := st.one(ctx, st.stmts.awaiting, tenantID, contactID, channel)
	if err != nil {
		return nil, st.fail("awaiting", contactID, err)
	}
	return s, nil
}

// Route implements survey.Store in one query: the session that applied
// messageID, else the newest.
func (st *Store) Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	s, err := st.one(ctx, st.stmts.route, tenantID, contactID, channel, messageID)
	if err != nil {
		return nil, st.fail("route", messageID, err)
	}
	return s, nil
}

// ConversationSessions implements survey.Store.
func (st *Store) ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	out, err := st.many(ctx, st.stmts.conversation, tenantID, conversationID)
	if err != nil {
		return nil, st.fail("conversation", conversationID, err)
	}
	return out, nil
}

// ClaimDue implements survey.Store in one UPDATE … RETURNING whose
// subquery picks the due, unclaimed rows (locking them, where the
// database locks rows, with FOR UPDATE SKIP LOCKED, so concurrent
// sweepers take disjoint sessions) and stamps a lease on them.
func (st *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, st.stmts.claimDue, st.d.Time(now.Add(lease)), st.d.Time(now), st.d.Time(now), st.w.Limit(limit))
	if err != nil {
		return nil, st.fail("claim", "due", err)
	}
	slices.SortFunc(out, func(a, b *survey.Session) int {
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// ClaimEffects implements survey.Store as ClaimDue does, over the
// sessions with pending effects.
func (st *Store) ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, st.stmts.claimEffects, st.d.Time(now.Add(lease)), st.d.Time(decidedBy), st.d.Time(now), st.w.Limit(limit))
	if err != nil {
		return nil, st.fail("claim", "effects", err)
	}
	SortByEffects(out)
	return out, nil
}

// ContactHistory implements survey.Store.
func (st *Store) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	out, err := st.many(ctx, st.stmts.history, tenantID, contactID, st.d.Time(since))
	if err != nil {
		return nil, st.fail("contact history", contactID, err)
	}
	return out, nil
}

// WithText implements survey.PrivacyStore from the free-text index.
func (st *Store) WithText(ctx context.Context, tenantID string, before time.Time, after survey.Position, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, st.stmts.withText, tenantID, st.d.Time(before), st.d.Time(after.CreatedAt), after.ID, st.w.Limit(limit))
	if err != nil {
		return nil, st.fail("sessions with text of", tenantID, err)
	}
	return out, nil
}

// Delete implements survey.PrivacyStore with one conditional DELETE.
func (st *Store) Delete(ctx context.Context, tenantID, id string, version int64) error {
	n, err := st.c.Exec(ctx, st.stmts.delete, tenantID, id, version)
	switch {
	case err != nil:
		return st.fail("delete", id, err)
	case n == 1:
		return nil
	}
	return st.refused(ctx, tenantID, id, "delete")
}

// one runs a query for at most one session; none is ErrNotFound.
func (st *Store) one(ctx context.Context, query string, args ...any) (*survey.Session, error) {
	out, err := st.many(ctx, query, args...)
	switch {
	case err != nil:
		return nil, err
	case len(out) == 0:
		return nil, survey.ErrNotFound
	}
	return out[0], nil
}

// many runs a query for sessions.
func (st *Store) many(ctx context.Context, query string, args ...any) ([]*survey.Session, error) {
	var out []*survey.Session
	err := st.c.Query(ctx, query, args, func(rows Rows) (err error) {
		out, err = ScanSessions(rows)
		return err
	})
	return out, err
}

// row is a session's column values, as the dialect writes them.
type row struct {
	rating, comment, ratedAt, deadline, sentAt, listedAt, effectsAt any
	remindedAt, doc, messages, freeText                             any
	read                                                            ReadColumns
}

// row derives s's column values at version.
func (st *Store) row(s *survey.Session, version int64) (row, error) {
	doc, err := Encode(s, version)
	if err != nil {
		return row{}, fmt.Errorf("%s: %w", st.d.Name, err)
	}
	r := row{doc: st.w.Doc(doc), deadline: st.nullTime(s.Deadline), freeText: st.w.Bool(s.HasFreeText()),
		messages: st.d.List(MessageIDs(s)), read: Read(s)}
	if s.Rated {
		r.rating, r.ratedAt = s.Rating, st.d.Time(s.RatedAt)
	}
	if !s.CommentedAt.IsZero() || s.Comment != "" {
		r.comment = st.w.Text(s.Comment)
	}
	if r.read.SentAt != nil {
		r.sentAt = st.d.Time(*r.read.SentAt)
	}
	if r.read.ListedAt != nil {
		r.listedAt = st.d.Time(*r.read.ListedAt)
	}
	if r.read.RemindedAt != nil {
		r.remindedAt = st.d.Time(*r.read.RemindedAt)
	}
	if at, ok := EffectsAt(s); ok {
		r.effectsAt = st.d.Time(at)
	}
	return r, nil
}

// nullTime is t's column value, NULL for the zero time.
func (st *Store) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return st.d.Time(t)
}
