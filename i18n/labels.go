package i18n

import (
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// quality5 are words for the five-point quality scales (CSAT-5 and the
// smileys), including each other's labels, so "excelente" reads as 5 on
// both.
var quality5 = map[string]map[string]int{
	"en": {
		"terrible": 1, "awful": 1, "horrible": 1, "very bad": 1, "very poor": 1, "very unhappy": 1, "very dissatisfied": 1,
		"bad": 2, "poor": 2, "not good": 2, "not very good": 2, "unhappy": 2, "dissatisfied": 2, "unsatisfied": 2, "not satisfied": 2, "not very satisfied": 2,
		"ok": 3, "okay": 3, "so so": 3, "average": 3, "neutral": 3, "not bad": 3,
		"good": 4, "happy": 4, "satisfied": 4, "pretty good": 4,
		"very good": 5, "great": 5, "excellent": 5, "perfect": 5, "amazing": 5, "very happy": 5, "very satisfied": 5,
	},
	"es": {
		"pésimo": 1, "pésima": 1, "horrible": 1, "terrible": 1, "fatal": 1, "muy malo": 1, "muy mala": 1, "muy mal": 1, "muy insatisfecho": 1, "muy insatisfecha": 1,
		"malo": 2, "mala": 2, "mal": 2, "insatisfecho": 2, "insatisfecha": 2, "no satisfecho": 2, "no satisfecha": 2, "no muy satisfecho": 2, "no muy satisfecha": 2, "no muy bien": 2,
		"regular": 3, "normal": 3, "más o menos": 3, "neutral": 3, "ni bien ni mal": 3,
		"bien": 4, "bueno": 4, "buena": 4, "satisfecho": 4, "satisfecha": 4,
		"muy bien": 5, "muy bueno": 5, "muy buena": 5, "excelente": 5, "genial": 5, "perfecto": 5, "muy satisfecho": 5, "muy satisfecha": 5,
	},
	"fr": {
		"nul": 1, "horrible": 1, "catastrophique": 1, "très mal": 1, "très mauvais": 1, "très mauvaise": 1, "très insatisfait": 1, "très insatisfaite": 1, "très mécontent": 1, "très mécontente": 1,
		"mauvais": 2, "mauvaise": 2, "mal": 2, "pas bien": 2, "pas terrible": 2, "insatisfait": 2, "insatisfaite": 2, "mécontent": 2, "mécontente": 2, "pas satisfait": 2, "pas satisfaite": 2, "pas très satisfait": 2, "pas très satisfaite": 2, "pas très bien": 2,
		"bof": 3, "moyen": 3, "moyenne": 3, "passable": 3, "correct": 3, "neutre": 3,
		"bien": 4, "bon": 4, "bonne": 4, "pas mal": 4, "satisfait": 4, "satisfaite": 4, "content": 4, "contente": 4,
		"très bien": 5, "très bon": 5, "très bonne": 5, "excellent": 5, "excellente": 5, "parfait": 5, "génial": 5, "super": 5, "très satisfait": 5, "très satisfaite": 5, "très content": 5, "très contente": 5,
	},
	"ru": {
		"ужасно": 1, "очень плохо": 1, "отвратительно": 1, "кошмар": 1, "очень недоволен": 1, "очень недовольна": 1, "совсем не устроило": 1,
		"плохо": 2, "не очень": 2, "не очень хорошо": 2, "неудовлетворительно": 2, "недоволен": 2, "недовольна": 2, "не устроило": 2, "скорее не устроило": 2,
		"нормально": 3, "так себе": 3, "средне": 3, "удовлетворительно": 3, "нейтрально": 3,
		"хорошо": 4, "неплохо": 4, "доволен": 4, "довольна": 4, "устроило": 4, "скорее устроило": 4,
		"отлично": 5, "очень хорошо": 5, "прекрасно": 5, "замечательно": 5, "супер": 5, "очень доволен": 5, "очень довольна": 5, "полностью устроило": 5,
	},
	"pt": {
		"péssimo": 1, "péssima": 1, "horrível": 1, "terrível": 1, "muito ruim": 1, "muito mal": 1, "muito insatisfeito": 1, "muito insatisfeita": 1,
		"ruim": 2, "mal": 2, "insatisfeito": 2, "insatisfeita": 2, "não satisfeito": 2, "não satisfeita": 2, "não muito satisfeito": 2, "não muito satisfeita": 2,
		"regular": 3, "razoável": 3, "mais ou menos": 3, "normal": 3, "neutro": 3,
		"bom": 4, "boa": 4, "bem": 4, "satisfeito": 4, "satisfeita": 4,
		"muito bom": 5, "muito boa": 5, "muito bem": 5, "ótimo": 5, "ótima": 5, "excelente": 5, "perfeito": 5, "muito satisfeito": 5, "muito satisfeita": 5,
	},
	"de": {
		"sehr schlecht": 1, "furchtbar": 1, "schrecklich": 1, "katastrophal": 1, "sehr unzufrieden": 1,
		"schlecht": 2, "mies": 2, "nicht gut": 2, "nicht so gut": 2, "unzufrieden": 2, "nicht zufrieden": 2, "nicht sehr zufrieden": 2,
		"okay": 3, "ok": 3, "geht so": 3, "mittelmäßig": 3, "in ordnung": 3, "neutral": 3,
		"gut": 4, "zufrieden": 4,
		"sehr gut": 5, "super": 5, "toll": 5, "perfekt": 5, "hervorragend": 5, "ausgezeichnet": 5, "exzellent": 5, "sehr zufrieden": 5,
	},
}

// ces7 are words for the effort scale: 1 very difficult … 7 very easy.
var ces7 = map[string]map[string]int{
	"en": {"very hard": 1, "very complicated": 1, "hard": 2, "complicated": 2, "somewhat hard": 3, "neutral": 4, "simple": 6, "very simple": 7, "effortless": 7, "super easy": 7},
	"es": {"muy complicado": 1, "complicado": 2, "neutral": 4, "sencillo": 6, "simple": 6, "muy sencillo": 7, "muy simple": 7},
	"fr": {"très compliqué": 1, "compliqué": 2, "neutre": 4, "simple": 6, "très simple": 7},
	"ru": {"очень трудно": 1, "трудно": 2, "нейтрально": 4, "несложно": 5},
	"pt": {"muito complicado": 1, "complicado": 2, "neutro": 4, "simples": 6, "muito simples": 7},
	"de": {"sehr schwer": 1, "sehr kompliziert": 1, "schwer": 2, "kompliziert": 2, "neutral": 4, "einfach": 6, "sehr einfach": 7},
}

// thumbs are words for thumbs down (0) and up (1).
var thumbs = map[string]map[string]int{
	"en": {"nope": 0, "not really": 0, "bad": 0, "thumbs down": 0, "yeah": 1, "yep": 1, "sure": 1, "good": 1, "thumbs up": 1},
	"es": {"para nada": 0, "mal": 0, "claro": 1, "bien": 1},
	"fr": {"pas vraiment": 0, "pas du tout": 0, "mal": 0, "ouais": 1, "bien": 1},
	"ru": {"не очень": 0, "плохо": 0, "ага": 1, "конечно": 1, "хорошо": 1},
	"pt": {"nem um pouco": 0, "mal": 0, "claro": 1, "bem": 1},
	"de": {"nicht wirklich": 0, "schlecht": 0, "jep": 1, "klar": 1, "gut": 1},
}

// synonyms are the word lists of each shipped scale by base language.
var synonyms = map[string]map[string]map[string]int{
	ScaleCSAT5:  quality5,
	ScaleEmoji5: quality5,
	ScaleCES7:   ces7,
	ScaleThumbs: thumbs,
}

// LabelWords returns the words a contact may write for each of values on a
// scale, in lang, for the reply parser (scoring.NewParser): every option
// label of the catalog (with the default language's label where lang has
// none, since that is what the contact saw) and the synonyms shipped for
// the scale and language ("excelente", "pésimo", "bien"). Words are
// lower-cased, with runs of other characters folded to one space, and each
// also comes without its accents ("pesimo"), as contacts often type it.
//
// A label always wins over a synonym with another value, so a survey that
// overrides a label keeps its meaning; a word that two labels share, and a
// synonym for a value not in values, are left out. Labels made only of
// digits or emoji are left out too: the parser reads those itself.
func (c *Catalog) LabelWords(lang language.Tag, scaleID string, values []int) map[string]int {
	out := map[string]int{}
	shared := map[string]bool{} // words two labels share: nobody gets them
	for _, v := range values {
		t, ok := c.Text(lang, LabelKey(scaleID, v))
		if !ok {
			continue
		}
		for _, form := range wordForms(t) {
			if shared[form] {
				continue
			}
			if prev, seen := out[form]; seen && prev != v {
				delete(out, form)
				shared[form] = true
				continue
			}
			out[form] = v
		}
	}
	in := make(map[int]bool, len(values))
	for _, v := range values {
		in[v] = true
	}
	for w, v := range synonymsFor(lang, scaleID) {
		if !in[v] {
			continue
		}
		for _, form := range wordForms(w) {
			if _, taken := out[form]; taken || shared[form] {
				continue // labels win; shipped lists are tested not to clash
			}
			out[form] = v
		}
	}
	return out
}

// wordForms returns the folded word and its folded form without accents,
// leaving out forms without a letter.
func wordForms(w string) []string {
	var out []string
	for _, f := range []string{fold(w), fold(stripAccents(w))} {
		if hasLetter(f) && (len(out) == 0 || out[0] != f) {
			out = append(out, f)
		}
	}
	return out
}

// synonymsFor finds the shipped words of a scale for lang or the nearest
// language the lists have (es-AR → es).
func synonymsFor(lang language.Tag, scaleID string) map[string]int {
	lists := synonyms[scaleID]
	if lists == nil {
		return nil
	}
	base, _ := lang.Base()
	return lists[base.String()]
}

// fold lower-cases s and turns every run of characters that are not
// letters or digits into one space, as the reply parser does.
func fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// stripAccents removes the accents contacts often leave out: combining
// marks of Latin letters after canonical decomposition ("pésimo" →
// "pesimo", "mécontent" → "mecontent"), and ё → е in Cyrillic, where й
// and other letters keep their marks.
func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 'ё':
			b.WriteRune('е')
		case r == 'Ё':
			b.WriteRune('Е')
		case r < 0x80 || unicode.Is(unicode.Cyrillic, r) || !unicode.Is(unicode.Latin, r):
			b.WriteRune(r)
		default:
			for _, d := range norm.NFD.String(string(r)) {
				if !unicode.Is(unicode.Mn, d) {
					b.WriteRune(d)
				}
			}
		}
	}
	return b.String()
}
