package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
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
	rows := regexp.MustCompile(`<tr data-key="([^"]+)".*?<td class="num n">(\d+)</td>.*?<td class="num sum">([\d,]+)</td>`).FindAllStringSubmatch(page[start:start+end], -1)
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
				assert.Contains(t, page, fmt.Sprintf("95%% CI %.1f–%.1f%%", rep.Overall.CSAT.Lower, rep.Overall.CSAT.Upper))
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
		assert.Contains(t, page, html.EscapeString(`parameter "to" must be a date`))
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
