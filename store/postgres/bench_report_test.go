package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
)

// handwrittenSQL is the best GROUP BY a user would write over the store's
// own table for the per-agent report's figures: overall and per agent,
// the count of each score with the times to rate in scoring's buckets,
// and the surveys sent.
const handwrittenSQL = `SELECT NULL::text, false, rating, rate_bucket, count(*), sum(rate_ns)::bigint, max(rate_ns)
  FROM surveyflow_sessions WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY rating, rate_bucket
UNION ALL
SELECT a, false, rating, rate_bucket, count(*), sum(rate_ns)::bigint, max(rate_ns)
  FROM surveyflow_sessions, unnest(agent_ids) a WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY a, rating, rate_bucket
UNION ALL
SELECT NULL, true, 0, NULL, count(*), NULL, NULL FROM surveyflow_sessions WHERE tenant_id = $1 AND sent_at IS NOT NULL
UNION ALL
SELECT a, true, 0, NULL, count(*), NULL, NULL
  FROM surveyflow_sessions, unnest(agent_ids) a WHERE tenant_id = $1 AND sent_at IS NOT NULL GROUP BY a`

func handwritten(ctx context.Context, pool *pgxpool.Pool) (*report.Report, error) {
	rows, err := pool.Query(ctx, handwrittenSQL, "t1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storebench.ScanHandReport(rows)
}

// handwrittenRatingsSQL is the plain GROUP BY a user would write for the
// ratings-only report: the count of each score, overall and per agent,
// group and channel.
const handwrittenRatingsSQL = `SELECT 0, NULL::text, rating, count(*)
  FROM surveyflow_sessions WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY rating
UNION ALL
SELECT 1, a, rating, count(*)
  FROM surveyflow_sessions, unnest(agent_ids) a WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY a, rating
UNION ALL
SELECT 2, g, rating, count(*)
  FROM surveyflow_sessions, unnest(group_ids) g WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY g, rating
UNION ALL
SELECT 3, channel, rating, count(*)
  FROM surveyflow_sessions WHERE tenant_id = $1 AND rating IS NOT NULL GROUP BY channel, rating`

func handwrittenRatings(ctx context.Context, pool *pgxpool.Pool) (*report.Report, error) {
	rows, err := pool.Query(ctx, handwrittenRatingsSQL, "t1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storebench.ScanRatingsReport(rows)
}

// benchPools are pools on the schemas surveyflow_bench_v2_<n>, which hold
// storebench.BenchSessions(n) stored with the store's own Create in one
// transaction. The schemas are kept for the next run (drop one to load
// it again).
var benchPools = &storebench.BenchDatabases[*pgxpool.Pool]{
	Open: func(t testing.TB, n int) *pgxpool.Pool {
		schema := fmt.Sprintf("surveyflow_bench_v2_%d", n)
		cfg, err := pgxpool.ParseConfig(serverURL(t))
		require.NoError(t, err)
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
		cfg.MaxConns = 4
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		require.NoError(t, err)
		_, err = pool.Exec(context.Background(), "CREATE SCHEMA IF NOT EXISTS "+schema)
		require.NoError(t, err)
		require.NoError(t, must(postgres.New(pool)).Migrate(context.Background()))
		return pool
	},
	Count: func(pool *pgxpool.Pool) (n int, err error) {
		err = pool.QueryRow(context.Background(), "SELECT count(*) FROM surveyflow_sessions").Scan(&n)
		return n, err
	},
	Refill: func(pool *pgxpool.Pool) (survey.Store, func() error, error) {
		ctx := context.Background()
		if _, err := pool.Exec(ctx, "TRUNCATE surveyflow_sessions"); err != nil {
			return nil, nil, err
		}
		tx, err := pool.Begin(ctx)
		if err != nil {
			return nil, nil, err
		}
		return must(postgres.New(tx)), func() error {
			if err := tx.Commit(ctx); err != nil {
				return err
			}
			_, err := pool.Exec(ctx, "VACUUM ANALYZE surveyflow_sessions")
			return err
		}, nil
	},
}

// BenchmarkReportFromStore times database → report: the report package
// (library) against the handwritten GROUP BY (handwritten_sql), on the
// same database, in the same run, for the full per-agent report and for
// the ratings-only report (ratings/…).
func BenchmarkReportFromStore(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		pool := benchPools.Get(b, n)
		st := must(postgres.New(pool))
		storebench.BenchReport(b, n, st, "handwritten_sql", func() (*report.Report, error) {
			return handwritten(context.Background(), pool)
		})
		storebench.BenchRatingsReport(b, n, st, "handwritten_sql", func() (*report.Report, error) {
			return handwrittenRatings(context.Background(), pool)
		})
	}
}

// BenchmarkRegistryPage times the registry's first and last page of 50.
func BenchmarkRegistryPage(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		storebench.BenchRegistryPage(b, n, must(postgres.New(benchPools.Get(b, n))))
	}
}

// The two sub-benchmarks compute the same report.
func TestHandwrittenSQLGivesTheLibrarysReport(t *testing.T) {
	ctx := context.Background()
	st, pool := newStore(t)
	for _, s := range storebench.BenchSessions(3000) {
		require.NoError(t, st.Create(ctx, s))
	}
	storebench.CheckBaseline(t, 3000, st, func() (*report.Report, error) { return handwritten(ctx, pool) })
	storebench.CheckRatingsBaseline(t, 3000, st, func() (*report.Report, error) { return handwrittenRatings(ctx, pool) })
}
