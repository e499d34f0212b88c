package postgres_test

import (
	"context"
	"testing"

	"github.com/surveyflow/surveyflow/store/memory"
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
				s.Rating++
				if err := st.Update(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
