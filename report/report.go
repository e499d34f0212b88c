package report

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// Options describe a report.
type Options struct {
	// Filter selects the sessions (see the package documentation for the
	// date rule and attribution).
	Filter
	// Scale is the scale the report is on. Required. Only sessions
	// recorded on it (survey.Session.Scale equal to Scale.ID()) are
	// counted, so a tenant with CSAT and NPS surveys gets one report per
	// scale and never a mix; sessions recorded before sessions kept their
	// scale count in a report of any scale that holds their score.
	Scale *scoring.Scale
	// Measures are the figures to count: MeasureRatings alone, or with
	// MeasureResponseRate, MeasureTimeToRate and MeasureReminders; zero
	// means AllMeasures (which leaves reminders out). A store computes
	// only what is asked, so a ratings-only report costs what a plain
	// GROUP BY over the scores costs, and only a report that asks for
	// reminders pays for them.
	Measures Measure
	// By lists the tables to fill: scoring.ByAgent, ByGroup, ByChannel,
	// BySurvey, ByReason, and at most one period (ByDay, ByWeek or
	// ByMonth, which needs From and To). Empty means agent, group, channel
	// and survey.
	By []scoring.Dimension
	// Location is the time zone periods are cut in; nil means UTC.
	Location *time.Location
}

// Report holds the figures of a set of responses on one scale: overall
// and per agent, group, channel, survey, reason and period. Each table is
// nil unless Options.By asked for it. Every summary carries its
// responses and scores and, when Options.Measures asks for them, surveys
// sent (Sent, ResponseRate), times to rate (ResponseTimes) and reminders
// (Reminded, AfterReminder, RemindedResponseRate); confidence
// intervals and small-sample flags come from Summary.Figures and Lines.
//
// A table has a row for every key with a response and, when surveys sent
// are counted, for every key with a survey sent, answered or not: Get
// returns a summary with Count 0 and Sent above 0 for a key whose surveys
// went unanswered, and nil for a key with neither.
type Report struct {
	// Scale is the report's scale.
	Scale *scoring.Scale
	// Overall counts each response and each sent survey once.
	Overall *scoring.Summary
	// ByAgent counts each response once for every agent credited with it.
	ByAgent *scoring.Table
	// ByGroup counts each response once for every group that took part.
	ByGroup *scoring.Table
	// ByChannel and BySurvey count each response once, under its channel
	// and its survey.
	ByChannel *scoring.Table
	BySurvey  *scoring.Table
	// ByReason counts each response that has a reason once, under the
	// reason's ID (survey.Session.Reason); responses without a reason are
	// not in it. It counts no sent surveys (Sent is zero): a reason is part
	// of the answer. For one reason per agent, group or channel, filter by
	// it (Filter.Reasons).
	ByReason *scoring.Table
	// ByPeriod counts each response under the period of its rating time
	// (and each sent survey under that of its send time), keyed as
	// scoring.PeriodOf keys them; Period says which kind of period.
	ByPeriod *scoring.Table
	Period   scoring.Dimension
}

// Build asks src for the tenant's counts and returns the report o
// describes.
func Build(ctx context.Context, src Source, tenantID string, o Options) (*Report, error) {
	q, err := o.query(tenantID, src)
	if err != nil {
		return nil, err
	}
	counts, err := src.Count(ctx, tenantID, q)
	if err != nil {
		return nil, fmt.Errorf("surveyflow/report: %w", err)
	}
	return o.fill(counts), nil
}

// query checks o and turns it into the store's question.
func (o *Options) query(tenantID string, src Source) (Query, error) {
	switch {
	case src == nil:
		return Query{}, fmt.Errorf("%w: no source", ErrInvalid)
	case tenantID == "":
		return Query{}, fmt.Errorf("%w: no tenant", ErrInvalid)
	case o.Scale == nil:
		return Query{}, fmt.Errorf("%w: no scale", ErrInvalid)
	}
	q := Query{Filter: o.Filter, Scale: o.Scale.ID(), Measures: o.Measures}
	if err := q.Validate(); err != nil {
		return Query{}, err
	}
	for _, by := range o.tables() {
		d := by
		switch by {
		case scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.BySurvey, scoring.ByReason:
		case scoring.ByDay, scoring.ByWeek, scoring.ByMonth:
			d = scoring.ByDay // the store counts days; fill cuts the period from them
		default:
			return Query{}, fmt.Errorf("%w: unknown table %s", ErrInvalid, by)
		}
		for _, seen := range q.By {
			if seen == d {
				return Query{}, fmt.Errorf("%w: table %s asked for twice (or two periods)", ErrInvalid, by)
			}
		}
		q.By = append(q.By, d)
		if d == scoring.ByDay {
			z, err := ZoneOf(o.Location, o.From, o.To)
			if err != nil {
				return Query{}, err
			}
			q.Zone = z
		}
	}
	return q, nil
}

func (o *Options) tables() []scoring.Dimension {
	if len(o.By) == 0 {
		return []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.BySurvey}
	}
	return o.By
}

// fill turns a store's counts into the report.
func (o *Options) fill(counts []Count) *Report {
	r := &Report{Scale: o.Scale, Overall: scoring.NewSummary(o.Scale)}
	for _, by := range o.tables() {
		t := scoring.NewTable(o.Scale)
		switch by {
		case scoring.ByAgent:
			r.ByAgent = t
		case scoring.ByGroup:
			r.ByGroup = t
		case scoring.ByChannel:
			r.ByChannel = t
		case scoring.BySurvey:
			r.BySurvey = t
		case scoring.ByReason:
			r.ByReason = t
		default:
			r.ByPeriod, r.Period = t, by
		}
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, c := range counts {
		var t *scoring.Table
		key := c.Key
		switch c.By {
		case scoring.Overall:
			add(r.Overall, &c)
			continue
		case scoring.ByAgent:
			t = r.ByAgent
		case scoring.ByGroup:
			t = r.ByGroup
		case scoring.ByChannel:
			t = r.ByChannel
		case scoring.BySurvey:
			t = r.BySurvey
		case scoring.ByReason:
			t = r.ByReason
		case scoring.ByDay:
			if r.ByPeriod != nil {
				t, key = r.ByPeriod, periodOf(c.Day, r.Period, loc)
			}
		}
		if t != nil && key != "" && (c.Sent || o.Scale.Contains(c.Rating)) {
			add(t.Row(key), &c)
		}
	}
	return r
}

// add records one count in s.
func add(s *scoring.Summary, c *Count) {
	if c.Sent {
		s.AddSent(c.N)
		if c.Reminded {
			s.AddReminded(c.N)
		}
		return
	}
	if !s.AddN(c.Rating, c.N) {
		return
	}
	if c.Reminded {
		s.AddAfterReminder(c.N)
	}
	if c.Bucket >= 0 {
		s.AddResponseTimes(c.Bucket, c.N, c.RateSum, c.RateMax)
	}
}
