package report

import (
	"fmt"
	"slices"
	"sort"

	"github.com/surveyflow/surveyflow/scoring"
)

// Line is one row of a report table with all its figures.
type Line struct {
	// Key is the agent, group, channel, survey or reason ID, or the period
	// key.
	Key string `json:"key"`
	scoring.Figures
}

// Lines returns the rows of t (a table of r) in key order, each with its
// confidence intervals at level (0 means scoring.DefaultLevel) and the
// too-few flag below minResponses (0 means scoring.DefaultMinResponses).
// A nil table has no lines.
func Lines(t *scoring.Table, level float64, minResponses int64) ([]Line, error) {
	if t == nil {
		return nil, nil
	}
	if level == 0 {
		level = scoring.DefaultLevel
	}
	out := make([]Line, 0, t.Len())
	for _, k := range t.Keys() {
		f, err := t.Get(k).Figures(level, minResponses)
		if err != nil {
			return nil, fmt.Errorf("surveyflow/report: %w", err)
		}
		out = append(out, Line{Key: k, Figures: f})
	}
	return out, nil
}

// Diff lists the differences between two reports (counts, sums,
// distributions, surveys sent, times to rate and reminders, overall and per key of
// every table); it is empty when they give the same figures.
func Diff(a, b *Report) []string {
	out := diffSummary("overall", a.Overall, b.Overall)
	out = append(out, diffTable("agent", a.ByAgent, b.ByAgent)...)
	out = append(out, diffTable("group", a.ByGroup, b.ByGroup)...)
	out = append(out, diffTable("channel", a.ByChannel, b.ByChannel)...)
	out = append(out, diffTable("survey", a.BySurvey, b.BySurvey)...)
	out = append(out, diffTable("reason", a.ByReason, b.ByReason)...)
	out = append(out, diffTable("period", a.ByPeriod, b.ByPeriod)...)
	return out
}

func diffTable(name string, a, b *scoring.Table) []string {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil:
		return []string{name + ": table in one report only"}
	}
	var out []string
	keys := append(a.Keys(), b.Keys()...)
	sort.Strings(keys)
	for _, k := range slices.Compact(keys) {
		out = append(out, diffSummary(name+" "+k, a.Get(k), b.Get(k))...)
	}
	return out
}

func diffSummary(name string, a, b *scoring.Summary) []string {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil:
		return []string{name + ": only in one report"}
	}
	var out []string
	if a.Count() != b.Count() || a.Sum() != b.Sum() || a.Sent() != b.Sent() {
		out = append(out, fmt.Sprintf("%s: count/sum/sent %d/%d/%d vs %d/%d/%d", name,
			a.Count(), a.Sum(), a.Sent(), b.Count(), b.Sum(), b.Sent()))
	}
	if da, db := a.Distribution(), b.Distribution(); !slices.Equal(da, db) {
		out = append(out, fmt.Sprintf("%s: distribution %v vs %v", name, da, db))
	}
	if a.Reminded() != b.Reminded() || a.AfterReminder() != b.AfterReminder() {
		out = append(out, fmt.Sprintf("%s: reminded/after a reminder %d/%d vs %d/%d", name,
			a.Reminded(), a.AfterReminder(), b.Reminded(), b.AfterReminder()))
	}
	if ra, rb := a.ResponseTimes(), b.ResponseTimes(); ra != rb {
		out = append(out, fmt.Sprintf("%s: times to rate %+v vs %+v", name, ra, rb))
	}
	return out
}
