package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the suite's time zones, whatever the machine has

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

// readStore is a store with both sides: the engine's survey.Store, through
// which the read suite writes its fixtures, and the read port.
type readStore interface {
	survey.Store
	report.Source
}

// readFactory returns an empty store for one subtest.
type readFactory func(t *testing.T) readStore

// runRead runs the read port's contract against stores made by newStore:
// reports agree with report.Sessions (the same rules in Go) on every
// dimension, attribution, filter, measure and time zone; the date rule,
// each attribution, the table per reason and the reason filter, one
// scale per report, the measures asked, rows of surveys sent but not
// answered, reminders and the responses after them, and day boundaries across DST are pinned to numbers; a
// cancelled context is refused; and the registry lists, filters and
// pages like report.Pick. Run runs it (Read) when the store implements
// report.Source.
func runRead(t *testing.T, newStore readFactory) {
	t.Run("CountsAgreeWithGo", func(t *testing.T) { testCountsAgree(t, newStore(t)) })
	t.Run("DateRule", func(t *testing.T) { testDateRule(t, newStore(t)) })
	t.Run("Attribution", func(t *testing.T) { testAttribution(t, newStore(t)) })
	t.Run("DaysInATimeZone", func(t *testing.T) { testDays(t, newStore(t)) })
	t.Run("ResponseRateAndTimeToRate", func(t *testing.T) { testRateAndTimes(t, newStore(t)) })
	t.Run("Reasons", func(t *testing.T) { testReasons(t, newStore(t)) })
	t.Run("OneScalePerReport", func(t *testing.T) { testScales(t, newStore(t)) })
	t.Run("OnlyTheMeasuresAsked", func(t *testing.T) { testMeasures(t, newStore(t)) })
	t.Run("RowsWithoutResponses", func(t *testing.T) { testRowsWithoutResponses(t, newStore(t)) })
	t.Run("RemindersAndTheResponsesAfterThem", func(t *testing.T) { testReminders(t, newStore(t)) })
	t.Run("CancelledContext", func(t *testing.T) { testReadCancelled(t, newStore(t)) })
	t.Run("CountTenantIsolation", func(t *testing.T) { testCountTenants(t, newStore(t)) })
	t.Run("ListFilters", func(t *testing.T) { testListFilters(t, newStore(t)) })
	t.Run("ListPages", func(t *testing.T) { testListPages(t, newStore(t)) })
	t.Run("ListReviewedUnrated", func(t *testing.T) { testListReviewed(t, newStore(t)) })
	t.Run("ListTenantIsolation", func(t *testing.T) { testListTenants(t, newStore(t)) })
	t.Run("RejectsInvalidQueries", func(t *testing.T) { testReadInvalid(t, newStore(t)) })
}

// sessionsOf returns the tenant's sessions of the given contacts, newest
// first, through the write side's ContactHistory.
func sessionsOf(t T, st survey.Store, tenant string, contacts ...string) []*survey.Session {
	t.Helper()
	var out []*survey.Session
	for _, c := range contacts {
		h, err := st.ContactHistory(context.Background(), tenant, c, time.Time{})
		require.NoError(t, err)
		out = append(out, h...)
	}
	return out
}

// put stores sessions through the write side (Create, then Update for the
// ones that were rated or reviewed, as the engine would).
func put(t *testing.T, st survey.Store, sessions ...*survey.Session) {
	t.Helper()
	for _, s := range sessions {
		require.NoError(t, st.Create(ctx(), s), s.ID)
	}
}

// readSession is a final session of tenant t1 with the given agents (ID
// and groups, "bot:" marks a bot), sent at sent (zero: never sent).
func readSession(id string, sent time.Time, agents ...string) *survey.Session {
	s := NewSession("t1", id, 0)
	s.State, s.Deadline, s.SentAt = survey.StateExpired, time.Time{}, sent
	s.Agents = nil
	for _, a := range agents {
		ag := survey.Participant{ID: a, Kind: survey.Human}
		switch a {
		case "ana":
			ag.Groups = []string{"support"}
		case "bo":
			ag.Groups = []string{"billing", "support"}
		case "cy":
			ag.Groups = []string{"vip"}
		case "bot":
			ag.Kind = survey.Bot
		}
		s.Agents = append(s.Agents, ag)
	}
	return s
}

func rated(s *survey.Session, rating int, at time.Time) *survey.Session {
	Rate(s, rating, at)
	s.State = survey.StateCompleted
	return s
}

// readFixture is a varied set of sessions for comparing a store with Go.
func readFixture() []*survey.Session {
	var out []*survey.Session
	agents := [][]string{{"ana"}, {"ana", "bo"}, {"bo", "bot"}, {"cy", "ana", "ana"}, {}, {"bot"}}
	for i := 0; i < 60; i++ {
		sent := base.Add(time.Duration(i*7) * time.Hour)
		if i%11 == 5 {
			sent = time.Time{}
		}
		s := readSession(fmt.Sprintf("f%02d", i), sent, agents[i%len(agents)]...)
		s.Channel = []string{"whatsapp", "email", "web"}[i%3]
		s.SurveyID = []string{"csat", "csat", "nps"}[i%3/2+i%2]
		s.Scale = map[string]string{"csat": "csat5", "nps": "nps10"}[s.SurveyID]
		if i%10 == 9 {
			s.Scale = "" // written before sessions kept their scale
		}
		if i%4 != 3 {
			s.Assignee = []string{"", "bo", "cy"}[i%3]
		}
		if len(s.Agents) > 0 && s.Agents[0].Kind == survey.Human {
			s.LastAgent = s.Agents[len(s.Agents)-1].ID
		}
		if i%5 != 4 {
			at := sent
			if at.IsZero() {
				at = base.Add(time.Duration(i*7) * time.Hour)
			}
			rated(s, i%5+1, at.Add(time.Duration(i%9)*time.Duration(i)*time.Minute+123*time.Nanosecond))
		}
		if i%6 == 1 {
			s.Review = &survey.Review{ReviewerID: "sup", Score: i%5 + 1, At: base.Add(time.Duration(i*7+3) * time.Hour)}
		}
		if i%4 == 1 && !sent.IsZero() { // a reminder, some before the rating and some after
			s.Reminders, s.RemindedAt = 1+i%2, sent.Add(time.Duration(i%7)*time.Hour)
		}
		if s.Rated && s.Rating <= 3 && i%7 != 0 { // the reason after a low score, when the contact gave one
			s.Reason, s.ReasonAt = []string{"slow", "not_solved", "other"}[i%3], s.RatedAt.Add(time.Minute)
		}
		out = append(out, s)
	}
	return out
}

func testCountsAgree(t *testing.T, st readStore) {
	fixture := readFixture()
	put(t, st, fixture...)
	ref := report.Sessions(fixture)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	saoPaulo, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	all := []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.BySurvey}
	from, to := base.Add(-24*time.Hour), base.Add(40*24*time.Hour)
	cases := []struct {
		name string
		o    report.Options
	}{
		{"everything", report.Options{}},
		{"last agent", report.Options{Filter: report.Filter{Attribution: scoring.LastAgent}}},
		{"assignee at close", report.Options{Filter: report.Filter{Attribution: scoring.AssigneeAtClose}}},
		{"agents filter", report.Options{Filter: report.Filter{Agents: []string{"ana", "cy"}}}},
		{"agents filter, assignee", report.Options{Filter: report.Filter{Agents: []string{"bo"}, Attribution: scoring.AssigneeAtClose}}},
		{"groups, channels, surveys", report.Options{Filter: report.Filter{Groups: []string{"support", "vip"}, Channels: []string{"email", "web"}, Surveys: []string{"csat"}}}},
		{"rating and review ranges", report.Options{Filter: report.Filter{Rating: &report.Range{Min: 2, Max: 4}, Review: &report.Range{Min: 1, Max: 3}}}},
		{"range", report.Options{Filter: report.Filter{From: base.Add(30 * time.Hour), To: base.Add(200 * time.Hour)}}},
		{"by day in Berlin", report.Options{Filter: report.Filter{From: from, To: to}, By: append(all, scoring.ByDay), Location: berlin}},
		{"by week in São Paulo", report.Options{Filter: report.Filter{From: from, To: to}, By: []scoring.Dimension{scoring.ByWeek}, Location: saoPaulo}},
		{"by month, UTC", report.Options{Filter: report.Filter{From: from, To: to}, By: []scoring.Dimension{scoring.ByMonth, scoring.ByAgent}}},
		{"by reason", report.Options{By: append(all, scoring.ByReason)}},
		{"one reason per agent, group and channel", report.Options{Filter: report.Filter{Reasons: []string{"slow"}},
			By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.ByReason}}},
		{"reasons, last agent, range, by day", report.Options{Filter: report.Filter{Reasons: []string{"not_solved", "other"},
			Attribution: scoring.LastAgent, Agents: []string{"ana", "bo"}, From: from, To: to}, By: []scoring.Dimension{scoring.ByReason, scoring.ByAgent, scoring.ByDay}}},
		{"NPS", report.Options{Scale: scoring.NPS10(), By: append(all, scoring.ByReason)}},
		{"ratings only", report.Options{Measures: report.MeasureRatings, By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel}}},
		{"ratings and response rate, by day", report.Options{Measures: report.MeasureRatings | report.MeasureResponseRate,
			Filter: report.Filter{From: from, To: to}, By: []scoring.Dimension{scoring.ByAgent, scoring.ByDay}, Location: berlin}},
		{"ratings and time to rate, NPS", report.Options{Scale: scoring.NPS10(), Measures: report.MeasureTimeToRate, By: all}},
		{"reminders, by day", report.Options{Measures: report.AllMeasures | report.MeasureReminders,
			Filter: report.Filter{From: from, To: to}, By: append(all, scoring.ByDay), Location: berlin}},
		{"ratings and reminders, NPS, by reason", report.Options{Scale: scoring.NPS10(), Measures: report.MeasureRatings | report.MeasureReminders,
			By: append(all, scoring.ByReason)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.o.Scale == nil {
				tc.o.Scale = scoring.CSAT5()
			}
			want, err := report.Build(ctx(), ref, "t1", tc.o)
			require.NoError(t, err)
			got, err := report.Build(ctx(), st, "t1", tc.o)
			require.NoError(t, err)
			assert.Empty(t, report.Diff(want, got))
			assert.NotZero(t, want.Overall.Count(), "the case counts something")
			if tc.o.Measures.Has(report.MeasureReminders) {
				assert.NotZero(t, want.Overall.AfterReminder(), "the case counts responses after a reminder")
				assert.Less(t, want.Overall.AfterReminder(), want.Overall.Reminded(), "and reminded surveys without one")
			}
		})
	}
}

// testDateRule pins the date rule: responses by rating time, sent surveys
// by send time.
func testDateRule(t *testing.T, st readStore) {
	day := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	put(t, st,
		// Sent the day before, rated that day: a response of the day, not
		// a survey sent that day.
		rated(readSession("late", day.Add(-time.Hour), "ana"), 5, day.Add(time.Hour)),
		// Sent that day, rated the day after.
		rated(readSession("next", day.Add(23*time.Hour), "ana"), 1, day.Add(25*time.Hour)),
		// Sent that day, never rated.
		readSession("silent", day.Add(2*time.Hour), "ana"),
		// Rated exactly at To: outside.
		rated(readSession("edge", day.Add(2*time.Hour), "ana"), 2, day.Add(24*time.Hour)),
	)
	r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{From: day, To: day.Add(24 * time.Hour)}})
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.Overall.Count(), "one response rated in the day")
	assert.Equal(t, int64(5), r.Overall.Sum(), "the one sent the day before")
	assert.Equal(t, int64(3), r.Overall.Sent(), "three surveys sent in the day")
	assert.Equal(t, int64(3), r.ByAgent.Get("ana").Sent())
}

// testAttribution pins each attribution option.
func testAttribution(t *testing.T, st readStore) {
	at := base.Add(time.Hour)
	a := rated(readSession("a", base, "ana", "bo", "bot"), 5, at)
	a.Assignee, a.LastAgent = "bo", "ana"
	b := rated(readSession("b", base, "ana", "cy"), 1, at)
	b.LastAgent = "cy" // unassigned: the assignee option falls back to it
	c := rated(readSession("c", base, "bot"), 3, at)
	c.Assignee = "dee" // assigned but never replied
	put(t, st, a, b, c)
	sums := func(attr scoring.Attribution, agents ...string) map[string]int64 {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByAgent},
			Filter: report.Filter{Attribution: attr, Agents: agents}})
		require.NoError(t, err)
		out := map[string]int64{"overall": r.Overall.Sum()}
		for _, k := range r.ByAgent.Keys() {
			out[k] = r.ByAgent.Get(k).Sum()
		}
		return out
	}
	assert.Equal(t, map[string]int64{"overall": 9, "ana": 6, "bo": 5, "bot": 8, "cy": 1}, sums(scoring.AllParticipants),
		"every agent who took part, bots included")
	assert.Equal(t, map[string]int64{"overall": 9, "bo": 5, "cy": 1, "dee": 3}, sums(scoring.AssigneeAtClose),
		"the assignee at close, else the last human agent who replied")
	assert.Equal(t, map[string]int64{"overall": 9, "ana": 5, "cy": 1}, sums(scoring.LastAgent),
		"the last human agent who replied")
	assert.Equal(t, map[string]int64{"overall": 6, "ana": 6}, sums(scoring.AllParticipants, "ana"),
		"an agent filter keeps that agent's conversations and rows")
	assert.Equal(t, map[string]int64{"overall": 6, "bo": 5, "cy": 1}, sums(scoring.AssigneeAtClose, "bo", "cy"))
	assert.Equal(t, map[string]int64{"overall": 5, "ana": 5}, sums(scoring.LastAgent, "ana"))
}

// testDays pins day, week and month boundaries in two zones across their
// daylight-saving changes.
func testDays(t *testing.T, st readStore) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	saoPaulo, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	var sessions []*survey.Session
	for i, at := range []string{
		// Berlin springs forward at 2026-03-29 01:00 UTC (+1 → +2).
		"2026-03-28T22:30:00Z", // 23:30 on the 28th
		"2026-03-28T23:30:00Z", // 00:30 on the 29th (a Sunday: week 13)
		"2026-03-29T21:30:00Z", // 23:30 on the 29th, summer time
		"2026-03-29T22:30:00Z", // 00:30 on the 30th (a Monday: week 14)
		// São Paulo sprang forward at 2018-11-04 03:00 UTC (−3 → −2) and
		// fell back at 2019-02-17 02:00 UTC.
		"2018-11-04T02:30:00Z", // 23:30 on the 3rd
		"2018-11-05T01:30:00Z", // 23:30 on the 4th, summer time
		"2018-11-05T02:30:00Z", // 00:30 on the 5th
		"2019-03-01T02:30:00Z", // 23:30 on 28 February, standard time again
	} {
		sessions = append(sessions, rated(readSession(fmt.Sprintf("d%d", i), time.Time{}, "ana"), i%5+1, utc(at)))
	}
	put(t, st, sessions...)
	keys := func(by scoring.Dimension, loc *time.Location, from, to string) map[string]int64 {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{by}, Location: loc,
			Filter: report.Filter{From: utc(from), To: utc(to)}})
		require.NoError(t, err)
		out := map[string]int64{}
		for _, k := range r.ByPeriod.Keys() {
			out[k] = r.ByPeriod.Get(k).Count()
		}
		return out
	}
	assert.Equal(t, map[string]int64{"2026-03-28": 1, "2026-03-29": 2, "2026-03-30": 1},
		keys(scoring.ByDay, berlin, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"))
	assert.Equal(t, map[string]int64{"2026-03-28": 2, "2026-03-29": 2},
		keys(scoring.ByDay, time.UTC, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"), "the same ratings in UTC")
	assert.Equal(t, map[string]int64{"2026-W13": 3, "2026-W14": 1},
		keys(scoring.ByWeek, berlin, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"))
	assert.Equal(t, map[string]int64{"2018-11-03": 1, "2018-11-04": 1, "2018-11-05": 1, "2019-02-28": 1},
		keys(scoring.ByDay, saoPaulo, "2018-10-01T00:00:00Z", "2019-04-01T00:00:00Z"))
	assert.Equal(t, map[string]int64{"2018-11": 3, "2019-02": 1},
		keys(scoring.ByMonth, saoPaulo, "2018-10-01T00:00:00Z", "2019-04-01T00:00:00Z"))
	assert.Equal(t, map[string]int64{"2018-11": 3, "2019-03": 1},
		keys(scoring.ByMonth, time.UTC, "2018-10-01T00:00:00Z", "2019-04-01T00:00:00Z"))
}

func testRateAndTimes(t *testing.T, st readStore) {
	put(t, st,
		rated(readSession("fast", base, "ana"), 5, base.Add(30*time.Second)),
		rated(readSession("slow", base, "ana"), 4, base.Add(90*time.Minute)),
		readSession("unanswered", base, "ana"),
		readSession("unsent", time.Time{}, "ana"),
		rated(readSession("link", time.Time{}, "ana"), 3, base.Add(time.Minute)), // rated, send time unknown
	)
	r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	assert.Equal(t, int64(3), r.Overall.Count())
	assert.Equal(t, int64(3), r.Overall.Sent())
	assert.InDelta(t, 100.0, r.Overall.ResponseRate(), 0.001, "three responses of three surveys sent")
	rt := r.Overall.ResponseTimes()
	assert.Equal(t, int64(2), rt.N, "a response with no send time has no time to rate")
	assert.Equal(t, 90*time.Minute, rt.Max)
	assert.Equal(t, (30*time.Second+90*time.Minute)/2, rt.Mean)
	assert.Equal(t, rt, r.ByAgent.Get("ana").ResponseTimes())
	assert.Equal(t, int64(3), r.ByChannel.Get("whatsapp").Sent())
}

// testReasons pins the table per reason and the reason filter: a response
// counts under its reason once, responses without one are not in the
// table, and sent surveys are not counted per reason nor filtered by it.
func testReasons(t *testing.T, st readStore) {
	at := base.Add(time.Hour)
	withReason := func(s *survey.Session, reason string) *survey.Session {
		s.Reason, s.ReasonAt = reason, s.RatedAt.Add(time.Minute)
		return s
	}
	a := withReason(rated(readSession("a", base, "ana"), 1, at), "slow")
	b := withReason(rated(readSession("b", base, "bo"), 2, at), "slow")
	b.Channel = "email"
	put(t, st, a, b,
		withReason(rated(readSession("c", base, "ana", "bo"), 2, at), "not_solved"),
		rated(readSession("d", base, "ana"), 5, at),                     // no reason
		withReason(rated(readSession("e", base, "cy"), 3, at), "other"), // another agent
		readSession("f", base, "ana"),                                   // sent, never rated
	)
	r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByReason}})
	require.NoError(t, err)
	sums := func(tb *scoring.Table) map[string][2]int64 {
		out := map[string][2]int64{}
		for _, k := range tb.Keys() {
			out[k] = [2]int64{tb.Get(k).Count(), tb.Get(k).Sum()}
		}
		return out
	}
	assert.Equal(t, map[string][2]int64{"slow": {2, 3}, "not_solved": {1, 2}, "other": {1, 3}}, sums(r.ByReason),
		"each response with a reason once under it; the one without is not in the table")
	assert.Equal(t, int64(5), r.Overall.Count())
	assert.Equal(t, int64(6), r.Overall.Sent())
	assert.Zero(t, r.ByReason.Get("slow").Sent(), "no sent surveys per reason")
	assert.Nil(t, r.ByAgent, "only the tables asked for")

	r, err = report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{Reasons: []string{"slow"}},
		By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.ByReason}})
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.Overall.Count(), "the responses that gave the reason")
	assert.Equal(t, int64(3), r.Overall.Sum())
	assert.Equal(t, int64(6), r.Overall.Sent(), "sent surveys ignore the reason filter, as they ignore the rating range")
	assert.Equal(t, map[string][2]int64{"ana": {1, 1}, "bo": {1, 2}, "cy": {0, 0}}, sums(r.ByAgent),
		"cy: a survey sent, no response with the reason")
	assert.Equal(t, int64(4), r.ByAgent.Get("ana").Sent(), "ana's surveys sent: a, c, d, f")
	assert.Equal(t, map[string][2]int64{"support": {2, 3}, "billing": {1, 2}, "vip": {0, 0}}, sums(r.ByGroup))
	assert.Equal(t, map[string][2]int64{"whatsapp": {1, 1}, "email": {1, 2}}, sums(r.ByChannel))
	assert.Equal(t, map[string][2]int64{"slow": {2, 3}}, sums(r.ByReason), "a report by reason shows only the filter's reasons")

	assert.Equal(t, []string{"a", "b", "c", "e"}, sortedIDs(listIDs(t, st, "t1", report.Filter{Reasons: []string{"slow", "not_solved", "other"}})),
		"the registry filters by reason too")
	_, err = report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Filter: report.Filter{Reasons: []string{""}}})
	assert.ErrorIs(t, err, report.ErrInvalid, "an empty reason ID")
	_, err = st.Count(ctx(), "t1", report.Query{Filter: report.Filter{Reasons: []string{"slow", ""}}})
	assert.ErrorIs(t, err, report.ErrInvalid, "the store checks the filter itself")
}

// testScales pins one scale per report: a report counts the ratings and
// the surveys sent of the sessions on its scale, and those that recorded
// none, never another scale's.
func testScales(t *testing.T, st readStore) {
	at := base.Add(time.Hour)
	onScale := func(s *survey.Session, surveyID, scale string) *survey.Session {
		s.SurveyID, s.Scale = surveyID, scale
		return s
	}
	put(t, st,
		onScale(rated(readSession("csat-4", base, "ana"), 4, at), "csat", "csat5"),
		onScale(readSession("csat-silent", base, "ana"), "csat", "csat5"),
		onScale(rated(readSession("nps-4", base, "ana"), 4, at), "nps", "nps10"),
		onScale(rated(readSession("nps-9", base, "bo"), 9, at), "nps", "nps10"),
		onScale(readSession("nps-silent", base, "bo"), "nps", "nps10"),
		onScale(rated(readSession("old-5", base, "ana"), 5, at), "old", ""), // no scale recorded
	)
	summary := func(scale *scoring.Scale) (count, sum, sent int64, surveys []string, agents map[string][2]int64) {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scale, By: []scoring.Dimension{scoring.BySurvey, scoring.ByAgent}})
		require.NoError(t, err)
		agents = map[string][2]int64{}
		for _, k := range r.ByAgent.Keys() {
			agents[k] = [2]int64{r.ByAgent.Get(k).Count(), r.ByAgent.Get(k).Sent()}
		}
		return r.Overall.Count(), r.Overall.Sum(), r.Overall.Sent(), r.BySurvey.Keys(), agents
	}
	count, sum, sent, surveys, agents := summary(scoring.CSAT5())
	assert.Equal(t, [3]int64{2, 9, 3}, [3]int64{count, sum, sent},
		"CSAT: the CSAT 4 and the unrecorded 5; sent: the two CSAT surveys and the unrecorded one, not the NPS 4 nor any NPS survey")
	assert.Equal(t, []string{"csat", "old"}, surveys)
	assert.Equal(t, map[string][2]int64{"ana": {2, 3}}, agents, "bo took part only in NPS surveys")
	count, sum, sent, surveys, agents = summary(scoring.NPS10())
	assert.Equal(t, [3]int64{3, 18, 4}, [3]int64{count, sum, sent}, "NPS: 4, 9 and the unrecorded 5; three NPS surveys sent and the unrecorded one")
	assert.Equal(t, []string{"nps", "old"}, surveys)
	assert.Equal(t, map[string][2]int64{"ana": {2, 2}, "bo": {1, 2}}, agents)
	count, _, sent, _, _ = summary(scoring.Thumbs())
	assert.Equal(t, [2]int64{0, 1}, [2]int64{count, sent}, "a scale no survey used: only the unrecorded session, whose 5 is off it")

	// A session whose text holds a NUL and what looks like another scale
	// keeps its own.
	hostile := onScale(rated(readSession("hostile", base, "ana"), 3, at), "nps", "nps10")
	hostile.TenantID, hostile.Comment, hostile.ContactName = "t2", "\x00 \"scale\":\"csat5\" \\u0000", "\x00"
	put(t, st, hostile)
	for scale, want := range map[*scoring.Scale]int64{scoring.NPS10(): 1, scoring.CSAT5(): 0} {
		r, err := report.Build(ctx(), st, "t2", report.Options{Scale: scale})
		require.NoError(t, err)
		assert.Equal(t, want, r.Overall.Count(), "%s, a comment with a NUL", scale)
	}
}

// testMeasures pins the measures: a report counts surveys sent and times
// to rate only when asked.
func testMeasures(t *testing.T, st readStore) {
	put(t, st,
		rated(readSession("fast", base, "ana"), 5, base.Add(30*time.Second)),
		rated(readSession("slow", base, "bo"), 2, base.Add(90*time.Minute)),
		readSession("unanswered", base, "cy"),
	)
	build := func(m report.Measure) *report.Report {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Measures: m,
			By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel}})
		require.NoError(t, err)
		return r
	}
	for _, m := range []report.Measure{0, report.AllMeasures, report.MeasureRatings, report.MeasureResponseRate, report.MeasureTimeToRate,
		report.MeasureRatings | report.MeasureResponseRate} {
		r := build(m)
		assert.Equal(t, [2]int64{2, 7}, [2]int64{r.Overall.Count(), r.Overall.Sum()}, "%s: ratings are always counted", m)
		assert.Equal(t, [2]int64{1, 1}, [2]int64{r.ByAgent.Get("ana").Count(), r.ByAgent.Get("bo").Count()}, "%s", m)
		wantSent := int64(0)
		if m.Has(report.MeasureResponseRate) {
			wantSent = 3
		}
		assert.Equal(t, wantSent, r.Overall.Sent(), "%s: surveys sent", m)
		assert.Equal(t, wantSent, r.ByChannel.Get("whatsapp").Sent(), "%s: surveys sent per channel", m)
		wantTimes := int64(0)
		if m.Has(report.MeasureTimeToRate) {
			wantTimes = 2
		}
		assert.Equal(t, wantTimes, r.Overall.ResponseTimes().N, "%s: times to rate", m)
		assert.Equal(t, wantTimes/2, r.ByAgent.Get("bo").ResponseTimes().N, "%s: times to rate per agent", m)
	}
	_, err := st.Count(ctx(), "t1", report.Query{Measures: 1 << 7})
	assert.ErrorIs(t, err, report.ErrInvalid, "an unknown measure")
}

// testReminders pins the reminder figures: the surveys sent that got a
// reminder and the responses rated at or after the first one, overall and
// per agent, only when the report asks for them; the other figures are
// the same either way. One session gets its reminder through Update, as
// the sweep sends it.
func testReminders(t *testing.T, st readStore) {
	remind := func(s *survey.Session, at time.Time) *survey.Session {
		s.Reminders, s.RemindedAt = 1, at
		return s
	}
	at := base.Add(4 * time.Hour)
	put(t, st,
		rated(remind(readSession("after", base, "ana"), at), 5, at.Add(time.Hour)),
		rated(readSession("plain", base, "ana"), 4, base.Add(time.Hour)),
		remind(readSession("unanswered", base, "bo"), at),
		rated(remind(readSession("at", base, "bo"), at), 2, at), // at the reminder's instant: after it
		rated(remind(readSession("before", base, "cy"), at), 3, at.Add(-time.Hour)),
		readSession("silent", base, "cy"),
	)
	// Created before its reminder; the sweep's update sends it, the
	// contact's answers it.
	s := readSession("updated", base, "ana")
	s.State, s.Deadline = survey.StateAwaitingRating, base.Add(24*time.Hour)
	require.NoError(t, st.Create(ctx(), s))
	remind(s, at)
	require.NoError(t, st.Update(ctx(), s))
	s.State, s.Deadline = survey.StateCompleted, time.Time{}
	Rate(s, 4, at.Add(2*time.Hour))
	require.NoError(t, st.Update(ctx(), s))

	build := func(m report.Measure) *report.Report {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Measures: m,
			By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByDay}, Filter: report.Filter{From: base, To: base.Add(48 * time.Hour)}})
		require.NoError(t, err)
		return r
	}
	// sent, reminded, responses, after a reminder
	figures := func(s *scoring.Summary) [4]int64 {
		if s == nil {
			return [4]int64{}
		}
		return [4]int64{s.Sent(), s.Reminded(), s.Count(), s.AfterReminder()}
	}
	with := build(report.AllMeasures | report.MeasureReminders)
	assert.Equal(t, [4]int64{7, 5, 5, 3}, figures(with.Overall), "overall")
	assert.Equal(t, [4]int64{3, 2, 3, 2}, figures(with.ByAgent.Get("ana")), "ana: after, plain, updated")
	assert.Equal(t, [4]int64{2, 2, 1, 1}, figures(with.ByAgent.Get("bo")), "bo: unanswered, at")
	assert.Equal(t, [4]int64{2, 1, 1, 0}, figures(with.ByAgent.Get("cy")), "cy: rated before its reminder, silent")
	assert.Equal(t, [4]int64{5, 4, 4, 3}, figures(with.ByGroup.Get("support")), "support: ana's and bo's")
	assert.InDelta(t, 60.0, with.Overall.RemindedResponseRate(), 0.001, "three responses after a reminder of five reminded surveys")
	assert.Equal(t, [4]int64{7, 5, 5, 3}, figures(with.ByPeriod.Get("2026-05-04")), "the day")
	lines, err := report.Lines(with.ByAgent, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, [2]int64{2, 2}, [2]int64{lines[0].Reminded, lines[0].AfterReminder}, "ana's line")

	alone := build(report.MeasureReminders)
	assert.Equal(t, figures(with.Overall), figures(alone.Overall), "reminders alone count the surveys sent too")
	assert.Equal(t, figures(with.ByAgent.Get("bo")), figures(alone.ByAgent.Get("bo")))

	for _, m := range []report.Measure{0, report.AllMeasures, report.MeasureRatings, report.MeasureRatings | report.MeasureResponseRate} {
		without := build(m)
		assert.Zero(t, without.Overall.Reminded(), "%s", m)
		assert.Zero(t, without.Overall.AfterReminder(), "%s", m)
		for _, k := range []string{"ana", "bo", "cy"} {
			assert.Zero(t, without.ByAgent.Get(k).Reminded()+without.ByAgent.Get(k).AfterReminder(), "%s: %s", m, k)
		}
		// The same figures otherwise: those of the report with reminders,
		// less them (and less the surveys sent, which they count, when m
		// does not).
		mm := m
		if mm == 0 {
			mm = report.AllMeasures
		}
		want := build(mm | report.MeasureReminders)
		for _, k := range []string{"", "ana", "bo", "cy", "2026-05-04"} {
			a, b := without.Overall, want.Overall
			switch k {
			case "":
			case "2026-05-04":
				a, b = without.ByPeriod.Get(k), want.ByPeriod.Get(k)
			default:
				a, b = without.ByAgent.Get(k), want.ByAgent.Get(k)
			}
			fa, err := a.Figures(0.95, 0)
			require.NoError(t, err)
			fb, err := b.Figures(0.95, 0)
			require.NoError(t, err)
			fb.Reminded, fb.AfterReminder, fb.RemindedResponseRate = 0, 0, 0
			if !m.Has(report.MeasureResponseRate) {
				fb.Sent, fb.ResponseRate = 0, 0
			}
			assert.Equal(t, fb, fa, "%s: %q", m, k)
		}
	}
}

// testRowsWithoutResponses pins which rows a table has: a key with a
// response, and a key with surveys sent but no response when surveys sent
// are counted (Count 0), never a key with neither.
func testRowsWithoutResponses(t *testing.T, st readStore) {
	b := rated(readSession("b", base, "bo"), 1, base.Add(time.Hour))
	b.Channel = "email"
	put(t, st,
		rated(readSession("a", base, "ana"), 5, base.Add(time.Hour)),
		b,
		readSession("c", base, "cy"),         // sent, never answered
		readSession("d", time.Time{}, "dee"), // never sent
	)
	for _, m := range []report.Measure{report.AllMeasures, report.MeasureRatings} {
		r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5(), Measures: m,
			By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.BySurvey, scoring.ByReason}})
		require.NoError(t, err)
		cy, vip := r.ByAgent.Get("cy"), r.ByGroup.Get("vip")
		if m.Has(report.MeasureResponseRate) {
			assert.Equal(t, []string{"ana", "bo", "cy"}, r.ByAgent.Keys(), "%s: a row for the agent whose survey went unanswered", m)
			if assert.NotNil(t, cy, m.String()) && assert.NotNil(t, vip, m.String()) {
				assert.Equal(t, [2]int64{0, 1}, [2]int64{cy.Count(), cy.Sent()}, "%s: no response, one survey sent", m)
				assert.Equal(t, [2]int64{0, 1}, [2]int64{vip.Count(), vip.Sent()}, "%s: cy's group", m)
				assert.Zero(t, cy.ResponseRate(), "%s", m)
			}
		} else {
			assert.Equal(t, []string{"ana", "bo"}, r.ByAgent.Keys(), "%s: rows of responses only", m)
			assert.Nil(t, cy, "%s: no row without a response when surveys sent are not counted", m)
			assert.Nil(t, vip, "%s", m)
		}
		assert.Nil(t, r.ByAgent.Get("dee"), "%s: never sent, never answered: no row", m)
		assert.Nil(t, r.ByAgent.Get("nobody"), "%s", m)
		assert.Equal(t, []string{"email", "whatsapp"}, r.ByChannel.Keys(), "%s", m)
		assert.Empty(t, r.ByReason.Keys(), "%s: no reasons given", m)
	}
}

// testReadCancelled checks that a cancelled context is refused by Count
// and List, with an error that wraps the context's.
func testReadCancelled(t *testing.T, st readStore) {
	put(t, st, rated(readSession("a", base, "ana"), 5, base.Add(time.Hour)))
	c, cancel := context.WithCancel(ctx())
	cancel()
	_, err := st.Count(c, "t1", report.Query{})
	assert.ErrorIs(t, err, context.Canceled, "Count")
	_, err = st.List(c, "t1", report.ListQuery{Limit: 10})
	assert.ErrorIs(t, err, context.Canceled, "List")
	_, err = report.Build(c, st, "t1", report.Options{Scale: scoring.CSAT5()})
	assert.ErrorIs(t, err, context.Canceled, "Build")
	_, _, err = report.Page(c, st, "t1", report.Filter{}, 10, nil)
	assert.ErrorIs(t, err, context.Canceled, "Page")
}

func sortedIDs(ids []string) []string {
	slices.Sort(ids)
	return ids
}

func testCountTenants(t *testing.T, st readStore) {
	other := rated(readSession("x", base, "ana"), 1, base)
	other.TenantID = "t2"
	put(t, st, rated(readSession("x", base, "ana"), 5, base), other)
	for tenant, sum := range map[string]int64{"t1": 5, "t2": 1, "t3": 0} {
		r, err := report.Build(ctx(), st, tenant, report.Options{Scale: scoring.CSAT5()})
		require.NoError(t, err)
		assert.Equal(t, sum, r.Overall.Sum(), tenant)
		assert.Equal(t, int64(min(sum, 1)), r.Overall.Sent(), tenant)
	}
}

func listIDs(t T, src report.Source, tenant string, f report.Filter) []string {
	t.Helper()
	out := []string{}
	for s, err := range report.All(ctx(), src, tenant, f) {
		require.NoError(t, err)
		out = append(out, s.ID)
	}
	return out
}

func testListFilters(t *testing.T, st readStore) {
	fixture := readFixture()
	put(t, st, fixture...)
	ref := report.Sessions(fixture)
	for _, f := range []report.Filter{
		{},
		{Surveys: []string{"nps"}},
		{Agents: []string{"bo", "cy"}},
		{Agents: []string{"bo"}, Attribution: scoring.AssigneeAtClose},
		{Agents: []string{"ana"}, Attribution: scoring.LastAgent},
		{Groups: []string{"vip"}},
		{Channels: []string{"email", "web"}},
		{Rating: &report.Range{Min: 4, Max: 5}},
		{Review: &report.Range{Min: 1, Max: 2}},
		{From: base.Add(48 * time.Hour), To: base.Add(100 * time.Hour)},
		{Surveys: []string{"csat"}, Agents: []string{"ana"}, Channels: []string{"whatsapp"}, Rating: &report.Range{Min: 3, Max: 5}, From: base.Add(time.Hour)},
		{Surveys: []string{"missing"}},
		{Reasons: []string{"not_solved"}},
		{Reasons: []string{"slow", "other"}, Channels: []string{"email"}},
	} {
		want := listIDs(t, ref, "t1", f)
		assert.Equal(t, want, listIDs(t, st, "t1", f), "%+v", f)
	}
	assert.Len(t, listIDs(t, st, "t1", report.Filter{}), 50, "every rated or reviewed session")
}

func testListPages(t *testing.T, st readStore) {
	at := base.Add(4*time.Hour + 999*time.Nanosecond)
	var sessions []*survey.Session
	for i := 0; i < 10; i++ {
		// Real clocks give nanoseconds; pages must survive a store that
		// keeps microseconds. r4 and r4b are rated at the same instant.
		sessions = append(sessions, rated(readSession(fmt.Sprintf("r%d", i), base, "ana"), i%5+1, base.Add(time.Duration(i)*time.Hour+999*time.Nanosecond)))
	}
	sessions = append(sessions, rated(readSession("r4b", base, "ana"), 1, at), readSession("unrated", base, "ana"))
	put(t, st, sessions...)
	var pages [][]string
	var after *report.Cursor
	for {
		page, next, err := report.Page(ctx(), st, "t1", report.Filter{}, 4, after)
		require.NoError(t, err)
		var ids []string
		for _, s := range page {
			ids = append(ids, s.ID)
		}
		pages = append(pages, ids)
		if next == nil {
			break
		}
		after = next
		require.Less(t, len(pages), 10, "pagination terminates")
	}
	assert.Equal(t, [][]string{{"r9", "r8", "r7", "r6"}, {"r5", "r4b", "r4", "r3"}, {"r2", "r1", "r0"}}, pages)

	// The caller may stop early and use the store inside the loop.
	var seen []string
	for s, err := range report.All(ctx(), st, "t1", report.Filter{}) {
		require.NoError(t, err)
		_, err = st.Load(ctx(), "t1", s.ID)
		require.NoError(t, err)
		seen = append(seen, s.ID)
		if len(seen) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"r9", "r8"}, seen)
}

func testListReviewed(t *testing.T, st readStore) {
	reviewed := readSession("reviewed", time.Time{}, "ana")
	reviewed.Review = &survey.Review{ReviewerID: "sup", Score: 2, At: base.Add(2 * time.Hour)}
	both := rated(readSession("both", base, "ana"), 5, base.Add(time.Hour))
	both.Review = &survey.Review{ReviewerID: "sup", Score: 4, At: base.Add(3 * time.Hour)}
	put(t, st, reviewed, both, rated(readSession("rated", base, "ana"), 3, base.Add(30*time.Minute)))
	assert.Equal(t, []string{"reviewed", "both", "rated"}, listIDs(t, st, "t1", report.Filter{}),
		"a reviewed, unrated conversation is listed by its review time; a rated one by its rating time")
	assert.Equal(t, []string{"reviewed"}, listIDs(t, st, "t1", report.Filter{Review: &report.Range{Min: 1, Max: 2}}))
	assert.Equal(t, []string{"reviewed", "both"}, listIDs(t, st, "t1", report.Filter{Review: &report.Range{Min: 1, Max: 5}}))
	assert.Equal(t, []string{"both", "rated"}, listIDs(t, st, "t1", report.Filter{Rating: &report.Range{Min: 1, Max: 5}}))
	r, err := report.Build(ctx(), st, "t1", report.Options{Scale: scoring.CSAT5()})
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.Overall.Count(), "a review is not a response")
}

func testListTenants(t *testing.T, st readStore) {
	other := rated(readSession("x", base, "ana"), 1, base)
	other.TenantID = "t2"
	put(t, st, rated(readSession("x", base, "ana"), 5, base), other)
	got, _, err := report.Page(ctx(), st, "t2", report.Filter{}, 10, nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "t2", got[0].TenantID)
	assert.Equal(t, 1, got[0].Rating)
	got, _, err = report.Page(ctx(), st, "t3", report.Filter{}, 10, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func testReadInvalid(t *testing.T, st readStore) {
	_, err := st.List(ctx(), "t1", report.ListQuery{})
	assert.ErrorIs(t, err, report.ErrInvalid, "a page of 0")
	_, err = st.List(ctx(), "t1", report.ListQuery{Limit: 1, Filter: report.Filter{Rating: &report.Range{Min: 5, Max: 1}}})
	assert.ErrorIs(t, err, report.ErrInvalid, "an empty rating range")
	_, err = st.Count(ctx(), "t1", report.Query{Filter: report.Filter{From: base, To: base}})
	assert.ErrorIs(t, err, report.ErrInvalid, "an empty time range")
	_, err = st.Count(ctx(), "t1", report.Query{Filter: report.Filter{Attribution: 9}})
	assert.ErrorIs(t, err, report.ErrInvalid, "an unknown attribution")
	assert.True(t, slices.Equal([]string{}, listIDs(t, st, "t1", report.Filter{})), "an empty store lists nothing")
}
