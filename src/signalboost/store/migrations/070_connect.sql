-- 070: live accounts. Connections (never the credential: that lives in the workspace's secrets file), the state
-- of each sync stream (cursor committed in the same transaction as the rows of its page, so a killed sync
-- resumes where it stopped), quotes as a metric of their own, and the publishing state of planned posts.
CREATE TABLE connections (
    platform      VARCHAR NOT NULL,
    account_id    VARCHAR NOT NULL,              -- DID on Bluesky, numeric id on Mastodon
    handle        VARCHAR,
    service       VARCHAR,                       -- PDS / instance URL
    connected_at  TIMESTAMPTZ NOT NULL,
    last_sync_at  TIMESTAMPTZ,                   -- end of the last complete sync
    last_import   BIGINT,                        -- imports.import_id of that sync
    PRIMARY KEY (platform)
);

-- stream: profile | followers | follows | posts | notifications | profiles | run (the run itself)
-- head: key of the newest item of the last complete pass (an incremental pass stops when it meets it);
-- cursor/run_*: the pass in progress (NULL when none).
CREATE TABLE sync_state (
    platform         VARCHAR NOT NULL,
    account_id       VARCHAR NOT NULL,
    stream           VARCHAR NOT NULL,
    head             VARCHAR,
    cursor           VARCHAR,
    run_head         VARCHAR,
    run_started      BOOLEAN NOT NULL DEFAULT FALSE,
    run_observed_at  TIMESTAMPTZ,
    run_import_id    BIGINT,
    pages            BIGINT NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ,
    PRIMARY KEY (platform, account_id, stream)
);

ALTER TABLE post_metrics ADD COLUMN quotes BIGINT;
