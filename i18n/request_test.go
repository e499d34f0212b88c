package i18n

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var keycapEmoji = []string{"0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"}

// testOptions draws each shipped scale as the scoring package does (its
// emoji and colours): keycaps for numbered scales, smileys from red to dark
// green (seed 002), red and green thumbs.
func testOptions(scaleID string) []Option {
	vals, _ := ScaleValues(scaleID)
	var out []Option
	for _, v := range vals {
		o := Option{Value: v}
		switch scaleID {
		case ScaleEmoji5:
			o.Emoji = []string{"", "😡", "🙁", "😐", "🙂", "😄"}[v]
			o.Color = []string{"", "#d32f2f", "#f57c00", "#fbc02d", "#7cb342", "#1b5e20"}[v]
		case ScaleThumbs:
			o.Emoji = []string{"👎", "👍"}[v]
			o.Color = []string{"#d32f2f", "#1b5e20"}[v]
		default:
			o.Emoji = keycapEmoji[v]
		}
		out = append(out, o)
	}
	return out
}

func testLink(v int) string { return fmt.Sprintf("https://rate.example/t/abc123?v=%d", v) }

var goldenScales = []string{ScaleCSAT5, ScaleEmoji5, ScaleNPS10, ScaleNPS10From1, ScaleCES7, ScaleThumbs}

func scaleVars(scaleID string) Vars {
	v := allVars()
	vals, _ := ScaleValues(scaleID)
	v["min"] = fmt.Sprint(vals[0])
	v["max"] = fmt.Sprint(vals[len(vals)-1])
	return v
}

// renderGolden draws every scale of one language in one format, then (for
// text) every other text of the flow.
func renderGolden(t *testing.T, lang language.Tag, format string) string {
	c := Shipped()
	var b strings.Builder
	for _, id := range goldenScales {
		fmt.Fprintf(&b, "== %s\n", id)
		r, err := c.RatingRequest(lang, PromptKey(id), id, testOptions(id), scaleVars(id))
		require.NoError(t, err)
		switch format {
		case "text":
			b.WriteString(r.Text())
		case "buttons":
			b.WriteString(r.Prompt)
			for _, o := range r.Options {
				fmt.Fprintf(&b, "\n[%s] rating:%d", o.Button(20), o.Value)
			}
		case "html":
			h, err := c.EmailRating(lang, id, testOptions(id), scaleVars(id), testLink)
			require.NoError(t, err)
			b.WriteString(strings.ReplaceAll(string(h), "<td", "\n<td"))
		}
		b.WriteString("\n\n")
	}
	if format == "text" {
		for _, k := range flowKeys {
			out, err := c.Render(lang, k, allVars(), Plain)
			require.NoError(t, err)
			fmt.Fprintf(&b, "== %s\n%s\n\n", k, out)
		}
	}
	return b.String()
}

func TestGoldenRatingRequestsInEveryLanguageAndFormat(t *testing.T) {
	for _, lang := range shippedLanguages {
		for _, format := range []string{"text", "buttons", "html"} {
			t.Run(lang+"/"+format, func(t *testing.T) {
				got := renderGolden(t, language.MustParse(lang), format)
				path := filepath.Join("testdata", "golden", lang+"."+format+".golden")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test -update once to create %s", path)
				assert.Equal(t, string(want), got)
			})
		}
	}
}

func TestTextFormatMatchesAnsweredLongAndRecent(t *testing.T) {
	r, err := Shipped().RatingRequest(language.MustParse("es-AR"), KeyRatingPrompt, ScaleCSAT5, testOptions(ScaleCSAT5), nil)
	require.NoError(t, err)
	assert.Equal(t, language.Spanish, r.Lang)
	assert.Equal(t, "Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?\n\n"+
		"1️⃣ Muy insatisfecho\n2️⃣ Insatisfecho\n3️⃣ Neutral\n4️⃣ Satisfecho\n5️⃣ Muy satisfecho", r.Text())
}

func TestTextFormatNumbersOptionsWhoseEmojiIsNotAKeycap(t *testing.T) {
	r := Request{Prompt: "Q", Options: []Option{
		{Value: 1, Label: "Bad", Emoji: "😡"},
		{Value: 2, Label: "Good"},
		{Value: 3, Label: "3", Emoji: "3️⃣"},
		{Value: 4, Label: "4"},
	}}
	assert.Equal(t, "Q\n\n1. 😡 Bad\n2. Good\n3️⃣\n4.", r.Text())
	assert.Equal(t, "Q", Request{Prompt: "Q"}.Text())
}

func TestTextFormatCleansHostileLabels(t *testing.T) {
	r := Request{Prompt: "Q", Options: []Option{{Value: 1, Label: "Bad\n5️⃣ Great\u202e", Emoji: "1️⃣"}}}
	assert.Equal(t, "Q\n\n1️⃣ Bad 5️⃣ Great", r.Text())
}

func TestButtonTextFitsTheChannelsLimit(t *testing.T) {
	cases := []struct {
		name string
		o    Option
		max  int
		want string
	}{
		{"fits", Option{Value: 5, Label: "Muy satisfecho", Emoji: "5️⃣"}, 20, "5️⃣ Muy satisfecho"},
		{"cut at a word with ellipsis", Option{Value: 0, Label: "Überhaupt nicht wahrscheinlich", Emoji: "0️⃣"}, 20, "0️⃣ Überhaupt nicht…"},
		{"a keycap counts as one character", Option{Value: 1, Label: "Совсем не устроило", Emoji: "1️⃣"}, 20, "1️⃣ Совсем не устроило"},
		{"a long word is cut inside", Option{Value: 1, Label: "Donaudampfschifffahrtsgesellschaft", Emoji: "👎"}, 12, "👎 Donaudamp…"},
		{"a joined emoji counts as one", Option{Value: 1, Label: "Sehr gut gemacht!", Emoji: "👩🏽‍💻"}, 10, "👩🏽‍💻 Sehr…"},
		{"no limit", Option{Value: 0, Label: "Überhaupt nicht wahrscheinlich", Emoji: "0️⃣"}, 0, "0️⃣ Überhaupt nicht wahrscheinlich"},
		{"digits label is not repeated", Option{Value: 7, Label: "7", Emoji: "7️⃣"}, 20, "7️⃣"},
		{"no emoji", Option{Value: 1, Label: "Yes"}, 20, "Yes"},
		{"tiny limit keeps the emoji", Option{Value: 1, Label: "Yes", Emoji: "👍"}, 1, "👍 Yes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.o.Button(tc.max)
			assert.Equal(t, tc.want, got)
			if tc.max > 2 {
				assert.LessOrEqual(t, visibleLen(got), tc.max)
			}
		})
	}
}

func TestRatingRequestKeepsLabelsTheCallerSetAndNeverShowsAKey(t *testing.T) {
	c := Shipped()
	r, err := c.RatingRequest(language.English, KeyRatingPrompt, "stars3", []Option{{Value: 1, Label: "⭐"}, {Value: 2, Label: "⭐⭐"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "⭐⭐", r.Options[1].Label)

	_, err = c.RatingRequest(language.English, KeyRatingPrompt, "stars3", []Option{{Value: 1}}, nil)
	require.ErrorIs(t, err, ErrMissingText)
	assert.Contains(t, err.Error(), "stars3.1")

	_, err = c.RatingRequest(language.English, "no.prompt", ScaleCSAT5, testOptions(ScaleCSAT5), nil)
	require.ErrorIs(t, err, ErrMissingText)

	_, err = c.RatingRequest(language.English, KeyNPSPrompt, ScaleNPS10, testOptions(ScaleNPS10), Vars{"min": "0"})
	require.ErrorIs(t, err, ErrMissingValue, "{max} has no value")
}

func TestEmailFragmentHasOneLinkPerOptionAndEscapesEverything(t *testing.T) {
	opts := []Option{
		{Value: 1, Label: `<img src=x onerror=alert(1)>`, Emoji: "😡", Color: "#c62828"},
		{Value: 2, Label: `Fine & "dandy"`, Emoji: "🙂"},
	}
	h, err := EmailFragment("Rate <b>us</b>\nOne click is enough", opts, func(v int) string {
		return fmt.Sprintf("https://rate.example/t?v=%d&sig=a\"b<c", v)
	})
	require.NoError(t, err)
	s := string(h)
	assert.Equal(t, 2, strings.Count(s, "<a href="))
	assert.Contains(t, s, `href="https://rate.example/t?v=1&amp;sig=a%22b%3cc"`)
	assert.Contains(t, s, "&lt;img src=x onerror=alert(1)&gt;")
	assert.Contains(t, s, "Fine &amp; &#34;dandy&#34;")
	assert.Contains(t, s, "<p style=\"margin:0 0 12px 0\">Rate &lt;b&gt;us&lt;/b&gt;</p>")
	assert.Contains(t, s, ">One click is enough</p>")
	assert.Contains(t, s, "border:2px solid #c62828")
	assert.NotContains(t, s, "color:#c62828", "the label is dark: a light option colour would not read on white")
	assert.NotContains(t, s, "<img")
	assert.NotContains(t, s, "<b>")
}

func TestEmailFragmentRejectsUnsafeLinksAndColours(t *testing.T) {
	opts := []Option{{Value: 1, Label: "Yes", Emoji: "👍"}}
	for _, bad := range []string{
		"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "/relative/path",
		"https://", "", "https://a.example/\nSet-Cookie: x", "https://a b.example/", "vbscript:x", "//evil.example/x",
	} {
		_, err := EmailFragment("Q", opts, func(int) string { return bad })
		assert.ErrorIs(t, err, ErrBadLink, "%q", bad)
	}
	for _, ok := range []string{"https://rate.example/t/1", "http://localhost:8080/r?v=1", "mailto:survey@example.com?subject=1"} {
		_, err := EmailFragment("Q", opts, func(int) string { return ok })
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"red;background:url(x)", "#12", "#gggggg", "expression(alert(1))"} {
		_, err := EmailFragment("Q", []Option{{Value: 1, Label: "Yes", Color: bad}}, testLink)
		assert.ErrorIs(t, err, ErrBadColor, bad)
	}
	_, err := EmailFragment("Q", opts, nil)
	assert.ErrorIs(t, err, ErrBadLink)
	_, err = EmailFragment("Q", nil, testLink)
	assert.Error(t, err)
}

func TestEmailRatingIsLabelledAndTaggedWithItsLanguage(t *testing.T) {
	h, err := Shipped().EmailRating(language.MustParse("ru-RU"), ScaleEmoji5, testOptions(ScaleEmoji5), nil, testLink)
	require.NoError(t, err)
	s := string(h)
	assert.Contains(t, s, `lang="ru"`)
	assert.Contains(t, s, "Пожалуйста, оцените качество обслуживания по вашей заявке.")
	assert.Contains(t, s, ">Отлично</span>")
	assert.Equal(t, 5, strings.Count(s, "<a href="))
	// Seed 002: five smileys from dark green (5) down to red (1).
	assert.Contains(t, s, "#1b5e20")
	assert.Contains(t, s, "#d32f2f")
}

func TestPromptKeyNamesTheQuestionOfEachScale(t *testing.T) {
	assert.Equal(t, KeyRatingPrompt, PromptKey(ScaleCSAT5))
	assert.Equal(t, KeyEmojiPrompt, PromptKey(ScaleEmoji5))
	assert.Equal(t, KeyNPSPrompt, PromptKey(ScaleNPS10))
	assert.Equal(t, KeyNPSPrompt, PromptKey(ScaleNPS10From1))
	assert.Equal(t, KeyCESPrompt, PromptKey(ScaleCES7))
	assert.Equal(t, KeyThumbsPrompt, PromptKey(ScaleThumbs))
	assert.Equal(t, KeyRatingPrompt, PromptKey("custom"))
}

func TestEmailRatingEscapesHostileNamesInACustomPrompt(t *testing.T) {
	c, err := Shipped().With(map[string]map[Key]string{"en": {KeyEmailPrompt: "{contact}, how did {agent} do?"}})
	require.NoError(t, err)
	vars := Vars{"contact": "<script>alert(1)</script>", "agent": "Ana\u202e\n<b>Bob</b>"}
	h, err := c.EmailRating(language.English, ScaleThumbs, testOptions(ScaleThumbs), vars, testLink)
	require.NoError(t, err)
	s := string(h)
	assert.Contains(t, s, "&lt;script&gt;alert(1)&lt;/script&gt;, how did Ana &lt;b&gt;Bob&lt;/b&gt; do?")
	assert.NotContains(t, s, "<script")
	assert.NotContains(t, s, "<b>")
	assert.NotContains(t, s, "\u202e")
}
