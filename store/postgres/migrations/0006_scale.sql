-- surveyflow schema version 6: the scale each session was rated on.
--
--   scale  the ID of the survey's scale (scoring.Scale.ID, e.g. "csat5",
--          "nps10"), from the session's document; NULL for sessions
--          written before sessions kept it.
--
-- A report is on one scale and counts only its sessions (and those with
-- no scale recorded), so a CSAT report never counts an NPS 4 as a CSAT 4
-- nor an NPS survey as a CSAT survey sent. The column is generated from
-- the document (STORED), so writes need no new parameter; the reports'
-- covering indexes now include it.
--
-- PostgreSQL's json operators refuse a document holding the escape of a
-- NUL character (a contact may send one; doc is json, not jsonb, so that
-- it round-trips), so such a document is read as text instead: the
-- document is encoding/json's, where a quote inside a string is always
-- escaped, so '"scale":"' is the key itself, and the session's own key
-- comes first (none of the objects it holds has one).
ALTER TABLE surveyflow_sessions ADD COLUMN scale text
    GENERATED ALWAYS AS (CASE WHEN strpos(doc::text, '\u0000') = 0 THEN doc ->> 'scale'
                              ELSE substring(doc::text FROM '"scale":"([^"\\]*)"') END) STORED;

-- Reports: responses by rating time, every column a report reads.
DROP INDEX surveyflow_sessions_rated;
CREATE INDEX surveyflow_sessions_rated
    ON surveyflow_sessions (tenant_id, rated_at)
    INCLUDE (rating, rate_bucket, rate_ns, survey_id, channel, assignee, last_agent, agent_ids, group_ids, review_score, reason, scale)
    WHERE rating IS NOT NULL;
-- Reports: surveys sent by send time (response rate).
DROP INDEX surveyflow_sessions_sent;
CREATE INDEX surveyflow_sessions_sent
    ON surveyflow_sessions (tenant_id, sent_at)
    INCLUDE (survey_id, channel, assignee, last_agent, agent_ids, group_ids, scale)
    WHERE sent_at IS NOT NULL;
