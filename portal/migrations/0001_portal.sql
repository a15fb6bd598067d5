-- The team portal. Written to run unchanged on SQLite and PostgreSQL:
-- text ids (UUIDv7, so they sort by time), BIGINT milliseconds since the
-- epoch for times, and 0/1 BIGINTs for flags.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- Only a hash of each session id is stored: a copy of the database does
-- not let anyone sign in.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

CREATE TABLE audit_log (
    id                  TEXT PRIMARY KEY,
    occurred_at         BIGINT NOT NULL,
    actor               TEXT NOT NULL,
    via                 TEXT NOT NULL,
    action              TEXT NOT NULL,
    account             TEXT,
    request             TEXT,
    outcome             TEXT NOT NULL,
    detail              TEXT,
    upstream_request_id TEXT,
    finished_at         BIGINT
);
CREATE INDEX audit_by_time ON audit_log (occurred_at);

-- One row per (user, Idempotency-Key): the request's hash and, once it
-- finished, the answer to give again.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  BIGINT,
    response     TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
