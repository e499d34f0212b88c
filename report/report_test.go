package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/scoring"
	"github.com/surveyflow/surveyflow/survey"
)

var at = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func TestBadRequestsAreClearErrors(t *testing.T) {
	ctx := context.Background()
	src := report.Sessions{}
	ok := report.Options{Scale: scoring.CSAT5()}
	for name, o := range map[string]report.Options{
		"no scale":            {},
		"empty range":         {Scale: scoring.CSAT5(), Filter: report.Filter{From: at, To: at}},
		"unknown attribution": {Scale: scoring.CSAT5(), Filter: report.Filter{Attribution: 7}},
		"empty rating range":  {Scale: scoring.CSAT5(), Filter: report.Filter{Rating: &report.Range{Min: 3, Max: 2}}},
		"empty review range":  {Scale: scoring.CSAT5(), Filter: report.Filter{Review: &report.Range{Min: 3, Max: 2}}},
		"period, open range":  {Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByWeek}, Filter: report.Filter{From: at}},
		"period, 200 years":   {Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByDay}, Filter: report.Filter{From: at, To: at.AddDate(200, 0, 0)}},
		"two periods":         {Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByDay, scoring.ByWeek}, Filter: report.Filter{From: at, To: at.Add(time.Hour)}},
		"a table twice":       {Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByAgent, scoring.ByAgent}},
		"unknown table":       {Scale: scoring.CSAT5(), By: []scoring.Dimension{42}},
	} {
		_, err := report.Build(ctx, src, "acme", o)
		assert.ErrorIs(t, err, report.ErrInvalid, name)
	}
	_, err := report.Build(ctx, nil, "acme", ok)
	assert.ErrorIs(t, err, report.ErrInvalid, "no source")
	_, err = report.Build(ctx, src, "", ok)
	assert.ErrorIs(t, err, report.ErrInvalid, "no tenant")
	_, _, err = report.Page(ctx, src, "acme", report.Filter{}, report.MaxPage+1, nil)
	assert.ErrorIs(t, err, report.ErrInvalid, "a page too large")
	for s, err := range report.All(ctx, nil, "acme", report.Filter{}) {
		assert.Nil(t, s)
		assert.ErrorIs(t, err, report.ErrInvalid, "All yields the error")
	}
}

func TestDimensionsCountEachAgentAndGroupOnce(t *testing.T) {
	s := &survey.Session{Channel: "email", SurveyID: "csat", Assignee: "cy", LastAgent: "bo", Agents: []survey.Participant{
		{ID: "ana", Groups: []string{"support", "vip"}}, {ID: "bo", Groups: []string{"support"}}, {ID: "ana", Groups: []string{"vip"}},
	}}
	d := report.Of(s)
	assert.Equal(t, []string{"ana", "bo"}, d.Agents)
	assert.Equal(t, []string{"support", "vip"}, d.Groups)
	assert.Equal(t, []string{"ana", "bo"}, d.Credited(scoring.AllParticipants))
	assert.Equal(t, []string{"cy"}, d.Credited(scoring.AssigneeAtClose))
	assert.Equal(t, []string{"bo"}, d.Credited(scoring.LastAgent))
	d.Assignee = ""
	assert.Equal(t, []string{"bo"}, d.Credited(scoring.AssigneeAtClose), "no assignee: the last human agent who replied")
	d.LastAgent = ""
	assert.Empty(t, d.Credited(scoring.AssigneeAtClose))
	assert.Empty(t, d.Credited(scoring.LastAgent))
}

func TestZoneDaysFollowTheWallClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	z, err := report.ZoneOf(berlin, from, to)
	require.NoError(t, err)
	require.Len(t, z.Shifts, 3, "winter, summer, winter")
	assert.Equal(t, []int{3600, 7200, 3600}, []int{z.Shifts[0].Offset, z.Shifts[1].Offset, z.Shifts[2].Offset})
	for _, tc := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 3, 28, 22, 59, 0, 0, time.UTC), "2026-03-28"},
		{time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC), "2026-03-29"},
		{time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC), "2026-03-29"},
		{time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC), "2026-03-30"},
		{time.Date(2026, 10, 25, 22, 59, 0, 0, time.UTC), "2026-10-25"},
		{time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC), "2026-10-26"},
	} {
		day := z.Day(tc.utc)
		assert.Equal(t, tc.want, time.Unix(day*86400, 0).UTC().Format("2006-01-02"), tc.utc)
		assert.Equal(t, tc.utc.In(berlin).Format("2006-01-02"), tc.want, "Go agrees")
	}
	assert.Equal(t, int64(-1), report.Zone{}.Day(time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)), "before 1970, days round down")
}

func TestDiffSeesEveryTable(t *testing.T) {
	src := report.Sessions{
		{TenantID: "acme", ID: "a", SurveyID: "csat", Channel: "email", Agents: []survey.Participant{{ID: "ana", Groups: []string{"g"}}},
			Rated: true, Rating: 4, RatedAt: at, SentAt: at.Add(-time.Minute)},
	}
	o := report.Options{Scale: scoring.CSAT5(), By: []scoring.Dimension{scoring.ByAgent, scoring.ByGroup, scoring.ByChannel, scoring.BySurvey, scoring.ByMonth},
		Filter: report.Filter{From: at.Add(-time.Hour), To: at.Add(time.Hour)}}
	a, err := report.Build(context.Background(), src, "acme", o)
	require.NoError(t, err)
	assert.Empty(t, report.Diff(a, a))
	for _, change := range []func(*survey.Session){
		func(s *survey.Session) { s.Rating = 5 },
		func(s *survey.Session) { s.Channel = "web" },
		func(s *survey.Session) { s.SurveyID = "nps" },
		func(s *survey.Session) { s.Agents[0].Groups = []string{"h"} },
		func(s *survey.Session) { s.SentAt = at.Add(-time.Hour) },
		func(s *survey.Session) { s.RatedAt = at.Add(-30 * time.Minute) },
	} {
		c := src[0].Clone()
		change(c)
		b, err := report.Build(context.Background(), report.Sessions{c}, "acme", o)
		require.NoError(t, err)
		assert.NotEmpty(t, report.Diff(a, b))
	}
	lines, err := report.Lines(a.ByAgent, 0, 0)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	assert.Equal(t, "ana", lines[0].Key)
	assert.True(t, lines[0].CSAT.TooFew, "one response is too few to rank on")
	assert.InDelta(t, 100, lines[0].CSAT.Estimate, 0.001)
}
