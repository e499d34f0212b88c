-- surveyflow schema version 7: finding the free text a tenant's retention
-- period removes.
--
--   free_text  1 when the session holds its contact's free text: the
--              name, the comment, a reply that was not a score or the
--              supervisor's note (survey.Session.HasFreeText); 0 once
--              retention or an erasure removed it.
--
-- Retention pages through a tenant's final sessions that hold text,
-- oldest first, from the index below, which holds nothing else.
ALTER TABLE surveyflow_sessions ADD COLUMN free_text INTEGER NOT NULL DEFAULT 0;

-- Existing rows: from their documents.
UPDATE surveyflow_sessions SET free_text = 1
    WHERE COALESCE(json_extract(doc, '$.contact_name'), '') <> ''
       OR COALESCE(json_extract(doc, '$.comment'), '') <> ''
       OR EXISTS (SELECT 1 FROM json_each(doc, '$.unparsed') WHERE type = 'text' AND value <> '')
       OR COALESCE(json_extract(doc, '$.review.comment'), '') <> '';

CREATE INDEX surveyflow_sessions_free_text
    ON surveyflow_sessions (tenant_id, created_at, id)
    WHERE free_text = 1 AND final = 1;
