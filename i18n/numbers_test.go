package i18n_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/scoring"
	"golang.org/x/text/language"
)

// The shipped number words, handed to the reply parser with every shipped
// scale's label words the way the survey engine does, read back as their
// numbers in every language: one to ten, each at least once (SPEC B7).
func TestShippedNumberWordsReadBackThroughTheParser(t *testing.T) {
	c := i18n.Shipped()
	for _, tag := range c.Languages() {
		t.Run(tag.String(), func(t *testing.T) {
			words, alone := i18n.NumberWords(tag)
			seen := map[int]bool{}
			for _, v := range words {
				seen[v] = true
			}
			for _, v := range alone {
				assert.Equal(t, 1, v, "only a word for one is an article")
				seen[v] = true
			}
			for v := 1; v <= 10; v++ {
				assert.True(t, seen[v], "%s has no word for %d", tag, v)
			}
			for _, s := range scoring.Scales() {
				vals := make([]int, 0, len(s.Options()))
				for _, o := range s.Options() {
					vals = append(vals, o.Value)
				}
				_, err := scoring.NewParser(s, c.LabelWords(tag, s.ID(), vals), scoring.WithNumberWords(words, alone))
				require.NoError(t, err, "%s: the number words fit the labels of %s", tag, s.ID())
			}
			nps, _ := i18n.ScaleValues(i18n.ScaleNPS10)
			p, err := scoring.NewParser(scoring.NPS10(), c.LabelWords(tag, i18n.ScaleNPS10, nps), scoring.WithNumberWords(words, alone))
			require.NoError(t, err)
			ten := ""
			for w, v := range words {
				got, err := p.Parse(w)
				require.NoError(t, err, w)
				assert.Equal(t, v, got, w)
				got, err = p.Parse(w + " " + strconv.Itoa(v))
				require.NoError(t, err, "%s agrees with its digit", w)
				assert.Equal(t, v, got, w)
				if v == 10 {
					ten = w
				}
			}
			for w := range alone {
				got, err := p.Parse(w + "!")
				require.NoError(t, err, w)
				assert.Equal(t, 1, got, "%q alone", w)
				got, err = p.Parse(w + " " + ten)
				require.NoError(t, err, w)
				assert.Equal(t, 10, got, "%q %q: the article before ten", w, ten)
			}
		})
	}
}

func TestNumberWordsFollowTheBaseLanguage(t *testing.T) {
	es, esAlone := i18n.NumberWords(language.Spanish)
	ar, arAlone := i18n.NumberWords(language.MustParse("es-AR"))
	assert.Equal(t, es, ar)
	assert.Equal(t, esAlone, arAlone)
	assert.Equal(t, 9, es["nueve"])
	assert.Equal(t, 1, esAlone["un"])

	words, alone := i18n.NumberWords(language.Italian)
	assert.Nil(t, words, "no words for a language that does not ship")
	assert.Nil(t, alone)

	es["nueve"] = 1
	again, _ := i18n.NumberWords(language.Spanish)
	assert.Equal(t, 9, again["nueve"], "the maps are the caller's own")
}
