package main

import (
	"fmt"
	"math"

	"github.com/surveyflow/surveyflow/scoring"
)

// changeText is a figure's change versus the previous period as the page
// shows it: a short text with an arrow, a class (up or down, and sig when
// the change is more than chance) and a tooltip in plain words.
type changeText struct {
	Arrow, Text, Class, Tip string
}

// describeChange turns a difference into what the page shows. days is the
// length of the period; nps says whether the figure is a score (points)
// rather than a percentage.
func describeChange(d scoring.Difference, days int, nps bool) *changeText {
	period := fmt.Sprintf("the previous %d days", days)
	if days == 1 {
		period = "the previous day"
	}
	if !d.Comparable {
		if d.NAfter == 0 {
			return nil // nothing to show now, so nothing to compare
		}
		return &changeText{Text: "new", Class: "flat", Tip: "No responses in " + period + " to compare with."}
	}
	from := fmt.Sprintf("%.1f%%", d.Before)
	if nps {
		from = fmt.Sprintf("%+.1f", d.Before)
	}
	c := &changeText{Text: fmt.Sprintf("%+.1f", d.Change), Class: "flat", Arrow: "→"}
	dir := "No change"
	switch {
	case d.Change > 0:
		c.Arrow, c.Class, dir = "▲", "up", fmt.Sprintf("Up %.1f points", d.Change)
	case d.Change < 0:
		c.Arrow, c.Class, dir = "▼", "down", fmt.Sprintf("Down %.1f points", math.Abs(d.Change))
	}
	level := fmt.Sprintf("%g%%", d.Level*100)
	if d.Significant {
		c.Class += " sig"
		c.Tip = fmt.Sprintf("%s from %s in %s (%d responses then, %d now). More than chance: with %s confidence the change is between %+.1f and %+.1f points.",
			dir, from, period, d.NBefore, d.NAfter, level, d.Lower, d.Upper)
	} else {
		c.Tip = fmt.Sprintf("%s from %s in %s (%d responses then, %d now). Could be chance: with %s confidence the change is anywhere from %+.1f to %+.1f points.",
			dir, from, period, d.NBefore, d.NAfter, level, d.Lower, d.Upper)
	}
	return c
}
