package i18n

import (
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// Benchmarks compare each operation with a baseline measured in the same
// run; report the ratios (go test -bench . -benchmem ./i18n/).

var benchVars = Vars{"contact": "María", "agent": "Ana", "min": "1", "max": "5", "hours": "24"}

// BenchmarkRender: a shipped prompt with two placeholders, rendered by
// Render (parses every call) and by Catalog.Render (parsed once, at
// NewCatalog), against strings.Replacer doing the bare substitution with
// no escaping and no checks.
func BenchmarkRender(b *testing.B) {
	tmpl := shippedTexts["en"][KeyRatingReprompt]
	b.Run("baseline=strings.Replacer", func(b *testing.B) {
		r := strings.NewReplacer("{min}", "1", "{max}", "5")
		for b.Loop() {
			_ = r.Replace(tmpl)
		}
	})
	b.Run("Render", func(b *testing.B) {
		for b.Loop() {
			if _, err := Render(tmpl, benchVars, Plain); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Catalog.Render", func(b *testing.B) {
		c := Shipped()
		for b.Loop() {
			if _, err := c.Render(language.English, KeyRatingReprompt, benchVars, Plain); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Catalog.Render/plural-ru", func(b *testing.B) {
		c := Shipped()
		for b.Loop() {
			if _, err := c.Render(language.Russian, KeyExpired, benchVars, Plain); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMatch: Catalog.Match (parse the preference, match, map the index
// back) against calling the x/text matcher with an already parsed tag.
func BenchmarkMatch(b *testing.B) {
	c := Shipped()
	b.Run("baseline=language.Matcher", func(b *testing.B) {
		m := language.NewMatcher(c.tags)
		tag := language.MustParse("es-AR")
		for b.Loop() {
			_, _, _ = m.Match(tag)
		}
	})
	b.Run("Catalog.Match", func(b *testing.B) {
		for b.Loop() {
			_, _ = c.Match("es-AR")
		}
	})
}

// BenchmarkRatingRequestText: a whole seed-000 text message, against
// building the same string by hand from fixed labels.
func BenchmarkRatingRequestText(b *testing.B) {
	c := Shipped()
	opts := []Option{{Value: 1, Emoji: "1️⃣"}, {Value: 2, Emoji: "2️⃣"}, {Value: 3, Emoji: "3️⃣"}, {Value: 4, Emoji: "4️⃣"}, {Value: 5, Emoji: "5️⃣"}}
	b.Run("baseline=concatenation", func(b *testing.B) {
		prompt := shippedTexts["es"][KeyRatingPrompt]
		labels := []string{"Muy insatisfecho", "Insatisfecho", "Neutral", "Satisfecho", "Muy satisfecho"}
		for b.Loop() {
			var sb strings.Builder
			sb.WriteString(prompt)
			sb.WriteString("\n")
			for i, o := range opts {
				sb.WriteString("\n" + o.Emoji + " " + labels[i])
			}
			_ = sb.String()
		}
	})
	b.Run("RatingRequest+Text", func(b *testing.B) {
		for b.Loop() {
			r, err := c.RatingRequest(language.Spanish, KeyRatingPrompt, ScaleCSAT5, opts, benchVars)
			if err != nil {
				b.Fatal(err)
			}
			_ = r.Text()
		}
	})
}
