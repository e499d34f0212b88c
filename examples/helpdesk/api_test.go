package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

func TestClosingAConversationReturnsWhatTheEngineDecided(t *testing.T) {
	a, srv := newMemoryApp(t)

	t.Run("an eligible WhatsApp conversation gets a rating request in the contact's language", func(t *testing.T) {
		res := closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "es-AR"))
		require.NotNil(t, res.Eligible)
		assert.True(t, *res.Eligible)
		require.Len(t, res.Outbound, 1)
		out := res.Outbound[0]
		assert.Equal(t, "rating_request", out.Kind)
		assert.Equal(t, "es", out.Language)
		assert.Len(t, out.Choices, 5)
		assert.Equal(t, "rating:5", out.Choices[4].Payload)
		require.NotNil(t, res.Session)
		assert.Equal(t, "awaiting_rating", res.Session.State)
		assert.Equal(t, "csat", res.Session.SurveyID)
	})

	t.Run("a Telegram conversation gets the NPS survey", func(t *testing.T) {
		res := closeConversation(t, srv, longConversation("c2", "ivan", "telegram", "ru"))
		require.NotNil(t, res.Session)
		assert.Equal(t, "nps", res.Session.SurveyID)
		assert.Len(t, res.Outbound[0].Choices, 10)
	})

	t.Run("a two-line chat is not surveyed, with every failing rule", func(t *testing.T) {
		c := longConversation("c3", "ben", "whatsapp", "en")
		c.Messages = c.Messages[2:]
		res := closeConversation(t, srv, c)
		require.NotNil(t, res.Eligible)
		assert.False(t, *res.Eligible)
		var codes []string
		for _, f := range res.Failures {
			codes = append(codes, f.Code)
			assert.NotEmpty(t, f.Reason)
		}
		assert.Contains(t, codes, "not_answered_by_agent")
		assert.Empty(t, res.Outbound)
		assert.Nil(t, res.Session)
	})

	t.Run("a chat whose agents wrote only internal notes is not surveyed: answered_by_agent fails", func(t *testing.T) {
		c := longConversation("c6", "noa", "whatsapp", "en")
		for i := range c.Messages {
			if c.Messages[i].From == survey.FromAgent {
				c.Messages[i].Internal = true
			}
		}
		body, err := json.Marshal(c)
		require.NoError(t, err)
		require.Contains(t, string(body), `"internal":true`, "the webhook's JSON carries the flag")
		res := closeConversation(t, srv, c)
		require.NotNil(t, res.Eligible)
		assert.False(t, *res.Eligible)
		rules := map[string]string{}
		for _, f := range res.Failures {
			rules[f.Rule] = f.Code
		}
		assert.Equal(t, "not_answered_by_agent", rules["answered_by_agent"], "%+v", res.Failures)
		assert.Nil(t, res.Session)
	})

	t.Run("a retried close event is a duplicate and sends nothing twice", func(t *testing.T) {
		res := closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "es-AR"))
		assert.True(t, res.Duplicate)
		assert.Empty(t, res.Outbound)
		require.Len(t, res.Replay, 1)
		assert.Equal(t, "rating_request", res.Replay[0].Kind)
	})

	t.Run("a close retried without its time after the survey finished is still a duplicate; after a reopen the next close is a new close, surveyed once per conversation", func(t *testing.T) {
		c := longConversation("c5", "zoe", "whatsapp", "en")
		first := closeConversation(t, srv, c)
		require.NotNil(t, first.Session)
		var msg resultJSON
		for i, text := range []string{"5", "great"} {
			require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/messages", map[string]any{
				"contact_id": "zoe", "channel": "whatsapp", "message_id": "zoe-" + strconv.Itoa(i), "text": text}, &msg))
		}
		require.Equal(t, "completed", msg.Session.State)

		retry := c
		retry.ClosedAt = time.Time{}
		again := closeConversation(t, srv, retry)
		assert.True(t, again.Duplicate, "no second survey for a retried close")
		assert.Empty(t, again.Outbound)
		assert.Equal(t, first.Session.ID, again.Session.ID)

		var reopened resultJSON
		require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/conversations/reopened", c, &reopened))
		require.NotNil(t, reopened.Session)
		second := closeConversation(t, srv, retry)
		assert.False(t, second.Duplicate, "closed again after a reopen: a new close")
		assert.Empty(t, second.Outbound, "the demo's surveys ask once per conversation")
		require.Len(t, second.Failures, 1)
		assert.Equal(t, "already_surveyed", second.Failures[0].Code)
	})

	t.Run("an e-mail conversation carries signed links to this server's rating page", func(t *testing.T) {
		res := closeConversation(t, srv, longConversation("c4", "chloe", "email", "fr-CA"))
		require.Len(t, res.Outbound, 1)
		links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(res.Outbound[0].HTML, -1)
		require.Len(t, links, 5)
		for _, l := range links {
			assert.True(t, strings.HasPrefix(l[1], srv.URL+"/rate?t="), l[1])
		}
		_ = a
	})
}

func TestTheAPIRejectsBadInputWithAClearMessage(t *testing.T) {
	_, srv := newMemoryApp(t)
	huge := `{"id":"x","channel":"whatsapp","contact":{"id":"a"},"messages":[{"from":"contact","text":"` + strings.Repeat("a", maxBody) + `"}]}`
	cases := []struct {
		name, method, path string
		body               any
		status             int
		message            string
	}{
		{"malformed JSON", "POST", "/api/conversations/closed", `{"id":`, 400, "invalid JSON"},
		{"a JSON array instead of an object", "POST", "/api/messages", `[1,2]`, 400, "invalid JSON"},
		{"an unknown field", "POST", "/api/conversations/closed", `{"id":"c","chanel":"whatsapp"}`, 400, `unknown field "chanel"`},
		{"an empty body", "POST", "/api/reviews", ``, 400, "request body is empty"},
		{"two objects in one body", "POST", "/api/messages", `{"contact_id":"a"}{"contact_id":"b"}`, 400, "unexpected data after the JSON object"},
		{"a wrong type", "POST", "/api/reviews", `{"session_id":"s","score":"five"}`, 400, "invalid JSON"},
		{"a body over 1 MiB", "POST", "/api/conversations/closed", huge, 413, "larger than"},
		{"an unknown participant kind", "POST", "/api/conversations/closed", `{"id":"c","channel":"whatsapp","contact":{"id":"a"},"participants":[{"id":"x","kind":"robot"}]}`, 422, `participants[0].kind`},
		{"an unknown message author", "POST", "/api/conversations/closed", `{"id":"c","channel":"whatsapp","contact":{"id":"a"},"messages":[{"from":"boss"}]}`, 422, `messages[0].from`},
		{"a close without a contact", "POST", "/api/conversations/closed", `{"id":"c","channel":"whatsapp"}`, 422, "no contact ID"},
		{"a message without an ID", "POST", "/api/messages", `{"contact_id":"a","channel":"whatsapp","text":"5"}`, 422, "MessageID"},
		{"a review of an unknown session", "POST", "/api/reviews", `{"session_id":"nope","reviewer_id":"sup","score":3}`, 404, "not found"},
		{"a manual survey of an unknown survey", "POST", "/api/conversations/request", `{"survey_id":"ces","conversation":{"id":"c","channel":"whatsapp","contact":{"id":"a"}}}`, 404, "unknown survey"},
		{"an unknown session", "GET", "/api/sessions/nope", nil, 404, "not found"},
		{"a contact who never rated", "GET", "/api/contacts/nobody/last-rating", nil, 404, "not found"},
		{"a report of an unknown survey", "GET", "/api/report?survey=ces", nil, 400, `unknown survey "ces"`},
		{"a report with a bad date", "GET", "/api/report?from=yesterday", nil, 400, `parameter "from" must be a date`},
		{"a report whose period ends before it starts", "GET", "/api/report?from=2026-11-20&to=2026-11-01", nil, 400, `must not be after`},
		{"a report with an off-scale rating filter", "GET", "/api/report?rating_min=9", nil, 400, `"rating_min" must be a score from 1 to 5`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := call(t, srv, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, status, "%s", body)
			var e apiError
			require.NoError(t, json.Unmarshal(body, &e), "the answer is JSON: %s", body)
			assert.Contains(t, e.Error, tc.message)
		})
	}
	t.Run("a GET on a webhook is 405", func(t *testing.T) {
		status, _ := call(t, srv, "GET", "/api/conversations/closed", nil)
		assert.Equal(t, http.StatusMethodNotAllowed, status)
	})
	t.Run("an unknown path is 404", func(t *testing.T) {
		status, _ := call(t, srv, "GET", "/api/nothing", nil)
		assert.Equal(t, http.StatusNotFound, status)
	})
}

func TestAContactAnswersThroughTheMessageWebhook(t *testing.T) {
	a, srv := newMemoryApp(t)
	closed := closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "es-AR"))

	var res resultJSON
	require.Equal(t, 200, callJSON(t, srv, "POST", "/api/messages", inboundJSON{ContactID: "maria", Channel: "whatsapp", MessageID: "in-1", Text: "rating:2"}, &res))
	assert.True(t, *res.Consumed)
	require.Len(t, res.Outbound, 1)
	assert.Equal(t, "comment_request", res.Outbound[0].Kind)
	require.NotNil(t, res.Session.Rating)
	assert.Equal(t, 2, *res.Session.Rating)
	var kinds []string
	for _, n := range res.Notifications {
		kinds = append(kinds, n.Kind)
	}
	assert.Contains(t, kinds, "low_score", "2 is below the CSAT survey's LowScoreBelow")
	assert.Contains(t, kinds, "rated", "the agent is told (seed 004)")

	require.Equal(t, 200, callJSON(t, srv, "POST", "/api/messages", inboundJSON{ContactID: "maria", Channel: "whatsapp", MessageID: "in-2", Text: "Tardaron mucho."}, &res))
	assert.True(t, *res.Consumed)
	assert.Equal(t, "completed", res.Session.State)
	assert.Equal(t, "Tardaron mucho.", sessionState(t, a, closed.Session.ID).Comment)

	t.Run("a message after the survey is not consumed: a new conversation", func(t *testing.T) {
		require.Equal(t, 200, callJSON(t, srv, "POST", "/api/messages", inboundJSON{ContactID: "maria", Channel: "whatsapp", MessageID: "in-3", Text: "Otra consulta"}, &res))
		assert.False(t, *res.Consumed)
	})
	t.Run("the contact's last rating and the session can be looked up", func(t *testing.T) {
		var s sessionJSON
		require.Equal(t, 200, callJSON(t, srv, "GET", "/api/contacts/maria/last-rating", nil, &s))
		assert.Equal(t, closed.Session.ID, s.ID)
		require.NotNil(t, s.Rating)
		assert.Equal(t, 2, *s.Rating)
		assert.NotEmpty(t, s.Summary)
		require.Equal(t, 200, callJSON(t, srv, "GET", "/api/sessions/"+closed.Session.ID, nil, &s))
		assert.Equal(t, "Tardaron mucho.", s.Comment)
	})
	t.Run("a supervisor reviews it beside the contact's rating", func(t *testing.T) {
		require.Equal(t, 200, callJSON(t, srv, "POST", "/api/reviews", reviewJSON{SessionID: closed.Session.ID, ReviewerID: "sup-lucia", Score: 3, Comment: "Slow first answer"}, &res))
		require.NotNil(t, res.Session.Review)
		assert.Equal(t, 3, res.Session.Review.Score)
		assert.Equal(t, 2, *res.Session.Rating, "the contact's rating is kept apart")
		require.NotEmpty(t, res.Notifications)
		assert.Equal(t, "reviewed", res.Notifications[0].Kind)
		status, body := call(t, srv, "POST", "/api/reviews", reviewJSON{SessionID: closed.Session.ID, ReviewerID: "sup-lucia", Score: 9})
		assert.Equal(t, 422, status)
		assert.Contains(t, string(body), "not on the scale")
	})
}

func TestTheSweepExpiresUnansweredSurveys(t *testing.T) {
	a, srv := newMemoryApp(t)
	closed := closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "es"))

	var sw struct{ Sent, Expired int }
	require.Equal(t, 200, callJSON(t, srv, "POST", "/api/sweep", nil, &sw))
	assert.Equal(t, 0, sw.Expired, "within the 24 h window nothing expires")

	a.clock.set(testNow.Add(24*time.Hour + time.Minute))
	require.Equal(t, 200, callJSON(t, srv, "POST", "/api/sweep", nil, &sw))
	assert.Equal(t, 1, sw.Expired)
	assert.Equal(t, "expired", string(sessionState(t, a, closed.Session.ID).State))
}

func TestAManualSurveyBypassesTheRules(t *testing.T) {
	_, srv := newMemoryApp(t)
	c := longConversation("c9", "ben", "whatsapp", "en")
	c.Messages = c.Messages[2:] // too short for the rules
	var res resultJSON
	require.Equal(t, 200, callJSON(t, srv, "POST", "/api/conversations/request", requestJSON{Conversation: c, SurveyID: "nps", RequestedBy: "sup-marc"}, &res))
	require.NotNil(t, res.Session)
	assert.Equal(t, "manual", res.Session.Trigger)
	assert.Equal(t, "nps", res.Session.SurveyID)
}
