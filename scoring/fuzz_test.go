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
