package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"sync"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// DefaultMaxCommentLength is the default limit, in characters, of a stored
// comment. Longer comments are cut and flagged, never dropped.
const DefaultMaxCommentLength = 4000

// ErrInvalidInput wraps every problem with an event the host passed in.
var ErrInvalidInput = errors.New("surveyflow: invalid input")

// ErrUnknownSurvey means a session or call names a survey the engine does
// not have (for that tenant).
var ErrUnknownSurvey = errors.New("surveyflow: unknown survey")

// Config configures an Engine.
type Config struct {
	// Store keeps the sessions; required.
	Store Store
	// Clock tells the time; nil means SystemClock.
	Clock Clock
	// Surveys are the survey definitions of every tenant that has none of
	// its own (see Engine.SetTenantSurveys). A closing conversation gets
	// the first enabled survey that applies to its channel.
	Surveys []Definition
	// MaxCommentLength limits stored comments, in characters; zero means
	// DefaultMaxCommentLength.
	MaxCommentLength int
	// Links signs one-click rating links for e-mail; nil means the
	// engine makes none.
	Links *LinkSigner
	// LinkURL turns a signed token into the URL of the host's rating page
	// (the handler of package ratingpage, which reads the token from the
	// query parameter "t"); required with Links.
	LinkURL func(token string) string
	// EmailChannels are the channels whose rating requests carry an HTML
	// fragment with one link per option; empty means "email".
	EmailChannels []string
	// MaxClockSkew is how far apart the clocks may be that stamp a
	// survey's send (the engines' Clocks) and an inbound message
	// (Inbound.ReceivedAt, usually the channel's own timestamp). A message
	// stamped more than MaxClockSkew (plus one second, since channels stamp
	// to the second) before its survey was sent was written before the
	// contact could have seen the survey, so it is never taken as an
	// answer to it. Zero means the clocks agree.
	MaxClockSkew time.Duration
	// MessagingWindows are the channels' windows for writing to a contact
	// (see MessagingWindow), by channel name; nil means
	// DefaultMessagingWindows(), and an empty map means no channel has
	// one. A rating request sent outside its channel's window — at the
	// close or later, by Sweep — carries Outbound.Template (or
	// Outbound.Tag), so the host sends it as the channel requires instead
	// of having it refused.
	MessagingWindows map[string]MessagingWindow
	// ChannelLimits are the interactive limits of channels, by channel
	// name: how many reply buttons and list rows a message may carry and
	// how long their titles may be. They add to and replace, channel by
	// channel, DefaultChannelLimits(); a channel given the zero
	// ChannelLimits shows text only. A survey whose settings ask a
	// channel for a form its scale cannot fit is refused (New,
	// SetTenantSurveys); otherwise each question with choices goes out in
	// the richest form that fits (Outbound.Format, Choice.Title).
	ChannelLimits map[string]ChannelLimits
	// Observer is told every call, decision, send, answer, expiry,
	// duplicate and store call, with timings, for the host's metrics and
	// traces; nil means none.
	Observer Observer
	// RememberSessions is how many sessions the engine keeps a copy of
	// after writing them, one per contact and channel, so that a reply to
	// one of them takes one round trip to a store that implements
	// RoutedUpdater (store/postgres, store/sqlite) instead of two. The
	// copies are hints the store checks as it saves: several engines may
	// share the store. 0 means DefaultRememberedSessions (a few MB);
	// a negative value turns it off. Other stores ignore it. Engines that
	// WithStore returns never remember: their writes may be rolled back.
	RememberSessions int
	// EffectsOverdueAfter is how long an effect may wait unacknowledged
	// before Deliver reports it as overdue (EventOverdue and
	// DeliverResult.Overdue); zero means DefaultEffectsOverdueAfter. An
	// overdue effect is still delivered: nothing is ever dropped for
	// being late.
	EffectsOverdueAfter time.Duration
	// Logger receives what the engine decides, nil means no logs. It logs
	// IDs, states, scores and failure codes — never comment text, reply
	// text or names — at any level.
	Logger *slog.Logger
}

// Engine runs surveys. It is safe for concurrent use, starts no goroutines
// and reads time only from its Clock. Its only session state is the copies
// Config.RememberSessions describes, which the store checks before any of
// them counts, so several engines (in several processes) can share one
// Store. Make one with New: on the zero Engine (or a nil *Engine) every
// method returns an error wrapping ErrInvalidInput, and SignsLinks false.
type Engine struct {
	store        Store
	clock        Clock
	maxComment   int
	links        *LinkSigner
	linkURL      func(string) string
	email        map[string]bool
	skew         time.Duration
	windows      map[string]MessagingWindow
	limits       map[string]ChannelLimits
	observer     Observer
	logger       *slog.Logger
	overdueAfter time.Duration
	routed       RoutedUpdater // the store, when it checks routing as it saves
	recent       *remembered   // nil unless routed
	privacy      PrivacyStore  // the store, when it can find and remove sessions for erasure and retention
	retention    *tenantRetention

	global  *surveySet
	tenants *tenantSurveys // shared with the engines WithStore returns
}

// tenantSurveys holds the per-tenant survey sets of SetTenantSurveys.
type tenantSurveys struct {
	mu   sync.RWMutex
	sets map[string]*surveySet
}

// surveySet is one tenant's compiled surveys.
type surveySet struct {
	list []*compiled
	byID map[string]*compiled
}

func compileSet(defs []Definition, limits map[string]ChannelLimits) (*surveySet, error) {
	set := &surveySet{byID: map[string]*compiled{}}
	for _, d := range defs {
		c, err := compile(d, limits)
		if err != nil {
			return nil, err
		}
		if _, dup := set.byID[d.ID]; dup {
			return nil, fmt.Errorf("%w: two surveys are named %q", ErrInvalidSurvey, d.ID)
		}
		set.byID[d.ID] = c
		set.list = append(set.list, c)
	}
	return set, nil
}

// New validates the configuration and every survey definition.
func New(cfg Config) (*Engine, error) {
	if isNil(cfg.Store) {
		return nil, fmt.Errorf("%w: Config.Store is required", ErrInvalidInput)
	}
	if cfg.EffectsOverdueAfter < 0 {
		return nil, fmt.Errorf("%w: Config.EffectsOverdueAfter is negative", ErrInvalidInput)
	}
	if cfg.MaxClockSkew < 0 {
		return nil, fmt.Errorf("%w: Config.MaxClockSkew is negative", ErrInvalidInput)
	}
	windows := cfg.MessagingWindows
	if windows == nil {
		windows = DefaultMessagingWindows()
	}
	for ch, w := range windows {
		if w.Free < 0 || w.Tagged < 0 || (w.Tagged > 0) != (w.Tag != "") {
			return nil, fmt.Errorf("%w: messaging window of %q: durations must not be negative, and Tagged and Tag go together", ErrInvalidInput, ch)
		}
	}
	if cfg.Links != nil && cfg.LinkURL == nil {
		return nil, errors.New("surveyflow: Config.LinkURL is required with Config.Links")
	}
	e := &Engine{
		store: cfg.Store, clock: cfg.Clock, maxComment: cfg.MaxCommentLength,
		links: cfg.Links, linkURL: cfg.LinkURL,
		email: map[string]bool{}, tenants: &tenantSurveys{sets: map[string]*surveySet{}},
		logger: cfg.Logger, skew: cfg.MaxClockSkew + time.Second, windows: maps.Clone(windows),
		observer: cfg.Observer, overdueAfter: cfg.EffectsOverdueAfter,
		retention: &tenantRetention{periods: map[string]time.Duration{}},
	}
	if e.overdueAfter == 0 {
		e.overdueAfter = DefaultEffectsOverdueAfter
	}
	e.privacy, _ = cfg.Store.(PrivacyStore)
	e.store = e.observed(cfg.Store)
	if ru, ok := cfg.Store.(RoutedUpdater); ok && cfg.RememberSessions >= 0 {
		n := cfg.RememberSessions
		if n == 0 {
			n = DefaultRememberedSessions
		}
		e.routed, e.recent = ru, newRemembered(n)
	}
	if e.clock == nil {
		e.clock = SystemClock{}
	}
	if e.maxComment <= 0 {
		e.maxComment = DefaultMaxCommentLength
	}
	if len(cfg.EmailChannels) == 0 {
		e.email["email"] = true
	}
	for _, ch := range cfg.EmailChannels {
		e.email[ch] = true
	}
	limits, err := channelLimits(cfg.ChannelLimits)
	if err != nil {
		return nil, err
	}
	e.limits = limits
	set, err := compileSet(cfg.Surveys, limits)
	if err != nil {
		return nil, err
	}
	e.global = set
	return e, nil
}

// SetTenantSurveys gives a tenant its own surveys, validated like New's;
// nil or empty returns the tenant to Config.Surveys. Sessions already
// running keep working as long as their survey ID is still defined.
func (e *Engine) SetTenantSurveys(tenantID string, surveys []Definition) error {
	if err := e.made(); err != nil {
		return err
	}
	if tenantID == "" {
		return fmt.Errorf("%w: empty tenant ID", ErrInvalidInput)
	}
	var set *surveySet
	if len(surveys) > 0 {
		s, err := compileSet(surveys, e.limits)
		if err != nil {
			return err
		}
		set = s
	}
	e.tenants.mu.Lock()
	defer e.tenants.mu.Unlock()
	if set == nil {
		delete(e.tenants.sets, tenantID)
	} else {
		e.tenants.sets[tenantID] = set
	}
	return nil
}

// WithStore returns an engine that keeps its sessions in st and shares
// everything else with e: the compiled surveys, the tenants' surveys
// (SetTenantSurveys on either engine applies to both), the clock, the link
// signer and the logger. Nothing is compiled again, so it is cheap to call
// per request: a host that writes survey state in its own database
// transaction, together with its own rows, runs the engine on a store made
// for that transaction and commits or rolls back both at once:
//
//	tx, _ := db.BeginTx(ctx, nil) // SQLite: an IMMEDIATE transaction (see store/sqlite)
//	st, err := sqlite.New(tx)
//	// …
//	res, err := engine.WithStore(st).ConversationClosed(ctx, conv)
//	// … the host's own writes in tx …
//	err = tx.Commit()
//
// (postgres.New takes a pgx.Tx the same way.) A nil st returns e, and so
// does an engine New did not make, whose calls keep failing.
func (e *Engine) WithStore(st Store) *Engine {
	if isNil(st) || e.made() != nil {
		return e
	}
	c := *e // every field is read-only after New or shared by pointer
	c.store = c.observed(st)
	c.routed, c.recent = nil, nil // a transaction's writes may be rolled back
	c.privacy, _ = st.(PrivacyStore)
	return &c
}

func (e *Engine) surveys(tenantID string) *surveySet {
	e.tenants.mu.RLock()
	defer e.tenants.mu.RUnlock()
	if s, ok := e.tenants.sets[tenantID]; ok {
		return s
	}
	return e.global
}

// survey returns a tenant's survey by ID.
func (e *Engine) survey(tenantID, id string) (*compiled, error) {
	c, ok := e.surveys(tenantID).byID[id]
	if !ok {
		return nil, fmt.Errorf("%w %q for tenant %q", ErrUnknownSurvey, id, tenantID)
	}
	return c, nil
}

// Scale returns the scale of a tenant's survey.
func (e *Engine) Scale(tenantID, surveyID string) (*scoring.Scale, error) {
	if err := e.made(); err != nil {
		return nil, err
	}
	c, err := e.survey(tenantID, surveyID)
	if err != nil {
		return nil, err
	}
	return c.scale, nil
}

// observed is st, timed for the engine's observer when it has one.
func (e *Engine) observed(st Store) Store {
	if e.observer == nil {
		return st
	}
	if o, ok := st.(observedStore); ok {
		st = o.Store
	}
	return observedStore{Store: st, e: e}
}

// isNil reports whether v is nil or holds a nil pointer, map, slice,
// channel or function: a Store built on nothing.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.Interface:
		return r.IsNil()
	}
	return false
}

// live refuses to start or to go on with a call whose context is done (or
// nil): whatever the store, nothing is written after the caller gave up.
func live(ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("%w: nil context", ErrInvalidInput)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("surveyflow: %w", err)
	}
	return nil
}

// usable refuses a call on an engine New did not make (see made) and, as
// live, a call whose context is done.
func (e *Engine) usable(ctx context.Context) error {
	if err := e.made(); err != nil {
		return err
	}
	return live(ctx)
}

// made refuses an engine New did not make: a nil *Engine, the zero Engine.
// Exported methods without a context check it first.
func (e *Engine) made() error {
	if e == nil || e.store == nil {
		return fmt.Errorf("%w: the engine was not made by survey.New", ErrInvalidInput)
	}
	return nil
}

// log writes one record when the engine has a logger. Callers pass IDs,
// states, scores and codes only.
func (e *Engine) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if !e.logs(ctx, level) {
		return
	}
	e.logger.LogAttrs(ctx, level, msg, attrs...)
}

// logs reports whether a record at level would be written; callers check
// it before building attributes, so an engine without a logger allocates
// nothing for logging.
func (e *Engine) logs(ctx context.Context, level slog.Level) bool {
	return e.logger != nil && e.logger.Enabled(ctx, level)
}

// sessionAttrs are the loggable facts of a session.
func sessionAttrs(s *Session) []slog.Attr {
	return []slog.Attr{
		slog.String("tenant", s.TenantID), slog.String("survey", s.SurveyID),
		slog.String("session", s.ID), slog.String("conversation", s.ConversationID),
		slog.String("state", string(s.State)),
	}
}
