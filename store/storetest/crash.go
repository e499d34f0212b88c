package storetest

// The crash adversary: host processes that die. A host process is an
// engine on the store plus what it keeps in memory (the effects it sent
// and has yet to acknowledge); a crash throws both away and starts a new
// engine on the same store and the same clock. Hosts crash after an
// engine call returned and before they sent anything, halfway through
// sending what a call returned, between sending and acknowledging, inside
// Deliver's send callback, and just after a write of theirs committed. A
// ledger of every effect the engine decided checks, after every step, that
// an effect leaves a session's pending effects only by being sent or, a
// question of a survey that ended unanswered, by being withdrawn; at the
// end, after a clean drain, nothing is pending and nothing is lost.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// CrashConfig sizes checkCrashAdversary.
type CrashConfig struct {
	// Seeds is how many independent runs; run s uses seed FirstSeed+s.
	Seeds int
	// FirstSeed is the first run's seed.
	FirstSeed uint64
	// Steps is how many steps each run takes before its final drain.
	Steps int
	// Hosts is how many host processes are alive at once, each an engine
	// on the store; zero means two.
	Hosts int
	// Drainers is how many hosts a drain step runs Deliver on; above one
	// they run at once, on goroutines (the run is then no longer
	// reproducible step for step from its seed).
	Drainers int
	// FaultRate is the chance that a store call of a host fails: before
	// it runs, or, for a write, after it committed (a lost reply; on an
	// acknowledgement, a lost acknowledgement).
	FaultRate float64
	// Plan, when set, picks each step's action in turn (one byte a step,
	// cycled) instead of the seed; the seed still decides the rest. A
	// fuzzer writes plans.
	Plan []byte
}

// CrashFigures count what the crash adversary did and what it found.
type CrashFigures struct {
	Seeds, Steps, Sessions int
	// Decided counts the effects the engine decided (distinct keys).
	Decided int
	// Delivered counts the decided effects the hosts sent at least once.
	Delivered int
	// Redelivered counts the sends of an effect after its first.
	Redelivered int
	// Withdrawn counts the questions never sent because their survey
	// ended unanswered first.
	Withdrawn int
	// Lost counts the decided effects neither sent nor withdrawn: zero,
	// or the check failed.
	Lost int
	// HandedOut counts what Deliver handed out; Drains its calls, and
	// Concurrent the drain steps that ran more than one at once.
	HandedOut, Drains, Concurrent int
	// The crashes, by where the host died: after an engine call returned
	// (nothing sent), halfway through sending a call's effects, after
	// sending and before the acknowledgement (inline or in Deliver's
	// callback), in Deliver's callback before sending, just after a
	// write committed (the call's result never seen), and while idle
	// (with acknowledgements still to make).
	AfterCall, MidSend, BeforeAck, InDeliver, AfterCommit, Idle int
	// LostAcks counts acknowledgements that committed while the host was
	// told they failed.
	LostAcks int
	// Faults counts the store faults injected (crashes included).
	Faults int
}

// String gives the effect figures, then what the run did, on one line.
func (f CrashFigures) String() string {
	return fmt.Sprintf("effects: decided %d, delivered %d, redelivered %d, withdrawn %d, lost %d "+
		"(seeds %d × steps %d, sessions %d, drains %d (%d steps of several at once), handed out %d; crashes: after the call %d, mid-send %d, "+
		"before the ack %d, in Deliver %d, after a commit %d, idle %d; lost acks %d, faults %d)",
		f.Decided, f.Delivered, f.Redelivered, f.Withdrawn, f.Lost,
		f.Seeds, f.Steps, f.Sessions, f.Drains, f.Concurrent, f.HandedOut, f.AfterCall, f.MidSend,
		f.BeforeAck, f.InDeliver, f.AfterCommit, f.Idle, f.LostAcks, f.Faults)
}

// Crashes is the number of host crashes of every kind.
func (f CrashFigures) Crashes() int {
	return f.AfterCall + f.MidSend + f.BeforeAck + f.InDeliver + f.AfterCommit + f.Idle
}

// checkCrashAdversary runs cfg.Seeds crash adversary runs, each on a store
// from fresh, and returns the figures of all of them. Each run drives a
// random workload — closes on chat and e-mail, their retries, reopens,
// replies (scores, low scores that raise alerts, comments, re-prompts,
// changes of the rating in one seed in four, reasons in another),
// confirmations and comments on the rating page, supervisors' reviews,
// sweeps of delayed surveys and expiries, and drains (Engine.Deliver) —
// through host
// processes that send what calls return and acknowledge it
// (Result.Keys, Engine.Acknowledge), or throw it away, and that crash at
// every point between the engine's write and the acknowledgement. The
// clock passes DefaultDeliverLease now and then, so that the claims of
// crashed drainers lapse.
//
// Checked after every step, on the sessions as stored:
//   - an effect leaves a session's pending effects only when a host sent
//     it, or when it is a question of a survey that ended unanswered
//     (expired, unanswered, cancelled): withdrawn, never a notification;
//   - no such survey holds a pending question, and Deliver never hands
//     one out, nor a withdrawn effect;
//   - an effect a host acknowledged is never pending or handed out again;
//   - every key has one content, wherever it appears (a call's result,
//     its replay, a sweep, Deliver, the stored pending effects).
//
// At the end (faults off, the leases run out, every deadline passed, one
// clean drain): no session holds a pending effect, and every effect the
// engine decided was sent at least once or withdrawn.
func checkCrashAdversary(t *testing.T, fresh func(t *testing.T) survey.Store, cfg CrashConfig) CrashFigures {
	t.Helper()
	var total CrashFigures
	eachSeed(t, cfg.Seeds, cfg.FirstSeed, func(t *testing.T, seed uint64) {
		sumCounts(&total, runCrashAdversary(t, fresh(t), cfg, seed))
	})
	return total
}

// crashHost is one host process: an engine and what it keeps in memory.
// Only the goroutine that drives it touches it.
type crashHost struct {
	e      *survey.Engine
	faulty *surveytest.FaultyStore
	rng    *rand.Rand
	// dead: the process crashed; every store call it still makes fails
	// before it reaches the store.
	dead bool
	// dieAfterCommit: the process dies just after its next write commits.
	dieAfterCommit bool
	// acking: the host is acknowledging (inline, or Deliver after its
	// sends), for counting lost acknowledgements.
	acking bool
	// unacked are the effects it sent inline and has yet to acknowledge.
	unacked []ackBatch
	// lostAcks and afterCommit count what its store calls met.
	lostAcks, afterCommit int
}

// ackBatch is what one Acknowledge call acknowledges.
type ackBatch struct {
	tenant, session string
	keys            []string
}

// crashConv is a conversation the crash adversary closed.
type crashConv struct {
	id, contact, channel string
	closedAt             time.Time
	reopened             bool
}

// crashAdversary is one run's world.
type crashAdversary struct {
	t        *testing.T
	rng      *rand.Rand
	cfg      CrashConfig
	clock    *surveytest.Clock
	st       survey.Store
	def      survey.Definition
	signer   *survey.LinkSigner
	hosts    []*crashHost
	contacts []string
	convs    []*crashConv
	msgs     []*survey.Inbound
	faults   bool // store faults on (off for the final drain)

	mu        sync.Mutex        // guards what drainers on goroutines share below
	content   map[string]string // key → its content, as first seen
	question  map[string]bool   // key → the effect asks the contact something
	sends     map[string]int    // key → how often a host sent it
	acked     map[string]bool   // keys an Acknowledge, or a Deliver, returned no error for
	withdrawn map[string]bool   // questions dropped unsent as their survey ended
	problems  []string
	phase     map[string]int // key → the drainer that handed it out in this drain step

	pending map[string]string // the last check's pending keys → session ID
	ids     []string          // the last check's sessions
	email   []string          // the last check's e-mail sessions
	fig     CrashFigures
	log     []string
}

func runCrashAdversary(t *testing.T, st survey.Store, cfg CrashConfig, seed uint64) CrashFigures {
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	a := &crashAdversary{
		t: t, rng: rand.New(rand.NewPCG(seed, 0xc7a5)), cfg: cfg, clock: surveytest.NewClock(relStart), st: st,
		signer: signer, contacts: []string{"ana", "ben", "cleo"}, faults: true,
		content: map[string]string{}, question: map[string]bool{}, sends: map[string]int{},
		acked: map[string]bool{}, withdrawn: map[string]bool{}, pending: map[string]string{},
		fig: CrashFigures{Seeds: 1},
	}
	a.def = deliverySurvey
	a.def.Languages = []string{"en"} // every crash starts an engine: compile one language, not the catalog
	switch seed % 3 {
	case 0:
		a.def.SendDelay = 30 * time.Minute // the sweeps send them
	case 1:
		a.def.Reminder = &survey.Reminder{After: 4 * time.Hour} // the sweeps remind who has not answered
	}
	switch seed % 4 {
	case 1:
		a.def.Reasons = survey.DefaultReasons(1, 2) // a low score asks why
	case 2:
		a.def.ChangeWindow = 3 * 24 * time.Hour // later scores change the rating
	}
	if seed%2 == 0 {
		a.def.FollowUps = survey.BandFollowUps(scoring.CSAT5()) // the follow-up depends on the score
	}
	hosts := cfg.Hosts
	if hosts <= 0 {
		hosts = 2
	}
	for range hosts {
		a.hosts = append(a.hosts, a.newHost())
	}
	for range cfg.Steps {
		a.step()
		a.check()
		if a.stopped() {
			return a.fig
		}
	}
	a.finish()
	return a.fig
}

// newHost starts a host process: a new engine on the store.
func (a *crashAdversary) newHost() *crashHost {
	h := &crashHost{rng: rand.New(rand.NewPCG(a.rng.Uint64(), a.rng.Uint64()))}
	h.faulty = surveytest.NewFaultyStore(a.st, func(op string, _ int) surveytest.Fault { return a.fault(h, op) })
	e, err := survey.New(survey.Config{Store: h.faulty.Engine(), Clock: a.clock, Surveys: []survey.Definition{a.def},
		Links: a.signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok }})
	require.NoError(a.t, err)
	h.e = e
	return h
}

// fault decides the fate of one store call of h.
func (a *crashAdversary) fault(h *crashHost, op string) surveytest.Fault {
	if h.dead {
		return surveytest.FailBefore
	}
	write := op == "Create" || op == "Update" || op == "UpdateRouted"
	if write && h.dieAfterCommit {
		h.dieAfterCommit, h.dead = false, true
		h.afterCommit++
		return surveytest.FailAfter
	}
	if !a.faults || a.cfg.FaultRate <= 0 || h.rng.Float64() >= a.cfg.FaultRate {
		return surveytest.NoFault
	}
	if write && h.rng.IntN(2) == 0 {
		if h.acking {
			h.lostAcks++
		}
		return surveytest.FailAfter
	}
	return surveytest.FailBefore
}

func (a *crashAdversary) logf(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = append(a.log, fmt.Sprintf(format, args...))
}

// problem records a broken promise; the run stops at the end of the step.
// Drainers on goroutines call it, so it never stops the test itself.
func (a *crashAdversary) problem(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.problems = append(a.problems, fmt.Sprintf(format, args...))
}

// stopped fails the test with the run's history if a promise broke.
func (a *crashAdversary) stopped() bool {
	a.t.Helper()
	if len(a.problems) == 0 {
		return false
	}
	tail := a.log
	if len(tail) > 80 {
		tail = tail[len(tail)-80:]
	}
	a.t.Fatalf("%s\nlast steps:\n  %s", strings.Join(a.problems, "\n"), strings.Join(tail, "\n  "))
	return true
}

// host picks one of the live host processes.
func (a *crashAdversary) host() (int, *crashHost) {
	i := a.rng.IntN(len(a.hosts))
	return i, a.hosts[i]
}

// bury replaces host i if it crashed: a new engine on the same store and
// clock, with nothing of the old process's memory.
func (a *crashAdversary) bury(i int) {
	h := a.hosts[i]
	a.fig.LostAcks += h.lostAcks
	a.fig.AfterCommit += h.afterCommit
	a.fig.Faults += h.faulty.Injected
	h.lostAcks, h.afterCommit, h.faulty.Injected = 0, 0, 0
	if h.dead {
		a.logf("host %d crashed; a new one starts", i)
		a.hosts[i] = a.newHost()
	}
}

// crashActions are a step's actions, picked by weight (out of 100).
var crashActions = []struct {
	weight int
	act    func(a *crashAdversary)
}{
	{14, (*crashAdversary).closeNew},
	{4, (*crashAdversary).retryClose},
	{4, (*crashAdversary).reopen},
	{3, (*crashAdversary).recloseReopened},
	{22, (*crashAdversary).reply},
	{2, (*crashAdversary).review},
	{6, (*crashAdversary).confirmLink},
	{3, (*crashAdversary).commentLink},
	{12, (*crashAdversary).drain},
	{5, (*crashAdversary).flushAcks},
	{3, (*crashAdversary).crashIdle},
	{12, (*crashAdversary).advance},
	{10, (*crashAdversary).sweep},
}

func (a *crashAdversary) step() {
	a.fig.Steps++
	pick := a.rng.IntN(100)
	if len(a.cfg.Plan) > 0 {
		pick = int(a.cfg.Plan[(a.fig.Steps-1)%len(a.cfg.Plan)]) % 100
	}
	for _, x := range crashActions {
		if pick < x.weight {
			x.act(a)
			return
		}
		pick -= x.weight
	}
}

// call runs one engine call on host i, maybe arranging for the process to
// die just after the call's write commits. An error is allowed only when a
// store fault was injected during the call (a crash is one), or when it is
// one of allowed.
func (a *crashAdversary) call(i int, what string, f func(e *survey.Engine) (*survey.Result, error), allowed ...error) *survey.Result {
	h := a.hosts[i]
	h.dieAfterCommit = a.faults && h.rng.IntN(12) == 0
	before := h.faulty.Injected
	res, err := f(h.e)
	h.dieAfterCommit = false
	a.logf("%s on host %d: %s", what, i, describe(res, err))
	switch {
	case err == nil:
	case h.faulty.Injected > before:
		return nil
	case slices.ContainsFunc(allowed, func(e error) bool { return errors.Is(err, e) }):
		return nil
	default:
		a.problem("%s on host %d failed with no store fault: %v", what, i, err)
		return nil
	}
	a.take(res.Outbound, res.Notifications)
	a.take(res.Replay, res.ReplayNotifications)
	if res.Session != nil {
		keys := res.Keys()
		if want := effectsOf(res.Outbound, res.Notifications); !slices.Equal(keys, keysOf(want)) {
			a.problem("%s: Result.Keys is %v, its effects' keys %v", what, keys, keysOf(want))
		}
	}
	return res
}

// take records what a call or sweep returned.
func (a *crashAdversary) take(outs []survey.Outbound, notes []survey.Notification) {
	for _, f := range effectsOf(outs, notes) {
		a.decided(f, "returned")
	}
}

// decided records an effect seen at where, and checks that its key has
// one content.
func (a *crashAdversary) decided(f survey.Effect, where string) {
	content := effectContent(f)
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.content[f.Key]; ok && old != "" && old != content {
		a.problems = append(a.problems, fmt.Sprintf("effect %s %s with another content:\n  first %s\n  now   %s", f.Key, where, old, content))
		return
	}
	a.content[f.Key] = content
	a.question[f.Key] = isQuestion(&f)
}

// decidedKey records that an effect keyed key was decided (stored
// pending), whatever it says.
func (a *crashAdversary) decidedKey(key string, question bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.content[key]; !ok {
		a.content[key], a.question[key] = "", question // its content is checked when it is sent
	}
}

// sent records that a host sent an effect to the contact or its users.
func (a *crashAdversary) sent(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sends[key]++
}

// handle is what host i does with the effects a call or a sweep returned
// to it: throw them away, crash before sending, crash halfway, crash
// after sending, or send them and acknowledge them at once or later.
func (a *crashAdversary) handle(i int, effects []survey.Effect) {
	h := a.hosts[i]
	if len(effects) == 0 || h.dead {
		a.bury(i)
		return
	}
	switch r := h.rng.IntN(100); {
	case r < 12: // thrown away: Deliver sends them
		a.logf("host %d throws %d effects away", i, len(effects))
	case r < 22:
		h.dead = true
		a.fig.AfterCall++
	case r < 32:
		n := h.rng.IntN(len(effects))
		for _, f := range effects[:n] {
			a.sent(f.Key)
		}
		h.dead = true
		a.fig.MidSend++
		a.logf("host %d sent %d of %d effects and crashed", i, n, len(effects))
	case r < 40:
		for _, f := range effects {
			a.sent(f.Key)
		}
		h.dead = true
		a.fig.BeforeAck++
	default:
		for _, f := range effects {
			a.sent(f.Key)
		}
		h.unacked = append(h.unacked, batches(effects)...)
		if r < 70 {
			a.acknowledge(i)
		}
	}
	a.bury(i)
}

// acknowledge makes host i acknowledge what it sent; a batch whose
// acknowledgement fails stays for a later try (or for Deliver, if the
// host crashes first).
func (a *crashAdversary) acknowledge(i int) {
	h := a.hosts[i]
	var left []ackBatch
	for _, b := range h.unacked {
		if h.dead {
			break
		}
		h.acking = true
		err := h.e.Acknowledge(context.Background(), b.tenant, b.session, b.keys...)
		h.acking = false
		if err != nil {
			a.logf("host %d: acknowledge %v: %v", i, b.keys, err)
			if !errors.Is(err, surveytest.ErrInjected) {
				a.problem("acknowledge %v of %s failed with no store fault: %v", b.keys, b.session, err)
			}
			left = append(left, b)
			continue
		}
		a.mu.Lock()
		for _, k := range b.keys {
			a.acked[k] = true
		}
		a.mu.Unlock()
	}
	h.unacked = left
}

func (a *crashAdversary) flushAcks() {
	i, _ := a.host()
	a.acknowledge(i)
	a.bury(i)
}

// crashIdle kills a host between calls, with what it has yet to
// acknowledge.
func (a *crashAdversary) crashIdle() {
	i, h := a.host()
	h.dead = true
	a.fig.Idle++
	a.logf("host %d crashes idle with %d batches unacknowledged", i, len(h.unacked))
	a.bury(i)
}

func (a *crashAdversary) closeNew() {
	c := &crashConv{id: fmt.Sprintf("conv-%d", len(a.convs)+1), contact: a.contacts[a.rng.IntN(len(a.contacts))],
		channel: []string{"whatsapp", "email"}[a.rng.IntN(2)]}
	a.convs = append(a.convs, c)
	a.closeConv(c, "close")
}

// closeConv delivers a close of c now.
func (a *crashAdversary) closeConv(c *crashConv, what string) {
	c.closedAt, c.reopened = a.clock.Now(), false
	a.sendClose(c, what)
}

func (a *crashAdversary) sendClose(c *crashConv, what string) {
	conv := closedConversation(c.id, c.contact, c.closedAt)
	conv.Channel = c.channel
	i, _ := a.host()
	res := a.call(i, what+" "+c.id+" on "+c.channel, func(e *survey.Engine) (*survey.Result, error) {
		return e.ConversationClosed(context.Background(), conv)
	})
	a.handleResult(i, res)
}

func (a *crashAdversary) handleResult(i int, res *survey.Result) {
	if res == nil {
		a.bury(i)
		return
	}
	a.handle(i, effectsOf(res.Outbound, res.Notifications))
}

// closed picks a conversation that was closed (and, unless reopened is
// set, not reopened since), or nil.
func (a *crashAdversary) closed(reopened bool) *crashConv {
	var list []*crashConv
	for _, c := range a.convs {
		if c.reopened == reopened {
			list = append(list, c)
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[a.rng.IntN(len(list))]
}

func (a *crashAdversary) retryClose() {
	if c := a.closed(false); c != nil {
		a.sendClose(c, "retry close")
	}
}

func (a *crashAdversary) recloseReopened() {
	if c := a.closed(true); c != nil {
		a.clock.Advance(time.Minute)
		a.closeConv(c, "reclose")
	}
}

func (a *crashAdversary) reopen() {
	c := a.closed(false)
	if c == nil {
		return
	}
	i, _ := a.host()
	conv := closedConversation(c.id, c.contact, a.clock.Now())
	conv.Channel = c.channel
	res := a.call(i, "reopen "+c.id, func(e *survey.Engine) (*survey.Result, error) {
		return e.ConversationReopened(context.Background(), conv)
	})
	if res != nil {
		c.reopened = true
	}
	a.handleResult(i, res)
}

// crashTexts are what contacts write: scores (low ones raise alerts, and
// answer the reason question), a reply that is no score, a comment.
var crashTexts = []string{"1", "2", "3", "4", "5", "no idea", "the agent was kind"}

func (a *crashAdversary) reply() {
	var in *survey.Inbound
	if len(a.msgs) > 0 && a.rng.IntN(6) == 0 {
		m := *a.msgs[a.rng.IntN(len(a.msgs))] // the channel delivers it again
		in = &m
	} else {
		in = reply(a.contacts[a.rng.IntN(len(a.contacts))], fmt.Sprintf("wamid.%d", len(a.msgs)+1),
			crashTexts[a.rng.IntN(len(crashTexts))], time.Time{})
		if a.rng.IntN(3) == 0 {
			in.Channel = "email"
		}
		a.msgs = append(a.msgs, in)
	}
	i, _ := a.host()
	res := a.call(i, fmt.Sprintf("reply %s %q by %s on %s", in.MessageID, in.Text, in.ContactID, in.Channel),
		func(e *survey.Engine) (*survey.Result, error) {
			m := *in
			return e.HandleMessage(context.Background(), &m)
		})
	a.handleResult(i, res)
}

// linkErrors are what the rating page may rightly be told.
var linkErrors = []error{survey.ErrLinkUsed, survey.ErrLinkClosed, survey.ErrLinkExpired}

// token signs a link to one of the e-mail surveys for value, or returns "".
func (a *crashAdversary) token(value int) string {
	if len(a.email) == 0 {
		return ""
	}
	tok, err := a.signer.Sign("acme", a.email[a.rng.IntN(len(a.email))], value, a.clock.Now().Add(72*time.Hour))
	require.NoError(a.t, err)
	return tok
}

func (a *crashAdversary) confirmLink() {
	value := 1 + a.rng.IntN(5)
	tok := a.token(value)
	if tok == "" {
		return
	}
	as := 1 + a.rng.IntN(5)
	i, _ := a.host()
	res := a.call(i, fmt.Sprintf("confirm link %d as %d", value, as), func(e *survey.Engine) (*survey.Result, error) {
		if as == value {
			return e.ConfirmLink(context.Background(), "acme", tok)
		}
		return e.ConfirmLinkAs(context.Background(), "acme", tok, as)
	}, linkErrors...)
	a.handleResult(i, res)
}

func (a *crashAdversary) commentLink() {
	tok := a.token(1 + a.rng.IntN(5))
	if tok == "" {
		return
	}
	i, _ := a.host()
	res := a.call(i, "comment on the page", func(e *survey.Engine) (*survey.Result, error) {
		return e.CommentViaLink(context.Background(), "acme", tok, "written on the rating page")
	}, linkErrors...)
	a.handleResult(i, res)
}

// review has a supervisor review a session: the agents hear of it.
func (a *crashAdversary) review() {
	if len(a.ids) == 0 {
		return
	}
	in := survey.ReviewInput{TenantID: "acme", SessionID: a.ids[a.rng.IntN(len(a.ids))], ReviewerID: "lead", Score: 1 + a.rng.IntN(5)}
	i, _ := a.host()
	res := a.call(i, fmt.Sprintf("review %.8s as %d", in.SessionID, in.Score), func(e *survey.Engine) (*survey.Result, error) {
		return e.Review(context.Background(), in)
	})
	a.handleResult(i, res)
}

func (a *crashAdversary) advance() {
	d := time.Duration(1+a.rng.IntN(90)) * time.Minute
	switch a.rng.IntN(4) {
	case 0:
		d = survey.DefaultDeliverLease + time.Second // past the claims of crashed drainers
	case 1:
		d = time.Duration(1+a.rng.IntN(8)) * time.Hour
	}
	a.clock.Advance(d)
	a.logf("advance %v", d)
}

func (a *crashAdversary) sweep() {
	i, h := a.host()
	h.dieAfterCommit = a.faults && h.rng.IntN(12) == 0
	before := h.faulty.Injected
	res, err := h.e.Sweep(context.Background())
	h.dieAfterCommit = false
	a.logf("sweep on host %d: sent %d expired %d err %v", i, res.Sent, res.Expired, err)
	if err != nil && h.faulty.Injected == before {
		a.problem("sweep on host %d failed with no store fault: %v", i, err)
	}
	a.take(res.Outbound, nil)
	a.handle(i, effectsOf(res.Outbound, nil))
}

// drain runs Deliver on one or more hosts, on goroutines when more than
// one; their send callbacks fail now and then, and crash.
func (a *crashAdversary) drain() {
	n := 1 + a.rng.IntN(max(a.cfg.Drainers, 1))
	picked := a.rng.Perm(len(a.hosts))[:min(n, len(a.hosts))]
	opts := make([]survey.DeliverOptions, len(picked))
	for k := range picked {
		if a.rng.IntN(2) == 0 {
			opts[k].MinAge = time.Minute // a host that sends inline leaves the newest to its calls
		}
		opts[k].Limit = []int{0, 0, 1, 3}[a.rng.IntN(4)]
	}
	a.phase = map[string]int{}
	if len(picked) == 1 {
		a.deliver(picked[0], opts[0], a.faults)
	} else {
		a.fig.Concurrent++
		var wg sync.WaitGroup
		for k, i := range picked {
			wg.Go(func() { a.deliver(i, opts[k], a.faults) })
		}
		wg.Wait()
	}
	for _, i := range picked {
		a.bury(i)
	}
}

// errChannel is a send the channel refused.
var errChannel = errors.New("crash adversary: the channel refused the send")

// deliver runs one Deliver on host i. With crashes on, its callback
// sometimes fails the send, and sometimes kills the host: before sending,
// or after sending and before Deliver can acknowledge. It returns how
// many effects the callback accepted and what Deliver returned; when
// Deliver returned no error, what the callback accepted counts as
// acknowledged.
func (a *crashAdversary) deliver(i int, opts survey.DeliverOptions, crashes bool) (int, *survey.DeliverResult) {
	h := a.hosts[i]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var handed, crashedIn, crashedAfter int
	var accepted []string
	send := func(ctx context.Context, f survey.Effect) error {
		handed++
		a.handedOut(i, f)
		r := 100
		if crashes {
			r = h.rng.IntN(100)
		}
		switch {
		case r < 3:
			h.dead = true
			crashedIn++
			cancel()
			return context.Canceled
		case r < 6:
			a.sent(f.Key)
			h.dead = true
			crashedAfter++
			cancel()
			return nil
		case r < 12:
			return errChannel
		}
		a.sent(f.Key)
		accepted = append(accepted, f.Key)
		return nil
	}
	h.acking = true
	before := h.faulty.Injected
	res, err := h.e.Deliver(ctx, send, opts)
	h.acking = false
	a.logf("deliver on host %d (min age %v, limit %d): handed out %d, delivered %d, failed %d, err %v",
		i, opts.MinAge, opts.Limit, handed, res.Delivered, res.Failed, err)
	if err != nil && !h.dead && h.faulty.Injected == before {
		a.problem("deliver on host %d failed with no store fault: %v", i, err)
	}
	a.mu.Lock()
	if err == nil && !h.dead {
		for _, k := range accepted { // Deliver acknowledged what its callback took
			a.acked[k] = true
		}
	}
	a.fig.Drains++
	a.fig.HandedOut += handed
	a.fig.InDeliver += crashedIn
	a.fig.BeforeAck += crashedAfter
	a.mu.Unlock()
	return len(accepted), res
}

// handedOut checks one effect Deliver on host i handed out.
func (a *crashAdversary) handedOut(i int, f survey.Effect) {
	a.decided(f, "handed out by Deliver")
	a.mu.Lock()
	acked, withdrawn := a.acked[f.Key], a.withdrawn[f.Key]
	other, twice := a.phase[f.Key]
	a.phase[f.Key] = i
	a.mu.Unlock()
	switch {
	case twice:
		// The clock stands still during a drain step, so no claim lapses:
		// each session's effects go to one drainer, once.
		a.problem("Deliver handed out %s on host %d and again on host %d in one drain step", f.Key, other, i)
	case acked:
		a.problem("Deliver handed out %s, which a host acknowledged", f.Key)
	case withdrawn:
		a.problem("Deliver handed out %s, which was withdrawn", f.Key)
	}
	if !isQuestion(&f) {
		return
	}
	s, err := a.st.Load(context.Background(), f.Message.TenantID, f.Message.SessionID)
	switch {
	case err != nil:
		a.problem("Deliver handed out %s of session %s, which does not load: %v", f.Key, f.Message.SessionID, err)
	case endedUnanswered(s.State), isReminder(f.Key) && len(s.Turns) > 0:
		a.problem("Deliver handed out the question %s of session %s, which is %s", f.Key, s.ID, s.State)
	}
}

// check looks at every stored session after a step.
func (a *crashAdversary) check() {
	a.t.Helper()
	pending := map[string]string{}
	states := map[string]survey.State{}
	replied := map[string]bool{} // the contact replied: a reminder is withdrawn
	a.ids, a.email = a.ids[:0], a.email[:0]
	for _, s := range sessionsOf(a.t, a.st, "acme", a.contacts...) {
		states[s.ID], replied[s.ID] = s.State, len(s.Turns) > 0
		a.ids = append(a.ids, s.ID)
		if s.Channel == "email" {
			a.email = append(a.email, s.ID)
		}
		for _, f := range s.Pending {
			question := isQuestionKind(survey.MessageKind(f.Kind))
			if _, seen := a.pending[f.Key]; !seen {
				// A stored effect is a reference to what decided it: what
				// it says when it is sent, Deliver's hand-out checks.
				a.decidedKey(f.Key, question)
			}
			pending[f.Key] = s.ID
			switch {
			case a.acked[f.Key]:
				a.problem("%s is pending in session %s after a host acknowledged it", f.Key, s.ID)
			case question && endedUnanswered(s.State):
				a.problem("the question %s is still pending in session %s, which is %s", f.Key, s.ID, s.State)
			}
		}
	}
	for key, id := range a.pending {
		if _, ok := pending[key]; ok || a.sends[key] > 0 {
			continue
		}
		if a.question[key] && (endedUnanswered(states[id]) || isReminder(key) && replied[id]) {
			a.withdrawn[key] = true
			continue
		}
		a.fig.Lost++
		a.problem("%s left the pending effects of session %s (%s) unsent and not withdrawn", key, id, states[id])
	}
	a.pending = pending
}

// finish turns the faults off, lets every deadline pass with sweeps on a
// host that throws their results away, waits out every claim, drains once
// cleanly and checks that nothing is pending and nothing was lost.
func (a *crashAdversary) finish() {
	a.t.Helper()
	a.faults = false
	a.logf("finish")
	for i := range a.hosts {
		a.bury(i)
		a.hosts[i] = a.newHost() // every process restarts
	}
	for range 3 {
		a.clock.Advance(30 * time.Hour)
		res, err := a.hosts[0].e.Sweep(context.Background())
		require.NoError(a.t, err)
		a.take(res.Outbound, nil)
		a.check()
	}
	a.clock.Advance(survey.DefaultDeliverLease + time.Second)
	a.phase = map[string]int{}
	accepted, res := a.deliver(0, survey.DeliverOptions{}, false)
	if res.Failed != 0 || res.Delivered != accepted {
		a.problem("the final drain sent %d effects and reports %d delivered, %d failed", accepted, res.Delivered, res.Failed)
	}
	a.check()
	if a.stopped() {
		return
	}
	all := sessionsOf(a.t, a.st, "acme", a.contacts...)
	a.fig.Sessions = len(all)
	for _, s := range all {
		if len(s.Pending) > 0 {
			a.problem("session %s (%s) still holds %d pending effects after the final drain", s.ID, s.State, len(s.Pending))
		}
	}
	for key := range a.content {
		switch n := a.sends[key]; {
		case n > 0 && a.withdrawn[key]:
			a.problem("%s was withdrawn and sent", key)
		case n > 0:
			a.fig.Delivered++
			a.fig.Redelivered += n - 1
		case a.withdrawn[key]:
			if !a.question[key] {
				a.problem("%s, no question, was withdrawn", key)
			}
			a.fig.Withdrawn++
		default:
			a.fig.Lost++
			a.problem("%s was decided and never sent", key)
		}
	}
	a.fig.Decided = len(a.content)
	for i := range a.hosts {
		a.bury(i)
	}
	a.stopped()
}

// effectsOf lists a result's messages and notifications as effects, in
// the order Result.Keys gives their keys.
func effectsOf(outs []survey.Outbound, notes []survey.Notification) []survey.Effect {
	list := make([]survey.Effect, 0, len(outs)+len(notes))
	for _, o := range outs {
		list = append(list, survey.Effect{Key: o.IdempotencyKey, Message: o})
	}
	for _, n := range notes {
		list = append(list, survey.Effect{Key: n.IdempotencyKey, Notification: n})
	}
	return list
}

func keysOf(effects []survey.Effect) []string {
	keys := make([]string, len(effects))
	for i, f := range effects {
		keys[i] = f.Key
	}
	return keys
}

// batches groups effects by session, one acknowledgement each.
func batches(effects []survey.Effect) []ackBatch {
	var out []ackBatch
	for _, f := range effects {
		tenant, session := f.Message.TenantID, f.Message.SessionID
		if !f.IsMessage() {
			tenant, session = f.Notification.TenantID, f.Notification.SessionID
		}
		k := slices.IndexFunc(out, func(b ackBatch) bool { return b.tenant == tenant && b.session == session })
		if k < 0 {
			out = append(out, ackBatch{tenant: tenant, session: session})
			k = len(out) - 1
		}
		out[k].keys = append(out[k].keys, f.Key)
	}
	return out
}

// effectContent is what an effect says, as JSON: what a host sends.
func effectContent(f survey.Effect) string {
	var b []byte
	var err error
	if f.IsMessage() {
		b, err = json.Marshal(f.Message)
	} else {
		b, err = json.Marshal(f.Notification)
	}
	if err != nil {
		return "unencodable: " + err.Error()
	}
	return string(b)
}

// isQuestion reports whether the effect asks the contact something the
// survey waits for: what a survey that ends unanswered withdraws.
func isQuestion(f *survey.Effect) bool { return isQuestionKind(f.Message.Kind) }

// isQuestionKind reports whether a message of kind asks the contact
// something the survey waits for.
func isQuestionKind(kind survey.MessageKind) bool {
	switch kind {
	case survey.KindRatingRequest, survey.KindReprompt, survey.KindReasonRequest, survey.KindCommentRequest, survey.KindReminder:
		return true
	}
	return false
}

// isReminder reports whether key is a reminder's: withdrawn, too, once the
// contact replied anything.
func isReminder(key string) bool { return strings.Contains(key, "/"+string(survey.KindReminder)+"/") }

// endedUnanswered reports whether a session in state ended without the
// answers it waited for.
func endedUnanswered(state survey.State) bool {
	return state == survey.StateExpired || state == survey.StateUnanswered || state == survey.StateCancelled
}
