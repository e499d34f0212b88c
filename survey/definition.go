package survey

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"golang.org/x/text/language"
)

// DefaultResponseWindow is how long a question waits for its answer (seed
// 000: 24 hours).
const DefaultResponseWindow = 24 * time.Hour

// Survey defines one named survey: where it applies, what it asks, in which
// languages, and who gets it. The zero value of every optional field gives
// seed 000's flow: CSAT 1–5 → comment → thanks, 24 h per question.
type Survey struct {
	// ID names the survey; it is stored with every session.
	ID string
	// Disabled switches the survey off without deleting it.
	Disabled bool
	// Channels lists the channels the survey applies to; empty means all.
	Channels []string
	// Scale is the rating scale; nil means scoring.CSAT5().
	Scale *scoring.Scale
	// Texts is the base catalog; nil means i18n.Shipped(). Its languages
	// are the survey's languages.
	Texts *i18n.Catalog
	// Overrides replace or add texts per language ("es" → key → text).
	Overrides map[string]map[i18n.Key]string
	// Rules decide who gets the survey; none means everyone.
	Rules []Rule
	// SkipComment removes the comment question.
	SkipComment bool
	// SkipThanks removes the closing thank-you message.
	SkipThanks bool
	// ResponseWindow is how long each question waits; zero means
	// DefaultResponseWindow.
	ResponseWindow time.Duration
	// MaxReprompts is how many replies that are not scores get a
	// re-prompt before the survey ends unanswered; zero means 1 and a
	// negative number means none.
	MaxReprompts int
}

// Placeholders every survey text may use.
var knownPlaceholders = map[string]bool{"contact": true, "agent": true, "min": true, "max": true}

// compiled is a validated survey with everything a step needs precomputed.
type compiled struct {
	def       Survey
	scale     *scoring.Scale
	texts     *i18n.Catalog
	window    time.Duration
	reprompts int
	channels  map[string]bool
	langs     map[language.Tag]*localized
	flow      *flow
}

// localized is a survey's fixed material in one language.
type localized struct {
	tag     language.Tag
	parser  *scoring.Parser
	options []Choice
}

// requiredKeys are the texts a survey needs in its default language.
func (d *Survey) requiredKeys() []i18n.Key {
	keys := []i18n.Key{i18n.KeyRatingPrompt}
	if d.reprompts() > 0 {
		keys = append(keys, i18n.KeyRatingReprompt)
	}
	if !d.SkipComment {
		keys = append(keys, i18n.KeyCommentPrompt)
	}
	if !d.SkipThanks {
		keys = append(keys, i18n.KeyThanks)
	}
	return keys
}

func (d *Survey) reprompts() int {
	switch {
	case d.MaxReprompts == 0:
		return 1
	case d.MaxReprompts < 0:
		return 0
	}
	return d.MaxReprompts
}

// ErrInvalidSurvey wraps every problem found in a survey definition.
var ErrInvalidSurvey = errors.New("surveyflow: invalid survey")

func compile(d Survey) (*compiled, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidSurvey, d.ID, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(d.ID) == "" {
		return nil, fmt.Errorf("%w: empty ID", ErrInvalidSurvey)
	}
	if d.ResponseWindow < 0 {
		return nil, bad("negative response window %v", d.ResponseWindow)
	}
	c := &compiled{def: d, scale: d.Scale, texts: d.Texts, window: d.ResponseWindow, reprompts: d.reprompts()}
	if c.scale == nil {
		c.scale = scoring.CSAT5()
	}
	if c.texts == nil {
		c.texts = i18n.Shipped()
	}
	if c.window == 0 {
		c.window = DefaultResponseWindow
	}
	if len(d.Overrides) > 0 {
		t, err := c.texts.With(d.Overrides)
		if err != nil {
			return nil, bad("%v", err)
		}
		c.texts = t
	}
	if len(d.Channels) > 0 {
		c.channels = map[string]bool{}
		for _, ch := range d.Channels {
			c.channels[ch] = true
		}
	}
	for _, r := range d.Rules {
		if r == nil {
			return nil, bad("nil rule")
		}
	}
	keys := d.requiredKeys()
	for _, o := range c.scale.Options() {
		keys = append(keys, i18n.Key(o.LabelKey))
	}
	def := c.texts.Default()
	for _, k := range keys {
		if !c.texts.Has(def, k) {
			return nil, bad("default language %s has no text %q", def, k)
		}
	}
	c.langs = map[language.Tag]*localized{}
	for _, tag := range c.texts.Languages() {
		for _, k := range keys {
			t, _ := c.texts.Text(tag, k)
			for _, p := range i18n.Placeholders(t) {
				if !knownPlaceholders[p] {
					return nil, bad("text %q in %s uses unknown placeholder {%s}", k, tag, p)
				}
			}
		}
		l := &localized{tag: tag}
		words := map[string]int{}
		for _, o := range c.scale.Options() {
			label, _ := c.texts.Text(tag, i18n.Key(o.LabelKey))
			l.options = append(l.options, Choice{
				Value:   o.Value,
				Label:   label,
				Emoji:   o.Emoji,
				Payload: fmt.Sprintf("rating:%d", o.Value),
			})
			words[label] = o.Value
		}
		p, err := scoring.NewParser(c.scale, words)
		if err != nil {
			return nil, bad("%v", err)
		}
		l.parser = p
		c.langs[tag] = l
	}
	c.flow = newFlow(!d.SkipComment)
	return c, nil
}

func (c *compiled) appliesTo(channel string) bool {
	return !c.def.Disabled && (c.channels == nil || c.channels[channel])
}

// lang returns the localized material for a session's language, falling
// back to the default language.
func (c *compiled) lang(tag string) *localized {
	if t, err := language.Parse(tag); err == nil {
		if l, ok := c.langs[t]; ok {
			return l
		}
	}
	return c.langs[c.texts.Default()]
}
