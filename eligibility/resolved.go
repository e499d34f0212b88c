package eligibility

import (
	"context"
	"fmt"

	"github.com/surveyflow/surveyflow/survey"
)

// CodeNotResolvedByAgent is the failure code of ResolvedBy.
const CodeNotResolvedByAgent = "not_resolved_by_agent"

// ResolvedBy passes when the conversation was resolved by an agent of the
// allowed kinds: with HumanOnly, only a conversation a human agent
// resolved is surveyed; with HumanOrVirtual, one a bot resolved is too.
// The resolver is Conversation.ResolvedBy, a listed participant; when the
// host leaves it empty, the author of the last agent reply stands in for
// it (an internal note is no reply). A conversation nobody resolved that
// way fails.
func ResolvedBy(kinds AgentKinds) survey.Rule { return resolvedBy{kinds} }

type resolvedBy struct{ kinds AgentKinds }

func (r resolvedBy) Name() string { return "resolved_by" }

func (r resolvedBy) Validate() error { return r.kinds.validate(r.Name()) }

func (r resolvedBy) describe() string { return "resolved by " + r.kinds.who() }

func (r resolvedBy) config() (RuleConfig, error) { return r.kinds.config(r.Name()), nil }

func (r resolvedBy) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	resolver := c.ResolvedBy
	if resolver == "" {
		for i := len(c.Messages) - 1; i >= 0; i-- {
			if c.Messages[i].Reply() {
				resolver = c.Messages[i].AuthorID
				break
			}
		}
	}
	p, known := c.Participant(resolver)
	switch {
	case resolver == "":
		return r.fail("nobody is named as its resolver and no agent replied"), nil
	case !known:
		return r.fail(fmt.Sprintf("its resolver %q is not a participant", resolver)), nil
	case r.kinds == HumanOnly && p.Kind != survey.Human:
		return r.fail(fmt.Sprintf("it was resolved by %s, a %s", p.ID, p.Kind)), nil
	}
	return nil, nil
}

func (r resolvedBy) fail(why string) []survey.Failure {
	return []survey.Failure{{Code: CodeNotResolvedByAgent, Rule: r.Name(), Reason: "not resolved by " + r.kinds.who() + ": " + why}}
}
