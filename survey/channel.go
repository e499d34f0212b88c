package survey

import (
	"fmt"
	"time"
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

// RequestFormat says how a channel shows a rating request.
type RequestFormat string

const (
	// FormatText sends Outbound.Text: the question and one numbered
	// option per line, which any channel can show. The default.
	FormatText RequestFormat = "text"
	// FormatButtons draws Outbound.Prompt with one button per
	// Outbound.Choices, on channels that have buttons (a live chat widget,
	// WhatsApp interactive messages).
	FormatButtons RequestFormat = "buttons"
)

// ChannelSettings are a survey's settings for one channel.
type ChannelSettings struct {
	// Format is how the rating request is shown on the channel; empty
	// means FormatText. It is carried in Outbound.Format.
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
	case "", FormatText, FormatButtons:
		return nil
	}
	return fmt.Errorf("format %q is not %q or %q", f, FormatText, FormatButtons)
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
	w, ok := e.windows[s.Channel]
	if !ok || s.LastContactAt.IsZero() || s.SentAt.IsZero() {
		return "", false
	}
	switch since := s.SentAt.Sub(s.LastContactAt); {
	case since <= w.Free:
		return "", false
	case w.Tagged > 0 && since <= w.Tagged:
		return w.Tag, false
	}
	return "", true
}
