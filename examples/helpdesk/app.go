package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// tenant is the demo's only tenant.
const tenant = "acme"

// demoClock is the engine's clock: a fake clock while the seed plays 90 days
// of conversations, the system clock afterwards.
type demoClock struct {
	mu   sync.Mutex
	fake time.Time
}

// Now returns the fake time while one is set, and the real time otherwise.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fake.IsZero() {
		return time.Now().UTC()
	}
	return c.fake
}

// set moves the fake time to t; the zero time returns to the real clock.
func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	c.fake = t
	c.mu.Unlock()
}

// store is what the demo needs of a store: the engine's side and the
// read port of reports, the registry and the export.
type store interface {
	survey.Store
	report.Source
}

// config is what an app needs.
type config struct {
	// store keeps the sessions and answers reports.
	store store
	// baseURL is the server's absolute URL, for the e-mailed rating links.
	baseURL string
	// secret keys the rating links and the rating page's CSRF tokens;
	// empty means a random one (links then stop working after a restart).
	secret []byte
	// logger, when set, receives the engine's decisions (why a
	// conversation was or was not surveyed) and the access log; the
	// command gives the access log a logger of its own (app.logger).
	logger *slog.Logger
	// conversationURL, when set, links each rating of the registry to its
	// conversation in the helpdesk: an absolute http or https URL in
	// which {conversation} stands for the conversation's ID.
	conversationURL string
	// telemetry, when set, observes the engine and serves GET /api/telemetry.
	telemetry *telemetry
	// retention, when set, is how long the tenant's free text is kept.
	retention time.Duration
}

// app is the demo helpdesk: the engine, its store and the HTTP handlers.
type app struct {
	engine  *survey.Engine
	store   store
	clock   *demoClock
	signer  *survey.LinkSigner
	base    atomic.Pointer[string]
	surveys []survey.Definition
	scales  map[string]*scoring.Scale
	page    http.Handler
	// logger writes the access log; nil means none.
	logger *slog.Logger
	// conversationURL is config.conversationURL.
	conversationURL string
	telemetry       *telemetry
	// sent records what the demo delivered (GET /api/notifications).
	sent deliveries
}

// surveyDefs are the demo's surveys: CSAT with five faces on WhatsApp,
// Messenger and e-mail, and a 1–10 NPS on Telegram.
func surveyDefs() []survey.Definition {
	return []survey.Definition{
		{
			ID:            "csat",
			Channels:      []string{"whatsapp", "messenger", "email"},
			Scale:         scoring.Emoji5(),
			Rules:         eligibility.AnsweredLongAndRecent(),
			Company:       "Acme",
			LowScoreBelow: 3,
			Responsible:   []string{"sup-lucia"},
			NotifyAgents:  true,
		},
		{
			ID:            "nps",
			Channels:      []string{"telegram"},
			Scale:         scoring.NPS10From1(),
			Rules:         eligibility.AnsweredLongAndRecent(),
			Company:       "Acme",
			LowScoreBelow: 5,
			Responsible:   []string{"sup-lucia"},
			NotifyAgents:  true,
		},
	}
}

// newApp builds the engine on cfg.store and the handlers around it.
func newApp(cfg config) (*app, error) {
	if cfg.store == nil {
		return nil, errors.New("helpdesk: no store")
	}
	secret := cfg.secret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
	}
	if len(secret) < 32 {
		return nil, errors.New("helpdesk: the secret needs at least 32 bytes")
	}
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "demo", Secret: secret})
	if err != nil {
		return nil, err
	}
	if err := checkConversationURL(cfg.conversationURL); err != nil {
		return nil, err
	}
	a := &app{store: cfg.store, clock: &demoClock{}, signer: signer, surveys: surveyDefs(), scales: map[string]*scoring.Scale{},
		logger: cfg.logger, conversationURL: cfg.conversationURL, telemetry: cfg.telemetry}
	a.setBaseURL(cfg.baseURL)
	for _, s := range a.surveys {
		a.scales[s.ID] = s.Scale
	}
	a.engine, err = survey.New(survey.Config{
		Store:    cfg.store,
		Clock:    a.clock,
		Surveys:  a.surveys,
		Links:    signer,
		LinkURL:  func(token string) string { return a.baseURL() + "/rate?t=" + token },
		Logger:   cfg.logger,
		Observer: cfg.telemetry.engineObserver(),
	})
	if err != nil {
		return nil, err
	}
	if err := a.engine.SetTenantRetention(tenant, cfg.retention); err != nil {
		return nil, err
	}
	csrf := make([]byte, 0, len(secret)+5)
	csrf = append(append(csrf, "csrf:"...), secret...)
	a.page, err = ratingpage.New(a.engine, ratingpage.Options{
		CSRFKey: csrf,
		Tenant:  func(*http.Request) (string, error) { return tenant, nil },
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// setBaseURL sets the absolute URL the rating links point to.
func (a *app) setBaseURL(u string) {
	u = strings.TrimRight(u, "/")
	if u == "" {
		u = "http://127.0.0.1:8080"
	}
	a.base.Store(&u)
}

func (a *app) baseURL() string { return *a.base.Load() }

// scale returns the scale of a survey ID, or an error naming the known ones.
func (a *app) scale(id string) (*scoring.Scale, error) {
	if s, ok := a.scales[id]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("unknown survey %q (known: csat, nps)", id)
}

// channelsOf returns the channels survey id is sent on.
func (a *app) channelsOf(id string) []string {
	for _, s := range a.surveys {
		if s.ID == id {
			return s.Channels
		}
	}
	return nil
}

// conversationPlaceholder stands for the conversation's ID in
// config.conversationURL.
const conversationPlaceholder = "{conversation}"

// checkConversationURL refuses a conversation URL template that is not an
// absolute http or https URL with the placeholder.
func checkConversationURL(tmpl string) error {
	if tmpl == "" {
		return nil
	}
	if !strings.Contains(tmpl, conversationPlaceholder) {
		return fmt.Errorf("helpdesk: the conversation URL %q has no %s", tmpl, conversationPlaceholder)
	}
	u, err := url.Parse(strings.ReplaceAll(tmpl, conversationPlaceholder, "id"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("helpdesk: the conversation URL %q is not an absolute http or https URL", tmpl)
	}
	return nil
}

// conversationLink is the helpdesk's URL of conversation id, or "" when
// the host configured none. The ID is escaped for where the placeholder
// stands: as a path segment, or as a query value after a '?' or '#'.
func (a *app) conversationLink(id string) string {
	if a.conversationURL == "" || id == "" {
		return ""
	}
	var b strings.Builder
	rest := a.conversationURL
	for {
		i := strings.Index(rest, conversationPlaceholder)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		if strings.ContainsAny(b.String(), "?#") {
			b.WriteString(url.QueryEscape(id))
		} else {
			b.WriteString(url.PathEscape(id))
		}
		rest = rest[i+len(conversationPlaceholder):]
	}
}

// handler routes every endpoint, behind cross-origin protection: a browser
// may only send the API and the forms unsafe requests (POST) from the
// demo's own pages. Non-browser clients, such as a helpdesk calling the
// webhooks from its server, send neither Origin nor Sec-Fetch-Site and
// pass. With a logger, every request is logged.
func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/conversations/closed", a.apiClosed)
	mux.HandleFunc("POST /api/conversations/reopened", a.apiReopened)
	mux.HandleFunc("POST /api/conversations/request", a.apiRequest)
	mux.HandleFunc("POST /api/messages", a.apiMessage)
	mux.HandleFunc("POST /api/reviews", a.apiReview)
	mux.HandleFunc("POST /api/sweep", a.apiSweep)
	mux.HandleFunc("POST /api/deliver", a.apiDeliver)
	mux.HandleFunc("GET /api/notifications", a.apiNotifications)
	mux.HandleFunc("GET /api/report", a.apiReport)
	mux.HandleFunc("GET /api/preview", a.apiPreview)
	mux.HandleFunc("GET /api/sessions/{id}", a.apiSession)
	mux.HandleFunc("GET /api/contacts/{id}/last-rating", a.apiLastRating)
	mux.HandleFunc("GET /api/contacts/{id}/data", a.apiContactData)
	mux.HandleFunc("DELETE /api/contacts/{id}", a.apiEraseContact)
	mux.HandleFunc("GET /export.csv", a.exportCSV)
	if a.telemetry != nil {
		mux.HandleFunc("GET /api/telemetry", a.telemetry.apiTelemetry)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { apiNotFound(mux, w, r) })
	mux.Handle("/rate", a.page)
	mux.HandleFunc("GET /{$}", a.dashboard)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusForbidden, "cross-origin request refused: send it from this server's own pages, or from a server without Origin and Sec-Fetch-Site headers")
	}))
	h := cop.Handler(mux)
	if a.logger != nil {
		h = accessLog(a.logger, h)
	}
	return h
}

// apiNotFound answers a request no API route takes, in JSON: 405 with the
// methods the path has, or 404 when it has none.
func apiNotFound(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := mux.Handler(other); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, "%s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))
		return
	}
	writeError(w, http.StatusNotFound, "no endpoint %s %s: see the demo's README for the API", r.Method, r.URL.Path)
}

// accessLog logs one line per request: method, path, status, bytes and
// duration. The query is left out: a rating link's token is the
// contact's capability to rate.
func accessLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	s.wroteHeader = true
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
