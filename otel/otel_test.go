package otel_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/otel"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// sums reads every counter's total and every histogram's count.
func sums(t *testing.T, r *sdkmetric.ManualReader) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.Collect(context.Background(), &rm))
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] += p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name] += int64(p.Count)
				}
			}
		}
	}
	return out
}

func TestAFlowBecomesMetricsAndSpans(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	spans := tracetest.NewSpanRecorder()
	obs, err := otel.New(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)), sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)))
	require.NoError(t, err)
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{Store: memory.New(), Observer: obs,
		Surveys: []survey.Definition{{ID: "csat"}}}})

	h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hola").Closed())
	h.Says("maria", "5")
	h.Says("maria", "gracias")
	h.Close(h.Conversation("c2", "ben").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed())
	h.Advance(25 * time.Hour)
	h.Sweep()

	got := sums(t, reader)
	assert.Equal(t, int64(2), got["surveyflow.surveys.sent"])
	assert.Equal(t, int64(1), got["surveyflow.surveys.answered"], "answered over sent is the response rate")
	assert.Equal(t, int64(1), got["surveyflow.surveys.expired"])
	assert.Equal(t, int64(2), got["surveyflow.closes.decided"])
	assert.Equal(t, int64(5), got["surveyflow.call.duration"], "two closes, two messages, one sweep")
	assert.Positive(t, got["surveyflow.store.duration"])

	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
		assert.False(t, s.EndTime().Before(s.StartTime()), s.Name())
	}
	assert.Equal(t, []string{"surveyflow.close", "surveyflow.message", "surveyflow.message", "surveyflow.close", "surveyflow.sweep"}, names)
}

func TestNilProvidersRecordNothingAndNeverFail(t *testing.T) {
	obs, err := otel.New(nil, nil)
	require.NoError(t, err)
	assert.NotPanics(t, func() {
		obs.Observe(context.Background(), survey.Event{Kind: survey.EventCall, Call: "close", Duration: time.Millisecond})
	})
}
