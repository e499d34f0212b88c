package main

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// The charts are inline SVG drawn on the server: the page needs no script
// and no network.

// esc escapes text for SVG.
func esc(s string) string { return template.HTMLEscapeString(s) }

// intervalBar draws an estimate and its confidence interval on a track from
// lo to hi, width px wide.
func intervalBar(iv scoring.Interval, lo, hi float64, width int, color string) template.HTML {
	x := func(v float64) float64 { return (v - lo) / (hi - lo) * float64(width-2) }
	opacity := "1"
	if iv.TooFew {
		opacity = "0.45"
	}
	var b strings.Builder
	// The numbers are written beside the bar: screen readers skip it.
	fmt.Fprintf(&b, `<svg class="ci" width="%d" height="14" viewBox="0 0 %d 14" aria-hidden="true" focusable="false">`, width, width)
	fmt.Fprintf(&b, `<rect x="1" y="5" width="%d" height="4" rx="2" fill="#e9ecef"/>`, width-2)
	if lo < 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="2" y2="12" stroke="#adb5bd"/>`, 1+x(0), 1+x(0))
	}
	fmt.Fprintf(&b, `<g opacity="%s"><rect x="%.1f" y="4" width="%.1f" height="6" rx="3" fill="%s" fill-opacity="0.35"/>`, opacity, 1+x(iv.Lower), math.Max(2, x(iv.Upper)-x(iv.Lower)), color)
	fmt.Fprintf(&b, `<rect x="%.1f" y="1" width="3" height="12" rx="1" fill="%s"/></g></svg>`, x(iv.Estimate), color)
	return template.HTML(b.String())
}

// week is one ISO week of the trend: its interval when it has responses.
type week struct {
	key   string
	start time.Time
	iv    scoring.Interval
	ok    bool
}

// trendWeeks computes the weekly CSAT % (or NPS) of the period of f.
func trendWeeks(t *scoring.Table, f filters, nps bool) []week {
	var weeks []week
	for d := f.From; d.Before(f.To); d = d.AddDate(0, 0, 1) {
		key, start, _ := scoring.PeriodOf(d, scoring.ByWeek, time.UTC)
		if len(weeks) > 0 && weeks[len(weeks)-1].key == key {
			continue
		}
		w := week{key: key, start: start}
		if s := t.Get(key); s != nil {
			var err error
			if nps {
				w.iv, err = s.NPSIntervalMin(scoring.DefaultLevel, 10)
			} else {
				w.iv, err = s.SatisfiedIntervalMin(scoring.DefaultLevel, 10)
			}
			w.ok = err == nil && w.iv.N > 0
		}
		weeks = append(weeks, w)
	}
	return weeks
}

// dataRow is one row of a chart's table of numbers.
type dataRow struct {
	Label, Value, Range, N string
}

// trendTable is the trend chart's numbers, one row per week.
func trendTable(weeks []week, nps bool) []dataRow {
	rows := make([]dataRow, 0, len(weeks))
	for _, w := range weeks {
		r := dataRow{Label: w.start.Format("2 Jan 2006"), Value: "–", Range: "–", N: "0"}
		if w.ok {
			r.Value, r.Range = estimateText(w.iv, nps), rangeText(w.iv, nps)
			r.N = thousands(w.iv.N)
		}
		rows = append(rows, r)
	}
	return rows
}

// estimateText writes an interval's estimate: a percentage for CSAT, a
// signed score for NPS.
func estimateText(iv scoring.Interval, nps bool) string {
	if nps {
		return fmt.Sprintf("%+.1f", iv.Estimate)
	}
	return fmt.Sprintf("%.1f%%", iv.Estimate)
}

// rangeText writes an interval's bounds.
func rangeText(iv scoring.Interval, nps bool) string {
	if nps {
		return fmt.Sprintf("%+.1f to %+.1f", iv.Lower, iv.Upper)
	}
	return fmt.Sprintf("%.1f–%.1f%%", iv.Lower, iv.Upper)
}

// trendChart draws the weekly CSAT % (or NPS) with its confidence band.
func trendChart(weeks []week, nps bool) template.HTML {
	const W, H, left, right, top, bottom = 760, 250, 46, 14, 14, 40
	lo, hi, step, unit, color := 0.0, 100.0, 20.0, "%", "#2b7a3b"
	if nps {
		lo, hi, step, unit, color = -100, 100, 50, "", "#3b5bdb"
	}
	pw, ph := float64(W-left-right), float64(H-top-bottom)
	y := func(v float64) float64 { return top + (hi-v)/(hi-lo)*ph }
	x := func(i int) float64 {
		if len(weeks) < 2 {
			return left + pw/2
		}
		return left + float64(i)*pw/float64(len(weeks)-1)
	}
	var b strings.Builder
	title := "Weekly CSAT % with its 95% confidence interval"
	if nps {
		title = "Weekly NPS with its 95% confidence interval"
	}
	fmt.Fprintf(&b, `<svg id="trend-chart" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, W, H, title, title)
	for v := lo; v <= hi+1e-9; v += step {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>`, left, W-right, y(v), y(v), map[bool]string{true: "#adb5bd", false: "#e9ecef"}[v == 0 && nps])
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="axis" text-anchor="end">%g%s</text>`, left-6, y(v)+4, v, unit)
	}
	every := max(1, (len(weeks)+6)/7)
	for i, w := range weeks {
		if i%every == 0 || i == len(weeks)-1 && len(weeks) < 8 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="axis" text-anchor="middle">%s</text>`, x(i), H-bottom+18, w.start.Format("Jan 2"))
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ced4da"/>`, x(i), x(i), H-bottom, H-bottom+5)
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">week starting</text>`, W-right, H-4)
	// The band and the line, broken where a week has no responses.
	var segs [][]int
	for i, w := range weeks {
		if !w.ok || w.iv.TooFew {
			segs = append(segs, nil)
			continue
		}
		if len(segs) == 0 || segs[len(segs)-1] == nil {
			segs = append(segs, []int{})
		}
		segs[len(segs)-1] = append(segs[len(segs)-1], i)
	}
	for _, seg := range segs {
		if len(seg) == 0 {
			continue
		}
		var pts, line []string
		for _, i := range seg {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(weeks[i].iv.Upper)))
			line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(weeks[i].iv.Estimate)))
		}
		for k := len(seg) - 1; k >= 0; k-- {
			i := seg[k]
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(weeks[i].iv.Lower)))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.14"/>`, strings.Join(pts, " "), color)
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, strings.Join(line, " "), color)
	}
	for i, w := range weeks {
		if !w.ok {
			continue
		}
		fill := color
		if w.iv.TooFew {
			fill = "#fff"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="%s" stroke-width="2"><title>Week of %s: %s, likely %s, %s responses</title></circle>`,
			x(i), y(w.iv.Estimate), fill, color, w.start.Format("2 Jan"), estimateText(w.iv, nps), rangeText(w.iv, nps), thousands(w.iv.N))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// distributionTable is the distribution chart's numbers, one row per
// score.
func distributionTable(s *scoring.Summary) []dataRow {
	scale, dist, shares := s.Scale(), s.Distribution(), s.Shares()
	rows := make([]dataRow, 0, len(dist))
	for i, n := range dist {
		c := ratingChip(scale, scale.Min()+i)
		r := dataRow{Label: c.Text, N: thousands(n), Value: "–"}
		if s.Count() > 0 {
			r.Value = fmt.Sprintf("%.1f%%", shares[i])
		}
		rows = append(rows, r)
	}
	return rows
}

// distributionChart draws how often each score was given.
func distributionChart(s *scoring.Summary) template.HTML {
	scale := s.Scale()
	dist := s.Distribution()
	shares := s.Shares()
	const W, H, left, right, top, bottom = 460, 250, 12, 12, 22, 46
	n := len(dist)
	slot := float64(W-left-right) / float64(n)
	maxShare := 1.0
	for _, v := range shares {
		maxShare = math.Max(maxShare, v)
	}
	ph := float64(H - top - bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="distribution-chart" class="chart" viewBox="0 0 %d %d" role="img" aria-label="Score distribution"><title>Score distribution</title>`, W, H)
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#ced4da"/>`, left, W-right, H-bottom, H-bottom)
	for i := range dist {
		v := scale.Min() + i
		c := ratingChip(scale, v)
		h := shares[i] / maxShare * ph
		bx := float64(left) + float64(i)*slot + slot*0.15
		share := "–"
		if s.Count() > 0 {
			share = fmt.Sprintf("%.0f%%", shares[i])
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4" fill="%s"><title>%d: %s responses (%s)</title></rect>`,
			bx, float64(H-bottom)-h, slot*0.7, math.Max(h, 0.5), c.Color, v, thousands(dist[i]), share)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="val" text-anchor="middle">%s</text>`, bx+slot*0.35, float64(H-bottom)-h-6, share)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="axis strong" text-anchor="middle">%d</text>`, bx+slot*0.35, H-bottom+17, v)
		label := thousands(dist[i])
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="axis" text-anchor="middle">%s</text>`, bx+slot*0.35, H-bottom+35, esc(label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
