package main

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	// Agents, Group and Channel narrow the responses; empty means all.
	// A response counts when any of the Agents took part.
	Agents         []string
	Group, Channel string
	// RatingMin and RatingMax narrow the registry and the export; zero
	// RatingMax means no rating filter.
	RatingMin, RatingMax int
	// ReviewMax keeps, in the registry and the export, the conversations a
	// supervisor scored at most this; zero means no review filter.
	ReviewMax int
	// Page is the registry's page, from 1.
	Page int
}

// defaultDays is the period the dashboard shows when none is asked for:
// the last 30 days, compared with the 30 before.
const defaultDays = 30

// filterProblem is one bad query parameter: what the API says (naming
// the parameter) and what the dashboard says (naming the field).
type filterProblem struct {
	param, api, plain string
}

// filterError lists every bad parameter of a query.
type filterError []filterProblem

// Error is the API's message: every problem, naming its parameter.
func (e filterError) Error() string {
	msgs := make([]string, len(e))
	for i, p := range e {
		msgs[i] = p.api
	}
	return strings.Join(msgs, "; ")
}

// plain is the dashboard's message, in the words of the form.
func (e filterError) plain() []string {
	msgs := make([]string, len(e))
	for i, p := range e {
		msgs[i] = p.plain
	}
	return msgs
}

// invalid reports whether the parameter named param has a problem.
func (e filterError) invalid(param string) bool {
	return slices.ContainsFunc(e, func(p filterProblem) bool { return p.param == param })
}

// parseFilters reads r's query string. Every bad value is reported (as a
// filterError) and left at its default, so that the form can show the
// others as they were given.
func (a *app) parseFilters(r *http.Request) (filters, error) {
	q := r.URL.Query()
	f := filters{Survey: q.Get("survey"), Agents: q["agent"], Group: q.Get("group"), Channel: q.Get("channel"), Page: 1}
	var bad filterError
	problem := func(param, plain, api string, args ...any) {
		bad = append(bad, filterProblem{param: param, plain: plain, api: fmt.Sprintf(api, args...)})
	}
	if f.Survey == "" {
		f.Survey = "csat"
	}
	scale, err := a.scale(f.Survey)
	if err != nil {
		problem("survey", fmt.Sprintf("There is no survey %q: choose CSAT or NPS.", f.Survey), "%v", err)
		f.Survey = "csat"
		scale = a.scales[f.Survey]
	}
	f.Agents = slices.DeleteFunc(slices.Clone(f.Agents), func(s string) bool { return s == "" })
	texts := map[string][]string{"agent": f.Agents, "group": {f.Group}, "channel": {f.Channel}}
	for _, name := range []string{"agent", "group", "channel"} {
		for _, v := range texts[name] {
			if len(v) > 200 || !utf8.ValidString(v) {
				problem(name, fmt.Sprintf("The %s filter is not one the form offers: choose it again.", name),
					"parameter %q is not valid UTF-8 of at most 200 bytes", name)
				break
			}
		}
	}
	if len(f.Agents) > 50 {
		problem("agent", "Choose at most 50 agents.", "parameter \"agent\" may be given at most 50 times")
	}
	if bad.invalid("agent") {
		f.Agents = nil
	}
	if bad.invalid("group") {
		f.Group = ""
	}
	if bad.invalid("channel") {
		f.Channel = ""
	}
	if f.Channel != "" && !bad.invalid("survey") && !slices.Contains(a.channelsOf(f.Survey), f.Channel) {
		var names []string
		for _, c := range a.channelsOf(f.Survey) {
			names = append(names, channelName(c))
		}
		problem("channel", fmt.Sprintf("The %s survey is not sent on %s: choose %s, or all channels.", surveyName(f.Survey), channelName(f.Channel), strings.Join(names, " or ")),
			"parameter \"channel\": survey %q is not sent on %q", f.Survey, f.Channel)
	}

	today := a.clock.Now().UTC().Truncate(24 * time.Hour)
	last := today
	if s := q.Get("to"); s != "" {
		if t, err := time.Parse(dateLayout, s); err == nil {
			last = t
		} else {
			problem("to", fmt.Sprintf("The last day %q is not a date: pick one in the calendar.", s),
				"parameter \"to\" must be a date like 2026-11-23, not %q", s)
		}
	}
	f.To = last.AddDate(0, 0, 1)
	f.From = last.AddDate(0, 0, -(defaultDays - 1))
	if s := q.Get("from"); s != "" {
		if t, err := time.Parse(dateLayout, s); err == nil {
			f.From = t
		} else {
			problem("from", fmt.Sprintf("The first day %q is not a date: pick one in the calendar.", s),
				"parameter \"from\" must be a date like 2026-08-26, not %q", s)
		}
	}
	if !f.From.Before(f.To) {
		problem("from", "The first day comes after the last day: swap them.", "parameter \"from\" must not be after \"to\"")
		f.From = f.To.AddDate(0, 0, -defaultDays)
	}
	if f.To.Sub(f.From) > 5*366*24*time.Hour {
		problem("from", "The period is longer than five years: choose a shorter one.", "the period may span at most five years")
		f.From = f.To.AddDate(0, 0, -defaultDays)
	}
	for _, p := range []struct {
		name, field string
		dst         *int
	}{{"rating_min", "lowest rating", &f.RatingMin}, {"rating_max", "highest rating", &f.RatingMax}, {"review_max", "supervisor score", &f.ReviewMax}} {
		s := q.Get(p.name)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || !scale.Contains(v) {
			problem(p.name, fmt.Sprintf("The %s must be a score from %d to %d, not %q.", p.field, scale.Min(), scale.Max(), s),
				"parameter %q must be a score from %d to %d, not %q", p.name, scale.Min(), scale.Max(), s)
			continue
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
		problem("rating_min", "The lowest rating is above the highest rating: swap them.", "parameter \"rating_min\" must not be above \"rating_max\"")
	}
	if s := q.Get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= maxRegistryPage {
			f.Page = n
		} else {
			problem("page", fmt.Sprintf("There is no registry page %q: the pages go from 1 to %d.", s, maxRegistryPage),
				"parameter \"page\" must be a number from 1 to %d, not %q", maxRegistryPage, s)
		}
	}
	if bad != nil {
		return f, bad
	}
	return f, nil
}

// reportFilter is the filter of the figures (no rating filter).
func (f filters) reportFilter() report.Filter {
	rf := report.Filter{Surveys: []string{f.Survey}, From: f.From, To: f.To, Agents: f.Agents}
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

// query returns the filters as a query string, with changes applied
// ("" deletes a parameter; "agent" replaces every agent with one). The
// registry's page is left out unless a change sets it.
func (f filters) query(changes ...string) string {
	v := url.Values{}
	v.Set("survey", f.Survey)
	v.Set("from", f.From.Format(dateLayout))
	v.Set("to", f.To.AddDate(0, 0, -1).Format(dateLayout))
	for _, a := range f.Agents {
		v.Add("agent", a)
	}
	for k, s := range map[string]string{"group": f.Group, "channel": f.Channel} {
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
	return v.Encode()
}
