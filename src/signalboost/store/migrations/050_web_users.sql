-- 050: dashboard logins. Passwords are stored as argon2id hashes only (never the password).
CREATE TABLE web_users (
    username       VARCHAR PRIMARY KEY,
    password_hash  VARCHAR NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at  TIMESTAMPTZ
);
