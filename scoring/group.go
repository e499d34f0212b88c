package scoring

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unsafe"
)

// Response is one rated survey, as plain data for grouping. The survey
// package (or a host's own store) fills it from its sessions.
type Response struct {
	// Value is the score.
	Value int
	// Agents took part in the conversation, in conversation order; the
	// last one is the last agent who answered. Duplicates count once.
	Agents []string
	// Assignee is the agent the conversation was assigned to when it
	// closed.
	Assignee string
	// Groups are the agent groups (teams) that took part; duplicates count
	// once.
	Groups []string
	// Channel and Survey identify where and by which survey it was asked.
	Channel, Survey string
	// Reason is the ID of the main reason the contact gave for the score,
	// empty when none was asked or given.
	Reason string
	// At is when the score arrived.
	At time.Time
	// ResponseTime is how long the contact took to answer; 0 when unknown.
	ResponseTime time.Duration
}

// Dimension is what a [Grouper] groups responses by, and what a report
// (package report) and its stores count responses under.
type Dimension int

const (
	// ByAgent groups by agent, under the grouper's [Attribution].
	ByAgent Dimension = iota
	// ByGroup counts each response once for every group in Response.Groups.
	ByGroup
	// ByChannel groups by Response.Channel.
	ByChannel
	// BySurvey groups by Response.Survey.
	BySurvey
	// ByDay groups by the calendar day of Response.At, keyed "2006-01-02".
	ByDay
	// ByWeek groups by the ISO 8601 week of Response.At, keyed "2006-W01".
	ByWeek
	// ByMonth groups by the month of Response.At, keyed "2006-01".
	ByMonth
	// ByReason groups by Response.Reason; responses without a reason
	// count only overall.
	ByReason
	// Overall is no grouping: every response once, under no key, as
	// [Grouper.Overall] counts them. It is not a grouper's dimension.
	Overall
)

// String returns the dimension's name, e.g. "agent".
func (d Dimension) String() string {
	switch d {
	case ByAgent:
		return "agent"
	case ByGroup:
		return "group"
	case ByChannel:
		return "channel"
	case BySurvey:
		return "survey"
	case ByDay:
		return "day"
	case ByWeek:
		return "week"
	case ByMonth:
		return "month"
	case ByReason:
		return "reason"
	case Overall:
		return "overall"
	}
	return "Dimension(" + strconv.Itoa(int(d)) + ")"
}

// Attribution decides which agents a response counts for.
type Attribution int

const (
	// AllParticipants counts a response once for every agent who took part
	// (an agent's score sums the answers of every conversation the agent
	// took part in).
	AllParticipants Attribution = iota
	// LastAgent counts a response for the last agent in Response.Agents
	// (the last who replied).
	LastAgent
	// AssigneeAtClose counts a response for Response.Assignee, the agent
	// the conversation was assigned to when it closed.
	AssigneeAtClose
)

// String returns the attribution's name, e.g. "all participants".
func (a Attribution) String() string {
	switch a {
	case AllParticipants:
		return "all participants"
	case LastAgent:
		return "last agent"
	case AssigneeAtClose:
		return "assignee at close"
	}
	return "Attribution(" + strconv.Itoa(int(a)) + ")"
}

// GroupOptions configures a [Grouper].
type GroupOptions struct {
	// By is the dimension to group by; the zero value is ByAgent.
	By Dimension
	// Attribution applies to ByAgent; the zero value is AllParticipants.
	Attribution Attribution
	// Location is the time zone periods are cut in; nil means UTC.
	Location *time.Location
}

// ErrInvalidGrouping is wrapped by the errors of [NewGrouper].
var ErrInvalidGrouping = errors.New("scoring: invalid grouping")

// Grouper aggregates responses by one dimension in a single pass: each
// response goes to a [Table] row per key, and once to an overall summary.
// It is not safe for concurrent use; give each goroutine its own and merge
// the tables.
//
// A grouper finds a key's row by where the key's bytes are stored before
// hashing the key (see rowCache): when equal IDs share storage, as they
// do when a host interns them (unique.Make) or decodes each distinct ID
// once, grouping a response costs about 1.5× adding it to a single
// summary instead of 3× (BENCHMARKS.md).
type Grouper struct {
	opts    GroupOptions
	table   *Table
	overall *Summary

	// rows caches key → row by the key's storage (see rowCache)
	rows rowCache

	// the last period key, reused while responses stay in one period
	lastFrom, lastTo time.Time
	lastKey          string
}

// NewGrouper returns a grouper of responses on scale.
func NewGrouper(scale *Scale, opts GroupOptions) (*Grouper, error) {
	if scale == nil {
		return nil, fmt.Errorf("%w: nil scale", ErrInvalidGrouping)
	}
	if opts.By < ByAgent || opts.By > ByReason {
		return nil, fmt.Errorf("%w: cannot group by %s", ErrInvalidGrouping, opts.By)
	}
	if opts.Attribution < AllParticipants || opts.Attribution > AssigneeAtClose {
		return nil, fmt.Errorf("%w: unknown attribution %d", ErrInvalidGrouping, opts.Attribution)
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	return &Grouper{opts: opts, table: NewTable(scale), overall: NewSummary(scale)}, nil
}

// Add records r under each of its keys and once in the overall summary,
// and reports whether r's value is on the scale (if not, nothing is
// recorded). A response with no key for the dimension (no agents, an empty
// channel, a zero time) counts only overall. Adding to existing keys does
// not allocate, except for a new period key.
func (g *Grouper) Add(r *Response) bool {
	if r == nil || !g.overall.Add(r.Value) {
		return false
	}
	if r.ResponseTime > 0 {
		g.overall.AddResponseTime(r.ResponseTime)
	}
	// One-key dimensions skip the callback: this is the per-response hot
	// path of every report.
	if key, ok := g.oneKey(r); ok {
		g.addTo(key, r)
	} else {
		g.eachKey(r, func(key string) { g.addTo(key, r) })
	}
	return true
}

// oneKey returns r's key under the dimensions that read it straight from
// a field (last agent, assignee, channel, survey, reason); "" is no key. ok is
// false for the others, which eachKey walks.
func (g *Grouper) oneKey(r *Response) (key string, ok bool) {
	switch {
	case g.opts.By == ByAgent && g.opts.Attribution == LastAgent:
		if n := len(r.Agents); n > 0 {
			return r.Agents[n-1], true
		}
		return "", true
	case g.opts.By == ByAgent && g.opts.Attribution == AssigneeAtClose:
		return r.Assignee, true
	case g.opts.By == ByChannel:
		return r.Channel, true
	case g.opts.By == BySurvey:
		return r.Survey, true
	case g.opts.By == ByReason:
		return r.Reason, true
	}
	return "", false
}

// addTo records r's value and response time in key's row; an empty key
// is no key.
func (g *Grouper) addTo(key string, r *Response) {
	if key == "" {
		return
	}
	s := g.rows.get(g.table, key)
	s.Add(r.Value)
	if r.ResponseTime > 0 {
		s.AddResponseTime(r.ResponseTime)
	}
}

// AddSent records one survey sent, answered or not, under the keys r
// would count under, and overall, for the response rate. r.Value is not
// read: pass the same conversation data as for a response.
func (g *Grouper) AddSent(r *Response) {
	if r == nil {
		return
	}
	g.overall.AddSent(1)
	g.eachKey(r, func(key string) { g.table.row(key).AddSent(1) })
}

// eachKey calls f once for every non-empty key r counts under.
func (g *Grouper) eachKey(r *Response, f func(key string)) {
	add := func(key string) {
		if key != "" {
			f(key)
		}
	}
	if key, ok := g.oneKey(r); ok {
		add(key)
		return
	}
	switch g.opts.By {
	case ByAgent: // all participants
		for i, a := range r.Agents {
			if !seenBefore(r.Agents, i) {
				add(a)
			}
		}
	case ByGroup:
		for i, k := range r.Groups {
			if !seenBefore(r.Groups, i) {
				add(k)
			}
		}
	default:
		if !r.At.IsZero() {
			add(g.periodKey(r.At))
		}
	}
}

// seenBefore reports whether list[i] occurs earlier in list; lists of
// participants are short, so this beats a map.
func seenBefore(list []string, i int) bool {
	for _, x := range list[:i] {
		if x == list[i] {
			return true
		}
	}
	return false
}

// periodKey returns the key of the period holding t in the grouper's
// location.
func (g *Grouper) periodKey(t time.Time) string {
	if g.lastKey != "" && !t.Before(g.lastFrom) && t.Before(g.lastTo) {
		return g.lastKey
	}
	key, from, to := PeriodOf(t, g.opts.By, g.opts.Location)
	g.lastKey, g.lastFrom, g.lastTo = key, from, to
	return key
}

// PeriodOf returns the key of the day, ISO week or month (by is ByDay,
// ByWeek or ByMonth) holding t in loc, and the period's start and end
// (exclusive). Keys sort in time order: "2026-11-23", "2026-W48",
// "2026-11". For other dimensions it returns "".
func PeriodOf(t time.Time, by Dimension, loc *time.Location) (key string, from, to time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, m, d := t.Date()
	switch by {
	case ByDay:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d), startOfDay(y, m, d, loc), startOfDay(y, m, d+1, loc)
	case ByWeek:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		wy, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", wy, w), startOfDay(y, m, d-wd, loc), startOfDay(y, m, d-wd+7, loc)
	case ByMonth:
		return fmt.Sprintf("%04d-%02d", y, m), startOfDay(y, m, 1, loc), startOfDay(y, m+1, 1, loc)
	}
	return "", time.Time{}, time.Time{}
}

// startOfDay returns the first instant of the day (normalized like
// time.Date) in loc. Where clocks skip midnight (São Paulo until 2019, for
// one), time.Date may answer an instant of the day before; the day then
// starts at the zone change that skipped it.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 12, 0, 0, 0, time.UTC) // the normalized date
	if ly, lm, ld := t.Date(); ly != want.Year() || lm != want.Month() || ld != want.Day() {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			return end
		}
	}
	return t
}

// Table returns the per-key summaries.
func (g *Grouper) Table() *Table { return g.table }

// Overall returns the summary of every response added, each counted once.
func (g *Grouper) Overall() *Summary { return g.overall }

// Group aggregates responses by opts in one pass and returns the per-key
// table and the overall summary. Responses with values off the scale are
// skipped and counted in skipped.
func Group(scale *Scale, responses []Response, opts GroupOptions) (table *Table, overall *Summary, skipped int, err error) {
	g, err := NewGrouper(scale, opts)
	if err != nil {
		return nil, nil, 0, err
	}
	for i := range responses {
		if !g.Add(&responses[i]) {
			skipped++
		}
	}
	return g.table, g.overall, skipped, nil
}

// rowCache remembers the rows of recently seen keys by where the key's
// bytes are stored. Responses built from shared data (IDs interned by the
// host, a decoder that keeps one string per distinct value, generated test
// data) hold equal agent, group and channel IDs in the same storage, so
// most keys are found here without hashing the string; a key in other
// storage falls back to the table's map. Equal storage (same pointer, same
// length) implies equal strings, since strings are immutable, so a hit is
// always right; and the cache holds the pointer, so the storage cannot be
// reused for another key while it is cached. (A host that builds strings
// over memory it later changes, with unsafe.String, breaks that promise
// for maps as much as for this cache.)
//
// The slots are allocated on the first look-up. When the first
// rowCacheTrial look-ups hit less than half the time (every response's IDs
// in storage of their own), the cache drops its slots, releasing the
// storage they kept alive, and stays off for the rest of the grouper's
// life, so unshared data pays only for the trial.
type rowCache struct {
	slots        *[1024]rowCacheSlot
	lookups, hit int
	off          bool
}

type rowCacheSlot struct {
	p *byte
	n int
	s *Summary
}

const rowCacheTrial = 4096

func (c *rowCache) get(t *Table, key string) *Summary {
	if c.off {
		return t.row(key)
	}
	if c.slots == nil {
		c.slots = new([1024]rowCacheSlot)
	}
	if c.lookups < rowCacheTrial {
		c.lookups++
		if c.lookups == rowCacheTrial && c.hit < rowCacheTrial/2 {
			c.off, c.slots = true, nil
			return t.row(key)
		}
	}
	p := unsafe.StringData(key)
	// Fibonacci hashing of the address spreads keys allocated in one size
	// class over the whole cache.
	e := &c.slots[uint64(uintptr(unsafe.Pointer(p)))*0x9E3779B97F4A7C15>>54]
	if e.p == p && e.n == len(key) && e.s != nil {
		c.hit++
		return e.s
	}
	s := t.row(key)
	*e = rowCacheSlot{p, len(key), s}
	return s
}
