// Package eligibility holds the rules that decide who gets a survey. Each
// rule implements survey.Rule and explains every failure with a stable code,
// its name and a sentence with the numbers, so a support lead can answer
// "why did this customer not get a survey?"; survey.Evaluate collects the
// failures of every rule, not only the first.
//
// # Rules
//
//	constructor                       configuration "rule"
//	AnsweredByAgent(kinds)            answered_by_agent
//	ResolvedBy(kinds)                 resolved_by
//	TranscriptLongerThan(n, …)        transcript_longer_than
//	ClosedWithin(d)                   closed_within
//	MinHandlingTime(d, kinds)         min_handling_time
//	MinAgentReplies(n, kinds)         min_agent_replies
//	Sample(percent, …)                sample
//	FrequencyCap(period, scope)       frequency_cap
//	InContactLanguage(…)              in_contact_language
//	Field(name, op, values…)          field
//	FieldIgnoringCase(…)              field with "ignore_case": true
//	Labels(op, values…)               labels
//	LabelsIgnoringCase(…)             labels with "ignore_case": true
//	Channels(channels…)               channel
//	All, Any, Not                     all, any, not
//	Named(name, rule)                 "name" on any rule
//	Func(name, fn)                    – (host code)
//
// [AnsweredLongAndRecent] returns the three rules of a typical chat survey:
// answered by an agent, a transcript longer than 250 characters, and closed
// within 24 hours of the contact's last message.
//
// Which messages count: the transcript length counts the contact's messages
// and every agent's replies (bots included), spaces included, in Unicode
// characters; system notes do not count unless [Counting] says so. Agent
// kinds: a reply counts as a human agent's only when its author is a listed
// participant of kind survey.Human.
//
// Internal notes (survey.Message.Internal), which the contact never sees,
// are no reply in any rule: a conversation in which the agents wrote only
// notes fails answered_by_agent, notes never add to a transcript's length
// (whatever [Counting] says), to the handling time or to the number of
// replies, and a note's author is never taken for the resolver. The rules
// that do not read messages (sample, frequency_cap, in_contact_language,
// field, labels, channel) are not affected.
//
// # Empty lists
//
// A list condition with an empty list is no condition, as helpdesk admin
// UIs save it when nothing was picked: Channels() passes on any channel,
// Field and Labels with no values pass whatever their operator, and Any()
// passes like All(). Such a rule still explains itself where a description
// is shown, e.g. "no channels listed: any channel" under Not. The same
// holds in configuration: "channels": [], "values": [] and "rules": [].
//
// # Sampling
//
// [Sample] needs no random source: a conversation's place in the sample is
// [SamplePosition], a SHA-256 of a salt, the tenant, the survey and the
// conversation (or contact) ID, so every instance decides alike, before and
// after a restart, on every Go version and machine.
//
// # Configuration
//
// A [Config] is the rule set as JSON-serializable data, what a host stores
// per tenant or per channel. [Load] (or [ParseConfig] and [Build]) makes the
// rules, rejecting unknown rules, unknown or misplaced keys and invalid
// values with errors wrapping [ErrInvalidConfig] that name the rule's place.
// [ConfigOf] turns rules back into a Config. Func rules are host code and
// cannot be written as data (ErrNotConfigurable): keep them in the host and
// append them to the rules Build returns.
package eligibility
