package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/internal/strictjson"
	"github.com/surveyflow/surveyflow/survey"
)

// ErrInvalidConfig wraps every problem with a configuration: malformed
// JSON, an unknown rule or key, a missing key, an invalid value.
var ErrInvalidConfig = errors.New("eligibility: invalid configuration")

// MaxDepth is how deeply all / any / not may nest in a configuration.
const MaxDepth = 32

// Config is a rule set as data, what a host stores per tenant or per channel
// and hands to Build. Its JSON form is
//
//	{"rules": [{"rule": "transcript_longer_than", "chars": 250}, …]}
//
// and decoding it is strict: unknown keys, keys that do not belong to the
// rule, and missing required keys are errors (wrapping ErrInvalidConfig).
// Keys are case-sensitive ("Rule" is not "rule"), and a key given twice in
// one object or anything but white space after the document is an error
// that gives the line, column and byte offset and the JSON path of the key.
type Config struct {
	// Rules all have to pass, like the rules of a survey.
	Rules []RuleConfig `json:"rules"`
}

// RuleConfig is one rule as data. Rule names the rule; the other keys are
// its settings, and each rule accepts only its own:
//
//	rule                    required keys          optional keys (default)
//	answered_by_agent       –                      agents (human_and_virtual)
//	resolved_by             –                      agents (human_and_virtual)
//	transcript_longer_than  chars                  count (contact, human_agent, bot)
//	closed_within           within                 –
//	min_handling_time       duration               agents (human_and_virtual)
//	min_agent_replies       replies                agents (human_and_virtual)
//	sample                  percent                salt (""), by (conversation)
//	frequency_cap           period                 scope (same_survey)
//	in_contact_language     –                      min_confidence (low)
//	field                   field, op, values      ignore_case (false)
//	labels                  op, values             ignore_case (false)
//	channel                 channels               –
//	all, any                rules                  –
//	not                     of                     –
//
// Every rule also takes an optional "name" (see Named). Durations are
// strings: Go durations ("90m", "24h") or whole days ("7d"). In Go code, a
// zero optional field means its default.
//
// An empty list is no condition, as admin UIs save it: {"rule": "channel",
// "channels": []} passes on any channel, a field or labels rule with
// "values": [] passes whatever its op, and {"rule": "any", "rules": []}
// passes like {"rule": "all", "rules": []}. The key must still be there: a
// missing required key is an error.
type RuleConfig struct {
	// Rule is the rule's name in the table above.
	Rule string
	// Name renames the rule in failures (optional).
	Name string
	// Agents is "human_and_virtual" or "human_only".
	Agents string
	// Chars is the length a transcript must exceed.
	Chars int
	// Count lists the messages a transcript length counts.
	Count []Author
	// Within is closed_within's maximum gap.
	Within Duration
	// Duration is min_handling_time's minimum.
	Duration Duration
	// Replies is min_agent_replies's minimum.
	Replies int
	// Percent is the share sampled, 0 to 100.
	Percent float64
	// Salt is mixed into the sample hash.
	Salt string
	// By is "conversation" or "contact".
	By string
	// Period is frequency_cap's period.
	Period Duration
	// Scope is "same_survey" or "any_survey".
	Scope string
	// MinConfidence is "low", "high" or "exact".
	MinConfidence string
	// Field is the conversation field a field rule compares.
	Field string
	// Op is a field or labels rule's operator.
	Op Op
	// Values are what a field or labels rule compares with; none means
	// the rule passes.
	Values []string
	// IgnoreCase makes a field or labels rule compare without regard to
	// case.
	IgnoreCase bool
	// Channels are the channel rule's channels; none means any channel.
	Channels []string
	// Rules are the rules of all and any; none means the rule passes.
	Rules []RuleConfig
	// Of is the rule not negates.
	Of *RuleConfig
}

// Duration is a time.Duration written in JSON as a string: "24h", "90m",
// "7d" (whole days), "1d12h".
type Duration time.Duration

// String formats d as in JSON.
func (d Duration) String() string {
	td := time.Duration(d)
	if td > 0 && td%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"
	}
	return td.String()
}

// MarshalJSON writes d as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string like \"24h\" or \"7d\"")
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a Go duration ("90m", "24h") optionally led by whole
// days ("7d", "1d12h").
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("duration %q: want a form like \"24h\", \"90m\" or \"7d\"", clip(s, 40))
	days, rest, hasDays := strings.Cut(s, "d")
	if !hasDays {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, bad
		}
		return d, nil
	}
	n, err := strconv.ParseInt(days, 10, 64)
	if err != nil || n < 0 || n > int64(maxDuration/(24*time.Hour)) {
		return 0, bad
	}
	d := time.Duration(n) * 24 * time.Hour
	if rest != "" {
		r, err := time.ParseDuration(rest)
		if err != nil || r < 0 || r > maxDuration-d {
			return 0, bad
		}
		d += r
	}
	return d, nil
}

const maxDuration = time.Duration(1<<63 - 1)

// key is one configuration key: how to tell it is set, its JSON value, and
// how to read it.
type key struct {
	name   string
	isSet  func(*RuleConfig) bool
	value  func(*RuleConfig) any
	decode func(c *RuleConfig, raw json.RawMessage, path string, depth int) error
}

// list is a key whose value is a list: written as [] when empty, never as
// null, since an empty list is a setting of its own (no condition).
func list[T any](name string, field func(*RuleConfig) *[]T) key {
	k := plain(name, field, hasItems[T])
	k.value = func(c *RuleConfig) any {
		if *field(c) == nil {
			return []T{}
		}
		return *field(c)
	}
	return k
}

func plain[T any](name string, field func(*RuleConfig) *T, isSet func(T) bool) key {
	return key{
		name:  name,
		isSet: func(c *RuleConfig) bool { return isSet(*field(c)) },
		value: func(c *RuleConfig) any { return *field(c) },
		decode: func(c *RuleConfig, raw json.RawMessage, _ string, _ int) error {
			return json.Unmarshal(raw, field(c))
		},
	}
}

func nonEmpty(s string) bool         { return s != "" }
func nonZero[T comparable](v T) bool { var z T; return v != z }
func hasItems[T any](v []T) bool     { return len(v) > 0 }

// keys lists every key after "rule" and "name", in the order they are
// written.
var keys []key

func init() {
	keys = []key{
		plain("agents", func(c *RuleConfig) *string { return &c.Agents }, nonEmpty),
		plain("chars", func(c *RuleConfig) *int { return &c.Chars }, nonZero[int]),
		plain("count", func(c *RuleConfig) *[]Author { return &c.Count }, hasItems[Author]),
		plain("within", func(c *RuleConfig) *Duration { return &c.Within }, nonZero[Duration]),
		plain("duration", func(c *RuleConfig) *Duration { return &c.Duration }, nonZero[Duration]),
		plain("replies", func(c *RuleConfig) *int { return &c.Replies }, nonZero[int]),
		plain("percent", func(c *RuleConfig) *float64 { return &c.Percent }, nonZero[float64]),
		plain("salt", func(c *RuleConfig) *string { return &c.Salt }, nonEmpty),
		plain("by", func(c *RuleConfig) *string { return &c.By }, nonEmpty),
		plain("period", func(c *RuleConfig) *Duration { return &c.Period }, nonZero[Duration]),
		plain("scope", func(c *RuleConfig) *string { return &c.Scope }, nonEmpty),
		plain("min_confidence", func(c *RuleConfig) *string { return &c.MinConfidence }, nonEmpty),
		plain("field", func(c *RuleConfig) *string { return &c.Field }, nonEmpty),
		plain("op", func(c *RuleConfig) *Op { return &c.Op }, func(o Op) bool { return o != "" }),
		list("values", func(c *RuleConfig) *[]string { return &c.Values }),
		plain("ignore_case", func(c *RuleConfig) *bool { return &c.IgnoreCase }, nonZero[bool]),
		list("channels", func(c *RuleConfig) *[]string { return &c.Channels }),
		{
			name:  "rules",
			isSet: func(c *RuleConfig) bool { return len(c.Rules) > 0 },
			value: func(c *RuleConfig) any {
				if c.Rules == nil {
					return []RuleConfig{}
				}
				return c.Rules
			},
			decode: func(c *RuleConfig, raw json.RawMessage, path string, depth int) error {
				var items []json.RawMessage
				if err := json.Unmarshal(raw, &items); err != nil {
					return errors.New("want a list of rules")
				}
				c.Rules = make([]RuleConfig, len(items))
				for i, item := range items {
					if err := decodeRule(&c.Rules[i], item, fmt.Sprintf("%s.rules[%d]", path, i), depth+1); err != nil {
						return err
					}
				}
				return nil
			},
		},
		{
			name:  "of",
			isSet: func(c *RuleConfig) bool { return c.Of != nil },
			value: func(c *RuleConfig) any { return c.Of },
			decode: func(c *RuleConfig, raw json.RawMessage, path string, depth int) error {
				c.Of = new(RuleConfig)
				return decodeRule(c.Of, raw, path+".of", depth+1)
			},
		},
	}
}

// spec says which keys a rule takes.
type spec struct{ required, optional []string }

var specs = map[string]spec{
	"answered_by_agent":      {nil, []string{"agents"}},
	"resolved_by":            {nil, []string{"agents"}},
	"transcript_longer_than": {[]string{"chars"}, []string{"count"}},
	"closed_within":          {[]string{"within"}, nil},
	"min_handling_time":      {[]string{"duration"}, []string{"agents"}},
	"min_agent_replies":      {[]string{"replies"}, []string{"agents"}},
	"sample":                 {[]string{"percent"}, []string{"salt", "by"}},
	"frequency_cap":          {[]string{"period"}, []string{"scope"}},
	"in_contact_language":    {nil, []string{"min_confidence"}},
	"field":                  {[]string{"field", "op", "values"}, []string{"ignore_case"}},
	"labels":                 {[]string{"op", "values"}, []string{"ignore_case"}},
	"channel":                {[]string{"channels"}, nil},
	"all":                    {[]string{"rules"}, nil},
	"any":                    {[]string{"rules"}, nil},
	"not":                    {[]string{"of"}, nil},
}

func (s spec) takes(k string) bool {
	return slices.Contains(s.required, k) || slices.Contains(s.optional, k)
}

func (s spec) all() string {
	ks := append(append([]string{}, s.required...), s.optional...)
	if len(ks) == 0 {
		return "no keys besides name"
	}
	return strings.Join(ks, ", ")
}

func ruleNames() string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func configErr(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidConfig, path, fmt.Sprintf(format, args...))
}

// strict refuses a key given twice in one object of b and data after its
// value; positions count from the start of b.
func strict(b []byte) error {
	if err := strictjson.Check(b, nil); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return nil
}

// UnmarshalJSON reads a configuration strictly; the position of a key
// given twice counts from the start of the configuration's JSON.
func (c *Config) UnmarshalJSON(b []byte) error {
	if err := strict(b); err != nil {
		return err
	}
	return c.decode(b)
}

func (c *Config) decode(b []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil || top == nil {
		return configErr("config", "want an object {\"rules\": [...]}")
	}
	for k := range top {
		if k != "rules" {
			return configErr("config", "unknown key %q (want only \"rules\")", k)
		}
	}
	var items []json.RawMessage
	if err := json.Unmarshal(top["rules"], &items); err != nil {
		return configErr("rules", "want a list of rules")
	}
	rules := make([]RuleConfig, len(items))
	for i, item := range items {
		if err := decodeRule(&rules[i], item, fmt.Sprintf("rules[%d]", i), 1); err != nil {
			return err
		}
	}
	c.Rules = rules
	return nil
}

// UnmarshalJSON reads one rule strictly; the position of a key given twice
// counts from the start of the rule's JSON.
func (c *RuleConfig) UnmarshalJSON(b []byte) error {
	if err := strict(b); err != nil {
		return err
	}
	return decodeRule(c, b, "rule", 1)
}

func decodeRule(c *RuleConfig, b []byte, path string, depth int) error {
	if depth > MaxDepth {
		return configErr(path, "rules nest deeper than %d", MaxDepth)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return configErr(path, "want an object like {\"rule\": \"...\"}")
	}
	var out RuleConfig
	raw, ok := m["rule"]
	if !ok {
		return configErr(path, "missing key \"rule\"")
	}
	if err := json.Unmarshal(raw, &out.Rule); err != nil {
		return configErr(path, "key \"rule\": want a string")
	}
	sp, ok := specs[out.Rule]
	if !ok {
		return configErr(path, "unknown rule %q (known: %s)", clip(out.Rule, 40), ruleNames())
	}
	path = fmt.Sprintf("%s (%s)", path, out.Rule)
	if raw, ok := m["name"]; ok {
		if err := json.Unmarshal(raw, &out.Name); err != nil || out.Name == "" {
			return configErr(path, "key \"name\": want a non-empty string")
		}
	}
	for k := range m {
		if k != "rule" && k != "name" && !sp.takes(k) {
			return configErr(path, "unknown key %q (rule %s takes %s)", clip(k, 40), out.Rule, sp.all())
		}
	}
	for _, k := range sp.required {
		if _, ok := m[k]; !ok {
			return configErr(path, "missing key %q", k)
		}
	}
	for _, k := range keys {
		raw, ok := m[k.name]
		if !ok {
			continue
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return configErr(path, "key %q is null", k.name)
		}
		if err := k.decode(&out, raw, path, depth); err != nil {
			if errors.Is(err, ErrInvalidConfig) {
				return err
			}
			return configErr(path, "key %q: %v", k.name, err)
		}
	}
	*c = out
	return nil
}

// MarshalJSON writes the rule with its own keys only: "rule", "name" when
// set, every required key, and the optional keys that are set.
func (c RuleConfig) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	write := func(k string, v any) error {
		if b.Len() > 0 {
			b.WriteByte(',')
		} else {
			b.WriteByte('{')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("eligibility: writing key %q: %w", k, err)
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
		return nil
	}
	if err := write("rule", c.Rule); err != nil {
		return nil, err
	}
	if c.Name != "" {
		if err := write("name", c.Name); err != nil {
			return nil, err
		}
	}
	sp := specs[c.Rule]
	for _, k := range keys {
		if slices.Contains(sp.required, k.name) || k.isSet(&c) {
			if err := write(k.name, k.value(&c)); err != nil {
				return nil, err
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ParseConfig reads a JSON configuration strictly (see Config).
func ParseConfig(data []byte) (Config, error) {
	if err := strict(data); err != nil {
		return Config{}, err
	}
	var c Config
	if err := c.decode(data); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Load reads a JSON configuration and builds its rules.
func Load(data []byte) ([]survey.Rule, error) {
	c, err := ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return Build(c)
}

// Build makes the rules of cfg. Every problem is an error wrapping
// ErrInvalidConfig that names the rule's place ("rules[2].of (labels): op
// \"in\" is not one of contains, contains_any, not_contains").
func Build(cfg Config) ([]survey.Rule, error) {
	out := make([]survey.Rule, len(cfg.Rules))
	for i := range cfg.Rules {
		r, err := buildRule(&cfg.Rules[i], fmt.Sprintf("rules[%d]", i), 1)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// ConfigOf writes rules built by this package (by Build or by the
// constructors) as configuration: Build(ConfigOf(rules)) decides like
// rules. Optional settings at their defaults are left zero. A Func rule, or
// a rule from another package, anywhere in the tree is an error wrapping
// ErrNotConfigurable.
func ConfigOf(rules []survey.Rule) (Config, error) {
	c, err := configEach(rules)
	if err != nil {
		return Config{}, err
	}
	return Config{Rules: c}, nil
}

func buildRule(c *RuleConfig, path string, depth int) (survey.Rule, error) {
	if depth > MaxDepth {
		return nil, configErr(path, "rules nest deeper than %d", MaxDepth)
	}
	sp, ok := specs[c.Rule]
	if !ok {
		return nil, configErr(path, "unknown rule %q (known: %s)", clip(c.Rule, 40), ruleNames())
	}
	path = fmt.Sprintf("%s (%s)", path, c.Rule)
	for _, k := range keys {
		if !sp.takes(k.name) && k.isSet(c) {
			return nil, configErr(path, "key %q does not apply (rule %s takes %s)", k.name, c.Rule, sp.all())
		}
	}
	r, err := construct(c, path, depth)
	if err != nil {
		if errors.Is(err, ErrInvalidConfig) {
			return nil, err
		}
		return nil, configErr(path, "%v", err)
	}
	if c.Name != "" {
		r = Named(c.Name, r)
	}
	if err := validate(r); err != nil {
		if errors.Is(err, ErrInvalidConfig) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, path, err)
	}
	return r, nil
}

func construct(c *RuleConfig, path string, depth int) (survey.Rule, error) {
	switch c.Rule {
	case "answered_by_agent":
		k, err := parseAgentKinds(c.Agents)
		return AnsweredByAgent(k), err
	case "resolved_by":
		k, err := parseAgentKinds(c.Agents)
		return ResolvedBy(k), err
	case "transcript_longer_than":
		var opts []TranscriptOption
		if len(c.Count) > 0 {
			opts = append(opts, Counting(c.Count...))
		}
		return TranscriptLongerThan(c.Chars, opts...), nil
	case "closed_within":
		return ClosedWithin(time.Duration(c.Within)), nil
	case "min_handling_time":
		k, err := parseAgentKinds(c.Agents)
		return MinHandlingTime(time.Duration(c.Duration), k), err
	case "min_agent_replies":
		k, err := parseAgentKinds(c.Agents)
		return MinAgentReplies(c.Replies, k), err
	case "sample":
		by, err := parseSampleKey(c.By)
		return Sample(c.Percent, Salt(c.Salt), SampleBy(by)), err
	case "frequency_cap":
		s, err := parseCapScope(c.Scope)
		return FrequencyCap(time.Duration(c.Period), s), err
	case "in_contact_language":
		conf, err := parseConfidence(c.MinConfidence)
		return InContactLanguage(MinConfidence(conf)), err
	case "field":
		if c.IgnoreCase {
			return FieldIgnoringCase(c.Field, c.Op, c.Values...), nil
		}
		return Field(c.Field, c.Op, c.Values...), nil
	case "labels":
		if c.IgnoreCase {
			return LabelsIgnoringCase(c.Op, c.Values...), nil
		}
		return Labels(c.Op, c.Values...), nil
	case "channel":
		return Channels(c.Channels...), nil
	case "all", "any":
		rules := make([]survey.Rule, len(c.Rules))
		for i := range c.Rules {
			r, err := buildRule(&c.Rules[i], fmt.Sprintf("%s.rules[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			rules[i] = r
		}
		if c.Rule == "all" {
			return All(rules...), nil
		}
		return Any(rules...), nil
	case "not":
		if c.Of == nil {
			return nil, configErr(path, "missing key \"of\"")
		}
		r, err := buildRule(c.Of, path+".of", depth+1)
		if err != nil {
			return nil, err
		}
		return Not(r), nil
	}
	return nil, configErr(path, "unknown rule %q", c.Rule)
}
