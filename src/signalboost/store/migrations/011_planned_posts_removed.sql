-- 011: planned posts a re-plan removed (their slot left the schedule), kept so the iCalendar export can send
-- them as STATUS:CANCELLED with a higher SEQUENCE: a calendar that imported them removes them instead of
-- keeping a ghost event next to the new one. Same columns as planned_posts (sequence already bumped) + removed_at.
CREATE TABLE planned_posts_removed (
    plan_id       VARCHAR PRIMARY KEY,
    network       VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    scheduled_at  TIMESTAMPTZ NOT NULL,
    local_time    TIMESTAMP NOT NULL,
    timezone      VARCHAR NOT NULL,
    slot          VARCHAR NOT NULL,
    format        VARCHAR,
    pillars       VARCHAR[],
    tactic        VARCHAR,
    kpis          VARCHAR[],
    draft         VARCHAR,
    status        VARCHAR NOT NULL,
    moved         BOOLEAN NOT NULL,
    touched       BOOLEAN NOT NULL,
    sequence      INTEGER NOT NULL,
    note          VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    removed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX planned_posts_removed_time ON planned_posts_removed (scheduled_at);
