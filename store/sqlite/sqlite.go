// Package sqlite is a survey.Store on SQLite, for hosts that keep their
// data in a SQLite file (or in memory, in tests).
//
// It takes the host's *sql.DB (or a *sql.Conn, or a *sql.Tx to write survey
// state in the host's own transaction; see Engine.WithStore in package
// survey) and works with any database/sql SQLite driver; it is tested with
// the pure-Go modernc.org/sqlite. Call Migrate
// once at start-up (it is safe when several processes start at once), or
// apply the embedded Migrations with your own tool. The schema is
// documented in the migration files and in this module's README.
//
// Open a file database in WAL mode with a busy timeout, so that several
// connections (and processes) can read while one writes:
//
//	db, err := sql.Open("sqlite", "file:surveys.db?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
//
// and, if the engine writes in your own transactions (Engine.WithStore),
// add "&_txlock=immediate" so that they take the write lock when they
// begin (see DB).
//
// An in-memory database exists once per connection, so give it one:
// db.SetMaxOpenConns(1).
//
// If the file holds personal data that must be erasable (see
// Engine.EraseContact and Engine.Retain in package survey), add
// "&_pragma=secure_delete(ON)": SQLite then overwrites what it deletes or
// rewrites, instead of leaving the old bytes in the file's free space
// until they happen to be reused. It is a setting of each connection,
// hence the DSN.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

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

// DB is what the store needs from database/sql. *sql.DB, *sql.Conn and
// *sql.Tx all satisfy it: pass a *sql.Tx to write survey state in the
// host's own transaction. Apart from Migrate on a *sql.DB or *sql.Conn,
// the store never begins, commits or rolls back a transaction of its own,
// and it reads every result to the end before its next statement, so one
// connection is enough.
//
// Begin a host transaction that the engine writes in as IMMEDIATE
// (modernc.org/sqlite: "_txlock=immediate" in the DSN; or BEGIN IMMEDIATE
// on a *sql.Conn). The engine reads a session before it writes it; in a
// DEFERRED transaction, SQLite refuses the write with SQLITE_BUSY_SNAPSHOT
// ("database is locked") whenever another connection wrote in between,
// which under concurrent requests is often.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is a survey.Store on a SQLite database. It is safe for concurrent
// use when its DB is (a *sql.DB is; a *sql.Tx is not); create it with New.
type Store struct {
	db DB
}

var (
	_ survey.Store         = (*Store)(nil)
	_ survey.RoutedUpdater = (*Store)(nil)
	_ survey.PrivacyStore  = (*Store)(nil)
)

// ErrNoDB is returned by New for a nil DB, including a nil *sql.DB,
// *sql.Conn or *sql.Tx.
var ErrNoDB = errors.New("surveyflow/sqlite: New needs a database, got nil")

// New returns a store on db. It neither configures, commits nor closes db;
// call Migrate before first use. A nil db (or a typed nil such as a nil
// *sql.DB) is refused with ErrNoDB here rather than failing at first use.
func New(db DB) (*Store, error) {
	if db == nil || reflect.ValueOf(db).Kind() == reflect.Pointer && reflect.ValueOf(db).IsNil() {
		return nil, ErrNoDB
	}
	return &Store{db: db}, nil
}

// Migrate switches a file database to WAL mode and applies the migrations
// that are missing, all in one IMMEDIATE transaction: when several
// processes migrate at once, one applies them and the others wait for it
// and then find nothing to do. On a *sql.Conn it does the same on that
// connection, and on any DB with a Conn method (a *sql.DB wrapper) on a
// connection from it. On a *sql.Tx (or another DB) it applies the missing
// migrations in that transaction, which the host commits; WAL mode and
// the busy timeout, which SQLite cannot change inside a transaction, are
// then the host's to set.
func (st *Store) Migrate(ctx context.Context) error {
	var conn *sql.Conn
	switch db := st.db.(type) {
	case *sql.Conn:
		conn = db
	case interface {
		Conn(context.Context) (*sql.Conn, error)
	}: // *sql.DB and types that embed it
		var c *sql.Conn
		// Opening a connection runs the DSN's pragmas, which SQLite may
		// refuse the same way while another process opens the file.
		if err := whileLocked(ctx, func() (err error) { c, err = db.Conn(ctx); return err }); err != nil {
			return fmt.Errorf("surveyflow/sqlite: migrate: %w", err)
		}
		defer c.Close()
		conn = c
	default:
		if err := migrate(ctx, db); err != nil {
			return fmt.Errorf("surveyflow/sqlite: migrate: %w", err)
		}
		return nil
	}
	// The busy timeout first: switching to WAL needs the file to itself
	// for a moment, and another process that is migrating at the same
	// time must be waited for, not answered with "database is locked".
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout=10000"); err != nil {
		return fmt.Errorf("surveyflow/sqlite: migrate: %w", err)
	}
	// WAL is a property of the file; an in-memory database answers "memory".
	var mode string
	if err := whileLocked(ctx, func() error {
		return conn.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
	}); err != nil {
		return fmt.Errorf("surveyflow/sqlite: migrate: WAL mode: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("surveyflow/sqlite: migrate: lock: %w", err)
	}
	// End the transaction whatever happens to ctx: a connection left
	// inside BEGIN IMMEDIATE would hold the database's write lock.
	end := context.WithoutCancel(ctx)
	if err := migrate(ctx, conn); err != nil {
		_, _ = conn.ExecContext(end, "ROLLBACK")
		return fmt.Errorf("surveyflow/sqlite: migrate: %w", err)
	}
	if _, err := conn.ExecContext(end, "COMMIT"); err != nil {
		_, _ = conn.ExecContext(end, "ROLLBACK")
		return fmt.Errorf("surveyflow/sqlite: migrate: commit: %w", err)
	}
	return nil
}

// whileLocked runs call again while SQLite answers "database is locked"
// at once, without waiting out the busy timeout — which it does while
// another connection opens the same file, or switches its journal mode,
// as when several processes start together — for up to ten seconds.
func whileLocked(ctx context.Context, call func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := call()
		if err == nil || !strings.Contains(err.Error(), "database is locked") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// migrate applies the missing migrations through db, in the transaction
// the caller holds.
func migrate(ctx context.Context, db DB) error {
	return sqlstore.Migrate(ctx, conn{db}, Migrations, bookkeeping)
}

// bookkeeping is the table Migrate records versions in; applied_at is
// the UTC time as RFC 3339 text.
var bookkeeping = sqlstore.Bookkeeping{
	Table: `CREATE TABLE IF NOT EXISTS surveyflow_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL)`,
	Record: "INSERT INTO surveyflow_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
}

const columns = "version, doc"

// Create implements survey.Store.
func (st *Store) Create(ctx context.Context, s *survey.Session) error {
	if err := sqlstore.Check(s); err != nil {
		return err
	}
	r, err := toRow(s, 1)
	if err != nil {
		return err
	}
	// seq: SQLite runs one write at a time, so MAX(seq) + 1 in the same
	// statement numbers sessions in the order they are created.
	res, err := st.db.ExecContext(ctx, `INSERT INTO surveyflow_sessions
		(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
		 rating, comment, agent_ids, group_ids, message_ids, created_at, rated_at, deadline, doc,
		 sent_at, rate_ns, rate_bucket, assignee, last_agent, listed_at, review_score, reason, effects_at, free_text, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		        (SELECT COALESCE(MAX(seq), 0) + 1 FROM surveyflow_sessions))
		ON CONFLICT DO NOTHING`,
		s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, s.Channel, string(s.State), r.final,
		r.rating, r.comment, r.agents, r.groups, r.messages, nanos(s.CreatedAt), r.ratedAt, r.deadline, r.doc,
		r.sentAt, r.read.RateNanos, r.read.RateBucket, r.read.Assignee, r.read.LastAgent, r.listedAt, r.read.ReviewScore, r.read.Reason,
		r.effectsAt, r.freeText)
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: create %s: %w", s.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("surveyflow/sqlite: create %s: %w", s.ID, err)
	} else if n == 1 {
		s.Version = 1
		return nil
	}
	// Nothing inserted: either the ID or the conversation's active survey
	// is taken.
	exists, err := st.exists(ctx, s.TenantID, s.ID)
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: create %s: %w", s.ID, err)
	}
	if exists {
		return survey.ErrDuplicate
	}
	return survey.ErrActiveExists
}

func (st *Store) exists(ctx context.Context, tenantID, id string) (bool, error) {
	var one int
	err := st.db.QueryRowContext(ctx, "SELECT 1 FROM surveyflow_sessions WHERE tenant_id = ? AND id = ?", tenantID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Load implements survey.Store.
func (st *Store) Load(ctx context.Context, tenantID, id string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+" FROM surveyflow_sessions WHERE tenant_id = ? AND id = ?", tenantID, id)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: load %s: %w", id, err)
	}
	return s, nil
}

// Update implements survey.Store with one conditional UPDATE.
func (st *Store) Update(ctx context.Context, s *survey.Session) error {
	return st.update(ctx, s, false, "")
}

// UpdateRouted implements survey.RoutedUpdater with one conditional
// UPDATE: Update's, whose WHERE also asks that no session of the contact on
// the channel be newer or hold messageID.
func (st *Store) UpdateRouted(ctx context.Context, s *survey.Session, messageID string) error {
	return st.update(ctx, s, true, messageID)
}

// routedGuard is the condition UpdateRouted adds to Update's; its one
// parameter is the message ID.
const routedGuard = ` AND NOT EXISTS (SELECT 1 FROM surveyflow_sessions o
		WHERE o.tenant_id = surveyflow_sessions.tenant_id AND o.contact_id = surveyflow_sessions.contact_id
		AND o.channel = surveyflow_sessions.channel AND o.id <> surveyflow_sessions.id
		AND (o.seq > surveyflow_sessions.seq OR EXISTS (SELECT 1 FROM json_each(o.message_ids) WHERE value = ?)))`

// update is Update, and UpdateRouted for messageID when routed.
func (st *Store) update(ctx context.Context, s *survey.Session, routed bool, messageID string) error {
	if err := sqlstore.Check(s); err != nil {
		return err
	}
	r, err := toRow(s, s.Version+1)
	if err != nil {
		return err
	}
	args := []any{s.SurveyID, s.ConversationID, s.ContactID, s.Channel, string(s.State), r.final,
		r.rating, r.comment, r.agents, r.groups, r.messages, nanos(s.CreatedAt),
		r.ratedAt, r.deadline, r.doc,
		r.sentAt, r.read.RateNanos, r.read.RateBucket, r.read.Assignee, r.read.LastAgent, r.listedAt, r.read.ReviewScore, r.read.Reason,
		r.effectsAt, r.effectsAt, r.freeText,
		s.TenantID, s.ID, s.Version}
	guard := ""
	if routed {
		guard = routedGuard
		args = append(args, messageID)
	}
	res, err := st.db.ExecContext(ctx, `UPDATE surveyflow_sessions SET
		survey_id = ?, conversation_id = ?, contact_id = ?, channel = ?, state = ?, final = ?,
		version = version + 1, rating = ?, comment = ?, agent_ids = ?, group_ids = ?, message_ids = ?,
		created_at = ?, rated_at = ?, deadline = ?, lease_until = NULL, doc = ?,
		sent_at = ?, rate_ns = ?, rate_bucket = ?, assignee = ?, last_agent = ?, listed_at = ?, review_score = ?, reason = ?,
		effects_at = ?, effects_lease = CASE WHEN ? IS NULL THEN NULL ELSE effects_lease END, free_text = ?
		WHERE tenant_id = ? AND id = ? AND version = ?`+guard, args...)
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: update %s: %w", s.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: update %s: %w", s.ID, err)
	}
	if n == 1 {
		s.Version++
		return nil
	}
	return st.refused(ctx, s.TenantID, s.ID, "update")
}

// refused tells why a conditional write of a session wrote nothing: its
// version was stale (ErrStaleVersion) or it does not exist (ErrNotFound).
func (st *Store) refused(ctx context.Context, tenantID, id, op string) error {
	exists, err := st.exists(ctx, tenantID, id)
	switch {
	case err != nil:
		return fmt.Errorf("surveyflow/sqlite: %s %s: %w", op, id, err)
	case exists:
		return survey.ErrStaleVersion
	}
	return survey.ErrNotFound
}

// WithText implements survey.PrivacyStore from the free-text index.
func (st *Store) WithText(ctx context.Context, tenantID string, before time.Time, after survey.Position, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = ? AND free_text = 1 AND final = 1 AND created_at < ? AND (created_at, id) > (?, ?)
		ORDER BY created_at, id LIMIT ?`, tenantID, nanos(before), nanos(after.CreatedAt), after.ID, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: sessions with text: %w", err)
	}
	return out, nil
}

// Delete implements survey.PrivacyStore with one conditional DELETE.
// Open the database with secure_delete on (see the package documentation)
// so that SQLite overwrites what it deletes.
func (st *Store) Delete(ctx context.Context, tenantID, id string, version int64) error {
	res, err := st.db.ExecContext(ctx, "DELETE FROM surveyflow_sessions WHERE tenant_id = ? AND id = ? AND version = ?", tenantID, id, version)
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: delete %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("surveyflow/sqlite: delete %s: %w", id, err)
	}
	if n == 1 {
		return nil
	}
	return st.refused(ctx, tenantID, id, "delete")
}

// Awaiting implements survey.Store.
func (st *Store) Awaiting(ctx context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = ? AND contact_id = ? AND channel = ? AND final = 0
		ORDER BY seq DESC LIMIT 1`, tenantID, contactID, channel)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: awaiting %s: %w", contactID, err)
	}
	return s, nil
}

// Route implements survey.Store in one query: the session that applied
// messageID, else the newest.
func (st *Store) Route(ctx context.Context, tenantID, contactID, channel, messageID string) (*survey.Session, error) {
	s, err := st.one(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = ? AND contact_id = ? AND channel = ?
		ORDER BY EXISTS (SELECT 1 FROM json_each(message_ids) WHERE value = ?) DESC, seq DESC LIMIT 1`,
		tenantID, contactID, channel, messageID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: route %s: %w", messageID, err)
	}
	return s, nil
}

// ConversationSessions implements survey.Store.
func (st *Store) ConversationSessions(ctx context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq DESC`, tenantID, conversationID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: conversation %s: %w", conversationID, err)
	}
	return out, nil
}

// ClaimDue implements survey.Store in one UPDATE … RETURNING statement,
// which SQLite runs atomically.
func (st *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, `UPDATE surveyflow_sessions SET lease_until = ?
		WHERE (tenant_id, id) IN (
			SELECT tenant_id, id FROM surveyflow_sessions
			WHERE final = 0 AND deadline < ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY deadline, id LIMIT ?)
		RETURNING `+columns, nanos(now.Add(lease)), nanos(now), nanos(now), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: claim due: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ClaimEffects implements survey.Store in one UPDATE … RETURNING
// statement, which SQLite runs atomically.
func (st *Store) ClaimEffects(ctx context.Context, now, decidedBy time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	out, err := st.many(ctx, `UPDATE surveyflow_sessions SET effects_lease = ?
		WHERE (tenant_id, id) IN (
			SELECT tenant_id, id FROM surveyflow_sessions
			WHERE effects_at IS NOT NULL AND effects_at <= ? AND (effects_lease IS NULL OR effects_lease <= ?)
			ORDER BY effects_at, id LIMIT ?)
		RETURNING `+columns, nanos(now.Add(lease)), nanos(decidedBy), nanos(now), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: claim effects: %w", err)
	}
	sqlstore.SortByEffects(out)
	return out, nil
}

// ContactHistory implements survey.Store.
func (st *Store) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	out, err := st.many(ctx, "SELECT "+columns+` FROM surveyflow_sessions
		WHERE tenant_id = ? AND contact_id = ? AND created_at >= ?
		ORDER BY created_at DESC, id DESC`, tenantID, contactID, nanos(since))
	if err != nil {
		return nil, fmt.Errorf("surveyflow/sqlite: contact history %s: %w", contactID, err)
	}
	return out, nil
}

func (st *Store) one(ctx context.Context, query string, args ...any) (*survey.Session, error) {
	var version int64
	var doc string
	err := st.db.QueryRowContext(ctx, query, args...).Scan(&version, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return sqlstore.Decode(version, []byte(doc))
}

func (st *Store) many(ctx context.Context, query string, args ...any) ([]*survey.Session, error) {
	rows, err := st.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlstore.ScanSessions(rows)
}

// row holds a session's derived column values.
type row struct {
	final, freeText   int
	rating, comment   any
	agents, groups    string
	messages          string
	ratedAt, deadline any
	doc               string
	read              sqlstore.ReadColumns
	sentAt, listedAt  any
	effectsAt         any
}

func toRow(s *survey.Session, version int64) (row, error) {
	doc, err := sqlstore.Encode(s, version)
	if err != nil {
		return row{}, fmt.Errorf("surveyflow/sqlite: %w", err)
	}
	r := row{doc: string(doc), deadline: nullNanos(s.Deadline)}
	if s.State.Final() {
		r.final = 1
	}
	if s.HasFreeText() {
		r.freeText = 1
	}
	if s.Rated {
		r.rating, r.ratedAt = s.Rating, nanos(s.RatedAt)
	}
	if !s.CommentedAt.IsZero() || s.Comment != "" {
		r.comment = s.Comment
	}
	r.read = sqlstore.Read(s)
	a, _ := json.Marshal(r.read.Agents) // []string always encodes
	g, _ := json.Marshal(r.read.Groups)
	r.agents, r.groups = string(a), string(g)
	m, _ := json.Marshal(sqlstore.MessageIDs(s))
	r.messages = string(m)
	r.sentAt, r.listedAt = nullNanosOf(r.read.SentAt), nullNanosOf(r.read.ListedAt)
	if at, ok := sqlstore.EffectsAt(s); ok {
		r.effectsAt = nanos(at)
	}
	return r, nil
}

// Unix nanoseconds cover 1678 to 2262; times outside are clamped, which
// keeps their order.
var minNanos, maxNanos = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

// A rated session keeps rated_at set even when RatedAt is zero (it sorts
// first), so it never vanishes from pages.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func nullNanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return nanos(t)
}

func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1 // SQLite: no limit
	}
	return limit
}
