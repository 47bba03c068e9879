-- MiniCC schema 2: views shaped like the original Twilio-MiniCC's tables, so that queries written
-- against the original keep working on MiniCC's history. One row per event, as the original stored.
-- MySQL/MariaDB: column names as the original's; Time is a DATETIME in the session's time zone,
-- as the original's NOW() was.

CREATE VIEW enqueue_data AS
SELECT
    call_sid AS `CallSid`,
    from_number AS `From`,
    to_number AS `To`,
    call_status AS `CallStatus`,
    api_version AS `ApiVersion`,
    direction AS `Direction`,
    forwarded_from AS `ForwardedFrom`,
    caller_name AS `CallerName`,
    queue_result AS `QueueResult`,
    queue_sid AS `QueueSid`,
    queue_time AS `QueueTime`,
    FROM_UNIXTIME(occurred_at DIV 1000) AS `Time`
FROM call_events
WHERE kind = 'queue_exit';

CREATE VIEW queue_data AS
SELECT
    call_sid AS `CallSid`,
    from_number AS `From`,
    to_number AS `To`,
    call_status AS `CallStatus`,
    api_version AS `ApiVersion`,
    direction AS `Direction`,
    forwarded_from AS `ForwardedFrom`,
    caller_name AS `CallerName`,
    queue_sid AS `QueueSid`,
    queue_time AS `QueueTime`,
    dequeing_call_sid AS `DequeingCallSid`,
    FROM_UNIXTIME(occurred_at DIV 1000) AS `Time`
FROM call_events
WHERE kind = 'pickup';

CREATE VIEW statuscallback_data AS
SELECT
    call_sid AS `CallSid`,
    from_number AS `From`,
    to_number AS `To`,
    call_status AS `CallStatus`,
    api_version AS `ApiVersion`,
    direction AS `Direction`,
    forwarded_from AS `ForwardedFrom`,
    caller_name AS `CallerName`,
    call_duration AS `CallDuration`,
    recording_url AS `RecordingUrl`,
    recording_sid AS `RecordingSid`,
    recording_duration AS `RecordingDuration`,
    FROM_UNIXTIME(occurred_at DIV 1000) AS `Time`
FROM call_events
WHERE kind = 'call_end';

CREATE VIEW operators AS
SELECT phone AS `telnum`, name AS `name`
FROM operator_directory
WHERE active = 1;
