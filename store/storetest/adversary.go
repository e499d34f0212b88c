package storetest

// The delivery adversary: engines with skewed clocks share one store while
// an adversary plays the channels and the machines. It delays, duplicates
// and reorders every delivery, loses the store's replies after commit,
// retries closes with and without their time, reopens conversations while
// delayed sends are due, and sweeps on every engine. After every step it
// checks the exactly-once promises against a ledger of what the host was
// told; at the end it drains every retry and checks that every session
// ended and every rating's notifications reached the host.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// AdversaryConfig sizes checkDeliveryAdversary.
type AdversaryConfig struct {
	// Seeds is how many independent runs; run s uses seed FirstSeed+s.
	Seeds int
	// FirstSeed is the first run's seed.
	FirstSeed uint64
	// Steps is how many adversary steps each run takes before it drains.
	Steps int
	// Engines share the store, each with its own clock.
	Engines int
	// MaxSkew bounds how far each engine's clock is off the true time
	// (each is told, through Config.MaxClockSkew).
	MaxSkew time.Duration
	// FaultRate is the chance that a store call fails: half before it
	// runs, half after it commits (the reply is lost).
	FaultRate float64
}

// AdversaryFigures count what the adversary did and what it found.
type AdversaryFigures struct {
	Seeds, Steps                      int
	Closes, CloseRetries, Reopens     int
	Messages, Deliveries, Redelivered int
	Sweeps, Faults, FailedCalls       int
	Applied                           int // messages the store applied, each in one session
	CleanAnswers                      int // answers the rules say must be taken, and were
	Sessions                          int
	MaxSkew                           time.Duration
	Lost, Doubled                     int // zero, or the check failed
}

// String lists the figures on one line.
func (f AdversaryFigures) String() string {
	return fmt.Sprintf("seeds=%d steps=%d closes=%d close-retries=%d reopens=%d messages=%d deliveries=%d redelivered=%d "+
		"sweeps=%d faults=%d failed-calls=%d applied=%d clean-answers=%d sessions=%d max-skew=%v lost=%d doubled=%d",
		f.Seeds, f.Steps, f.Closes, f.CloseRetries, f.Reopens, f.Messages, f.Deliveries, f.Redelivered,
		f.Sweeps, f.Faults, f.FailedCalls, f.Applied, f.CleanAnswers, f.Sessions, f.MaxSkew, f.Lost, f.Doubled)
}

// checkDeliveryAdversary runs cfg.Seeds adversary runs, each on a store
// from fresh, and returns the figures of all of them. The promises checked
// after every step:
//   - every applied message counts in exactly one session, and a message
//     once applied stays applied;
//   - an answer the contact wrote after seeing the newest survey, delivered
//     well within its time, is taken by that survey, whichever engine
//     handles it and however skewed its clock;
//   - no message written before a survey was sent (beyond the declared
//     skew) is taken as its answer;
//   - a conversation has no more surveys than it had real closes;
//   - no idempotency key is ever handed out with two different contents.
//
// After the drain: every session is final, and every rating's and rating
// change's notifications (and a low score's reason and comment) were
// returned to the host at least once. One seed in four asks for the reason
// of a low score, and another lets later scores change the rating.
func checkDeliveryAdversary(t *testing.T, fresh func(t *testing.T) survey.Store, cfg AdversaryConfig) AdversaryFigures {
	t.Helper()
	total := AdversaryFigures{MaxSkew: cfg.MaxSkew}
	eachSeed(t, cfg.Seeds, cfg.FirstSeed, func(t *testing.T, seed uint64) {
		sumCounts(&total, runAdversary(t, fresh(t), cfg, seed))
	})
	return total
}

// eachSeed runs run for seeds seeds from first on, each in a subtest named
// after its seed, and stops after the first that fails.
func eachSeed(t *testing.T, seeds int, first uint64, run func(t *testing.T, seed uint64)) {
	t.Helper()
	for s := range seeds {
		seed := first + uint64(s)
		if !t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) { run(t, seed) }) {
			return
		}
	}
}

// sumCounts adds the int fields of one run's figures to total's, a
// pointer to a struct of the same type; other fields (a bound such as
// AdversaryFigures.MaxSkew) stay as they are.
func sumCounts[F any](total *F, run F) {
	dst, src := reflect.ValueOf(total).Elem(), reflect.ValueOf(run)
	for i := range dst.NumField() {
		if f := dst.Field(i); f.Kind() == reflect.Int {
			f.SetInt(f.Int() + src.Field(i).Int())
		}
	}
}

// message is one contact message as the adversary wrote it.
type message struct {
	id, contact, text string
	written           time.Time // true time
	stamped           bool      // the channel stamps ReceivedAt
	acked             bool      // a delivery returned without error
	delivered         int
	appliedTo         string // session that took it, by the host's account
}

type delivery struct {
	m   *message
	due time.Time
}

type conversation struct {
	id, contact string
	closes      []time.Time // true times of its real closes
	stamped     bool        // every delivery of its last real close carried its time
	reopened    bool        // reopened since its last real close
	unacked     bool        // its last close has not been acknowledged yet
}

// adversary is one run's world.
type adversary struct {
	t        *testing.T
	rng      *rand.Rand
	cfg      AdversaryConfig
	truth    *surveytest.Clock
	st       survey.Store
	faulty   *surveytest.FaultyStore
	engines  []*survey.Engine
	contacts []string
	convs    []*conversation
	msgs     map[string]*message
	pending  []*delivery
	sentAt   map[string]time.Time // session → true time its request first reached the host
	newest   map[string]string    // contact → session of its last acknowledged new close
	unsure   map[string]bool      // contact → a close of it is unacknowledged
	contents map[string]string    // idempotency key → what it was handed out with
	notified map[string]bool      // notification keys returned to the host
	fig      AdversaryFigures
	log      []string
}

func runAdversary(t *testing.T, st survey.Store, cfg AdversaryConfig, seed uint64) AdversaryFigures {
	a := &adversary{
		t: t, rng: rand.New(rand.NewPCG(seed, 0x5eed)), cfg: cfg, truth: surveytest.NewClock(relStart), st: st,
		contacts: []string{"ana", "ben", "cleo"}, msgs: map[string]*message{},
		sentAt: map[string]time.Time{}, newest: map[string]string{}, unsure: map[string]bool{},
		contents: map[string]string{}, notified: map[string]bool{},
		fig: AdversaryFigures{Seeds: 1, MaxSkew: cfg.MaxSkew},
	}
	a.faulty = surveytest.NewFaultyStore(st, a.fault)
	def := deliverySurvey
	if seed%3 == 0 {
		def.SendDelay = 30 * time.Minute // sends that reopens race
	}
	switch seed % 4 {
	case 1:
		def.Reasons = survey.DefaultReasons(1, 2) // a low score asks why: "1"–"4" answer it
	case 2:
		def.ChangeWindow = 3 * 24 * time.Hour // later scores change the rating
	}
	for i := range max(cfg.Engines, 1) {
		skew := time.Duration(0)
		if cfg.MaxSkew > 0 {
			skew = time.Duration(a.rng.Int64N(int64(2*cfg.MaxSkew+1))) - cfg.MaxSkew
		}
		e, err := survey.New(survey.Config{Store: a.faulty.Engine(), Clock: ShiftedClock{a.truth, skew}, MaxClockSkew: cfg.MaxSkew, Surveys: []survey.Definition{def}})
		require.NoError(t, err)
		a.engines = append(a.engines, e)
		a.logf("engine %d skew %v", i, skew)
	}
	for step := 0; step < cfg.Steps; step++ {
		a.step()
		a.check()
		if t.Failed() {
			return a.fig
		}
	}
	a.drain()
	return a.fig
}

func (a *adversary) logf(format string, args ...any) {
	a.log = append(a.log, fmt.Sprintf(format, args...))
}

// fail reports a broken promise with the run's history.
func (a *adversary) fail(format string, args ...any) {
	a.t.Helper()
	tail := a.log
	if len(tail) > 60 {
		tail = tail[len(tail)-60:]
	}
	a.t.Fatalf("%s\nlast steps:\n  %s", fmt.Sprintf(format, args...), strings.Join(tail, "\n  "))
}

// fault decides the fate of one store call while faults are on.
func (a *adversary) fault(op string, _ int) surveytest.Fault {
	if a.cfg.FaultRate <= 0 || a.rng.Float64() >= a.cfg.FaultRate {
		return surveytest.NoFault
	}
	a.fig.Faults++
	switch op {
	case "Create", "Update":
		if a.rng.IntN(2) == 0 {
			return surveytest.FailAfter
		}
	}
	return surveytest.FailBefore
}

func (a *adversary) engine() (int, *survey.Engine) {
	i := a.rng.IntN(len(a.engines))
	return i, a.engines[i]
}

func (a *adversary) step() {
	a.fig.Steps++
	switch op := a.rng.IntN(100); {
	case op < 12:
		a.newConversation()
	case op < 18:
		a.retryClose()
	case op < 22:
		a.reopen()
	case op < 26:
		a.recloseReopened()
	case op < 50:
		a.write()
	case op < 78:
		a.deliver(false)
	case op < 90:
		d := time.Duration(1+a.rng.IntN(180)) * time.Minute
		a.truth.Advance(d)
		a.logf("advance %v", d)
	default:
		a.sweep()
	}
}

func (a *adversary) newConversation() {
	c := &conversation{id: fmt.Sprintf("conv-%d", len(a.convs)+1), contact: a.contacts[a.rng.IntN(len(a.contacts))]}
	a.convs = append(a.convs, c)
	a.closeReal(c)
}

// closeReal is a real close of c now.
func (a *adversary) closeReal(c *conversation) {
	c.closes = append(c.closes, a.truth.Now())
	c.reopened = false
	a.fig.Closes++
	a.close(c, a.truth.Now(), "close", false)
}

// close delivers a close event of c at closedAt: sometimes as a host's
// database kept it (to the second), and unless keep, sometimes with no
// time at all.
func (a *adversary) close(c *conversation, closedAt time.Time, what string, keep bool) {
	i, e := a.engine()
	conv := closedConversation(c.id, c.contact, a.truth.Now())
	conv.ClosedAt = closedAt
	if !closedAt.IsZero() && a.rng.IntN(2) == 0 {
		conv.ClosedAt = closedAt.Truncate(time.Second)
	}
	if !keep && a.rng.IntN(3) == 0 {
		conv.ClosedAt = time.Time{}
	}
	if what != "retry-close" {
		c.stamped = true
	}
	c.stamped = c.stamped && !conv.ClosedAt.IsZero()
	res, err := a.call(func() (*survey.Result, error) { return e.ConversationClosed(context.Background(), conv) })
	a.logf("%s %s of %s on engine %d (closed at %v): %s", what, c.id, c.contact, i, conv.ClosedAt, describe(res, err))
	if err != nil {
		c.unacked, a.unsure[c.contact] = true, true
		return
	}
	c.unacked = false
	a.unsure[c.contact] = a.anyUnacked(c.contact)
	a.take(res)
	if res.Session != nil && !res.Duplicate {
		a.newest[c.contact] = res.Session.ID
		for _, o := range res.Outbound {
			a.markSent(o)
		}
	}
	for _, o := range res.Replay {
		a.markSent(o)
	}
}

func (a *adversary) anyUnacked(contact string) bool {
	for _, c := range a.convs {
		if c.contact == contact && c.unacked {
			return true
		}
	}
	return false
}

func (a *adversary) retryClose() {
	var closed []*conversation
	for _, c := range a.convs {
		if len(c.closes) > 0 {
			closed = append(closed, c)
		}
	}
	if len(closed) == 0 {
		return
	}
	c := closed[a.rng.IntN(len(closed))]
	a.fig.CloseRetries++
	if c.reopened {
		// After a reopen, a retry of the earlier close can be told from
		// a new close only by its time, so only a host that sent it
		// every time retries it now.
		if c.stamped {
			a.close(c, c.closes[len(c.closes)-1], "retry-close", true)
		}
		return
	}
	a.close(c, c.closes[len(c.closes)-1], "retry-close", false)
}

func (a *adversary) reopen() {
	var closed []*conversation
	for _, c := range a.convs {
		if len(c.closes) > 0 && !c.reopened && !c.unacked {
			closed = append(closed, c)
		}
	}
	if len(closed) == 0 {
		return
	}
	c := closed[a.rng.IntN(len(closed))]
	for { // the host retries a reopen until it is acknowledged
		i, e := a.engine()
		res, err := a.call(func() (*survey.Result, error) {
			return e.ConversationReopened(context.Background(), closedConversation(c.id, c.contact, a.truth.Now()))
		})
		a.logf("reopen %s on engine %d: %s", c.id, i, describe(res, err))
		if err == nil {
			c.reopened = true
			a.fig.Reopens++
			return
		}
	}
}

func (a *adversary) recloseReopened() {
	for _, c := range a.convs {
		if c.reopened {
			a.truth.Advance(time.Minute)
			c.closes = append(c.closes, a.truth.Now())
			c.reopened = false
			a.fig.Closes++
			a.close(c, a.truth.Now(), "reclose", false)
			return
		}
	}
}

var adversaryTexts = []string{"1", "2", "3", "4", "5", "no idea", "the agent was kind"}

func (a *adversary) write() {
	m := &message{
		id: fmt.Sprintf("wamid.%d", len(a.msgs)+1), contact: a.contacts[a.rng.IntN(len(a.contacts))],
		text: adversaryTexts[a.rng.IntN(len(adversaryTexts))], written: a.truth.Now(), stamped: a.rng.IntN(5) > 0,
	}
	a.msgs[m.id] = m
	a.fig.Messages++
	a.pending = append(a.pending, &delivery{m: m, due: a.truth.Now().Add(a.delay())})
	a.logf("write %s %q by %s", m.id, m.text, m.contact)
	if a.rng.IntN(2) == 0 {
		a.deliver(true)
	}
}

// delay is how long a channel holds a delivery: often nothing, sometimes
// minutes, sometimes hours.
func (a *adversary) delay() time.Duration {
	switch a.rng.IntN(10) {
	case 0, 1:
		return time.Duration(1+a.rng.IntN(6)) * time.Hour
	case 2, 3, 4:
		return time.Duration(1+a.rng.IntN(50)) * time.Minute
	}
	return 0
}

// deliver hands one due delivery, picked at random, to a random engine;
// newest picks the delivery queued last.
func (a *adversary) deliver(newest bool) {
	var due []int
	for i, d := range a.pending {
		if !d.due.After(a.truth.Now()) {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		return
	}
	k := due[a.rng.IntN(len(due))]
	if newest {
		k = due[len(due)-1]
	}
	d := a.pending[k]
	if a.deliverMessage(d.m) && a.rng.IntN(10) >= 3 {
		a.pending = slices.Delete(a.pending, k, k+1)
	} else {
		d.due = a.truth.Now().Add(a.delay()) // the channel tries again later
	}
}

// deliverMessage delivers m once and reports whether the host
// acknowledged it; a channel tries again until it does.
func (a *adversary) deliverMessage(m *message) bool {
	clean, target := a.cleanAnswer(m)
	var at time.Time
	if m.stamped {
		at = m.written
	}
	i, e := a.engine()
	in := reply(m.contact, m.id, m.text, at)
	res, err := a.call(func() (*survey.Result, error) { return e.HandleMessage(context.Background(), in) })
	m.delivered++
	a.fig.Deliveries++
	if m.delivered > 1 {
		a.fig.Redelivered++
	}
	a.logf("deliver %s %q by %s on engine %d (clean %v → %s): %s", m.id, m.text, m.contact, i, clean, target, describe(res, err))
	if err != nil {
		return false
	}
	m.acked = true
	a.take(res)
	if res.Consumed && res.Session != nil {
		switch {
		case m.appliedTo == "":
			m.appliedTo = res.Session.ID
		case m.appliedTo != res.Session.ID:
			a.fig.Doubled++
			a.fail("%s was taken by session %s and again by %s", m.id, m.appliedTo, res.Session.ID)
		}
	}
	if clean {
		a.fig.CleanAnswers++
		if !res.Consumed || res.Duplicate || res.Session == nil || res.Session.ID != target || !res.Session.Rated {
			a.fig.Lost++
			a.fail("the answer %s %q to the newest survey %s was not taken by it: %s", m.id, m.text, target, describe(res, nil))
		}
	}
	return true
}

// cleanAnswer reports whether m must be taken as the answer of the
// contact's newest survey: a score, written after that survey reached the
// contact, delivered for the first time while the survey waits for its
// rating with hours to spare on every engine's clock, and no close of the
// contact is in doubt.
func (a *adversary) cleanAnswer(m *message) (bool, string) {
	target := a.newest[m.contact]
	if m.delivered > 0 || target == "" || a.unsure[m.contact] || len(m.text) != 1 {
		return false, ""
	}
	sent, ok := a.sentAt[target]
	if !ok || m.written.Before(sent) {
		return false, ""
	}
	s, err := a.st.Load(context.Background(), "acme", target)
	if err != nil || s.State != survey.StateAwaitingRating || len(s.MessageIDs()) > 0 {
		return false, ""
	}
	if s.Deadline.Sub(a.truth.Now()) < 2*a.cfg.MaxSkew+time.Hour {
		return false, ""
	}
	// A newer survey of the contact that the host has not heard of yet
	// (a lost reply) would rightly take the answer.
	if latest, err := a.st.Awaiting(context.Background(), "acme", m.contact, "whatsapp"); err != nil || latest.ID != target {
		return false, ""
	}
	return true, target
}

func (a *adversary) sweep() {
	i, e := a.engine()
	var res *survey.SweepResult
	var err error
	a.countCall(func() error { res, err = e.Sweep(context.Background()); return err })
	a.fig.Sweeps++
	a.logf("sweep on engine %d: sent %d expired %d err %v", i, res.Sent, res.Expired, err)
	for _, o := range res.Outbound {
		a.record(o.IdempotencyKey, outboundContent(o))
		a.markSent(o)
	}
}

func (a *adversary) markSent(o survey.Outbound) {
	if o.Kind != survey.KindRatingRequest {
		return
	}
	if _, ok := a.sentAt[o.SessionID]; !ok {
		a.sentAt[o.SessionID] = a.truth.Now()
	}
}

// call runs an engine call; an error is allowed only when the store
// failed during it.
func (a *adversary) call(f func() (*survey.Result, error)) (*survey.Result, error) {
	var res *survey.Result
	var err error
	a.countCall(func() error { res, err = f(); return err })
	return res, err
}

func (a *adversary) countCall(f func() error) {
	before := a.faulty.Injected
	if err := f(); err != nil {
		a.fig.FailedCalls++
		if a.faulty.Injected == before {
			a.fail("an engine call failed with no store fault: %v", err)
		}
	}
}

// take records what a result handed to the host.
func (a *adversary) take(res *survey.Result) {
	for _, list := range [][]survey.Outbound{res.Outbound, res.Replay} {
		for _, o := range list {
			a.record(o.IdempotencyKey, outboundContent(o))
		}
	}
	for _, list := range [][]survey.Notification{res.Notifications, res.ReplayNotifications} {
		for _, n := range list {
			a.record(n.IdempotencyKey, fmt.Sprintf("%s|%s|%d|%v", n.Kind, n.SessionID, n.Score, n.Recipients))
			a.notified[n.IdempotencyKey] = true
		}
	}
}

func (a *adversary) record(key, content string) {
	if old, ok := a.contents[key]; ok && old != content {
		a.fail("idempotency key %s handed out with two contents:\n%s\n%s", key, old, content)
	}
	a.contents[key] = content
}

func outboundContent(o survey.Outbound) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%v", o.Kind, o.SessionID, o.Channel, o.Text, o.HTML, o.Choices)
}

// sessions lists every stored session of every contact.
func (a *adversary) sessions() []*survey.Session {
	var all []*survey.Session
	for _, c := range a.contacts {
		list, err := a.st.ContactHistory(context.Background(), "acme", c, time.Time{})
		require.NoError(a.t, err)
		all = append(all, list...)
	}
	return all
}

// check verifies the promises that hold after every step.
func (a *adversary) check() {
	a.t.Helper()
	holder := map[string]string{}
	closes := map[string]int{}
	for _, s := range a.sessions() {
		if s.Trigger == survey.TriggerClose {
			closes[s.ConversationID]++
		}
		for _, id := range s.MessageIDs() {
			if other, ok := holder[id]; ok {
				a.fig.Doubled++
				a.fail("message %s counts in sessions %s and %s", id, other, s.ID)
			}
			holder[id] = s.ID
			// Taken only if stamped no more than the skew before the send.
			if m := a.msgs[id]; m != nil && m.stamped && m.written.Add(a.cfg.MaxSkew+time.Second).Before(s.SentAt) {
				a.fail("message %s, written at %v, answers session %s sent at %v", id, m.written, s.ID, s.SentAt)
			}
		}
	}
	for _, m := range a.msgs {
		if m.appliedTo != "" && holder[m.id] != m.appliedTo {
			a.fig.Lost++
			a.fail("message %s was taken by session %s but the store has it in %q", m.id, m.appliedTo, holder[m.id])
		}
	}
	for _, c := range a.convs {
		if closes[c.id] > len(c.closes) {
			a.fail("conversation %s has %d surveys for %d closes", c.id, closes[c.id], len(c.closes))
		}
	}
}

// drain stops the faults, lets every channel and host retry until
// acknowledged, runs time past every deadline, and checks the end state.
func (a *adversary) drain() {
	a.t.Helper()
	a.cfg.FaultRate = 0
	a.logf("drain")
	for _, c := range a.convs {
		for c.unacked {
			a.close(c, c.closes[len(c.closes)-1], "retry-close", c.reopened)
		}
	}
	for len(a.pending) > 0 {
		d := a.pending[0]
		a.pending = a.pending[1:]
		if d.due.After(a.truth.Now()) {
			a.truth.Set(d.due)
		}
		if !a.deliverMessage(d.m) {
			a.pending = append(a.pending, d)
		}
		a.check()
	}
	for range 3 {
		a.truth.Advance(30 * time.Hour)
		for _, e := range a.engines {
			res, err := e.Sweep(context.Background())
			require.NoError(a.t, err)
			for _, o := range res.Outbound {
				a.record(o.IdempotencyKey, outboundContent(o))
				a.markSent(o)
			}
		}
	}
	a.check()
	all := a.sessions()
	a.fig.Sessions = len(all)
	for _, s := range all {
		a.fig.Applied += len(s.MessageIDs())
		if !s.State.Final() {
			a.fail("session %s is still %s after every deadline passed", s.ID, s.State)
		}
		if !s.Rated {
			continue
		}
		first := s.Rating
		if len(s.RatingChanges()) > 0 {
			first = s.RatingChanges()[0].From
		}
		want := []string{s.ID + "/rated"}
		if first < deliverySurvey.LowScoreBelow {
			want = append(want, s.ID+"/low_score")
		}
		for n, c := range s.RatingChanges() {
			if c.From == c.To {
				continue
			}
			suffix := fmt.Sprintf("/change/%d", n+1)
			want = append(want, s.ID+"/rated"+suffix)
			if c.To < deliverySurvey.LowScoreBelow {
				want = append(want, s.ID+"/low_score"+suffix)
			}
		}
		if len(s.RatingChanges()) == 0 && first < deliverySurvey.LowScoreBelow && s.State == survey.StateCompleted && (s.Comment != "" || s.Reason != "") {
			want = append(want, s.ID+"/low_score_comment")
		}
		for _, key := range want {
			if !a.notified[key] {
				a.fig.Lost++
				a.fail("the notification %s of session %s's rating never reached the host", key, s.ID)
			}
		}
	}
}

func describe(res *survey.Result, err error) string {
	switch {
	case err != nil:
		return "error " + err.Error()
	case res == nil:
		return "nil"
	}
	id := ""
	if res.Session != nil {
		id = res.Session.ID[:8] + " " + string(res.Session.State)
	}
	return fmt.Sprintf("consumed=%v duplicate=%v session=%s out=%d replay=%d", res.Consumed, res.Duplicate, id, len(res.Outbound), len(res.Replay))
}
