package postgres_test

import (
	"context"
	"testing"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/report"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// BenchmarkUpdate compares one optimistic-concurrency write on PostgreSQL
// with the in-memory store (the baseline).
func BenchmarkUpdate(b *testing.B) {
	for _, name := range []string{"memory", "postgres"} {
		b.Run(name, func(b *testing.B) {
			var st survey.Store = memory.New()
			if name == "postgres" {
				st, _ = newStore(b)
			}
			s := storetest.NewSession("t1", "hot", 0)
			if err := st.Create(context.Background(), s); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				s.Reprompts++
				if err := st.Update(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReport compares the report computed in Go over the Responses
// iterator (the baseline) with the GROUP BY pushed down to PostgreSQL, on
// 3000 sessions.
func BenchmarkReport(b *testing.B) {
	st, _ := newStore(b)
	seedResponses(b, st, 3000)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		run  func() (*survey.Report, error)
	}{
		{"go", func() (*survey.Report, error) {
			return report.Build(ctx, st, "t1", survey.ResponseFilter{}, scoring.CSAT5())
		}},
		{"sql", func() (*survey.Report, error) {
			return st.Report(ctx, "t1", survey.ResponseFilter{}, scoring.CSAT5())
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := tt.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
