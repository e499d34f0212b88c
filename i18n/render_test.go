package i18n

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func TestRenderReplacesPlaceholdersAndKeepsDoubledBracesLiteral(t *testing.T) {
	cases := []struct {
		name, tmpl string
		vars       Vars
		want       string
	}{
		{"no placeholders", "Thanks!", nil, "Thanks!"},
		{"two values", "Hi {contact}, {agent} here.", Vars{"contact": "María", "agent": "Ana"}, "Hi María, Ana here."},
		{"same twice", "{min}-{min}", Vars{"min": "1"}, "1-1"},
		{"literal brace", "Use {{braces} like {min}", Vars{"min": "1"}, "Use {braces} like 1"},
		{"lone closing brace", "a } b", nil, "a } b"},
		{"hash outside plural is literal", "#1 {agent}", Vars{"agent": "Ana"}, "#1 Ana"},
		{"empty value", "Hi {contact}!", Vars{"contact": ""}, "Hi !"},
		{"spaces inside braces", "{ agent }", Vars{"agent": "Ana"}, "Ana"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.tmpl, tc.vars, Plain)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRenderRejectsMalformedTemplatesAndMissingValues(t *testing.T) {
	cases := []struct {
		name, tmpl string
		is         error
		want       string
	}{
		{"missing value", "Hi {contact}", ErrMissingValue, "{contact}"},
		{"unclosed", "Hi {contact", ErrSyntax, "unclosed"},
		{"no name", "Hi {} there", ErrSyntax, "without a name"},
		{"bad character in name", "Hi {con tact}", ErrSyntax, "unexpected"},
		{"unknown form", "{hours, select, a {x} other {y}}", ErrSyntax, "select"},
		{"no other branch", "{hours, plural, one {# h}}", ErrSyntax, "other"},
		{"bad branch", "{hours, plural, lots {x} other {y}}", ErrSyntax, "lots"},
		{"branch twice", "{hours, plural, one {x} one {y} other {z}}", ErrSyntax, "twice"},
		{"branch not closed", "{hours, plural, other {x", ErrSyntax, "not closed"},
		{"invalid UTF-8", "Hi \xff", ErrSyntax, "UTF-8"},
		{"not a number", "{agent, plural, other {#}}", ErrNotANumber, "{agent}"},
		{"too deep", strings.Repeat("{max, plural, other {", 6) + strings.Repeat("}}", 6), ErrSyntax, "nested"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(tc.tmpl, Vars{"agent": "Ana", "hours": "2", "max": "5"}, Plain)
			require.Error(t, err)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestPluralFormsFollowEachLanguagesRules(t *testing.T) {
	ru := "{hours, plural, one {# час} few {# часа} many {# часов} other {# часа}}"
	en := "{hours, plural, =0 {no time} one {# hour} other {# hours}}"
	fr := "{hours, plural, one {# heure} other {# heures}}"
	cases := []struct {
		lang  language.Tag
		tmpl  string
		hours string
		want  string
	}{
		{language.Russian, ru, "1", "1 час"},
		{language.Russian, ru, "2", "2 часа"},
		{language.Russian, ru, "5", "5 часов"},
		{language.Russian, ru, "11", "11 часов"},
		{language.Russian, ru, "21", "21 час"},
		{language.Russian, ru, "24", "24 часа"},
		{language.Russian, ru, "1.5", "1,5 часа"},
		{language.English, en, "0", "no time"},
		{language.English, en, "1", "1 hour"},
		{language.English, en, "1.0", "1.0 hours"},
		{language.English, en, "1000", "1,000 hours"},
		{language.French, fr, "0", "0 heure"},
		{language.French, fr, "1", "1 heure"},
		{language.French, fr, "1.5", "1,5 heure"},
		{language.French, fr, "2", "2 heures"},
		{language.German, "{hours, plural, one {# Stunde} other {# Stunden}}", "1", "1 Stunde"},
	}
	for _, tc := range cases {
		t.Run(tc.lang.String()+"/"+tc.hours, func(t *testing.T) {
			got, err := RenderIn(tc.lang, tc.tmpl, Vars{"hours": tc.hours}, Plain)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPluralBranchesMayHoldOtherPlaceholders(t *testing.T) {
	tmpl := "{rating, plural, one {{contact} gave # star} other {{contact} gave # stars}}"
	got, err := Render(tmpl, Vars{"rating": "4", "contact": "<b>Ana</b>"}, HTML)
	require.NoError(t, err)
	assert.Equal(t, "&lt;b&gt;Ana&lt;/b&gt; gave 4 stars", got)
	assert.Equal(t, []string{"rating", "contact", "contact"}, Placeholders(tmpl))
}

func TestRenderWithoutALanguageUsesEnglishPluralRules(t *testing.T) {
	got, err := Render("{hours, plural, one {# hour} other {# hours}}", Vars{"hours": "1"}, Plain)
	require.NoError(t, err)
	assert.Equal(t, "1 hour", got)
}

func TestCatalogRenderUsesThePluralRulesOfTheTextsLanguage(t *testing.T) {
	got, err := Shipped().Render(language.MustParse("ru-RU"), KeyExpired, Vars{"hours": "22"}, Plain)
	require.NoError(t, err)
	assert.Contains(t, got, "в течение 22 часов")
	got, err = Shipped().Render(language.Russian, KeyExpired, Vars{"hours": "1"}, Plain)
	require.NoError(t, err)
	assert.Contains(t, got, "в течение 1 часа")
}

// Hostile names: whatever a contact or an agent calls themselves must not
// become markup, reorder the text around it, forge lines or break UTF-8.
func TestHostileValuesAreEscapedForTheirFormat(t *testing.T) {
	cases := []struct {
		name      string
		value     string
		wantPlain string
		wantHTML  string
	}{
		{"script tag", `<script>alert("x")</script>`, `<script>alert("x")</script>`, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`},
		{"attribute breaker", `" onmouseover="x' &`, `" onmouseover="x' &`, `&#34; onmouseover=&#34;x&#39; &amp;`},
		{"right-to-left override", "Ana\u202eevil\u202c", "Anaevil", "Anaevil"},
		{"bidi isolates and marks", "\u2066A\u2069\u200fB\u200e\u061cC", "ABC", "ABC"},
		{"invalid UTF-8", "Jos\xe9 \xff", "Jos\uFFFD \uFFFD", "Jos\uFFFD \uFFFD"},
		{"forged option line", "María\n5️⃣ Muy satisfecho", "María 5️⃣ Muy satisfecho", "María 5️⃣ Muy satisfecho"},
		{"unicode line separator", "A\u2028B\u2029C", "A B C", "A B C"},
		{"control characters", "A\x00B\x1bC\x7fD\u0085E\u009bF", "ABCD EF", "ABCD EF"},
		{"byte order mark", "\ufeffAna", "Ana", "Ana"},
		{"emoji and joiners survive", "👩‍💻 Zoë", "👩‍💻 Zoë", "👩‍💻 Zoë"},
		{"brace in a value is not a placeholder", "{agent}", "{agent}", "{agent}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := Vars{"contact": tc.value, "agent": "Ana"}
			plain, err := Render("Hi {contact}!", vars, Plain)
			require.NoError(t, err)
			assert.Equal(t, "Hi "+tc.wantPlain+"!", plain)
			assert.True(t, utf8.ValidString(plain))

			h, err := Render("Hi {contact}!", vars, HTML)
			require.NoError(t, err)
			assert.Equal(t, "Hi "+tc.wantHTML+"!", h)
			assert.NotContains(t, h, "<")
		})
	}
}

func TestHTMLFormatEscapesTheTemplatesOwnTextToo(t *testing.T) {
	got, err := Render("Q&A <3 {agent}", Vars{"agent": "Ana"}, HTML)
	require.NoError(t, err)
	assert.Equal(t, "Q&amp;A &lt;3 Ana", got)
	got, err = Render("Q&A <3", nil, Plain)
	require.NoError(t, err)
	assert.Equal(t, "Q&A <3", got)
}

func TestPlaceholdersListsNamesInOrderAndSurvivesMalformedInput(t *testing.T) {
	assert.Equal(t, []string{"contact", "min", "max"}, Placeholders("Hi {contact}, {{literal} {min}–{max}"))
	assert.Equal(t, []string{"hours"}, Placeholders(shippedTexts["ru"][KeyExpired]))
	assert.Equal(t, []string{"contact"}, Placeholders("{contact} and {broken"))
	assert.Empty(t, Placeholders("no placeholders"))
}

func TestCheckTemplate(t *testing.T) {
	assert.NoError(t, CheckTemplate("Hi {contact}"))
	assert.ErrorIs(t, CheckTemplate("Hi {contact"), ErrSyntax)
}

func TestFormatNames(t *testing.T) {
	assert.Equal(t, "plain", Plain.String())
	assert.Equal(t, "html", HTML.String())
	assert.Equal(t, "Format(7)", Format(7).String())
}
