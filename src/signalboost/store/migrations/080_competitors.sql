-- 080: the competitors registry. A competitor is a name (a brand or page the user competes with) and its
-- accounts, one row per (platform, account); an account belongs to one competitor. `account` is an account id or
-- a handle as the user gave it, stored without a leading "@" and in lower case (handles are case-insensitive).
-- The competitors' posts are ordinary imported posts whose author is that account: nothing here copies them.
CREATE TABLE competitors (
    name      VARCHAR NOT NULL,
    platform  VARCHAR NOT NULL,
    account   VARCHAR NOT NULL,
    added_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, account)
);
