package survey_test

import (
	"testing"
	"time"

	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// The README's "test your flow with a fake clock" snippet, kept compiling
// and passing: plain testing, no assertion library.
func TestSurveyExpiresAfterADay(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Done!").Closed())
	h.Advance(24*time.Hour + time.Second)
	if got := h.Sweep().Expired; got != 1 {
		t.Fatalf("expired %d surveys, want 1", got)
	}
	if h.Says("maria", "5").Consumed {
		t.Fatal("a reply after a day was taken as a rating")
	}
}
