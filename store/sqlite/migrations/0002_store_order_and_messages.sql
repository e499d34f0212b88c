-- surveyflow schema version 2: the store's own order of creation, and the
-- applied inbound message IDs as a column.
--
-- seq numbers sessions in the order they were created in this database.
-- "Newest" (Awaiting, routing a reply, a conversation's sessions) is by
-- seq, never by created_at: created_at comes from the clock of the engine
-- that created the session, and several engines' clocks need not agree.
-- Rows that exist already are numbered in created_at order.
ALTER TABLE surveyflow_sessions ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE surveyflow_sessions SET seq = o.n
FROM (SELECT tenant_id, id, row_number() OVER (ORDER BY created_at, id) AS n FROM surveyflow_sessions) AS o
WHERE surveyflow_sessions.tenant_id = o.tenant_id AND surveyflow_sessions.id = o.id;
CREATE UNIQUE INDEX surveyflow_sessions_seq ON surveyflow_sessions (seq);

-- message_ids: JSON array of the inbound message IDs the session applied,
-- so that a redelivered message finds the session it answered.
ALTER TABLE surveyflow_sessions ADD COLUMN message_ids TEXT NOT NULL DEFAULT '[]';
UPDATE surveyflow_sessions SET message_ids = COALESCE(json_extract(doc, '$.message_ids'), '[]');

-- Awaiting and routing, newest first.
DROP INDEX surveyflow_sessions_awaiting;
CREATE INDEX surveyflow_sessions_awaiting
    ON surveyflow_sessions (tenant_id, contact_id, channel, seq) WHERE final = 0;
CREATE INDEX surveyflow_sessions_route
    ON surveyflow_sessions (tenant_id, contact_id, channel, seq);
-- A conversation's sessions.
CREATE INDEX surveyflow_sessions_conversation
    ON surveyflow_sessions (tenant_id, conversation_id, seq);
