package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// TestEngineInAHostTransactionCommitsOrRollsBackWithTheHostsRows closes a
// conversation with the engine on a store made for the host's *sql.Tx, in
// which the host also writes a row of its own: rolled back, neither the
// session nor the row exists; committed, both do, and the contact's reply
// in a later transaction finds the session.
func TestEngineInAHostTransactionCommitsOrRollsBackWithTheHostsRows(t *testing.T) {
	ctx := context.Background()
	db := openFile(t)
	require.NoError(t, must(sqlite.New(db)).Migrate(ctx))
	_, err := db.ExecContext(ctx, "CREATE TABLE host_closed (conversation TEXT NOT NULL)")
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	engine, err := survey.New(survey.Config{Store: must(sqlite.New(db)), Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)

	hostRows := func(conv string) int {
		var n int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM host_closed WHERE conversation = ?", conv).Scan(&n))
		return n
	}
	for _, commit := range []bool{false, true} {
		conv := surveytest.NewConversation("conv-rollback", "maria", clock.Now()).Tenant("acme").
			Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
		if commit {
			conv.ID = "conv-commit"
		}
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		res, err := engine.WithStore(must(sqlite.New(tx))).ConversationClosed(ctx, conv)
		require.NoError(t, err)
		require.NotNil(t, res.Session)
		require.Len(t, res.Outbound, 1)
		_, err = tx.ExecContext(ctx, "INSERT INTO host_closed (conversation) VALUES (?)", conv.ID)
		require.NoError(t, err)
		if !commit {
			require.NoError(t, tx.Rollback())
			_, err = must(sqlite.New(db)).Load(ctx, "acme", res.Session.ID)
			assert.ErrorIs(t, err, survey.ErrNotFound, "rolled back with the host's row")
			assert.Equal(t, 0, hostRows(conv.ID))
			continue
		}
		require.NoError(t, tx.Commit())
		stored, err := must(sqlite.New(db)).Load(ctx, "acme", res.Session.ID)
		require.NoError(t, err)
		assert.Equal(t, survey.StateAwaitingRating, stored.State)
		assert.Equal(t, 1, hostRows(conv.ID))

		clock.Advance(time.Minute)
		tx, err = db.BeginTx(ctx, nil)
		require.NoError(t, err)
		reply, err := engine.WithStore(must(sqlite.New(tx))).HandleMessage(ctx, &survey.Inbound{
			TenantID: "acme", ContactID: "maria", Channel: conv.Channel, MessageID: "m1", Text: "5"})
		require.NoError(t, err)
		require.True(t, reply.Consumed)
		require.NoError(t, tx.Commit())
		stored, err = must(sqlite.New(db)).Load(ctx, "acme", res.Session.ID)
		require.NoError(t, err)
		assert.True(t, stored.Rated)
		assert.Equal(t, 5, stored.Rating)
	}
}

// TestMigrateInsideAHostTransactionOrOnAConnection applies the migrations
// through a *sql.Tx (nothing is left after a rollback; everything after a
// commit) and through a *sql.Conn (WAL mode and the migrations, as on a
// *sql.DB).
func TestMigrateInsideAHostTransactionOrOnAConnection(t *testing.T) {
	ctx := context.Background()
	tables := func(q sqlite.DB) int {
		var n int
		require.NoError(t, q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('surveyflow_sessions', 'surveyflow_migrations')").Scan(&n))
		return n
	}

	db := openFile(t)
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	require.NoError(t, must(sqlite.New(tx)).Migrate(ctx))
	assert.Equal(t, 2, tables(tx), "visible inside the transaction")
	require.NoError(t, tx.Rollback())
	assert.Equal(t, 0, tables(db), "gone with the rollback")

	tx, err = db.BeginTx(ctx, nil)
	require.NoError(t, err)
	require.NoError(t, must(sqlite.New(tx)).Migrate(ctx))
	require.NoError(t, must(sqlite.New(tx)).Migrate(ctx), "a second run in the same transaction finds nothing to do")
	require.NoError(t, tx.Commit())
	assert.Equal(t, 2, tables(db))
	require.NoError(t, must(sqlite.New(db)).Create(ctx, &survey.Session{TenantID: "t", ID: "s1", ConversationID: "c", ContactID: "k", Channel: "whatsapp", State: survey.StateAwaitingRating}))

	// A file opened without the WAL pragma: Migrate on a connection turns
	// WAL on, as it does on a *sql.DB.
	other, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "plain.db"))
	require.NoError(t, err)
	defer other.Close()
	conn, err := other.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	var mode string
	require.NoError(t, conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "delete", mode)
	require.NoError(t, must(sqlite.New(conn)).Migrate(ctx))
	require.NoError(t, conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	assert.Equal(t, 2, tables(conn))
}

// wrappedDB is a host's own *sql.DB wrapper (as sqlx.DB is).
type wrappedDB struct{ *sql.DB }

// TestMigrateFromSeveralProcessesThroughAWrappedDB starts several
// "processes" (each its own *sql.DB, wrapped) on one file at once: the
// wrapper's Conn method gives Migrate a connection to lock, so each
// migration is applied once and none fails.
func TestMigrateFromSeveralProcessesThroughAWrappedDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "surveys.db")
	const instances = 6
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		wg.Go(func() { errs[i] = must(sqlite.New(wrappedDB{db})).Migrate(context.Background()) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	check, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer check.Close()
	var versions int
	require.NoError(t, check.QueryRow("SELECT COUNT(*) FROM surveyflow_migrations").Scan(&versions))
	assert.Equal(t, migrationCount(t), versions)
}

// TestConcurrentHostTransactionsLoseNothing runs requests at once, each in
// its own IMMEDIATE host transaction (the DSN's _txlock, as the package
// documentation advises): every close and every rating commits, none is
// refused as "database is locked", and every session ends rated.
func TestConcurrentHostTransactionsLoseNothing(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", fileDSN(filepath.Join(t.TempDir(), "surveys.db"))+"&_txlock=immediate")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, must(sqlite.New(db)).Migrate(ctx))
	engine, err := survey.New(survey.Config{Store: must(sqlite.New(db)), Clock: surveytest.NewClock(surveytest.Start), Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)

	inTx := func(f func(e *survey.Engine) (*survey.Result, error)) (*survey.Result, error) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		res, err := f(engine.WithStore(must(sqlite.New(tx))))
		if err != nil {
			_ = tx.Rollback()
			return nil, err
		}
		return res, tx.Commit()
	}
	const workers, each = 4, 25
	errs := make(chan error, workers*each*2)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				contact := fmt.Sprintf("contact-%d-%d", w, i)
				conv := surveytest.NewConversation("conv-"+contact, contact, surveytest.Start).Tenant("acme").
					Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
				if _, err := inTx(func(e *survey.Engine) (*survey.Result, error) { return e.ConversationClosed(ctx, conv) }); err != nil {
					errs <- fmt.Errorf("close %s: %w", contact, err)
					continue
				}
				in := &survey.Inbound{TenantID: "acme", ContactID: contact, Channel: conv.Channel, MessageID: "m-" + contact, Text: "4"}
				res, err := inTx(func(e *survey.Engine) (*survey.Result, error) { return e.HandleMessage(ctx, in) })
				if err == nil && !res.Consumed {
					err = fmt.Errorf("reply not consumed")
				}
				if err != nil {
					errs <- fmt.Errorf("rate %s: %w", contact, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var rated int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM surveyflow_sessions WHERE rating = 4").Scan(&rated))
	assert.Equal(t, workers*each, rated)
}

var (
	_ sqlite.DB = (*sql.DB)(nil)
	_ sqlite.DB = (*sql.Conn)(nil)
	_ sqlite.DB = (*sql.Tx)(nil)
)
