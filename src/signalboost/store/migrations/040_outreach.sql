-- 040: the influencer pipeline (CRM), its stage history, the give-and-ask ledger, partners and their overlap.
-- Stages: identified, warming, contacted, collaborating, retained, paused, declined (see outreach/pipeline.py).

CREATE TABLE outreach (
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    handle       VARCHAR,
    stage        VARCHAR NOT NULL,
    mode         VARCHAR NOT NULL DEFAULT 'organic',   -- organic | paid
    offer_kind   VARCHAR,                              -- product | discount | fee (paid only)
    offer        VARCHAR,                              -- free text: what is offered
    cost         DOUBLE,                               -- total cost of the relationship; NULL = not recorded
    owner        VARCHAR,
    next_step    VARCHAR,
    due_date     DATE,
    notes        VARCHAR,
    source       VARCHAR,                              -- manual | influence (who added it)
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, account_id)
);

CREATE SEQUENCE outreach_history_ids START 1;

CREATE TABLE outreach_stage_history (
    history_id   BIGINT PRIMARY KEY DEFAULT nextval('outreach_history_ids'),
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    from_stage   VARCHAR,                              -- NULL when the influencer entered the pipeline
    to_stage     VARCHAR NOT NULL,
    moved_at     TIMESTAMPTZ NOT NULL,
    moved_by     VARCHAR,
    note         VARCHAR
);

-- Every touch both ways. event_key is a hash of the natural key
-- (platform, account_id, direction, kind, post_id, occurred_at), so the same touch logged twice is stored once.
CREATE TABLE outreach_events (
    event_key    VARCHAR PRIMARY KEY,
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    direction    VARCHAR NOT NULL,                     -- ours | theirs
    kind         VARCHAR NOT NULL,                     -- ours: like reply share message gift; theirs: interaction amplification
    detail       VARCHAR,                              -- the imported interaction kind (like, reply, repost, quote, mention)
    is_ask       BOOLEAN NOT NULL DEFAULT FALSE,       -- ours only: this touch asks something of them
    post_id      VARCHAR NOT NULL DEFAULT '',          -- the post touched ('' when none)
    occurred_at  TIMESTAMPTZ NOT NULL,
    note         VARCHAR,
    source       VARCHAR NOT NULL                      -- manual | import
);

CREATE TABLE partners (
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    handle       VARCHAR,
    status       VARCHAR NOT NULL DEFAULT 'candidate', -- candidate | chosen | active | ended
    started_at   DATE,
    notes        VARCHAR,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, account_id)
);

-- The last overlap computation per candidate (exact or MinHash), for the dashboard.
CREATE TABLE partner_overlap (
    platform         VARCHAR NOT NULL,
    account_id       VARCHAR NOT NULL,
    computed_at      TIMESTAMPTZ NOT NULL,
    method           VARCHAR NOT NULL,                 -- exact | minhash
    audience_source  VARCHAR NOT NULL,                 -- follows | interactions
    audience         BIGINT,
    our_audience     BIGINT,
    shared           DOUBLE,
    jaccard          DOUBLE,
    overlap_smaller  DOUBLE,
    unique_reach     DOUBLE,
    bridges          BIGINT,                           -- NULL when influence scores are absent
    PRIMARY KEY (platform, account_id)
);
