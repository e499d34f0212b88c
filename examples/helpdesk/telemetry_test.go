package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
)

// newTelemetryApp is newMemoryApp with telemetry on.
func newTelemetryApp(t *testing.T) (*app, *httptest.Server) {
	t.Helper()
	tel, err := newTelemetry()
	require.NoError(t, err)
	return newTestApp(t, config{store: memory.New(), secret: testSecret, telemetry: tel})
}

func TestTelemetryShowsTheSurveysSentAndAnsweredAndTheirSpans(t *testing.T) {
	_, srv := newTelemetryApp(t)
	var empty telemetryReport
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/telemetry", nil, &empty))
	assert.Zero(t, empty.Summary.Sent, "nothing happened yet")
	assert.Empty(t, empty.Spans)

	res := closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "en"))
	require.NotNil(t, res.Session)
	require.Len(t, res.Outbound, 1)
	closeConversation(t, srv, longConversation("c1", "maria", "whatsapp", "en")) // a retried close
	var msg resultJSON
	require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/messages", map[string]any{
		"contact_id": "maria", "channel": "whatsapp", "message_id": "m1", "text": "4"}, &msg))
	require.NotNil(t, msg.Session)

	var got telemetryReport
	require.Equal(t, http.StatusOK, callJSON(t, srv, "GET", "/api/telemetry", nil, &got))
	assert.Equal(t, telemetrySummary{Sent: 1, Answered: 1, Duplicates: 1, ResponseRate: 1}, got.Summary)

	byName := map[string]metricJSON{}
	for _, m := range got.Metrics {
		byName[m.Name] = m
	}
	sent := byName["surveyflow.surveys.sent"]
	require.Len(t, sent.Points, 1)
	assert.Equal(t, 1.0, *sent.Points[0].Value)
	assert.Equal(t, map[string]any{"surveyflow.channel": "whatsapp", "surveyflow.survey": "csat"}, sent.Points[0].Attributes)
	answered := byName["surveyflow.surveys.answered"]
	require.Len(t, answered.Points, 1)
	assert.Equal(t, 1.0, *answered.Points[0].Value)
	calls := byName["surveyflow.call.duration"]
	assert.Equal(t, "s", calls.Unit)
	var n uint64
	for _, p := range calls.Points {
		n += *p.Count
	}
	assert.Equal(t, uint64(3), n, "two closes and a message")
	assert.NotEmpty(t, byName["surveyflow.store.duration"].Points, "store calls are timed")

	require.Len(t, got.Spans, 3, "a span per engine call")
	newest := got.Spans[0]
	assert.True(t, strings.HasPrefix(newest.Name, "surveyflow."), newest.Name)
	assert.Contains(t, strings.ToLower(newest.Name), "message", "newest first: the answer")
	assert.Equal(t, res.Session.ID, newest.Attributes["surveyflow.session"])
	assert.Equal(t, "acme", newest.Attributes["surveyflow.tenant"])
	assert.Len(t, newest.TraceID, 32)
	assert.NotEqual(t, "Error", newest.Status)
	assert.Positive(t, newest.DurationMS)
}

func TestTheSpanRingKeepsTheNewest(t *testing.T) {
	tel, err := newTelemetry()
	require.NoError(t, err)
	tel.spans.keep = 3
	tracer := tel.tracers.Tracer("test")
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		_, s := tracer.Start(t.Context(), name)
		s.End()
	}
	var names []string
	for _, s := range tel.spans.newest() {
		names = append(names, s.Name())
	}
	assert.Equal(t, []string{"e", "d", "c"}, names)
	require.NoError(t, tel.shutdown(t.Context()))
}

func TestWithoutTelemetryThereIsNoEndpoint(t *testing.T) {
	_, srv := newMemoryApp(t)
	status, _ := call(t, srv, "GET", "/api/telemetry", nil)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestTheCommandServesTelemetryWithTheFlag(t *testing.T) {
	for _, on := range []bool{true, false} {
		o := options{dbPath: filepath.Join(t.TempDir(), "demo.db"), noSeed: true, telemetry: on}
		status := 0
		serveOnce(t, o, func(url string) {
			res, err := http.Get(url + "/api/telemetry")
			if assert.NoError(t, err) {
				res.Body.Close()
				status = res.StatusCode
			}
		})
		if on {
			assert.Equal(t, http.StatusOK, status, "-telemetry")
		} else {
			assert.Equal(t, http.StatusNotFound, status, "-telemetry=false")
		}
	}
}
