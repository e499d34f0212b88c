package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// queryCounter is a pgx tracer that counts the statements sent: one per
// round trip for the store's single-statement calls.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// tracedStore returns a migrated store on a schema of its own, over a pool
// of conns connections whose statements counter counts.
func tracedStore(b *testing.B, conns int) (*postgres.Store, *pgxpool.Pool, *queryCounter) {
	counter := &queryCounter{}
	cfg, err := pgxpool.ParseConfig(serverURL(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = newSchema(b)
	cfg.ConnConfig.Tracer = counter
	cfg.MaxConns, cfg.MinConns = int32(conns), int32(conns)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	st := must(postgres.New(pool))
	if err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return st, pool, counter
}

// benchRun numbers benchmark runs, for unique session IDs.
var benchRun atomic.Int64

// BenchmarkTransitions measures optimistic-concurrency writes per second
// with 1, 8 and 32 workers sharing one pool of as many connections, each
// worker moving its own session on: the store's Update (store) against one
// bare UPDATE … WHERE version = $n with the same session document,
// serialized once outside the loop (raw_pgx, the baseline). It reports
// transitions/s and statements per transition (a pgx tracer counts them),
// and checks that every session's version equals 1 + the writes its
// worker made: no update lost.
//
//	SURVEYFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test -run '^$' -bench Transitions -benchtime 20000x -count 5 ./store/postgres
func BenchmarkTransitions(b *testing.B) {
	for _, workers := range []int{1, 8, 32} {
		st, pool, counter := tracedStore(b, workers)
		for _, variant := range []string{"raw_pgx", "store"} {
			b.Run(fmt.Sprintf("workers=%d/%s", workers, variant), func(b *testing.B) {
				ctx := context.Background()
				sessions := make([]*survey.Session, workers)
				docs := make([][]byte, workers)
				for w := range sessions {
					s := storetest.NewSession("t1", fmt.Sprintf("%s-%d-%d", variant, w, benchRun.Add(1)), w)
					if err := st.Create(ctx, s); err != nil {
						b.Fatal(err)
					}
					sessions[w] = s
					var err error
					if docs[w], err = json.Marshal(s); err != nil {
						b.Fatal(err)
					}
				}
				var next atomic.Int64
				writes := make([]int64, workers)
				errs := make(chan error, workers)
				counter.n.Store(0)
				b.ResetTimer()
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() {
						s := sessions[w]
						for next.Add(1) <= int64(b.N) {
							var err error
							if variant == "store" {
								s.Rating++
								err = st.Update(ctx, s)
							} else {
								var tag interface{ RowsAffected() int64 }
								tag, err = pool.Exec(ctx, `UPDATE surveyflow_sessions SET version = version + 1, state = $4, doc = $5
									WHERE tenant_id = $1 AND id = $2 AND version = $3`, s.TenantID, s.ID, s.Version, string(s.State), docs[w])
								if err == nil && tag.RowsAffected() != 1 {
									err = fmt.Errorf("session %s: version %d is stale", s.ID, s.Version)
								}
								s.Version++
							}
							if err != nil {
								errs <- err
								return
							}
							writes[w]++
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
				b.ReportMetric(float64(counter.n.Load())/float64(b.N), "statements/transition")
				for w, s := range sessions {
					var version int64
					if err := pool.QueryRow(ctx, "SELECT version FROM surveyflow_sessions WHERE tenant_id = $1 AND id = $2", s.TenantID, s.ID).Scan(&version); err != nil {
						b.Fatal(err)
					}
					if version != 1+writes[w] {
						b.Fatalf("session %s: version %d after %d writes: updates lost", s.ID, version, writes[w])
					}
				}
			})
		}
	}
}

// sweepSizes are the stored-session counts of BenchmarkSweep: 10k and 100k,
// plus 1M with SURVEYFLOW_BENCH_1M set (the load takes minutes).
func sweepSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("SURVEYFLOW_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// BenchmarkSweep measures one engine sweep that finds and expires 100 due
// sessions among n stored ones whose deadlines lie ahead, on PostgreSQL.
// The stored sessions are bulk-loaded with COPY once per size; the plan of
// the claim query is checked to use the due index. The cost should follow
// the 100 due sessions, not n: compare the sizes.
//
//	SURVEYFLOW_POSTGRES_URL=… go test -run '^$' -bench Sweep -benchmem -count 6 ./store/postgres
func BenchmarkSweep(b *testing.B) {
	const due = 100
	for _, n := range sweepSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			st, pool := newStore(b)
			now := time.Date(2026, 5, 6, 10, 0, 0, 0, time.UTC)
			if err := copySessions(ctx, pool, n, now.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
			var plan strings.Builder
			rows, err := pool.Query(ctx, `EXPLAIN SELECT tenant_id, id FROM surveyflow_sessions
				WHERE NOT final AND deadline < $1 AND (lease_until IS NULL OR lease_until <= $1)
				ORDER BY deadline, id LIMIT 256 FOR UPDATE SKIP LOCKED`, now)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					b.Fatal(err)
				}
				plan.WriteString(line + "\n")
			}
			if rows.Err() != nil || !strings.Contains(plan.String(), "surveyflow_sessions_due") {
				b.Fatalf("the claim query does not use the due index: %v\n%s", rows.Err(), plan.String())
			}
			blocks, err := claimBlocks(ctx, pool, now, due)
			if err != nil {
				b.Fatal(err)
			}
			e, err := survey.New(survey.Config{Store: st, Clock: surveytest.NewClock(now), Surveys: []survey.Definition{{ID: "csat"}}})
			if err != nil {
				b.Fatal(err)
			}
			if res, err := e.Sweep(ctx); err != nil || res.Expired != due {
				b.Fatalf("first sweep %+v, %v; want %d expired", res, err, due)
			}
			next := n + due
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for range due {
					s := storetest.NewSession("t1", fmt.Sprintf("due-%09d", next), 0)
					s.Deadline = now.Add(-time.Minute)
					if err := st.Create(ctx, s); err != nil {
						b.Fatal(err)
					}
					next++
				}
				b.StartTimer()
				res, err := e.Sweep(ctx)
				if err != nil || res.Expired != due {
					b.Fatalf("swept %+v, %v; want %d expired", res, err, due)
				}
			}
			b.ReportMetric(float64(blocks), "blocks/claim")
		})
	}
}

// claimBlocks creates due sessions that are due at now and returns the
// buffer blocks PostgreSQL touches to find them the way ClaimDue does
// (EXPLAIN ANALYZE, BUFFERS): a figure that, unlike time, does not depend
// on the machine's load. With the due index it follows the number due, not
// the number stored.
func claimBlocks(ctx context.Context, pool *pgxpool.Pool, now time.Time, due int) (int, error) {
	st := must(postgres.New(pool))
	for i := range due {
		s := storetest.NewSession("t1", fmt.Sprintf("due-%09d", i), 0)
		s.Deadline = now.Add(-time.Minute)
		if err := st.Create(ctx, s); err != nil {
			return 0, err
		}
	}
	var out []byte
	if err := pool.QueryRow(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT tenant_id, id FROM surveyflow_sessions
		WHERE NOT final AND deadline < $1 AND (lease_until IS NULL OR lease_until <= $1)
		ORDER BY deadline, id LIMIT 256`, now).Scan(&out); err != nil {
		return 0, err
	}
	var plans []struct {
		Plan struct {
			Hit  int `json:"Shared Hit Blocks"`
			Read int `json:"Shared Read Blocks"`
			Rows int `json:"Actual Rows"`
		}
	}
	if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 {
		return 0, fmt.Errorf("EXPLAIN output %s: %v", out, err)
	}
	if plans[0].Plan.Rows != due {
		return 0, fmt.Errorf("the claim query found %d due sessions, want %d", plans[0].Plan.Rows, due)
	}
	return plans[0].Plan.Hit + plans[0].Plan.Read, nil
}

// copySessions bulk-loads n waiting sessions with deadlines from after on,
// in the store's row format (doc is the JSON of the session), and
// analyzes the table.
func copySessions(ctx context.Context, pool *pgxpool.Pool, n int, after time.Time) error {
	cols := []string{"tenant_id", "id", "survey_id", "conversation_id", "contact_id", "channel", "state", "final",
		"version", "agent_ids", "group_ids", "created_at", "deadline", "doc"}
	i := 0
	var encErr error
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, encErr
		}
		s := storetest.NewSession("t1", fmt.Sprintf("stored-%09d", i), 0)
		s.Deadline = after.Add(time.Duration(i) * time.Millisecond)
		s.Version = 1
		i++
		doc, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		return []any{s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, s.Channel, string(s.State), false,
			s.Version, []string{"ana"}, []string{"support"}, s.CreatedAt, s.Deadline, doc}, nil
	})
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"surveyflow_sessions"}, cols, src); err != nil {
		return err
	}
	_, err := pool.Exec(ctx, "ANALYZE surveyflow_sessions")
	return err
}
