package scoring

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tenWords are the words for one to ten of the shipped languages in order
// ("–" where the only words for one are articles or determiners, listed in
// alone), then more forms of some of them, as the i18n package hands them
// to WithNumberWords (its tests check its own lists against this parser).
var tenWords = map[string]struct {
	oneToTen []string
	more     map[string]int
	alone    []string // articles that also mean one
}{
	"en": {oneToTen: strings.Fields("– two three four five six seven eight nine ten"), alone: []string{"one"}},
	"es": {oneToTen: strings.Fields("uno dos tres cuatro cinco seis siete ocho nueve diez"), alone: []string{"un", "una"}},
	"fr": {oneToTen: strings.Fields("– deux trois quatre cinq six sept huit neuf dix"), alone: []string{"un", "une"}},
	"ru": {oneToTen: strings.Fields("– два три четыре пять шесть семь восемь девять десять"),
		more: map[string]int{"две": 2, "трёх": 3, "пяти": 5, "семи": 7, "десяти": 10}, alone: []string{"один", "одна", "одно", "одну"}},
	"pt": {oneToTen: strings.Fields("– dois três quatro cinco seis sete oito nove dez"), more: map[string]int{"duas": 2}, alone: []string{"um", "uma"}},
	"de": {oneToTen: strings.Fields("eins zwei drei vier fünf sechs sieben acht neun zehn"), more: map[string]int{"zwo": 2, "fuenf": 5}, alone: []string{"ein", "eine"}},
}

// numberOption returns WithNumberWords for lang's words.
func numberOption(lang string) ParserOption {
	l := tenWords[lang]
	words, alone := map[string]int{}, map[string]int{}
	for i, w := range l.oneToTen {
		if w != "–" {
			words[w] = i + 1
		}
	}
	for w, v := range l.more {
		words[w] = v
	}
	for _, w := range l.alone {
		alone[w] = 1
	}
	return WithNumberWords(words, alone)
}

func numberParser(t testing.TB, s *Scale, lang string) *Parser {
	t.Helper()
	var words map[string]int
	if s == CSAT5() {
		words = csat5Words[lang]
	}
	p, err := NewParser(s, words, numberOption(lang))
	require.NoError(t, err)
	return p
}

// SPEC B7: the words for one to ten, in every shipped language, in any case,
// with and without accents, alone and in a short reply.
func TestParseReadsOneToTenAsWordsInEveryShippedLanguage(t *testing.T) {
	require.Len(t, tenWords, len(csat5Words), "every shipped language")
	for lang, l := range tenWords {
		t.Run(lang, func(t *testing.T) {
			p := numberParser(t, NPS10(), lang)
			for i, w := range l.oneToTen {
				if w == "–" {
					continue // the word for one is an article too: see below
				}
				want := i + 1
				plain := stripMarks(w)
				for _, reply := range []string{w, strings.ToUpper(w), capitalized(w), plain, "  " + w + "!", w + " 👍", "¡" + w + "!", "«" + w + "»", w + ".", w + " " + w} {
					v, err := p.Parse(reply)
					require.NoError(t, err, "%q", reply)
					assert.Equal(t, want, v, "%q", reply)
				}
				// With the digit it agrees; against another number it is
				// ambiguous.
				v, err := p.Parse(w + " (" + itoa(want) + ")")
				require.NoError(t, err)
				assert.Equal(t, want, v)
				_, err = p.Parse(w + " " + itoa(want%10+1))
				assert.ErrorIs(t, err, ErrAmbiguous, "%q and another number", w)
				// Glued to more letters or digits it is another word.
				for _, reply := range []string{w + "s" + w, "x" + w, w + "5", "5" + w} {
					_, err := p.Parse(reply)
					assert.ErrorIs(t, err, ErrNoScore, "%q", reply)
				}
			}
			for w, want := range l.more {
				v, err := p.Parse(w)
				require.NoError(t, err, w)
				assert.Equal(t, want, v, w)
			}
			for _, w := range l.alone {
				for _, reply := range []string{w, strings.ToUpper(w) + " !", w + " ⭐"} {
					v, err := p.Parse(reply)
					require.NoError(t, err, "%q alone is the number", reply)
					assert.Equal(t, 1, v, "%q", reply)
				}
				for _, n := range []int{5, 9} {
					reply := w + " " + l.oneToTen[n-1]
					v, err := p.Parse(reply)
					require.NoError(t, err, "%q: the article before a number", reply)
					assert.Equal(t, n, v, "%q", reply)
				}
			}
		})
	}
}

// stripMarks drops the accents of Latin letters, as a contact's keyboard
// might ("três" → "tres", "fünf" → "funf"); Cyrillic is left alone.
func stripMarks(s string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ê", "e", "ô", "o", "ü", "u", "ö", "o", "ä", "a", "è", "e")
	return r.Replace(s)
}

func capitalized(w string) string {
	r := []rune(w)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func itoa(n int) string {
	if n == 10 {
		return "10"
	}
	return string(rune('0' + n))
}

func TestParseReadsNumberWordsLikeDigits(t *testing.T) {
	scales := map[string]*Scale{"es": CSAT5(), "en": CSAT5(), "fr": NPS10(), "ru": CSAT5(), "pt": NPS10(), "de": CSAT5()}
	cases := map[string][]parseCase{
		"es": {
			{"cinco", 5, nil},
			{"le doy un cinco", 5, nil},
			{"un cuatro", 4, nil},
			{"cuatro de cinco", 4, nil}, // the second number is the scale's maximum
			{"cuatro de 5", 4, nil},
			{"4 de cinco", 4, nil},
			{"cuatro/cinco", 4, nil},
			{"cinco de cinco, gracias", 5, nil},
			{"cinco ⭐", 5, nil}, // a single star is a unit, as after a digit
			{"⭐ cinco", 5, nil},
			{"⭐⭐⭐ tres", 3, nil},
			{"muy satisfecho, cinco", 5, nil},
			{"no, cinco", 5, nil},                  // the comma ends the negation
			{"seis", 0, ErrOutOfRange},             // a number off the scale, as "6"
			{"diez", 0, ErrOutOfRange},             // never one
			{"cinco seis", 0, ErrAmbiguous},        // a score and a number off the scale
			{"cuatro o cinco", 0, ErrAmbiguous},    // two scores
			{"cuatro de diez", 0, ErrAmbiguous},    // the second number is not the maximum
			{"satisfecho, cinco", 0, ErrAmbiguous}, // a label for 4 and a 5
			{"⭐⭐ cinco", 0, ErrAmbiguous},
			{"no cinco", 0, ErrNoScore}, // a negated number names no score
			{"uno de los mejores", 0, ErrNoScore},
			{"una estrella", 0, ErrNoScore}, // an article is 1 only alone
			{"un", 1, nil},
			{"un sur", 0, ErrNoScore},
			{"cincuenta", 0, ErrNoScore},
			{"dieciséis", 0, ErrNoScore},
		},
		"en": {
			{"Five!", 5, nil},
			{"I'd give it a four", 4, nil},
			{"four out of five", 4, nil},
			{"four of five", 4, nil},
			{"five stars", 5, nil},
			{"one", 1, nil},
			{"One!", 1, nil},
			{"one out of five", 1, nil},
			{"wait, one more question", 0, ErrNoScore}, // "one" with other words is a determiner
			{"one star", 0, ErrNoScore},
			{"don't know, five", 5, nil},
			{"someone helped me", 0, ErrNoScore}, // whole words only
			{"none", 0, ErrNoScore},
			{"no one answered", 0, ErrNoScore},
			{"no one answered: 2", 2, nil},
			{"one of the best", 0, ErrNoScore},
			{"not five", 0, ErrNoScore},
			{"four or five", 0, ErrAmbiguous},
			{"ten", 0, ErrOutOfRange},
			{"five, after ten minutes", 0, ErrAmbiguous}, // as "5 after 30 minutes"
			{"nineteen", 0, ErrNoScore},
			{"fivefold", 0, ErrNoScore},
		},
		"fr": {
			{"neuf", 9, nil},
			{"un neuf", 9, nil}, // the article, not 1 and 9
			{"je mets un huit", 8, nil},
			{"Un !", 1, nil},
			{"une", 1, nil},
			{"un sur dix", 1, nil}, // before the maximum, the article is the number
			{"neuf sur dix", 9, nil},
			{"dix sur dix", 10, nil},
			{"dix", 10, nil},
			{"10, dix", 10, nil},
			{"dix-sept", 0, ErrAmbiguous}, // 10 and 7, as "10-7"
			{"huit ou neuf", 0, ErrAmbiguous},
			{"pas dix", 0, ErrNoScore},
			{"une étoile", 0, ErrNoScore},
			{"l'un des meilleurs", 0, ErrNoScore},
		},
		"ru": {
			{"пять", 5, nil},
			{"ПЯТЬ!", 5, nil},
			{"четыре из пяти", 4, nil},
			{"четыре из 5", 4, nil},
			{"ставлю одну звезду", 0, ErrNoScore}, // "один" with other words is a determiner
			{"ещё один вопрос", 0, ErrNoScore},
			{"одна из пяти", 1, nil},
			{"Один.", 1, nil},
			{"две", 2, nil},
			{"Всё отлично, пять", 5, nil},
			{"очень доволен, пять", 5, nil},
			{"не пять", 0, ErrNoScore},
			{"ни одна", 0, ErrNoScore},
			{"один из лучших", 0, ErrNoScore},
			{"четыре или пять", 0, ErrAmbiguous},
			{"шесть", 0, ErrOutOfRange},
			{"пятьдесят", 0, ErrNoScore},
		},
		"pt": {
			{"nota dez", 10, nil},
			{"três", 3, nil},
			{"TRES", 3, nil},
			{"um", 1, nil},
			{"uma", 1, nil},
			{"um nove", 9, nil},
			{"oito de dez", 8, nil},
			{"oito em dez", 8, nil},
			{"nota um", 0, ErrNoScore}, // an article with other words names no number
			{"não dez", 0, ErrNoScore},
			{"oito ou nove", 0, ErrAmbiguous},
			{"dezenove", 0, ErrNoScore},
		},
		"de": {
			{"fünf", 5, nil},
			{"FÜNF", 5, nil},
			{"funf", 5, nil},
			{"fuenf", 5, nil},
			{"eine Fünf", 5, nil},
			{"eins", 1, nil},
			{"eine Eins", 1, nil},
			{"ein", 1, nil},
			{"zwo", 2, nil},
			{"vier von fünf", 4, nil},
			{"sehr zufrieden, fünf", 5, nil},
			{"nicht fünf", 0, ErrNoScore},
			{"vier oder fünf", 0, ErrAmbiguous},
			{"sechs", 0, ErrOutOfRange},
			{"fünfzehn", 0, ErrNoScore},
		},
	}
	runLanguageCases(t, cases, func(lang string) *Parser { return numberParser(t, scales[lang], lang) })
}

func TestNumberWordsCountOnlyInShortReplies(t *testing.T) {
	p := numberParser(t, CSAT5(), "en")
	runParseCases(t, p, []parseCase{
		{"I'd give it a four out of five", 4, nil}, // eight words
		{"thanks a lot, I'd give it a four", 4, nil},
		{"we waited two days for an answer to our question", 0, ErrNoScore}, // nine words
		{"we waited two days for an answer to our question: 4", 4, nil},
		{"we waited two days for an answer to our question, four", 0, ErrNoScore},
	})
	assert.True(t, fewWords("I'd give it a four out of five", 8))
	assert.False(t, fewWords("I'd give it a four out of five!!! ok", 8))
	assert.True(t, fewWords("", 0))
	assert.True(t, fewWords("… !!! 🙂", 0))
	assert.True(t, fewWords("l’un", 1), "an apostrophe joins a word")
}

func TestParseWithoutNumberWordsReadsNone(t *testing.T) {
	runParseCases(t, mustParser(t, CSAT5(), csat5Words["es"]), []parseCase{
		{"cinco", 0, ErrNoScore},
		{"muy satisfecho", 5, nil},
	})
}

func TestNumberWordsOfOneLanguageAreNotReadInAnother(t *testing.T) {
	// "très" is French for "very", "tres" Spanish for three.
	p := numberParser(t, CSAT5(), "fr")
	runParseCases(t, p, []parseCase{
		{"très satisfait", 5, nil},
		{"tres satisfait", 5, nil},
		{"tres", 0, ErrNoScore},
	})
}

func TestWithNumberWordsChecksItsWords(t *testing.T) {
	for _, c := range []struct {
		words, alone map[string]int
		msg          string
	}{
		{map[string]int{"out of": 5}, nil, "single word"},
		{map[string]int{"5": 5}, nil, "single word"},
		{map[string]int{"٥": 5}, nil, "single word"},
		{map[string]int{"": 5}, nil, "single word"},
		{map[string]int{"!!": 5}, nil, "single word"},
		{map[string]int{strings.Repeat("a", 33): 5}, nil, "single word"},
		{map[string]int{"minus": -1}, nil, "outside 0–1000000"},
		{map[string]int{"lots": 2_000_000}, nil, "outside"},
		{map[string]int{"tres": 3, "três": 4}, nil, "read the same"},
		{map[string]int{"un": 2}, map[string]int{"un": 1}, "read the same"},
	} {
		_, err := NewParser(CSAT5(), nil, WithNumberWords(c.words, c.alone))
		require.Error(t, err, "%v %v", c.words, c.alone)
		assert.Contains(t, err.Error(), c.msg)
	}

	// The same word in both lists with one value is an ordinary number word.
	p, err := NewParser(CSAT5(), nil, WithNumberWords(map[string]int{"un": 1}, map[string]int{"un": 1}), nil)
	require.NoError(t, err)
	v, err := p.Parse("un, gracias")
	require.NoError(t, err)
	assert.Equal(t, 1, v)

	// A label word that reads the same wins.
	p, err = NewParser(CSAT5(), map[string]int{"Uno": 5}, WithNumberWords(map[string]int{"uno": 1, "dos": 2}, nil))
	require.NoError(t, err)
	runParseCases(t, p, []parseCase{{"uno", 5, nil}, {"UNO!", 5, nil}, {"dos", 2, nil}, {"uno dos", 0, ErrAmbiguous}})
}

func TestParseAllocatesNothingForANumberWord(t *testing.T) {
	p := numberParser(t, NPS10(), "es")
	for _, reply := range []string{"5", "nueve", "un nueve", "cuatro de diez"} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := p.Parse(reply); err != nil && !errors.Is(err, ErrAmbiguous) {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, reply)
	}
}
