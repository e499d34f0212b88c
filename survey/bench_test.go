package survey_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/looplab/fsm"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// BenchmarkFlow compares one whole survey (close → rating → comment →
// thanks, for a conversation a human agent and a bot took part in) with the raw cost of looplab/fsm doing the same three
// transitions (NewFSM + three Events), in the same run:
//
//   - raw_fsm is the baseline;
//
//   - engine runs on the memory store, which keeps every session (the
//     store grows by one session per iteration, as a real one does);
//
//   - engine_slot runs on a one-slot store that keeps only the current
//     session (copies as the Store contract requires, no indexes): the
//     engine's cost with the store's bookkeeping and growth taken out;
//
//   - raw_fsm_reused is the baseline in the form the engine uses it: one
//     machine kept and reused, SetState + 3 Events per flow (the engine
//     pools its machines).
//
//     go test -run '^$' -bench BenchmarkFlow -benchmem -count 6 ./survey
func BenchmarkFlow(b *testing.B) {
	b.Run("raw_fsm", func(b *testing.B) {
		ctx := context.Background()
		events := fsm.Events{
			{Name: "send", Src: []string{"scheduled"}, Dst: "awaiting_rating"},
			{Name: "rate", Src: []string{"awaiting_rating"}, Dst: "awaiting_comment"},
			{Name: "comment", Src: []string{"awaiting_comment"}, Dst: "completed"},
		}
		b.ReportAllocs()
		for b.Loop() {
			m := fsm.NewFSM("scheduled", events, nil)
			for _, e := range []string{"send", "rate", "comment"} {
				if err := m.Event(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("raw_fsm_reused", func(b *testing.B) {
		ctx := context.Background()
		m := fsm.NewFSM("scheduled", fsm.Events{
			{Name: "send", Src: []string{"scheduled"}, Dst: "awaiting_rating"},
			{Name: "rate", Src: []string{"awaiting_rating"}, Dst: "awaiting_comment"},
			{Name: "comment", Src: []string{"awaiting_comment"}, Dst: "completed"},
		}, nil)
		b.ReportAllocs()
		for b.Loop() {
			m.SetState("scheduled")
			for _, e := range []string{"send", "rate", "comment"} {
				if err := m.Event(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("engine", func(b *testing.B) { benchEngineFlow(b, memory.New()) })
	b.Run("engine_slot", func(b *testing.B) { benchEngineFlow(b, &slotStore{}) })
}

// BenchmarkFlowAmongStored times the same flow (engine on the memory
// store) with n sessions already stored: storebench.BenchSessions, a
// helpdesk's three months of surveys (10k and 100k; 1M with
// SURVEYFLOW_BENCH_1M=1, 3M with SURVEYFLOW_BENCH_3M=1; about 1.2 n
// sessions each). A flow's cost should not depend on n.
//
//	SURVEYFLOW_BENCH_1M=1 SURVEYFLOW_BENCH_3M=1 \
//	  go test -run '^$' -bench FlowAmongStored -benchmem -benchtime 20000x ./survey
func BenchmarkFlowAmongStored(b *testing.B) {
	sizes := storebench.BenchSizes()
	if os.Getenv("SURVEYFLOW_BENCH_3M") != "" {
		sizes = append(sizes, 3_000_000)
	}
	for _, n := range sizes {
		b.Run("stored="+strconv.Itoa(n), func(b *testing.B) {
			st := memory.New()
			for _, s := range storebench.BenchSessions(n) {
				if err := st.Create(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			benchEngineFlow(b, st)
		})
	}
}

func benchEngineFlow(b *testing.B, st survey.Store) {
	ctx := context.Background()
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		b.Fatal(err)
	}
	conv := &survey.Conversation{TenantID: "t", Channel: "whatsapp", Contact: survey.Contact{Language: "es"},
		Participants: []survey.Participant{
			{ID: "ana", Name: "Ana", Kind: survey.Human, Groups: []string{"support"}},
			{ID: "bot", Name: "Bot", Kind: survey.Bot},
		}}
	in := &survey.Inbound{TenantID: "t", Channel: "whatsapp"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		id := strconv.Itoa(i)
		conv.ID, conv.Contact.ID, conv.ClosedAt = id, id, clock.Advance(time.Second)
		res, err := e.ConversationClosed(ctx, conv)
		if err != nil || res.Session == nil || len(res.Outbound) != 1 {
			b.Fatal(err, res)
		}
		in.ContactID = id
		for j, text := range []string{"5", "Muy amable"} {
			in.MessageID, in.Text = id+"/"+strconv.Itoa(j), text
			res, err := e.HandleMessage(ctx, in)
			if err != nil || !res.Consumed {
				b.Fatal(err, res)
			}
		}
	}
}

// slotStore keeps one session: the smallest store the engine can run a
// flow on. It copies on the way in and out, as survey.Store requires.
type slotStore struct {
	s *survey.Session
}

func (m *slotStore) copy(s *survey.Session) *survey.Session { return s.Clone() }

func (m *slotStore) Create(_ context.Context, s *survey.Session) error {
	if m.s != nil && m.s.ID == s.ID {
		return survey.ErrDuplicate
	}
	s.Version = 1
	m.s = m.copy(s)
	return nil
}

func (m *slotStore) Load(_ context.Context, tenantID, id string) (*survey.Session, error) {
	if m.s == nil || m.s.TenantID != tenantID || m.s.ID != id {
		return nil, survey.ErrNotFound
	}
	return m.copy(m.s), nil
}

func (m *slotStore) Update(_ context.Context, s *survey.Session) error {
	if m.s == nil || m.s.ID != s.ID {
		return survey.ErrNotFound
	}
	if m.s.Version != s.Version {
		return survey.ErrStaleVersion
	}
	s.Version++
	m.s = m.copy(s)
	return nil
}

func (m *slotStore) find(tenantID, contactID, channel string, active bool) (*survey.Session, error) {
	if m.s == nil || m.s.TenantID != tenantID || m.s.ContactID != contactID || m.s.Channel != channel || active && m.s.State.Final() {
		return nil, survey.ErrNotFound
	}
	return m.copy(m.s), nil
}

func (m *slotStore) Awaiting(_ context.Context, tenantID, contactID, channel string) (*survey.Session, error) {
	return m.find(tenantID, contactID, channel, true)
}

func (m *slotStore) Route(_ context.Context, tenantID, contactID, channel, _ string) (*survey.Session, error) {
	return m.find(tenantID, contactID, channel, false)
}

func (m *slotStore) ConversationSessions(_ context.Context, tenantID, conversationID string) ([]*survey.Session, error) {
	if m.s == nil || m.s.TenantID != tenantID || m.s.ConversationID != conversationID {
		return nil, nil
	}
	return []*survey.Session{m.copy(m.s)}, nil
}

func (m *slotStore) ClaimDue(context.Context, time.Time, time.Duration, int) ([]*survey.Session, error) {
	return nil, nil
}

func (m *slotStore) ClaimEffects(context.Context, time.Time, time.Time, time.Duration, int) ([]*survey.Session, error) {
	return nil, nil
}

func (m *slotStore) ContactHistory(_ context.Context, tenantID, contactID string, _ time.Time) ([]*survey.Session, error) {
	if s, err := m.find(tenantID, contactID, m.channel(), false); err == nil {
		return []*survey.Session{s}, nil
	}
	return nil, nil
}

func (m *slotStore) channel() string {
	if m.s == nil {
		return ""
	}
	return m.s.Channel
}
