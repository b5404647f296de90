-- 140: images (a file in the workspace + its alt text) and thread parts of planned posts, and each part of a
-- thread as published. Part 0 is the post itself (its text is planned_posts.draft); parts 1, 2, … are replies,
-- each to the one before. publication_parts holds the record key chosen for every part BEFORE anything is sent
-- (exactly once: a crash mid-thread resumes with the parts not yet on the network).
CREATE TABLE planned_media (
    plan_id   VARCHAR NOT NULL,
    part      INTEGER NOT NULL,                -- 0 = the post, 1.. = thread part
    ordinal   INTEGER NOT NULL,                -- order of the image within its part (0..)
    path      VARCHAR NOT NULL,                -- relative to the workspace folder
    alt       VARCHAR NOT NULL,                -- alt text (description) read by screen readers
    PRIMARY KEY (plan_id, part, ordinal)
);
CREATE TABLE planned_thread (
    plan_id   VARCHAR NOT NULL,
    part      INTEGER NOT NULL,                -- 1.. (part 0 is the draft)
    text      VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, part)
);
CREATE TABLE publication_parts (
    plan_id     VARCHAR NOT NULL,
    part        INTEGER NOT NULL,
    record_key  VARCHAR NOT NULL,              -- Bluesky TID of this part, chosen before sending
    post_id     VARCHAR,                       -- at:// URI once on the network
    cid         VARCHAR,                       -- its content id (reply refs name uri + cid)
    url         VARCHAR,
    PRIMARY KEY (plan_id, part)
);
