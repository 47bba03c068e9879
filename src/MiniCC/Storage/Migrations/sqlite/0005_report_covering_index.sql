-- MiniCC schema 5: the report reads a range of queue visits by entry time and only these columns;
-- a covering index answers it without touching the table rows.
CREATE INDEX ix_queue_visits_report ON queue_visits (entered_at, queue_name, answered_at, result, wait_seconds, talk_seconds, operator_id);
