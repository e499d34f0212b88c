package survey

// MessageKind says what an outbound message is for.
type MessageKind string

const (
	// KindRatingRequest asks for the score.
	KindRatingRequest MessageKind = "rating_request"
	// KindReprompt asks again after a reply that was not a score.
	KindReprompt MessageKind = "reprompt"
	// KindReasonRequest asks for the main reason of a low score, with
	// one choice per reason.
	KindReasonRequest MessageKind = "reason_request"
	// KindCommentRequest invites a comment.
	KindCommentRequest MessageKind = "comment_request"
	// KindThanks closes the survey.
	KindThanks MessageKind = "thanks"
	// KindReminder reminds a contact who has not answered, before the
	// rating question expires (Definition.Reminder): the reminder's text
	// and the question again, with the same choices and, on e-mail, the
	// same signed links. A sweep decides it; its idempotency key is
	// "<session>/reminder/<n>".
	KindReminder MessageKind = "reminder"
)

// Choice is one answer button of a rating request.
type Choice struct {
	// Value is the score the choice records.
	Value int `json:"value"`
	// Label is the localized label, e.g. "Muy satisfecho".
	Label string `json:"label"`
	// Emoji is drawn before the label, e.g. "5️⃣".
	Emoji string `json:"emoji"`
	// Color is the option's CSS colour for graphic formats, if the scale
	// has one (dark green for 5 down to red for 1).
	Color string `json:"color"`
	// Payload is what a button sends back; HandleMessage understands it.
	// It is the ID of the choice's button or list row.
	Payload string `json:"payload"`
	// Title is the text of the choice's button or list row when the
	// message's Format is FormatButtons or FormatList: the emoji and the
	// label, cut to fit the channel's limit (ChannelLimits); empty for
	// FormatText. A reply that is the title (as channels return a
	// button's or a row's text) is understood like the payload.
	Title string `json:"title,omitempty"`
}

// Outbound is a message the host must send to the contact.
type Outbound struct {
	// IdempotencyKey is unique per message: a host that sends through a
	// retrying queue uses it to send each message once.
	IdempotencyKey string `json:"idempotency_key"`
	// TenantID, SessionID, ConversationID, ContactID and Channel say where
	// the message belongs.
	TenantID       string `json:"tenant_id"`
	SessionID      string `json:"session_id"`
	ConversationID string `json:"conversation_id"`
	ContactID      string `json:"contact_id"`
	Channel        string `json:"channel"`
	// Kind says what the message is for.
	Kind MessageKind `json:"kind"`
	// Language is the BCP 47 tag of the text.
	Language string `json:"language"`
	// Text is the whole message for text channels: the prompt and, for a
	// rating request, one numbered option per line.
	Text string `json:"text"`
	// Prompt is the question alone, for channels that draw Choices as
	// buttons.
	Prompt string `json:"prompt"`
	// Choices are the rating options, or the reasons of a reason
	// request (Value numbers them from 1, Payload is "reason:<id>");
	// empty for other kinds.
	Choices []Choice `json:"choices"`
	// HTML is, for a rating request on an e-mail channel with signed
	// links configured, a fragment with one link per option to embed in
	// the closing notification (the ${satisfaction:rating}). Prompt and
	// Text then ask the e-mail question too (i18n.KeyEmailPrompt), for
	// the message's plain-text part.
	HTML string `json:"html"`
	// Format is how to show a message with Choices on its channel: the
	// richest form they fit within the channel's limits (ChannelLimits),
	// or the form the survey's settings ask for (ChannelSettings):
	// FormatText (send Text), FormatButtons (draw Prompt and a button per
	// choice, titled Choice.Title) or FormatList (draw Prompt and a list
	// opened by ListButton, a row per choice). Empty for messages without
	// choices.
	Format RequestFormat `json:"format,omitempty"`
	// ListButton is, with FormatList, the title of the button that opens
	// the list, cut to the channel's limit; empty otherwise.
	ListButton string `json:"list_button,omitempty"`
	// Template reports that the rating request goes out after the
	// channel's messaging window closed (Config.MessagingWindows): the
	// channel takes it only as an approved template message.
	Template bool `json:"template,omitempty"`
	// Tag is the message tag the request must carry to be sent in the
	// channel's longer window (Messenger's "HUMAN_AGENT"); empty when
	// none is needed.
	Tag string `json:"tag,omitempty"`
}

// Result tells the host what a call decided and what to do.
type Result struct {
	// Consumed reports that the inbound message belonged to the survey;
	// when false the host treats it as a new conversation.
	Consumed bool `json:"consumed"`
	// Duplicate reports that the event was seen before and changed nothing.
	// Outbound is then empty, so a retried webhook never sends twice.
	Duplicate bool `json:"duplicate"`
	// Replay, on a Duplicate, holds what the original call returned when
	// it is still current (the rating request of a survey not yet
	// answered, the reply to the latest message), with the same
	// idempotency keys. A host whose first attempt failed before it sent
	// them sends them now; one that tracks sent keys skips what it sent.
	Replay []Outbound `json:"replay"`
	// ReplayNotifications, on a Duplicate, are the notifications of the
	// original call, with the same idempotency keys.
	ReplayNotifications []Notification `json:"replay_notifications"`
	// Decision is the eligibility decision of a close event.
	Decision Decision `json:"decision"`
	// Session is the session after the call; nil when there is none.
	Session *Session `json:"session,omitempty"`
	// Outbound lists the messages to send, in order. They are also
	// stored with the session as pending effects: a host that sends them
	// here acknowledges them (Engine.Acknowledge with Keys), and one that
	// does not leaves them to Engine.Deliver.
	Outbound []Outbound `json:"outbound"`
	// Notifications lists what to tell the host's users (low scores,
	// ratings and reviews for the agents involved), stored and delivered
	// like Outbound.
	Notifications []Notification `json:"notifications"`
	// CloseConversation asks the host to close the conversation: it was
	// rated before closing and the survey has CloseOnRating.
	CloseConversation bool `json:"close_conversation"`

	// answer says what the contact's message answered, for the
	// observer: "rating", "reason", "comment", "change" or "reprompted".
	answer string
	// turn is the turn (counted from 1) that decided Outbound and
	// Notifications; 0 when no turn did (a start, a sweep, a review).
	turn int
	// outBuf holds Outbound's first message, so that a call that sends
	// one allocates its Result only.
	outBuf [1]Outbound
	// withdrawn counts the pending questions the call withdrew because
	// their survey ended unanswered.
	withdrawn int
}

// send adds o to the messages r asks the host to send.
func (r *Result) send(o Outbound) {
	if r.Outbound == nil {
		r.Outbound = r.outBuf[:0:1]
	}
	r.Outbound = append(r.Outbound, o)
}
