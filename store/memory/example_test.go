package memory_test

import (
	"context"
	"fmt"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// The memory store is what an engine needs when sessions may live in RAM.
func Example() {
	engine, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Survey{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}
	res, _ := engine.ConversationClosed(context.Background(), &survey.Conversation{
		TenantID: "acme", ID: "conv-1", Channel: "telegram",
		Contact: survey.Contact{ID: "ivan", Language: "en"},
	})
	fmt.Println(res.Session.State, res.Outbound[0].Kind)
	// Output: awaiting_rating rating_request
}
