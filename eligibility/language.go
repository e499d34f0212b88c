package eligibility

import (
	"context"
	"fmt"
	"strings"

	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// Failure codes of InContactLanguage.
const (
	CodeLanguageUnavailable = "language_unavailable"
	CodeLanguageMatchWeak   = "language_match_too_weak"
)

// LanguageOption changes how InContactLanguage decides.
type LanguageOption func(*inLanguage)

// MinConfidence sets how sure the language match must be: language.Low
// (the default) accepts any match the catalog makes, for example a contact
// reading Serbian in Latin script and a survey in Serbian (Cyrillic);
// language.High needs the same language in a close variant (es-AR or de-CH
// for a survey in es or de); language.Exact needs the language the contact
// asked for (es for es, and pt for pt-BR, Brazilian being Portuguese's
// default).
func MinConfidence(c language.Confidence) LanguageOption {
	return func(r *inLanguage) { r.min = c }
}

// InContactLanguage passes only when the survey exists in the contact's
// language, rather than falling back to the survey's default
// language. It reads Input.LanguageMatched, which the engine sets from the
// i18n catalog (Catalog.Available: the contact's own base language has
// texts); a contact with no language set never matches.
//
// With a MinConfidence above language.Low the rule also needs the engine's
// grade of the match, Input.LanguageConfidence (for an Input built by hand
// without it, the rule grades the contact's preferences against
// Input.Language with golang.org/x/text/language's matcher).
func InContactLanguage(opts ...LanguageOption) survey.Rule {
	r := &inLanguage{min: language.Low}
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	return r
}

type inLanguage struct{ min language.Confidence }

func (r *inLanguage) Name() string { return "in_contact_language" }

func (r *inLanguage) Validate() error {
	if r.min < language.Low || r.min > language.Exact {
		return invalid(r.Name(), "minimum confidence %v is not one of low, high, exact", r.min)
	}
	return nil
}

func (r *inLanguage) describe() string {
	if r.min == language.Low {
		return "survey available in the contact's language"
	}
	return fmt.Sprintf("survey available in the contact's language with %s confidence", confidenceName(r.min))
}

func (r *inLanguage) config() (RuleConfig, error) {
	c := RuleConfig{Rule: r.Name()}
	if r.min != language.Low {
		c.MinConfidence = confidenceName(r.min)
	}
	return c, nil
}

func confidenceName(c language.Confidence) string { return strings.ToLower(c.String()) }

func parseConfidence(s string) (language.Confidence, error) {
	switch s {
	case "", "low":
		return language.Low, nil
	case "high":
		return language.High, nil
	case "exact":
		return language.Exact, nil
	}
	return 0, fmt.Errorf("min_confidence %q is not one of low, high, exact", s)
}

func (r *inLanguage) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	want := c.Contact.Language
	if !in.LanguageMatched {
		reason := fmt.Sprintf("the survey has no text in the contact's language %q (it would fall back to %s)", clip(want, 60), in.Language)
		if strings.TrimSpace(want) == "" {
			reason = "the contact's language is unknown"
		}
		return []survey.Failure{{Code: CodeLanguageUnavailable, Rule: r.Name(), Reason: reason}}, nil
	}
	if r.min == language.Low {
		return nil, nil
	}
	conf := in.LanguageConfidence
	if conf == language.No { // an Input built without the engine's grade
		conf = matchConfidence(want, in.Language)
	}
	if conf < r.min {
		return []survey.Failure{{
			Code: CodeLanguageMatchWeak, Rule: r.Name(),
			Reason: fmt.Sprintf("the contact's language %q matches the survey's %s with %s confidence, needs %s",
				clip(want, 60), in.Language, confidenceName(conf), confidenceName(r.min)),
		}}, nil
	}
	return nil, nil
}

// matchConfidence grades how well the survey language serves the contact's
// preferences; it is at least Low, since the engine found a match.
func matchConfidence(preferred, surveyLang string) language.Confidence {
	tag, err := language.Parse(surveyLang)
	if err != nil {
		return language.Low
	}
	prefs, _, err := language.ParseAcceptLanguage(preferred)
	if err != nil || len(prefs) == 0 {
		return language.Low
	}
	_, _, conf := language.NewMatcher([]language.Tag{tag}).Match(prefs...)
	return max(conf, language.Low)
}
