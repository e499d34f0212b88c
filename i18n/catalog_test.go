package i18n

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func TestMatchPicksTheCatalogLanguageNeverATagWithExtensions(t *testing.T) {
	c := Shipped()
	cases := []struct {
		preferred string
		want      string
		conf      language.Confidence
	}{
		{"es-AR", "es", language.High},
		{"es_AR", "es", language.High},
		{"es-419", "es", language.High},
		{"pt-BR", "pt", language.Exact},
		{"pt-PT", "pt", language.High},
		{"fr-CA", "fr", language.High},
		{"de-CH", "de", language.High},
		{"RU", "ru", language.Exact},
		{"en-GB", "en", language.High},
		{"nl", "en", language.No},                // unknown: the default
		{"", "en", language.No},                  // no preference
		{"   ", "en", language.No},               // blank
		{"not a tag!!", "en", language.No},       // garbage
		{"zz", "en", language.No},                // well-formed but unknown
		{"*", "en", language.No},                 // anything
		{"nl, fr;q=0.8", "fr", language.Exact},   // Accept-Language list
		{"uk", "en", language.No},                // Ukrainian is not served Russian
		{"x-private", "en", language.No},         // private use
		{"es-u-rg-arzzzz", "es", language.Exact}, // a matcher's own output
		{"zh-Hant-TW, de;q=0.5", "de", language.Exact},
	}
	for _, tc := range cases {
		t.Run(tc.preferred, func(t *testing.T) {
			tag, conf := c.Match(tc.preferred)
			assert.Equal(t, tc.want, tag.String())
			assert.Equal(t, tc.conf, conf)
			assert.Contains(t, c.Languages(), tag, "Match must return one of the catalog's own tags")
		})
	}
}

func TestAvailableAnswersRuleE7WithTheContactsOwnLanguageOnly(t *testing.T) {
	c, err := Shipped().Only("es", "fr")
	require.NoError(t, err)
	cases := []struct {
		preferred string
		want      string
		ok        bool
	}{
		{"es-AR", "es", true},
		{"fr-BE", "fr", true},
		{"ru", "es", false},          // not offered: the default, but not available
		{"gl", "es", false},          // Galician: the matcher serves Spanish, yet it is not the contact's language
		{"", "es", false},            // unknown language
		{"de, fr;q=0.3", "fr", true}, // the contact also reads French
		{"garbage!!", "es", false},   // unparsable
	}
	for _, tc := range cases {
		t.Run(tc.preferred, func(t *testing.T) {
			tag, _, ok := c.Available(tc.preferred)
			assert.Equal(t, tc.want, tag.String())
			assert.Equal(t, tc.ok, ok)
		})
	}
}

func TestTextFallsBackToParentsThenTheDefaultAndNeverReturnsTheKey(t *testing.T) {
	c, err := NewCatalog("en", map[string]map[Key]string{
		"en": {KeyThanks: "Thanks!", KeyRatingPrompt: "Rate us"},
		"es": {KeyThanks: "¡Gracias!"},
	})
	require.NoError(t, err)

	got, ok := c.Text(language.MustParse("es-AR"), KeyThanks)
	assert.True(t, ok)
	assert.Equal(t, "¡Gracias!", got, "es-AR → es-419 → es")

	got, ok = c.Text(language.MustParse("es-u-rg-arzzzz"), KeyThanks)
	assert.True(t, ok)
	assert.Equal(t, "¡Gracias!", got, "a matcher's tag with extensions finds its language")

	got, ok = c.Text(language.Spanish, KeyRatingPrompt)
	assert.True(t, ok)
	assert.Equal(t, "Rate us", got, "es lacks it: the default")

	got, ok = c.Text(language.Spanish, "no.such.key")
	assert.False(t, ok)
	assert.Empty(t, got)

	_, err = c.Render(language.Spanish, "no.such.key", nil, Plain)
	require.ErrorIs(t, err, ErrMissingText)
	assert.Contains(t, err.Error(), "no.such.key")

	assert.True(t, c.Has(language.Spanish, KeyThanks))
	assert.False(t, c.Has(language.Spanish, KeyRatingPrompt), "Has does not fall back")
	assert.False(t, c.Has(language.French, KeyThanks))
}

func TestNewCatalogRejectsBadInputNamingKeyAndLanguage(t *testing.T) {
	cases := []struct {
		name  string
		def   string
		texts map[string]map[Key]string
		want  []string
	}{
		{"unparsable default", "!!", map[string]map[Key]string{"en": {}}, []string{`"!!"`}},
		{"default without texts", "fr", map[string]map[Key]string{"en": {KeyThanks: "x"}}, []string{"fr"}},
		{"unparsable language", "en", map[string]map[Key]string{"en": {}, "??": {}}, []string{`"??"`}},
		{"language twice", "en", map[string]map[Key]string{"en": {}, "es": {}, "ES": {}}, []string{"twice"}},
		{"invalid UTF-8", "en", map[string]map[Key]string{"en": {KeyThanks: "ok"}, "fr": {KeyThanks: "Merci \xff"}}, []string{`"thanks"`, "fr", "UTF-8"}},
		{"unclosed placeholder", "en", map[string]map[Key]string{"en": {KeyRatingPrompt: "Hi {contact"}}, []string{`"rating.prompt"`, "en", "unclosed"}},
		{"plural without other", "en", map[string]map[Key]string{"en": {KeyExpired: "{hours, plural, one {# hour}}"}}, []string{`"expired"`, "other"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCatalog(tc.def, tc.texts)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestWithLayersPerSurveyOverridesWithEmoji(t *testing.T) {
	base := Shipped()
	c, err := base.With(map[string]map[Key]string{
		"es": {KeyRatingPrompt: "¿Qué tal te atendió {agent}? 🙌", "csat5.5": "¡Excelente! 🤩"},
		"it": {KeyThanks: "Grazie!"},
	})
	require.NoError(t, err)

	got, _ := c.Text(language.Spanish, KeyRatingPrompt)
	assert.Equal(t, "¿Qué tal te atendió {agent}? 🙌", got)
	got, _ = c.Text(language.Spanish, "csat5.5")
	assert.Equal(t, "¡Excelente! 🤩", got)
	got, _ = c.Text(language.Spanish, KeyThanks)
	assert.Equal(t, "¡Gracias por su comentario!", got, "keys not overridden stay")
	assert.Contains(t, c.Languages(), language.Italian)
	assert.Equal(t, base.Default(), c.Default())

	orig, _ := base.Text(language.Spanish, KeyRatingPrompt)
	assert.NotEqual(t, got, orig, "the base catalog is not changed")
	orig, _ = base.Text(language.Spanish, "csat5.5")
	assert.Equal(t, "Muy satisfecho", orig)
}

func TestWithRejectsInvalidUTF8AndMalformedTextsNamingKeyAndLanguage(t *testing.T) {
	_, err := Shipped().With(map[string]map[Key]string{"ru": {KeyThanks: "Спасибо\xc3"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"thanks"`)
	assert.Contains(t, err.Error(), "ru")

	_, err = Shipped().With(map[string]map[Key]string{"fr": {KeyRatingReprompt: "Entre {min et {max}"}})
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), `"rating.reprompt"`)
	assert.Contains(t, err.Error(), "fr")
}

func TestValidateNamesEveryProblemWithKeyAndLanguage(t *testing.T) {
	c, err := Shipped().Only("es", "fr")
	require.NoError(t, err)
	c, err = c.With(map[string]map[Key]string{
		"es": {KeyRatingPrompt: "Hola {nombre}, ¿qué tal?"},
		"fr": {KeyThanks: "Merci {contact, plural, one {#} other {#}}"},
		"it": {KeyRatingPrompt: "Come valuti il servizio?", "rating.promt": "Typo"}, // declared, but only one text
	})
	require.NoError(t, err)

	err = c.Validate(KeyRatingPrompt, KeyCommentPrompt, KeyThanks)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidText)

	var problems []*TextError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var te *TextError
		require.True(t, errors.As(e, &te))
		problems = append(problems, te)
	}
	type p struct {
		lang string
		key  Key
	}
	var got []p
	for _, te := range problems {
		got = append(got, p{te.Lang.String(), te.Key})
	}
	assert.ElementsMatch(t, []p{
		{"es", KeyRatingPrompt}, // unknown placeholder {nombre}
		{"fr", KeyThanks},       // plural form of a name
		{"it", KeyCommentPrompt},
		{"it", KeyThanks},
		{"it", "rating.promt"}, // unknown key
	}, got)
	assert.Contains(t, err.Error(), "{nombre}")
	assert.Contains(t, err.Error(), "not a number")
	assert.Contains(t, err.Error(), "typo")
}

func TestValidateAcceptsLabelKeysOfCustomScalesAndRequiredCustomKeys(t *testing.T) {
	c, err := Shipped().Only("en")
	require.NoError(t, err)
	c, err = c.With(map[string]map[Key]string{"en": {"stars3.1": "⭐", "stars3.2": "⭐⭐", "host.banner": "Hello"}})
	require.NoError(t, err)
	assert.NoError(t, c.Validate("host.banner"))
	assert.ErrorContains(t, c.Validate(), `"host.banner": unknown key`)
}

func TestValidateLabelsCatchesMissingAndDuplicateLabels(t *testing.T) {
	c, err := Shipped().With(map[string]map[Key]string{
		"es": {"csat5.3": "Bien", "csat5.4": "¡bien!"},
		"it": {"csat5.1": "Pessimo"},
	})
	require.NoError(t, err)
	err = c.ValidateLabels("csat5", []int{1, 2, 3, 4, 5})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `es text "csat5.4": label "¡bien!" reads the same as the label of 3`)
	assert.Contains(t, err.Error(), `it text "csat5.2": missing option label`)
	assert.NotContains(t, err.Error(), "en text")
}

func TestOnlyNarrowsAndReordersTheCatalog(t *testing.T) {
	c, err := Shipped().Only("es", "ru")
	require.NoError(t, err)
	assert.Equal(t, []language.Tag{language.Spanish, language.Russian}, c.Languages())
	tag, conf := c.Match("fr")
	assert.Equal(t, language.Spanish, tag)
	assert.Equal(t, language.No, conf)

	_, err = Shipped().Only("es", "it")
	assert.ErrorContains(t, err, "it")
}

func TestLabelWordsGivesLabelsSynonymsAndUnaccentedForms(t *testing.T) {
	c := Shipped()
	words := c.LabelWords(language.MustParse("es-AR"), "csat5", []int{1, 2, 3, 4, 5})
	for w, v := range map[string]int{
		"muy insatisfecho": 1, "pésimo": 1, "pesimo": 1, "malo": 2, "regular": 3,
		"bien": 4, "satisfecho": 4, "muy satisfecho": 5, "excelente": 5,
	} {
		assert.Equal(t, v, words[w], w)
	}

	ru := c.LabelWords(language.Russian, "emoji5", []int{1, 2, 3, 4, 5})
	assert.Equal(t, 5, ru["отлично"])
	_, bad := ru["неитрально"]
	assert.False(t, bad, "й keeps its breve")

	thumbs := c.LabelWords(language.French, "thumbs", []int{0, 1})
	assert.Equal(t, map[string]int{"non": 0, "oui": 1, "pas vraiment": 0, "pas du tout": 0, "mal": 0, "ouais": 1, "bien": 1}, thumbs)
}

func TestLabelWordsLetAnOverriddenLabelWinOverASynonym(t *testing.T) {
	c, err := Shipped().With(map[string]map[Key]string{"es": {"csat5.3": "Bien"}})
	require.NoError(t, err)
	words := c.LabelWords(language.Spanish, "csat5", []int{1, 2, 3, 4, 5})
	assert.Equal(t, 3, words["bien"], "the label the contact saw decides")
}

func TestLabelWordsDropAWordTwoLabelsShare(t *testing.T) {
	c, err := Shipped().With(map[string]map[Key]string{"en": {"csat5.3": "Fine", "csat5.4": "fine"}})
	require.NoError(t, err)
	words := c.LabelWords(language.English, "csat5", []int{1, 2, 3, 4, 5})
	_, has := words["fine"]
	assert.False(t, has)
	assert.Equal(t, 5, words["very satisfied"])
}

func TestLabelWordsOnlyOfferTheGivenValues(t *testing.T) {
	words := Shipped().LabelWords(language.English, "csat5", []int{4, 5})
	for w, v := range words {
		assert.Contains(t, []int{4, 5}, v, w)
	}
	assert.NotContains(t, words, "terrible")
	assert.Empty(t, Shipped().LabelWords(language.English, "custom9", []int{1, 2}), "no labels, no synonyms")
}
