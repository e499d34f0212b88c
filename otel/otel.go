// Package otel reports what a surveyflow engine does to OpenTelemetry:
// metrics (surveys sent, answered and expired, duplicates, the response
// rate's two counts, the duration of engine and store calls) and one span
// per engine call. It is a survey.Observer, in a module of its own so that
// the core never depends on OpenTelemetry:
//
//	obs, err := otel.New(meterProvider, tracerProvider)
//	engine, err := survey.New(survey.Config{Store: st, Observer: obs, …})
//
// The response rate is surveyflow.surveys.answered over
// surveyflow.surveys.sent, in whatever backend reads the metrics.
package otel

import (
	"context"
	"errors"
	"time"

	"github.com/surveyflow/surveyflow/survey"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// Scope is the instrumentation scope of the meter and the tracer.
const Scope = "github.com/surveyflow/surveyflow"

// Observer records an engine's events as OpenTelemetry metrics and spans.
// It is safe for concurrent use. Create it with New.
type Observer struct {
	tracer    trace.Tracer
	sent      metric.Int64Counter
	answered  metric.Int64Counter
	expired   metric.Int64Counter
	duplicate metric.Int64Counter
	decided   metric.Int64Counter
	calls     metric.Float64Histogram
	store     metric.Float64Histogram
}

var _ survey.Observer = (*Observer)(nil)

// New returns an observer that records with mp's meter and tp's tracer;
// either may be nil for none (a no-op provider).
func New(mp metric.MeterProvider, tp trace.TracerProvider) (*Observer, error) {
	if mp == nil {
		mp = metricnoop.NewMeterProvider()
	}
	if tp == nil {
		tp = tracenoop.NewTracerProvider()
	}
	m := mp.Meter(Scope)
	o := &Observer{tracer: tp.Tracer(Scope)}
	var err error
	counter := func(name, desc string) metric.Int64Counter {
		c, e := m.Int64Counter(name, metric.WithDescription(desc))
		err = errors.Join(err, e)
		return c
	}
	histogram := func(name, desc string) metric.Float64Histogram {
		h, e := m.Float64Histogram(name, metric.WithDescription(desc), metric.WithUnit("s"))
		err = errors.Join(err, e)
		return h
	}
	o.sent = counter("surveyflow.surveys.sent", "Rating requests handed to the host, at the close or by a sweep.")
	o.answered = counter("surveyflow.surveys.answered", "Ratings given by contacts (the response rate is answered over sent).")
	o.expired = counter("surveyflow.surveys.expired", "Surveys whose question ran out of time.")
	o.duplicate = counter("surveyflow.deliveries.duplicate", "Repeated closes and messages, answered as duplicates.")
	o.decided = counter("surveyflow.closes.decided", "Closes and requests decided, by eligibility.")
	o.calls = histogram("surveyflow.call.duration", "Duration of engine calls.")
	o.store = histogram("surveyflow.store.duration", "Duration of store calls.")
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Observe implements survey.Observer.
func (o *Observer) Observe(ctx context.Context, ev survey.Event) {
	where := []attribute.KeyValue{attribute.String("surveyflow.channel", ev.Channel), attribute.String("surveyflow.survey", ev.SurveyID)}
	switch ev.Kind {
	case survey.EventSent:
		o.sent.Add(ctx, 1, metric.WithAttributes(where...))
	case survey.EventAnswer:
		if ev.Answer == "rating" {
			o.answered.Add(ctx, 1, metric.WithAttributes(where...))
		}
	case survey.EventExpired:
		o.expired.Add(ctx, 1, metric.WithAttributes(where...))
	case survey.EventDuplicate:
		o.duplicate.Add(ctx, 1, metric.WithAttributes(attribute.String("surveyflow.call", ev.Call)))
	case survey.EventDecision:
		o.decided.Add(ctx, 1, metric.WithAttributes(append(where, attribute.Bool("surveyflow.eligible", ev.Eligible))...))
	case survey.EventStore:
		o.store.Record(ctx, ev.Duration.Seconds(), metric.WithAttributes(
			attribute.String("surveyflow.op", ev.Op), attribute.Bool("error", ev.Err != nil)))
	case survey.EventCall:
		o.calls.Record(ctx, ev.Duration.Seconds(), metric.WithAttributes(
			attribute.String("surveyflow.call", ev.Call), attribute.Bool("error", ev.Err != nil)))
		o.span(ctx, ev)
	}
}

// span records the call as a span that started Duration ago and ends now.
func (o *Observer) span(ctx context.Context, ev survey.Event) {
	end := time.Now()
	_, span := o.tracer.Start(ctx, "surveyflow."+ev.Call, trace.WithTimestamp(end.Add(-ev.Duration)),
		trace.WithAttributes(
			attribute.String("surveyflow.tenant", ev.TenantID), attribute.String("surveyflow.survey", ev.SurveyID),
			attribute.String("surveyflow.session", ev.SessionID), attribute.String("surveyflow.channel", ev.Channel)))
	if ev.Err != nil {
		span.RecordError(ev.Err)
		span.SetStatus(codes.Error, ev.Err.Error())
	}
	span.End(trace.WithTimestamp(end))
}
