package sqlstore_test

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/survey"
)

func TestMigrationsAreReadInVersionOrder(t *testing.T) {
	got, err := sqlstore.Migrations(fstest.MapFS{
		"0002_index.sql":    {Data: []byte("CREATE INDEX …")},
		"0001_sessions.sql": {Data: []byte("CREATE TABLE …")},
		"README.md":         {Data: []byte("not a migration")},
	})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, sqlstore.Migration{Version: 1, Name: "0001_sessions.sql", SQL: "CREATE TABLE …"}, got[0])
	assert.Equal(t, 2, got[1].Version)
}

func TestBadMigrationNamesAreErrors(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no version":   {"sessions.sql": {}},
		"version zero": {"0000_x.sql": {}},
		"same version": {"0001_a.sql": {}, "0001_b.sql": {}},
	} {
		_, err := sqlstore.Migrations(fsys)
		assert.Error(t, err, name)
	}
}

func TestDocumentsRoundTripAtTheRowsVersion(t *testing.T) {
	s := &survey.Session{TenantID: "t", ID: "s", Version: 3, Comment: "ñ \x00 ok",
		Agents: []survey.Participant{{ID: "ana", Groups: []string{"a", "b"}}, {ID: "bo", Groups: []string{"b"}}}}
	doc, err := sqlstore.Encode(s, 4)
	require.NoError(t, err)
	assert.Equal(t, int64(3), s.Version, "Encode does not change the session")
	back, err := sqlstore.Decode(7, doc)
	require.NoError(t, err)
	assert.Equal(t, int64(7), back.Version, "the row's version wins")
	assert.Equal(t, s.Comment, back.Comment)

	assert.ErrorIs(t, sqlstore.Check(&survey.Session{ID: "s"}), survey.ErrInvalidInput)
	_, err = sqlstore.Decode(1, []byte("{"))
	assert.Error(t, err)
}

func ExampleMigrations() {
	ms, err := sqlstore.Migrations(fstest.MapFS{
		"0002_index.sql":    {Data: []byte("CREATE INDEX i ON t (x);")},
		"0001_sessions.sql": {Data: []byte("CREATE TABLE t (x INT);")},
	})
	for _, m := range ms {
		fmt.Println(m.Version, m.Name)
	}
	fmt.Println(err)
	// Output:
	// 1 0001_sessions.sql
	// 2 0002_index.sql
	// <nil>
}
