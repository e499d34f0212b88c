package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// figureOf reads a headline figure's text from the dashboard.
func figureOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="fig-` + id + `">([^<]*)<`).FindStringSubmatch(page)
	require.NotNil(t, m, "figure %s on the page", id)
	return html.UnescapeString(m[1])
}

// rankingOfPage reads the n and Σ columns of a ranking table, keyed by row.
func rankingOfPage(t *testing.T, page, table string) map[string][2]string {
	t.Helper()
	start := strings.Index(page, `<table class="ranking" id="`+table+`">`)
	require.GreaterOrEqual(t, start, 0)
	end := strings.Index(page[start:], "</table>")
	rows := regexp.MustCompile(`<tr data-key="([^"]+)".*?<td class="num n"[^>]*>(\d+)</td>.*?<td class="num sum"[^>]*>([\d,]+)</td>`).FindAllStringSubmatch(page[start:start+end], -1)
	out := map[string][2]string{}
	for _, r := range rows {
		out[r[1]] = [2]string{r[2], r[3]}
	}
	return out
}

func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(data)
}

func TestTheSeedPlaysRealisticWeeksThroughTheEngine(t *testing.T) {
	a, _, stats := newSeededApp(t, 21, 15)
	ctx := context.Background()
	assert.Greater(t, stats.Conversations, 150)
	assert.Greater(t, stats.NotEligible, 0, "some conversations are too short or closed late")
	assert.Greater(t, stats.Rated, stats.Surveyed/3)
	assert.Less(t, stats.Rated, stats.Surveyed, "some contacts never answer")
	assert.Greater(t, stats.Commented, 0)
	assert.Greater(t, stats.Reviewed, 0)
	assert.Greater(t, stats.Expired, 0)

	channels, langs, states := map[string]int{}, map[string]int{}, map[survey.State]int{}
	db, _ := seededDBs.Load(a)
	rows, err := db.(*sql.DB).QueryContext(ctx, "SELECT channel, json_extract(doc, '$.language'), state FROM surveyflow_sessions")
	require.NoError(t, err)
	for rows.Next() {
		var ch, lang, state string
		require.NoError(t, rows.Scan(&ch, &lang, &state))
		channels[ch]++
		langs[lang]++
		states[survey.State(state)]++
	}
	require.NoError(t, rows.Err())
	for _, ch := range []string{"whatsapp", "messenger", "email", "telegram"} {
		assert.Positive(t, channels[ch], ch)
	}
	for _, l := range []string{"es", "en", "fr", "ru", "pt"} {
		assert.Positive(t, langs[l], l)
	}
	for _, s := range []survey.State{survey.StateCompleted, survey.StateExpired, survey.StateUnanswered} {
		assert.Positive(t, states[s], s)
	}
	done, err := a.seeded(ctx)
	require.NoError(t, err)
	assert.True(t, done, "a second start does not seed again")
	assert.Equal(t, a.clock.Now().Location(), a.clock.Now().UTC().Location(), "the clock is back on real time")
}

func TestTheDashboardShowsTheSameFiguresAsTheJSONReport(t *testing.T) {
	_, srv, _ := newSeededApp(t, 21, 15)
	for _, q := range []string{"", "survey=nps", "channel=email", "group=billing", "agent=ana", "survey=csat&channel=whatsapp&group=support"} {
		t.Run("filters "+q, func(t *testing.T) {
			var rep reportJSON
			require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report?"+q, nil, &rep))
			status, page := getPage(t, srv.URL+"/?"+q)
			require.Equal(t, 200, status)
			require.Positive(t, rep.Overall.Count)

			assert.Equal(t, thousands(rep.Overall.Count), figureOf(t, page, "responses"))
			assert.Equal(t, fmt.Sprintf("%.2f", rep.Overall.Mean), figureOf(t, page, "mean"))
			if rep.Survey == "nps" {
				assert.Equal(t, fmt.Sprintf("%+.1f", rep.Overall.NPS.Estimate), figureOf(t, page, "headline"))
				assert.Contains(t, page, fmt.Sprintf("<strong>%s</strong> High", thousands(rep.Overall.High)))
				assert.Contains(t, page, fmt.Sprintf("<strong>%s</strong> Low", thousands(rep.Overall.Low)))
			} else {
				assert.Equal(t, fmt.Sprintf("%.1f%%", rep.Overall.CSAT.Estimate), figureOf(t, page, "headline"))
				assert.Contains(t, page, fmt.Sprintf("likely %.1f–%.1f%% (95%% confidence)", rep.Overall.CSAT.Lower, rep.Overall.CSAT.Upper))
			}
			agents := rankingOfPage(t, page, "agents")
			require.Len(t, agents, len(rep.ByAgent))
			for _, r := range rep.ByAgent {
				assert.Equal(t, [2]string{fmt.Sprint(r.Count), thousands(r.Sum)}, agents[r.Key], "agent %s", r.Key)
			}
			groups := rankingOfPage(t, page, "groups")
			require.Len(t, groups, len(rep.ByGroup))
			for _, r := range rep.ByGroup {
				assert.Equal(t, [2]string{fmt.Sprint(r.Count), thousands(r.Sum)}, groups[r.Key], "group %s", r.Key)
			}
			channels := rankingOfPage(t, page, "channels")
			require.Len(t, channels, len(rep.ByChannel))
			for _, r := range rep.ByChannel {
				assert.Equal(t, [2]string{fmt.Sprint(r.Count), thousands(r.Sum)}, channels[r.Key], "channel %s", r.Key)
			}
		})
	}
	t.Run("rows are ranked by the lower bound, with too-few rows last", func(t *testing.T) {
		var rep reportJSON
		require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report", nil, &rep))
		_, page := getPage(t, srv.URL+"/")
		keys := regexp.MustCompile(`<tr data-key="([^"]+)"`).FindAllStringSubmatch(page, -1)
		var got []string
		for _, k := range keys[:len(rep.ByAgent)] {
			got = append(got, k[1])
		}
		var want []string
		for _, r := range rep.ByAgent {
			want = append(want, r.Key)
		}
		assert.Equal(t, want, got)
		for i := 1; i < len(rep.ByAgent); i++ {
			prev, cur := rep.ByAgent[i-1].CSAT, rep.ByAgent[i].CSAT
			if prev.TooFew == cur.TooFew {
				assert.GreaterOrEqual(t, prev.Lower, cur.Lower)
			} else {
				assert.False(t, prev.TooFew)
			}
		}
	})
	t.Run("the page draws both charts as inline SVG and needs no script", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/")
		assert.Contains(t, page, `<svg id="trend-chart"`)
		assert.Contains(t, page, `<svg id="distribution-chart"`)
		assert.Contains(t, page, "<polyline")
		assert.NotContains(t, page, "<script")
		assert.NotContains(t, page, "http://", "no external resource")
		assert.NotContains(t, page, "https://")
	})
}

func TestTheRegistryListsRatingsWithSupervisorReviewsAndFilters(t *testing.T) {
	a, srv, _ := newSeededApp(t, 21, 15)
	ctx := context.Background()
	t.Run("a rating filter keeps only those ratings", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/?rating_min=1&rating_max=2")
		chips := regexp.MustCompile(`<span class="chip rating"[^>]*>([^<]*)</span>`).FindAllStringSubmatch(page, -1)
		require.NotEmpty(t, chips)
		for _, c := range chips {
			assert.Regexp(t, `(^|\s)[12] · `, html.UnescapeString(c[1]))
		}
	})
	t.Run("a reviewed rating shows the supervisor's score beside it", func(t *testing.T) {
		var reviewed *survey.Session
		for s, err := range report.All(ctx, a.store, tenant, report.Filter{Surveys: []string{"csat"}, Rating: &report.Range{Min: 1, Max: 5}}) {
			require.NoError(t, err)
			if s.Review != nil {
				reviewed = s
				break
			}
		}
		require.NotNil(t, reviewed, "the seed has supervisor reviews")
		day := reviewed.RatedAt.Format(dateLayout)
		found := false
		url := srv.URL + "/?from=" + day + "&to=" + day
		for page := 0; page < 20 && url != "" && !found; page++ {
			_, body := getPage(t, url)
			i := strings.Index(body, `data-session="`+reviewed.ID+`"`)
			if i >= 0 {
				row := body[i : i+strings.Index(body[i:], "</tr>")]
				assert.Contains(t, row, `class="chip review"`)
				assert.Contains(t, row, html.EscapeString(reviewed.Review.Comment))
				found = true
			}
			m := regexp.MustCompile(`id="older" href="([^"]+)"`).FindStringSubmatch(body)
			url = ""
			if m != nil {
				url = srv.URL + html.UnescapeString(m[1])
			}
		}
		assert.True(t, found, "the reviewed rating is in the registry of its day")
	})
	t.Run("a supervisor-score filter keeps only conversations reviewed that low", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/?review_max=2")
		rows := regexp.MustCompile(`<tr data-session="[^"]*">`).FindAllString(page, -1)
		chips := regexp.MustCompile(`<span class="chip review"[^>]*>([^<]*)</span>`).FindAllStringSubmatch(page, -1)
		require.NotEmpty(t, chips, "the seed has low reviews")
		assert.Len(t, chips, len(rows), "every row listed has a review")
		for _, c := range chips {
			assert.Regexp(t, `(^|\s)[12]( · |$)`, html.UnescapeString(c[1]))
		}
	})
	t.Run("a bad filter is a 400 page that says why", func(t *testing.T) {
		status, page := getPage(t, srv.URL+"/?to=soon")
		assert.Equal(t, 400, status)
		assert.Contains(t, visibleText(page), `The last day "soon" is not a date: pick one in the calendar.`)
	})
}

func TestTheCSVExportHasOneRowPerMatchingRating(t *testing.T) {
	_, srv, _ := newSeededApp(t, 14, 15)
	for _, q := range []string{"", "survey=nps&channel=telegram", "rating_min=1&rating_max=2&group=billing"} {
		t.Run("filters "+q, func(t *testing.T) {
			res, err := http.Get(srv.URL + "/export.csv?" + q)
			require.NoError(t, err)
			defer res.Body.Close()
			require.Equal(t, 200, res.StatusCode)
			assert.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(string(body), "\uFEFF"), "a byte order mark for Excel")
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
			require.NoError(t, err)
			require.NotEmpty(t, records)
			assert.Equal(t, export.Columns, records[0])

			var rep reportJSON
			require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report?"+q, nil, &rep))
			want := rep.Overall.Count
			if strings.Contains(q, "rating_min") {
				want = rep.Overall.Distribution[0] + rep.Overall.Distribution[1]
			}
			rated := 0
			for _, r := range records[1:] {
				if r[9] != "" {
					rated++
				} else {
					assert.NotEmpty(t, r[20], "a row without a rating is a supervisor's review")
				}
			}
			assert.Equal(t, int(want), rated)
		})
	}
	t.Run("a bad filter is a 400", func(t *testing.T) {
		status, _ := call(t, srv, "GET", "/export.csv?survey=x", nil)
		assert.Equal(t, 400, status)
	})
}

// visibleText is the text a reader sees on page: no style sheet, no tags,
// entities decoded, white space collapsed.
func visibleText(page string) string {
	page = regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`).ReplaceAllString(page, " ")
	return strings.Join(strings.Fields(html.UnescapeString(page)), " ")
}

// elementOf returns the HTML of the first element whose opening tag
// matches open, through its closing tag (elements of its kind inside it
// are not counted: the callers pick tables and lists without nesting).
func elementOf(t *testing.T, page, open, tag string) string {
	t.Helper()
	loc := regexp.MustCompile(open).FindStringIndex(page)
	require.NotNil(t, loc, "%s on the page", open)
	end := strings.Index(page[loc[0]:], "</"+tag+">")
	require.GreaterOrEqual(t, end, 0, "%s is closed", open)
	return page[loc[0] : loc[0]+end]
}

// optionValues lists the values of a select's or a box list's options, and
// those selected (or checked).
func optionValues(t *testing.T, page, name string) (all, chosen []string) {
	t.Helper()
	open, tag := `<select name="`+name+`"`, "select"
	if name == "agent" {
		open, tag = `<fieldset class="boxes"`, "fieldset"
	}
	list := elementOf(t, page, open, tag)
	for _, m := range regexp.MustCompile(`<(?:option|input type="checkbox" name="`+name+`")[^>]*?value="([^"]*)"([^>]*)>`).FindAllStringSubmatch(list, -1) {
		all = append(all, html.UnescapeString(m[1]))
		if strings.Contains(m[2], "selected") || strings.Contains(m[2], "checked") {
			chosen = append(chosen, html.UnescapeString(m[1]))
		}
	}
	return all, chosen
}

// TestTheDashboardSpeaksPlainly: no internal scale IDs, symbols or
// statistics shorthand; the scales in plain words.
func TestTheDashboardSpeaksPlainly(t *testing.T) {
	_, srv, _ := newSeededApp(t, 14, 10)
	for q, scale := range map[string]string{"survey=csat": "5 faces (1–5)", "survey=nps": "score 1–10"} {
		status, page := getPage(t, srv.URL+"/?"+q)
		require.Equal(t, 200, status)
		text := visibleText(page)
		assert.Contains(t, text, scale, q)
		for _, jargon := range []string{"emoji5", "nps10", "Σ", "seed", " CI ", "95% interval", " n = "} {
			assert.NotContains(t, text, jargon, q)
		}
		assert.Regexp(t, `Lucía Fernández|Marc Lefebvre`, text, "%s: reviewers by name", q)
		assert.NotContains(t, text, "sup-", "%s: no reviewer IDs", q)
		assert.NotRegexp(t, `\b(whatsapp|telegram|messenger|email)\b`, text, "%s: channels as people write them", q)
	}
}

// TestEmptyResultsShowADash: a period without responses shows "–", not
// 0.0 %, a 0–100 % interval or 0.00.
func TestEmptyResultsShowADash(t *testing.T) {
	_, srv := newMemoryApp(t)
	for _, q := range []string{"survey=csat", "survey=nps"} {
		status, page := getPage(t, srv.URL+"/?from=2026-01-01&to=2026-01-31&"+q)
		require.Equal(t, 200, status)
		assert.Equal(t, "–", figureOf(t, page, "headline"), q)
		assert.Equal(t, "–", figureOf(t, page, "mean"), q)
		if q == "survey=csat" {
			assert.Equal(t, "–", figureOf(t, page, "nps"), q)
		}
		// The charts' axes say 0%; the figures, tables and bars do not.
		text := visibleText(regexp.MustCompile(`(?s)<svg id="trend-chart".*?</svg>`).ReplaceAllString(page, ""))
		for _, zero := range []string{"0.0%", "0.00", "0–100", "+0.0", "0%"} {
			assert.NotContains(t, text, zero, "%s: %s", q, zero)
		}
		assert.Contains(t, text, "no responses in this period", q)
	}
}

// TestTheFilters: a bad filter keeps every value with a message in the
// form's words; the rating filter says what it narrows; agents are
// several; the channels are the survey's; an agent filter explains the
// other agents listed.
func TestTheFilters(t *testing.T) {
	_, srv, _ := newSeededApp(t, 21, 15)
	t.Run("a bad filter keeps the values and says what to change", func(t *testing.T) {
		status, page := getPage(t, srv.URL+"/?survey=nps&from=2026-10-01&to=soon&agent=ana&agent=bruno&channel=telegram&rating_min=11&group=sales")
		require.Equal(t, 400, status)
		text := visibleText(elementOf(t, page, `<div class="error"`, "div"))
		assert.Contains(t, text, `The last day "soon" is not a date`)
		assert.Contains(t, text, `The lowest rating must be a score from 1 to 10, not "11".`)
		assert.NotContains(t, text, "parameter", "the form's words, not the query's")
		_, survey := optionValues(t, page, "survey")
		assert.Equal(t, []string{"nps"}, survey)
		_, agents := optionValues(t, page, "agent")
		assert.Equal(t, []string{"ana", "bruno"}, agents)
		_, channel := optionValues(t, page, "channel")
		assert.Equal(t, []string{"telegram"}, channel)
		_, group := optionValues(t, page, "group")
		assert.Equal(t, []string{"sales"}, group)
		assert.Contains(t, page, `name="from" value="2026-10-01">`)
		assert.Contains(t, page, `name="to" value="soon" aria-invalid="true"`)
		assert.Regexp(t, `<select name="rating_min" aria-invalid="true"`, page)
	})
	t.Run("the rating filter says it narrows the registry only", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/")
		rating := visibleText(elementOf(t, page, `<fieldset class="rating"`, "fieldset"))
		assert.Contains(t, rating, "These narrow the ratings registry and the CSV only; the figures and charts count every rating.")
		var labels []string
		for _, m := range regexp.MustCompile(`<label>([^<]+)<(?:select|input)`).FindAllStringSubmatch(page, -1) {
			labels = append(labels, m[1])
		}
		assert.Equal(t, []string{"Survey", "First day", "Last day", "Group", "Channel", "Lowest rating", "Highest rating", "Supervisor score"}, labels, "one name per control")
	})
	t.Run("agents are several", func(t *testing.T) {
		var ana, both reportJSON
		require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report?agent=ana", nil, &ana))
		require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report?agent=ana&agent=bruno", nil, &both))
		assert.Greater(t, both.Overall.Count, ana.Overall.Count)
		_, page := getPage(t, srv.URL+"/?agent=ana&agent=bruno")
		assert.Equal(t, thousands(both.Overall.Count), figureOf(t, page, "responses"))
		all, chosen := optionValues(t, page, "agent")
		assert.Equal(t, []string{"ana", "bruno"}, chosen)
		assert.Len(t, all, len(staff))
		assert.Contains(t, page, "<summary><span class=\"sr\">Agents: </span>Ana Souza, Bruno Martins</summary>")
	})
	t.Run("the channels are the survey's", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/?survey=csat")
		channels, _ := optionValues(t, page, "channel")
		assert.Equal(t, []string{"", "whatsapp", "messenger", "email"}, channels)
		_, page = getPage(t, srv.URL+"/?survey=nps")
		channels, _ = optionValues(t, page, "channel")
		assert.Equal(t, []string{"", "telegram"}, channels)
		status, page := getPage(t, srv.URL+"/?survey=nps&channel=whatsapp")
		assert.Equal(t, 400, status)
		assert.Contains(t, visibleText(page), "The NPS survey is not sent on WhatsApp: choose Telegram, or all channels.")
	})
	t.Run("an agent filter explains the agents of the same conversations", func(t *testing.T) {
		_, page := getPage(t, srv.URL+"/?agent=carla&agent=elena")
		note := visibleText(elementOf(t, page, `<p class="note-agents"`, "p"))
		assert.Equal(t, "Showing the conversations of Carla Gómez or Elena Petrova. Only the chosen agents are listed; "+
			"a conversation they shared with other agents counts in full for each of them, and the other agents are not listed.", note)
		listed := rankingOfPage(t, page, "agents")
		assert.ElementsMatch(t, []string{"carla", "elena"}, slices.Collect(maps.Keys(listed)))
		_, page = getPage(t, srv.URL+"/")
		assert.NotContains(t, page, `id="agents-note"`)
	})
}

// TestTheRegistryRows: times with their zone, a link to the conversation
// from the host's template, reviewers by name, numbered pages.
func TestTheRegistryRows(t *testing.T) {
	a, srv, _ := newSeededApp(t, 21, 15)
	ctx := context.Background()
	a.conversationURL = "https://helpdesk.example/c/{conversation}?from=survey"
	var want []*survey.Session
	for s, err := range report.All(ctx, a.store, tenant, report.Filter{Surveys: []string{"csat"}, From: time.Now().UTC().AddDate(0, 0, -100)}) {
		require.NoError(t, err)
		want = append(want, s)
	}
	require.Greater(t, len(want), 3*registryPage, "enough ratings for three pages")

	_, page := getPage(t, srv.URL+"/")
	rows := regexp.MustCompile(`(?s)<tr data-session="([^"]+)">(.*?)</tr>`).FindAllStringSubmatch(page, -1)
	require.Len(t, rows, registryPage)
	reviewed := 0
	for i, r := range rows {
		s := want[i]
		require.Equal(t, s.ID, r[1], "newest first")
		at, _ := report.Listed(s)
		assert.Contains(t, r[2], fmt.Sprintf(`<time datetime="%s">%s</time>`, at.UTC().Format(time.RFC3339), at.UTC().Format("2006-01-02 15:04")+" UTC"))
		assert.Contains(t, r[2], `<a href="https://helpdesk.example/c/`+url.PathEscape(s.ConversationID)+`?from=survey">Open`)
		if s.Review != nil {
			reviewed++
			assert.Contains(t, r[2], personName(s.Review.ReviewerID))
			assert.NotContains(t, r[2], s.Review.ReviewerID)
		}
	}

	pager := elementOf(t, page, `<nav class="pager"`, "nav")
	numbers := regexp.MustCompile(`<a class="page" href="([^"]+)"( aria-current="page")?><span class="sr">Page </span>(\d+)</a>`).FindAllStringSubmatch(pager, -1)
	require.GreaterOrEqual(t, len(numbers), 3)
	assert.Equal(t, []string{"1", "2", "3"}, []string{numbers[0][3], numbers[1][3], numbers[2][3]})
	assert.NotEmpty(t, numbers[0][2], "page 1 is the current one")
	_, page2 := getPage(t, srv.URL+html.UnescapeString(numbers[1][1]))
	rows2 := regexp.MustCompile(`<tr data-session="([^"]+)">`).FindAllStringSubmatch(page2, -1)
	require.Len(t, rows2, registryPage)
	for i, r := range rows2 {
		assert.Equal(t, want[registryPage+i].ID, r[1], "page 2 continues page 1")
	}
	assert.Regexp(t, `aria-current="page"><span class="sr">Page </span>2</a>`, page2)
	assert.Contains(t, page2, `id="newer"`)

	a.conversationURL = ""
	_, page = getPage(t, srv.URL+"/")
	assert.NotContains(t, page, "Conversation</th>", "no template, no column of links")
	status, bad := getPage(t, srv.URL+"/?page=0")
	assert.Equal(t, 400, status)
	assert.Contains(t, visibleText(bad), `There is no registry page "0"`)
}

// TestConversationLinks: the host's template gets the conversation's ID
// escaped for its place, and a template that cannot make a link is
// refused.
func TestConversationLinks(t *testing.T) {
	id := "c/1 ?&<x>"
	for tmpl, want := range map[string]string{
		"https://helpdesk.example/c/{conversation}":           "https://helpdesk.example/c/c%2F1%20%3F&%3Cx%3E",
		"https://helpdesk.example/view?id={conversation}&x=1": "https://helpdesk.example/view?id=c%2F1+%3F%26%3Cx%3E&x=1",
		"http://h.example/{conversation}#{conversation}":      "http://h.example/c%2F1%20%3F&%3Cx%3E#c%2F1+%3F%26%3Cx%3E",
	} {
		a, err := newApp(config{store: memory.New(), secret: testSecret, conversationURL: tmpl})
		require.NoError(t, err, tmpl)
		assert.Equal(t, want, a.conversationLink(id), tmpl)
		assert.Empty(t, a.conversationLink(""), "no conversation, no link")
	}
	for _, tmpl := range []string{"https://helpdesk.example/c/", "javascript:alert({conversation})", "/c/{conversation}", "ftp://h.example/{conversation}"} {
		_, err := newApp(config{store: memory.New(), secret: testSecret, conversationURL: tmpl})
		assert.Error(t, err, tmpl)
	}
	var logs strings.Builder
	assert.Equal(t, 1, cli([]string{"-conversation-url", "helpdesk/{conversation}", "-no-seed", "-db", filepath.Join(t.TempDir(), "x.db")}, &logs))
	assert.Contains(t, logs.String(), "not an absolute http or https URL")
}
