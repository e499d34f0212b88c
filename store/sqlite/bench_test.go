package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// benchStores are the stores each benchmark compares; memory is the
// baseline.
func benchStores(b *testing.B) map[string]func() survey.Store {
	return map[string]func() survey.Store{
		"memory":        func() survey.Store { return memory.New() },
		"sqlite-file":   func() survey.Store { return newStore(b, openFile(b)) },
		"sqlite-memory": func() survey.Store { return newStore(b, openMemory(b)) },
	}
}

func BenchmarkUpdate(b *testing.B) {
	for name, mk := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			st := mk()
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

func BenchmarkRegistry1000(b *testing.B) {
	for name, mk := range benchStores(b) {
		b.Run(name, func(b *testing.B) {
			st := mk()
			for i := 0; i < 1000; i++ {
				s := storetest.Rate(storetest.NewSession("t1", fmt.Sprintf("s%04d", i), i), i%5+1, time.Unix(int64(i), 0))
				if err := st.Create(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				n := 0
				for _, err := range report.All(context.Background(), st.(report.Source), "t1", report.Filter{}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != 1000 {
					b.Fatalf("%d responses", n)
				}
			}
		})
	}
}
