package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// previewJSON is one survey's rating request as a contact on one channel
// would see it.
type previewJSON struct {
	Survey  string       `json:"survey"`
	Channel string       `json:"channel"`
	Format  string       `json:"format"`
	Seen    string       `json:"seen"`
	Message outboundJSON `json:"message"`
}

// apiPreview shows, for every channel of every demo survey, the rating
// request a contact speaking ?language= (default en) would get: the form
// the channel takes (reply buttons, a list, or text) drawn as text. It
// runs the demo's surveys on a throwaway engine, so it stores nothing.
func (a *app) apiPreview(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("language")
	if lang == "" {
		lang = "en"
	}
	if _, err := language.Parse(lang); err != nil {
		writeError(w, http.StatusBadRequest, "language %q is not a BCP 47 tag", lang)
		return
	}
	out, err := preview(r.Context(), a.surveys, lang)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// preview renders the rating request of each survey on each of its
// channels for a contact speaking lang.
func preview(ctx context.Context, defs []survey.Definition, lang string) ([]previewJSON, error) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var list []previewJSON
	for _, d := range defs {
		d.Rules = nil // a preview needs no eligible conversation
		e, err := survey.New(survey.Config{Store: memory.New(), Clock: fixedClock(now), Surveys: []survey.Definition{d}})
		if err != nil {
			return nil, err
		}
		for _, ch := range d.Channels {
			res, err := e.ConversationClosed(ctx, &survey.Conversation{
				TenantID: tenant, ID: "preview-" + ch, Channel: ch, ClosedAt: now,
				Contact: survey.Contact{ID: "preview", Name: "María", Language: lang},
			})
			if err != nil {
				return nil, err
			}
			if len(res.Outbound) != 1 {
				return nil, fmt.Errorf("preview of %s on %s: no rating request", d.ID, ch)
			}
			o := res.Outbound[0]
			list = append(list, previewJSON{Survey: d.ID, Channel: ch, Format: string(o.Format), Seen: seen(o), Message: outboundsOut(res.Outbound)[0]})
		}
	}
	return list, nil
}

// seen draws o as the contact sees it: buttons as [ title ], a list as its
// opening button and one row per line, text as it is.
func seen(o survey.Outbound) string {
	var b strings.Builder
	switch o.Format {
	case survey.FormatButtons:
		b.WriteString(o.Prompt + "\n")
		for _, c := range o.Choices {
			b.WriteString("[ " + c.Title + " ] ")
		}
	case survey.FormatList:
		b.WriteString(o.Prompt + "\n[ " + o.ListButton + " ▾ ]")
		for _, c := range o.Choices {
			b.WriteString("\n  ○ " + c.Title)
		}
	default:
		b.WriteString(o.Text)
	}
	return strings.TrimSpace(b.String())
}

// fixedClock always tells the same time.
type fixedClock time.Time

// Now returns the clock's time.
func (c fixedClock) Now() time.Time { return time.Time(c) }
