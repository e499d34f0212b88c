// Command full is the release check's program for a host that uses the root
// module and both SQL store modules: the same survey runs on the in-memory
// store, on SQLite in memory and, when SURVEYFLOW_POSTGRES_URL is set, on
// PostgreSQL in a schema of its own that it drops afterwards. The release
// check copies it into a fresh module outside the repository and builds it
// against the released versions.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/sqlite"
)

func main() {
	ctx := context.Background()
	fail := func(store string, err error) {
		fmt.Fprintf(os.Stderr, "full: %s: %v\n", store, err)
		os.Exit(1)
	}
	if err := rateOnce(ctx, memory.New()); err != nil {
		fail("memory", err)
	}
	fmt.Println("full: memory: rated and reported")

	if err := onSQLite(ctx); err != nil {
		fail("sqlite", err)
	}
	fmt.Println("full: sqlite (in memory): migrated, rated and reported")

	if url := os.Getenv("SURVEYFLOW_POSTGRES_URL"); url != "" {
		if err := onPostgres(ctx, url); err != nil {
			fail("postgres", err)
		}
		fmt.Println("full: postgres: migrated, rated and reported")
	} else {
		fmt.Println("full: postgres: built; not opened (SURVEYFLOW_POSTGRES_URL is not set)")
	}
}

func onSQLite(ctx context.Context) error {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	st, err := sqlite.New(db)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	return rateOnce(ctx, st)
}

// onPostgres runs the survey in a schema of its own, so that it shares the
// server with other tests without touching their tables.
func onPostgres(ctx context.Context, url string) error {
	schema := fmt.Sprintf("releasecheck_%d_%d", os.Getpid(), time.Now().UnixNano())
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return err
	}
	defer admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	st, err := postgres.New(pool)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	return rateOnce(ctx, st)
}
