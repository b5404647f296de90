-- 001: the canonical tables of DESIGN.md. Every row keeps `platform`, the platform's own id and `source`
-- (the import_id that wrote it). Metrics are snapshots: NULL means "not reported", never 0.

CREATE TABLE accounts (
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    handle       VARCHAR,
    name         VARCHAR,
    bio          VARCHAR,
    followers    BIGINT,
    following    BIGINT,
    posts_count  BIGINT,
    created_at   TIMESTAMPTZ,
    is_brand     BOOLEAN NOT NULL DEFAULT FALSE,
    observed_at  TIMESTAMPTZ,
    source       VARCHAR,
    PRIMARY KEY (platform, account_id)
);

-- Follower counts over time ("followers at posting time" = the snapshot nearest in time).
CREATE TABLE account_snapshots (
    platform     VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    observed_at  TIMESTAMPTZ NOT NULL,
    followers    BIGINT,
    following    BIGINT,
    posts_count  BIGINT,
    source       VARCHAR,
    PRIMARY KEY (platform, account_id, observed_at)
);

CREATE TABLE posts (
    platform          VARCHAR NOT NULL,
    post_id           VARCHAR NOT NULL,
    author_id         VARCHAR,
    created_at        TIMESTAMPTZ,
    text              VARCHAR,
    format            VARCHAR,           -- text/photo/video/link/carousel/story/reel/...
    hashtags          VARCHAR[],
    mentions          VARCHAR[],
    reply_to          VARCHAR,           -- post_id replied to
    repost_of         VARCHAR,           -- post_id reposted (boost / retweet)
    quote_of          VARCHAR,
    url               VARCHAR,
    visibility        VARCHAR,           -- public/unlisted/followers/direct where the network says
    language          VARCHAR,
    paid              BOOLEAN,           -- NULL = unknown
    pillars           VARCHAR[],         -- person's label (or NULL)
    tactic            VARCHAR,
    source            VARCHAR,
    PRIMARY KEY (platform, post_id)
);

CREATE TABLE post_metrics (
    platform      VARCHAR NOT NULL,
    post_id       VARCHAR NOT NULL,
    observed_at   TIMESTAMPTZ NOT NULL,
    impressions   BIGINT,
    reach         BIGINT,
    likes         BIGINT,
    comments      BIGINT,
    shares        BIGINT,
    saves         BIGINT,
    clicks        BIGINT,
    views         BIGINT,
    engaged_users BIGINT,
    source        VARCHAR,
    PRIMARY KEY (platform, post_id, observed_at)
);

-- Large edge tables have no PRIMARY KEY index (it would slow bulk loads ~10x); importers de-duplicate
-- with an anti-join on the key columns, so the key below still holds.
CREATE TABLE follows (
    platform     VARCHAR NOT NULL,
    follower_id  VARCHAR NOT NULL,
    followee_id  VARCHAR NOT NULL,
    observed_at  TIMESTAMPTZ,
    first_seen   TIMESTAMPTZ,
    last_seen    TIMESTAMPTZ,
    active       BOOLEAN NOT NULL DEFAULT TRUE,  -- FALSE once an export no longer lists the edge (unfollow)
    source       VARCHAR
    -- key: (platform, follower_id, followee_id)
);

CREATE TABLE interactions (
    platform           VARCHAR NOT NULL,
    actor_id           VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,     -- like, reply, repost, quote, mention
    target_post_id     VARCHAR NOT NULL DEFAULT '',   -- '' when unknown
    target_account_id  VARCHAR NOT NULL DEFAULT '',   -- '' when unknown
    occurred_at        TIMESTAMPTZ,          -- DESIGN.md calls it `at` (a reserved word in SQL)
    weight             DOUBLE NOT NULL DEFAULT 1,
    source             VARCHAR
    -- key: (platform, actor_id, kind, target_post_id, target_account_id, occurred_at)
);

CREATE SEQUENCE import_ids START 1;

CREATE TABLE imports (
    import_id       BIGINT PRIMARY KEY,
    file            VARCHAR NOT NULL,
    sha256          VARCHAR,
    format          VARCHAR,
    platform        VARCHAR,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    rows_read       BIGINT,
    rows_loaded     BIGINT,
    rows_duplicate  BIGINT,
    rows_rejected   BIGINT,
    status          VARCHAR            -- done / failed
);

CREATE TABLE rejects (
    import_id  BIGINT NOT NULL,
    file       VARCHAR NOT NULL,
    line       BIGINT,
    raw        VARCHAR,
    reason     VARCHAR NOT NULL
);
