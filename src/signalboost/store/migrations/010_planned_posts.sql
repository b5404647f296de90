-- 010: the publishing calendar. One row per planned post; `plan_id` is stable (hash of network, requested
-- local slot and kind), so planning a period again updates rows instead of adding new ones.
CREATE TABLE planned_posts (
    plan_id       VARCHAR PRIMARY KEY,
    network       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,              -- own | tactic | curated
    scheduled_at  TIMESTAMPTZ NOT NULL,          -- the instant (UTC)
    local_time    TIMESTAMP NOT NULL,            -- wall clock in `timezone`
    timezone      VARCHAR NOT NULL,              -- IANA zone of the brand
    slot          VARCHAR NOT NULL,              -- requested local slot YYYY-MM-DDTHH:MM (identity)
    format        VARCHAR,
    pillars       VARCHAR[],                     -- one, two (half each) or none (curated)
    tactic        VARCHAR,
    kpis          VARCHAR[],
    draft         VARCHAR,
    status        VARCHAR NOT NULL DEFAULT 'planned',  -- planned | drafted | approved | scheduled | published
    moved         BOOLEAN NOT NULL DEFAULT FALSE,      -- moved by hand
    touched       BOOLEAN NOT NULL DEFAULT FALSE,      -- status past planned or moved: re-planning keeps it
    sequence      INTEGER NOT NULL DEFAULT 0,          -- iCalendar SEQUENCE, bumped on every change
    note          VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX planned_posts_time ON planned_posts (scheduled_at);
