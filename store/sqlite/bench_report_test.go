package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/survey"
)

// handwrittenSQL is the best GROUP BY a user would write over the store's
// own table for the per-agent report's figures: overall and per agent,
// the count of each score with the times to rate in scoring's buckets,
// and the surveys sent.
const handwrittenSQL = `SELECT NULL, 0, rating, rate_bucket, count(*), sum(rate_ns), max(rate_ns)
  FROM surveyflow_sessions WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY rating, rate_bucket
UNION ALL
SELECT a.value, 0, rating, rate_bucket, count(*), sum(rate_ns), max(rate_ns)
  FROM surveyflow_sessions, json_each(agent_ids) a WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY a.value, rating, rate_bucket
UNION ALL
SELECT NULL, 1, 0, NULL, count(*), NULL, NULL FROM surveyflow_sessions WHERE tenant_id = ?1 AND sent_at IS NOT NULL
UNION ALL
SELECT a.value, 1, 0, NULL, count(*), NULL, NULL
  FROM surveyflow_sessions, json_each(agent_ids) a WHERE tenant_id = ?1 AND sent_at IS NOT NULL GROUP BY a.value`

func handwritten(ctx context.Context, db *sql.DB) (*report.Report, error) {
	rows, err := db.QueryContext(ctx, handwrittenSQL, "t1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storebench.ScanHandReport(rows)
}

// handwrittenRatingsSQL is the plain GROUP BY a user would write for the
// ratings-only report: the count of each score, overall and per agent,
// group and channel.
const handwrittenRatingsSQL = `SELECT 0, NULL, rating, count(*)
  FROM surveyflow_sessions WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY rating
UNION ALL
SELECT 1, a.value, rating, count(*)
  FROM surveyflow_sessions, json_each(agent_ids) a WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY a.value, rating
UNION ALL
SELECT 2, g.value, rating, count(*)
  FROM surveyflow_sessions, json_each(group_ids) g WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY g.value, rating
UNION ALL
SELECT 3, channel, rating, count(*)
  FROM surveyflow_sessions WHERE tenant_id = ?1 AND rating IS NOT NULL GROUP BY channel, rating`

func handwrittenRatings(ctx context.Context, db *sql.DB) (*report.Report, error) {
	rows, err := db.QueryContext(ctx, handwrittenRatingsSQL, "t1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storebench.ScanRatingsReport(rows)
}

// benchDBs are file databases holding storebench.BenchSessions(n), stored
// with the store's own Create in one transaction. Benchmarks keep the file
// (surveyflow-bench-v2-<n>.db in the system's temporary directory) for the
// next run; delete it to load again.
var benchDBs = &storebench.BenchDatabases[*sql.DB]{
	Open: func(t testing.TB, n int) *sql.DB {
		path := filepath.Join(t.TempDir(), "bench.db")
		if _, ok := t.(*testing.B); ok {
			path = filepath.Join(os.TempDir(), fmt.Sprintf("surveyflow-bench-v2-%d.db", n))
		}
		db, err := sql.Open("sqlite", fileDSN(path))
		require.NoError(t, err)
		require.NoError(t, must(sqlite.New(db)).Migrate(context.Background()))
		return db
	},
	Count: func(db *sql.DB) (n int, err error) {
		err = db.QueryRowContext(context.Background(), "SELECT count(*) FROM surveyflow_sessions").Scan(&n)
		return n, err
	},
	Refill: func(db *sql.DB) (survey.Store, func() error, error) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, "DELETE FROM surveyflow_sessions"); err != nil {
			return nil, nil, err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		return must(sqlite.New(tx)), func() error {
			if err := tx.Commit(); err != nil {
				return err
			}
			_, err := db.ExecContext(ctx, "ANALYZE")
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
		db := benchDBs.Get(b, n)
		st := must(sqlite.New(db))
		storebench.BenchReport(b, n, st, "handwritten_sql", func() (*report.Report, error) {
			return handwritten(context.Background(), db)
		})
		storebench.BenchRatingsReport(b, n, st, "handwritten_sql", func() (*report.Report, error) {
			return handwrittenRatings(context.Background(), db)
		})
	}
}

// BenchmarkRegistryPage times the registry's first and last page of 50.
func BenchmarkRegistryPage(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		storebench.BenchRegistryPage(b, n, must(sqlite.New(benchDBs.Get(b, n))))
	}
}

// The two sub-benchmarks compute the same report.
func TestHandwrittenSQLGivesTheLibrarysReport(t *testing.T) {
	db := benchDBs.Get(t, 3000)
	storebench.CheckBaseline(t, 3000, must(sqlite.New(db)), func() (*report.Report, error) { return handwritten(context.Background(), db) })
	storebench.CheckRatingsBaseline(t, 3000, must(sqlite.New(db)), func() (*report.Report, error) {
		return handwrittenRatings(context.Background(), db)
	})
}
