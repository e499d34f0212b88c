package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/surveyflow/surveyflow/store/postgres"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// BenchmarkStep measures a survey step as a host runs it on PostgreSQL: a
// contact's rating arrives for the survey the engine sent, with 1, 8 and 32
// workers sharing a pool of as many connections, each iteration a
// different contact. Three ways, in the same run, on sessions the same
// engine created beforehand (outside the timer):
//
//   - raw_pgx, the baseline: the one statement a host would write for the
//     step by hand, a conditional UPDATE … WHERE version = $n of the
//     session's state, rating and document (serialized outside the loop);
//   - library: Engine.HandleMessage on the engine that sent the survey,
//     which remembers the session (Config.RememberSessions) and saves the
//     step with UpdateRouted, one statement;
//   - library_routed: Engine.HandleMessage on another engine, which finds
//     the session first (Route), then saves it (Update): two statements.
//     This is every reply when the hosts' instances do not share
//     the contact's earlier calls.
//
// It reports steps/s, statements per step (a pgx tracer counts them) and
// the client's CPU time per step (getrusage: the engine, encoding, pgx),
// and checks that every session took its rating.
//
//	SURVEYFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test -run '^$' -bench BenchmarkStep -benchtime 2000x -count 5 ./store/postgres
//
// Keep -benchtime within survey.DefaultRememberedSessions, which is how
// many sessions the engine remembers.
func BenchmarkStep(b *testing.B) {
	for _, workers := range []int{1, 8, 32} {
		st, pool, counter := tracedStore(b, workers)
		for _, variant := range []string{"raw_pgx", "library", "library_routed"} {
			b.Run(fmt.Sprintf("workers=%d/%s", workers, variant), func(b *testing.B) {
				benchStep(b, st, pool, counter, workers, variant)
			})
		}
	}
}

func benchStep(b *testing.B, st *postgres.Store, pool *pgxpool.Pool, counter *queryCounter, workers int, variant string) {
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	newEngine := func() *survey.Engine {
		e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
		if err != nil {
			b.Fatal(err)
		}
		return e
	}
	sender := newEngine()
	run := benchRun.Add(1)
	sessions := make([]*survey.Session, b.N)
	docs := make([][]byte, b.N)
	for i := range sessions {
		contact := fmt.Sprintf("%s-%d-%d", variant, run, i)
		conv := surveytest.NewConversation("c-"+contact, contact, clock.Now()).Tenant("t1").
			Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").Closed()
		res, err := sender.ConversationClosed(ctx, conv)
		if err != nil || res.Session == nil {
			b.Fatal(err, res)
		}
		sessions[i] = res.Session
		if variant == "raw_pgx" {
			rated := *res.Session
			rated.Rated, rated.Rating, rated.RatedAt, rated.State = true, 5, clock.Now(), survey.StateAwaitingComment
			if docs[i], err = json.Marshal(&rated); err != nil {
				b.Fatal(err)
			}
		}
	}
	e := sender
	if variant == "library_routed" {
		e = newEngine()
	}
	var next atomic.Int64
	errs := make(chan error, workers)
	counter.n.Store(0)
	cpu := processCPU()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				s := sessions[i]
				var err error
				if variant == "raw_pgx" {
					var tag interface{ RowsAffected() int64 }
					tag, err = pool.Exec(ctx, `UPDATE surveyflow_sessions SET version = version + 1, state = $4, rating = 5, rated_at = $5, doc = $6
						WHERE tenant_id = $1 AND id = $2 AND version = $3`,
						s.TenantID, s.ID, s.Version, string(survey.StateAwaitingComment), clock.Now(), docs[i])
					if err == nil && tag.RowsAffected() != 1 {
						err = fmt.Errorf("session %s: version %d is stale", s.ID, s.Version)
					}
				} else {
					var res *survey.Result
					res, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: s.TenantID, ContactID: s.ContactID,
						Channel: s.Channel, MessageID: "r-" + s.ID, Text: "5"})
					if err == nil && !res.Consumed {
						err = fmt.Errorf("session %s: the rating was not taken", s.ID)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	clientCPU := processCPU() - cpu
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(float64(counter.n.Load())/float64(b.N), "statements/step")
	b.ReportMetric(float64(clientCPU.Microseconds())/float64(b.N), "client-CPU-µs/step")
	var rated int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM surveyflow_sessions WHERE tenant_id = 't1' AND rating = 5 AND id = ANY($1)",
		ids(sessions)).Scan(&rated); err != nil {
		b.Fatal(err)
	}
	if rated != b.N {
		b.Fatalf("%d of %d sessions rated", rated, b.N)
	}
}

// processCPU is the CPU time this process (the client) has used, user and
// system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ids(sessions []*survey.Session) []string {
	out := make([]string, len(sessions))
	for i, s := range sessions {
		out[i] = s.ID
	}
	return out
}
