// This file is copied beside each consumer's main.go: the survey that every
// consumer program runs on each of its stores.

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// store is what every store of the library is: the engine's write side
// and the report's read port.
type store interface {
	survey.Store
	report.Source
}

// rateOnce closes an eligible conversation on st, answers the rating with 5
// and checks that the report counts it for the agent.
func rateOnce(ctx context.Context, st store) error {
	clock := surveytest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	engine, err := survey.New(survey.Config{
		Store: st,
		Clock: clock,
		Surveys: []survey.Definition{{
			ID:       "csat",
			Channels: []string{"whatsapp"},
			Rules:    eligibility.AnsweredLongAndRecent(),
		}},
	})
	if err != nil {
		return err
	}
	conv := surveytest.NewConversation("conv-1", "maria", clock.Now()).
		Language("es-AR").ContactName("María").
		Agent("ana", "Ana", survey.Human, "support").
		ContactSays("Hola, no puedo descargar mi factura de marzo desde la aplicación, me da un error.").
		AgentSays("ana", "Hola María, gracias por escribirnos. Ya revisé tu cuenta: la factura estaba bloqueada por un pago pendiente que ya se acreditó.").
		ContactSays("Perfecto, ¡ya la pude descargar! Muchas gracias por la ayuda.").
		AgentSays("ana", "¡Un gusto! Que tengas un buen día.").
		Closed()
	clock.Set(conv.ClosedAt)
	res, err := engine.ConversationClosed(ctx, conv)
	if err != nil {
		return err
	}
	if !res.Decision.Eligible || len(res.Outbound) == 0 {
		return fmt.Errorf("the conversation was not surveyed: %s", res.Decision)
	}
	clock.Advance(time.Minute)
	reply, err := engine.HandleMessage(ctx, &survey.Inbound{
		TenantID: conv.TenantID, ContactID: "maria", Channel: "whatsapp",
		MessageID: "in-1", Text: "5",
	})
	if err != nil {
		return err
	}
	if !reply.Consumed {
		return fmt.Errorf("the rating was not taken as an answer")
	}
	rep, err := report.Build(ctx, st, conv.TenantID, report.Options{Scale: scoring.CSAT5()})
	if err != nil {
		return err
	}
	if got := rep.ByAgent.Get("ana").Count(); got != 1 {
		return fmt.Errorf("the report counts %d responses for the agent, want 1", got)
	}
	return nil
}
