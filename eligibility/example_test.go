package eligibility_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// A tenant's rules, stored as JSON, decide against a short chat with a VIP
// customer: the decision lists both reasons, not only the first.
func Example() {
	rules, err := eligibility.Load([]byte(`{"rules": [
		{"rule": "answered_by_agent", "agents": "human_only"},
		{"rule": "transcript_longer_than", "chars": 250},
		{"rule": "field", "field": "priority", "op": "in", "values": ["high", "medium"]},
		{"rule": "labels", "op": "not_contains", "values": ["vip-escalation"]}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	conv := surveytest.NewConversation("conv-7", "maria", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)).
		Agent("ana", "Ana", survey.Human).
		Field("priority", "high").
		Label("vip-escalation").
		ContactSays("My March invoice shows the wrong amount.").
		AgentSays("ana", "Sorry about that, I corrected it and sent you the new one.").
		Closed()

	d, err := survey.Evaluate(context.Background(), rules, &survey.Input{Conversation: conv, SurveyID: "csat", Now: conv.ClosedAt})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("eligible:", d.Eligible)
	for _, f := range d.Failures {
		fmt.Printf("%s [%s]: %s\n", f.Rule, f.Code, f.Reason)
	}
	// Output:
	// eligible: false
	// transcript_longer_than [transcript_too_short]: transcript has 98 characters, needs more than 250
	// labels [label_condition_failed]: labels {"vip-escalation"} include {"vip-escalation"}, must include none of {"vip-escalation"}
}

// Rules built in code turn back into the configuration a host stores.
func ExampleConfigOf() {
	rules := []survey.Rule{
		eligibility.Channels("whatsapp", "messenger"),
		eligibility.Sample(30, eligibility.Salt("2026-q1")),
		eligibility.FrequencyCap(7*24*time.Hour, eligibility.AnySurvey),
		eligibility.Any(
			eligibility.MinAgentReplies(3, eligibility.HumanOnly),
			eligibility.MinHandlingTime(5*time.Minute, eligibility.HumanOnly),
		),
		eligibility.Not(eligibility.Field("source", eligibility.Equals, "test")),
	}
	cfg, err := eligibility.ConfigOf(rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	js, _ := json.MarshalIndent(cfg, "", "  ")
	fmt.Println(string(js))
	// Output:
	// {
	//   "rules": [
	//     {
	//       "rule": "channel",
	//       "channels": [
	//         "whatsapp",
	//         "messenger"
	//       ]
	//     },
	//     {
	//       "rule": "sample",
	//       "percent": 30,
	//       "salt": "2026-q1"
	//     },
	//     {
	//       "rule": "frequency_cap",
	//       "period": "7d",
	//       "scope": "any_survey"
	//     },
	//     {
	//       "rule": "any",
	//       "rules": [
	//         {
	//           "rule": "min_agent_replies",
	//           "agents": "human_only",
	//           "replies": 3
	//         },
	//         {
	//           "rule": "min_handling_time",
	//           "agents": "human_only",
	//           "duration": "5m0s"
	//         }
	//       ]
	//     },
	//     {
	//       "rule": "not",
	//       "of": {
	//         "rule": "field",
	//         "field": "source",
	//         "op": "equals",
	//         "values": [
	//           "test"
	//         ]
	//       }
	//     }
	//   ]
	// }
}

// A host-specific rule: no surveys at the weekend. Func rules live in host
// code, so they are appended to the rules built from configuration.
func ExampleFunc() {
	rules, _ := eligibility.Load([]byte(`{"rules":[{"rule":"channel","channels":["whatsapp"]}]}`))
	rules = append(rules, eligibility.Func("weekdays_only", func(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
		if d := in.Now.Weekday(); d == time.Saturday || d == time.Sunday {
			return []survey.Failure{{Code: "weekend", Reason: "no surveys on " + d.String()}}, nil
		}
		return nil, nil
	}))
	saturday := time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)
	conv := surveytest.NewConversation("conv-8", "maria", saturday).Channel("email").ContactSays("hi").Closed()
	d, _ := survey.Evaluate(context.Background(), rules, &survey.Input{Conversation: conv, Now: saturday})
	fmt.Println(d)
	// Output:
	// not eligible: channel "email" is not one of {"whatsapp"}; no surveys on Saturday
}
