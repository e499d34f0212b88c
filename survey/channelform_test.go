package survey_test

import (
	"errors"
	"fmt"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// documented are the channels' interactive limits as their vendors document
// them, written out here apart from the library's table so that a wrong
// number there fails this test.
var documented = map[string]struct {
	buttons, buttonTitle, rows, rowTitle, listButton int
}{
	// WhatsApp Cloud API, interactive reply buttons: at most 3, titles
	// of at most 20 characters; list messages: at most 10 rows in all,
	// row titles of at most 24 characters, the opening button 20.
	"whatsapp": {buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, listButton: 20},
	// Messenger and Instagram quick replies: at most 13, titles of 20.
	"messenger": {buttons: 13, buttonTitle: 20},
	"instagram": {buttons: 13, buttonTitle: 20},
	// A web chat widget draws what it is given.
	"webchat": {buttons: 11, buttonTitle: 40},
	// E-mail and SMS: text only.
	"email": {},
	"sms":   {},
}

var shippedScales = []*scoring.Scale{scoring.CSAT5(), scoring.Emoji5(), scoring.NPS10(), scoring.NPS10From1(), scoring.CES7(), scoring.Thumbs()}

var shippedLanguages = []string{"es", "en", "fr", "ru", "pt", "de"}

// chars counts as the most careful channel does: UTF-16 code units.
func chars(s string) int { return len(utf16.Encode([]rune(s))) }

func TestTheLibraryKnowsTheDocumentedChannelLimits(t *testing.T) {
	got := survey.DefaultChannelLimits()
	require.Len(t, got, len(documented))
	for ch, d := range documented {
		assert.Equal(t, survey.ChannelLimits{Buttons: d.buttons, ButtonTitle: d.buttonTitle, ListRows: d.rows, RowTitle: d.rowTitle, ListButton: d.listButton},
			got[ch], ch)
	}
}

// Every shipped scale, on every named channel, in every shipped language,
// goes out in a form the channel accepts: the richest that fits, with
// every title cut to the form's limit.
func TestEveryShippedScaleGetsAFormEveryNamedChannelAccepts(t *testing.T) {
	for _, scale := range shippedScales {
		h := surveytest.New(t, survey.Definition{ID: scale.ID(), Scale: scale, Reasons: survey.DefaultReasons(scale.Min(), scale.Min())})
		for ch, d := range documented {
			for _, lang := range shippedLanguages {
				conv := chatOn(h, fmt.Sprint(scale.ID(), ch, lang), ch, lang)
				res := h.Close(conv)
				require.Len(t, res.Outbound, 1)
				out := res.Outbound[0]
				what := fmt.Sprint(scale.ID(), " on ", ch, " in ", lang)
				n := len(out.Choices)
				require.Equal(t, len(scale.Options()), n, what)
				want := survey.FormatText
				switch {
				case n <= d.buttons:
					want = survey.FormatButtons
				case n <= d.rows:
					want = survey.FormatList
				}
				assert.Equal(t, want, out.Format, what)
				checkForm(t, what, out, d.buttonTitle, d.rowTitle, d.listButton)
			}
		}
	}
}

// checkForm asserts that out's choices fit its format's limits.
func checkForm(t *testing.T, what string, out survey.Outbound, buttonTitle, rowTitle, listButton int) {
	t.Helper()
	limit := 0
	switch out.Format {
	case survey.FormatButtons:
		limit = buttonTitle
	case survey.FormatList:
		limit = rowTitle
		assert.NotEmpty(t, out.ListButton, what)
		assert.LessOrEqual(t, chars(out.ListButton), listButton, "%s: list button %q", what, out.ListButton)
	default:
		assert.Empty(t, out.ListButton, what)
	}
	seen := map[string]bool{}
	for _, c := range out.Choices {
		if out.Format == survey.FormatText {
			assert.Empty(t, c.Title, "%s: text carries no titles", what)
			continue
		}
		assert.NotEmpty(t, c.Title, what)
		assert.LessOrEqual(t, chars(c.Title), limit, "%s: title %q", what, c.Title)
		assert.False(t, seen[c.Title], "%s: title %q twice", what, c.Title)
		seen[c.Title] = true
	}
}

// chatOn is an eligible conversation on channel in lang.
func chatOn(h *surveytest.Harness, id, channel, lang string) *survey.Conversation {
	conv := surveytest.NewConversation(id, "contact-"+id, h.Clock.Now()).Language(lang).
		Agent("ana", "Ana", survey.Human).ContactSays("hello").AgentSays("ana", "done").Closed()
	conv.Channel = channel
	h.Clock.Set(conv.ClosedAt)
	return conv
}

// NPS 0–10 takes 11 options: more than WhatsApp's 3 buttons or 10 list
// rows, so it goes as text; on Messenger it goes as quick replies.
func TestNPSOnWhatsAppGoesAsTextAndAsQuickRepliesOnMessenger(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "nps", Scale: scoring.NPS10()})
	wa := h.Close(chatOn(h, "c1", "whatsapp", "en")).Outbound[0]
	assert.Equal(t, survey.FormatText, wa.Format)
	assert.Contains(t, wa.Text, "10")
	ms := h.Close(chatOn(h, "c2", "messenger", "en")).Outbound[0]
	assert.Equal(t, survey.FormatButtons, ms.Format)
	csat := surveytest.New(t, survey.Definition{ID: "csat"})
	assert.Equal(t, survey.FormatList, csat.Close(chatOn(csat, "c3", "whatsapp", "es")).Outbound[0].Format, "5 options: a list on WhatsApp")
}

// A survey that asks a channel for a form its options cannot fit is
// refused when it is defined, naming the survey, the channel and the
// limit.
func TestAFormThatCannotFitTheChannelIsRefusedWhenDefined(t *testing.T) {
	for _, c := range []struct {
		format survey.RequestFormat
		limit  string
	}{
		{survey.FormatButtons, "at most 3 reply buttons"},
		{survey.FormatList, "at most 10 list rows"},
	} {
		def := survey.Definition{ID: "nps-wa", Scale: scoring.NPS10(), PerChannel: map[string]survey.ChannelSettings{"whatsapp": {Format: c.format}}}
		for _, err := range []error{survey.Validate(def), newEngineErr(def, nil)} {
			require.Error(t, err, c.format)
			assert.True(t, errors.Is(err, survey.ErrInvalidSurvey))
			for _, s := range []string{`"nps-wa"`, `"whatsapp"`, c.limit, "11 options"} {
				assert.Contains(t, err.Error(), s)
			}
		}
	}
	buttons := survey.Definition{ID: "csat", PerChannel: map[string]survey.ChannelSettings{"sms": {Format: survey.FormatButtons}}}
	assert.ErrorContains(t, survey.Validate(buttons), `channel "sms" takes no reply buttons`)

	// The host's own limits, per channel, replace the built-in ones.
	def := survey.Definition{ID: "nps", Scale: scoring.NPS10(), PerChannel: map[string]survey.ChannelSettings{"whatsapp": {Format: survey.FormatButtons}}}
	require.NoError(t, newEngineErr(def, map[string]survey.ChannelLimits{"whatsapp": {Buttons: 11, ButtonTitle: 20}}))
	assert.Error(t, newEngineErr(def, map[string]survey.ChannelLimits{"messenger": {}}), "other channels keep the built-in limits")
	assert.ErrorContains(t, newEngineErr(survey.Definition{ID: "csat"}, map[string]survey.ChannelLimits{"x": {Buttons: -1}}), `"x"`)
}

func newEngineErr(def survey.Definition, limits map[string]survey.ChannelLimits) error {
	_, err := survey.New(survey.Config{Store: memory.New(), Surveys: []survey.Definition{def}, ChannelLimits: limits})
	return err
}

// A channel the host limits to text gets text; a channel nobody knows gets
// text unless the survey asks for a form.
func TestChannelLimitsOfTheHost(t *testing.T) {
	h := surveytest.NewWith(t, surveytest.Options{Config: survey.Config{
		Surveys:       []survey.Definition{{ID: "csat", PerChannel: map[string]survey.ChannelSettings{"line": {Format: survey.FormatButtons}}}},
		ChannelLimits: map[string]survey.ChannelLimits{"webchat": {}},
	}})
	assert.Equal(t, survey.FormatText, h.Close(chatOn(h, "c1", "webchat", "en")).Outbound[0].Format)
	assert.Equal(t, survey.FormatText, h.Close(chatOn(h, "c2", "telegram", "en")).Outbound[0].Format)
	line := h.Close(chatOn(h, "c3", "line", "en")).Outbound[0]
	assert.Equal(t, survey.FormatButtons, line.Format, "asked for, on a channel of unknown limits")
	assert.Equal(t, "5️⃣ Very satisfied", line.Choices[4].Title, "uncut")
}

// Replies come back as each form returns them — the button's or row's ID
// (the payload), or its title — and are understood, in every shipped
// language, for every shipped scale, on every channel with a form.
func TestRepliesAsIDsOrTitlesAreUnderstoodInEveryLanguage(t *testing.T) {
	for _, scale := range shippedScales {
		h := surveytest.New(t, survey.Definition{ID: scale.ID(), Scale: scale, SkipComment: true})
		for ch := range documented {
			for _, lang := range shippedLanguages {
				for _, byTitle := range []bool{false, true} {
					for i := range scale.Options() {
						id := fmt.Sprint(scale.ID(), ch, lang, byTitle, i)
						out := h.Close(chatOn(h, id, ch, lang)).Outbound[0]
						if out.Format == survey.FormatText && byTitle {
							continue
						}
						c := out.Choices[i]
						reply := c.Payload
						if byTitle {
							reply = c.Title
						}
						res := h.Reply("tenant", "contact-"+id, ch, reply)
						require.True(t, res.Consumed, "%s %s: %q", out.Format, id, reply)
						assert.Equal(t, c.Value, res.Session.Rating, "%s %s: %q", out.Format, id, reply)
					}
				}
			}
		}
	}
}

// The reason question takes the richest form its options fit, and its
// titles come back too.
func TestReasonTitlesAreUnderstoodInEveryLanguage(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat", Reasons: survey.DefaultReasons(1, 2), SkipComment: true})
	for _, lang := range shippedLanguages {
		for i, reason := range []string{"slow", "not_solved", "unfriendly", "other"} {
			id := fmt.Sprint(lang, i)
			h.Close(chatOn(h, id, "whatsapp", lang))
			r := h.Reply("tenant", "contact-"+id, "whatsapp", "1")
			require.Len(t, r.Outbound, 1)
			ask := r.Outbound[0]
			require.Equal(t, survey.KindReasonRequest, ask.Kind)
			assert.Equal(t, survey.FormatList, ask.Format, "4 reasons: a list on WhatsApp")
			checkForm(t, lang, ask, 20, 24, 20)
			got := h.Reply("tenant", "contact-"+id, "whatsapp", ask.Choices[i].Title)
			require.True(t, got.Consumed)
			assert.Equal(t, reason, got.Session.Reason, "%s: %q", lang, ask.Choices[i].Title)
		}
	}
}

func TestRequestFormatsAreCheckedOnEveryMessageWithChoices(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	h.Close(chatOn(h, "c1", "messenger", "en"))
	r := h.Reply("tenant", "contact-c1", "messenger", "what?")
	require.Len(t, r.Outbound, 1)
	assert.Equal(t, survey.KindReprompt, r.Outbound[0].Kind)
	assert.Equal(t, survey.FormatButtons, r.Outbound[0].Format, "the re-prompt repeats the question's form")
}
