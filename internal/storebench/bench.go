// Package storebench holds what this repository's stores share for their
// benchmarks and their SQL migration tests: the sessions the report
// benchmarks store, the handwritten-SQL baseline they are compared with,
// the databases they keep between runs, and the documents and checks of
// the migrations' tests. It is internal: none of it is part of the store
// contract (package storetest), and a host's store needs none of it.
//
// It lives in the root module's internal directory, so that the survey
// package's benchmarks and the SQL stores' modules (store/sqlite,
// store/postgres), whose import paths are rooted at the root module's,
// may import it from their tests; a host's program never builds it, since
// only test files import it.
package storebench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// BenchSizes are the numbers of responses the report benchmarks run at:
// 10 000 and 100 000, and 1 000 000 with SURVEYFLOW_BENCH_1M=1.
func BenchSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("SURVEYFLOW_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// BenchSessions returns the sessions of tenant t1 behind n responses, as a
// helpdesk makes them: 200 agents in 10 groups, one to three per
// conversation, four channels, sent over 90 days; five in six are rated
// (scores 1–5) from seconds to a day after sending, so about 1.2 n
// sessions. The same n gives the same sessions.
func BenchSessions(n int) []*survey.Session {
	x := uint64(1)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	agents := make([]survey.Participant, 200)
	for i := range agents {
		agents[i] = survey.Participant{ID: fmt.Sprintf("agent-%03d", i), Name: fmt.Sprintf("Agent %d", i), Kind: survey.Human,
			Groups: []string{fmt.Sprintf("team-%d", i%10)}}
	}
	channels := []string{"whatsapp", "email", "messenger", "telegram"}
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	total := n + n/5
	out := make([]*survey.Session, 0, total)
	for i := range total {
		sent := start.Add(time.Duration(i) * 90 * 24 * time.Hour / time.Duration(total))
		s := &survey.Session{
			TenantID: "t1", ID: fmt.Sprintf("s%07d", i), SurveyID: "csat", ConversationID: fmt.Sprintf("c%07d", i),
			ContactID: fmt.Sprintf("u%06d", next()%50_000), Channel: channels[next()%4], Language: "es",
			State: survey.StateExpired, ClosedAt: sent, CreatedAt: sent, SentAt: sent, EndedAt: sent.Add(24 * time.Hour), Scale: "csat5",
		}
		for range 1 + next()%3 {
			s.Agents = append(s.Agents, agents[next()%200])
		}
		s.LastAgent = s.Agents[len(s.Agents)-1].ID
		s.Assignee = s.Agents[0].ID
		if i%6 != 5 {
			s.Rated, s.Rating = true, 1+int(next()%5)
			s.RatedAt = sent.Add(time.Duration(next()%86_400) * time.Second)
			s.State, s.EndedAt = survey.StateCompleted, s.RatedAt
		}
		out = append(out, s)
	}
	return out
}

// PerAgent is the report the benchmarks time: overall and per agent (every
// agent who took part), with scores, response rate and time to rate.
func PerAgent() report.Options {
	return report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByAgent}}
}

// RatingsOnly is the ratings-only report the benchmarks time beside
// PerAgent: overall and per agent (every agent who took part), group and
// channel, the count of each score and nothing else (no surveys sent, no
// times to rate).
func RatingsOnly() report.Options {
	return report.Options{Scale: scoring.CSAT5(), Measures: report.MeasureRatings,
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel}}
}

// RatingsRow is one row of a handwritten ratings-only query: the table
// (0 overall, 1 agent, 2 group, 3 channel), the key (nil overall), a
// score and how many responses gave it.
type RatingsRow struct {
	Table  int
	Key    *string
	Rating int
	N      int64
}

// ScanRatingsReport reads the rows of a handwritten ratings-only query,
// whose columns are RatingsRow's fields in order, into the report
// RatingsOnly describes, with scoring's own summaries, as a host with its
// own SQL would. The caller closes rows.
func ScanRatingsReport(rows Rows) (*report.Report, error) {
	scale := scoring.CSAT5()
	r := &report.Report{Scale: scale, Overall: scoring.NewSummary(scale),
		ByAgent: scoring.NewTable(scale), ByGroup: scoring.NewTable(scale), ByChannel: scoring.NewTable(scale)}
	tables := []*scoring.Table{nil, r.ByAgent, r.ByGroup, r.ByChannel}
	for rows.Next() {
		var row RatingsRow
		if err := rows.Scan(&row.Table, &row.Key, &row.Rating, &row.N); err != nil {
			return nil, err
		}
		s := r.Overall
		if row.Key != nil && row.Table > 0 && row.Table < len(tables) {
			s = tables[row.Table].Row(*row.Key)
		}
		s.AddN(row.Rating, row.N)
	}
	return r, rows.Err()
}

// HandRow is one row of a handwritten per-agent query: Agent nil for the
// overall rows; Sent rows count surveys sent; the others count responses
// of one rating and time-to-rate bucket (nil when never sent), with the
// sum and maximum of their times to rate in nanoseconds.
type HandRow struct {
	Agent    *string
	Sent     bool
	Rating   int
	Bucket   *int
	N        int64
	Sum, Max *int64
}

// HandReport turns handwritten rows into the report PerAgent describes,
// with scoring's own summaries, as a host with its own SQL would.
func HandReport(rows []HandRow) *report.Report {
	scale := scoring.CSAT5()
	r := &report.Report{Scale: scale, Overall: scoring.NewSummary(scale), ByAgent: scoring.NewTable(scale)}
	for _, row := range rows {
		s := r.Overall
		if row.Agent != nil {
			s = r.ByAgent.Row(*row.Agent)
		}
		switch {
		case row.Sent:
			s.AddSent(row.N)
		case s.AddN(row.Rating, row.N) && row.Bucket != nil:
			s.AddResponseTimes(*row.Bucket, row.N, time.Duration(*row.Sum), time.Duration(*row.Max))
		}
	}
	return r
}

// LastPage returns the cursor after which the registry of sessions (all
// of tenant t1) has its last page of size entries.
func LastPage(sessions []*survey.Session, size int) *report.Cursor {
	var listed []*survey.Session
	for _, s := range sessions {
		if _, ok := report.Listed(s); ok {
			listed = append(listed, s)
		}
	}
	if len(listed) <= size {
		return nil
	}
	slices.SortFunc(listed, func(a, b *survey.Session) int {
		at, _ := report.Listed(a)
		bt, _ := report.Listed(b)
		if c := bt.Compare(at); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	last := listed[len(listed)-size-1]
	at, _ := report.Listed(last)
	return &report.Cursor{At: at, ID: last.ID}
}

// BenchReport runs the report benchmark of one size: the report package
// over src (sub-benchmark "library") against baseline, which computes the
// same report another way (sub-benchmark baselineName), one after the
// other in the same run.
func BenchReport(b *testing.B, n int, src report.Source, baselineName string, baseline func() (*report.Report, error)) {
	benchReport(b, fmt.Sprintf("n=%d", n), src, PerAgent(), baselineName, baseline)
}

// BenchRatingsReport is BenchReport for the RatingsOnly report, as the
// sub-benchmarks "n=<n>/ratings/library" and "n=<n>/ratings/<baselineName>".
func BenchRatingsReport(b *testing.B, n int, src report.Source, baselineName string, baseline func() (*report.Report, error)) {
	benchReport(b, fmt.Sprintf("n=%d/ratings", n), src, RatingsOnly(), baselineName, baseline)
}

func benchReport(b *testing.B, prefix string, src report.Source, o report.Options, baselineName string, baseline func() (*report.Report, error)) {
	ctx := context.Background()
	// Warm both up first (connections, plans, caches), so that neither
	// pays for going first.
	if _, err := report.Build(ctx, src, "t1", o); err != nil {
		b.Fatal(err)
	}
	if _, err := baseline(); err != nil {
		b.Fatal(err)
	}
	b.Run(prefix+"/library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := report.Build(ctx, src, "t1", o); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(prefix+"/"+baselineName, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := baseline(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchRegistryPage times the first and the last registry page of 50 of
// src, which holds BenchSessions(n).
func BenchRegistryPage(b *testing.B, n int, src report.Source) {
	ctx := context.Background()
	for _, page := range []struct {
		name  string
		after *report.Cursor
	}{{"first", nil}, {"last", LastPage(BenchSessions(n), 50)}} {
		b.Run(fmt.Sprintf("n=%d/%s", n, page.name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := report.Page(ctx, src, "t1", report.Filter{}, 50, page.after); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// CheckRatingsBaseline checks that baseline gives src's RatingsOnly
// report over BenchSessions(n) (stored in src), and that the report
// counts nothing else.
func CheckRatingsBaseline(t T, n int, src report.Source, baseline func() (*report.Report, error)) {
	t.Helper()
	lib, err := report.Build(context.Background(), src, "t1", RatingsOnly())
	require.NoError(t, err)
	other, err := baseline()
	require.NoError(t, err)
	assert.Empty(t, report.Diff(lib, other))
	assert.Equal(t, int64(n), lib.Overall.Count())
	assert.Zero(t, lib.Overall.Sent(), "no surveys sent counted")
	assert.Zero(t, lib.Overall.ResponseTimes().N, "no times to rate counted")
	assert.Positive(t, lib.ByGroup.Len())
	assert.Equal(t, 4, lib.ByChannel.Len())
}

// CheckBaseline checks that baseline gives src's per-agent report over
// BenchSessions(n) (stored in src), and that the registry's last page is
// where BenchRegistryPage looks for it.
func CheckBaseline(t T, n int, src report.Source, baseline func() (*report.Report, error)) {
	t.Helper()
	ctx := context.Background()
	lib, err := report.Build(ctx, src, "t1", PerAgent())
	require.NoError(t, err)
	other, err := baseline()
	require.NoError(t, err)
	assert.Empty(t, report.Diff(lib, other))
	assert.Equal(t, int64(n), lib.Overall.Count())
	assert.Equal(t, int64(n+n/5), lib.Overall.Sent())
	assert.Positive(t, lib.Overall.ResponseTimes().N)

	page, next, err := report.Page(ctx, src, "t1", report.Filter{}, 50, LastPage(BenchSessions(n), 50))
	require.NoError(t, err)
	assert.Len(t, page, 50)
	if next != nil {
		rest, _, err := report.Page(ctx, src, "t1", report.Filter{}, 50, next)
		require.NoError(t, err)
		assert.Empty(t, rest, "nothing after the last page")
	}
}

// T is what the checks over a store need from a test (surveytest.T):
// *testing.T and *testing.B have it.
type T = surveytest.T

func ctx() context.Context { return context.Background() }

// base is the time storetest's fixtures are built around.
var base = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
