-- 100: the raw values behind the influence percentiles (for --format json/csv and the profile), and the run's notes.
ALTER TABLE influence_scores ADD COLUMN audience DOUBLE;           -- reach's count: followers, else distinct accounts interacting
ALTER TABLE influence_scores ADD COLUMN amplification_raw DOUBLE;  -- (reposts + quotes received) / posts
ALTER TABLE influence_scores ADD COLUMN posts_per_day DOUBLE;      -- activity: posts (or own interactions) per day observed
ALTER TABLE influence_scores ADD COLUMN active_share DOUBLE;       -- activity: share of days (weeks) with a post
ALTER TABLE influence_runs ADD COLUMN notes VARCHAR;               -- JSON list: how reach and "follows the brand" were known
