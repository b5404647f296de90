-- 090: audience segments (`signalboost audience segments`): one row per audience member of the platform's latest
-- run (segment -1 = "other"), and per run the persona cards and how the segments were found, as JSON.
CREATE TABLE audience_segments (
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL,
    segment      INTEGER NOT NULL,            -- 0 = largest segment; -1 = other (small segments, no evidence)
    PRIMARY KEY (platform, account_id)
);

CREATE TABLE audience_runs (
    platform     VARCHAR NOT NULL,
    computed_at  TIMESTAMPTZ NOT NULL,
    accounts     BIGINT NOT NULL,
    segments     INTEGER NOT NULL,
    summary      VARCHAR NOT NULL,             -- JSON: audience definition, evidence, stability, candidates, notes
    cards        VARCHAR NOT NULL,             -- JSON: the persona cards (audience.cards.Card as dicts)
    seconds      DOUBLE,
    PRIMARY KEY (platform, computed_at)
);
