package scoring

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// comment500 is a 500-character comment that names no score.
var comment500 = func() string {
	s := strings.Repeat("El agente tardó bastante en contestar, pero al final me explicó cómo cambiar la dirección de envío y el pedido llegó a tiempo. ", 5)
	return s[:500]
}()

// BenchmarkBaselineAtoi is the baseline for BenchmarkParse: the standard
// library reading "5".
func BenchmarkBaselineAtoi(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := strconv.Atoi("5"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	p := mustParser(b, CSAT5(), csat5Words["es"])
	for _, c := range []struct {
		name, reply string
		want        int
	}{
		{"digit", "5", 5},
		{"keycap", "5️⃣", 5},
		{"words", "muy satisfecho", 5},
		{"comment500", comment500, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, _ := p.Parse(c.reply)
				if v != c.want {
					b.Fatalf("Parse(%q) = %d, want %d", c.reply, v, c.want)
				}
			}
		})
	}
}

// BenchmarkBaselineCounter is the baseline for BenchmarkSummaryAdd: a bare
// increment of a counter slice.
func BenchmarkBaselineCounter(b *testing.B) {
	b.ReportAllocs()
	dist := make([]int64, 5)
	i := 0
	for b.Loop() {
		dist[i%5]++
		i++
	}
	if dist[0] == 0 && i > 5 {
		b.Fatal("nothing counted")
	}
}

func BenchmarkSummaryAdd(b *testing.B) {
	b.ReportAllocs()
	s := NewSummary(CSAT5())
	i := 0
	for b.Loop() {
		s.Add(1 + i%5)
		i++
	}
	if s.Count() != int64(i) {
		b.Fatalf("counted %d of %d", s.Count(), i)
	}
}

func BenchmarkTableAddExistingKey(b *testing.B) {
	b.ReportAllocs()
	t := NewTable(CSAT5())
	keys := []string{"ana", "bob", "carla", "dmitri"}
	for _, k := range keys {
		t.Add(k, 3)
	}
	i := 0
	for b.Loop() {
		t.Add(keys[i%4], 1+i%5)
		i++
	}
}

const million = 1_000_000

var (
	millionOnce      sync.Once
	millionResponses []Response
)

// responses1M returns a million generated responses: 200 agents in 20
// groups, one to three agents per conversation, over 90 days.
func responses1M() []Response {
	millionOnce.Do(func() {
		agents := make([]string, 200)
		for i := range agents {
			agents[i] = fmt.Sprintf("agent-%03d", i)
		}
		groups := make([]string, 20)
		for i := range groups {
			groups[i] = fmt.Sprintf("group-%02d", i)
		}
		// Participant lists are shared, as a store's decoded rows would be.
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
		millionResponses = make([]Response, million)
		for i := range millionResponses {
			l := lists[next()%uint64(len(lists))]
			millionResponses[i] = Response{
				Value:    1 + int(next()%5),
				Agents:   l,
				Assignee: l[len(l)-1],
				Groups:   []string{groups[next()%uint64(len(groups))]},
				Channel:  "whatsapp",
				Survey:   "csat",
				At:       base.Add(time.Duration(i) * 90 * 24 * time.Hour / million),
			}
		}
		runtime.GC() // keep the generation's garbage out of the measurements
	})
	return millionResponses
}

// BenchmarkBaselineSum1M is the baseline for BenchmarkGroup1M: one pass
// over the million responses adding every value to a single summary.
func BenchmarkBaselineSum1M(b *testing.B) {
	rs := responses1M()
	b.ReportAllocs()
	for b.Loop() {
		s := NewSummary(CSAT5())
		for i := range rs {
			s.Add(rs[i].Value)
		}
		if s.Count() != million {
			b.Fatal("lost responses")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/million, "ns/response")
}

// BenchmarkGroup1M groups a million responses in one pass.
func BenchmarkGroup1M(b *testing.B) {
	rs := responses1M()
	for _, o := range []GroupOptions{{By: ByAgent}, {By: ByAgent, Attribution: LastAgent}, {By: ByGroup}, {By: ByDay}} {
		name := o.By.String()
		if o.By == ByAgent {
			name += "/" + strings.ReplaceAll(o.Attribution.String(), " ", "-")
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, overall, skipped, err := Group(CSAT5(), rs, o)
				if err != nil || skipped != 0 || overall.Count() != million {
					b.Fatalf("grouping failed: %v, %d skipped", err, skipped)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/million, "ns/response")
		})
	}
	// The same by last agent, with every response's agent IDs in storage
	// of their own (as from a decoder that allocates each string): the
	// grouper's row cache never hits and every response hashes its key.
	b.Run("agent/last-agent/unshared-ids", func(b *testing.B) {
		own := make([]Response, len(rs))
		for i, r := range rs {
			r.Agents = make([]string, len(r.Agents))
			for j, a := range rs[i].Agents {
				r.Agents[j] = strings.Clone(a)
			}
			own[i] = r
		}
		runtime.GC()
		o := GroupOptions{By: ByAgent, Attribution: LastAgent}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			_, overall, skipped, err := Group(CSAT5(), own, o)
			if err != nil || skipped != 0 || overall.Count() != million {
				b.Fatalf("grouping failed: %v, %d skipped", err, skipped)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/million, "ns/response")
	})
}
