package i18n

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

var shippedLanguages = []string{"es", "en", "fr", "ru", "pt", "de"}

func placeholderSet(tmpl string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range Placeholders(tmpl) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// allVars gives every known placeholder a value, as the engine should.
func allVars() Vars {
	return Vars{"contact": "María", "agent": "Ana", "company": "Acme", "min": "1", "max": "5", "rating": "4", "link": "https://example.com/r/1", "hours": "24"}
}

func TestShippedCatalogHasEveryLanguageTheSeedsAndTheIssueNeed(t *testing.T) {
	var got []string
	for _, tag := range Shipped().Languages() {
		got = append(got, tag.String())
	}
	assert.ElementsMatch(t, shippedLanguages, got)
	assert.Equal(t, language.English, Shipped().Default())
}

func TestEveryShippedLanguageHasEveryKey(t *testing.T) {
	c := Shipped()
	for _, tag := range c.Languages() {
		for _, k := range ShippedKeys() {
			assert.True(t, c.Has(tag, k), "%s lacks %q", tag, k)
			text, _ := c.Text(tag, k)
			assert.NotEmpty(t, strings.TrimSpace(text), "%s has an empty %q", tag, k)
		}
	}
}

func TestShippedLanguagesHaveNoKeysOutsideTheKnownList(t *testing.T) {
	known := map[Key]bool{}
	for _, k := range ShippedKeys() {
		known[k] = true
	}
	for lang, texts := range shippedTexts {
		for k := range texts {
			assert.True(t, known[k], "%s has %q, which ShippedKeys does not list (a typo?)", lang, k)
		}
	}
}

func TestEveryKeyUsesTheSamePlaceholdersInEveryLanguage(t *testing.T) {
	c := Shipped()
	for _, k := range ShippedKeys() {
		want := placeholderSet(shippedTexts["en"][k])
		for _, tag := range c.Languages() {
			text, _ := c.Text(tag, k)
			assert.Equal(t, want, placeholderSet(text), "%s %q uses other placeholders than English", tag, k)
		}
	}
}

func TestShippedCatalogPassesValidation(t *testing.T) {
	c := Shipped()
	require.NoError(t, c.Validate(ShippedKeys()...))
	for id := range shippedScales {
		vals, ok := ScaleValues(id)
		require.True(t, ok)
		assert.NoError(t, c.ValidateLabels(id, vals), id)
	}
}

func TestEveryShippedTextRendersInBothFormatsWithoutBracesLeft(t *testing.T) {
	c := Shipped()
	for _, tag := range c.Languages() {
		for _, k := range ShippedKeys() {
			for _, f := range []Format{Plain, HTML} {
				out, err := c.Render(tag, k, allVars(), f)
				require.NoError(t, err, "%s %q %s", tag, k, f)
				assert.NotContains(t, out, "{", "%s %q %s", tag, k, f)
				if f == Plain {
					assert.NotContains(t, out, "#", "%s %q: a plural branch's # was not replaced", tag, k)
				}
			}
		}
	}
}

// The Spanish CSAT flow keeps seed 000's wording, with its two tú forms
// ("Ayúdanos", "tu comentario") in usted like the rest of the flow.
func TestSpanishCSATFlowKeepsAnsweredLongAndRecentWordingInUsted(t *testing.T) {
	es := language.Spanish
	want := map[Key]string{
		KeyRatingPrompt:  "Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?",
		KeyCommentPrompt: "Si tiene un comentario, déjelo a continuación 👇",
		KeyThanks:        "¡Gracias por su comentario!",
		"csat5.1":        "Muy insatisfecho",
		"csat5.2":        "Insatisfecho",
		"csat5.3":        "Neutral",
		"csat5.4":        "Satisfecho",
		"csat5.5":        "Muy satisfecho",
	}
	for k, w := range want {
		got, ok := Shipped().Text(es, k)
		assert.True(t, ok, k)
		assert.Equal(t, w, got, k)
	}
}

func TestFrenchCSATScaleUsesSeed001Names(t *testing.T) {
	for k, w := range map[Key]string{"csat5.5": "Très satisfait", "csat5.4": "Satisfait"} {
		got, _ := Shipped().Text(language.French, k)
		assert.Equal(t, w, got)
	}
}

func TestShippedScaleKeysMatchTheScoringPackage(t *testing.T) {
	cases := []struct {
		id       string
		min, max int
	}{
		{"csat5", 1, 5}, {"emoji5", 1, 5}, {"nps10", 0, 10}, {"nps10from1", 1, 10}, {"ces7", 1, 7}, {"thumbs", 0, 1},
	}
	for _, tc := range cases {
		vals, ok := ScaleValues(tc.id)
		require.True(t, ok, tc.id)
		assert.Equal(t, tc.min, vals[0], tc.id)
		assert.Equal(t, tc.max, vals[len(vals)-1], tc.id)
		assert.Equal(t, Key(tc.id+"."+"1"), LabelKey(tc.id, 1))
	}
	_, ok := ScaleValues("stars7")
	assert.False(t, ok)
}

func TestNPSEndLabelsAreWordsAndTheMiddleIsDigits(t *testing.T) {
	c := Shipped()
	for _, tag := range c.Languages() {
		for _, k := range []Key{"nps10.0", "nps10.10", "nps10from1.1", "nps10from1.10"} {
			text, _ := c.Text(tag, k)
			assert.True(t, hasLetter(text), "%s %q = %q", tag, k, text)
		}
		text, _ := c.Text(tag, "nps10.5")
		assert.Equal(t, "5", text)
	}
}

func TestShippedSynonymsNeverContradictTheLabels(t *testing.T) {
	c := Shipped()
	for scaleID, lists := range synonyms {
		vals, _ := ScaleValues(scaleID)
		for lang, words := range lists {
			tag := language.MustParse(lang)
			got := c.LabelWords(tag, scaleID, vals)
			for w, v := range words {
				for _, form := range wordForms(w) {
					assert.Equal(t, v, got[form], "%s %s: synonym %q (as %q) lost or changed", lang, scaleID, w, form)
				}
			}
		}
	}
}

func TestEveryLabelReadsBackAsItsValue(t *testing.T) {
	c := Shipped()
	for scaleID := range shippedScales {
		vals, _ := ScaleValues(scaleID)
		for _, tag := range c.Languages() {
			words := c.LabelWords(tag, scaleID, vals)
			for _, v := range vals {
				label, _ := c.Text(tag, LabelKey(scaleID, v))
				if !hasLetter(label) {
					continue
				}
				assert.Equal(t, v, words[fold(label)], "%s %s label %q", tag, scaleID, label)
			}
		}
	}
}
