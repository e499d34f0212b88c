package i18n

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Key names one text of a catalog, e.g. "rating.prompt".
type Key string

// Keys of the texts every survey flow uses.
const (
	// KeyRatingPrompt asks the contact to rate the conversation.
	KeyRatingPrompt Key = "rating.prompt"
	// KeyRatingReprompt asks again after a reply that is not a score. It
	// may use {min} and {max}.
	KeyRatingReprompt Key = "rating.reprompt"
	// KeyCommentPrompt invites an optional comment.
	KeyCommentPrompt Key = "comment.prompt"
	// KeyThanks closes the survey.
	KeyThanks Key = "thanks"
)

// Catalog is an immutable set of texts per language with a default
// language. It is safe for concurrent use.
type Catalog struct {
	def     language.Tag
	tags    []language.Tag // tags[0] == def
	texts   []map[Key]string
	parsed  []map[Key]tmplNodes
	matcher language.Matcher
}

// NewCatalog builds a catalog from texts keyed by BCP 47 language tag. def
// must be one of the languages; it is used when nothing else matches and
// for any key a language lacks. Texts must be valid UTF-8 and well-formed
// templates (see [Render]); an error names the key and the language.
func NewCatalog(def string, texts map[string]map[Key]string) (*Catalog, error) {
	defTag, err := language.Parse(def)
	if err != nil {
		return nil, fmt.Errorf("i18n: default language %q: %w", def, err)
	}
	c := &Catalog{def: defTag}
	byTag := map[language.Tag]map[Key]string{}
	for lang, m := range texts {
		tag, err := language.Parse(lang)
		if err != nil {
			return nil, fmt.Errorf("i18n: language %q: %w", lang, err)
		}
		if _, dup := byTag[tag]; dup {
			return nil, fmt.Errorf("i18n: language %q given twice (as %s)", lang, tag)
		}
		cp := make(map[Key]string, len(m))
		for k, v := range m {
			if !utf8.ValidString(v) {
				return nil, fmt.Errorf("i18n: text %q for %s is not valid UTF-8", k, lang)
			}
			cp[k] = v
		}
		byTag[tag] = cp
	}
	if _, ok := byTag[defTag]; !ok {
		return nil, fmt.Errorf("i18n: default language %s has no texts", defTag)
	}
	c.tags = append(c.tags, defTag)
	c.texts = append(c.texts, byTag[defTag])
	rest := make([]language.Tag, 0, len(byTag))
	for t := range byTag {
		if t != defTag {
			rest = append(rest, t)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].String() < rest[j].String() })
	for _, t := range rest {
		c.tags = append(c.tags, t)
		c.texts = append(c.texts, byTag[t])
	}
	c.parsed = make([]map[Key]tmplNodes, len(c.texts))
	for i, m := range c.texts {
		c.parsed[i] = make(map[Key]tmplNodes, len(m))
		for k, v := range m {
			t, err := parseTemplate(v)
			if err != nil {
				return nil, fmt.Errorf("i18n: text %q for %s: %w", k, c.tags[i], err)
			}
			c.parsed[i][k] = t
		}
	}
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// Default returns the catalog's default language.
func (c *Catalog) Default() language.Tag { return c.def }

// Languages returns the catalog's languages, the default first.
func (c *Catalog) Languages() []language.Tag {
	return append([]language.Tag(nil), c.tags...)
}

// Match picks the catalog language for a contact's preferred language (a
// BCP 47 tag or an Accept-Language list) and reports how confident the match
// is. An empty or unknown preference gets the default with confidence No.
func (c *Catalog) Match(preferred string) (language.Tag, language.Confidence) {
	if strings.TrimSpace(preferred) == "" {
		return c.def, language.No
	}
	prefs, _, err := language.ParseAcceptLanguage(preferred)
	if err != nil || len(prefs) == 0 {
		return c.def, language.No
	}
	// Use the index: the returned tag may carry -u-rg- extensions.
	_, i, conf := c.matcher.Match(prefs...)
	if conf == language.No {
		return c.def, language.No
	}
	return c.tags[i], conf
}

// Text returns the text for key in lang, falling back to lang's parents
// that the catalog has (es-AR → es-419 → es) and then to the default
// language. ok is false when none has it; the returned text is then empty,
// never the key itself.
func (c *Catalog) Text(lang language.Tag, key Key) (text string, ok bool) {
	i := c.lookup(lang, key)
	if i < 0 {
		return "", false
	}
	return c.texts[i][key], true
}

// lookup returns the index of the language whose text Text would use, or -1.
func (c *Catalog) lookup(lang language.Tag, key Key) int {
	for t, n := lang, 0; n < 8; t, n = t.Parent(), n+1 {
		if i := c.index(t); i >= 0 {
			if _, ok := c.texts[i][key]; ok {
				return i
			}
		}
		if t == language.Und {
			break
		}
	}
	if _, ok := c.texts[0][key]; ok {
		return 0
	}
	return -1
}

// Has reports whether lang itself (not a fallback) has key.
func (c *Catalog) Has(lang language.Tag, key Key) bool {
	i := c.index(lang)
	if i < 0 {
		return false
	}
	_, ok := c.texts[i][key]
	return ok
}

func (c *Catalog) index(lang language.Tag) int {
	for i, t := range c.tags {
		if t == lang {
			return i
		}
	}
	return -1
}

// With returns a new catalog with overrides layered over c: an override
// replaces the text of the same key and language, and may add languages.
// The default language stays c's.
func (c *Catalog) With(overrides map[string]map[Key]string) (*Catalog, error) {
	merged := make(map[string]map[Key]string, len(c.tags)+len(overrides))
	for i, t := range c.tags {
		m := make(map[Key]string, len(c.texts[i]))
		for k, v := range c.texts[i] {
			m[k] = v
		}
		merged[t.String()] = m
	}
	for lang, m := range overrides {
		tag, err := language.Parse(lang)
		if err != nil {
			return nil, fmt.Errorf("i18n: override language %q: %w", lang, err)
		}
		dst, ok := merged[tag.String()]
		if !ok {
			dst = map[Key]string{}
			merged[tag.String()] = dst
		}
		for k, v := range m {
			dst[k] = v
		}
	}
	return NewCatalog(c.def.String(), merged)
}

// ErrMissingText wraps the error of rendering a key that neither the
// language nor the default language has.
var ErrMissingText = errors.New("i18n: no text")

// Render renders the text of key in lang (with Text's fallback) for f,
// with lang's plural rules. A key that no language has is an error
// wrapping ErrMissingText; the key itself is never returned as text.
func (c *Catalog) Render(lang language.Tag, key Key, vars Vars, f Format) (string, error) {
	i := c.lookup(lang, key)
	if i < 0 {
		return "", fmt.Errorf("%w %q in %s or %s", ErrMissingText, key, lang, c.def)
	}
	return c.parsed[i][key].render(c.tags[i], vars, f)
}

// Only returns a catalog with just the given languages, def first and
// default. Use it to offer a survey in fewer languages than a base catalog
// has (e.g. Shipped().Only("es", "fr")), so that [Catalog.Available] says
// no to the others. Every language must be in c.
func (c *Catalog) Only(def string, others ...string) (*Catalog, error) {
	texts := make(map[string]map[Key]string, 1+len(others))
	for _, lang := range append([]string{def}, others...) {
		tag, err := language.Parse(lang)
		if err != nil {
			return nil, fmt.Errorf("i18n: language %q: %w", lang, err)
		}
		i := c.index(tag)
		if i < 0 {
			return nil, fmt.Errorf("i18n: language %s is not in the catalog (it has %v)", tag, c.tags)
		}
		texts[tag.String()] = c.texts[i]
	}
	return NewCatalog(def, texts)
}

// Available answers eligibility rule E7, "is this survey available in the
// contact's language?". It returns the catalog language Match picks, the
// match confidence, and ok when that language is the contact's own: same
// base language as one of the preferences (es-AR → es is ok; Galician,
// which the matcher serves Spanish with High confidence, is not, and
// neither is anything matched with confidence No).
func (c *Catalog) Available(preferred string) (tag language.Tag, conf language.Confidence, ok bool) {
	tag, conf = c.Match(preferred)
	if conf == language.No {
		return tag, conf, false
	}
	prefs, _, err := language.ParseAcceptLanguage(preferred)
	if err != nil {
		return tag, conf, false
	}
	want, _ := tag.Base()
	for _, p := range prefs {
		if b, _ := p.Base(); b == want {
			return tag, conf, true
		}
	}
	return tag, conf, false
}
