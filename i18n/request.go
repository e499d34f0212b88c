package i18n

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Option is one answer of a rating request as it is drawn: the value it
// records, its localized label, an emoji and an optional CSS colour.
type Option struct {
	// Value is the score the option records.
	Value int
	// Label is the localized text, e.g. "Muy satisfecho".
	Label string
	// Emoji is drawn before the label, e.g. "5️⃣" or "😀"; it may be empty.
	Emoji string
	// Color is an optional "#rgb" or "#rrggbb" colour for graphic formats
	// (dark green for 5 down to red for 1).
	Color string
}

// Button returns the option's text for a button or quick reply: emoji and
// label, with the label cut at a word where it can (and "…" added) so the
// whole fits in maxChars characters, counting an emoji sequence such as 5️⃣
// or 👩‍💻 as one; maxChars ≤ 0 means no limit. WhatsApp reply buttons and
// Messenger quick replies allow 20 characters.
func (o Option) Button(maxChars int) string {
	label := strings.TrimSpace(Clean(o.Label))
	if isDigits(label, o.Value) && o.Emoji != "" {
		label = ""
	}
	head := Clean(o.Emoji)
	if head != "" && label != "" {
		head += " "
	}
	if maxChars <= 0 || visibleLen(head)+visibleLen(label) <= maxChars {
		return head + label
	}
	room := maxChars - visibleLen(head) - 1 // one for "…"
	if room < 1 {
		return head + label // not even the emoji fits; let the channel cut
	}
	r := []rune(label)
	cut := string(r[:room])
	if i := strings.LastIndexByte(cut, ' '); i >= len(cut)/2 {
		cut = cut[:i]
	}
	return head + strings.TrimRight(cut, " ,.;:") + "…"
}

// visibleLen counts characters roughly as a person sees them: variation
// selectors, the keycap mark, skin-tone modifiers and whatever a zero-width
// joiner glues on do not count.
func visibleLen(s string) int {
	n := 0
	joined := false
	for _, r := range s {
		switch {
		case r == 0x200d:
			joined = true
			continue
		case r == 0xfe0f || r == 0xfe0e || r == 0x20e3 || r >= 0x1f3fb && r <= 0x1f3ff:
			continue
		case joined:
			joined = false
			continue
		}
		n++
	}
	return n
}

// isDigits reports whether label only repeats the option's value ("5").
func isDigits(label string, value int) bool {
	return strings.TrimSpace(label) == strconv.Itoa(value)
}

// isKeycap reports whether e is a keycap emoji (1️⃣ … 9️⃣, 0️⃣, 🔟), which
// already shows the option's number.
func isKeycap(e string) bool {
	return strings.HasSuffix(e, "\u20e3") || e == "🔟"
}

// Request is a rating request ready for a channel: the prompt and the
// options, for the two formats channels show (text, and buttons drawn from
// Options) and for e-mail ([Request.EmailHTML]).
type Request struct {
	// Lang is the language the request is written in.
	Lang language.Tag
	// Prompt is the question, rendered as plain text.
	Prompt string
	// Options are the answers, lowest value first.
	Options []Option
}

// Text renders the request for a text-only channel: the prompt, a blank
// line, then one option per line. A line starts with the option's number:
// its keycap emoji when the option has one ("1️⃣ Muy insatisfecho"),
// otherwise "3." followed by the emoji ("3. 😐 Okay"). A label that only
// repeats the number is not written twice ("7️⃣", not "7️⃣ 7").
func (r Request) Text() string {
	var b strings.Builder
	b.WriteString(r.Prompt)
	if len(r.Options) > 0 {
		b.WriteString("\n")
	}
	for _, o := range r.Options {
		b.WriteString("\n")
		emoji, label := Clean(o.Emoji), Clean(o.Label)
		var parts []string
		if !isKeycap(emoji) {
			parts = append(parts, strconv.Itoa(o.Value)+".")
		}
		if emoji != "" {
			parts = append(parts, emoji)
		}
		if label != "" && (!isDigits(label, o.Value) || len(parts) == 0) {
			parts = append(parts, label)
		}
		b.WriteString(strings.Join(parts, " "))
	}
	return b.String()
}

// RatingRequest renders a rating request in lang: the text of prompt (e.g.
// KeyRatingPrompt, KeyNPSPrompt) with vars, and options whose labels come
// from the scale's label keys (see [LabelKey]). The options give value,
// emoji and colour; a Label already set is kept (a survey-specific label
// that is not in the catalog). A label missing from the catalog is an
// error wrapping ErrMissingText, never the key.
func (c *Catalog) RatingRequest(lang language.Tag, prompt Key, scaleID string, options []Option, vars Vars) (Request, error) {
	i := c.lookup(lang, prompt)
	if i < 0 {
		return Request{}, fmt.Errorf("%w %q in %s or %s", ErrMissingText, prompt, lang, c.def)
	}
	text, err := c.Render(lang, prompt, vars, Plain)
	if err != nil {
		return Request{}, fmt.Errorf("i18n: rating request %s in %s: %w", prompt, lang, err)
	}
	r := Request{Lang: c.tags[i], Prompt: text, Options: make([]Option, len(options))}
	for j, o := range options {
		if o.Label == "" {
			label, ok := c.Text(lang, LabelKey(scaleID, o.Value))
			if !ok {
				return Request{}, fmt.Errorf("%w %q in %s or %s", ErrMissingText, LabelKey(scaleID, o.Value), lang, c.def)
			}
			o.Label = label
		}
		r.Options[j] = o
	}
	return r, nil
}

// ErrBadLink wraps the error of a link builder that returns a URL an
// e-mail must not carry (not absolute http, https or mailto).
var ErrBadLink = errors.New("i18n: bad rating link")

// ErrBadColor wraps the error of an option colour that is not #rgb or
// #rrggbb.
var ErrBadColor = errors.New("i18n: bad option colour")

var colorRE = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// EmailFragment returns an HTML fragment to embed in an e-mail, such as the
// closing notification (where it has a ${satisfaction:rating} variable):
// the prompt (one paragraph per line) and one link per option, built by
// link from the option's value, drawing the option's emoji over its label
// in its colour. Everything is escaped: prompt, labels and emoji are text,
// and links must be absolute http, https or mailto URLs (else ErrBadLink).
// Layout uses inline styles and a table, which e-mail clients keep.
func EmailFragment(prompt string, options []Option, link func(value int) string) (template.HTML, error) {
	return emailFragment("", prompt, "", options, link)
}

// EmailRating renders [EmailFragment] in lang from the catalog: the
// KeyEmailPrompt and KeyEmailHint texts, and options labelled from the
// scale's keys as [Catalog.RatingRequest] does. The fragment's lang
// attribute names the language, so mail clients pick fonts and hyphenation
// right.
func (c *Catalog) EmailRating(lang language.Tag, scaleID string, options []Option, vars Vars, link func(value int) string) (template.HTML, error) {
	r, err := c.RatingRequest(lang, KeyEmailPrompt, scaleID, options, vars)
	if err != nil {
		return "", err
	}
	hint, err := c.Render(lang, KeyEmailHint, vars, Plain)
	if err != nil {
		return "", fmt.Errorf("i18n: e-mail rating in %s: %w", lang, err)
	}
	return emailFragment(r.Lang.String(), r.Prompt, hint, r.Options, link)
}

type emailOption struct {
	Href  template.URL
	Emoji string
	Label string
	Color string
}

var emailTmpl = template.Must(template.New("email").Parse(
	`<div class="surveyflow-rating"{{if .Lang}} lang="{{.Lang}}"{{end}} style="font-family:sans-serif">` +
		`{{range .Prompt}}<p style="margin:0 0 12px 0">{{.}}</p>{{end}}` +
		`<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>` +
		// Narrow padding: five options with the longest shipped labels
		// (Russian, German) fit a 390 px phone without scrolling sideways.
		`{{range .Options}}<td style="padding:0 2px;text-align:center;vertical-align:top">` +
		`<a href="{{.Href}}" style="text-decoration:none;display:inline-block;padding:8px 5px;border-radius:6px;` +
		// The option's colour marks the border; the text stays dark, which
		// every option colour would not be on a white mail (WCAG contrast).
		`border:2px solid {{if .Color}}{{.Color}}{{else}}#999999{{end}};color:#333333">` +
		`{{if .Emoji}}<span style="font-size:28px;line-height:32px">{{.Emoji}}</span>{{end}}` +
		`{{if and .Emoji .Label}}<br>{{end}}{{if .Label}}<span style="font-size:13px">{{.Label}}</span>{{end}}</a></td>{{end}}` +
		`</tr></table>` +
		`{{if .Hint}}<p style="margin:12px 0 0 0;font-size:12px;color:#666666">{{.Hint}}</p>{{end}}` +
		`</div>`))

func emailFragment(lang, prompt, hint string, options []Option, link func(value int) string) (template.HTML, error) {
	if link == nil {
		return "", fmt.Errorf("%w: no link builder", ErrBadLink)
	}
	if len(options) == 0 {
		return "", errors.New("i18n: e-mail rating without options")
	}
	data := struct {
		Lang    string
		Prompt  []string
		Hint    string
		Options []emailOption
	}{Lang: lang, Hint: strings.TrimSpace(Clean(hint))}
	for _, line := range strings.Split(strings.ToValidUTF8(prompt, "\uFFFD"), "\n") {
		if line = strings.TrimSpace(Clean(line)); line != "" {
			data.Prompt = append(data.Prompt, line)
		}
	}
	for _, o := range options {
		href := link(o.Value)
		if err := checkLink(href); err != nil {
			return "", fmt.Errorf("option %d: %w", o.Value, err)
		}
		if o.Color != "" && !colorRE.MatchString(o.Color) {
			return "", fmt.Errorf("%w %q for option %d (want #rgb or #rrggbb)", ErrBadColor, o.Color, o.Value)
		}
		label := Clean(o.Label)
		if isDigits(label, o.Value) && isKeycap(o.Emoji) {
			label = "" // the keycap already shows the number
		}
		data.Options = append(data.Options, emailOption{
			Href:  template.URL(href), // checked above; html/template still escapes it for the attribute
			Emoji: Clean(o.Emoji),
			Label: label,
			Color: o.Color,
		})
	}
	var b strings.Builder
	if err := emailTmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("i18n: e-mail rating: %w", err)
	}
	return template.HTML(b.String()), nil
}

func checkLink(href string) error {
	if href == "" {
		return fmt.Errorf("%w: empty", ErrBadLink)
	}
	if !utf8.ValidString(href) || strings.ContainsFunc(href, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return fmt.Errorf("%w %q: control characters or spaces", ErrBadLink, href)
	}
	u, err := url.Parse(href)
	if err != nil {
		return fmt.Errorf("%w %q: %v", ErrBadLink, href, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http":
		if u.Host == "" {
			return fmt.Errorf("%w %q: no host", ErrBadLink, href)
		}
	case "mailto":
	default:
		return fmt.Errorf("%w %q: scheme must be https, http or mailto", ErrBadLink, href)
	}
	return nil
}
