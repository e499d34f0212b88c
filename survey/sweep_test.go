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
