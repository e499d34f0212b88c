package survey_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// Every exported method of an Engine that survey.New did not make — the
// zero Engine, new(survey.Engine), a nil *Engine — returns an error
// wrapping ErrInvalidInput and never panics. SignsLinks answers false, and
// WithStore returns an engine whose calls fail the same way.
func TestEveryEngineMethodRefusesAnEngineNewDidNotMake(t *testing.T) {
	ctx := context.Background()
	conv := &survey.Conversation{TenantID: "acme", ID: "c1", Channel: "chat", Contact: survey.Contact{ID: "m"}}
	send := func(context.Context, survey.Effect) error { return nil }
	calls := map[string]func(e *survey.Engine) error{
		"Acknowledge":    func(e *survey.Engine) error { return e.Acknowledge(ctx, "acme", "s1", "k") },
		"CommentViaLink": func(e *survey.Engine) error { _, err := e.CommentViaLink(ctx, "acme", "tok", "fine"); return err },
		"ConfirmLink":    func(e *survey.Engine) error { _, err := e.ConfirmLink(ctx, "acme", "tok"); return err },
		"ConfirmLinkAs":  func(e *survey.Engine) error { _, err := e.ConfirmLinkAs(ctx, "acme", "tok", 4); return err },
		"ConversationClosed": func(e *survey.Engine) error {
			_, err := e.ConversationClosed(ctx, conv)
			return err
		},
		"ConversationReopened": func(e *survey.Engine) error {
			_, err := e.ConversationReopened(ctx, conv)
			return err
		},
		"ContactData": func(e *survey.Engine) error { _, err := e.ContactData(ctx, "acme", "m"); return err },
		"Deliver":     func(e *survey.Engine) error { _, err := e.Deliver(ctx, send, survey.DeliverOptions{}); return err },
		"EraseContact": func(e *survey.Engine) error {
			_, err := e.EraseContact(ctx, "acme", "m", survey.EraseOptions{})
			return err
		},
		"Retain": func(e *survey.Engine) error { _, err := e.Retain(ctx); return err },
		"ScoreLabel": func(e *survey.Engine) error {
			_, ok := e.ScoreLabel("acme", "csat", "es", 5)
			assert.False(t, ok)
			return e.SetTenantSurveys("acme", nil)
		},
		"ReasonLabel": func(e *survey.Engine) error {
			_, ok := e.ReasonLabel("acme", "csat", "es", "slow")
			assert.False(t, ok)
			return e.SetTenantSurveys("acme", nil)
		},
		"SetTenantRetention": func(e *survey.Engine) error { return e.SetTenantRetention("acme", 0) },
		"TenantRetention": func(e *survey.Engine) error {
			assert.Zero(t, e.TenantRetention("acme"))
			return e.SetTenantRetention("acme", 0)
		},
		"FlowDiagram": func(e *survey.Engine) error { _, err := e.FlowDiagram("acme", "csat"); return err },
		"HandleMessage": func(e *survey.Engine) error {
			_, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "acme", ContactID: "m", Channel: "chat", MessageID: "1", Text: "5"})
			return err
		},
		"LastRating":    func(e *survey.Engine) error { _, err := e.LastRating(ctx, "acme", "m"); return err },
		"OpenLink":      func(e *survey.Engine) error { _, err := e.OpenLink(ctx, "acme", "tok"); return err },
		"RequestSurvey": func(e *survey.Engine) error { _, err := e.RequestSurvey(ctx, conv, survey.Request{}); return err },
		"Review": func(e *survey.Engine) error {
			_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: "s1", Score: 1})
			return err
		},
		"Scale": func(e *survey.Engine) error { _, err := e.Scale("acme", "csat"); return err },
		"SetTenantSurveys": func(e *survey.Engine) error {
			return e.SetTenantSurveys("acme", []survey.Definition{{ID: "csat"}})
		},
		"SignsLinks": func(e *survey.Engine) error {
			assert.False(t, e.SignsLinks())
			_, err := e.OpenLink(ctx, "acme", "tok")
			return err
		},
		"Summarize": func(e *survey.Engine) error {
			_, err := e.Summarize(&survey.Session{TenantID: "acme", SurveyID: "csat"})
			return err
		},
		"Sweep": func(e *survey.Engine) error { _, err := e.Sweep(ctx); return err },
		"WithStore": func(e *survey.Engine) error {
			_, err := e.WithStore(memory.New()).ConversationClosed(ctx, conv)
			return err
		},
	}
	methods := reflect.TypeFor[*survey.Engine]()
	for i := range methods.NumMethod() {
		assert.Contains(t, calls, methods.Method(i).Name, "every exported method of Engine is tried")
	}
	for name, e := range map[string]*survey.Engine{"zero": {}, "new": new(survey.Engine), "nil": nil} {
		for call, run := range calls {
			var err error
			if assert.NotPanics(t, func() { err = run(e) }, "%s engine: %s", name, call) {
				assert.ErrorIs(t, err, survey.ErrInvalidInput, "%s engine: %s", name, call)
			}
		}
	}
}

func TestSummarizeRefusesANilSession(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	_, err := h.Engine.Summarize(nil)
	require.ErrorIs(t, err, survey.ErrInvalidInput)
}
