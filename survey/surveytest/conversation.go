package surveytest

import (
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// ConversationBuilder builds a survey.Conversation message by message. Each
// message is stamped one minute after the previous one.
type ConversationBuilder struct {
	c    survey.Conversation
	next time.Time
	n    int
}

// NewConversation starts a conversation of tenant "tenant", on channel
// "whatsapp", whose first message is sent at start.
func NewConversation(id, contactID string, start time.Time) *ConversationBuilder {
	return &ConversationBuilder{
		c:    survey.Conversation{TenantID: "tenant", ID: id, Channel: "whatsapp", Contact: survey.Contact{ID: contactID}},
		next: start,
	}
}

// Tenant sets the tenant.
func (b *ConversationBuilder) Tenant(id string) *ConversationBuilder { b.c.TenantID = id; return b }

// Channel sets the channel.
func (b *ConversationBuilder) Channel(ch string) *ConversationBuilder { b.c.Channel = ch; return b }

// Language sets the contact's language.
func (b *ConversationBuilder) Language(tag string) *ConversationBuilder {
	b.c.Contact.Language = tag
	return b
}

// ContactName sets the contact's name.
func (b *ConversationBuilder) ContactName(name string) *ConversationBuilder {
	b.c.Contact.Name = name
	return b
}

// Agent adds a participant.
func (b *ConversationBuilder) Agent(id, name string, kind survey.ParticipantKind, groups ...string) *ConversationBuilder {
	b.c.Participants = append(b.c.Participants, survey.Participant{ID: id, Name: name, Kind: kind, Groups: groups})
	return b
}

// Field sets a conversation field.
func (b *ConversationBuilder) Field(name, value string) *ConversationBuilder {
	if b.c.Fields == nil {
		b.c.Fields = map[string]string{}
	}
	b.c.Fields[name] = value
	return b
}

// Label adds a label.
func (b *ConversationBuilder) Label(l string) *ConversationBuilder {
	b.c.Labels = append(b.c.Labels, l)
	return b
}

// ContactSays adds a message from the contact.
func (b *ConversationBuilder) ContactSays(text string) *ConversationBuilder {
	return b.add(survey.FromContact, "", text)
}

// AgentSays adds a message from the participant agentID.
func (b *ConversationBuilder) AgentSays(agentID, text string) *ConversationBuilder {
	return b.add(survey.FromAgent, agentID, text)
}

// SystemSays adds an automatic note.
func (b *ConversationBuilder) SystemSays(text string) *ConversationBuilder {
	return b.add(survey.FromSystem, "", text)
}

// Wait leaves d between the last message and the next one (or the close).
func (b *ConversationBuilder) Wait(d time.Duration) *ConversationBuilder {
	b.next = b.next.Add(d)
	return b
}

// Padding returns a text of exactly n characters, for transcript-length
// tests.
func Padding(n int) string { return strings.Repeat("x", n) }

func (b *ConversationBuilder) add(from survey.Sender, author, text string) *ConversationBuilder {
	b.n++
	b.c.Messages = append(b.c.Messages, survey.Message{
		ID: b.c.ID + "-m" + itoa(b.n), From: from, AuthorID: author, Text: text, SentAt: b.next,
	})
	b.next = b.next.Add(time.Minute)
	return b
}

// ClosedAt returns the conversation closed at t.
func (b *ConversationBuilder) ClosedAt(t time.Time) *survey.Conversation {
	c := b.c
	c.ClosedAt = t
	return &c
}

// Closed returns the conversation closed one minute after its last message
// (plus any Wait).
func (b *ConversationBuilder) Closed() *survey.Conversation { return b.ClosedAt(b.next) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// AgentNotes adds an internal note by the participant agentID: a message
// the contact never sees (Message.Internal).
func (b *ConversationBuilder) AgentNotes(agentID, text string) *ConversationBuilder {
	b.add(survey.FromAgent, agentID, text)
	b.c.Messages[len(b.c.Messages)-1].Internal = true
	return b
}
