package survey

import (
	"fmt"
	"time"
	"unicode/utf16"

	"github.com/surveyflow/surveyflow/i18n"
)

// MessagingWindow is how long after the contact's last message a channel
// lets a business write to the contact freely. Outside it the channel
// accepts only an approved template (WhatsApp) or a tagged message
// (Messenger and Instagram, for a longer while).
type MessagingWindow struct {
	// Free is how long after the contact's last message any message may
	// be sent.
	Free time.Duration `json:"free"`
	// Tagged is how long a message carrying Tag may be sent; zero means
	// the channel has no such tag.
	Tagged time.Duration `json:"tagged,omitempty"`
	// Tag is the message tag that opens the longer window, such as
	// Messenger's "HUMAN_AGENT".
	Tag string `json:"tag,omitempty"`
}

// DefaultMessagingWindows are the windows of the channels that have one, by
// the channel names this library's examples use: WhatsApp 24 hours;
// Messenger and Instagram 24 hours, or 7 days with the human-agent tag.
func DefaultMessagingWindows() map[string]MessagingWindow {
	return map[string]MessagingWindow{
		"whatsapp":  {Free: 24 * time.Hour},
		"messenger": {Free: 24 * time.Hour, Tagged: 7 * 24 * time.Hour, Tag: "HUMAN_AGENT"},
		"instagram": {Free: 24 * time.Hour, Tagged: 7 * 24 * time.Hour, Tag: "HUMAN_AGENT"},
	}
}

// RequestFormat says how a channel shows a question with choices: the
// rating request (and its re-prompts and reminders) or the reason
// question.
type RequestFormat string

const (
	// FormatText sends Outbound.Text: the question and one numbered
	// option per line, which any channel can show.
	FormatText RequestFormat = "text"
	// FormatButtons draws Outbound.Prompt with one reply button (or quick
	// reply) per Outbound.Choices, titled Choice.Title; the channel's
	// ChannelLimits.Buttons bound how many.
	FormatButtons RequestFormat = "buttons"
	// FormatList draws Outbound.Prompt with a list message: a button
	// titled Outbound.ListButton that opens one row per Outbound.Choices,
	// titled Choice.Title; the channel's ChannelLimits.ListRows bound how
	// many.
	FormatList RequestFormat = "list"
)

// ChannelLimits are what a channel's interactive messages take: how many
// reply buttons and list rows one message may carry, and how long their
// titles may be, in characters counted as UTF-16 code units (the most
// careful count: an emoji such as 😀 is two, a keycap such as 5️⃣ three).
// The zero value is a channel that shows text only. The engine picks the
// richest form a question's choices fit — reply buttons, then a list,
// then text — and cuts every title to the form's limit (Choice.Title).
type ChannelLimits struct {
	// Buttons is how many reply buttons (or quick replies) one message
	// may carry; zero means none.
	Buttons int `json:"buttons,omitempty"`
	// ButtonTitle is how many characters a button's title may have;
	// zero means no limit.
	ButtonTitle int `json:"button_title,omitempty"`
	// ListRows is how many rows a list message may carry in all; zero
	// means the channel has no list messages.
	ListRows int `json:"list_rows,omitempty"`
	// RowTitle is how many characters a row's title may have; zero
	// means no limit.
	RowTitle int `json:"row_title,omitempty"`
	// ListButton is how many characters the title of the button that
	// opens the list may have; zero means no limit.
	ListButton int `json:"list_button,omitempty"`
}

// DefaultChannelLimits are the interactive limits of the channels this
// library names, as their vendors document them:
//
//	channel    buttons (title)   list rows (title, opening button)
//	whatsapp   3 (20)            10 (24, 20)
//	messenger  13 (20)           –
//	instagram  13 (20)           –
//	webchat    11 (40)           –
//	email      –                 –
//	sms        –                 –
//
// WhatsApp: the Cloud API's interactive messages — a reply-button message
// takes at most 3 buttons with titles of at most 20 characters; a list
// message at most 10 rows in all, row titles of at most 24 characters and
// an opening button of at most 20. Messenger and Instagram: quick replies,
// at most 13, titles of at most 20 characters (the Messenger Platform's
// quick replies reference). A web chat widget draws what it is given:
// 11 buttons keep a 0–10 scale in one row. E-mail carries text (and, with
// Config.Links, one signed link per option in Outbound.HTML); SMS carries
// text only.
func DefaultChannelLimits() map[string]ChannelLimits {
	return map[string]ChannelLimits{
		"whatsapp":  {Buttons: 3, ButtonTitle: 20, ListRows: 10, RowTitle: 24, ListButton: 20},
		"messenger": {Buttons: 13, ButtonTitle: 20},
		"instagram": {Buttons: 13, ButtonTitle: 20},
		"webchat":   {Buttons: 11, ButtonTitle: 40},
		"email":     {},
		"sms":       {},
	}
}

// channelLimits merges the host's limits into the built-in ones: a
// channel the host names takes the host's.
func channelLimits(host map[string]ChannelLimits) (map[string]ChannelLimits, error) {
	limits := DefaultChannelLimits()
	for ch, l := range host {
		if l.Buttons < 0 || l.ButtonTitle < 0 || l.ListRows < 0 || l.RowTitle < 0 || l.ListButton < 0 {
			return nil, fmt.Errorf("%w: channel limits of %q must not be negative", ErrInvalidInput, ch)
		}
		limits[ch] = l
	}
	return limits, nil
}

// fits reports whether n choices fit form f on a channel with limits l,
// and when not, why (the limit, for an error).
func (l ChannelLimits) fits(f RequestFormat, n int) (bool, string) {
	switch f {
	case FormatButtons:
		if l.Buttons == 0 {
			return false, "takes no reply buttons"
		}
		return n <= l.Buttons, fmt.Sprintf("takes at most %d reply buttons", l.Buttons)
	case FormatList:
		if l.ListRows == 0 {
			return false, "takes no list messages"
		}
		return n <= l.ListRows, fmt.Sprintf("takes at most %d list rows", l.ListRows)
	}
	return true, ""
}

// richest is the richest form n choices fit on a channel with limits l,
// no richer than ceiling (FormatButtons allows every form, FormatList a
// list or text, FormatText text); lists only when the survey has the text
// of their opening button.
func (l ChannelLimits) richest(n int, ceiling RequestFormat, lists bool) RequestFormat {
	if ok, _ := l.fits(FormatButtons, n); ok && ceiling == FormatButtons {
		return FormatButtons
	}
	if ok, _ := l.fits(FormatList, n); ok && lists && ceiling != FormatText {
		return FormatList
	}
	return FormatText
}

// titleLimit is how long a title of form f may be; zero means no limit.
func (l ChannelLimits) titleLimit(f RequestFormat) int {
	switch f {
	case FormatButtons:
		return l.ButtonTitle
	case FormatList:
		return l.RowTitle
	}
	return 0
}

// ChannelSettings are a survey's settings for one channel.
type ChannelSettings struct {
	// Format is the form of the rating request (and of its re-prompts
	// and reminders) on the channel, carried in Outbound.Format. Empty
	// picks the richest form the scale's options fit within the
	// channel's limits (Config.ChannelLimits): reply buttons, then a
	// list, then text; on a channel without limits, text. A form the
	// options cannot fit within the channel's limits makes the survey
	// invalid. The reason question takes the richest form its options
	// fit, no richer than this one.
	Format RequestFormat `json:"format,omitempty"`
	// NoRatingBeforeClose refuses Engine.RequestSurvey with
	// Request.BeforeClose on the channel: the contact is asked only once
	// the conversation closes. (Without settings for a channel, rating
	// before close is offered.)
	NoRatingBeforeClose bool `json:"no_rating_before_close,omitempty"`
}

// CodeRatingBeforeCloseOff: a survey was requested before the close on a
// channel whose settings do not offer it.
const CodeRatingBeforeCloseOff = "rating_before_close_off"

func validFormat(f RequestFormat) error {
	switch f {
	case "", FormatText, FormatButtons, FormatList:
		return nil
	}
	return fmt.Errorf("format %q is not %q, %q or %q", f, FormatText, FormatButtons, FormatList)
}

// title is c's text for a button or row of at most max characters
// (UTF-16 code units; zero means no limit): its emoji and label, the
// label cut at a word (i18n.Option.Button) until the whole fits.
func title(c Choice, max int) string {
	o := i18n.Option{Value: c.Value, Label: c.Label, Emoji: c.Emoji}
	t := o.Button(max)
	for n := max - 1; max > 0 && utf16Len(t) > max && n > 0; n-- {
		t = o.Button(n)
	}
	if max > 0 && utf16Len(t) > max { // not even the emoji fits: cut it
		r := []rune(t)
		for len(r) > 0 && utf16Len(string(r)) > max {
			r = r[:len(r)-1]
		}
		t = string(r)
	}
	return t
}

// utf16Len is how many UTF-16 code units s takes.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// lastContactMessage is when the contact last wrote in conv; zero when
// the transcript does not say.
func lastContactMessage(conv *Conversation) time.Time {
	var last time.Time
	for _, m := range conv.Messages {
		if m.From == FromContact && m.SentAt.After(last) {
			last = m.SentAt
		}
	}
	return last
}

// windowAt says how a rating request of s sent at s.SentAt may go out on
// its channel: freely, with a tag, or only as an approved template.
func (e *Engine) windowAt(s *Session) (tag string, template bool) {
	return e.window(s, s.SentAt)
}

// freeAt reports whether a message to s's contact may go out freely at
// t: inside its channel's free window, or on a channel without one.
func (e *Engine) freeAt(s *Session, t time.Time) bool {
	tag, template := e.window(s, t)
	return tag == "" && !template
}

// window says how a message to s's contact may go out at t on its
// channel: freely, with a tag, or only as an approved template.
func (e *Engine) window(s *Session, t time.Time) (tag string, template bool) {
	w, ok := e.windows[s.Channel]
	if !ok || s.LastContactAt.IsZero() || t.IsZero() {
		return "", false
	}
	switch since := t.Sub(s.LastContactAt); {
	case since <= w.Free:
		return "", false
	case w.Tagged > 0 && since <= w.Tagged:
		return w.Tag, false
	}
	return "", true
}
