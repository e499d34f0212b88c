package main

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

func TestTheRatingLinkPageIsMountedAndRecordsOnlyOnConfirmation(t *testing.T) {
	a, srv := newMemoryApp(t)
	closed := closeConversation(t, srv, longConversation("c1", "chloe", "email", "fr-CA"))
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1)
	require.Len(t, links, 5)
	link := html.UnescapeString(links[1][1]) // the "2" face
	u, err := url.Parse(link)
	require.NoError(t, err)
	token := u.Query().Get("t")

	status, page := getPage(t, link)
	require.Equal(t, 200, status)
	assert.Contains(t, page, `value="2" checked`)
	assert.Contains(t, page, `lang="fr"`)
	assert.False(t, sessionState(t, a, closed.Session.ID).Rated, "opening the link records nothing")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, csrf)

	post := func(form url.Values) (int, string) {
		res, err := http.PostForm(srv.URL+"/rate", form)
		require.NoError(t, err)
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(data)
	}
	t.Run("a link signed with another key is refused", func(t *testing.T) {
		other, err := survey.NewLinkSigner(survey.LinkKey{ID: "demo", Secret: []byte(strings.Repeat("x", 32))})
		require.NoError(t, err)
		s := sessionState(t, a, closed.Session.ID)
		forged, err := other.Sign(tenant, s.ID, 1, s.Deadline)
		require.NoError(t, err)
		status, _ := getPage(t, srv.URL+"/rate?t="+forged)
		assert.Equal(t, http.StatusForbidden, status)
	})
	t.Run("a link that is not a token is a 400", func(t *testing.T) {
		status, _ := getPage(t, srv.URL+"/rate?t=nonsense")
		assert.Equal(t, http.StatusBadRequest, status)
	})
	t.Run("a POST without the form's CSRF token is refused", func(t *testing.T) {
		status, _ := post(url.Values{"t": {token}, "action": {"rate"}, "score": {"1"}})
		assert.Equal(t, http.StatusForbidden, status)
		assert.False(t, sessionState(t, a, closed.Session.ID).Rated)
	})
	t.Run("the confirming POST records the chosen score and offers the comment box", func(t *testing.T) {
		status, page := post(url.Values{"t": {token}, "csrf": {csrf[1]}, "action": {"rate"}, "score": {"3"}})
		require.Equal(t, 200, status)
		assert.Contains(t, page, `<textarea id="comment"`)
		s := sessionState(t, a, closed.Session.ID)
		assert.True(t, s.Rated)
		assert.Equal(t, 3, s.Rating)
		status, _ = post(url.Values{"t": {token}, "csrf": {csrf[1]}, "action": {"comment"}, "comment": {"Un peu lent."}})
		require.Equal(t, 200, status)
		assert.Equal(t, "Un peu lent.", sessionState(t, a, closed.Session.ID).Comment)
	})
	t.Run("the link then works no more", func(t *testing.T) {
		status, _ := getPage(t, link)
		assert.Equal(t, http.StatusConflict, status)
	})
	t.Run("the health check answers", func(t *testing.T) {
		status, body := getPage(t, srv.URL+"/healthz")
		assert.Equal(t, 200, status)
		assert.Equal(t, "ok\n", body)
	})
}
