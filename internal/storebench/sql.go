package storebench

// What the SQL adapters' tests share: reading a handwritten report query,
// the documents behind the migrations' tests and their checks, and the
// databases the report benchmarks keep.

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Rows is what a SQL driver's result set offers; *sql.Rows and pgx.Rows
// have it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanHandReport reads the rows of a handwritten per-agent query, whose
// columns are HandRow's fields in order, into HandReport's report. The
// caller closes rows.
func ScanHandReport(rows Rows) (*report.Report, error) {
	var out []HandRow
	for rows.Next() {
		var r HandRow
		if err := rows.Scan(&r.Agent, &r.Sent, &r.Rating, &r.Bucket, &r.N, &r.Sum, &r.Max); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return HandReport(out), rows.Err()
}

// PreReadDocs are the documents of the two sessions CheckMigratedRows
// expects, keyed by session ID, as a store wrote them before its read
// columns existed. A migration test stores them in the first migration's
// table, then migrates: "old" completed, rated 4 at
// 2026-05-04T10:01:30Z; "reviewed" expired, never rated.
var PreReadDocs = map[string]string{
	"old": `{"tenant_id":"t1","id":"old","survey_id":"csat","channel":"email","state":"completed","rated":true,"rating":4,
		"agents":[{"id":"ana","groups":["support"]}],"sent_at":"2026-05-04T10:00:00Z","rated_at":"2026-05-04T10:01:30Z",
		"reason":"slow","reason_at":"2026-05-04T10:02:00Z"}`,
	"reviewed": `{"tenant_id":"t1","id":"reviewed","survey_id":"csat","channel":"email","state":"expired",
		"agents":[{"id":"ana","groups":["support"]}],"review":{"reviewer_id":"sup","score":2,"comment":"","at":"2026-05-05T08:00:00.250+02:00"}}`,
}

// BenchDatabases keeps one database per size for a SQL store's report
// benchmarks, holding BenchSessions(n). Loading 100 000 responses takes a
// while, so the databases outlive the process (Open decides where) and
// are filled again only when their count is off.
type BenchDatabases[DB any] struct {
	// Open opens the database for size n, migrated; it may hold the
	// sessions of an earlier run. It gets the caller's test or benchmark,
	// to skip it, clean up after it or find a temporary directory.
	Open func(tb testing.TB, n int) DB
	// Count returns how many sessions db holds.
	Count func(db DB) (int, error)
	// Refill empties db and returns a store writing in one new
	// transaction, and the function that commits it (and refreshes the
	// planner's statistics).
	Refill func(db DB) (st survey.Store, commit func() error, err error)

	dbs sync.Map // size → DB
}

// Get returns the database for size n, opening it on first use and
// storing BenchSessions(n) in it with the store's own Create unless it
// holds them already.
func (d *BenchDatabases[DB]) Get(tb testing.TB, n int) DB {
	tb.Helper()
	if db, ok := d.dbs.Load(n); ok {
		return db.(DB)
	}
	db := d.Open(tb, n)
	have, err := d.Count(db)
	require.NoError(tb, err)
	if sessions := BenchSessions(n); have != len(sessions) {
		st, commit, err := d.Refill(db)
		require.NoError(tb, err)
		for _, s := range sessions {
			require.NoError(tb, st.Create(context.Background(), s), s.ID)
		}
		require.NoError(tb, commit(), fmt.Sprintf("storing %d sessions", len(sessions)))
	}
	d.dbs.Store(n, db)
	return db
}

// PreTextDocs are the documents of sessions written before a SQL store's
// free-text column existed, in order of creation: a migration test stores
// them as final sessions of tenant t1 in the schema before that column,
// then migrates and runs CheckMigratedText.
var PreTextDocs = []struct{ ID, JSON string }{
	{"named", `{"tenant_id":"t1","id":"named","survey_id":"csat","state":"completed","contact_name":"Ana","unparsed":null}`},
	{"plain", `{"tenant_id":"t1","id":"plain","survey_id":"csat","state":"completed","unparsed":[""],"review":null}`},
	{"commented", `{"tenant_id":"t1","id":"commented","survey_id":"csat","state":"completed","comment":"hi"}`},
	{"replied", `{"tenant_id":"t1","id":"replied","survey_id":"csat","state":"completed","unparsed":["","what?"]}`},
	{"reviewed", `{"tenant_id":"t1","id":"reviewed","survey_id":"csat","state":"completed","review":{"reviewer_id":"sup","score":2,"comment":""}}`},
	{"noted", `{"tenant_id":"t1","id":"noted","survey_id":"csat","state":"completed","review":{"reviewer_id":"sup","score":2,"comment":"a note"}}`},
}

// CheckMigratedText checks that the free-text migration marked the
// PreTextDocs that hold free text, and only them: retention finds them.
func CheckMigratedText(t T, st survey.PrivacyStore) {
	t.Helper()
	found, err := st.WithText(ctx(), "t1", base.Add(1000*time.Hour), survey.Position{}, 0)
	require.NoError(t, err)
	var got []string
	for _, s := range found {
		got = append(got, s.ID)
	}
	require.Equal(t, []string{"named", "commented", "replied", "noted"}, got)
}

// CheckMigratedRows checks what a SQL store's read migration made of two
// rows written before it (the stores' migration tests write them, with
// PreReadDocs): "old", sent at 10:00:00 and rated 4 by agent ana 90 s
// later with the reason "slow", and "reviewed", never rated, reviewed with
// a 2. Reports and the registry of src see both as if they had been
// written after it, and queryRow, which runs one query on the store's
// database and scans its one row into dest, finds the reason and the
// response-time bucket in their columns, and neither has a scale.
func CheckMigratedRows(t T, src report.Source, queryRow func(query string, dest ...any) error) {
	t.Helper()
	r, err := report.Build(ctx(), src, "t1", report.Options{Scale: scoring.CSAT5(),
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByReason}})
	require.NoError(t, err)
	assert.Equal(t, []string{"slow"}, r.ByReason.Keys(), "the reason from the document")
	if row := r.ByReason.Get("slow"); assert.NotNil(t, row) {
		assert.Equal(t, int64(1), row.Count())
	}
	assert.Equal(t, int64(1), r.Overall.Count())
	assert.Equal(t, int64(1), r.Overall.Sent(), "sent_at from the document")
	assert.Equal(t, 90*time.Second, r.Overall.ResponseTimes().Max, "the time to rate")
	if ana := r.ByAgent.Get("ana"); assert.NotNil(t, ana, "agent ana") {
		assert.Equal(t, int64(1), ana.Count())
	}
	assert.Equal(t, []string{"reviewed"}, listIDs(t, src, "t1", report.Filter{Review: &report.Range{Min: 1, Max: 3}}),
		"review score and review time from the document")

	var slow, none int
	require.NoError(t, queryRow(`SELECT count(*) FILTER (WHERE id = 'old' AND reason = 'slow'),
		count(*) FILTER (WHERE id = 'reviewed' AND reason IS NULL) FROM surveyflow_sessions`, &slow, &none))
	assert.Equal(t, [2]int{1, 1}, [2]int{slow, none}, "the reason column from the document; NULL without one")
	var bucket int
	require.NoError(t, queryRow("SELECT rate_bucket FROM surveyflow_sessions WHERE id = 'old'", &bucket))
	assert.Equal(t, scoring.ResponseTimeBucket(90*time.Second), bucket, "the bucket the way scoring counts it")
	var unscaled int
	require.NoError(t, queryRow("SELECT count(*) FROM surveyflow_sessions WHERE scale IS NULL", &unscaled))
	assert.Equal(t, 2, unscaled, "rows written before sessions kept their scale have none")
	for _, scale := range []*scoring.Scale{scoring.CSAT5(), scoring.NPS10()} {
		r, err := report.Build(ctx(), src, "t1", report.Options{Scale: scale})
		require.NoError(t, err)
		assert.Equal(t, int64(1), r.Overall.Count(), "%s: a row with no scale counts in a report of any scale that holds its score", scale)
	}
}

// listIDs lists the IDs of the tenant's sessions that f selects, in the
// registry's order.
func listIDs(t T, src report.Source, tenant string, f report.Filter) []string {
	t.Helper()
	out := []string{}
	for s, err := range report.All(ctx(), src, tenant, f) {
		require.NoError(t, err)
		out = append(out, s.ID)
	}
	return out
}
