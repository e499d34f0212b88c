package eligibility

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Failure codes of the agent-effort rules.
const (
	CodeHandlingTooShort   = "handling_too_short"
	CodeTooFewAgentReplies = "too_few_agent_replies"
)

// MinHandlingTime passes when the agents of the given kinds handled the
// conversation for at least d (no survey after a very brief
// interaction). Handling time runs from the first reply by such an agent to
// the last message of the conversation written by the contact or by any
// agent (by SentAt, whatever the order of the messages); system notes,
// internal notes (Message.Internal) and the close itself do not extend it, so a
// conversation closed automatically a day later is not "long". A
// conversation with no reply by such an agent fails. Combine it with
// MinAgentReplies in All (both) or Any (either).
func MinHandlingTime(d time.Duration, kinds AgentKinds) survey.Rule {
	return minHandling{min: d, kinds: kinds}
}

type minHandling struct {
	min   time.Duration
	kinds AgentKinds
}

func (r minHandling) Name() string { return "min_handling_time" }

func (r minHandling) Validate() error {
	if r.min < 0 {
		return invalid(r.Name(), "duration %v is negative", r.min)
	}
	return r.kinds.validate(r.Name())
}

func (r minHandling) describe() string {
	return fmt.Sprintf("at least %v of handling by %s", r.min, r.kinds.who())
}

func (r minHandling) config() (RuleConfig, error) {
	c := r.kinds.config(r.Name())
	c.Duration = Duration(r.min)
	return c, nil
}

func (r minHandling) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	var first, last time.Time
	replied := false
	for i := range c.Messages {
		m := &c.Messages[i]
		if r.kinds.counts(c, m) && (!replied || m.SentAt.Before(first)) {
			first, replied = m.SentAt, true
		}
		if m.From != survey.FromSystem && !m.Internal && m.SentAt.After(last) {
			last = m.SentAt
		}
	}
	if !replied {
		return []survey.Failure{{
			Code: CodeHandlingTooShort, Rule: r.Name(),
			Reason: fmt.Sprintf("no reply from %s, needs at least %v of handling", r.kinds.who(), r.min),
		}}, nil
	}
	if handled := max(last.Sub(first), 0); handled < r.min {
		return []survey.Failure{{
			Code: CodeHandlingTooShort, Rule: r.Name(),
			Reason: fmt.Sprintf("%s handled the conversation for %v, needs at least %v", r.kinds.who(), handled.Round(time.Second), r.min),
		}}, nil
	}
	return nil, nil
}

// MinAgentReplies passes when agents of the given kinds wrote at least n
// replies (the minimum agent effort); internal notes are no replies.
func MinAgentReplies(n int, kinds AgentKinds) survey.Rule { return minReplies{min: n, kinds: kinds} }

type minReplies struct {
	min   int
	kinds AgentKinds
}

func (r minReplies) Name() string { return "min_agent_replies" }

func (r minReplies) Validate() error {
	if r.min < 0 {
		return invalid(r.Name(), "replies %d is negative", r.min)
	}
	return r.kinds.validate(r.Name())
}

func (r minReplies) describe() string {
	return fmt.Sprintf("at least %d replies by %s", r.min, r.kinds.who())
}

func (r minReplies) config() (RuleConfig, error) {
	c := r.kinds.config(r.Name())
	c.Replies = r.min
	return c, nil
}

func (r minReplies) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	n := 0
	for i := range c.Messages {
		if r.kinds.counts(c, &c.Messages[i]) {
			n++
		}
	}
	if n >= r.min {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeTooFewAgentReplies, Rule: r.Name(),
		Reason: fmt.Sprintf("%d replies from %s, needs at least %d", n, r.kinds.who(), r.min),
	}}, nil
}
