package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
)

// FuzzWebhooks posts arbitrary bodies to every webhook: each answer is a
// 2xx or a 4xx with a JSON error, never a 5xx or a panic.
func FuzzWebhooks(f *testing.F) {
	f.Add(uint8(0), `{"id":"c1","channel":"whatsapp","contact":{"id":"maria","language":"es"},"participants":[{"id":"ana","kind":"human"}],"messages":[{"from":"agent","author_id":"ana","text":"hola"}]}`)
	f.Add(uint8(1), `{"contact_id":"maria","channel":"whatsapp","message_id":"m1","text":"5"}`)
	f.Add(uint8(2), `{"session_id":"x","reviewer_id":"sup","score":3,"comment":"ok"}`)
	f.Add(uint8(3), `{"conversation":{"id":"c","channel":"email","contact":{"id":"a"}},"survey_id":"nps"}`)
	f.Add(uint8(0), `{"id":"\xff\xfe","channel":"","contact":{"id":"\u0000"}}`)
	f.Add(uint8(1), `[`)
	f.Add(uint8(4), ``)
	a, err := newApp(config{store: memory.New(), secret: testSecret})
	require.NoError(f, err)
	a.clock.set(testNow)
	h := a.handler()
	paths := []string{"/api/conversations/closed", "/api/messages", "/api/reviews", "/api/conversations/request", "/api/sweep"}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		path := paths[int(which)%len(paths)]
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.Contains(rec.Body.String(), `"error"`) {
			t.Fatalf("%s %q: %d without a JSON error: %s", path, body, rec.Code, rec.Body)
		}
	})
}

// FuzzDashboardFilters requests the dashboard, the report and the export
// with arbitrary query strings: a 200 or a 400, never a 5xx or a panic.
func FuzzDashboardFilters(f *testing.F) {
	for _, q := range []string{"", "survey=nps", "from=2026-11-01&to=2026-11-20", "rating_min=1&rating_max=9", "to=2026-13-45", "after_at=x&after_id=y", "agent=%ff", "from=0001-01-01"} {
		f.Add(q)
	}
	a, err := newApp(config{store: memory.New(), secret: testSecret})
	require.NoError(f, err)
	a.clock.set(testNow)
	h := a.handler()
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/", "/api/report", "/export.csv"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = q
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 && rec.Code != 400 {
				t.Fatalf("%s?%s: %d %s", path, q, rec.Code, rec.Body)
			}
		}
	})
}
