-- Rows repeated within one imported file (same key, e.g. two account snapshots at the same hour) are merged
-- into one row; they are counted here, apart from rows_duplicate (key already in the workspace before the import).
ALTER TABLE imports ADD COLUMN rows_merged BIGINT;
