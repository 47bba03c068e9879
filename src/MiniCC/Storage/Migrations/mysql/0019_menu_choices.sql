-- MiniCC schema 19: the menu's choices by name (issue 14). A center's own menu (MiniCC:Menu) records each option's
-- Choice in calls.ivr_choice ("orders", "returns", ...); rollup_ivr counts only the original menu's four. One row per
-- span (1: an hour, 24: a UTC day), slot and choice: how many customers' calls that started in it ended the menu with
-- that choice. Kept by the same refresh as the other rollups; filled here from the history.
CREATE TABLE rollup_menu (
    span    INTEGER     NOT NULL,
    slot    BIGINT      NOT NULL,
    choice  VARCHAR(20) NOT NULL,
    calls   BIGINT      NOT NULL,
    PRIMARY KEY (span, slot, choice)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO rollup_menu (span, slot, choice, calls)
SELECT 1, started_at DIV 3600000, ivr_choice, COUNT(*) FROM calls
WHERE role = 'customer' AND ivr_choice IS NOT NULL
GROUP BY started_at DIV 3600000, ivr_choice;
INSERT INTO rollup_menu (span, slot, choice, calls)
SELECT 24, slot DIV 24, choice, SUM(calls) FROM rollup_menu WHERE span = 1
GROUP BY slot DIV 24, choice;
