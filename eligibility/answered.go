package eligibility

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/survey"
)

// Stable failure codes of the rules in this package.
const (
	CodeNotAnswered      = "not_answered_by_agent"
	CodeTranscriptShort  = "transcript_too_short"
	CodeClosedTooLate    = "closed_too_late"
	CodeNoContactMessage = "no_contact_message"
)

// AgentKinds says which agents count as having answered.
type AgentKinds int

const (
	// HumanOrVirtual counts replies by human agents and bots.
	HumanOrVirtual AgentKinds = iota
	// HumanOnly counts only replies by human agents (the "resolved
	// by human agents only").
	HumanOnly
)

// String returns the configuration name of k: "human_and_virtual" or
// "human_only".
func (k AgentKinds) String() string {
	switch k {
	case HumanOrVirtual:
		return "human_and_virtual"
	case HumanOnly:
		return "human_only"
	}
	return fmt.Sprintf("AgentKinds(%d)", int(k))
}

func (k AgentKinds) valid() bool { return k == HumanOrVirtual || k == HumanOnly }

// validate is the check every rule with an agents setting makes.
func (k AgentKinds) validate(rule string) error {
	if !k.valid() {
		return invalid(rule, "unknown agent kinds %d", int(k))
	}
	return nil
}

// config is rule as data with k as its agents setting.
func (k AgentKinds) config(rule string) RuleConfig {
	c := RuleConfig{Rule: rule}
	if k != HumanOrVirtual {
		c.Agents = k.String()
	}
	return c
}

func (k AgentKinds) who() string {
	if k == HumanOnly {
		return "human agents"
	}
	return "agents"
}

// counts reports whether m is a reply by an agent of kinds k; an internal
// note is none. With HumanOnly the author must be a listed participant of
// kind Human.
func (k AgentKinds) counts(c *survey.Conversation, m *survey.Message) bool {
	if !m.Reply() {
		return false
	}
	if k == HumanOnly {
		p, ok := c.Participant(m.AuthorID)
		return ok && p.Kind == survey.Human
	}
	return true
}

func parseAgentKinds(s string) (AgentKinds, error) {
	switch s {
	case "", "human_and_virtual":
		return HumanOrVirtual, nil
	case "human_only":
		return HumanOnly, nil
	}
	return 0, fmt.Errorf("agents %q is not one of human_and_virtual, human_only", s)
}

// AnsweredByAgent passes when at least one agent of the allowed kinds wrote
// a reply in the conversation; internal notes (Message.Internal) are no
// reply. With HumanOnly, a
// reply counts only when its author is a listed participant of kind Human.
func AnsweredByAgent(kinds AgentKinds) survey.Rule { return answeredByAgent{kinds} }

type answeredByAgent struct{ kinds AgentKinds }

func (r answeredByAgent) Name() string { return "answered_by_agent" }

func (r answeredByAgent) Validate() error { return r.kinds.validate(r.Name()) }

func (r answeredByAgent) describe() string {
	if r.kinds == HumanOnly {
		return "answered by a human agent"
	}
	return "answered by an agent"
}

func (r answeredByAgent) config() (RuleConfig, error) { return r.kinds.config(r.Name()), nil }

func (r answeredByAgent) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	for i := range c.Messages {
		if r.kinds.counts(c, &c.Messages[i]) {
			return nil, nil
		}
	}
	who := "an agent"
	if r.kinds == HumanOnly {
		who = "a human agent"
	}
	return []survey.Failure{{Code: CodeNotAnswered, Rule: r.Name(), Reason: "no reply from " + who}}, nil
}

// Author names a kind of message for TranscriptLongerThan.
type Author string

// The kinds of messages a transcript length can count.
const (
	// ContactMessages are the messages the customer wrote.
	ContactMessages Author = "contact"
	// HumanAgentMessages are replies by human agents, and by agents whose
	// author ID is not a listed participant (their kind is unknown).
	HumanAgentMessages Author = "human_agent"
	// BotMessages are replies by participants of kind Bot.
	BotMessages Author = "bot"
	// SystemNotes are automatic notes (assignments, transfers, closing
	// notices).
	SystemNotes Author = "system"
)

// authorOrder is the canonical order of authors in configurations.
var authorOrder = []Author{ContactMessages, HumanAgentMessages, BotMessages, SystemNotes}

// defaultCounted is what a transcript length counts by default: the contact's messages and every
// agent reply, spaces included; no system notes.
var defaultCounted = []Author{ContactMessages, HumanAgentMessages, BotMessages}

// TranscriptOption changes what TranscriptLongerThan counts.
type TranscriptOption func(*transcriptLength)

// Counting sets which messages a transcript's length counts. Without it the
// contact's messages and every agent's replies (human and bot) count, and
// system notes do not.
func Counting(authors ...Author) TranscriptOption {
	return func(r *transcriptLength) {
		r.count = map[Author]bool{}
		for _, a := range authors {
			r.count[a] = true
		}
	}
}

// TranscriptLongerThan passes when the counted messages hold more than n
// characters together, spaces included ("más de 250 caracteres,
// incluyendo espacios y respuestas de los agentes"). Characters are Unicode
// code points (runes), not bytes; an invalid UTF-8 byte counts as one
// character. By default the contact's messages and the agents' replies (bots
// included) count and system notes do not; Counting changes that. Internal
// notes (Message.Internal) never count: the contact never saw them.
func TranscriptLongerThan(n int, opts ...TranscriptOption) survey.Rule {
	r := &transcriptLength{min: n}
	Counting(defaultCounted...)(r)
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	return r
}

type transcriptLength struct {
	min   int
	count map[Author]bool
}

func (r *transcriptLength) Name() string { return "transcript_longer_than" }

func (r *transcriptLength) Validate() error {
	if r.min < 0 {
		return invalid(r.Name(), "chars %d is negative", r.min)
	}
	if len(r.count) == 0 {
		return invalid(r.Name(), "counts no messages")
	}
	for a := range r.count {
		if !knownAuthor(a) {
			return invalid(r.Name(), "unknown message kind %q (want contact, human_agent, bot or system)", a)
		}
	}
	return nil
}

func knownAuthor(a Author) bool {
	for _, k := range authorOrder {
		if a == k {
			return true
		}
	}
	return false
}

func (r *transcriptLength) describe() string {
	return fmt.Sprintf("transcript longer than %d characters", r.min)
}

func (r *transcriptLength) counted() []Author {
	var out []Author
	for _, a := range authorOrder {
		if r.count[a] {
			out = append(out, a)
		}
	}
	return out
}

func (r *transcriptLength) config() (RuleConfig, error) {
	c := RuleConfig{Rule: r.Name(), Chars: r.min}
	got := r.counted()
	if !sameAuthors(got, defaultCounted) {
		c.Count = got
	}
	return c, nil
}

func sameAuthors(a, b []Author) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// countsMessage reports whether m is one of the counted kinds; internal
// notes never are.
func (r *transcriptLength) countsMessage(c *survey.Conversation, m *survey.Message) bool {
	if m.Internal {
		return false
	}
	switch m.From {
	case survey.FromContact:
		return r.count[ContactMessages]
	case survey.FromSystem:
		return r.count[SystemNotes]
	case survey.FromAgent:
		if p, ok := c.Participant(m.AuthorID); ok && p.Kind == survey.Bot {
			return r.count[BotMessages]
		}
		return r.count[HumanAgentMessages]
	}
	return false
}

func (r *transcriptLength) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	total := 0
	for i := range c.Messages {
		if m := &c.Messages[i]; r.countsMessage(c, m) {
			total += utf8.RuneCountInString(m.Text)
		}
	}
	if total > r.min {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeTranscriptShort, Rule: r.Name(),
		Reason: fmt.Sprintf("transcript has %d characters, needs more than %d", total, r.min),
	}}, nil
}

// ClosedWithin passes when the conversation closed at most d after the
// contact's last message (within 24 hours); exactly d passes. A
// conversation in which the contact never wrote fails. A zero ClosedAt
// means the conversation closes now (Input.Now).
func ClosedWithin(d time.Duration) survey.Rule { return closedWithin{d} }

type closedWithin struct{ max time.Duration }

func (r closedWithin) Name() string { return "closed_within" }

func (r closedWithin) Validate() error {
	if r.max < 0 {
		return invalid(r.Name(), "within %v is negative", r.max)
	}
	return nil
}

func (r closedWithin) describe() string {
	return fmt.Sprintf("closed within %v of the contact's last message", r.max)
}

func (r closedWithin) config() (RuleConfig, error) {
	return RuleConfig{Rule: r.Name(), Within: Duration(r.max)}, nil
}

func (r closedWithin) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	var last time.Time
	for _, m := range c.Messages {
		if m.From == survey.FromContact && m.SentAt.After(last) {
			last = m.SentAt
		}
	}
	if last.IsZero() {
		return []survey.Failure{{Code: CodeNoContactMessage, Rule: r.Name(), Reason: "the contact never wrote"}}, nil
	}
	closed := c.ClosedAt
	if closed.IsZero() {
		closed = in.Now
	}
	if gap := closed.Sub(last); gap > r.max {
		return []survey.Failure{{
			Code: CodeClosedTooLate, Rule: r.Name(),
			Reason: fmt.Sprintf("closed %v after the contact's last message, must be within %v", gap.Round(time.Second), r.max),
		}}, nil
	}
	return nil, nil
}

// AnsweredLongAndRecent returns the rules of a typical chat survey:
// answered by an agent (human or bot),
// a transcript longer than 250 characters, closed within 24 hours of the
// contact's last message. As configuration:
//
//	{"rules": [
//	  {"rule": "answered_by_agent"},
//	  {"rule": "transcript_longer_than", "chars": 250},
//	  {"rule": "closed_within", "within": "1d"}
//	]}
func AnsweredLongAndRecent() []survey.Rule {
	return []survey.Rule{
		AnsweredByAgent(HumanOrVirtual),
		TranscriptLongerThan(250),
		ClosedWithin(24 * time.Hour),
	}
}
