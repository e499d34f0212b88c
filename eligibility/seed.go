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
	// HumanOnly counts only replies by human agents (seed 001's "resolved
	// by human agents only").
	HumanOnly
)

// AnsweredByAgent passes when at least one agent of the allowed kinds wrote
// in the conversation (seed 000; seed 001 for the kinds).
func AnsweredByAgent(kinds AgentKinds) survey.Rule { return answeredByAgent{kinds} }

type answeredByAgent struct{ kinds AgentKinds }

func (r answeredByAgent) Name() string { return "answered_by_agent" }

func (r answeredByAgent) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	for _, m := range in.Conversation.Messages {
		if m.From != survey.FromAgent {
			continue
		}
		if r.kinds == HumanOnly {
			if p, ok := in.Conversation.Participant(m.AuthorID); !ok || p.Kind != survey.Human {
				continue
			}
		}
		return nil, nil
	}
	who := "an agent"
	if r.kinds == HumanOnly {
		who = "a human agent"
	}
	return []survey.Failure{{Code: CodeNotAnswered, Rule: r.Name(), Reason: "no reply from " + who}}, nil
}

// TranscriptLongerThan passes when the contact's and the agents' messages
// (bots included) hold more than n characters together, spaces included
// (seed 000: "más de 250 caracteres, incluyendo espacios y respuestas de los
// agentes"). Characters are Unicode code points, not bytes; system notes do
// not count.
func TranscriptLongerThan(n int) survey.Rule { return transcriptLength{n} }

type transcriptLength struct{ min int }

func (r transcriptLength) Name() string { return "transcript_length" }

func (r transcriptLength) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	total := 0
	for _, m := range in.Conversation.Messages {
		if m.From == survey.FromContact || m.From == survey.FromAgent {
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
// contact's last message (seed 000: within 24 hours). A conversation in
// which the contact never wrote fails.
func ClosedWithin(d time.Duration) survey.Rule { return closedWithin{d} }

type closedWithin struct{ max time.Duration }

func (r closedWithin) Name() string { return "closed_within" }

func (r closedWithin) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	var last time.Time
	for _, m := range in.Conversation.Messages {
		if m.From == survey.FromContact && m.SentAt.After(last) {
			last = m.SentAt
		}
	}
	if last.IsZero() {
		return []survey.Failure{{Code: CodeNoContactMessage, Rule: r.Name(), Reason: "the contact never wrote"}}, nil
	}
	closed := in.Conversation.ClosedAt
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

// Seed000 returns seed 000's rules: answered by an agent (human or bot),
// a transcript longer than 250 characters, closed within 24 hours of the
// contact's last message.
func Seed000() []survey.Rule {
	return []survey.Rule{
		AnsweredByAgent(HumanOrVirtual),
		TranscriptLongerThan(250),
		ClosedWithin(24 * time.Hour),
	}
}
