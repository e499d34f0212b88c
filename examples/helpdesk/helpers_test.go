package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/sqlite"
	"github.com/surveyflow/surveyflow/survey"
)

// testSecret keys the links and forms of every test app.
var testSecret = []byte(strings.Repeat("k", 32))

// testNow is where the fake clock of an unseeded test app stands.
var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// newMemoryApp returns an app on an in-memory store, its clock stopped at
// testNow, and a test server for it.
func newMemoryApp(t *testing.T) (*app, *httptest.Server) {
	t.Helper()
	return newTestApp(t, config{store: memory.New(), secret: testSecret})
}

// newTestApp returns an app on cfg, its clock stopped at testNow, and a
// test server for it.
func newTestApp(t *testing.T, cfg config) (*app, *httptest.Server) {
	t.Helper()
	a, err := newApp(cfg)
	require.NoError(t, err)
	a.clock.set(testNow)
	srv := httptest.NewServer(a.handler())
	t.Cleanup(srv.Close)
	a.setBaseURL(srv.URL)
	return a, srv
}

// newSeededApp returns an app on a SQLite file seeded with days of data
// ending at the real now, on the real clock.
// seededDBs holds each seeded app's database, for tests that look at
// every session (sync.Map of *app → *sql.DB).
var seededDBs sync.Map

func newSeededApp(t *testing.T, days, perDay int) (*app, *httptest.Server, seedStats) {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(t.TempDir(), "h.db")))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	st := must(sqlite.New(db))
	require.NoError(t, st.Migrate(context.Background()))
	a, err := newApp(config{store: st, secret: testSecret})
	require.NoError(t, err)
	seededDBs.Store(a, db)
	stats, err := a.seed(context.Background(), time.Now().UTC().Truncate(time.Minute), days, perDay, 7)
	require.NoError(t, err)
	srv := httptest.NewServer(a.handler())
	t.Cleanup(srv.Close)
	a.setBaseURL(srv.URL)
	return a, srv, stats
}

// call sends body (a string sent as is, or a value encoded as JSON) and
// returns the status and the raw answer.
func call(t *testing.T, srv *httptest.Server, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(t, err)
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, data
}

// callJSON is call that decodes a JSON answer into out.
func callJSON(t *testing.T, srv *httptest.Server, method, path string, body, out any) int {
	t.Helper()
	status, data := call(t, srv, method, path, body)
	require.NoError(t, json.Unmarshal(data, out), "answer: %s", data)
	return status
}

// longConversation is an eligible conversation (seed 000's rules) closed at
// testNow on channel ch.
func longConversation(id, contactID, ch, lang string) survey.Conversation {
	return longConversationAt(testNow, id, contactID, ch, lang)
}

// longConversationAt is longConversation closed a minute before now.
func longConversationAt(now time.Time, id, contactID, ch, lang string) survey.Conversation {
	start := now.Add(-30 * time.Minute)
	return survey.Conversation{
		ID: id, Channel: ch,
		Contact:      survey.Contact{ID: contactID, Name: "María", Language: lang},
		Participants: []survey.Participant{{ID: "ana", Name: "Ana Souza", Kind: "human", Groups: []string{"support"}}},
		Messages: []survey.Message{
			{ID: id + "-1", From: "contact", Text: "Hola, no puedo descargar la factura de este mes desde la aplicación, me aparece un error cada vez que lo intento.", SentAt: start},
			{ID: id + "-2", From: "agent", AuthorID: "ana", Text: "Hola, gracias por escribirnos. Revisé tu cuenta: la factura estaba bloqueada por un pago pendiente que ya se acreditó. Ya podés descargarla desde la sección Facturación.", SentAt: start.Add(5 * time.Minute)},
			{ID: id + "-3", From: "contact", Text: "¡Perfecto, muchas gracias!", SentAt: start.Add(10 * time.Minute)},
		},
		ClosedAt: now.Add(-time.Minute),
	}
}

// closeConversation posts a close event and requires a 200.
func closeConversation(t *testing.T, srv *httptest.Server, c survey.Conversation) resultJSON {
	t.Helper()
	var res resultJSON
	require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/conversations/closed", c, &res))
	return res
}

// sessionState loads a session straight from the store.
func sessionState(t *testing.T, a *app, id string) *survey.Session {
	t.Helper()
	s, err := a.store.Load(context.Background(), tenant, id)
	require.NoError(t, err)
	return s
}

// jsonUnmarshal decodes a JSON text.
func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
