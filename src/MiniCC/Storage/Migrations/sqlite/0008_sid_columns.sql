-- MiniCC schema 8: nothing to do here. (On PostgreSQL the SID columns became VARCHAR so that text parameters use
-- their indexes; this dialect compares CHAR columns with string parameters through the index already.)
SELECT 1;
