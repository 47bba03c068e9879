-- MiniCC schema 10: indexes nothing reads any more, each written to by every webhook.
-- ix_queue_visits_entered_at and ix_calls_started are the first column of a wider index (ix_queue_visits_report,
-- ix_queue_visits_abandoned; ix_calls_call_started) that serves every range read they served; the event log is read
-- by call (ux_call_events_dedupe) and by kind and time (ix_call_events_kind_time, the original's views), never by
-- time alone.
DROP INDEX ix_queue_visits_entered_at ON queue_visits;
DROP INDEX ix_calls_started ON calls;
DROP INDEX ix_call_events_time ON call_events;
