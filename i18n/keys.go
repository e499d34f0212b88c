package i18n

import "strconv"

// Keys of the texts beyond the CSAT flow. Every shipped language has every
// one of them (a test keeps it so), with the same placeholders.
const (
	// KeyNPSPrompt asks for a Net Promoter Score. It may use {min} and {max}.
	KeyNPSPrompt Key = "nps.prompt"
	// KeyNPSThanks thanks the contact once the NPS score is in.
	KeyNPSThanks Key = "nps.thanks"
	// KeyCESPrompt asks how easy it was to get the issue solved (CES-7).
	KeyCESPrompt Key = "ces.prompt"
	// KeyThumbsPrompt asks a yes/no question answered with 👍 or 👎.
	KeyThumbsPrompt Key = "thumbs.prompt"
	// KeyEmojiPrompt asks for a rating on the five-smiley scale.
	KeyEmojiPrompt Key = "emoji.prompt"
	// KeyFollowUpNegative is the follow-up question after a low score
	// ("what went wrong?").
	KeyFollowUpNegative Key = "followup.negative"
	// KeyFollowUpNeutral is the follow-up question after a middling score.
	KeyFollowUpNeutral Key = "followup.neutral"
	// KeyFollowUpPositive is the follow-up question after a high score
	// ("what did you like?").
	KeyFollowUpPositive Key = "followup.positive"
	// KeyExpired tells a contact who answers too late that the survey is
	// closed. It uses {hours}, the response window, in a plural form.
	KeyExpired Key = "expired"
	// KeyEmailPrompt heads the rating block of an e-mail (see
	// [EmailFragment]).
	KeyEmailPrompt Key = "email.prompt"
	// KeyEmailHint follows the links of the e-mail rating block and tells
	// the contact that one click records the rating.
	KeyEmailHint Key = "email.hint"
	// KeyRatingRecorded is the page or message shown once a rating given
	// by a link has been recorded.
	KeyRatingRecorded Key = "rating.recorded"
	// KeyListButton is the title of the button that opens a list message
	// of choices ("Choose"); channels keep it short (WhatsApp: 20
	// characters).
	KeyListButton Key = "list.button"
	// KeyReminder opens the one reminder a contact who has not answered
	// gets before the question expires; the question and its choices
	// follow it. It may use the placeholders of the rating question.
	KeyReminder Key = "reminder"
)

// Identifiers of the shipped rating scales, as used in label keys
// "<scaleID>.<value>" (see [LabelKey]). They match the scoring package's
// scale IDs.
const (
	// ScaleCSAT5 is the 1–5 satisfaction scale.
	ScaleCSAT5 = "csat5"
	// ScaleEmoji5 is the five-smiley scale.
	ScaleEmoji5 = "emoji5"
	// ScaleNPS10 is the 0–10 Net Promoter Score scale.
	ScaleNPS10 = "nps10"
	// ScaleNPS10From1 is the 1–10 NPS scale, its bands high, medium and low.
	ScaleNPS10From1 = "nps10from1"
	// ScaleCES7 is the 1–7 Customer Effort Score scale (1 very difficult,
	// 7 very easy).
	ScaleCES7 = "ces7"
	// ScaleThumbs is thumbs down (0) / thumbs up (1).
	ScaleThumbs = "thumbs"
)

// shippedScales lists the values of every shipped scale, lowest first.
var shippedScales = map[string][2]int{
	ScaleCSAT5:      {1, 5},
	ScaleEmoji5:     {1, 5},
	ScaleNPS10:      {0, 10},
	ScaleNPS10From1: {1, 10},
	ScaleCES7:       {1, 7},
	ScaleThumbs:     {0, 1},
}

// ScaleValues returns the values of a shipped scale, lowest first, and
// false for a scale that does not ship with labels.
func ScaleValues(scaleID string) ([]int, bool) {
	r, ok := shippedScales[scaleID]
	if !ok {
		return nil, false
	}
	out := make([]int, 0, r[1]-r[0]+1)
	for v := r[0]; v <= r[1]; v++ {
		out = append(out, v)
	}
	return out, true
}

// LabelKey returns the key of the label of value on a scale:
// "<scaleID>.<value>", e.g. "csat5.5".
func LabelKey(scaleID string, value int) Key {
	return Key(scaleID + "." + strconv.Itoa(value))
}

// flowKeys are the keys that are not scale labels, in documentation order.
var flowKeys = append([]Key{
	KeyRatingPrompt, KeyRatingReprompt, KeyCommentPrompt, KeyThanks,
	KeyNPSPrompt, KeyNPSThanks, KeyCESPrompt, KeyThumbsPrompt, KeyEmojiPrompt,
	KeyFollowUpNegative, KeyFollowUpNeutral, KeyFollowUpPositive,
	KeyExpired, KeyEmailPrompt, KeyEmailHint, KeyRatingRecorded, KeyListButton, KeyReminder,
}, reasonKeys...)

// ShippedKeys returns every key that each shipped language has: the flow
// texts and the labels of every shipped scale.
func ShippedKeys() []Key {
	out := append([]Key(nil), flowKeys...)
	for _, id := range []string{ScaleCSAT5, ScaleEmoji5, ScaleNPS10, ScaleNPS10From1, ScaleCES7, ScaleThumbs} {
		vals, _ := ScaleValues(id)
		for _, v := range vals {
			out = append(out, LabelKey(id, v))
		}
	}
	return out
}

// KnownPlaceholders lists every placeholder name a text may use. A host
// (the survey engine) should pass a value for each one it renders, an empty
// string when it has none; [Catalog.Validate] rejects any other name.
//
//   - contact: the contact's display name
//   - agent: the name of the agent who handled the conversation
//   - company: the name of the helpdesk's company or brand
//   - min, max: the lowest and highest value of the survey's scale
//   - rating: the score the contact gave
//   - link: a URL, e.g. a one-click rating link or a comment page
//   - hours: the response window in hours (used in a plural form by
//     [KeyExpired])
//
// Any numeric placeholder can be written in a plural form,
// {hours, plural, one {# hour} other {# hours}}; see [Render].
var KnownPlaceholders = []string{"contact", "agent", "company", "min", "max", "rating", "link", "hours"}

func isKnownPlaceholder(name string) bool {
	for _, k := range KnownPlaceholders {
		if k == name {
			return true
		}
	}
	return false
}

// PromptKey returns the shipped question for a scale: KeyRatingPrompt for
// CSAT-5 (and any scale it does not know), KeyEmojiPrompt, KeyNPSPrompt,
// KeyCESPrompt or KeyThumbsPrompt.
func PromptKey(scaleID string) Key {
	switch scaleID {
	case ScaleEmoji5:
		return KeyEmojiPrompt
	case ScaleNPS10, ScaleNPS10From1:
		return KeyNPSPrompt
	case ScaleCES7:
		return KeyCESPrompt
	case ScaleThumbs:
		return KeyThumbsPrompt
	}
	return KeyRatingPrompt
}
