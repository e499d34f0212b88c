package survey

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/surveyflow/surveyflow/i18n"
)

// render builds one outbound message of s.
func (e *Engine) render(sv *compiled, s *Session, kind MessageKind) (Outbound, error) {
	loc := sv.lang(s.Language)
	var key i18n.Key
	switch kind {
	case KindRatingRequest:
		key = sv.promptKey
	case KindReprompt:
		key = i18n.KeyRatingReprompt
	case KindCommentRequest:
		key = sv.question(s.Rating)
	case KindThanks:
		key = sv.thanksKey
	}
	tmpl, _ := sv.texts.Text(loc.tag, key)
	prompt, err := i18n.Render(tmpl, e.vars(sv, s), i18n.Plain)
	if err != nil {
		return Outbound{}, fmt.Errorf("surveyflow: render %s for session %s: %w", key, s.ID, err)
	}
	out := Outbound{
		IdempotencyKey: s.ID + "/" + string(kind),
		TenantID:       s.TenantID,
		SessionID:      s.ID,
		ConversationID: s.ConversationID,
		ContactID:      s.ContactID,
		Channel:        s.Channel,
		Kind:           kind,
		Language:       loc.tag.String(),
		Prompt:         prompt,
		Text:           prompt,
	}
	if kind == KindReprompt {
		out.IdempotencyKey += "/" + strconv.Itoa(s.Reprompts)
	}
	if kind != KindRatingRequest && kind != KindReprompt {
		return out, nil
	}
	out.Choices = append([]Choice(nil), loc.options...)
	var b strings.Builder
	b.WriteString(prompt)
	b.WriteString("\n")
	for _, c := range loc.options {
		b.WriteString("\n")
		b.WriteString(c.Emoji)
		b.WriteString(" ")
		b.WriteString(c.Label)
	}
	out.Text = b.String()
	if kind == KindRatingRequest && e.links != nil && e.email[s.Channel] {
		html, err := e.emailFragment(s, prompt, loc.options)
		if err != nil {
			return Outbound{}, err
		}
		out.HTML = html
	}
	return out, nil
}

// vars are the placeholder values of a session's texts.
func (e *Engine) vars(sv *compiled, s *Session) i18n.Vars {
	v := i18n.Vars{
		"min": strconv.Itoa(sv.scale.Min()), "max": strconv.Itoa(sv.scale.Max()),
		"contact": s.ContactName, "agent": "",
	}
	for _, a := range s.Agents {
		if a.Kind == Human {
			v["agent"] = a.Name
		}
	}
	return v
}

var emailTemplate = template.Must(template.New("rating").Parse(
	`<div class="surveyflow-rating" lang="{{.Lang}}"><p>{{.Prompt}}</p><p>` +
		`{{range .Links}}<a href="{{.URL}}" style="display:inline-block;margin:0 6px 6px 0;padding:6px 10px;` +
		`border:1px solid #ccc;border-radius:6px;text-decoration:none;color:inherit">{{.Emoji}} {{.Label}}</a>{{end}}</p></div>`))

// emailFragment renders one signed link per option (seed 002). Opening a
// link records nothing: the host's page shows the choice pre-selected and
// the rating is recorded on the contact's confirmation.
func (e *Engine) emailFragment(s *Session, prompt string, options []Choice) (string, error) {
	type link struct{ URL, Emoji, Label string }
	data := struct {
		Lang, Prompt string
		Links        []link
	}{Lang: s.Language, Prompt: prompt}
	expires := s.Deadline
	for _, c := range options {
		tok, err := e.links.Sign(s.TenantID, s.ID, c.Value, expires)
		if err != nil {
			return "", err
		}
		data.Links = append(data.Links, link{URL: e.linkURL(tok), Emoji: c.Emoji, Label: c.Label})
	}
	var b strings.Builder
	if err := emailTemplate.Execute(&b, data); err != nil {
		return "", fmt.Errorf("surveyflow: e-mail fragment for session %s: %w", s.ID, err)
	}
	return b.String(), nil
}
