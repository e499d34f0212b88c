package main

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

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

// TestAccessibility checks the rating page in each of its six languages
// with axe-core in headless Chromium: the question (as it shows without
// JavaScript), the comment box after the rating, and the page of a used
// link. A serious or critical violation of WCAG 2.1 A or AA fails.
// SURVEYFLOW_AXE names axe.min.js (npm's axe-core; .ci/run installs it).
func TestAccessibility(t *testing.T) {
	path := os.Getenv("SURVEYFLOW_AXE")
	if path == "" {
		t.Skip("no axe-core: npm install axe-core and set SURVEYFLOW_AXE to its axe.min.js; .ci/run does both")
	}
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	axe := string(src)
	ctx := browser(t)
	_, srv := newMemoryApp(t)

	for _, lang := range []string{"en", "es", "fr", "ru", "pt", "de"} {
		closed := closeConversation(t, srv, longConversation("conv-a11y-"+lang, "contact-"+lang, "email", lang))
		require.Len(t, closed.Outbound, 1)
		m := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1)
		require.Len(t, m, 5)
		link := html.UnescapeString(m[2][1])

		pages := []struct {
			name  string
			steps chromedp.Tasks
		}{
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
			for _, v := range found {
				t.Errorf("%s, %s: %s (%s): %s at %s", lang, p.name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
			}
		}
	}
}
