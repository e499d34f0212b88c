package surveytest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// Drive a whole survey, including a 24-hour expiry, with a fake clock.
func Example() {
	t := &testing.T{} // in a real test, the test's own *testing.T
	h := surveytest.New(t, survey.Survey{ID: "csat"})
	conv := surveytest.NewConversation("c1", "maria", h.Clock.Now()).
		Language("en").Agent("ana", "Ana", survey.Human).
		ContactSays("My invoice is wrong").AgentSays("ana", "Fixed it!").
		Closed()
	h.Clock.Set(conv.ClosedAt)

	h.Close(conv)
	h.Advance(24*time.Hour + time.Second)
	fmt.Println("expired:", h.Sweep().Expired)
	fmt.Println("late reply consumed:", h.Reply("tenant", "maria", "whatsapp", "5").Consumed)
	fmt.Println("sent:", h.Kinds())
	// Output:
	// expired: 1
	// late reply consumed: false
	// sent: [rating_request]
}
