package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

// A browser on another site cannot make the demo store anything: a
// text/plain POST needs no CORS preflight, so without the cross-origin
// protection any web page could post a review. The demo's own pages and
// server-to-server clients (no Origin, no Sec-Fetch-Site) still can.
func TestCrossSiteRequestsAreRefusedAndServerClientsAreNot(t *testing.T) {
	a, srv := newMemoryApp(t)
	closed := closeConversation(t, srv, longConversation("c-cors", "maria", "whatsapp", "es"))
	review := func(score int, header ...string) int {
		t.Helper()
		body, err := json.Marshal(reviewJSON{SessionID: closed.Session.ID, ReviewerID: "sup-lucia", Score: score})
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/reviews", strings.NewReader(string(body)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "text/plain")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}

	assert.Equal(t, http.StatusForbidden, review(1, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), "a browser on another site")
	assert.Equal(t, http.StatusForbidden, review(1, "Sec-Fetch-Site", "same-site", "Origin", "http://other.127.0.0.1.nip.io"), "another origin of the same site")
	assert.Equal(t, http.StatusForbidden, review(1, "Origin", "https://evil.example"), "an older browser that only sends Origin")
	assert.Nil(t, sessionState(t, a, closed.Session.ID).Review, "nothing stored")

	assert.Equal(t, http.StatusOK, review(2), "a server calling the webhook API")
	assert.Equal(t, 2, sessionState(t, a, closed.Session.ID).Review.Score)
	assert.Equal(t, http.StatusOK, review(3, "Sec-Fetch-Site", "same-origin", "Origin", srv.URL), "the demo's own pages")
	assert.Equal(t, 3, sessionState(t, a, closed.Session.ID).Review.Score)
	assert.Equal(t, http.StatusOK, review(4, "Origin", srv.URL), "an older browser on the demo's own page")
	assert.Equal(t, 4, sessionState(t, a, closed.Session.ID).Review.Score)

	// Reading stays open, from anywhere: GET is safe.
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/report", nil)
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
}

// The command logs every request (without the rating links' tokens) and
// the engine's decisions: a tester sees why a conversation was not
// surveyed.
func TestTheCommandLogsRequestsAndWhyAConversationWasNotSurveyed(t *testing.T) {
	o := options{dbPath: filepath.Join(t.TempDir(), "demo.db"), noSeed: true, logLevel: -4}
	short := survey.Conversation{ID: "conv-short", Channel: "whatsapp",
		Contact:      survey.Contact{ID: "lea", Language: "fr"},
		Participants: []survey.Participant{{ID: "ana", Name: "Ana", Kind: "human"}},
		Messages:     []survey.Message{{From: "contact", Text: "Merci"}, {From: "agent", AuthorID: "ana", Text: "Avec plaisir"}}}
	var token string
	log := serveOnce(t, o, func(url string) {
		body, err := json.Marshal(short)
		require.NoError(t, err)
		res, err := http.Post(url+"/api/conversations/closed", "application/json", strings.NewReader(string(body)))
		require.NoError(t, err)
		var out resultJSON
		require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
		res.Body.Close()
		require.NotNil(t, out.Eligible)
		assert.False(t, *out.Eligible)

		body, err = json.Marshal(longConversationAt(time.Now().UTC(), "conv-mail", "jo", "email", "en"))
		require.NoError(t, err)
		res, err = http.Post(url+"/api/conversations/closed", "application/json", strings.NewReader(string(body)))
		require.NoError(t, err)
		require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
		res.Body.Close()
		require.True(t, out.Eligible != nil && *out.Eligible)
		link := regexp.MustCompile(`href="[^"]*\?t=([^"&]+)"`).FindStringSubmatch(out.Outbound[0].HTML)
		require.NotNil(t, link)
		token = link[1]
		res, err = http.Get(url + "/rate?t=" + token)
		require.NoError(t, err)
		res.Body.Close()
	})
	assert.Contains(t, log, `msg="surveyflow: not surveyed"`)
	assert.Contains(t, log, "conversation=conv-short", "which conversation")
	assert.Regexp(t, `codes="?\[[a-z_ ]+`, log, "and why")
	assert.Contains(t, log, `msg="surveyflow: survey started"`)
	assert.Contains(t, log, "method=POST path=/api/conversations/closed status=200")
	assert.Contains(t, log, "method=GET path=/rate status=200")
	assert.NotContains(t, log, token, "a rating link's token is the contact's capability: never logged")
}

// SIGTERM, what service managers and container runtimes send, stops the
// server gracefully like Ctrl-C; -addr takes host:port.
func TestTheCommandStopsGracefullyOnSIGTERM(t *testing.T) {
	var log syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- cli([]string{"-addr", "127.0.0.1:0", "-no-seed", "-db", filepath.Join(t.TempDir(), "demo.db"), "-log-level", "info"}, &log)
	}()
	var url string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`dashboard on (http://127\.0\.0\.1:[0-9]+)/`).FindStringSubmatch(log.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	}, 30*time.Second, 20*time.Millisecond, "serving: %s", &log)
	assert.NotEqual(t, "http://127.0.0.1:0", url, "port 0 picked a free port")
	res, err := http.Get(url + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	select {
	case c := <-code:
		assert.Equal(t, 0, c, log.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("still serving after SIGTERM: %s", log.String())
	}
	assert.Contains(t, log.String(), "shutting down")
	assert.Contains(t, log.String(), "stopped")
}

func TestTheListenAddressTakesHostPortOrHostAndPort(t *testing.T) {
	for _, tc := range []struct {
		o    options
		want string
	}{
		{options{addr: "127.0.0.1", port: 8080}, "127.0.0.1:8080"},
		{options{addr: "0.0.0.0:9000", port: 8080}, "0.0.0.0:9000"},
		{options{addr: ":9000", port: 8080}, ":9000"},
		{options{addr: "localhost:9000", port: 9000, portSet: true}, "localhost:9000"},
		{options{addr: "::1", port: 8080}, "[::1]:8080"},
		{options{addr: "[::1]:9000", port: 8080}, "[::1]:9000"},
	} {
		got, err := listenAddress(tc.o)
		require.NoError(t, err, tc.o.addr)
		assert.Equal(t, tc.want, got, tc.o.addr)
	}
	_, err := listenAddress(options{addr: "127.0.0.1:9000", port: 8081, portSet: true})
	assert.ErrorContains(t, err, "give the port once")
	assert.Equal(t, 2, cli([]string{"-no-such-flag"}, io.Discard))
	err = run(context.Background(), options{addr: "127.0.0.1:9000", port: 1, portSet: true, noSeed: true, dbPath: filepath.Join(t.TempDir(), "x.db")}, io.Discard)
	assert.ErrorContains(t, err, "give the port once", "run checks the address first")
}
