package surveyconfig_test

import (
	"fmt"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/surveyconfig"
)

// A tenant's surveys, stored as JSON, become an engine's configuration.
func Example() {
	surveys, err := surveyconfig.Parse([]byte(`{"surveys": [
		{"id": "nps", "scale": "nps10", "channels": ["email"], "send_delay": "1h"},
		{"id": "csat", "rules": [{"rule": "transcript_longer_than", "chars": 250}]}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := survey.New(survey.Config{Store: memory.New(), Surveys: surveys})
	fmt.Println(len(surveys), surveys[0].Scale.ID(), surveys[0].SendDelay, engine != nil, err)

	_, err = surveyconfig.Parse([]byte(`{"surveys": [{"id": "x", "scale": "stars"}]}`))
	fmt.Println(err)
	// Output:
	// 2 nps10 1h0m0s true <nil>
	// surveyconfig: invalid configuration: survey "x": unknown scale "stars"
}
