package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// maxBody bounds every JSON request body.
const maxBody = 1 << 20

// The JSON a helpdesk sends.
type (
	requestJSON struct {
		Conversation survey.Conversation `json:"conversation"`
		SurveyID     string              `json:"survey_id"`
		RequestedBy  string              `json:"requested_by"`
		BeforeClose  bool                `json:"before_close"`
	}
	inboundJSON struct {
		ContactID  string    `json:"contact_id"`
		Channel    string    `json:"channel"`
		MessageID  string    `json:"message_id"`
		Text       string    `json:"text"`
		ReceivedAt time.Time `json:"received_at,omitzero"`
	}
	reviewJSON struct {
		SessionID  string `json:"session_id"`
		ReviewerID string `json:"reviewer_id"`
		Score      int    `json:"score"`
		Comment    string `json:"comment"`
	}
)

// prepare readies a conversation a helpdesk sent (survey.Conversation's own
// JSON): it belongs to the demo's tenant whatever the body says, a
// participant without a kind is a person, and kinds and senders the engine
// would misread rather than refuse are rejected.
func prepare(c *survey.Conversation) error {
	c.TenantID = tenant
	for i, p := range c.Participants {
		switch p.Kind {
		case "":
			c.Participants[i].Kind = survey.Human
		case survey.Human, survey.Bot:
		default:
			return fmt.Errorf("participants[%d].kind must be \"human\" or \"bot\", not %q", i, p.Kind)
		}
	}
	for i, m := range c.Messages {
		switch m.From {
		case survey.FromContact, survey.FromAgent, survey.FromSystem:
		default:
			return fmt.Errorf("messages[%d].from must be \"contact\", \"agent\" or \"system\", not %q", i, m.From)
		}
	}
	return nil
}

// The JSON the API answers with.
type (
	choiceJSON struct {
		Value   int    `json:"value"`
		Label   string `json:"label"`
		Emoji   string `json:"emoji,omitempty"`
		Color   string `json:"color,omitempty"`
		Payload string `json:"payload"`
		Title   string `json:"title,omitempty"`
	}
	outboundJSON struct {
		IdempotencyKey string       `json:"idempotency_key"`
		Kind           string       `json:"kind"`
		SessionID      string       `json:"session_id"`
		ConversationID string       `json:"conversation_id"`
		ContactID      string       `json:"contact_id"`
		Channel        string       `json:"channel"`
		Language       string       `json:"language"`
		Text           string       `json:"text"`
		Prompt         string       `json:"prompt,omitempty"`
		Choices        []choiceJSON `json:"choices,omitempty"`
		HTML           string       `json:"html,omitempty"`
		Format         string       `json:"format,omitempty"`
		ListButton     string       `json:"list_button,omitempty"`
	}
	notificationJSON struct {
		IdempotencyKey string   `json:"idempotency_key"`
		Kind           string   `json:"kind"`
		Recipients     []string `json:"recipients"`
		SurveyID       string   `json:"survey_id"`
		SessionID      string   `json:"session_id"`
		ConversationID string   `json:"conversation_id"`
		Score          int      `json:"score"`
		ReviewerID     string   `json:"reviewer_id,omitempty"`
		Previous       int      `json:"previous,omitempty"`
		Comment        string   `json:"comment,omitempty"`
		Reason         string   `json:"reason,omitempty"`
		Follows        string   `json:"follows,omitempty"`
	}
	reviewOut struct {
		ReviewerID string    `json:"reviewer_id"`
		Score      int       `json:"score"`
		Comment    string    `json:"comment"`
		At         time.Time `json:"at"`
	}
	sessionJSON struct {
		ID             string     `json:"id"`
		SurveyID       string     `json:"survey_id"`
		ConversationID string     `json:"conversation_id"`
		ContactID      string     `json:"contact_id"`
		Channel        string     `json:"channel"`
		Language       string     `json:"language"`
		State          string     `json:"state"`
		Trigger        string     `json:"trigger"`
		Rated          bool       `json:"rated"`
		Rating         *int       `json:"rating"`
		Comment        string     `json:"comment,omitempty"`
		Agents         []string   `json:"agents"`
		SentAt         *time.Time `json:"sent_at"`
		RatedAt        *time.Time `json:"rated_at"`
		Deadline       *time.Time `json:"deadline"`
		Review         *reviewOut `json:"review"`
		Summary        string     `json:"summary,omitempty"`
	}
	failureJSON struct {
		Code   string `json:"code"`
		Rule   string `json:"rule"`
		Reason string `json:"reason"`
	}
	resultJSON struct {
		Eligible          *bool              `json:"eligible,omitempty"`
		Failures          []failureJSON      `json:"failures,omitempty"`
		Consumed          *bool              `json:"consumed,omitempty"`
		Duplicate         bool               `json:"duplicate"`
		CloseConversation bool               `json:"close_conversation"`
		Session           *sessionJSON       `json:"session"`
		Outbound          []outboundJSON     `json:"outbound"`
		Notifications     []notificationJSON `json:"notifications"`
		Replay            []outboundJSON     `json:"replay,omitempty"`
		// ReplayNotifications, on a duplicate, are the notifications the
		// first delivery raised (a low-score alert whose reply was lost).
		ReplayNotifications []notificationJSON `json:"replay_notifications,omitempty"`
	}
)

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (a *app) sessionOut(s *survey.Session) *sessionJSON {
	if s == nil {
		return nil
	}
	out := &sessionJSON{
		ID: s.ID, SurveyID: s.SurveyID, ConversationID: s.ConversationID, ContactID: s.ContactID,
		Channel: s.Channel, Language: s.Language, State: string(s.State), Trigger: string(s.Trigger),
		Rated: s.Rated, Comment: s.Comment, Agents: []string{},
		SentAt: timePtr(s.SentAt), RatedAt: timePtr(s.RatedAt), Deadline: timePtr(s.Deadline),
	}
	if s.Rated {
		r := s.Rating
		out.Rating = &r
	}
	for _, ag := range s.Agents {
		out.Agents = append(out.Agents, ag.ID)
	}
	if s.Review != nil {
		out.Review = &reviewOut{ReviewerID: s.Review.ReviewerID, Score: s.Review.Score, Comment: s.Review.Comment, At: s.Review.At}
	}
	if sum, err := a.engine.Summarize(s); err == nil {
		out.Summary = sum.String()
	}
	return out
}

func outboundsOut(list []survey.Outbound) []outboundJSON {
	out := []outboundJSON{}
	for _, o := range list {
		j := outboundJSON{
			IdempotencyKey: o.IdempotencyKey, Kind: string(o.Kind), SessionID: o.SessionID,
			ConversationID: o.ConversationID, ContactID: o.ContactID, Channel: o.Channel,
			Language: o.Language, Text: o.Text, Prompt: o.Prompt, HTML: o.HTML,
			Format: string(o.Format), ListButton: o.ListButton,
		}
		for _, c := range o.Choices {
			j.Choices = append(j.Choices, choiceJSON{Value: c.Value, Label: c.Label, Emoji: c.Emoji, Color: c.Color, Payload: c.Payload, Title: c.Title})
		}
		out = append(out, j)
	}
	return out
}

func (a *app) resultOut(res *survey.Result, withDecision bool) resultJSON {
	out := resultJSON{
		Duplicate: res.Duplicate, CloseConversation: res.CloseConversation,
		Session: a.sessionOut(res.Session), Outbound: outboundsOut(res.Outbound),
		Notifications: []notificationJSON{},
	}
	if withDecision {
		e := res.Decision.Eligible
		out.Eligible = &e
		for _, f := range res.Decision.Failures {
			out.Failures = append(out.Failures, failureJSON{Code: f.Code, Rule: f.Rule, Reason: f.Reason})
		}
	}
	if res.Duplicate {
		out.Replay = outboundsOut(res.Replay)
		out.ReplayNotifications = notificationsOut(res.ReplayNotifications)
	}
	out.Notifications = append(out.Notifications, notificationsOut(res.Notifications)...)
	return out
}

func notificationsOut(list []survey.Notification) []notificationJSON {
	var out []notificationJSON
	for _, n := range list {
		out = append(out, notificationJSON{
			IdempotencyKey: n.IdempotencyKey, Kind: string(n.Kind), Recipients: n.Recipients,
			SurveyID: n.SurveyID, SessionID: n.SessionID, ConversationID: n.ConversationID,
			Score: n.Score, ReviewerID: n.ReviewerID, Previous: n.Previous, Comment: n.Comment,
			Reason: n.Reason, Follows: n.Follows,
		})
	}
	return out
}

// apiError is the body of every 4xx and 5xx answer of the API.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, apiError{Error: fmt.Sprintf(format, args...)})
}

// decode reads one JSON object of at most maxBody bytes with no unknown
// fields and no trailing data, answering the 4xx itself when it fails.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("unexpected data after the JSON object")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "request body is larger than %d bytes", maxBody)
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, "request body is empty; send a JSON object")
	default:
		writeError(w, http.StatusBadRequest, "invalid JSON: %v", err)
	}
	return false
}

// engineError maps an engine error to a status and answers it.
func engineError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, survey.ErrNotFound):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.Is(err, survey.ErrUnknownSurvey):
		writeError(w, http.StatusNotFound, "%v", err)
	case errors.Is(err, survey.ErrInvalidInput):
		writeError(w, http.StatusUnprocessableEntity, "%v", err)
	case errors.Is(err, survey.ErrActiveExists), errors.Is(err, survey.ErrStaleVersion):
		writeError(w, http.StatusConflict, "%v", err)
	default:
		writeError(w, http.StatusInternalServerError, "%v", err)
	}
}

func (a *app) apiClosed(w http.ResponseWriter, r *http.Request) {
	a.conversationEvent(w, r, a.engine.ConversationClosed, true)
}

// apiReopened records that a conversation reopened: its survey, if still
// waiting, is cancelled, and its next close is a new close (until then a
// close is a retry of the last one).
func (a *app) apiReopened(w http.ResponseWriter, r *http.Request) {
	a.conversationEvent(w, r, a.engine.ConversationReopened, false)
}

// conversationEvent decodes a conversation, hands it to the engine call
// and answers its result (with the eligibility decision when
// withDecision).
func (a *app) conversationEvent(w http.ResponseWriter, r *http.Request,
	call func(context.Context, *survey.Conversation) (*survey.Result, error), withDecision bool) {
	var in survey.Conversation
	if !decode(w, r, &in) {
		return
	}
	if err := prepare(&in); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "%v", err)
		return
	}
	res, err := call(r.Context(), &in)
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.resultOut(res, withDecision))
}

func (a *app) apiRequest(w http.ResponseWriter, r *http.Request) {
	var in requestJSON
	if !decode(w, r, &in) {
		return
	}
	if err := prepare(&in.Conversation); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "%v", err)
		return
	}
	res, err := a.engine.RequestSurvey(r.Context(), &in.Conversation, survey.Request{
		SurveyID: in.SurveyID, RequestedBy: in.RequestedBy, BeforeClose: in.BeforeClose,
	})
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.resultOut(res, false))
}

func (a *app) apiMessage(w http.ResponseWriter, r *http.Request) {
	var in inboundJSON
	if !decode(w, r, &in) {
		return
	}
	res, err := a.engine.HandleMessage(r.Context(), &survey.Inbound{
		TenantID: tenant, ContactID: in.ContactID, Channel: in.Channel, MessageID: in.MessageID, Text: in.Text,
		ReceivedAt: in.ReceivedAt,
	})
	if err != nil {
		engineError(w, err)
		return
	}
	out := a.resultOut(res, false)
	out.Consumed = &res.Consumed
	writeJSON(w, http.StatusOK, out)
}

func (a *app) apiReview(w http.ResponseWriter, r *http.Request) {
	var in reviewJSON
	if !decode(w, r, &in) {
		return
	}
	res, err := a.engine.Review(r.Context(), survey.ReviewInput{
		TenantID: tenant, SessionID: in.SessionID, ReviewerID: in.ReviewerID, Score: in.Score, Comment: in.Comment,
	})
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.resultOut(res, false))
}

// apiSweep sends the scheduled surveys that are due, expires the ones
// whose time ran out and, with -retention, removes the free text older
// than the period.
func (a *app) apiSweep(w http.ResponseWriter, r *http.Request) {
	res, err := a.engine.Sweep(r.Context())
	if err != nil {
		engineError(w, err)
		return
	}
	kept, err := a.engine.Retain(r.Context())
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Sent     int            `json:"sent"`
		Expired  int            `json:"expired"`
		Scrubbed int            `json:"scrubbed"`
		Outbound []outboundJSON `json:"outbound"`
	}{res.Sent, res.Expired, kept.Scrubbed, outboundsOut(res.Outbound)})
}

// apiContactData answers a contact's request to see their data: every
// survey, answer, comment, message ID, agent and time the store holds.
func (a *app) apiContactData(w http.ResponseWriter, r *http.Request) {
	data, err := a.engine.ContactData(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, data)
}

// apiEraseContact erases a contact: the name, comments, replies, notes,
// message IDs and the contact ID go, the scores stay (reports do not
// change); with ?remove=responses the contact's responses go too.
func (a *app) apiEraseContact(w http.ResponseWriter, r *http.Request) {
	var opts survey.EraseOptions
	switch r.URL.Query().Get("remove") {
	case "":
	case "responses":
		opts.RemoveResponses = true
	default:
		writeError(w, http.StatusBadRequest, "remove must be \"responses\" or absent, not %q", r.URL.Query().Get("remove"))
		return
	}
	contact := r.PathValue("id")
	var sessions []string // the demo's own records of them go too
	if hist, err := a.store.ContactHistory(r.Context(), tenant, contact, time.Time{}); err == nil {
		for _, s := range hist {
			sessions = append(sessions, s.ID)
		}
	}
	res, err := a.engine.EraseContact(r.Context(), tenant, contact, opts)
	if err != nil {
		engineError(w, err)
		return
	}
	a.sent.forget(sessions)
	writeJSON(w, http.StatusOK, res)
}

func (a *app) apiSession(w http.ResponseWriter, r *http.Request) {
	s, err := a.store.Load(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.sessionOut(s))
}

func (a *app) apiLastRating(w http.ResponseWriter, r *http.Request) {
	s, err := a.engine.LastRating(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		engineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, a.sessionOut(s))
}

// Figures of the JSON report.
type (
	intervalJSON struct {
		Estimate float64 `json:"estimate"`
		Lower    float64 `json:"lower"`
		Upper    float64 `json:"upper"`
		N        int64   `json:"n"`
		TooFew   bool    `json:"too_few"`
	}
	summaryJSON struct {
		Count            int64        `json:"count"`
		Sum              int64        `json:"sum"`
		Mean             float64      `json:"mean"`
		SatisfiedPercent float64      `json:"satisfied_percent"`
		CSAT             intervalJSON `json:"csat"`
		NPS              intervalJSON `json:"nps"`
		High             int64        `json:"high"`
		Medium           int64        `json:"medium"`
		Low              int64        `json:"low"`
		Distribution     []int64      `json:"distribution"`
	}
	rowJSON struct {
		Key string `json:"key"`
		summaryJSON
	}
	reportJSON struct {
		Survey  string      `json:"survey"`
		Scale   string      `json:"scale"`
		From    string      `json:"from"`
		To      string      `json:"to"`
		Overall summaryJSON `json:"overall"`
		ByAgent []rowJSON   `json:"by_agent"`
		ByGroup []rowJSON   `json:"by_group"`
		// ByChannel is one store report per channel (the library's
		// Report has no channel breakdown), ranked like the others.
		ByChannel []rowJSON `json:"by_channel"`
	}
)

func intervalOut(iv scoring.Interval) intervalJSON {
	return intervalJSON{Estimate: iv.Estimate, Lower: iv.Lower, Upper: iv.Upper, N: iv.N, TooFew: iv.TooFew}
}

func summaryOut(s *scoring.Summary) summaryJSON {
	csat, _ := s.SatisfiedInterval(scoring.DefaultLevel)
	nps, _ := s.NPSInterval(scoring.DefaultLevel)
	return summaryJSON{
		Count: s.Count(), Sum: s.Sum(), Mean: s.Mean(), SatisfiedPercent: s.SatisfiedPercent(),
		CSAT: intervalOut(csat), NPS: intervalOut(nps),
		High: s.Promoters(), Medium: s.Passives(), Low: s.Detractors(), Distribution: s.Distribution(),
	}
}

func rankedRows(t *scoring.Table, metric scoring.Metric) []rowJSON {
	rows := []rowJSON{}
	ranked, err := t.Rank(scoring.RankOptions{Metric: metric})
	if err != nil {
		return rows
	}
	for _, r := range ranked {
		rows = append(rows, rowJSON{Key: r.Key, summaryJSON: summaryOut(r.Summary)})
	}
	return rows
}

// apiReport answers the report of the filters in the query string: the
// same report.Build as the dashboard (one GROUP BY query on the SQL
// stores).
func (a *app) apiReport(w http.ResponseWriter, r *http.Request) {
	f, err := a.parseFilters(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	scale := a.scales[f.Survey]
	rep, err := report.Build(r.Context(), a.store, tenant, report.Options{Filter: f.reportFilter(), Scale: scale})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	metric := scoring.MetricCSAT
	if f.Survey == "nps" {
		metric = scoring.MetricNPS
	}
	writeJSON(w, http.StatusOK, reportJSON{
		Survey: f.Survey, Scale: scale.ID(),
		From: f.From.Format(dateLayout), To: f.To.AddDate(0, 0, -1).Format(dateLayout),
		Overall: summaryOut(rep.Overall),
		ByAgent: rankedRows(rep.ByAgent, metric), ByGroup: rankedRows(rep.ByGroup, metric),
		ByChannel: rankedRows(rep.ByChannel, metric),
	})
}
