-- MiniCC schema 16: what the report reads of the callers who did not wait (issue 13). Each count is a range of one
-- index, as every other number of the report: the closed-hours calls (calls.ivr_choice 'closed', by the time the call
-- came in), the callers who left the queue on purpose (queue_visits.leave_reason, by the time they entered it) and the
-- callbacks (by requested_at, the time the caller entered the queue). Voicemails are read through ix_voicemails_recorded.
CREATE INDEX ix_calls_ivr_started ON calls (ivr_choice, started_at);
CREATE INDEX ix_queue_visits_leave ON queue_visits (leave_reason, entered_at, queue_name);
CREATE INDEX ix_callbacks_requested ON callbacks (requested_at, queue_name, status);
