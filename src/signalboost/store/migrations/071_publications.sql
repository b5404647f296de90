-- 071: publishing planned posts, exactly once. A row is written (state 'sending', with the record key chosen
-- for the post) BEFORE the network is asked; after a crash the next run looks that key up on the network
-- instead of sending again. state: sending | sent | retry | failed.
CREATE TABLE publications (
    plan_id       VARCHAR PRIMARY KEY,
    platform      VARCHAR NOT NULL,
    text          VARCHAR NOT NULL,
    record_key    VARCHAR,                 -- Bluesky: the TID the post is created under (idempotency key)
    state         VARCHAR NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    intent_at     TIMESTAMPTZ NOT NULL,
    post_id       VARCHAR,                 -- the platform's id (at:// URI) once sent
    url           VARCHAR,
    published_at  TIMESTAMPTZ,
    error         VARCHAR,                 -- why the last attempt failed (never a credential)
    updated_at    TIMESTAMPTZ NOT NULL
);
