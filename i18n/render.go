package i18n

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Format is the output format a text is rendered for; it decides how
// placeholder values are escaped.
type Format int

const (
	// Plain is chat text: values are inserted as they are, minus control
	// characters that could reorder or hide text; line breaks in a value
	// become spaces, so a name cannot forge extra lines (or options).
	Plain Format = iota
	// HTML is an e-mail body: values are cleaned as for Plain and then
	// HTML-escaped, and so is the template's own text (catalog texts are
	// plain text in every format, so "Q&A" stays "Q&A" on screen).
	HTML
)

// String names the format.
func (f Format) String() string {
	switch f {
	case Plain:
		return "plain"
	case HTML:
		return "html"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Vars are placeholder values, keyed by name without braces.
type Vars map[string]string

// ErrSyntax wraps every error about a malformed template; check it with
// errors.Is.
var ErrSyntax = errors.New("i18n: malformed template")

// ErrNotANumber wraps the error of a plural form whose value is not a
// decimal number.
var ErrNotANumber = errors.New("i18n: not a number")

// ErrMissingValue wraps the error of a placeholder rendered without a value.
var ErrMissingValue = errors.New("i18n: no value for placeholder")

// Render replaces every {name} in tmpl with vars[name], escaped for f. A
// placeholder with no value is an error naming it; "{{" writes a literal "{".
//
// A numeric placeholder can choose its words by plural category:
//
//	{hours, plural, one {# hour} other {# hours}}
//
// "#" in a branch is the number, written as the language writes numbers
// ("1,5" in French); branches are zero, one, two, few, many,
// other (required) and exact values such as =0, which win over categories.
// Branches may hold other placeholders. Render uses English plural rules;
// use [RenderIn] or [Catalog.Render] for the rules of the text's language.
func Render(tmpl string, vars Vars, f Format) (string, error) {
	return RenderIn(language.English, tmpl, vars, f)
}

// RenderIn is [Render] with the plural rules of lang (Russian has one, few,
// many and other; French counts 0 as one).
func RenderIn(lang language.Tag, tmpl string, vars Vars, f Format) (string, error) {
	if !strings.ContainsAny(tmpl, "{&<>\"'") && utf8.ValidString(tmpl) {
		return tmpl, nil
	}
	t, err := parseTemplate(tmpl)
	if err != nil {
		return "", err
	}
	return t.render(lang, vars, f)
}

// Placeholders returns the names of the placeholders in tmpl, in order of
// first appearance in the text (a plural form's name before those in its
// branches). A malformed template yields the names found before the error.
func Placeholders(tmpl string) []string {
	t, _ := parseTemplate(tmpl)
	var out []string
	t.walk(func(name string) { out = append(out, name) })
	return out
}

// CheckTemplate reports whether tmpl is well formed: valid UTF-8, every
// placeholder closed and named, every plural form with an "other" branch.
func CheckTemplate(tmpl string) error {
	_, err := parseTemplate(tmpl)
	return err
}

// node is one piece of a parsed template: literal text, a placeholder, or a
// plural form.
type node struct {
	text   string // literal text when name == ""
	name   string
	plural []branch // non-nil for a plural form
	hash   bool     // "#" inside a plural branch
}

type branch struct {
	sel  string // "one", "few", "=0", ...
	body tmplNodes
}

type tmplNodes []node

func (t tmplNodes) walk(fn func(name string)) {
	for _, n := range t {
		if n.name == "" {
			continue
		}
		fn(n.name)
		for _, b := range n.plural {
			b.body.walk(fn)
		}
	}
}

func syntaxErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, a...))
}

// maxDepth bounds the nesting of plural forms so hostile templates cannot
// recurse without end.
const maxDepth = 4

func parseTemplate(s string) (tmplNodes, error) {
	if !utf8.ValidString(s) {
		return nil, syntaxErr("text is not valid UTF-8")
	}
	p := &parser{s: s}
	t, err := p.parse(0, false)
	if err != nil {
		return t, err
	}
	return t, nil
}

type parser struct {
	s string
	i int
}

// parse reads nodes until the end of input or, inside a plural branch, the
// branch's closing brace (which it consumes).
func (p *parser) parse(depth int, inBranch bool) (tmplNodes, error) {
	var t tmplNodes
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t = append(t, node{text: lit.String()})
			lit.Reset()
		}
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '{' && strings.HasPrefix(p.s[p.i:], "{{"):
			lit.WriteByte('{')
			p.i += 2
		case c == '{':
			flush()
			n, err := p.placeholder(depth)
			if err != nil {
				return t, err
			}
			t = append(t, n)
		case c == '}' && inBranch:
			p.i++
			flush()
			return t, nil
		case c == '#' && inBranch:
			flush()
			t = append(t, node{hash: true})
			p.i++
		default:
			lit.WriteByte(c)
			p.i++
		}
	}
	flush()
	if inBranch {
		return t, syntaxErr("plural branch not closed")
	}
	return t, nil
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

// placeholder reads {name} or {name, plural, ...} starting at '{'.
func (p *parser) placeholder(depth int) (node, error) {
	start := p.i
	p.i++ // '{'
	p.skipSpace()
	j := p.i
	for p.i < len(p.s) && isNameByte(p.s[p.i]) {
		p.i++
	}
	name := p.s[j:p.i]
	p.skipSpace()
	if p.i >= len(p.s) {
		if name == "" {
			return node{}, syntaxErr("unclosed placeholder at byte %d", start)
		}
		return node{name: name}, syntaxErr("unclosed placeholder {%s at byte %d", name, start)
	}
	if name == "" {
		return node{}, syntaxErr("placeholder without a name at byte %d (write {{ for a literal brace)", start)
	}
	switch p.s[p.i] {
	case '}':
		p.i++
		return node{name: name}, nil
	case ',':
	default:
		return node{name: name}, syntaxErr("unexpected %q in placeholder {%s at byte %d", p.s[p.i], name, p.i)
	}
	p.i++
	p.skipSpace()
	k := p.i
	for p.i < len(p.s) && isNameByte(p.s[p.i]) {
		p.i++
	}
	if kind := p.s[k:p.i]; kind != "plural" {
		return node{name: name}, syntaxErr("placeholder {%s: unknown form %q (only plural is supported)", name, kind)
	}
	if depth >= maxDepth {
		return node{name: name}, syntaxErr("plural forms nested deeper than %d", maxDepth)
	}
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != ',' {
		return node{name: name}, syntaxErr("placeholder {%s, plural: expected ',' at byte %d", name, p.i)
	}
	p.i++
	n := node{name: name, plural: []branch{}}
	seen := map[string]bool{}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return n, syntaxErr("plural form {%s not closed", name)
		}
		if p.s[p.i] == '}' {
			p.i++
			break
		}
		k := p.i
		if p.s[p.i] == '=' {
			p.i++
		}
		for p.i < len(p.s) && isNameByte(p.s[p.i]) {
			p.i++
		}
		sel := p.s[k:p.i]
		if err := checkSelector(sel); err != nil {
			return n, syntaxErr("plural form {%s: %v", name, err)
		}
		if seen[sel] {
			return n, syntaxErr("plural form {%s: branch %q twice", name, sel)
		}
		seen[sel] = true
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != '{' {
			return n, syntaxErr("plural form {%s: expected '{' after %q", name, sel)
		}
		p.i++
		body, err := p.parse(depth+1, true)
		if err != nil {
			return n, err
		}
		n.plural = append(n.plural, branch{sel: sel, body: body})
	}
	if !seen["other"] {
		return n, syntaxErr("plural form {%s has no \"other\" branch", name)
	}
	return n, nil
}

var pluralForms = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

func checkSelector(sel string) error {
	if _, ok := pluralForms[sel]; ok {
		return nil
	}
	if len(sel) > 1 && sel[0] == '=' {
		if _, err := strconv.Atoi(sel[1:]); err == nil {
			return nil
		}
	}
	return fmt.Errorf("unknown branch %q (want zero, one, two, few, many, other or =N)", sel)
}

func (t tmplNodes) render(lang language.Tag, vars Vars, f Format) (string, error) {
	var b strings.Builder
	if err := t.write(&b, lang, vars, f, ""); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (t tmplNodes) write(b *strings.Builder, lang language.Tag, vars Vars, f Format, number string) error {
	for _, n := range t {
		switch {
		case n.hash:
			b.WriteString(number)
		case n.name == "":
			if f == HTML {
				b.WriteString(html.EscapeString(n.text))
			} else {
				b.WriteString(n.text)
			}
		default:
			v, ok := vars[n.name]
			if !ok {
				return fmt.Errorf("%w {%s}", ErrMissingValue, n.name)
			}
			if n.plural == nil {
				b.WriteString(escape(v, f))
				continue
			}
			num, err := parseNumber(v)
			if err != nil {
				return fmt.Errorf("i18n: placeholder {%s} in a plural form: %w", n.name, err)
			}
			body := num.pick(lang, n.plural)
			if err := body.write(b, lang, vars, f, num.format(lang)); err != nil {
				return err
			}
		}
	}
	return nil
}

// number is a decimal value as the plural rules see it.
type numValue struct {
	text       string // as written, e.g. "1.50"
	i          int    // integer digits (last nine)
	v, w, f, t int    // CLDR operands
	exact      int64
	isInt      bool
}

func parseNumber(s string) (numValue, error) {
	s = strings.TrimSpace(s)
	n := numValue{text: s}
	bad := fmt.Errorf("%w: %q", ErrNotANumber, s)
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(body, ".")
	if intPart == "" || hasFrac && frac == "" || len(body) > 40 {
		return n, bad
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return n, bad
			}
		}
	}
	last := intPart
	if len(last) > 9 {
		last = last[len(last)-9:]
	}
	n.i, _ = strconv.Atoi(last)
	if len(frac) > 9 {
		frac = frac[:9]
	}
	n.v = len(frac)
	if frac != "" {
		n.f, _ = strconv.Atoi(frac)
	}
	trimmed := strings.TrimRight(frac, "0")
	n.w = len(trimmed)
	if trimmed != "" {
		n.t, _ = strconv.Atoi(trimmed)
	}
	if !hasFrac && len(intPart) <= 18 {
		n.exact, _ = strconv.ParseInt(intPart, 10, 64)
		if strings.HasPrefix(s, "-") {
			n.exact = -n.exact
		}
		n.isInt = true
	}
	return n, nil
}

// format writes the number the way lang does: "1,5" in French, "1,000" in
// English.
func (n numValue) format(lang language.Tag) string {
	if n.isInt && n.exact >= 0 && n.exact < 1000 {
		return strconv.FormatInt(n.exact, 10) // no separator in any language
	}
	if len(n.text) > 16 {
		return n.text // beyond float64 precision: keep the digits as given
	}
	x, err := strconv.ParseFloat(n.text, 64)
	if err != nil {
		return n.text
	}
	p := message.NewPrinter(lang)
	return p.Sprint(number.Decimal(x, number.MinFractionDigits(n.v), number.MaxFractionDigits(n.v)))
}

func (n numValue) pick(lang language.Tag, branches []branch) tmplNodes {
	if n.isInt {
		for _, b := range branches {
			if b.sel[0] == '=' {
				if v, _ := strconv.ParseInt(b.sel[1:], 10, 64); v == n.exact {
					return b.body
				}
			}
		}
	}
	form := plural.Cardinal.MatchPlural(lang, n.i, n.v, n.w, n.f, n.t)
	var other tmplNodes
	for _, b := range branches {
		if pf, ok := pluralForms[b.sel]; ok {
			if pf == form {
				return b.body
			}
			if pf == plural.Other {
				other = b.body
			}
		}
	}
	return other
}

// Clean returns v as it is inserted into a plain-text message: invalid
// UTF-8 becomes U+FFFD, line breaks and tabs become spaces, and control
// characters and bidirectional formatting characters (which could reorder
// or hide the text around them) are removed.
func Clean(v string) string {
	clean := true
	for _, r := range v {
		if r == utf8.RuneError || unsafeRune(r) != r {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	return strings.Map(unsafeRune, strings.ToValidUTF8(v, "\uFFFD"))
}

func unsafeRune(r rune) rune {
	switch {
	case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
		return ' '
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return -1
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return -1 // bidi marks, embeddings, overrides and isolates
	case r == 0xfeff:
		return -1 // byte order mark / zero-width no-break space
	}
	return r
}

func escape(v string, f Format) string {
	v = Clean(v)
	if f == HTML {
		return html.EscapeString(v)
	}
	return v
}
