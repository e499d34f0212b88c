package survey

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// HandleMessage applies an inbound contact message to the survey waiting for
// that contact on that channel. Result.Consumed is false when no survey is
// waiting, the question's time ran out, a scheduled survey was cancelled
// because the contact wrote first, or the survey gave up on replies that
// were not scores: the host then treats the message as a new conversation.
//
// What the message makes the engine send and tell (Result.Outbound and
// Result.Notifications) is stored with the session in the same write, as
// pending effects that Deliver hands out until they are acknowledged.
//
// A message delivered again, however late, finds the survey it answered
// and returns Duplicate with what its first delivery returned in Replay and
// ReplayNotifications. A message stamped (ReceivedAt) before the survey was
// sent, allowing Config.MaxClockSkew, is never an answer to it.
func (e *Engine) HandleMessage(ctx context.Context, in *Inbound) (*Result, error) {
	start := e.since()
	res, err := e.handleMessage(ctx, in)
	e.called(ctx, "message", start, res, err)
	return res, err
}

func (e *Engine) handleMessage(ctx context.Context, in *Inbound) (*Result, error) {
	if err := e.usable(ctx); err != nil {
		return nil, err
	}
	if in == nil || in.TenantID == "" || in.ContactID == "" || in.Channel == "" || in.MessageID == "" {
		return nil, fmt.Errorf("%w: an inbound message needs TenantID, ContactID, Channel and MessageID", ErrInvalidInput)
	}
	for _, x := range [...]struct{ what, id string }{
		{"tenant ID", in.TenantID}, {"contact ID", in.ContactID}, {"channel", in.Channel}, {"message ID", in.MessageID},
	} {
		if err := checkID(x.what, x.id); err != nil {
			return nil, err
		}
	}
	return e.answer(ctx, &input{Inbound: in, source: SourceChat})
}

// input is one contact input as the engine applies it: a message on the
// channel, or an action on the rating page.
type input struct {
	*Inbound
	// source says where it came from.
	source Source
	// value is the rating the rating page confirmed; zero for a message
	// and for the page's comment box.
	value int
	// session is the session a rating page action names (by its
	// token); a message is routed instead.
	session string
}

// load reads the session in goes to: the one the rating page's token
// names, or where the store routes the message.
func (e *Engine) load(ctx context.Context, in *input) (*Session, error) {
	if in.session != "" {
		return e.store.Load(ctx, in.TenantID, in.session)
	}
	return e.store.Route(ctx, in.TenantID, in.ContactID, in.Channel, in.MessageID)
}

// answer applies in to its session (first to the engine's remembered copy
// of the contact's session, for a message) through the one mutation path.
func (e *Engine) answer(ctx context.Context, in *input) (*Result, error) {
	m := mutation{what: "message", id: in.MessageID, in: in, remember: true}
	if in.source == SourceChat {
		if s := e.recent.get(in.TenantID, in.ContactID, in.Channel); s != nil {
			m.hint, m.routed = s, in.MessageID
		}
	}
	res, err := e.mutate(ctx, m)
	if err == nil && res.answer != "" && e.logs(ctx, slog.LevelInfo) {
		s := res.Session
		attrs := append(sessionAttrs(s), slog.Bool("consumed", res.Consumed), slog.String("answer", res.answer))
		if s.Rated {
			attrs = append(attrs, slog.Int("rating", s.Rating))
		}
		e.log(ctx, slog.LevelInfo, "surveyflow: message applied", attrs...)
	}
	return res, err
}

// apply decides what in does to s, the session it was routed to: nothing
// (a message that is no answer, a duplicate, which replays), or a change
// of s in memory that the caller saves. It is the one place where an
// input becomes a turn.
func (e *Engine) apply(s *Session, in *input) (*Result, bool, error) {
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		// The survey was removed (Engine.SetTenantSurveys): the session
		// asks nothing any more, and the message belongs to the chat. A
		// sweep ends the session at its deadline.
		return &Result{}, false, nil
	}
	now := e.clock.Now()
	turn := Turn{MessageID: in.MessageID, Source: in.source, At: now}
	if in.source == SourceRatingPage && in.value != 0 && s.Rated {
		// Another confirmation on the rating page: a change of the rating
		// while the survey lets it change, and nothing otherwise.
		if !e.changeable(sv, s) || s.State == StateCancelled {
			return &Result{}, false, nil
		}
		if in.value == s.Rating {
			return &Result{Consumed: true, Session: s}, false, nil // confirmed again: nothing to write
		}
		turn.MessageID = "link-change:" + s.ID + ":" + strconv.Itoa(s.count(TurnChange, len(s.Turns))+1)
		turn.Kind, turn.Value = TurnChange, in.value
		return e.record(sv, s, turn)
	}
	if i := s.turn(in.MessageID); i >= 0 {
		res, err := e.replay(sv, s, i)
		return res, false, err
	}
	if e.writtenBefore(in, s) {
		return &Result{}, false, nil
	}
	if s.State.Final() {
		v, ok := e.changeOf(sv, s, in)
		if !ok {
			return &Result{}, false, nil
		}
		turn.Kind, turn.Value = TurnChange, v
		return e.record(sv, s, turn)
	}
	if s.State == StateScheduled {
		// The contact wrote before the survey went out: it would land in
		// a live chat. Call it off and hand the message to the host.
		res := &Result{}
		return res, true, e.end(sv, s, eventCancel, now, res)
	}
	if e.receivedAt(in).After(s.questionEnd()) {
		// Too late: the question expired. The message is the start of a
		// new conversation, not an answer — unless it changes the rating,
		// as it would once a sweep had expired the survey.
		res := &Result{}
		if err := e.end(sv, s, eventExpire, now, res); err != nil {
			return nil, false, err
		}
		if v, ok := e.changeOf(sv, s, in); ok {
			turn.Kind, turn.Value = TurnChange, v
			changed, _, err := e.record(sv, s, turn)
			if err != nil {
				return nil, false, err
			}
			changed.withdrawn = res.withdrawn
			return changed, true, nil
		}
		return res, true, nil
	}
	switch s.State {
	case StateAwaitingRating:
		v, ok := e.scoreOf(sv, s, in)
		if !ok {
			return e.notAScore(sv, s, in, turn)
		}
		turn.Kind, turn.Value = TurnRating, v
	case StateAwaitingReason, StateAwaitingComment:
		if id, ok := e.reasonOf(sv, s, in); ok && s.State == StateAwaitingReason {
			// The reason question is numbered: a number answers it before
			// it can be taken for a change of the rating.
			turn.Kind, turn.Reason = TurnReason, id
			break
		}
		if v, ok := e.changeOf(sv, s, in); ok {
			turn.Kind, turn.Value = TurnChange, v
			break
		}
		if in.value != 0 {
			return &Result{}, false, nil // a confirmation that changes nothing here
		}
		turn.Kind = TurnComment
		valid := strings.ToValidUTF8(in.Text, "\uFFFD")
		s.Comment = e.cut(valid)
		s.CommentTruncated = len(s.Comment) < len(valid)
	default:
		return &Result{}, false, nil
	}
	return e.record(sv, s, turn)
}

// scoreOf is the rating in gives: the value the rating page confirmed, or
// the score the contact's message holds.
func (e *Engine) scoreOf(sv *compiled, s *Session, in *input) (int, bool) {
	if in.source == SourceRatingPage {
		return in.value, in.value != 0
	}
	loc := sv.lang(s.Language)
	if v, ok := loc.titleValue(s.Channel, in.Text); ok {
		return v, true // a button's or a row's title, as the channel returns it
	}
	v, err := loc.parser.Parse(in.Text)
	return v, err == nil
}

// notAScore handles a reply to the rating question that holds no score.
func (e *Engine) notAScore(sv *compiled, s *Session, in *input, turn Turn) (*Result, bool, error) {
	if s.BeforeClose {
		// The conversation is still open: the message is part of the chat.
		return &Result{}, false, nil
	}
	if s.Reprompts() >= sv.reprompts {
		// The contact is talking about something else: end the survey and
		// hand the message back to the host.
		res := &Result{}
		return res, true, e.end(sv, s, eventGiveUp, turn.At, res)
	}
	turn.Kind = TurnReprompt
	turn.Text = e.cut(in.Text)
	turn.Truncated = len(turn.Text) < len(strings.ToValidUTF8(in.Text, "\uFFFD"))
	return e.record(sv, s, turn)
}

// next is the survey's rule for what follows turn t of s: the state
// machine's event (empty when the state stays) and the message that asks
// the next question or thanks (empty when none is sent).
func (c *compiled) next(s *Session, t *Turn) (event string, ask MessageKind) {
	thanks := KindThanks
	if c.def.SkipThanks {
		thanks = ""
	}
	switch t.Kind {
	case TurnRating:
		switch {
		case c.asksReason(t.Value):
			return eventAskWhy, KindReasonRequest
		case c.question(t.Value) != "":
			return eventRate, KindCommentRequest
		}
		return eventRateLast, thanks
	case TurnReason:
		if c.question(s.Rating) != "" {
			return eventReason, KindCommentRequest
		}
		return eventReasonEnd, thanks
	case TurnComment:
		return eventComment, thanks
	case TurnReprompt:
		return "", KindReprompt
	}
	return "", ""
}

// record applies turn t to s: the answer it gives, the state the survey's
// rule moves to through the state machine, the deadline of the next
// question, and the effects it produces, which it records in t and
// renders into the result.
func (e *Engine) record(sv *compiled, s *Session, t Turn) (*Result, bool, error) {
	// Any reply ends the reminders: the question's end is the deadline
	// again, and a reminder not yet handed out is withdrawn.
	if !s.Expires.IsZero() {
		s.Deadline, s.Expires = s.Expires, time.Time{}
	}
	withdrawn := s.withdrawReminders()
	event, ask := sv.next(s, &t)
	if event != "" {
		next, err := sv.flow.fire(s.State, event)
		if err != nil {
			return nil, false, err
		}
		s.State = next
	}
	low := false // the rating in effect raises a low-score alert
	switch t.Kind {
	case TurnRating:
		s.Rated, s.Rating, s.RatedAt = true, t.Value, t.At
		low = sv.low(t.Value)
	case TurnChange:
		t.From, s.Rating = s.Rating, t.Value
		low = sv.low(t.Value)
	case TurnReason:
		s.Reason, s.ReasonAt = t.Reason, t.At
	case TurnComment:
		s.CommentedAt = t.At
	}
	if ask != "" {
		t.Effects = append(t.Effects, string(ask))
	}
	switch {
	case t.Kind == TurnRating || t.Kind == TurnChange && t.From != t.Value:
		if low {
			t.Effects = append(t.Effects, string(NotifyLowScore))
		}
		if sv.def.NotifyAgents && hasHuman(s.Agents) {
			t.Effects = append(t.Effects, string(NotifyRated))
		}
	case s.State == StateCompleted && (t.Kind == TurnReason || t.Kind == TurnComment):
		if sv.low(s.Rating) && (s.Comment != "" || s.Reason != "") {
			t.Effects = append(t.Effects, string(NotifyLowScoreComment))
		}
	}
	switch {
	case s.State == StateCompleted && event != "":
		s.Deadline, s.EndedAt = time.Time{}, t.At
	case t.Kind == TurnReprompt:
		s.Deadline = bounded(bounded(t.At.Add(sv.window), s.RatingDeadline), sv.changeUntil(s))
	case event != "":
		s.Deadline = bounded(t.At.Add(sv.window), sv.changeUntil(s))
	}
	s.Turns = append(s.Turns, t)
	res, err := e.turnEffects(sv, s, len(s.Turns)-1)
	if err != nil {
		return nil, false, err
	}
	res.answer, res.turn, res.withdrawn = string(t.Kind), len(s.Turns), withdrawn
	if t.Kind == TurnReprompt {
		res.answer = "reprompted"
	}
	return res, true, nil
}

// turnEffects renders what turn i of s produced, as the live call returned
// it: its messages, rendered for the session as it was right after the
// turn, and its notifications. A redelivered message replays it.
func (e *Engine) turnEffects(sv *compiled, s *Session, i int) (*Result, error) {
	t := &s.Turns[i]
	res := &Result{Consumed: true, Session: s}
	rating, suffix := s.ratingAfter(i)
	at := s
	if rating != s.Rating {
		c := *s // the session as it was: its rating then
		c.Rating, at = rating, &c
	}
	if t.Kind == TurnRating {
		res.CloseConversation = s.BeforeClose && sv.def.CloseOnRating
	}
	for _, kind := range t.Effects {
		switch k := NotificationKind(kind); k {
		case NotifyLowScore, NotifyRated:
			previous := 0
			if t.Kind == TurnChange {
				previous = t.From
			}
			res.Notifications = append(res.Notifications, e.ratingNotification(sv, s, k, rating, previous, suffix))
		case NotifyLowScoreComment:
			res.Notifications = append(res.Notifications, Notification{
				IdempotencyKey: s.ID + "/low_score_comment", Kind: NotifyLowScoreComment,
				Recipients: append([]string(nil), sv.def.Responsible...),
				TenantID:   s.TenantID, SurveyID: s.SurveyID, SessionID: s.ID, ConversationID: s.ConversationID,
				Score: rating, Comment: s.Comment, Reason: s.Reason, Follows: s.ID + "/low_score" + suffix,
			})
		default:
			out, err := e.render(sv, at, MessageKind(kind), s.count(TurnReprompt, i+1))
			if err != nil {
				return nil, err
			}
			res.send(out)
		}
	}
	return res, nil
}

// replay answers a redelivery of the message turn i applied: Replay and
// ReplayNotifications hold what its first delivery returned, with the
// same idempotency keys, so a host whose first attempt failed after the
// session was saved still sends them.
func (e *Engine) replay(sv *compiled, s *Session, i int) (*Result, error) {
	res, err := e.turnEffects(sv, s, i)
	if err != nil {
		return nil, err
	}
	res.Duplicate, res.Replay, res.ReplayNotifications = true, res.Outbound, res.Notifications
	res.Outbound, res.Notifications = nil, nil
	return res, nil
}

// changeOf reports whether message in changes s's rating, and to what:
// the survey lets ratings change (Definition.ChangeWindow), s is rated,
// the window is still open, the survey was not called off (a cancelled
// survey's conversation reopened, or a newer survey replaced it: the
// contact's messages belong to the chat), and the message is nothing but
// a score (a button's payload, the number, or the option's emoji), so
// that free text — and a comment typed on the rating page — is never
// taken for a change.
func (e *Engine) changeOf(sv *compiled, s *Session, in *input) (int, bool) {
	until := sv.changeUntil(s)
	if in.source != SourceChat || !s.Rated || s.State == StateCancelled || until.IsZero() || e.receivedAt(in).After(until) {
		return 0, false
	}
	text := strings.TrimSpace(in.Text)
	loc := sv.lang(s.Language)
	if v, ok := loc.titleValue(s.Channel, text); ok {
		return v, true
	}
	for _, o := range loc.options {
		if text == o.Payload || text == strconv.Itoa(o.Value) || (o.Emoji != "" && text == o.Emoji) {
			return o.Value, true
		}
	}
	return 0, false
}

// reasonOf returns the ID of the reason a message names: its button's
// payload, its number, or its label (in any case).
func (e *Engine) reasonOf(sv *compiled, s *Session, in *input) (string, bool) {
	if in.source != SourceChat {
		return "", false
	}
	text := strings.TrimSpace(in.Text)
	loc := sv.lang(s.Language)
	if cc := loc.on(s.Channel); cc != nil {
		if id, ok := cc.reasonIDs[text]; ok {
			return id, true
		}
	}
	for _, c := range loc.reasons {
		id := strings.TrimPrefix(c.Payload, ReasonPayloadPrefix)
		if text == c.Payload || text == strconv.Itoa(c.Value) || strings.EqualFold(text, c.Label) {
			return id, true
		}
	}
	return "", false
}

// receivedAt is when in arrived, by its stamp unless that is in the
// future of the engine's clock.
func (e *Engine) receivedAt(in *input) time.Time {
	now := e.clock.Now()
	if in.ReceivedAt.IsZero() || in.ReceivedAt.After(now) {
		return now
	}
	return in.ReceivedAt
}

// writtenBefore reports whether in was stamped before s's rating request
// went out (before s was created, while it is scheduled), allowing for
// clock skew: the contact wrote it before seeing the survey.
func (e *Engine) writtenBefore(in *input, s *Session) bool {
	if in.ReceivedAt.IsZero() {
		return false
	}
	sent := s.SentAt
	if sent.IsZero() {
		sent = s.CreatedAt
	}
	return in.ReceivedAt.Add(e.skew).Before(sent)
}

// bounded is t, or limit when limit is set and earlier.
func bounded(t, limit time.Time) time.Time {
	if !limit.IsZero() && limit.Before(t) {
		return limit
	}
	return t
}

// end moves s to a final state through event (expire, cancel or give
// up) and withdraws the questions it had not yet handed out.
func (e *Engine) end(sv *compiled, s *Session, event string, now time.Time, res *Result) error {
	next, err := sv.flow.fire(s.State, event)
	if err != nil {
		return err
	}
	s.State, s.Deadline, s.Expires, s.EndedAt = next, time.Time{}, time.Time{}, now
	res.withdrawn += s.withdrawQuestions()
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
