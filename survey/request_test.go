package survey_test

import (
	"context"
	"testing"

	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

// Every session records its survey's scale, so that a report on one scale
// counts only its sessions: a survey's, a requested one's and a review's.
func TestSessionsRecordTheirSurveysScale(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "nps", Scale: scoring.NPS10(), Channels: []string{"whatsapp"}},
		survey.Definition{ID: "csat", Channels: []string{"email"}})
	res := h.Close(h.Conversation("c1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Done!").Closed())
	if res.Session == nil || res.Session.Scale != "nps10" {
		t.Fatalf("closed on an NPS survey: session %+v, want scale nps10", res.Session)
	}
	if got := h.Session("tenant", res.Session.ID).Scale; got != "nps10" {
		t.Fatalf("stored scale %q, want nps10", got)
	}
	conv := h.Conversation("c2", "joão").Channel("email").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Done!").Closed()
	res, err := h.Engine.RequestSurvey(context.Background(), conv, survey.Request{RequestedBy: "ana"})
	if err != nil || res.Session == nil || res.Session.Scale != "csat5" {
		t.Fatalf("requested on the default scale: %+v, %v; want scale csat5", res, err)
	}
	conv = h.Conversation("c3", "li").Agent("bo", "Bo", survey.Human).Closed()
	res, err = h.Engine.Review(context.Background(), survey.ReviewInput{TenantID: "tenant", Conversation: conv, ReviewerID: "sup", Score: 9})
	if err != nil || res.Session == nil || res.Session.Scale != "nps10" {
		t.Fatalf("a review of an unsurveyed conversation: %+v, %v; want scale nps10", res, err)
	}
}

// A public conversation is never surveyed, not even on request.
func TestRequestSurveyRefusesAPublicConversation(t *testing.T) {
	h := surveytest.New(t, survey.Definition{ID: "csat"})
	conv := h.Conversation("post-1", "maria").Agent("ana", "Ana", survey.Human).AgentSays("ana", "Thanks for the comment!").Closed()
	conv.Public = true
	for _, req := range []survey.Request{{RequestedBy: "ana"}, {RequestedBy: "ana", BeforeClose: true}, {SurveyID: "csat"}} {
		res, err := h.Engine.RequestSurvey(context.Background(), conv, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision.Eligible || res.Session != nil || len(res.Outbound) > 0 {
			t.Fatalf("%+v: a public conversation was surveyed: %+v", req, res)
		}
		if len(res.Decision.Failures) != 1 || res.Decision.Failures[0].Code != survey.CodePublicConversation {
			t.Fatalf("%+v: decision %+v, want the one failure %q", req, res.Decision, survey.CodePublicConversation)
		}
	}
	if len(h.Sent) != 0 {
		t.Fatalf("sent %d messages into a public conversation", len(h.Sent))
	}
}
