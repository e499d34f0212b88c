package memory_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// activeSession is a realistic waiting session, as the engine creates it
// after a close and sends at once: a 32-character ID, its own
// conversation and contact IDs and contact name, a language, the send and
// the contact's last message times, and one of 200 agents (in 10 groups)
// as its agent, assignee and last agent.
func activeSession(i int, deadline time.Time) *survey.Session {
	n := strconv.Itoa(i)
	s := storetest.NewSession("acme", "0123456789abcdef0123456789"+pad6(n), 0)
	s.ConversationID, s.ContactID, s.ContactName = "conv-"+n, "contact-"+n, "María "+n
	agent := "agent-" + strconv.Itoa(i%200)
	s.Agents = []survey.Participant{{ID: agent, Name: "Agent " + strconv.Itoa(i%200), Kind: survey.Human, Groups: []string{"group-" + strconv.Itoa(i%10)}}}
	s.Assignee, s.LastAgent, s.Trigger = agent, agent, survey.TriggerClose
	s.SentAt, s.LastContactAt = s.ClosedAt, s.ClosedAt.Add(-time.Minute)
	s.Deadline = deadline
	return s
}

func pad6(n string) string {
	for len(n) < 6 {
		n = "0" + n
	}
	return n
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkBytesPerSession creates n active sessions and reports the heap
// they hold (runtime.MemStats.HeapAlloc after GC, before and after) per
// session: the memory store's footprint, target ≤ 768 bytes. The session's
// own strings (IDs, names) are counted. "delivered" is a survey whose
// rating request the host has delivered (acknowledged), the usual state of
// an open survey; "undelivered" still holds the request as a pending
// effect, as it does between the close and the host's delivery.
//
//	go test -run '^$' -bench BytesPerSession -benchtime=1x ./store/memory
//	SURVEYFLOW_BENCH_1M=1 go test -run '^$' -bench BytesPerSession -benchtime=1x ./store/memory
func BenchmarkBytesPerSession(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		for _, state := range []string{"delivered", "undelivered"} {
			b.Run(state+"/"+strconv.Itoa(n), func(b *testing.B) {
				ctx := context.Background()
				deadline := time.Date(2026, 5, 5, 10, 0, 0, 0, time.UTC)
				var perSession float64
				for b.Loop() {
					before := heapInUse()
					st := memory.New()
					for i := range n {
						s := activeSession(i, deadline.Add(time.Duration(i)*time.Millisecond))
						if state == "undelivered" {
							s.Pending = []survey.PendingEffect{{Key: s.ID + "/rating_request", Kind: string(survey.KindRatingRequest), DecidedAt: s.SentAt}}
						}
						if err := st.Create(ctx, s); err != nil {
							b.Fatal(err)
						}
					}
					after := heapInUse()
					perSession = float64(after-before) / float64(n)
					if _, err := st.Load(ctx, "acme", activeSession(n-1, deadline).ID); err != nil {
						b.Fatal(err) // also keeps st alive until after the measurement
					}
				}
				b.ReportMetric(perSession, "B/session")
			})
		}
	}
}

// BenchmarkSweep measures one engine sweep that finds and expires 100 due
// sessions among n stored ones whose deadlines lie ahead. With a deadline
// index the cost follows the 100 due, not n: compare the sizes.
//
//	go test -run '^$' -bench 'Sweep' -benchmem ./store/memory
func BenchmarkSweep(b *testing.B) {
	const due = 100
	for _, n := range storebench.BenchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			now := time.Date(2026, 5, 5, 10, 0, 0, 0, time.UTC)
			clock := surveytest.NewClock(now)
			st := memory.New()
			e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				if err := st.Create(ctx, activeSession(i, now.Add(time.Hour+time.Duration(i)*time.Millisecond))); err != nil {
					b.Fatal(err)
				}
			}
			next := n
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				for range due {
					if err := st.Create(ctx, activeSession(next, now.Add(-time.Minute))); err != nil {
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
		})
	}
}
