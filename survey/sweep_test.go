package survey_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// cancellingStore is a memory store whose ClaimDue cancels the sweep's
// context once it has claimed, and whose Load, like a database driver's,
// fails on a done context.
type cancellingStore struct {
	*memory.Store
	cancel context.CancelFunc
}

func (c *cancellingStore) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*survey.Session, error) {
	due, err := c.Store.ClaimDue(ctx, now, lease, limit)
	if c.cancel != nil {
		c.cancel()
	}
	return due, err
}

func (c *cancellingStore) Load(ctx context.Context, tenantID, id string) (*survey.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Store.Load(ctx, tenantID, id)
}

// A sweep whose context ends after it claimed a scheduled survey writes
// nothing, so it hands over no rating request: one sent while the session
// still says scheduled would have the contact's answer taken for chat,
// and the survey called off.
func TestASweepCancelledAfterClaimingHandsOverNoUnwrittenRequest(t *testing.T) {
	st := &cancellingStore{Store: memory.New()}
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{Store: st, Clock: clock, Surveys: []survey.Definition{{ID: "csat", SendDelay: time.Hour}}})
	require.NoError(t, err)
	conv := surveytest.NewConversation("c1", "maria", clock.Now()).Tenant("acme").
		Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "listo").Closed()
	res, err := e.ConversationClosed(context.Background(), conv)
	require.NoError(t, err)
	require.Equal(t, survey.StateScheduled, res.Session.State)

	clock.Advance(2 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	sw, err := e.Sweep(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, sw.Outbound, "nothing was written, so nothing is to be sent")
	s, err := st.Store.Load(context.Background(), "acme", res.Session.ID)
	require.NoError(t, err)
	assert.Equal(t, survey.StateScheduled, s.State, "still scheduled")

	st.cancel = nil
	clock.Advance(6 * time.Minute) // the claim's lease ends
	sw, err = e.Sweep(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, sw.Sent, "the next sweep sends it")
}

// A survey removed while its sessions wait (SetTenantSurveys without it)
// strands none of them: a reply to one belongs to the chat and is no
// error, and a sweep ends each at its deadline — expired once sent,
// cancelled if it was never sent — with no error and no message.
func TestSessionsOfARemovedSurveyEndAtTheirDeadline(t *testing.T) {
	h := surveytest.NewWith(t, surveytest.Options{Tenant: "acme"})
	ctx := context.Background()
	now := survey.Definition{ID: "now", Channels: []string{"whatsapp"}}
	later := survey.Definition{ID: "later", Channels: []string{"telegram"}, SendDelay: time.Hour}
	require.NoError(t, h.Engine.SetTenantSurveys("acme", []survey.Definition{now, later}))
	sent := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	require.Len(t, sent.Outbound, 1)
	scheduled := h.Close(h.Conversation("c2", "pedro").Channel("telegram").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	require.Equal(t, survey.StateScheduled, scheduled.Session.State)

	require.NoError(t, h.Engine.SetTenantSurveys("acme", []survey.Definition{{ID: "other", Channels: []string{"email"}}}))
	res, err := h.Engine.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "maria", Channel: "whatsapp", MessageID: "m1", Text: "5"})
	require.NoError(t, err, "a reply to a session of a removed survey is no error")
	assert.False(t, res.Consumed, "it belongs to the chat")

	h.Advance(2 * time.Hour)
	swept, err := h.Engine.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, swept.Sent)
	assert.Empty(t, swept.Outbound)
	assert.Equal(t, survey.StateCancelled, h.Session("acme", scheduled.Session.ID).State, "never sent: cancelled at its send time")
	assert.Equal(t, survey.StateAwaitingRating, h.Session("acme", sent.Session.ID).State, "not due yet")

	h.Advance(23 * time.Hour)
	swept, err = h.Engine.Sweep(ctx)
	require.NoError(t, err, "a sweep never fails on a removed survey")
	assert.Equal(t, 1, swept.Expired)
	ended := h.Session("acme", sent.Session.ID)
	assert.Equal(t, survey.StateExpired, ended.State)
	assert.Empty(t, ended.Pending, "its unsent question is withdrawn")
	swept, err = h.Engine.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, swept.Expired+swept.Sent, "nothing is left to sweep")
}
