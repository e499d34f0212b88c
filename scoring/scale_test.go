package scoring

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// band is the expected band name and polarity of one value.
type band struct {
	name string
	pol  Polarity
}

func TestBuiltInScalesHaveTheirRangesSatisfiedValuesAndBands(t *testing.T) {
	neg, neu, pos := Negative, Neutral, Positive
	tests := []struct {
		scale     *Scale
		id        string
		min, max  int
		satisfied []int
		bands     map[int]band // every value of the scale
	}{
		{CSAT5(), "csat5", 1, 5, []int{4, 5}, map[int]band{
			1: {"dissatisfied", neg}, 2: {"dissatisfied", neg}, 3: {"neutral", neu}, 4: {"satisfied", pos}, 5: {"satisfied", pos},
		}},
		{Emoji5(), "emoji5", 1, 5, []int{4, 5}, map[int]band{
			1: {"dissatisfied", neg}, 2: {"dissatisfied", neg}, 3: {"neutral", neu}, 4: {"satisfied", pos}, 5: {"satisfied", pos},
		}},
		{NPS10(), "nps10", 0, 10, []int{9, 10}, map[int]band{
			0: {"detractor", neg}, 1: {"detractor", neg}, 2: {"detractor", neg}, 3: {"detractor", neg}, 4: {"detractor", neg},
			5: {"detractor", neg}, 6: {"detractor", neg}, 7: {"passive", neu}, 8: {"passive", neu}, 9: {"promoter", pos}, 10: {"promoter", pos},
		}},
		{NPS10From1(), "nps10from1", 1, 10, []int{9, 10}, map[int]band{
			1: {"low", neg}, 2: {"low", neg}, 3: {"low", neg}, 4: {"low", neg}, 5: {"low", neg},
			6: {"low", neg}, 7: {"medium", neu}, 8: {"medium", neu}, 9: {"high", pos}, 10: {"high", pos},
		}},
		{CES7(), "ces7", 1, 7, []int{5, 6, 7}, map[int]band{
			1: {"difficult", neg}, 2: {"difficult", neg}, 3: {"difficult", neg}, 4: {"neutral", neu},
			5: {"easy", pos}, 6: {"easy", pos}, 7: {"easy", pos},
		}},
		{Thumbs(), "thumbs", 0, 1, []int{1}, map[int]band{0: {"down", neg}, 1: {"up", pos}}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s := tt.scale
			assert.Equal(t, tt.id, s.ID())
			assert.Equal(t, tt.min, s.Min())
			assert.Equal(t, tt.max, s.Max())
			assert.Equal(t, tt.max-tt.min+1, s.Size())
			assert.Equal(t, tt.satisfied, s.SatisfiedValues())
			assert.False(t, s.Contains(tt.min-1), "below the minimum")
			assert.False(t, s.Contains(tt.max+1), "above the maximum")
			assert.False(t, s.Satisfied(tt.max+1), "off the scale is never satisfied")
			require.Len(t, tt.bands, s.Size(), "the test lists every value")
			for v := tt.min; v <= tt.max; v++ {
				assert.True(t, s.Contains(v))
				b, ok := s.BandOf(v)
				require.True(t, ok, "value %d has a band", v)
				assert.Equal(t, tt.bands[v].name, b.Name, "band of %d", v)
				assert.Equal(t, tt.bands[v].pol, s.Polarity(v), "polarity of %d", v)
				assert.Equal(t, tt.bands[v].pol == pos, s.Satisfied(v), "satisfied(%d) follows the positive band", v)
			}
			_, ok := s.BandOf(tt.max + 1)
			assert.False(t, ok)

			got, ok := ScaleByID(tt.id)
			require.True(t, ok)
			assert.Same(t, s, got)
			assert.Contains(t, Scales(), s)
		})
	}
}

func TestScaleOptionsCarryLabelKeysEmojiAndColours(t *testing.T) {
	keycapScales := []*Scale{CSAT5(), NPS10(), NPS10From1(), CES7()}
	for _, s := range keycapScales {
		t.Run(s.ID(), func(t *testing.T) {
			opts := s.Options()
			require.Len(t, opts, s.Size())
			for i, o := range opts {
				v := s.Min() + i
				assert.Equal(t, v, o.Value)
				assert.Equal(t, fmt.Sprintf("%s.%d", s.ID(), v), o.LabelKey)
				assert.Equal(t, Keycap(v), o.Emoji)
				got, ok := s.Option(v)
				require.True(t, ok)
				assert.Equal(t, o, got)
			}
			_, ok := s.Option(s.Max() + 1)
			assert.False(t, ok)
		})
	}

	t.Run("emoji5 goes from a red face at 1 to a dark green face at 5", func(t *testing.T) {
		want := []Option{
			{1, "emoji5.1", "😡", ColorRed},
			{2, "emoji5.2", "🙁", ColorOrange},
			{3, "emoji5.3", "😐", ColorYellow},
			{4, "emoji5.4", "🙂", ColorGreen},
			{5, "emoji5.5", "😄", ColorDarkGreen},
		}
		assert.Equal(t, want, Emoji5().Options())
	})
	t.Run("thumbs are 0 down and 1 up", func(t *testing.T) {
		opts := Thumbs().Options()
		assert.Equal(t, "thumbs.0", opts[0].LabelKey)
		assert.Equal(t, "👎", opts[0].Emoji)
		assert.Equal(t, "thumbs.1", opts[1].LabelKey)
		assert.Equal(t, "👍", opts[1].Emoji)
	})
	t.Run("Options returns a copy", func(t *testing.T) {
		o := CSAT5().Options()
		o[0].LabelKey = "changed"
		got, _ := CSAT5().Option(1)
		assert.Equal(t, "csat5.1", got.LabelKey)
	})
}

func TestKeycapCoversZeroToTenOnly(t *testing.T) {
	assert.Equal(t, "0️⃣", Keycap(0))
	assert.Equal(t, "5️⃣", Keycap(5))
	assert.Equal(t, "🔟", Keycap(10))
	assert.Equal(t, "", Keycap(-1))
	assert.Equal(t, "", Keycap(11))
}

func TestScaleByIDReportsUnknownIDs(t *testing.T) {
	s, ok := ScaleByID("stars7")
	assert.False(t, ok)
	assert.Nil(t, s)
}

func TestNewScaleDefaultsToTopBoxBySizeAndMirroredBands(t *testing.T) {
	tests := []struct {
		min, max  int
		satisfied []int
		bands     []Band
	}{
		{0, 1, []int{1}, []Band{{"negative", 0, 0, Negative}, {"positive", 1, 1, Positive}}},
		{1, 3, []int{3}, []Band{{"negative", 1, 1, Negative}, {"neutral", 2, 2, Neutral}, {"positive", 3, 3, Positive}}},
		{1, 4, []int{3, 4}, []Band{{"negative", 1, 2, Negative}, {"positive", 3, 4, Positive}}},
		{1, 5, []int{4, 5}, []Band{{"negative", 1, 2, Negative}, {"neutral", 3, 3, Neutral}, {"positive", 4, 5, Positive}}},
		{1, 7, []int{5, 6, 7}, []Band{{"negative", 1, 3, Negative}, {"neutral", 4, 4, Neutral}, {"positive", 5, 7, Positive}}},
		{0, 10, []int{9, 10}, []Band{{"negative", 0, 1, Negative}, {"neutral", 2, 8, Neutral}, {"positive", 9, 10, Positive}}},
		{0, 100, []int{81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100},
			[]Band{{"negative", 0, 19, Negative}, {"neutral", 20, 80, Neutral}, {"positive", 81, 100, Positive}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.min, tt.max), func(t *testing.T) {
			s, err := NewScale(ScaleConfig{ID: "custom", Min: tt.min, Max: tt.max})
			require.NoError(t, err)
			assert.Equal(t, tt.satisfied, s.SatisfiedValues())
			assert.Equal(t, tt.bands, s.Bands())
			o, ok := s.Option(tt.max)
			require.True(t, ok)
			assert.Equal(t, fmt.Sprintf("custom.%d", tt.max), o.LabelKey)
			assert.Equal(t, Keycap(tt.max), o.Emoji)
		})
	}
}

func TestNewScaleTakesHostChosenOptionsSatisfiedValuesAndBands(t *testing.T) {
	s, err := NewScale(ScaleConfig{
		ID: "smiley3", Min: 1, Max: 3,
		Options: []Option{
			{Value: 3, LabelKey: "smiley3.good", Emoji: "😀", Color: "#0a0"},
			{Value: 1, LabelKey: "smiley3.bad", Emoji: "😞", Color: "#a00"},
			{Value: 2, LabelKey: "smiley3.meh", Emoji: "😐"},
		},
		Satisfied: []int{2, 3},
		Bands:     []Band{{"good", 3, 3, Positive}, {"bad", 1, 2, Negative}},
	})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, s.SatisfiedValues())
	assert.Equal(t, "smiley3.bad", s.Options()[0].LabelKey, "options are sorted by value")
	assert.Equal(t, []Band{{"bad", 1, 2, Negative}, {"good", 3, 3, Positive}}, s.Bands(), "bands are sorted")
	assert.Equal(t, Negative, s.Polarity(2))

	p, err := NewParser(s, nil)
	require.NoError(t, err)
	v, err := p.Parse("😀")
	require.NoError(t, err)
	assert.Equal(t, 3, v, "a custom scale's emoji are read")
}

func TestNewScaleRejectsInvalidConfigurationsWithAClearError(t *testing.T) {
	opts5 := func() []Option {
		o := make([]Option, 5)
		for i := range o {
			o[i] = Option{Value: i + 1, LabelKey: fmt.Sprintf("x.%d", i+1)}
		}
		return o
	}
	tests := []struct {
		name string
		cfg  ScaleConfig
		msg  string
	}{
		{"empty ID", ScaleConfig{Min: 1, Max: 5}, "empty ID"},
		{"ID with capitals", ScaleConfig{ID: "CSAT", Min: 1, Max: 5}, "use a–z"},
		{"ID too long", ScaleConfig{ID: "abcdefghijklmnopqrstuvwxyzabcdefg", Min: 1, Max: 5}, "more than 32"},
		{"negative minimum", ScaleConfig{ID: "x", Min: -1, Max: 5}, "negative"},
		{"one value", ScaleConfig{ID: "x", Min: 3, Max: 3}, "not above minimum"},
		{"reversed range", ScaleConfig{ID: "x", Min: 5, Max: 1}, "not above minimum"},
		{"too many values", ScaleConfig{ID: "x", Min: 0, Max: 101}, "102 values"},
		{"too few options", ScaleConfig{ID: "x", Min: 1, Max: 5, Options: opts5()[:4]}, "4 options for 5 values"},
		{"option off the scale", ScaleConfig{ID: "x", Min: 1, Max: 5, Options: func() []Option { o := opts5(); o[4].Value = 6; return o }()}, "option value 6"},
		{"duplicate option", ScaleConfig{ID: "x", Min: 1, Max: 5, Options: func() []Option { o := opts5(); o[4].Value = 4; return o }()}, "two options have value 4"},
		{"option without key", ScaleConfig{ID: "x", Min: 1, Max: 5, Options: func() []Option { o := opts5(); o[2].LabelKey = ""; return o }()}, "no label key"},
		{"shared emoji", ScaleConfig{ID: "x", Min: 1, Max: 5, Options: func() []Option { o := opts5(); o[0].Emoji, o[1].Emoji = "😀", "😀"; return o }()}, "share the emoji"},
		{"empty satisfied list", ScaleConfig{ID: "x", Min: 1, Max: 5, Satisfied: []int{}}, "empty list"},
		{"satisfied off the scale", ScaleConfig{ID: "x", Min: 1, Max: 5, Satisfied: []int{6}}, "satisfied value 6"},
		{"satisfied twice", ScaleConfig{ID: "x", Min: 1, Max: 5, Satisfied: []int{5, 5}}, "listed twice"},
		{"everything satisfied", ScaleConfig{ID: "x", Min: 1, Max: 2, Satisfied: []int{1, 2}}, "every value"},
		{"band without name", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"", 1, 2, Negative}}}, "no name"},
		{"bands with one name", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"a", 1, 2, Negative}, {"a", 3, 4, Neutral}}}, "two bands are named"},
		{"backwards band", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"a", 3, 2, Negative}}}, "backwards"},
		{"band off the scale", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"a", 4, 6, Positive}}}, "outside 1–5"},
		{"overlapping bands", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"a", 1, 3, Negative}, {"b", 3, 5, Positive}}}, `"a" and "b" overlap at 3`},
		{"unknown polarity", ScaleConfig{ID: "x", Min: 1, Max: 5, Bands: []Band{{"a", 1, 3, 7}}}, "unknown polarity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewScale(tt.cfg)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, errors.Is(err, ErrInvalidScale))
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestMustScalePanicsOnlyOnAnInvalidScale(t *testing.T) {
	assert.NotPanics(t, func() { MustScale(ScaleConfig{ID: "ok", Min: 1, Max: 5}) })
	assert.Panics(t, func() { MustScale(ScaleConfig{ID: "bad", Min: 5, Max: 1}) })
}

func TestPolarityAndScaleStrings(t *testing.T) {
	assert.Equal(t, "negative", Negative.String())
	assert.Equal(t, "neutral", Neutral.String())
	assert.Equal(t, "positive", Positive.String())
	assert.Equal(t, "Polarity(5)", Polarity(5).String())
	assert.Equal(t, "nps10 (0–10)", NPS10().String())
}
