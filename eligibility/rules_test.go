package eligibility_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
	"golang.org/x/text/language"
)

var t0 = surveytest.Start

// conv starts a conversation with a human agent "ana" and a bot "bot".
func conv(id string) *surveytest.ConversationBuilder {
	return surveytest.NewConversation(id, "maria", t0).
		Agent("ana", "Ana", survey.Human).
		Agent("bot", "Botty", survey.Bot)
}

// input wraps c for a Check at c's close time.
func input(c *survey.Conversation) *survey.Input {
	return &survey.Input{Conversation: c, SurveyID: "csat", Now: c.ClosedAt, Language: "es", LanguageMatched: true}
}

// check runs r on in and returns its failures.
func check(t *testing.T, r survey.Rule, in *survey.Input) []survey.Failure {
	t.Helper()
	f, err := r.Check(context.Background(), in)
	require.NoError(t, err)
	for _, x := range f {
		assert.NotEmpty(t, x.Code, "every failure has a code")
		assert.NotEmpty(t, x.Reason, "every failure has a reason")
		if r.Name() != "all" { // All passes its rules' failures on as they are
			assert.Equal(t, r.Name(), x.Rule, "a failure names its rule")
		}
	}
	return f
}

// codes lists the failures' codes.
func codes(f []survey.Failure) []string {
	out := []string{}
	for _, x := range f {
		out = append(out, x.Code)
	}
	return out
}

type ruleCase struct {
	name   string
	rule   survey.Rule
	in     *survey.Input
	codes  []string // nil: passes
	reason string   // a substring of the first failure's reason
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := check(t, tc.rule, tc.in)
			if tc.codes == nil {
				assert.Empty(t, f, "the rule passes")
				return
			}
			assert.Equal(t, tc.codes, codes(f))
			if tc.reason != "" && len(f) > 0 {
				assert.Contains(t, f[0].Reason, tc.reason)
			}
		})
	}
}

func TestAnsweredByAgentCountsTheAllowedKindsOfAgents(t *testing.T) {
	human := input(conv("c").ContactSays("hola").AgentSays("ana", "hola").Closed())
	bot := input(conv("c").ContactSays("hola").AgentSays("bot", "hola").Closed())
	stranger := input(conv("c").ContactSays("hola").AgentSays("ghost", "hola").Closed())
	nobody := input(conv("c").ContactSays("hola").SystemSays("assigned").Closed())
	runCases(t, []ruleCase{
		{"a human reply satisfies human-only", eligibility.AnsweredByAgent(eligibility.HumanOnly), human, nil, ""},
		{"a bot reply satisfies human-and-virtual", eligibility.AnsweredByAgent(eligibility.HumanOrVirtual), bot, nil, ""},
		{"a bot reply does not satisfy human-only", eligibility.AnsweredByAgent(eligibility.HumanOnly), bot, []string{eligibility.CodeNotAnswered}, "no reply from a human agent"},
		{"an unlisted author is not a known human", eligibility.AnsweredByAgent(eligibility.HumanOnly), stranger, []string{eligibility.CodeNotAnswered}, ""},
		{"an unlisted author is still an agent", eligibility.AnsweredByAgent(eligibility.HumanOrVirtual), stranger, nil, ""},
		{"system notes are not replies", eligibility.AnsweredByAgent(eligibility.HumanOrVirtual), nobody, []string{eligibility.CodeNotAnswered}, "no reply from an agent"},
	})
}

func TestTranscriptLongerThanCountsRunesOfTheCountedMessages(t *testing.T) {
	pad := surveytest.Padding
	split := func(contact, agent int) *survey.Input {
		return input(conv("c").ContactSays(pad(contact)).AgentSays("ana", pad(agent)).Closed())
	}
	withSystem := input(conv("c").ContactSays(pad(200)).SystemSays(pad(100)).AgentSays("bot", pad(30)).Closed())
	n := eligibility.TranscriptLongerThan(250)
	runCases(t, []ruleCase{
		{"exactly 250 characters is not longer than 250", n, split(125, 125), []string{eligibility.CodeTranscriptShort}, "transcript has 250 characters, needs more than 250"},
		{"251 characters pass", n, split(125, 126), nil, ""},
		{"agents' replies count", n, split(1, 250), nil, ""},
		{"characters are runes, not bytes: 250 ñ fail", n, input(conv("c").ContactSays(strings.Repeat("ñ", 250)).Closed()), []string{eligibility.CodeTranscriptShort}, "has 250 characters"},
		{"characters are runes, not bytes: 251 é pass", n, input(conv("c").ContactSays(strings.Repeat("é", 251)).Closed()), nil, ""},
		{"spaces count", n, input(conv("c").ContactSays(strings.Repeat(" ", 251)).Closed()), nil, ""},
		{"an invalid UTF-8 byte counts as one character", n, input(conv("c").ContactSays(strings.Repeat("\xff", 250)).Closed()), []string{eligibility.CodeTranscriptShort}, "has 250 characters"},
		{"system notes do not count by default, bots do", n, withSystem, []string{eligibility.CodeTranscriptShort}, "has 230 characters"},
		{"counting system notes is a setting", eligibility.TranscriptLongerThan(250, eligibility.Counting(eligibility.ContactMessages, eligibility.SystemNotes)), withSystem, nil, ""},
		{"bots can be left out", eligibility.TranscriptLongerThan(229, eligibility.Counting(eligibility.ContactMessages, eligibility.HumanAgentMessages)), withSystem, []string{eligibility.CodeTranscriptShort}, "has 200 characters, needs more than 229"},
		{"only the contact's words", eligibility.TranscriptLongerThan(124, eligibility.Counting(eligibility.ContactMessages)), split(125, 0), nil, ""},
	})
}

func TestClosedWithinMeasuresFromTheContactsLastMessage(t *testing.T) {
	lastAt := t0.Add(time.Minute) // the builder stamps messages a minute apart
	closedAfter := func(d time.Duration) *survey.Input {
		return input(conv("c").AgentSays("ana", "hola").ContactSays("gracias").AgentSays("ana", "adiós").ClosedAt(lastAt.Add(d)))
	}
	openNow := input(conv("c").ContactSays("hola").ClosedAt(time.Time{}))
	openNow.Now = t0.Add(25 * time.Hour)
	r := eligibility.ClosedWithin(24 * time.Hour)
	runCases(t, []ruleCase{
		{"closed exactly 24 h later passes", r, closedAfter(24 * time.Hour), nil, ""},
		{"closed a second after 24 h fails", r, closedAfter(24*time.Hour + time.Second), []string{eligibility.CodeClosedTooLate}, "closed 24h0m1s after the contact's last message, must be within 24h0m0s"},
		{"closed right away passes", r, closedAfter(0), nil, ""},
		{"a contact who never wrote fails", r, input(conv("c").AgentSays("ana", "hola").Closed()), []string{eligibility.CodeNoContactMessage}, "never wrote"},
		{"a zero close time means now", r, openNow, []string{eligibility.CodeClosedTooLate}, "closed 25h0m0s after"},
	})
}

func TestMinHandlingTimeRunsFromTheFirstAgentReplyToTheLastExchange(t *testing.T) {
	handled := func(d time.Duration) *survey.Input {
		// contact at t0, ana at t0+1m, contact at t0+1m+d.
		return input(conv("c").ContactSays("hola").AgentSays("ana", "hola").Wait(d - time.Minute).ContactSays("gracias").
			Wait(2 * time.Hour).SystemSays("closed automatically").Closed())
	}
	botOnly := input(conv("c").ContactSays("hola").AgentSays("bot", "hola").Wait(time.Hour).ContactSays("ok").Closed())
	r := eligibility.MinHandlingTime(5*time.Minute, eligibility.HumanOrVirtual)
	runCases(t, []ruleCase{
		{"exactly the minimum passes", r, handled(5 * time.Minute), nil, ""},
		{"a second less fails, system notes do not extend it", r, handled(5*time.Minute - time.Second), []string{eligibility.CodeHandlingTooShort}, "agents handled the conversation for 4m59s, needs at least 5m0s"},
		{"bots count when virtual agents count", r, botOnly, nil, ""},
		{"bots do not count for human-only", eligibility.MinHandlingTime(5*time.Minute, eligibility.HumanOnly), botOnly, []string{eligibility.CodeHandlingTooShort}, "no reply from human agents"},
	})
}

func TestMinAgentRepliesCountsRepliesOfTheAllowedKinds(t *testing.T) {
	in := input(conv("c").ContactSays("hola").AgentSays("bot", "menu").AgentSays("ana", "hola").ContactSays("?").AgentSays("ana", "listo").Closed())
	runCases(t, []ruleCase{
		{"three replies meet three", eligibility.MinAgentReplies(3, eligibility.HumanOrVirtual), in, nil, ""},
		{"three replies miss four", eligibility.MinAgentReplies(4, eligibility.HumanOrVirtual), in, []string{eligibility.CodeTooFewAgentReplies}, "3 replies from agents, needs at least 4"},
		{"human-only leaves the bot out", eligibility.MinAgentReplies(3, eligibility.HumanOnly), in, []string{eligibility.CodeTooFewAgentReplies}, "2 replies from human agents, needs at least 3"},
		{"zero replies needed always passes", eligibility.MinAgentReplies(0, eligibility.HumanOnly), input(conv("c").Closed()), nil, ""},
	})
}

// history returns a History function over sessions that, like a store,
// keeps those created at or after since.
func history(sessions ...*survey.Session) func(context.Context, time.Time) ([]*survey.Session, error) {
	return func(_ context.Context, since time.Time) ([]*survey.Session, error) {
		var out []*survey.Session
		for _, s := range sessions {
			if !s.CreatedAt.Before(since) {
				out = append(out, s)
			}
		}
		return out, nil
	}
}

func TestFrequencyCapCountsSurveysSentWithinThePeriod(t *testing.T) {
	now := t0.Add(48 * time.Hour)
	sent := func(surveyID string, ago time.Duration) *survey.Session {
		return &survey.Session{ID: surveyID + "-" + ago.String(), SurveyID: surveyID, CreatedAt: now.Add(-ago), SentAt: now.Add(-ago), State: survey.StateCompleted}
	}
	in := func(sessions ...*survey.Session) *survey.Input {
		i := input(conv("c").ContactSays("hola").Closed())
		i.Now, i.History = now, history(sessions...)
		return i
	}
	day := 24 * time.Hour
	same := eligibility.FrequencyCap(day, eligibility.SameSurvey)
	anySurvey := eligibility.FrequencyCap(day, eligibility.AnySurvey)
	runCases(t, []ruleCase{
		{"no history passes", same, in(), nil, ""},
		{"the same survey 23 h ago fails", same, in(sent("csat", 23*time.Hour)), []string{eligibility.CodeFrequencyCapped}, `contact got survey "csat" 23h0m0s ago, at most one send of this survey per 24h0m0s`},
		{"a period that just elapsed passes", same, in(sent("csat", day)), nil, ""},
		{"a nanosecond before the period elapses fails", same, in(sent("csat", day-time.Nanosecond)), []string{eligibility.CodeFrequencyCapped}, ""},
		{"another survey does not count for the same-survey cap", same, in(sent("nps", time.Hour)), nil, ""},
		{"another survey counts for the any-survey cap", anySurvey, in(sent("nps", time.Hour)), []string{eligibility.CodeFrequencyCapped}, `survey "nps" 1h0m0s ago, at most one survey per 24h0m0s`},
		{"the reason names the latest send", same, in(sent("csat", 20*time.Hour), sent("csat", 2*time.Hour)), []string{eligibility.CodeFrequencyCapped}, "2h0m0s ago"},
		{"a cancelled survey was still sent", same, in(&survey.Session{SurveyID: "csat", CreatedAt: now.Add(-time.Hour), SentAt: now.Add(-time.Hour), State: survey.StateCancelled}), []string{eligibility.CodeFrequencyCapped}, ""},
		{"a delayed survey cancelled before it went out was never sent", same, in(&survey.Session{SurveyID: "csat", CreatedAt: now.Add(-time.Hour), State: survey.StateCancelled}), nil, ""},
		{"the period runs from the send, not from the close", same, in(&survey.Session{SurveyID: "csat", CreatedAt: now.Add(-30 * time.Hour), SentAt: now.Add(-20 * time.Hour), State: survey.StateCompleted}), []string{eligibility.CodeFrequencyCapped}, "20h0m0s ago"},
	})

	t.Run("sessions older than the period are ignored even if the history returns them", func(t *testing.T) {
		i := in()
		i.History = func(context.Context, time.Time) ([]*survey.Session, error) {
			return []*survey.Session{sent("csat", 30*time.Hour), nil}, nil
		}
		assert.Empty(t, check(t, same, i))
	})
	t.Run("a history error is returned, not a decision", func(t *testing.T) {
		boom := errors.New("store down")
		i := in()
		i.History = func(context.Context, time.Time) ([]*survey.Session, error) { return nil, boom }
		_, err := same.Check(context.Background(), i)
		assert.ErrorIs(t, err, boom)
	})
	t.Run("no history function is an error", func(t *testing.T) {
		i := in()
		i.History = nil
		_, err := same.Check(context.Background(), i)
		assert.ErrorIs(t, err, eligibility.ErrNoHistory)
	})
}

func TestFrequencyCapReadsTheEnginesStore(t *testing.T) {
	h := surveytest.New(t, survey.Definition{
		ID: "csat", Channels: []string{"whatsapp"},
		Rules: []survey.Rule{eligibility.FrequencyCap(24*time.Hour, eligibility.SameSurvey)},
	})
	closeOne := func(id string) *survey.Result {
		return h.Close(surveytest.NewConversation(id, "maria", h.Clock.Now()).
			Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "hola").ClosedAt(h.Clock.Now()))
	}
	require.True(t, closeOne("c1").Decision.Eligible, "the first conversation is surveyed")
	h.Reply("tenant", "maria", "whatsapp", "5")

	h.Advance(23 * time.Hour)
	second := closeOne("c2")
	assert.False(t, second.Decision.Eligible, "a second survey within a day is capped")
	assert.Equal(t, []string{eligibility.CodeFrequencyCapped}, codes(second.Decision.Failures))

	h.Advance(time.Hour)
	assert.True(t, closeOne("c3").Decision.Eligible, "once the day has passed the contact is surveyed again")
}

// A delayed survey that is called off before it goes out (the contact
// wrote first) blocks nothing; a delayed one that went out counts from its
// send.
func TestFrequencyCapCountsOnlyWhatWasSent(t *testing.T) {
	h := surveytest.New(t, survey.Definition{
		ID: "csat", Channels: []string{"whatsapp"}, SendDelay: 2 * time.Hour,
		Rules: []survey.Rule{eligibility.FrequencyCap(24*time.Hour, eligibility.SameSurvey)},
	})
	closeOne := func(id string) *survey.Result {
		return h.Close(surveytest.NewConversation(id, "maria", h.Clock.Now()).
			Agent("ana", "Ana", survey.Human).ContactSays("hola").AgentSays("ana", "hola").ClosedAt(h.Clock.Now()))
	}
	require.True(t, closeOne("c1").Decision.Eligible)
	h.Advance(time.Hour)
	cancelled := h.Reply("tenant", "maria", "whatsapp", "one more thing")
	require.False(t, cancelled.Consumed, "the contact wrote before the delayed send: the survey is called off")

	h.Advance(time.Hour)
	second := closeOne("c2")
	require.True(t, second.Decision.Eligible, "nothing was sent, so nothing caps the next survey")
	h.Advance(2*time.Hour + time.Minute)
	require.Equal(t, 1, h.Sweep().Sent)

	h.Advance(23 * time.Hour) // 25 h after c2 closed, 23 h after its survey went out
	third := closeOne("c3")
	assert.Equal(t, []string{eligibility.CodeFrequencyCapped}, codes(third.Decision.Failures), "the period runs from the send")
	h.Advance(time.Hour)
	assert.True(t, closeOne("c4").Decision.Eligible)
}

func TestInContactLanguageNeedsAMatchOfTheRequiredConfidence(t *testing.T) {
	in := func(contactLang, surveyLang string, matched bool) *survey.Input {
		i := input(conv("c").Language(contactLang).ContactSays("hola").Closed())
		i.Language, i.LanguageMatched = surveyLang, matched
		return i
	}
	r := eligibility.InContactLanguage()
	high := eligibility.InContactLanguage(eligibility.MinConfidence(language.High))
	exact := eligibility.InContactLanguage(eligibility.MinConfidence(language.Exact))
	runCases(t, []ruleCase{
		{"a matched language passes", r, in("es-AR", "es", true), nil, ""},
		{"a fallback to the default language fails", r, in("de-CH", "es", false), []string{eligibility.CodeLanguageUnavailable}, `no text in the contact's language "de-CH" (it would fall back to es)`},
		{"an unknown contact language fails", r, in("", "es", false), []string{eligibility.CodeLanguageUnavailable}, "the contact's language is unknown"},
		{"es-AR for es is a high-confidence match", high, in("es-AR", "es", true), nil, ""},
		{"es-AR for es is not exact", exact, in("es-AR", "es", true), []string{eligibility.CodeLanguageMatchWeak}, `"es-AR" matches the survey's es with high confidence, needs exact`},
		{"an Accept-Language list is graded too", exact, in("fr-CA, fr;q=0.9", "fr", true), nil, ""},
		{"Serbian in Latin script for Serbian is only low", high, in("sr-Latn", "sr", true), []string{eligibility.CodeLanguageMatchWeak}, "low confidence, needs high"},
		{"a higher minimum still fails without a match", exact, in("de", "es", false), []string{eligibility.CodeLanguageUnavailable}, ""},
	})
}

func TestFieldComparesAConversationField(t *testing.T) {
	c := input(conv("c").Field("priority", "high").Field("subject", "Refund for order 42").Closed())
	f := eligibility.Field
	runCases(t, []ruleCase{
		{"in passes for a listed value", f("priority", eligibility.In, "high", "medium"), c, nil, ""},
		{"in fails for another value", f("priority", eligibility.In, "low", "medium"), c, []string{eligibility.CodeFieldCondition}, `field "priority" is "high", needs one of {"low", "medium"}`},
		{"in fails for a missing field", f("team", eligibility.In, "sales"), c, []string{eligibility.CodeFieldCondition}, `field "team" is not set, needs one of {"sales"}`},
		{"not in passes for a missing field", f("team", eligibility.NotIn, "sales"), c, nil, ""},
		{"not in fails for a listed value", f("priority", eligibility.NotIn, "high"), c, []string{eligibility.CodeFieldCondition}, `must be none of {"high"}`},
		{"equals is exact", f("priority", eligibility.Equals, "high"), c, nil, ""},
		{"equals is case-sensitive", f("priority", eligibility.Equals, "High"), c, []string{eligibility.CodeFieldCondition}, `needs "High"`},
		{"not equals", f("priority", eligibility.NotEquals, "high"), c, []string{eligibility.CodeFieldCondition}, `must not be "high"`},
		{"contains every substring", f("subject", eligibility.Contains, "Refund", "order"), c, nil, ""},
		{"contains fails when one is missing", f("subject", eligibility.Contains, "Refund", "invoice"), c, []string{eligibility.CodeFieldCondition}, `must contain all of {"Refund", "invoice"}`},
		{"contains any", f("subject", eligibility.ContainsAny, "invoice", "order"), c, nil, ""},
		{"does not contain", f("subject", eligibility.NotContains, "test"), c, nil, ""},
		{"does not contain fails on a match", f("subject", eligibility.NotContains, "test", "42"), c, []string{eligibility.CodeFieldCondition}, `must contain none of {"test", "42"}`},
		{"ignoring case, High equals high", eligibility.FieldIgnoringCase("priority", eligibility.Equals, "High"), c, nil, ""},
		{"ignoring case, in", eligibility.FieldIgnoringCase("priority", eligibility.In, "HIGH", "MEDIUM"), c, nil, ""},
		{"ignoring case, substrings", eligibility.FieldIgnoringCase("subject", eligibility.Contains, "REFUND", "ORDER 42"), c, nil, ""},
		{"ignoring case still compares", eligibility.FieldIgnoringCase("priority", eligibility.NotIn, "HIGH"), c, []string{eligibility.CodeFieldCondition}, `field "priority" is "high", must be none of {"HIGH"} (ignoring case)`},
		{"ignoring case folds beyond ASCII", eligibility.FieldIgnoringCase("city", eligibility.Equals, "STRASSE"), input(conv("c").Field("city", "straße").Closed()), nil, ""},
	})
}

func TestLabelsMatchWholeLabels(t *testing.T) {
	c := input(conv("c").Label("vip-escalation").Label("billing").Closed())
	l := eligibility.Labels
	runCases(t, []ruleCase{
		{"not contains fails on the label", l(eligibility.NotContains, "vip-escalation"), c, []string{eligibility.CodeLabelCondition}, `labels {"vip-escalation", "billing"} include {"vip-escalation"}, must include none of {"vip-escalation"}`},
		{"a prefix is not a label", l(eligibility.NotContains, "vip"), c, nil, ""},
		{"a prefix does not satisfy contains", l(eligibility.Contains, "vip"), c, []string{eligibility.CodeLabelCondition}, `lack {"vip"}`},
		{"contains needs every label", l(eligibility.Contains, "billing", "urgent"), c, []string{eligibility.CodeLabelCondition}, `lack {"urgent"}, need all of {"billing", "urgent"}`},
		{"contains passes with every label", l(eligibility.Contains, "billing", "vip-escalation"), c, nil, ""},
		{"contains any passes with one", l(eligibility.ContainsAny, "urgent", "billing"), c, nil, ""},
		{"contains any fails with none", l(eligibility.ContainsAny, "urgent", "sales"), c, []string{eligibility.CodeLabelCondition}, "have none of"},
		{"no labels at all", l(eligibility.Contains, "billing"), input(conv("c").Closed()), []string{eligibility.CodeLabelCondition}, "labels {} lack"},
		{"case matters by default", l(eligibility.NotContains, "VIP-Escalation"), c, nil, ""},
		{"ignoring case matches the label", eligibility.LabelsIgnoringCase(eligibility.NotContains, "VIP-Escalation"), c, []string{eligibility.CodeLabelCondition}, `include {"VIP-Escalation"}, must include none of {"VIP-Escalation"} (ignoring case)`},
		{"ignoring case still matches whole labels", eligibility.LabelsIgnoringCase(eligibility.ContainsAny, "VIP"), c, []string{eligibility.CodeLabelCondition}, ""},
	})
}

func TestChannelsRestrictTheChannel(t *testing.T) {
	wa := input(conv("c").Closed())
	mail := input(conv("c").Channel("email").Closed())
	r := eligibility.Channels("whatsapp", "telegram")
	runCases(t, []ruleCase{
		{"a listed channel passes", r, wa, nil, ""},
		{"another channel fails", r, mail, []string{eligibility.CodeChannel}, `channel "email" is not one of {"whatsapp", "telegram"}`},
	})
}

// An admin UI that saves a condition with nothing picked ("channels": [],
// "values": []) means any: an empty list is no condition (SPEC E8, E9).
func TestEmptyListsAreNoCondition(t *testing.T) {
	c := input(conv("c").Channel("email").Label("vip-escalation").Field("priority", "low").Closed())
	bare := input(conv("c").Closed()) // no labels, no fields
	var cases []ruleCase
	for _, in := range []*survey.Input{c, bare} {
		cases = append(cases,
			ruleCase{"no channels", eligibility.Channels(), in, nil, ""},
			ruleCase{"no channels, an empty slice", eligibility.Channels([]string{}...), in, nil, ""},
			ruleCase{"any of no rules", eligibility.Any(), in, nil, ""},
			ruleCase{"all of no rules", eligibility.All(), in, nil, ""},
		)
		for _, op := range []eligibility.Op{eligibility.Contains, eligibility.ContainsAny, eligibility.NotContains} {
			cases = append(cases,
				ruleCase{"labels " + string(op) + " nothing", eligibility.Labels(op), in, nil, ""},
				ruleCase{"labels ignoring case " + string(op) + " nothing", eligibility.LabelsIgnoringCase(op), in, nil, ""})
		}
		for _, op := range []eligibility.Op{eligibility.Equals, eligibility.NotEquals, eligibility.In, eligibility.NotIn, eligibility.Contains, eligibility.ContainsAny, eligibility.NotContains} {
			cases = append(cases,
				ruleCase{"field " + string(op) + " nothing", eligibility.Field("priority", op), in, nil, ""},
				ruleCase{"field ignoring case " + string(op) + " nothing", eligibility.FieldIgnoringCase("priority", op), in, nil, ""})
		}
	}
	runCases(t, cases)

	// Still rules: they explain themselves, they need a conversation, and
	// what is wrong besides the empty list is still wrong.
	runCases(t, []ruleCase{
		{"not of no channels names it", eligibility.Not(eligibility.Channels()), c, []string{eligibility.CodeNegated}, "must not hold, but does: no channels listed: any channel"},
		{"not of no labels", eligibility.Not(eligibility.Labels(eligibility.ContainsAny)), c, []string{eligibility.CodeNegated}, "no labels listed: any labels"},
		{"not of no values", eligibility.Not(eligibility.Field("priority", eligibility.In)), c, []string{eligibility.CodeNegated}, `no values listed for field "priority": any value`},
		{"not of an empty any", eligibility.Not(eligibility.Any()), c, []string{eligibility.CodeNegated}, "no rules listed: anything passes"},
		{"an empty list beside a failing rule", eligibility.All(eligibility.Channels(), eligibility.Channels("whatsapp")), c, []string{eligibility.CodeChannel}, `channel "email" is not one of {"whatsapp"}`},
		{"an empty any inside any", eligibility.Any(eligibility.Channels("whatsapp"), eligibility.Any()), c, nil, ""},
	})
	for _, r := range []survey.Rule{eligibility.Channels(), eligibility.Labels(eligibility.Contains), eligibility.Field("p", eligibility.In)} {
		_, err := r.Check(context.Background(), &survey.Input{})
		assert.ErrorIs(t, err, eligibility.ErrNoConversation, r.Name())
	}
	for _, r := range []survey.Rule{eligibility.Labels(eligibility.In), eligibility.Field("", eligibility.In), eligibility.Field("p", "like")} {
		_, err := r.Check(context.Background(), c)
		assert.ErrorIs(t, err, eligibility.ErrInvalidRule, "an empty list does not excuse a bad op or field: %s", r.Name())
	}
}

func TestCombinators(t *testing.T) {
	short := eligibility.TranscriptLongerThan(250)
	human := eligibility.AnsweredByAgent(eligibility.HumanOnly)
	wa := eligibility.Channels("whatsapp")
	c := input(conv("c").ContactSays("hola").AgentSays("bot", "hola").Closed())
	runCases(t, []ruleCase{
		{"all returns every failure", eligibility.All(short, wa, human), c, []string{eligibility.CodeTranscriptShort, eligibility.CodeNotAnswered}, ""},
		{"all of nothing passes", eligibility.All(), c, nil, ""},
		{"any passes when one passes", eligibility.Any(short, wa), c, nil, ""},
		{"any fails with every alternative's reason", eligibility.Any(short, human), c, []string{eligibility.CodeNoAlternative},
			"none of the alternatives passed: transcript has 8 characters, needs more than 250; or no reply from a human agent"},
		{"not passes when the inner rule fails", eligibility.Not(human), c, nil, ""},
		{"not fails when the inner rule passes", eligibility.Not(wa), c, []string{eligibility.CodeNegated}, `must not hold, but does: channel is one of {"whatsapp"}`},
		{"not of labels", eligibility.Not(eligibility.Labels(eligibility.ContainsAny, "x")), c, nil, ""},
		{"nested: all of any and not", eligibility.All(eligibility.Any(short, human), eligibility.Not(wa)), c, []string{eligibility.CodeNoAlternative, eligibility.CodeNegated}, ""},
		{"named renames the failures", eligibility.Named("long-chats-only", short), c, []string{eligibility.CodeTranscriptShort}, "transcript has 8"},
	})

	t.Run("func fills in its name as rule and default code", func(t *testing.T) {
		r := eligibility.Func("weekday", func(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
			if in.Now.Weekday() == time.Monday {
				return []survey.Failure{{Reason: "no surveys on Mondays"}, {Code: "monday", Reason: "really"}}, nil
			}
			return nil, nil
		})
		f := check(t, r, c) // t0 is a Monday
		assert.Equal(t, []string{"weekday", "monday"}, codes(f))
		later := input(conv("c").ClosedAt(t0.Add(24 * time.Hour)))
		assert.Empty(t, check(t, r, later))
	})
	t.Run("errors stop the evaluation", func(t *testing.T) {
		boom := errors.New("boom")
		failing := eligibility.Func("boom", func(context.Context, *survey.Input) ([]survey.Failure, error) { return nil, boom })
		for _, r := range []survey.Rule{eligibility.All(short, failing), eligibility.Any(failing, short), eligibility.Not(failing), eligibility.Named("x", failing)} {
			_, err := r.Check(context.Background(), c)
			assert.ErrorIs(t, err, boom, r.Name())
		}
	})
}

func TestInvalidRulesReturnErrorsNotPanics(t *testing.T) {
	c := input(conv("c").ContactSays("hola").Closed())
	for _, tc := range []struct {
		name string
		rule survey.Rule
		msg  string
	}{
		{"negative chars", eligibility.TranscriptLongerThan(-1), "chars -1 is negative"},
		{"counting nothing", eligibility.TranscriptLongerThan(1, eligibility.Counting()), "counts no messages"},
		{"unknown author", eligibility.TranscriptLongerThan(1, eligibility.Counting("robots")), `unknown message kind "robots"`},
		{"negative window", eligibility.ClosedWithin(-time.Hour), "negative"},
		{"unknown agent kinds", eligibility.AnsweredByAgent(7), "unknown agent kinds 7"},
		{"percent above 100", eligibility.Sample(100.5), "percent 100.5 is outside 0–100"},
		{"negative percent", eligibility.Sample(-1), "outside"},
		{"zero period", eligibility.FrequencyCap(0, eligibility.SameSurvey), "period 0s is not positive"},
		{"unknown op for labels", eligibility.Labels(eligibility.In, "a"), `op "in" is not one of contains, contains_any, not_contains`},
		{"equals with two values", eligibility.Field("p", eligibility.Equals, "a", "b"), "exactly one value, got 2"},
		{"field with no name", eligibility.Field("", eligibility.In, "a"), "no field name"},
		{"not of nil", eligibility.Not(nil), "nil rule"},
		{"all holding an invalid rule", eligibility.All(eligibility.Sample(200)), "rules[0]"},
		{"func without a function", eligibility.Func("f", nil), "nil function"},
		{"named without a name", eligibility.Named("", eligibility.Channels("x")), "empty name"},
		{"minimum confidence No", eligibility.InContactLanguage(eligibility.MinConfidence(language.No)), "not one of low, high, exact"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.rule.Check(context.Background(), c)
			require.ErrorIs(t, err, eligibility.ErrInvalidRule)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestRulesRejectAnInputWithoutConversation(t *testing.T) {
	for _, r := range append(everyRule(), eligibility.AnsweredLongAndRecent()...) {
		for _, in := range []*survey.Input{nil, {}} {
			_, err := r.Check(context.Background(), in)
			assert.ErrorIs(t, err, eligibility.ErrNoConversation, r.Name())
		}
	}
}

func TestEvaluateReportsEveryFailingRuleOfAnsweredLongAndRecent(t *testing.T) {
	c := surveytest.NewConversation("c", "maria", t0).ContactSays("hola").Wait(30 * time.Hour).Closed()
	d, err := survey.Evaluate(context.Background(), eligibility.AnsweredLongAndRecent(), input(c))
	require.NoError(t, err)
	assert.False(t, d.Eligible)
	assert.Equal(t, []string{eligibility.CodeNotAnswered, eligibility.CodeTranscriptShort, eligibility.CodeClosedTooLate}, codes(d.Failures))
	assert.Equal(t, []string{"answered_by_agent", "transcript_longer_than", "closed_within"},
		[]string{d.Failures[0].Rule, d.Failures[1].Rule, d.Failures[2].Rule})
}

func TestMinHandlingTimeDoesNotDependOnMessageOrder(t *testing.T) {
	c := conv("c").ContactSays("hola").AgentSays("ana", "hola").Wait(9 * time.Minute).ContactSays("gracias").Closed()
	slices.Reverse(c.Messages)
	assert.Empty(t, check(t, eligibility.MinHandlingTime(10*time.Minute, eligibility.HumanOnly), input(c)), "ana replied at 1m, the chat went on to 11m")
	f := check(t, eligibility.MinHandlingTime(10*time.Minute+time.Second, eligibility.HumanOnly), input(c))
	assert.Equal(t, []string{eligibility.CodeHandlingTooShort}, codes(f))
}

func TestFuncAndNamedDoNotWriteIntoTheHostsFailures(t *testing.T) {
	shared := []survey.Failure{{Reason: "always"}}
	r := eligibility.Named("renamed", eligibility.Func("host", func(context.Context, *survey.Input) ([]survey.Failure, error) { return shared, nil }))
	f := check(t, r, input(conv("c").Closed()))
	assert.Equal(t, []survey.Failure{{Code: "host", Rule: "renamed", Reason: "always"}}, f)
	assert.Equal(t, []survey.Failure{{Reason: "always"}}, shared, "the host's slice is untouched")
}

func TestValidateFindsInvalidRulesBeforeTheFirstConversation(t *testing.T) {
	assert.NoError(t, eligibility.Validate(everyRule()...))
	assert.NoError(t, eligibility.Validate(foreign{}))
	err := eligibility.Validate(eligibility.Channels("x"), eligibility.Any(eligibility.Not(eligibility.Sample(120))))
	require.ErrorIs(t, err, eligibility.ErrInvalidRule)
	assert.Contains(t, err.Error(), "rules[1]: any: rules[0]: not: eligibility: invalid rule: sample: percent 120 is outside 0–100")
	assert.ErrorIs(t, eligibility.Validate(nil), eligibility.ErrInvalidRule)
}

func TestRulesAreSafeForConcurrentUse(t *testing.T) {
	rules := everyRule()
	in := input(conv("c").ContactSays("hola").AgentSays("ana", "hola").Closed())
	in.History = history()
	want, err := survey.Evaluate(context.Background(), rules, in)
	require.NoError(t, err)
	var wg sync.WaitGroup
	results := make([]survey.Decision, 8)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				d, err := survey.Evaluate(context.Background(), rules, in)
				if err != nil {
					return
				}
				results[g] = d
			}
		}()
	}
	wg.Wait()
	for _, d := range results {
		assert.Equal(t, want, d)
	}
}

func TestInContactLanguageWithTheEnginesLanguageMatch(t *testing.T) {
	// The shipped catalog speaks English (the default) and Spanish.
	h := surveytest.New(t, survey.Definition{
		ID: "csat", Channels: []string{"whatsapp"},
		Rules: []survey.Rule{eligibility.InContactLanguage()},
	})
	closeIn := func(id, lang string) *survey.Result {
		return h.Close(surveytest.NewConversation(id, id, h.Clock.Now()).Language(lang).
			Agent("ana", "Ana", survey.Human).ContactSays("hi").AgentSays("ana", "hi").Closed())
	}
	assert.True(t, closeIn("c1", "en-GB").Decision.Eligible, "English is available")
	assert.True(t, closeIn("c2", "es-AR").Decision.Eligible, "Spanish is available")
	ja := closeIn("c3", "ja")
	assert.False(t, ja.Decision.Eligible, "Japanese is not")
	require.Len(t, ja.Decision.Failures, 1)
	assert.Equal(t, eligibility.CodeLanguageUnavailable, ja.Decision.Failures[0].Code)
	assert.Contains(t, ja.Decision.Failures[0].Reason, `"ja" (it would fall back to en)`)
}

type selfChecking struct{ err error }

func (selfChecking) Name() string { return "self_checking" }
func (selfChecking) Check(context.Context, *survey.Input) ([]survey.Failure, error) {
	return nil, nil
}
func (r selfChecking) Validate() error { return r.err }

func TestHostRulesThatAreValidatorsAreChecked(t *testing.T) {
	bad := errors.New("threshold missing")
	assert.NoError(t, eligibility.Validate(selfChecking{}))
	assert.ErrorIs(t, eligibility.Validate(eligibility.All(selfChecking{bad})), bad)
	_, err := eligibility.Not(selfChecking{bad}).Check(context.Background(), input(conv("c").Closed()))
	assert.ErrorIs(t, err, bad, "a combinator does not run an invalid host rule")
	var v eligibility.Validator = eligibility.Sample(101).(eligibility.Validator)
	assert.ErrorIs(t, v.Validate(), eligibility.ErrInvalidRule, "every rule of the package is a Validator")
}
