-- 030: influence scores (one row per account of the latest run per platform) and the history of runs.
-- Percentile columns are 0-100 and NULL when the component could not be computed for the account.
CREATE TABLE influence_scores (
    platform                 VARCHAR NOT NULL,
    account_id               VARCHAR NOT NULL,
    computed_at              TIMESTAMPTZ NOT NULL,
    score                    DOUBLE,            -- 0-100, weighted mean of the known percentiles
    reach                    DOUBLE,
    authority                DOUBLE,
    amplification            DOUBLE,
    topic                    DOUBLE,
    activity                 DOUBLE,
    engagement               DOUBLE,            -- recency-weighted interactions with the brand (NULL: no brand set)
    follows_brand            BOOLEAN,           -- NULL: no brand set
    segment                  VARCHAR NOT NULL CHECK (segment IN ('advocate', 'untapped', 'fan', 'thought_leader', 'other')),
    top_topics               VARCHAR[],         -- topics the account leads (percentile >= 90 in the topic)
    reciprocity              DOUBLE,            -- the brand's recency-weighted interactions with the account
    interactions_with_brand  BIGINT,
    followers                BIGINT,
    reach_in_band            DOUBLE,            -- reach percentile among accounts of the same size band
    pagerank                 DOUBLE             -- the raw authority (PageRank probability)
);

CREATE TABLE influence_runs (
    platform           VARCHAR NOT NULL,
    computed_at        TIMESTAMPTZ NOT NULL,
    brand_account_id   VARCHAR,
    accounts           BIGINT NOT NULL,
    weights            VARCHAR NOT NULL,        -- JSON: effective weight per component
    unavailable        VARCHAR NOT NULL,        -- JSON: component -> reason
    follows_brand_from VARCHAR,
    settings           VARCHAR,                 -- JSON: strategy.influence at the time
    seconds            DOUBLE,
    PRIMARY KEY (platform, computed_at)
);
