package eligibility_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// Every built-in rule that reads agents' messages treats an internal note
// as no message to the contact: no answer, no transcript, no effort, no
// resolver.
func TestInternalNotesCountForNoRule(t *testing.T) {
	notesOnly := conv("c1").
		ContactSays("where is my order?").
		AgentNotes("ana", surveytest.Padding(300)).
		Wait(time.Hour).
		AgentNotes("ana", "still waiting for the carrier").
		Closed()
	for _, c := range []struct {
		rule survey.Rule
		code string
	}{
		{eligibility.AnsweredByAgent(eligibility.HumanOrVirtual), eligibility.CodeNotAnswered},
		{eligibility.AnsweredByAgent(eligibility.HumanOnly), eligibility.CodeNotAnswered},
		{eligibility.TranscriptLongerThan(100), eligibility.CodeTranscriptShort},
		{eligibility.TranscriptLongerThan(100, eligibility.Counting(eligibility.HumanAgentMessages, eligibility.SystemNotes)), eligibility.CodeTranscriptShort},
		{eligibility.MinAgentReplies(1, eligibility.HumanOrVirtual), eligibility.CodeTooFewAgentReplies},
		{eligibility.MinHandlingTime(time.Minute, eligibility.HumanOrVirtual), eligibility.CodeHandlingTooShort},
		{eligibility.ResolvedBy(eligibility.HumanOrVirtual), eligibility.CodeNotResolvedByAgent},
	} {
		assert.Equal(t, []string{c.code}, codes(check(t, c.rule, input(notesOnly))), "%s", c.rule.Name())
	}

	// A note after the last reply extends no handling time and leaves the
	// reply's author the resolver.
	replied := conv("c2").
		ContactSays("where is my order?").
		AgentSays("bot", "let me look").
		Wait(time.Hour).
		AgentNotes("ana", "carrier says tomorrow").
		Closed()
	f := check(t, eligibility.MinHandlingTime(30*time.Minute, eligibility.HumanOrVirtual), input(replied))
	assert.Equal(t, []string{eligibility.CodeHandlingTooShort}, codes(f), "the note an hour later is no handling")
	f = check(t, eligibility.ResolvedBy(eligibility.HumanOnly), input(replied))
	assert.Equal(t, []string{eligibility.CodeNotResolvedByAgent}, codes(f), "the bot replied last; ana only wrote a note")
	assert.Empty(t, check(t, eligibility.MinAgentReplies(1, eligibility.HumanOrVirtual), input(replied)))
	assert.Equal(t, []string{eligibility.CodeTooFewAgentReplies},
		codes(check(t, eligibility.MinAgentReplies(2, eligibility.HumanOrVirtual), input(replied))), "one reply, the note is none")
}
