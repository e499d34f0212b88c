package otel_test

import (
	"context"
	"fmt"

	"github.com/surveyflow/surveyflow/otel"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Wire the observer into an engine; here a manual reader stands in for the
// host's exporter.
func Example() {
	reader := sdkmetric.NewManualReader()
	obs, err := otel.New(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)), nil)
	if err != nil {
		panic(err)
	}
	engine, err := survey.New(survey.Config{Store: memory.New(), Observer: obs, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	if _, err := engine.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "whatsapp", Contact: survey.Contact{ID: "maria"}}); err != nil {
		panic(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		panic(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name == "surveyflow.surveys.sent" {
			fmt.Println(m.Name, m.Data.(metricdata.Sum[int64]).DataPoints[0].Value)
		}
	}
	// Output: surveyflow.surveys.sent 1
}
