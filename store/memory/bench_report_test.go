package memory_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

type benchData struct {
	st       *memory.Store
	sessions []*survey.Session
}

var benchStores sync.Map // size → benchData

// benchStore returns a memory store holding storebench.BenchSessions(n),
// stored with Create, and the sessions themselves.
func benchStore(t testing.TB, n int) benchData {
	if d, ok := benchStores.Load(n); ok {
		return d.(benchData)
	}
	d := benchData{st: memory.New(), sessions: storebench.BenchSessions(n)}
	for _, s := range d.sessions {
		require.NoError(t, d.st.Create(context.Background(), s))
	}
	benchStores.Store(n, d)
	return d
}

// plainGrouping is the per-agent report written by hand over sessions in
// memory: a map of summaries, each agent once per session, with the same
// figures as the library's (scores, surveys sent, times to rate).
func plainGrouping(sessions []*survey.Session) *report.Report {
	scale := scoring.CSAT5()
	overall, byAgent := scoring.NewSummary(scale), map[string]*scoring.Summary{}
	add := func(s *scoring.Summary, x *survey.Session) {
		if !x.SentAt.IsZero() {
			s.AddSent(1)
		}
		if x.Rated && s.Add(x.Rating) && !x.SentAt.IsZero() {
			s.AddResponseTime(max(x.RatedAt.Sub(x.SentAt), 0))
		}
	}
	for _, x := range sessions {
		add(overall, x)
		for i, a := range x.Agents {
			if seen(x.Agents[:i], a.ID) {
				continue
			}
			s := byAgent[a.ID]
			if s == nil {
				s = scoring.NewSummary(scale)
				byAgent[a.ID] = s
			}
			add(s, x)
		}
	}
	r := &report.Report{Scale: scale, Overall: overall, ByAgent: scoring.NewTable(scale)}
	for k, s := range byAgent {
		_ = r.ByAgent.Row(k).Merge(s)
	}
	return r
}

func seen(agents []survey.Participant, id string) bool {
	for _, a := range agents {
		if a.ID == id {
			return true
		}
	}
	return false
}

// BenchmarkReportFromStore times store → per-agent report: the report
// package over the memory store (library) against a plain grouping of the
// same sessions in memory (plain_grouping), in the same run.
func BenchmarkReportFromStore(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		d := benchStore(b, n)
		storebench.BenchReport(b, n, d.st, "plain_grouping", func() (*report.Report, error) { return plainGrouping(d.sessions), nil })
	}
}

// BenchmarkRegistryPage times the registry's first and last page of 50.
func BenchmarkRegistryPage(b *testing.B) {
	for _, n := range storebench.BenchSizes() {
		storebench.BenchRegistryPage(b, n, benchStore(b, n).st)
	}
}

func TestPlainGroupingGivesTheLibrarysReport(t *testing.T) {
	d := benchStore(t, 3000)
	storebench.CheckBaseline(t, 3000, d.st, func() (*report.Report, error) { return plainGrouping(d.sessions), nil })
}
