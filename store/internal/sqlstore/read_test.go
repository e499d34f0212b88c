package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/store/internal/sqlstore"
	"github.com/surveyflow/surveyflow/survey"
)

func TestReadColumnsComeFromTheSession(t *testing.T) {
	sent := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	s := &survey.Session{TenantID: "t", ID: "s", Assignee: "bo",
		Agents: []survey.Participant{{ID: "ana", Groups: []string{"a", "b"}}, {ID: "bo", Groups: []string{"b"}}, {ID: "ana"}},
		SentAt: sent, Rated: true, Rating: 4, RatedAt: sent.Add(90 * time.Second),
		Review: &survey.Review{Score: 2, At: sent.Add(time.Hour)}, Reason: "slow"}
	c := sqlstore.Read(s)
	assert.Equal(t, []string{"ana", "bo"}, c.Agents, "each agent once")
	assert.Equal(t, []string{"a", "b"}, c.Groups, "each group once")
	assert.Equal(t, "bo", *c.Assignee)
	assert.Nil(t, c.LastAgent, "empty is NULL")
	assert.Equal(t, int64(90*time.Second), *c.RateNanos)
	assert.Equal(t, 7, *c.RateBucket, "90 s is in [64 s, 128 s)")
	assert.Equal(t, s.RatedAt, *c.ListedAt, "a rated session is listed by its rating time")
	assert.Equal(t, 2, *c.ReviewScore)
	assert.Equal(t, "slow", *c.Reason)

	empty := sqlstore.Read(&survey.Session{Review: &survey.Review{Score: 1, At: sent}})
	assert.NotNil(t, empty.Agents)
	assert.NotNil(t, empty.Groups)
	assert.Nil(t, empty.SentAt)
	assert.Nil(t, empty.RateNanos, "not rated")
	assert.Nil(t, empty.Reason, "no reason is NULL")
	assert.Equal(t, sent, *empty.ListedAt, "reviewed but not rated: listed by the review time")
}
