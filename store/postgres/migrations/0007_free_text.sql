-- surveyflow schema version 7: finding the free text a tenant's retention
-- period removes.
--
--   free_text  true when the session holds its contact's free text: the
--              name, the comment, a reply that was not a score or the
--              supervisor's note (survey.Session.HasFreeText); false once
--              retention or an erasure removed it.
--
-- Retention pages through a tenant's final sessions that hold text,
-- oldest first, from the index below, which holds nothing else.
ALTER TABLE surveyflow_sessions ADD COLUMN free_text boolean NOT NULL DEFAULT false;

-- Existing rows: from their documents.
UPDATE surveyflow_sessions SET free_text = true
    WHERE COALESCE(doc->>'contact_name', '') <> ''
       OR COALESCE(doc->>'comment', '') <> ''
       OR CASE WHEN json_typeof(doc->'unparsed') = 'array'
               THEN EXISTS (SELECT 1 FROM json_array_elements_text(doc->'unparsed') AS u(text) WHERE u.text <> '')
               ELSE false END
       OR CASE WHEN json_typeof(doc->'review') = 'object'
               THEN COALESCE(doc->'review'->>'comment', '') <> ''
               ELSE false END;

CREATE INDEX surveyflow_sessions_free_text
    ON surveyflow_sessions (tenant_id, created_at, id)
    WHERE free_text AND final;
