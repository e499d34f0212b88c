package ratingpage_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"

	"github.com/surveyflow/surveyflow/ratingpage"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
)

// Mount the rating page and follow one e-mailed link.
func Example() {
	signer, _ := survey.NewLinkSigner(survey.LinkKey{ID: "2026-11", Secret: []byte(strings.Repeat("s", 32))})
	engine, _ := survey.New(survey.Config{
		Store: memory.New(), Surveys: []survey.Definition{{ID: "csat"}},
		Links: signer, LinkURL: func(tok string) string { return "https://acme.example/rate?t=" + tok },
	})
	page, _ := ratingpage.New(engine, ratingpage.Options{
		CSRFKey: []byte(strings.Repeat("c", 32)),
		Tenant:  func(*http.Request) (string, error) { return "acme", nil },
	})

	res, _ := engine.ConversationClosed(context.Background(), &survey.Conversation{
		TenantID: "acme", ID: "c1", Channel: "email", Contact: survey.Contact{ID: "jo", Language: "en"},
	})
	link := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(res.Outbound[0].HTML, -1)[4][1]

	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, link, nil))
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), `value="5" checked`))
	// Output: 200 true
}
