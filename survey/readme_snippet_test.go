package survey_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// The README's "test your flow with a fake clock" snippet, kept compiling
// and passing.
func TestSurveyExpiresAfterADay(t *testing.T) {
	h := surveytest.New(t, survey.Survey{ID: "csat", Rules: eligibility.Seed000()})
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).
		Language("es").Agent("ana", "Ana", survey.Human, "support").
		ContactSays(surveytest.Padding(200)).AgentSays("ana", surveytest.Padding(60)).
		Closed()
	h.Clock.Set(conv.ClosedAt)

	res := h.Close(conv)
	require.True(t, res.Decision.Eligible)

	h.Advance(24*time.Hour + time.Second)
	require.Equal(t, 1, h.Sweep().Expired)
	require.False(t, h.Reply("tenant", "maria", "whatsapp", "5").Consumed)
}
