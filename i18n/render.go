package i18n

import (
	"fmt"
	"html"
	"strings"
)

// Format is the output format a text is rendered for; it decides how
// placeholder values are escaped.
type Format int

const (
	// Plain is chat text: values are inserted as they are, minus control
	// characters that could reorder or hide text.
	Plain Format = iota
	// HTML is an e-mail body: values are HTML-escaped.
	HTML
)

// Vars are placeholder values, keyed by name without braces.
type Vars map[string]string

// Render replaces every {name} in tmpl with vars[name], escaped for f. A
// placeholder with no value is an error naming it; "{{" writes a literal "{".
func Render(tmpl string, vars Vars, f Format) (string, error) {
	if !strings.Contains(tmpl, "{") {
		return tmpl, nil
	}
	var b strings.Builder
	b.Grow(len(tmpl))
	for i := 0; i < len(tmpl); {
		c := tmpl[i]
		if c != '{' {
			b.WriteByte(c)
			i++
			continue
		}
		if strings.HasPrefix(tmpl[i:], "{{") {
			b.WriteByte('{')
			i += 2
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("i18n: unclosed placeholder at byte %d", i)
		}
		name := tmpl[i+1 : i+end]
		v, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("i18n: no value for placeholder {%s}", name)
		}
		b.WriteString(escape(v, f))
		i += end + 1
	}
	return b.String(), nil
}

// Placeholders returns the names of the placeholders in tmpl, in order.
func Placeholders(tmpl string) []string {
	var out []string
	for i := 0; i < len(tmpl); {
		if strings.HasPrefix(tmpl[i:], "{{") {
			i += 2
			continue
		}
		if tmpl[i] != '{' {
			i++
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}')
		if end < 0 {
			break
		}
		out = append(out, tmpl[i+1:i+end])
		i += end + 1
	}
	return out
}

func escape(v string, f Format) string {
	v = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			return -1 // bidi embeddings, overrides and isolates
		}
		return r
	}, strings.ToValidUTF8(v, "\uFFFD"))
	if f == HTML {
		return html.EscapeString(v)
	}
	return v
}
