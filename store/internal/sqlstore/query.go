package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
)

// Dialect is how one SQL store spells what the read queries need.
type Dialect struct {
	// Name starts the store's errors, as in "surveyflow/postgres".
	Name string
	// Param returns the n-th placeholder (from 1): "?" or "$n".
	Param func(n int) string
	// Time turns an instant into the value of a time column.
	Time func(t time.Time) any
	// List turns a list of IDs into the value of a list parameter.
	List func(ids []string) any
	// In is the condition "expr is in the list parameter p".
	In func(expr, p string) string
	// Overlaps is the condition "the list column col shares an entry with
	// the list parameter p".
	Overlaps func(col, p string) string
	// Each is the FROM item that turns the list column col into one row
	// per entry, named alias with the entry in alias.value.
	Each func(col, alias string) string
	// Scale is the session's scale ID (NULL when none was recorded), an
	// expression over the sessions aliased s that the reports' covering
	// indexes hold.
	Scale string
	// Day is the local day number of the time column col when the zone's
	// offset (seconds, an SQL expression) is off.
	Day func(col, off string) string
}

// query builds one statement and its arguments.
type query struct {
	d    *Dialect
	args []any
}

// arg adds a parameter and returns its placeholder.
func (b *query) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.Param(len(b.args))
}

// CountSQL is the one statement that answers report.Source.Count: for
// every dimension, a GROUP BY over the responses (by rating time) and,
// when q.Measures counts surveys sent (report.Measure.CountsSent) and
// except for reasons, one over the surveys sent (by send time), joined
// with UNION ALL. Responses are grouped by score, and by time-to-rate
// bucket only when q.Measures asks for times to rate. Only when it asks
// for reminders are both also grouped by reminder (reminded_at, which no
// index holds); otherwise that column is the constant 0 and the
// statement is the one a report without reminders always ran. Each row
// is (by, key, day, sent, reminded, rating, bucket, n, rate_sum,
// rate_max); ScanCounts reads them.
func CountSQL(d *Dialect, tenantID string, q report.Query) (string, []any) {
	b := &query{d: d}
	var parts []string
	for _, by := range append([]scoring.Dimension{scoring.Overall}, q.By...) {
		parts = append(parts, b.branch(tenantID, &q, by, false))
		// A reason is part of the answer: no sent surveys under it.
		if by != scoring.ByReason && q.Measures.CountsSent() {
			parts = append(parts, b.branch(tenantID, &q, by, true))
		}
	}
	return strings.Join(parts, "\nUNION ALL\n"), b.args
}

// branch is one GROUP BY of CountSQL.
func (b *query) branch(tenantID string, q *report.Query, by scoring.Dimension, sent bool) string {
	f := &q.Filter
	at := "rated_at"
	if sent {
		at = "sent_at"
	}
	// Constant columns are typed like the others, so that PostgreSQL
	// appends the branches as they are, in parallel, with no projection.
	key, day := "CAST(NULL AS TEXT)", "0"
	if by == scoring.ByDay {
		day = b.d.Day("s."+at, b.offset("s."+at, q.Zone))
	}
	from := "surveyflow_sessions s"
	where := []string{"s.tenant_id = " + b.arg(tenantID)}
	if sent {
		where = append(where, "s.sent_at IS NOT NULL")
	} else {
		where = append(where, "s.rating IS NOT NULL")
	}
	if !f.From.IsZero() {
		where = append(where, "s."+at+" >= "+b.arg(b.d.Time(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "s."+at+" < "+b.arg(b.d.Time(f.To)))
	}
	if q.Scale != "" {
		where = append(where, "("+b.d.Scale+" = "+b.arg(q.Scale)+" OR "+b.d.Scale+" IS NULL)")
	}
	where = append(where, b.filters(f, !sent)...)
	switch by {
	case scoring.ByAgent:
		col := credited(f.Attribution)
		if col == "" {
			from += ", " + b.d.Each("s.agent_ids", "a")
			col = "a.value"
		}
		key = col
		if col != "a.value" {
			where = append(where, col+" IS NOT NULL")
		}
		if len(f.Agents) > 0 {
			where = append(where, b.d.In(col, b.arg(b.d.List(f.Agents))))
		}
	case scoring.ByGroup:
		from += ", " + b.d.Each("s.group_ids", "g")
		key = "g.value"
		if len(f.Groups) > 0 {
			where = append(where, b.d.In(key, b.arg(b.d.List(f.Groups))))
		}
	case scoring.ByChannel:
		key = "s.channel"
	case scoring.BySurvey:
		key = "s.survey_id"
	case scoring.ByReason:
		key = "s.reason"
		where = append(where, "s.reason IS NOT NULL")
	}
	sel := "0, NULL, count(*), NULL, NULL"
	var group []string // the varying columns only: grouping by constants costs
	if key != "CAST(NULL AS TEXT)" {
		group = append(group, key)
	}
	if day != "0" {
		group = append(group, day)
	}
	reminded := "0"
	if q.Measures.Has(report.MeasureReminders) {
		reminded = "s.reminded_at IS NOT NULL AND s.rated_at >= s.reminded_at"
		if sent {
			reminded = "s.reminded_at IS NOT NULL"
		}
		reminded = "CASE WHEN " + reminded + " THEN 1 ELSE 0 END"
		group = append(group, reminded)
	}
	switch {
	case !sent && q.Measures.Has(report.MeasureTimeToRate):
		sel = "s.rating, s.rate_bucket, count(*), CAST(sum(s.rate_ns) AS BIGINT), max(s.rate_ns)"
		group = append(group, "s.rating", "s.rate_bucket")
	case !sent:
		sel = "s.rating, CAST(NULL AS INTEGER), count(*), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)"
		group = append(group, "s.rating")
	}
	out := "SELECT " + strconv.Itoa(int(by)) + ", " + key + ", " + day + ", " + boolInt(sent) + ", " + reminded + ", " + sel +
		" FROM " + from + " WHERE " + strings.Join(where, " AND ")
	if len(group) > 0 {
		out += " GROUP BY " + strings.Join(group, ", ")
	}
	return out
}

// filters are the conditions of f's lists (and, for responses, its score
// ranges and reasons).
func (b *query) filters(f *report.Filter, scores bool) []string {
	var out []string
	if len(f.Surveys) > 0 {
		out = append(out, b.d.In("s.survey_id", b.arg(b.d.List(f.Surveys))))
	}
	if len(f.Channels) > 0 {
		out = append(out, b.d.In("s.channel", b.arg(b.d.List(f.Channels))))
	}
	if len(f.Agents) > 0 {
		if col := credited(f.Attribution); col != "" {
			out = append(out, b.d.In(col, b.arg(b.d.List(f.Agents))))
		} else {
			out = append(out, b.d.Overlaps("s.agent_ids", b.arg(b.d.List(f.Agents))))
		}
	}
	if len(f.Groups) > 0 {
		out = append(out, b.d.Overlaps("s.group_ids", b.arg(b.d.List(f.Groups))))
	}
	if scores && f.Rating != nil {
		out = append(out, "s.rating BETWEEN "+b.arg(f.Rating.Min)+" AND "+b.arg(f.Rating.Max))
	}
	if scores && f.Review != nil {
		out = append(out, "s.review_score BETWEEN "+b.arg(f.Review.Min)+" AND "+b.arg(f.Review.Max))
	}
	if scores && len(f.Reasons) > 0 {
		out = append(out, b.d.In("s.reason", b.arg(b.d.List(f.Reasons))))
	}
	return out
}

// credited is the column of the one agent an attribution credits, or ""
// for every agent who took part (the agent_ids list).
func credited(a scoring.Attribution) string {
	switch a {
	case scoring.LastAgent:
		return "s.last_agent"
	case scoring.AssigneeAtClose:
		return "COALESCE(s.assignee, s.last_agent)"
	}
	return ""
}

// offset is the zone's offset at the time column col, in seconds.
func (b *query) offset(col string, z report.Zone) string {
	if len(z.Shifts) == 0 {
		return "0"
	}
	if len(z.Shifts) == 1 {
		return strconv.Itoa(z.Shifts[0].Offset)
	}
	var sb strings.Builder
	sb.WriteString("CASE")
	for i, s := range z.Shifts[1:] {
		sb.WriteString(" WHEN " + col + " < " + b.arg(b.d.Time(s.From)) + " THEN " + strconv.Itoa(z.Shifts[i].Offset))
	}
	sb.WriteString(" ELSE " + strconv.Itoa(z.Shifts[len(z.Shifts)-1].Offset) + " END")
	return sb.String()
}

func boolInt(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// CountRow is one row of CountSQL as scanned.
type CountRow struct {
	By, Sent      int
	Reminded      int
	Key           *string
	Day           int64
	Rating        int
	Bucket        *int
	N             int64
	RateSum, RMax *int64
}

// Count turns a scanned row into the port's count.
func (r *CountRow) Count() report.Count {
	c := report.Count{By: scoring.Dimension(r.By), Day: r.Day, Sent: r.Sent == 1, Reminded: r.Reminded == 1,
		Rating: r.Rating, Bucket: -1, N: r.N}
	if r.Key != nil {
		c.Key = *r.Key
	}
	if c.Sent {
		c.Bucket = 0
	} else if r.Bucket != nil {
		c.Bucket = *r.Bucket
		if r.RateSum != nil {
			c.RateSum = time.Duration(*r.RateSum)
		}
		if r.RMax != nil {
			c.RateMax = time.Duration(*r.RMax)
		}
	}
	return c
}

// ListSQL is the one statement that answers report.Source.List: the
// page's version and doc columns, newest first by (listed_at, id), paged
// with a row-value comparison the listed index answers as a range.
func ListSQL(d *Dialect, tenantID string, q report.ListQuery) (string, []any) {
	b := &query{d: d}
	f := &q.Filter
	where := []string{"s.tenant_id = " + b.arg(tenantID), "s.listed_at IS NOT NULL"}
	if !f.From.IsZero() {
		where = append(where, "s.listed_at >= "+b.arg(d.Time(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "s.listed_at < "+b.arg(d.Time(f.To)))
	}
	where = append(where, b.filters(f, true)...)
	if q.After != nil {
		where = append(where, "(s.listed_at, s.id) < ("+b.arg(d.Time(q.After.At))+", "+b.arg(q.After.ID)+")")
	}
	return "SELECT s.version, s.doc FROM surveyflow_sessions s WHERE " + strings.Join(where, " AND ") +
		" ORDER BY s.listed_at DESC, s.id DESC LIMIT " + b.arg(q.Limit), b.args
}

// Rows is what both drivers' result sets offer (*sql.Rows, pgx.Rows).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanCounts reads the rows of CountSQL into the port's counts.
func ScanCounts(rows Rows) ([]report.Count, error) {
	var out []report.Count
	for rows.Next() {
		var r CountRow
		if err := rows.Scan(&r.By, &r.Key, &r.Day, &r.Sent, &r.Reminded, &r.Rating, &r.Bucket, &r.N, &r.RateSum, &r.RMax); err != nil {
			return nil, err
		}
		out = append(out, r.Count())
	}
	return out, rows.Err()
}
