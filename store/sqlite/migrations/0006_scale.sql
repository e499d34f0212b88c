-- surveyflow schema version 6: the scale each session was rated on.
--
--   scale  the ID of the survey's scale (scoring.Scale.ID, e.g. "csat5",
--          "nps10"), from the session's document; NULL for sessions
--          written before sessions kept it.
--
-- A report is on one scale and counts only its sessions (and those with
-- no scale recorded), so a CSAT report never counts an NPS 4 as a CSAT 4
-- nor an NPS survey as a CSAT survey sent. The column is generated from
-- the document, so writes need no new parameter. It is VIRTUAL (SQLite
-- adds no other kind to an existing table), and SQLite reads a virtual
-- column from the table, never from an index: so the reports' covering
-- indexes hold its expression, json_extract(doc, '$.scale'), and reports
-- filter on that expression, which SQLite reads from the index.
ALTER TABLE surveyflow_sessions ADD COLUMN scale TEXT
    GENERATED ALWAYS AS (json_extract(doc, '$.scale')) VIRTUAL;

-- Reports: responses by rating time, every column a report reads.
DROP INDEX surveyflow_sessions_rated;
CREATE INDEX surveyflow_sessions_rated
    ON surveyflow_sessions (tenant_id, rated_at, rating, rate_bucket, rate_ns, survey_id, channel,
                            assignee, last_agent, agent_ids, group_ids, review_score, reason,
                            json_extract(doc, '$.scale'))
    WHERE rating IS NOT NULL;
-- Reports: surveys sent by send time (response rate).
DROP INDEX surveyflow_sessions_sent;
CREATE INDEX surveyflow_sessions_sent
    ON surveyflow_sessions (tenant_id, sent_at, survey_id, channel, assignee, last_agent, agent_ids, group_ids,
                            json_extract(doc, '$.scale'))
    WHERE sent_at IS NOT NULL;
