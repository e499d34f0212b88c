package postgres_test

import (
	"io/fs"
	"testing"

	"github.com/surveyflow/surveyflow/store/postgres"
)

// must returns v, and panics (failing the test) on err: stores are built
// on databases the tests opened themselves.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// migrationFiles counts the shipped migrations: Migrate records one row
// per file.
func migrationFiles(t testing.TB) int {
	t.Helper()
	names, err := fs.Glob(postgres.Migrations, "*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	return len(names)
}
