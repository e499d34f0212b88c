package sqlite_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/store/storetest"
)

func TestReadConformance(t *testing.T) {
	storetest.RunRead(t, func(t *testing.T) storetest.ReadStore { return newStore(t, openMemory(t)).(*sqlite.Store) })
}

// migrationCount is how many migration files the store embeds.
func migrationCount(t testing.TB) int {
	names, err := fs.Glob(sqlite.Migrations, "*.sql")
	require.NoError(t, err)
	return len(names)
}
