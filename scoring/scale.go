package scoring

import (
	"fmt"
)

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

// Scale is an immutable rating scale: its range, its options and which
// values count as satisfied. Build one with a constructor such as [CSAT5].
type Scale struct {
	id        string
	min, max  int
	options   []Option
	satisfied func(v int) bool
}

// ID is the scale's stable identifier, e.g. "csat5".
func (s *Scale) ID() string { return s.id }

// Min is the lowest value on the scale.
func (s *Scale) Min() int { return s.min }

// Max is the highest value on the scale.
func (s *Scale) Max() int { return s.max }

// Contains reports whether v is a value of the scale.
func (s *Scale) Contains(v int) bool { return v >= s.min && v <= s.max }

// Satisfied reports whether v counts as a satisfied (top-box) answer.
func (s *Scale) Satisfied(v int) bool { return s.Contains(v) && s.satisfied(v) }

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

// keycaps are the keycap emoji for 0 … 10 (🔟 for ten).
var keycaps = [...]string{"0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"}

// Keycap returns the keycap emoji for 0 ≤ v ≤ 10 and "" otherwise.
func Keycap(v int) string {
	if v < 0 || v >= len(keycaps) {
		return ""
	}
	return keycaps[v]
}

var csat5 = &Scale{
	id: "csat5", min: 1, max: 5,
	options: func() []Option {
		o := make([]Option, 5)
		for v := 1; v <= 5; v++ {
			o[v-1] = Option{Value: v, LabelKey: fmt.Sprintf("csat5.%d", v), Emoji: keycaps[v]}
		}
		return o
	}(),
	// Seed 000: "Las opciones 4 y 5 cuentan como satisfecho".
	satisfied: func(v int) bool { return v >= 4 },
}

// CSAT5 is the 1–5 customer-satisfaction scale of seed 000: 1 Very
// dissatisfied … 5 Very satisfied, drawn with keycap emoji; 4 and 5 count as
// satisfied.
func CSAT5() *Scale { return csat5 }
