-- MiniCC schema 4: reports filter queue visits by entry time alone, the wallboard reads open sessions.
CREATE INDEX ix_queue_visits_entered_at ON queue_visits (entered_at);
CREATE INDEX ix_calls_call_started ON calls (started_at, call_sid);
