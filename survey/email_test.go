package survey_test

import (
	"context"
	"strings"
	"testing"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// An e-mail's plain-text part asks what its HTML part asks: the e-mail
// question, with its placeholders; a chat on the same survey keeps the
// chat question.
func TestAnEmailsTextAndHTMLAskTheSameQuestion(t *testing.T) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("s", 32))})
	if err != nil {
		t.Fatal(err)
	}
	e, err := survey.New(survey.Config{
		Store: memory.New(), Clock: surveytest.NewClock(surveytest.Start),
		Surveys: []survey.Definition{{ID: "csat", Overrides: map[string]map[i18n.Key]string{
			"en": {i18n.KeyEmailPrompt: "{contact}, how was our e-mail support?", i18n.KeyRatingPrompt: "{contact}, how was our chat?"},
		}}},
		Links: signer, LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
	})
	if err != nil {
		t.Fatal(err)
	}
	closed := func(id, channel string) survey.Outbound {
		t.Helper()
		res, err := e.ConversationClosed(context.Background(), &survey.Conversation{
			TenantID: "acme", ID: id, Channel: channel, Contact: survey.Contact{ID: "m-" + id, Name: "María", Language: "en"},
		})
		if err != nil || len(res.Outbound) != 1 {
			t.Fatalf("close on %s: %+v, %v", channel, res, err)
		}
		return res.Outbound[0]
	}
	mail := closed("c1", "email")
	const question = "María, how was our e-mail support?"
	if !strings.Contains(mail.HTML, question) {
		t.Fatalf("the HTML part does not ask the e-mail question %q:\n%s", question, mail.HTML)
	}
	if mail.Prompt != question {
		t.Errorf("Prompt = %q, want the e-mail question %q", mail.Prompt, question)
	}
	if !strings.HasPrefix(mail.Text, question+"\n\n1️⃣ Very dissatisfied") || strings.Contains(mail.Text, "chat") {
		t.Errorf("the plain-text part does not ask the e-mail question:\n%s", mail.Text)
	}
	chat := closed("c2", "whatsapp")
	if chat.HTML != "" || chat.Prompt != "María, how was our chat?" || !strings.HasPrefix(chat.Text, chat.Prompt+"\n\n") {
		t.Errorf("a chat asks the chat question: %+v", chat)
	}
}
