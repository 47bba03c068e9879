-- MiniCC schema 18: recordings of the conversations (issue 14), for the queues that record (MiniCC:Queues:N:Record).
-- One row per recording, from the operator's recording <Dial>'s status callback: the operator's call (CallSid), the
-- customer's call it recorded (their latest pickup by that call), the queue, when the conversation began, its length,
-- the URL Twilio gave, its channels (2: one per party) and its status (completed, absent, failed; in-progress until then).
CREATE TABLE call_recordings (
    recording_sid      VARCHAR(34)   NOT NULL PRIMARY KEY,
    operator_call_sid  VARCHAR(34)   NOT NULL,
    call_sid           VARCHAR(34)   NULL,
    queue_name         VARCHAR(64)   NOT NULL,
    started_at         BIGINT        NOT NULL,
    duration_seconds   INTEGER       NULL,
    recording_url      VARCHAR(1024) NULL,
    channels           INTEGER       NULL,
    status             VARCHAR(16)   NOT NULL
);
CREATE INDEX ix_call_recordings_call ON call_recordings (call_sid);
CREATE INDEX ix_call_recordings_started ON call_recordings (started_at);
