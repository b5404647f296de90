-- 031: the influence × engagement chart's sample of accounts, written with the scores (same transaction) so the
-- dashboard's Influencers page reads a few hundred rows instead of ranking every scored account per request.
-- One row per sampled account of the platform's latest run; rn is the account's rank by score (1 = best).
-- Workspaces scored before this migration have no sample: readers fall back to computing it from influence_scores.
CREATE TABLE influence_chart (
    platform     VARCHAR NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL,         -- the run the sample was drawn from (influence_runs.computed_at)
    rn           BIGINT NOT NULL,              -- rank by score DESC, account_id (1 = best)
    account_id   VARCHAR NOT NULL,
    score        DOUBLE NOT NULL,
    engagement   DOUBLE,                       -- NULL: no brand set
    segment      VARCHAR NOT NULL
);
