// Package ratingpage serves the page behind an e-mailed one-click rating
// link. Opening a link records nothing — e-mail security scanners open
// every link — it shows the survey's question with the link's option
// pre-selected; the rating is recorded when the contact confirms with a
// POST, and the page then offers the comment box. No JavaScript, no
// cookies: the signed token is the capability, and every form carries a
// CSRF token derived from it. No other site may frame the page: every
// response, error pages included, says so in its Content-Security-Policy
// (frame-ancestors 'none') and, for browsers that ignore that, with
// X-Frame-Options: DENY.
//
//	mux.Handle("/rate", ratingpage.New(engine, ratingpage.Options{
//		CSRFKey: key,
//		Tenant:  func(r *http.Request) (string, error) { return tenantFromHost(r.Host) },
//	}))
package ratingpage

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// Options configure a Handler.
type Options struct {
	// CSRFKey keys the forms' CSRF tokens; at least 32 bytes.
	CSRFKey []byte
	// Tenant returns the tenant a request belongs to (from its host name,
	// path or the host's own routing); a token of another tenant is
	// refused. Required.
	Tenant func(r *http.Request) (string, error)
	// MaxCommentBytes bounds the comment form; zero means 64 KiB.
	MaxCommentBytes int64
}

// Handler is the rating page. GET shows the pre-selected choice; POST with
// action=rate records the rating; POST with action=comment records the
// comment.
type Handler struct {
	engine *survey.Engine
	opts   Options
}

// New returns the page handler for engine, whose Config.Links signs the
// tokens.
func New(engine *survey.Engine, opts Options) (*Handler, error) {
	if len(opts.CSRFKey) < 32 {
		return nil, errors.New("ratingpage: CSRFKey needs at least 32 bytes")
	}
	if opts.Tenant == nil {
		return nil, errors.New("ratingpage: Options.Tenant is required")
	}
	if opts.MaxCommentBytes <= 0 {
		opts.MaxCommentBytes = 64 << 10
	}
	return &Handler{engine: engine, opts: opts}, nil
}

// page is what the template draws.
type page struct {
	Lang     string
	T        texts
	Prompt   string
	Choices  []survey.Choice
	Selected int
	Token    string
	CSRF     string
	Step     string // "choose", "comment", "done", "error"
	Error    string
	Score    string
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY") // for browsers without CSP frame-ancestors
	tenant, err := h.opts.Tenant(r)
	if err != nil {
		h.fail(w, r, http.StatusNotFound, err)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, tenant)
	case http.MethodPost:
		h.post(w, r, tenant)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		h.fail(w, r, http.StatusMethodNotAllowed, errors.New("method not allowed"))
	}
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, tenant string) {
	token := r.URL.Query().Get("t")
	view, err := h.engine.OpenLink(r.Context(), tenant, token)
	if err != nil {
		h.fail(w, r, statusOf(err), err)
		return
	}
	h.render(w, http.StatusOK, page{
		Lang: view.Language, T: textsFor(view.Language), Prompt: view.Prompt,
		Choices: view.Choices, Selected: view.Selected,
		Token: token, CSRF: h.csrf(token), Step: "choose",
	})
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request, tenant string) {
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxCommentBytes+4096)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusRequestEntityTooLarge, err)
		return
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		h.fail(w, r, http.StatusForbidden, errors.New("cross-site form"))
		return
	}
	token := r.PostForm.Get("t")
	if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(h.csrf(token))) {
		h.fail(w, r, http.StatusForbidden, errors.New("bad CSRF token"))
		return
	}
	switch r.PostForm.Get("action") {
	case "rate":
		v, err := strconv.Atoi(r.PostForm.Get("score"))
		if err != nil {
			h.fail(w, r, http.StatusBadRequest, survey.ErrInvalidInput)
			return
		}
		res, err := h.engine.ConfirmLinkAs(r.Context(), tenant, token, v)
		if err != nil {
			h.fail(w, r, statusOf(err), err)
			return
		}
		p := page{Lang: res.Session.Language, T: textsFor(res.Session.Language), Token: token, CSRF: h.csrf(token), Step: "done", Score: strconv.Itoa(v)}
		for _, o := range res.Outbound {
			p.Prompt = o.Prompt
			if o.Kind == survey.KindCommentRequest {
				p.Step = "comment"
			}
		}
		h.render(w, http.StatusOK, p)
	case "comment":
		comment := r.PostForm.Get("comment")
		if int64(len(comment)) > h.opts.MaxCommentBytes {
			h.fail(w, r, http.StatusRequestEntityTooLarge, errors.New("comment too long"))
			return
		}
		res, err := h.engine.CommentViaLink(r.Context(), tenant, token, comment)
		if err != nil {
			h.fail(w, r, statusOf(err), err)
			return
		}
		p := page{Lang: res.Session.Language, T: textsFor(res.Session.Language), Step: "done"}
		for _, o := range res.Outbound {
			p.Prompt = o.Prompt
		}
		h.render(w, http.StatusOK, p)
	default:
		h.fail(w, r, http.StatusBadRequest, errors.New("unknown action"))
	}
}

// csrf derives the forms' CSRF token from the link token.
func (h *Handler) csrf(token string) string {
	m := hmac.New(sha256.New, h.opts.CSRFKey)
	m.Write([]byte("ratingpage-csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, survey.ErrLinkMalformed), errors.Is(err, survey.ErrInvalidInput):
		return http.StatusBadRequest
	case errors.Is(err, survey.ErrLinkForged), errors.Is(err, survey.ErrLinkWrongTenant):
		return http.StatusForbidden
	case errors.Is(err, survey.ErrLinkExpired), errors.Is(err, survey.ErrLinkClosed):
		return http.StatusGone
	case errors.Is(err, survey.ErrLinkUsed):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	lang := preferred(r)
	t := textsFor(lang)
	msg := t.Broken
	switch {
	case errors.Is(err, survey.ErrLinkUsed):
		msg = t.Used
	case errors.Is(err, survey.ErrLinkExpired), errors.Is(err, survey.ErrLinkClosed):
		msg = t.Expired
	}
	h.render(w, status, page{Lang: lang, T: t, Step: "error", Error: msg})
}

func (h *Handler) render(w http.ResponseWriter, status int, p page) {
	var b strings.Builder
	if err := pageTemplate.Execute(&b, p); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// preferred picks the page language from Accept-Language for error pages.
func preferred(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	return tags[0].String()
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328;margin:0;padding:32px 16px}
main{max-width:520px;margin:0 auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.25rem;margin:0 0 16px}
fieldset{border:0;padding:0;margin:0 0 20px}
label.choice{display:flex;align-items:center;gap:10px;padding:10px 12px;border:1px solid #d0d7de;border-radius:8px;margin-bottom:8px;cursor:pointer}
label.choice:has(input:checked){border-color:#1a7f37;background:#dafbe1}
textarea{width:100%;box-sizing:border-box;min-height:120px;padding:10px;border:1px solid #d0d7de;border-radius:8px;font:inherit}
button{background:#1a7f37;color:#fff;border:0;border-radius:8px;padding:10px 18px;font-size:1rem;cursor:pointer}
p.note{color:#57606a}
</style></head><body><main>
{{if eq .Step "choose"}}
<h1>{{.Prompt}}</h1>
<form method="post">
<input type="hidden" name="t" value="{{.Token}}"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="action" value="rate">
<fieldset>{{range .Choices}}
<label class="choice"><input type="radio" name="score" value="{{.Value}}"{{if eq .Value $.Selected}} checked{{end}}> <span>{{.Emoji}}</span> <span>{{.Label}}</span></label>{{end}}
</fieldset>
<button type="submit" id="confirm">{{.T.Confirm}}</button>
</form>
<p class="note">{{.T.Note}}</p>
{{else if eq .Step "comment"}}
<h1>{{.T.Recorded}}</h1>
<form method="post">
<input type="hidden" name="t" value="{{.Token}}"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="action" value="comment">
<p><label for="comment">{{.Prompt}}</label></p>
<textarea id="comment" name="comment"></textarea>
<p><button type="submit" id="send-comment">{{.T.Send}}</button></p>
</form>
{{else if eq .Step "done"}}
<h1>{{if .Prompt}}{{.Prompt}}{{else}}{{.T.Recorded}}{{end}}</h1>
{{else}}
<h1>{{.T.Title}}</h1><p>{{.Error}}</p>
{{end}}
</main></body></html>
`))
