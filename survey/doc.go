// Package survey is the core of surveyflow: the host-facing types, the
// [Engine] that runs post-conversation surveys as looplab/fsm state machines,
// and the small interfaces it consumes: [Store], [Clock] and [Rule].
//
// The host tells the engine that a conversation closed
// ([Engine.ConversationClosed]) and hands it each inbound contact message
// ([Engine.HandleMessage]); every call is one pure step (load the session,
// fire an event, save it with an expected version) and returns what the host
// must do: messages to send and whether the inbound message belonged to the
// survey. The engine starts no goroutines and no timers; the host calls
// [Engine.Sweep] periodically so that deadlines pass.
package survey
