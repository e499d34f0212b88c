package scoring

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Errors returned by [Parser.Parse]. A caller re-prompts the contact on any
// of them; check them with errors.Is.
var (
	// ErrNoScore means the reply contains nothing that reads as a score.
	ErrNoScore = errors.New("scoring: no score in reply")
	// ErrAmbiguous means the reply names two or more different scores, a
	// fraction such as "4.5", or a negated label such as "not satisfied".
	ErrAmbiguous = errors.New("scoring: reply names more than one score")
	// ErrOutOfRange means the reply names a number outside the scale and no
	// score on it.
	ErrOutOfRange = errors.New("scoring: score out of range")
)

// MaxReplyBytes is the longest reply [Parser.Parse] reads; a longer one is
// reported as ErrNoScore without being scanned.
const MaxReplyBytes = 16 << 10

// PayloadPrefix starts the button payloads the survey engine sends, e.g.
// "rating:5"; [Parser.Parse] reads such a payload as exactly its number.
const PayloadPrefix = "rating:"

// Parser reads scores from replies for one scale. Build it once with
// [NewParser] and share it: Parse is safe for concurrent use.
type Parser struct {
	scale *Scale
	words []labelWord // longest first
	faces []labelWord // the scale's emoji without U+FE0F, longest first
	// numbers are the number words by their folded text ("nueve", "tres"
	// for "três").
	numbers map[string]numberWord
}

// numberWord is a word that names a whole number.
type numberWord struct {
	value int
	// alone is set for a word that is also an article or a determiner
	// ("un", "ein", "one"): it names its number only as the whole reply or
	// before the scale's maximum ("un sur cinq").
	alone bool
}

// maxNumberWord is the longest number word, in bytes once folded, that
// NewParser accepts.
const maxNumberWord = 32

// MaxNumberWordReply is the most words a reply may have for its number
// words to count (see [WithNumberWords]): in a longer message a number
// word is more likely part of a story ("we waited two days") than a score.
const MaxNumberWordReply = 8

// maxWordNumber is the largest value a number word may have.
const maxWordNumber = 1_000_000

// ParserOption configures a [Parser] made by [NewParser].
type ParserOption func(*parserOptions)

type parserOptions struct {
	numbers, alone map[string]int
}

// WithNumberWords makes the parser read whole numbers written as words in
// one language, "nueve" → 9, "девять" → 9, "drei" → 3, as it reads
// digits: alone or in a short reply of at most [MaxNumberWordReply] words
// ("un nueve", "diez!", "I'd give it a four"), case and accents folded
// ("tres" is "três"), whole words only ("someone" holds no "one"),
// refused when two numbers differ or a number is off the scale, and
// "cuatro de cinco" read as 4 when the second number is the scale's
// maximum. In a longer message only digits and the other forms count.
//
// words maps each word to its number; its values need not be on the scale
// (a word off the scale makes the reply out of range, as a digit would).
// alone maps words that chat also uses as an article or a determiner,
// such as French "un" and "une", German "ein" and "eine", English "one"
// ("one more question"), Russian "один": such a word names its number only
// when it is the whole reply ("Un !" → 1) or comes before the scale's
// maximum ("un sur cinq", "one out of five"), so in "un neuf" it is the
// article and the reply is 9.
//
// Besides, a number word right after a negation in the same clause names
// no score ("no one", "not five"), nor does a word for one followed by
// "of" and something that is not a number ("one of the best", "uno de los
// mejores"). A label word that reads the same as a number word wins over
// it. Each word must be a single word of letters (at most 32 bytes) with
// a value from 0 to 1,000,000; NewParser reports any other, and a word
// given two values, as an error.
func WithNumberWords(words, alone map[string]int) ParserOption {
	return func(o *parserOptions) {
		o.numbers, o.alone = words, alone
	}
}

type labelWord struct {
	text  string // folded, with a space on each side; or an emoji
	b     []byte // text as bytes
	value int
	// negative is set when the word itself starts with a negation ("pas
	// mal", "not satisfied"): a negation before it belongs to it ("ce
	// n'est pas mal").
	negative bool
}

// NewParser returns a parser for scale that also understands the given label
// words (for example "muy satisfecho" → 5). Words are matched with case and
// accents folded, on word boundaries, the longest first, so "very
// satisfied" is never read as "satisfied" and "dissatisfied" never as
// "satisfied". A word whose value is not on the scale, or two words that
// fold to the same text with different values, are an error. Options add
// number words ([WithNumberWords]).
func NewParser(scale *Scale, words map[string]int, opts ...ParserOption) (*Parser, error) {
	if scale == nil {
		return nil, errors.New("scoring: NewParser: nil scale")
	}
	var o parserOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	p := &Parser{scale: scale}
	seen := map[string]string{}
	byText := map[string]int{}
	for w, v := range words {
		if !scale.Contains(v) {
			return nil, fmt.Errorf("scoring: label word %q has value %d outside %s", w, v, scale)
		}
		folded, _ := foldAppend(nil, nil, normalize(w))
		f := string(folded)
		if strings.TrimSpace(f) == "" {
			continue // only symbols: the scale's emoji are matched on their own
		}
		if old, dup := byText[f]; dup {
			if old != v {
				return nil, fmt.Errorf("scoring: label words %q (%d) and %q (%d) read the same", seen[f], old, w, v)
			}
			continue
		}
		byText[f] = v
		seen[f] = w
		first, _, _ := strings.Cut(strings.TrimSpace(f), " ")
		p.words = append(p.words, labelWord{text: f, b: []byte(f), value: v, negative: isNegation([]byte(first))})
	}
	sortLongestFirst(p.words)
	for _, o := range scale.options {
		e := strings.ReplaceAll(o.Emoji, "\uFE0F", "")
		if e == "" || strings.ContainsAny(e, "0123456789#*\u20E3") || e == keycaps[10] {
			continue // keycaps are read as digits
		}
		if r, _ := utf8.DecodeRuneInString(e); isStar(r) != 0 || unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue // stars are counted; letters are words
		}
		p.faces = append(p.faces, labelWord{text: e, value: o.Value})
	}
	sortLongestFirst(p.faces)
	if err := p.addNumberWords(o.numbers, o.alone, byText); err != nil {
		return nil, err
	}
	return p, nil
}

// addNumberWords folds and checks the number words; labels (byText, by
// their folded text) win over them.
func (p *Parser) addNumberWords(words, alone map[string]int, labels map[string]int) error {
	if len(words)+len(alone) == 0 {
		return nil
	}
	p.numbers = make(map[string]numberWord, len(words)+len(alone))
	given := map[string]string{}
	// Alone words first, so that a word in both lists with one value is
	// an ordinary number word.
	for _, list := range []struct {
		m     map[string]int
		alone bool
	}{{alone, true}, {words, false}} {
		for w, v := range list.m {
			if v < 0 || v > maxWordNumber {
				return fmt.Errorf("scoring: number word %q has value %d outside 0–%d", w, v, maxWordNumber)
			}
			folded, _ := foldAppend(nil, nil, normalize(w))
			f := strings.TrimSpace(string(folded))
			if f == "" || strings.IndexFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 || len(f) > maxNumberWord {
				return fmt.Errorf("scoring: number word %q is not a single word of letters of at most %d bytes", w, maxNumberWord)
			}
			if old, dup := p.numbers[f]; dup && old.value != v {
				return fmt.Errorf("scoring: number words %q (%d) and %q (%d) read the same", given[f], old.value, w, v)
			}
			if _, isLabel := labels[" "+f+" "]; isLabel {
				continue
			}
			p.numbers[f] = numberWord{value: v, alone: list.alone}
			given[f] = w
		}
	}
	return nil
}

func sortLongestFirst(w []labelWord) {
	sort.Slice(w, func(i, j int) bool {
		if len(w[i].text) != len(w[j].text) {
			return len(w[i].text) > len(w[j].text)
		}
		return w[i].text < w[j].text
	})
}

// Scale returns the scale the parser reads.
func (p *Parser) Scale() *Scale { return p.scale }

// Parse returns the score named in reply, or an error wrapping ErrNoScore,
// ErrAmbiguous or ErrOutOfRange. It reads:
//
//   - a button payload "rating:N" as N;
//   - whole numbers in free text, in ASCII or any Unicode decimal digits
//     (full-width, Arabic-Indic, Devanagari, …), "10" always as ten;
//     "4/5", "4 of 5", "4 de 5", "4 sur 5", "4 из 5" read as 4 when the
//     second number is the scale's maximum; "4.0" reads as 4, "4.5" is
//     ambiguous; a number glued to letters ("2nd", "24h") is not a score;
//   - keycap emoji 0️⃣…9️⃣ and 🔟 (consecutive keycaps form one number:
//     1️⃣0️⃣ is ten) and circled or superscript digits;
//   - star strings: ⭐⭐⭐⭐ and ★★★★☆ are 4 (a single star right after a
//     number, as in "5 ⭐", is a unit and not a score);
//   - the scale's own emoji (faces, thumbs), with or without variation
//     selectors and skin tones;
//   - the parser's label words, case and accents folded, the longest first;
//     a label within two words after a negation in the same clause ("I'm
//     not satisfied", "no estoy satisfecho", "не доволен") is ambiguous,
//     unless the negated phrase is itself one of the words ("not
//     satisfied" → 2, "ce n'est pas mal" → "pas mal");
//   - number words given with [WithNumberWords] ("nueve", "девять",
//     "três"), whole words with case and accents folded, as it reads
//     digits: "cuatro de cinco" is 4 on a 1–5 scale, "un nueve" is 9, and
//     a negated number word ("not five", "no one") names no score.
//
// Everything found must agree: two different scores are ErrAmbiguous; a
// number off the scale next to a score on it is ErrAmbiguous; numbers off
// the scale alone are ErrOutOfRange. Parse never panics and never returns
// a value outside the scale; it is safe for concurrent use and allocates
// nothing for a plain ASCII number.
func (p *Parser) Parse(reply string) (int, error) {
	if len(reply) > MaxReplyBytes {
		return 0, fmt.Errorf("%w: reply of %d bytes is longer than %d", ErrNoScore, len(reply), MaxReplyBytes)
	}
	if v, ok, err := p.quick(reply); ok {
		return v, err
	}
	ascii := isASCII(reply)
	s := reply
	if !ascii {
		s = normalize(reply)
	}
	var t tally
	p.scanSymbols(s, p.numbers != nil && fewWords(s, MaxNumberWordReply), &t)
	if len(p.words) > 0 {
		p.scanWords(s, &t)
	}
	return t.result(p.scale)
}

// quick handles a bare ASCII number and a button payload.
func (p *Parser) quick(reply string) (v int, ok bool, err error) {
	s := trimASCIISpace(reply)
	payload := false
	if strings.HasPrefix(s, PayloadPrefix) {
		s, payload = s[len(PayloadPrefix):], true
	}
	neg := false
	if payload && len(s) > 1 && s[0] == '-' {
		s, neg = s[1:], true
	}
	if len(s) == 0 || len(s) > 9 {
		if payload {
			return 0, true, fmt.Errorf("%w: malformed button payload %q", ErrNoScore, clip(reply))
		}
		return 0, false, nil
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			if payload {
				return 0, true, fmt.Errorf("%w: malformed button payload %q", ErrNoScore, clip(reply))
			}
			return 0, false, nil
		}
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	if !p.scale.Contains(n) {
		return 0, true, outOfRange(n, p.scale)
	}
	return n, true, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

func outOfRange(n int, s *Scale) error {
	if n >= bigNumber {
		return fmt.Errorf("%w: a very large number is not in %d–%d", ErrOutOfRange, s.min, s.max)
	}
	return fmt.Errorf("%w: %d is not in %d–%d", ErrOutOfRange, n, s.min, s.max)
}

// bigNumber caps the numbers the parser accumulates.
const bigNumber = 1_000_000_000

// tally collects what a reply names.
type tally struct {
	value, other int
	have         bool
	conflict     bool
	out          int
	haveOut      bool
	fraction     bool
	negated      string
}

func (t *tally) note(v int, s *Scale) {
	if !s.Contains(v) {
		if !t.haveOut {
			t.out, t.haveOut = v, true
		}
		return
	}
	if !t.have {
		t.value, t.have = v, true
		return
	}
	if v != t.value && !t.conflict {
		t.other, t.conflict = v, true
	}
}

func (t *tally) result(s *Scale) (int, error) {
	switch {
	case t.conflict:
		return 0, fmt.Errorf("%w: %d and %d", ErrAmbiguous, t.value, t.other)
	case t.negated != "":
		return 0, fmt.Errorf("%w: %q is negated", ErrAmbiguous, t.negated)
	case t.fraction:
		return 0, fmt.Errorf("%w: a fraction lies between two scores", ErrAmbiguous)
	case t.have && t.haveOut:
		if t.out >= bigNumber {
			return 0, fmt.Errorf("%w: %d and a very large number off the scale", ErrAmbiguous, t.value)
		}
		return 0, fmt.Errorf("%w: %d and %d (not in %d–%d)", ErrAmbiguous, t.value, t.out, s.min, s.max)
	case t.have:
		return t.value, nil
	case t.haveOut:
		return 0, outOfRange(t.out, s)
	}
	return 0, ErrNoScore
}

// normalize repairs invalid UTF-8 and applies NFKD, which turns full-width,
// circled, superscript and mathematical digits into ASCII ones and splits
// accents off their letters.
func normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if norm.NFKD.QuickSpanString(s) == len(s) {
		return s
	}
	return norm.NFKD.String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func trimASCIISpace(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n' || s[j-1] == '\r') {
		j--
	}
	return s[i:j]
}

const (
	vs16       = "\uFE0F" // emoji presentation selector
	keycapMark = "\u20E3" // combining enclosing keycap
	keycapTen  = "\U0001F51F"
)

// digitAt returns the value of the decimal digit at s[i] and its length in
// bytes, or -1. Unicode guarantees that decimal digits come in runs of ten,
// 0 to 9, so a digit's value is its distance from the start of its run,
// modulo ten.
func digitAt(s string, i int) (int, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		if c >= '0' && c <= '9' {
			return int(c - '0'), 1
		}
		return -1, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsDigit(r) {
		return -1, size
	}
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return int(r-start) % 10, size
}

func isAlnumBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// spacedLetterAt reports whether s[j] starts a letter of a script that
// separates words with spaces (Latin, Cyrillic, Greek), where a number glued
// to letters is a unit or an ordinal ("24h", "2nd", "5мин"). In Chinese or
// Japanese "5分" is a score.
func spacedLetterAt(s string, j int) bool {
	if j >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return isSpacedLetter(r)
}

func spacedLetterBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isSpacedLetter(r)
}

func isSpacedLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) && (unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek))
}

// isStar returns 1 for a filled star, -1 for an empty one, 0 otherwise.
func isStar(r rune) int {
	switch r {
	case '\u2B50', '\u2605', '\U0001F31F': // ⭐ ★ 🌟
		return 1
	case '\u2606': // ☆
		return -1
	}
	return 0
}

// scanSymbols reads digits, keycaps, stars and faces, and number words
// when words is set.
func (p *Parser) scanSymbols(s string, words bool, t *tally) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= '0' && c <= '9':
				i = p.number(s, i, false, t)
			case c == '-' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && !isAlnumBefore(s, i):
				i = p.number(s, i+1, true, t)
			case words && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
				i = p.word(s, i, t)
			default:
				i++
			}
			continue
		}
		if d, _ := digitAt(s, i); d >= 0 {
			i = p.number(s, i, false, t)
			continue
		}
		if words {
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsLetter(r) {
				i = p.word(s, i, t)
				continue
			}
		}
		if strings.HasPrefix(s[i:], keycapTen) {
			t.note(10, p.scale)
			i = p.afterNumber(s, i+len(keycapTen))
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isStar(r) != 0 {
			i = p.stars(s, i, t)
			continue
		}
		if n, v := p.face(s[i:]); n > 0 {
			t.note(v, p.scale)
			i += n
			continue
		}
		i += size
	}
}

// number reads the number starting at s[i] and returns where it ends.
func (p *Parser) number(s string, i int, neg bool, t *tally) int {
	n := 0
	j := i
	keycap := false
	for j < len(s) {
		d, size := digitAt(s, j)
		if d < 0 {
			break
		}
		if n < bigNumber {
			n = n*10 + d
		}
		j += size
		// A keycap is a digit, an optional U+FE0F and U+20E3.
		k := j
		if strings.HasPrefix(s[k:], vs16) {
			k += len(vs16)
		}
		if strings.HasPrefix(s[k:], keycapMark) {
			j = k + len(keycapMark)
			keycap = true
		}
	}
	// A number glued to letters ("2nd", "24h", "10min", "agent7") is not a
	// score.
	if !keycap && (spacedLetterBefore(s, i) || spacedLetterAt(s, j)) {
		for j < len(s) && (s[j] == '.' || s[j] == ',' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		return j
	}
	n = min(n, bigNumber)
	// "4.0" is 4; "4.5" lies between two scores.
	if j+1 < len(s) && (s[j] == '.' || s[j] == ',') && s[j+1] >= '0' && s[j+1] <= '9' {
		k, zeros := j+1, true
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			zeros = zeros && s[k] == '0'
			k++
		}
		if !zeros || k-j-1 > 2 {
			t.fraction = true
			return k
		}
		j = k
	}
	if neg {
		n = -n
	}
	t.note(n, p.scale)
	j = p.afterNumber(s, j)
	if neg {
		return j
	}
	return p.denominator(s, j)
}

// afterNumber skips a single star used as a unit ("5 ⭐", "5★").
func (p *Parser) afterNumber(s string, j int) int {
	k := skipSpaces(s, j)
	if k >= len(s) {
		return j
	}
	r, size := utf8.DecodeRuneInString(s[k:])
	if isStar(r) != 1 {
		return j
	}
	k += size
	if strings.HasPrefix(s[k:], vs16) {
		k += len(vs16)
	}
	if m := skipSpaces(s, k); m < len(s) {
		if r2, _ := utf8.DecodeRuneInString(s[m:]); isStar(r2) != 0 {
			return j // a run of stars: counted on its own
		}
	}
	return k
}

// connectors join a score to the scale's maximum: "4 of 5", "4 de 5".
var connectors = [...]string{"/", "out of", "of", "de", "sur", "su", "von", "em", "из"}

// denominator skips "/5", "of 5", "de cinco", … when the number is the
// scale's maximum, so "4/5" reads as 4.
func (p *Parser) denominator(s string, j int) int {
	m, ok := connectorAt(s, j)
	if !ok {
		return j
	}
	if n, e, ok := p.numberAt(s, m); ok && n == p.scale.max {
		return e
	}
	return j
}

// connectorAt reports whether a connector ("/", "of", "de", …) follows
// s[j], after spaces, and returns where the word after it starts.
func connectorAt(s string, j int) (int, bool) {
	k := skipSpaces(s, j)
	for _, c := range connectors {
		if len(s)-k < len(c) || !strings.EqualFold(s[k:k+len(c)], c) {
			continue
		}
		m := k + len(c)
		if c != "/" && (m >= len(s) || s[m] != ' ') {
			continue
		}
		return skipSpaces(s, m), true
	}
	return j, false
}

// numberAt reads a number of up to four digits, or a number word that is
// not an article, at s[m], and returns its value and end.
func (p *Parser) numberAt(s string, m int) (n, end int, ok bool) {
	if m >= len(s) {
		return 0, m, false
	}
	e := m
	for e < len(s) && e-m < 4 {
		d, size := digitAt(s, e)
		if d < 0 {
			break
		}
		n = n*10 + d
		e += size
	}
	if e > m {
		if e < len(s) {
			if d, _ := digitAt(s, e); d >= 0 {
				return 0, m, false
			}
		}
		return n, e, true
	}
	if p.numbers == nil {
		return 0, m, false
	}
	if r, _ := utf8.DecodeRuneInString(s[m:]); !unicode.IsLetter(r) {
		return 0, m, false
	}
	e = wordEnd(s, m)
	w, found := p.numberWordIn(s[m:e])
	if !found || w.alone || digitStartsAt(s, e) {
		return 0, m, false
	}
	return w.value, e, true
}

// word reads the word starting at s[i], a letter, and returns where it
// ends; a number word in it is noted as number notes digits.
func (p *Parser) word(s string, i int, t *tally) int {
	j := wordEnd(s, i)
	w, ok := p.numberWordIn(s[i:j])
	if !ok || isAlnumBefore(s, i) || digitStartsAt(s, j) {
		return j // not a number word, or glued to digits ("5cinco")
	}
	if negatedBefore(s, i) {
		return j // "no one", "not five", "ни одна"
	}
	end := p.afterNumber(s, j)
	if m, ok := connectorAt(s, end); ok {
		n, e, isNumber := p.numberAt(s, m)
		switch {
		case isNumber && n == p.scale.max:
			t.note(w.value, p.scale) // "cuatro de cinco", "un sur cinq"
			return e
		case !isNumber && w.value == 1:
			return j // "one of the best", "uno de los mejores"
		}
	}
	if w.alone && !onlyWord(s, i, j) {
		return j // an article: "un neuf" is 9
	}
	t.note(w.value, p.scale)
	return end
}

// numberWordIn looks word up among the number words, folded as NewParser
// folds them; it allocates nothing.
func (p *Parser) numberWordIn(word string) (numberWord, bool) {
	var buf [maxNumberWord]byte
	n := 0
	for _, r := range word {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r < utf8.RuneSelf {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = unicode.ToLower(r)
		}
		if n+utf8.RuneLen(r) > len(buf) {
			return numberWord{}, false
		}
		n += utf8.EncodeRune(buf[n:], r)
	}
	w, ok := p.numbers[string(buf[:n])]
	return w, ok
}

// isWordRune reports whether r belongs to a word: a letter, a digit or a
// combining mark.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordEnd returns where the run of letters and combining marks that starts
// at s[i] ends; digits end it, so "agent7" leaves the 7 to the digits.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		i += size
	}
	return i
}

func digitStartsAt(s string, j int) bool {
	if j >= len(s) {
		return false
	}
	d, _ := digitAt(s, j)
	return d >= 0
}

// fewWords reports whether s has at most n words: runs of letters, digits,
// combining marks and apostrophes ("I'd" is one word).
func fewWords(s string, n int) bool {
	in := false
	for _, r := range s {
		w := isWordRune(r) || r == '\'' || r == '’'
		if w && !in {
			if n == 0 {
				return false
			}
			n--
		}
		in = w
	}
	return true
}

// onlyWord reports whether s holds no letter or digit outside s[i:j].
func onlyWord(s string, i, j int) bool {
	for _, part := range [2]string{s[:i], s[j:]} {
		for _, r := range part {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// negatedBefore reports whether one of the two words before s[i] is a
// negation of the same clause, as negatedAt does for label words.
func negatedBefore(s string, i int) bool {
	end := i
	for range 2 {
		k := end
		for k > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:k])
			if isWordRune(r) {
				break
			}
			if r == '.' || r == ',' || r == '!' || r == '?' || r == ';' || r == ':' {
				return false
			}
			k -= size
		}
		start := k
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if !isWordRune(r) {
				break
			}
			start -= size
		}
		if start == k {
			return false
		}
		var buf [16]byte
		if tok, ok := foldShort(buf[:0], s[start:k]); ok && isNegation(tok) {
			return true
		}
		end = start
	}
	return false
}

// foldShort appends word lower-cased and without combining marks to dst,
// and reports false when it does not fit dst's capacity.
func foldShort(dst []byte, word string) ([]byte, bool) {
	for _, r := range word {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if len(dst)+utf8.RuneLen(r) > cap(dst) {
			return dst, false
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true
}

func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// stars counts a run of stars, spaces and variation selectors between them
// allowed: "⭐⭐⭐⭐" and "★★★★☆" are 4.
func (p *Parser) stars(s string, i int, t *tally) int {
	filled, total, any := 0, 0, false
	for i < len(s) {
		k := skipSpaces(s, i)
		if strings.HasPrefix(s[k:], vs16) {
			i = k + len(vs16)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[k:])
		st := isStar(r)
		if st == 0 {
			break
		}
		any = true
		total++
		if st == 1 {
			filled++
		}
		i = k + size
	}
	if !any {
		return i
	}
	// "⭐ 5", "★5", "⭐ cinco": a single star before a number is a unit.
	if filled == 1 && total == 1 {
		k := skipSpaces(s, i)
		if digitStartsAt(s, k) {
			return i
		}
		if _, _, ok := p.numberAt(s, k); ok {
			return i
		}
	}
	t.note(filled, p.scale)
	return i
}

// face matches one of the scale's emoji at the start of s, ignoring U+FE0F
// and skin-tone modifiers, and returns the bytes it spans and its value.
func (p *Parser) face(s string) (int, int) {
	for _, f := range p.faces {
		if n := matchEmoji(s, f.text); n > 0 {
			return n, f.value
		}
	}
	return 0, 0
}

func matchEmoji(s, e string) int {
	i, j := 0, 0
	for j < len(e) {
		if j > 0 && strings.HasPrefix(s[i:], vs16) {
			i += len(vs16)
			continue
		}
		if i >= len(s) || s[i] != e[j] {
			return 0
		}
		i++
		j++
	}
	for i < len(s) {
		if strings.HasPrefix(s[i:], vs16) {
			i += len(vs16)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < 0x1F3FB || r > 0x1F3FF { // skin tones
			break
		}
		i += size
	}
	return i
}

// scanWords finds the label words in s, longest first.
func (p *Parser) scanWords(s string, t *tally) {
	var stack, markStack [1024]byte
	buf, marks := foldAppend(stack[:0], markStack[:0], s)
	if len(buf) < 3 {
		return
	}
	for _, w := range p.words {
		for off := 0; off < len(buf); {
			k := bytes.Index(buf[off:], w.b)
			if k < 0 {
				break
			}
			k += off
			if !w.negative && negatedAt(buf, marks, k) {
				if t.negated == "" {
					t.negated = strings.TrimSpace(w.text)
				}
			} else {
				t.note(w.value, p.scale)
			}
			end := k + len(w.b) - 1
			for x := k + 1; x < end; x++ {
				if buf[x] != ' ' {
					buf[x] = 0 // shorter words inside this one must not count
				}
			}
			off = end
		}
	}
}

// negatedAt reports whether one of the two words before buf[k] (a space)
// negates what follows, within the same clause: marks flags the spaces
// that stand for sentence punctuation.
func negatedAt(buf, marks []byte, k int) bool {
	end := k
	for n := 0; n < 2 && end > 0; n++ {
		if marks[end] != 0 {
			return false
		}
		start := bytes.LastIndexByte(buf[:end], ' ')
		if start < 0 {
			return false
		}
		if isNegation(buf[start+1 : end]) {
			return true
		}
		end = start
	}
	return false
}

func isNegation(tok []byte) bool {
	switch string(tok) {
	case "not", "no", "never", "t", "nothing", // en (t: don't, isn't)
		"nunca", "ni", "nada", "nao", // es, pt ("não" folded)
		"pas", "jamais", "ne", "n", "aucun", "aucune", // fr
		"nicht", "kein", "keine", "nie", // de
		"non", "mai", // it
		"не", "ни", "нет", "никогда": // ru
		return true
	}
	return false
}

// foldAppend appends s lower-cased, with combining marks dropped and every
// run of other characters turned into one space, so words match on word
// boundaries: " muy satisfecho ". When marks is not nil it grows in step
// with dst and flags (1) the spaces that stand for sentence punctuation
// (. , ! ? ; :), which stop the negation look-back. s must be NFKD or
// ASCII.
func foldAppend(dst, marks []byte, s string) ([]byte, []byte) {
	track := marks != nil
	put := func(c byte) {
		dst = append(dst, c)
		if track {
			marks = append(marks, 0)
		}
	}
	put(' ')
	space := true
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				put(c + 'a' - 'A')
				space = false
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				put(c)
				space = false
			default:
				if !space {
					put(' ')
					space = true
				}
				if track && (c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':') {
					marks[len(marks)-1] = 1
				}
			}
		case unicode.Is(unicode.Mn, r):
			// accents and variation selectors: dropped
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			lr := unicode.ToLower(r)
			dst = utf8.AppendRune(dst, lr)
			if track {
				for range utf8.RuneLen(lr) {
					marks = append(marks, 0)
				}
			}
			space = false
		case !space:
			put(' ')
			space = true
		}
	}
	if !space {
		put(' ')
	}
	return dst, marks
}
