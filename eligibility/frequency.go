package eligibility

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// CodeFrequencyCapped is the failure code of FrequencyCap.
const CodeFrequencyCapped = "frequency_capped"

// MaxSendDelay is how long before it was sent a survey may have been
// created (a survey's send delay) and still be counted by FrequencyCap.
const MaxSendDelay = 30 * 24 * time.Hour

// ErrNoHistory is returned by FrequencyCap when the input has no History
// function to read the contact's past surveys from.
var ErrNoHistory = errors.New("eligibility: input has no contact history")

// CapScope says which past surveys a frequency cap counts.
type CapScope int

const (
	// SameSurvey counts only earlier sends of the survey being considered
	// ("not the same survey more than once").
	SameSurvey CapScope = iota
	// AnySurvey counts every survey sent to the contact.
	AnySurvey
)

// String returns the configuration name of s: "same_survey" or
// "any_survey".
func (s CapScope) String() string {
	switch s {
	case SameSurvey:
		return "same_survey"
	case AnySurvey:
		return "any_survey"
	}
	return fmt.Sprintf("CapScope(%d)", int(s))
}

func parseCapScope(s string) (CapScope, error) {
	switch s {
	case "", "same_survey":
		return SameSurvey, nil
	case "any_survey":
		return AnySurvey, nil
	}
	return 0, fmt.Errorf("scope %q is not one of same_survey, any_survey", s)
}

// FrequencyCap passes when the contact was sent no survey of the scope in
// the last period: a survey sent at Now − period or earlier no longer
// counts, one sent later does. What counts is what was sent (a session's
// SentAt), whatever became of it afterwards (answered, expired,
// cancelled); a delayed survey called off before it went out does not
// count, and the period runs from the send, not from the close. The rule
// reads the contact's sessions through Input.History, which the engine
// fills from its store, from MaxSendDelay before the period on.
func FrequencyCap(period time.Duration, scope CapScope) survey.Rule {
	return frequencyCap{period: period, scope: scope}
}

type frequencyCap struct {
	period time.Duration
	scope  CapScope
}

func (r frequencyCap) Name() string { return "frequency_cap" }

func (r frequencyCap) Validate() error {
	if r.period <= 0 {
		return invalid(r.Name(), "period %v is not positive", r.period)
	}
	if r.scope != SameSurvey && r.scope != AnySurvey {
		return invalid(r.Name(), "unknown scope %d", int(r.scope))
	}
	return nil
}

func (r frequencyCap) describe() string {
	if r.scope == AnySurvey {
		return fmt.Sprintf("no survey sent to the contact in the last %v", r.period)
	}
	return fmt.Sprintf("this survey not sent to the contact in the last %v", r.period)
}

func (r frequencyCap) config() (RuleConfig, error) {
	c := RuleConfig{Rule: r.Name(), Period: Duration(r.period)}
	if r.scope != SameSurvey {
		c.Scope = r.scope.String()
	}
	return c, nil
}

func (r frequencyCap) Check(ctx context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if _, err := conversation(in); err != nil {
		return nil, err
	}
	if in.History == nil {
		return nil, ErrNoHistory
	}
	since := in.Now.Add(-r.period)
	sessions, err := in.History(ctx, since.Add(-MaxSendDelay))
	if err != nil {
		return nil, fmt.Errorf("eligibility: frequency cap: reading the contact's history: %w", err)
	}
	var latest *survey.Session
	for _, s := range sessions {
		if s == nil || !s.SentAt.After(since) {
			continue // not sent (yet, or ever), or sent before the period
		}
		if r.scope == SameSurvey && s.SurveyID != in.SurveyID {
			continue
		}
		if latest == nil || s.SentAt.After(latest.SentAt) {
			latest = s
		}
	}
	if latest == nil {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeFrequencyCapped, Rule: r.Name(),
		Reason: fmt.Sprintf("contact got survey %q %v ago, at most one %s per %v",
			latest.SurveyID, in.Now.Sub(latest.SentAt).Round(time.Second), r.noun(), r.period),
	}}, nil
}

func (r frequencyCap) noun() string {
	if r.scope == AnySurvey {
		return "survey"
	}
	return "send of this survey"
}
