package survey_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/looplab/fsm"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// BenchmarkFlow compares one whole survey (close → rating → comment →
// thanks) on the memory store with the raw cost of looplab/fsm doing the
// same three transitions (NewFSM + three Events), in the same run.
//
//	go test -run '^$' -bench BenchmarkFlow -benchmem ./survey
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
	b.Run("engine", func(b *testing.B) {
		ctx := context.Background()
		clock := surveytest.NewClock(surveytest.Start)
		e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Surveys: []survey.Survey{{ID: "csat"}}})
		if err != nil {
			b.Fatal(err)
		}
		conv := &survey.Conversation{TenantID: "t", Channel: "whatsapp", Contact: survey.Contact{Language: "es"}}
		in := &survey.Inbound{TenantID: "t", Channel: "whatsapp"}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			id := strconv.Itoa(i)
			conv.ID, conv.Contact.ID, conv.ClosedAt = id, id, clock.Advance(time.Second)
			if _, err := e.ConversationClosed(ctx, conv); err != nil {
				b.Fatal(err)
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
	})
}
