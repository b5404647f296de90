-- 060: dashboard sessions, kept server-side so they can be revoked (logout, `user remove`, a password change) and
-- expire (idle and absolute). Only a SHA-256 of the session id is stored: reading the database gives no cookie.
CREATE TABLE web_sessions (
    session_hash   VARCHAR PRIMARY KEY,
    username       VARCHAR NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (username);
