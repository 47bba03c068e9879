-- MiniCC schema 13: what the operator who answered a customer's call says became of it (a disposition from
-- MiniCC:Desk:Dispositions) and a note. One row per customer call: saving again replaces it (no history of edits).
-- entered_at and queue_name are the answered queue visit's, copied when the disposition is saved, so that a report
-- counts calls per disposition by the time they entered the queue, as every other number, through this table's
-- own index (a month of visits is not read to find the few thousand with a disposition).
CREATE TABLE call_dispositions (
    call_sid     VARCHAR(34)  NOT NULL PRIMARY KEY,
    disposition  VARCHAR(32)  NOT NULL,
    note         TEXT         NULL,
    operator_id  BIGINT       NOT NULL,
    set_at       BIGINT       NOT NULL,
    entered_at   BIGINT       NOT NULL,
    queue_name   VARCHAR(64)  NOT NULL
);
CREATE INDEX ix_call_dispositions_report ON call_dispositions (entered_at, queue_name, disposition);
