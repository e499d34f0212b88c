package scoring_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// A parser for the CSAT-5 scale with Spanish label words reads what people
// actually type, and says why when it cannot.
func ExampleParser_Parse() {
	p, err := scoring.NewParser(scoring.CSAT5(), map[string]int{
		"Muy insatisfecho": 1, "Insatisfecho": 2, "Neutral": 3, "Satisfecho": 4, "Muy satisfecho": 5,
	})
	if err != nil {
		panic(err)
	}
	for _, reply := range []string{"5", "rating:4", "4/5", "4️⃣", "５", "٣", "⭐⭐⭐⭐⭐", "MUY SATISFECHO!", "10", "4 o 5", "gracias"} {
		v, err := p.Parse(reply)
		switch {
		case errors.Is(err, scoring.ErrOutOfRange):
			fmt.Printf("%-16s → re-prompt: out of range\n", reply)
		case errors.Is(err, scoring.ErrAmbiguous):
			fmt.Printf("%-16s → re-prompt: ambiguous\n", reply)
		case errors.Is(err, scoring.ErrNoScore):
			fmt.Printf("%-16s → re-prompt: no score\n", reply)
		default:
			fmt.Printf("%-16s → %d\n", reply, v)
		}
	}
	// Output:
	// 5                → 5
	// rating:4         → 4
	// 4/5              → 4
	// 4️⃣              → 4
	// ５                → 5
	// ٣                → 3
	// ⭐⭐⭐⭐⭐            → 5
	// MUY SATISFECHO!  → 5
	// 10               → re-prompt: out of range
	// 4 o 5            → re-prompt: ambiguous
	// gracias          → re-prompt: no score
}

// Number words come from a language's data (the i18n package ships them
// for es, en, fr, ru, pt and de); articles that also mean one count only
// as the whole reply.
func ExampleWithNumberWords() {
	p, err := scoring.NewParser(scoring.NPS10(), nil, scoring.WithNumberWords(
		map[string]int{"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10},
		map[string]int{"un": 1, "une": 1},
	))
	if err != nil {
		panic(err)
	}
	for _, reply := range []string{"neuf", "Un neuf !", "DIX", "huit sur dix", "un", "huit ou neuf"} {
		v, err := p.Parse(reply)
		if err != nil {
			fmt.Printf("%-13s → re-prompt: %v\n", reply, err)
			continue
		}
		fmt.Printf("%-13s → %d\n", reply, v)
	}
	// Output:
	// neuf          → 9
	// Un neuf !     → 9
	// DIX           → 10
	// huit sur dix  → 8
	// un            → 1
	// huit ou neuf  → re-prompt: scoring: reply names more than one score: 8 and 9
}

// The figures of a helpdesk report: shares per rating, the satisfaction
// score (positive / all × 100) with its confidence interval, and the
// response rate.
func ExampleSummary() {
	s := scoring.NewSummary(scoring.CSAT5())
	for v, n := range []int{0, 10, 20, 15, 3, 2} { // value → how many
		for range n {
			s.Add(v)
		}
	}
	s.AddSent(125)
	iv, _ := s.SatisfiedInterval(0.95)
	fmt.Println("shares %:", s.Shares())
	fmt.Printf("CSAT %.0f%%, 95%% CI %.1f–%.1f%%\n", s.SatisfiedPercent(), iv.Lower, iv.Upper)
	fmt.Printf("response rate %.0f%%\n", s.ResponseRate())
	fmt.Println("seed 000 CSAT score (sum):", s.Sum())
	// Output:
	// shares %: [20 40 30 6 4]
	// CSAT 10%, 95% CI 4.3–21.4%
	// response rate 40%
	// seed 000 CSAT score (sum): 117
}

// An NPS dashboard: the average score, and the number of high (promoter),
// medium (passive) and low (detractor) scores.
func ExampleSummary_NPS() {
	s := scoring.NewSummary(scoring.NPS10From1())
	for _, v := range []int{10, 9, 9, 8, 7, 6, 3, 10} {
		s.Add(v)
	}
	fmt.Printf("average %.2f, high %d, medium %d, low %d, NPS %.1f\n", s.Mean(), s.Promoters(), s.Passives(), s.Detractors(), s.NPS())
	// Output:
	// average 7.75, high 4, medium 2, low 2, NPS 25.0
}

// Seed 000: an agent's CSAT score is the sum of the answers in every
// conversation the agent took part in.
func ExampleGroup() {
	responses := []scoring.Response{
		{Value: 5, Agents: []string{"ana", "bob"}, Groups: []string{"support"}},
		{Value: 2, Agents: []string{"bob"}, Groups: []string{"billing"}},
		{Value: 4, Agents: []string{"carla", "bob", "carla"}, Groups: []string{"support"}},
	}
	byAgent, overall, _, err := scoring.Group(scoring.CSAT5(), responses, scoring.GroupOptions{By: scoring.ByAgent})
	if err != nil {
		panic(err)
	}
	for _, agent := range byAgent.Keys() {
		s := byAgent.Get(agent)
		fmt.Printf("%-5s sum %2d over %d, %3.0f%% satisfied\n", agent, s.Sum(), s.Count(), s.SatisfiedPercent())
	}
	fmt.Printf("all   sum %2d over %d\n", overall.Sum(), overall.Count())
	// Output:
	// ana   sum  5 over 1, 100% satisfied
	// bob   sum 11 over 3,  67% satisfied
	// carla sum  4 over 1, 100% satisfied
	// all   sum 11 over 3
}

// Ranking agents by the lower bound of their CSAT interval keeps a lucky
// 3-of-3 below a steady 95-of-100.
func ExampleTable_Rank() {
	t := scoring.NewTable(scoring.CSAT5())
	for i := range 100 {
		t.Add("steady", map[bool]int{true: 5, false: 2}[i < 95])
	}
	for range 3 {
		t.Add("lucky", 5)
	}
	ranked, _ := t.Rank(scoring.RankOptions{MinResponses: 1})
	for _, r := range ranked {
		fmt.Printf("%-6s %s\n", r.Key, r.Interval)
	}
	// Output:
	// steady 95.0 (95% CI 88.8–97.8, n=100)
	// lucky  100.0 (95% CI 43.9–100.0, n=3)
}

// A custom scale is validated when it is built.
func ExampleNewScale() {
	_, err := scoring.NewScale(scoring.ScaleConfig{ID: "stars", Min: 1, Max: 5, Satisfied: []int{6}})
	fmt.Println(err)
	s, _ := scoring.NewScale(scoring.ScaleConfig{ID: "stars", Min: 1, Max: 5})
	fmt.Println(s, s.SatisfiedValues(), s.Bands()[0].Name)
	// Output:
	// scoring: invalid scale "stars": satisfied value 6 is outside 1–5
	// stars (1–5) [4 5] negative
}

// Responses grouped by ISO week in the team's time zone.
func ExampleGrouper() {
	g, _ := scoring.NewGrouper(scoring.NPS10(), scoring.GroupOptions{By: scoring.ByWeek, Location: time.FixedZone("UTC-5", -5*3600)})
	g.Add(&scoring.Response{Value: 10, At: time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)}) // Sunday evening at UTC-5
	g.Add(&scoring.Response{Value: 6, At: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)})
	for _, week := range g.Table().Keys() {
		fmt.Println(week, g.Table().Get(week).NPS())
	}
	// Output:
	// 2026-W47 100
	// 2026-W48 -100
}
