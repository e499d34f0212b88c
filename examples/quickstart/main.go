// Command quickstart plays a customer-satisfaction scenario with a
// fake clock and prints what a helpdesk would send and see:
//
//   - an eligible conversation rated 5 with a comment,
//   - a conversation too short to survey, with the reason,
//   - a survey that expires after 24 hours without an answer,
//   - a message after the survey ended, handed back as a new conversation,
//
// and the per-agent and per-group CSAT report.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run plays the scenario and writes the transcript to w.
func run(ctx context.Context, w io.Writer) error {
	clock := surveytest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	store := memory.New()
	engine, err := survey.New(survey.Config{
		Store: store,
		Clock: clock,
		Surveys: []survey.Definition{{
			ID:       "csat",
			Channels: []string{"whatsapp", "messenger"},
			Rules:    eligibility.AnsweredLongAndRecent(),
		}},
	})
	if err != nil {
		return err
	}
	p := printer{w: w}

	p.title("1. Ana helps María (Spanish, WhatsApp): eligible, rated 5 with a comment")
	maria := surveytest.NewConversation("conv-1", "maria", clock.Now()).
		Language("es-AR").ContactName("María").
		Agent("ana", "Ana", survey.Human, "support", "billing").
		ContactSays("Hola, no puedo descargar mi factura de marzo desde la aplicación, me da un error.").
		AgentSays("ana", "Hola María, gracias por escribirnos. Ya revisé tu cuenta: la factura estaba bloqueada por un pago pendiente que ya se acreditó.").
		ContactSays("Perfecto, ¡ya la pude descargar! Muchas gracias por la ayuda.").
		AgentSays("ana", "¡Un gusto! Que tengas un buen día.").
		Closed()
	clock.Set(maria.ClosedAt)
	res, err := engine.ConversationClosed(ctx, maria)
	if err != nil {
		return err
	}
	p.decision(res)
	p.sent(res)
	if err := p.reply(ctx, engine, clock, "maria", "5️⃣", 2*time.Minute); err != nil {
		return err
	}
	if err := p.reply(ctx, engine, clock, "maria", "Muy rápida y amable, ¡gracias Ana!", 3*time.Minute); err != nil {
		return err
	}

	p.title("2. A two-line chat with Ben: not eligible")
	ben := surveytest.NewConversation("conv-2", "ben", clock.Now()).
		Language("en").Agent("bruno", "Bruno", survey.Human, "support").
		ContactSays("Are you open on Sunday?").
		AgentSays("bruno", "No, Monday to Friday.").
		Closed()
	clock.Set(ben.ClosedAt)
	res, err = engine.ConversationClosed(ctx, ben)
	if err != nil {
		return err
	}
	p.decision(res)

	p.title("3. Chloé (fr-CA, Messenger) never answers: the survey expires after 24 h")
	chloe := surveytest.NewConversation("conv-3", "chloe", clock.Now()).
		Channel("messenger").Language("fr-CA").
		Agent("bruno", "Bruno", survey.Human, "support").Agent("helper-bot", "Helper", survey.Bot).
		ContactSays("Bonjour, ma commande n° 4471 n'est jamais arrivée, pouvez-vous vérifier s'il vous plaît ?").
		AgentSays("helper-bot", "Je transfère votre demande à un conseiller.").
		AgentSays("bruno", "Bonjour Chloé, le colis a été retardé chez le transporteur. Il sera livré demain avant midi, je vous envoie le suivi.").
		ContactSays("Merci beaucoup !").
		Closed()
	clock.Set(chloe.ClosedAt)
	res, err = engine.ConversationClosed(ctx, chloe)
	if err != nil {
		return err
	}
	p.decision(res)
	p.sent(res)
	clock.Advance(24*time.Hour + time.Minute)
	sw, err := engine.Sweep(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   … 24 h later, the sweep expires %d survey(s)\n", sw.Expired)
	if err := p.reply(ctx, engine, clock, "chloe", "4", time.Hour); err != nil {
		return err
	}

	p.title("4. María writes again after her survey ended: a new conversation")
	if err := p.reply(ctx, engine, clock, "maria", "Hola, otra consulta: ¿puedo cambiar mi plan?", time.Hour); err != nil {
		return err
	}

	p.title("Report (an agent's CSAT score is the sum of the answers in the conversations they took part in)")
	scale, err := engine.Scale("tenant", "csat")
	if err != nil {
		return err
	}
	rep, err := report.Build(ctx, store, "tenant", report.Options{Scale: scale})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %-8s %9s %5s %10s\n", "agent", "responses", "sum", "satisfied")
	for _, id := range rep.ByAgent.Keys() {
		s := rep.ByAgent.Get(id)
		fmt.Fprintf(w, "   %-8s %9d %5d %9.0f%%\n", id, s.Count(), s.Sum(), s.SatisfiedPercent())
	}
	fmt.Fprintf(w, "   %-8s %9s %5s %10s\n", "group", "responses", "sum", "satisfied")
	for _, id := range rep.ByGroup.Keys() {
		s := rep.ByGroup.Get(id)
		fmt.Fprintf(w, "   %-8s %9d %5d %9.0f%%\n", id, s.Count(), s.Sum(), s.SatisfiedPercent())
	}
	return nil
}

type printer struct{ w io.Writer }

func (p printer) title(s string) { fmt.Fprintf(p.w, "\n== %s\n", s) }

func (p printer) decision(res *survey.Result) {
	if res.Decision.Eligible {
		fmt.Fprintln(p.w, "   eligible: survey sent")
		return
	}
	fmt.Fprintln(p.w, "   not surveyed:")
	for _, f := range res.Decision.Failures {
		fmt.Fprintf(p.w, "     - [%s] %s\n", f.Code, f.Reason)
	}
}

func (p printer) sent(res *survey.Result) {
	for _, o := range res.Outbound {
		fmt.Fprintf(p.w, "   bot (%s, %s):\n", o.Language, o.Kind)
		for _, line := range strings.Split(o.Text, "\n") {
			fmt.Fprintf(p.w, "     │ %s\n", line)
		}
	}
}

var msgSeq int

func (p printer) reply(ctx context.Context, e *survey.Engine, clock *surveytest.Clock, contact, text string, after time.Duration) error {
	clock.Advance(after)
	msgSeq++
	channel := "whatsapp"
	if contact == "chloe" {
		channel = "messenger"
	}
	res, err := e.HandleMessage(ctx, &survey.Inbound{
		TenantID: "tenant", ContactID: contact, Channel: channel,
		MessageID: fmt.Sprintf("in-%d", msgSeq), Text: text,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(p.w, "   %s: %s\n", contact, text)
	if !res.Consumed {
		fmt.Fprintln(p.w, "   → not part of a survey: the helpdesk opens a new conversation")
		return nil
	}
	p.sent(res)
	return nil
}
