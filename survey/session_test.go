package survey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/survey"
)

// A clone shares nothing a caller can change with the original: changing
// or appending to any of its slices, or its review, leaves the original as
// it was, whether the session is small (one allocation) or not.
func TestACloneSharesNothingWithTheOriginal(t *testing.T) {
	for _, agents := range []int{0, 1, 2, 3, 5} {
		for _, messages := range []int{0, 1, 2, 6} {
			t.Run(fmt.Sprintf("agents=%d/messages=%d", agents, messages), func(t *testing.T) {
				orig := &survey.Session{TenantID: "t", ID: "s", Unparsed: []string{"hola"},
					Review: &survey.Review{Score: 4}, RatingChanges: []survey.RatingChange{{MessageID: "m", From: 2, To: 4, At: time.Unix(1, 0)}}}
				for i := range agents {
					orig.Agents = append(orig.Agents, survey.Agent{ID: fmt.Sprint("a", i), Kind: survey.Human, Groups: []string{"g1", "g2"}[:i%3%2+1]})
				}
				for i := range messages {
					orig.MessageIDs = append(orig.MessageIDs, fmt.Sprint("m", i))
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
				c.Agents = append(c.Agents, survey.Agent{ID: "more"})
				for i := range c.MessageIDs {
					c.MessageIDs[i] = "changed"
				}
				c.MessageIDs = append(c.MessageIDs, "more", "and more")
				c.Unparsed[0] = "changed"
				c.Unparsed = append(c.Unparsed, "more")
				c.Review.Score = 1
				c.RatingChanges[0].To = 1
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
	c.MessageIDs = append([]string(nil), s.MessageIDs...)
	c.Unparsed = append([]string(nil), s.Unparsed...)
	r := *s.Review
	c.Review = &r
	c.RatingChanges = append([]survey.RatingChange(nil), s.RatingChanges...)
	return &c
}

// equalNil makes an empty agent list nil, as deepCopy leaves it.
func equalNil(s *survey.Session) *survey.Session {
	if len(s.Agents) == 0 {
		s.Agents = nil
	}
	return s
}
