package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// rawSQLite checkpoints the app's SQLite database and returns the bytes
// of its file and WAL.
func rawSQLite(t *testing.T, a *app) []byte {
	t.Helper()
	v, ok := seededDBs.Load(a)
	require.True(t, ok)
	db := v.(*sql.DB)
	var seq int
	var name, path string
	require.NoError(t, db.QueryRow("PRAGMA database_list").Scan(&seq, &name, &path))
	require.NotEmpty(t, path)
	var busy, frames, done int
	require.NoError(t, db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done))
	require.Zero(t, busy)
	return storetest.ReadFiles(t, path, path+"-wal")
}

// reports returns the JSON reports of both surveys, as the API answers.
func reports(t *testing.T, srvCall func(method, path string) (int, []byte)) []string {
	t.Helper()
	var out []string
	for _, id := range []string{"csat", "nps"} {
		status, body := srvCall("GET", "/api/report?survey="+id)
		require.Equal(t, http.StatusOK, status, "%s", body)
		out = append(out, string(body))
	}
	return out
}

// A seeded contact answers one more survey with distinctive words, then is
// erased over the API: the words, the name, the message IDs and the
// contact's ID are gone from the SQLite file (and its WAL), the reports
// are unchanged, the access document is empty and the registry shows the
// rows without a name.
func TestErasingAContactOverTheAPI(t *testing.T) {
	a, srv, _ := newSeededApp(t, 14, 10)
	ctx := context.Background()
	do := func(method, path string) (int, []byte) { return call(t, srv, method, path, nil) }
	contact := ""
	for _, c := range []string{"cust-0001", "cust-0002", "cust-0003", "cust-0004", "cust-0005", "cust-0006"} {
		if hist, err := a.store.ContactHistory(ctx, tenant, c, time.Time{}); err == nil && len(hist) > 0 {
			contact = c
			break
		}
	}
	require.NotEmpty(t, contact, "a seeded contact with surveys")

	const name, reply, comment = "Quillfeather Zed", "what is this zephyr", "marmalade skies over the helpdesk"
	conv := longConversationAt(time.Now().UTC(), "erase-me", contact, "whatsapp", "en")
	conv.Contact.Name = name
	started := closeConversation(t, srv, conv)
	require.NotEmpty(t, started.Outbound, "surveyed")
	for i, text := range []string{reply, "5", comment} {
		var res resultJSON
		require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/messages", inboundJSON{ContactID: contact, Channel: "whatsapp",
			MessageID: "wamid.erase-me-" + string(rune('a'+i)), Text: text}, &res))
		require.True(t, res.Consumed != nil && *res.Consumed, text)
	}
	secrets := []string{name, reply, comment, "wamid.erase-me-a", "wamid.erase-me-b", "wamid.erase-me-c", contact}

	status, body := do("GET", "/api/contacts/"+contact+"/data")
	require.Equal(t, http.StatusOK, status, "%s", body)
	for _, s := range []string{name, reply, comment, "wamid.erase-me-b"} {
		assert.Contains(t, string(body), s, "the access document")
	}
	var data survey.ContactData
	require.NoError(t, jsonUnmarshal(string(body), &data))
	require.Greater(t, len(data.Surveys), 1, "the seeded surveys and the new one")

	before := reports(t, do)
	raw := rawSQLite(t, a)
	for _, s := range secrets {
		require.True(t, bytes.Contains(raw, []byte(s)), "the file holds %q before the erasure", s)
	}

	var erased survey.ErasureResult
	require.Equal(t, http.StatusOK, callJSON(t, srv, "DELETE", "/api/contacts/"+contact, nil, &erased))
	assert.Equal(t, len(data.Surveys), erased.Erased)

	raw = rawSQLite(t, a)
	for _, s := range secrets {
		assert.False(t, bytes.Contains(raw, []byte(s)), "the file still holds %q", s)
	}
	assert.Equal(t, before, reports(t, do), "the reports are unchanged")
	status, body = do("GET", "/api/contacts/"+contact+"/data")
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, jsonUnmarshal(string(body), &data))
	assert.Empty(t, data.Surveys)
	status, body = do("GET", "/")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), "(erased contact)", "the registry keeps the rows, without the name")
	assert.NotContains(t, string(body), comment)

	var retried survey.ErasureResult
	require.Equal(t, http.StatusOK, callJSON(t, srv, "DELETE", "/api/contacts/"+contact, nil, &retried))
	assert.Equal(t, survey.ErasureResult{}, retried, "a retry finds nothing left")
	status, _ = do("DELETE", "/api/contacts/"+contact+"?remove=everything")
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = do("DELETE", "/api/contacts/"+url.PathEscape("bad\xff"))
	assert.Equal(t, http.StatusUnprocessableEntity, status, "invalid UTF-8")
}

// With a retention period, a sweep removes the text of surveys older than
// it and keeps the newer; the reports are unchanged.
func TestRetentionOverTheAPI(t *testing.T) {
	a, srv, _ := newSeededApp(t, 14, 10)
	ctx := context.Background()
	do := func(method, path string) (int, []byte) { return call(t, srv, method, path, nil) }
	before := reports(t, do)
	require.NoError(t, a.engine.SetTenantRetention(tenant, 7*24*time.Hour))
	var swept struct{ Scrubbed int }
	require.Equal(t, http.StatusOK, callJSON(t, srv, "POST", "/api/sweep", nil, &swept))
	assert.Positive(t, swept.Scrubbed)
	ps := a.store.(survey.PrivacyStore)
	cutoff := time.Now().Add(-7 * 24 * time.Hour)
	old, err := ps.WithText(ctx, tenant, cutoff.Add(-time.Minute), survey.Position{}, 0)
	require.NoError(t, err)
	assert.Empty(t, old, "no text older than the period")
	recent, err := ps.WithText(ctx, tenant, time.Now().Add(time.Hour), survey.Position{}, 0)
	require.NoError(t, err)
	assert.NotEmpty(t, recent, "the newer text stays")
	assert.Equal(t, before, reports(t, do))
}

func TestTheRetentionFlag(t *testing.T) {
	var log bytes.Buffer
	assert.Equal(t, 2, cli([]string{"-retention", "soon"}, &log))
	assert.Contains(t, log.String(), "retention")
	log.Reset()
	assert.Equal(t, 2, cli([]string{"-retention", "0d"}, &log), "a period must be positive")
}
