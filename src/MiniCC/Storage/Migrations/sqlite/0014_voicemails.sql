-- MiniCC schema 14: the messages callers leave (issue 13), one row per call that reached voicemail. Derived from the
-- voicemail events (the prompt, the Record action, the recording status callback) in whatever order they are stored:
-- reason and from_number come from the first two (the status callback carries neither), recording_sid from the
-- status callback; status moves offered -> recorded -> completed | failed | absent and never back.
-- handled_at / handled_by: when and by which user (users.username) the message was marked handled on the page.
CREATE TABLE voicemails (
    call_sid          VARCHAR(34)   NOT NULL PRIMARY KEY,
    from_number       VARCHAR(255)  NULL,
    reason            VARCHAR(16)   NULL,
    recorded_at       BIGINT        NOT NULL,
    recording_sid     VARCHAR(34)   NULL,
    recording_url     VARCHAR(1024) NULL,
    duration_seconds  INTEGER       NULL,
    status            VARCHAR(16)   NOT NULL,
    handled_at        BIGINT        NULL,
    handled_by        VARCHAR(100)  NULL
);
CREATE INDEX ix_voicemails_recorded ON voicemails (recorded_at);
