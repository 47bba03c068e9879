-- MiniCC schema 8 (PostgreSQL): call, queue and recording SIDs as VARCHAR(34) instead of CHAR(34). Npgsql sends
-- strings as text, and PostgreSQL compares a CHAR column with a text value by casting the column, so
-- "WHERE call_sid = $1" could not use its index and read whole tables on every webhook (found by the webhook
-- benchmark; it grew with the history). The original-compatible views depend on these columns, so they are
-- dropped and created again exactly as schema 2 made them.
DROP VIEW enqueue_data;
DROP VIEW queue_data;
DROP VIEW statuscallback_data;

ALTER TABLE call_events
    ALTER COLUMN call_sid TYPE VARCHAR(34),
    ALTER COLUMN queue_sid TYPE VARCHAR(34),
    ALTER COLUMN dequeing_call_sid TYPE VARCHAR(34),
    ALTER COLUMN recording_sid TYPE VARCHAR(34);
ALTER TABLE calls
    ALTER COLUMN call_sid TYPE VARCHAR(34),
    ALTER COLUMN recording_sid TYPE VARCHAR(34);
ALTER TABLE queue_visits
    ALTER COLUMN call_sid TYPE VARCHAR(34),
    ALTER COLUMN operator_call_sid TYPE VARCHAR(34);
ALTER TABLE operator_sessions
    ALTER COLUMN call_sid TYPE VARCHAR(34);

CREATE VIEW enqueue_data AS
SELECT
    call_sid AS callsid,
    from_number AS "from",
    to_number AS "to",
    call_status AS callstatus,
    api_version AS apiversion,
    direction AS direction,
    forwarded_from AS forwardedfrom,
    caller_name AS callername,
    queue_result AS queueresult,
    queue_sid AS queuesid,
    queue_time AS queuetime,
    (to_timestamp(occurred_at / 1000) AT TIME ZONE current_setting('TimeZone')) AS "time"
FROM call_events
WHERE kind = 'queue_exit';

CREATE VIEW queue_data AS
SELECT
    call_sid AS callsid,
    from_number AS "from",
    to_number AS "to",
    call_status AS callstatus,
    api_version AS apiversion,
    direction AS direction,
    forwarded_from AS forwardedfrom,
    caller_name AS callername,
    queue_sid AS queuesid,
    queue_time AS queuetime,
    dequeing_call_sid AS dequeingcallsid,
    (to_timestamp(occurred_at / 1000) AT TIME ZONE current_setting('TimeZone')) AS "time"
FROM call_events
WHERE kind = 'pickup';

CREATE VIEW statuscallback_data AS
SELECT
    call_sid AS callsid,
    from_number AS "from",
    to_number AS "to",
    call_status AS callstatus,
    api_version AS apiversion,
    direction AS direction,
    forwarded_from AS forwardedfrom,
    caller_name AS callername,
    call_duration AS callduration,
    recording_url AS recordingurl,
    recording_sid AS recordingsid,
    recording_duration AS recordingduration,
    (to_timestamp(occurred_at / 1000) AT TIME ZONE current_setting('TimeZone')) AS "time"
FROM call_events
WHERE kind = 'call_end';
