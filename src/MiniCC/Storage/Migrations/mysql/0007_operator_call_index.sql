-- MiniCC schema 7: a call's events may be stored out of order (several instances, each replaying its own spool).
-- When an operator's sign-in is stored after the pickup it served, it fills in the visit's operator: this index
-- finds those visits by the operator's call.
CREATE INDEX ix_queue_visits_operator_call ON queue_visits (operator_call_sid);
