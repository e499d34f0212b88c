package survey_test

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// A conversation closes, the contact rates it and leaves a comment.
func Example() {
	ctx := context.Background()
	clock := surveytest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	engine, err := survey.New(survey.Config{
		Store:   memory.New(),
		Clock:   clock,
		Surveys: []survey.Definition{{ID: "csat", Rules: eligibility.AnsweredLongAndRecent()}},
	})
	if err != nil {
		panic(err)
	}
	conv := surveytest.NewConversation("conv-1", "maria", clock.Now()).
		Language("es").Agent("ana", "Ana", survey.Human, "support").
		ContactSays("Hola, mi pedido 1234 llegó incompleto: falta el cargador del portátil que compré la semana pasada.").
		AgentSays("ana", "Lo siento mucho, María. Ya registré el faltante y el cargador sale hoy por mensajería urgente; te llegará mañana antes del mediodía, y te envío ahora el número de seguimiento.").
		ContactSays("¡Gracias!").
		Closed()
	clock.Set(conv.ClosedAt)

	res, err := engine.ConversationClosed(ctx, conv)
	if err != nil || !res.Decision.Eligible {
		fmt.Println(err, res.Decision)
		return
	}
	fmt.Println(res.Outbound[0].Text)

	for i, reply := range []string{"5", "Muy rápido, gracias"} {
		clock.Advance(time.Minute)
		res, _ = engine.HandleMessage(ctx, &survey.Inbound{
			TenantID: "tenant", ContactID: "maria", Channel: "whatsapp",
			MessageID: fmt.Sprint("in-", i), Text: reply,
		})
		fmt.Printf("> %s\n%s\n", reply, res.Outbound[0].Text)
	}
	fmt.Println(res.Session.State, res.Session.Rating)
	// Output:
	// Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?
	//
	// 1️⃣ Muy insatisfecho
	// 2️⃣ Insatisfecho
	// 3️⃣ Neutral
	// 4️⃣ Satisfecho
	// 5️⃣ Muy satisfecho
	// > 5
	// Si tiene un comentario, déjelo a continuación 👇
	// > Muy rápido, gracias
	// ¡Gracias por su comentario!
	// completed 5
}

// The state machine the engine runs, drawn by looplab/fsm.
func ExampleEngine_FlowDiagram() {
	engine, _ := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "csat"}}})
	diagram, _ := engine.FlowDiagram("acme", "csat")
	fmt.Println(diagram)
	// Output:
	// stateDiagram-v2
	//     [*] --> scheduled
	//     awaiting_comment --> cancelled: cancel
	//     awaiting_comment --> completed: comment
	//     awaiting_comment --> expired: expire
	//     awaiting_rating --> cancelled: cancel
	//     awaiting_rating --> expired: expire
	//     awaiting_rating --> unanswered: give_up
	//     awaiting_rating --> awaiting_comment: rate
	//     scheduled --> cancelled: cancel
	//     scheduled --> awaiting_rating: send
}

// An observer counts what the engine does, for the host's metrics: here
// the surveys sent and the ratings received.
func ExampleObserverFunc() {
	counts := map[string]int{}
	count := survey.ObserverFunc(func(_ context.Context, ev survey.Event) {
		switch {
		case ev.Kind == survey.EventSent:
			counts["sent"]++
		case ev.Kind == survey.EventAnswer && ev.Answer == "rating":
			counts["rated"]++
		}
	})
	engine, _ := survey.New(survey.Config{Store: memory.New(), Observer: count, Surveys: []survey.Definition{{ID: "csat"}}})
	ctx := context.Background()
	engine.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "whatsapp", Contact: survey.Contact{ID: "maria"}})
	engine.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: "whatsapp", MessageID: "m1", Text: "5"})
	fmt.Println(counts["sent"], counts["rated"])
	// Output: 1 1
}
