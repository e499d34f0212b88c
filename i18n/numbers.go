package i18n

import (
	"maps"

	"golang.org/x/text/language"
)

// numberWords are the words for one to ten of each shipped language, with
// the gender and case forms contacts write ("две", "duas", and the Russian
// genitive of "четыре из пяти"); the words for one that chat uses as an
// article or a determiner are in articleNumbers.
var numberWords = map[string]map[string]int{
	"en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10},
	"es": {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10},
	"fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10},
	"ru": {
		"два": 2, "две": 2, "двух": 2,
		"три": 3, "трёх": 3,
		"четыре": 4, "четырёх": 4,
		"пять": 5, "пяти": 5,
		"шесть": 6, "шести": 6,
		"семь": 7, "семи": 7,
		"восемь": 8, "восьми": 8,
		"девять": 9, "девяти": 9,
		"десять": 10, "десяти": 10,
	},
	"pt": {"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10},
	"de": {"eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10},
}

// articleNumbers are the words for one that are also an article or a
// determiner ("un neuf", "one more question", "ещё один вопрос"): the
// parser reads them as 1 only when they are the whole reply.
var articleNumbers = map[string]map[string]int{
	"en": {"one": 1},
	"ru": {"один": 1, "одна": 1, "одно": 1, "одну": 1},
	"es": {"un": 1, "una": 1},
	"fr": {"un": 1, "une": 1},
	"pt": {"um": 1, "uma": 1},
	"de": {"ein": 1, "eine": 1},
}

// NumberWords returns the words for the numbers one to ten in lang, or the
// nearest language that has them (es-AR → es), for the reply parser
// (scoring.WithNumberWords). words maps each word to its number ("nueve"
// → 9, "девять" → 9), with the gender and case forms contacts write
// ("две", "duas", "пяти" as in "четыре из пяти"); alone holds the words
// for one that chat also uses as an article or a determiner ("un", "une",
// "ein", "um", "one", "один"), which the parser reads as 1 only when they
// are the whole reply or come before the scale's maximum ("one out of
// five"), so "un nueve" is 9 and "one more question" names no score. The
// parser folds case and accents itself, so "tres" matches "três". Both
// maps are nil for a language without number words; they are the
// caller's own.
func NumberWords(lang language.Tag) (words, alone map[string]int) {
	base, _ := lang.Base()
	return maps.Clone(numberWords[base.String()]), maps.Clone(articleNumbers[base.String()])
}
