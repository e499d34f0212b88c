package scoring

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// csat5Words are CSAT-5 label words of the shipped languages, as a catalog
// hands them to NewParser (the survey engine passes one language at a time).
var csat5Words = map[string]map[string]int{
	"en": {"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4, "Very satisfied": 5, "not bad": 3, "not satisfied": 2},
	"es": {"Muy insatisfecho": 1, "Insatisfecho": 2, "Neutral": 3, "Satisfecho": 4, "Muy satisfecho": 5, "ni bien ni mal": 3},
	"fr": {"Très insatisfait": 1, "Insatisfait": 2, "Neutre": 3, "Satisfait": 4, "Très satisfait": 5, "pas mal": 4, "pas satisfait": 2},
	"ru": {"Совсем не устроило": 1, "Скорее не устроило": 2, "Нейтрально": 3, "Скорее устроило": 4, "Полностью устроило": 5,
		"очень недоволен": 1, "недоволен": 2, "доволен": 4, "очень доволен": 5},
	"pt": {"Muito insatisfeito": 1, "Insatisfeito": 2, "Neutro": 3, "Satisfeito": 4, "Muito satisfeito": 5},
	"de": {"Sehr unzufrieden": 1, "Unzufrieden": 2, "Neutral": 3, "Zufrieden": 4, "Sehr zufrieden": 5},
}

func mustParser(t testing.TB, s *Scale, words map[string]int) *Parser {
	t.Helper()
	p, err := NewParser(s, words)
	require.NoError(t, err)
	return p
}

// parseCase is one reply and what it must read as: a value, or an error.
type parseCase struct {
	reply string
	want  int
	err   error
}

func runParseCases(t *testing.T, p *Parser, cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.reply, func(t *testing.T) {
			v, err := p.Parse(c.reply)
			if c.err != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, c.err), "want %v, got %v", c.err, err)
				assert.Zero(t, v)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, v)
		})
	}
}

// runLanguageCases runs the cases of every shipped language against the
// parser made for it.
func runLanguageCases(t *testing.T, cases map[string][]parseCase, parser func(lang string) *Parser) {
	t.Helper()
	require.Len(t, cases, len(csat5Words), "every language has cases")
	for lang, cs := range cases {
		t.Run(lang, func(t *testing.T) {
			runParseCases(t, parser(lang), cs)
		})
	}
}

func TestParseReadsDigitsInFreeText(t *testing.T) {
	runParseCases(t, mustParser(t, CSAT5(), nil), []parseCase{
		{"5", 5, nil},
		{"  4\n", 4, nil},
		{"I'd give a 4", 4, nil},
		{"4/5", 4, nil},
		{"4 / 5", 4, nil},
		{"5/5 thanks!", 5, nil},
		{"1/5", 1, nil},
		{"4 out of 5", 4, nil},
		{"4 of 5", 4, nil},
		{"4 de 5", 4, nil},
		{"4 sur 5", 4, nil},
		{"4 su 5", 4, nil},
		{"4 von 5", 4, nil},
		{"4 из 5", 4, nil},
		{"4 ИЗ 5", 4, nil},
		{"a 3, I guess", 3, nil},
		{"3 3 3", 3, nil},
		{"4.0", 4, nil},
		{"4,0", 4, nil},
		{"it was a 5.", 5, nil},
		{"10", 0, ErrOutOfRange},
		{"0", 0, ErrOutOfRange},
		{"6", 0, ErrOutOfRange},
		{"-1", 0, ErrOutOfRange},
		{"waited 30 minutes", 0, ErrOutOfRange},
		{"99999999999999999999999", 0, ErrOutOfRange},
		{"4 or 5", 0, ErrAmbiguous},
		{"1-5", 0, ErrAmbiguous},
		{"4.5", 0, ErrAmbiguous},
		{"4,5", 0, ErrAmbiguous},
		{"5,000", 0, ErrAmbiguous},
		{"5 after 30 minutes", 0, ErrAmbiguous},
		{"4/10", 0, ErrAmbiguous},
		{"2nd time I call, but 5", 5, nil}, // numbers glued to letters are not scores
		{"waited 24h", 0, ErrNoScore},
		{"agent7 was great: 4", 4, nil},
		{"4th", 0, ErrNoScore},
		{"a4.5b", 0, ErrNoScore},
		{"5️⃣ok", 5, nil}, // a keycap always counts
		{"waited 10мин, 4", 4, nil},
		{"５分", 5, nil}, // Chinese "5 points": no spaces in that script
		{"3点です", 3, nil},
		{"", 0, ErrNoScore},
		{"   ", 0, ErrNoScore},
		{"thanks, bye", 0, ErrNoScore},
	})
}

func TestParseNeverReadsTenAsOne(t *testing.T) {
	runParseCases(t, mustParser(t, NPS10(), nil), []parseCase{
		{"10", 10, nil},
		{"a 10!", 10, nil},
		{"10/10", 10, nil},
		{"10 out of 10", 10, nil},
		{"8 out of 10", 8, nil},
		{"🔟", 10, nil},
		{"1️⃣0️⃣", 10, nil},
		{"１０", 10, nil},
		{"⑩", 10, nil},
		{"0", 0, nil},
		{"0️⃣", 0, nil},
		{"11", 0, ErrOutOfRange},
		{"100", 0, ErrOutOfRange},
		{"1 0", 0, ErrAmbiguous},
	})
	runParseCases(t, mustParser(t, CSAT5(), nil), []parseCase{
		{"10", 0, ErrOutOfRange},
		{"🔟", 0, ErrOutOfRange},
	})
}

func TestParseReadsKeycapsFullWidthAndOtherUnicodeDigits(t *testing.T) {
	runParseCases(t, mustParser(t, CSAT5(), nil), []parseCase{
		{"1️⃣", 1, nil},
		{"5️⃣", 5, nil},
		{"5⃣", 5, nil}, // keycap without U+FE0F
		{"my answer: 4️⃣", 4, nil},
		{"５", 5, nil},                    // full-width
		{"Ｉ give ４／５", 4, nil},           // full-width letters, digits and slash
		{"٤", 4, nil},                    // Arabic-Indic
		{"۳", 3, nil},                    // Extended Arabic-Indic (Persian)
		{"५", 5, nil},                    // Devanagari
		{"২", 2, nil},                    // Bengali
		{"๔", 4, nil},                    // Thai
		{"𝟓", 5, nil},                    // mathematical bold
		{"⑤", 5, nil},                    // circled
		{"⁴", 4, nil},                    // superscript
		{"٤/٥", 4, nil},                  // Arabic-Indic with the scale's maximum
		{"１️⃣", 1, nil},                  // full-width keycap base
		{"٣ ٤", 0, ErrAmbiguous},         // two Arabic-Indic scores
		{"٧", 0, ErrOutOfRange},          // Arabic-Indic 7 on a 1–5 scale
		{"1️⃣ 2️⃣", 0, ErrAmbiguous},     // two keycaps apart
		{"6️⃣", 0, ErrOutOfRange},        // keycap off the scale
		{"١٠", 0, ErrOutOfRange},         // Arabic-Indic ten is ten, not one
		{"\U0001D7CE", 0, ErrOutOfRange}, // mathematical bold zero
	})
}

func TestUnicodeDigitValuesFollowTheirRunsOfTen(t *testing.T) {
	// Every decimal digit in Unicode must read as the same value as its
	// position in its block; check a sample of every range of unicode.Nd
	// against the ASCII digit found by the same offset.
	for _, r16 := range unicode.Nd.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			d, _ := digitAt(string(r), 0)
			require.GreaterOrEqual(t, d, 0, "%U is a digit", r)
			require.Less(t, d, 10)
		}
	}
	for _, want := range []struct {
		r rune
		v int
	}{{'٠', 0}, {'٩', 9}, {'۷', 7}, {'०', 0}, {'९', 9}, {'０', 0}, {'９', 9}, {'\U0001D7D7', 9}, {'\U0001D7D8', 0}, {'\U0001D7FF', 9}} {
		d, _ := digitAt(string(want.r), 0)
		assert.Equal(t, want.v, d, "%U", want.r)
	}
}

func TestParseCountsStarStrings(t *testing.T) {
	runParseCases(t, mustParser(t, CSAT5(), nil), []parseCase{
		{"⭐", 1, nil},
		{"⭐⭐⭐⭐", 4, nil},
		{"⭐️⭐️⭐️", 3, nil}, // with variation selectors
		{"⭐ ⭐ ⭐ ⭐ ⭐", 5, nil},
		{"★★★☆☆", 3, nil},
		{"🌟🌟", 2, nil},
		{"5 ⭐", 5, nil}, // a single star after a number is a unit
		{"5⭐", 5, nil},
		{"4 ★", 4, nil},
		{"⭐ 5", 5, nil}, // a single star before a number is a unit too
		{"★4", 4, nil},
		{"⭐⭐ 5", 0, ErrAmbiguous},
		{"5 ⭐⭐⭐⭐⭐", 5, nil},
		{"great ⭐⭐⭐⭐⭐ thanks", 5, nil},
		{"4 ⭐⭐", 0, ErrAmbiguous},
		{"⭐⭐⭐⭐⭐⭐", 0, ErrOutOfRange},
		{"☆☆☆☆☆", 0, ErrOutOfRange}, // zero stars on a 1–5 scale
		{"⭐⭐ and ⭐⭐⭐", 0, ErrAmbiguous},
	})
}

func TestParseReadsTheScalesOwnFaceEmoji(t *testing.T) {
	runParseCases(t, mustParser(t, Emoji5(), nil), []parseCase{
		{"😡", 1, nil},
		{"🙁", 2, nil},
		{"😐", 3, nil},
		{"🙂", 4, nil},
		{"😄", 5, nil},
		{"😄️", 5, nil}, // with U+FE0F
		{"😄😄😄", 5, nil},
		{"thanks 😄!", 5, nil},
		{"4 🙂", 4, nil},
		{"3", 3, nil},
		{"😄 😡", 0, ErrAmbiguous},
		{"5 😡", 0, ErrAmbiguous},
		{"👍", 0, ErrNoScore}, // not a face of this scale
	})
	runParseCases(t, mustParser(t, Thumbs(), nil), []parseCase{
		{"👍", 1, nil},
		{"👍🏽", 1, nil}, // skin tone
		{"👎🏿", 0, nil},
		{"👍️", 1, nil},
		{"1", 1, nil},
		{"0", 0, nil},
		{"👍👎", 0, ErrAmbiguous},
		{"2", 0, ErrOutOfRange},
		{"😄", 0, ErrNoScore},
	})
}

func TestParseReadsButtonPayloads(t *testing.T) {
	p := mustParser(t, CSAT5(), csat5Words["en"])
	for v := 1; v <= 5; v++ {
		got, err := p.Parse(PayloadPrefix + string(rune('0'+v)))
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	runParseCases(t, p, []parseCase{
		{"rating:5", 5, nil},
		{" rating:3\n", 3, nil},
		{"rating:0", 0, ErrOutOfRange},
		{"rating:6", 0, ErrOutOfRange},
		{"rating:-1", 0, ErrOutOfRange},
		{"rating:", 0, ErrNoScore},
		{"rating:x", 0, ErrNoScore},
		{"rating:4 5", 0, ErrNoScore},
		{"rating:9999999999", 0, ErrNoScore},
	})
	runParseCases(t, mustParser(t, NPS10(), nil), []parseCase{
		{"rating:10", 10, nil},
		{"rating:0", 0, nil},
	})
}

func TestParseReadsLabelWordsInEveryShippedLanguage(t *testing.T) {
	cases := map[string][]parseCase{
		"en": {
			{"Very satisfied", 5, nil},
			{"very SATISFIED!", 5, nil},
			{"satisfied", 4, nil},
			{"Dissatisfied.", 2, nil},
			{"very dissatisfied", 1, nil},
			{"neutral", 3, nil},
			{"I am very satisfied with Ana", 5, nil},
			{"satisfied 4", 4, nil},
			{"not satisfied", 2, nil}, // a label of its own
			{"not bad", 3, nil},
			{"I'm not very satisfied", 0, ErrAmbiguous},
			{"satisfied, 5", 0, ErrAmbiguous},
			{"satisfied or dissatisfied", 0, ErrAmbiguous},
			{"unsatisfiedness", 0, ErrNoScore}, // words match whole
		},
		"es": {
			{"Muy satisfecho", 5, nil},
			{"muy satisfecho", 5, nil},
			{"MUY SATISFECHO", 5, nil},
			{"satisfecho", 4, nil},
			{"Insatisfecho", 2, nil},
			{"muy insatisfecho", 1, nil},
			{"Neutral", 3, nil},
			{"ni bien ni mal", 3, nil},
			{"No, muy satisfecho", 5, nil}, // the comma ends the negation
			{"estoy muy satisfecho, gracias", 5, nil},
			{"no estoy satisfecho", 0, ErrAmbiguous},
			{"muy satisfecho 5️⃣", 5, nil},
			{"muy satisfecho 4", 0, ErrAmbiguous},
		},
		"fr": {
			{"Très satisfait", 5, nil},
			{"tres satisfait", 5, nil},
			{"TRÈS SATISFAIT", 5, nil},
			{"satisfait", 4, nil},
			{"insatisfait", 2, nil},
			{"très insatisfait", 1, nil},
			{"neutre", 3, nil},
			{"pas mal", 4, nil},
			{"ce n'est pas mal", 4, nil},         // the "ne" belongs to the label's "pas"
			{"je ne suis pas satisfait", 2, nil}, // "pas satisfait" is a label
			{"je ne suis pas content", 0, ErrNoScore},
			{"jamais satisfait", 0, ErrAmbiguous},
			{"Très satisfait ! Merci", 5, nil},
		},
		"ru": {
			{"Полностью устроило", 5, nil},
			{"полностью устроило", 5, nil},
			{"Скорее устроило", 4, nil},
			{"скорее не устроило", 2, nil},
			{"совсем не устроило", 1, nil},
			{"нейтрально", 3, nil},
			{"очень доволен", 5, nil},
			{"ОЧЕНЬ ДОВОЛЕН", 5, nil},
			{"доволен", 4, nil},
			{"недоволен", 2, nil},
			{"очень недоволен", 1, nil},
			{"не доволен", 0, ErrAmbiguous},
			{"Всё отлично, очень доволен!", 5, nil},
		},
		"pt": {
			{"Muito satisfeito", 5, nil},
			{"muito satisfeito", 5, nil},
			{"satisfeito", 4, nil},
			{"insatisfeito", 2, nil},
			{"muito insatisfeito", 1, nil},
			{"neutro", 3, nil},
			{"não estou satisfeito", 0, ErrAmbiguous},
		},
		"de": {
			{"Sehr zufrieden", 5, nil},
			{"sehr zufrieden", 5, nil},
			{"zufrieden", 4, nil},
			{"Unzufrieden", 2, nil},
			{"sehr unzufrieden", 1, nil},
			{"neutral", 3, nil},
			{"nicht zufrieden", 0, ErrAmbiguous},
		},
	}
	runLanguageCases(t, cases, func(lang string) *Parser { return mustParser(t, CSAT5(), csat5Words[lang]) })
}

func TestParseReadsLabelWordsOfOtherScales(t *testing.T) {
	t.Run("ces7 in Russian, with a comma inside a label", func(t *testing.T) {
		p := mustParser(t, CES7(), map[string]int{"Очень сложно": 1, "Сложно": 2, "Скорее сложно": 3, "Ни сложно, ни легко": 4, "Скорее легко": 5, "Легко": 6, "Очень легко": 7})
		runParseCases(t, p, []parseCase{
			{"Ни сложно, ни легко", 4, nil},
			{"ни сложно ни легко", 4, nil},
			{"очень легко", 7, nil},
			{"легко", 6, nil},
			{"8", 0, ErrOutOfRange},
		})
	})
	t.Run("ces7 in French", func(t *testing.T) {
		p := mustParser(t, CES7(), map[string]int{"Très difficile": 1, "Difficile": 2, "Plutôt difficile": 3, "Ni facile ni difficile": 4, "Plutôt facile": 5, "Facile": 6, "Très facile": 7})
		runParseCases(t, p, []parseCase{
			{"ni facile ni difficile", 4, nil},
			{"plutot facile", 5, nil},
			{"très facile", 7, nil},
		})
	})
	t.Run("thumbs in Spanish", func(t *testing.T) {
		p := mustParser(t, Thumbs(), map[string]int{"No": 0, "Sí": 1})
		runParseCases(t, p, []parseCase{
			{"si", 1, nil},
			{"Sí 👍", 1, nil},
			{"no", 0, nil},
			{"no 👍", 0, ErrAmbiguous},
		})
	})
	t.Run("nps10 in Portuguese, with the digits between the ends as labels", func(t *testing.T) {
		words := map[string]int{"Nada provável": 0, "Extremamente provável": 10}
		for v := 1; v <= 9; v++ {
			words[strconv.Itoa(v)] = v
		}
		p := mustParser(t, NPS10(), words)
		runParseCases(t, p, []parseCase{
			{"8/10", 8, nil},
			{"10", 10, nil},
			{"10/10", 10, nil},
			{"1", 1, nil},
			{"8 de 10", 8, nil},
			{"8 ou 9", 0, ErrAmbiguous},
		})
		runParseCases(t, p, []parseCase{
			{"extremamente provável", 10, nil},
			{"nada provavel", 0, nil},
			{"9", 9, nil},
		})
	})
}

func TestNewParserRejectsWordsOffTheScaleOrInConflict(t *testing.T) {
	_, err := NewParser(CSAT5(), map[string]int{"amazing": 6})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"amazing" has value 6`)

	_, err = NewParser(CSAT5(), map[string]int{"Très bien": 5, "tres bien": 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read the same")

	_, err = NewParser(nil, nil)
	require.Error(t, err)

	p, err := NewParser(CSAT5(), map[string]int{"Très bien": 5, "TRES BIEN": 5, "👍": 5})
	require.NoError(t, err, "the same word twice with one value, and symbol-only words, are fine")
	assert.Same(t, CSAT5(), p.Scale())
}

func TestParseHandlesBadInputWithoutPanicking(t *testing.T) {
	p := mustParser(t, CSAT5(), csat5Words["es"])
	runParseCases(t, p, []parseCase{
		{"\xff\xfe5", 5, nil},
		{"\xff", 0, ErrNoScore},
		{"muy satisfecho\xc0", 5, nil},
		{strings.Repeat("a", 600) + " 4", 4, nil},
		{strings.Repeat("x ", MaxReplyBytes), 0, ErrNoScore},
		{"\x00\x00", 0, ErrNoScore},
		{"\u20E3\uFE0F", 0, ErrNoScore},
		{"-", 0, ErrNoScore},
		{"/5", 5, nil},
	})
	_, err := p.Parse(PayloadPrefix + strings.Repeat("x", 1000))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 120, "long replies are clipped in errors")
	_, err = p.Parse(strings.Repeat("5", MaxReplyBytes+1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "longer than")
}

func TestParseAllocatesNothingForAPlainDigit(t *testing.T) {
	p := mustParser(t, CSAT5(), csat5Words["es"])
	allocs := testing.AllocsPerRun(100, func() {
		if v, err := p.Parse("5"); err != nil || v != 5 {
			t.Fatal("5 must read as 5")
		}
	})
	assert.Zero(t, allocs)
}
