-- surveyflow schema version 3: the read side's columns and indexes.
--
-- Reports, the ratings registry and exports read these columns, never the
-- doc, and each report is one query answered from an index:
--   sent_at       when the survey was sent (Unix ns; NULL until sent), for
--                 the response rate;
--   rate_ns       time from sending to rating (ns; NULL unless both);
--   rate_bucket   rate_ns's bucket: 0 under 1 s, i for [2^(i-1) s, 2^i s),
--                 39 at most (scoring.ResponseTimeBucket);
--   assignee      the agent assigned at close (NULL when none);
--   last_agent    the last human agent who replied (NULL when none);
--   listed_at     the registry's order: rated_at, else the review time
--                 (NULL when neither rated nor reviewed);
--   review_score  the supervisor's score (NULL without a review).
-- agent_ids now holds each agent once.
ALTER TABLE surveyflow_sessions ADD COLUMN sent_at INTEGER;
ALTER TABLE surveyflow_sessions ADD COLUMN rate_ns INTEGER;
ALTER TABLE surveyflow_sessions ADD COLUMN rate_bucket INTEGER;
ALTER TABLE surveyflow_sessions ADD COLUMN assignee TEXT;
ALTER TABLE surveyflow_sessions ADD COLUMN last_agent TEXT;
ALTER TABLE surveyflow_sessions ADD COLUMN listed_at INTEGER;
ALTER TABLE surveyflow_sessions ADD COLUMN review_score INTEGER;

-- Existing rows: the columns from their documents (times to the
-- millisecond, which is all SQLite's date functions keep).
UPDATE surveyflow_sessions SET
    sent_at = CAST(unixepoch(json_extract(doc, '$.sent_at'), 'subsec') * 1000 AS INTEGER) * 1000000,
    assignee = NULLIF(json_extract(doc, '$.assignee'), ''),
    last_agent = NULLIF(json_extract(doc, '$.last_agent'), ''),
    review_score = json_extract(doc, '$.review.score');
UPDATE surveyflow_sessions SET
    listed_at = COALESCE(rated_at, CASE WHEN review_score IS NOT NULL THEN
        CAST(unixepoch(json_extract(doc, '$.review.at'), 'subsec') * 1000 AS INTEGER) * 1000000 END),
    rate_ns = CASE WHEN rated_at IS NOT NULL AND sent_at IS NOT NULL THEN max(rated_at - sent_at, 0) END;
UPDATE surveyflow_sessions SET rate_bucket = (SELECT CASE WHEN d < 1000000000 THEN 0 WHEN d < 2000000000 THEN 1 WHEN d < 4000000000 THEN 2 WHEN d < 8000000000 THEN 3 WHEN d < 16000000000 THEN 4 WHEN d < 32000000000 THEN 5 WHEN d < 64000000000 THEN 6 WHEN d < 128000000000 THEN 7 WHEN d < 256000000000 THEN 8 WHEN d < 512000000000 THEN 9 WHEN d < 1024000000000 THEN 10 WHEN d < 2048000000000 THEN 11 WHEN d < 4096000000000 THEN 12 WHEN d < 8192000000000 THEN 13 WHEN d < 16384000000000 THEN 14 WHEN d < 32768000000000 THEN 15 WHEN d < 65536000000000 THEN 16 WHEN d < 131072000000000 THEN 17 WHEN d < 262144000000000 THEN 18 WHEN d < 524288000000000 THEN 19 WHEN d < 1048576000000000 THEN 20 WHEN d < 2097152000000000 THEN 21 WHEN d < 4194304000000000 THEN 22 WHEN d < 8388608000000000 THEN 23 WHEN d < 16777216000000000 THEN 24 WHEN d < 33554432000000000 THEN 25 WHEN d < 67108864000000000 THEN 26 WHEN d < 134217728000000000 THEN 27 WHEN d < 268435456000000000 THEN 28 WHEN d < 536870912000000000 THEN 29 WHEN d < 1073741824000000000 THEN 30 WHEN d < 2147483648000000000 THEN 31 WHEN d < 4294967296000000000 THEN 32 WHEN d < 8589934592000000000 THEN 33 WHEN d < 17179869184000000000 THEN 34 WHEN d < 34359738368000000000 THEN 35 WHEN d < 68719476736000000000 THEN 36 WHEN d < 137438953472000000000 THEN 37 WHEN d < 274877906944000000000 THEN 38 ELSE 39 END FROM (SELECT rate_ns AS d))
    WHERE rate_ns IS NOT NULL;

-- Reports: responses by rating time, every column a report reads.
DROP INDEX surveyflow_sessions_responses;
CREATE INDEX surveyflow_sessions_rated
    ON surveyflow_sessions (tenant_id, rated_at, rating, rate_bucket, rate_ns, survey_id, channel,
                            assignee, last_agent, agent_ids, group_ids, review_score)
    WHERE rating IS NOT NULL;
-- Reports: surveys sent by send time (response rate).
CREATE INDEX surveyflow_sessions_sent
    ON surveyflow_sessions (tenant_id, sent_at, survey_id, channel, assignee, last_agent, agent_ids, group_ids)
    WHERE sent_at IS NOT NULL;
-- The registry and exports, newest first, paged by (listed_at, id).
CREATE INDEX surveyflow_sessions_listed
    ON surveyflow_sessions (tenant_id, listed_at, id)
    WHERE listed_at IS NOT NULL;
