package storetest

// The reliability scenarios of RELIABILITY.md, written once against
// survey.Store: runLoad, checkFaultsConverge, checkHostileInput and
// checkTenantIsolation. The memory, SQLite and PostgreSQL tests run them,
// and so can a host's own adapter.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// relStart is the fake clock's start in every scenario.
var relStart = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// ---------------------------------------------------------------------
// Load: several engines, every delivery twice, two sweepers, moving clock.
// ---------------------------------------------------------------------

// LoadConfig sizes runLoad.
type LoadConfig struct {
	Engines       int // engines, each on its own store instance (pool)
	Conversations int // conversations, one contact each
	Workers       int // goroutines feeding the engines
}

// LoadFigures are what runLoad did, for RELIABILITY.md.
type LoadFigures struct {
	Sessions, CloseDeliveries, MessageDeliveries, Duplicates, Replays int
	Outbound, Notifications, Sweeps, SweepSent, SweepExpired          int
	AnswersExpected, AnswersRecorded, AnswersLost                     int
}

// String lists the figures on one line.
func (f LoadFigures) String() string {
	return fmt.Sprintf("sessions=%d close-deliveries=%d message-deliveries=%d duplicates=%d replays=%d "+
		"outbound=%d notifications=%d sweeps=%d sweep-sent=%d sweep-expired=%d answers expected=%d recorded=%d lost=%d",
		f.Sessions, f.CloseDeliveries, f.MessageDeliveries, f.Duplicates, f.Replays, f.Outbound, f.Notifications,
		f.Sweeps, f.SweepSent, f.SweepExpired, f.AnswersExpected, f.AnswersRecorded, f.AnswersLost)
}

// plan is what conversation i of the load scenario does and must end as.
type plan struct {
	tenant, contact, conv string
	msgs                  []planMsg
	lateDuplicateOfFirst  bool // the first message's second delivery comes after the last message
	state                 survey.State
	rated                 bool
	rating                int
	comment               string
	unparsed              []string
}

type planMsg struct{ id, text string }

// outOfOrderComment is a comment sent before the rating: it holds no score,
// so it is kept as an unparsed reply and re-prompted.
const outOfOrderComment = "the agent was patient and solved everything"

func loadPlan(i int) plan {
	p := plan{tenant: "acme", contact: fmt.Sprintf("contact-%05d", i), conv: fmt.Sprintf("conv-%05d", i)}
	if (i/8)%4 == 3 {
		p.tenant = "globex" // surveys sent later by a sweeper
	}
	r := i%5 + 1
	id := func(n int) string { return fmt.Sprintf("wamid.%05d.%d", i, n) }
	comment := fmt.Sprintf("conversation %d: <b>fast</b> & \"kind\" ✓", i)
	switch i % 8 {
	case 0, 1, 2: // rating, comment
		p.msgs = []planMsg{{id(1), fmt.Sprint(r)}, {id(2), comment}}
		p.state, p.rated, p.rating, p.comment = survey.StateCompleted, true, r, comment
	case 3: // rating only: expires keeping the score
		p.msgs = []planMsg{{id(1), fmt.Sprint(r)}}
		p.state, p.rated, p.rating = survey.StateExpired, true, r
	case 4: // comment before rating (out of order)
		p.msgs = []planMsg{{id(1), outOfOrderComment}, {id(2), fmt.Sprint(r)}}
		p.state, p.rated, p.rating, p.unparsed = survey.StateExpired, true, r, []string{outOfOrderComment}
	case 5: // rating's duplicate arrives after the comment
		p.msgs = []planMsg{{id(1), fmt.Sprint(r)}, {id(2), comment}}
		p.lateDuplicateOfFirst = true
		p.state, p.rated, p.rating, p.comment = survey.StateCompleted, true, r, comment
	case 6: // never answers
		p.state = survey.StateExpired
	case 7: // out of range, then a score, then a comment
		p.msgs = []planMsg{{id(1), "10"}, {id(2), fmt.Sprint(r)}, {id(3), comment}}
		p.state, p.rated, p.rating, p.comment, p.unparsed = survey.StateCompleted, true, r, comment, []string{"10"}
	}
	return p
}

// ledger counts what the engines handed to the host.
type ledger struct {
	mu       sync.Mutex
	outbound map[string]int
	replayed map[string]int
	texts    map[string]string          // key → text of the message handed out
	replays  map[string]map[string]bool // key → texts of its replays
	notified map[string]int
	kinds    map[survey.MessageKind]int
	applied  map[string]int // inbound message ID → non-duplicate consumptions
	fig      LoadFigures
}

func newLedger() *ledger {
	return &ledger{outbound: map[string]int{}, replayed: map[string]int{}, notified: map[string]int{},
		texts: map[string]string{}, replays: map[string]map[string]bool{},
		kinds: map[survey.MessageKind]int{}, applied: map[string]int{}}
}

func (l *ledger) take(res *survey.Result, msgID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, o := range res.Outbound {
		l.outbound[o.IdempotencyKey]++
		l.texts[o.IdempotencyKey] = o.Text
		l.kinds[o.Kind]++
		l.fig.Outbound++
	}
	for _, n := range res.Notifications {
		l.notified[n.IdempotencyKey]++
		l.fig.Notifications++
	}
	for _, o := range res.Replay {
		l.replayed[o.IdempotencyKey]++
		if l.replays[o.IdempotencyKey] == nil {
			l.replays[o.IdempotencyKey] = map[string]bool{}
		}
		l.replays[o.IdempotencyKey][o.Text] = true
		l.fig.Replays++
	}
	if res.Duplicate {
		l.fig.Duplicates++
	}
	if msgID != "" && res.Consumed && !res.Duplicate {
		l.applied[msgID]++
	}
}

// waitFor polls cond every few milliseconds for at most limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			require.FailNow(t, "timed out waiting: "+what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runLoad runs the load scenario: cfg.Engines engines, each on the store
// instance() returns (instances share one database), serve
// cfg.Conversations conversations at once; every close event and every
// inbound message is delivered twice, to two engines at the same time; some
// messages arrive out of order; two sweepers run all along while the shared
// fake clock moves past send times and deadlines. It then checks that every
// session has exactly its one final state, every answer was recorded once,
// no idempotency key was handed out twice, and the reports equal a count
// from the raw answers.
func runLoad(t *testing.T, cfg LoadConfig, instance func() survey.Store) LoadFigures {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	def := survey.Definition{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}}
	delayed := def
	delayed.SendDelay = 30 * time.Minute
	engines := make([]*survey.Engine, cfg.Engines)
	for i := range engines {
		e, err := survey.New(survey.Config{Store: instance(), Clock: clock, Surveys: []survey.Definition{def}})
		require.NoError(t, err)
		require.NoError(t, e.SetTenantSurveys("globex", []survey.Definition{delayed}))
		engines[i] = e
	}
	plans := make([]plan, cfg.Conversations)
	convs := make([]*survey.Conversation, cfg.Conversations)
	for i := range plans {
		plans[i] = loadPlan(i)
		p := plans[i]
		convs[i] = &survey.Conversation{TenantID: p.tenant, ID: p.conv, Channel: "whatsapp",
			Contact:      survey.Contact{ID: p.contact, Name: "Contact " + p.contact, Language: "en"},
			Participants: []survey.Participant{{ID: fmt.Sprintf("agent-%d", i%7), Name: "Agent", Kind: survey.Human, Groups: []string{fmt.Sprintf("group-%d", i%3)}}},
			ClosedAt:     relStart.Add(-time.Minute)}
	}
	l := newLedger()

	// Two sweepers on two engines (two pools) run until stopped.
	var sent, expired, sweeps atomic.Int64
	stop := make(chan struct{})
	var sweepers sync.WaitGroup
	for n := 0; n < 2; n++ {
		e := engines[n%len(engines)]
		sweepers.Add(1)
		go func() {
			defer sweepers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := e.Sweep(ctx)
				if !assert.NoError(t, err, "sweep") {
					return
				}
				sweeps.Add(1)
				sent.Add(int64(res.Sent))
				expired.Add(int64(res.Expired))
				l.take(&survey.Result{Outbound: res.Outbound}, "")
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	stopSweepers := func() {
		if stop != nil {
			close(stop)
			sweepers.Wait()
			stop = nil
		}
	}
	defer stopSweepers()

	// twice delivers one event to two engines at the same time.
	twice := func(i int, call func(e *survey.Engine) (*survey.Result, error), msgID string) {
		var wg sync.WaitGroup
		for k := 0; k < 2; k++ {
			e := engines[(i+k)%len(engines)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := call(e)
				if assert.NoError(t, err, "conversation %d", i) {
					l.take(res, msgID)
				}
			}()
		}
		wg.Wait()
	}
	// each runs fn for every conversation on cfg.Workers goroutines; the
	// clock moves one second per conversation.
	each := func(fn func(i int)) {
		next := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < cfg.Workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					fn(i)
					clock.Advance(time.Second)
				}
			}()
		}
		for i := range plans {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	deliver := func(i int, m planMsg) {
		in := &survey.Inbound{TenantID: plans[i].tenant, ContactID: plans[i].contact, Channel: "whatsapp", MessageID: m.id, Text: m.text}
		twice(i, func(e *survey.Engine) (*survey.Result, error) { c := *in; return e.HandleMessage(ctx, &c) }, m.id)
	}

	// 1. Every close, twice, on two engines at once.
	each(func(i int) {
		twice(i, func(e *survey.Engine) (*survey.Result, error) { return e.ConversationClosed(ctx, convs[i]) }, "")
	})
	globex := 0
	for _, p := range plans {
		if p.tenant == "globex" {
			globex++
		}
	}
	// 2. The clock passes the send delay; the sweepers send the delayed
	// surveys.
	clock.Advance(delayed.SendDelay + time.Minute)
	waitFor(t, 3*time.Minute, "sweepers send every delayed survey", func() bool { return sent.Load() >= int64(globex) })

	// 3. The replies: every message twice; some out of order.
	each(func(i int) {
		p := plans[i]
		if !p.lateDuplicateOfFirst {
			for _, m := range p.msgs {
				deliver(i, m)
			}
			return
		}
		first := p.msgs[0]
		in := &survey.Inbound{TenantID: p.tenant, ContactID: p.contact, Channel: "whatsapp", MessageID: first.id, Text: first.text}
		res, err := engines[i%len(engines)].HandleMessage(ctx, in)
		if assert.NoError(t, err) {
			l.take(res, first.id)
		}
		for _, m := range p.msgs[1:] {
			deliver(i, m)
		}
		res, err = engines[(i+1)%len(engines)].HandleMessage(ctx, in)
		if assert.NoError(t, err) {
			l.take(res, first.id)
			assert.True(t, res.Duplicate, "a late duplicate is recognised")
			assert.Empty(t, res.Outbound)
		}
	})

	// 4. The clock passes every deadline; the sweepers expire the rest.
	wantExpired := 0
	for _, p := range plans {
		if p.state == survey.StateExpired {
			wantExpired++
		}
	}
	clock.Advance(30*time.Hour + time.Duration(cfg.Conversations)*time.Second)
	waitFor(t, 3*time.Minute, "sweepers expire every unanswered survey", func() bool { return expired.Load() >= int64(wantExpired) })
	stopSweepers()
	final, err := engines[0].Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, final.Sent+final.Expired, "nothing left to sweep")

	// Every session has exactly its final state, and every answer once.
	st := instance()
	fig := l.fig
	fig.CloseDeliveries = 2 * cfg.Conversations
	fig.Sweeps, fig.SweepSent, fig.SweepExpired = int(sweeps.Load()), int(sent.Load()), int(expired.Load())
	assert.Equal(t, globex, fig.SweepSent, "each delayed survey sent by exactly one sweeper")
	assert.Equal(t, wantExpired, fig.SweepExpired, "each unanswered survey expired by exactly one sweeper")
	byConv := map[string]*survey.Session{}
	for _, tenant := range []string{"acme", "globex"} {
		var contacts []string
		for _, p := range plans {
			if p.tenant == tenant {
				contacts = append(contacts, p.contact)
			}
		}
		for _, s := range sessionsOf(t, st, tenant, contacts...) {
			_, dup := byConv[s.ConversationID]
			require.False(t, dup, "one session per conversation: %s", s.ConversationID)
			require.Equal(t, tenant, s.TenantID)
			byConv[s.ConversationID] = s
		}
	}
	require.Len(t, byConv, cfg.Conversations)
	fig.Sessions = len(byConv)
	wantKinds := map[survey.MessageKind]int{}
	for _, p := range plans {
		s := byConv[p.conv]
		require.NotNil(t, s, "%s lost", p.conv)
		require.Equal(t, p.tenant, s.TenantID)
		assert.Equal(t, p.state, s.State, p.conv)
		assert.Equal(t, p.rated, s.Rated, p.conv)
		assert.Equal(t, p.rating, s.Rating, p.conv)
		assert.Equal(t, p.comment, s.Comment, p.conv)
		assert.Equal(t, len(p.unparsed), s.Reprompts(), p.conv)
		if len(p.unparsed) > 0 {
			assert.Equal(t, p.unparsed, s.Unparsed(), p.conv)
		}
		var ids []string
		for _, m := range p.msgs {
			ids = append(ids, m.id)
			fig.MessageDeliveries += 2
			assert.Equal(t, 1, l.applied[m.id], "%s applied exactly once", m.id)
		}
		assert.Equal(t, ids, s.MessageIDs(), "%s: each message recorded once, in order", p.conv)
		if p.rated {
			fig.AnswersExpected++
			if s.Rated && s.Rating == p.rating {
				fig.AnswersRecorded++
			}
		}
		if p.comment != "" {
			fig.AnswersExpected++
			if s.Comment == p.comment {
				fig.AnswersRecorded++
			}
		}
		wantKinds[survey.KindRatingRequest]++
		wantKinds[survey.KindReprompt] += len(p.unparsed)
		if p.rated {
			wantKinds[survey.KindCommentRequest]++
		}
		if p.state == survey.StateCompleted {
			wantKinds[survey.KindThanks]++
		}
	}
	fig.AnswersLost = fig.AnswersExpected - fig.AnswersRecorded
	assert.Zero(t, fig.AnswersLost, "answers lost")

	// No idempotency key handed out twice; every replay repeats a key
	// that was handed out.
	// (Plain map look-ups: testify's Contains on a map is linear.)
	for key, n := range l.outbound {
		if n != 1 {
			assert.Failf(t, "message emitted more than once", "%s: %d times", key, n)
		}
	}
	for key, n := range l.notified {
		if n != 1 {
			assert.Failf(t, "notification emitted more than once", "%s: %d times", key, n)
		}
	}
	for key := range l.replayed {
		if l.outbound[key] == 0 {
			assert.Failf(t, "a replay repeats no emitted message", "%s", key)
		}
		for text := range l.replays[key] {
			if text != l.texts[key] {
				assert.Failf(t, "a replay differs from the message of its key", "%s: %q, first sent as %q", key, text, l.texts[key])
			}
		}
	}
	assert.Equal(t, wantKinds, l.kinds, "every message that should be sent was sent, once")

	// The reports equal a count from the raw answers.
	for _, tenant := range []string{"acme", "globex"} {
		count, sum := 0, 0
		perAgent := map[string]int{}
		for _, p := range plans {
			s := byConv[p.conv]
			if p.tenant == tenant && s.Rated {
				count++
				sum += s.Rating
				for _, a := range s.Agents {
					perAgent[a.ID]++
				}
			}
		}
		src, ok := st.(report.Source)
		if !ok {
			continue // a store without the read port: runRead checks that side
		}
		rep, err := report.Build(ctx, src, tenant, report.Options{Scale: scoring.CSAT5()})
		require.NoError(t, err)
		assert.EqualValues(t, count, rep.Overall.Count(), "%s: report count = raw count", tenant)
		assert.EqualValues(t, sum, rep.Overall.Sum(), "%s: report sum = raw sum", tenant)
		for agent, n := range perAgent {
			assert.EqualValues(t, n, rep.ByAgent.Get(agent).Count(), "%s: agent %s", tenant, agent)
		}
	}
	return fig
}

// ---------------------------------------------------------------------
// Faults: a store that fails before, times out, or fails after committing.
// ---------------------------------------------------------------------

// faultOutcome is what one fault run ended with.
type faultOutcome struct {
	final     map[string]*survey.Session
	delivered map[string]int
	injected  int
	failures  int
}

// runFaultScript plays a fixed script of closes (some delayed), replies,
// sweeps and time on an engine over NewFaultyStore(st, decide), retrying
// every failed call as a host would and handing the host Outbound ∪ Replay.
func runFaultScript(t *testing.T, st survey.Store, decide func(op string, n int) surveytest.Fault) faultOutcome {
	t.Helper()
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	faulty := surveytest.NewFaultyStore(st, decide)
	e, err := survey.New(survey.Config{Store: faulty.Engine(), Clock: clock, Surveys: []survey.Definition{
		{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}},
	}})
	require.NoError(t, err)
	require.NoError(t, e.SetTenantSurveys("later", []survey.Definition{{ID: "csat", SendDelay: time.Hour}}))
	out := faultOutcome{delivered: map[string]int{}}
	// The host sends what each call returns and then acknowledges it, as
	// a host that sends inline does; what it loses to a fault (an
	// acknowledgement that failed after the engine saved, a sweep whose
	// result it never saw) the drain at the end hands out.
	var sent []survey.Effect // sent inline, to acknowledge
	take := func(res *survey.Result) {
		for _, o := range append(res.Outbound, res.Replay...) {
			out.delivered[o.IdempotencyKey]++
			sent = append(sent, survey.Effect{Key: o.IdempotencyKey, Message: o})
		}
		for _, n := range append(res.Notifications, res.ReplayNotifications...) {
			out.delivered[n.IdempotencyKey]++
			sent = append(sent, survey.Effect{Key: n.IdempotencyKey, Notification: n})
		}
	}
	retry := func(what string, call func() error) {
		for attempt := 0; ; attempt++ {
			err := call()
			if err == nil {
				return
			}
			out.failures++
			require.True(t, errors.Is(err, surveytest.ErrInjected) || errors.Is(err, context.DeadlineExceeded), "%s: unexpected error %v", what, err)
			require.Less(t, attempt, 200, "%s never succeeded", what)
		}
	}
	var drain func()
	acknowledge := func() {
		for _, f := range sent {
			tenant, session := f.Message.TenantID, f.Message.SessionID
			if !f.IsMessage() {
				tenant, session = f.Notification.TenantID, f.Notification.SessionID
			}
			retry("acknowledge", func() error { return e.Acknowledge(ctx, tenant, session, f.Key) })
		}
		sent = sent[:0]
	}
	drain = func() {
		retry("deliver", func() error {
			_, err := e.Deliver(ctx, func(_ context.Context, f survey.Effect) error {
				out.delivered[f.Key]++
				return nil
			}, survey.DeliverOptions{})
			return err
		})
	}
	tenantOf := func(i int) string {
		if i%3 == 0 {
			return "later"
		}
		return "now"
	}
	const contacts = 24
	for i := 0; i < contacts; i++ {
		conv := &survey.Conversation{TenantID: tenantOf(i), ID: fmt.Sprintf("c%d", i), Channel: "whatsapp",
			Contact: survey.Contact{ID: fmt.Sprintf("u%d", i), Language: "es"}, ClosedAt: clock.Now()}
		retry("close", func() error {
			res, err := e.ConversationClosed(ctx, conv)
			if err == nil {
				take(res)
			}
			return err
		})
		acknowledge()
		clock.Advance(time.Minute)
	}
	sweepForAnHour := func() {
		for i := 0; i < 60; i++ {
			retry("sweep", func() error {
				res, err := e.Sweep(ctx)
				if res != nil {
					take(&survey.Result{Outbound: res.Outbound})
				}
				return err
			})
			acknowledge()
			drain() // every minute, as a host runs its deliveries
			clock.Advance(time.Minute)
		}
	}
	clock.Advance(2 * time.Hour)
	sweepForAnHour()
	for i := 0; i < contacts; i++ {
		replies := []string{fmt.Sprint(i%5 + 1), "gracias"}
		switch {
		case i%7 == 0:
			replies = nil
		case i%4 == 0:
			replies = []string{"¿qué?", "2", "lento"}
		}
		for j, text := range replies {
			in := &survey.Inbound{TenantID: tenantOf(i), ContactID: fmt.Sprintf("u%d", i), Channel: "whatsapp", MessageID: fmt.Sprintf("m%d-%d", i, j), Text: text}
			retry("reply", func() error {
				res, err := e.HandleMessage(ctx, in)
				if err == nil {
					take(res)
				}
				return err
			})
			acknowledge()
		}
	}
	clock.Advance(25 * time.Hour)
	sweepForAnHour()
	// Wait out the deliveries' leases that failed calls left, then drain.
	clock.Advance(survey.DefaultDeliverLease + time.Second)
	drain()
	faulty.Decide = nil
	clock.Advance(survey.DefaultDeliverLease + time.Second)
	drain()
	out.injected = faulty.Injected
	out.final = map[string]*survey.Session{}
	for _, tenant := range []string{"now", "later"} {
		var who []string
		for i := 0; i < contacts; i++ {
			if tenantOf(i) == tenant {
				who = append(who, fmt.Sprintf("u%d", i))
			}
		}
		for _, s := range sessionsOf(t, st, tenant, who...) {
			// No half-written session: every stored session is
			// consistent with its state.
			assert.Equal(t, s.State.Final(), s.Deadline.IsZero(), "%s: deadline iff waiting", s.ConversationID)
			assert.Equal(t, s.Rated, !s.RatedAt.IsZero(), "%s: rated iff RatedAt", s.ConversationID)
			out.final[tenant+"/"+s.ConversationID] = s
		}
	}
	return out
}

// checkFaultsConverge runs the fault script on fresh stores without faults
// and then under seeds random fault plans, and checks every run reaches the
// same sessions and hands every message to the host. It returns the faults
// injected and the failed calls the host retried.
func checkFaultsConverge(t *testing.T, fresh func(t *testing.T) survey.Store, seeds int) (injected, failures int) {
	want := runFaultScript(t, fresh(t), nil)
	require.Len(t, want.final, 24)
	for key, n := range want.delivered {
		require.Equal(t, 1, n, key)
	}
	for seed := 1; seed <= seeds; seed++ {
		state := uint64(seed)*0x9E3779B97F4A7C15 + 1
		rnd := func(n int) int { // splitmix64: a plan per seed, the same on every machine
			state += 0x9E3779B97F4A7C15
			z := state
			z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
			z = (z ^ (z >> 27)) * 0x94D049BB133111EB
			return int((z ^ (z >> 31)) % uint64(n))
		}
		got := runFaultScript(t, fresh(t), func(op string, n int) surveytest.Fault {
			if rnd(4) != 0 {
				return surveytest.NoFault
			}
			return surveytest.Fault(1 + rnd(3))
		})
		require.Positive(t, got.injected)
		injected += got.injected
		failures += got.failures
		require.Len(t, got.final, len(want.final), "seed %d: a session lost or doubled", seed)
		for key, w := range want.final {
			g := got.final[key]
			require.NotNil(t, g, "seed %d: %s lost", seed, key)
			assert.Equal(t, w.State, g.State, "seed %d %s", seed, key)
			assert.Equal(t, w.Rated, g.Rated, "seed %d %s", seed, key)
			assert.Equal(t, w.Rating, g.Rating, "seed %d %s", seed, key)
			assert.Equal(t, w.Comment, g.Comment, "seed %d %s", seed, key)
			assert.Equal(t, w.Reprompts(), g.Reprompts(), "seed %d %s", seed, key)
			assert.Equal(t, w.MessageIDs(), g.MessageIDs(), "seed %d %s", seed, key)
		}
		for key := range want.delivered {
			assert.Positive(t, got.delivered[key], "seed %d: %s never reached the host", seed, key)
		}
		for key := range got.delivered {
			if want.delivered[key] == 0 {
				assert.Failf(t, "a message the fault-free run did not send", "seed %d: %s", seed, key)
			}
		}
		if t.Failed() {
			return injected, failures
		}
	}
	return injected, failures
}

// ---------------------------------------------------------------------
// Hostile input through the engine into a store and back.
// ---------------------------------------------------------------------

// HostileTexts are replies and comments no store or step may choke on.
var HostileTexts = []struct{ Name, Text string }{
	{"invalid UTF-8", "bad \xff\xfe\xfd bytes"},
	{"NUL bytes", "nul\x00in\x00the\x00middle"},
	{"only a NUL", "\x00"},
	{"bidi override", "\u202egnitar\u202c 5 \u2066isolate\u2069"},
	{"zero-width characters", "\u200b\u200c\u200d\ufeff"},
	{"HTML and script", `<script>alert("x")</script><img src=x onerror=alert(1)>`},
	{"SQL-looking", `'); DROP TABLE surveyflow_sessions; --`},
	{"JSON-looking", `{"rating": 5, "\u0000": null}`},
	{"lone surrogate escapes", `\ud800 \udfff`},
	{"control characters", "\x01\x02\x1b[31mred\x1b[0m\x7f"},
	{"emoji and combining marks", "👍🏽 e\u0301\u0301\u0301 ５"},
	{"empty", ""},
	{"whitespace", " \t\r\n "},
	{"out of range", "99999999999999999999999"},
	{"negative", "-3"},
}

// hostileEngine returns an engine on st with a small comment limit.
func hostileEngine(t *testing.T, st survey.Store, clock *surveytest.Clock, limit int) *survey.Engine {
	t.Helper()
	e, err := survey.New(survey.Config{Store: st, Clock: clock, MaxCommentLength: limit, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	return e
}

// checkHostileInput sends every hostile text as a rating reply and as a
// comment, and a 1 MB comment, through an engine on st: each gets a
// re-prompt, a score or a stored comment — never an error or a panic — and
// what the store returns is what the engine kept, as valid UTF-8.
func checkHostileInput(t *testing.T, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	const limit = 1000
	e := hostileEngine(t, st, clock, limit)
	n := 0
	start := func(t *testing.T) (string, string) {
		n++
		contact := fmt.Sprintf("hostile-%d", n)
		res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "t", ID: fmt.Sprintf("conv-%d", n), Channel: "whatsapp",
			Contact: survey.Contact{ID: contact, Language: "en"}, ClosedAt: clock.Now()})
		require.NoError(t, err)
		require.NotNil(t, res.Session)
		return contact, res.Session.ID
	}
	reply := func(t *testing.T, contact, text string) *survey.Result {
		n++
		res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: contact, Channel: "whatsapp", MessageID: fmt.Sprintf("m-%d", n), Text: text})
		require.NoError(t, err, "%q", text)
		return res
	}
	for _, tc := range HostileTexts {
		t.Run("as a rating reply: "+tc.Name, func(t *testing.T) {
			contact, id := start(t)
			res := reply(t, contact, tc.Text)
			require.True(t, res.Consumed)
			require.Len(t, res.Outbound, 1)
			assert.Contains(t, []survey.MessageKind{survey.KindReprompt, survey.KindCommentRequest}, res.Outbound[0].Kind)
			got, err := st.Load(ctx, "t", id)
			require.NoError(t, err)
			for _, u := range got.Unparsed() {
				assert.True(t, utf8.ValidString(u), "stored reply is valid UTF-8")
			}
			if res.Outbound[0].Kind == survey.KindReprompt {
				require.Len(t, got.Unparsed(), 1)
				assert.Equal(t, strings.ToValidUTF8(tc.Text, "\uFFFD"), got.Unparsed()[0], "the unparsed reply is kept as sent")
			}
		})
		t.Run("as a comment: "+tc.Name, func(t *testing.T) {
			contact, id := start(t)
			require.Equal(t, survey.KindCommentRequest, reply(t, contact, "4").Outbound[0].Kind)
			res := reply(t, contact, tc.Text)
			require.True(t, res.Consumed)
			got, err := st.Load(ctx, "t", id)
			require.NoError(t, err)
			assert.Equal(t, survey.StateCompleted, got.State)
			assert.Equal(t, strings.ToValidUTF8(tc.Text, "\uFFFD"), got.Comment, "the comment is kept, invalid bytes replaced")
			assert.False(t, got.CommentTruncated)
		})
	}
	t.Run("a 1 MB comment is kept up to the limit and flagged", func(t *testing.T) {
		contact, id := start(t)
		reply(t, contact, "5")
		huge := strings.Repeat("ñ<b>", 256*1024) // 1 MB
		reply(t, contact, huge)
		got, err := st.Load(ctx, "t", id)
		require.NoError(t, err)
		assert.True(t, got.CommentTruncated, "cut, and flagged as cut")
		assert.Equal(t, limit, utf8.RuneCountInString(got.Comment))
		assert.True(t, strings.HasPrefix(huge, got.Comment), "the kept part is the start of the comment")
	})
	t.Run("a 1 MB rating reply is kept up to the limit", func(t *testing.T) {
		contact, id := start(t)
		res := reply(t, contact, strings.Repeat("why? ", 200*1024))
		require.Equal(t, survey.KindReprompt, res.Outbound[0].Kind)
		got, err := st.Load(ctx, "t", id)
		require.NoError(t, err)
		require.Len(t, got.Unparsed(), 1)
		assert.Equal(t, limit, utf8.RuneCountInString(got.Unparsed()[0]))
	})
	t.Run("hostile names and IDs round-trip through the store", func(t *testing.T) {
		for i, tc := range HostileTexts {
			if tc.Text == "" || !utf8.ValidString(tc.Text) {
				continue // IDs must be non-empty; invalid UTF-8 is covered as text above
			}
			id := tc.Text
			if strings.Contains(id, "\x00") {
				id = fmt.Sprint(i) // IDs and groups with NUL: see RELIABILITY.md, known issues
			}
			conv := &survey.Conversation{TenantID: "t" + id, ID: "conv" + id, Channel: "whatsapp",
				Contact:      survey.Contact{ID: "contact" + id, Name: tc.Text, Language: tc.Text},
				Participants: []survey.Participant{{ID: "agent" + id, Name: tc.Text, Kind: survey.Human, Groups: []string{"group" + id}}},
				ClosedAt:     clock.Now().Add(time.Duration(i) * time.Second)}
			res, err := e.ConversationClosed(ctx, conv)
			require.NoError(t, err, tc.Name)
			require.NotNil(t, res.Session, tc.Name)
			for _, o := range res.Outbound {
				assert.NotContains(t, o.Text, "\u202e", "%s: no bidi override reaches the contact", tc.Name)
				assert.NotContains(t, o.Text, "\x00", "%s: no NUL reaches the contact", tc.Name)
			}
			got, err := st.Load(ctx, conv.TenantID, res.Session.ID)
			require.NoError(t, err, tc.Name)
			assert.Equal(t, tc.Text, got.ContactName, tc.Name)
			assert.Equal(t, conv.ID, got.ConversationID, tc.Name)
			latest, err := st.Route(ctx, conv.TenantID, conv.Contact.ID, "whatsapp", "none")
			require.NoError(t, err, tc.Name)
			assert.Equal(t, res.Session.ID, latest.ID, tc.Name)
		}
	})
}

// ---------------------------------------------------------------------
// Tenant isolation at the engine's surface.
// ---------------------------------------------------------------------

// linkKeys are the test's signing keys (not secrets: tests only).
var linkKeys = []survey.LinkKey{{ID: "k1", Secret: []byte(strings.Repeat("reliability-key-1", 2))}}

// checkTenantIsolation sets up a rated and an open session in tenant
// "alpha" and then tries every engine call with tenant "beta" and alpha's
// IDs (as an attacker who guessed them): nothing of alpha's is returned or
// changed.
func checkTenantIsolation(t T, st survey.Store) {
	t.Helper()
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Links: signer,
		LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
		Surveys: []survey.Definition{{ID: "csat", Channels: []string{"email", "whatsapp"}}}})
	require.NoError(t, err)
	conv := func(tenant, id, contact, channel string) *survey.Conversation {
		return &survey.Conversation{TenantID: tenant, ID: id, Channel: channel, ClosedAt: relStart,
			Contact:      survey.Contact{ID: contact, Name: "Secret Name", Language: "en"},
			Participants: []survey.Participant{{ID: "ana", Name: "Ana", Kind: survey.Human, Groups: []string{"support"}}}}
	}
	// alpha: one rated with a comment (whatsapp), one open by e-mail.
	rated, err := e.ConversationClosed(ctx, conv("alpha", "c1", "maria", "whatsapp"))
	require.NoError(t, err)
	for i, text := range []string{"5", "alpha's private comment"} {
		_, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "alpha", ContactID: "maria", Channel: "whatsapp", MessageID: fmt.Sprint("a", i), Text: text})
		require.NoError(t, err)
	}
	open, err := e.ConversationClosed(ctx, conv("alpha", "c2", "maria", "email"))
	require.NoError(t, err)
	require.Len(t, open.Outbound, 1)
	token, err := signer.Sign("alpha", open.Session.ID, 4, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	snapshot := func() map[string]*survey.Session {
		m := map[string]*survey.Session{}
		for _, s := range sessionsOf(t, st, "alpha", "maria") {
			m[s.ID] = s
		}
		return m
	}
	before := snapshot()
	require.Len(t, before, 2)

	// beta guesses alpha's session IDs, contact, conversation and token.
	_, err = e.Review(ctx, survey.ReviewInput{TenantID: "beta", SessionID: rated.Session.ID, ReviewerID: "mallory", Score: 1})
	assert.ErrorIs(t, err, survey.ErrNotFound, "Review with another tenant's session ID")
	_, err = e.LastRating(ctx, "beta", "maria")
	assert.ErrorIs(t, err, survey.ErrNotFound, "LastRating of another tenant's contact")
	_, err = e.OpenLink(ctx, "beta", token)
	assert.ErrorIs(t, err, survey.ErrLinkWrongTenant, "OpenLink with another tenant's token")
	_, err = e.ConfirmLink(ctx, "beta", token)
	assert.ErrorIs(t, err, survey.ErrLinkWrongTenant, "ConfirmLink with another tenant's token")
	_, err = e.CommentViaLink(ctx, "beta", token, "mallory was here")
	assert.ErrorIs(t, err, survey.ErrLinkWrongTenant, "CommentViaLink with another tenant's token")
	forged, err := signer.Sign("beta", open.Session.ID, 1, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	_, err = e.ConfirmLink(ctx, "beta", forged)
	assert.ErrorIs(t, err, survey.ErrLinkClosed, "a valid beta token naming alpha's session finds nothing")
	res, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "beta", ContactID: "maria", Channel: "email", MessageID: "b1", Text: "1"})
	require.NoError(t, err)
	assert.False(t, res.Consumed, "beta's message never answers alpha's survey")
	_, err = e.ConversationReopened(ctx, conv("beta", "c2", "maria", "email"))
	require.NoError(t, err)
	dup, err := e.ConversationClosed(ctx, conv("beta", "c1", "maria", "whatsapp"))
	require.NoError(t, err)
	require.NotNil(t, dup.Session)
	assert.False(t, dup.Duplicate, "the same conversation ID in beta is beta's own conversation")
	assert.NotEqual(t, rated.Session.ID, dup.Session.ID)
	for tenant, want := range map[string]int64{"alpha": 1, "beta": 0} {
		src, ok := st.(report.Source)
		if !ok {
			break // a store without the read port: runRead checks that side
		}
		agg, err := report.Build(ctx, src, tenant, report.Options{Scale: scoring.CSAT5()})
		require.NoError(t, err)
		assert.Equal(t, want, agg.Overall.Count(), "%s: the store's report counts its own tenant only", tenant)
		if ana := agg.ByAgent.Get("ana"); want == 0 {
			assert.True(t, ana == nil || ana.Count() == 0, "%s: no agent response from another tenant", tenant)
		} else if assert.NotNil(t, ana, tenant) {
			assert.Equal(t, want, ana.Count(), "%s: per agent too", tenant)
		}
	}
	for _, s := range sessionsOf(t, st, "beta", "maria") {
		assert.Equal(t, "beta", s.TenantID)
		assert.NotEqual(t, "alpha's private comment", s.Comment)
	}
	hist, err := st.ContactHistory(ctx, "beta", "maria", time.Time{})
	require.NoError(t, err)
	assert.Len(t, hist, 1, "beta's history of maria is beta's only")
	if src, ok := st.(report.Source); ok {
		for s, err := range report.All(ctx, src, "beta", report.Filter{}) {
			require.NoError(t, err)
			assert.Equal(t, "beta", s.TenantID)
		}
	}
	// Beta's sessions expire in a sweep; alpha's open one expires too, but
	// by its own deadline — and nothing of alpha's changed before that.
	assert.Equal(t, before, snapshot(), "alpha's sessions untouched by beta's calls")
	clock.Advance(25 * time.Hour)
	sw, err := e.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, sw.Expired, "alpha's open survey and beta's own")
	after := snapshot()
	assert.Equal(t, before[rated.Session.ID], after[rated.Session.ID], "a sweep leaves a finished session alone")
	assert.Equal(t, survey.StateExpired, after[open.Session.ID].State)
}
