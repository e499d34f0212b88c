// Package postgres is a survey.Store on PostgreSQL with pgx v5, safe for
// many backend instances sharing one database.
//
// It takes the host's pool (or connection, or transaction: anything that
// satisfies DB) and never configures it. Every write is one statement:
// Update is a conditional UPDATE … WHERE version = $n, and ClaimDue takes
// due sessions with FOR UPDATE SKIP LOCKED and a lease, so several sweepers
// never process the same session. Call Migrate at start-up (instances that
// start at once take turns on an advisory lock), or apply the embedded
// Migrations with your own tool. The schema is documented in the migration
// files and in this module's README.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/survey"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations holds the schema migrations, one file per version named
// NNNN_description.sql, for hosts that run their own migration tool.
// Migrate applies them and records each version in the table
// surveyflow_migrations.
var Migrations fs.FS = sqlstore.MustSub(migrationFiles, "migrations")

// DB is what the store needs from pgx. *pgxpool.Pool, *pgx.Conn and pgx.Tx
// all satisfy it: pass a pgx.Tx to write survey state in the host's own
// transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Store is a survey.Store on PostgreSQL. It is safe for concurrent use
// when its DB is (a pool is; a single connection or transaction is not).
type Store struct {
	db DB
}

var (
	_ survey.Store         = (*Store)(nil)
	_ survey.RoutedUpdater = (*Store)(nil)
	_ survey.PrivacyStore  = (*Store)(nil)
)

// ErrNoDB is returned by New for a nil DB, including a nil pool,
// connection or transaction.
var ErrNoDB = errors.New("surveyflow/postgres: New needs a database, got nil")

// New returns a store on db. It neither configures nor closes db; call
// Migrate before first use. A nil db (or a typed nil such as a nil
// *pgxpool.Pool) is refused with ErrNoDB here rather than failing at first
// use.
func New(db DB) (*Store, error) {
	if db == nil || reflect.ValueOf(db).Kind() == reflect.Pointer && reflect.ValueOf(db).IsNil() {
		return nil, ErrNoDB
	}
	return &Store{db: db}, nil
}

// migrateLock is the advisory lock key Migrate holds while it migrates.
const migrateLock int64 = 0x5f5e_7f10_0001

// Migrate applies the migrations that are missing in one transaction that
// holds an advisory lock, so instances that start at once apply each
// migration exactly once.
func (st *Store) Migrate(ctx context.Context) error {
	tx, err := st.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("surveyflow/postgres: migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit
	if err := migrate(ctx, tx); err != nil {
		return fmt.Errorf("surveyflow/postgres: migrate: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("surveyflow/postgres: migrate: commit: %w", err)
	}
	return nil
}

func migrate(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return sqlstore.Migrate(ctx, conn{tx}, Migrations, bookkeeping)
}

// bookkeeping is the table Migrate records versions in.
var bookkeeping = sqlstore.Bookkeeping{
	Table: `CREATE TABLE IF NOT EXISTS surveyflow_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`,
	Record: "INSERT INTO surveyflow_migrations (version, name) VALUES ($1, $2)",
}

const columns = "version, doc"

// Create implements survey.Store. It inserts with ON CONFLICT DO NOTHING,
// so a conflict never aborts the host's transaction.
func (st *Store) Create(ctx context.Context, s *survey.Session) error {
	if err := sqlstore.Check(s); err != nil {
		return err
	}
	r, err := toRow(s, 1)
	if err != nil {
		return err
	}
	tag, err := st.db.Exec(ctx, `INSERT INTO surveyflow_sessions
		(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
		 rating, comment, agent_ids, group_ids, message_ids, created_at, rated_at, deadline, doc,
		 sent_at, rate_ns, rate_bucket, assignee, last_agent, listed_at, review_score, reason, effects_at, free_text)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, $14, $15, $16, $17,
		        $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
		ON CONFLICT DO NOTHING`,
		s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, s.Channel, string(s.State), s.State.Final(),
		r.rating, r.comment, r.agents, r.groups, r.messages, s.CreatedAt, r.ratedAt, r.deadline, r.doc,
		r.read.SentAt, r.read.RateNanos, r.read.RateBucket, r.read.Assignee, r.read.LastAgent, r.read.ListedAt, r.read.ReviewScore,
		r.read.Reason, r.effectsAt, s.HasFreeText())
	if err != nil {
		return fmt.Errorf("surveyflow/postgres: create %s: %w", s.ID, err)
	}
	if tag.RowsAffected() == 1 {
		s.Version = 1
		return nil
	}
	// Nothing inserted: the ID or the conversation's active survey is taken.
	exists, err := st.exists(ctx, s.TenantID, s.ID)
	switch {
	case err != nil:
		return fmt.Errorf("surveyflow/postgres: create %s: %w", s.ID, err)
	case exists:
		return survey.ErrDuplicate
	}
	return survey.ErrActiveExists
}

// exists reports whether the tenant has a session with id.
func (st *Store) exists(ctx context.Context, tenantID, id string) (bool, error) {
	var exists bool
	err := st.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM surveyflow_sessions WHERE tenant_id = $1 AND id = $2)",
		tenantID, id).Scan(&exists)
	return exists, err
}

// Load implements survey.Store.
func (st *Store) Load(ctx context.Context, tenantID, id string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+" FROM surveyflow_sessions WHERE tenant_id = $1 AND id = $2", tenantID, id)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: load %s: %w", id, err)
	}
	return s, nil
}

// Update implements survey.Store in one round trip: a conditional UPDATE
// … WHERE version = $n. Only when it writes nothing does a second
// statement tell ErrStaleVersion from ErrNotFound.
func (st *Store) Update(ctx context.Context, s *survey.Session) error {
	return st.update(ctx, s, false, "")
}

// UpdateRouted implements survey.RoutedUpdater in one round trip: Update's
// statement, whose WHERE also asks that no session of the contact on the
// channel be newer or hold messageID.
func (st *Store) UpdateRouted(ctx context.Context, s *survey.Session, messageID string) error {
	return st.update(ctx, s, true, messageID)
}

// routedGuard is the condition UpdateRouted adds to Update's; $21 is the
// message ID.
const routedGuard = ` AND NOT EXISTS (SELECT 1 FROM surveyflow_sessions o
			WHERE o.tenant_id = t.tenant_id AND o.contact_id = t.contact_id AND o.channel = t.channel
			AND o.id <> t.id AND (o.seq > t.seq OR o.message_ids @> ARRAY[$21::text]))`

// update is Update, and UpdateRouted for messageID when routed.
func (st *Store) update(ctx context.Context, s *survey.Session, routed bool, messageID string) error {
	if err := sqlstore.Check(s); err != nil {
		return err
	}
	r, err := toRow(s, s.Version+1)
	if err != nil {
		return err
	}
	// Only what a change can touch is written: what identifies the
	// session and whom it counts for (survey, conversation, channel,
	// agents and their groups, assignee, last agent, creation time) is
	// fixed at Create (survey.Store).
	args := []any{s.TenantID, s.ID, s.Version,
		s.ContactID, string(s.State), s.State.Final(),
		r.rating, r.comment, r.ratedAt, r.deadline, r.doc,
		r.read.SentAt, r.read.RateNanos, r.read.RateBucket, r.read.ListedAt, r.read.ReviewScore,
		r.messages, r.read.Reason, r.effectsAt, s.HasFreeText()}
	guard := ""
	if routed {
		guard = routedGuard
		args = append(args, messageID)
	}
	tag, err := st.db.Exec(ctx, `UPDATE surveyflow_sessions t SET
			contact_id = $4, state = $5, final = $6, version = version + 1, rating = $7, comment = $8,
			rated_at = $9, deadline = $10, lease_until = NULL, doc = $11,
			sent_at = $12, rate_ns = $13, rate_bucket = $14, listed_at = $15, review_score = $16,
			message_ids = $17, reason = $18,
			effects_at = $19, effects_lease = CASE WHEN $19::timestamptz IS NULL THEN NULL ELSE t.effects_lease END,
			free_text = $20
		WHERE t.tenant_id = $1 AND t.id = $2 AND t.version = $3`+guard, args...)
	if err != nil {
		return fmt.Errorf("surveyflow/postgres: update %s: %w", s.ID, err)
	}
	if tag.RowsAffected() == 1 {
		s.Version++
		return nil
	}
	// Nothing written: a second statement, on this rare path only, tells a
	// stale (or no longer routed) session from a missing one.
	return st.refused(ctx, s.TenantID, s.ID, "update")
}

// refused tells why a conditional write of a session wrote nothing: its
// version was stale (ErrStaleVersion) or it does not exist (ErrNotFound).
func (st *Store) refused(ctx context.Context, tenantID, id, op string) error {
	exists, err := st.exists(ctx, tenantID, id)
	switch {
	case err != nil:
		return fmt.Errorf("surveyflow/postgres: %s %s: %w", op, id, err)
	case exists:
		return survey.ErrStaleVersion
	}
	return survey.ErrNotFound
}

// WithText implements survey.PrivacyStore from the free-text index.
func (st *Store) WithText(ctx context.Context, tenantID string, before time.Time, after survey.Position, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = $1 AND free_text AND final AND created_at < $2 AND (created_at, id) > ($3, $4)
		ORDER BY created_at, id LIMIT $5`, tenantID, before, after.CreatedAt, after.ID, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: sessions with text: %w", err)
	}
	return out, nil
}

// Delete implements survey.PrivacyStore with one conditional DELETE. The
// row's old version stays in the table's files until PostgreSQL vacuums
// them, as after any UPDATE or DELETE.
func (st *Store) Delete(ctx context.Context, tenantID, id string, version int64) error {
	tag, err := st.db.Exec(ctx, "DELETE FROM surveyflow_sessions WHERE tenant_id = $1 AND id = $2 AND version = $3", tenantID, id, version)
	if err != nil {
		return fmt.Errorf("surveyflow/postgres: delete %s: %w", id, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return st.refused(ctx, tenantID, id, "delete")
}

// Awaiting implements survey.Store.
func (st *Store) Awaiting(ctx context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = $1 AND contact_id = $2 AND channel = $3 AND NOT final
		ORDER BY seq DESC LIMIT 1`, tenantID, contactID, channel)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: awaiting %s: %w", contactID, err)
	}
	return s, nil
}

// Route implements survey.Store in one query: the session that applied
// messageID, else the newest.
func (st *Store) Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = $1 AND contact_id = $2 AND channel = $3
		ORDER BY message_ids @> ARRAY[$4::text] DESC, seq DESC LIMIT 1`,
		tenantID, contactID, channel, messageID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: route %s: %w", messageID, err)
	}
	return s, nil
}

// ConversationSessions implements survey.Store.
func (st *Store) ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY seq DESC`, tenantID, conversationID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: conversation %s: %w", conversationID, err)
	}
	return out, nil
}

// ClaimDue implements survey.Store: one UPDATE whose subquery locks the
// due, unclaimed rows with FOR UPDATE SKIP LOCKED and stamps a lease on
// them, so concurrent sweepers take disjoint sessions.
func (st *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, `UPDATE surveyflow_sessions s SET lease_until = $2
		FROM (SELECT tenant_id, id FROM surveyflow_sessions
		      WHERE NOT final AND deadline < $1 AND (lease_until IS NULL OR lease_until <= $1)
		      ORDER BY deadline, id LIMIT $3
		      FOR UPDATE SKIP LOCKED) due
		WHERE s.tenant_id = due.tenant_id AND s.id = due.id
		RETURNING s.version, s.doc`, now, now.Add(lease), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: claim due: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ClaimEffects implements survey.Store: one UPDATE whose subquery locks
// the sessions with unclaimed pending effects with FOR UPDATE SKIP LOCKED
// and stamps a lease on them, so concurrent deliverers take disjoint
// sessions.
func (st *Store) ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, `UPDATE surveyflow_sessions s SET effects_lease = $3
		FROM (SELECT tenant_id, id FROM surveyflow_sessions
		      WHERE effects_at IS NOT NULL AND effects_at <= $2 AND (effects_lease IS NULL OR effects_lease <= $1)
		      ORDER BY effects_at, id LIMIT $4
		      FOR UPDATE SKIP LOCKED) ready
		WHERE s.tenant_id = ready.tenant_id AND s.id = ready.id
		RETURNING s.version, s.doc`, now, decidedBy, now.Add(lease), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: claim effects: %w", err)
	}
	sqlstore.SortByEffects(out)
	return out, nil
}

// ContactHistory implements survey.Store.
func (st *Store) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = $1 AND contact_id = $2 AND created_at >= $3
		ORDER BY created_at DESC, id DESC`, tenantID, contactID, since)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/postgres: contact history %s: %w", contactID, err)
	}
	return out, nil
}

func (st *Store) one(ctx context.Context, query string, args ...any) (*survey.Session, error) {
	var version int64
	var doc []byte
	err := st.db.QueryRow(ctx, query, args...).Scan(&version, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, survey.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return sqlstore.Decode(version, doc)
}

func (st *Store) many(ctx context.Context, query string, args ...any) ([]*survey.Session, error) {
	rows, err := st.db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlstore.ScanSessions(rows)
}

// row holds a session's derived column values.
type row struct {
	rating, comment   any
	agents, groups    []string
	messages          []string
	ratedAt, deadline any
	doc               json.RawMessage
	read              sqlstore.ReadColumns
	effectsAt         any
}

func toRow(s *survey.Session, version int64) (row, error) {
	doc, err := sqlstore.Encode(s, version)
	if err != nil {
		return row{}, fmt.Errorf("surveyflow/postgres: %w", err)
	}
	r := row{doc: doc}
	if !s.Deadline.IsZero() {
		r.deadline = s.Deadline
	}
	if s.Rated {
		r.rating, r.ratedAt = s.Rating, s.RatedAt
	}
	if !s.CommentedAt.IsZero() || s.Comment != "" {
		// PostgreSQL text cannot hold NUL; doc keeps the exact comment.
		r.comment = strings.ReplaceAll(s.Comment, "\x00", "\uFFFD")
	}
	r.read = sqlstore.Read(s)
	r.agents, r.groups = r.read.Agents, r.read.Groups
	r.messages = sqlstore.MessageIDs(s)
	if at, ok := sqlstore.EffectsAt(s); ok {
		r.effectsAt = at
	}
	return r, nil
}

// sqlLimit turns "no limit" (≤ 0) into LIMIT NULL.
func sqlLimit(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}
