package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// maxAttempts bounds the load → change → save attempts of one mutation
// after stale versions.
const maxAttempts = 8

// mutation is one change of one stored session, as mutate runs it.
type mutation struct {
	// what and id name the call in errors ("message", its ID); they are
	// joined only then, so a call that succeeds allocates nothing for
	// them.
	what, id string
	// load reads the session to change, again after a stale version.
	load func() (*Session, error)
	// notFound answers when load finds no session; nil makes it the
	// call's error.
	notFound func() (*Result, error)
	// hint, when set, is changed on the first attempt instead of what
	// load returns: a session the caller has just read (a sweep's or a
	// delivery's claim), or with routed set the engine's remembered
	// copy of the contact's session (Config.RememberSessions).
	hint *Session
	// routed is the inbound message ID the remembered hint answers: the
	// first attempt saves with the store's UpdateRouted, which refuses
	// when the copy is no longer where the message goes. A remembered
	// copy is only a guess: when it says nothing is to be written (a
	// duplicate, a message that is no answer), the stored session is
	// asked instead.
	routed string
	// change changes s in memory and returns what the call answers and
	// whether s must be saved. It must decide from s alone: after a
	// stale version — of the save, or ErrStaleVersion from change itself
	// — it runs again on the session as stored.
	change func(s *Session) (res *Result, write bool, err error)
	// remember keeps a copy of the saved session for the contact's next
	// reply (replies do; other writes only refresh a copy already kept).
	remember bool
	// in, when set, is a contact's input: the mutation loads its session
	// (Engine.load) and applies it (Engine.apply), and no session is not
	// found but a message that is no answer. load, notFound and change
	// are unset then: the hot path allocates no closures.
	in *input
}

// mutate is the one way the engine changes a stored session: it checks
// the context, loads the session, applies the change, stores the effects
// the change decided with it (Session.Pending) in the same write, saves
// with the expected version, tries again from a fresh load while another
// writer got there first, keeps the remembered copies current and logs a
// failed save. Every engine call that changes a session goes through it.
func (e *Engine) mutate(ctx context.Context, m mutation) (*Result, error) {
	for attempt := range maxAttempts {
		if err := live(ctx); err != nil {
			return nil, err
		}
		s, guess := m.hint, m.routed != ""
		if attempt > 0 || s == nil {
			guess = false
			var err error
			if m.in != nil {
				s, err = e.load(ctx, m.in)
			} else {
				s, err = m.load()
			}
			switch {
			case errors.Is(err, ErrNotFound) && m.in != nil:
				return &Result{}, nil // no survey: the message belongs to the chat
			case errors.Is(err, ErrNotFound) && m.notFound != nil:
				return m.notFound()
			case err != nil:
				return nil, fmt.Errorf("surveyflow: %s %s: %w", m.what, m.id, err)
			}
		}
		var (
			res   *Result
			write bool
			err   error
		)
		if m.in != nil {
			res, write, err = e.apply(s, m.in)
		} else {
			res, write, err = m.change(s)
		}
		switch {
		case errors.Is(err, ErrStaleVersion):
			continue // the change met a newer version (a store call of its own): from a fresh load
		case err != nil:
			return nil, err
		}
		if !write {
			if guess {
				continue // judged on the stored session instead
			}
			return res, nil
		}
		routed := ""
		if guess {
			routed = m.routed
		}
		err = e.commit(ctx, s, res, routed, m.remember)
		switch {
		case err == nil:
			return res, nil
		case guess && (errors.Is(err, ErrStaleVersion) || errors.Is(err, ErrNotFound)):
			e.recent.forget(s) // the copy was stale: route the message as usual
		case errors.Is(err, ErrStaleVersion):
		case s.Version == 0 && errors.Is(err, ErrDuplicate):
			// Another call created the same session first: change that one.
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("surveyflow: %s %s: %w after %d attempts", m.what, m.id, ErrStaleVersion, maxAttempts)
}

// commit saves s, changed as res says, with the effects res decided added
// to its pending effects: created when s.Version is 0, else updated with
// the expected version (with UpdateRouted when routed names the message a
// remembered copy answers). A stale version, a duplicate and an active
// survey are returned as they are; any other failure is logged and
// wrapped. On success res.Session is s.
func (e *Engine) commit(ctx context.Context, s *Session, res *Result, routed string, remember bool) error {
	if err := live(ctx); err != nil {
		return err
	}
	s.keep(res, e.clock.Now())
	var err error
	switch {
	case s.Version == 0:
		err = e.store.Create(ctx, s)
	case routed != "":
		err = e.updateRouted(ctx, s, routed)
	default:
		err = e.store.Update(ctx, s)
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrStaleVersion), errors.Is(err, ErrNotFound), errors.Is(err, ErrDuplicate), errors.Is(err, ErrActiveExists):
		return err
	default:
		if e.logs(ctx, slog.LevelWarn) {
			e.log(ctx, slog.LevelWarn, "surveyflow: save failed", append(sessionAttrs(s), slog.String("error", err.Error()))...)
		}
		return fmt.Errorf("surveyflow: save session %s: %w", s.ID, err)
	}
	if remember {
		e.recent.put(s)
	} else {
		e.recent.refresh(s)
	}
	res.Session = s
	if res.withdrawn > 0 {
		e.observe(ctx, Event{Kind: EventWithdrawn, TenantID: s.TenantID, SurveyID: s.SurveyID,
			SessionID: s.ID, Channel: s.Channel, Count: res.withdrawn})
	}
	return nil
}
