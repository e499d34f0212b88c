-- surveyflow schema version 1: one row per survey session.
--
-- The whole session is kept in doc (JSON, exact: nanosecond times, every
-- answer, the applied inbound message IDs); the other columns copy the
-- fields the store searches on. Times are INTEGER Unix nanoseconds (UTC).
CREATE TABLE surveyflow_sessions (
    tenant_id       TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    survey_id       TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    contact_id      TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    final           INTEGER NOT NULL,          -- 1 when state is final
    version         INTEGER NOT NULL,          -- optimistic concurrency
    rating          INTEGER,                   -- NULL until rated
    comment         TEXT,                      -- NULL until commented
    agent_ids       TEXT    NOT NULL,          -- JSON array of agent IDs
    group_ids       TEXT    NOT NULL,          -- JSON array, each group once
    created_at      INTEGER NOT NULL,
    rated_at        INTEGER,                   -- NULL until rated
    deadline        INTEGER,                   -- NULL once final
    lease_until     INTEGER,                   -- ClaimDue lease; NULL when unclaimed
    doc             TEXT    NOT NULL,          -- the session as JSON
    PRIMARY KEY (tenant_id, id)
);

-- One session that is not final per conversation.
CREATE UNIQUE INDEX surveyflow_sessions_active_conversation
    ON surveyflow_sessions (tenant_id, conversation_id) WHERE final = 0;
-- Due / ClaimDue.
CREATE INDEX surveyflow_sessions_due
    ON surveyflow_sessions (deadline, id) WHERE final = 0;
-- Awaiting.
CREATE INDEX surveyflow_sessions_awaiting
    ON surveyflow_sessions (tenant_id, contact_id, channel, created_at) WHERE final = 0;
-- ContactHistory.
CREATE INDEX surveyflow_sessions_contact
    ON surveyflow_sessions (tenant_id, contact_id, created_at);
-- Sessions.
CREATE INDEX surveyflow_sessions_created
    ON surveyflow_sessions (tenant_id, created_at);
-- Responses, newest rating first.
CREATE INDEX surveyflow_sessions_responses
    ON surveyflow_sessions (tenant_id, rated_at, id) WHERE rating IS NOT NULL;
