package survey

// ScoreLabel returns the label of score on the tenant's survey surveyID as
// the survey shows it: from its own texts, Overrides included, in the
// survey's language that best matches language (matched as a contact's
// language is; the survey's default language when none does). ok is false
// for an unknown survey, a score off its scale, and an engine New did not
// make. Exports use it to label
// each row on its own survey (report/export's Options.Labels).
func (e *Engine) ScoreLabel(tenantID, surveyID, language string, score int) (label string, ok bool) {
	if e.made() != nil {
		return "", false
	}
	c, err := e.survey(tenantID, surveyID)
	if err != nil {
		return "", false
	}
	for _, o := range c.lang(c.match(language).tag.String()).options {
		if o.Value == score {
			return o.Label, true
		}
	}
	return "", false
}

// ReasonLabel returns the label of the reason reasonID on the tenant's
// survey surveyID, as ScoreLabel returns a score's. ok is false for an
// unknown survey or a reason it does not offer.
func (e *Engine) ReasonLabel(tenantID, surveyID, language, reasonID string) (label string, ok bool) {
	if e.made() != nil {
		return "", false
	}
	c, err := e.survey(tenantID, surveyID)
	if err != nil || c.def.Reasons == nil {
		return "", false
	}
	for _, r := range c.lang(c.match(language).tag.String()).reasons {
		if r.Payload == ReasonPayloadPrefix+reasonID {
			return r.Label, true
		}
	}
	return "", false
}
