-- surveyflow schema version 4: the reason the contact gave for the score.
--
--   reason  the ID of the reason chosen after a low score (the survey's
--           Reasons), NULL when none was asked or chosen.
--
-- Reports count responses per reason and filter by reason from the
-- responses' covering index, which now holds the column too.
ALTER TABLE surveyflow_sessions ADD COLUMN reason text;

-- Existing rows: the reason from their documents.
UPDATE surveyflow_sessions SET reason = NULLIF(doc->>'reason', '')
    WHERE doc->>'reason' IS NOT NULL;

-- Reports: responses by rating time, every column a report reads.
DROP INDEX surveyflow_sessions_rated;
CREATE INDEX surveyflow_sessions_rated
    ON surveyflow_sessions (tenant_id, rated_at)
    INCLUDE (rating, rate_bucket, rate_ns, survey_id, channel, assignee, last_agent, agent_ids, group_ids, review_score, reason)
    WHERE rating IS NOT NULL;
