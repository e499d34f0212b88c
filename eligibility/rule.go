package eligibility

import (
	"errors"
	"fmt"
	"strings"

	"github.com/surveyflow/surveyflow/survey"
)

// ErrInvalidRule wraps every problem with a rule's parameters (a negative
// period, a percentage above 100, a nil inner rule). Check returns it when a
// rule built in code is invalid; Build rejects such a configuration up
// front.
var ErrInvalidRule = errors.New("eligibility: invalid rule")

// ErrNoConversation is returned by Check when the input carries no
// conversation.
var ErrNoConversation = errors.New("eligibility: input has no conversation")

// rule is what every rule of this package implements besides survey.Rule.
type rule interface {
	survey.Rule
	// Validate reports invalid parameters, wrapping ErrInvalidRule.
	Validate() error
	// describe says, in a few words, what the rule requires (used by Not).
	describe() string
	// config returns the rule as configuration data.
	config() (RuleConfig, error)
}

func invalid(r string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidRule, r, fmt.Sprintf(format, args...))
}

// conversation returns the input's conversation or an error.
func conversation(in *survey.Input) (*survey.Conversation, error) {
	if in == nil || in.Conversation == nil {
		return nil, ErrNoConversation
	}
	return in.Conversation, nil
}

// describe returns a short description of any rule.
func describe(r survey.Rule) string {
	if d, ok := r.(rule); ok {
		return d.describe()
	}
	return "rule " + r.Name()
}

// Validator is a rule that can check its own parameters. Every rule of
// this package is one; a host's rule may be one too, and Validate (and
// Build, All, Any, Not, Named) then checks it as well.
type Validator interface {
	Validate() error
}

// validate checks any rule: rules that are Validators check their
// parameters, other rules only need to exist.
func validate(r survey.Rule) error {
	if r == nil {
		return fmt.Errorf("%w: nil rule", ErrInvalidRule)
	}
	if v, ok := r.(Validator); ok {
		return v.Validate()
	}
	return nil
}

// set formats values as {a, b, c}.
func set(values []string) string { return "{" + strings.Join(values, ", ") + "}" }

// quoted formats values as {"a", "b"}.
func quoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return set(q)
}

// clip shortens s to at most n characters for a reason sentence.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
