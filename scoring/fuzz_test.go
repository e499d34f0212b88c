package scoring

import (
	"errors"
	"testing"
)

// fuzzParsers are parsers of every built-in scale, with label words in
// several scripts.
func fuzzParsers(t testing.TB) []*Parser {
	var ps []*Parser
	for _, s := range Scales() {
		words := map[string]int{}
		if s == CSAT5() || s == Emoji5() {
			for _, lang := range []string{"en", "es", "ru"} {
				for w, v := range csat5Words[lang] {
					words[w] = v
				}
			}
		}
		ps = append(ps, mustParser(t, s, words))
	}
	// Number words of every shipped language, one parser per language.
	for lang := range tenWords {
		for _, s := range []*Scale{CSAT5(), NPS10()} {
			ps = append(ps, numberParser(t, s, lang))
		}
	}
	return ps
}

// FuzzParse checks that Parse never panics, never returns a value outside
// the scale, and always returns either a score or one of its three errors.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"5", "10", "4/5", "4 out of 5", "I'd give a 4", "1️⃣", "1️⃣0️⃣", "🔟", "５", "٤", "⑩",
		"⭐⭐⭐⭐", "★★★☆☆", "5 ⭐", "😄", "👍🏽", "rating:5", "rating:-3", "muy satisfecho",
		"ОЧЕНЬ ДОВОЛЕН", "not satisfied", "4.5", "-1", "\xff\xfe", "\u20E3", "5\uFE0F\u20E3\u20E3",
		"Ни сложно, ни легко", "no, muy satisfecho", "9999999999999999999999",
		"nueve", "un nueve", "diez!", "девять", "ДЕВЯТЬ", "dix", "un neuf", "zehn", "eine Zehn", "três", "tres",
		"sechs", "один", "одна", "две", "четыре из пяти", "someone", "none", "no one", "one of the best",
		"cuatro de cinco", "4 de cinco", "⭐ cinco", "cinco5", "fünf", "FU\u0308NF", "dix-sept", "n't five",
	} {
		f.Add(seed)
	}
	ps := fuzzParsers(f)
	f.Fuzz(func(t *testing.T, reply string) {
		for _, p := range ps {
			v, err := p.Parse(reply)
			if err != nil {
				if !errors.Is(err, ErrNoScore) && !errors.Is(err, ErrAmbiguous) && !errors.Is(err, ErrOutOfRange) {
					t.Fatalf("%s: Parse(%q) returned an untyped error: %v", p.Scale().ID(), reply, err)
				}
				if v != 0 {
					t.Fatalf("%s: Parse(%q) returned %d with an error", p.Scale().ID(), reply, v)
				}
				continue
			}
			if !p.Scale().Contains(v) {
				t.Fatalf("%s: Parse(%q) = %d, outside the scale", p.Scale().ID(), reply, v)
			}
		}
	})
}

// FuzzSummary feeds arbitrary values to summaries of every built-in scale
// and checks the figures stay consistent and in range.
func FuzzSummary(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5}, uint8(3))
	f.Add([]byte{}, uint8(0))
	f.Add([]byte{0, 0, 10, 10, 9, 200}, uint8(255))
	f.Fuzz(func(t *testing.T, values []byte, sent uint8) {
		for _, scale := range Scales() {
			s := NewSummary(scale)
			var added int64
			for _, b := range values {
				if s.Add(int(b)) {
					added++
				}
			}
			s.AddSent(int64(sent))
			var total int64
			for _, n := range s.Distribution() {
				total += n
			}
			if total != s.Count() || added != s.Count() {
				t.Fatalf("%s: count %d, distribution total %d, added %d", scale.ID(), s.Count(), total, added)
			}
			if s.Promoters()+s.Detractors() > s.Count() || s.SatisfiedCount() > s.Count() {
				t.Fatalf("%s: band counts exceed the count", scale.ID())
			}
			for name, v := range map[string]float64{"CSAT": s.SatisfiedPercent(), "NPS+100": (s.NPS() + 100) / 2} {
				if v < 0 || v > 100 {
					t.Fatalf("%s: %s = %v out of range", scale.ID(), name, v)
				}
			}
			if s.Count() > 0 && (s.Mean() < float64(scale.Min()) || s.Mean() > float64(scale.Max())) {
				t.Fatalf("%s: mean %v off the scale", scale.ID(), s.Mean())
			}
			for _, get := range []func(float64) (Interval, error){s.SatisfiedInterval, s.NPSInterval} {
				iv, err := get(0.95)
				if err != nil {
					t.Fatal(err)
				}
				if !(iv.Lower <= iv.Upper) || iv.Lower < -100 || iv.Upper > 100 {
					t.Fatalf("%s: bad interval %+v", scale.ID(), iv)
				}
			}
		}
	})
}

// FuzzGrouperRowsMatchAPlainMap groups responses whose agent IDs are cut
// from one backing string (so equal IDs may or may not share storage, and
// different IDs may share a start) and checks every row, and the overall
// count, against counts kept in a plain map.
func FuzzGrouperRowsMatchAPlainMap(f *testing.F) {
	f.Add("abababab", []byte{0, 2, 2, 2, 0, 3, 1, 4})
	f.Add("ana bob ana", []byte{0, 3, 8, 3, 4, 3, 0, 0})
	f.Add("\xff\xfe\x00x", []byte{0, 1, 1, 1, 2, 2})
	f.Fuzz(func(t *testing.T, backing string, cuts []byte) {
		for _, o := range []GroupOptions{{By: ByAgent, Attribution: LastAgent}, {By: ByAgent}, {By: ByChannel}} {
			g, err := NewGrouper(CSAT5(), o)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{}
			var n int64
			for i := 0; i+1 < len(cuts); i += 2 {
				from := int(cuts[i]) % (len(backing) + 1)
				to := from + int(cuts[i+1])%(len(backing)-from+1)
				key := backing[from:to]
				r := Response{Value: 1 + i%5, Agents: []string{key}, Channel: key}
				if !g.Add(&r) {
					t.Fatalf("value %d refused", r.Value)
				}
				n++
				if key != "" {
					want[key]++
				}
			}
			if g.Overall().Count() != n {
				t.Fatalf("%v: overall %d, added %d", o, g.Overall().Count(), n)
			}
			if len(g.Table().Keys()) != len(want) {
				t.Fatalf("%v: %d rows, want %d", o, len(g.Table().Keys()), len(want))
			}
			for k, c := range want {
				if got := g.Table().Get(k); got == nil || got.Count() != c {
					t.Fatalf("%v: row %q = %v, want count %d", o, k, got, c)
				}
			}
		}
	})
}
