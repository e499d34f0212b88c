// Package ratingpage serves the page behind an e-mailed one-click rating
// link: the signed token is the query parameter t of the link's URL (see
// survey.Config.LinkURL, e.g. https://acme.example/rate?t=TOKEN). Opening a link records nothing by itself — e-mail security scanners
// fetch every link with GET or HEAD — it shows the e-mail's question with
// the link's option pre-selected, the company's name and the conversation
// the rating is about. In a browser, a small script on that page posts the
// confirming form at once, so one click in the e-mail records the rating;
// without JavaScript the contact confirms with the page's button. After the
// rating the page redirects (POST, redirect, GET) to the comment box, so
// Back and Reload keep it. No cookies: the signed token is the capability,
// and every form carries a CSRF token derived from it. The
// Content-Security-Policy allows that one script by its hash and nothing
// else, and no other site may frame the page: every response, error pages
// included, says so (frame-ancestors 'none') and, for browsers that ignore
// that, with X-Frame-Options: DENY. Pages, error pages included, speak the
// contact's language whenever the link is genuine. The page reads the
// signed token from the query parameter "t" (Config.LinkURL builds the
// links: ".../rate?t=" + token).
//
// The page sends nothing itself. What a rating or a comment given here
// raises — the low-score alert, the agents' notice, the comment's
// follow-up, the thanks — is stored with the session as pending effects,
// like every answer's, and reaches the host's senders through
// survey.Engine.Deliver, which the host runs anyway: no other code is
// needed for the page's answers to alert anyone.
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
	"net/url"
	"strconv"
	"strings"
	"time"

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

// Handler is the rating page. GET shows the pre-selected choice, or the
// comment box once rated; POST with action=rate records the rating and
// POST with action=comment records the comment, each then redirecting
// (303 See Other) to the link's page.
type Handler struct {
	engine *survey.Engine
	opts   Options
}

// New returns the page handler for engine, whose Config.Links signs the
// tokens. A nil engine, or one that signs no links (see
// survey.Engine.SignsLinks), is an error.
func New(engine *survey.Engine, opts Options) (*Handler, error) {
	if engine == nil {
		return nil, errors.New("ratingpage: New needs an engine, got nil")
	}
	if !engine.SignsLinks() {
		return nil, errors.New("ratingpage: the engine signs no links: set survey.Config.Links (and LinkURL)")
	}
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
	Lang         string
	T            texts
	Company      string
	Conversation string
	Closed       string // the conversation's close date, YYYY-MM-DD
	Prompt       string
	Choices      []survey.Choice
	Selected     int
	Rating       *survey.Choice // the rating given, above the comment box
	Auto         bool           // the script confirms the pre-selected choice
	Token        string
	CSRF         string
	Step         string // "choose", "comment", "done", "error"
	Error        string
}

// autoConfirm is the page's only script: it posts the confirming form as
// soon as the page loads in a browser, once, and says it is saving. The
// Content-Security-Policy allows it by its hash (scriptHash).
const autoConfirm = `(function(){var f=document.getElementById("rate");if(!f)return;var sent=false;` +
	`f.addEventListener("submit",function(e){if(sent){e.preventDefault();return}sent=true});` +
	`var n=document.getElementById("note");if(n&&n.dataset.saving)n.textContent=n.dataset.saving;` +
	`if(f.requestSubmit){f.requestSubmit()}else{sent=true;f.submit()}})();`

// scriptHash is autoConfirm's CSP source expression.
var scriptHash = func() string {
	sum := sha256.Sum256([]byte(autoConfirm))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// csp is every response's Content-Security-Policy.
var csp = "default-src 'none'; script-src " + scriptHash + "; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Frame-Options", "DENY") // for browsers without CSP frame-ancestors
	tenant, err := h.opts.Tenant(r)
	if err != nil {
		h.fail(w, r, nil, http.StatusNotFound, err)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, tenant)
	case http.MethodPost:
		h.post(w, r, tenant)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		h.fail(w, r, nil, http.StatusMethodNotAllowed, errors.New("method not allowed"))
	}
}

// base is the page of view: its language, company and conversation.
func (h *Handler) base(view *survey.LinkView, token string) page {
	p := page{Lang: view.Language, T: textsFor(view.Language), Company: view.Company,
		Prompt: view.Prompt, Choices: view.Choices, Selected: view.Selected,
		Token: token, CSRF: h.csrf(token)}
	if s := view.Session; s != nil {
		p.Conversation = s.ConversationID
		if !s.ClosedAt.IsZero() {
			p.Closed = s.ClosedAt.Format(time.DateOnly)
		}
	}
	return p
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, tenant string) {
	token := r.URL.Query().Get("t")
	view, err := h.engine.OpenLink(r.Context(), tenant, token)
	if view == nil {
		h.fail(w, r, nil, statusOf(err), err)
		return
	}
	p := h.base(view, token)
	s := view.Session
	used := errors.Is(err, survey.ErrLinkUsed)
	switch {
	case err == nil && !s.Rated:
		p.Step, p.Auto = "choose", true
	case (err == nil || used) && s.State == survey.StateAwaitingComment:
		// Rated, the comment still open: what the redirect after the
		// rating lands on, and what Back and Reload show again.
		p.Step, p.Prompt = "comment", view.FollowUp
		for i := range view.Choices {
			if view.Choices[i].Value == s.Rating {
				p.Rating = &view.Choices[i]
			}
		}
	case (err == nil || used) && r.URL.Query().Has("done"):
		// The redirect after the last answer.
		p.Step, p.Prompt = "done", view.Thanks
	case err == nil:
		// Rated, and the survey lets the rating change: the contact
		// confirms a change with the button.
		p.Step = "choose"
	case used && !s.State.Final():
		p.Step, p.Prompt = "done", "" // rated, another question follows elsewhere
	default:
		h.fail(w, r, view, statusOf(err), err)
		return
	}
	h.render(w, http.StatusOK, p)
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request, tenant string) {
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxCommentBytes+4096)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, nil, http.StatusRequestEntityTooLarge, err)
		return
	}
	token := r.PostForm.Get("t")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		h.fail(w, r, h.view(r, tenant, token), http.StatusForbidden, errors.New("cross-site form"))
		return
	}
	if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(h.csrf(token))) {
		h.fail(w, r, h.view(r, tenant, token), http.StatusForbidden, errors.New("bad CSRF token"))
		return
	}
	switch r.PostForm.Get("action") {
	case "rate":
		v, err := strconv.Atoi(r.PostForm.Get("score"))
		if err != nil {
			h.fail(w, r, h.view(r, tenant, token), http.StatusBadRequest, survey.ErrInvalidInput)
			return
		}
		res, err := h.engine.ConfirmLinkAs(r.Context(), tenant, token, v)
		if err != nil {
			view := h.view(r, tenant, token)
			if errors.Is(err, survey.ErrLinkUsed) && view != nil && view.Session.Rated && view.Session.Rating == v {
				// The same rating again (the script and the button, or
				// a form sent twice): show where the survey stands.
				redirect(w, token, view.Session.State.Final())
				return
			}
			h.fail(w, r, view, statusOf(err), err)
			return
		}
		redirect(w, token, res.Session.State.Final())
	case "comment":
		comment := r.PostForm.Get("comment")
		if int64(len(comment)) > h.opts.MaxCommentBytes {
			h.fail(w, r, h.view(r, tenant, token), http.StatusRequestEntityTooLarge, errors.New("comment too long"))
			return
		}
		if _, err := h.engine.CommentViaLink(r.Context(), tenant, token, comment); err != nil {
			view := h.view(r, tenant, token)
			if view != nil && view.Session.State == survey.StateCompleted && view.Session.Comment == comment && comment != "" {
				redirect(w, token, true) // the same comment sent twice
				return
			}
			h.fail(w, r, view, statusOf(err), err)
			return
		}
		redirect(w, token, true)
	default:
		h.fail(w, r, h.view(r, tenant, token), http.StatusBadRequest, errors.New("unknown action"))
	}
}

// view is the link's view for an error page's language, or nil.
func (h *Handler) view(r *http.Request, tenant, token string) *survey.LinkView {
	if token == "" {
		return nil
	}
	view, _ := h.engine.OpenLink(r.Context(), tenant, token)
	return view
}

// redirect answers a form with 303 See Other to the link's page; done
// marks the redirect after the survey's last answer. The Location is a
// relative reference with only a query, which keeps the page's own path
// wherever the handler is mounted.
func redirect(w http.ResponseWriter, token string, done bool) {
	loc := "?t=" + url.QueryEscape(token)
	if done {
		loc += "&done"
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusSeeOther)
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

// fail answers an error page: in the contact's language when the link is
// genuine (view is not nil), otherwise in the browser's.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, view *survey.LinkView, status int, err error) {
	lang := preferred(r)
	if view != nil && view.Language != "" {
		lang = view.Language
	}
	t := textsFor(lang)
	msg := t.Broken
	switch {
	case errors.Is(err, survey.ErrLinkUsed):
		msg = t.Used
	case errors.Is(err, survey.ErrLinkExpired), errors.Is(err, survey.ErrLinkClosed):
		msg = t.Expired
	}
	p := page{Lang: lang, T: t, Step: "error", Error: msg}
	if view != nil {
		p.Company = view.Company
		if view.Session != nil {
			p.Conversation = view.Session.ConversationID
		}
	}
	h.render(w, status, p)
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

// preferred picks the page language from Accept-Language, for the error
// pages of links that are not genuine.
func preferred(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	return tags[0].String()
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.Title}}{{if .Company}} · {{.Company}}{{end}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif,"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji";background:#f4f5f7;color:#1f2328;margin:0;padding:32px 16px}
main{max-width:520px;margin:0 auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 1px 3px rgba(0,0,0,.12);overflow-wrap:anywhere}
h1{font-size:1.25rem;margin:0 0 16px}
p.context{margin:0 0 12px;color:#57606a;font-size:.9rem}
p.context strong{color:#1f2328}
fieldset{border:0;padding:0;margin:0 0 20px;min-width:0}
legend{padding:0}
label.choice{display:flex;align-items:center;gap:10px;padding:10px 12px;border:1px solid #d0d7de;border-radius:8px;margin-bottom:8px;cursor:pointer}
label.choice:has(input:checked){border-color:#1a7f37;background:#dafbe1}
.emoji{font-family:"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji",sans-serif;font-size:1.5rem;line-height:1}
textarea{width:100%;box-sizing:border-box;min-height:120px;padding:10px;border:1px solid #d0d7de;border-radius:8px;font:inherit}
button{background:#1a7f37;color:#fff;border:0;border-radius:8px;padding:10px 18px;font:inherit;font-size:1rem;cursor:pointer}
p.note{color:#57606a}
</style></head><body><main>
{{if or .Company .Conversation}}<p class="context">{{if .Company}}<strong>{{.Company}}</strong>{{end}}{{if and .Company .Conversation}} · {{end}}{{if .Conversation}}{{.T.Conversation}} {{.Conversation}}{{end}}{{if .Closed}} · <time datetime="{{.Closed}}">{{.Closed}}</time>{{end}}</p>{{end}}
{{if eq .Step "choose"}}
<h1 id="question">{{.Prompt}}</h1>
<form method="post" id="rate">
<input type="hidden" name="t" value="{{.Token}}"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="action" value="rate">
<fieldset aria-labelledby="question">{{range .Choices}}
<label class="choice"><input type="radio" name="score" value="{{.Value}}"{{if eq .Value $.Selected}} checked{{end}}> <span class="emoji" aria-hidden="true">{{.Emoji}}</span> <span>{{.Label}}</span></label>{{end}}
</fieldset>
<button type="submit" id="confirm">{{.T.Confirm}}</button>
</form>
<p class="note" id="note"{{if .Auto}} data-saving="{{.T.Saving}}"{{end}}>{{.T.Note}}</p>
{{if .Auto}}<script>` + autoConfirm + `</script>{{end}}
{{else if eq .Step "comment"}}
<h1>{{.T.Recorded}}</h1>
{{with .Rating}}<p id="rating">{{$.T.YourRating}} <span class="emoji" aria-hidden="true">{{.Emoji}}</span> {{.Label}}</p>{{end}}
<form method="post">
<input type="hidden" name="t" value="{{.Token}}"><input type="hidden" name="csrf" value="{{.CSRF}}"><input type="hidden" name="action" value="comment">
<p><label for="comment">{{.Prompt}}</label></p>
<textarea id="comment" name="comment"></textarea>
<p><button type="submit" id="send-comment">{{.T.Send}}</button></p>
</form>
{{else if eq .Step "done"}}
<h1 id="done">{{if .Prompt}}{{.Prompt}}{{else}}{{.T.Recorded}}{{end}}</h1>
{{else}}
<h1>{{.T.Title}}</h1><p id="error">{{.Error}}</p>
{{end}}
</main></body></html>
`))
