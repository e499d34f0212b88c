package eligibility

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/surveyflow/surveyflow/survey"
)

// Failure codes of the combinators.
const (
	CodeNoAlternative = "no_alternative_passed"
	CodeNegated       = "negated_rule_passed"
)

// ErrNotConfigurable is returned by ConfigOf for a rule that cannot be
// written as configuration: a Func rule (host code) or a rule from outside
// this package.
var ErrNotConfigurable = errors.New("eligibility: rule cannot be written as configuration")

// All passes when every rule passes and returns every failure of every rule,
// like survey.Evaluate. All with no rules passes.
func All(rules ...survey.Rule) survey.Rule { return allRule{rules} }

type allRule struct{ rules []survey.Rule }

func (r allRule) Name() string { return "all" }

func (r allRule) Validate() error { return validateEach(r.Name(), r.rules) }

func validateEach(name string, rules []survey.Rule) error {
	for i, in := range rules {
		if err := validate(in); err != nil {
			return fmt.Errorf("%s: rules[%d]: %w", name, i, err)
		}
	}
	return nil
}

func (r allRule) describe() string {
	if len(r.rules) == 0 {
		return "no rules listed: anything passes"
	}
	return "all of (" + describeEach(r.rules) + ")"
}

func describeEach(rules []survey.Rule) string {
	d := make([]string, len(rules))
	for i, in := range rules {
		d[i] = describe(in)
	}
	return strings.Join(d, "; ")
}

func (r allRule) config() (RuleConfig, error) {
	c, err := configEach(r.rules)
	return RuleConfig{Rule: r.Name(), Rules: c}, err
}

func configEach(rules []survey.Rule) ([]RuleConfig, error) {
	out := make([]RuleConfig, len(rules))
	for i, in := range rules {
		c, err := configOf(in)
		if err != nil {
			return nil, fmt.Errorf("rules[%d]: %w", i, err)
		}
		out[i] = c
	}
	return out, nil
}

func (r allRule) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out []survey.Failure
	for _, inner := range r.rules {
		f, err := inner.Check(ctx, in)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	return out, nil
}

// Any passes when at least one rule passes. When none does it returns one
// failure, CodeNoAlternative, whose sentence gives every alternative's
// reasons. Any with no rules passes, like All: an empty group is no
// condition, as when an admin UI saves a group it left empty.
func Any(rules ...survey.Rule) survey.Rule { return anyRule{rules} }

type anyRule struct{ rules []survey.Rule }

func (r anyRule) Name() string { return "any" }

func (r anyRule) Validate() error { return validateEach(r.Name(), r.rules) }

func (r anyRule) describe() string {
	if len(r.rules) == 0 {
		return "no rules listed: anything passes"
	}
	return "any of (" + describeEach(r.rules) + ")"
}

func (r anyRule) config() (RuleConfig, error) {
	c, err := configEach(r.rules)
	return RuleConfig{Rule: r.Name(), Rules: c}, err
}

func (r anyRule) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil || len(r.rules) == 0 {
		return nil, err // no rules listed: no condition
	}
	alternatives := make([]string, 0, len(r.rules))
	for _, inner := range r.rules {
		f, err := inner.Check(ctx, in)
		if err != nil {
			return nil, err
		}
		if len(f) == 0 {
			return nil, nil
		}
		reasons := make([]string, len(f))
		for j, x := range f {
			reasons[j] = x.Reason
		}
		alternatives = append(alternatives, strings.Join(reasons, " and "))
	}
	return []survey.Failure{{
		Code: CodeNoAlternative, Rule: r.Name(),
		Reason: "none of the alternatives passed: " + strings.Join(alternatives, "; or "),
	}}, nil
}

// Not passes when rule fails, and fails (CodeNegated) when it passes, e.g.
// Not(Channels("email")).
func Not(rule survey.Rule) survey.Rule { return notRule{rule} }

type notRule struct{ inner survey.Rule }

func (r notRule) Name() string { return "not" }

func (r notRule) Validate() error {
	if err := validate(r.inner); err != nil {
		return fmt.Errorf("%s: %w", r.Name(), err)
	}
	return nil
}

func (r notRule) describe() string { return "not (" + describe(r.inner) + ")" }

func (r notRule) config() (RuleConfig, error) {
	c, err := configOf(r.inner)
	if err != nil {
		return RuleConfig{}, fmt.Errorf("of: %w", err)
	}
	return RuleConfig{Rule: r.Name(), Of: &c}, nil
}

func (r notRule) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	f, err := r.inner.Check(ctx, in)
	if err != nil || len(f) > 0 {
		return nil, err
	}
	return []survey.Failure{{
		Code: CodeNegated, Rule: r.Name(),
		Reason: "must not hold, but does: " + describe(r.inner),
	}}, nil
}

// Func makes a rule of a host function, for needs no rule here covers.
// Failures the function returns without a Rule get name; without a Code
// they get name too. A Func rule cannot be written as configuration
// (ConfigOf returns ErrNotConfigurable): keep it in the host and append it
// to the rules Build returns.
func Func(name string, check func(ctx context.Context, in *survey.Input) ([]survey.Failure, error)) survey.Rule {
	return funcRule{name, check}
}

type funcRule struct {
	name  string
	check func(context.Context, *survey.Input) ([]survey.Failure, error)
}

func (r funcRule) Name() string { return r.name }

func (r funcRule) Validate() error {
	if r.name == "" {
		return invalid("func", "no name")
	}
	if r.check == nil {
		return invalid(r.name, "nil function")
	}
	return nil
}

func (r funcRule) describe() string { return "rule " + r.name }

func (r funcRule) config() (RuleConfig, error) {
	return RuleConfig{}, fmt.Errorf("%w: %q is a Func rule (host code); keep it in the host and append it to the rules Build returns", ErrNotConfigurable, r.name)
}

func (r funcRule) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	got, err := r.check(ctx, in)
	if err != nil {
		return nil, err
	}
	f := slices.Clone(got) // the host's slice may be shared: fill in a copy
	for i := range f {
		if f[i].Rule == "" {
			f[i].Rule = r.name
		}
		if f[i].Code == "" {
			f[i].Code = r.name
		}
	}
	return f, nil
}

// Named gives rule a name of the host's choosing (say, "exclude-vip"): its
// failures carry that name as their Rule, and its configuration carries it
// as "name".
func Named(name string, rule survey.Rule) survey.Rule { return namedRule{name, rule} }

type namedRule struct {
	name  string
	inner survey.Rule
}

func (r namedRule) Name() string { return r.name }

func (r namedRule) Validate() error {
	if r.name == "" {
		return invalid("named", "empty name")
	}
	if err := validate(r.inner); err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	return nil
}

func (r namedRule) describe() string { return describe(r.inner) }

func (r namedRule) config() (RuleConfig, error) {
	c, err := configOf(r.inner)
	if err != nil {
		return RuleConfig{}, err
	}
	c.Name = r.name
	return c, nil
}

func (r namedRule) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	got, err := r.inner.Check(ctx, in)
	if err != nil {
		return nil, err
	}
	f := slices.Clone(got)
	for i := range f {
		f[i].Rule = r.name
	}
	return f, nil
}

// configOf returns any rule's configuration.
func configOf(r survey.Rule) (RuleConfig, error) {
	if r == nil {
		return RuleConfig{}, fmt.Errorf("%w: nil rule", ErrNotConfigurable)
	}
	c, ok := r.(rule)
	if !ok {
		return RuleConfig{}, fmt.Errorf("%w: rule %q (%T) is not from package eligibility", ErrNotConfigurable, r.Name(), r)
	}
	return c.config()
}

// Validate checks rules built in code, for a host to call at start-up: a
// nil rule or invalid parameters (a percentage above 100, a negative
// period, an operator a rule does not take) anywhere in a tree of rules is
// an error wrapping ErrInvalidRule. Such a rule would otherwise return the
// same error from Check on the first conversation it sees. Rules from other
// packages are checked for nil, and with their own Validate method when
// they are Validators.
func Validate(rules ...survey.Rule) error {
	for i, r := range rules {
		if err := validate(r); err != nil {
			return fmt.Errorf("rules[%d]: %w", i, err)
		}
	}
	return nil
}
