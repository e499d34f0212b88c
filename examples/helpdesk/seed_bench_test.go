package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/sqlite"
)

// benchSeed seeds 30 days of 40 conversations a weekday on the store that
// open returns.
func benchSeed(b *testing.B, open func(b *testing.B) store) {
	end := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for b.Loop() {
		b.StopTimer()
		st := open(b)
		a, err := newApp(config{store: st, secret: testSecret})
		require.NoError(b, err)
		b.StartTimer()
		_, err = a.seed(context.Background(), end, 30, 40, 1)
		require.NoError(b, err)
	}
}

// BenchmarkSeed compares the seed on the in-memory store (the baseline:
// the engine alone) with the SQLite file the demo uses.
func BenchmarkSeed(b *testing.B) {
	b.Run("memory", func(b *testing.B) {
		benchSeed(b, func(*testing.B) store { return memory.New() })
	})
	b.Run("sqlite-memory", func(b *testing.B) {
		benchSeed(b, func(b *testing.B) store {
			db, err := sql.Open("sqlite", "file::memory:")
			require.NoError(b, err)
			db.SetMaxOpenConns(1)
			b.Cleanup(func() { db.Close() })
			st := must(sqlite.New(db))
			require.NoError(b, st.Migrate(context.Background()))
			return st
		})
	})
	b.Run("sqlite-file", func(b *testing.B) {
		benchSeed(b, func(b *testing.B) store {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "s.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)")
			require.NoError(b, err)
			b.Cleanup(func() { db.Close() })
			st := must(sqlite.New(db))
			require.NoError(b, st.Migrate(context.Background()))
			return st
		})
	})
}
