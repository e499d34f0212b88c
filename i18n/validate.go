package i18n

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// ErrInvalidText is wrapped by every [TextError].
var ErrInvalidText = errors.New("i18n: invalid text")

// TextError is one problem with one text of a catalog, naming the language
// and the key.
type TextError struct {
	// Lang is the language of the text.
	Lang language.Tag
	// Key is the text's key.
	Key Key
	// Problem says what is wrong, e.g. "unknown placeholder {nmae}".
	Problem string
}

// Error implements error.
func (e *TextError) Error() string {
	return fmt.Sprintf("i18n: %s text %q: %s", e.Lang, e.Key, e.Problem)
}

// Unwrap makes errors.Is(err, ErrInvalidText) true.
func (e *TextError) Unwrap() error { return ErrInvalidText }

// numericPlaceholders may appear in plural forms.
var numericPlaceholders = map[string]bool{"min": true, "max": true, "rating": true, "hours": true}

// Validate checks a catalog before a survey uses it (questions, options
// and replies are customizable per language) and returns every
// problem found, each a *TextError, joined with errors.Join:
//
//   - a language lacks one of required itself: falling back to the default
//     would show the contact a survey in two languages;
//   - a text uses a placeholder that is not in [KnownPlaceholders], or a
//     plural form of a placeholder that is not a number;
//   - a key is neither shipped ([ShippedKeys]), nor in required, nor an
//     option label "<scaleID>.<value>": most likely a typo such as
//     "rating.promt", whose text would never be shown.
//
// Texts that are not valid UTF-8 or not well-formed never get this far:
// [NewCatalog] and [Catalog.With] reject them, naming key and language.
func (c *Catalog) Validate(required ...Key) error {
	var errs []error
	known := make(map[Key]bool, len(required)+len(flowKeys))
	for _, k := range flowKeys {
		known[k] = true
	}
	for _, k := range required {
		known[k] = true
	}
	for i, tag := range c.tags {
		for _, k := range required {
			if _, ok := c.texts[i][k]; !ok {
				errs = append(errs, &TextError{Lang: tag, Key: k, Problem: "missing (every language of a survey needs it)"})
			}
		}
		keys := make([]Key, 0, len(c.parsed[i]))
		for k := range c.parsed[i] {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		for _, k := range keys {
			if !known[k] && !isLabelKey(k) {
				errs = append(errs, &TextError{Lang: tag, Key: k, Problem: "unknown key (a typo?); it is never shown"})
			}
			seen := map[string]bool{}
			var check func(t tmplNodes)
			check = func(t tmplNodes) {
				for _, n := range t {
					if n.name == "" {
						continue
					}
					if !isKnownPlaceholder(n.name) && !seen[n.name] {
						seen[n.name] = true
						errs = append(errs, &TextError{Lang: tag, Key: k, Problem: fmt.Sprintf("unknown placeholder {%s} (known: %s)", n.name, strings.Join(KnownPlaceholders, ", "))})
					}
					if n.plural != nil && isKnownPlaceholder(n.name) && !numericPlaceholders[n.name] {
						errs = append(errs, &TextError{Lang: tag, Key: k, Problem: fmt.Sprintf("plural form of {%s}, which is not a number", n.name)})
					}
					for _, b := range n.plural {
						check(b.body)
					}
				}
			}
			check(c.parsed[i][k])
		}
	}
	return errors.Join(errs...)
}

// ValidateLabels checks the option labels of a scale in every language:
// each value has a label in the language itself, and no two values of one
// language have labels that read the same to the reply parser (so "Bien"
// cannot mean both 3 and 4). Problems are *TextErrors joined with
// errors.Join.
func (c *Catalog) ValidateLabels(scaleID string, values []int) error {
	var errs []error
	for i, tag := range c.tags {
		byWord := map[string]int{}
		for _, v := range values {
			k := LabelKey(scaleID, v)
			text, ok := c.texts[i][k]
			if !ok {
				errs = append(errs, &TextError{Lang: tag, Key: k, Problem: "missing option label"})
				continue
			}
			if strings.TrimSpace(text) == "" {
				errs = append(errs, &TextError{Lang: tag, Key: k, Problem: "empty option label"})
				continue
			}
			w := fold(text)
			if w == "" {
				continue // emoji only: nothing for the parser to read
			}
			if prev, dup := byWord[w]; dup && prev != v {
				errs = append(errs, &TextError{Lang: tag, Key: k, Problem: fmt.Sprintf("label %q reads the same as the label of %d", text, prev)})
				continue
			}
			byWord[w] = v
		}
	}
	return errors.Join(errs...)
}

// isLabelKey reports whether k has the shape of an option label,
// "<scaleID>.<value>".
func isLabelKey(k Key) bool {
	s := string(k)
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || i == len(s)-1 {
		return false
	}
	_, err := strconv.Atoi(s[i+1:])
	return err == nil
}
