package survey_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// modelSession is the reference model's view of one survey session.
type modelSession struct {
	id, contact, conv string
	state             survey.State
	rated             bool
	rating            int
	comment           string
	reprompts         int
	deadline          time.Time
	seen              map[string]bool
}

// model is a deliberately naive re-statement of the flow's rules.
type model struct {
	delay    time.Duration
	now      time.Time
	sessions []*modelSession
}

func (m *model) awaiting(contact string) *modelSession {
	for i := len(m.sessions) - 1; i >= 0; i-- {
		if s := m.sessions[i]; s.contact == contact && !s.state.Final() {
			return s
		}
	}
	return nil
}

func (m *model) close(contact, conv string) []survey.MessageKind {
	if old := m.awaiting(contact); old != nil {
		old.state = survey.StateCancelled
	}
	s := &modelSession{contact: contact, conv: conv, seen: map[string]bool{}}
	m.sessions = append(m.sessions, s)
	if m.delay > 0 {
		s.state, s.deadline = survey.StateScheduled, m.now.Add(m.delay)
		return nil
	}
	s.state, s.deadline = survey.StateAwaitingRating, m.now.Add(24*time.Hour)
	return []survey.MessageKind{survey.KindRatingRequest}
}

func (m *model) latest(contact string) *modelSession {
	for i := len(m.sessions) - 1; i >= 0; i-- {
		if s := m.sessions[i]; s.contact == contact {
			return s
		}
	}
	return nil
}

func (m *model) reply(contact, id, text string) (bool, []survey.MessageKind) {
	for _, s := range m.sessions {
		if s.contact == contact && s.seen[id] {
			return true, nil // a redelivery, however late, is a duplicate of its first delivery
		}
	}
	s := m.latest(contact)
	switch {
	case s == nil:
		return false, nil
	case s.state.Final():
		return false, nil
	case s.state == survey.StateScheduled:
		s.state = survey.StateCancelled
		return false, nil
	case m.now.After(s.deadline):
		s.state = survey.StateExpired
		return false, nil
	case s.state == survey.StateAwaitingComment:
		s.seen[id], s.comment, s.state = true, text, survey.StateCompleted
		return true, []survey.MessageKind{survey.KindThanks}
	}
	if len(text) == 1 && text[0] >= '1' && text[0] <= '5' {
		s.seen[id], s.rated, s.rating = true, true, int(text[0]-'0')
		s.state, s.deadline = survey.StateAwaitingComment, m.now.Add(24*time.Hour)
		return true, []survey.MessageKind{survey.KindCommentRequest}
	}
	if s.reprompts >= 1 {
		s.state = survey.StateUnanswered
		return false, nil
	}
	s.seen[id] = true
	s.reprompts++
	s.deadline = m.now.Add(24 * time.Hour)
	return true, []survey.MessageKind{survey.KindReprompt}
}

func (m *model) sweep() (sent, expired int) {
	for _, s := range m.sessions {
		if s.state.Final() || !s.deadline.Before(m.now) {
			continue
		}
		if s.state == survey.StateScheduled {
			s.state, s.deadline = survey.StateAwaitingRating, m.now.Add(24*time.Hour)
			sent++
			continue
		}
		s.state = survey.StateExpired
		expired++
	}
	return sent, expired
}

func (m *model) reopen(contact, conv string) {
	if s := m.awaiting(contact); s != nil && s.conv == conv {
		s.state = survey.StateCancelled
	}
}

func kinds(out []survey.Outbound) []survey.MessageKind {
	var k []survey.MessageKind
	for _, o := range out {
		k = append(k, o.Kind)
	}
	return k
}

// TestEngineAgreesWithAReferenceModel drives the engine with random
// sequences of close / reply / duplicate delivery / advance time / sweep /
// reopen events and checks, after every step, that sessions, answers and
// outbound messages agree with the model.
func TestEngineAgreesWithAReferenceModel(t *testing.T) {
	sequences := 3000
	if testing.Short() {
		sequences = 300
	}
	for seq := 0; seq < sequences; seq++ {
		rng := rand.New(rand.NewPCG(uint64(seq), 42))
		delay := time.Duration(0)
		if seq%3 == 0 {
			delay = time.Duration(1+rng.IntN(3)) * time.Hour
		}
		runModelSequence(t, seq, rng.IntN, delay, 40)
		if t.Failed() {
			return
		}
	}
}

// runModelSequence plays steps events chosen by choose(n) ∈ [0, n).
func runModelSequence(t *testing.T, seq int, choose func(n int) int, delay time.Duration, steps int) {
	h := surveytest.New(t, survey.Definition{ID: "csat", SendDelay: delay})
	m := &model{delay: delay, now: h.Clock.Now()}
	contacts := []string{"ana", "ben"}
	lastConv := map[string]*survey.Conversation{}
	var lastMsg *survey.Inbound
	keys := map[string]bool{}
	convs, msgs := 0, 0
	replies := []string{"1", "3", "5", "junk", "see attachment", "10"}
	var log []string

	for step := 0; step < steps; step++ {
		contact := contacts[choose(len(contacts))]
		var sent []survey.Outbound
		var event string
		switch op := choose(10); {
		case op < 2:
			convs++
			conv := surveytest.NewConversation(fmt.Sprintf("conv-%d", convs), contact, h.Clock.Now()).
				Channel("whatsapp").ContactSays("hello").Closed()
			conv.ClosedAt = h.Clock.Now()
			lastConv[contact] = conv
			event = "close " + conv.ID + " by " + contact
			res := h.Close(conv)
			require.Equal(t, m.close(contact, conv.ID), kinds(res.Outbound), "seq %d: %v", seq, append(log, event))
			m.sessions[len(m.sessions)-1].id = res.Session.ID
			sent = res.Outbound
		case op < 6 || (op < 7 && lastMsg == nil):
			msgs++
			lastMsg = &survey.Inbound{TenantID: "tenant", ContactID: contact, Channel: "whatsapp",
				MessageID: fmt.Sprintf("m%d", msgs), Text: replies[choose(len(replies))]}
			fallthrough
		case op < 7:
			in := *lastMsg
			event = fmt.Sprintf("deliver %s %q from %s", in.MessageID, in.Text, in.ContactID)
			res := h.Receive(&in)
			consumed, want := m.reply(in.ContactID, in.MessageID, in.Text)
			require.Equal(t, consumed, res.Consumed, "seq %d: %v", seq, append(log, event))
			require.Equal(t, want, kinds(res.Outbound), "seq %d: %v", seq, append(log, event))
			sent = res.Outbound
		case op < 8:
			d := time.Duration(choose(30*60)) * time.Minute
			event = fmt.Sprintf("advance %v", d)
			h.Advance(d)
			m.now = m.now.Add(d)
		case op < 9:
			event = "sweep"
			res := h.Sweep()
			wantSent, wantExpired := m.sweep()
			require.Equal(t, wantSent, res.Sent, "seq %d: %v", seq, append(log, event))
			require.Equal(t, wantExpired, res.Expired, "seq %d: %v", seq, append(log, event))
			sent = res.Outbound
		default:
			conv := lastConv[contact]
			if conv == nil {
				continue
			}
			event = "reopen " + conv.ID
			_, err := h.Engine.ConversationReopened(t.Context(), conv)
			require.NoError(t, err)
			m.reopen(contact, conv.ID)
		}
		log = append(log, event)
		for _, o := range sent {
			require.False(t, keys[o.IdempotencyKey], "seq %d: key %s emitted twice: %v", seq, o.IdempotencyKey, log)
			keys[o.IdempotencyKey] = true
		}
		for _, ms := range m.sessions {
			s := h.Session("tenant", ms.id)
			require.Equal(t, ms.state, s.State, "seq %d session %s: %v", seq, ms.conv, log)
			require.Equal(t, ms.rated, s.Rated, "seq %d session %s: %v", seq, ms.conv, log)
			require.Equal(t, ms.rating, s.Rating, "seq %d session %s: %v", seq, ms.conv, log)
			require.Equal(t, ms.comment, s.Comment, "seq %d session %s: %v", seq, ms.conv, log)
			require.Equal(t, ms.reprompts, s.Reprompts(), "seq %d session %s: %v", seq, ms.conv, log)
		}
	}
}

// FuzzEngineAgreesWithTheModel lets the fuzzer choose the event sequence:
// every byte picks the next choice.
func FuzzEngineAgreesWithTheModel(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 4, 1, 4, 2, 7, 200, 8})
	f.Add([]byte{1, 0, 1, 5, 3, 2, 6, 9, 1, 1, 0, 7, 255, 255, 8, 9, 1})
	f.Add([]byte("close reply reopen sweep advance duplicate"))
	f.Fuzz(func(t *testing.T, choices []byte) {
		if len(choices) == 0 {
			return
		}
		i := 0
		choose := func(n int) int {
			b := int(choices[i%len(choices)])
			if n > 256 { // durations: two bytes
				b = b<<8 | int(choices[(i+1)%len(choices)])
				i++
			}
			i++
			return b % n
		}
		delay := time.Duration(choices[0]%3) * time.Hour
		runModelSequence(t, 0, choose, delay, min(len(choices), 60))
	})
}
