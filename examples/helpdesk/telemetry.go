package main

// The demo's OpenTelemetry wiring: the engine reports to the otel module's
// observer, whose metrics a manual reader collects and whose spans a small
// processor keeps (the newest spanKeep), and GET /api/telemetry shows both
// as JSON. A real host would hand the same providers an exporter instead
// (OTLP, Prometheus…); nothing else changes.

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"

	sfotel "github.com/surveyflow/surveyflow/otel"
	"github.com/surveyflow/surveyflow/survey"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// spanKeep is how many of the newest spans /api/telemetry shows.
const spanKeep = 50

// telemetry holds the engine's metrics and its newest spans in memory.
type telemetry struct {
	reader   *sdkmetric.ManualReader
	meters   *sdkmetric.MeterProvider
	tracers  *sdktrace.TracerProvider
	spans    *lastSpans
	observer *sfotel.Observer
}

// newTelemetry builds the providers and the engine's observer.
func newTelemetry() (*telemetry, error) {
	t := &telemetry{reader: sdkmetric.NewManualReader(), spans: &lastSpans{keep: spanKeep}}
	t.meters = sdkmetric.NewMeterProvider(sdkmetric.WithReader(t.reader))
	t.tracers = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(t.spans))
	obs, err := sfotel.New(t.meters, t.tracers)
	if err != nil {
		return nil, err
	}
	t.observer = obs
	return t, nil
}

// engineObserver is the observer for survey.Config: none without
// telemetry (a nil *telemetry).
func (t *telemetry) engineObserver() survey.Observer {
	if t == nil {
		return nil
	}
	return t.observer
}

// shutdown stops both providers.
func (t *telemetry) shutdown(ctx context.Context) error {
	return errors.Join(t.meters.Shutdown(ctx), t.tracers.Shutdown(ctx))
}

// telemetryReport is the JSON of GET /api/telemetry.
type telemetryReport struct {
	// Summary adds up the survey counters over every channel and survey.
	Summary telemetrySummary `json:"summary"`
	// Metrics are every instrument with its data points, by name.
	Metrics []metricJSON `json:"metrics"`
	// Spans are the newest engine calls, newest first.
	Spans []spanJSON `json:"spans"`
}

// telemetrySummary is what the dashboard of a metrics backend would show
// first.
type telemetrySummary struct {
	Sent       int64 `json:"sent"`
	Answered   int64 `json:"answered"`
	Expired    int64 `json:"expired"`
	Duplicates int64 `json:"duplicates"`
	// ResponseRate is answered over sent, 0 before anything was sent.
	ResponseRate float64 `json:"response_rate"`
}

// metricJSON is one instrument.
type metricJSON struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Unit        string      `json:"unit,omitempty"`
	Points      []pointJSON `json:"points"`
}

// pointJSON is one data point: a counter's Value, or a histogram's Count,
// Sum, Min and Max (in the instrument's unit).
type pointJSON struct {
	Attributes map[string]any `json:"attributes,omitempty"`
	Value      *float64       `json:"value,omitempty"`
	Count      *uint64        `json:"count,omitempty"`
	Sum        *float64       `json:"sum,omitempty"`
	Min        *float64       `json:"min,omitempty"`
	Max        *float64       `json:"max,omitempty"`
}

// spanJSON is one finished span.
type spanJSON struct {
	Name       string         `json:"name"`
	TraceID    string         `json:"trace_id"`
	SpanID     string         `json:"span_id"`
	Start      time.Time      `json:"start"`
	DurationMS float64        `json:"duration_ms"`
	Status     string         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// apiTelemetry answers GET /api/telemetry.
func (t *telemetry) apiTelemetry(w http.ResponseWriter, r *http.Request) {
	var rm metricdata.ResourceMetrics
	if err := t.reader.Collect(r.Context(), &rm); err != nil {
		writeError(w, http.StatusInternalServerError, "collecting metrics: %v", err)
		return
	}
	out := telemetryReport{Metrics: []metricJSON{}, Spans: []spanJSON{}}
	totals := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			mj := metricJSON{Name: m.Name, Description: m.Description, Unit: m.Unit, Points: []pointJSON{}}
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range data.DataPoints {
					v := float64(p.Value)
					mj.Points = append(mj.Points, pointJSON{Attributes: attrs(p.Attributes.ToSlice()), Value: &v})
					totals[m.Name] += p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range data.DataPoints {
					pj := pointJSON{Attributes: attrs(p.Attributes.ToSlice()), Count: &p.Count, Sum: &p.Sum}
					if v, ok := p.Min.Value(); ok {
						pj.Min = &v
					}
					if v, ok := p.Max.Value(); ok {
						pj.Max = &v
					}
					mj.Points = append(mj.Points, pj)
				}
			}
			out.Metrics = append(out.Metrics, mj)
		}
	}
	sort.Slice(out.Metrics, func(i, j int) bool { return out.Metrics[i].Name < out.Metrics[j].Name })
	out.Summary = telemetrySummary{Sent: totals["surveyflow.surveys.sent"], Answered: totals["surveyflow.surveys.answered"],
		Expired: totals["surveyflow.surveys.expired"], Duplicates: totals["surveyflow.deliveries.duplicate"]}
	if out.Summary.Sent > 0 {
		out.Summary.ResponseRate = float64(out.Summary.Answered) / float64(out.Summary.Sent)
	}
	for _, s := range t.spans.newest() {
		out.Spans = append(out.Spans, spanJSON{Name: s.Name(), TraceID: s.SpanContext().TraceID().String(),
			SpanID: s.SpanContext().SpanID().String(), Start: s.StartTime(),
			DurationMS: float64(s.EndTime().Sub(s.StartTime())) / float64(time.Millisecond),
			Status:     s.Status().Code.String(), Error: s.Status().Description, Attributes: attrs(s.Attributes())})
	}
	writeJSON(w, http.StatusOK, out)
}

// attrs turns OpenTelemetry attributes into a JSON object.
func attrs(kvs []attribute.KeyValue) map[string]any {
	if len(kvs) == 0 {
		return nil
	}
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// lastSpans is a span processor that keeps the newest keep finished
// spans in a ring, so a demo that runs for days holds a fixed amount
// (tracetest.SpanRecorder would keep every span).
type lastSpans struct {
	keep int

	mu   sync.Mutex
	ring []sdktrace.ReadOnlySpan
	next int // where the next span goes once the ring is full
}

var _ sdktrace.SpanProcessor = (*lastSpans)(nil)

// OnStart implements sdktrace.SpanProcessor; only finished spans count.
func (l *lastSpans) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd implements sdktrace.SpanProcessor.
func (l *lastSpans) OnEnd(s sdktrace.ReadOnlySpan) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ring) < l.keep {
		l.ring = append(l.ring, s)
		return
	}
	l.ring[l.next] = s
	l.next = (l.next + 1) % l.keep
}

// Shutdown implements sdktrace.SpanProcessor.
func (l *lastSpans) Shutdown(context.Context) error { return nil }

// ForceFlush implements sdktrace.SpanProcessor.
func (l *lastSpans) ForceFlush(context.Context) error { return nil }

// newest returns the kept spans, newest first.
func (l *lastSpans) newest() []sdktrace.ReadOnlySpan {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]sdktrace.ReadOnlySpan, 0, len(l.ring))
	for i := range l.ring {
		// The newest is just before next: at len-1 while the ring fills
		// (next stays 0), then wherever next has come to.
		out = append(out, l.ring[(l.next-1-i+2*len(l.ring))%len(l.ring)])
	}
	return out
}
