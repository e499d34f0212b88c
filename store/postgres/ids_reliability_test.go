package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// TestIDsWithNULOrInvalidUTF8AreInvalidInputOnEveryStore: an ID that one
// adapter cannot store (PostgreSQL text refuses NUL and invalid UTF-8) is
// refused by the engine itself with ErrInvalidInput, so every store
// behaves the same and the host gets a clear error, not a driver error.
func TestIDsWithNULOrInvalidUTF8AreInvalidInputOnEveryStore(t *testing.T) {
	pg, _ := newStore(t)
	for name, st := range map[string]survey.Store{"memory": memory.New(), "postgres": pg} {
		e, err := survey.New(survey.Config{Store: st, Surveys: []survey.Definition{{ID: "csat"}}})
		require.NoError(t, err)
		ctx := context.Background()
		for _, bad := range []string{"a\x00b", "a\xffb"} {
			for field, conv := range map[string]*survey.Conversation{
				"tenant":       {TenantID: "t" + bad, ID: "c", Channel: "whatsapp", Contact: survey.Contact{ID: "u"}},
				"conversation": {TenantID: "t", ID: "c" + bad, Channel: "whatsapp", Contact: survey.Contact{ID: "u"}},
				"contact":      {TenantID: "t", ID: "c", Channel: "whatsapp", Contact: survey.Contact{ID: "u" + bad}},
				"channel":      {TenantID: "t", ID: "c", Channel: "whatsapp" + bad, Contact: survey.Contact{ID: "u"}},
				"agent":        {TenantID: "t", ID: "c", Channel: "whatsapp", Contact: survey.Contact{ID: "u"}, Participants: []survey.Participant{{ID: "a" + bad}}},
				"group":        {TenantID: "t", ID: "c", Channel: "whatsapp", Contact: survey.Contact{ID: "u"}, Participants: []survey.Participant{{ID: "a", Groups: []string{"g" + bad}}}},
			} {
				_, err := e.ConversationClosed(ctx, conv)
				assert.ErrorIs(t, err, survey.ErrInvalidInput, "%s: %s %q", name, field, bad)
			}
			_, err := e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "u" + bad, Channel: "whatsapp", MessageID: "m", Text: "5"})
			assert.ErrorIs(t, err, survey.ErrInvalidInput, "%s: inbound contact %q", name, bad)
		}
	}
}
