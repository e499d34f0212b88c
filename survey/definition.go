package survey

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"golang.org/x/text/language"
)

// DefaultResponseWindow is how long a question waits for its answer (seed
// 000: 24 hours).
const DefaultResponseWindow = 24 * time.Hour

// Definition defines one named survey: where it applies, what it asks, in
// which languages, and who gets it. The zero value of every optional field
// gives the usual flow: CSAT 1–5 → comment → thanks, 24 h per question.
// Its JSON form is surveyconfig.Definition.
type Definition struct {
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

	// SendDelay postpones the rating request after the close;
	// the host's Sweep sends it. If the conversation reopens or the
	// contact writes first, the survey is cancelled, never sent late into
	// a live chat.
	SendDelay time.Duration
	// RatingTimeLimit is the overall time allowed to rate, re-prompts
	// included; zero means only ResponseWindow applies.
	RatingTimeLimit time.Duration
	// CloseOnRating tells the host to close a conversation rated before
	// it was closed, through Result.CloseConversation.
	CloseOnRating bool
	// FollowUps replace the comment question by a question that depends
	// on the score (e.g. "what went wrong?" for 1–2). Bands must lie on
	// the scale and must not overlap; a score outside every band gets the
	// comment question (or none when SkipComment is set).
	FollowUps []FollowUp
	// PromptKey is the catalog key of the rating question; empty means
	// the scale's usual question (i18n.PromptKey).
	PromptKey i18n.Key
	// ThanksKey is the catalog key of the closing message; empty means
	// i18n.KeyNPSThanks for NPS scales and i18n.KeyThanks otherwise.
	ThanksKey i18n.Key
	// Languages restricts the survey to these catalog languages, the
	// first being its default; empty means every language of Texts.
	// Every required text must exist in every declared language.
	Languages []string
	// Company fills the {company} placeholder.
	Company string

	// LowScoreBelow raises a low-score notification to Responsible when
	// a rating is below it; zero means never.
	LowScoreBelow int
	// Responsible are the user IDs told about low scores.
	Responsible []string
	// NotifyAgents tells the human agents of the conversation when the
	// contact rates it, and when a supervisor reviews it.
	NotifyAgents bool

	// Resurvey says whether a conversation that is reopened and closed
	// again is surveyed again; empty means ResurveyNever.
	Resurvey Resurvey
	// PerChannel holds settings for some channels: how the rating
	// request is shown, and whether a rating before the close is offered.
	PerChannel map[string]ChannelSettings
	// Reasons asks, after a score in its band, for the main reason of it
	// — a choice among options, like a "reason for a bad rating" — before
	// the follow-up question; nil asks none. See DefaultReasons.
	Reasons *Reasons
	// Reminder reminds a contact who has not answered the rating question
	// before it expires; nil sends no reminder. See Reminder.
	Reminder *Reminder
	// ChangeWindow lets the contact change the rating for this long after
	// the request was sent (14 days is common), by confirming another
	// option on the rating page or by pressing another button (or
	// writing nothing but another score) in the chat; zero means a rating
	// is final. While the numbered reason question waits, a number is the
	// reason, not a change; a comment typed on the rating page is always
	// the comment; and a survey cancelled (its conversation reopened)
	// takes no change from the chat. It is also the survey's overall
	// window: no answer, the comment included, is recorded after it.
	// Reports use the latest rating; Session.RatingChanges() keeps the
	// earlier ones.
	ChangeWindow time.Duration
}

// Reminder is a survey's reminder: the rating question again, for a
// contact who has not answered After since the request went out (4 h into
// a 24 h window, say). Count reminders go out, After apart, each before
// the question expires (and before RatingTimeLimit and ChangeWindow end).
//
// Sweep sends it, as a pending effect like any other (KindReminder, key
// "<session>/reminder/<n>"). It is never sent once the contact replied at
// all (a rating, or a reply that held no score), once the conversation
// reopened or the survey ended, for a survey requested before the close,
// or outside the channel's free messaging window (Config.MessagingWindows):
// then it is skipped — not sent as a template — counted in
// SweepResult.RemindersSkipped, and no later reminder follows. A reminder
// not yet handed out when the contact answers is withdrawn.
type Reminder struct {
	// After is how long without an answer before each reminder; it must
	// be positive and Count reminders must fit before the question's
	// window (Definition.ResponseWindow) ends.
	After time.Duration `json:"after"`
	// Count is how many reminders at most; zero means one.
	Count int `json:"count,omitempty"`
	// Text is the catalog key of the reminder's opening text, which the
	// question and its choices follow; empty means i18n.KeyReminder.
	Text i18n.Key `json:"text,omitempty"`
}

// count is how many reminders r sends.
func (r *Reminder) count() int {
	if r.Count == 0 {
		return 1
	}
	return r.Count
}

// text is the catalog key of r's opening text.
func (r *Reminder) text() i18n.Key {
	if r.Text != "" {
		return r.Text
	}
	return i18n.KeyReminder
}

// check validates r against the question's window.
func (r *Reminder) check(window time.Duration) error {
	switch {
	case r.After <= 0:
		return fmt.Errorf("reminder: After %v must be positive", r.After)
	case r.Count < 0:
		return fmt.Errorf("reminder: Count %d is negative", r.Count)
	case time.Duration(r.count())*r.After >= window:
		return fmt.Errorf("reminder: %d reminder(s) %v apart do not fit before the question's window of %v ends", r.count(), r.After, window)
	}
	return nil
}

// Reasons is the reason question that follows a score in [From, To].
//
// A survey stays a fixed sequence — rating, then (in a band) the reason,
// then (in a band) the comment — rather than an arbitrary list of
// questions: every peer's satisfaction survey has this shape, reports keep
// fixed columns (a rating, a reason, a comment per response), and the
// flow stays one small state machine a host can draw (Engine.FlowDiagram).
type Reasons struct {
	// From and To bound the scores that are asked, inclusive.
	From int `json:"from"`
	To   int `json:"to"`
	// Prompt is the catalog key of the question; empty means
	// i18n.KeyReasonPrompt.
	Prompt i18n.Key `json:"prompt,omitempty"`
	// Options are the reasons, in the order they are shown and numbered.
	Options []Reason `json:"options"`
}

// Reason is one option of the reason question.
type Reason struct {
	// ID is what the session records and reports count by; it is stable
	// across languages ("slow", "not_solved").
	ID string `json:"id"`
	// Label is the catalog key of the option's text in every language.
	Label i18n.Key `json:"label"`
}

// DefaultReasons asks scores from and to for one of the shipped reasons:
// slow, not_solved, unfriendly, other, labelled in every shipped language.
func DefaultReasons(from, to int) *Reasons {
	return &Reasons{From: from, To: to, Options: []Reason{
		{ID: "slow", Label: i18n.KeyReasonSlow},
		{ID: "not_solved", Label: i18n.KeyReasonNotSolved},
		{ID: "unfriendly", Label: i18n.KeyReasonUnfriendly},
		{ID: "other", Label: i18n.KeyReasonOther},
	}}
}

// ReasonPayloadPrefix starts the payload of a reason button: "reason:<id>".
const ReasonPayloadPrefix = "reason:"

// Resurvey is a survey's policy for conversations that close more than
// once.
type Resurvey string

const (
	// ResurveyNever surveys a conversation at most once, at its first
	// surveyed close, however often it is reopened and closed again; a
	// delayed survey called off before it went out surveyed nothing. The
	// default.
	ResurveyNever Resurvey = "never"
	// ResurveyEachResolution surveys every close that follows a reopen
	// (Engine.ConversationReopened): each resolution is rated on its own.
	ResurveyEachResolution Resurvey = "each_resolution"
)

// BandFollowUps returns one follow-up per band of scale, asking the
// shipped question of the band's polarity: i18n.KeyFollowUpNegative ("what
// went wrong?"), i18n.KeyFollowUpNeutral or i18n.KeyFollowUpPositive ("what
// did you like?").
func BandFollowUps(scale *scoring.Scale) []FollowUp {
	var out []FollowUp
	for _, b := range scale.Bands() {
		key := i18n.KeyFollowUpNeutral
		switch b.Polarity {
		case scoring.Negative:
			key = i18n.KeyFollowUpNegative
		case scoring.Positive:
			key = i18n.KeyFollowUpPositive
		}
		out = append(out, FollowUp{From: b.Min, To: b.Max, Prompt: key})
	}
	return out
}

// FollowUp is a question asked after a score in [From, To].
type FollowUp struct {
	// From and To bound the band, inclusive.
	From, To int
	// Prompt is the catalog key of the question.
	Prompt i18n.Key
}

// compiled is a validated survey with everything a step needs precomputed.
type compiled struct {
	def       Definition
	scale     *scoring.Scale
	texts     *i18n.Catalog
	window    time.Duration
	reprompts int
	channels  map[string]bool
	langs     map[string]*localized // by BCP 47 string, as sessions store it
	matches   matchCache
	flow      *flow
	promptKey i18n.Key
	thanksKey i18n.Key
	// forms are the forms of the survey's questions with choices on the
	// channels with limits or settings; other channels get text.
	forms map[string]channelForm
}

// channelForm is how a survey shows its questions with choices on one
// channel.
type channelForm struct {
	// rating is the form of the rating request, its re-prompts and its
	// reminders; reason the form of the reason question.
	rating, reason RequestFormat
	// limits are the channel's, when it has some (known).
	limits ChannelLimits
	known  bool
}

// asksReason reports whether score v is followed by the reason question.
func (c *compiled) asksReason(v int) bool {
	r := c.def.Reasons
	return r != nil && v >= r.From && v <= r.To
}

// reasonPrompt is the catalog key of the reason question.
func (c *compiled) reasonPrompt() i18n.Key {
	if c.def.Reasons != nil && c.def.Reasons.Prompt != "" {
		return c.def.Reasons.Prompt
	}
	return i18n.KeyReasonPrompt
}

// checkReasons validates the reason question.
func (c *compiled) checkReasons() error {
	r := c.def.Reasons
	if r == nil {
		return nil
	}
	if r.From > r.To || !c.scale.Contains(r.From) || !c.scale.Contains(r.To) {
		return fmt.Errorf("reasons band %d–%d is not on the scale %d–%d", r.From, r.To, c.scale.Min(), c.scale.Max())
	}
	if len(r.Options) == 0 {
		return errors.New("reasons has no options")
	}
	seen := map[string]bool{}
	for _, o := range r.Options {
		if o.ID == "" || o.Label == "" || seen[o.ID] {
			return fmt.Errorf("reason %q: every reason needs a unique ID and a label key", o.ID)
		}
		seen[o.ID] = true
	}
	return nil
}

// changeUntil is when s's rating stops being changeable, and s's last
// answer is due at the latest; zero when the survey allows no changes.
func (c *compiled) changeUntil(s *Session) time.Time {
	if c.def.ChangeWindow <= 0 || s.SentAt.IsZero() {
		return time.Time{}
	}
	return s.SentAt.Add(c.def.ChangeWindow)
}

// format is how the survey shows a rating request on channel.
func (c *compiled) format(channel string) RequestFormat {
	if f, ok := c.forms[channel]; ok {
		return f.rating
	}
	return FormatText
}

// checkForms decides the forms of the survey's questions with choices on
// every channel with limits or settings: the form the settings ask for,
// which must fit the channel's limits, or else the richest that fits. A
// list needs the text of its opening button (i18n.KeyListButton).
func (c *compiled) checkForms(limits map[string]ChannelLimits) error {
	lists := c.texts.Has(c.texts.Default(), i18n.KeyListButton)
	n := len(c.scale.Options())
	c.forms = make(map[string]channelForm, len(limits)+len(c.def.PerChannel))
	channels := make([]string, 0, len(limits)+len(c.def.PerChannel))
	for ch := range limits {
		channels = append(channels, ch)
	}
	for ch := range c.def.PerChannel {
		if _, ok := limits[ch]; !ok {
			channels = append(channels, ch)
		}
	}
	sort.Strings(channels) // the same error for the same survey
	for _, ch := range channels {
		asked := c.def.PerChannel[ch].Format
		l, known := limits[ch]
		f := channelForm{limits: l, known: known, rating: FormatText, reason: FormatText}
		ceiling := asked
		if ceiling == "" {
			ceiling = FormatButtons
		}
		switch {
		case !known && asked != "":
			f.rating, f.reason = asked, asked // limits unknown: as asked, uncut
		case !known:
		case asked == "":
			f.rating = l.richest(n, ceiling, lists)
		default:
			if ok, limit := l.fits(asked, n); !ok {
				return fmt.Errorf("channel %q %s: %s cannot show the scale's %d options", ch, limit, asked, n)
			}
			if asked == FormatList && !lists {
				return fmt.Errorf("channel %q: a list needs the text %q of its opening button", ch, i18n.KeyListButton)
			}
			f.rating = asked
		}
		if known && c.def.Reasons != nil {
			f.reason = l.richest(len(c.def.Reasons.Options), ceiling, lists)
		}
		c.forms[ch] = f
	}
	return nil
}

// channelChoices are a survey's choices on one channel in one language,
// titled for the channel's forms.
type channelChoices struct {
	// options and reasons are the rating options and the reasons, with
	// Title set when their form has titles.
	options, reasons []Choice
	// listButton is the title of a list's opening button, cut to fit.
	listButton string
	// values and reasonIDs map the titles a reply may come back as (cut
	// for the channel's buttons and rows, or whole) to what they choose;
	// a title two choices share chooses neither.
	values    map[string]int
	reasonIDs map[string]string
}

// titled returns choices with their titles for form, cut to limit.
func titled(choices []Choice, form RequestFormat, limit int) []Choice {
	out := append([]Choice(nil), choices...)
	if form == FormatButtons || form == FormatList {
		for i := range out {
			out[i].Title = title(out[i], limit)
		}
	}
	return out
}

// titles maps every title a choice of choices may come back as on a
// channel with limits l — cut for its buttons, for its rows, or whole — to
// what key says it chooses; titles that two choices share are left out.
func titles[V comparable](choices []Choice, l ChannelLimits, key func(Choice) V) map[string]V {
	m := map[string]V{}
	shared := map[string]bool{}
	for _, c := range choices {
		seen := map[string]bool{}
		for _, max := range []int{l.ButtonTitle, l.RowTitle, 0} {
			t := title(c, max)
			if t == "" || seen[t] {
				continue
			}
			seen[t] = true
			if _, dup := m[t]; dup {
				shared[t] = true
			}
			m[t] = key(c)
		}
	}
	for t := range shared {
		delete(m, t)
	}
	return m
}

// on returns the survey's choices on channel, or nil for a channel with
// neither limits nor settings (text, untitled).
func (l *localized) on(channel string) *channelChoices { return l.channels[channel] }

// titleValue returns the rating a reply that is one of the titles of
// l's options on channel chooses.
func (l *localized) titleValue(channel, text string) (int, bool) {
	cc := l.on(channel)
	if cc == nil {
		return 0, false
	}
	v, ok := cc.values[strings.TrimSpace(text)]
	return v, ok
}

// localize titles l's choices for every channel of forms.
func (l *localized) localize(texts *i18n.Catalog, forms map[string]channelForm) {
	l.channels = make(map[string]*channelChoices, len(forms))
	button, _ := texts.Render(l.tag, i18n.KeyListButton, nil, i18n.Plain)
	for ch, f := range forms {
		cc := &channelChoices{
			options: titled(l.options, f.rating, f.limits.titleLimit(f.rating)),
			reasons: titled(l.reasons, f.reason, f.limits.titleLimit(f.reason)),
			values:  titles(l.options, f.limits, func(c Choice) int { return c.Value }),
			reasonIDs: titles(l.reasons, f.limits, func(c Choice) string {
				return strings.TrimPrefix(c.Payload, ReasonPayloadPrefix)
			}),
		}
		if f.rating == FormatList || f.reason == FormatList {
			cc.listButton = title(Choice{Label: button}, f.limits.ListButton)
		}
		l.channels[ch] = cc
	}
}

// question returns the catalog key of the question that follows score v,
// or "" when the survey ends with the rating.
func (c *compiled) question(v int) i18n.Key {
	for _, f := range c.def.FollowUps {
		if v >= f.From && v <= f.To {
			return f.Prompt
		}
	}
	if c.def.SkipComment {
		return ""
	}
	return i18n.KeyCommentPrompt
}

// asksAfterRating reports whether any score is followed by a question.
func (c *compiled) asksAfterRating() bool {
	return !c.def.SkipComment || len(c.def.FollowUps) > 0
}

// localized is a survey's fixed material in one language.
type localized struct {
	tag     language.Tag
	parser  *scoring.Parser
	options []Choice
	// plain lists the texts without placeholders: they render without
	// building the placeholder values.
	plain map[i18n.Key]bool
	// rendered holds the plain texts rendered once, at New; choices is
	// the options' text block that follows a rating question.
	rendered map[i18n.Key]string
	choices  string
	// withChoices holds the plain rating questions (the survey's prompt
	// and the re-prompt) already joined to choices: their whole text.
	withChoices map[i18n.Key]string
	name        string // tag.String()
	// reasons are the reason question's options, numbered from 1.
	reasons []Choice
	// channels hold the choices titled for each channel with a form.
	channels map[string]*channelChoices
}

// precompute renders the plain texts and the options block once, and joins
// the plain rating questions among questions to it, so a message of a
// plain text costs no template work.
func (l *localized) precompute(texts *i18n.Catalog, questions ...i18n.Key) {
	l.name = l.tag.String()
	var b strings.Builder
	b.WriteString("\n")
	for _, c := range l.options {
		b.WriteString("\n")
		b.WriteString(c.Emoji)
		b.WriteString(" ")
		b.WriteString(c.Label)
	}
	l.choices = b.String()
	l.rendered = make(map[i18n.Key]string, len(l.plain))
	for k := range l.plain {
		if t, err := texts.Render(l.tag, k, nil, i18n.Plain); err == nil {
			l.rendered[k] = t
		}
	}
	l.withChoices = make(map[i18n.Key]string, len(questions))
	for _, k := range questions {
		if t, ok := l.rendered[k]; ok {
			l.withChoices[k] = t + l.choices
		}
	}
}

// requiredKeys are the texts a survey needs in its default language.
func (c *compiled) requiredKeys() []i18n.Key {
	d := &c.def
	keys := []i18n.Key{c.promptKey}
	if d.reprompts() > 0 {
		keys = append(keys, i18n.KeyRatingReprompt)
	}
	if !d.SkipComment {
		keys = append(keys, i18n.KeyCommentPrompt)
	}
	if !d.SkipThanks {
		keys = append(keys, c.thanksKey)
	}
	for _, f := range d.FollowUps {
		keys = append(keys, f.Prompt)
	}
	if d.Reminder != nil {
		keys = append(keys, d.Reminder.text())
	}
	return keys
}

func (d *Definition) reprompts() int {
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

func compile(d Definition, limits map[string]ChannelLimits) (*compiled, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidSurvey, d.ID, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(d.ID) == "" {
		return nil, fmt.Errorf("%w: empty ID", ErrInvalidSurvey)
	}
	if err := checkID("survey ID", d.ID); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidSurvey, err)
	}
	switch d.Resurvey {
	case "", ResurveyNever, ResurveyEachResolution:
	default:
		return nil, bad("Resurvey %q is not %q or %q", d.Resurvey, ResurveyNever, ResurveyEachResolution)
	}
	for ch, cs := range d.PerChannel {
		if err := validFormat(cs.Format); err != nil {
			return nil, bad("channel %q: %v", ch, err)
		}
	}
	if d.ResponseWindow < 0 || d.SendDelay < 0 || d.RatingTimeLimit < 0 || d.ChangeWindow < 0 {
		return nil, bad("negative duration (window %v, delay %v, limit %v)", d.ResponseWindow, d.SendDelay, d.RatingTimeLimit)
	}
	c := &compiled{def: d, scale: d.Scale, texts: d.Texts, window: d.ResponseWindow, reprompts: d.reprompts()}
	if c.scale == nil {
		c.scale = scoring.CSAT5()
	}
	if c.scale.ID() == "" || len(c.scale.Options()) == 0 {
		return nil, bad("the scale is not a scoring scale: build it with scoring.NewScale or use a shipped one")
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
	if len(d.Languages) > 0 {
		t, err := c.texts.Only(d.Languages[0], d.Languages[1:]...)
		if err != nil {
			return nil, bad("%v", err)
		}
		c.texts = t
	}
	c.promptKey, c.thanksKey = d.PromptKey, d.ThanksKey
	if c.promptKey == "" {
		c.promptKey = i18n.PromptKey(c.scale.ID())
		if !c.texts.Has(c.texts.Default(), c.promptKey) {
			c.promptKey = i18n.KeyRatingPrompt
		}
	}
	if c.thanksKey == "" {
		c.thanksKey = i18n.KeyThanks
		if strings.HasPrefix(c.scale.ID(), "nps") && c.texts.Has(c.texts.Default(), i18n.KeyNPSThanks) {
			c.thanksKey = i18n.KeyNPSThanks
		}
	}
	if len(d.Channels) > 0 {
		c.channels = map[string]bool{}
		for _, ch := range d.Channels {
			c.channels[ch] = true
		}
	}
	for i, r := range d.Rules {
		if r == nil {
			return nil, bad("rule %d is nil", i)
		}
		if v, ok := r.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return nil, bad("rule %d (%s): %v", i, r.Name(), err)
			}
		}
	}
	if err := c.checkFollowUps(); err != nil {
		return nil, bad("%v", err)
	}
	if err := c.checkReasons(); err != nil {
		return nil, bad("%v", err)
	}
	if err := c.checkForms(limits); err != nil {
		return nil, bad("%v", err)
	}
	if d.Reminder != nil {
		if err := d.Reminder.check(c.window); err != nil {
			return nil, bad("%v", err)
		}
	}
	if d.LowScoreBelow != 0 && (d.LowScoreBelow <= c.scale.Min() || d.LowScoreBelow > c.scale.Max()) {
		return nil, bad("LowScoreBelow %d must be above the scale's minimum %d and at most its maximum %d", d.LowScoreBelow, c.scale.Min(), c.scale.Max())
	}
	if d.LowScoreBelow != 0 && len(d.Responsible) == 0 {
		return nil, bad("LowScoreBelow is set but no Responsible user would be told")
	}
	keys := c.requiredKeys()
	for _, o := range c.scale.Options() {
		keys = append(keys, i18n.Key(o.LabelKey))
	}
	if c.def.Reasons != nil {
		keys = append(keys, c.reasonPrompt())
		for _, o := range c.def.Reasons.Options {
			keys = append(keys, o.Label)
		}
	}
	if err := c.texts.Validate(keys...); err != nil {
		return nil, bad("%v", err)
	}
	values := make([]int, 0, c.scale.Max()-c.scale.Min()+1)
	for _, o := range c.scale.Options() {
		values = append(values, o.Value)
	}
	if err := c.texts.ValidateLabels(c.scale.ID(), values); err != nil {
		return nil, bad("%v", err)
	}
	c.langs = map[string]*localized{}
	for _, tag := range c.texts.Languages() {
		l := &localized{tag: tag, plain: map[i18n.Key]bool{}}
		for _, k := range keys {
			if t, ok := c.texts.Text(tag, k); ok && len(i18n.Placeholders(t)) == 0 {
				l.plain[k] = true
			}
		}
		words := c.texts.LabelWords(tag, c.scale.ID(), values)
		if words == nil {
			words = map[string]int{}
		}
		for _, o := range c.scale.Options() {
			label, _ := c.texts.Text(tag, i18n.Key(o.LabelKey))
			l.options = append(l.options, Choice{
				Value:   o.Value,
				Label:   label,
				Emoji:   o.Emoji,
				Color:   o.Color,
				Payload: scoring.PayloadPrefix + strconv.Itoa(o.Value),
			})
			if label != "" {
				words[label] = o.Value
			}
		}
		numbers, alone := i18n.NumberWords(tag)
		p, err := scoring.NewParser(c.scale, words, scoring.WithNumberWords(numbers, alone))
		if err != nil {
			return nil, bad("%v", err)
		}
		l.parser = p
		if c.def.Reasons != nil {
			for i, o := range c.def.Reasons.Options {
				label, _ := c.texts.Text(tag, o.Label)
				l.reasons = append(l.reasons, Choice{Value: i + 1, Label: label, Payload: ReasonPayloadPrefix + o.ID})
			}
		}
		l.precompute(c.texts, c.promptKey, i18n.KeyRatingReprompt)
		l.localize(c.texts, c.forms)
		c.langs[tag.String()] = l
	}
	c.flow = newFlow(c.asksAfterRating(), !c.def.SkipComment && len(c.def.FollowUps) == 0, c.def.Reasons != nil)
	return c, nil
}

// checkFollowUps validates the score bands.
func (c *compiled) checkFollowUps() error {
	bands := append([]FollowUp(nil), c.def.FollowUps...)
	sort.Slice(bands, func(i, j int) bool { return bands[i].From < bands[j].From })
	for i, b := range bands {
		if b.From > b.To || !c.scale.Contains(b.From) || !c.scale.Contains(b.To) {
			return fmt.Errorf("follow-up band %d–%d is not on the scale %d–%d", b.From, b.To, c.scale.Min(), c.scale.Max())
		}
		if b.Prompt == "" {
			return fmt.Errorf("follow-up band %d–%d has no prompt key", b.From, b.To)
		}
		if i > 0 && b.From <= bands[i-1].To {
			return fmt.Errorf("follow-up bands %d–%d and %d–%d overlap", bands[i-1].From, bands[i-1].To, b.From, b.To)
		}
	}
	return nil
}

func (c *compiled) appliesTo(channel string) bool {
	return !c.def.Disabled && (c.channels == nil || c.channels[channel])
}

// lang returns the localized material for a session's language, falling
// back to the default language.
func (c *compiled) lang(tag string) *localized {
	if l, ok := c.langs[tag]; ok {
		return l
	}
	if t, err := language.Parse(tag); err == nil {
		if l, ok := c.langs[t.String()]; ok {
			return l
		}
	}
	return c.langs[c.texts.Default().String()]
}

// languageMatch is the survey's answer for one preferred-language string.
type languageMatch struct {
	tag       language.Tag
	conf      language.Confidence
	available bool
}

// matchCache remembers language matches: contacts' language strings repeat
// endlessly, and matching costs more than the rest of a close. It stops
// growing at maxMatches entries so hostile input cannot grow it unbounded.
type matchCache struct {
	mu sync.RWMutex
	m  map[string]languageMatch
}

const maxMatches = 4096

func (c *compiled) match(preferred string) languageMatch {
	c.matches.mu.RLock()
	lm, ok := c.matches.m[preferred]
	c.matches.mu.RUnlock()
	if ok {
		return lm
	}
	lm.tag, lm.conf = c.texts.Match(preferred)
	_, _, lm.available = c.texts.Available(preferred)
	c.matches.mu.Lock()
	if c.matches.m == nil {
		c.matches.m = map[string]languageMatch{}
	}
	if len(c.matches.m) < maxMatches && len(preferred) <= 256 {
		c.matches.m[preferred] = lm
	}
	c.matches.mu.Unlock()
	return lm
}

// Validate checks a survey definition as New would, without an engine,
// against the built-in channel limits (DefaultChannelLimits).
func Validate(d Definition) error {
	_, err := compile(d, DefaultChannelLimits())
	return err
}
