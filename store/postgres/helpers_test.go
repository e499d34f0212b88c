package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/postgres"
)

// envURL names the environment variable with the test server's URL.
const envURL = "SURVEYFLOW_POSTGRES_URL"

// serverURL returns the test server's URL, or skips the test with a
// message that says how to run it.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envURL)
	if u == "" {
		t.Skipf("PostgreSQL tests need a server: run them with %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable go test ./... (bash .ci/run sets it)", envURL)
	}
	return u
}

// newSchema creates a schema of its own for the test, so runs and tests
// never collide, and drops it when the test ends.
func newSchema(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgxpool.New(ctx, serverURL(t))
	require.NoError(t, err)
	defer conn.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "surveyflow_test_" + hex.EncodeToString(b[:])
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err, "creating a test schema on %s", serverURL(t))
	t.Cleanup(func() {
		c, err := pgxpool.New(context.Background(), serverURL(t))
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close()
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// newPool opens a pool whose connections work in schema, as a host's own
// pool would (the store never configures it).
func newPool(t testing.TB, schema string, maxConns int32) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(serverURL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// newStore returns a migrated store in a fresh schema.
func newStore(t testing.TB) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := newPool(t, newSchema(t), 8)
	st := must(postgres.New(pool))
	require.NoError(t, st.Migrate(context.Background()))
	return st, pool
}
