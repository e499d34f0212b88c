-- surveyflow schema version 1: one row per survey session.
--
-- The whole session is kept in doc (json, not jsonb, so that any text a
-- contact sends, NUL included, round-trips exactly); the other columns copy
-- the fields the store searches, sorts and aggregates on. Tables live in
-- the connection's search_path.
CREATE TABLE surveyflow_sessions (
    tenant_id       text        NOT NULL,
    id              text        NOT NULL,
    survey_id       text        NOT NULL,
    conversation_id text        NOT NULL,
    contact_id      text        NOT NULL,
    channel         text        NOT NULL,
    state           text        NOT NULL,
    final           boolean     NOT NULL,  -- state is final
    version         bigint      NOT NULL,  -- optimistic concurrency
    rating          integer,               -- NULL until rated
    comment         text,                  -- NULL until commented (NUL bytes become U+FFFD)
    agent_ids       text[]      NOT NULL,  -- one entry per agent of the session
    group_ids       text[]      NOT NULL,  -- each group of those agents once
    created_at      timestamptz NOT NULL,
    rated_at        timestamptz,           -- NULL until rated
    deadline        timestamptz,           -- NULL once final
    lease_until     timestamptz,           -- ClaimDue lease; NULL when unclaimed
    doc             json        NOT NULL,  -- the session
    PRIMARY KEY (tenant_id, id)
);

-- One session that is not final per conversation.
CREATE UNIQUE INDEX surveyflow_sessions_active_conversation
    ON surveyflow_sessions (tenant_id, conversation_id) WHERE NOT final;
-- Due / ClaimDue.
CREATE INDEX surveyflow_sessions_due
    ON surveyflow_sessions (deadline, id) WHERE NOT final;
-- Awaiting.
CREATE INDEX surveyflow_sessions_awaiting
    ON surveyflow_sessions (tenant_id, contact_id, channel, created_at) WHERE NOT final;
-- ContactHistory.
CREATE INDEX surveyflow_sessions_contact
    ON surveyflow_sessions (tenant_id, contact_id, created_at);
-- Sessions.
CREATE INDEX surveyflow_sessions_created
    ON surveyflow_sessions (tenant_id, created_at);
-- Responses, newest rating first, and their agent and group filters.
CREATE INDEX surveyflow_sessions_responses
    ON surveyflow_sessions (tenant_id, rated_at, id) WHERE rating IS NOT NULL;
CREATE INDEX surveyflow_sessions_agents
    ON surveyflow_sessions USING gin (agent_ids) WHERE rating IS NOT NULL;
CREATE INDEX surveyflow_sessions_groups
    ON surveyflow_sessions USING gin (group_ids) WHERE rating IS NOT NULL;
