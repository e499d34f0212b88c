package export_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/report/export"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// contact is what a helpdesk's own directory knows of a contact.
type contact struct{ email, phone string }

// The columns of Chatwoot's CSAT report download, column for column, in
// its order: agent_name, contact_name, contact_email, contact_phone,
// rating, feedback, created_at, conversation_url. The contact's e-mail
// and phone and the agents' e-mails come from the host's own directory,
// the conversation's URL from a template; the rest are standard fields
// under Chatwoot's names. Like every field, the phone number is protected
// from spreadsheets: a leading + would start a formula, so it is written
// '+55…, which a spreadsheet shows as the text +55… (AllowFormulas writes
// it bare).
func ExampleColumn_chatwootCSATDownload() {
	ctx := context.Background()
	st := memory.New()
	_ = st.Create(ctx, &survey.Session{
		TenantID: "acme", ID: "s1", SurveyID: "csat", Scale: "csat5", ConversationID: "42", ContactID: "maria",
		ContactName: "María Souza", Channel: "whatsapp", Language: "es", State: survey.StateCompleted,
		Agents:   []survey.Participant{{ID: "ana", Name: "Ana Lima", Kind: survey.Human}},
		Assignee: "ana", Rated: true, Rating: 5, Comment: "Muy amable, gracias",
		RatedAt: time.Date(2026, 5, 4, 12, 30, 0, 0, time.UTC),
	})
	contacts := map[string]contact{"maria": {"maria@example.com", "+55 11 91234-5678"}}
	agentEmails := map[string]string{"ana": "ana@acme.example"}

	columns := []export.Column{
		{Header: "agent_name", Value: func(r *export.Row) string {
			for _, a := range r.Session.Agents { // the agent the conversation was assigned to, as "name (e-mail)"
				if a.ID == r.Session.Assignee {
					return fmt.Sprintf("%s (%s)", a.Name, agentEmails[a.ID])
				}
			}
			return ""
		}},
		export.Field("contact_name", "contact_name"),
		{Header: "contact_email", Value: func(r *export.Row) string { return contacts[r.Session.ContactID].email }},
		{Header: "contact_phone", Value: func(r *export.Row) string { return contacts[r.Session.ContactID].phone }},
		export.Field("rating", "rating"),
		export.Field("feedback", "comment"),
		export.Field("created_at", "rated_at"),
		{Header: "conversation_url", Value: func(r *export.Row) string {
			return "https://helpdesk.example/app/accounts/1/conversations/" + r.Session.ConversationID
		}},
	}
	_, err := export.CSV(ctx, os.Stdout, st, "acme", report.Filter{}, export.Options{Columns: columns})
	if err != nil {
		panic(err)
	}
	// Output:
	// agent_name,contact_name,contact_email,contact_phone,rating,feedback,created_at,conversation_url
	// Ana Lima (ana@acme.example),María Souza,maria@example.com,'+55 11 91234-5678,5,"Muy amable, gracias",2026-05-04T12:30:00Z,https://helpdesk.example/app/accounts/1/conversations/42
}
