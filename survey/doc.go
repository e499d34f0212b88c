// Package survey is the core of surveyflow: the host-facing types, the
// [Engine] that runs post-conversation surveys as looplab/fsm state machines,
// and the small interfaces it consumes: [Store], [Clock] and [Rule].
//
// The host tells the engine that a conversation closed
// ([Engine.ConversationClosed]) and hands it each inbound contact message
// ([Engine.HandleMessage]); every call is one step (load the session, fire
// an event, save it with an expected version) and returns what the host
// must do: messages to send, notifications to give its users, and whether
// the inbound message belonged to the survey. Each session records the
// contact's inputs as [Turn]s, so a redelivered message replays exactly
// what its first delivery produced.
//
// # Effects are durable
//
// What a call decides to send and tell — the next question, the thanks, a
// low-score alert, the agents' notice — is an [Effect], stored with the
// session in the same store write as the change that decided it
// (Session.Pending), so a host that dies between the engine's save and its
// own send loses nothing. There are two ways to send them, and a host may
// use both:
//
//   - Drain: call [Engine.Deliver] periodically (every second or so) with a
//     function that sends one effect. Deliver hands out every pending
//     effect, from any instance, under its idempotency key, until the send
//     succeeds; a host that deduplicates by key delivers each effect
//     exactly once. Effects that no call returns to the host — the rating
//     page's ratings and comments, a sweep's rating requests — arrive this
//     way with no other code.
//   - Inline: send what a [Result] returns, then [Engine.Acknowledge] its
//     [Result.Keys]; drain with [DeliverOptions.MinAge] of a minute or so to
//     pick up only what such a host lost.
//
// The engine starts no goroutines and no timers; the host calls
// [Engine.Sweep] and [Engine.Deliver] periodically so that deadlines pass
// and effects go out.
package survey
