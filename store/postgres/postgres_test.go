package postgres_test

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// pools holds the pool of each conformance store, by store, for the
// harness's RawStorage.
var pools sync.Map // *postgres.Store → *pgxpool.Pool

// harness is the PostgreSQL store's conformance harness: each store in a
// schema of its own; its raw storage is every table of that schema read
// as text; the load scenario's instances are stores on pools of their own
// in one schema, as separate processes would be.
func harness() storetest.Harness {
	h := storetest.Harness{
		NewStore: func(t *testing.T) survey.Store {
			st, pool := newStore(t)
			pools.Store(st, pool)
			t.Cleanup(func() { pools.Delete(st) })
			return st
		},
		Instances: func(t *testing.T) func() survey.Store {
			schema := newSchema(t)
			require.NoError(t, must(postgres.New(newPool(t, schema, 2))).Migrate(context.Background()))
			return func() survey.Store { return must(postgres.New(newPool(t, schema, 8))) }
		},
		RawStorage: func(t *testing.T, st survey.Store) []byte {
			pool, ok := pools.Load(st)
			require.True(t, ok, "a store the harness made")
			return rawTables(t, pool.(*pgxpool.Pool))
		},
		Long: long(),
		Load: storetest.LoadConfig{Engines: 3, Conversations: 2000, Workers: 24},
	}
	if long() {
		h.Load = storetest.LoadConfig{Engines: 5, Conversations: 20000, Workers: 48}
	}
	return h
}

// TestConformance runs the store contract (storetest.Run) on PostgreSQL;
// the store implements every optional interface, so no subtest skips.
func TestConformance(t *testing.T) {
	serverURL(t)
	storetest.Run(t, harness())
}

func TestMigrateFromSeveralInstancesAtOnce(t *testing.T) {
	schema := newSchema(t)
	const instances = 4
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i := range instances {
		pool := newPool(t, schema, 2) // each instance has its own pool
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = must(postgres.New(pool)).Migrate(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	pool := newPool(t, schema, 1)
	var versions int
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT COUNT(*) FROM surveyflow_migrations").Scan(&versions))
	assert.Equal(t, migrationFiles(t), versions, "each migration applied once")
	require.NoError(t, must(postgres.New(pool)).Migrate(context.Background()), "migrating again finds nothing to do")
}

func TestMigrationsAreExportedForOtherTools(t *testing.T) {
	b, err := fs.ReadFile(postgres.Migrations, "0001_sessions.sql")
	require.NoError(t, err)
	assert.Contains(t, string(b), "CREATE TABLE surveyflow_sessions")
}

func TestHostTransactionCommitsOrRollsBackSurveyState(t *testing.T) {
	st, pool := newStore(t)
	ctx := context.Background()

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	require.NoError(t, must(postgres.New(tx)).Create(ctx, storetest.NewSession("t1", "rolled-back", 0)))
	require.NoError(t, tx.Rollback(ctx))
	_, err = st.Load(ctx, "t1", "rolled-back")
	assert.ErrorIs(t, err, survey.ErrNotFound, "rolled back with the host's transaction")

	tx, err = pool.Begin(ctx)
	require.NoError(t, err)
	inTx := must(postgres.New(tx))
	require.NoError(t, inTx.Create(ctx, storetest.NewSession("t1", "kept", 0)))
	assert.ErrorIs(t, inTx.Create(ctx, storetest.NewSession("t1", "kept", 0)), survey.ErrDuplicate)
	s, err := inTx.Load(ctx, "t1", "kept")
	require.NoError(t, err, "a conflict does not abort the host's transaction")
	require.NoError(t, inTx.Update(ctx, storetest.Rate(s, 4, time.Now())))
	for i := range 3 {
		require.NoError(t, inTx.Create(ctx, storetest.Rate(storetest.NewSession("t1", fmt.Sprintf("r%d", i), i), 5, time.Now())))
	}
	n := 0
	for r, err := range report.All(ctx, inTx, "t1", report.Filter{}) {
		require.NoError(t, err)
		_, err = inTx.Load(ctx, "t1", r.ID)
		require.NoError(t, err, "the transaction's one connection is free inside the loop")
		n++
	}
	assert.Equal(t, 4, n)
	require.NoError(t, tx.Commit(ctx))
	got, err := st.Load(ctx, "t1", "kept")
	require.NoError(t, err)
	assert.Equal(t, 4, got.Rating)
	assert.Equal(t, int64(2), got.Version)
}

func TestBadInputIsAnErrorNotAPanic(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	assert.ErrorIs(t, st.Create(ctx, nil), survey.ErrInvalidInput)
	assert.ErrorIs(t, st.Update(ctx, &survey.Session{ID: "x"}), survey.ErrInvalidInput)
	_, err := st.Load(ctx, "t", string([]byte{0xff, 0xfe}))
	assert.Error(t, err, "invalid UTF-8 in an ID is refused by the server, not a panic")
}

// A store on nothing is refused where it is made, not at its first query.
func TestNewRefusesANilDatabase(t *testing.T) {
	var pool *pgxpool.Pool
	var conn *pgx.Conn
	for name, handle := range map[string]postgres.DB{"nil": nil, "nil pool": pool, "nil conn": conn} {
		st, err := postgres.New(handle)
		assert.ErrorIs(t, err, postgres.ErrNoDB, name)
		assert.Nil(t, st, name)
	}
}
