package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

func Example() {
	ctx := context.Background()
	st := memory.New()
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	s := &survey.Session{TenantID: "acme", ID: "s1", SurveyID: "csat", ConversationID: "conv-1",
		ContactID: "maria", Channel: "whatsapp", State: survey.StateAwaitingRating,
		CreatedAt: now, Deadline: now.Add(24 * time.Hour)}
	_ = st.Create(ctx, s)

	stale := s.Clone()
	s.State, s.Rated, s.Rating, s.RatedAt = survey.StateAwaitingComment, true, 5, now.Add(time.Minute)
	fmt.Println(st.Update(ctx, s), s.Version)
	fmt.Println(st.Update(ctx, stale))

	for r, err := range report.All(ctx, st, "acme", report.Filter{Rating: &report.Range{Min: 4, Max: 5}}) {
		fmt.Println(r.ID, r.Rating, err)
	}
	// Output:
	// <nil> 2
	// surveyflow: stale session version
	// s1 5 <nil>
}

// The memory store is what an engine needs when sessions may live in RAM.
func Example_engine() {
	engine, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{{ID: "csat"}}})
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
