package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// openPrivate opens a file database as the package documentation asks
// for personal data: WAL mode, and secure_delete on.
func openPrivate(t *testing.T, secureDelete bool) (*sqlite.Store, func(*testing.T) []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "surveys.db")
	dsn := fileDSN(path)
	if secureDelete {
		dsn += "&_pragma=secure_delete(ON)"
	}
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(context.Background()))
	return st, func(t *testing.T) []byte { return rawFiles(t, db, path) }
}

// rawFiles checkpoints the WAL into the database file and returns the
// bytes of the database file and of its WAL.
func rawFiles(t *testing.T, db *sql.DB, path string) []byte {
	t.Helper()
	var busy, logFrames, checkpointed int
	require.NoError(t, db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed))
	require.Zero(t, busy, "the checkpoint ran to the end")
	return storetest.ReadFiles(t, path, path+"-wal")
}

// Why the package asks for secure_delete: without it, SQLite leaves a
// rewritten or deleted row's old bytes in the file's free space, where
// the raw search of the conformance suite's privacy scenarios finds them.
func TestWithoutSecureDeleteOldTextStaysInTheFile(t *testing.T) {
	ctx := context.Background()
	for _, secure := range []bool{false, true} {
		st, raw := openPrivate(t, secure)
		var kept []string
		for i := range 20 {
			s := storetest.NewSession("t1", "s"+strconv.Itoa(i), i)
			s.Comment = "a comment that should vanish " + strconv.Itoa(i)
			require.NoError(t, st.Create(ctx, s))
			kept = append(kept, s.Comment)
		}
		raw(t) // on disk
		for i := range 20 {
			if i%2 == 0 {
				require.NoError(t, st.Delete(ctx, "t1", "s"+strconv.Itoa(i), 1))
				continue
			}
			s, err := st.Load(ctx, "t1", "s"+strconv.Itoa(i))
			require.NoError(t, err)
			s.Comment = ""
			require.NoError(t, st.Update(ctx, s))
		}
		found := 0
		for _, c := range kept {
			if bytes.Contains(raw(t), []byte(c)) {
				found++
			}
		}
		if secure {
			assert.Zero(t, found, "with secure_delete nothing is left")
		} else {
			assert.NotZero(t, found, "without secure_delete old text stays in the file")
		}
	}
}

// Sessions written before the free-text column get it from their
// documents when the migration runs.
func TestTheFreeTextMigrationFillsExistingRows(t *testing.T) {
	ctx := context.Background()
	db := openMemory(t)
	migrateBefore(t, db, "0007")
	var err error
	for i, doc := range storebench.PreTextDocs {
		_, err = db.ExecContext(ctx, `INSERT INTO surveyflow_sessions
			(tenant_id, id, survey_id, conversation_id, contact_id, channel, state, final, version,
			 agent_ids, group_ids, created_at, doc, seq) VALUES ('t1', ?, 'csat', ?, 'u', 'email', 'completed', 1, 1, '[]', '[]', ?, ?, ?)`,
			doc.ID, doc.ID, time.Date(2026, 5, 4, 10, i, 0, 0, time.UTC).UnixNano(), doc.JSON, i+1)
		require.NoError(t, err)
	}
	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(ctx))
	storebench.CheckMigratedText(t, st)
}

var _ survey.PrivacyStore = (*sqlite.Store)(nil)
