package survey_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// An effect nobody delivered for longer than Config.EffectsOverdueAfter is
// reported — an EventOverdue naming it, and a count — and still delivered.
func TestAnOverdueEffectIsReportedAndStillDelivered(t *testing.T) {
	var overdue []survey.Event
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{
		Surveys:             []survey.Definition{{ID: "csat"}},
		EffectsOverdueAfter: time.Hour,
		Observer: survey.ObserverFunc(func(_ context.Context, ev survey.Event) {
			if ev.Kind == survey.EventOverdue {
				overdue = append(overdue, ev)
			}
		}),
	}})
	closed := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	h.Advance(2 * time.Hour)
	var got []string
	res, err := h.Engine.Deliver(context.Background(), func(_ context.Context, f survey.Effect) error {
		got = append(got, f.Key)
		return nil
	}, survey.DeliverOptions{})
	require.NoError(t, err)
	assert.Equal(t, closed.Keys(), got)
	assert.Equal(t, 1, res.Overdue)
	assert.Equal(t, 1, res.Delivered)
	require.Len(t, overdue, 1)
	assert.Equal(t, closed.Outbound[0].IdempotencyKey, overdue[0].Effect)
	assert.Equal(t, 2*time.Hour, overdue[0].Duration)
}

// MinAge leaves what a call just returned to that call's host.
func TestMinAgeLeavesFreshEffectsToTheirCaller(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	deliver := func() int {
		res, err := h.Engine.Deliver(context.Background(), func(context.Context, survey.Effect) error { return nil },
			survey.DeliverOptions{MinAge: time.Minute})
		require.NoError(t, err)
		return res.Delivered
	}
	assert.Zero(t, deliver(), "decided just now")
	h.Advance(time.Minute)
	assert.Equal(t, 1, deliver(), "a minute old: its caller did not acknowledge it")
}

// Deliver and Acknowledge refuse what they cannot work with, clearly.
func TestDeliverAndAcknowledgeRefuseBadInput(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	ctx := context.Background()
	ok := func(context.Context, survey.Effect) error { return nil }
	_, err := h.Engine.Deliver(ctx, nil, survey.DeliverOptions{})
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	_, err = h.Engine.Deliver(ctx, ok, survey.DeliverOptions{MinAge: -time.Second})
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	//lint:ignore SA1012 a nil context is the misuse under test
	_, err = h.Engine.Deliver(nil, ok, survey.DeliverOptions{})
	assert.ErrorIs(t, err, survey.ErrInvalidInput)
	assert.ErrorIs(t, h.Engine.Acknowledge(ctx, "", "s", "k"), survey.ErrInvalidInput)

	closed := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = h.Engine.Deliver(cancelled, ok, survey.DeliverOptions{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, h.Engine.Acknowledge(cancelled, h.Tenant, closed.Session.ID, closed.Keys()...), context.Canceled)
	assert.Len(t, h.Session(h.Tenant, closed.Session.ID).Pending, 1, "a cancelled call acknowledges nothing")
}
