package scoring

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFiguresGatherEveryFigureOfASummary(t *testing.T) {
	s := NewSummary(CSAT5())
	addCounts(s, map[int]int{1: 10, 2: 20, 3: 15, 4: 3, 5: 2})
	s.AddSent(125)

	f, err := s.Figures(0.95, 0)
	require.NoError(t, err)
	assert.Equal(t, "csat5", f.Scale)
	assert.Equal(t, int64(50), f.Count)
	assert.Equal(t, int64(117), f.Sum)
	assert.Equal(t, []int64{10, 20, 15, 3, 2}, f.Distribution)
	assert.Equal(t, []float64{20, 40, 30, 6, 4}, f.Shares)
	assert.Equal(t, int64(5), f.Satisfied)
	assert.Equal(t, 10.0, f.CSAT.Estimate)
	assert.InDelta(t, 4.347576493189043, f.CSAT.Lower, 1e-9)
	assert.False(t, f.CSAT.TooFew, "50 responses is above the default minimum of 30")
	assert.Equal(t, int64(5), f.Promoters)
	assert.Equal(t, int64(15), f.Passives)
	assert.Equal(t, int64(30), f.Detractors)
	assert.Equal(t, -50.0, f.NPS.Estimate)
	assert.Equal(t, 40.0, f.ResponseRate)
	require.Len(t, f.Bands, 3)
	assert.Equal(t, "satisfied", f.Bands[2].Band.Name)

	f, err = s.Figures(0.95, 100)
	require.NoError(t, err)
	assert.True(t, f.CSAT.TooFew)
	assert.True(t, f.NPS.TooFew)

	_, err = s.Figures(1.5, 0)
	assert.True(t, errors.Is(err, ErrInvalidLevel))
}

func TestFiguresEncodeAsJSON(t *testing.T) {
	s := NewSummary(NPS10())
	s.Add(10)
	f, err := s.Figures(0.9, 1)
	require.NoError(t, err)
	b, err := json.Marshal(f)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "nps10", back["scale"])
	assert.Equal(t, 100.0, back["nps"].(map[string]any)["estimate"])
	assert.Equal(t, "promoter", back["bands"].([]any)[2].(map[string]any)["band"].(map[string]any)["name"])
	assert.Contains(t, back, "response_rate")
}

func TestBandsRoundTripThroughJSONWithNamedPolarities(t *testing.T) {
	b, err := json.Marshal(NPS10().Bands())
	require.NoError(t, err)
	assert.JSONEq(t, `[{"name":"detractor","min":0,"max":6,"polarity":"negative"},
		{"name":"passive","min":7,"max":8,"polarity":"neutral"},
		{"name":"promoter","min":9,"max":10,"polarity":"positive"}]`, string(b))
	var back []Band
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, NPS10().Bands(), back)

	var p Polarity
	assert.Error(t, json.Unmarshal([]byte(`"sideways"`), &p))
	_, err = json.Marshal(Polarity(4))
	assert.Error(t, err)
}
