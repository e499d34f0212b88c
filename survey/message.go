package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	if err := live(ctx); err != nil {
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
	if res, err, ok := e.replyRemembered(ctx, in); ok {
		return res, err
	}
	return e.step(ctx, in, false, func() (*Session, error) {
		return e.store.Route(ctx, in.TenantID, in.ContactID, in.Channel, in.MessageID)
	})
}

// replyRemembered answers in on the engine's own copy of the contact's
// session (Config.RememberSessions), saving with the store's UpdateRouted:
// one round trip. ok is false when there is no copy, when the reply would
// write nothing (a duplicate, a message that is no answer: those must be
// judged on the stored session, and routing it costs no more than this
// would) or when the store refused the copy as stale: the caller then
// routes the message as usual, and nothing from this attempt is returned
// or reported. A save that failed otherwise is the call's error, as it is
// on the usual path: the write may have happened, and the host's retry
// finds it.
func (e *Engine) replyRemembered(ctx context.Context, in *Inbound) (res *Result, err error, ok bool) {
	s := e.recent.get(in.TenantID, in.ContactID, in.Channel)
	if s == nil {
		return nil, nil, false
	}
	saved := false // reply asked to save: the reply writes
	var saveErr error
	res, err = e.reply(ctx, s, in, false, func(s *Session) error {
		saved, saveErr = true, e.updateRouted(ctx, s, in.MessageID)
		return saveErr
	})
	switch {
	case !saved:
		return nil, nil, false
	case saveErr == nil:
		e.recent.put(s)
		return res, err, true
	}
	e.recent.forget(s)
	if errors.Is(saveErr, ErrStaleVersion) || errors.Is(saveErr, ErrNotFound) {
		return nil, nil, false
	}
	return nil, e.saveFailed(ctx, s, saveErr), true
}

// step is the one load → apply → save loop every inbound change goes
// through; a stale version reloads and applies again. A typed comment
// (the rating page's comment box) is never taken for a rating change.
func (e *Engine) step(ctx context.Context, in *Inbound, typedComment bool, load func() (*Session, error)) (*Result, error) {
	return retried("message", in.MessageID, func() (*Result, error) {
		s, err := load()
		if errors.Is(err, ErrNotFound) {
			return &Result{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("surveyflow: message %s: %w", in.MessageID, err)
		}
		return e.reply(ctx, s, in, typedComment, func(s *Session) error {
			if err := e.save(ctx, s); err != nil {
				return err
			}
			e.recent.put(s) // the contact's next reply is likely for s
			return nil
		})
	})
}

// reply applies in to s, the session it belongs to, and saves s with save
// when it changed. A stale version is save's ErrStaleVersion, returned as
// it is.
func (e *Engine) reply(ctx context.Context, s *Session, in *Inbound, typedComment bool, save func(*Session) error) (*Result, error) {
	sv, err := e.survey(s.TenantID, s.SurveyID)
	if err != nil {
		return nil, err
	}
	if slices.Contains(s.MessageIDs, in.MessageID) {
		return e.duplicateMessage(sv, s, in.MessageID)
	}
	if e.writtenBefore(in, s) {
		return &Result{}, nil
	}
	if s.State.Final() {
		v, ok := e.changeOf(sv, s, in)
		if !ok || typedComment {
			return &Result{}, nil
		}
		res, changed := e.changeRating(sv, s, in.MessageID, v, e.clock.Now(), true)
		if !changed {
			return res, nil
		}
		if err := save(s); err != nil {
			return nil, err // a stale version is tried again
		}
		return res, nil
	}
	res, changed, err := e.apply(sv, s, in, typedComment)
	if err != nil {
		return nil, err
	}
	if !changed {
		res.Session = s
		return res, nil
	}
	if err := save(s); err != nil {
		return nil, err // a stale version is tried again
	}
	if e.logs(ctx, slog.LevelInfo) {
		attrs := append(sessionAttrs(s), slog.Bool("consumed", res.Consumed))
		if s.Rated {
			attrs = append(attrs, slog.Int("rating", s.Rating))
		}
		e.log(ctx, slog.LevelInfo, "surveyflow: message applied", attrs...)
	}
	// s was loaded for this call and the store kept its own copy: it is
	// the caller's now.
	res.Session = s
	return res, nil
}

// save writes s after an inbound change, logging a failure.
func (e *Engine) save(ctx context.Context, s *Session) error {
	err := e.update(ctx, s)
	if err == nil || errors.Is(err, ErrStaleVersion) {
		return err
	}
	return e.saveFailed(ctx, s, err)
}

// saveFailed logs a save's failure and returns it as the call's error.
func (e *Engine) saveFailed(ctx context.Context, s *Session, err error) error {
	if e.logs(ctx, slog.LevelWarn) {
		e.log(ctx, slog.LevelWarn, "surveyflow: save failed", append(sessionAttrs(s), slog.String("error", err.Error()))...)
	}
	return fmt.Errorf("surveyflow: save session %s: %w", s.ID, err)
}

// changeOf reports whether in changes s's rating, and to what: the survey
// lets ratings change (Definition.ChangeWindow), s is rated, the window is
// still open, the survey was not called off (a cancelled survey's
// conversation reopened, or a newer survey replaced it: the contact's
// messages belong to the chat), and the message is nothing but a score (a
// button's payload, the number, or the option's emoji), so that free text
// is never taken for a change.
func (e *Engine) changeOf(sv *compiled, s *Session, in *Inbound) (int, bool) {
	until := sv.changeUntil(s)
	if !s.Rated || s.State == StateCancelled || until.IsZero() || e.receivedAt(in).After(until) {
		return 0, false
	}
	text := strings.TrimSpace(in.Text)
	for _, o := range sv.lang(s.Language).options {
		if text == o.Payload || text == strconv.Itoa(o.Value) || (o.Emoji != "" && text == o.Emoji) {
			return o.Value, true
		}
	}
	return 0, false
}

// changeRating changes s's rating to v through messageID. A "change" to
// the rating s already has changes nothing: a message is still recorded
// (every message the survey consumes is kept, so its redelivery is a
// duplicate), as a change from v to v that raises no notification; with
// record false (a repeated confirmation on the rating page) nothing is
// written.
func (e *Engine) changeRating(sv *compiled, s *Session, messageID string, v int, now time.Time, record bool) (*Result, bool) {
	if v == s.Rating && !record {
		return &Result{Consumed: true, Session: s}, false
	}
	s.RatingChanges = append(s.RatingChanges, RatingChange{MessageID: messageID, From: s.Rating, To: v, At: now})
	s.Rating = v
	s.MessageIDs = append(s.MessageIDs, messageID)
	res := &Result{Consumed: true, Session: s, answer: "change"}
	res.Notifications = e.changeNotifications(sv, s, len(s.RatingChanges)-1)
	return res, true
}

// changeNotifications are what the i-th rating change of s raises: none
// for a change to the same rating.
func (e *Engine) changeNotifications(sv *compiled, s *Session, i int) []Notification {
	c := s.RatingChanges[i]
	if c.From == c.To {
		return nil
	}
	return e.ratingNotifications(sv, s, c.To, "/change/"+strconv.Itoa(i+1))
}

// receivedAt is when in arrived, by its stamp unless that is in the
// future of the engine's clock.
func (e *Engine) receivedAt(in *Inbound) time.Time {
	now := e.clock.Now()
	if in.ReceivedAt.IsZero() || in.ReceivedAt.After(now) {
		return now
	}
	return in.ReceivedAt
}

// writtenBefore reports whether in was stamped before s's rating request
// went out (before s was created, while it is scheduled), allowing for
// clock skew: the contact wrote it before seeing the survey.
func (e *Engine) writtenBefore(in *Inbound, s *Session) bool {
	if in.ReceivedAt.IsZero() {
		return false
	}
	sent := s.SentAt
	if sent.IsZero() {
		sent = s.CreatedAt
	}
	return in.ReceivedAt.Add(e.skew).Before(sent)
}

// duplicateMessage answers a message applied before. Replay and
// ReplayNotifications hold what its first delivery returned, with the same
// idempotency keys, so a host whose first attempt failed after the session
// was saved still sends them. The messages that answered the survey's
// questions come in the flow's order: one reply that was not a score per
// re-prompt, then the rating, then the comment; rating changes (kept in
// RatingChanges) may come between and after them.
func (e *Engine) duplicateMessage(sv *compiled, s *Session, messageID string) (*Result, error) {
	res := &Result{Consumed: true, Duplicate: true, Session: s}
	if _, n, changed := s.change(messageID); changed {
		res.ReplayNotifications = e.changeNotifications(sv, s, n)
		return res, nil
	}
	var kinds []MessageKind
	at := *s // rendered as it was when the message was applied
	at.Rating = s.firstRating()
	thanks := func() {
		if !sv.def.SkipThanks {
			kinds = append(kinds, KindThanks)
		}
	}
	reasonAnswer := -1 // where the chosen reason's message is among the answers
	if s.Reason != "" {
		reasonAnswer = s.Reprompts + 1
	}
	commentAnswer := s.Reprompts + 1
	if reasonAnswer >= 0 {
		commentAnswer++
	}
	switch i := s.answerIndex(messageID); {
	case i < s.Reprompts:
		at.Reprompts = i + 1
		kinds = []MessageKind{KindReprompt}
	case i == s.Reprompts && s.Rated:
		res.ReplayNotifications = e.ratingNotifications(sv, s, at.Rating, "")
		res.CloseConversation = s.BeforeClose && sv.def.CloseOnRating
		switch {
		case sv.asksReason(at.Rating):
			kinds = []MessageKind{KindReasonRequest}
		case sv.question(at.Rating) != "":
			kinds = []MessageKind{KindCommentRequest}
		default:
			thanks()
		}
	case i == reasonAnswer:
		rating, suffix := s.ratingAt(messageID)
		at.Rating = rating
		if sv.question(rating) != "" {
			kinds = []MessageKind{KindCommentRequest}
			break
		}
		res.ReplayNotifications = e.commentNotifications(sv, s, rating, suffix)
		thanks()
	case i == commentAnswer:
		rating, suffix := s.ratingAt(messageID)
		res.ReplayNotifications = e.commentNotifications(sv, s, rating, suffix)
		thanks()
	}
	for _, k := range kinds {
		out, err := e.render(sv, &at, k)
		if err != nil {
			return nil, err
		}
		res.Replay = append(res.Replay, out)
	}
	return res, nil
}

// apply changes s in memory for one inbound message, says what to send and
// whether s changed. A typed comment is never taken for a rating change.
func (e *Engine) apply(sv *compiled, s *Session, in *Inbound, typedComment bool) (*Result, bool, error) {
	now := e.clock.Now()
	at := e.receivedAt(in) // a timestamp from the future is not trusted
	if s.State == StateScheduled {
		// The contact wrote before the survey went out: it would land in
		// a live chat. Call it off and hand the message to the host.
		return &Result{}, true, e.end(sv, s, eventCancel, now)
	}
	if at.After(s.Deadline) {
		// Too late: the question expired. The message is the start of a
		// new conversation, not an answer — unless it changes the rating,
		// as it would once a sweep had expired the survey.
		if err := e.end(sv, s, eventExpire, now); err != nil {
			return nil, false, err
		}
		if v, ok := e.changeOf(sv, s, in); ok && !typedComment {
			res, _ := e.changeRating(sv, s, in.MessageID, v, now, true)
			return res, true, nil
		}
		return &Result{}, true, nil
	}
	switch s.State {
	case StateAwaitingRating:
		v, perr := sv.lang(s.Language).parser.Parse(in.Text)
		if perr != nil {
			return e.notAScore(sv, s, in, now)
		}
		res, err := e.rate(sv, s, v, now)
		if err != nil {
			return nil, false, err
		}
		s.MessageIDs = append(s.MessageIDs, in.MessageID)
		return res, true, nil
	case StateAwaitingReason, StateAwaitingComment:
		// The reason question is numbered: a number answers it before it
		// can be taken for a change of the rating.
		if id, ok := e.reasonOf(sv, s, in.Text); ok && s.State == StateAwaitingReason {
			res, err := e.reason(sv, s, id, now)
			if err != nil {
				return nil, false, err
			}
			s.MessageIDs = append(s.MessageIDs, in.MessageID)
			return res, true, nil
		}
		if v, ok := e.changeOf(sv, s, in); ok && !typedComment {
			res, changed := e.changeRating(sv, s, in.MessageID, v, now, true)
			return res, changed, nil
		}
		res, err := e.comment(sv, s, in.Text, now)
		if err != nil {
			return nil, false, err
		}
		s.MessageIDs = append(s.MessageIDs, in.MessageID)
		return res, true, nil
	}
	return &Result{}, false, nil
}

// bounded is t, or limit when limit is set and earlier.
func bounded(t, limit time.Time) time.Time {
	if !limit.IsZero() && limit.Before(t) {
		return limit
	}
	return t
}

// notAScore handles a reply to the rating question that holds no score.
func (e *Engine) notAScore(sv *compiled, s *Session, in *Inbound, now time.Time) (*Result, bool, error) {
	if s.BeforeClose {
		// The conversation is still open: the message is part of the chat.
		return &Result{}, false, nil
	}
	if s.Reprompts >= sv.reprompts {
		// The contact is talking about something else: end the survey and
		// hand the message back to the host.
		return &Result{}, true, e.end(sv, s, eventGiveUp, now)
	}
	s.Reprompts++
	kept := e.cut(in.Text)
	if len(kept) < len(strings.ToValidUTF8(in.Text, "\uFFFD")) {
		s.UnparsedTruncated = true
	}
	s.Unparsed = append(s.Unparsed, kept)
	s.MessageIDs = append(s.MessageIDs, in.MessageID)
	s.Deadline = bounded(bounded(now.Add(sv.window), s.RatingDeadline), sv.changeUntil(s))
	out, err := e.render(sv, s, KindReprompt)
	if err != nil {
		return nil, false, err
	}
	return &Result{Consumed: true, Outbound: []Outbound{out}, answer: "reprompted"}, true, nil
}

// rate records score v and moves to the follow-up question or the end.
func (e *Engine) rate(sv *compiled, s *Session, v int, now time.Time) (*Result, error) {
	event := eventRateLast
	switch {
	case sv.asksReason(v):
		event = eventAskWhy
	case sv.question(v) != "":
		event = eventRate
	}
	next, err := sv.flow.fire(s.State, event)
	if err != nil {
		return nil, err
	}
	s.State, s.Rated, s.Rating, s.RatedAt = next, true, v, now
	res := &Result{Consumed: true, Notifications: e.ratingNotifications(sv, s, v, ""), answer: "rating"}
	res.CloseConversation = s.BeforeClose && sv.def.CloseOnRating
	return e.ask(sv, s, res, now)
}

// ask sends the question s now waits for, or ends the survey.
func (e *Engine) ask(sv *compiled, s *Session, res *Result, now time.Time) (*Result, error) {
	kind := KindCommentRequest
	switch s.State {
	case StateAwaitingReason:
		kind = KindReasonRequest
	case StateAwaitingComment:
	default:
		return e.finish(sv, s, res, now)
	}
	s.Deadline = bounded(now.Add(sv.window), sv.changeUntil(s))
	out, err := e.render(sv, s, kind)
	if err != nil {
		return nil, err
	}
	res.Outbound = append(res.Outbound, out)
	return res, nil
}

// reasonOf returns the ID of the reason text names: its button's payload,
// its number, or its label (in any case).
func (e *Engine) reasonOf(sv *compiled, s *Session, text string) (string, bool) {
	text = strings.TrimSpace(text)
	for _, c := range sv.lang(s.Language).reasons {
		id := strings.TrimPrefix(c.Payload, ReasonPayloadPrefix)
		if text == c.Payload || text == strconv.Itoa(c.Value) || strings.EqualFold(text, c.Label) {
			return id, true
		}
	}
	return "", false
}

// reason records the reason id and asks the follow-up question, or ends
// the survey.
func (e *Engine) reason(sv *compiled, s *Session, id string, now time.Time) (*Result, error) {
	event := eventReasonEnd
	if sv.question(s.Rating) != "" {
		event = eventReason
	}
	next, err := sv.flow.fire(s.State, event)
	if err != nil {
		return nil, err
	}
	s.State, s.Reason, s.ReasonAt = next, id, now
	res := &Result{Consumed: true, answer: "reason"}
	if s.State == StateCompleted {
		rating, suffix := s.Rating, ""
		if n := len(s.MessageIDs); n > 0 {
			rating, suffix = s.ratingAt(s.MessageIDs[n-1])
		}
		res.Notifications = e.commentNotifications(sv, s, rating, suffix)
	}
	return e.ask(sv, s, res, now)
}

// comment records the answer to the follow-up question and ends the survey.
func (e *Engine) comment(sv *compiled, s *Session, text string, now time.Time) (*Result, error) {
	next, err := sv.flow.fire(s.State, eventComment)
	if err != nil {
		return nil, err
	}
	valid := strings.ToValidUTF8(text, "\uFFFD")
	s.Comment = e.cut(valid)
	s.CommentTruncated = len(s.Comment) < len(valid)
	s.State, s.CommentedAt = next, now
	rating, suffix := s.Rating, ""
	if n := len(s.MessageIDs); n > 0 {
		rating, suffix = s.ratingAt(s.MessageIDs[n-1]) // the rating in effect when the comment came
	}
	return e.finish(sv, s, &Result{Consumed: true, Notifications: e.commentNotifications(sv, s, rating, suffix), answer: "comment"}, now)
}

// finish closes a completed session and adds the thanks.
func (e *Engine) finish(sv *compiled, s *Session, res *Result, now time.Time) (*Result, error) {
	s.Deadline, s.EndedAt = time.Time{}, now
	if !sv.def.SkipThanks {
		out, err := e.render(sv, s, KindThanks)
		if err != nil {
			return nil, err
		}
		res.Outbound = append(res.Outbound, out)
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
