package scoring

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Counts a store aggregated itself give the summary that one call per
// response gives.
func TestAddNAndAddResponseTimesEqualOneCallPerResponse(t *testing.T) {
	times := []time.Duration{0, 900 * time.Millisecond, time.Second, 3 * time.Second, 4 * time.Second, time.Hour, 3 * time.Hour}
	one, counted := NewSummary(CSAT5()), NewSummary(CSAT5())
	type key struct{ v, b int }
	type agg struct {
		n            int64
		sum, longest time.Duration
	}
	byKey := map[key]*agg{}
	for i, d := range times {
		v := 1 + i%5
		one.Add(v)
		one.AddResponseTime(d)
		k := key{v, ResponseTimeBucket(d)}
		if byKey[k] == nil {
			byKey[k] = &agg{}
		}
		a := byKey[k]
		a.n, a.sum, a.longest = a.n+1, a.sum+d, max(a.longest, d)
	}
	for k, a := range byKey {
		assert.True(t, counted.AddN(k.v, a.n))
		assert.True(t, counted.AddResponseTimes(k.b, a.n, a.sum, a.longest))
	}
	assert.Equal(t, one.Distribution(), counted.Distribution())
	assert.Equal(t, one.Sum(), counted.Sum())
	assert.Equal(t, one.ResponseTimes(), counted.ResponseTimes())

	assert.False(t, counted.AddN(9, 1), "off the scale")
	assert.False(t, counted.AddN(3, -1), "negative count")
	assert.False(t, counted.AddResponseTimes(ResponseTimeBuckets, 1, 0, 0), "no such bucket")
	assert.Equal(t, one.Count(), counted.Count(), "refused counts record nothing")
	assert.Equal(t, 0, ResponseTimeBucket(-time.Second))
	assert.Equal(t, 3, ResponseTimeBucket(4*time.Second), "[4 s, 8 s) is bucket 3")
}
