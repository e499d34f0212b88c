package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// axeViolation is one rule an axe-core run found broken.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core (its source in axe) on the current page and
// returns the serious and critical violations of WCAG 2.1 A and AA.
func axeCheck(axe string, out *[]axeViolation) chromedp.Action {
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`
	return chromedp.Tasks{
		chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(run, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	}
}

// axeSource reads axe-core from SURVEYFLOW_AXE, or skips the test.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("SURVEYFLOW_AXE")
	if path == "" {
		t.Skip("no axe-core: npm install axe-core and set SURVEYFLOW_AXE to its axe.min.js; .ci/run does both")
	}
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(src)
}

// reportViolations fails the test on each violation found on a page.
func reportViolations(t *testing.T, page string, found []axeViolation) {
	t.Helper()
	for _, v := range found {
		t.Errorf("%s: %s (%s): %s at %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// emailPage is an e-mail's HTML fragment in the page a mail client would
// show it in: a document of the contact's language.
func emailPage(lang, fragment string) string {
	return "data:text/html;charset=utf-8," + url.PathEscape(`<!doctype html><html lang="`+lang+`"><head><meta charset="utf-8"><title>Acme</title></head><body>`+fragment+`</body></html>`)
}

// TestAccessibility checks, with axe-core in headless Chromium, the
// e-mail and the rating page in each of their six languages and the
// dashboard's views. A serious or critical violation of WCAG 2.1 A or AA
// fails. SURVEYFLOW_AXE names axe.min.js (npm's axe-core; .ci/run
// installs it).
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	t.Run("the e-mail and the rating page", func(t *testing.T) { ratingPagesAccessibility(t, axe) })
	t.Run("the dashboard", func(t *testing.T) { dashboardAccessibility(t, axe) })
}

// ratingPagesAccessibility checks, in each language, the e-mail, the
// question (as it shows without JavaScript), the comment box after the
// rating, and the page of a used link.
func ratingPagesAccessibility(t *testing.T, axe string) {
	ctx := browser(t)
	_, srv := newMemoryApp(t)

	for _, lang := range []string{"en", "es", "fr", "ru", "pt", "de"} {
		fragment, links := emailRating(t, srv, "conv-a11y-"+lang, "contact-"+lang, lang)
		link := links[2]

		pages := []struct {
			name  string
			steps chromedp.Tasks
		}{
			{"the e-mail", chromedp.Tasks{chromedp.Navigate(emailPage(lang, fragment)), chromedp.WaitVisible(`.surveyflow-rating`, chromedp.ByQuery)}},
			{"the question", chromedp.Tasks{scripts(false), chromedp.Navigate(link), chromedp.WaitVisible(`#confirm`, chromedp.ByID), scripts(true)}},
			{"the comment box", chromedp.Tasks{chromedp.Click(`#confirm`, chromedp.ByID), chromedp.WaitVisible(`#comment`, chromedp.ByID)}},
			{"a used link", chromedp.Tasks{
				chromedp.SendKeys(`#comment`, "ok", chromedp.ByID), chromedp.Click(`#send-comment`, chromedp.ByID), chromedp.WaitVisible(`#done`, chromedp.ByID),
				chromedp.Navigate(link), chromedp.WaitVisible(`#error`, chromedp.ByID)}},
		}
		for _, p := range pages {
			var found []axeViolation
			var pageLang string
			require.NoError(t, chromedp.Run(ctx, p.steps, axeCheck(axe, &found),
				chromedp.AttributeValue(`html`, "lang", &pageLang, nil, chromedp.ByQuery)), "%s, %s", lang, p.name)
			assert.Equal(t, lang, pageLang, "%s: the page says its language", p.name)
			reportViolations(t, lang+", "+p.name, found)
		}
	}
}

// dashboardAccessibility checks the dashboard's views: CSAT, NPS, with
// changes versus the previous period, filtered by rating, filtered by
// agents, page 2, a bad filter, with the
// charts' tables open; the headings' order; the skip link and the focus
// outlines with the keyboard.
func dashboardAccessibility(t *testing.T, axe string) {
	ctx := browser(t)
	a, srv, _ := newSeededApp(t, 21, 15)
	a.conversationURL = "https://helpdesk.example/c/{conversation}"
	openTables := chromedp.Evaluate(`document.querySelectorAll("details").forEach(d => d.open = true)`, nil)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	tenDays := "from=" + today.AddDate(0, 0, -9).Format(dateLayout) + "&to=" + today.Format(dateLayout)
	for _, view := range []struct{ name, query, ready string }{
		{"CSAT", "", "#trend-chart"},
		{"changes versus the previous 10 days", tenDays, "#card-headline .change"},
		{"NPS changes", "survey=nps&" + tenDays, "#card-headline .change"},
		{"NPS", "survey=nps", "#trend-chart"},
		{"filtered by rating", "rating_min=1&rating_max=2", "#registry"},
		{"filtered by agents", "agent=ana&agent=carla", "#agents-note"},
		{"page 2 of the registry", "page=2", ".pager"},
		{"a bad filter", "to=soon&rating_min=9", "#error"},
	} {
		var found []axeViolation
		for _, width := range []int64{1280, 390} {
			require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+"/?"+view.query),
				chromedp.WaitVisible(view.ready, chromedp.ByQuery), openTables, axeCheck(axe, &found)), view.name)
			reportViolations(t, fmt.Sprintf("the dashboard, %s, %d px", view.name, width), found)
		}
		var levels []int
		require.NoError(t, chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map(h => +h.tagName[1])`, &levels)))
		require.NotEmpty(t, levels)
		assert.Equal(t, 1, levels[0], "%s: the page starts with its h1", view.name)
		for i := 1; i < len(levels); i++ {
			assert.LessOrEqual(t, levels[i], levels[i-1]+1, "%s: heading %d skips a level", view.name, i)
		}
	}

	// The keyboard: the first Tab shows the skip link, and each control
	// then shows an outline when the focus reaches it (a date field's
	// parts inside it are the browser's).
	var skip string
	require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#trend-chart`, chromedp.ByID),
		chromedp.KeyEvent("\t"), chromedp.Evaluate(`document.activeElement.getBoundingClientRect().top >= 0 ? document.activeElement.getAttribute("href") : "hidden"`, &skip)))
	assert.Equal(t, "#figures", skip, "the first Tab lands on a visible skip link")
	seen := map[string]string{}
	for range 14 {
		var focus struct{ Element, Outline string }
		require.NoError(t, chromedp.Run(ctx, chromedp.KeyEvent("\t"),
			chromedp.Evaluate(`(e => ({element: e.tagName + " " + (e.name || e.id || e.textContent.trim().slice(0, 20)), outline: getComputedStyle(e).outlineStyle + " " + getComputedStyle(e).outlineWidth}))(document.activeElement)`, &focus)))
		if _, ok := seen[focus.Element]; !ok {
			seen[focus.Element] = focus.Outline
		}
	}
	assert.GreaterOrEqual(t, len(seen), 6, "the Tab key walks the filters: %v", seen)
	for el, o := range seen {
		assert.Equal(t, "solid 3px", o, "%s shows where the focus is", el)
	}
}
