-- Service users and scoped tokens. A service user (a bot) has no
-- password and acts only through its tokens. A token may be narrower than
-- its user: at most `role` (NULL: its user's role) and only on `accounts`
-- (a JSON array of account names; NULL: every account).
ALTER TABLE users ADD COLUMN service BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN role TEXT;
ALTER TABLE api_tokens ADD COLUMN accounts TEXT;
