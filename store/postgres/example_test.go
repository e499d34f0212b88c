package postgres_test

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
)

// Hosts with their own migration tool copy the embedded files.
func ExampleMigrations() {
	names, _ := fs.Glob(postgres.Migrations, "*.sql")
	fmt.Println(names)
	// Output: [0001_sessions.sql 0002_store_order_and_messages.sql 0003_read_side.sql 0004_reason.sql 0005_pending_effects.sql 0006_scale.sql 0007_free_text.sql 0008_reminded_at.sql]
}

// Plug the store into the engine with the host's pool; write survey state
// in the host's own transaction with postgres.New(tx).
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		panic(err)
	}
	defer pool.Close()
	st, err := postgres.New(pool)
	if err != nil {
		panic(err)
	}
	if err := st.Migrate(ctx); err != nil { // safe when instances start at once
		panic(err)
	}
	engine, err := survey.New(survey.Config{Store: st, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}
	_ = engine
}
