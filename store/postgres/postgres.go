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
	"strings"

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
//
// Its methods Create, Load, Update, UpdateRouted, Awaiting, Route,
// ConversationSessions, ClaimDue, ClaimEffects, ContactHistory, WithText
// and Delete implement survey.Store, survey.RoutedUpdater and
// survey.PrivacyStore, each in one statement; they are written once for
// both SQL stores, in this dialect. ClaimDue and ClaimEffects lock the rows
// they take with FOR UPDATE SKIP LOCKED, so concurrent sweepers and
// deliverers take disjoint sessions, and a sequence numbers sessions in
// the store's order of creation.
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

// ErrNoDB is returned by New for a nil DB, including a nil pool,
// connection or transaction.
var ErrNoDB = errors.New("surveyflow/postgres: New needs a database, got nil")

// New returns a store on db. It neither configures nor closes db; call
// Migrate before first use. A nil db (or a typed nil such as a nil
// *pgxpool.Pool) is refused with ErrNoDB here rather than failing at first
// use.
func New(db DB) (*Store, error) {
	if sqlstore.IsNil(db) {
		return nil, ErrNoDB
	}
	return &Store{Store: sqlstore.NewStore(dialect, writes, conn{db}), db: db}, nil
}

// writes is how PostgreSQL spells the write side.
var writes = &sqlstore.WriteDialect{
	Bool: func(b bool) any { return b },
	True: "true", False: "false",
	Doc: func(doc []byte) any { return json.RawMessage(doc) },
	// text cannot hold NUL; the document keeps the exact comment.
	Text:      func(s string) any { return strings.ReplaceAll(s, "\x00", "\uFFFD") },
	Holds:     func(col, p string) string { return col + " @> ARRAY[" + p + "::text]" },
	Lock:      " FOR UPDATE SKIP LOCKED",
	TimeParam: func(p string) string { return p + "::timestamptz" },
	Limit: func(limit int) any {
		if limit <= 0 {
			return nil // LIMIT NULL: no limit
		}
		return limit
	},
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
