package storetest

// Personal data on request and on schedule, through the engine on the
// store under test: an erased contact leaves no trace in the store's raw
// storage and every report stays the same (or, when the tenant asks, the
// responses are gone); retention removes old free text and keeps the
// new; the access document holds everything. Every store runs them
// (checkPrivacy), with a rawStorage that reads what it really keeps.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// rawStorage returns what a store keeps, as raw as the store allows: the
// bytes of a database's files (after a checkpoint), every table of a
// schema read as text, or every string a memory store holds. checkPrivacy
// searches it for the strings an erasure or retention removed.
type rawStorage func(t *testing.T) []byte

// privacyStore is a store for checkPrivacy: both sides, and what erasure
// and retention need beyond them.
type privacyStore interface {
	readStore
	survey.PrivacyStore
}

// privacyFactory returns an empty store for one subtest, and the reader
// of its raw storage.
type privacyFactory func(t *testing.T) (privacyStore, rawStorage)

// checkPrivacy runs the privacy scenarios on stores made by fresh: the
// store's side of erasure and retention (WithText, Delete), then, through
// the engine, an erasure searched for in raw storage with reports
// compared before and after, the removal of a contact's responses,
// erasure while a survey runs and its retry, retention with its raw
// storage search, its crash and its instances running at once, and the
// access document.
func checkPrivacy(t *testing.T, fresh privacyFactory) {
	store := func(t *testing.T) privacyStore { st, _ := fresh(t); return st }
	t.Run("WithTextPagesTheFinalSessionsThatHoldText", func(t *testing.T) { checkWithText(t, store(t)) })
	t.Run("DeleteRemovesASessionEverywhere", func(t *testing.T) { checkDelete(t, store(t)) })
	t.Run("AnErasedContactLeavesNoTraceAndTheReportsStay", func(t *testing.T) { checkErase(t, fresh) })
	t.Run("RemovedResponsesLeaveTheReportsAndTheRegistry", func(t *testing.T) { checkEraseRemoves(t, fresh) })
	t.Run("ErasureEndsARunningSurveyAndIsSafeToRetry", func(t *testing.T) { checkEraseRetried(t, store(t)) })
	t.Run("RetentionRemovesOldTextOnly", func(t *testing.T) { checkRetention(t, fresh) })
	t.Run("RetentionResumesAfterACrashAndSharesTheWork", func(t *testing.T) { checkRetentionResumes(t, store(t)) })
	t.Run("TheAccessDocumentHoldsEverything", func(t *testing.T) { checkAccess(t, store(t)) })
}

// finalWithText returns a completed session of contact with a comment,
// created at base+i minutes.
func finalWithText(tenant, id, contact string, i int) *survey.Session {
	s := NewSession(tenant, id, i)
	s.ContactID, s.ContactName = contact, "Name of "+id
	s.State, s.Deadline = survey.StateCompleted, time.Time{}
	s.Rated, s.Rating, s.RatedAt = true, 4, s.CreatedAt.Add(time.Minute)
	s.Comment, s.CommentedAt = "comment of "+id, s.CreatedAt.Add(2*time.Minute)
	return s
}

// checkWithText: WithText finds the final sessions of one tenant created
// before a time that still hold free text, oldest first, ties by ID, and
// pages after a position.
func checkWithText(t *testing.T, st privacyStore) {
	put := func(s *survey.Session) {
		t.Helper()
		final := s.State
		s.State = survey.StateAwaitingRating
		require.NoError(t, st.Create(ctx(), s))
		if final != survey.StateAwaitingRating {
			s.State = final
			require.NoError(t, st.Update(ctx(), s))
		}
	}
	put(finalWithText("t1", "b-tied", "c1", 1))
	put(finalWithText("t1", "a-tied", "c2", 1))
	put(finalWithText("t1", "first", "c3", 0))
	onlyName := NewSession("t1", "name-only", 2)
	onlyName.ContactName, onlyName.State, onlyName.Deadline = "Just A Name", survey.StateExpired, time.Time{}
	put(onlyName)
	reply := NewSession("t1", "reply-only", 3)
	answered(answered(reply, "r1", ""), "r2", "what?")
	reply.State, reply.Deadline = survey.StateUnanswered, time.Time{}
	put(reply)
	note := NewSession("t1", "review-note", 4)
	note.State, note.Deadline = survey.StateNotSurveyed, time.Time{}
	note.Review = &survey.Review{ReviewerID: "sup", Score: 3, Comment: "a note", At: base}
	put(note)
	running := finalWithText("t1", "running", "c4", 5)
	running.State, running.Deadline = survey.StateAwaitingComment, base.Add(24*time.Hour)
	put(running)
	noText := finalWithText("t1", "no-text", "c5", 6)
	noText.ContactName, noText.Comment = "", ""
	answered(noText, "r1", "") // an emptied reply is no text
	put(noText)
	put(finalWithText("t1", "too-new", "c6", 60))
	put(finalWithText("t2", "other-tenant", "c1", 0))

	before := base.Add(59 * time.Minute)
	all, err := st.WithText(ctx(), "t1", before, survey.Position{}, 0)
	require.NoError(t, err)
	want := []string{"first", "a-tied", "b-tied", "name-only", "reply-only", "review-note"}
	assert.Equal(t, want, ids(all), "final sessions with text, created before, by (CreatedAt, ID); no limit")
	require.Len(t, all, len(want))
	assert.Equal(t, "comment of first", all[0].Comment, "whole sessions")

	var paged []string
	after := survey.Position{}
	for range 10 {
		page, err := st.WithText(ctx(), "t1", before, after, 2)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page), 2)
		paged = append(paged, ids(page)...)
		if len(page) < 2 {
			break
		}
		last := page[len(page)-1]
		after = survey.Position{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	assert.Equal(t, want, paged, "pages of two, each after the last of the one before")

	none, err := st.WithText(ctx(), "t1", base, survey.Position{}, 0)
	require.NoError(t, err)
	assert.Empty(t, none, "before is exclusive")
	none, err = st.WithText(ctx(), "t3", before.Add(time.Hour), survey.Position{}, 0)
	require.NoError(t, err)
	assert.Empty(t, none, "a tenant without sessions")

	first := all[0]
	first.ContactName, first.Comment = "", ""
	require.NoError(t, st.Update(ctx(), first))
	rest, err := st.WithText(ctx(), "t1", before, survey.Position{}, 0)
	require.NoError(t, err)
	assert.Equal(t, want[1:], ids(rest), "a session whose text is gone is no longer found")
}

// checkDelete: Delete checks the version, and a deleted session is gone
// from every read of both sides; its conversation may be surveyed again.
func checkDelete(t *testing.T, st privacyStore) {
	gone := NewSession("t1", "gone", 0)
	gone.ContactID = "maria"
	answered(gone, "m1", "hmm")
	require.NoError(t, st.Create(ctx(), gone))
	gone = Rate(gone, 2, base.Add(time.Minute))
	gone.State = survey.StateAwaitingComment
	require.NoError(t, st.Update(ctx(), gone))
	kept := NewSession("t1", "kept", 1)
	kept.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), Rate(kept, 5, base.Add(2*time.Minute))))
	theirs := NewSession("t2", "gone", 0)
	require.NoError(t, st.Create(ctx(), theirs))

	assert.ErrorIs(t, st.Delete(ctx(), "t1", "gone", 1), survey.ErrStaleVersion, "a stale version removes nothing")
	_, err := st.Load(ctx(), "t1", "gone")
	require.NoError(t, err)
	assert.ErrorIs(t, st.Delete(ctx(), "t1", "nobody", 1), survey.ErrNotFound)
	require.NoError(t, st.Delete(ctx(), "t1", "gone", gone.Version))
	assert.ErrorIs(t, st.Delete(ctx(), "t1", "gone", gone.Version), survey.ErrNotFound, "once")

	_, err = st.Load(ctx(), "t1", "gone")
	assert.ErrorIs(t, err, survey.ErrNotFound)
	hist, err := st.ContactHistory(ctx(), "t1", "maria", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{"kept"}, ids(hist))
	conv, err := st.ConversationSessions(ctx(), "t1", "conv-gone")
	require.NoError(t, err)
	assert.Empty(t, conv)
	routed, err := st.Route(ctx(), "t1", "maria", "whatsapp", "m1")
	require.NoError(t, err)
	assert.Equal(t, "kept", routed.ID, "its messages route to no one")
	due, err := st.ClaimDue(ctx(), base.Add(100*time.Hour), 0, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"gone", "kept"}, ids(due), "only the other tenant's, and the kept one")
	assert.Equal(t, "t2", due[0].TenantID)
	assert.Equal(t, []string{"kept"}, listIDs(t, st, "t1", report.Filter{}), "the registry")
	rep, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	assert.Equal(t, int64(1), rep.Overall.Count(), "the reports")

	again := NewSession("t1", "again", 3)
	again.ConversationID = "conv-gone"
	assert.NoError(t, st.Create(ctx(), again), "its conversation has no active survey any more")
	_, err = st.Load(ctx(), "t2", "gone")
	assert.NoError(t, err, "another tenant's session of that ID stays")
}

// privacySurvey asks the reason of a low score (numbered), a comment,
// alerts a lead and lets the contact change the rating.
var privacySurvey = survey.Definition{ID: "csat", Channels: []string{"whatsapp", "messenger"}, LowScoreBelow: 3,
	Responsible: []string{"lead"}, NotifyAgents: true, Reasons: survey.DefaultReasons(1, 2), ChangeWindow: 14 * 24 * time.Hour}

// privacyEngine returns an engine on st with clock.
func privacyEngine(t *testing.T, st survey.Store, clock survey.Clock) *survey.Engine {
	t.Helper()
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{privacySurvey}})
	require.NoError(t, err)
	return e
}

// contactData is what one contact writes in the privacy scenarios: every
// string is distinctive, so that a search of raw storage finds it only
// if the store still keeps it.
type contactData struct {
	id, name, reply, comment, note string
	messages                       []string
}

// contactOf returns the distinctive data of contact tag.
func contactOf(tag string) contactData {
	return contactData{
		id: "contact-" + tag + "-7f3a", name: "Name " + tag + " Quillfeather",
		reply: "what is this " + tag + " zephyr", comment: "comment " + tag + " marmalade skies",
		note: "supervisor note " + tag + " tangerine", messages: []string{"wamid." + tag + ".0001", "wamid." + tag + ".0002",
			"wamid." + tag + ".0003", "wamid." + tag + ".0004", "wamid." + tag + ".0005"},
	}
}

// secrets are the contact's strings a search must not find after an
// erasure.
func (c contactData) secrets() []string {
	return append([]string{c.id, c.name, c.reply, c.comment, c.note}, c.messages...)
}

// answerAll walks contact c through a whole survey on conversation conv
// (channel ch): a reply that is no score, a low rating, its reason, a
// comment, a change of the rating, and a supervisor's review with a note.
// It returns the session's ID.
func answerAll(t *testing.T, e *survey.Engine, clock *surveytest.Clock, tenant string, c contactData, conv, ch string) string {
	t.Helper()
	ctx := context.Background()
	closed := surveytest.NewConversation(conv, c.id, clock.Now().Add(-10*time.Minute)).Tenant(tenant).Channel(ch).
		ContactName(c.name).Agent("ana", "Ana", survey.Human, "support").ContactSays("hola").AgentSays("ana", "listo").
		ClosedAt(clock.Now())
	started, err := e.ConversationClosed(ctx, closed)
	require.NoError(t, err)
	require.NotNil(t, started.Session, "surveyed: %s", started.Decision)
	for i, text := range []string{c.reply, "2", "1", c.comment, "rating:1"} {
		clock.Advance(time.Minute)
		res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: tenant, ContactID: c.id, Channel: ch,
			MessageID: c.messages[i], Text: text, ReceivedAt: clock.Now()})
		require.NoError(t, err)
		require.True(t, res.Consumed, "message %d (%q)", i, text)
	}
	_, err = e.Review(ctx, survey.ReviewInput{TenantID: tenant, SessionID: started.Session.ID, ReviewerID: "sup", Score: 2, Comment: c.note})
	require.NoError(t, err)
	s, err := e.LastRating(ctx, tenant, c.id)
	require.NoError(t, err)
	require.Equal(t, c.comment, s.Comment)
	require.Len(t, s.RatingChanges(), 1)
	return started.Session.ID
}

// figures are every report and registry view the scenarios compare.
type figures struct {
	report   *report.Report
	byReason *report.Report
	registry []string // "session rating reason agents"
}

// figuresOf reads the tenant's figures from src.
func figuresOf(t *testing.T, src report.Source, tenant string) figures {
	t.Helper()
	var f figures
	var err error
	f.report, err = report.Build(ctx(), src, tenant, report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	f.byReason, err = report.Build(ctx(), src, tenant, report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByReason}})
	require.NoError(t, err)
	for s, err := range report.All(ctx(), src, tenant, report.Filter{}) {
		require.NoError(t, err)
		f.registry = append(f.registry, fmt.Sprintf("%s %d %s %v", s.ID, s.Rating, s.Reason, report.Of(s).Agents))
	}
	return f
}

// assertSameFigures compares two readings of the figures.
func assertSameFigures(t *testing.T, want, got figures, msg string) {
	t.Helper()
	assert.Empty(t, report.Diff(want.report, got.report), msg)
	assert.Empty(t, report.Diff(want.byReason, got.byReason), msg+" (by reason)")
	assert.Equal(t, want.registry, got.registry, msg+" (registry)")
}

// assertAbsent fails for every string raw holds.
func assertAbsent(t *testing.T, raw []byte, what string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.False(t, bytes.Contains(raw, []byte(s)), "%s: raw storage still holds %q", what, s)
	}
}

// assertPresent fails for every string raw does not hold: the search
// reads what the store keeps.
func assertPresent(t *testing.T, raw []byte, what string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.True(t, bytes.Contains(raw, []byte(s)), "%s: raw storage does not hold %q: the search does not see the store's data", what, s)
	}
}

// checkErase: after an erasure, nothing of the contact is left in raw
// storage — name, replies, comment, the review's note, message IDs,
// contact ID — while another contact's data is; reports and the registry
// are the same; the contact's running survey ended; the contact's next
// message and a late redelivery count for nothing.
func checkErase(t *testing.T, fresh privacyFactory) {
	st, raw := fresh(t)
	clock := surveytest.NewClock(relStart)
	e := privacyEngine(t, st, clock)
	gone, kept := contactOf("erased"), contactOf("kept")
	answered := answerAll(t, e, clock, "acme", gone, "c1", "whatsapp")
	answerAll(t, e, clock, "acme", kept, "c2", "whatsapp")
	clock.Advance(time.Hour)
	running, err := e.ConversationClosed(ctx(), surveytest.NewConversation("c3", gone.id, clock.Now().Add(-time.Hour)).Tenant("acme").
		Channel("messenger").ContactName(gone.name).Agent("bo", "Bo", survey.Human, "sales").ContactSays("hola").
		AgentSays("bo", "listo").ClosedAt(clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, running.Session)
	clock.Advance(time.Minute)
	rated, err := e.HandleMessage(ctx(), &survey.Inbound{TenantID: "acme", ContactID: gone.id, Channel: "messenger",
		MessageID: "wamid.erased.running", Text: "5", ReceivedAt: clock.Now()})
	require.NoError(t, err)
	require.Equal(t, survey.StateAwaitingComment, rated.Session.State)

	before := figuresOf(t, st, "acme")
	require.Len(t, before.registry, 3)
	assertPresent(t, raw(t), "before the erasure", gone.secrets()...)

	clock.Advance(time.Hour)
	res, err := e.EraseContact(ctx(), "acme", gone.id, survey.EraseOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Erased)
	assert.Equal(t, 1, res.Ended, "the running survey ended")
	assert.Zero(t, res.Removed)
	require.True(t, strings.HasPrefix(res.Tombstone, survey.ErasedContactPrefix), res.Tombstone)

	after := raw(t)
	assertAbsent(t, after, "after the erasure", append(gone.secrets(), "wamid.erased.running")...)
	assertPresent(t, after, "the other contact", kept.secrets()...)
	assertSameFigures(t, before, figuresOf(t, st, "acme"), "the figures after the erasure")

	hist, err := st.ContactHistory(ctx(), "acme", gone.id, time.Time{})
	require.NoError(t, err)
	assert.Empty(t, hist, "the contact has no sessions")
	tomb, err := st.ContactHistory(ctx(), "acme", res.Tombstone, time.Time{})
	require.NoError(t, err)
	require.Len(t, tomb, 2, "they are the tombstone's")
	for _, s := range tomb {
		assert.True(t, s.Erased(), s.ID)
		assert.Equal(t, clock.Now(), s.ErasedAt.UTC())
		assert.False(t, s.HasFreeText(), s.ID)
		assert.Empty(t, s.Language)
		assert.True(t, s.Rated, "the score stays")
	}
	ran, err := st.Load(ctx(), "acme", running.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, survey.StateCancelled, ran.State, "a running survey ends cancelled")
	assert.Equal(t, 5, ran.Rating, "its score still counts")
	assert.True(t, ran.Deadline.IsZero())
	done, err := st.Load(ctx(), "acme", answered)
	require.NoError(t, err)
	assert.Equal(t, survey.StateCompleted, done.State)
	assert.Equal(t, 1, done.Rating)
	assert.Equal(t, "slow", done.Reason, "the reason's ID stays")
	require.Len(t, done.MessageIDs(), 5, "the messages' places stay, as hashes")
	assert.Equal(t, done.MessageIDs()[4], done.RatingChanges()[0].MessageID, "the same hash for the same message")
	require.NotNil(t, done.Review)
	assert.Equal(t, 2, done.Review.Score)
	assert.Empty(t, done.Review.Comment)
	sum, err := e.Summarize(done)
	require.NoError(t, err)
	assert.NotEmpty(t, sum.Transcript, "an erased session still summarizes")

	again, err := e.EraseContact(ctx(), "acme", res.Tombstone, survey.EraseOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, again.Erased, "a tombstone can be erased again: nothing changes but the tombstone")
	assertSameFigures(t, before, figuresOf(t, st, "acme"), "the figures after erasing the tombstone")

	next, err := e.HandleMessage(ctx(), &survey.Inbound{TenantID: "acme", ContactID: gone.id, Channel: "messenger",
		MessageID: "after-1", Text: "4", ReceivedAt: clock.Now()})
	require.NoError(t, err)
	assert.False(t, next.Consumed, "the contact's next message finds no survey")

	// A new survey of the same contact ID, then a late redelivery of an
	// erased message: it was written before the new survey was sent.
	clock.Advance(time.Hour)
	fresh4, err := e.ConversationClosed(ctx(), closedConversationOn("c4", gone.id, "whatsapp", clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, fresh4.Session)
	late, err := e.HandleMessage(ctx(), &survey.Inbound{TenantID: "acme", ContactID: gone.id, Channel: "whatsapp",
		MessageID: gone.messages[1], Text: "2", ReceivedAt: relStart.Add(2 * time.Minute)})
	require.NoError(t, err)
	assert.False(t, late.Consumed, "a late redelivery of an erased message is not counted again")
	s4, err := st.Load(ctx(), "acme", fresh4.Session.ID)
	require.NoError(t, err)
	assert.False(t, s4.Rated)

}

// closedConversationOn is closedConversation on channel ch.
func closedConversationOn(id, contact, ch string, closedAt time.Time) *survey.Conversation {
	c := closedConversation(id, contact, closedAt)
	c.Channel = ch
	return c
}

// checkEraseRemoves: with RemoveResponses the contact's sessions are gone
// from raw storage, the reports and the registry; the other contact's
// stay.
func checkEraseRemoves(t *testing.T, fresh privacyFactory) {
	st, raw := fresh(t)
	clock := surveytest.NewClock(relStart)
	e := privacyEngine(t, st, clock)
	gone, kept := contactOf("removed"), contactOf("kept")
	answerAll(t, e, clock, "acme", kept, "c1", "whatsapp")
	keptOnly := figuresOf(t, st, "acme")
	answerAll(t, e, clock, "acme", gone, "c2", "whatsapp")
	_, err := e.ConversationClosed(ctx(), closedConversationOn("c3", gone.id, "messenger", clock.Now()))
	require.NoError(t, err)
	require.NotEqual(t, keptOnly.registry, figuresOf(t, st, "acme").registry)

	res, err := e.EraseContact(ctx(), "acme", gone.id, survey.EraseOptions{RemoveResponses: true})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Removed)
	assert.Zero(t, res.Erased)
	assert.Empty(t, res.Tombstone, "nothing kept, no tombstone")
	assertAbsent(t, raw(t), "after removing the responses", gone.secrets()...)
	assertPresent(t, raw(t), "the other contact", kept.secrets()...)
	assertSameFigures(t, keptOnly, figuresOf(t, st, "acme"), "the figures without the removed responses")
	conv, err := st.ConversationSessions(ctx(), "acme", "c3")
	require.NoError(t, err)
	assert.Empty(t, conv)

	again, err := e.EraseContact(ctx(), "acme", gone.id, survey.EraseOptions{RemoveResponses: true})
	require.NoError(t, err)
	assert.Equal(t, survey.ErasureResult{}, *again, "nothing left: a retry is a no-op")
}

// checkEraseRetried: an erasure whose answer was lost is retried safely;
// a reply racing the erasure is never saved over it; bad input is
// refused.
func checkEraseRetried(t *testing.T, st privacyStore) {
	clock := surveytest.NewClock(relStart)
	faulty := surveytest.NewFaultyStore(st, nil)
	e := privacyEngine(t, faulty.Engine(), clock)
	c := contactOf("retried")
	started, err := e.ConversationClosed(ctx(), closedConversation("c1", c.id, clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, started.Session)
	clock.Advance(time.Minute)
	_, err = e.HandleMessage(ctx(), reply(c.id, c.messages[0], "5", clock.Now())) // remembered by the engine
	require.NoError(t, err)

	lose := true
	faulty.Decide = func(op string, _ int) surveytest.Fault {
		if op == "Update" && lose {
			lose = false
			return surveytest.FailAfter // written, answer lost
		}
		return surveytest.NoFault
	}
	_, err = e.EraseContact(ctx(), "acme", c.id, survey.EraseOptions{})
	require.ErrorIs(t, err, surveytest.ErrInjected)
	res, err := e.EraseContact(ctx(), "acme", c.id, survey.EraseOptions{})
	require.NoError(t, err, "the retry")
	assert.Equal(t, survey.ErasureResult{}, *res, "the lost write had erased it")
	s, err := st.Load(ctx(), "acme", started.Session.ID)
	require.NoError(t, err)
	assert.True(t, s.Erased())
	assert.Equal(t, survey.StateCancelled, s.State)

	comment, err := e.HandleMessage(ctx(), reply(c.id, c.messages[1], c.comment, clock.Now()))
	require.NoError(t, err)
	assert.False(t, comment.Consumed, "the comment finds no survey")
	s, err = st.Load(ctx(), "acme", started.Session.ID)
	require.NoError(t, err)
	assert.Empty(t, s.Comment)

	// A session that changes while it is erased is loaded again.
	other := contactOf("raced")
	started, err = e.ConversationClosed(ctx(), closedConversation("c2", other.id, clock.Now()))
	require.NoError(t, err)
	raced := false
	faulty.Decide = func(op string, n int) surveytest.Fault {
		if op == "Update" && !raced {
			raced = true
			stale, err := st.Load(ctx(), "acme", started.Session.ID)
			require.NoError(t, err)
			answered(stale, "raced-reply", "a reply another instance applied")
			require.NoError(t, st.Update(ctx(), stale)) // another instance got there first
		}
		return surveytest.NoFault
	}
	res, err = e.EraseContact(ctx(), "acme", other.id, survey.EraseOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Erased)
	s, err = st.Load(ctx(), "acme", started.Session.ID)
	require.NoError(t, err)
	assert.True(t, s.Erased())
	require.Len(t, s.Turns, 1, "the other write is kept")
	assert.Empty(t, s.Turns[0].Text, "and erased")
	assert.NotEqual(t, "raced-reply", s.Turns[0].MessageID)

	for _, bad := range []struct{ tenant, contact string }{{"", "x"}, {"acme", ""}, {"acme", "bad\xff"}, {"acme", "nul\x00"}} {
		_, err := e.EraseContact(ctx(), bad.tenant, bad.contact, survey.EraseOptions{})
		assert.ErrorIs(t, err, survey.ErrInvalidInput, "%q %q", bad.tenant, bad.contact)
		_, err = e.ContactData(ctx(), bad.tenant, bad.contact)
		assert.ErrorIs(t, err, survey.ErrInvalidInput, "%q %q", bad.tenant, bad.contact)
	}
	cancelled, cancel := context.WithCancel(ctx())
	cancel()
	_, err = e.EraseContact(cancelled, "acme", c.id, survey.EraseOptions{})
	assert.ErrorIs(t, err, context.Canceled)
	var nilCtx context.Context
	_, err = e.EraseContact(nilCtx, "acme", c.id, survey.EraseOptions{})
	assert.ErrorIs(t, err, survey.ErrInvalidInput, "a nil context")
	res, err = e.EraseContact(ctx(), "acme", "never-seen", survey.EraseOptions{})
	require.NoError(t, err)
	assert.Equal(t, survey.ErasureResult{}, *res, "an unknown contact has nothing to erase")
}

// checkRetention: text older than the period is gone from raw storage and
// newer text stays; identities, scores and reports stay; a survey still
// running keeps its text until it ends.
func checkRetention(t *testing.T, fresh privacyFactory) {
	st, raw := fresh(t)
	clock := surveytest.NewClock(relStart)
	var scrubbed []string
	var mu sync.Mutex
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{privacySurvey},
		Observer: survey.ObserverFunc(func(_ context.Context, ev survey.Event) {
			if ev.Kind == survey.EventScrubbed {
				mu.Lock()
				scrubbed = append(scrubbed, ev.SessionID)
				mu.Unlock()
			}
		})})
	require.NoError(t, err)
	require.NoError(t, e.SetTenantRetention("acme", 30*24*time.Hour))
	old, unfinished, recent := contactOf("old"), contactOf("unfinished"), contactOf("recent")
	oldID := answerAll(t, e, clock, "acme", old, "c1", "whatsapp")
	running, err := e.ConversationClosed(ctx(), surveytest.NewConversation("c2", unfinished.id, clock.Now().Add(-time.Hour)).
		Tenant("acme").ContactName(unfinished.name).Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").
		ClosedAt(clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, running.Session)
	other := contactOf("other-tenant")
	answerAll(t, e, clock, "beta", other, "c1", "whatsapp")
	clock.Advance(31 * 24 * time.Hour)
	answerAll(t, e, clock, "acme", recent, "c3", "whatsapp")
	before := figuresOf(t, st, "acme")

	res, err := e.Retain(ctx())
	require.NoError(t, err)
	assert.Equal(t, survey.RetentionResult{Tenants: 1, Scrubbed: 1}, *res)
	assert.Equal(t, []string{oldID}, scrubbed, "observed")
	storage := raw(t)
	assertAbsent(t, storage, "old text", old.name, old.reply, old.comment, old.note)
	assertPresent(t, storage, "what retention keeps", append(recent.secrets(), old.id, old.messages[0], unfinished.name)...)
	assertPresent(t, storage, "a tenant without a period", other.secrets()...)
	assertSameFigures(t, before, figuresOf(t, st, "acme"), "the figures after retention")
	s, err := st.Load(ctx(), "acme", oldID)
	require.NoError(t, err)
	assert.Equal(t, clock.Now(), s.TextRemovedAt.UTC())
	assert.Equal(t, old.id, s.ContactID, "retention keeps the identity")
	assert.False(t, s.Erased())

	_, err = e.Sweep(ctx()) // the unfinished survey expires
	require.NoError(t, err)
	res, err = e.Retain(ctx())
	require.NoError(t, err)
	assert.Equal(t, 1, res.Scrubbed, "once it ended, the next run removes its text")
	assertAbsent(t, raw(t), "old text", unfinished.name)
	res, err = e.Retain(ctx())
	require.NoError(t, err)
	assert.Equal(t, survey.RetentionResult{Tenants: 1}, *res, "nothing left to do")

	require.NoError(t, e.SetTenantRetention("acme", 0))
	res, err = e.Retain(ctx())
	require.NoError(t, err)
	assert.Equal(t, survey.RetentionResult{}, *res, "no period, nothing swept")
	assert.ErrorIs(t, e.SetTenantRetention("acme", -time.Hour), survey.ErrInvalidInput)
	assert.ErrorIs(t, e.SetTenantRetention("", time.Hour), survey.ErrInvalidInput)
}

// checkRetentionResumes: a retention run cut short (a crash, a cancelled
// context) leaves the rest to the next; two instances at once remove each
// session's text once.
func checkRetentionResumes(t *testing.T, st privacyStore) {
	const n = 12
	for i := range n {
		s := finalWithText("acme", fmt.Sprintf("s%02d", i), fmt.Sprintf("c%02d", i), i)
		s.State = survey.StateAwaitingRating
		require.NoError(t, st.Create(ctx(), s))
		s.State = survey.StateCompleted
		require.NoError(t, st.Update(ctx(), s))
	}
	clock := surveytest.NewClock(base.Add(48 * time.Hour))
	runCtx, crash := context.WithCancel(ctx())
	defer crash()
	seen := 0
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{privacySurvey},
		Observer: survey.ObserverFunc(func(_ context.Context, ev survey.Event) {
			if ev.Kind == survey.EventScrubbed {
				if seen++; seen == 3 {
					crash()
				}
			}
		})})
	require.NoError(t, err)
	require.NoError(t, e.SetTenantRetention("acme", 24*time.Hour))
	res, err := e.Retain(runCtx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 3, res.Scrubbed)
	left, err := st.WithText(ctx(), "acme", clock.Now(), survey.Position{}, 0)
	require.NoError(t, err)
	assert.Len(t, left, n-3, "the rest is still there")

	// Two instances finish it at once.
	e1, e2 := privacyEngine(t, st, clock), privacyEngine(t, st, clock)
	var results [2]*survey.RetentionResult
	var wg sync.WaitGroup
	for i, eng := range []*survey.Engine{e1, e2} {
		require.NoError(t, eng.SetTenantRetention("acme", 24*time.Hour))
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			results[i], err = eng.Retain(ctx())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, n-3, results[0].Scrubbed+results[1].Scrubbed, "each session once")
	left, err = st.WithText(ctx(), "acme", clock.Now(), survey.Position{}, 0)
	require.NoError(t, err)
	assert.Empty(t, left)
}

// checkAccess: the access document holds every survey of the contact
// with its answers, texts, message IDs, agents, review and transcript,
// and nothing of anyone else; after an erasure it is empty.
func checkAccess(t *testing.T, st privacyStore) {
	clock := surveytest.NewClock(relStart)
	e := privacyEngine(t, st, clock)
	c, other := contactOf("asks"), contactOf("other")
	id := answerAll(t, e, clock, "acme", c, "c1", "whatsapp")
	answerAll(t, e, clock, "acme", other, "c2", "whatsapp")
	clock.Advance(time.Hour)
	second, err := e.ConversationClosed(ctx(), closedConversationOn("c3", c.id, "messenger", clock.Now()))
	require.NoError(t, err)
	require.NotNil(t, second.Session)

	data, err := e.ContactData(ctx(), "acme", c.id)
	require.NoError(t, err)
	assert.Equal(t, "acme", data.TenantID)
	assert.Equal(t, c.id, data.ContactID)
	assert.Equal(t, clock.Now(), data.GeneratedAt)
	require.Len(t, data.Surveys, 2)
	assert.Equal(t, second.Session.ID, data.Surveys[0].SessionID, "newest first")
	got := data.Surveys[1]
	assert.Equal(t, id, got.SessionID)
	assert.Equal(t, "c1", got.ConversationID)
	assert.Equal(t, c.name, got.ContactName)
	assert.Equal(t, c.comment, got.Comment)
	assert.Equal(t, []string{c.reply}, got.Replies)
	assert.Equal(t, c.messages, got.MessageIDs)
	assert.Equal(t, 1, got.Rating)
	assert.NotEmpty(t, got.RatingLabel)
	assert.Equal(t, "slow", got.Reason)
	assert.NotEmpty(t, got.ReasonLabel)
	require.Len(t, got.RatingChanges, 1)
	assert.Equal(t, 2, got.RatingChanges[0].From)
	assert.Equal(t, []survey.ContactAgent{{ID: "ana", Name: "Ana"}}, got.Agents)
	require.NotNil(t, got.Review)
	assert.Equal(t, c.note, got.Review.Comment)
	assert.NotEmpty(t, got.Transcript)
	assert.False(t, got.RatedAt.IsZero())
	assert.False(t, got.CommentedAt.IsZero())
	doc, err := json.Marshal(data)
	require.NoError(t, err)
	assert.Contains(t, string(doc), c.comment)
	for _, s := range other.secrets() {
		assert.NotContains(t, string(doc), s, "nothing of another contact")
	}

	_, err = e.EraseContact(ctx(), "acme", c.id, survey.EraseOptions{})
	require.NoError(t, err)
	data, err = e.ContactData(ctx(), "acme", c.id)
	require.NoError(t, err)
	assert.NotNil(t, data.Surveys)
	assert.Empty(t, data.Surveys, "an erased contact has nothing left")
	none, err := e.ContactData(ctx(), "beta", other.id)
	require.NoError(t, err)
	assert.Empty(t, none.Surveys, "per tenant")
}

// ReadFiles returns the bytes of the files at paths, one after the other;
// a file that does not exist (a WAL after a checkpoint that removed it)
// adds nothing. A rawStorage of a file database reads its files with it
// after a checkpoint.
func ReadFiles(t *testing.T, paths ...string) []byte {
	t.Helper()
	var out []byte
	for _, f := range paths {
		b, err := os.ReadFile(f)
		if !errors.Is(err, fs.ErrNotExist) {
			require.NoError(t, err)
		}
		out = append(out, b...)
	}
	require.NotEmpty(t, out, "no file at %v", paths)
	return out
}
