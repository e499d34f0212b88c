// Package report is surveyflow's read side: reports, the ratings registry
// and (in report/export) CSV exports, over one narrow read port, Source,
// that every store answers. SQL stores answer a report with one GROUP BY
// query over a few indexed columns; the memory store counts its sessions
// in place; a host's own store can count with Tally.
//
// # Dates
//
// One rule decides which responses a report or a listing covers: a
// response counts by when the contact rated it (From ≤ RatedAt < To), and
// falls in the period (day, ISO week, month, in Options.Location) holding
// that instant. Surveys sent, for the response rate, count by when they
// were sent (From ≤ SentAt < To), in the period holding the send time. A
// survey sent on Monday and rated on Tuesday is Monday's sent survey and
// Tuesday's response. A conversation that was reviewed but never rated is
// listed (never counted) by its review time.
//
// # Scales
//
// A report is on one scale (Options.Scale) and counts only the sessions
// recorded on it: each session keeps the ID of its survey's scale
// (survey.Session.Scale), so a tenant-wide CSAT report counts every CSAT
// survey and no NPS one, its ratings and its surveys sent alike. For NPS
// too, ask a second report with Options.Scale set to the NPS scale. Two
// scales with the same ID (a scale and a relabelled copy) are one scale.
// Sessions written before sessions kept their scale have none recorded;
// they count in a report of any scale, their scores only when the scale
// holds them.
//
// # Measures
//
// Ratings are always counted. Surveys sent (for the response rate) and
// times to rate are counted only when Options.Measures asks for them (the
// zero value asks for both): a ratings-only report is one GROUP BY over
// the scores, nothing more. Reminders (MeasureReminders: the surveys sent
// that got a reminder and the responses rated at or after the first
// one) are counted only when asked, even by the zero value, so no other
// report pays for them.
//
// # Comparisons
//
// Compare (or CompareReports, over two reports already built) tells
// whether a change between two periods — this week and the previous
// week of the same length (PreviousPeriod) — or between two filters is
// more than noise: for the overall figures and each agent, group and
// channel, the change of the CSAT % and of the NPS, each with a 95 %
// (or any level's) interval for the difference and a flag when that
// interval excludes zero. The CSAT interval is Newcombe's hybrid score
// interval for a difference of two independent proportions; the NPS
// interval sums the variances of the two independent NPS estimates
// (scoring.SatisfiedDifference and scoring.NPSDifference cite them).
//
// # Attribution
//
// Filter.Attribution decides which agents a rating counts for: every
// agent who took part (the default: an agent's score sums the answers of
// every conversation the agent took part in), the agent the conversation
// was assigned to when it closed (else the last human agent who replied),
// or the last human agent who replied. Groups are always those of every
// agent who took part, each once.
//
// # Reasons
//
// A response whose contact gave a reason for the score (survey.Reasons,
// recorded as survey.Session.Reason) counts once under that reason in
// Report.ByReason (scoring.ByReason); responses without a reason are not
// in that table. Filter.Reasons keeps the responses that gave one of its
// reasons, so a report per agent, group or channel for one reason is a
// report filtered by it. Reasons are part of the answer, like the score:
// surveys sent are neither counted per reason nor filtered by reason, so
// a filtered report's response rate is the share of surveys sent that
// were answered with those reasons.
package report
