package main

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/report"
)

const dateLayout = "2006-01-02"

// filters are the dashboard's, the report's and the export's query
// parameters.
type filters struct {
	// Survey is "csat" or "nps".
	Survey string
	// From is the first day and To the day after the last one (UTC).
	From, To time.Time
	// Agent, Group and Channel narrow the responses; empty means all.
	Agent, Group, Channel string
	// RatingMin and RatingMax narrow the registry and the export; zero
	// RatingMax means no rating filter.
	RatingMin, RatingMax int
	// ReviewMax keeps, in the registry and the export, the conversations a
	// supervisor scored at most this; zero means no review filter.
	ReviewMax int
	// AfterAt and AfterID continue the registry after a page.
	AfterAt time.Time
	AfterID string
}

// defaultDays is the period the dashboard shows when none is asked for.
const defaultDays = 90

// parseFilters reads r's query string; every bad value is an error that
// names the parameter.
func (a *app) parseFilters(r *http.Request) (filters, error) {
	q := r.URL.Query()
	f := filters{Survey: q.Get("survey"), Agent: q.Get("agent"), Group: q.Get("group"), Channel: q.Get("channel"), AfterID: q.Get("after_id")}
	if f.Survey == "" {
		f.Survey = "csat"
	}
	scale, err := a.scale(f.Survey)
	if err != nil {
		return f, err
	}
	for name, v := range map[string]string{"agent": f.Agent, "group": f.Group, "channel": f.Channel, "after_id": f.AfterID} {
		if len(v) > 200 || !utf8.ValidString(v) {
			return f, fmt.Errorf("parameter %q is not valid UTF-8 of at most 200 bytes", name)
		}
	}
	today := a.clock.Now().UTC().Truncate(24 * time.Hour)
	last := today
	if s := q.Get("to"); s != "" {
		if last, err = time.Parse(dateLayout, s); err != nil {
			return f, fmt.Errorf("parameter \"to\" must be a date like 2026-11-23, not %q", s)
		}
	}
	f.To = last.AddDate(0, 0, 1)
	f.From = last.AddDate(0, 0, -(defaultDays - 1))
	if s := q.Get("from"); s != "" {
		if f.From, err = time.Parse(dateLayout, s); err != nil {
			return f, fmt.Errorf("parameter \"from\" must be a date like 2026-08-26, not %q", s)
		}
	}
	if !f.From.Before(f.To) {
		return f, errors.New("parameter \"from\" must not be after \"to\"")
	}
	if f.To.Sub(f.From) > 5*366*24*time.Hour {
		return f, errors.New("the period may span at most five years")
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"rating_min", &f.RatingMin}, {"rating_max", &f.RatingMax}, {"review_max", &f.ReviewMax}} {
		s := q.Get(p.name)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || !scale.Contains(v) {
			return f, fmt.Errorf("parameter %q must be a score from %d to %d, not %q", p.name, scale.Min(), scale.Max(), s)
		}
		*p.dst = v
	}
	if f.RatingMin != 0 && f.RatingMax == 0 {
		f.RatingMax = scale.Max()
	}
	if f.RatingMax != 0 && f.RatingMin == 0 {
		f.RatingMin = scale.Min()
	}
	if f.RatingMin > f.RatingMax {
		return f, errors.New("parameter \"rating_min\" must not be above \"rating_max\"")
	}
	if s := q.Get("after_at"); s != "" {
		if f.AfterAt, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return f, fmt.Errorf("parameter \"after_at\" must be an RFC 3339 time, not %q", s)
		}
	}
	return f, nil
}

// reportFilter is the filter of the figures (no rating filter).
func (f filters) reportFilter() report.Filter {
	rf := report.Filter{Surveys: []string{f.Survey}, From: f.From, To: f.To}
	if f.Agent != "" {
		rf.Agents = []string{f.Agent}
	}
	if f.Group != "" {
		rf.Groups = []string{f.Group}
	}
	if f.Channel != "" {
		rf.Channels = []string{f.Channel}
	}
	return rf
}

// registryFilter is the filter of the registry and the export.
func (f filters) registryFilter() report.Filter {
	rf := f.reportFilter()
	if f.RatingMax != 0 {
		rf.Rating = &report.Range{Min: f.RatingMin, Max: f.RatingMax}
	}
	if f.ReviewMax != 0 {
		rf.Review = &report.Range{Min: math.MinInt32, Max: f.ReviewMax}
	}
	return rf
}

// after is the registry's cursor, nil on the first page.
func (f filters) after() *report.Cursor {
	if f.AfterID == "" {
		return nil
	}
	return &report.Cursor{At: f.AfterAt, ID: f.AfterID}
}

// query returns the filters as a query string, with changes applied
// ("" deletes a parameter).
func (f filters) query(changes ...string) string {
	v := url.Values{}
	v.Set("survey", f.Survey)
	v.Set("from", f.From.Format(dateLayout))
	v.Set("to", f.To.AddDate(0, 0, -1).Format(dateLayout))
	for k, s := range map[string]string{"agent": f.Agent, "group": f.Group, "channel": f.Channel} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.RatingMax != 0 {
		v.Set("rating_min", strconv.Itoa(f.RatingMin))
		v.Set("rating_max", strconv.Itoa(f.RatingMax))
	}
	if f.ReviewMax != 0 {
		v.Set("review_max", strconv.Itoa(f.ReviewMax))
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			v.Del(changes[i])
		} else {
			v.Set(changes[i], changes[i+1])
		}
	}
	return string(v.Encode())
}
