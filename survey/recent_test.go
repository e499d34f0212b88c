package survey_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// routedMemory is a memory store with survey.RoutedUpdater, for tests of
// the engine's remembered-session path: UpdateRouted is Route, a
// comparison and Update, under a mutex that every write takes, so that
// no write of the store falls between the three.
type routedMemory struct {
	*memory.Store
	mu sync.Mutex
}

// Create implements survey.Store.
func (r *routedMemory) Create(ctx context.Context, s *survey.Session) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Store.Create(ctx, s)
}

// Update implements survey.Store.
func (r *routedMemory) Update(ctx context.Context, s *survey.Session) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Store.Update(ctx, s)
}

// UpdateRouted implements survey.RoutedUpdater.
func (r *routedMemory) UpdateRouted(ctx context.Context, s *survey.Session, messageID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, err := r.Store.Route(ctx, s.TenantID, s.ContactID, s.Channel, messageID)
	if err != nil {
		return err
	}
	if cur.ID != s.ID {
		return survey.ErrStaleVersion
	}
	return r.Store.Update(ctx, s)
}

// countingStore counts the calls made to a routedMemory through a
// FaultyStore that injects nothing; engines get its Engine(), which has
// survey.RoutedUpdater because routedMemory has it.
type countingStore struct {
	*surveytest.FaultyStore
	mu    sync.Mutex
	calls map[string]int
}

func newCountingStore() *countingStore {
	c := &countingStore{calls: map[string]int{}}
	c.FaultyStore = surveytest.NewFaultyStore(&routedMemory{Store: memory.New()}, func(op string, _ int) surveytest.Fault {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.calls[op]++
		return surveytest.NoFault
	})
	return c
}

// took returns the calls made since the last took, and forgets them.
func (c *countingStore) took() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := c.calls
	c.calls = map[string]int{}
	return got
}

type rememberFixture struct {
	t     *testing.T
	st    *countingStore
	clock *surveytest.Clock
}

func newRememberFixture(t *testing.T) *rememberFixture {
	return &rememberFixture{t: t, st: newCountingStore(), clock: surveytest.NewClock(surveytest.Start)}
}

func (f *rememberFixture) engine(remember int) *survey.Engine {
	e, err := survey.New(survey.Config{Store: f.st.Engine(), Clock: f.clock, RememberSessions: remember, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(f.t, err)
	return e
}

func (f *rememberFixture) close(e *survey.Engine, conv, contact string) *survey.Result {
	f.t.Helper()
	c := surveytest.NewConversation(conv, contact, f.clock.Advance(time.Minute)).Tenant("acme").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	res, err := e.ConversationClosed(context.Background(), c)
	require.NoError(f.t, err)
	require.NotNil(f.t, res.Session, "surveyed")
	return res
}

func (f *rememberFixture) reply(e *survey.Engine, contact, id, text string) *survey.Result {
	f.t.Helper()
	f.clock.Advance(time.Minute)
	res, err := e.HandleMessage(context.Background(), &survey.Inbound{TenantID: "acme", ContactID: contact, Channel: "whatsapp", MessageID: id, Text: text})
	require.NoError(f.t, err)
	return res
}

func (f *rememberFixture) stored(contact, messageID string) *survey.Session {
	f.t.Helper()
	s, err := f.st.Route(context.Background(), "acme", contact, "whatsapp", messageID)
	require.NoError(f.t, err)
	return s
}

// A reply to the session the engine wrote last is saved with UpdateRouted
// alone: no Route, no Update.
func TestAReplyToARememberedSessionTakesOneStoreCall(t *testing.T) {
	f := newRememberFixture(t)
	e := f.engine(0)
	f.close(e, "c1", "maria")
	f.st.took()

	res := f.reply(e, "maria", "m1", "5")
	assert.True(t, res.Consumed)
	assert.Equal(t, []survey.MessageKind{survey.KindCommentRequest}, kinds(res.Outbound))
	assert.Equal(t, map[string]int{"UpdateRouted": 1}, f.st.took())

	res = f.reply(e, "maria", "m2", "Muy amable")
	assert.Equal(t, survey.StateCompleted, res.Session.State)
	assert.Equal(t, map[string]int{"UpdateRouted": 1}, f.st.took())

	s := f.stored("maria", "m2")
	assert.Equal(t, 5, s.Rating)
	assert.Equal(t, "Muy amable", s.Comment)
	assert.Equal(t, []string{"m1", "m2"}, s.MessageIDs())

	// The result's session is the caller's: changing it changes nothing
	// the engine remembers.
	res.Session.Rating = 1
	dup := f.reply(e, "maria", "m2", "Muy amable")
	assert.True(t, dup.Duplicate)
	assert.Equal(t, 5, f.stored("maria", "m2").Rating)
}

// A message the remembered copy would not write (a duplicate, chat after
// the survey ended) is judged on the stored session: here another engine
// started a newer survey for the contact, which gets the rating.
func TestAReplyThatWouldWriteNothingIsRoutedAsUsual(t *testing.T) {
	f := newRememberFixture(t)
	e, other := f.engine(0), f.engine(0)
	f.close(e, "c1", "maria")
	f.reply(e, "maria", "m1", "5")
	f.reply(e, "maria", "m2", "Gracias") // e remembers a completed survey
	newer := f.close(other, "c2", "maria")
	f.st.took()

	res := f.reply(e, "maria", "m3", "4")
	assert.True(t, res.Consumed)
	assert.Equal(t, newer.Session.ID, res.Session.ID, "the newer survey")
	assert.Equal(t, map[string]int{"Route": 1, "Update": 1}, f.st.took(), "routed as usual")
	assert.Equal(t, 4, f.stored("maria", "m3").Rating)
}

// A copy another engine made stale is refused by the store, and the reply
// is routed again: a rating another engine saved stands, and a redelivery
// of that rating is a duplicate.
func TestACopyAnotherEngineMadeStaleIsRefusedAndRoutedAgain(t *testing.T) {
	f := newRememberFixture(t)
	e, other := f.engine(0), f.engine(0)
	f.close(e, "c1", "maria")
	first := f.reply(other, "maria", "m1", "5")
	require.True(t, first.Consumed)

	dup := f.reply(e, "maria", "m1", "5")
	assert.True(t, dup.Duplicate, "the rating other saved")
	assert.Equal(t, kinds(first.Outbound), kinds(dup.Replay), "replays what it produced")

	f.st.took()
	res := f.reply(e, "maria", "m2", "Bien")
	assert.Equal(t, survey.StateCompleted, res.Session.State)
	assert.Equal(t, map[string]int{"Route": 1, "Update": 1}, f.st.took(),
		"e forgot the copy the store refused: routed as usual")
	s := f.stored("maria", "m2")
	assert.Equal(t, 5, s.Rating)
	assert.Equal(t, "Bien", s.Comment)
}

// Engines from WithStore (a host's transaction) never remember, and a
// negative RememberSessions turns remembering off.
func TestEnginesThatDoNotRememberRouteEveryReply(t *testing.T) {
	for name, pick := range map[string]func(f *rememberFixture) *survey.Engine{
		"WithStore":            func(f *rememberFixture) *survey.Engine { return f.engine(0).WithStore(f.st.Engine()) },
		"RememberSessions < 0": func(f *rememberFixture) *survey.Engine { return f.engine(-1) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newRememberFixture(t)
			e := pick(f)
			f.close(e, "c1", "maria")
			f.st.took()
			assert.True(t, f.reply(e, "maria", "m1", "5").Consumed)
			assert.Equal(t, map[string]int{"Route": 1, "Update": 1}, f.st.took())
		})
	}
}

// An engine remembers RememberSessions contacts; the oldest goes first.
func TestAnEngineRemembersAFixedNumberOfSessions(t *testing.T) {
	f := newRememberFixture(t)
	e := f.engine(2)
	f.close(e, "c1", "maria")
	f.close(e, "c2", "pedro")
	f.close(e, "c3", "lucia") // maria's copy goes
	f.st.took()
	f.reply(e, "maria", "m1", "5")
	assert.Equal(t, map[string]int{"Route": 1, "Update": 1}, f.st.took(), "forgotten")
	f.reply(e, "lucia", "l1", "4")
	assert.Equal(t, map[string]int{"UpdateRouted": 1}, f.st.took(), "remembered")
	f.reply(e, "maria", "m2", "Bien")
	assert.Equal(t, map[string]int{"UpdateRouted": 1}, f.st.took(), "remembered again after its reply")
}

// Goroutines that answer one contact at once from the same remembered
// copy never both apply: the store's version check lets one save win, the
// others route again, and each message is applied once, the rating first
// and every later reply as the comment or a duplicate.
func TestConcurrentRepliesFromOneCopyApplyOnce(t *testing.T) {
	f := newRememberFixture(t)
	e := f.engine(0)
	f.close(e, "c1", "maria")
	const n = 16
	var wg sync.WaitGroup
	results := make([]*survey.Result, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Every other goroutine redelivers the rating "m0".
			id := "m0"
			if i%2 == 1 {
				id = "m" + string(rune('a'+i))
			}
			res, err := e.HandleMessage(context.Background(), &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: "whatsapp", MessageID: id, Text: "5"})
			assert.NoError(t, err)
			results[i] = res
		}()
	}
	wg.Wait()
	ratings, comments := 0, 0
	for _, res := range results {
		require.NotNil(t, res)
		if res.Duplicate || !res.Consumed {
			continue
		}
		switch res.Session.State {
		case survey.StateAwaitingComment:
			ratings++
		case survey.StateCompleted:
			comments++
		}
	}
	s := f.stored("maria", "m0")
	assert.Equal(t, 1, ratings, "one rating")
	assert.LessOrEqual(t, comments, 1, "at most one comment")
	assert.Equal(t, ratings+comments, len(s.MessageIDs()), "each applied message stored once: %v", s.MessageIDs())
}
