-- MiniCC schema 2: views shaped like the original Twilio-MiniCC's tables, so that queries written
-- against the original keep working on MiniCC's history. One row per event, as the original stored.
-- SQLite: column names as the original's (case-insensitive); Time is the MiniCC host's local time.

CREATE VIEW enqueue_data AS
SELECT
    call_sid AS "CallSid",
    from_number AS "From",
    to_number AS "To",
    call_status AS "CallStatus",
    api_version AS "ApiVersion",
    direction AS "Direction",
    forwarded_from AS "ForwardedFrom",
    caller_name AS "CallerName",
    queue_result AS "QueueResult",
    queue_sid AS "QueueSid",
    queue_time AS "QueueTime",
    datetime(occurred_at / 1000, 'unixepoch', 'localtime') AS "Time"
FROM call_events
WHERE kind = 'queue_exit';

CREATE VIEW queue_data AS
SELECT
    call_sid AS "CallSid",
    from_number AS "From",
    to_number AS "To",
    call_status AS "CallStatus",
    api_version AS "ApiVersion",
    direction AS "Direction",
    forwarded_from AS "ForwardedFrom",
    caller_name AS "CallerName",
    queue_sid AS "QueueSid",
    queue_time AS "QueueTime",
    dequeing_call_sid AS "DequeingCallSid",
    datetime(occurred_at / 1000, 'unixepoch', 'localtime') AS "Time"
FROM call_events
WHERE kind = 'pickup';

CREATE VIEW statuscallback_data AS
SELECT
    call_sid AS "CallSid",
    from_number AS "From",
    to_number AS "To",
    call_status AS "CallStatus",
    api_version AS "ApiVersion",
    direction AS "Direction",
    forwarded_from AS "ForwardedFrom",
    caller_name AS "CallerName",
    call_duration AS "CallDuration",
    recording_url AS "RecordingUrl",
    recording_sid AS "RecordingSid",
    recording_duration AS "RecordingDuration",
    datetime(occurred_at / 1000, 'unixepoch', 'localtime') AS "Time"
FROM call_events
WHERE kind = 'call_end';

CREATE VIEW operators AS
SELECT phone AS "telnum", name AS "name"
FROM operator_directory
WHERE active = 1;
