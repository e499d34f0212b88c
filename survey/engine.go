package survey

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"golang.org/x/text/language"
)

// DefaultMaxCommentLength is the default limit, in characters, of a stored
// comment. Longer comments are cut and flagged, never dropped.
const DefaultMaxCommentLength = 4000

// ErrInvalidInput wraps every problem with an event the host passed in.
var ErrInvalidInput = errors.New("surveyflow: invalid input")

// Config configures an Engine.
type Config struct {
	// Store keeps the sessions; required.
	Store Store
	// Clock tells the time; nil means SystemClock.
	Clock Clock
	// Surveys are the survey definitions. A closing conversation gets the
	// first enabled survey that applies to its channel.
	Surveys []Survey
	// MaxCommentLength limits stored comments, in characters; zero means
	// DefaultMaxCommentLength.
	MaxCommentLength int
}

// Engine runs surveys. It is safe for concurrent use, holds no session
// state of its own, starts no goroutines and reads time only from its Clock,
// so several engines (in several processes) can share one Store.
type Engine struct {
	store      Store
	clock      Clock
	surveys    []*compiled
	byID       map[string]*compiled
	maxComment int
}

// New validates the configuration and every survey definition.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil {
		return nil, errors.New("surveyflow: Config.Store is required")
	}
	e := &Engine{store: cfg.Store, clock: cfg.Clock, byID: map[string]*compiled{}, maxComment: cfg.MaxCommentLength}
	if e.clock == nil {
		e.clock = SystemClock{}
	}
	if e.maxComment <= 0 {
		e.maxComment = DefaultMaxCommentLength
	}
	for _, d := range cfg.Surveys {
		c, err := compile(d)
		if err != nil {
			return nil, err
		}
		if _, dup := e.byID[d.ID]; dup {
			return nil, fmt.Errorf("%w: two surveys are named %q", ErrInvalidSurvey, d.ID)
		}
		e.byID[d.ID] = c
		e.surveys = append(e.surveys, c)
	}
	return e, nil
}

// Scale returns the scale of the named survey.
func (e *Engine) Scale(surveyID string) (*scoring.Scale, bool) {
	c, ok := e.byID[surveyID]
	if !ok {
		return nil, false
	}
	return c.scale, true
}

// Failure codes the engine itself reports (rules report their own).
const (
	CodeNoSurvey     = "no_survey"
	CodeSurveyActive = "survey_active"
)

// ConversationClosed decides whether to survey the conversation and, if so,
// creates the session and returns the rating request to send. A repeated
// close event (same conversation and close time) returns Duplicate and no
// messages.
func (e *Engine) ConversationClosed(ctx context.Context, conv *Conversation) (*Result, error) {
	if err := validateConversation(conv); err != nil {
		return nil, err
	}
	now := e.clock.Now()
	closedAt := conv.ClosedAt
	if closedAt.IsZero() {
		closedAt = now
	}
	sv := e.surveyFor(conv.Channel)
	if sv == nil {
		return &Result{Decision: Decision{Failures: []Failure{{
			Code: CodeNoSurvey, Rule: "survey",
			Reason: fmt.Sprintf("no enabled survey applies to channel %q", conv.Channel),
		}}}}, nil
	}
	id := sessionID(conv.TenantID, sv.def.ID, conv.ID, closedAt)
	if existing, err := e.store.Load(ctx, conv.TenantID, id); err == nil {
		return &Result{Duplicate: true, Decision: Decision{Eligible: true}, Session: existing}, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("surveyflow: close %s: %w", conv.ID, err)
	}

	tag, conf := sv.texts.Match(conv.Contact.Language)
	in := &Input{
		Conversation:    conv,
		SurveyID:        sv.def.ID,
		Now:             now,
		Language:        tag.String(),
		LanguageMatched: conf != language.No,
		History: func(ctx context.Context, since time.Time) ([]*Session, error) {
			return e.store.ContactHistory(ctx, conv.TenantID, conv.Contact.ID, since)
		},
	}
	decision, err := Evaluate(ctx, sv.def.Rules, in)
	if err != nil {
		return nil, fmt.Errorf("surveyflow: eligibility of %s: %w", conv.ID, err)
	}
	if !decision.Eligible {
		return &Result{Decision: decision}, nil
	}

	if err := e.supersede(ctx, conv, now); err != nil {
		return nil, err
	}
	s := &Session{
		TenantID:       conv.TenantID,
		ID:             id,
		SurveyID:       sv.def.ID,
		ConversationID: conv.ID,
		ContactID:      conv.Contact.ID,
		Channel:        conv.Channel,
		Language:       tag.String(),
		State:          StateAwaitingRating,
		Agents:         agentsOf(conv),
		ClosedAt:       closedAt,
		CreatedAt:      now,
		Deadline:       now.Add(sv.window),
	}
	switch err := e.store.Create(ctx, s); {
	case errors.Is(err, ErrDuplicate):
		existing, lerr := e.store.Load(ctx, conv.TenantID, id)
		if lerr != nil {
			return nil, fmt.Errorf("surveyflow: close %s: %w", conv.ID, lerr)
		}
		return &Result{Duplicate: true, Decision: decision, Session: existing}, nil
	case errors.Is(err, ErrActiveExists):
		return &Result{Decision: Decision{Failures: []Failure{{
			Code: CodeSurveyActive, Rule: "survey",
			Reason: fmt.Sprintf("conversation %s already has a survey waiting for an answer", conv.ID),
		}}}}, nil
	case err != nil:
		return nil, fmt.Errorf("surveyflow: close %s: %w", conv.ID, err)
	}
	out, err := e.ratingRequest(sv, s, conv)
	if err != nil {
		return nil, err
	}
	return &Result{Decision: decision, Session: s.Clone(), Outbound: []Outbound{out}}, nil
}

// supersede cancels a survey of another conversation that still waits for
// this contact on this channel: the contact's next reply belongs to the new
// one.
func (e *Engine) supersede(ctx context.Context, conv *Conversation, now time.Time) error {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		old, err := e.store.Awaiting(ctx, conv.TenantID, conv.Contact.ID, conv.Channel)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("surveyflow: close %s: %w", conv.ID, err)
		}
		if old.ConversationID == conv.ID {
			return nil // Create reports the duplicate or the active survey.
		}
		sv, ok := e.byID[old.SurveyID]
		if !ok {
			return fmt.Errorf("surveyflow: session %s has unknown survey %q", old.ID, old.SurveyID)
		}
		if err := e.end(sv, old, eventCancel, now); err != nil {
			return err
		}
		err = e.store.Update(ctx, old)
		if errors.Is(err, ErrStaleVersion) {
			continue
		}
		if err != nil {
			return fmt.Errorf("surveyflow: cancel session %s: %w", old.ID, err)
		}
	}
	return fmt.Errorf("surveyflow: close %s: %w after %d attempts", conv.ID, ErrStaleVersion, maxAttempts)
}

// maxAttempts bounds the load–apply–save retries after a stale version.
const maxAttempts = 8

// HandleMessage applies an inbound contact message to the survey waiting for
// that contact on that channel. Result.Consumed is false when no survey is
// waiting, the question's time ran out, or the survey gave up on replies that
// were not scores: the host then treats the message as a new conversation.
func (e *Engine) HandleMessage(ctx context.Context, in *Inbound) (*Result, error) {
	if in == nil || in.TenantID == "" || in.ContactID == "" || in.MessageID == "" {
		return nil, fmt.Errorf("%w: an inbound message needs TenantID, ContactID and MessageID", ErrInvalidInput)
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		s, err := e.store.Awaiting(ctx, in.TenantID, in.ContactID, in.Channel)
		if errors.Is(err, ErrNotFound) {
			return &Result{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("surveyflow: message %s: %w", in.MessageID, err)
		}
		if s.seen(in.MessageID) {
			return &Result{Consumed: true, Duplicate: true, Session: s}, nil
		}
		sv, ok := e.byID[s.SurveyID]
		if !ok {
			return nil, fmt.Errorf("surveyflow: session %s has unknown survey %q", s.ID, s.SurveyID)
		}
		res, err := e.apply(sv, s, in)
		if err != nil {
			return nil, err
		}
		err = e.store.Update(ctx, s)
		if errors.Is(err, ErrStaleVersion) {
			continue // another delivery or instance got there first: look again
		}
		if err != nil {
			return nil, fmt.Errorf("surveyflow: save session %s: %w", s.ID, err)
		}
		res.Session = s.Clone()
		return res, nil
	}
	return nil, fmt.Errorf("surveyflow: message %s: %w after %d attempts", in.MessageID, ErrStaleVersion, maxAttempts)
}

// apply changes s in memory for one inbound message and says what to send.
func (e *Engine) apply(sv *compiled, s *Session, in *Inbound) (*Result, error) {
	now := e.clock.Now()
	at := in.ReceivedAt
	if at.IsZero() || at.After(now) {
		at = now
	}
	if at.After(s.Deadline) {
		// Too late: the question expired. The message is the start of a
		// new conversation, not an answer.
		return &Result{}, e.end(sv, s, eventExpire, now)
	}
	loc := sv.lang(s.Language)
	switch s.State {
	case StateAwaitingRating:
		v, perr := loc.parser.Parse(in.Text)
		if perr != nil {
			if s.Reprompts >= sv.reprompts {
				// The contact is talking about something else: end the
				// survey and hand the message back to the host.
				return &Result{}, e.end(sv, s, eventGiveUp, now)
			}
			s.Reprompts++
			s.Unparsed = append(s.Unparsed, e.cut(in.Text))
			s.MessageIDs = append(s.MessageIDs, in.MessageID)
			s.Deadline = now.Add(sv.window)
			out, err := e.reprompt(sv, s)
			if err != nil {
				return nil, err
			}
			return &Result{Consumed: true, Outbound: []Outbound{out}}, nil
		}
		next, err := sv.flow.fire(s.State, eventRate)
		if err != nil {
			return nil, err
		}
		s.State, s.Rated, s.Rating, s.RatedAt = next, true, v, now
	case StateAwaitingComment:
		next, err := sv.flow.fire(s.State, eventComment)
		if err != nil {
			return nil, err
		}
		s.Comment = e.cut(in.Text)
		s.CommentTruncated = utf8.RuneCountInString(s.Comment) < utf8.RuneCountInString(strings.ToValidUTF8(in.Text, "\uFFFD"))
		s.State, s.CommentedAt = next, now
	default:
		return &Result{}, nil
	}
	s.MessageIDs = append(s.MessageIDs, in.MessageID)
	res := &Result{Consumed: true}
	switch s.State {
	case StateAwaitingComment:
		s.Deadline = now.Add(sv.window)
		out, err := e.text(sv, s, KindCommentRequest, i18n.KeyCommentPrompt, nil)
		if err != nil {
			return nil, err
		}
		res.Outbound = append(res.Outbound, out)
	case StateCompleted:
		s.Deadline, s.EndedAt = time.Time{}, now
		if !sv.def.SkipThanks {
			out, err := e.text(sv, s, KindThanks, i18n.KeyThanks, nil)
			if err != nil {
				return nil, err
			}
			res.Outbound = append(res.Outbound, out)
		}
	}
	return res, nil
}

// end moves s to a final state through event.
func (e *Engine) end(sv *compiled, s *Session, event string, now time.Time) error {
	next, err := sv.flow.fire(s.State, event)
	if err != nil {
		return err
	}
	s.State, s.Deadline, s.EndedAt = next, time.Time{}, now
	return nil
}

// cut makes text valid UTF-8 and limits it to the engine's comment length.
func (e *Engine) cut(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if utf8.RuneCountInString(text) <= e.maxComment {
		return text
	}
	n := 0
	for i := range text {
		if n == e.maxComment {
			return text[:i]
		}
		n++
	}
	return text
}

// SweepResult reports what a sweep did.
type SweepResult struct {
	// Expired counts the sessions whose question ran out of time.
	Expired int
	// Outbound lists messages to send (none today; reserved for sends that
	// sweeps trigger).
	Outbound []Outbound
}

// sweepBatch is how many due sessions a sweep loads at a time.
const sweepBatch = 256

// Sweep ends every session whose deadline has passed. Call it periodically
// (every minute is plenty); several instances may sweep at once: a session
// is expired by exactly one of them.
func (e *Engine) Sweep(ctx context.Context) (*SweepResult, error) {
	res := &SweepResult{}
	now := e.clock.Now()
	for {
		due, err := e.store.Due(ctx, now, sweepBatch)
		if err != nil {
			return res, fmt.Errorf("surveyflow: sweep: %w", err)
		}
		progressed := 0
		for _, s := range due {
			sv, ok := e.byID[s.SurveyID]
			if !ok {
				return res, fmt.Errorf("surveyflow: session %s has unknown survey %q", s.ID, s.SurveyID)
			}
			if err := e.end(sv, s, eventExpire, now); err != nil {
				return res, err
			}
			err := e.store.Update(ctx, s)
			if errors.Is(err, ErrStaleVersion) {
				progressed++ // someone else changed it; it is no longer ours to expire
				continue
			}
			if err != nil {
				return res, fmt.Errorf("surveyflow: expire session %s: %w", s.ID, err)
			}
			progressed++
			res.Expired++
		}
		if len(due) < sweepBatch || progressed == 0 {
			return res, nil
		}
	}
}

func (e *Engine) surveyFor(channel string) *compiled {
	for _, c := range e.surveys {
		if c.appliesTo(channel) {
			return c
		}
	}
	return nil
}

func validateConversation(c *Conversation) error {
	switch {
	case c == nil:
		return fmt.Errorf("%w: nil conversation", ErrInvalidInput)
	case c.TenantID == "":
		return fmt.Errorf("%w: conversation %q has no TenantID", ErrInvalidInput, c.ID)
	case c.ID == "":
		return fmt.Errorf("%w: conversation has no ID", ErrInvalidInput)
	case c.Contact.ID == "":
		return fmt.Errorf("%w: conversation %s has no contact ID", ErrInvalidInput, c.ID)
	}
	return nil
}

// sessionID derives a session's ID from what identifies one close event.
func sessionID(tenant, survey, conversation string, closedAt time.Time) string {
	h := sha256.New()
	for _, p := range []string{tenant, survey, conversation} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(closedAt.UnixNano()))
	h.Write(t[:])
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// agentsOf lists the conversation's participants who wrote at least one
// message; when the transcript names none, every participant counts.
func agentsOf(c *Conversation) []Agent {
	wrote := map[string]bool{}
	for _, m := range c.Messages {
		if m.From == FromAgent {
			wrote[m.AuthorID] = true
		}
	}
	var out []Agent
	for _, p := range c.Participants {
		if len(wrote) == 0 || wrote[p.ID] {
			out = append(out, Agent{ID: p.ID, Kind: p.Kind, Groups: append([]string(nil), p.Groups...)})
		}
	}
	return out
}

// vars are the placeholder values of a session's texts.
func (e *Engine) vars(sv *compiled, conv *Conversation) i18n.Vars {
	v := i18n.Vars{"min": strconv.Itoa(sv.scale.Min()), "max": strconv.Itoa(sv.scale.Max()), "contact": "", "agent": ""}
	if conv != nil {
		v["contact"] = conv.Contact.Name
		for _, p := range conv.Participants {
			if p.Kind == Human {
				v["agent"] = p.Name
			}
		}
	}
	return v
}

func (e *Engine) ratingRequest(sv *compiled, s *Session, conv *Conversation) (Outbound, error) {
	return e.text(sv, s, KindRatingRequest, i18n.KeyRatingPrompt, conv)
}

func (e *Engine) reprompt(sv *compiled, s *Session) (Outbound, error) {
	return e.text(sv, s, KindReprompt, i18n.KeyRatingReprompt, nil)
}

// text renders one outbound message of s.
func (e *Engine) text(sv *compiled, s *Session, kind MessageKind, key i18n.Key, conv *Conversation) (Outbound, error) {
	loc := sv.lang(s.Language)
	tmpl, _ := sv.texts.Text(loc.tag, key)
	prompt, err := i18n.Render(tmpl, e.vars(sv, conv), i18n.Plain)
	if err != nil {
		return Outbound{}, fmt.Errorf("surveyflow: render %s for session %s: %w", key, s.ID, err)
	}
	out := Outbound{
		IdempotencyKey: s.ID + "/" + string(kind) + "/" + strconv.Itoa(s.Reprompts),
		TenantID:       s.TenantID,
		SessionID:      s.ID,
		ConversationID: s.ConversationID,
		ContactID:      s.ContactID,
		Channel:        s.Channel,
		Kind:           kind,
		Language:       loc.tag.String(),
		Prompt:         prompt,
		Text:           prompt,
	}
	if kind == KindRatingRequest || kind == KindReprompt {
		out.Choices = append([]Choice(nil), loc.options...)
		var b strings.Builder
		b.WriteString(prompt)
		b.WriteString("\n")
		for _, c := range loc.options {
			b.WriteString("\n")
			b.WriteString(c.Emoji)
			b.WriteString(" ")
			b.WriteString(c.Label)
		}
		out.Text = b.String()
	}
	return out, nil
}
