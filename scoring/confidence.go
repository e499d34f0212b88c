package scoring

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// ErrInvalidLevel is returned for a confidence level outside (0, 1).
var ErrInvalidLevel = errors.New("scoring: confidence level must be between 0 and 1")

// DefaultLevel is the confidence level used when none is given: 95 %.
const DefaultLevel = 0.95

// DefaultMinResponses is the sample size below which a figure is flagged
// [Interval.TooFew] when no other minimum is given.
const DefaultMinResponses = 30

// Interval is a point estimate with a confidence interval, in the unit of
// the figure (percent for CSAT %, points from −100 to 100 for NPS).
type Interval struct {
	// Estimate is the figure itself (CSAT % or NPS).
	Estimate float64 `json:"estimate"`
	// Lower and Upper bound the figure at the confidence Level.
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	// Level is the confidence level, e.g. 0.95.
	Level float64 `json:"level"`
	// N is the number of responses the figure rests on.
	N int64 `json:"n"`
	// TooFew is set when N is below the minimum sample asked for: the
	// figure is shown but should not be ranked on.
	TooFew bool `json:"too_few"`
}

// String shows the interval, e.g. "40.0 (95% CI 25.4–56.6, n=30)".
func (iv Interval) String() string {
	s := fmt.Sprintf("%.1f (%g%% CI %.1f–%.1f, n=%d)", iv.Estimate, iv.Level*100, iv.Lower, iv.Upper, iv.N)
	if iv.TooFew {
		s += " too few responses"
	}
	return s
}

// zScore returns the two-sided standard normal quantile for level.
func zScore(level float64) (float64, error) {
	if !(level > 0 && level < 1) {
		return 0, fmt.Errorf("%w: got %v", ErrInvalidLevel, level)
	}
	return math.Sqrt2 * math.Erfinv(level), nil
}

// SatisfiedInterval returns the CSAT % with its Wilson score interval at the
// given confidence level (0 < level < 1). TooFew is set when there are
// fewer than DefaultMinResponses responses; use [Summary.SatisfiedIntervalMin]
// to choose the minimum. With no responses the interval is 0–100.
func (s *Summary) SatisfiedInterval(level float64) (Interval, error) {
	return s.SatisfiedIntervalMin(level, DefaultMinResponses)
}

// SatisfiedIntervalMin is [Summary.SatisfiedInterval] with a chosen minimum
// sample size.
func (s *Summary) SatisfiedIntervalMin(level float64, minResponses int64) (Interval, error) {
	z, err := zScore(level)
	if err != nil {
		return Interval{}, err
	}
	lo, hi := wilson(s.SatisfiedCount(), s.count, z)
	return Interval{
		Estimate: s.SatisfiedPercent(),
		Lower:    lo * 100, Upper: hi * 100,
		Level: level, N: s.count, TooFew: s.count < minResponses,
	}, nil
}

// wilson returns the Wilson score interval for k successes in n trials.
func wilson(k, n int64, z float64) (float64, float64) {
	if n == 0 {
		return 0, 1
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return clamp(center-half, 0, 1), clamp(center+half, 0, 1)
}

// NPSInterval returns the NPS with an adjusted-Wald interval at the given
// confidence level: 3 is added to n and ¾ to the promoters and to the
// detractors before the Wald interval of their difference is taken (Sauro
// & Lewis). TooFew is set below DefaultMinResponses responses; use
// [Summary.NPSIntervalMin] to choose the minimum.
func (s *Summary) NPSInterval(level float64) (Interval, error) {
	return s.NPSIntervalMin(level, DefaultMinResponses)
}

// NPSIntervalMin is [Summary.NPSInterval] with a chosen minimum sample size.
func (s *Summary) NPSIntervalMin(level float64, minResponses int64) (Interval, error) {
	z, err := zScore(level)
	if err != nil {
		return Interval{}, err
	}
	lo, hi := adjustedWaldNPS(s.Promoters(), s.Detractors(), s.count, z)
	return Interval{
		Estimate: s.NPS(),
		Lower:    lo * 100, Upper: hi * 100,
		Level: level, N: s.count, TooFew: s.count < minResponses,
	}, nil
}

func adjustedWaldNPS(pro, det, n int64, z float64) (float64, float64) {
	na := float64(n) + 3
	pp := (float64(pro) + 0.75) / na
	pd := (float64(det) + 0.75) / na
	d := pp - pd
	variance := (pp + pd - d*d) / na
	moe := z * math.Sqrt(variance)
	return clamp(d-moe, -1, 1), clamp(d+moe, -1, 1)
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// Metric names the figure a table is ranked on.
type Metric int

const (
	// MetricCSAT ranks on the CSAT % (Wilson interval).
	MetricCSAT Metric = iota
	// MetricNPS ranks on the NPS (adjusted-Wald interval).
	MetricNPS
)

// RankOptions configures [Table.Rank].
type RankOptions struct {
	// Metric is the figure to rank on; the zero value is MetricCSAT.
	Metric Metric
	// Level is the confidence level; 0 means DefaultLevel.
	Level float64
	// MinResponses is the sample below which a row is TooFew; 0 means
	// DefaultMinResponses.
	MinResponses int64
}

// Ranked is one row of a ranking.
type Ranked struct {
	// Key is the row's key, e.g. an agent ID.
	Key string
	// Summary is the row's summary, shared with the table.
	Summary *Summary
	// Interval is the figure ranked on, with its confidence interval.
	Interval Interval
}

// Rank orders the table's rows by the lower bound of the chosen figure's
// confidence interval, best first, so an agent with 3 of 3 satisfied does
// not outrank one with 95 of 100. Rows with too few responses come after
// all others (in the same order among themselves); ties are broken by the
// estimate, then the key.
func (t *Table) Rank(o RankOptions) ([]Ranked, error) {
	level := o.Level
	if level == 0 {
		level = DefaultLevel
	}
	minN := o.MinResponses
	if minN == 0 {
		minN = DefaultMinResponses
	}
	out := make([]Ranked, 0, len(t.rows))
	for k, s := range t.rows {
		var iv Interval
		var err error
		switch o.Metric {
		case MetricCSAT:
			iv, err = s.SatisfiedIntervalMin(level, minN)
		case MetricNPS:
			iv, err = s.NPSIntervalMin(level, minN)
		default:
			return nil, fmt.Errorf("scoring: unknown metric %d", o.Metric)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Ranked{Key: k, Summary: s, Interval: iv})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Interval, out[j].Interval
		if a.TooFew != b.TooFew {
			return !a.TooFew
		}
		if a.Lower != b.Lower {
			return a.Lower > b.Lower
		}
		if a.Estimate != b.Estimate {
			return a.Estimate > b.Estimate
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}
