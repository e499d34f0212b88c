package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pgSchemaURL returns $SURVEYFLOW_POSTGRES_URL pointed at a fresh schema
// that is dropped after the test, or skips the test without a server.
func pgSchemaURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SURVEYFLOW_POSTGRES_URL")
	if base == "" {
		t.Skip("set SURVEYFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the demo on PostgreSQL (bash .ci/run sets it)")
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, base)
	require.NoError(t, err)
	t.Cleanup(admin.Close)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "helpdesk_test_" + hex.EncodeToString(b[:])
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestTheDemoSeedsAndServesOnPostgreSQL(t *testing.T) {
	pg := pgSchemaURL(t)
	o := options{pgURL: pg, dbPath: filepath.Join(t.TempDir(), "unused.db"), days: 14, perDay: 15}
	log := serveOnce(t, o, func(base string) {
		// The JSON report is PostgreSQL's GROUP BY (store/postgres.Report);
		// the dashboard is Go over the Responses iterator.
		for _, q := range []string{"", "survey=nps", "group=support&channel=whatsapp"} {
			var rep reportJSON
			status, page := getPage(t, base+"/api/report?"+q)
			if !assert.Equal(t, 200, status, page) {
				return
			}
			require.NoError(t, jsonUnmarshal(page, &rep))
			assert.Positive(t, rep.Overall.Count, q)
			status, page = getPage(t, base+"/?"+q)
			assert.Equal(t, 200, status)
			assert.Equal(t, thousands(rep.Overall.Count), figureOf(t, page, "responses"), q)
			agents := rankingOfPage(t, page, "agents")
			for _, r := range rep.ByAgent {
				assert.Equal(t, [2]string{fmt.Sprint(r.Count), thousands(r.Sum)}, agents[r.Key], "%s agent %s", q, r.Key)
			}
		}
	})
	assert.Contains(t, log, "seeded")
	_, err := os.Stat(o.dbPath)
	assert.True(t, os.IsNotExist(err), "no SQLite file with -postgres")
}
