package surveytest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// fakeT records what the harness reports, so a test can check that the
// harness fails a test when it should.
type fakeT struct {
	errors []string
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// FailNow ends the harness call as testing.T.FailNow ends the test's
// goroutine: the caller recovers.
func (f *fakeT) FailNow() {
	f.failed = true
	panic(f)
}

// failing runs call and reports whether the harness failed t.
func failing(t *fakeT, call func()) (failed bool) {
	defer func() {
		if r := recover(); r != nil && r != t {
			panic(r)
		}
		failed = t.failed
	}()
	call()
	return false
}

func TestTheHarnessFailsTheTestOnAnEngineError(t *testing.T) {
	ft := &fakeT{}
	h := surveytest.New(ft, survey.Definition{ID: "csat"})
	assert.False(t, ft.failed, "a valid survey builds")

	assert.True(t, failing(ft, func() { h.Close(&survey.Conversation{TenantID: "tenant", ID: "c1"}) }), "a conversation without contact")
	assert.Contains(t, ft.errors[0], "surveytest: closing c1")
	assert.Contains(t, ft.errors[0], "invalid input")

	ft2 := &fakeT{}
	assert.True(t, failing(ft2, func() { surveytest.New(ft2, survey.Definition{}) }), "a survey without ID")
	assert.Contains(t, ft2.errors[0], "building the engine")

	ft3 := &fakeT{}
	h3 := surveytest.New(ft3, survey.Definition{ID: "csat"})
	assert.True(t, failing(ft3, func() { h3.LastSent() }), "nothing sent yet")
	assert.True(t, failing(ft3, func() { h3.Session("tenant", "missing") }), "an unknown session")
}

func TestTheHarnessRunsOnTheHostsConfiguration(t *testing.T) {
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{Surveys: []survey.Definition{{ID: "csat"}}}, Tenant: "acme", Channel: "email"})
	res := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "hi").Closed())
	assert.Equal(t, "acme", res.Session.TenantID)
	assert.Equal(t, "email", res.Session.Channel)
	assert.True(t, h.Says("maria", "4").Consumed)
}

// Drain hands out what the engine decided, the low-score alert included,
// once: a second drain finds nothing new.
func TestDrainDeliversWhatTheEngineDecidedOnce(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}})
	h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Listo").Closed())
	h.Says("maria", "1")
	var keys []string
	for _, f := range h.Drain() {
		keys = append(keys, f.Key)
	}
	s := h.LastSent().SessionID
	want := []string{s + "/rating_request", s + "/comment_request", s + "/low_score"}
	if len(keys) != len(want) {
		t.Fatalf("drained %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("drained %v, want %v", keys, want)
		}
	}
	if again := h.Drain(); len(again) != 0 {
		t.Fatalf("a second drain handed out %d effects again", len(again))
	}
}
