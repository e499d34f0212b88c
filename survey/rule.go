package survey

import (
	"context"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Input is what a Rule decides on.
type Input struct {
	// Conversation is the conversation that closed.
	Conversation *Conversation
	// SurveyID names the survey being considered.
	SurveyID string
	// Now is the engine clock's time.
	Now time.Time
	// Language is the survey language chosen for the contact.
	Language string
	// LanguageMatched reports whether the survey has texts in the
	// contact's own language (i18n.Catalog.Available), rather than falling
	// back to a related or default language.
	LanguageMatched bool
	// LanguageConfidence is how well Language matches the contact's
	// preference (language.No when the survey falls back to its default).
	LanguageConfidence language.Confidence
	// History returns the contact's sessions created at or after since,
	// newest first (for frequency caps).
	History func(ctx context.Context, since time.Time) ([]*Session, error)
}

// Failure is one reason a conversation is not surveyed.
type Failure struct {
	// Code is stable and machine-readable, e.g. "transcript_too_short".
	Code string `json:"code"`
	// Rule is the name of the rule that failed.
	Rule string `json:"rule"`
	// Reason is a sentence with the numbers, for a support lead.
	Reason string `json:"reason"`
}

// Rule decides one condition of eligibility. It returns every failure it
// finds (none means it passes). Rules must not change the input.
type Rule interface {
	Name() string
	Check(ctx context.Context, in *Input) ([]Failure, error)
}

// Decision is the outcome of the eligibility rules.
type Decision struct {
	// Eligible is true when no rule failed.
	Eligible bool `json:"eligible"`
	// Failures lists every failing rule, not only the first.
	Failures []Failure `json:"failures"`
}

// String lists the failures' reasons.
func (d Decision) String() string {
	if d.Eligible {
		return "eligible"
	}
	reasons := make([]string, len(d.Failures))
	for i, f := range d.Failures {
		reasons[i] = f.Reason
	}
	return "not eligible: " + strings.Join(reasons, "; ")
}

// Evaluate runs every rule and collects all failures.
func Evaluate(ctx context.Context, rules []Rule, in *Input) (Decision, error) {
	var d Decision
	for _, r := range rules {
		f, err := r.Check(ctx, in)
		if err != nil {
			return Decision{}, err
		}
		d.Failures = append(d.Failures, f...)
	}
	d.Eligible = len(d.Failures) == 0
	return d, nil
}
