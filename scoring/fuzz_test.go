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
