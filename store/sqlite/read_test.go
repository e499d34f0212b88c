package sqlite_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/surveyflow/surveyflow/store/sqlite"
)

// migrationCount is how many migration files the store embeds.
func migrationCount(t testing.TB) int {
	names, err := fs.Glob(sqlite.Migrations, "*.sql")
	require.NoError(t, err)
	return len(names)
}
