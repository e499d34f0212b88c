package eligibility

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/cases"
)

// Failure codes of the condition rules.
const (
	CodeFieldCondition = "field_condition_failed"
	CodeLabelCondition = "label_condition_failed"
	CodeChannel        = "channel_excluded"
)

// Op is a comparison of a Field or Labels condition. Comparisons are exact
// and case-sensitive, unless the rule is made with FieldIgnoringCase or
// LabelsIgnoringCase (Unicode case folding: "High" equals "high", "STRASSE"
// equals "straße").
type Op string

// The operators. Field accepts every operator; Labels accepts Contains,
// ContainsAny and NotContains.
const (
	// Equals: the field's value is the one value given.
	Equals Op = "equals"
	// NotEquals: the field's value is not the one value given.
	NotEquals Op = "not_equals"
	// In: the field's value is one of the values.
	In Op = "in"
	// NotIn: the field's value is none of the values.
	NotIn Op = "not_in"
	// Contains: the field's value contains every value as a substring; the
	// labels include every value as a whole label.
	Contains Op = "contains"
	// ContainsAny: the field's value contains at least one value as a
	// substring; the labels include at least one value.
	ContainsAny Op = "contains_any"
	// NotContains: the field's value contains none of the values; the labels
	// include none of the values.
	NotContains Op = "not_contains"
)

var fieldOps = []Op{Equals, NotEquals, In, NotIn, Contains, ContainsAny, NotContains}
var labelOps = []Op{Contains, ContainsAny, NotContains}

// Field passes when the conversation field name compares to values by op,
// e.g. Field("priority", In, "high", "medium"). A field the conversation
// does not have compares as the empty string. Equals and NotEquals take one
// value. No values at all is no condition, with every operator: the rule
// passes, as when an admin UI saves a condition whose list was left empty.
func Field(name string, op Op, values ...string) survey.Rule {
	return fieldCond{field: name, op: op, values: slices.Clone(values)}
}

// FieldIgnoringCase is Field comparing without regard to case.
func FieldIgnoringCase(name string, op Op, values ...string) survey.Rule {
	return fieldCond{field: name, op: op, values: slices.Clone(values), fold: true}
}

type fieldCond struct {
	field  string
	op     Op
	values []string
	fold   bool
}

// folder returns the comparison form of strings: themselves, or their case
// folding. A cases.Caser is not safe for concurrent use, so each Check
// makes its own.
func folder(fold bool) func(string) string {
	if !fold {
		return func(s string) string { return s }
	}
	c := cases.Fold()
	return func(s string) string { return c.String(s) }
}

func foldAll(norm func(string) string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = norm(v)
	}
	return out
}

func ignoringCase(fold bool) string {
	if fold {
		return " (ignoring case)"
	}
	return ""
}

func (r fieldCond) Name() string { return "field" }

func (r fieldCond) Validate() error {
	if r.field == "" {
		return invalid(r.Name(), "no field name")
	}
	return validateOp(r.Name(), r.op, fieldOps, r.values)
}

func validateOp(name string, op Op, allowed []Op, values []string) error {
	if !slices.Contains(allowed, op) {
		names := make([]string, len(allowed))
		for i, o := range allowed {
			names[i] = string(o)
		}
		return invalid(name, "op %q is not one of %s", op, strings.Join(names, ", "))
	}
	if (op == Equals || op == NotEquals) && len(values) > 1 {
		return invalid(name, "op %s takes exactly one value, got %d", op, len(values))
	}
	return nil
}

func (r fieldCond) describe() string { return r.describeOp() + ignoringCase(r.fold) }

func (r fieldCond) describeOp() string {
	if len(r.values) == 0 {
		return fmt.Sprintf("no values listed for field %q: any value", r.field)
	}
	switch r.op {
	case Equals:
		return fmt.Sprintf("field %q is %q", r.field, r.values[0])
	case NotEquals:
		return fmt.Sprintf("field %q is not %q", r.field, r.values[0])
	case In:
		return fmt.Sprintf("field %q is one of %s", r.field, quoted(r.values))
	case NotIn:
		return fmt.Sprintf("field %q is none of %s", r.field, quoted(r.values))
	case Contains:
		return fmt.Sprintf("field %q contains all of %s", r.field, quoted(r.values))
	case ContainsAny:
		return fmt.Sprintf("field %q contains any of %s", r.field, quoted(r.values))
	default:
		return fmt.Sprintf("field %q contains none of %s", r.field, quoted(r.values))
	}
}

func (r fieldCond) config() (RuleConfig, error) {
	return RuleConfig{Rule: r.Name(), Field: r.field, Op: r.op, Values: slices.Clone(r.values), IgnoreCase: r.fold}, nil
}

func (r fieldCond) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil || len(r.values) == 0 {
		return nil, err // no values listed: no condition
	}
	orig, set := c.Fields[r.field]
	norm := folder(r.fold)
	v, values := norm(orig), foldAll(norm, r.values)
	contained := func(s string) bool { return strings.Contains(v, s) }
	var ok bool
	var need string
	switch r.op {
	case Equals:
		ok, need = v == values[0], fmt.Sprintf("needs %q", r.values[0])
	case NotEquals:
		ok, need = v != values[0], fmt.Sprintf("must not be %q", r.values[0])
	case In:
		ok, need = slices.Contains(values, v), "needs one of "+quoted(r.values)
	case NotIn:
		ok, need = !slices.Contains(values, v), "must be none of "+quoted(r.values)
	case Contains:
		ok, need = all(values, contained), "must contain all of "+quoted(r.values)
	case ContainsAny:
		ok, need = slices.ContainsFunc(values, contained), "must contain one of "+quoted(r.values)
	case NotContains:
		ok, need = !slices.ContainsFunc(values, contained), "must contain none of "+quoted(r.values)
	}
	need += ignoringCase(r.fold)
	if ok {
		return nil, nil
	}
	is := fmt.Sprintf("is %q", clip(orig, 80))
	if !set {
		is = "is not set"
	}
	return []survey.Failure{{
		Code: CodeFieldCondition, Rule: r.Name(),
		Reason: fmt.Sprintf("field %q %s, %s", r.field, is, need),
	}}, nil
}

func all(values []string, f func(string) bool) bool {
	for _, v := range values {
		if !f(v) {
			return false
		}
	}
	return true
}

// Labels passes when the conversation's labels compare to values by op:
// Contains (has every value), ContainsAny (has at least one) or NotContains
// (has none), e.g. Labels(NotContains, "vip-escalation"). Labels match
// whole and case-sensitively: "vip" does not match "vip-escalation". No
// values at all is no condition, with every operator: the rule passes
// whatever labels the conversation has.
func Labels(op Op, values ...string) survey.Rule {
	return labelCond{op: op, values: slices.Clone(values)}
}

// LabelsIgnoringCase is Labels comparing whole labels without regard to
// case: "VIP-Escalation" is "vip-escalation", "vip" is still not.
func LabelsIgnoringCase(op Op, values ...string) survey.Rule {
	return labelCond{op: op, values: slices.Clone(values), fold: true}
}

type labelCond struct {
	op     Op
	values []string
	fold   bool
}

func (r labelCond) Name() string { return "labels" }

func (r labelCond) Validate() error { return validateOp(r.Name(), r.op, labelOps, r.values) }

func (r labelCond) describe() string { return r.describeOp() + ignoringCase(r.fold) }

func (r labelCond) describeOp() string {
	if len(r.values) == 0 {
		return "no labels listed: any labels"
	}
	switch r.op {
	case Contains:
		return "labels include all of " + quoted(r.values)
	case ContainsAny:
		return "labels include any of " + quoted(r.values)
	default:
		return "labels include none of " + quoted(r.values)
	}
}

func (r labelCond) config() (RuleConfig, error) {
	return RuleConfig{Rule: r.Name(), Op: r.op, Values: slices.Clone(r.values), IgnoreCase: r.fold}, nil
}

func (r labelCond) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil || len(r.values) == 0 {
		return nil, err // no labels listed: no condition
	}
	norm := folder(r.fold)
	labels := foldAll(norm, c.Labels)
	has := func(l string) bool { return slices.Contains(labels, norm(l)) }
	var bad []string // the values that make the condition fail
	var need string
	switch r.op {
	case Contains:
		for _, v := range r.values {
			if !has(v) {
				bad = append(bad, v)
			}
		}
		need = "lack " + quoted(bad) + ", need all of " + quoted(r.values)
	case ContainsAny:
		if !slices.ContainsFunc(r.values, has) {
			bad = r.values
		}
		need = "have none of " + quoted(r.values) + ", need at least one"
	case NotContains:
		for _, v := range r.values {
			if has(v) {
				bad = append(bad, v)
			}
		}
		need = "include " + quoted(bad) + ", must include none of " + quoted(r.values)
	}
	need += ignoringCase(r.fold)
	if len(bad) == 0 {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeLabelCondition, Rule: r.Name(),
		Reason: fmt.Sprintf("labels %s %s", quoted(c.Labels), need),
	}}, nil
}

// Channels passes when the conversation's channel is one of channels
// (exact, case-sensitive). It narrows a survey's channels within the
// survey; the on/off switch of a survey is survey.Definition.Disabled. No
// channels at all is no condition: the rule passes on any channel, as a
// survey's own empty channel list means every channel.
func Channels(channels ...string) survey.Rule { return channelRule{slices.Clone(channels)} }

type channelRule struct{ channels []string }

func (r channelRule) Name() string { return "channel" }

// Validate has nothing to refuse: any list of channels, even an empty one,
// makes a rule.
func (r channelRule) Validate() error { return nil }

func (r channelRule) describe() string {
	if len(r.channels) == 0 {
		return "no channels listed: any channel"
	}
	return "channel is one of " + quoted(r.channels)
}

func (r channelRule) config() (RuleConfig, error) {
	return RuleConfig{Rule: r.Name(), Channels: slices.Clone(r.channels)}, nil
}

func (r channelRule) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	if len(r.channels) == 0 || slices.Contains(r.channels, c.Channel) {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeChannel, Rule: r.Name(),
		Reason: fmt.Sprintf("channel %q is not one of %s", c.Channel, quoted(r.channels)),
	}}, nil
}
