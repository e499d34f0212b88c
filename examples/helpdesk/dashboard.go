package main

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

//go:embed dashboard.html
var dashboardHTML string

var dashboardTemplate = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"num":   thousands,
	"fixed": func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"rankingOf": func(id, label, metric string, rows []rankRow) ranking {
		return ranking{ID: id, Label: label, Metric: metric, Rows: rows}
	},
}).Parse(dashboardHTML))

// option is one entry of a filter's drop-down.
type option struct {
	Value, Label string
	Selected     bool
}

// figure is one headline card.
type figure struct {
	ID, Title, Value, Sub, Note string
	Bar                         template.HTML
}

// rankRow is one row of the agent or group ranking.
type rankRow struct {
	Rank                 int
	Key, Name, Detail    string
	N, Sum               int64
	Mean                 float64
	Estimate, Lo, Hi     float64
	TooFew               bool
	Bar                  template.HTML
	FilterURL            string
	EstimateText, CIText string
}

// ranking is one ranking table for the template.
type ranking struct {
	ID, Label, Metric string
	Rows              []rankRow
}

// chip is a rating drawn as a coloured badge.
type chip struct {
	Value       int
	Emoji, Text string
	Color, Ink  string
}

// registryRow is one rating of the registry.
type registryRow struct {
	ID, RatedAt, Contact, ContactID, Channel, Language, Agents string
	Rating                                                     *chip
	Comment                                                    string
	Truncated                                                  bool
	Review                                                     *chip
	ReviewComment, Reviewer                                    string
}

// bandRow is one of NPS's high, medium and low counts.
type bandRow struct {
	Name, Range, Color string
	Count              int64
	Share              float64
}

// dashboardPage is what the dashboard template draws.
type dashboardPage struct {
	F                          filters
	From, To                   string
	Surveys, Agents, Groups    []option
	Channels, Ratings          []option
	RatingMin, RatingMax       []option
	ReviewMax                  []option
	IsNPS                      bool
	Metric, ScaleText          string
	Figures                    []figure
	Bands                      []bandRow
	Trend, Distribution        template.HTML
	AgentRows, GroupRows       []rankRow
	ChannelRows                []rankRow
	Registry                   []registryRow
	NextPage, CSV, JSON, Reset string
	Error                      string
	Empty                      bool
	MinResponses               int64
}

// dashboard serves the dashboard page for the filters in the query.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'")
	f, err := a.parseFilters(r)
	status := http.StatusOK
	var p *dashboardPage
	if err != nil {
		status = http.StatusBadRequest
		p = &dashboardPage{Error: err.Error(), F: filters{Survey: "csat"}, Reset: "/"}
	} else if p, err = a.buildDashboard(r.Context(), f); err != nil {
		status = http.StatusInternalServerError
		p = &dashboardPage{Error: err.Error(), F: f, Reset: "/"}
	}
	var b strings.Builder
	if err := dashboardTemplate.Execute(&b, p); err != nil {
		http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// buildDashboard computes every figure of the page with one report (per
// agent, group, channel and week) and one registry page.
func (a *app) buildDashboard(ctx context.Context, f filters) (*dashboardPage, error) {
	scale := a.scales[f.Survey]
	nps := f.Survey == "nps"
	metric := scoring.MetricCSAT
	if nps {
		metric = scoring.MetricNPS
	}
	rep, err := report.Build(ctx, a.store, tenant, report.Options{Filter: f.reportFilter(), Scale: scale,
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.ByWeek}})
	if err != nil {
		return nil, err
	}
	overall := rep.Overall

	p := &dashboardPage{
		F: f, From: f.From.Format(dateLayout), To: f.To.AddDate(0, 0, -1).Format(dateLayout),
		IsNPS: nps, ScaleText: scale.String(), Empty: overall.Count() == 0,
		CSV: "/export.csv?" + f.query(), JSON: "/api/report?" + f.query(), Reset: "/?survey=" + f.Survey,
		MinResponses: scoring.DefaultMinResponses,
	}
	p.Metric = "CSAT"
	if nps {
		p.Metric = "NPS"
	}
	p.fillOptions(a, f, rep.ByAgent, scale)

	csat, err := overall.SatisfiedInterval(scoring.DefaultLevel)
	if err != nil {
		return nil, err
	}
	npsIv, err := overall.NPSInterval(scoring.DefaultLevel)
	if err != nil {
		return nil, err
	}
	rateText, rateSub := "–", "no survey sent in the period"
	if sent := overall.Sent(); sent > 0 {
		rateText = fmt.Sprintf("%.1f%%", overall.ResponseRate())
		rateSub = fmt.Sprintf("%s ratings for %s surveys sent", thousands(overall.Count()), thousands(sent))
	}
	rt := overall.ResponseTimes()
	rtText, rtSub := "–", "no responses"
	if rt.N > 0 {
		rtText = humanDuration(rt.Mean)
		rtSub = "mean; median under " + humanDuration(rt.Median)
	}
	if nps {
		p.Figures = append(p.Figures,
			figure{ID: "headline", Title: "Net Promoter Score", Value: fmt.Sprintf("%+.1f", npsIv.Estimate),
				Sub: fmt.Sprintf("95%% CI %+.1f to %+.1f · n = %s", npsIv.Lower, npsIv.Upper, thousands(npsIv.N)),
				Bar: intervalBar(npsIv, -100, 100, 220, "#3b5bdb"), Note: tooFewNote(npsIv)},
			figure{ID: "mean", Title: "Average score", Value: fmt.Sprintf("%.2f", overall.Mean()), Sub: fmt.Sprintf("on %d–%d", scale.Min(), scale.Max())},
		)
	} else {
		p.Figures = append(p.Figures,
			figure{ID: "headline", Title: "CSAT (satisfied)", Value: fmt.Sprintf("%.1f%%", csat.Estimate),
				Sub: fmt.Sprintf("95%% CI %.1f–%.1f%% · n = %s", csat.Lower, csat.Upper, thousands(csat.N)),
				Bar: intervalBar(csat, 0, 100, 220, "#2b8a3e"), Note: tooFewNote(csat)},
			figure{ID: "nps", Title: "Net score", Value: fmt.Sprintf("%+.1f", npsIv.Estimate),
				Sub: fmt.Sprintf("satisfied − dissatisfied · 95%% CI %+.1f to %+.1f", npsIv.Lower, npsIv.Upper)},
			figure{ID: "mean", Title: "Average score", Value: fmt.Sprintf("%.2f", overall.Mean()), Sub: fmt.Sprintf("on %d–%d · Σ %s", scale.Min(), scale.Max(), thousands(overall.Sum()))},
		)
	}
	p.Figures = append(p.Figures,
		figure{ID: "responses", Title: "Responses", Value: thousands(overall.Count()), Sub: fmt.Sprintf("%s to %s", p.From, p.To)},
		figure{ID: "rate", Title: "Response rate", Value: rateText, Sub: rateSub},
		figure{ID: "time", Title: "Time to rate", Value: rtText, Sub: rtSub},
	)
	for _, bc := range overall.BandCounts() {
		name := bc.Band.Name
		if nps {
			name = map[scoring.Polarity]string{scoring.Positive: "High", scoring.Neutral: "Medium", scoring.Negative: "Low"}[bc.Band.Polarity]
		}
		share := 0.0
		if overall.Count() > 0 {
			share = float64(bc.Count) / float64(overall.Count()) * 100
		}
		p.Bands = append(p.Bands, bandRow{
			Name: strings.ToUpper(name[:1]) + name[1:], Range: fmt.Sprintf("%d–%d", bc.Band.Min, bc.Band.Max),
			Color: polarityColor(bc.Band.Polarity), Count: bc.Count, Share: share,
		})
	}
	// Best band first.
	for i, j := 0, len(p.Bands)-1; i < j; i, j = i+1, j-1 {
		p.Bands[i], p.Bands[j] = p.Bands[j], p.Bands[i]
	}

	if p.AgentRows, err = a.rankRows(rep.ByAgent, metric, f, "agent"); err != nil {
		return nil, err
	}
	if p.GroupRows, err = a.rankRows(rep.ByGroup, metric, f, "group"); err != nil {
		return nil, err
	}
	if p.ChannelRows, err = a.rankRows(rep.ByChannel, metric, f, "channel"); err != nil {
		return nil, err
	}
	p.Trend = trendChart(rep.ByPeriod, f, nps)
	p.Distribution = distributionChart(overall)
	if err := a.fillRegistry(ctx, p, f, scale); err != nil {
		return nil, err
	}
	return p, nil
}

func tooFewNote(iv scoring.Interval) string {
	if iv.TooFew {
		return fmt.Sprintf("Fewer than %d responses: read with care.", scoring.DefaultMinResponses)
	}
	return ""
}

// rankRows ranks a table by the lower bound of its interval (best first).
func (a *app) rankRows(t *scoring.Table, metric scoring.Metric, f filters, dim string) ([]rankRow, error) {
	ranked, err := t.Rank(scoring.RankOptions{Metric: metric})
	if err != nil {
		return nil, err
	}
	lo, hi, color := 0.0, 100.0, "#2b8a3e"
	if metric == scoring.MetricNPS {
		lo, hi, color = -100, 100, "#3b5bdb"
	}
	rows := make([]rankRow, 0, len(ranked))
	for i, r := range ranked {
		row := rankRow{
			Rank: i + 1, Key: r.Key, Name: r.Key, N: r.Summary.Count(), Sum: r.Summary.Sum(), Mean: r.Summary.Mean(),
			Estimate: r.Interval.Estimate, Lo: r.Interval.Lower, Hi: r.Interval.Upper, TooFew: r.Interval.TooFew,
			Bar: intervalBar(r.Interval, lo, hi, 110, color),
		}
		if metric == scoring.MetricNPS {
			row.EstimateText = fmt.Sprintf("%+.1f", r.Interval.Estimate)
			row.CIText = fmt.Sprintf("%+.1f to %+.1f", r.Interval.Lower, r.Interval.Upper)
		} else {
			row.EstimateText = fmt.Sprintf("%.1f%%", r.Interval.Estimate)
			row.CIText = fmt.Sprintf("%.1f–%.1f", r.Interval.Lower, r.Interval.Upper)
		}
		if dim == "agent" {
			if s, ok := stafferByID(r.Key); ok {
				row.Name = s.Name
				row.Detail = strings.Join(s.Groups, ", ")
				if s.Kind == survey.Bot {
					row.Detail = "virtual agent"
				}
			}
			row.FilterURL = "/?" + f.query("agent", r.Key, "after_at", "", "after_id", "")
		} else {
			row.FilterURL = "/?" + f.query(dim, r.Key, "after_at", "", "after_id", "")
		}
		if dim == "channel" {
			row.Name = channelNames[r.Key]
			if row.Name == "" {
				row.Name = r.Key
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// registryPage is how many ratings the registry shows at once.
const registryPage = 15

func (a *app) fillRegistry(ctx context.Context, p *dashboardPage, f filters, scale *scoring.Scale) error {
	page, next, err := report.Page(ctx, a.store, tenant, f.registryFilter(), registryPage, f.after())
	if err != nil {
		return err
	}
	for _, s := range page {
		at, _ := report.Listed(s)
		row := registryRow{
			ID: s.ID, RatedAt: at.Format("2006-01-02 15:04"), Contact: s.ContactName, ContactID: s.ContactID,
			Channel: s.Channel, Language: s.Language, Comment: s.Comment, Truncated: s.CommentTruncated,
		}
		if s.Rated {
			c := ratingChip(scale, s.Rating)
			row.Rating = &c
		}
		var names []string
		for _, ag := range s.Agents {
			name := ag.Name
			if name == "" {
				name = ag.ID
			}
			names = append(names, name)
		}
		row.Agents = strings.Join(names, ", ")
		if s.Review != nil {
			c := ratingChip(scale, s.Review.Score)
			row.Review, row.ReviewComment, row.Reviewer = &c, s.Review.Comment, s.Review.ReviewerID
		}
		p.Registry = append(p.Registry, row)
	}
	if next != nil {
		p.NextPage = "/?" + f.query("after_at", next.At.Format(time.RFC3339Nano), "after_id", next.ID) + "#registry"
	}
	return nil
}

var english = language.English

// ratingChip draws score v of scale with its emoji, English label and colour.
func ratingChip(scale *scoring.Scale, v int) chip {
	c := chip{Value: v, Text: fmt.Sprint(v), Color: polarityColor(scale.Polarity(v)), Ink: "#fff"}
	if o, ok := scale.Option(v); ok {
		if o.Color != "" {
			c.Color = o.Color
		}
		if o.Emoji != "" && o.Emoji != scoring.Keycap(v) { // keycaps say no more than the number
			c.Emoji = o.Emoji
		}
		if label, ok := i18n.Shipped().Text(english, i18n.LabelKey(scale.ID(), v)); ok && scale.Size() <= 5 {
			c.Text = fmt.Sprintf("%d · %s", v, label)
		}
	}
	if c.Color == scoring.ColorYellow {
		c.Ink = "#3d3200"
	}
	return c
}

func polarityColor(p scoring.Polarity) string {
	switch p {
	case scoring.Positive:
		return "#2b8a3e"
	case scoring.Negative:
		return "#c92a2a"
	}
	return "#e8a317"
}

// channelNames are the channels as people write them.
var channelNames = map[string]string{"whatsapp": "WhatsApp", "messenger": "Messenger", "email": "E-mail", "telegram": "Telegram"}

// fillOptions lists the choices of every filter.
func (p *dashboardPage) fillOptions(a *app, f filters, agents *scoring.Table, scale *scoring.Scale) {
	for _, s := range a.surveys {
		label := "CSAT (1–5 faces)"
		if s.ID == "nps" {
			label = "NPS (1–10)"
		}
		p.Surveys = append(p.Surveys, option{s.ID, label, s.ID == f.Survey})
	}
	p.Agents = []option{{"", "All agents", f.Agent == ""}}
	known := map[string]bool{}
	for _, s := range staff {
		known[s.ID] = true
		p.Agents = append(p.Agents, option{s.ID, s.Name, s.ID == f.Agent})
	}
	for _, k := range agents.Keys() {
		if !known[k] {
			p.Agents = append(p.Agents, option{k, k, k == f.Agent})
		}
	}
	p.Groups = []option{{"", "All groups", f.Group == ""}}
	for _, g := range []string{"billing", "sales", "support"} {
		p.Groups = append(p.Groups, option{g, strings.ToUpper(g[:1]) + g[1:], g == f.Group})
	}
	p.Channels = []option{{"", "All channels", f.Channel == ""}}
	for _, c := range []string{"whatsapp", "messenger", "email", "telegram"} {
		p.Channels = append(p.Channels, option{c, channelNames[c], c == f.Channel})
	}
	p.ReviewMax = []option{{"", "any", f.ReviewMax == 0}}
	p.RatingMin = []option{{"", "any", f.RatingMax == 0}}
	p.RatingMax = []option{{"", "any", f.RatingMax == 0}}
	for v := scale.Min(); v <= scale.Max(); v++ {
		p.RatingMin = append(p.RatingMin, option{fmt.Sprint(v), fmt.Sprint(v), f.RatingMax != 0 && v == f.RatingMin})
		p.RatingMax = append(p.RatingMax, option{fmt.Sprint(v), fmt.Sprint(v), f.RatingMax != 0 && v == f.RatingMax})
		p.ReviewMax = append(p.ReviewMax, option{fmt.Sprint(v), fmt.Sprint("≤ ", v), v == f.ReviewMax})
	}
}

// exportCSV streams the filtered ratings as CSV (report/export), with a
// byte order mark so that Excel reads accents and emoji right.
func (a *app) exportCSV(w http.ResponseWriter, r *http.Request) {
	f, err := a.parseFilters(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ratings-%s-%s-%s.csv"`, f.Survey, f.From.Format(dateLayout), f.To.AddDate(0, 0, -1).Format(dateLayout)))
	opts := export.Options{Scale: a.scales[f.Survey], BOM: true}
	if _, err := export.CSV(r.Context(), w, a.store, tenant, f.registryFilter(), opts); err != nil {
		// The header is sent; the truncated file ends with the error.
		fmt.Fprintf(w, "\n# export failed: %v\n", err)
	}
}

// thousands writes n with thin-space thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(math.Round(d.Minutes())))
	}
	h := int(d.Hours())
	return fmt.Sprintf("%d h %02d min", h, int(d.Minutes())-60*h)
}
