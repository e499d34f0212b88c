-- surveyflow schema version 8: reports that count reminders.
--
--   reminded_at  when the survey's first reminder was sent (Unix ns; NULL
--                when it got none), for the surveys sent that got a
--                reminder and the responses rated at or after it.
--
-- Only a report that asks for reminders reads it, so no index holds it:
-- every other report still runs from its covering index.
ALTER TABLE surveyflow_sessions ADD COLUMN reminded_at INTEGER;

-- Existing rows: from their documents (to the millisecond, which is all
-- SQLite's date functions keep; cut down, so a response rated after the
-- reminder still counts as after it).
UPDATE surveyflow_sessions
    SET reminded_at = CAST(unixepoch(json_extract(doc, '$.reminded_at'), 'subsec') * 1000 AS INTEGER) * 1000000
    WHERE json_extract(doc, '$.reminded_at') IS NOT NULL AND COALESCE(json_extract(doc, '$.reminders'), 0) > 0;
