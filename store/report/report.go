// Package report computes a survey's report (overall, per agent, per
// group) from any survey.Store's responses. Build does it in Go over the
// Responses iterator, holding one response at a time; Aggregate lets a
// store that can do it in its database (store/postgres, with GROUP BY) do
// it there.
package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// Aggregator is a store that computes reports in its database. The numbers
// must equal Build's on the same data.
type Aggregator interface {
	Report(ctx context.Context, tenantID string, f survey.ResponseFilter, scale *scoring.Scale) (*survey.Report, error)
}

// Build aggregates the tenant's responses that match f on scale, in Go:
// each response once overall, once per agent and once per group (seed 000,
// as survey.AddToReport). Limit and the After fields of f are ignored: a
// report covers every matching response. Scores outside scale are not
// counted.
func Build(ctx context.Context, st survey.Store, tenantID string, f survey.ResponseFilter, scale *scoring.Scale) (*survey.Report, error) {
	if st == nil || scale == nil {
		return nil, errors.New("surveyflow/report: a store and a scale are required")
	}
	f.Limit, f.AfterID, f.AfterRatedAt = 0, "", time.Time{}
	r := &survey.Report{Overall: scoring.NewSummary(scale), ByAgent: scoring.NewTable(scale), ByGroup: scoring.NewTable(scale)}
	for s, err := range st.Responses(ctx, tenantID, f) {
		if err != nil {
			return nil, fmt.Errorf("surveyflow/report: %w", err)
		}
		survey.AddToReport(r, s)
	}
	return r, nil
}

// Aggregate is Build done by the store itself when it is an Aggregator,
// and by Build otherwise.
func Aggregate(ctx context.Context, st survey.Store, tenantID string, f survey.ResponseFilter, scale *scoring.Scale) (*survey.Report, error) {
	if a, ok := st.(Aggregator); ok && scale != nil {
		f.Limit, f.AfterID, f.AfterRatedAt = 0, "", time.Time{}
		return a.Report(ctx, tenantID, f, scale)
	}
	return Build(ctx, st, tenantID, f, scale)
}

// Diff lists the differences between two reports (counts, sums,
// satisfied counts and distributions, overall and per key); it is empty
// when they give the same numbers. Tests use it to check that a store's
// Report agrees with Build.
func Diff(a, b *survey.Report) []string {
	var out []string
	out = append(out, diffSummary("overall", a.Overall, b.Overall)...)
	out = append(out, diffTable("agent", a.ByAgent, b.ByAgent)...)
	out = append(out, diffTable("group", a.ByGroup, b.ByGroup)...)
	return out
}

func diffTable(name string, a, b *scoring.Table) []string {
	var out []string
	keys := map[string]bool{}
	for _, k := range a.Keys() {
		keys[k] = true
	}
	for _, k := range b.Keys() {
		keys[k] = true
	}
	for k := range keys {
		out = append(out, diffSummary(name+" "+k, a.Get(k), b.Get(k))...)
	}
	sort.Strings(out)
	return out
}

func diffSummary(name string, a, b *scoring.Summary) []string {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil || b == nil:
		return []string{fmt.Sprintf("%s: only in one report", name)}
	}
	var out []string
	if a.Count() != b.Count() || a.Sum() != b.Sum() || a.SatisfiedCount() != b.SatisfiedCount() {
		out = append(out, fmt.Sprintf("%s: count/sum/satisfied %d/%d/%d vs %d/%d/%d", name,
			a.Count(), a.Sum(), a.SatisfiedCount(), b.Count(), b.Sum(), b.SatisfiedCount()))
	}
	if da, db := a.Distribution(), b.Distribution(); !slices.Equal(da, db) {
		out = append(out, fmt.Sprintf("%s: distribution %v vs %v", name, da, db))
	}
	return out
}
