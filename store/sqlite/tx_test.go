package sqlite_test

import (
	"context"
	"database/sql"
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
	require.NoError(t, sqlite.New(db).Migrate(ctx))
	_, err := db.ExecContext(ctx, "CREATE TABLE host_closed (conversation TEXT NOT NULL)")
	require.NoError(t, err)
	clock := surveytest.NewClock(surveytest.Start)
	engine, err := survey.New(survey.Config{Store: sqlite.New(db), Clock: clock, Surveys: []survey.Survey{{ID: "csat"}}})
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
		res, err := engine.WithStore(sqlite.New(tx)).ConversationClosed(ctx, conv)
		require.NoError(t, err)
		require.NotNil(t, res.Session)
		require.Len(t, res.Outbound, 1)
		_, err = tx.ExecContext(ctx, "INSERT INTO host_closed (conversation) VALUES (?)", conv.ID)
		require.NoError(t, err)
		if !commit {
			require.NoError(t, tx.Rollback())
			_, err = sqlite.New(db).Load(ctx, "acme", res.Session.ID)
			assert.ErrorIs(t, err, survey.ErrNotFound, "rolled back with the host's row")
			assert.Equal(t, 0, hostRows(conv.ID))
			continue
		}
		require.NoError(t, tx.Commit())
		stored, err := sqlite.New(db).Load(ctx, "acme", res.Session.ID)
		require.NoError(t, err)
		assert.Equal(t, survey.StateAwaitingRating, stored.State)
		assert.Equal(t, 1, hostRows(conv.ID))

		clock.Advance(time.Minute)
		tx, err = db.BeginTx(ctx, nil)
		require.NoError(t, err)
		reply, err := engine.WithStore(sqlite.New(tx)).HandleMessage(ctx, &survey.Inbound{
			TenantID: "acme", ContactID: "maria", Channel: conv.Channel, MessageID: "m1", Text: "5"})
		require.NoError(t, err)
		require.True(t, reply.Consumed)
		require.NoError(t, tx.Commit())
		stored, err = sqlite.New(db).Load(ctx, "acme", res.Session.ID)
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
	require.NoError(t, sqlite.New(tx).Migrate(ctx))
	assert.Equal(t, 2, tables(tx), "visible inside the transaction")
	require.NoError(t, tx.Rollback())
	assert.Equal(t, 0, tables(db), "gone with the rollback")

	tx, err = db.BeginTx(ctx, nil)
	require.NoError(t, err)
	require.NoError(t, sqlite.New(tx).Migrate(ctx))
	require.NoError(t, sqlite.New(tx).Migrate(ctx), "a second run in the same transaction finds nothing to do")
	require.NoError(t, tx.Commit())
	assert.Equal(t, 2, tables(db))
	require.NoError(t, sqlite.New(db).Create(ctx, &survey.Session{TenantID: "t", ID: "s1", ConversationID: "c", ContactID: "k", Channel: "whatsapp", State: survey.StateAwaitingRating}))

	other := openFile(t)
	conn, err := other.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, sqlite.New(conn).Migrate(ctx))
	var mode string
	require.NoError(t, conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	assert.Equal(t, 2, tables(conn))
}

var (
	_ sqlite.DB = (*sql.DB)(nil)
	_ sqlite.DB = (*sql.Conn)(nil)
	_ sqlite.DB = (*sql.Tx)(nil)
)
