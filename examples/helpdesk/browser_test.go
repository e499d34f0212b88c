package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write docs/dashboard.png and docs/rating-page.png from the browser test")

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

// TestBrowser drives the demo in headless Chromium: a contact follows the
// e-mailed link, changes the pre-selected rating, confirms it, leaves a
// comment, and the dashboard then shows the same figures as the JSON
// report, one response more than before.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	days, perDay := 21, 15
	if *updateScreenshots {
		days, perDay = 90, 40 // what `go run` shows
	}
	a, srv, _ := newSeededApp(t, days, perDay)

	var before reportJSON
	require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report", nil, &before))

	// The helpdesk closes an e-mail conversation; the closing e-mail
	// carries one signed link per face.
	conv := longConversationAt(time.Now().UTC(), "conv-browser", "claire", "email", "fr-FR")
	conv.Contact.Name = "Claire"
	closed := closeConversation(t, srv, conv)
	require.Len(t, closed.Outbound, 1)
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1)
	require.Len(t, links, 5)
	link := html.UnescapeString(links[3][1]) // the "4" face
	require.True(t, strings.HasPrefix(link, srv.URL+"/rate?t="))

	// Opening the link records nothing: the 4 is only pre-selected.
	var checked string
	var rateShot []byte
	require.NoError(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(900, 760),
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#confirm`, chromedp.ByID),
		chromedp.Value(`input[name=score]:checked`, &checked, chromedp.ByQuery),
		chromedp.FullScreenshot(&rateShot, 100),
	))
	assert.Equal(t, "4", checked)
	assert.False(t, sessionState(t, a, closed.Session.ID).Rated, "a scanner opening the link rates nothing")
	saveScreenshot(t, "rating-page.png", rateShot)

	// The contact picks 5 instead, confirms, and writes a comment.
	var heading, done string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Click(`input[name=score][value="5"]`, chromedp.ByQuery),
		chromedp.Click(`#confirm`, chromedp.ByID),
		chromedp.WaitVisible(`#comment`, chromedp.ByID),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.SendKeys(`#comment`, "Réponse rapide et claire, merci !", chromedp.ByID),
		chromedp.Click(`#send-comment`, chromedp.ByID),
		chromedp.WaitNotPresent(`#comment`, chromedp.ByID),
		chromedp.Text(`h1`, &done, chromedp.ByQuery),
	))
	assert.NotEmpty(t, heading)
	assert.NotEmpty(t, done)
	s := sessionState(t, a, closed.Session.ID)
	require.True(t, s.Rated)
	assert.Equal(t, 5, s.Rating, "the confirmed choice, not the link's")
	assert.Equal(t, "Réponse rapide et claire, merci !", s.Comment)

	// The link is single-use.
	var used string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(`main`, chromedp.ByQuery),
		chromedp.Text(`main`, &used, chromedp.ByQuery),
	))
	assert.NotContains(t, used, "confirm", "no form for a used link")

	// The dashboard now counts the new response, and its figures are the
	// JSON report's.
	var after reportJSON
	require.Equal(t, 200, callJSON(t, srv, "GET", "/api/report", nil, &after))
	assert.Equal(t, before.Overall.Count+1, after.Overall.Count)
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
	require.NotNil(t, ana, "Ana took part in the rated conversation")
	assert.Equal(t, fmt.Sprint(ana.Count), strings.TrimSpace(anaText))
	saveScreenshot(t, "dashboard.png", dashShot)
}
