package scoring

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// ErrInvalidScale is wrapped by every error [NewScale] returns.
var ErrInvalidScale = errors.New("scoring: invalid scale")

// MaxScaleSize is the largest number of values a scale may have (a 0–100
// scale has 101).
const MaxScaleSize = 101

// Option is one answer a scale offers: the stored value, the catalog key of
// its label, and how it is drawn on a button.
type Option struct {
	// Value is the score recorded when the contact picks this option.
	Value int
	// LabelKey names the option's label in a message catalog, e.g. "csat5.5".
	LabelKey string
	// Emoji is shown before the label in text prompts and on buttons.
	Emoji string
	// Color is an optional CSS colour (e.g. "#1a7f37") for graphic formats.
	Color string
}

// Polarity says whether a band is the good, the middle or the bad end of a
// scale.
type Polarity int8

// The three polarities. NPS calls them promoters, passives and detractors;
// the 1–10 NPS scale calls them high, medium and low.
const (
	Negative Polarity = -1
	Neutral  Polarity = 0
	Positive Polarity = 1
)

// String returns "negative", "neutral" or "positive".
func (p Polarity) String() string {
	switch p {
	case Negative:
		return "negative"
	case Neutral:
		return "neutral"
	case Positive:
		return "positive"
	}
	return "Polarity(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText encodes the polarity as "negative", "neutral" or "positive".
func (p Polarity) MarshalText() ([]byte, error) {
	if p < Negative || p > Positive {
		return nil, fmt.Errorf("scoring: unknown polarity %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes "negative", "neutral" or "positive".
func (p *Polarity) UnmarshalText(b []byte) error {
	for _, q := range []Polarity{Negative, Neutral, Positive} {
		if string(b) == q.String() {
			*p = q
			return nil
		}
	}
	return fmt.Errorf("scoring: unknown polarity %q", b)
}

// Band is a named, contiguous range of values of a scale, such as NPS's
// promoters (9–10).
type Band struct {
	// Name identifies the band, e.g. "promoter" or "high".
	Name string `json:"name"`
	// Min and Max are the band's lowest and highest values, inclusive.
	Min int `json:"min"`
	Max int `json:"max"`
	// Polarity places the band at the good, middle or bad end.
	Polarity Polarity `json:"polarity"`
}

// Contains reports whether v lies in the band.
func (b Band) Contains(v int) bool { return v >= b.Min && v <= b.Max }

// Scale is an immutable rating scale: its range, its options, which values
// count as satisfied and how values fall into bands. Use a built-in scale
// such as [CSAT5] or [NPS10], or build one with [NewScale].
type Scale struct {
	id        string
	min, max  int
	options   []Option
	satisfied []bool     // by v-min
	polarity  []Polarity // by v-min
	bandOf    []int8     // by v-min; index into bands, -1 for none
	bands     []Band
}

// ID is the scale's stable identifier, e.g. "csat5".
func (s *Scale) ID() string { return s.id }

// Min is the lowest value on the scale.
func (s *Scale) Min() int { return s.min }

// Max is the highest value on the scale.
func (s *Scale) Max() int { return s.max }

// Size is the number of values on the scale.
func (s *Scale) Size() int { return s.max - s.min + 1 }

// Contains reports whether v is a value of the scale.
func (s *Scale) Contains(v int) bool { return v >= s.min && v <= s.max }

// Satisfied reports whether v counts as a satisfied (top-box, positive)
// answer.
func (s *Scale) Satisfied(v int) bool { return s.Contains(v) && s.satisfied[v-s.min] }

// SatisfiedValues returns the values that count as satisfied, lowest first.
func (s *Scale) SatisfiedValues() []int {
	var out []int
	for i, ok := range s.satisfied {
		if ok {
			out = append(out, s.min+i)
		}
	}
	return out
}

// Polarity returns the polarity of v's band; values outside every band, and
// values off the scale, are Neutral.
func (s *Scale) Polarity(v int) Polarity {
	if !s.Contains(v) {
		return Neutral
	}
	return s.polarity[v-s.min]
}

// Bands returns the scale's bands from the lowest values to the highest.
// The slice is a copy.
func (s *Scale) Bands() []Band {
	out := make([]Band, len(s.bands))
	copy(out, s.bands)
	return out
}

// BandOf returns the band that v falls in.
func (s *Scale) BandOf(v int) (Band, bool) {
	if !s.Contains(v) || s.bandOf[v-s.min] < 0 {
		return Band{}, false
	}
	return s.bands[s.bandOf[v-s.min]], true
}

// Options returns the scale's options from the lowest value to the highest.
// The slice is a copy; changing it does not change the scale.
func (s *Scale) Options() []Option {
	out := make([]Option, len(s.options))
	copy(out, s.options)
	return out
}

// Option returns the option with value v.
func (s *Scale) Option(v int) (Option, bool) {
	if !s.Contains(v) {
		return Option{}, false
	}
	return s.options[v-s.min], true
}

// String returns the scale's ID and range, e.g. "csat5 (1–5)".
func (s *Scale) String() string { return fmt.Sprintf("%s (%d–%d)", s.id, s.min, s.max) }

// sameAs reports whether two scales are interchangeable for aggregation.
func (s *Scale) sameAs(o *Scale) bool {
	return s == o || (s.id == o.id && s.min == o.min && s.max == o.max)
}

// keycaps are the keycap emoji for 0 … 10 (🔟 for ten).
var keycaps = [...]string{"0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"}

// Keycap returns the keycap emoji for 0 ≤ v ≤ 10 and "" otherwise.
func Keycap(v int) string {
	if v < 0 || v >= len(keycaps) {
		return ""
	}
	return keycaps[v]
}

// ScaleConfig describes a custom scale for [NewScale].
type ScaleConfig struct {
	// ID is the scale's stable identifier: 1–32 characters of a–z, 0–9,
	// '_' and '-'. Label keys default to "<ID>.<value>".
	ID string
	// Min and Max are the lowest and highest values; the scale has at least
	// 2 and at most MaxScaleSize values, and Min ≥ 0.
	Min, Max int
	// Options, when given, has exactly one option per value (any order).
	// When nil, options are generated: label key "<ID>.<value>" and the
	// keycap emoji for values 0–10.
	Options []Option
	// Satisfied lists the values that count as satisfied. When nil the top
	// box by scale size counts: the top value for scales of up to 3 values,
	// the top 2 for 4–6 values, the top 3 for 7, and the top fifth (at least
	// 2) for larger scales.
	Satisfied []int
	// Bands, when given, are non-overlapping named ranges. When nil the
	// scale gets three bands: "positive" (the satisfied values, if they are
	// the top of the scale), "negative" (as many values at the bottom) and
	// "neutral" (what lies between).
	Bands []Band
}

// NewScale validates c and returns the scale it describes, or an error
// wrapping ErrInvalidScale that names the problem.
func NewScale(c ScaleConfig) (*Scale, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidScale, c.ID, fmt.Sprintf(format, a...))
	}
	if err := validID(c.ID); err != nil {
		return nil, bad("%v", err)
	}
	if c.Min < 0 {
		return nil, bad("minimum %d is negative", c.Min)
	}
	if c.Max <= c.Min {
		return nil, bad("maximum %d is not above minimum %d", c.Max, c.Min)
	}
	size := c.Max - c.Min + 1
	if size > MaxScaleSize {
		return nil, bad("%d values is more than %d", size, MaxScaleSize)
	}
	s := &Scale{id: c.ID, min: c.Min, max: c.Max}

	// Options.
	s.options = make([]Option, size)
	if c.Options == nil {
		for v := c.Min; v <= c.Max; v++ {
			s.options[v-c.Min] = Option{Value: v, LabelKey: c.ID + "." + strconv.Itoa(v), Emoji: Keycap(v)}
		}
	} else {
		if len(c.Options) != size {
			return nil, bad("%d options for %d values (%d–%d)", len(c.Options), size, c.Min, c.Max)
		}
		seen := make([]bool, size)
		emoji := map[string]int{}
		for _, o := range c.Options {
			if o.Value < c.Min || o.Value > c.Max {
				return nil, bad("option value %d is outside %d–%d", o.Value, c.Min, c.Max)
			}
			if seen[o.Value-c.Min] {
				return nil, bad("two options have value %d", o.Value)
			}
			seen[o.Value-c.Min] = true
			if o.LabelKey == "" {
				return nil, bad("option %d has no label key", o.Value)
			}
			if o.Emoji != "" {
				if w, dup := emoji[o.Emoji]; dup {
					return nil, bad("options %d and %d share the emoji %s", w, o.Value, o.Emoji)
				}
				emoji[o.Emoji] = o.Value
			}
			s.options[o.Value-c.Min] = o
		}
	}

	// Satisfied values.
	s.satisfied = make([]bool, size)
	if c.Satisfied == nil {
		k := topBox(size)
		for i := size - k; i < size; i++ {
			s.satisfied[i] = true
		}
	} else {
		if len(c.Satisfied) == 0 {
			return nil, bad("empty list of satisfied values (use nil for the top box)")
		}
		for _, v := range c.Satisfied {
			if v < c.Min || v > c.Max {
				return nil, bad("satisfied value %d is outside %d–%d", v, c.Min, c.Max)
			}
			if s.satisfied[v-c.Min] {
				return nil, bad("satisfied value %d is listed twice", v)
			}
			s.satisfied[v-c.Min] = true
		}
		if len(c.Satisfied) == size {
			return nil, bad("every value counts as satisfied")
		}
	}

	// Bands.
	bands := c.Bands
	if bands == nil {
		bands = defaultBands(c.Min, c.Max, s.satisfied)
	}
	s.bands = make([]Band, len(bands))
	copy(s.bands, bands)
	sort.Slice(s.bands, func(i, j int) bool { return s.bands[i].Min < s.bands[j].Min })
	if len(s.bands) > 127 {
		return nil, bad("%d bands is too many", len(s.bands))
	}
	s.bandOf = make([]int8, size)
	for i := range s.bandOf {
		s.bandOf[i] = -1
	}
	s.polarity = make([]Polarity, size)
	names := map[string]bool{}
	for i, b := range s.bands {
		switch {
		case b.Name == "":
			return nil, bad("band %d–%d has no name", b.Min, b.Max)
		case names[b.Name]:
			return nil, bad("two bands are named %q", b.Name)
		case b.Min > b.Max:
			return nil, bad("band %q runs backwards (%d–%d)", b.Name, b.Min, b.Max)
		case b.Min < c.Min || b.Max > c.Max:
			return nil, bad("band %q (%d–%d) is outside %d–%d", b.Name, b.Min, b.Max, c.Min, c.Max)
		case b.Polarity < Negative || b.Polarity > Positive:
			return nil, bad("band %q has unknown polarity %d", b.Name, b.Polarity)
		}
		names[b.Name] = true
		for v := b.Min; v <= b.Max; v++ {
			if j := s.bandOf[v-c.Min]; j >= 0 {
				return nil, bad("bands %q and %q overlap at %d", s.bands[j].Name, b.Name, v)
			}
			s.bandOf[v-c.Min] = int8(i)
			s.polarity[v-c.Min] = b.Polarity
		}
	}
	return s, nil
}

// MustScale is like [NewScale] but panics on an invalid configuration. Use
// it only for scales fixed in source code, in package-level variables.
func MustScale(c ScaleConfig) *Scale {
	s, err := NewScale(c)
	if err != nil {
		panic(err)
	}
	return s
}

func validID(id string) error {
	if id == "" {
		return errors.New("empty ID")
	}
	if len(id) > 32 {
		return fmt.Errorf("ID is %d bytes long, more than 32", len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("ID has %q at byte %d; use a–z, 0–9, '_' and '-'", c, i)
		}
	}
	return nil
}

// topBox is how many values at the top of a scale of size values count as
// satisfied when the host does not choose.
func topBox(size int) int {
	switch {
	case size <= 3:
		return 1
	case size <= 6:
		return 2
	case size == 7:
		return 3
	}
	return max(2, size/5)
}

// defaultBands splits a scale into negative / neutral / positive bands that
// mirror the satisfied top box. A satisfied set that is not the top of the
// scale gives no default bands.
func defaultBands(lo, hi int, satisfied []bool) []Band {
	size := hi - lo + 1
	k := 0
	for k < size && satisfied[size-1-k] {
		k++
	}
	for i := 0; i < size-k; i++ {
		if satisfied[i] {
			return []Band{}
		}
	}
	if 2*k > size {
		return []Band{
			{Name: "negative", Min: lo, Max: hi - k, Polarity: Negative},
			{Name: "positive", Min: hi - k + 1, Max: hi, Polarity: Positive},
		}
	}
	bands := []Band{{Name: "negative", Min: lo, Max: lo + k - 1, Polarity: Negative}}
	if 2*k < size {
		bands = append(bands, Band{Name: "neutral", Min: lo + k, Max: hi - k, Polarity: Neutral})
	}
	return append(bands, Band{Name: "positive", Min: hi - k + 1, Max: hi, Polarity: Positive})
}

// Colours of the emoji-5 scale (from 5 dark green down to 1 red).
const (
	ColorRed       = "#d32f2f"
	ColorOrange    = "#f57c00"
	ColorYellow    = "#fbc02d"
	ColorGreen     = "#7cb342"
	ColorDarkGreen = "#1b5e20"
)

func keycapOptions(id string, lo, hi int) []Option {
	o := make([]Option, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		o = append(o, Option{Value: v, LabelKey: id + "." + strconv.Itoa(v), Emoji: Keycap(v)})
	}
	return o
}

var (
	csat5 = MustScale(ScaleConfig{
		ID: "csat5", Min: 1, Max: 5,
		Options:   keycapOptions("csat5", 1, 5),
		Satisfied: []int{4, 5},
		Bands: []Band{
			{Name: "dissatisfied", Min: 1, Max: 2, Polarity: Negative},
			{Name: "neutral", Min: 3, Max: 3, Polarity: Neutral},
			{Name: "satisfied", Min: 4, Max: 5, Polarity: Positive},
		},
	})
	emoji5 = MustScale(ScaleConfig{
		ID: "emoji5", Min: 1, Max: 5,
		Options: []Option{
			{Value: 1, LabelKey: "emoji5.1", Emoji: "😡", Color: ColorRed},
			{Value: 2, LabelKey: "emoji5.2", Emoji: "🙁", Color: ColorOrange},
			{Value: 3, LabelKey: "emoji5.3", Emoji: "😐", Color: ColorYellow},
			{Value: 4, LabelKey: "emoji5.4", Emoji: "🙂", Color: ColorGreen},
			{Value: 5, LabelKey: "emoji5.5", Emoji: "😄", Color: ColorDarkGreen},
		},
		Satisfied: []int{4, 5},
		Bands: []Band{
			{Name: "dissatisfied", Min: 1, Max: 2, Polarity: Negative},
			{Name: "neutral", Min: 3, Max: 3, Polarity: Neutral},
			{Name: "satisfied", Min: 4, Max: 5, Polarity: Positive},
		},
	})
	nps10 = MustScale(ScaleConfig{
		ID: "nps10", Min: 0, Max: 10,
		Options:   keycapOptions("nps10", 0, 10),
		Satisfied: []int{9, 10},
		Bands: []Band{
			{Name: "detractor", Min: 0, Max: 6, Polarity: Negative},
			{Name: "passive", Min: 7, Max: 8, Polarity: Neutral},
			{Name: "promoter", Min: 9, Max: 10, Polarity: Positive},
		},
	})
	nps10from1 = MustScale(ScaleConfig{
		ID: "nps10from1", Min: 1, Max: 10,
		Options:   keycapOptions("nps10from1", 1, 10),
		Satisfied: []int{9, 10},
		Bands: []Band{
			{Name: "low", Min: 1, Max: 6, Polarity: Negative},
			{Name: "medium", Min: 7, Max: 8, Polarity: Neutral},
			{Name: "high", Min: 9, Max: 10, Polarity: Positive},
		},
	})
	ces7 = MustScale(ScaleConfig{
		ID: "ces7", Min: 1, Max: 7,
		Options:   keycapOptions("ces7", 1, 7),
		Satisfied: []int{5, 6, 7},
		Bands: []Band{
			{Name: "difficult", Min: 1, Max: 3, Polarity: Negative},
			{Name: "neutral", Min: 4, Max: 4, Polarity: Neutral},
			{Name: "easy", Min: 5, Max: 7, Polarity: Positive},
		},
	})
	thumbs = MustScale(ScaleConfig{
		ID: "thumbs", Min: 0, Max: 1,
		Options: []Option{
			{Value: 0, LabelKey: "thumbs.0", Emoji: "👎", Color: ColorRed},
			{Value: 1, LabelKey: "thumbs.1", Emoji: "👍", Color: ColorDarkGreen},
		},
		Satisfied: []int{1},
		Bands: []Band{
			{Name: "down", Min: 0, Max: 0, Polarity: Negative},
			{Name: "up", Min: 1, Max: 1, Polarity: Positive},
		},
	})
	builtins = []*Scale{csat5, emoji5, nps10, nps10from1, ces7, thumbs}
)

// CSAT5 is the 1–5 customer-satisfaction scale: 1 Very
// dissatisfied … 5 Very satisfied, drawn with keycap emoji 1️⃣…5️⃣; 4 and 5
// count as satisfied. Bands: dissatisfied 1–2, neutral 3, satisfied 4–5.
func CSAT5() *Scale { return csat5 }

// Emoji5 is the scale of five faces, from 5 (dark green) down to 1
// (red); each option carries its colour. Satisfied and bands as [CSAT5].
func Emoji5() *Scale { return emoji5 }

// NPS10 is the 0–10 Net Promoter Score scale: detractors 0–6, passives 7–8,
// promoters 9–10 (satisfied).
func NPS10() *Scale { return nps10 }

// NPS10From1 is the 1–10 variant of NPS that some CRM dashboards use, with
// high, medium and low scores: high 9–10 (satisfied), medium 7–8 and low
// 1–6, the NPS cut-offs.
func NPS10From1() *Scale { return nps10from1 }

// CES7 is the 1–7 Customer Effort Score scale ("the company made it easy to
// handle my issue", 7 = strongly agree): difficult 1–3, neutral 4, easy 5–7
// (satisfied).
func CES7() *Scale { return ces7 }

// Thumbs is the two-value scale 0 = 👎 thumbs down, 1 = 👍 thumbs up
// (satisfied).
func Thumbs() *Scale { return thumbs }

// Scales returns the built-in scales: csat5, emoji5, nps10, nps10from1,
// ces7 and thumbs.
func Scales() []*Scale {
	out := make([]*Scale, len(builtins))
	copy(out, builtins)
	return out
}

// ScaleByID returns the built-in scale with the given ID.
func ScaleByID(id string) (*Scale, bool) {
	for _, s := range builtins {
		if s.id == id {
			return s, true
		}
	}
	return nil, false
}
