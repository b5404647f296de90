-- 020: pillar assignments computed by the analytics (`signalboost analyze`).
-- One row per post and pillar; `method` says how it was decided: label (a person's), rule (keywords/hashtags),
-- classifier (offline TF-IDF + logistic regression, with its confidence) or unclassified (pillar = '').
CREATE TABLE post_pillars (
    platform     VARCHAR NOT NULL,
    post_id      VARCHAR NOT NULL,
    pillar       VARCHAR NOT NULL,       -- '' when unclassified
    method       VARCHAR NOT NULL,       -- label / rule / classifier / unclassified
    confidence   DOUBLE,                 -- classifier probability; 1 for label and rule; NULL when unclassified
    assigned_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, post_id, pillar)
);
