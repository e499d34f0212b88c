package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
)

// recordingTx is a Conn that records what Migrate runs.
type recordingTx struct {
	current int
	fail    string // a statement that fails
	ran     []string
	records [][]any
}

func (r *recordingTx) Exec(_ context.Context, query string, args ...any) (int64, error) {
	if query == r.fail {
		return 0, errors.New("refused")
	}
	r.ran = append(r.ran, query)
	if query == "RECORD" {
		r.records = append(r.records, args)
	}
	return 0, nil
}

func (r *recordingTx) Query(_ context.Context, _ string, _ []any, scan func(sqlstore.Rows) error) error {
	return scan(&intRows{n: r.current})
}

// intRows is a result set of one integer.
type intRows struct {
	n    int
	done bool
}

func (r *intRows) Next() bool {
	more := !r.done
	r.done = true
	return more
}

func (r *intRows) Scan(dest ...any) error {
	*dest[0].(*int) = r.n
	return nil
}

func (r *intRows) Err() error { return nil }

var migrationFS = fstest.MapFS{
	"0001_a.sql": {Data: []byte("A")},
	"0002_b.sql": {Data: []byte("B")},
	"0003_c.sql": {Data: []byte("C")},
}

var bookkeeping = sqlstore.Bookkeeping{Table: "TABLE", Record: "RECORD"}

func TestMigrateAppliesAndRecordsOnlyTheMissingVersions(t *testing.T) {
	tx := &recordingTx{current: 1}
	require.NoError(t, sqlstore.Migrate(context.Background(), tx, migrationFS, bookkeeping))
	assert.Equal(t, []string{"TABLE", "B", "RECORD", "C", "RECORD"}, tx.ran)
	assert.Equal(t, [][]any{{2, "0002_b.sql"}, {3, "0003_c.sql"}}, tx.records)

	done := &recordingTx{current: 3}
	require.NoError(t, sqlstore.Migrate(context.Background(), done, migrationFS, bookkeeping))
	assert.Equal(t, []string{"TABLE"}, done.ran, "nothing to apply")
}

func TestMigrateStopsAtTheFirstFailingFile(t *testing.T) {
	tx := &recordingTx{fail: "B"}
	err := sqlstore.Migrate(context.Background(), tx, migrationFS, bookkeeping)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "0002_b.sql")
	assert.Equal(t, []string{"TABLE", "A", "RECORD"}, tx.ran, "C is never run")
}
