// Package export writes the ratings registry as CSV for spreadsheets:
// every rated or reviewed conversation, with its scores, their labels,
// comments, the reason of a low score, the supervisor's review and who
// took part. It streams from any report.Source a page at a time, so
// exports of any size use constant memory.
//
// Each row speaks its own survey: its score, review and reason are
// labelled on that survey's scale and texts, overrides included
// (Options.Labels, the engine), in the contact's language or a chosen
// one (Options.Language), so CSAT and NPS surveys export together.
//
// The standard columns are stable: new columns are only ever added at
// the end. A host can choose, rename and add columns (Options.Columns):
// fields it knows and the library does not, such as a contact's e-mail
// and phone or a link to the conversation.
// Times are RFC 3339 to the second in Options.Location (UTC by default),
// empty when the event has not happened. Lists (agents, groups) are joined
// with "|". Quoting follows RFC 4180 (encoding/csv): a comment with commas,
// quotes or line breaks is one quoted field. A field that a spreadsheet
// would run as a formula is prefixed with ' unless Options.AllowFormulas.
package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
	"golang.org/x/text/language"
)

// Columns is the CSV header, in order:
//
//	tenant_id          the tenant
//	session_id         the survey session
//	survey_id          the survey definition
//	conversation_id    the conversation surveyed or reviewed
//	contact_id         the contact
//	contact_name       the contact's display name
//	channel            the conversation's channel
//	language           the language the survey spoke (BCP 47)
//	state              the session's state (completed, expired, …)
//	rating             the contact's score, empty when not rated
//	rating_label       the score's label on the session's own survey (see
//	                   Options.Labels), in its language
//	rated_at           when the score arrived
//	comment            the contact's comment, possibly empty
//	comment_truncated  true when the comment was cut to the engine's limit
//	commented_at       when the comment arrived
//	agent_ids          the agents who took part, "|"-separated
//	agent_names        their display names, in the same order
//	groups             their groups, each once, "|"-separated
//	assignee           the agent assigned at close
//	last_agent         the last human agent who replied
//	review_score       the supervisor's score, empty without a review
//	review_label       that score's label
//	reviewer_id        the supervisor
//	review_comment     the supervisor's note
//	reviewed_at        when the review was recorded
//	closed_at          when the conversation closed
//	sent_at            when the survey was sent
//	created_at         when the session was created
//	ended_at           when the session reached its final state
//	reason             the ID of the reason the contact gave for the score
//	                   (survey.Session.Reason), empty when none
//	reason_label       that reason's label on the session's survey (see
//	                   Options.Labels and Options.Reasons), else its ID
var Columns = []string{
	"tenant_id", "session_id", "survey_id", "conversation_id", "contact_id", "contact_name", "channel", "language", "state",
	"rating", "rating_label", "rated_at", "comment", "comment_truncated", "commented_at",
	"agent_ids", "agent_names", "groups", "assignee", "last_agent",
	"review_score", "review_label", "reviewer_id", "review_comment", "reviewed_at",
	"closed_at", "sent_at", "created_at", "ended_at",
	"reason", "reason_label",
}

// Names gives the display names of agents and contacts, for hosts that
// keep them elsewhere than in the session (or renamed someone since). An
// empty answer falls back to the name the session holds.
type Names interface {
	// Agent returns the agent's display name.
	Agent(tenantID, agentID string) string
	// Contact returns the contact's display name.
	Contact(tenantID, contactID string) string
}

// Labels names scores and reasons as each row's own survey shows them:
// from the survey's scale and texts, its overrides included, in a
// language. *survey.Engine is one (Engine.ScoreLabel, Engine.ReasonLabel).
type Labels interface {
	// ScoreLabel returns the label of score on the tenant's survey in the
	// survey's language closest to language; ok is false when it has none.
	ScoreLabel(tenantID, surveyID, language string, score int) (label string, ok bool)
	// ReasonLabel returns the label of a reason of the tenant's survey,
	// as ScoreLabel does a score's.
	ReasonLabel(tenantID, surveyID, language, reasonID string) (label string, ok bool)
}

// Options adjust an export. The zero value is safe: formulas protected,
// times in UTC, scores labelled from each session's own shipped scale,
// reasons labelled with their IDs.
type Options struct {
	// Labels, when set, labels each row's score, review and reason on its
	// own survey (scale and texts, overrides included): pass the engine.
	// A row whose survey Labels does not know is labelled as without it.
	Labels Labels
	// Language, when set (BCP 47, e.g. "en"), is the language of every
	// label; otherwise each row is labelled in its session's language.
	Language string
	// Scale labels the rows that recorded no scale (sessions written
	// before sessions kept it) and rows on a scale with its ID; other
	// rows are labelled on their own scale when it is a shipped one
	// (scoring.ScaleByID), and left unlabelled otherwise.
	Scale *scoring.Scale
	// Catalog holds the labels when Labels does not give them; nil means
	// the shipped catalog.
	Catalog *i18n.Catalog
	// Label, when set, names the score of a session instead of Labels,
	// Scale and Catalog.
	Label func(s *survey.Session, score int) string
	// Columns, when not nil, are the file's columns in order instead of
	// Columns: standard ones (Field, Standard) and the host's own, such
	// as a contact's e-mail from its directory or a link to the
	// conversation.
	Columns []Column
	// Reasons are the exported surveys' reason options (a survey's
	// Reasons.Options, such as survey.DefaultReasons(1, 2).Options); with
	// them, reason_label holds the chosen option's label from Catalog in
	// each session's language. A reason they do not name, or whose label
	// Catalog lacks, is labelled with its ID.
	Reasons []survey.Reason
	// Names, when set, resolves display names; otherwise the names the
	// sessions hold are written.
	Names Names
	// Location is the time zone of the times written; nil means UTC.
	Location *time.Location
	// BOM starts the file with a UTF-8 byte order mark, which Excel needs
	// to read accents and emoji right.
	BOM bool
	// AllowFormulas writes fields as they are. By default a field that a
	// spreadsheet would run as a formula (one starting with =, +, -, @,
	// their full-width forms ＝＋－＠, a tab or carriage return, after any
	// leading spaces) is prefixed with ', so a comment such as
	// "=HYPERLINK(…)" stays text.
	AllowFormulas bool
}

// Column is one column of an export: its header, and the field a row
// gives it. Every field, the host's included, is made valid UTF-8 and
// protected from spreadsheets as the standard ones are.
type Column struct {
	// Header is the column's name in the header row.
	Header string
	// Value returns the row's field.
	Value func(r *Row) string
}

// Row is one session as a Column sees it: the session, and its standard
// fields as an export writes them (labels, names and times included).
type Row struct {
	// Session is the row's session; a Column must not change it.
	Session *survey.Session
	fields  []string // the standard columns, in Columns order
}

// Field returns the row's value of the standard column name (one of
// Columns), as the standard export writes it; "" for another name.
func (r *Row) Field(name string) string {
	if i := columnIndex[name]; i > 0 {
		return r.fields[i-1]
	}
	return ""
}

// columnIndex is one more than each standard column's place.
var columnIndex = func() map[string]int {
	m := make(map[string]int, len(Columns))
	for i, c := range Columns {
		m[c] = i + 1
	}
	return m
}()

// Field is the standard column name under header: Field("feedback",
// "comment") writes the comment in a column named feedback. It panics on
// a name that is not one of Columns, a mistake in the host's code.
func Field(header, name string) Column {
	if columnIndex[name] == 0 {
		panic(fmt.Sprintf("surveyflow/export: %q is not a standard column", name))
	}
	return Column{Header: header, Value: func(r *Row) string { return r.Field(name) }}
}

// Standard returns the standard columns (Columns) as Columns, for a host
// that appends its own.
func Standard() []Column {
	out := make([]Column, len(Columns))
	for i, c := range Columns {
		out[i] = Field(c, c)
	}
	return out
}

// CSV writes the header and one row per listed session of the tenant
// (rated or reviewed) that passes f, newest first, and returns how many
// rows it wrote. A nil writer or source is an error wrapping
// survey.ErrInvalidInput.
func CSV(ctx context.Context, w io.Writer, src report.Source, tenantID string, f report.Filter, opts Options) (int, error) {
	if src == nil {
		return 0, fmt.Errorf("surveyflow/export: %w: no source", survey.ErrInvalidInput)
	}
	return Write(w, report.All(ctx, src, tenantID, f), opts)
}

// Write writes the header and one row per session of seq (as CSV does),
// stopping at the first error seq yields. A nil writer or seq is an error
// wrapping survey.ErrInvalidInput.
func Write(w io.Writer, seq iter.Seq2[*survey.Session, error], opts Options) (int, error) {
	if v := reflect.ValueOf(w); !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil() {
		return 0, fmt.Errorf("surveyflow/export: %w: nil writer", survey.ErrInvalidInput)
	}
	if seq == nil {
		return 0, fmt.Errorf("surveyflow/export: %w: no sessions to write (nil seq)", survey.ErrInvalidInput)
	}
	if opts.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return 0, fmt.Errorf("surveyflow/export: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	header := Columns
	if opts.Columns != nil {
		header = make([]string, len(opts.Columns))
		for i, c := range opts.Columns {
			header[i] = c.Header
		}
	}
	if err := cw.Write(header); err != nil {
		return 0, fmt.Errorf("surveyflow/export: %w", err)
	}
	n := 0
	record := make([]string, len(header))
	row := Row{fields: make([]string, len(Columns))}
	for s, err := range seq {
		if err != nil {
			cw.Flush()
			return n, fmt.Errorf("surveyflow/export: %w", err)
		}
		if opts.Columns == nil {
			opts.Record(record, s)
		} else {
			row.Session = s
			opts.fill(row.fields, s)
			for i, c := range opts.Columns {
				record[i] = c.Value(&row)
			}
			opts.clean(record)
		}
		if err := cw.Write(record); err != nil {
			return n, fmt.Errorf("surveyflow/export: %w", err)
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("surveyflow/export: %w", err)
	}
	return n, nil
}

// Record fills record (len(Columns) long) with s's fields in Columns
// order, as Write writes them: text made valid UTF-8 (invalid bytes become
// U+FFFD) and, unless o.AllowFormulas, protected from spreadsheets.
func (o *Options) Record(record []string, s *survey.Session) {
	o.fill(record, s)
	o.clean(record)
}

// fill fills record (len(Columns) long) with s's fields in Columns order,
// as they are.
func (o *Options) fill(record []string, s *survey.Session) {
	d := report.Of(s)
	names := make([]string, len(d.Agents))
	for i, id := range d.Agents {
		for _, a := range s.Agents {
			if a.ID == id {
				names[i] = o.agentName(s.TenantID, a)
				break
			}
		}
	}
	var rating, ratingLabel string
	if s.Rated {
		rating, ratingLabel = strconv.Itoa(s.Rating), o.label(s, s.Rating)
	}
	var reviewScore, reviewLabel, reviewer, reviewComment, reviewedAt string
	if r := s.Review; r != nil {
		reviewScore, reviewLabel = strconv.Itoa(r.Score), o.label(s, r.Score)
		reviewer, reviewComment, reviewedAt = r.ReviewerID, r.Comment, o.stamp(r.At)
	}
	contact := s.ContactName
	if o.Names != nil {
		if n := o.Names.Contact(s.TenantID, s.ContactID); n != "" {
			contact = n
		}
	}
	copy(record, []string{
		s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, contact, s.Channel, s.Language, string(s.State),
		rating, ratingLabel, o.stamp(s.RatedAt), s.Comment, strconv.FormatBool(s.CommentTruncated), o.stamp(s.CommentedAt),
		strings.Join(d.Agents, "|"), strings.Join(names, "|"), strings.Join(d.Groups, "|"), s.Assignee, s.LastAgent,
		reviewScore, reviewLabel, reviewer, reviewComment, reviewedAt,
		o.stamp(s.ClosedAt), o.stamp(s.SentAt), o.stamp(s.CreatedAt), o.stamp(s.EndedAt),
		s.Reason, o.reasonLabel(s),
	})
}

// clean makes every field of record valid UTF-8 and, unless
// o.AllowFormulas, protects it from spreadsheets.
func (o *Options) clean(record []string) {
	for i, v := range record {
		v = strings.ToValidUTF8(v, "\uFFFD")
		if !o.AllowFormulas {
			v = protect(v)
		}
		record[i] = v
	}
}

func (o *Options) agentName(tenantID string, a survey.Participant) string {
	if o.Names != nil {
		if n := o.Names.Agent(tenantID, a.ID); n != "" {
			return n
		}
	}
	return a.Name
}

// label names score on s's survey: by o.Label, else as the survey shows
// it (o.Labels), else on s's own scale from the catalog.
func (o *Options) label(s *survey.Session, score int) string {
	if o.Label != nil {
		return o.Label(s, score)
	}
	if o.Labels != nil {
		if text, ok := o.Labels.ScoreLabel(s.TenantID, s.SurveyID, o.language(s), score); ok {
			return text
		}
	}
	scale := o.Scale
	if s.Scale != "" && (scale == nil || scale.ID() != s.Scale) {
		scale, _ = scoring.ScaleByID(s.Scale)
	}
	if scale == nil {
		return ""
	}
	opt, ok := scale.Option(score)
	if !ok {
		return ""
	}
	text, _ := o.text(s, i18n.Key(opt.LabelKey))
	return text
}

// language is the language s's labels are written in.
func (o *Options) language(s *survey.Session) string {
	if o.Language != "" {
		return o.Language
	}
	return s.Language
}

// reasonLabel names s's reason: as its survey shows it (o.Labels), else
// its option's label (o.Reasons) in the row's language, else its ID; ""
// when s has no reason.
func (o *Options) reasonLabel(s *survey.Session) string {
	if s.Reason == "" {
		return ""
	}
	if o.Labels != nil {
		if text, ok := o.Labels.ReasonLabel(s.TenantID, s.SurveyID, o.language(s), s.Reason); ok {
			return text
		}
	}
	for _, r := range o.Reasons {
		if r.ID == s.Reason {
			if text, ok := o.text(s, r.Label); ok {
				return text
			}
			break
		}
	}
	return s.Reason
}

// text is key's text from the catalog in the row's language.
func (o *Options) text(s *survey.Session, key i18n.Key) (string, bool) {
	cat := o.Catalog
	if cat == nil {
		cat = i18n.Shipped()
	}
	lang, err := language.Parse(o.language(s))
	if err != nil {
		lang = cat.Default()
	}
	return cat.Text(lang, key)
}

// stamp writes t as RFC 3339 to the second in o.Location; "" for zero.
func (o *Options) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.RFC3339)
}

// protect prefixes ' to a field a spreadsheet would run as a formula:
// one whose first character after any spaces is =, +, -, @ or their
// full-width forms, or that starts with a tab or carriage return.
func protect(v string) string {
	if v == "" {
		return v
	}
	if v[0] == '\t' || v[0] == '\r' {
		return "'" + v
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(v, unicode.IsSpace))
	switch r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return "'" + v
	}
	return v
}
