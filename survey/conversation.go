package survey

import "time"

// ParticipantKind says whether an agent is a person or a bot.
type ParticipantKind string

const (
	// Human is a person answering for the company.
	Human ParticipantKind = "human"
	// Bot is a virtual agent.
	Bot ParticipantKind = "bot"
)

// Participant is an agent who took part in a conversation.
type Participant struct {
	// ID identifies the agent in the host's system.
	ID string `json:"id"`
	// Name is shown to the contact in templates ({agent}).
	Name string `json:"name"`
	// Kind is Human or Bot.
	Kind ParticipantKind `json:"kind"`
	// Groups are the teams the agent belongs to, for group reports.
	Groups []string `json:"groups"`
}

// Sender says who wrote a message.
type Sender string

const (
	// FromContact is a message the customer wrote.
	FromContact Sender = "contact"
	// FromAgent is a reply by a participant (human or bot): AuthorID names it.
	FromAgent Sender = "agent"
	// FromSystem is an automatic note (assignment, transfer, closing notice).
	FromSystem Sender = "system"
)

// Message is one message of a conversation's transcript.
type Message struct {
	// ID is the host's message ID.
	ID string `json:"id"`
	// From says who wrote it.
	From Sender `json:"from"`
	// AuthorID is the participant ID for FromAgent messages.
	AuthorID string `json:"author_id"`
	// Text is the message body.
	Text string `json:"text"`
	// SentAt is when the message was written.
	SentAt time.Time `json:"sent_at,omitzero"`
	// Internal marks an internal note: a message an agent (or the system)
	// wrote for the team, which the contact never sees. A note is no
	// reply: it never counts as an answer, toward the transcript's
	// length, toward the agents' effort or as the last agent's reply
	// (Session.LastAgent), in the built-in rules or the engine. Its
	// author still took part: an agent who wrote only notes is one of
	// Session.Agents, credited when reports count every agent who took
	// part. A contact's message cannot be a note.
	Internal bool `json:"internal,omitempty"`
}

// Reply reports whether m is an agent's reply the contact saw: from an
// agent and not an internal note.
func (m *Message) Reply() bool { return m.From == FromAgent && !m.Internal }

// Contact is the customer a conversation was with.
type Contact struct {
	// ID identifies the contact in the host's system.
	ID string `json:"id"`
	// Name is used in templates ({contact}).
	Name string `json:"name"`
	// Language is the contact's preferred language as a BCP 47 tag or an
	// Accept-Language list ("es-AR", "fr-CA, fr;q=0.9"); empty means unknown.
	Language string `json:"language"`
}

// Conversation is what the host hands the engine when a conversation closes.
type Conversation struct {
	// TenantID scopes everything; nothing crosses tenants.
	TenantID string `json:"tenant_id"`
	// ID is the host's conversation ID.
	ID string `json:"id"`
	// Contact is who the conversation was with.
	Contact Contact `json:"contact"`
	// Channel is where it happened ("whatsapp", "email", …).
	Channel string `json:"channel"`
	// Participants are the agents who took part.
	Participants []Participant `json:"participants"`
	// Assignee is the ID of the agent the conversation is assigned to when
	// it closes; empty when unassigned. Reports can credit a rating to it.
	Assignee string `json:"assignee"`
	// Messages is the transcript in the order the messages were sent.
	Messages []Message `json:"messages"`
	// Fields are the host's conversation fields (e.g. "priority": "high").
	Fields map[string]string `json:"fields"`
	// Labels are the conversation's tags.
	Labels []string `json:"labels"`
	// ResolvedBy is the ID of the participant who resolved (closed) the
	// conversation, human or bot; empty when the host does not know. The
	// eligibility rule that surveys only conversations resolved by a human
	// agent reads it.
	ResolvedBy string `json:"resolved_by"`
	// Public marks a conversation anyone can read (a post, a public
	// comment). Only private conversations are surveyed: a public one is
	// never sent a survey.
	Public bool `json:"public"`
	// ClosedAt is when the conversation was closed; zero means now. It
	// does not identify the close: a close of a surveyed conversation is
	// a repeat of that close until Engine.ConversationReopened is called
	// (see Engine.ConversationClosed). After a reopen, a late retry of
	// the earlier close is recognised only by a ClosedAt within a second
	// of the first delivery's, so pass it when you have it.
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// Participant returns the participant with the given ID.
func (c *Conversation) Participant(id string) (Participant, bool) {
	for _, p := range c.Participants {
		if p.ID == id {
			return p, true
		}
	}
	return Participant{}, false
}

// Inbound is a message from a contact that may answer a survey.
type Inbound struct {
	// TenantID scopes the lookup.
	TenantID string `json:"tenant_id"`
	// ContactID and Channel find the survey waiting for this contact.
	ContactID string `json:"contact_id"`
	// Channel is where the message arrived.
	Channel string `json:"channel"`
	// MessageID is the host's ID; a message delivered twice changes
	// nothing the second time.
	MessageID string `json:"message_id"`
	// Text is what the contact wrote or, for a button, its payload.
	Text string `json:"text"`
	// ReceivedAt is when the contact sent the message, as the channel
	// stamps it; zero means the engine's clock's now. A message stamped
	// before its survey was sent (allowing Config.MaxClockSkew) is never
	// an answer to it, and one stamped within the question's time is in
	// time even when it is delivered late.
	ReceivedAt time.Time `json:"received_at,omitzero"`
}
