-- 032: reach's second factor, so json/csv carry every raw value behind the reach percentile: A = reposts + quotes
-- + 2 × (replies + mentions) received (interaction data), or P = mean likes + comments + shares per post (follower
-- counts with post metrics); NULL where reach is the follower count alone or the writer does not compute it (Spark).
ALTER TABLE influence_scores ADD COLUMN attention DOUBLE;
