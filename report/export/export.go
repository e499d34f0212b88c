// Package export writes the ratings registry as CSV for spreadsheets:
// every rated or reviewed conversation, with its scores, their labels,
// comments, the reason of a low score, the supervisor's review and who
// took part. It streams from any report.Source a page at a time, so
// exports of any size use constant memory.
//
// The columns are stable: new columns are only ever added at the end.
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
//	rating_label       the score's label in the survey's language
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
//	reason_label       that reason's label in the session's language (see
//	                   Options.Reasons), else its ID
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

// Options adjust an export. The zero value is safe: formulas protected,
// times in UTC, no score labels, reasons labelled with their IDs.
type Options struct {
	// Scale is the exported surveys' scale; with it, rating_label and
	// review_label hold its options' labels from Catalog in each
	// session's language. Without it (and without Label) they are empty.
	Scale *scoring.Scale
	// Catalog holds the labels; nil means the shipped catalog.
	Catalog *i18n.Catalog
	// Label, when set, names the score of a session instead of Scale and
	// Catalog.
	Label func(s *survey.Session, score int) string
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
	if err := cw.Write(Columns); err != nil {
		return 0, fmt.Errorf("surveyflow/export: %w", err)
	}
	n := 0
	record := make([]string, len(Columns))
	for s, err := range seq {
		if err != nil {
			cw.Flush()
			return n, fmt.Errorf("surveyflow/export: %w", err)
		}
		opts.Record(record, s)
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

// label names score on s's survey.
func (o *Options) label(s *survey.Session, score int) string {
	if o.Label != nil {
		return o.Label(s, score)
	}
	if o.Scale == nil {
		return ""
	}
	opt, ok := o.Scale.Option(score)
	if !ok {
		return ""
	}
	text, _ := o.text(s, i18n.Key(opt.LabelKey))
	return text
}

// reasonLabel names s's reason: its option's label in s's language, else
// its ID; "" when s has no reason.
func (o *Options) reasonLabel(s *survey.Session) string {
	if s.Reason == "" {
		return ""
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

// text is key's text from the catalog in s's language.
func (o *Options) text(s *survey.Session, key i18n.Key) (string, bool) {
	cat := o.Catalog
	if cat == nil {
		cat = i18n.Shipped()
	}
	lang, err := language.Parse(s.Language)
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
