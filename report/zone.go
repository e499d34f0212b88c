package report

import (
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/scoring"
)

// maxPeriodSpan bounds a report by period: a century of days.
const maxPeriodSpan = 100 * 366 * 24 * time.Hour

// Zone is a time zone's UTC offsets over a report's range, as plain data a
// store can turn into SQL: Shifts[0].Offset holds until Shifts[1].From,
// and so on; the last offset holds from its From on.
type Zone struct {
	// Shifts are the offsets in time order; empty means UTC.
	Shifts []Shift `json:"shifts"`
}

// Shift is a UTC offset in effect from an instant on.
type Shift struct {
	// From is when the offset starts; the first shift's From is ignored
	// (its offset also holds before it).
	From time.Time `json:"from"`
	// Offset is in seconds east of UTC.
	Offset int `json:"offset"`
}

// ZoneOf returns loc's offsets between from and to (a zero or nil loc is
// UTC), or an error when the range is open, empty or over a century long.
func ZoneOf(loc *time.Location, from, to time.Time) (Zone, error) {
	if loc == nil {
		loc = time.UTC
	}
	if from.IsZero() || to.IsZero() || !from.Before(to) || to.Sub(from) > maxPeriodSpan {
		return Zone{}, fmt.Errorf("%w: a report by period needs From before To, at most a century apart", ErrInvalid)
	}
	_, off := from.In(loc).Zone()
	z := Zone{Shifts: []Shift{{From: from, Offset: off}}}
	for t := from; ; {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) || !end.After(t) {
			return z, nil
		}
		_, off := end.In(loc).Zone()
		z.Shifts = append(z.Shifts, Shift{From: end, Offset: off})
		t = end
	}
}

// Offset returns the offset in seconds in effect at t.
func (z Zone) Offset(t time.Time) int {
	off := 0
	for i, s := range z.Shifts {
		if i > 0 && t.Before(s.From) {
			break
		}
		off = s.Offset
	}
	return off
}

// Day returns the number of the local calendar day holding t: days since
// 1970-01-01 on the zone's wall clock.
func (z Zone) Day(t time.Time) int64 {
	secs := t.Unix() + int64(z.Offset(t))
	day := secs / 86400
	if secs%86400 < 0 {
		day--
	}
	return day
}

// periodOf returns the key of the day, week or month (by) holding the
// local day number day in loc.
func periodOf(day int64, by scoring.Dimension, loc *time.Location) string {
	y, m, d := time.Unix(day*86400, 0).UTC().Date()
	key, _, _ := scoring.PeriodOf(time.Date(y, m, d, 12, 0, 0, 0, loc), by, loc)
	return key
}
