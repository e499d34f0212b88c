package i18n

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// register is one way of addressing the contact, told by words only it
// uses: pronouns, possessives, verb forms (imperatives that read like
// another person or a noun, such as French "aide", only with their
// pronoun: "aide-nous"). A marker in lower case also
// matches its capitalized form at the start of a sentence; a capitalized
// marker matches only itself (German "Sie", not "sie", "she").
type register struct {
	name    string
	markers []string
}

// registers lists, per language with more than one way to address the
// contact, the register the shipped texts use first, then the ones they
// must not use. English has one "you". Spanish "responde" is also "he
// answers"; the shipped texts never say that, so it stays a tú marker.
var registers = map[string][]register{
	"es": {
		{"usted", strings.Fields("usted su sus le recibió ayúdenos responda déjelo haga calificaría recomiende tiene")},
		{"tú", strings.Fields("tú tu tus te ti contigo puedes podés tienes tenés quieres querés estás eres sos recibiste ayúdanos cuéntanos escríbenos déjalo dinos haz responde calificarías recomiendes")},
	},
	"fr": {
		{"vous", strings.Fields("vous votre vos aidez laissez cliquez répondez")},
		{"tu", strings.Fields("tu toi ton ta tes te tien tienne aide-nous laisse-le laisse-nous dis-nous réponds as es")},
	},
	"de": {
		{"Sie", strings.Fields("Sie Ihnen Ihr Ihre Ihren Ihrem Ihrer")},
		{"du", strings.Fields("du dich dir dein deine deinen deinem deiner deines euch euer eure hilf antworte klicke hinterlasse hast bist warst kannst willst")},
	},
	"pt": {
		{"você", strings.Fields("você vocês seu sua ajude responda deixe clique tiver ficou recebeu avalia gostou")},
		{"tu", strings.Fields("tu te ti contigo teu tua teus tuas ajuda-nos deixa-o tiveres ficaste recebeste avalias gostaste")},
	},
	"ru": {
		{"вы", strings.Fields("вы вас вам вами ваш ваша ваше ваши вашего вашей вашу ваших помогите ответьте оставьте нажмите оцените хотите")},
		{"ты", strings.Fields("ты тебя тебе тобой твой твоя твоё твое твои твоего твоей твоих помоги ответь оставь нажми оцени хочешь можешь")},
	},
}

// languagesWithOneYou address every contact alike.
var languagesWithOneYou = []string{"en"}

// registersIn returns, for each register of lang found in text, the first
// marker found.
func registersIn(lang, text string) map[string]string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	found := map[string]string{}
	for _, reg := range registers[lang] {
		for _, w := range words {
			if m, ok := markerOf(reg.markers, w); ok {
				found[reg.name] = m
				break
			}
		}
	}
	return found
}

// markerOf reports which marker word w is, if any. Hyphenated words also
// match by their parts ("Aidez-nous" holds "aidez"), unless the whole is a
// marker ("ajuda-nos").
func markerOf(markers []string, w string) (string, bool) {
	for _, part := range append([]string{w}, strings.Split(w, "-")...) {
		for _, m := range markers {
			if part == m || strings.ToLower(m) == m && strings.ToLower(part) == m && part == capitalize(m) {
				return m, true
			}
		}
	}
	return "", false
}

func capitalize(s string) string {
	r := []rune(s)
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}

// mixes lists the texts of lang that use another register than the
// language's own, and reports whether the own register is used at all.
func mixes(lang string, texts map[Key]string) (problems []string, ownUsed bool) {
	own := registers[lang][0].name
	for k, text := range texts {
		for reg, marker := range registersIn(lang, text) {
			if reg == own {
				ownUsed = true
				continue
			}
			problems = append(problems, string(k)+": "+reg+" ("+marker+") in "+text)
		}
	}
	sort.Strings(problems)
	return problems, ownUsed
}

// Every shipped text of a language, questions, follow-ups and scale labels
// alike, addresses the contact in the language's one register.
func TestEveryShippedTextOfALanguageUsesOneRegister(t *testing.T) {
	for lang, texts := range shippedTexts {
		if slices.Contains(languagesWithOneYou, lang) {
			continue
		}
		require.Contains(t, registers, lang, "a shipped language needs its registers listed, or a place in languagesWithOneYou")
		t.Run(lang, func(t *testing.T) {
			problems, ownUsed := mixes(lang, texts)
			assert.Empty(t, problems, "texts leaving the %s register", registers[lang][0].name)
			assert.True(t, ownUsed, "no text shows the %s register: are its markers right?", registers[lang][0].name)
		})
	}
}

// The check catches a mix, word by word: one text in the other register is
// enough.
func TestAMixOfRegistersIsCaught(t *testing.T) {
	for lang, c := range map[string]struct {
		other, marker string
	}{
		"es": {"¡Gracias por tu comentario!", "tu"},
		"fr": {"Si tu as un commentaire, laisse-le ci-dessous", "tu"},
		"de": {"Wie bewertest du den Service?", "du"},
		"pt": {"Obrigado pelo teu comentário!", "teu"},
		"ru": {"Спасибо за твой отзыв!", "твой"},
	} {
		texts := map[Key]string{}
		for k, v := range shippedTexts[lang] {
			texts[k] = v
		}
		texts[KeyThanks] = c.other
		problems, _ := mixes(lang, texts)
		require.Len(t, problems, 1, lang)
		assert.Contains(t, problems[0], string(KeyThanks)+": ", lang)
		assert.Contains(t, problems[0], "("+c.marker+")", lang)
	}
	assert.Empty(t, registersIn("de", "Die Bewertung: sie hilft uns."), `"sie" is not "Sie"`)
	assert.Equal(t, map[string]string{"du": "dein"}, registersIn("de", "Danke für Dein Feedback"), "a lower-case marker matches capitalized")
	assert.Equal(t, map[string]string{"vous": "aidez"}, registersIn("fr", "Aidez-nous"), "a hyphenated word matches by its parts")
}
