// Package export writes survey responses as CSV for spreadsheets (seeds
// 001 and 004 export scores and comments to Excel). It streams from any
// survey.Store's Responses iterator, so exports of any size use constant
// memory.
//
// The columns are stable: new columns are only ever added at the end. Times
// are RFC 3339 in UTC with nanoseconds, empty when the event has not
// happened. Lists (agents, groups) are joined with "|". Quoting follows RFC
// 4180 (encoding/csv): a comment with commas, quotes or line breaks is one
// quoted field.
package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// Columns is the CSV header, in order:
//
//	tenant_id          the tenant
//	session_id         the survey session
//	survey_id          the survey definition
//	conversation_id    the conversation surveyed
//	contact_id         the contact who answered
//	channel            the conversation's channel
//	language           the language the survey spoke (BCP 47)
//	state              the session's state (completed, expired, …)
//	rating             the contact's score
//	rated_at           when the score arrived
//	comment            the contact's comment, possibly empty
//	comment_truncated  true when the comment was cut to the engine's limit
//	commented_at       when the comment arrived
//	agent_ids          the agents the answer counts for, "|"-separated
//	groups             their groups, each once, "|"-separated
//	closed_at          when the conversation closed
//	created_at         when the survey was sent
//	ended_at           when the session reached its final state
var Columns = []string{
	"tenant_id", "session_id", "survey_id", "conversation_id", "contact_id", "channel", "language", "state",
	"rating", "rated_at", "comment", "comment_truncated", "commented_at", "agent_ids", "groups",
	"closed_at", "created_at", "ended_at",
}

// Options adjust an export.
type Options struct {
	// ProtectFormulas prefixes a ' to every text field that a spreadsheet
	// would run as a formula (one starting with =, +, -, @, tab or carriage
	// return), so a comment such as "=HYPERLINK(…)" stays text in Excel.
	ProtectFormulas bool
}

// CSV writes the header and one row per response of the tenant that
// matches f, newest first, and returns how many rows it wrote.
func CSV(ctx context.Context, w io.Writer, st survey.Store, tenantID string, f survey.ResponseFilter, opts Options) (int, error) {
	if st == nil {
		return 0, fmt.Errorf("surveyflow/export: no store")
	}
	return Write(w, st.Responses(ctx, tenantID, f), opts)
}

// Write writes the header and one row per session of seq (as CSV does),
// stopping at the first error seq yields.
func Write(w io.Writer, seq iter.Seq2[*survey.Session, error], opts Options) (int, error) {
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
		Record(record, s)
		if opts.ProtectFormulas {
			for i, v := range record {
				record[i] = protect(v)
			}
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

// Record fills record (len(Columns) long) with s's fields in Columns order.
// Text is made valid UTF-8 (invalid bytes become U+FFFD).
func Record(record []string, s *survey.Session) {
	var agents, groups []string
	seen := map[string]bool{}
	for _, a := range s.Agents {
		agents = append(agents, a.ID)
		for _, g := range a.Groups {
			if !seen[g] {
				seen[g] = true
				groups = append(groups, g)
			}
		}
	}
	rating := ""
	if s.Rated {
		rating = strconv.Itoa(s.Rating)
	}
	copy(record, []string{
		s.TenantID, s.ID, s.SurveyID, s.ConversationID, s.ContactID, s.Channel, s.Language, string(s.State),
		rating, stamp(s.RatedAt), s.Comment, strconv.FormatBool(s.CommentTruncated), stamp(s.CommentedAt),
		strings.Join(agents, "|"), strings.Join(groups, "|"),
		stamp(s.ClosedAt), stamp(s.CreatedAt), stamp(s.EndedAt),
	})
	for i, v := range record {
		record[i] = strings.ToValidUTF8(v, "\uFFFD")
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func protect(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
