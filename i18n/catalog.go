package i18n

import (
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
	matcher language.Matcher
}

// NewCatalog builds a catalog from texts keyed by BCP 47 language tag. def
// must be one of the languages; it is used when nothing else matches and
// for any key a language lacks. Texts must be valid UTF-8.
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

// Text returns the text for key in lang, falling back to the default
// language. ok is false when neither has it; the returned text is then
// empty, never the key itself.
func (c *Catalog) Text(lang language.Tag, key Key) (text string, ok bool) {
	if i := c.index(lang); i >= 0 {
		if t, ok := c.texts[i][key]; ok {
			return t, true
		}
	}
	t, ok := c.texts[0][key]
	return t, ok
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
