package scoring

import (
	"fmt"
	"math"
)

// Difference is the change of one figure from one set of responses
// (Before, such as last week's) to another (After, this week's), with a
// confidence interval for the change: in percentage points for CSAT %,
// in points for NPS.
type Difference struct {
	// Before and After are the figure in each set.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Change is After − Before.
	Change float64 `json:"change"`
	// Lower and Upper bound Change at the confidence Level.
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	Level float64 `json:"level"`
	// NBefore and NAfter are the responses each figure rests on.
	NBefore int64 `json:"n_before"`
	NAfter  int64 `json:"n_after"`
	// Comparable is false when a set has no responses: there is then no
	// change to speak of, and every other figure but the counts is zero.
	Comparable bool `json:"comparable"`
	// Significant is set when the interval excludes zero: at the
	// confidence level, the change is more than sampling noise.
	Significant bool `json:"significant"`
}

// String shows the difference, e.g. "+20.0 (95% CI +5.2 to +33.4,
// significant)".
func (d Difference) String() string {
	if !d.Comparable {
		return fmt.Sprintf("no change to compare (n=%d before, %d after)", d.NBefore, d.NAfter)
	}
	s := fmt.Sprintf("%+.1f (%g%% CI %+.1f to %+.1f", d.Change, d.Level*100, d.Lower, d.Upper)
	if d.Significant {
		s += ", significant"
	}
	return s + ")"
}

// SatisfiedDifference returns the change of the CSAT % (the share of
// satisfied scores, e.g. top-2-box on CSAT 1–5) from before to after, two
// independent sets of responses on one scale, with Newcombe's hybrid
// score interval for a difference of two independent proportions (method
// 10 of R. G. Newcombe, "Interval estimation for the difference between
// independent proportions: comparison of eleven methods", Statistics in
// Medicine 17, 873–890, 1998): from the Wilson score interval of each
// proportion, the same interval [Summary.SatisfiedInterval] gives. It is
// never wider than [−100, 100] and behaves at 0 % and 100 %, where the
// simple Wald interval collapses.
func SatisfiedDifference(before, after *Summary, level float64) (Difference, error) {
	return difference(before, after, level, func(z float64) (float64, float64, float64, float64) {
		p1 := float64(after.SatisfiedCount()) / float64(after.count)
		p2 := float64(before.SatisfiedCount()) / float64(before.count)
		l1, u1 := wilson(after.SatisfiedCount(), after.count, z)
		l2, u2 := wilson(before.SatisfiedCount(), before.count, z)
		diff := p1 - p2
		lower := diff - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
		upper := diff + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
		return p2 * 100, p1 * 100, lower * 100, upper * 100
	})
}

// NPSDifference returns the change of the NPS from before to after, two
// independent sets of responses on one scale, with a Wald interval for
// the difference of two independent NPS estimates: the variance of each
// NPS, (p⁺ + p⁻ − (p⁺ − p⁻)²) / n for the shares p⁺ of promoters and p⁻
// of detractors, is summed, since the variance of a difference of
// independent estimates is the sum of their variances. Each variance is
// taken on the adjusted counts [Summary.NPSInterval] uses (¾ added to
// promoters and to detractors, 3 to n: J. Sauro and J. R. Lewis,
// "Quantifying the User Experience", 2nd ed., 2016; B. Rocks, "Interval
// estimation for the Net Promoter Score", The American Statistician 70,
// 365–372, 2016), so that a set of all promoters does not claim a
// variance of zero. The change itself is that of the plain NPS figures.
func NPSDifference(before, after *Summary, level float64) (Difference, error) {
	return difference(before, after, level, func(z float64) (float64, float64, float64, float64) {
		diff := after.NPS() - before.NPS()
		half := z * math.Sqrt(npsVariance(after)+npsVariance(before)) * 100
		return before.NPS(), after.NPS(), diff - half, diff + half
	})
}

// npsVariance is the variance of s's NPS (as a share, −1 to 1) on the
// adjusted counts.
func npsVariance(s *Summary) float64 {
	n := float64(s.count) + 3
	pro := (float64(s.Promoters()) + 0.75) / n
	det := (float64(s.Detractors()) + 0.75) / n
	return (pro + det - (pro-det)*(pro-det)) / n
}

// difference checks a comparison and, when both sets have responses,
// fills it with figure's before, after and bounds at z.
func difference(before, after *Summary, level float64, figure func(z float64) (before, after, lower, upper float64)) (Difference, error) {
	if before == nil || after == nil {
		return Difference{}, fmt.Errorf("%w: compared with nothing", ErrScaleMismatch)
	}
	if !before.scale.sameAs(after.scale) {
		return Difference{}, fmt.Errorf("%w: %s compared with %s", ErrScaleMismatch, before.scale, after.scale)
	}
	z, err := zScore(level)
	if err != nil {
		return Difference{}, err
	}
	d := Difference{Level: level, NBefore: before.count, NAfter: after.count}
	if before.count == 0 || after.count == 0 {
		return d, nil
	}
	b, a, lower, upper := figure(z)
	d.Before, d.After, d.Change = b, a, a-b
	// Bounded by what the figure can change by.
	d.Lower, d.Upper = math.Max(lower, -200), math.Min(upper, 200)
	d.Comparable = true
	d.Significant = d.Lower > 0 || d.Upper < 0
	return d, nil
}
