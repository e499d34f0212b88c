package survey_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// An erasure forgets the engine's remembered copy of the contact's
// session: the contact's next message is routed (and finds nothing), not
// tried on a copy that still holds the contact's data.
func TestErasureForgetsTheRememberedSession(t *testing.T) {
	f := newRememberFixture(t)
	e := f.engine(0)
	f.close(e, "c1", "maria")
	f.st.took()
	_, err := e.EraseContact(context.Background(), "acme", "maria", survey.EraseOptions{})
	require.NoError(t, err)
	f.st.took()
	res := f.reply(e, "maria", "m1", "5")
	assert.False(t, res.Consumed)
	assert.Equal(t, map[string]int{"Route": 1}, f.st.took(), "no save tried on a remembered copy")
}

// count returns how many events of kind the recorder has for call.
func (r *recorder) count(kind survey.EventKind, call string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if ev.Kind == kind && ev.Call == call {
			n++
		}
	}
	return n
}

// Retention pages through more sessions than one batch, and every call
// and session is observed.
func TestRetentionPagesThroughEveryBatch(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	const n = 600 // more than two of the engine's batches
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		s := &survey.Session{TenantID: "acme", ID: fmt.Sprintf("s%04d", i), SurveyID: "csat", ConversationID: fmt.Sprintf("c%d", i),
			ContactID: fmt.Sprintf("u%d", i), ContactName: "someone", Channel: "whatsapp", State: survey.StateCompleted,
			CreatedAt: start.Add(time.Duration(i%7) * time.Minute), Comment: "old words"}
		require.NoError(t, st.Create(ctx, s))
	}
	o := &recorder{}
	e, err := survey.New(survey.Config{Store: st, Clock: surveytest.NewClock(start.Add(40 * 24 * time.Hour)),
		Surveys: []survey.Definition{{ID: "csat"}}, Observer: o})
	require.NoError(t, err)
	require.NoError(t, e.SetTenantRetention("acme", 30*24*time.Hour))
	assert.Equal(t, 30*24*time.Hour, e.TenantRetention("acme"))
	res, err := e.Retain(ctx)
	require.NoError(t, err)
	assert.Equal(t, survey.RetentionResult{Tenants: 1, Scrubbed: n}, *res)
	assert.Equal(t, n, o.count(survey.EventScrubbed, "retain"))
	assert.Equal(t, 1, o.count(survey.EventCall, "retain"))
	left, err := st.WithText(ctx, "acme", start.Add(time.Hour), survey.Position{}, 0)
	require.NoError(t, err)
	assert.Empty(t, left)
}

// A store without PrivacyStore still erases (through Store alone), but
// cannot remove responses or run retention: it says so.
func TestWithoutAPrivacyStore(t *testing.T) {
	ctx := context.Background()
	st := surveytest.NewFaultyStore(memory.New(), nil) // only survey.Store
	o := &recorder{}
	e, err := survey.New(survey.Config{Store: st, Surveys: []survey.Definition{{ID: "csat"}}, Observer: o})
	require.NoError(t, err)
	c := surveytest.NewConversation("c1", "maria", time.Now().Add(-time.Hour)).Tenant("acme").ContactName("María").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	_, err = e.ConversationClosed(ctx, c)
	require.NoError(t, err)

	_, err = e.EraseContact(ctx, "acme", "maria", survey.EraseOptions{RemoveResponses: true})
	assert.ErrorIs(t, err, errors.ErrUnsupported)
	res, err := e.EraseContact(ctx, "acme", "maria", survey.EraseOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Erased)
	assert.Equal(t, 1, o.count(survey.EventErased, "erase"))

	res2, err := e.Retain(ctx)
	require.NoError(t, err, "no tenant has a period: nothing to do")
	assert.Zero(t, *res2)
	require.NoError(t, e.SetTenantRetention("acme", time.Hour))
	_, err = e.Retain(ctx)
	assert.ErrorIs(t, err, errors.ErrUnsupported)
}

// A contact asks to see their data, then to be forgotten; the tenant
// keeps comments 90 days.
func ExampleEngine_EraseContact() {
	ctx := context.Background()
	clock := surveytest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	engine, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Surveys: []survey.Definition{{ID: "csat"}}})
	if err != nil {
		panic(err)
	}
	conv := surveytest.NewConversation("conv-1", "maria", clock.Now()).Tenant("acme").ContactName("María").
		Agent("ana", "Ana", survey.Human).ContactSays("Hola").AgentSays("ana", "Listo").Closed()
	clock.Set(conv.ClosedAt)
	if _, err := engine.ConversationClosed(ctx, conv); err != nil {
		panic(err)
	}
	for i, text := range []string{"5", "Muy amable"} {
		in := &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: "whatsapp", MessageID: fmt.Sprint("m", i), Text: text}
		if _, err := engine.HandleMessage(ctx, in); err != nil {
			panic(err)
		}
	}

	data, err := engine.ContactData(ctx, "acme", "maria")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s rated %d: %q\n", data.Surveys[0].ContactName, data.Surveys[0].Rating, data.Surveys[0].Comment)

	res, err := engine.EraseContact(ctx, "acme", "maria", survey.EraseOptions{})
	if err != nil {
		panic(err)
	}
	data, _ = engine.ContactData(ctx, "acme", "maria")
	fmt.Println("erased:", res.Erased, "left:", len(data.Surveys))

	if err := engine.SetTenantRetention("acme", 90*24*time.Hour); err != nil {
		panic(err)
	}
	kept, err := engine.Retain(ctx) // daily
	if err != nil {
		panic(err)
	}
	fmt.Println("scrubbed:", kept.Scrubbed)
	// Output:
	// María rated 5: "Muy amable"
	// erased: 1 left: 0
	// scrubbed: 0
}
