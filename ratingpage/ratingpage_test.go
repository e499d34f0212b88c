package ratingpage_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

type fixture struct {
	clock  *surveytest.Clock
	engine *survey.Engine
	store  *memory.Store
	server *httptest.Server
	links  []string // one per option, in scale order
	sid    string
}

func setup(t *testing.T) *fixture {
	t.Helper()
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("k", 32))})
	require.NoError(t, err)
	f := &fixture{clock: surveytest.NewClock(surveytest.Start), store: memory.New()}
	var base string
	f.engine, err = survey.New(survey.Config{
		Store: f.store, Clock: f.clock, Surveys: []survey.Definition{{ID: "csat", Company: "Acme Soporte"}},
		Links: signer, LinkURL: func(tok string) string { return base + "/rate?t=" + tok },
	})
	require.NoError(t, err)
	h, err := ratingpage.New(f.engine, ratingpage.Options{
		CSRFKey: []byte(strings.Repeat("c", 32)),
		Tenant: func(r *http.Request) (string, error) {
			if tenant := r.Header.Get("X-Tenant"); tenant != "" {
				return tenant, nil
			}
			return "acme", nil
		},
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/rate", h)
	f.server = httptest.NewServer(mux)
	t.Cleanup(f.server.Close)
	base = f.server.URL
	res, err := f.engine.ConversationClosed(context.Background(), &survey.Conversation{
		TenantID: "acme", ID: "c1", Channel: "email", Contact: survey.Contact{ID: "m", Language: "es"},
	})
	require.NoError(t, err)
	f.sid = res.Session.ID
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(res.Outbound[0].HTML, -1) {
		f.links = append(f.links, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	require.Len(t, f.links, 5)
	return f
}

func get(t *testing.T, link string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, link, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func post(t *testing.T, target string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(target, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func hidden(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(body)
	require.NotNil(t, m, "hidden field %s in %s", name, body)
	return m[1]
}

func TestOpeningALinkRecordsNothingAndPreselectsTheOption(t *testing.T) {
	f := setup(t)
	for i := 0; i < 3; i++ { // an e-mail scanner opens it, then the contact
		code, body := get(t, f.links[3])
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, body, `value="4" checked`)
		assert.Contains(t, body, "¿Cómo calificaría la atención que recibió?", "the e-mail's question")
		assert.Contains(t, body, "Confirmar mi calificación")
		assert.Contains(t, body, "Acme Soporte", "who asks")
		assert.Contains(t, body, "Conversación c1", "about which conversation")
		assert.Contains(t, body, `"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji"`)
	}
	req, err := http.NewRequest(http.MethodHead, f.links[3], nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	s, err := f.store.Load(context.Background(), "acme", f.sid)
	require.NoError(t, err)
	assert.False(t, s.Rated)
	assert.Equal(t, int64(1), s.Version, "GET and HEAD never write")
}

// The page's one script, which confirms the clicked rating in a browser,
// is allowed by its hash: the policy allows no other script, inline or not.
func TestTheConfirmingScriptIsAllowedByItsHashOnly(t *testing.T) {
	f := setup(t)
	resp, err := http.Get(f.links[3])
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	policy := resp.Header.Get("Content-Security-Policy")
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(string(body), -1)
	require.Len(t, scripts, 1, "one script")
	assert.Contains(t, scripts[0][1], `getElementById("rate")`)
	sum := sha256.Sum256([]byte(scripts[0][1]))
	want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "';"
	assert.Contains(t, policy, want)
	for _, directive := range strings.Split(policy, ";") {
		if fields := strings.Fields(directive); len(fields) > 0 && fields[0] == "script-src" {
			assert.Len(t, fields, 2, "the hash and nothing else (no 'unsafe-inline'): %s", directive)
		}
	}
	assert.Contains(t, string(body), `<form method="post" id="rate">`, "the form the script posts")
	assert.Contains(t, string(body), `<button type="submit" id="confirm">`, "the button without script")
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestConfirmingRecordsTheChosenOptionThenTheComment(t *testing.T) {
	f := setup(t)
	_, body := get(t, f.links[3])
	form := url.Values{"t": {hidden(t, body, "t")}, "csrf": {hidden(t, body, "csrf")}, "action": {"rate"}, "score": {"5"}}

	// The rating is confirmed with a POST, which redirects to the link's page.
	resp, err := noRedirect.PostForm(f.server.URL+"/rate", form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, err := resp.Location()
	require.NoError(t, err)
	assert.Equal(t, "/rate", loc.Path, "the page's own path")
	assert.Equal(t, form.Get("t"), loc.Query().Get("t"))

	// The page then offers the comment box, and again on Reload.
	for range 2 {
		code, page := get(t, loc.String())
		require.Equal(t, http.StatusOK, code, page)
		assert.Contains(t, page, "Si tiene un comentario", "the comment box follows")
		assert.Contains(t, page, "Su calificación:", "the rating given")
		assert.Contains(t, page, "Muy satisfecho")
		assert.NotContains(t, page, "<script", "nothing posts by itself")
		body = page
	}

	code, body := post(t, f.server.URL+"/rate", url.Values{
		"t": {hidden(t, body, "t")}, "csrf": {hidden(t, body, "csrf")}, "action": {"comment"}, "comment": {"<b>Muy bien</b>"},
	})
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, "¡Gracias por su comentario!")

	s, err := f.store.Load(context.Background(), "acme", f.sid)
	require.NoError(t, err)
	assert.Equal(t, 5, s.Rating, "the contact changed 4 to 5 before confirming")
	assert.Equal(t, "<b>Muy bien</b>", s.Comment, "stored as written, escaped when shown")
	assert.Equal(t, survey.StateCompleted, s.State)

	code, body = post(t, f.server.URL+"/rate", form)
	assert.Equal(t, http.StatusOK, code, "the same confirmation again shows where the survey stands")
	assert.Contains(t, body, "¡Gracias por su comentario!")
	form.Set("score", "2")
	code, _ = post(t, f.server.URL+"/rate", form)
	assert.Equal(t, http.StatusConflict, code, "another rating after the survey was answered")
	code, body = get(t, f.links[0], "Accept-Language", "de-DE,de;q=0.9")
	assert.Equal(t, http.StatusConflict, code)
	assert.Contains(t, body, "Esta encuesta ya fue respondida", "error pages speak the contact's language, not the browser's")
	assert.Contains(t, body, `lang="es"`)
	code, body = get(t, f.server.URL+"/rate?t=garbage", "Accept-Language", "de-DE,de;q=0.9")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "Dieser Link ist ungültig", "a link that is not genuine names no contact: the browser's language")
}

func TestBadRequestsAreRefused(t *testing.T) {
	f := setup(t)
	_, body := get(t, f.links[1])
	token, csrf := hidden(t, body, "t"), hidden(t, body, "csrf")
	tampered := []byte(token)
	tampered[len(tampered)/2] ^= 1

	for name, tc := range map[string]struct {
		form url.Values
		want int
	}{
		"no CSRF":        {url.Values{"t": {token}, "action": {"rate"}, "score": {"2"}}, http.StatusForbidden},
		"CSRF of other":  {url.Values{"t": {string(tampered)}, "csrf": {csrf}, "action": {"rate"}, "score": {"2"}}, http.StatusForbidden},
		"off the scale":  {url.Values{"t": {token}, "csrf": {csrf}, "action": {"rate"}, "score": {"9"}}, http.StatusBadRequest},
		"not a number":   {url.Values{"t": {token}, "csrf": {csrf}, "action": {"rate"}, "score": {"x"}}, http.StatusBadRequest},
		"unknown action": {url.Values{"t": {token}, "csrf": {csrf}, "action": {"delete"}}, http.StatusBadRequest},
	} {
		code, _ := post(t, f.server.URL+"/rate", tc.form)
		assert.Equal(t, tc.want, code, name)
	}
	code, _ := get(t, f.server.URL+"/rate?t="+url.QueryEscape(string(tampered)))
	assert.Equal(t, http.StatusForbidden, code, "forged")
	code, _ = get(t, f.links[1], "X-Tenant", "globex")
	assert.Equal(t, http.StatusForbidden, code, "another tenant's link")
	code, _ = get(t, f.server.URL+"/rate?t=garbage")
	assert.Equal(t, http.StatusBadRequest, code)

	f.clock.Advance(25 * time.Hour)
	code, _ = get(t, f.links[1])
	assert.Equal(t, http.StatusGone, code, "the question's time ran out")
	f.clock.Advance(48 * time.Hour)
	code, _ = get(t, f.links[1])
	assert.Equal(t, http.StatusGone, code, "expired")

	s, err := f.store.Load(context.Background(), "acme", f.sid)
	require.NoError(t, err)
	assert.False(t, s.Rated, "nothing was recorded")
}

func TestNewRefusesAnEngineThatSignsNoLinks(t *testing.T) {
	opts := ratingpage.Options{CSRFKey: []byte(strings.Repeat("k", 32)), Tenant: func(*http.Request) (string, error) { return "acme", nil }}
	plain, err := survey.New(survey.Config{Store: memory.New()})
	require.NoError(t, err)
	for name, e := range map[string]*survey.Engine{"nil engine": nil, "engine without Config.Links": plain, "zero engine": {}} {
		var h *ratingpage.Handler
		require.NotPanics(t, func() { h, err = ratingpage.New(e, opts) }, name)
		assert.Error(t, err, name)
		assert.Nil(t, h, name)
	}
}

func TestOptionsAreValidated(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("s", 32))})
	require.NoError(t, err)
	e, err := survey.New(survey.Config{Store: memory.New(), Links: signer, LinkURL: func(tok string) string { return "/rate?t=" + tok }})
	require.NoError(t, err)
	_, err = ratingpage.New(e, ratingpage.Options{CSRFKey: []byte("short"), Tenant: func(*http.Request) (string, error) { return "", nil }})
	assert.Error(t, err)
	_, err = ratingpage.New(e, ratingpage.Options{CSRFKey: []byte(strings.Repeat("k", 32))})
	assert.Error(t, err)
	h, err := ratingpage.New(e, ratingpage.Options{CSRFKey: []byte(strings.Repeat("k", 32)), Tenant: func(*http.Request) (string, error) { return "", errors.New("no tenant") }})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/rate?t=x", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
}

// No response of the page may be framed by another site: every path, the
// pages and the errors alike, sends X-Frame-Options: DENY beside the CSP's
// frame-ancestors 'none'.
func TestEveryResponseForbidsFraming(t *testing.T) {
	f := setup(t)
	rate := f.server.URL + "/rate"
	_, body := get(t, f.links[2])
	token, csrf := hidden(t, body, "t"), hidden(t, body, "csrf")
	form := func(kv ...string) url.Values {
		v := url.Values{"t": {token}, "csrf": {csrf}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	seen := map[int]bool{}
	check := func(name string, req *http.Request, want int) {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, name)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, want, resp.StatusCode, name)
		assert.Equal(t, []string{"DENY"}, resp.Header.Values("X-Frame-Options"), name)
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'", name)
		seen[want] = true
	}
	newReq := func(method, target string, header ...string) *http.Request {
		req, err := http.NewRequest(method, target, nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return req
	}
	postReq := func(v url.Values, header ...string) *http.Request {
		req, err := http.NewRequest(http.MethodPost, rate, strings.NewReader(v.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return req
	}

	check("the page", newReq(http.MethodGet, f.links[2]), http.StatusOK)
	check("HEAD", newReq(http.MethodHead, f.links[2]), http.StatusOK)
	check("a malformed link", newReq(http.MethodGet, rate+"?t=garbage"), http.StatusBadRequest)
	check("another tenant's link", newReq(http.MethodGet, f.links[2], "X-Tenant", "globex"), http.StatusForbidden)
	check("another method", newReq(http.MethodPut, f.links[2]), http.StatusMethodNotAllowed)
	check("a form too large", postReq(form("action", "comment", "comment", strings.Repeat("x", 80<<10))), http.StatusRequestEntityTooLarge)
	check("a cross-site form", postReq(form("action", "rate", "score", "3"), "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
	check("a bad CSRF token", postReq(url.Values{"t": {token}, "csrf": {"x"}, "action": {"rate"}, "score": {"3"}}), http.StatusForbidden)
	check("a score that is not a number", postReq(form("action", "rate", "score", "x")), http.StatusBadRequest)
	check("an unknown action", postReq(form("action", "delete")), http.StatusBadRequest)
	check("the rating", postReq(form("action", "rate", "score", "3")), http.StatusOK) // after the redirect
	check("another rating", postReq(form("action", "rate", "score", "1")), http.StatusConflict)
	check("a comment too long", postReq(form("action", "comment", "comment", strings.Repeat("x", 64<<10+100))), http.StatusRequestEntityTooLarge)
	check("the comment", postReq(form("action", "comment", "comment", "ok")), http.StatusOK)
	f.clock.Advance(100 * time.Hour) // past every window the survey could still be answered in
	check("an expired link", newReq(http.MethodGet, f.links[0]), http.StatusGone)
	assert.Len(t, seen, 7, "200, 400, 403, 405, 409, 410 and 413; the 404 of no tenant follows")

	h, err := ratingpage.New(f.engine, ratingpage.Options{CSRFKey: []byte(strings.Repeat("c", 32)), Tenant: func(*http.Request) (string, error) { return "", errors.New("no tenant") }})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/rate?t=x", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"), "no tenant")
}
