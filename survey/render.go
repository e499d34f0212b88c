package survey

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
)

// render builds one outbound message of s; reprompt numbers a KindReprompt
// (the n-th re-prompt of the rating question) or a KindReminder.
func (e *Engine) render(sv *compiled, s *Session, kind MessageKind, reprompt int) (Outbound, error) {
	loc := sv.lang(s.Language)
	var key i18n.Key
	switch kind {
	case KindRatingRequest:
		key = sv.promptKey
	case KindReminder:
		return e.reminder(sv, s, reprompt)
	case KindReprompt:
		key = i18n.KeyRatingReprompt
	case KindReasonRequest:
		key = sv.reasonPrompt()
	case KindCommentRequest:
		key = sv.question(s.Rating)
	case KindThanks:
		key = sv.thanksKey
	}
	prompt, ok := loc.rendered[key]
	if !ok {
		var vars i18n.Vars
		if !loc.plain[key] {
			vars = e.vars(sv, s)
		}
		var err error
		prompt, err = sv.texts.Render(loc.tag, key, vars, i18n.Plain)
		if err != nil {
			return Outbound{}, fmt.Errorf("surveyflow: render %s for session %s: %w", key, s.ID, err)
		}
	}
	out := Outbound{
		IdempotencyKey: s.ID + "/" + string(kind),
		TenantID:       s.TenantID,
		SessionID:      s.ID,
		ConversationID: s.ConversationID,
		ContactID:      s.ContactID,
		Channel:        s.Channel,
		Kind:           kind,
		Language:       loc.name,
		Prompt:         prompt,
		Text:           prompt,
	}
	if kind == KindReprompt {
		out.IdempotencyKey += "/" + strconv.Itoa(reprompt)
	}
	cc := loc.on(s.Channel)
	if kind == KindReasonRequest {
		out.Choices = append([]Choice(nil), loc.reasons...)
		if cc != nil {
			out.Format = sv.forms[s.Channel].reason
			out.Choices = append(out.Choices[:0], cc.reasons...)
		} else {
			out.Format = FormatText
		}
		if out.Format == FormatList {
			out.ListButton = cc.listButton
		}
		var b strings.Builder
		b.WriteString(prompt)
		b.WriteString("\n")
		for _, c := range loc.reasons {
			fmt.Fprintf(&b, "\n%d. %s", c.Value, c.Label)
		}
		out.Text = b.String()
		return out, nil
	}
	if kind != KindRatingRequest && kind != KindReprompt {
		return out, nil
	}
	out.Format = sv.format(s.Channel)
	if cc != nil {
		out.Choices = append([]Choice(nil), cc.options...)
	} else {
		out.Choices = append([]Choice(nil), loc.options...)
	}
	if out.Format == FormatList {
		out.ListButton = cc.listButton
	}
	if text, ok := loc.withChoices[key]; ok {
		out.Text = text
	} else {
		out.Text = prompt + loc.choices
	}
	if kind == KindRatingRequest {
		out.Tag, out.Template = e.windowAt(s)
	}
	if kind == KindRatingRequest && e.links != nil && e.email[s.Channel] {
		vars := e.vars(sv, s)
		html, err := e.emailFragment(sv, s, loc, vars)
		if err != nil {
			return Outbound{}, err
		}
		// The e-mail's plain-text part asks what its HTML part asks.
		prompt, err := sv.texts.Render(loc.tag, i18n.KeyEmailPrompt, vars, i18n.Plain)
		if err != nil {
			return Outbound{}, fmt.Errorf("surveyflow: render %s for session %s: %w", i18n.KeyEmailPrompt, s.ID, err)
		}
		out.HTML, out.Prompt, out.Text = html, prompt, prompt+loc.choices
	}
	return out, nil
}

// reminder renders the n-th reminder of s: the reminder's text, then the
// rating request as it went out — the question, the same choices and, on
// e-mail, the same signed links.
func (e *Engine) reminder(sv *compiled, s *Session, n int) (Outbound, error) {
	out, err := e.render(sv, s, KindRatingRequest, 0)
	if err != nil {
		return Outbound{}, err
	}
	loc := sv.lang(s.Language)
	key := i18n.KeyReminder // a survey redefined without reminders still hands out the one decided
	if sv.def.Reminder != nil {
		key = sv.def.Reminder.text()
	}
	opening, ok := loc.rendered[key]
	if !ok {
		if opening, err = sv.texts.Render(loc.tag, key, e.vars(sv, s), i18n.Plain); err != nil {
			return Outbound{}, fmt.Errorf("surveyflow: render %s for session %s: %w", key, s.ID, err)
		}
	}
	out.Kind = KindReminder
	out.IdempotencyKey = s.ID + "/" + string(KindReminder) + "/" + strconv.Itoa(n)
	out.Prompt = opening + "\n\n" + out.Prompt
	out.Text = opening + "\n\n" + out.Text
	out.Tag, out.Template = "", false // sent only inside the free window
	return out, nil
}

// vars are the placeholder values of a session's texts: one for every
// name in i18n.KnownPlaceholders.
func (e *Engine) vars(sv *compiled, s *Session) i18n.Vars {
	v := i18n.Vars{
		"min": strconv.Itoa(sv.scale.Min()), "max": strconv.Itoa(sv.scale.Max()),
		"contact": s.ContactName, "agent": "", "company": sv.def.Company,
		"rating": "", "link": "", "hours": strconv.Itoa(int(sv.window.Hours())),
	}
	if s.Rated {
		v["rating"] = strconv.Itoa(s.Rating)
	}
	for _, a := range s.Agents {
		if a.Kind == Human && (s.LastAgent == "" || a.ID == s.LastAgent) {
			v["agent"] = a.Name // the agent who answered, never a note's author alone
		}
	}
	return v
}

// linkExpiry is when the links of s's rating request stop working: when
// the last question of the survey could still be answered, had the contact
// used every re-prompt and then taken the whole window for the follow-up
// question. The session's state refuses a late answer before that; the
// expiry only bounds how long a leaked link stays worth trying. It depends
// on nothing that changes after the request is sent, so a replayed request
// carries the same links.
func (c *compiled) linkExpiry(s *Session) time.Time {
	rating := s.SentAt.Add(time.Duration(c.reprompts+1) * c.window)
	if !s.RatingDeadline.IsZero() {
		rating = s.RatingDeadline
	}
	end := rating.Add(c.window)
	if until := c.changeUntil(s); until.After(end) {
		end = until // the rating may still be changed on the page
	}
	return end
}

// emailFragment renders one signed link per option. Opening a
// link records nothing: the host's page shows the choice pre-selected and
// the rating is recorded on the contact's confirmation.
func (e *Engine) emailFragment(sv *compiled, s *Session, loc *localized, vars i18n.Vars) (string, error) {
	options := make([]i18n.Option, len(loc.options))
	for i, c := range loc.options {
		options[i] = i18n.Option{Value: c.Value, Label: c.Label, Emoji: c.Emoji, Color: c.Color}
	}
	var signErr error
	html, err := sv.texts.EmailRating(loc.tag, sv.scale.ID(), options, vars, func(value int) string {
		tok, err := e.links.Sign(s.TenantID, s.ID, value, sv.linkExpiry(s))
		if err != nil {
			signErr = err
			return ""
		}
		return e.linkURL(tok)
	})
	if signErr != nil {
		return "", signErr
	}
	if err != nil {
		return "", fmt.Errorf("surveyflow: e-mail fragment for session %s: %w", s.ID, err)
	}
	return string(html), nil
}
