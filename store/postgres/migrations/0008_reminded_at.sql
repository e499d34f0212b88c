-- surveyflow schema version 8: reports that count reminders.
--
--   reminded_at  when the survey's first reminder was sent (NULL when it
--                got none), for the surveys sent that got a reminder and
--                the responses rated at or after it.
--
-- Only a report that asks for reminders reads it, so no index holds it:
-- every other report still runs from its covering index.
ALTER TABLE surveyflow_sessions ADD COLUMN reminded_at timestamptz;

-- Existing rows: from their documents.
UPDATE surveyflow_sessions SET reminded_at = (doc->>'reminded_at')::timestamptz
    WHERE doc->>'reminded_at' IS NOT NULL AND COALESCE((doc->>'reminders')::integer, 0) > 0;
