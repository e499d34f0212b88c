-- surveyflow schema version 3: the read side's columns and indexes.
--
-- Reports, the ratings registry and exports read these columns, never the
-- doc, and each report is one query answered from an index:
--   sent_at       when the survey was sent (NULL until sent), for the
--                 response rate;
--   rate_ns       time from sending to rating in ns (NULL unless both);
--   rate_bucket   rate_ns's bucket: 0 under 1 s, i for [2^(i-1) s, 2^i s),
--                 39 at most (scoring.ResponseTimeBucket);
--   assignee      the agent assigned at close (NULL when none);
--   last_agent    the last human agent who replied (NULL when none);
--   listed_at     the registry's order: rated_at, else the review time
--                 (NULL when neither rated nor reviewed);
--   review_score  the supervisor's score (NULL without a review).
-- agent_ids now holds each agent once.
ALTER TABLE surveyflow_sessions
    ADD COLUMN sent_at      timestamptz,
    ADD COLUMN rate_ns      bigint,
    ADD COLUMN rate_bucket  integer,
    ADD COLUMN assignee     text,
    ADD COLUMN last_agent   text,
    ADD COLUMN listed_at    timestamptz,
    ADD COLUMN review_score integer;

-- Existing rows: the columns from their documents.
UPDATE surveyflow_sessions SET
    sent_at = (doc->>'sent_at')::timestamptz,
    assignee = NULLIF(doc->>'assignee', ''),
    last_agent = NULLIF(doc->>'last_agent', ''),
    review_score = (doc->'review'->>'score')::integer,
    listed_at = COALESCE(rated_at, CASE WHEN doc->'review' IS NOT NULL AND json_typeof(doc->'review') = 'object'
        THEN (doc->'review'->>'at')::timestamptz END);
UPDATE surveyflow_sessions SET rate_ns = GREATEST(0, floor(extract(epoch FROM rated_at - sent_at) * 1e9))::bigint
    WHERE rated_at IS NOT NULL AND sent_at IS NOT NULL;
UPDATE surveyflow_sessions SET rate_bucket = LEAST(39, width_bucket(rate_ns / 1e9::float8, ARRAY[1,2,4,8,16,32,64,128,256,512,1024,2048,4096,8192,16384,32768,65536,131072,262144,524288,1048576,2097152,4194304,8388608,16777216,33554432,67108864,134217728,268435456,536870912,1073741824,2147483648,4294967296,8589934592,17179869184,34359738368,68719476736,137438953472,274877906944]::float8[]))
    WHERE rate_ns IS NOT NULL;

-- Reports: responses by rating time, every column a report reads.
DROP INDEX surveyflow_sessions_responses;
CREATE INDEX surveyflow_sessions_rated
    ON surveyflow_sessions (tenant_id, rated_at)
    INCLUDE (rating, rate_bucket, rate_ns, survey_id, channel, assignee, last_agent, agent_ids, group_ids, review_score)
    WHERE rating IS NOT NULL;
-- Reports: surveys sent by send time (response rate).
CREATE INDEX surveyflow_sessions_sent
    ON surveyflow_sessions (tenant_id, sent_at)
    INCLUDE (survey_id, channel, assignee, last_agent, agent_ids, group_ids)
    WHERE sent_at IS NOT NULL;
-- The registry and exports, newest first, paged by (listed_at, id).
CREATE INDEX surveyflow_sessions_listed
    ON surveyflow_sessions (tenant_id, listed_at, id)
    WHERE listed_at IS NOT NULL;
