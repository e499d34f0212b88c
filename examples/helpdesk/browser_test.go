package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the screenshots in docs/ (dashboard.png, rating-page.png and others) from the browser test")

// chromium finds the browser: $SURVEYFLOW_CHROMIUM, or chromium on PATH.
func chromium() string {
	if p := os.Getenv("SURVEYFLOW_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("no Chromium: install Debian's chromium (apt-get install chromium) or set SURVEYFLOW_CHROMIUM; .ci/run does both")
	}
	// A fresh profile, removed after the browser is gone: Chromium's
	// helper processes may still write to it for a moment after the
	// allocator stops, which t.TempDir's clean-up treats as a failure.
	profile, err := os.MkdirTemp("", "helpdesk-chromium-")
	require.NoError(t, err)
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})
	require.NoError(t, chromedp.Run(ctx), "start %s", path)
	return ctx
}

// saveScreenshot keeps a screenshot with the test's output and, with
// -update-screenshots, in docs/.
func saveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	require.True(t, len(png) > 8 && string(png[1:4]) == "PNG", "a PNG screenshot")
	out := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(out, png, 0o644))
	t.Logf("screenshot %s (%d bytes)", out, len(png))
	if *updateScreenshots {
		docs := filepath.Join("..", "..", "docs")
		require.NoError(t, os.MkdirAll(docs, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(docs, name), png, 0o644))
		t.Logf("updated docs/%s", name)
	}
}

// pageWidth measures the page for a phone: the document's scroll width and
// the window's width; a page that scrolls sideways has the first larger.
func pageWidth(scroll, inner *int64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := chromedp.Evaluate(`document.scrollingElement.scrollWidth`, scroll).Do(ctx); err != nil {
			return err
		}
		return chromedp.Evaluate(`window.innerWidth`, inner).Do(ctx)
	})
}

// scripts turns the page's JavaScript off or on, as a contact's browser
// may have it.
func scripts(on bool) chromedp.Action {
	return emulation.SetScriptExecutionDisabled(!on)
}

// mailLinks closes an e-mail conversation through the webhook API and
// returns the closing e-mail's signed links, one per face, and the session.
func mailLinks(t *testing.T, srv *httptest.Server, id, contact, lang string) ([]string, string) {
	t.Helper()
	conv := longConversationAt(time.Now().UTC(), id, contact, "email", lang)
	conv.Contact.Name = "Claire"
	closed := closeConversation(t, srv, conv)
	require.Len(t, closed.Outbound, 1)
	var links []string
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1) {
		links = append(links, html.UnescapeString(m[1]))
	}
	require.Len(t, links, 5)
	require.True(t, strings.HasPrefix(links[3], srv.URL+"/rate?t="))
	return links, closed.Session.ID
}

// TestBrowser drives the demo in headless Chromium. A mail scanner's GET
// or HEAD of an e-mailed link records nothing; a contact's browser records
// the clicked face with no second click and lands, after a redirect, on
// the comment box, which Reload keeps; with JavaScript off the page waits
// for its button. The pages fit a 390 px phone without scrolling sideways,
// and the dashboard then shows the same figures as the JSON report, two
// responses more than before.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	days, perDay := 21, 15
	if *updateScreenshots {
		days, perDay = 90, 40 // what `go run` shows
	}
	a, srv, _ := newSeededApp(t, days, perDay)
	a.conversationURL = "https://helpdesk.example/c/{conversation}"

	var before reportJSON
	require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report", nil, &before))

	// A mail scanner fetches every link of the e-mail: nothing is recorded.
	links, sid := mailLinks(t, srv, "conv-browser", "claire", "fr-FR")
	for _, link := range links {
		for _, method := range []string{http.MethodHead, http.MethodGet} {
			req, err := http.NewRequest(method, link, nil)
			require.NoError(t, err)
			res, err := srv.Client().Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			assert.Equal(t, http.StatusOK, res.StatusCode, method)
		}
	}
	assert.False(t, sessionState(t, a, sid).Rated, "a scanner's GET or HEAD rates nothing")

	// The contact clicks the "4" face in the e-mail: the browser records
	// it with no second click, and the redirect lands on the comment box.
	var heading, rating, location string
	var history int64
	require.NoError(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(900, 760),
		chromedp.Navigate(links[3]),
		chromedp.WaitVisible(`#comment`, chromedp.ByID),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Text(`#rating`, &rating, chromedp.ByID),
		chromedp.Location(&location),
		chromedp.Evaluate(`history.length`, &history),
	))
	s := sessionState(t, a, sid)
	require.True(t, s.Rated, "one click rated")
	assert.Equal(t, 4, s.Rating, "the clicked face")
	assert.Equal(t, links[3], location, "redirected back to the link's page (POST, redirect, GET)")
	assert.Contains(t, heading, "Merci")
	assert.Contains(t, rating, "Bien", "the rating given")
	assert.EqualValues(t, 2, history, "the confirming POST replaced the opened page: Back leaves the survey")

	// Reload keeps the comment box (no "already answered").
	var commentShot []byte
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(`#comment`, chromedp.ByID),
		chromedp.FullScreenshot(&commentShot, 100),
	))
	saveScreenshot(t, "rating-comment.png", commentShot)

	// The phone: the comment page fits 390 px.
	var scroll, inner int64
	require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(),
		chromedp.WaitVisible(`#comment`, chromedp.ByID), pageWidth(&scroll, &inner)))
	assert.LessOrEqual(t, scroll, inner, "the comment page scrolls sideways on a phone")

	// The comment, then the thanks, again after a redirect.
	var done string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(900, 760),
		chromedp.SendKeys(`#comment`, "Réponse rapide et claire, merci !", chromedp.ByID),
		chromedp.Click(`#send-comment`, chromedp.ByID),
		chromedp.WaitVisible(`#done`, chromedp.ByID),
		chromedp.Text(`#done`, &done, chromedp.ByID),
		chromedp.Location(&location),
	))
	assert.Contains(t, done, "Merci")
	assert.Equal(t, links[3]+"&done", location)
	s = sessionState(t, a, sid)
	assert.Equal(t, "Réponse rapide et claire, merci !", s.Comment)
	assert.Equal(t, 4, s.Rating)

	// The link is single-use: opened again, it says so in the contact's
	// language (the browser speaks English).
	var used string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(links[0]),
		chromedp.WaitVisible(`#error`, chromedp.ByID),
		chromedp.Text(`#error`, &used, chromedp.ByID),
	))
	assert.Contains(t, used, "déjà répondu")

	// With JavaScript off, the page pre-selects the face and waits for the
	// button; the contact picks 5 instead and confirms.
	links2, sid2 := mailLinks(t, srv, "conv-browser-2", "claire-2", "fr-FR")
	var checked string
	var rateShot []byte
	require.NoError(t, chromedp.Run(ctx,
		scripts(false),
		chromedp.Navigate(links2[3]),
		chromedp.WaitVisible(`#confirm`, chromedp.ByID),
		chromedp.Value(`input[name=score]:checked`, &checked, chromedp.ByQuery),
		chromedp.FullScreenshot(&rateShot, 100),
	))
	assert.Equal(t, "4", checked)
	saveScreenshot(t, "rating-page.png", rateShot)
	require.NoError(t, chromedp.Run(ctx, chromedp.Sleep(300*time.Millisecond)))
	assert.False(t, sessionState(t, a, sid2).Rated, "without script nothing is recorded before the button")
	require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(),
		chromedp.WaitVisible(`#confirm`, chromedp.ByID), pageWidth(&scroll, &inner)))
	assert.LessOrEqual(t, scroll, inner, "the rating page scrolls sideways on a phone")
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Click(`input[name=score][value="5"]`, chromedp.ByQuery),
		chromedp.Click(`#confirm`, chromedp.ByID),
		chromedp.WaitVisible(`#comment`, chromedp.ByID),
		chromedp.Location(&location),
		scripts(true),
	))
	assert.Equal(t, links2[3], location)
	s = sessionState(t, a, sid2)
	require.True(t, s.Rated)
	assert.Equal(t, 5, s.Rating, "the confirmed choice, not the link's")

	// The dashboard now counts both responses, and its figures are the
	// JSON report's.
	var after reportJSON
	require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report", nil, &after))
	assert.Equal(t, before.Overall.Count+2, after.Overall.Count)
	assert.Equal(t, before.Overall.Distribution[3]+1, after.Overall.Distribution[3])
	assert.Equal(t, before.Overall.Distribution[4]+1, after.Overall.Distribution[4])

	var dashShot []byte
	var headlineText, responsesText, anaText string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(1400, 1000),
		// The registry shows the low ratings, where comments and
		// supervisor reviews are; the figures above ignore that filter.
		chromedp.Navigate(srv.URL+"/?rating_min=1&rating_max=2"),
		chromedp.WaitVisible(`#trend-chart`, chromedp.ByID),
		chromedp.Text(`#fig-headline`, &headlineText, chromedp.ByID),
		chromedp.Text(`#fig-responses`, &responsesText, chromedp.ByID),
		chromedp.Text(`#agents tr[data-key="ana"] td.n`, &anaText, chromedp.ByQuery),
		chromedp.FullScreenshot(&dashShot, 100),
	))
	assert.Equal(t, fmt.Sprintf("%.1f%%", after.Overall.CSAT.Estimate), strings.TrimSpace(headlineText))
	assert.Equal(t, thousands(after.Overall.Count), strings.TrimSpace(responsesText))
	var ana *rowJSON
	for i := range after.ByAgent {
		if after.ByAgent[i].Key == "ana" {
			ana = &after.ByAgent[i]
		}
	}
	require.NotNil(t, ana, "Ana took part in the rated conversations")
	assert.Equal(t, fmt.Sprint(ana.Count), strings.TrimSpace(anaText))
	saveScreenshot(t, "dashboard.png", dashShot)

	// The dashboard on a phone, then at laptop widths: no page scrolls
	// sideways, the registry is cards on the phone, and no ranking table
	// is cut off by its panel.
	var phoneShot []byte
	for _, width := range []int64{390, 1280, 1400} {
		var l dashboardLayout
		require.NoError(t, chromedp.Run(ctx,
			chromedp.EmulateViewport(width, 844),
			chromedp.Reload(),
			chromedp.WaitVisible(`#trend-chart`, chromedp.ByID),
			chromedp.Evaluate(dashboardLayoutJS, &l),
		))
		assert.LessOrEqual(t, l.Scroll, l.Inner, "the dashboard scrolls sideways at %d px", width)
		assert.Empty(t, l.Cut, "tables cut off at %d px", width)
		assert.Positive(t, l.Rows, "the registry lists ratings")
		if width == 390 {
			assert.Equal(t, "block", l.RowDisplay, "the registry is cards on a phone")
			assert.Equal(t, "Rated or reviewed", l.FirstLabel, "each card names its fields")
			assert.LessOrEqual(t, l.WidestRow, l.Inner, "a card fits the phone")
			require.NoError(t, chromedp.Run(ctx, chromedp.FullScreenshot(&phoneShot, 100)))
		} else {
			assert.Equal(t, "table-row", l.RowDisplay, "the registry is a table at %d px", width)
		}
	}
	saveScreenshot(t, "dashboard-phone.png", phoneShot)

	// The last 10 days against the 10 before, at a laptop's width and a
	// phone's: each change is the library's comparison.
	for _, width := range []int64{1280, 390} {
		checkChanges(t, ctx, a, srv, width)
	}
}

// shownChanges is what changesJS reads of the dashboard's changes.
type shownChanges struct {
	Head, HeadClass, HeadTip string
	Agents                   map[string][2]string // key → text, class
	Hidden                   int64                // change cells not shown
	Scroll, Inner            int64
}

// changesJS reads the headline's change and the agents' changes.
const changesJS = `(() => {
	const head = document.querySelector("#card-headline .change .delta");
	const agents = {};
	let hidden = 0;
	document.querySelectorAll("#agents tbody tr[data-key]").forEach(tr => {
		const td = tr.querySelector("td.chg");
		if (!td || getComputedStyle(td).display === "none") { hidden++; return; }
		const d = td.querySelector(".delta");
		agents[tr.dataset.key] = d ? [d.firstElementChild.nextSibling.textContent, d.className] : ["", ""];
	});
	return {head: head ? head.firstElementChild.nextSibling.textContent : "", headClass: head ? head.className : "",
		headTip: head ? head.title : "", agents: agents, hidden: hidden,
		scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth};
})()`

// checkChanges opens the dashboard for the last 10 days at width and
// checks the changes it shows against report.Compare over the same
// periods: the headline CSAT's and every agent's, with the significance
// marks and a tooltip in plain words, on a page that does not scroll
// sideways.
func checkChanges(t *testing.T, ctx context.Context, a *app, srv *httptest.Server, width int64) {
	t.Helper()
	today := time.Now().UTC().Truncate(24 * time.Hour)
	from, to := today.AddDate(0, 0, -9), today.AddDate(0, 0, 1)
	prevFrom, prevTo := report.PreviousPeriod(from, to)
	want, err := report.Compare(context.Background(), a.store, tenant,
		report.Options{Scale: a.scales["csat"], Filter: report.Filter{Surveys: []string{"csat"}, From: prevFrom, To: prevTo}},
		report.Options{Scale: a.scales["csat"], Filter: report.Filter{Surveys: []string{"csat"}, From: from, To: to}}, 0.95)
	require.NoError(t, err)
	require.True(t, want.Overall.CSAT.Comparable, "both periods have responses")

	var got shownChanges
	require.NoError(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(width, 900),
		chromedp.Navigate(srv.URL+"/?from="+from.Format(dateLayout)+"&to="+today.Format(dateLayout)),
		chromedp.WaitVisible(`#trend-chart`, chromedp.ByID),
		chromedp.Evaluate(changesJS, &got),
	))
	classOf := func(d scoring.Difference) string {
		c := "flat"
		switch {
		case d.Change > 0:
			c = "up"
		case d.Change < 0:
			c = "down"
		}
		if d.Significant {
			c += " sig"
		}
		return "delta " + c
	}
	assert.Equal(t, fmt.Sprintf("%+.1f", want.Overall.CSAT.Change), got.Head, "%d px: the headline's change", width)
	assert.Equal(t, classOf(want.Overall.CSAT), got.HeadClass, "%d px: marked significant exactly when it is", width)
	assert.Contains(t, got.HeadTip, fmt.Sprintf("from %.1f%% in the previous 10 days", want.Overall.CSAT.Before), "%d px", width)
	if want.Overall.CSAT.Significant {
		assert.Contains(t, got.HeadTip, "More than chance", "%d px", width)
	} else {
		assert.Contains(t, got.HeadTip, "Could be chance", "%d px", width)
	}
	assert.Zero(t, got.Hidden, "%d px: every agent's change is shown", width)
	require.NotEmpty(t, got.Agents, "%d px", width)
	for _, c := range want.ByAgent {
		shown, ok := got.Agents[c.Key]
		if !c.CSAT.Comparable {
			continue // "new" or no row
		}
		require.True(t, ok, "%d px: agent %s has a change", width, c.Key)
		assert.Equal(t, [2]string{fmt.Sprintf("%+.1f", c.CSAT.Change), classOf(c.CSAT)}, shown, "%d px: agent %s", width, c.Key)
	}
	assert.LessOrEqual(t, got.Scroll, got.Inner, "the dashboard with changes scrolls sideways at %d px", width)
}

// dashboardLayout is what dashboardLayoutJS measures of the dashboard.
type dashboardLayout struct {
	Scroll, Inner, WidestRow, Rows int64
	Cut                            []string
	RowDisplay, FirstLabel         string
}

// dashboardLayoutJS measures the page's width and the window's, the
// tables wider than their panel, and how the registry's rows show.
const dashboardLayoutJS = `(() => {
	const rows = [...document.querySelectorAll("#registry tbody tr[data-session]")];
	const first = rows.length ? rows[0].querySelector("td") : null;
	return {
		scroll: document.scrollingElement.scrollWidth,
		inner: window.innerWidth,
		cut: [...document.querySelectorAll(".panel table")].filter(t => t.offsetParent && t.scrollWidth > t.closest(".panel").clientWidth).map(t => t.id || t.className),
		rows: rows.length,
		rowDisplay: rows.length ? getComputedStyle(rows[0]).display : "",
		firstLabel: first ? getComputedStyle(first, "::before").content.replace(/"/g, "") : "",
		widestRow: Math.max(0, ...rows.map(r => Math.ceil(r.getBoundingClientRect().right))),
	};
})()`

// TestBrowserPhoneEveryLanguage opens, in every shipped language on a
// 390 px phone, the e-mail's rating block (in the page a mail client
// shows it in), the question without JavaScript, the comment box, the
// thanks and a used link: none scrolls sideways.
func TestBrowserPhoneEveryLanguage(t *testing.T) {
	ctx := browser(t)
	_, srv := newMemoryApp(t)
	for _, lang := range []string{"en", "es", "fr", "ru", "pt", "de"} {
		fragment, links := emailRating(t, srv, "conv-phone-"+lang, "contact-phone-"+lang, lang)
		link := links[0]
		for _, p := range []struct {
			name  string
			steps chromedp.Tasks
		}{
			{"the e-mail", chromedp.Tasks{chromedp.Navigate(emailPage(lang, fragment)), chromedp.WaitVisible(`.surveyflow-rating`, chromedp.ByQuery)}},
			{"the question", chromedp.Tasks{scripts(false), chromedp.Navigate(link), chromedp.WaitVisible(`#confirm`, chromedp.ByID), scripts(true)}},
			{"the comment box", chromedp.Tasks{chromedp.Click(`#confirm`, chromedp.ByID), chromedp.WaitVisible(`#comment`, chromedp.ByID)}},
			{"the thanks", chromedp.Tasks{chromedp.SendKeys(`#comment`, "ok", chromedp.ByID), chromedp.Click(`#send-comment`, chromedp.ByID), chromedp.WaitVisible(`#done`, chromedp.ByID)}},
			{"a used link", chromedp.Tasks{chromedp.Navigate(link), chromedp.WaitVisible(`#error`, chromedp.ByID)}},
		} {
			var scroll, inner int64
			require.NoError(t, chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), p.steps, pageWidth(&scroll, &inner)), "%s, %s", lang, p.name)
			assert.LessOrEqual(t, scroll, inner, "%s, %s: scrolls sideways at 390 px", lang, p.name)
		}
	}
}

// emailRating closes an e-mail conversation of a contact speaking lang
// and returns the e-mail's rating block and its five links.
func emailRating(t *testing.T, srv *httptest.Server, id, contact, lang string) (string, []string) {
	t.Helper()
	closed := closeConversation(t, srv, longConversation(id, contact, "email", lang))
	require.Len(t, closed.Outbound, 1)
	var links []string
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1) {
		links = append(links, html.UnescapeString(m[1]))
	}
	require.Len(t, links, 5)
	return closed.Outbound[0].HTML, links
}
