package survey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/survey"
)

// A clone shares nothing a caller can change with the original: changing
// or appending to any of its slices, its turns' effects, its pending
// effects or its review, leaves the original as it was, whether the
// session is small (one allocation) or not.
func TestACloneSharesNothingWithTheOriginal(t *testing.T) {
	for _, agents := range []int{0, 1, 2, 3, 5} {
		for _, turns := range []int{0, 1, 2, 6} {
			t.Run(fmt.Sprintf("agents=%d/turns=%d", agents, turns), func(t *testing.T) {
				orig := &survey.Session{TenantID: "t", ID: "s", Review: &survey.Review{Score: 4},
					Pending: []survey.PendingEffect{
						{Key: "s/rating_request", Kind: string(survey.KindRatingRequest)},
						{Key: "s/reviewed/2", Kind: string(survey.NotifyReviewed), Notification: &survey.Notification{Kind: survey.NotifyReviewed, Recipients: []string{"boss"}}},
					}}
				for i := range agents {
					orig.Agents = append(orig.Agents, survey.Participant{ID: fmt.Sprint("a", i), Kind: survey.Human, Groups: []string{"g1", "g2"}[:i%3%2+1]})
				}
				for i := range turns {
					orig.Turns = append(orig.Turns, survey.Turn{MessageID: fmt.Sprint("m", i), Kind: survey.TurnReprompt,
						Text: "hola", At: time.Unix(int64(i), 0), Effects: []string{"reprompt"}})
				}
				want := deepCopy(orig)

				c := orig.Clone()
				assert.Equal(t, want, equalNil(orig.Clone()), "a clone equals the original")
				for i := range c.Agents {
					c.Agents[i].ID = "changed"
					for j := range c.Agents[i].Groups {
						c.Agents[i].Groups[j] = "changed"
					}
					c.Agents[i].Groups = append(c.Agents[i].Groups, "more")
				}
				c.Agents = append(c.Agents, survey.Participant{ID: "more"})
				for i := range c.Turns {
					c.Turns[i].MessageID, c.Turns[i].Effects[0] = "changed", "changed"
					c.Turns[i].Effects = append(c.Turns[i].Effects, "more")
				}
				c.Turns = append(c.Turns, survey.Turn{MessageID: "more"})
				c.Pending[0].Key = "changed"
				c.Pending[1].Notification.Recipients[0] = "changed"
				c.Pending[1].Notification.Score = 5
				c.Pending = append(c.Pending, survey.PendingEffect{Key: "more"})
				c.Review.Score = 1
				assert.Equal(t, want, orig, "the original is unchanged")
			})
		}
	}
}

// deepCopy copies s by hand, field by field, for comparison.
func deepCopy(s *survey.Session) *survey.Session {
	c := *s
	c.Agents = nil
	for _, a := range s.Agents {
		a.Groups = append([]string(nil), a.Groups...)
		c.Agents = append(c.Agents, a)
	}
	c.Turns = nil
	for _, t := range s.Turns {
		t.Effects = append([]string(nil), t.Effects...)
		c.Turns = append(c.Turns, t)
	}
	c.Pending = nil
	for _, p := range s.Pending {
		if p.Notification != nil {
			n := *p.Notification
			n.Recipients = append([]string(nil), n.Recipients...)
			p.Notification = &n
		}
		c.Pending = append(c.Pending, p)
	}
	r := *s.Review
	c.Review = &r
	return &c
}

// equalNil makes an empty agent list nil, as deepCopy leaves it.
func equalNil(s *survey.Session) *survey.Session {
	if len(s.Agents) == 0 {
		s.Agents = nil
	}
	return s
}
