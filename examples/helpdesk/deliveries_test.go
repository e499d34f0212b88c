package main

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A contact rates 1 on the e-mailed rating page and comments: the host's
// code is nothing but its deliveries, and the alert, the agent's notice
// and the comment's follow-up reach its senders, listed newest first at
// GET /api/notifications with every field of a notification.
func TestARatingOfOneOnTheRatingPageReachesTheAlertSender(t *testing.T) {
	_, srv := newMemoryApp(t)
	closed := closeConversation(t, srv, longConversation("c1", "chloe", "email", "es"))
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(closed.Outbound[0].HTML, -1)
	require.Len(t, links, 5)
	link := html.UnescapeString(links[0][1]) // the "1" face
	u, err := url.Parse(link)
	require.NoError(t, err)
	token := u.Query().Get("t")
	status, page := getPage(t, link)
	require.Equal(t, http.StatusOK, status)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, csrf)
	for _, form := range []url.Values{
		{"t": {token}, "csrf": {csrf[1]}, "action": {"rate"}, "score": {"1"}},
		{"t": {token}, "csrf": {csrf[1]}, "action": {"comment"}, "comment": {"Nadie me ayudó."}},
	} {
		res, err := http.PostForm(srv.URL+"/rate", form)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
	}

	var none struct {
		Notifications []deliveryJSON `json:"notifications"`
	}
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/notifications", nil, &none))
	assert.Empty(t, none.Notifications, "nothing is delivered before the deliveries run")

	var delivered struct {
		Delivered int `json:"delivered"`
		Failed    int `json:"failed"`
	}
	require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/deliver", nil, &delivered))
	assert.Equal(t, 0, delivered.Failed)
	assert.Equal(t, 6, delivered.Delivered, "the rating request, the comment question, the thanks and three notifications")

	var got struct {
		Notifications []deliveryJSON `json:"notifications"`
	}
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/notifications", nil, &got))
	require.Len(t, got.Notifications, 3)
	followUp, notice, alert := got.Notifications[0].Notification, got.Notifications[1].Notification, got.Notifications[2].Notification
	require.NotNil(t, alert)
	assert.Equal(t, "low_score", alert.Kind)
	assert.Equal(t, 1, alert.Score)
	assert.Equal(t, []string{"sup-lucia"}, alert.Recipients)
	require.NotNil(t, notice)
	assert.Equal(t, "rated", notice.Kind)
	assert.Equal(t, []string{"ana"}, notice.Recipients)
	require.NotNil(t, followUp)
	assert.Equal(t, "low_score_comment", followUp.Kind)
	assert.Equal(t, "Nadie me ayudó.", followUp.Comment)
	assert.Equal(t, alert.IdempotencyKey, followUp.Follows)

	require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/deliver", nil, &delivered))
	assert.Equal(t, 0, delivered.Delivered, "acknowledged: never handed out again")

	// Erasing the contact erases the demo's own records of what it sent.
	status, body := call(t, srv, "DELETE", "/api/contacts/chloe", nil)
	require.Equal(t, http.StatusOK, status, string(body))
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/notifications", nil, &got))
	assert.Empty(t, got.Notifications, "the alert quoted the erased contact's words")
	_, body = call(t, srv, "GET", "/api/notifications", nil)
	assert.NotContains(t, string(body), "Nadie me ayudó")
}

// Every /api/ route the demo does not have answers a JSON error, as the
// API's other errors do.
func TestUnknownAPIRoutesAnswerJSON(t *testing.T) {
	_, srv := newMemoryApp(t)
	for _, path := range []string{"/api/nope", "/api/sessions", "/api/contacts/x/y"} {
		var body apiError
		status := callJSON(t, srv, "GET", path, nil, &body)
		assert.Equal(t, http.StatusNotFound, status, path)
		assert.Contains(t, body.Error, path)
	}
	var body apiError
	assert.Equal(t, http.StatusMethodNotAllowed, callJSON(t, srv, "GET", "/api/deliver", nil, &body), "a route's other method")
	assert.Contains(t, body.Error, "POST")
}
