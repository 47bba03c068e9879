-- MiniCC schema 2: views shaped like the original Twilio-MiniCC's tables, so that queries written
-- against the original keep working on MiniCC's history. One row per event, as the original stored.
-- PostgreSQL: the original's names folded to lower case, so unquoted names written for MySQL
-- (SELECT CallSid, QueueResult …) work as they are; the reserved words are "from", "to", "time".
-- Time is a timestamp in the session's time zone, as the original's NOW() was.

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

CREATE VIEW operators AS
SELECT phone AS telnum, name AS name
FROM operator_directory
WHERE active = 1;
