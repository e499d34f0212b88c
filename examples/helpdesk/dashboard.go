package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed dashboard.html
var dashboardHTML string

var dashboardTemplate = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"num": thousands,
	"rankingOf": func(id, label, caption, metric string, rows []rankRow) ranking {
		return ranking{ID: id, Label: label, Caption: caption, Metric: metric, Rows: rows,
			Changes: slices.ContainsFunc(rows, func(r rankRow) bool { return r.Change != nil })}
	},
}).Parse(dashboardHTML))

// option is one entry of a filter's drop-down or list of boxes.
type option struct {
	Value, Label string
	Selected     bool
}

// figure is one headline card; Change, when set, is its change versus
// the previous period.
type figure struct {
	ID, Title, Value, Sub, Note string
	Bar                         template.HTML
	Change                      *changeText
}

// rankRow is one row of the agent, group or channel ranking.
type rankRow struct {
	Rank                 int
	Key, Name, Detail    string
	N, Sum               int64
	MeanText             string
	TooFew               bool
	Bar                  template.HTML
	FilterURL            string
	EstimateText, CIText string
	Change               *changeText
}

// ranking is one ranking table for the template; Changes says whether
// it has a column of changes versus the previous period.
type ranking struct {
	ID, Label, Caption, Metric string
	Rows                       []rankRow
	Changes                    bool
}

// chip is a rating drawn as a coloured badge.
type chip struct {
	Value       int
	Emoji, Text string
	Color, Ink  string
}

// registryRow is one rating of the registry.
type registryRow struct {
	ID, At, AtISO, Contact, Channel, Language, Agents string
	ConversationURL                                   string
	Rating                                            *chip
	Comment                                           string
	Truncated                                         bool
	// TextRemoved: the retention period removed the comment and names.
	TextRemoved             bool
	Review                  *chip
	ReviewComment, Reviewer string
}

// pageLink is one link of the registry's pager; Gap stands for pages
// left out.
type pageLink struct {
	Number       int
	URL          string
	Current, Gap bool
}

// bandRow is one of NPS's high, medium and low counts.
type bandRow struct {
	Name, Range, Color string
	Count              int64
	Share              float64
}

// dashboardPage is what the dashboard template draws.
type dashboardPage struct {
	F                       filters
	From, To                string
	Surveys, Agents, Groups []option
	AgentSummary            string
	Channels                []option
	RatingMin, RatingMax    []option
	ReviewMax               []option
	IsNPS                   bool
	Metric, ScaleText       string
	Figures                 []figure
	Bands                   []bandRow
	Trend, Distribution     template.HTML
	TrendRows, DistRows     []dataRow
	AgentRows, GroupRows    []rankRow
	ChannelRows             []rankRow
	AgentsNote              string
	Registry                []registryRow
	ConversationLinks       bool
	Pages                   []pageLink
	Newer, Older            string
	CSV, JSON, Reset        string
	Errors                  []string
	// Invalid names the query parameters the errors are about.
	Invalid      map[string]bool
	Empty        bool
	MinResponses int64
	// PeriodDays is the period's length, which the changes compare with
	// the previous period of.
	PeriodDays int
}

// dashboard serves the dashboard page for the filters in the query. A bad
// filter shows the form as it was filled in, with what to change.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'")
	f, err := a.parseFilters(r)
	status := http.StatusOK
	var p *dashboardPage
	var bad filterError
	if errors.As(err, &bad) {
		status = http.StatusBadRequest
		p = a.formPage(f)
		p.Errors, p.Invalid = bad.plain(), map[string]bool{}
		for _, param := range []string{"survey", "from", "to", "agent", "group", "channel", "rating_min", "rating_max", "review_max", "page"} {
			p.Invalid[param] = bad.invalid(param)
		}
		q := r.URL.Query()
		if p.Invalid["from"] {
			p.From = q.Get("from")
		}
		if p.Invalid["to"] {
			p.To = q.Get("to")
		}
	} else if p, err = a.buildDashboard(r.Context(), f); err != nil {
		status = http.StatusInternalServerError
		a.logError(r, "dashboard", err)
		p = a.formPage(f)
		p.Errors = []string{"The figures cannot be read right now; try again in a moment."}
	}
	var b strings.Builder
	if err := dashboardTemplate.Execute(&b, p); err != nil {
		http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// logError logs a failure the page only apologises for.
func (a *app) logError(r *http.Request, what string, err error) {
	if a.logger != nil {
		a.logger.ErrorContext(r.Context(), what, "error", err)
	}
}

// formPage is the page with the filters' form only.
func (a *app) formPage(f filters) *dashboardPage {
	scale := a.scales[f.Survey]
	p := &dashboardPage{
		F: f, From: f.From.Format(dateLayout), To: f.To.AddDate(0, 0, -1).Format(dateLayout),
		IsNPS: f.Survey == "nps", ScaleText: scaleName(scale), Reset: "/?survey=" + f.Survey,
		CSV: "/export.csv?" + f.query(), JSON: "/api/report?" + f.query(),
		MinResponses: scoring.DefaultMinResponses, ConversationLinks: a.conversationURL != "",
	}
	p.Metric = surveyName(f.Survey)
	p.fillOptions(a, f, scale)
	return p
}

// surveyName is how the page names survey id.
func surveyName(id string) string { return strings.ToUpper(id) }

// scaleName describes a scale in plain words: "5 faces (1–5)" or
// "score 1–10".
func scaleName(scale *scoring.Scale) string {
	faces := true
	for v := scale.Min(); v <= scale.Max(); v++ {
		if c := ratingChip(scale, v); c.Emoji == "" {
			faces = false
		}
	}
	if faces {
		return fmt.Sprintf("%d faces (%d–%d)", scale.Size(), scale.Min(), scale.Max())
	}
	return fmt.Sprintf("score %d–%d", scale.Min(), scale.Max())
}

// noData is what a figure shows when no response backs it.
const noData = "–"

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
	// The previous period of the same length, ratings only and per agent:
	// what the changes beside the headline and in the agents' table
	// compare with.
	prevFilter := f.reportFilter()
	prevFilter.From, prevFilter.To = report.PreviousPeriod(f.From, f.To)
	prev, err := report.Build(ctx, a.store, tenant, report.Options{Filter: prevFilter, Scale: scale,
		Measures: report.MeasureRatings, By: []scoring.Dimension{scoring.ByAgent}})
	if err != nil {
		return nil, err
	}
	cmp, err := report.CompareReports(prev, rep, scoring.DefaultLevel)
	if err != nil {
		return nil, err
	}
	days := int(f.To.Sub(f.From).Hours()/24 + 0.5)
	headChange := func(c report.Change) *changeText {
		if nps {
			return describeChange(c.NPS, days, true)
		}
		return describeChange(c.CSAT, days, false)
	}

	p := a.formPage(f)
	p.Empty = overall.Count() == 0
	p.PeriodDays = days
	for _, k := range rep.ByAgent.Keys() {
		if !slices.ContainsFunc(p.Agents, func(o option) bool { return o.Value == k }) {
			p.Agents = append(p.Agents, option{k, k, slices.Contains(f.Agents, k)})
		}
	}

	csat, err := overall.SatisfiedInterval(scoring.DefaultLevel)
	if err != nil {
		return nil, err
	}
	npsIv, err := overall.NPSInterval(scoring.DefaultLevel)
	if err != nil {
		return nil, err
	}
	rateText, rateSub := noData, "no survey sent in the period"
	if sent := overall.Sent(); sent > 0 {
		rateText = fmt.Sprintf("%.1f%%", overall.ResponseRate())
		rateSub = fmt.Sprintf("%s ratings for %s surveys sent", thousands(overall.Count()), thousands(sent))
	}
	rt := overall.ResponseTimes()
	rtText, rtSub := noData, "no responses"
	if rt.N > 0 {
		rtText = humanDuration(rt.Mean)
		rtSub = "average; half answer within " + humanDuration(rt.Median)
	}
	// With no response, the figures say so ("–") rather than 0.
	headIv, headTitle, headColor, headLo := csat, "CSAT (satisfied)", "#2b7a3b", 0.0
	if nps {
		headIv, headTitle, headColor, headLo = npsIv, "Net Promoter Score", "#3b5bdb", -100
	}
	head := figure{ID: "headline", Title: headTitle, Value: noData, Sub: "no responses in this period"}
	net := figure{ID: "nps", Title: "Net score", Value: noData, Sub: "satisfied minus dissatisfied"}
	mean := figure{ID: "mean", Title: "Average score", Value: noData, Sub: fmt.Sprintf("on %d–%d", scale.Min(), scale.Max())}
	if !p.Empty {
		head.Value = estimateText(headIv, nps)
		head.Sub = fmt.Sprintf("likely %s (95%% confidence) · %s responses", rangeText(headIv, nps), thousands(headIv.N))
		head.Bar, head.Note = intervalBar(headIv, headLo, 100, 220, headColor), tooFewNote(headIv)
		head.Change = headChange(cmp.Overall)
		net.Value = estimateText(npsIv, true)
		net.Change = describeChange(cmp.Overall.NPS, days, true)
		net.Sub = fmt.Sprintf("satisfied minus dissatisfied · likely %s", rangeText(npsIv, true))
		mean.Value = fmt.Sprintf("%.2f", overall.Mean())
	}
	p.Figures = append(p.Figures, head)
	if !nps {
		p.Figures = append(p.Figures, net)
	}
	p.Figures = append(p.Figures, mean,
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
	slices.Reverse(p.Bands) // best band first

	if p.AgentRows, err = a.rankRows(rep.ByAgent, metric, f, "agent"); err != nil {
		return nil, err
	}
	for i, c := range cmp.ByAgent {
		for j := range p.AgentRows {
			if p.AgentRows[j].Key == c.Key {
				p.AgentRows[j].Change = headChange(cmp.ByAgent[i])
			}
		}
	}
	if p.GroupRows, err = a.rankRows(rep.ByGroup, metric, f, "group"); err != nil {
		return nil, err
	}
	if p.ChannelRows, err = a.rankRows(rep.ByChannel, metric, f, "channel"); err != nil {
		return nil, err
	}
	if len(f.Agents) > 0 {
		var names []string
		for _, id := range f.Agents {
			names = append(names, personName(id))
		}
		p.AgentsNote = fmt.Sprintf("Showing the conversations of %s. Only the chosen agents are listed; a conversation they shared with other agents counts in full for each of them, and the other agents are not listed.", orList(names))
	}
	weeks := trendWeeks(rep.ByPeriod, f, nps)
	p.Trend, p.TrendRows = trendChart(weeks, nps), trendTable(weeks, nps)
	p.Distribution, p.DistRows = distributionChart(overall), distributionTable(overall)
	if err := a.fillRegistry(ctx, p, f, scale); err != nil {
		return nil, err
	}
	return p, nil
}

// orList joins names as people write them: "A", "A or B", "A, B or C".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
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
	nps := metric == scoring.MetricNPS
	lo, hi, color := 0.0, 100.0, "#2b7a3b"
	if nps {
		lo, hi, color = -100, 100, "#3b5bdb"
	}
	rows := make([]rankRow, 0, len(ranked))
	for i, r := range ranked {
		row := rankRow{
			Rank: i + 1, Key: r.Key, Name: r.Key, N: r.Summary.Count(), Sum: r.Summary.Sum(),
			MeanText: fmt.Sprintf("%.2f", r.Summary.Mean()), TooFew: r.Interval.TooFew,
			Bar:          intervalBar(r.Interval, lo, hi, 110, color),
			EstimateText: estimateText(r.Interval, nps), CIText: rangeText(r.Interval, nps),
			FilterURL: "/?" + f.query(dim, r.Key),
		}
		switch dim {
		case "agent":
			if s, ok := stafferByID(r.Key); ok {
				row.Name = s.Name
				row.Detail = strings.Join(s.Groups, ", ")
				if s.Kind == survey.Bot {
					row.Detail = "virtual agent"
				}
			}
		case "channel":
			row.Name = channelName(r.Key)
		case "group":
			row.Name = groupName(r.Key)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// registryPage is how many ratings the registry shows at once, and
// maxRegistryPage the last page it will read up to.
const (
	registryPage    = 15
	maxRegistryPage = 1000
)

// fillRegistry lists page f.Page of the registry and numbers the pages
// around it. It walks the registry from the newest rating with the
// library's cursor paging (report.Page), up to two pages past f.Page, so
// that page links stay plain numbers.
func (a *app) fillRegistry(ctx context.Context, p *dashboardPage, f filters, scale *scoring.Scale) error {
	first, want := (f.Page-1)*registryPage, (f.Page+2)*registryPage
	var after *report.Cursor
	seen := 0
	more := true
	for more && seen < want {
		rows, next, err := report.Page(ctx, a.store, tenant, f.registryFilter(), min(report.MaxPage, want-seen), after)
		if err != nil {
			return err
		}
		for i, s := range rows {
			if at := seen + i; at >= first && at < first+registryPage {
				p.Registry = append(p.Registry, a.registryRow(s, scale))
			}
		}
		seen += len(rows)
		after, more = next, next != nil
	}
	last := (seen + registryPage - 1) / registryPage // the last page known to exist
	if last <= 1 {
		return nil
	}
	pageURL := func(n int) string {
		if n == 1 {
			return "/?" + f.query() + "#registry"
		}
		return "/?" + f.query("page", strconv.Itoa(n)) + "#registry"
	}
	for n := 1; n <= max(last, f.Page); n++ {
		switch {
		case n == 1 || n == last || (n >= f.Page-2 && n <= f.Page+2):
			p.Pages = append(p.Pages, pageLink{Number: n, URL: pageURL(n), Current: n == f.Page})
		case len(p.Pages) > 0 && !p.Pages[len(p.Pages)-1].Gap:
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
	}
	if more {
		p.Pages = append(p.Pages, pageLink{Gap: true})
	}
	if f.Page > 1 {
		p.Newer = pageURL(f.Page - 1)
	}
	if f.Page < last {
		p.Older = pageURL(f.Page + 1)
	}
	return nil
}

// registryRow is how the registry shows session s.
func (a *app) registryRow(s *survey.Session, scale *scoring.Scale) registryRow {
	at, _ := report.Listed(s)
	row := registryRow{
		ID: s.ID, At: at.UTC().Format("2006-01-02 15:04 MST"), AtISO: at.UTC().Format(time.RFC3339),
		Contact: s.ContactName, Channel: channelName(s.Channel), Language: languageName(s.Language),
		Comment: s.Comment, Truncated: s.CommentTruncated, ConversationURL: a.conversationLink(s.ConversationID),
	}
	switch {
	case s.Erased():
		row.Contact = "(erased contact)"
	case !s.TextRemovedAt.IsZero():
		row.Contact, row.TextRemoved = "(name removed)", true
	case row.Contact == "":
		row.Contact = "(no name)"
	}
	if s.Rated {
		c := ratingChip(scale, s.Rating)
		row.Rating = &c
	}
	var names []string
	for _, ag := range s.Agents {
		name := ag.Name
		if name == "" {
			name = personName(ag.ID)
		}
		names = append(names, name)
	}
	row.Agents = strings.Join(names, ", ")
	if s.Review != nil {
		c := ratingChip(scale, s.Review.Score)
		row.Review, row.ReviewComment, row.Reviewer = &c, s.Review.Comment, personName(s.Review.ReviewerID)
	}
	return row
}

// languageName names a contact's language tag in English ("French"), or
// returns the tag when it is not one.
func languageName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	if name := display.English.Languages().Name(base); name != "" {
		return name
	}
	return tag
}

var english = language.English

// ratingChip draws score v of scale with its emoji, English label and colour.
func ratingChip(scale *scoring.Scale, v int) chip {
	c := chip{Value: v, Text: fmt.Sprint(v), Color: polarityColor(scale.Polarity(v))}
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
	c.Ink = inkOn(c.Color)
	return c
}

// inkOn returns the text colour readable on background bg ("#rrggbb"):
// white or near-black, whichever contrasts more (WCAG's relative
// luminance).
func inkOn(bg string) string {
	const dark = "#1f2937"
	var r, g, b uint8
	if _, err := fmt.Sscanf(bg, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return dark
	}
	white := contrast(1, luminance(r, g, b))
	black := contrast(luminance(0x1f, 0x29, 0x37), luminance(r, g, b))
	if white >= 4.5 || white >= black {
		return "#fff"
	}
	return dark
}

// luminance is the WCAG relative luminance of an sRGB colour.
func luminance(r, g, b uint8) float64 {
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}

func polarityColor(p scoring.Polarity) string {
	switch p {
	case scoring.Positive:
		return "#2b7a3b"
	case scoring.Negative:
		return "#c92a2a"
	}
	return "#e8a317"
}

// channelNames are the channels as people write them.
var channelNames = map[string]string{"whatsapp": "WhatsApp", "messenger": "Messenger", "email": "E-mail", "telegram": "Telegram"}

// channelName is how people write channel c.
func channelName(c string) string {
	if name, ok := channelNames[c]; ok {
		return name
	}
	return c
}

// groups are the demo's groups of agents.
var groups = []string{"billing", "sales", "support"}

// groupName is how people write group g.
func groupName(g string) string {
	if g == "" {
		return g
	}
	return strings.ToUpper(g[:1]) + g[1:]
}

// fillOptions lists the choices of every filter: the agents of the demo
// (buildDashboard adds anyone else the report names) and the channels the
// survey is sent on.
func (p *dashboardPage) fillOptions(a *app, f filters, scale *scoring.Scale) {
	for _, s := range a.surveys {
		p.Surveys = append(p.Surveys, option{s.ID, surveyName(s.ID) + " · " + scaleName(s.Scale), s.ID == f.Survey})
	}
	var chosen []string
	for _, s := range staff {
		on := slices.Contains(f.Agents, s.ID)
		p.Agents = append(p.Agents, option{s.ID, s.Name, on})
	}
	for _, id := range f.Agents {
		if _, ok := stafferByID(id); !ok {
			p.Agents = append(p.Agents, option{id, id, true})
		}
		chosen = append(chosen, personName(id))
	}
	switch {
	case len(chosen) == 0:
		p.AgentSummary = "All agents"
	case len(chosen) <= 2:
		p.AgentSummary = strings.Join(chosen, ", ")
	default:
		p.AgentSummary = fmt.Sprintf("%d agents", len(chosen))
	}
	p.Groups = []option{{"", "All groups", f.Group == ""}}
	for _, g := range groups {
		p.Groups = append(p.Groups, option{g, groupName(g), g == f.Group})
	}
	p.Channels = []option{{"", "All channels", f.Channel == ""}}
	for _, c := range a.channelsOf(f.Survey) {
		p.Channels = append(p.Channels, option{c, channelName(c), c == f.Channel})
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
	// Each row labelled on its own survey, overrides included.
	opts := export.Options{Labels: a.engine, Scale: a.scales[f.Survey], BOM: true}
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
