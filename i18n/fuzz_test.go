package i18n

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// FuzzRender feeds arbitrary templates and values to the template parser
// and renderer: they must never panic, must return either text or a
// syntax / missing-value / number error, and whatever they return must be
// valid UTF-8 with no markup from the values in HTML.
func FuzzRender(f *testing.F) {
	for _, texts := range shippedTexts {
		for _, t := range texts {
			f.Add(t, "María", "4")
		}
	}
	for _, seed := range []struct{ tmpl, name, num string }{
		{"Hi {contact}", "<script>", "1"},
		{"{{ {contact", "\xff\xfe", "x"},
		{"{rating, plural, =1 {one #} few {# few} other {{contact} #}}", "\u202eevil", "21"},
		{"{rating, plural, other {#}}", "", "-0.50"},
		{"{rating, plural, one {{rating, plural, other {#}}} other {}}", "a\nb", "1"},
		{"{rating,plural,other{#}", "", "1"},
		{"}}}{{{", "&amp;", "99999999999999999999999"},
		{"{ contact }{max}", "x", "1."},
		{"\xc3", "", ""},
	} {
		f.Add(seed.tmpl, seed.name, seed.num)
	}
	f.Fuzz(func(t *testing.T, tmpl, name, num string) {
		if len(tmpl) > 4096 {
			return
		}
		vars := Vars{"contact": name, "agent": name, "rating": num, "hours": num, "min": num, "max": num}
		names := Placeholders(tmpl)
		for _, format := range []Format{Plain, HTML} {
			for _, lang := range []language.Tag{language.English, language.Russian, language.French} {
				out, err := RenderIn(lang, tmpl, vars, format)
				if err != nil {
					if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrMissingValue) && !errors.Is(err, ErrNotANumber) {
						t.Fatalf("unexpected error kind for %q: %v", tmpl, err)
					}
					continue
				}
				if !utf8.ValidString(out) {
					t.Fatalf("invalid UTF-8 out of %q: %q", tmpl, out)
				}
				if CheckTemplate(tmpl) != nil {
					t.Fatalf("rendered %q but CheckTemplate rejects it", tmpl)
				}
				if format == HTML && strings.Contains(name, "<") && strings.Contains(out, "<") && !strings.Contains(tmpl, "<") {
					t.Fatalf("markup from a value leaked: %q", out)
				}
			}
		}
		if CheckTemplate(tmpl) == nil {
			for _, n := range names {
				if _, ok := vars[n]; !ok {
					if _, err := Render(tmpl, vars, Plain); !errors.Is(err, ErrMissingValue) {
						t.Fatalf("placeholder {%s} without value did not fail: %v", n, err)
					}
					return
				}
			}
		}
	})
}
