package survey_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

func TestLogsNeverHoldCommentsRepliesOrNames(t *testing.T) {
	var buf bytes.Buffer
	// The handler's own wall-clock time is left out: its digits could
	// contain a secret's by chance ("…54994111Z" once did).
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	clock := surveytest.NewClock(surveytest.Start)
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Logger: logger, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	ctx := context.Background()
	const name, agent, junk, comment = "Zoë Secretname", "Agent Hiddenname", "my card is 4111 1111", "the agent Bob was rude, call me at +34 600"
	_, err = e.ConversationClosed(ctx, &survey.Conversation{TenantID: "t", ID: "c1", Channel: "whatsapp",
		Contact:      survey.Contact{ID: "u1", Name: name, Language: "en"},
		Participants: []survey.Participant{{ID: "a1", Name: agent, Kind: survey.Human}}})
	require.NoError(t, err)
	for i, text := range []string{junk, "2", comment} {
		_, err = e.HandleMessage(ctx, &survey.Inbound{TenantID: "t", ContactID: "u1", Channel: "whatsapp", MessageID: string(rune('a' + i)), Text: text})
		require.NoError(t, err)
	}
	clock.Advance(48 * time.Hour)
	_, err = e.Sweep(ctx)
	require.NoError(t, err)

	logs := buf.String()
	require.Contains(t, logs, `"msg":"surveyflow: survey started"`, "the logger is used")
	require.Contains(t, logs, `"rating":2`)
	for _, secret := range []string{name, agent, junk, comment, "Secretname", "4111", "rude"} {
		assert.NotContains(t, logs, secret)
	}
	assert.Equal(t, 0, strings.Count(logs, "Zoë"))
}
