package scoring

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors returned by [Parser.Parse]. A caller re-prompts the contact on any
// of them; check them with errors.Is.
var (
	// ErrNoScore means the reply contains nothing that reads as a score.
	ErrNoScore = errors.New("scoring: no score in reply")
	// ErrAmbiguous means the reply names two or more different scores.
	ErrAmbiguous = errors.New("scoring: reply names more than one score")
	// ErrOutOfRange means the reply names a number outside the scale.
	ErrOutOfRange = errors.New("scoring: score out of range")
)

// Parser reads scores from replies for one scale. Build it once with
// [NewParser] and share it: Parse is safe for concurrent use.
type Parser struct {
	scale *Scale
	words []labelWord // longest first
}

type labelWord struct {
	text  string // folded
	value int
}

// NewParser returns a parser for scale that also understands the given label
// words (for example "muy satisfecho" → 5). Words are matched case-folded,
// on word boundaries, the longest first, so "very satisfied" is never read
// as "satisfied". Words whose value is not on the scale are an error.
func NewParser(scale *Scale, words map[string]int) (*Parser, error) {
	p := &Parser{scale: scale}
	for w, v := range words {
		if !scale.Contains(v) {
			return nil, fmt.Errorf("scoring: label word %q has value %d outside %s (%d–%d)", w, v, scale.id, scale.min, scale.max)
		}
		f := fold(w)
		if f == "" {
			continue
		}
		p.words = append(p.words, labelWord{text: f, value: v})
	}
	sort.Slice(p.words, func(i, j int) bool {
		if len(p.words[i].text) != len(p.words[j].text) {
			return len(p.words[i].text) > len(p.words[j].text)
		}
		return p.words[i].text < p.words[j].text
	})
	return p, nil
}

// Scale returns the scale the parser reads.
func (p *Parser) Scale() *Scale { return p.scale }

// Parse returns the score named in reply, or an error wrapping ErrNoScore,
// ErrAmbiguous or ErrOutOfRange. It reads ASCII digits anywhere in free text
// ("I'd give it a 4", "4/5" reads as 4 on a 5-point scale), keycap emoji and
// the parser's label words.
func (p *Parser) Parse(reply string) (int, error) {
	if !utf8.ValidString(reply) {
		reply = strings.ToValidUTF8(reply, "\uFFFD")
	}
	found, have := 0, false
	note := func(v int) error {
		if have && v != found {
			return fmt.Errorf("%w: %d and %d", ErrAmbiguous, found, v)
		}
		found, have = v, true
		return nil
	}

	// Numbers: maximal runs of ASCII digits; a keycap is a digit followed
	// by U+FE0F U+20E3, and 🔟 is ten.
	numbers, err := p.numbers(reply)
	if err != nil {
		return 0, err
	}
	for _, n := range numbers {
		if !p.scale.Contains(n) {
			return 0, fmt.Errorf("%w: %d is not in %d–%d", ErrOutOfRange, n, p.scale.min, p.scale.max)
		}
		if err := note(n); err != nil {
			return 0, err
		}
	}
	if have {
		return found, nil
	}
	if len(p.words) > 0 {
		text := " " + fold(reply) + " "
		for _, w := range p.words {
			i := strings.Index(text, " "+w.text+" ")
			if i < 0 {
				continue
			}
			if err := note(w.value); err != nil {
				return 0, err
			}
			// Blank out the match so shorter words inside it do not count.
			text = text[:i+1] + strings.Repeat("\x00", len(w.text)) + text[i+1+len(w.text):]
		}
	}
	if !have {
		return 0, ErrNoScore
	}
	return found, nil
}

// numbers returns the whole numbers written in s, skipping a "/N" suffix that
// names the scale's maximum ("4/5").
func (p *Parser) numbers(s string) ([]int, error) {
	var out []int
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], keycaps[10]) {
			out = append(out, 10)
			i += len(keycaps[10])
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			i++
			continue
		}
		j := i
		n := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			if n < 1_000_000 {
				n = n*10 + int(s[j]-'0')
			}
			j++
		}
		// "4/5" on a 5-point scale: the "/5" names the scale, not a score.
		if i > 0 && s[i-1] == '/' && n == p.scale.max && len(out) > 0 {
			i = j
			continue
		}
		out = append(out, n)
		i = j
	}
	return out, nil
}

// fold lower-cases s and turns every run of non-letters, non-digits into a
// single space, so label words match on word boundaries.
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
