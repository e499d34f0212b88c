// Package storetest is the behaviour contract of survey.Store as a test
// suite. Every adapter in this repository runs it, and a host that writes
// its own Store runs it with one call, with a Harness that makes its
// stores:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Harness{
//			NewStore: func(t *testing.T) survey.Store { return newMyStore(t) },
//		})
//	}
//
// # What Run runs
//
// Run runs every group as a subtest of the caller's test, so that with
// the test named TestConformance, `go test -run 'Conformance/<name>'`
// runs one group (and `-run 'Conformance/.*Crash'` the crash adversary):
//
//   - the contract of survey.Store itself, one subtest per rule
//     (CreateLoad, Duplicate, OneActivePerConversation, UpdateVersion,
//     Awaiting, RouteFindsTheAnsweredSession, ClaimDueLeases,
//     ConcurrentUpdatesOneWinnerPerVersion, …), with
//     UpdateRoutedChecksRouting for survey.RoutedUpdater;
//   - Read: the read port (report.Source): reports agree with
//     report.Sessions on every dimension, attribution, filter and time
//     zone, and the registry lists, filters and pages like report.Pick;
//   - Deliveries, Effects, SurveyBehaviour: the engine's promises on the
//     store (late and duplicated deliveries, clocks apart, pending effects
//     and their delivery, the survey's rules);
//   - Privacy: erasure, retention and the access document through the
//     engine (survey.PrivacyStore), with the store's raw storage searched
//     for what was removed;
//   - HostileInput, TenantsApartAtTheEngine, FaultsConverge (the store
//     wrapped in surveytest.FaultyStore), Load (engines on
//     Harness.Instances): the reliability scenarios;
//   - DeliveryAdversary and CrashAdversary: randomized adversaries, one
//     subtest per seed (seed-N), sized by the Harness.
//
// # Optional capabilities
//
// What a store offers beyond survey.Store is read from its type: the
// subtests of survey.RoutedUpdater, report.Source (Read) and
// survey.PrivacyStore (Privacy, which also needs report.Source) run when
// the store implements the interface and otherwise skip, visibly, with the
// reason (`go test -v` shows "*mystore.Store does not implement
// survey.RoutedUpdater: …"). A store that implements everything, as the
// PostgreSQL and SQLite stores do, skips nothing; the memory store skips
// UpdateRoutedChecksRouting. The privacy scenarios that search raw storage
// skip likewise without Harness.RawStorage.
//
// # Which engine scenarios are here
//
// The engine scenarios in this suite are those a store can break: they
// depend on what the store round-trips or how it orders and claims —
// routing a reply to the right session, contact histories (the frequency
// cap and re-surveys count stored sessions), times to the microsecond
// (deadlines, windows, clocks apart), the turns of a session's history,
// pending effects and their claims, and what a crash or a lost reply
// leaves behind. Engine behaviour that no store can change (parsing a
// reply, rendering a message, choosing the next step of a session held in
// memory, deciding before anything is stored that a conversation is not
// surveyed) is tested in package survey, on the memory store, and does not
// run on every store: the scenarios "public conversations are never
// surveyed" and "only conversations a human resolved" moved there.
//
// # Fuzzing
//
// FuzzDeliveryAdversary and FuzzCrashAdversary let go test's fuzzer pick
// an adversary's seed and plan on a store; a store's tests wrap them in
// fuzz targets of their own (the memory store's FuzzDeliveryAdversary and
// FuzzCrashAdversary). They are not conformance entry points: Run runs the
// adversaries at the Harness's sizes.
//
// # Testing types
//
// Run and the fuzz helpers take *testing.T and *testing.F: the suite runs
// subtests (t.Run), makes a store per subtest through the Harness, whose
// functions get the subtest's *testing.T so that they can use t.Cleanup
// and t.TempDir, and drives engines from many goroutines, relying on
// *testing.T being safe for that. A minimal interface cannot offer
// subtests without reimplementing the testing package, and a store's
// conformance suite is written for the author of a store, under go test,
// as the suite of a database driver is; a host's own tests use
// survey/surveytest. No exported signature names testify: a host's tests
// need the standard library only. Fixtures (NewSession, Rate,
// HostileTexts, ReadFiles) need no test handle at all.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// T is what the checks over one store need from a test: they report a
// failure with Errorf and stop the test with FailNow, as testify does. It
// is surveytest.T, so one handle serves both packages.
type T = surveytest.T

// runStore runs the contract of survey.Store itself against stores made
// by newStore.
func runStore(t *testing.T, newStore func(t *testing.T) survey.Store) {
	t.Run("CreateLoad", func(t *testing.T) { testCreateLoad(t, newStore(t)) })
	t.Run("Duplicate", func(t *testing.T) { testDuplicate(t, newStore(t)) })
	t.Run("OneActivePerConversation", func(t *testing.T) { testOneActive(t, newStore(t)) })
	t.Run("UpdateVersion", func(t *testing.T) { testUpdateVersion(t, newStore(t)) })
	t.Run("ReturnsCopies", func(t *testing.T) { testCopies(t, newStore(t)) })
	t.Run("Awaiting", func(t *testing.T) { testAwaiting(t, newStore(t)) })
	t.Run("RouteFindsTheAnsweredSession", func(t *testing.T) { testRouteFindsTheAnsweredSession(t, newStore(t)) })
	t.Run("NewestIsTheStoreOrder", func(t *testing.T) { testNewestIsTheStoreOrder(t, newStore(t)) })
	t.Run("UpdateRoutedChecksRouting", func(t *testing.T) { testUpdateRouted(t, newStore(t)) })
	t.Run("ConversationSessions", func(t *testing.T) { testConversationSessions(t, newStore(t)) })
	t.Run("DueInDeadlineOrder", func(t *testing.T) { testDue(t, newStore(t)) })
	t.Run("ContactHistory", func(t *testing.T) { testHistory(t, newStore(t)) })
	t.Run("TenantIsolation", func(t *testing.T) { testTenants(t, newStore(t)) })
	t.Run("ConcurrentUpdatesOneWinnerPerVersion", func(t *testing.T) { testConcurrent(t, newStore(t)) })
	t.Run("InboundMessageSavedOnce", func(t *testing.T) { testInboundDedup(t, newStore(t)) })
	t.Run("RoundTripsAwkwardText", func(t *testing.T) { testAwkwardText(t, newStore(t)) })
	t.Run("ClaimDueLeases", func(t *testing.T) { testClaimDue(t, newStore(t)) })
	t.Run("ConcurrentClaimsNeverShareASession", func(t *testing.T) { testConcurrentClaims(t, newStore(t)) })
	t.Run("ClaimDueAroundTheUnixEpoch", func(t *testing.T) { testClaimDueAroundTheEpoch(t, newStore(t)) })
	t.Run("ClaimEffectsLeasesPendingEffects", func(t *testing.T) { testClaimEffects(t, newStore(t)) })
	t.Run("ConcurrentEffectClaimsNeverShareASession", func(t *testing.T) { testConcurrentEffectClaims(t, newStore(t)) })
	t.Run("UpdateMovesASessionToAnotherContact", func(t *testing.T) { testUpdateMovesContact(t, newStore(t)) })
}

// testUpdateMovesContact: an update may change a session's contact (an
// erasure replaces it with a tombstone): the session is then the new
// contact's, in the store's order of creation, and no longer the old
// one's.
func testUpdateMovesContact(t *testing.T, st survey.Store) {
	var all []*survey.Session
	for i, contact := range []string{"maria", "maria", "ben", "maria"} {
		s := NewSession("t1", fmt.Sprintf("s%d", i), i)
		s.ContactID = contact
		answered(s, fmt.Sprintf("m%d", i), "hmm")
		require.NoError(t, st.Create(ctx(), s))
		all = append(all, s)
	}
	all[2].State, all[2].Deadline = survey.StateCompleted, time.Time{}
	require.NoError(t, st.Update(ctx(), all[2]))
	for _, i := range []int{1, 3, 0} { // out of order
		all[i].ContactID = "tomb"
		require.NoError(t, st.Update(ctx(), all[i]))
	}
	hist, err := st.ContactHistory(ctx(), "t1", "maria", time.Time{})
	require.NoError(t, err)
	assert.Empty(t, hist, "the old contact has none")
	_, err = st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	assert.ErrorIs(t, err, survey.ErrNotFound)
	_, err = st.Route(ctx(), "t1", "maria", "whatsapp", "m1")
	assert.ErrorIs(t, err, survey.ErrNotFound)
	hist, err = st.ContactHistory(ctx(), "t1", "tomb", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{"s3", "s1", "s0"}, ids(hist), "the new contact's, newest first")
	got, err := st.Awaiting(ctx(), "t1", "tomb", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, "s3", got.ID, "the newest in the store's order")
	got, err = st.Route(ctx(), "t1", "tomb", "whatsapp", "m1")
	require.NoError(t, err)
	assert.Equal(t, "s1", got.ID)
	hist, err = st.ContactHistory(ctx(), "t1", "ben", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{"s2"}, ids(hist), "another contact's sessions stay")

	all[3].ContactID = "maria" // and back
	require.NoError(t, st.Update(ctx(), all[3]))
	got, err = st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, "s3", got.ID)
	got, err = st.Awaiting(ctx(), "t1", "tomb", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, "s1", got.ID)
}

// base is the time every fixture is built around; stores must keep
// timestamps to at least microsecond precision.
var base = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// NewSession returns a valid session awaiting a rating, created at base+i
// minutes with a deadline 24 h later.
func NewSession(tenant, id string, i int) *survey.Session {
	created := base.Add(time.Duration(i) * time.Minute)
	return &survey.Session{
		TenantID:       tenant,
		ID:             id,
		SurveyID:       "csat",
		Scale:          "csat5",
		ConversationID: "conv-" + id,
		ContactID:      "contact-" + id,
		Channel:        "whatsapp",
		Language:       "es",
		State:          survey.StateAwaitingRating,
		Agents:         []survey.Participant{{ID: "ana", Kind: survey.Human, Groups: []string{"support"}}},
		ClosedAt:       created,
		CreatedAt:      created,
		Deadline:       created.Add(24 * time.Hour),
	}
}

func ctx() context.Context { return context.Background() }

func testCreateLoad(t *testing.T, st survey.Store) {
	s := NewSession("t1", "s1", 0)
	answered(s, "m1", "hmm")
	require.NoError(t, st.Create(ctx(), s))
	assert.Equal(t, int64(1), s.Version, "Create sets version 1")
	got, err := st.Load(ctx(), "t1", "s1")
	require.NoError(t, err)
	assertSameSession(t, s, got)

	_, err = st.Load(ctx(), "t1", "missing")
	assert.ErrorIs(t, err, survey.ErrNotFound)
}

func testDuplicate(t *testing.T, st survey.Store) {
	require.NoError(t, st.Create(ctx(), NewSession("t1", "s1", 0)))
	again := NewSession("t1", "s1", 0)
	again.ConversationID = "other"
	assert.ErrorIs(t, st.Create(ctx(), again), survey.ErrDuplicate)
}

func testOneActive(t *testing.T, st survey.Store) {
	first := NewSession("t1", "s1", 0)
	require.NoError(t, st.Create(ctx(), first))
	second := NewSession("t1", "s2", 1)
	second.ConversationID = first.ConversationID
	assert.ErrorIs(t, st.Create(ctx(), second), survey.ErrActiveExists)

	first.State = survey.StateCompleted
	first.Deadline = time.Time{}
	require.NoError(t, st.Update(ctx(), first))
	assert.NoError(t, st.Create(ctx(), second), "a final session no longer blocks its conversation")
}

func testUpdateVersion(t *testing.T, st survey.Store) {
	s := NewSession("t1", "s1", 0)
	require.NoError(t, st.Create(ctx(), s))
	stale := s.Clone()

	s.Rated, s.Rating, s.RatedAt = true, 4, base.Add(time.Hour)
	s.State = survey.StateAwaitingComment
	require.NoError(t, st.Update(ctx(), s))
	assert.Equal(t, int64(2), s.Version)

	stale.Rating = 1
	assert.ErrorIs(t, st.Update(ctx(), stale), survey.ErrStaleVersion)

	got, err := st.Load(ctx(), "t1", "s1")
	require.NoError(t, err)
	assertSameSession(t, s, got)

	ghost := NewSession("t1", "ghost", 0)
	ghost.Version = 1
	assert.ErrorIs(t, st.Update(ctx(), ghost), survey.ErrNotFound)
}

func testCopies(t *testing.T, st survey.Store) {
	s := NewSession("t1", "s1", 0)
	require.NoError(t, st.Create(ctx(), s))
	s.Agents[0].ID = "changed after create"
	got, err := st.Load(ctx(), "t1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "ana", got.Agents[0].ID)
	got.Agents[0].Groups[0] = "changed after load"
	again, err := st.Load(ctx(), "t1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "support", again.Agents[0].Groups[0])
}

func testAwaiting(t *testing.T, st survey.Store) {
	_, err := st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	assert.ErrorIs(t, err, survey.ErrNotFound)

	old := NewSession("t1", "old", 0)
	old.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), old))
	newer := NewSession("t1", "new", 5)
	newer.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), newer))
	other := NewSession("t1", "tg", 9)
	other.ContactID, other.Channel = "maria", "telegram"
	require.NoError(t, st.Create(ctx(), other))

	got, err := st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, "new", got.ID, "the newest waiting session on that channel")

	newer.State, newer.Deadline = survey.StateExpired, time.Time{}
	require.NoError(t, st.Update(ctx(), newer))
	got, err = st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, "old", got.ID, "final sessions are not awaiting")

	got, err = st.Route(ctx(), "t1", "maria", "whatsapp", "m-new")
	require.NoError(t, err)
	assert.Equal(t, "new", got.ID, "a new message is routed to the newest session, final or not")
	assert.Equal(t, survey.StateExpired, got.State)
	got, err = st.Route(ctx(), "t1", "maria", "telegram", "m-new")
	require.NoError(t, err)
	assert.Equal(t, "tg", got.ID, "per channel")
	_, err = st.Route(ctx(), "t2", "maria", "whatsapp", "m-new")
	assert.ErrorIs(t, err, survey.ErrNotFound, "per tenant")
}

// testRouteFindsTheAnsweredSession: a message applied to an older session
// is routed back to it, however many sessions came after, so that a
// channel's late redelivery is a duplicate and never an answer to the
// next survey.
func testRouteFindsTheAnsweredSession(t *testing.T, st survey.Store) {
	first := NewSession("t1", "first", 0)
	first.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), first))
	first = Rate(first, 5, base.Add(time.Minute))
	answered(first, "wamid.1", "5")
	first.State, first.Deadline = survey.StateCompleted, time.Time{}
	require.NoError(t, st.Update(ctx(), first))
	for i := 1; i <= 3; i++ {
		s := NewSession("t1", fmt.Sprintf("later-%d", i), i*60)
		s.ContactID = "maria"
		answered(s, fmt.Sprintf("wamid.%d0", i), "hi")
		require.NoError(t, st.Create(ctx(), s))
	}

	got, err := st.Route(ctx(), "t1", "maria", "whatsapp", "wamid.1")
	require.NoError(t, err)
	assert.Equal(t, "first", got.ID, "the session that applied the message")
	got, err = st.Route(ctx(), "t1", "maria", "whatsapp", "wamid.20")
	require.NoError(t, err)
	assert.Equal(t, "later-2", got.ID)
	got, err = st.Route(ctx(), "t1", "maria", "whatsapp", "wamid.2")
	require.NoError(t, err)
	assert.Equal(t, "later-3", got.ID, "a message no session applied goes to the newest (no prefix match)")
	got, err = st.Route(ctx(), "t1", "maria", "email", "wamid.1")
	assert.ErrorIs(t, err, survey.ErrNotFound, "another channel's sessions are not searched, got %v", got)
	_, err = st.Route(ctx(), "t2", "maria", "whatsapp", "wamid.1")
	assert.ErrorIs(t, err, survey.ErrNotFound, "nor another tenant's")
}

// testUpdateRouted: a store that implements survey.RoutedUpdater saves a
// session with UpdateRouted only while Route would still send the message
// there and the version is the one read; otherwise it changes nothing.
// (The interface is optional: on a store without it the check skips.)
func testUpdateRouted(t *testing.T, st survey.Store) {
	ru, ok := st.(survey.RoutedUpdater)
	if !ok {
		t.Skipf("%T does not implement survey.RoutedUpdater: an engine on it routes every reply (Route, then Update)", st)
	}
	stored := func(id string) *survey.Session {
		t.Helper()
		s, err := st.Load(ctx(), "t1", id)
		require.NoError(t, err)
		return s
	}
	old := NewSession("t1", "old", 0)
	old.ContactID = "maria"
	answered(old, "wamid.1", "hi")
	require.NoError(t, st.Create(ctx(), old))
	old.State, old.Deadline = survey.StateCancelled, time.Time{}
	require.NoError(t, st.Update(ctx(), old))

	cur := NewSession("t1", "current", 60)
	cur.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), cur))
	other := NewSession("t1", "other-channel", 120)
	other.ContactID, other.Channel = "maria", "email"
	require.NoError(t, st.Create(ctx(), other))

	// The newest session on the channel, a new message: saved.
	answered(cur, "wamid.2", "hmm")
	require.NoError(t, ru.UpdateRouted(ctx(), cur, "wamid.2"), "a newer session on another channel does not count")
	assert.Equal(t, int64(2), cur.Version)
	assert.Equal(t, 1, stored("current").Reprompts())

	// A message an older session applied belongs there: refused.
	answered(cur, "wamid.x", "hmm")
	assert.ErrorIs(t, ru.UpdateRouted(ctx(), cur, "wamid.1"), survey.ErrStaleVersion)
	assert.Equal(t, int64(2), cur.Version, "a refused save leaves the version")
	assert.Equal(t, 1, stored("current").Reprompts(), "and the stored session")

	// A stale version: refused.
	stale := stored("current")
	stale.Version = 1
	assert.ErrorIs(t, ru.UpdateRouted(ctx(), stale, "wamid.3"), survey.ErrStaleVersion)

	// A newer session of the contact on the channel: refused.
	cur.State, cur.Deadline, cur.Turns = survey.StateExpired, time.Time{}, cur.Turns[:1]
	require.NoError(t, st.Update(ctx(), cur))
	newer := NewSession("t1", "newer", 180)
	newer.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), newer))
	answered(cur, "wamid.y", "hmm")
	assert.ErrorIs(t, ru.UpdateRouted(ctx(), cur, "wamid.3"), survey.ErrStaleVersion)
	assert.Equal(t, 1, stored("current").Reprompts())
	got, err := st.Route(ctx(), "t1", "maria", "whatsapp", "wamid.3")
	require.NoError(t, err)
	assert.Equal(t, "newer", got.ID, "where the refused message goes")
	answered(newer, "wamid.3", "hmm")
	require.NoError(t, ru.UpdateRouted(ctx(), newer, "wamid.3"))

	// Another tenant's newer session of a contact with the same ID, and
	// another contact's session that holds the message, do not count.
	elsewhere := NewSession("t2", "elsewhere", 240)
	elsewhere.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), elsewhere))
	stranger := NewSession("t1", "stranger", 300)
	answered(stranger, "wamid.5", "hi")
	require.NoError(t, st.Create(ctx(), stranger))
	answered(newer, "wamid.z", "hmm")
	require.NoError(t, ru.UpdateRouted(ctx(), newer, "wamid.5"))
	assert.Equal(t, 2, stored("newer").Reprompts())

	// Unknown: not found; another tenant's session is unknown too.
	ghost := NewSession("t1", "ghost", 0)
	ghost.Version = 1
	assert.ErrorIs(t, ru.UpdateRouted(ctx(), ghost, "wamid.4"), survey.ErrNotFound)
	theirs := stored("newer")
	theirs.TenantID = "t2"
	assert.ErrorIs(t, ru.UpdateRouted(ctx(), theirs, "wamid.4"), survey.ErrNotFound)
}

// testNewestIsTheStoreOrder: "newest" is the order in which Create
// succeeded, not CreatedAt, which comes from the creating engine's clock.
// Here the second session was created by an engine whose clock runs an
// hour behind the first's.
func testNewestIsTheStoreOrder(t *testing.T, st survey.Store) {
	ahead := NewSession("t1", "z-by-fast-clock", 60)
	ahead.ContactID, ahead.ConversationID = "maria", "c1"
	require.NoError(t, st.Create(ctx(), ahead))
	ahead.State, ahead.Deadline = survey.StateCancelled, time.Time{}
	require.NoError(t, st.Update(ctx(), ahead))
	behind := NewSession("t1", "a-by-slow-clock", 10)
	behind.ContactID, behind.ConversationID = "maria", "c2"
	require.NoError(t, st.Create(ctx(), behind))

	got, err := st.Awaiting(ctx(), "t1", "maria", "whatsapp")
	require.NoError(t, err)
	assert.Equal(t, behind.ID, got.ID)
	got, err = st.Route(ctx(), "t1", "maria", "whatsapp", "m1")
	require.NoError(t, err)
	assert.Equal(t, behind.ID, got.ID, "the session created last, though its CreatedAt is earlier")

	again := NewSession("t1", "b-reopened", 5)
	again.ContactID, again.ConversationID = "maria", "c1"
	require.NoError(t, st.Create(ctx(), again))
	list, err := st.ConversationSessions(ctx(), "t1", "c1")
	require.NoError(t, err)
	assert.Equal(t, []string{"b-reopened", "z-by-fast-clock"}, ids(list), "a conversation's sessions, newest (created last) first")
}

// testConversationSessions lists one conversation's sessions in one tenant.
func testConversationSessions(t *testing.T, st survey.Store) {
	list, err := st.ConversationSessions(ctx(), "t1", "conv-x")
	require.NoError(t, err)
	assert.Empty(t, list, "no sessions is an empty list, not an error")
	for i, id := range []string{"x1", "x2", "x3"} {
		s := NewSession("t1", id, i)
		s.ConversationID = "conv-x"
		require.NoError(t, st.Create(ctx(), s))
		s.State, s.Deadline = survey.StateCompleted, time.Time{}
		s.ReopenedAt = base.Add(time.Duration(i) * time.Hour)
		require.NoError(t, st.Update(ctx(), s))
	}
	require.NoError(t, st.Create(ctx(), NewSession("t1", "other", 9)))
	other := NewSession("t2", "x-other-tenant", 9)
	other.ConversationID = "conv-x"
	require.NoError(t, st.Create(ctx(), other))

	list, err = st.ConversationSessions(ctx(), "t1", "conv-x")
	require.NoError(t, err)
	assert.Equal(t, []string{"x3", "x2", "x1"}, ids(list))
	assert.True(t, list[0].ReopenedAt.Equal(base.Add(2*time.Hour)), "ReopenedAt round-trips")
	list[0].Agents[0].ID = "changed"
	again, err := st.ConversationSessions(ctx(), "t1", "conv-x")
	require.NoError(t, err)
	assert.Equal(t, "ana", again[0].Agents[0].ID, "copies")
}

// testDue: due is a deadline strictly before now, in any tenant, earliest
// first, never a final session (a lease of zero claims nothing).
func testDue(t *testing.T, st survey.Store) {
	for i, id := range []string{"c", "a", "b", "late"} {
		s := NewSession("t1", id, 0)
		s.Deadline = base.Add(time.Duration([]int{3, 1, 2, 100}[i]) * time.Hour)
		require.NoError(t, st.Create(ctx(), s))
	}
	done := NewSession("t1", "done", 0)
	done.Deadline = base
	require.NoError(t, st.Create(ctx(), done))
	done.State, done.Deadline = survey.StateCompleted, time.Time{}
	require.NoError(t, st.Update(ctx(), done))
	other := NewSession("t2", "other-tenant", 0)
	other.Deadline = base.Add(90 * time.Minute)
	require.NoError(t, st.Create(ctx(), other))

	due, err := st.ClaimDue(ctx(), base.Add(3*time.Hour), 0, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "other-tenant", "b"}, ids(due), "deadline strictly before now, earliest first, final sessions never")

	due, err = st.ClaimDue(ctx(), base.Add(200*time.Hour), 0, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "other-tenant"}, ids(due), "limit")

	due, err = st.ClaimDue(ctx(), base.Add(200*time.Hour), 0, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "other-tenant", "b", "c", "late"}, ids(due), "a limit of zero means no limit")
}

func testHistory(t *testing.T, st survey.Store) {
	for i := 0; i < 4; i++ {
		s := NewSession("t1", fmt.Sprintf("h%d", i), i*60)
		s.ContactID = "maria"
		s.ConversationID = fmt.Sprintf("conv-h%d", i)
		s.Channel = []string{"whatsapp", "email"}[i%2]
		require.NoError(t, st.Create(ctx(), s))
	}
	stranger := NewSession("t1", "x", 200)
	require.NoError(t, st.Create(ctx(), stranger))

	hist, err := st.ContactHistory(ctx(), "t1", "maria", base.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{"h3", "h2", "h1"}, ids(hist), "every channel, since inclusive, newest first")
}

func testTenants(t *testing.T, st survey.Store) {
	a := NewSession("tenant-a", "same-id", 0)
	a.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), a))
	b := NewSession("tenant-b", "same-id", 0)
	b.ContactID = "maria"
	require.NoError(t, st.Create(ctx(), b), "IDs are scoped by tenant")

	_, err := st.Load(ctx(), "tenant-c", "same-id")
	assert.ErrorIs(t, err, survey.ErrNotFound)

	b.Rating, b.Rated = 1, true
	require.NoError(t, st.Update(ctx(), b))
	gotA, err := st.Load(ctx(), "tenant-a", "same-id")
	require.NoError(t, err)
	assert.False(t, gotA.Rated, "an update in tenant B leaves tenant A alone")

	hist, err := st.ContactHistory(ctx(), "tenant-a", "maria", time.Time{})
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, "tenant-a", hist[0].TenantID)
	_, err = st.Awaiting(ctx(), "tenant-c", "maria", "whatsapp")
	assert.ErrorIs(t, err, survey.ErrNotFound)
}

func testConcurrent(t *testing.T, st survey.Store) {
	s := NewSession("t1", "hot", 0)
	require.NoError(t, st.Create(ctx(), s))
	const workers, rounds = 8, 25
	var wins [rounds + 2]atomic.Int32
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				cur, err := st.Load(ctx(), "t1", "hot")
				if !assert.NoError(t, err) {
					return
				}
				if cur.Version > rounds {
					return
				}
				loaded := cur.Version
				answered(cur, fmt.Sprintf("w%d-v%d", w, loaded), "hmm")
				err = st.Update(ctx(), cur)
				if errors.Is(err, survey.ErrStaleVersion) {
					continue
				}
				if !assert.NoError(t, err) {
					return
				}
				wins[loaded].Add(1)
			}
		}(w)
	}
	wg.Wait()
	for v := 1; v <= rounds; v++ {
		assert.Equal(t, int32(1), wins[v].Load(), "exactly one writer wins version %d", v)
	}
	final, err := st.Load(ctx(), "t1", "hot")
	require.NoError(t, err)
	assert.Equal(t, rounds, final.Reprompts(), "no update was lost")
	assert.Len(t, final.MessageIDs(), rounds)
}

func ids(ss []*survey.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

// assertSameSession compares sessions field by field, times by instant.
func assertSameSession(t *testing.T, want, got *survey.Session) {
	t.Helper()
	for _, p := range []struct {
		name string
		w, g *time.Time
	}{
		{"ClosedAt", &want.ClosedAt, &got.ClosedAt}, {"CreatedAt", &want.CreatedAt, &got.CreatedAt},
		{"RatedAt", &want.RatedAt, &got.RatedAt}, {"CommentedAt", &want.CommentedAt, &got.CommentedAt},
		{"EndedAt", &want.EndedAt, &got.EndedAt}, {"Deadline", &want.Deadline, &got.Deadline},
	} {
		assert.True(t, p.w.Equal(*p.g), "%s: want %v, got %v", p.name, *p.w, *p.g)
	}
	w, g := want.Clone(), got.Clone()
	for _, s := range []*survey.Session{w, g} {
		s.ClosedAt, s.CreatedAt, s.RatedAt, s.CommentedAt, s.EndedAt, s.Deadline = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if len(s.Turns) == 0 {
			s.Turns = nil
		}
		for i := range s.Turns {
			s.Turns[i].At = s.Turns[i].At.UTC()
		}
		for i := range s.Pending {
			s.Pending[i].DecidedAt = s.Pending[i].DecidedAt.UTC()
		}
	}
	assert.Equal(t, w, g)
}

// answered records on s, as the engine does, a reply to its rating question
// that held no score.
func answered(s *survey.Session, messageID, text string) *survey.Session {
	s.Turns = append(s.Turns, survey.Turn{MessageID: messageID, Kind: survey.TurnReprompt, Source: survey.SourceChat,
		Text: text, At: s.CreatedAt.Add(time.Duration(len(s.Turns)+1) * time.Second), Effects: []string{string(survey.KindReprompt)}})
	return s
}

// Rate marks s as rated with rating at ratedAt, as the engine does.
func Rate(s *survey.Session, rating int, ratedAt time.Time) *survey.Session {
	s.Rated, s.Rating, s.RatedAt = true, rating, ratedAt
	s.State = survey.StateAwaitingComment
	return s
}

// testInboundDedup is the store's half of inbound de-duplication: the engine
// saves a message's ID with the change it causes, so when two deliveries of
// one message race, exactly one write (and one ID) lands.
func testInboundDedup(t *testing.T, st survey.Store) {
	s := NewSession("t1", "s1", 0)
	require.NoError(t, st.Create(ctx(), s))
	first, second := s.Clone(), s.Clone()
	for _, c := range []*survey.Session{first, second} {
		Rate(c, 5, base.Add(time.Minute))
		c.Turns = append(c.Turns, survey.Turn{MessageID: "wamid.1", Kind: survey.TurnRating, Source: survey.SourceChat, Value: 5, At: base.Add(time.Minute)})
	}
	require.NoError(t, st.Update(ctx(), first))
	assert.ErrorIs(t, st.Update(ctx(), second), survey.ErrStaleVersion, "the second delivery loses")

	got, err := st.Load(ctx(), "t1", "s1")
	require.NoError(t, err)
	assert.Equal(t, []string{"wamid.1"}, got.MessageIDs())
	assert.Equal(t, 5, got.Rating)
	assert.Equal(t, int64(2), got.Version)
}

func testAwkwardText(t *testing.T, st survey.Store) {
	s := Rate(NewSession("t1", "s1", 0), 1, base.Add(time.Minute))
	s.Comment = "a, \"quoted\"\nline\r\n\x00nul\ttab 😀 ü \u202e " + strings.Repeat("é", 4000)
	s.CommentTruncated = true
	answered(s, "m1", "")
	answered(s, "m2", "' OR 1=1 --")
	answered(s, "m3", "\\")
	s.Agents = nil
	s.ID, s.ConversationID = "id with 'quotes' and spaces", "conv; DROP TABLE x"
	s.RatedAt = base.Add(1234567 * time.Microsecond)
	require.NoError(t, st.Create(ctx(), s))
	got, err := st.Load(ctx(), "t1", s.ID)
	require.NoError(t, err)
	if len(got.Agents) == 0 {
		got.Agents = nil
	}
	assertSameSession(t, s, got)
}

func testClaimDue(t *testing.T, st survey.Store) {
	for i, id := range []string{"c", "a", "b", "late"} {
		s := NewSession("t1", id, 0)
		s.Deadline = base.Add(time.Duration([]int{3, 1, 2, 100}[i]) * time.Hour)
		require.NoError(t, st.Create(ctx(), s))
	}
	now := base.Add(4 * time.Hour)
	got, err := st.ClaimDue(ctx(), now, time.Minute, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, ids(got), "earliest deadline first, up to limit")

	got, err = st.ClaimDue(ctx(), now, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"c"}, ids(got), "claimed sessions are skipped while the lease holds")

	got, err = st.ClaimDue(ctx(), now.Add(time.Minute+time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, ids(got), "an expired lease frees the session (its sweeper died)")

	// An update ends the claim: a session that is still due afterwards
	// (say a delayed send that failed and was rescheduled) is claimable.
	c := got[2]
	c.Comment = "changed"
	require.NoError(t, st.Update(ctx(), c))
	later := now.Add(time.Minute + 2*time.Second)
	got, err = st.ClaimDue(ctx(), later, time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"c"}, ids(got), "an update releases the claim")
	assert.Equal(t, int64(2), got[0].Version)

	got[0].State, got[0].Deadline = survey.StateExpired, time.Time{}
	require.NoError(t, st.Update(ctx(), got[0]))
	got, err = st.ClaimDue(ctx(), later.Add(time.Hour), time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, ids(got), "final sessions are never claimed")
}

// testClaimDueAroundTheEpoch: deadlines and leases keep their order across
// the Unix epoch (a fake clock may run there): a deadline an hour before
// it is due at it, one at it is not, and a lease that ends at it holds
// until then.
func testClaimDueAroundTheEpoch(t *testing.T, st survey.Store) {
	epoch := time.Unix(0, 0).UTC()
	for id, deadline := range map[string]time.Time{"before": epoch.Add(-time.Hour), "at": epoch} {
		s := NewSession("t1", id, 0)
		s.CreatedAt, s.ClosedAt, s.Deadline = epoch.Add(-2*time.Hour), epoch.Add(-2*time.Hour), deadline
		require.NoError(t, st.Create(ctx(), s))
	}
	got, err := st.ClaimDue(ctx(), epoch.Add(-time.Minute), time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"before"}, ids(got), "claimed until the epoch")
	got, err = st.ClaimDue(ctx(), epoch.Add(-30*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, ids(got), "the lease still holds half a minute before the epoch")
	got, err = st.ClaimDue(ctx(), epoch, 0, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"before"}, ids(got), "at the epoch the lease has ended, and a deadline at it is not due yet")
	got, err = st.ClaimDue(ctx(), epoch.Add(time.Microsecond), time.Minute, 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"before", "at"}, ids(got), "a microsecond later both are due")
}

// testConcurrentClaims races sweepers over many due sessions: every session
// is claimed exactly once.
func testConcurrentClaims(t *testing.T, st survey.Store) {
	const sessions, sweepers = 60, 6
	for i := 0; i < sessions; i++ {
		s := NewSession("t1", fmt.Sprintf("d%02d", i), 0)
		s.Deadline = base.Add(time.Duration(i) * time.Second)
		require.NoError(t, st.Create(ctx(), s))
	}
	now := base.Add(time.Hour)
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < sweepers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := st.ClaimDue(ctx(), now, time.Hour, 7)
				if !assert.NoError(t, err) || len(got) == 0 {
					return
				}
				mu.Lock()
				for _, s := range got {
					claimed[s.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, claimed, sessions, "every due session was claimed")
	for id, n := range claimed {
		assert.Equal(t, 1, n, "session %s claimed once", id)
	}
}
