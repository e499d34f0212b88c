package survey

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Failure codes the engine itself reports (rules report their own).
const (
	// CodeNoSurvey: no enabled survey applies to the channel.
	CodeNoSurvey = "no_survey"
	// CodeSurveyActive: the conversation already has a survey running.
	CodeSurveyActive = "survey_active"
	// CodeRatedBeforeClose: the contact already rated the conversation
	// before it closed.
	CodeRatedBeforeClose = "rated_before_close"
	// CodeAlreadySurveyed: the conversation was surveyed at an earlier
	// close and the survey's Resurvey policy is ResurveyNever.
	CodeAlreadySurveyed = "already_surveyed"
	// CodePublicConversation: the conversation is public (a post or a
	// comment anyone can read); only private conversations are surveyed.
	CodePublicConversation = "public_conversation"
)

// ConversationClosed decides whether to survey the conversation and, if so,
// creates the session and returns the rating request to send (or schedules
// it, with Definition.SendDelay).
//
// A repeated close event returns Duplicate, no messages, and in
// Result.Replay the rating request if it is still unanswered. A close is a
// repeat of the conversation's last surveyed close unless
// ConversationReopened was called in between, whatever Conversation.ClosedAt
// says (a retry may leave it zero, or carry it rounded by the host's
// database); a close whose ClosedAt is within a second of an earlier
// surveyed close of the conversation is always that close, repeated. So a
// host calls ConversationReopened when a conversation reopens, and every
// later close is then surveyed on its own.
func (e *Engine) ConversationClosed(ctx context.Context, conv *Conversation) (*Result, error) {
	start := e.since()
	res, err := e.conversationClosed(ctx, conv)
	e.called(ctx, "close", start, res, err)
	return res, err
}

func (e *Engine) conversationClosed(ctx context.Context, conv *Conversation) (*Result, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if err := validateConversation(conv); err != nil {
		return nil, err
	}
	now := e.clock.Now()
	closedAt := conv.ClosedAt
	if closedAt.IsZero() {
		closedAt = now
	}
	sv := e.surveyFor(conv.TenantID, conv.Channel, "")
	if sv == nil {
		return &Result{Decision: noSurvey(conv.Channel)}, nil
	}
	if conv.Public {
		return &Result{Decision: publicConversation(conv)}, nil
	}
	earlier, err := e.store.ConversationSessions(ctx, conv.TenantID, conv.ID)
	if err != nil {
		return nil, fmt.Errorf("surveyflow: close %s: %w", conv.ID, err)
	}
	repeated, closes := repeatedClose(earlier, conv.ClosedAt)
	if repeated != nil {
		return e.duplicateStart(repeated)
	}
	if ratedBeforeClose(earlier) {
		return &Result{Decision: refused(CodeRatedBeforeClose, fmt.Sprintf("conversation %s was rated before it closed", conv.ID))}, nil
	}
	if surveyedCloses(earlier) > 0 && sv.def.Resurvey != ResurveyEachResolution {
		return &Result{Decision: refused(CodeAlreadySurveyed,
			fmt.Sprintf("conversation %s was surveyed when it first closed; survey %q surveys a conversation once", conv.ID, sv.def.ID))}, nil
	}

	lm := sv.match(conv.Contact.Language)
	tag := lm.tag
	decision := Decision{Eligible: true}
	if len(sv.def.Rules) > 0 {
		var err error
		if decision, err = e.eligible(ctx, sv, conv, lm, now); err != nil {
			return nil, err
		}
	}
	if !decision.Eligible {
		if e.logs(ctx, slog.LevelDebug) {
			codes := make([]string, len(decision.Failures))
			for i, f := range decision.Failures {
				codes[i] = f.Code
			}
			e.log(ctx, slog.LevelDebug, "surveyflow: not surveyed", slog.String("tenant", conv.TenantID),
				slog.String("conversation", conv.ID), slog.String("survey", sv.def.ID), slog.Any("codes", codes))
		}
		return &Result{Decision: decision}, nil
	}
	id := sessionID(conv.TenantID, sv.def.ID, conv.ID, "close", int64(closes+1))
	s := e.newSession(sv, conv, id, tag, now)
	s.ClosedAt, s.Trigger = closedAt, TriggerClose
	if sv.def.SendDelay > 0 {
		s.State, s.Deadline = StateScheduled, now.Add(sv.def.SendDelay)
	}
	res, err := e.start(ctx, sv, conv, s)
	if err != nil || res.Session == nil {
		return res, err
	}
	res.Decision = decision
	return res, nil
}

// repeatedClose finds the session that a close event repeats among the
// conversation's sessions (newest first): one whose close was within a
// second of closedAt (when the host passed it), or else the last surveyed
// close when the conversation was not reopened since (ConversationReopened
// records the reopen on the newest session it finds, which may be a
// survey requested after that close). It also counts the conversation's
// surveyed closes, which numbers the next one.
func repeatedClose(earlier []*Session, closedAt time.Time) (repeated *Session, closes int) {
	var last *Session
	reopened := false
	for _, s := range earlier {
		if last == nil && !s.ReopenedAt.IsZero() {
			reopened = true // the last close or a session after it
		}
		if s.Trigger != TriggerClose {
			continue
		}
		closes++
		if last == nil {
			last = s
		}
		if d := s.ClosedAt.Sub(closedAt); !closedAt.IsZero() && d > -time.Second && d < time.Second {
			repeated = s
		}
	}
	if repeated == nil && last != nil && !reopened {
		repeated = last
	}
	return repeated, closes
}

// surveyedCloses counts the conversation's closes whose survey went out; a
// delayed survey called off before its send surveyed nothing.
func surveyedCloses(earlier []*Session) int {
	n := 0
	for _, s := range earlier {
		if s.Trigger == TriggerClose && !s.SentAt.IsZero() {
			n++
		}
	}
	return n
}

// ratedBeforeClose reports whether the conversation was rated, since its
// last surveyed close, through a survey requested while it was open.
func ratedBeforeClose(earlier []*Session) bool {
	for _, s := range earlier {
		if s.Trigger == TriggerClose {
			return false
		}
		if s.BeforeClose && s.Rated {
			return true
		}
	}
	return false
}

// Request says how to start a survey by hand.
type Request struct {
	// SurveyID picks the survey; empty means the first enabled survey
	// for the conversation's channel.
	SurveyID string
	// RequestedBy names the agent or system that asked; it is recorded.
	RequestedBy string
	// BeforeClose starts the survey while the conversation is still open
	//. Replies that are not scores are then left to the chat,
	// never re-prompted, and with Definition.CloseOnRating the rating's result
	// tells the host to close the conversation.
	BeforeClose bool
}

// RequestSurvey starts a survey for one conversation now, bypassing the
// eligibility rules on purpose (the session records TriggerManual and who
// asked). It still refuses a second running survey for the conversation,
// and a public conversation (CodePublicConversation), which is never
// surveyed.
func (e *Engine) RequestSurvey(ctx context.Context, conv *Conversation, req Request) (*Result, error) {
	start := e.since()
	res, err := e.requestSurvey(ctx, conv, req)
	e.called(ctx, "request", start, res, err)
	return res, err
}

func (e *Engine) requestSurvey(ctx context.Context, conv *Conversation, req Request) (*Result, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if err := validateConversation(conv); err != nil {
		return nil, err
	}
	sv := e.surveyFor(conv.TenantID, conv.Channel, req.SurveyID)
	if sv == nil {
		if req.SurveyID != "" {
			return nil, fmt.Errorf("%w %q for tenant %q (or it is disabled)", ErrUnknownSurvey, req.SurveyID, conv.TenantID)
		}
		return &Result{Decision: noSurvey(conv.Channel)}, nil
	}
	if conv.Public {
		return &Result{Decision: publicConversation(conv)}, nil
	}
	if req.BeforeClose && sv.def.PerChannel[conv.Channel].NoRatingBeforeClose {
		return &Result{Decision: refused(CodeRatingBeforeCloseOff,
			fmt.Sprintf("survey %q does not offer a rating before the close on channel %q", sv.def.ID, conv.Channel))}, nil
	}
	now := e.clock.Now()
	tag := sv.match(conv.Contact.Language).tag
	s := e.newSession(sv, conv, sessionID(conv.TenantID, sv.def.ID, conv.ID, "manual", now.UnixNano()), tag, now)
	s.Trigger, s.RequestedBy, s.BeforeClose = TriggerManual, req.RequestedBy, req.BeforeClose
	s.ClosedAt = conv.ClosedAt
	if s.ClosedAt.IsZero() && !req.BeforeClose {
		s.ClosedAt = now
	}
	res, err := e.start(ctx, sv, conv, s)
	if err != nil || res.Session == nil {
		return res, err
	}
	if !res.Duplicate {
		res.Decision = Decision{Eligible: true}
	}
	return res, nil
}

// ConversationReopened records that the conversation reopened, so that its
// next close is surveyed as a new one (see ConversationClosed), and cancels
// its survey that is scheduled or waiting for an answer, so that it never
// lands in a live chat. A survey requested before the close is left alone.
// Result.Session is the session it marked, nil when there was none to
// mark (no survey, or the reopen was already recorded).
func (e *Engine) ConversationReopened(ctx context.Context, conv *Conversation) (*Result, error) {
	start := e.since()
	res, err := e.conversationReopened(ctx, conv)
	e.called(ctx, "reopen", start, res, err)
	return res, err
}

func (e *Engine) conversationReopened(ctx context.Context, conv *Conversation) (*Result, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if err := validateConversation(conv); err != nil {
		return nil, err
	}
	var list []*Session
	return e.mutate(ctx, mutation{
		what: "reopen", id: conv.ID,
		load: func() (*Session, error) {
			var err error
			if list, err = e.store.ConversationSessions(ctx, conv.TenantID, conv.ID); err != nil {
				return nil, err
			}
			if i := slices.IndexFunc(list, func(s *Session) bool { return !s.BeforeClose && s.State != StateNotSurveyed }); i >= 0 {
				return list[i], nil
			}
			return nil, ErrNotFound
		},
		notFound: func() (*Result, error) { return &Result{}, nil },
		change: func(s *Session) (*Result, bool, error) {
			if !s.ReopenedAt.IsZero() {
				return &Result{}, false, nil // recorded already
			}
			now := e.clock.Now()
			s.ReopenedAt = now
			res := &Result{}
			if !s.State.Final() {
				if sv, err := e.survey(s.TenantID, s.SurveyID); err == nil {
					if err := e.end(sv, s, eventCancel, now, res); err != nil {
						return nil, false, err
					}
				} else {
					endUnknown(s, StateCancelled, now, res)
				}
			}
			return res, true, nil
		},
	})
}

// publicConversation is the decision on a public conversation: it is
// never surveyed, on close or on request.
func publicConversation(conv *Conversation) Decision {
	return refused(CodePublicConversation, fmt.Sprintf("conversation %s is public: only private conversations are surveyed", conv.ID))
}

// newSession returns a session awaiting its rating.
func (e *Engine) newSession(sv *compiled, conv *Conversation, id string, tag language.Tag, now time.Time) *Session {
	return &Session{
		TenantID:       conv.TenantID,
		ID:             id,
		SurveyID:       sv.def.ID,
		Scale:          sv.scale.ID(),
		ConversationID: conv.ID,
		ContactID:      conv.Contact.ID,
		ContactName:    conv.Contact.Name,
		Channel:        conv.Channel,
		Language:       tag.String(),
		State:          StateAwaitingRating,
		Agents:         agentsOf(conv),
		Assignee:       conv.Assignee,
		LastAgent:      lastHumanReply(conv),
		CreatedAt:      now,
		LastContactAt:  lastContactMessage(conv),
	}
}

// start supersedes the contact's older survey, creates s and, unless it is
// scheduled, returns its rating request, stored with s as a pending
// effect.
func (e *Engine) start(ctx context.Context, sv *compiled, conv *Conversation, s *Session) (*Result, error) {
	now := s.CreatedAt
	if err := e.supersede(ctx, conv, now); err != nil {
		return nil, err
	}
	res := &Result{}
	if s.State == StateAwaitingRating {
		e.markSent(sv, s, now)
		out, err := e.render(sv, s, KindRatingRequest, 0)
		if err != nil {
			return nil, err
		}
		res.send(out)
	}
	switch err := e.commit(ctx, s, res, "", true); {
	case errors.Is(err, ErrDuplicate):
		existing, lerr := e.store.Load(ctx, conv.TenantID, s.ID)
		if lerr != nil {
			return nil, fmt.Errorf("surveyflow: start %s: %w", conv.ID, lerr)
		}
		return e.duplicateStart(existing)
	case errors.Is(err, ErrActiveExists):
		return &Result{Decision: refused(CodeSurveyActive, fmt.Sprintf("conversation %s already has a survey waiting for an answer", conv.ID))}, nil
	case err != nil:
		return nil, fmt.Errorf("surveyflow: start %s: %w", conv.ID, err)
	}
	if e.logs(ctx, slog.LevelInfo) {
		e.log(ctx, slog.LevelInfo, "surveyflow: survey started", append(sessionAttrs(s),
			slog.String("channel", s.Channel), slog.String("language", s.Language), slog.String("trigger", string(s.Trigger)))...)
	}
	return res, nil
}

// duplicateStart answers a repeated start of an existing session: its
// rating request, while the survey still waits for the rating.
func (e *Engine) duplicateStart(s *Session) (*Result, error) {
	res := &Result{Duplicate: true, Decision: Decision{Eligible: true}, Session: s}
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		return res, nil // its survey is gone: nothing to replay
	}
	if s.State == StateAwaitingRating {
		out, err := e.render(sv, s, KindRatingRequest, 0)
		if err != nil {
			return nil, err
		}
		res.Replay = []Outbound{out}
	}
	return res, nil
}

// markSent sets the deadlines of a rating request sent at now.
func (e *Engine) markSent(sv *compiled, s *Session, now time.Time) {
	s.SentAt = now
	s.Deadline = now.Add(sv.window)
	if sv.def.RatingTimeLimit > 0 {
		s.RatingDeadline = now.Add(sv.def.RatingTimeLimit)
		if s.RatingDeadline.Before(s.Deadline) {
			s.Deadline = s.RatingDeadline
		}
	}
	s.Deadline = bounded(s.Deadline, sv.changeUntil(s))
	sv.owe(s)
}

// owe makes s due at its next reminder, keeping the question's end in
// s.Expires, when the survey still owes one before that end: s waits
// for its rating, was sent after the close and has had no reply.
func (c *compiled) owe(s *Session) {
	r := c.def.Reminder
	if r == nil || s.State != StateAwaitingRating || s.BeforeClose || len(s.Turns) > 0 || s.Reminders >= r.count() {
		return
	}
	end := s.questionEnd()
	if at := s.SentAt.Add(time.Duration(s.Reminders+1) * r.After); at.Before(end) {
		s.Deadline, s.Expires = at, end
	}
}

// supersede cancels a survey of another conversation that still waits for
// this contact on this channel: the contact's next reply belongs to the new
// one.
func (e *Engine) supersede(ctx context.Context, conv *Conversation, now time.Time) error {
	_, err := e.mutate(ctx, mutation{
		what: "close", id: conv.ID,
		load: func() (*Session, error) {
			return e.store.Awaiting(ctx, conv.TenantID, conv.Contact.ID, conv.Channel)
		},
		notFound: func() (*Result, error) { return &Result{}, nil },
		change: func(old *Session) (*Result, bool, error) {
			res := &Result{}
			if old.ConversationID == conv.ID {
				return res, false, nil // Create reports the duplicate or the active survey.
			}
			sv, err := e.survey(old.TenantID, old.SurveyID)
			if err != nil {
				endUnknown(old, StateCancelled, now, res)
				return res, true, nil
			}
			return res, true, e.end(sv, old, eventCancel, now, res)
		},
	})
	return err
}

// surveyFor returns the tenant's survey by ID, or the first enabled survey
// for the channel when id is empty; nil when none applies.
func (e *Engine) surveyFor(tenantID, channel, id string) *compiled {
	set := e.surveys(tenantID)
	if id != "" {
		if c, ok := set.byID[id]; ok && !c.def.Disabled {
			return c
		}
		return nil
	}
	for _, c := range set.list {
		if c.appliesTo(channel) {
			return c
		}
	}
	return nil
}

func noSurvey(channel string) Decision {
	return refused(CodeNoSurvey, fmt.Sprintf("no enabled survey applies to channel %q", channel))
}

// refused is the decision not to survey, for one of the engine's own
// reasons.
func refused(code, reason string) Decision {
	return Decision{Failures: []Failure{{Code: code, Rule: "survey", Reason: reason}}}
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
	case c.Channel == "":
		return fmt.Errorf("%w: conversation %s has no channel", ErrInvalidInput, c.ID)
	}
	for _, p := range c.Participants {
		if p.Kind != Human && p.Kind != Bot {
			return fmt.Errorf("%w: participant %q of conversation %s has kind %q, want %q or %q",
				ErrInvalidInput, p.ID, c.ID, p.Kind, Human, Bot)
		}
	}
	for i, m := range c.Messages {
		if m.From != FromContact && m.From != FromAgent && m.From != FromSystem {
			return fmt.Errorf("%w: message %d (%q) of conversation %s is from %q, want %q, %q or %q",
				ErrInvalidInput, i, m.ID, c.ID, m.From, FromContact, FromAgent, FromSystem)
		}
		if m.Internal && m.From == FromContact {
			return fmt.Errorf("%w: message %d (%q) of conversation %s is the contact's and marked as an internal note; only agents and the system write notes",
				ErrInvalidInput, i, m.ID, c.ID)
		}
	}
	for _, x := range [...]struct{ what, id string }{
		{"tenant ID", c.TenantID}, {"conversation ID", c.ID}, {"contact ID", c.Contact.ID}, {"channel", c.Channel},
	} {
		if err := checkID(x.what, x.id); err != nil {
			return err
		}
	}
	for _, p := range c.Participants {
		if err := checkID("participant ID", p.ID); err != nil {
			return err
		}
		for _, g := range p.Groups {
			if err := checkID("group", g); err != nil {
				return err
			}
		}
	}
	return nil
}

// MaxIDBytes bounds every ID the host passes (tenant, conversation,
// contact, channel, participant, group, message).
const MaxIDBytes = 512

// checkID refuses an ID that some store could not keep as it is: NUL bytes,
// invalid UTF-8 (PostgreSQL text refuses both) or more than MaxIDBytes.
func checkID(what, id string) error {
	switch {
	case len(id) > MaxIDBytes:
		return fmt.Errorf("%w: %s is %d bytes, at most %d", ErrInvalidInput, what, len(id), MaxIDBytes)
	case !utf8.ValidString(id):
		return fmt.Errorf("%w: %s %q is not valid UTF-8", ErrInvalidInput, what, id)
	case strings.IndexByte(id, 0) >= 0:
		return fmt.Errorf("%w: %s %q holds a NUL byte", ErrInvalidInput, what, id)
	}
	return nil
}

// sessionID derives a session's ID from what identifies the event that
// started it: the conversation's n-th surveyed close, or a manual request
// at a time.
func sessionID(tenant, survey, conversation, trigger string, n int64) string {
	var stack [256]byte
	buf := stack[:0]
	for _, p := range []string{tenant, survey, conversation, trigger} {
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(p)))
		buf = append(buf, p...)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(n))
	sum := sha256.Sum256(buf)
	var id [32]byte
	hex.Encode(id[:], sum[:16])
	return string(id[:])
}

// agentsOf lists the conversation's participants who wrote at least one
// message, a reply or an internal note (a note's author took part); when
// the transcript names none, every participant counts.
func agentsOf(c *Conversation) []Participant {
	wrote := map[string]bool{}
	for _, m := range c.Messages {
		if m.From == FromAgent {
			wrote[m.AuthorID] = true
		}
	}
	var out []Participant
	for _, p := range c.Participants {
		if len(wrote) == 0 || wrote[p.ID] {
			if out == nil {
				out = make([]Participant, 0, len(c.Participants))
			}
			out = append(out, p)
		}
	}
	groups := make(strArena, 0, groupCount(out))
	ownGroups(out, &groups) // the session keeps its own copy
	return out
}

// lastHumanReply returns the author of the conversation's last agent
// reply (internal notes are none) who is not a bot participant, or "".
func lastHumanReply(c *Conversation) string {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		m := &c.Messages[i]
		if !m.Reply() || m.AuthorID == "" {
			continue
		}
		if p, ok := c.Participant(m.AuthorID); !ok || p.Kind != Bot {
			return m.AuthorID
		}
	}
	return ""
}

// eligible evaluates the survey's rules for the conversation.
func (e *Engine) eligible(ctx context.Context, sv *compiled, conv *Conversation, lm languageMatch, now time.Time) (Decision, error) {
	in := &Input{
		Conversation:       conv,
		SurveyID:           sv.def.ID,
		Now:                now,
		Language:           lm.tag.String(),
		LanguageMatched:    lm.available,
		LanguageConfidence: lm.conf,
		History: func(ctx context.Context, since time.Time) ([]*Session, error) {
			return e.store.ContactHistory(ctx, conv.TenantID, conv.Contact.ID, since)
		},
	}
	decision, err := Evaluate(ctx, sv.def.Rules, in)
	if err != nil {
		return Decision{}, fmt.Errorf("surveyflow: eligibility of %s: %w", conv.ID, err)
	}
	return decision, nil
}
