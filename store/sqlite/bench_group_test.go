package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// groupRows is the size of the report benchmarks' data set.
const groupRows = 1_000_000

// responses1M generates the million responses of scoring's BenchmarkGroup1M
// (same generator): 200 agents, one to three per conversation, five
// scores. The benchmarks attribute each response to its last agent.
var responses1M = sync.OnceValue(func() []scoring.Response {
	agents := make([]string, 200)
	for i := range agents {
		agents[i] = fmt.Sprintf("agent-%03d", i)
	}
	lists := make([][]string, 4096)
	x := uint64(1)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for i := range lists {
		n := 1 + int(next()%3)
		for range n {
			lists[i] = append(lists[i], agents[next()%uint64(len(agents))])
		}
	}
	base := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	rs := make([]scoring.Response, groupRows)
	for i := range rs {
		l := lists[next()%uint64(len(lists))]
		rs[i] = scoring.Response{Value: 1 + int(next()%5), Agents: l, Assignee: l[len(l)-1],
			Channel: "whatsapp", Survey: "csat", At: base.Add(time.Duration(i) * 90 * 24 * time.Hour / groupRows)}
	}
	runtime.GC()
	return rs
})

// agentRow is one agent's report line as SQL returns it.
type agentRow struct {
	agent     string
	count     int64
	sum       int64
	dist      [5]int64
	satisfied float64 // CSAT %
	nps       float64 // promoters % − detractors %
}

// groupSQL is the report a user would otherwise write: per agent, the
// count, sum, distribution, CSAT % (4–5) and NPS-style net score (4–5
// minus 1–2) of a CSAT 1–5 scale.
const groupSQL = `SELECT agent, count(*), sum(value),
	sum(value = 1), sum(value = 2), sum(value = 3), sum(value = 4), sum(value = 5),
	100.0 * sum(value >= 4) / count(*),
	100.0 * (sum(value >= 4) - sum(value <= 2)) / count(*)
FROM %s GROUP BY agent ORDER BY agent`

// tableOf names the table holding the first n responses.
func tableOf(n int) string {
	if n == groupRows {
		return "responses"
	}
	return fmt.Sprintf("responses_%d", n)
}

var (
	sqliteOnce sync.Once
	sqliteDB   *sql.DB
	sqliteErr  error
)

// sqliteResponses loads the million responses into an in-memory SQLite
// database once per process: one transaction, one prepared statement, and
// a covering index on (agent, value), the best case for the GROUP BY.
func sqliteResponses(b *testing.B) *sql.DB {
	sqliteOnce.Do(func() {
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			sqliteErr = err
			return
		}
		db.SetMaxOpenConns(1)
		ctx := context.Background()
		for _, n := range []int{groupRows, groupRows / 10} {
			if sqliteErr = loadSQLite(ctx, db, tableOf(n), responses1M()[:n]); sqliteErr != nil {
				return
			}
		}
		sqliteDB = db
	})
	if sqliteErr != nil {
		b.Fatal(sqliteErr)
	}
	return sqliteDB
}

// queryGroups runs the report over the first n rows (1M or 100k).
func loadSQLite(ctx context.Context, db *sql.DB, table string, rs []scoring.Response) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE `+table+` (agent TEXT NOT NULL, value INTEGER NOT NULL)`); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (agent, value) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if _, err := stmt.ExecContext(ctx, r.Agents[len(r.Agents)-1], r.Value); err != nil {
			return err
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `CREATE INDEX `+table+`_agent ON `+table+` (agent, value)`)
	return err
}

func queryGroups(db *sql.DB, n int) ([]agentRow, error) {
	rows, err := db.QueryContext(context.Background(), fmt.Sprintf(groupSQL, tableOf(n)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []agentRow
	for rows.Next() {
		var r agentRow
		if err := rows.Scan(&r.agent, &r.count, &r.sum, &r.dist[0], &r.dist[1], &r.dist[2], &r.dist[3], &r.dist[4], &r.satisfied, &r.nps); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// groupGo is the same report with scoring, attributing each response to
// its last agent.
func groupGo(rs []scoring.Response) (*scoring.Table, error) {
	t, _, skipped, err := scoring.Group(scoring.CSAT5(), rs, scoring.GroupOptions{By: scoring.ByAgent, Attribution: scoring.LastAgent})
	if err == nil && skipped != 0 {
		err = fmt.Errorf("%d responses skipped", skipped)
	}
	return t, err
}

// sameReport checks the SQL rows against scoring's table: every figure.
func sameReport(t *scoring.Table, rows []agentRow) error {
	keys := t.Keys()
	sort.Strings(keys)
	if len(keys) != len(rows) {
		return fmt.Errorf("%d agents in Go, %d in SQL", len(keys), len(rows))
	}
	for i, r := range rows {
		s := t.Get(keys[i])
		switch {
		case keys[i] != r.agent:
			return fmt.Errorf("row %d: agent %s in Go, %s in SQL", i, keys[i], r.agent)
		case s.Count() != r.count || s.Sum() != r.sum:
			return fmt.Errorf("%s: count/sum %d/%d in Go, %d/%d in SQL", r.agent, s.Count(), s.Sum(), r.count, r.sum)
		case math.Abs(s.SatisfiedPercent()-r.satisfied) > 1e-9:
			return fmt.Errorf("%s: CSAT %% %v in Go, %v in SQL", r.agent, s.SatisfiedPercent(), r.satisfied)
		case math.Abs(s.NPS()-r.nps) > 1e-9:
			return fmt.Errorf("%s: net score %v in Go, %v in SQL", r.agent, s.NPS(), r.nps)
		}
		for v := 1; v <= 5; v++ {
			if s.CountOf(v) != r.dist[v-1] {
				return fmt.Errorf("%s: %d × %d in Go, %d in SQL", r.agent, s.CountOf(v), v, r.dist[v-1])
			}
		}
	}
	return nil
}

// BenchmarkReport1M aggregates a million responses by agent (count, sum,
// distribution, CSAT %, net score) with scoring (scoring) and with the
// same GROUP BY in an in-memory SQLite database with a covering index
// (sqlite, the baseline), after checking both give the same report. The
// load (about ten seconds) happens once, outside the timing; the n=100k
// sub-benchmarks run the first tenth of the rows to show the growth.
//
//	go test -run '^$' -bench Report1M -benchmem -count 6 ./store/sqlite
func BenchmarkReport1M(b *testing.B) {
	rs := responses1M()
	db := sqliteResponses(b)
	want, err := groupGo(rs)
	if err != nil {
		b.Fatal(err)
	}
	got, err := queryGroups(db, groupRows)
	if err != nil {
		b.Fatal(err)
	}
	if err := sameReport(want, got); err != nil {
		b.Fatal(err)
	}
	b.Run("scoring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := groupGo(rs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/groupRows, "ns/response")
	})
	b.Run("sqlite", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows, err := queryGroups(db, groupRows)
			if err != nil || len(rows) != 200 {
				b.Fatal(err, len(rows))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/groupRows, "ns/response")
	})
	b.Run("scoring_parallel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := groupParallel(rs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/groupRows, "ns/response")
	})
	b.Run("scoring_100k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := groupGo(rs[:groupRows/10]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sqlite_100k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows, err := queryGroups(db, groupRows/10)
			if err != nil || len(rows) != 200 {
				b.Fatal(err, len(rows))
			}
		}
	})
}

// groupParallel groups one slice of the responses per CPU and merges the
// partial tables: the same report as one pass (checked by
// TestMergedPartialsEqualOnePass).
func groupParallel(rs []scoring.Response) (*scoring.Table, error) {
	parts := runtime.GOMAXPROCS(0)
	tables := make([]*scoring.Table, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			tables[p], errs[p] = groupGo(rs[p*len(rs)/parts : (p+1)*len(rs)/parts])
		})
	}
	wg.Wait()
	for p := 1; p < parts; p++ {
		if errs[p] != nil {
			return nil, errs[p]
		}
		if err := tables[0].Merge(tables[p]); err != nil {
			return nil, err
		}
	}
	return tables[0], errs[0]
}

func TestMergedPartialsEqualOnePass(t *testing.T) {
	rs := responses1M()[:50_000]
	whole, err := groupGo(rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, parts := range []int{2, 3, 7} {
		merged, err := groupGo(rs[:len(rs)/parts])
		if err != nil {
			t.Fatal(err)
		}
		for p := 1; p < parts; p++ {
			part, err := groupGo(rs[p*len(rs)/parts : (p+1)*len(rs)/parts])
			if err != nil {
				t.Fatal(err)
			}
			if err := merged.Merge(part); err != nil {
				t.Fatal(err)
			}
		}
		if len(merged.Keys()) != len(whole.Keys()) {
			t.Fatalf("%d parts: %d agents, want %d", parts, len(merged.Keys()), len(whole.Keys()))
		}
		for _, k := range whole.Keys() {
			w, m := whole.Get(k), merged.Get(k)
			if m == nil || m.Count() != w.Count() || m.Sum() != w.Sum() || fmt.Sprint(m.Distribution()) != fmt.Sprint(w.Distribution()) {
				t.Fatalf("%d parts: agent %s merged %v, one pass %v", parts, k, m, w)
			}
		}
	}
}
