package memory

import (
	"hash/maphash"
	"math"
	"slices"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// record is how the store keeps a session: a compact form of
// survey.Session, converted on the way in (Create, Update) and out (every
// read), which replaces the copies the Store contract asks for.
//
//   - Times are Unix nanoseconds (see nanos), in UTC when read back.
//   - The strings many sessions share (tenant, survey, scale, channel,
//     language, state, trigger, assignee, last agent) are indexes into the store's
//     names, and the agents an index into its agent lists.
//   - The fields an open session rarely has are behind x, allocated only
//     when one of them is set.
//   - prevConv and prevContact chain the conversation's and the contact's
//     sessions, newest first, so the indexes hold one record per key.
type record struct {
	id, conv, contact, contactName string

	x           *extra
	prevConv    *record // the conversation's previous session
	prevContact *record // the contact's previous session

	version int64
	rating  int
	seq     uint64 // the store's order of creation

	closedAt, lastContactAt, createdAt, sentAt, ratedAt, endedAt, deadline int64

	tenant, survey, scale, channel, language, state, trigger, assignee, lastAgent name
	agents                                                                        agentList

	heapAt int32 // place in the deadline heap; -1 when not in it
	flags  uint8
}

// Bits of record.flags.
const (
	flagBeforeClose uint8 = 1 << iota
	flagRated
	flagCommentTruncated
)

// bit is flag when set, else 0.
func bit(set bool, flag uint8) uint8 {
	if set {
		return flag
	}
	return 0
}

// extra holds the fields of a session that an open session rarely has:
// the answers after the rating, the turns, the pending effects, the
// review, a manual request, an overall rating deadline.
type extra struct {
	requestedBy, reason, comment                    string
	ratingDeadline, reasonAt, commentedAt, reopened int64
	erasedAt, textRemovedAt                         int64
	expires, remindedAt                             int64 // reminders (survey.Definition.Reminder)
	reminders                                       int
	turns                                           []survey.Turn          // times in UTC; Effects in effects
	effects                                         []string               // the turns' Effects, in one array
	pending                                         []survey.PendingEffect // DecidedAt in UTC
	review                                          survey.Review          // valid when hasReview; At in UTC
	hasReview                                       bool
}

// hasExtra reports whether s sets any field that record keeps in extra.
func hasExtra(s *survey.Session) bool {
	return s.RequestedBy != "" || s.Reason != "" || s.Comment != "" ||
		!s.RatingDeadline.IsZero() || !s.ReasonAt.IsZero() || !s.CommentedAt.IsZero() || !s.ReopenedAt.IsZero() ||
		!s.ErasedAt.IsZero() || !s.TextRemovedAt.IsZero() ||
		!s.Expires.IsZero() || s.Reminders != 0 || !s.RemindedAt.IsZero() ||
		len(s.Turns) > 0 || len(s.Pending) > 0 || s.Review != nil
}

// assign stores s in r, reusing r's extra and its arrays: nobody else
// holds them, since the store hands out copies only. The caller holds the
// write lock.
func (m *Store) assign(r *record, s *survey.Session) {
	r.id, r.conv, r.contact, r.contactName = s.ID, s.ConversationID, s.ContactID, s.ContactName
	r.version, r.rating = s.Version, s.Rating
	r.closedAt, r.lastContactAt, r.createdAt = nanos(s.ClosedAt), nanos(s.LastContactAt), nanos(s.CreatedAt)
	r.sentAt, r.ratedAt, r.endedAt, r.deadline = nanos(s.SentAt), nanos(s.RatedAt), nanos(s.EndedAt), nanos(s.Deadline)
	n := &m.names
	r.tenant, r.survey, r.scale = n.keep(r.tenant, s.TenantID), n.keep(r.survey, s.SurveyID), n.keep(r.scale, s.Scale)
	r.channel, r.language = n.keep(r.channel, s.Channel), n.keep(r.language, s.Language)
	r.state, r.trigger = n.keep(r.state, string(s.State)), n.keep(r.trigger, string(s.Trigger))
	r.assignee, r.lastAgent = n.keep(r.assignee, s.Assignee), n.keep(r.lastAgent, s.LastAgent)
	if !sameAgents(m.agents.get(r.agents), s.Agents) {
		r.agents = m.agents.intern(s.Agents)
	}
	r.flags = bit(s.BeforeClose, flagBeforeClose) | bit(s.Rated, flagRated) | bit(s.CommentTruncated, flagCommentTruncated)
	if !hasExtra(s) {
		r.x = nil
		return
	}
	x := r.x
	if x == nil {
		x = new(extra)
		r.x = x
	}
	x.requestedBy, x.reason, x.comment = s.RequestedBy, s.Reason, s.Comment
	x.ratingDeadline, x.reasonAt, x.commentedAt, x.reopened = nanos(s.RatingDeadline), nanos(s.ReasonAt), nanos(s.CommentedAt), nanos(s.ReopenedAt)
	x.erasedAt, x.textRemovedAt = nanos(s.ErasedAt), nanos(s.TextRemovedAt)
	x.expires, x.remindedAt, x.reminders = nanos(s.Expires), nanos(s.RemindedAt), s.Reminders
	x.setTurns(s.Turns)
	x.setPending(s.Pending)
	x.hasReview = s.Review != nil
	if x.hasReview {
		x.review = *s.Review
		x.review.At = utc(x.review.At)
	}
}

// setPending copies pending into x, into the array it has when they fit.
func (x *extra) setPending(pending []survey.PendingEffect) {
	clear(x.pending[:cap(x.pending)]) // nothing of the old effects stays behind the new ones
	if len(pending) == 0 {
		x.pending = nil
		return
	}
	switch {
	case x.pending == nil && len(x.turns) == 0:
		x.pending = make([]survey.PendingEffect, 0, len(pending)) // a new survey: its rating request
	case cap(x.pending) < len(pending):
		x.pending = make([]survey.PendingEffect, 0, len(pending)+2) // room for what the next call decides
	}
	x.pending = append(x.pending[:0], pending...)
	for i := range x.pending {
		p := &x.pending[i]
		p.DecidedAt = utc(p.DecidedAt)
		if n := p.Notification; n != nil {
			c := *n
			c.Recipients = slices.Clone(n.Recipients)
			p.Notification = &c
		}
	}
}

// setTurns copies turns into x, into the arrays it has when they fit.
func (x *extra) setTurns(turns []survey.Turn) {
	// Nothing of the old turns stays in an array x keeps: an erased
	// session's replies and message IDs must be gone.
	clear(x.turns[:cap(x.turns)])
	clear(x.effects[:cap(x.effects)])
	if len(turns) == 0 {
		x.turns, x.effects = nil, nil
		return
	}
	n := 0
	for i := range turns {
		n += len(turns[i].Effects)
	}
	if cap(x.turns) < len(turns) {
		x.turns = make([]survey.Turn, 0, len(turns)+1) // room for the next turn
	}
	if cap(x.effects) < n {
		x.effects = make([]string, 0, n+2)
	}
	x.turns, x.effects = append(x.turns[:0], turns...), x.effects[:0]
	for i := range x.turns {
		t := &x.turns[i]
		t.At = utc(t.At)
		start := len(x.effects)
		x.effects = append(x.effects, t.Effects...)
		t.Effects = x.effects[start:len(x.effects):len(x.effects)]
		if len(t.Effects) == 0 {
			t.Effects = nil
		}
	}
}

// view fills s with r's session without copying: its slices and Review
// are the store's, so s must only be read, under the read lock, and not
// kept. The read side counts over views; session copies one.
func (m *Store) view(r *record, s *survey.Session) {
	// Field by field: a composite literal would build the session aside
	// and copy it, which the report's pass over every session pays for.
	n := &m.names
	s.TenantID, s.ID, s.SurveyID, s.Scale, s.ConversationID = n.get(r.tenant), r.id, n.get(r.survey), n.get(r.scale), r.conv
	s.ContactID, s.Channel, s.ContactName, s.Language = r.contact, n.get(r.channel), r.contactName, n.get(r.language)
	s.State, s.Trigger, s.Version = survey.State(n.get(r.state)), survey.Trigger(n.get(r.trigger)), r.version
	s.Agents, s.Assignee, s.LastAgent = m.agents.get(r.agents), n.get(r.assignee), n.get(r.lastAgent)
	s.BeforeClose, s.Rated, s.Rating = r.flags&flagBeforeClose != 0, r.flags&flagRated != 0, r.rating
	s.CommentTruncated = r.flags&flagCommentTruncated != 0
	s.ClosedAt, s.LastContactAt, s.CreatedAt = unixTime(r.closedAt), unixTime(r.lastContactAt), unixTime(r.createdAt)
	s.SentAt, s.RatedAt, s.EndedAt, s.Deadline = unixTime(r.sentAt), unixTime(r.ratedAt), unixTime(r.endedAt), unixTime(r.deadline)
	x := r.x
	if x == nil {
		x = &noExtra
	}
	s.RequestedBy, s.Reason, s.Comment = x.requestedBy, x.reason, x.comment
	s.RatingDeadline, s.ReasonAt = unixTime(x.ratingDeadline), unixTime(x.reasonAt)
	s.CommentedAt, s.ReopenedAt = unixTime(x.commentedAt), unixTime(x.reopened)
	s.ErasedAt, s.TextRemovedAt = unixTime(x.erasedAt), unixTime(x.textRemovedAt)
	s.Expires, s.RemindedAt, s.Reminders = unixTime(x.expires), unixTime(x.remindedAt), x.reminders
	s.Turns, s.Pending = x.turns, x.pending
	s.Review = nil
	if x.hasReview {
		s.Review = &x.review
	}
}

// noExtra is the extra of a record that has none; never written.
var noExtra extra

// session returns a copy of r's session for a caller. The caller holds
// the read lock.
func (m *Store) session(r *record) *survey.Session {
	var v survey.Session
	m.view(r, &v)
	return v.Clone()
}

// final reports whether r's state is final.
func (m *Store) final(r *record) bool {
	return survey.State(m.names.get(r.state)).Final()
}

// listedAt is report.Listed for a record.
func (r *record) listedAt() (time.Time, bool) {
	switch {
	case r.flags&flagRated != 0:
		return unixTime(r.ratedAt), true
	case r.x != nil && r.x.hasReview:
		return r.x.review.At, true
	}
	return time.Time{}, false
}

// The times Unix nanoseconds can hold: 1678 to 2262.
var minNanos, maxNanos = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

// nanos is t as an int64 that keeps the order of times: 0 for the zero
// time, t's Unix nanoseconds before the Unix epoch, and one more than them
// from the epoch on, so that no time but the zero time is 0 (a fake clock
// may start at the epoch). Times outside 1678–2262 are clamped, which
// keeps their order.
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minNanos):
		return math.MinInt64
	case !t.Before(maxNanos):
		return math.MaxInt64 // the last time, clamped by a nanosecond
	}
	n := t.UnixNano()
	if n < 0 {
		return n
	}
	return n + 1
}

// unixTime is the time nanos encoded, in UTC.
func unixTime(n int64) time.Time {
	switch {
	case n == 0:
		return time.Time{}
	case n < 0:
		return time.Unix(0, n).UTC()
	}
	return time.Unix(0, n-1).UTC()
}

// instant is nanos for comparing with stored times: the zero time comes
// before all of them.
func instant(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return nanos(t)
}

// utc is t as the store reads it back.
func utc(t time.Time) time.Time { return unixTime(nanos(t)) }

// name is an index into names.
type name uint32

// names interns the strings many sessions share. It only grows: it holds
// each tenant, survey, scale, channel, language, state, trigger and agent ID
// once, however many sessions use it.
type names struct {
	list  []string
	index map[string]name
}

// get returns the string n stands for.
func (t *names) get(n name) string {
	if n == 0 {
		return ""
	}
	return t.list[n]
}

// lookup returns the name of s, if s has one.
func (t *names) lookup(s string) (name, bool) {
	if s == "" {
		return 0, true
	}
	n, ok := t.index[s]
	return n, ok
}

// keep returns the name of s, n itself when it already stands for s.
func (t *names) keep(n name, s string) name {
	if t.get(n) == s {
		return n
	}
	if n, ok := t.lookup(s); ok {
		return n
	}
	if t.index == nil {
		t.list, t.index = []string{""}, map[string]name{}
	}
	n = name(len(t.list))
	t.list = append(t.list, s)
	t.index[s] = n
	return n
}

// agentList is an index into agentLists; 0 is no agents.
type agentList uint32

// agentLists interns the sessions' agents: the conversations of one team
// repeat the same few lists. It only grows, by one list for each distinct
// list of agents (IDs, names, kinds and groups) it is given.
type agentLists struct {
	lists  [][]survey.Participant
	byHash map[uint64][]agentList
	seed   maphash.Seed
}

// get returns the agents a stands for; the caller must not change them.
func (t *agentLists) get(a agentList) []survey.Participant {
	if a == 0 {
		return nil
	}
	return t.lists[a]
}

// intern returns the index of a copy of agents.
func (t *agentLists) intern(agents []survey.Participant) agentList {
	if len(agents) == 0 {
		return 0
	}
	if t.byHash == nil {
		t.lists, t.byHash, t.seed = [][]survey.Participant{nil}, map[uint64][]agentList{}, maphash.MakeSeed()
	}
	var h maphash.Hash
	h.SetSeed(t.seed)
	for _, a := range agents {
		h.WriteString(a.ID)
		h.WriteByte(0)
		h.WriteString(a.Name)
		h.WriteByte(0)
		h.WriteString(string(a.Kind))
		for _, g := range a.Groups {
			h.WriteByte(1)
			h.WriteString(g)
		}
		h.WriteByte(2)
	}
	sum := h.Sum64()
	for _, i := range t.byHash[sum] {
		if sameAgents(t.lists[i], agents) {
			return i
		}
	}
	c := make([]survey.Participant, len(agents))
	for i, a := range agents {
		a.Groups = slices.Clone(a.Groups)
		c[i] = a
	}
	i := agentList(len(t.lists))
	t.lists = append(t.lists, c)
	t.byHash[sum] = append(t.byHash[sum], i)
	return i
}

// sameAgents reports whether a and b list the same agents, with the same
// groups, in the same order.
func sameAgents(a, b []survey.Participant) bool {
	return slices.EqualFunc(a, b, func(x, y survey.Participant) bool {
		return x.ID == y.ID && x.Name == y.Name && x.Kind == y.Kind && slices.Equal(x.Groups, y.Groups)
	})
}
