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
	"errors"
	"fmt"
	"io/fs"
	"math"
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
//
// Its methods Create, Load, Update, UpdateRouted, Awaiting, Route,
// ConversationSessions, ClaimDue, ClaimEffects, ContactHistory, WithText
// and Delete implement survey.Store, survey.RoutedUpdater and
// survey.PrivacyStore, each in one statement; they are written once for
// both SQL stores, in this dialect. ClaimDue and ClaimEffects are one
// UPDATE … RETURNING each, which SQLite runs atomically, and a session's
// place in the store's order of creation is MAX(seq) + 1 in its INSERT:
// SQLite runs one write at a time.
type Store struct {
	*sqlstore.Store
	db DB
}

// A Store is a survey.Store, survey.RoutedUpdater, survey.PrivacyStore
// and report.Source.
var (
	_ survey.Store        = (*Store)(nil)
	_ survey.PrivacyStore = (*Store)(nil)
)

// ErrNoDB is returned by New for a nil DB, including a nil *sql.DB,
// *sql.Conn or *sql.Tx.
var ErrNoDB = errors.New("surveyflow/sqlite: New needs a database, got nil")

// New returns a store on db. It neither configures, commits nor closes db;
// call Migrate before first use. A nil db (or a typed nil such as a nil
// *sql.DB) is refused with ErrNoDB here rather than failing at first use.
func New(db DB) (*Store, error) {
	if sqlstore.IsNil(db) {
		return nil, ErrNoDB
	}
	return &Store{Store: sqlstore.NewStore(dialect, writes, conn{db}), db: db}, nil
}

// writes is how SQLite spells the write side.
var writes = &sqlstore.WriteDialect{
	Bool: func(b bool) any {
		if b {
			return 1
		}
		return 0
	},
	True: "1", False: "0",
	Doc:  func(doc []byte) any { return string(doc) }, // TEXT, which SQLite's JSON functions read
	Text: func(s string) any { return s },
	Holds: func(col, p string) string {
		return "EXISTS (SELECT 1 FROM json_each(" + col + ") WHERE value = " + p + ")"
	},
	NextSeq:   "(SELECT COALESCE(MAX(seq), 0) + 1 FROM surveyflow_sessions)",
	TimeParam: func(p string) string { return p },
	Limit: func(limit int) any {
		if limit <= 0 {
			return -1 // no limit
		}
		return limit
	},
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
