package report

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// Change is one row of a Comparison: how a key's CSAT % and NPS changed
// from the earlier report to the later one, each with its interval and
// whether the change is more than noise (scoring.Difference).
type Change struct {
	// Key is the agent, group or channel ID; empty for the overall row.
	Key string `json:"key"`
	// CSAT is the change of the CSAT % in percentage points (Newcombe's
	// hybrid score interval, scoring.SatisfiedDifference).
	CSAT scoring.Difference `json:"csat"`
	// NPS is the change of the NPS in points (the variance of the
	// difference of two independent NPS estimates,
	// scoring.NPSDifference).
	NPS scoring.Difference `json:"nps"`
}

// Comparison compares two reports on one scale — two periods, or two
// filters — overall and per agent, group and channel. A table's rows are
// the keys of either report, in key order; a key with no responses on
// one side is there with Comparable false.
type Comparison struct {
	// Level is the confidence level of every interval, e.g. 0.95.
	Level float64 `json:"level"`
	// Overall compares the reports' overall figures.
	Overall Change `json:"overall"`
	// ByAgent, ByGroup and ByChannel compare the tables both reports
	// have; nil when one of them lacks the table.
	ByAgent   []Change `json:"by_agent,omitempty"`
	ByGroup   []Change `json:"by_group,omitempty"`
	ByChannel []Change `json:"by_channel,omitempty"`
}

// CompareReports compares before and after, two reports on one scale
// (two periods, or two filters), at the confidence level (0 means
// scoring.DefaultLevel): overall, and per agent, group and channel where
// both reports have the table. The two sets of responses are taken as
// independent, which two periods or two disjoint filters are.
func CompareReports(before, after *Report, level float64) (*Comparison, error) {
	if before == nil || after == nil {
		return nil, fmt.Errorf("%w: a comparison needs two reports", ErrInvalid)
	}
	if level == 0 {
		level = scoring.DefaultLevel
	}
	c := &Comparison{Level: level}
	var err error
	if c.Overall, err = change("", before.Overall, after.Overall, level); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		out           *[]Change
		before, after *scoring.Table
	}{{&c.ByAgent, before.ByAgent, after.ByAgent}, {&c.ByGroup, before.ByGroup, after.ByGroup}, {&c.ByChannel, before.ByChannel, after.ByChannel}} {
		if t.before == nil || t.after == nil {
			continue
		}
		keys := slices.Compact(slices.Sorted(slices.Values(append(t.before.Keys(), t.after.Keys()...))))
		*t.out = make([]Change, 0, len(keys))
		for _, k := range keys {
			ch, err := change(k, orEmpty(t.before, k), orEmpty(t.after, k), level)
			if err != nil {
				return nil, err
			}
			*t.out = append(*t.out, ch)
		}
	}
	return c, nil
}

// Compare builds the report before and the report after describe (two
// periods, or two filters, on one scale) from src and compares them with
// CompareReports. Options that ask for no measures count ratings only and
// options that ask for no tables get agent, group and channel: a
// comparison reads nothing else.
func Compare(ctx context.Context, src Source, tenantID string, before, after Options, level float64) (*Comparison, error) {
	var reports [2]*Report
	for i, o := range []Options{before, after} {
		if o.Measures == 0 {
			o.Measures = MeasureRatings
		}
		if len(o.By) == 0 {
			o.By = []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel}
		}
		r, err := Build(ctx, src, tenantID, o)
		if err != nil {
			return nil, err
		}
		reports[i] = r
	}
	return CompareReports(reports[0], reports[1], level)
}

// PreviousPeriod returns the period of the same length that ends where
// [from, to) starts: what a dashboard compares a period with.
func PreviousPeriod(from, to time.Time) (time.Time, time.Time) {
	return from.Add(-to.Sub(from)), from
}

func change(key string, before, after *scoring.Summary, level float64) (Change, error) {
	csat, err := scoring.SatisfiedDifference(before, after, level)
	if err != nil {
		return Change{}, fmt.Errorf("surveyflow/report: compare %q: %w", key, err)
	}
	nps, err := scoring.NPSDifference(before, after, level)
	if err != nil {
		return Change{}, fmt.Errorf("surveyflow/report: compare %q: %w", key, err)
	}
	return Change{Key: key, CSAT: csat, NPS: nps}, nil
}

// orEmpty is t's row for key, or an empty summary when it has none.
func orEmpty(t *scoring.Table, key string) *scoring.Summary {
	if s := t.Get(key); s != nil {
		return s
	}
	return scoring.NewSummary(t.Scale())
}
