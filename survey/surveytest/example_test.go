package surveytest_test

import (
	"fmt"
	"os"
	"time"

	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// stdoutT stands in for the *testing.T a real test passes: an example has
// none.
type stdoutT struct{}

func (stdoutT) Helper()                           {}
func (stdoutT) Errorf(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) }
func (stdoutT) FailNow()                          { panic("test failed") }

// Drive a whole survey, including a 24-hour expiry, with a fake clock. In
// a test, pass its *testing.T instead of stdoutT.
func Example() {
	h := surveytest.New(stdoutT{}, survey.Definition{ID: "csat"})
	conv := h.Conversation("c1", "maria").Language("en").Agent("ana", "Ana", survey.Human).
		ContactSays("My invoice is wrong").AgentSays("ana", "Fixed it!").Closed()
	h.Clock.Set(conv.ClosedAt)

	h.Close(conv)
	h.Advance(24*time.Hour + time.Second)
	fmt.Println("expired:", h.Sweep().Expired)
	fmt.Println("late reply consumed:", h.Says("maria", "5").Consumed)
	fmt.Println("sent:", h.Kinds())
	// Output:
	// expired: 1
	// late reply consumed: false
	// sent: [rating_request]
}

// A harness on the host's own configuration: its store, tenant and
// channel, and an engine option of its own.
func ExampleNewWith() {
	h := surveytest.NewWith(stdoutT{}, surveytest.Options{
		Config:  survey.Config{Surveys: []survey.Definition{{ID: "csat", SkipComment: true}}, MaxCommentLength: 200},
		Tenant:  "acme",
		Channel: "telegram",
	})
	h.Close(h.Conversation("c1", "ivan").Language("ru").Agent("olga", "Olga", survey.Human).AgentSays("olga", "Готово").Closed())
	res := h.Says("ivan", "5")
	fmt.Println(res.Session.TenantID, res.Session.Channel, res.Session.State, res.Session.Rating)
	// Output: acme telegram completed 5
}
