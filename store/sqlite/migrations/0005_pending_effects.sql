-- surveyflow schema version 5: the effects a session decided and the host
-- has not acknowledged yet, for the host's deliveries (Engine.Deliver).
--
-- The effects themselves are in doc (its "pending" list), written in the
-- same statement as the change that decided them. These columns find them:
--   effects_at     when the oldest pending effect was decided (Unix ns);
--                  NULL when the session has none;
--   effects_lease  until when a deliverer's claim on them runs (Unix ns);
--                  NULL when unclaimed. Updates keep it while effects are
--                  still pending (the deliverer that holds it acknowledges
--                  them with an update) and clear it with the last one.
-- Rows that exist already have no pending effects.
ALTER TABLE surveyflow_sessions ADD COLUMN effects_at INTEGER;
ALTER TABLE surveyflow_sessions ADD COLUMN effects_lease INTEGER;

-- ClaimEffects: the sessions with pending effects, oldest first.
CREATE INDEX surveyflow_sessions_effects
    ON surveyflow_sessions (effects_at, id) WHERE effects_at IS NOT NULL;
