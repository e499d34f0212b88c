-- surveyflow schema version 2: the store's own order of creation, and the
-- applied inbound message IDs as a column.
--
-- seq numbers sessions in the order they were created in this database.
-- "Newest" (Awaiting, routing a reply, a conversation's sessions) is by
-- seq, never by created_at: created_at comes from the clock of the engine
-- that created the session, and several engines' clocks need not agree.
-- Rows that exist already are numbered in created_at order.
CREATE SEQUENCE surveyflow_sessions_seq;
ALTER TABLE surveyflow_sessions ADD COLUMN seq bigint;
UPDATE surveyflow_sessions s SET seq = o.n
FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY created_at, id) AS n FROM surveyflow_sessions) o
WHERE s.tenant_id = o.tenant_id AND s.id = o.id;
SELECT setval('surveyflow_sessions_seq', COALESCE((SELECT max(seq) FROM surveyflow_sessions), 0) + 1, false);
ALTER TABLE surveyflow_sessions
    ALTER COLUMN seq SET DEFAULT nextval('surveyflow_sessions_seq'),
    ALTER COLUMN seq SET NOT NULL;
ALTER SEQUENCE surveyflow_sessions_seq OWNED BY surveyflow_sessions.seq;

-- message_ids: the inbound message IDs the session applied, so that a
-- redelivered message finds the session it answered.
ALTER TABLE surveyflow_sessions ADD COLUMN message_ids text[] NOT NULL DEFAULT '{}';
UPDATE surveyflow_sessions
SET message_ids = ARRAY(SELECT json_array_elements_text(doc->'message_ids'))
WHERE json_typeof(doc->'message_ids') = 'array';

-- Awaiting and routing, newest first.
DROP INDEX surveyflow_sessions_awaiting;
CREATE INDEX surveyflow_sessions_awaiting
    ON surveyflow_sessions (tenant_id, contact_id, channel, seq) WHERE NOT final;
CREATE INDEX surveyflow_sessions_route
    ON surveyflow_sessions (tenant_id, contact_id, channel, seq);
-- A conversation's sessions.
CREATE INDEX surveyflow_sessions_conversation
    ON surveyflow_sessions (tenant_id, conversation_id, seq);
