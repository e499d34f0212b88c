package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// A report per agent and per day in São Paulo, with the response rate and
// the time to rate, over sessions a host holds (any store answers the
// same way).
func Example() {
	sent := time.Date(2026, 5, 5, 1, 0, 0, 0, time.UTC) // 22:00 on the 4th in São Paulo
	sessions := report.Sessions{
		{TenantID: "acme", ID: "s1", SurveyID: "csat", Channel: "whatsapp", SentAt: sent,
			Agents: []survey.Participant{{ID: "ana"}, {ID: "bo"}}, LastAgent: "bo",
			Rated: true, Rating: 5, RatedAt: sent.Add(time.Hour)}, // 23:00 on the 4th
		{TenantID: "acme", ID: "s2", SurveyID: "csat", Channel: "whatsapp", SentAt: sent,
			Agents: []survey.Participant{{ID: "ana"}}, LastAgent: "ana",
			Rated: true, Rating: 2, RatedAt: sent.Add(3 * time.Hour)}, // 01:00 on the 5th
		{TenantID: "acme", ID: "s3", SurveyID: "csat", Channel: "email", SentAt: sent,
			Agents: []survey.Participant{{ID: "bo"}}, LastAgent: "bo"}, // never rated
	}
	saoPaulo, _ := time.LoadLocation("America/Sao_Paulo")
	r, err := report.Build(context.Background(), sessions, "acme", report.Options{
		Scale:    scoring.CSAT5(),
		Filter:   report.Filter{Attribution: scoring.LastAgent, From: sent.Add(-24 * time.Hour), To: sent.Add(24 * time.Hour)},
		By:       []scoring.Dimension{scoring.ByAgent, scoring.ByDay},
		Location: saoPaulo,
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("overall: %d responses of %d sent (%.0f%%), mean time to rate %s\n",
		r.Overall.Count(), r.Overall.Sent(), r.Overall.ResponseRate(), r.Overall.ResponseTimes().Mean)
	for _, k := range r.ByAgent.Keys() {
		s := r.ByAgent.Get(k)
		fmt.Printf("agent %s: sum %d of %d responses, %d sent\n", k, s.Sum(), s.Count(), s.Sent())
	}
	for _, k := range r.ByPeriod.Keys() {
		fmt.Printf("day %s: %d responses, %d sent\n", k, r.ByPeriod.Get(k).Count(), r.ByPeriod.Get(k).Sent())
	}
	// Output:
	// overall: 2 responses of 3 sent (67%), mean time to rate 2h0m0s
	// agent ana: sum 2 of 1 responses, 1 sent
	// agent bo: sum 5 of 1 responses, 2 sent
	// day 2026-05-04: 1 responses, 3 sent
	// day 2026-05-05: 1 responses, 0 sent
}

// The registry, a page at a time, newest first.
func ExamplePage() {
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	var sessions report.Sessions
	for i := range 5 {
		sessions = append(sessions, &survey.Session{TenantID: "acme", ID: fmt.Sprint("s", i), Rated: true, Rating: i%5 + 1, RatedAt: at.Add(time.Duration(i) * time.Hour)})
	}
	ctx := context.Background()
	var after *report.Cursor
	for {
		page, next, err := report.Page(ctx, sessions, "acme", report.Filter{}, 2, after)
		if err != nil {
			panic(err)
		}
		for _, s := range page {
			fmt.Print(s.ID, " ")
		}
		fmt.Println("|")
		if next == nil {
			break
		}
		after = next
	}
	// Output:
	// s4 s3 |
	// s2 s1 |
	// s0 |
}

// Responses per reason given after a low score, then the agents' figures
// for one reason: a report filtered by it.
func ExampleBuild_reasons() {
	at := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	rated := func(id, agent string, rating int, reason string) *survey.Session {
		return &survey.Session{TenantID: "acme", ID: id, Channel: "whatsapp", Agents: []survey.Participant{{ID: agent}},
			SentAt: at, Rated: true, Rating: rating, RatedAt: at.Add(time.Hour), Reason: reason}
	}
	sessions := report.Sessions{
		rated("s1", "ana", 1, "slow"), rated("s2", "bo", 2, "slow"),
		rated("s3", "ana", 2, "not_solved"), rated("s4", "bo", 5, ""), // no reason after a good score
	}
	ctx := context.Background()
	r, err := report.Build(ctx, sessions, "acme", report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByReason}})
	if err != nil {
		panic(err)
	}
	for _, k := range r.ByReason.Keys() {
		fmt.Printf("reason %s: %d responses\n", k, r.ByReason.Get(k).Count())
	}
	slow, err := report.Build(ctx, sessions, "acme", report.Options{Scale: scoring.CSAT5(),
		Filter: report.Filter{Reasons: []string{"slow"}}, By: []scoring.Dimension{scoring.ByAgent}})
	if err != nil {
		panic(err)
	}
	for _, k := range slow.ByAgent.Keys() {
		s := slow.ByAgent.Get(k)
		fmt.Printf("slow, agent %s: %d of %d surveys sent\n", k, s.Count(), s.Sent())
	}
	// Output:
	// reason not_solved: 1 responses
	// reason slow: 2 responses
	// slow, agent ana: 1 of 2 surveys sent
	// slow, agent bo: 1 of 2 surveys sent
}

// This week against last week: is the change in CSAT more than noise?
func ExampleCompare() {
	monday := time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC)
	var sessions report.Sessions
	rate := func(week, n, satisfied int) {
		for i := range n {
			at := monday.AddDate(0, 0, 7*week).Add(time.Duration(i) * time.Hour)
			rating := 2
			if i < satisfied {
				rating = 5
			}
			sessions = append(sessions, &survey.Session{TenantID: "acme", ID: fmt.Sprintf("w%d-%d", week, i), Scale: "csat5",
				Agents: []survey.Participant{{ID: "ana"}}, Rated: true, Rating: rating, RatedAt: at})
		}
	}
	rate(-1, 80, 48) // last week: 48 of 80 satisfied
	rate(0, 70, 56)  // this week: 56 of 70
	from, to := monday, monday.AddDate(0, 0, 7)
	prevFrom, prevTo := report.PreviousPeriod(from, to)
	c, err := report.Compare(context.Background(), sessions, "acme",
		report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: prevFrom, To: prevTo}},
		report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: from, To: to}}, 0.95)
	if err != nil {
		panic(err)
	}
	d := c.Overall.CSAT
	fmt.Printf("CSAT %.0f%% → %.0f%%: %s\n", d.Before, d.After, d)
	// Output:
	// CSAT 60% → 80%: +20.0 (95% CI +5.2 to +33.4, significant)
}
