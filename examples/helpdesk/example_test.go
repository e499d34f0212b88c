package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/surveyflow/surveyflow/store/memory"
)

// A helpdesk posts a closed conversation to the webhook and sends the
// rating request it gets back; the contact's reply goes to /api/messages.
func Example() {
	a, _ := newApp(config{store: memory.New(), secret: testSecret})
	a.clock.set(testNow)
	srv := httptest.NewServer(a.handler())
	defer srv.Close()

	post := func(path string, v any) resultJSON {
		body, _ := json.Marshal(v)
		res, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		var out resultJSON
		_ = json.NewDecoder(res.Body).Decode(&out)
		return out
	}
	closed := post("/api/conversations/closed", longConversation("conv-42", "maria", "whatsapp", "es-AR"))
	fmt.Println("eligible:", *closed.Eligible)
	fmt.Println(closed.Outbound[0].Text)

	reply := post("/api/messages", inboundJSON{ContactID: "maria", Channel: "whatsapp", MessageID: "wamid-1", Text: "😄"})
	fmt.Println("consumed:", *reply.Consumed, "rating:", *reply.Session.Rating)
	fmt.Println(reply.Outbound[0].Text)
	// Output:
	// eligible: true
	// ¿Cómo calificaría la atención que recibió?
	//
	// 😡 Muy mal
	// 🙁 Mal
	// 😐 Regular
	// 🙂 Bien
	// 😄 Excelente
	// consumed: true rating: 5
	// Si tiene un comentario, déjelo a continuación 👇
}
