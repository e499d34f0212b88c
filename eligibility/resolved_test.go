package eligibility_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
)

// Surveys trigger on who resolved the conversation: human agents only, or
// human and virtual agents.
func TestResolvedByLooksAtWhoResolvedTheConversation(t *testing.T) {
	resolved := func(by string, b func() *survey.Conversation) *survey.Input {
		c := b()
		c.ResolvedBy = by
		return input(c)
	}
	botLast := func() *survey.Conversation {
		return conv("c").ContactSays("hola").AgentSays("ana", "te paso con el asistente").AgentSays("bot", "listo").Closed()
	}
	humanLast := func() *survey.Conversation {
		return conv("c").ContactSays("hola").AgentSays("bot", "hola").AgentSays("ana", "resuelto").Closed()
	}
	humanOnly, anyAgent := eligibility.ResolvedBy(eligibility.HumanOnly), eligibility.ResolvedBy(eligibility.HumanOrVirtual)
	runCases(t, []ruleCase{
		{"a human resolver passes human-only", humanOnly, resolved("ana", botLast), nil, ""},
		{"a bot resolver fails human-only though a human replied", humanOnly, resolved("bot", humanLast), []string{eligibility.CodeNotResolvedByAgent}, "resolved by bot, a bot"},
		{"a bot resolver passes human-and-virtual", anyAgent, resolved("bot", humanLast), nil, ""},
		{"without a resolver, the last agent reply stands in (human)", humanOnly, resolved("", humanLast), nil, ""},
		{"without a resolver, the last agent reply stands in (bot)", humanOnly, resolved("", botLast), []string{eligibility.CodeNotResolvedByAgent}, ""},
		{"a resolver who is not a participant fails", anyAgent, resolved("ghost", humanLast), []string{eligibility.CodeNotResolvedByAgent}, `"ghost" is not a participant`},
		{"no resolver and no agent reply fails", anyAgent, resolved("", func() *survey.Conversation { return conv("c").ContactSays("hola").Closed() }), []string{eligibility.CodeNotResolvedByAgent}, "no agent replied"},
	})
}

func TestResolvedByIsData(t *testing.T) {
	rules, err := eligibility.Load([]byte(`{"rules": [{"rule": "resolved_by", "agents": "human_only"}]}`))
	require.NoError(t, err)
	c := conv("c").ContactSays("hola").AgentSays("ana", "hola").Closed()
	c.ResolvedBy = "bot"
	assert.Equal(t, []string{eligibility.CodeNotResolvedByAgent}, codes(check(t, rules[0], input(c))))

	back, err := eligibility.ConfigOf([]survey.Rule{eligibility.ResolvedBy(eligibility.HumanOnly)})
	require.NoError(t, err)
	assert.Equal(t, "resolved_by", back.Rules[0].Rule)
	assert.Equal(t, "human_only", back.Rules[0].Agents)
}
